//! The application: which screen is active, the open popup, the session,
//! and the desk every action runs against.

use chrono::Timelike;
use crossterm::event::{Event, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use ratatui::Frame;

use crate::desk::auth::SignOutReason;
use crate::desk::customers::SignOff;
use crate::desk::{Desk, Session};
use crate::domain::msg::{Lang, Msg};
use crate::i18n::{t, text};
use crate::msg;
use crate::tui::acceptance::Acceptance;
use crate::tui::applications::Applications;
use crate::tui::customers::Customers;
use crate::tui::keymap::{self, Binding, Cmd};
use crate::tui::popup::{FlagsPopup, Help, Popup, PopupResult, SignOffPopup};
use crate::tui::signin::SignIn;
use crate::tui::{is_press, theme, Action, Ctx};

/// The active screen.
pub enum Screen {
    /// Nobody signed in.
    SignIn(Box<SignIn>),
    /// Customer look-up and registration.
    Customers(Box<Customers>),
    /// Accepting an application.
    Acceptance(Box<Acceptance>),
    /// A customer's open applications.
    Applications(Box<Applications>),
    /// Taking money.
    Cashier(Box<crate::tui::cashier::Cashier>),
}

/// The whole interface state.
pub struct App {
    /// The workstation's operations.
    pub desk: Desk,
    /// Interface language.
    pub lang: Lang,
    /// The signed-in clerk.
    pub session: Option<Session>,
    /// Active screen.
    pub screen: Screen,
    /// Open popup.
    pub popup: Option<Popup>,
    /// Set when the program should end.
    pub quit: bool,
    /// A message for the status line.
    pub status: Option<Msg>,
    /// The customers screen, kept while an acceptance or the applications are open.
    pub(super) parked: Option<Box<Customers>>,
    /// The slip font, loading in the background from start-up.
    pub slip_font: Option<crate::slips::font::FontLoader>,
    last_minute: u32,
}

impl App {
    /// A new app on the sign-in screen.
    pub fn new(desk: Desk, lang: Lang) -> App {
        App {
            desk,
            lang,
            session: None,
            screen: Screen::SignIn(Box::default()),
            popup: None,
            quit: false,
            status: None,
            parked: None,
            slip_font: None,
            last_minute: 99,
        }
    }

    /// Periodic wake-up; true when the screen should be redrawn (the clock).
    pub fn tick(&mut self) -> bool {
        let m = self.desk.clock().now().minute();
        let changed = m != self.last_minute;
        self.last_minute = m;
        changed
    }

    /// Handles one terminal event.
    pub fn handle_event(&mut self, ev: Event) {
        match ev {
            Event::Key(key) if is_press(&Event::Key(key)) => self.handle_key(&key),
            Event::Paste(text) => self.paste(&text),
            _ => {}
        }
    }

    fn paste(&mut self, pasted: &str) {
        if let Some(p) = &mut self.popup {
            p.paste(pasted);
            return;
        }
        match &mut self.screen {
            Screen::SignIn(s) => s.paste(pasted),
            Screen::Customers(c) => c.paste(pasted),
            Screen::Acceptance(a) => a.paste(pasted),
            Screen::Applications(a) => a.paste(pasted),
            Screen::Cashier(c) => c.paste(pasted),
        }
    }

    /// Routes a key: popup, then the screen (its keymap and focused field),
    /// then the global keys.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        self.status = None;
        if let Some(popup) = &mut self.popup {
            match popup.handle_key(key) {
                PopupResult::Stay => {}
                PopupResult::Close => self.popup = None,
                PopupResult::Act(a) => self.perform(a),
            }
            return;
        }
        let now = self.desk.clock().now();
        let (used, action) = match &mut self.screen {
            Screen::SignIn(s) => s.handle_key(key),
            Screen::Customers(c) => c.handle_key(key),
            Screen::Acceptance(a) => a.handle_key(key, now),
            Screen::Applications(a) => a.handle_key(key),
            Screen::Cashier(c) => c.handle_key(key),
        };
        if let Some(a) = action {
            self.perform(a);
        }
        if used {
            return;
        }
        let signed_in = self.session.is_some();
        let global = keymap::lookup(keymap::GLOBAL, key, |c| match c {
            Cmd::SignOut | Cmd::SwitchClerk => signed_in,
            _ => true,
        });
        match global {
            Some(Cmd::Help) => {
                let (bindings, name) = self.screen_bindings();
                self.popup = Some(Popup::Help(Help::new(bindings, name)));
            }
            Some(Cmd::SignOut) => self.end_session(SignOutReason::SignOut),
            Some(Cmd::SwitchClerk) => self.end_session(SignOutReason::Switch),
            Some(Cmd::Quit) => {
                self.end_session(SignOutReason::Quit);
                self.quit = true;
            }
            _ => {}
        }
    }

    fn screen_bindings(&self) -> (&'static [Binding], &'static str) {
        match &self.screen {
            Screen::SignIn(s) => (s.bindings(), "help.screen_sign_in"),
            Screen::Customers(c) => (c.bindings(), "help.screen_customers"),
            Screen::Acceptance(a) => (a.bindings(), "help.screen_acceptance"),
            Screen::Applications(a) => (a.bindings(), "help.screen_applications"),
            Screen::Cashier(c) => (c.bindings(), "help.screen_cashier"),
        }
    }

    fn end_session(&mut self, why: SignOutReason) {
        self.popup = None;
        let Some(session) = self.session.take() else {
            return;
        };
        if let Err(e) = self.desk.sign_out(&session, why) {
            // The clerk still leaves the screen; the failure is logged and shown.
            tracing::error!("sign-out not recorded: {:?}", e.0);
            self.status = Some(e.0);
        }
        let notice = match why {
            SignOutReason::Switch => msg!("signin.switched", name = session.name),
            _ => msg!("signin.signed_out", name = session.name),
        };
        self.screen = Screen::SignIn(Box::new(SignIn::with_notice(notice)));
    }

    fn perform(&mut self, action: Action) {
        match action {
            Action::SignIn { staff_no, password } => {
                match self.desk.sign_in(&staff_no, &password) {
                    Ok(session) => {
                        let today = self.desk.clock().today();
                        self.screen = Screen::Customers(Box::new(Customers::new(
                            today,
                            session.role.supervises(),
                        )));
                        self.status = Some(msg!(
                            "signin.welcome",
                            name = session.name,
                            role = text(&session.role.name(), self.lang)
                        ));
                        self.session = Some(session);
                        self.refresh_drafts();
                    }
                    Err(e) => {
                        if let Screen::SignIn(s) = &mut self.screen {
                            s.failed(e.0);
                        }
                    }
                }
            }
            Action::Lookup(typed) => {
                let result = self.desk.lookup(&typed);
                if let Screen::Customers(c) = &mut self.screen {
                    match result {
                        Ok(r) => c.show(r),
                        Err(e) => c.failed(e.0),
                    }
                }
                self.refresh_drafts();
            }
            Action::Register(new, signoff) => {
                let Some(session) = self.session.clone() else {
                    return;
                };
                let result = self.desk.register(&session, &new, signoff.as_ref());
                if let Screen::Customers(c) = &mut self.screen {
                    match result {
                        Ok(card) => c.registered(card),
                        Err(e) => c.register_failed(e.0),
                    }
                }
            }
            Action::OpenSignOff(reason) => {
                self.popup = Some(Popup::SignOff(Box::new(SignOffPopup::new(reason))));
            }
            Action::SignOffSubmit {
                staff_no,
                password,
                reason,
            } => {
                let Some(session) = self.session.clone() else {
                    return;
                };
                match self
                    .desk
                    .authorise(&session, &staff_no, &password, "customer.suspicious_id")
                {
                    Ok(by) => {
                        self.popup = None;
                        if let Screen::Customers(c) = &mut self.screen {
                            c.signed_off(SignOff { by, reason });
                        }
                    }
                    Err(e) => {
                        if let Some(Popup::SignOff(p)) = &mut self.popup {
                            p.failed(e.0);
                        }
                    }
                }
            }
            Action::OpenFlags => {
                if let Screen::Customers(c) = &self.screen {
                    if let Some(card) = c.card() {
                        self.popup = Some(Popup::Flags(FlagsPopup {
                            current: card.flags.clone(),
                            error: None,
                        }));
                    }
                }
            }
            Action::ToggleFlag(index) => self.toggle_flag(index),
            a @ (Action::OpenCashier
            | Action::LeaveCashier
            | Action::OpenShift(_)
            | Action::PayBill(_)
            | Action::ReversePayment { .. }
            | Action::CloseShift(..)
            | Action::PrintMoneySlip(_)
            | Action::PayFee(_)
            | Action::LookupFees(_)
            | Action::Refund(_)
            | Action::ListCheques
            | Action::ConfirmCheque { .. }
            | Action::DishonourCheque { .. }
            | Action::DayReport(_)
            | Action::LookupBills(_)
            | Action::PrintSettlement) => self.perform_money(a),
            other => self.perform_flow(other),
        }
    }

    fn toggle_flag(&mut self, index: usize) {
        let Some(session) = self.session.clone() else {
            return;
        };
        let Some(def) = self.desk.config().customers.flags.get(index).cloned() else {
            return;
        };
        let Screen::Customers(c) = &mut self.screen else {
            return;
        };
        let Some(card) = c.card().cloned() else {
            return;
        };
        let on = !card.flags.contains(&def.code);
        match self.desk.set_flag(&session, &card, &def.code, on) {
            Ok(updated) => {
                if let Some(Popup::Flags(p)) = &mut self.popup {
                    p.current = updated.flags.clone();
                    p.error = None;
                }
                c.update_card(updated);
            }
            Err(e) => {
                if let Some(Popup::Flags(p)) = &mut self.popup {
                    p.error = Some(e.0);
                }
            }
        }
    }

    /// Draws everything; reads state only.
    pub fn draw(&self, frame: &mut Frame) {
        let area = frame.area();
        self.render(area, frame.buffer_mut());
    }

    /// Renders into a buffer (used by `draw` and by tests).
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let ctx = Ctx {
            lang: self.lang,
            config: self.desk.config(),
            forms: self.desk.forms(),
            now: self.desk.clock().now(),
        };
        let [header, body, status, bar] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.render_header(header, buf, &ctx);
        match &self.screen {
            Screen::SignIn(s) => s.render(body, buf, &ctx),
            Screen::Customers(c) => c.render(body, buf, &ctx),
            Screen::Acceptance(a) => a.render(body, buf, &ctx),
            Screen::Applications(a) => a.render(body, buf, &ctx),
            Screen::Cashier(c) => c.render(body, buf, &ctx),
        }
        if let Some(m) = &self.status {
            let style = if m.key.starts_with("signin.") {
                theme::ok()
            } else {
                theme::error()
            };
            Paragraph::new(Span::styled(text(m, self.lang), style)).render(status, buf);
        }
        self.render_bar(bar, buf);
        if let Some(p) = &self.popup {
            p.render(body, buf, &ctx);
        }
    }

    fn render_header(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        buf.set_style(area, theme::bar());
        let lang = self.lang;
        let hall = match lang {
            Lang::Zh => &ctx.config.hall.name,
            Lang::En => &ctx.config.hall.name_en,
        };
        let who = match &self.session {
            Some(s) => format!("{} {} ({})", s.staff_no, s.name, text(&s.role.name(), lang)),
            None => t("header.nobody", lang),
        };
        let local = ctx.now.with_timezone(&chrono::Local);
        let left = format!(
            " {hall} │ {} │ {who}",
            text(
                &msg!("header.window", window = ctx.config.hall.window),
                lang
            )
        );
        let right = format!(" {} ", local.format("%Y-%m-%d %H:%M"));
        let w = right.chars().count() as u16;
        // The clock keeps its place; a long hall name is cut instead.
        Paragraph::new(Line::from(left)).style(theme::bar()).render(
            Rect {
                width: area.width.saturating_sub(w),
                ..area
            },
            buf,
        );
        if area.width > w {
            Paragraph::new(right).style(theme::bar()).render(
                Rect {
                    x: area.right() - w,
                    width: w,
                    ..area
                },
                buf,
            );
        }
    }

    fn render_bar(&self, area: Rect, buf: &mut Buffer) {
        buf.set_style(area, theme::bar());
        let (screen, active): (&[Binding], Box<dyn Fn(Cmd) -> bool + '_>) =
            match (&self.popup, &self.screen) {
                (Some(p), _) => (p.bindings(), Box::new(|_| true)),
                (None, Screen::SignIn(s)) => (s.bindings(), Box::new(|_| true)),
                (None, Screen::Customers(c)) => (c.bindings(), Box::new(move |cmd| c.active(cmd))),
                (None, Screen::Acceptance(a)) => (a.bindings(), Box::new(move |cmd| a.active(cmd))),
                (None, Screen::Applications(a)) => (a.bindings(), Box::new(|_| true)),
                (None, Screen::Cashier(c)) => (c.bindings(), Box::new(|_| true)),
            };
        let signed_in = self.session.is_some();
        let mut spans = vec![Span::raw(" ")];
        let globals = keymap::GLOBAL.iter().filter(|b| {
            self.popup.is_none() && (signed_in || !matches!(b.cmd, Cmd::SignOut | Cmd::SwitchClerk))
        });
        for b in screen
            .iter()
            .filter(|b| active(b.cmd))
            .chain(globals)
            .filter(|b| b.bar)
        {
            spans.push(Span::styled(keymap::bar_label(b), theme::bar_key()));
            spans.push(Span::styled(
                format!(" {}  ", t(b.desc, self.lang)),
                theme::bar(),
            ));
        }
        Paragraph::new(Line::from(spans))
            .style(theme::bar())
            .render(area, buf);
    }
}
