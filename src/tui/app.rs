//! The application: which screen is active (and which wait below it), the
//! signed-in clerk, the help overlay and the status line. It routes keys —
//! help overlay, quit, the screen, then the keys that work everywhere — and
//! navigates where the screens ask; the screens do their own work.

use chrono::Timelike;
use crossterm::event::{Event, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

use crate::desk::auth::SignOutReason;
use crate::desk::{Desk, Session};
use crate::domain::msg::{Lang, Notice};
use crate::msg;
use crate::tui::calling::Calling;
use crate::tui::customers::Customers;
use crate::tui::frame;
use crate::tui::help::Help;
use crate::tui::is_press;
use crate::tui::key_names;
use crate::tui::keymap::{self, Global, Keys, GLOBAL};
use crate::tui::ratings::Ratings;
pub use crate::tui::screen::Screen;
use crate::tui::screen::{Ctx, Flow, Nav};
use crate::tui::setup::Setup;
use crate::tui::signin::SignIn;
use crate::tui::unprinted::UnprintedSlips;

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
    /// Screens waiting below the active one (the customers screen while an
    /// acceptance, the applications or the cashier are open).
    below: Vec<Screen>,
    /// The help overlay, when open.
    help: Option<Help>,
    /// Set when the program should end.
    pub quit: bool,
    /// A message for the status line.
    status: Option<Notice>,
    /// What to say on the terminal once the program has ended (a sign-out
    /// that could not be recorded as the program closed).
    pub farewell: Option<crate::domain::msg::Msg>,
    last_minute: u32,
    last_second: u32,
    /// `counterdesk setup`: an administrator signs in for the hall's
    /// set-up alone, and leaving it ends the program.
    setup_only: bool,
}

/// Every screen's keys that messages name, in one place.
pub const KEY_NAMES: &[key_names::Names] = &[
    crate::tui::acceptance::keys::KEY_NAMES,
    crate::tui::cashier::keys::KEY_NAMES,
    crate::tui::customers::keys::KEY_NAMES,
    crate::tui::unprinted::keys::KEY_NAMES,
    crate::tui::setup::keys::KEY_NAMES,
    crate::tui::ratings::keys::KEY_NAMES,
    crate::tui::signin::KEY_NAMES,
    crate::tui::popup::KEY_NAMES,
    keymap::KEY_NAMES,
];

impl App {
    /// A new app on the sign-in screen.
    pub fn new(desk: Desk, lang: Lang) -> App {
        key_names::register(KEY_NAMES);
        App {
            desk,
            lang,
            session: None,
            screen: Screen::new(SignIn::default()),
            below: Vec::new(),
            help: None,
            quit: false,
            status: None,
            farewell: None,
            last_minute: 99,
            last_second: 99,
            setup_only: false,
        }
    }

    /// `counterdesk setup`: the sign-in screen for an administrator, who is
    /// taken straight to the hall's set-up; leaving it ends the program.
    pub fn for_setup(desk: Desk, lang: Lang) -> App {
        let mut app = App::new(desk, lang);
        app.setup_only = true;
        app.screen = Screen::new(SignIn::with_notice(Notice::info(msg!("setup.signin_hint"))));
        app
    }

    /// Signs a clerk in without the sign-in screen (the practice lab signed
    /// the trainee in already).
    pub fn signed_in(&mut self, session: Session, welcome: Notice) {
        self.go(Nav::SignedIn(session, welcome));
    }

    /// Puts a message on the status line.
    pub fn say(&mut self, n: Notice) {
        self.status = Some(n);
    }

    /// The status line's message.
    pub fn status(&self) -> Option<&Notice> {
        self.status.as_ref()
    }

    /// Whether a popup (the help overlay, or one of the screen's own) has
    /// the keys.
    pub fn popup_open(&self) -> bool {
        self.help.is_some() || self.screen.view().keys().modal
    }

    /// Periodic wake-up; true when the screen should be redrawn (the
    /// clock, the handling time, a rating that came or timed out).
    pub fn tick(&mut self) -> bool {
        let rated = self.desk.window_tick();
        // A card laid on the reader goes to the screen on top; one that
        // takes no card (not the look-up) lets it pass.
        let mut carded = false;
        while let Some(event) = self.desk.reader_event() {
            if self.session.is_some() && self.help.is_none() {
                carded |= self.screen.view_mut().on_card(event, &mut self.desk);
            }
        }
        if carded {
            self.show_customer();
        }
        let now = self.desk.clock().now();
        let m = now.minute();
        let watched = self.session.is_some() && self.screen.view_mut().on_tick(&mut self.desk);
        let mut changed = m != self.last_minute || rated || carded || watched;
        self.last_minute = m;
        // The handling time on the status line counts seconds.
        if self.desk.service_line().elapsed.is_some() {
            let s = now.second();
            changed |= s != self.last_second;
            self.last_second = s;
        }
        changed
    }

