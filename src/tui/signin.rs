//! The sign-in screen: staff number and password.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::desk::Desk;
use crate::domain::msg::{Input, Notice};
use crate::msg;
use crate::tui::field::Field;
use crate::tui::keymap::{self, b, Binding, Keys, BACKTAB, DOWN, ENTER, ESC, TAB, UP};
use crate::tui::notice;
use crate::tui::screen::{Ctx, Flow, Nav, View};
use crate::tui::text::{t, text};
use crate::tui::theme;

/// What the sign-in keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInKey {
    /// Next field, or sign in from the password.
    Enter,
    Next,
    /// Previous field.
    Prev,
    /// Clear both fields.
    Clear,
}

/// The sign-in screen's keys.
pub const KEYS: &[Binding<SignInKey>] = &[
    b(&[ENTER], SignInKey::Enter, "key.sign_in_enter"),
    b(&[DOWN, TAB], SignInKey::Next, "key.next_field"),
    b(&[UP, BACKTAB], SignInKey::Prev, "key.prev_field"),
    b(&[ESC], SignInKey::Clear, "key.clear_fields"),
];

/// The keys here that messages name (`{key_…}`).
pub const KEY_NAMES: crate::tui::key_names::Names =
    &[("key_sign_in", || keymap::label_of(KEYS, SignInKey::Enter))];

/// State of the sign-in screen.
pub struct SignIn {
    staff_no: Field,
    password: Field,
    focus: usize,
    /// What the last attempt gave, or a note from the previous session.
    notice: Option<Notice>,
}

impl Default for SignIn {
    fn default() -> Self {
        let mut s = SignIn {
            staff_no: Field::new("signin.staff_no", 20),
            password: Field::new("signin.password", 128).secret(),
            focus: 0,
            notice: None,
        };
        s.refocus();
        s
    }
}

impl SignIn {
    /// A fresh screen with a note on top ("signed out", "switch clerk").
    pub fn with_notice(notice: Notice) -> SignIn {
        SignIn {
            notice: Some(notice),
            ..SignIn::default()
        }
    }

    fn refocus(&mut self) {
        self.staff_no.set_focus(self.focus == 0);
        self.password.set_focus(self.focus == 1);
    }

    fn field(&mut self) -> &mut Field {
        if self.focus == 0 {
            &mut self.staff_no
        } else {
            &mut self.password
        }
    }

    fn run(&mut self, cmd: SignInKey, desk: &mut Desk) -> Flow {
        match cmd {
            SignInKey::Enter if self.focus == 0 => {
                if self.staff_no.text().trim().is_empty() {
                    self.notice = Some(Notice::refusal(msg!("signin.staff_no_empty")));
                } else {
                    self.focus = 1;
                }
            }
            SignInKey::Enter => {
                match desk.sign_in(self.staff_no.text().trim(), &self.password.text()) {
                    Ok(session) => {
                        let role = session.role().name();
                        let welcome =
                            msg!("signin.welcome", name = session.name()).part("role", role);
                        // First-question owners see at once what of theirs is due.
                        let escalated = if session.role().supervises() {
                            desk.complaints_due().unwrap_or(0)
                        } else {
                            0
                        };
                        let notice = match desk.my_due(&session) {
                            _ if escalated > 0 => Notice::warning(
                                msg!("case.escalated", n = escalated).part("welcome", welcome),
                            ),
                            Ok((overdue, today)) if overdue + today > 0 => Notice::warning(
                                msg!("case.sign_in_due", overdue = overdue, today = today)
                                    .part("welcome", welcome),
                            ),
                            _ => Notice::done(welcome),
                        };
                        // A duty manager also hears of cases whose owner left.
                        let orphaned = if session.role().supervises() {
                            desk.read().orphaned_cases().unwrap_or(0)
                        } else {
                            0
                        };
                        let notice = if orphaned > 0 {
                            Notice::warning(
                                msg!("case.orphaned", n = orphaned).part("before", notice.msg),
                            )
                        } else {
                            notice
                        };
                        return Flow::Go(Nav::SignedIn(session, notice));
                    }
                    // The staff number stays; the password is typed again.
                    Err(e) => {
                        self.password.clear();
                        self.focus = match e.input() {
                            Some(Input::StaffNo) => 0,
                            _ => 1,
                        };
                        self.notice = Some(e.notice());
                    }
                }
            }
            SignInKey::Next | SignInKey::Prev => self.focus = 1 - self.focus,
            SignInKey::Clear => {
                self.staff_no.clear();
                self.password.clear();
                self.focus = 0;
                self.notice = None;
            }
        }
        self.refocus();
        Flow::Used
    }
}

impl View for SignIn {
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        crate::tui::notice::refusal(&self.notice)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        if let Some(cmd) = keymap::lookup(KEYS, key) {
            return self.run(cmd, desk);
        }
        if self.field().input(key) {
            Flow::Used
        } else {
            Flow::Unused
        }
    }

    fn on_paste(&mut self, pasted: &str, _desk: &mut Desk) {
        // A refused paste says so beside the field; nothing typed is lost.
        let _ = self.field().paste(pasted);
    }

    fn keys(&self) -> Keys {
        Keys::all(KEYS)
    }

    fn help_title(&self) -> &'static str {
        "help.screen_sign_in"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let w = 64.min(area.width);
        // A lockout says until when and what to do: it wraps, never cut,
        // and the card grows to hold it.
        let lines = self
            .notice
            .as_ref()
            .map(|n| notice::lines(n, w.saturating_sub(2), lang, 4))
            .unwrap_or_default();
        let n = (lines.len() as u16).max(1);
        let h = (11 + n).min(area.height);
        let card = Rect {
            x: area.x + (area.width - w) / 2,
            y: area.y + (area.height - h) / 3,
            width: w,
            height: h,
        };
        Clear.render(card, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(
                format!(" {} ", t("signin.title", lang)),
                theme::title(),
            ))
            .title_alignment(Alignment::Center);
        let inner = block.inner(card);
        block.render(card, buf);
        let row = |y: u16, height: u16| Rect {
            y: inner.y + y,
            height: height.min(inner.height.saturating_sub(y)),
            ..inner
        };
        let field = |y: u16| Rect {
            x: inner.x + 2,
            width: inner.width.saturating_sub(4),
            ..row(y, 1)
        };
        let hall = match lang {
            crate::domain::msg::Lang::Zh => ctx.config.hall.name.clone(),
            crate::domain::msg::Lang::En => ctx.config.hall.name_en.clone(),
        };
        let window = text(
            &msg!("header.window", window = ctx.config.hall.window),
            lang,
        );
        Paragraph::new(Line::from(vec![
            Span::raw(hall),
            Span::styled(format!("  {window}"), theme::dim()),
        ]))
        .alignment(Alignment::Center)
        .render(row(0, 1), buf);
        self.staff_no.render(field(2), buf, lang, 14);
        self.password.render(field(3), buf, lang, 14);
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .render(row(5, n), buf);
        Paragraph::new(Span::styled(t("signin.hint", lang), theme::dim()))
            .alignment(Alignment::Center)
            .render(row(5 + n, 1), buf);
    }
}