    /// Tells the desk what the customer may see now: the top screen's
    /// part, or the one below it that has one.
    fn show_customer(&mut self) {
        let shown = std::iter::once(&self.screen)
            .chain(self.below.iter().rev())
            .find_map(|s| s.view().facing());
        let (moment, lang) = shown.unwrap_or_default();
        self.desk.show(self.session.as_ref(), moment, lang);
    }

    /// Handles one terminal event.
    pub fn handle_event(&mut self, ev: Event) {
        match ev {
            Event::Key(key) if is_press(&Event::Key(key)) => self.handle_key(&key),
            Event::Paste(text) if self.help.is_none() => {
                self.screen.view_mut().on_paste(&text, &mut self.desk);
                self.show_customer();
            }
            _ => {}
        }
    }

    /// Routes a key: the help overlay, quit, the screen, then the keys that
    /// work everywhere.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        self.route_key(key);
        self.show_customer();
    }

    fn route_key(&mut self, key: &KeyEvent) {
        self.status = None;
        if keymap::lookup_if(GLOBAL, key, |g| g == Global::Quit).is_some() {
            self.end_session(SignOutReason::Quit);
            self.quit = true;
            return;
        }
        if let Some(help) = &mut self.help {
            if help.on_key(key) {
                self.help = None;
            }
            return;
        }
        match self.screen.view_mut().on_key(key, &mut self.desk) {
            Flow::Used => {}
            Flow::Go(nav) => self.go(nav),
            Flow::Unused => self.global(key),
        }
    }

    fn global(&mut self, key: &KeyEvent) {
        let signed_in = self.session.is_some();
        let queue = self.desk.queue_line().is_some();
        let active = |g: Global| match g {
            Global::CallNext | Global::Calling => signed_in && queue,
            Global::SignOut | Global::SwitchClerk | Global::Ratings => signed_in,
            _ => true,
        };
        match keymap::lookup_if(GLOBAL, key, active) {
            Some(Global::Help) => {
                let view = self.screen.view();
                self.help = Some(Help::new(
                    view.help_title(),
                    view.keys().hints,
                    self.globals(),
                ));
            }
            Some(Global::SignOut) => self.end_session(SignOutReason::SignOut),
            Some(Global::Ratings) => {
                if let Some(session) = self.session.clone() {
                    if !self.screen.is::<Ratings>() {
                        let r = Ratings::start(&session, &mut self.desk);
                        self.go(Nav::Open(Screen::new(r)));
                    }
                }
            }
            Some(Global::CallNext) => {
                if let Some(session) = self.session.clone() {
                    let window = self.desk.config().hall.window.clone();
                    self.status = Some(match self.desk.call_next(&session) {
                        Ok(t) => Notice::done(crate::msg!(
                            "calling.called",
                            ticket = t.label,
                            window = window
                        )),
                        Err(e) => e.notice(),
                    });
                }
            }
            Some(Global::Calling) => {
                if let Some(session) = self.session.clone() {
                    if !self.screen.is::<Calling>() {
                        let c = Calling::start(&session, &mut self.desk);
                        self.go(Nav::Open(Screen::new(c)));
                    }
                }
            }
            Some(Global::SwitchClerk) => self.end_session(SignOutReason::Switch),
            Some(Global::Quit) | None => {}
        }
    }

    /// The keys that work everywhere, and which do right now.
    fn globals(&self) -> Vec<keymap::Hint> {
        let signed_in = self.session.is_some();
        // Ratings is on the bar for duty managers, who handle them; a
        // clerk's rare appeal takes the same key without it.
        let manager = self
            .session
            .as_ref()
            .is_some_and(|s| s.role() == crate::domain::clerk::Role::DutyManager);
        let queue = signed_in && self.desk.queue_line().is_some();
        keymap::hints(GLOBAL, |g| match g {
            Global::Ratings => manager,
            Global::CallNext | Global::Calling => queue,
            Global::SignOut | Global::SwitchClerk => signed_in,
            _ => true,
        })
    }

    fn go(&mut self, nav: Nav) {
        match nav {
            Nav::SignedIn(session, welcome) if self.setup_only => {
                if session.role() != crate::domain::clerk::Role::Admin {
                    let m = msg!("setup.not_admin", name = session.name());
                    let _ = self.desk.sign_out(&session, SignOutReason::Switch);
                    self.screen = Screen::new(SignIn::with_notice(Notice::refusal(m)));
                    return;
                }
                self.status = Some(welcome);
                self.screen = Screen::new(Setup::start(&session, &self.desk));
                self.session = Some(session);
            }
            Nav::SignedIn(session, welcome) => {
                let customers = Customers::start(session.clone(), &mut self.desk);
                self.below.clear();
                self.screen = Screen::new(customers);
                // A duty manager is told first of the poor ratings waiting
                // for their return visit.
                self.status = Some(match self.desk.poor_ratings_waiting(&session) {
                    Some(m) => Notice::warning(m.part("welcome", welcome.msg)),
                    None => welcome,
                });
                // A payment booked whose receipt never printed comes first.
                if let Some(u) = UnprintedSlips::start(&session, &mut self.desk) {
                    self.go(Nav::Open(Screen::new(u)));
                }
                // An administrator of a hall not yet set up is walked
                // through its set-up (Esc: later).
                if session.role() == crate::domain::clerk::Role::Admin
                    && self.desk.hall_needs_setup()
                {
                    let setup = Setup::start(&session, &self.desk);
                    self.go(Nav::Open(Screen::new(setup)));
                }
                self.session = Some(session);
            }
            Nav::Open(screen) => {
                let below = std::mem::replace(&mut self.screen, screen);
                self.below.push(below);
            }
            Nav::OpenBoth(screen, top) => {
                self.go(Nav::Open(screen));
                self.go(Nav::Open(top));
            }
            Nav::Back if self.setup_only => {
                if let Some(session) = self.session.take() {
                    let _ = self.desk.sign_out(&session, SignOutReason::Quit);
                }
                self.quit = true;
            }
            Nav::Back => {
                if let Some(mut below) = self.below.pop() {
                    below.view_mut().resume(&mut self.desk);
                    self.screen = below;
                }
            }
        }
    }

    fn end_session(&mut self, why: SignOutReason) {
        self.help = None;
        let Some(session) = self.session.take() else {
            return;
        };
        self.below.clear();
        let notice = match why {
            SignOutReason::Switch => msg!("signin.switched", name = session.name()),
            _ => msg!("signin.signed_out", name = session.name()),
        };
        let mut signin = SignIn::with_notice(Notice::done(notice));
        if let Err(e) = self.desk.sign_out(&session, why) {
            // The clerk is signed out all the same; what failed is the
            // record of it, and that is what is said (and logged).
            tracing::error!("sign-out not recorded: {}", crate::i18n::for_log(e.msg()));
            let m = msg!("signin.signed_out_unrecorded", name = session.name())
                .part("why", e.msg().clone());
            if why == SignOutReason::Quit {
                self.farewell = Some(m.clone());
            }
            signin = SignIn::with_notice(Notice::warning(m));
        }
        self.screen = Screen::new(signin);
    }

    /// Draws everything; reads state only.
    pub fn draw(&self, f: &mut Frame) {
        let area = f.area();
        self.render(area, f.buffer_mut());
    }

    /// Renders into a buffer (used by `draw` and by tests).
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let ctx = Ctx {
            lang: self.lang,
            config: self.desk.config(),
            forms: self.desk.forms(),
            now: self.desk.clock().now(),
            link: self.desk.link_status(),
            practice: self.desk.is_practice(),
            service: self.desk.service_line(),
            backup: self.desk.backup_status(),
        };
        let keys = match &self.help {
            Some(_) => Keys {
                hints: Help::hints(),
                modal: true,
            },
            None => self.screen.view().keys(),
        };
        let bar = frame::bar_lines(&keys, &self.globals(), area.width, self.lang);
        let status_rows = frame::status_rows(self.status.as_ref(), area.width, self.lang);
        let [header, body, status, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(status_rows),
            Constraint::Length(bar.len() as u16),
        ])
        .areas(area);
        frame::header(header, buf, &ctx, self.session.as_ref());
        self.screen.view().draw(body, buf, &ctx);
        frame::status(self.status.as_ref(), status, buf, self.lang);
        frame::bar(bar, bottom, buf);
        if let Some(help) = &self.help {
            help.draw(body, buf, self.lang);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::msg::Lang;
    use crate::i18n::catalog;

    #[test]
    fn every_key_a_message_names_comes_from_a_binding() {
        crate::tui::key_names::register(super::KEY_NAMES);
        let cat = catalog();
        let mut unknown = Vec::new();
        for key in cat.keys() {
            for lang in [Lang::Zh, Lang::En] {
                let template = cat.template(key, lang).unwrap_or_default();
                let mut rest = template;
                while let Some(i) = rest.find("{key_") {
                    rest = &rest[i + 1..];
                    let end = rest.find('}').unwrap_or(rest.len());
                    let name = &rest[..end];
                    if crate::tui::key_names::named(name).is_none() {
                        unknown.push(format!("{key}: {name}"));
                    }
                }
            }
        }
        assert!(unknown.is_empty(), "keys named but not bound: {unknown:?}");
        assert!(crate::tui::key_names::all().count() > 20);
    }
}
