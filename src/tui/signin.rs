//! The sign-in screen: staff number and password.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::domain::msg::Msg;
use crate::i18n;
use crate::tui::field::Field;
use crate::tui::keymap::{self, Binding, Cmd};
use crate::tui::{theme, Action, Ctx};

/// State of the sign-in screen.
pub struct SignIn {
    staff_no: Field,
    password: Field,
    focus: usize,
    /// Why the last attempt failed.
    pub error: Option<Msg>,
    /// A note from the previous session ("signed out", "switch clerk").
    pub notice: Option<Msg>,
}

impl Default for SignIn {
    fn default() -> Self {
        let mut s = SignIn {
            staff_no: Field::new("signin.staff_no", 20),
            password: Field::new("signin.password", 128).secret(),
            focus: 0,
            error: None,
            notice: None,
        };
        s.refocus();
        s
    }
}

impl SignIn {
    /// A fresh screen with a note on top.
    pub fn with_notice(notice: Msg) -> SignIn {
        SignIn {
            notice: Some(notice),
            ..SignIn::default()
        }
    }

    /// The bindings of this screen.
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::SIGN_IN
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

    /// Turns a key into an action; `None` with `true` when consumed here.
    pub fn handle_key(&mut self, key: &KeyEvent) -> (bool, Option<Action>) {
        if let Some(cmd) = keymap::lookup(keymap::SIGN_IN, key, |_| true) {
            return (true, self.command(cmd));
        }
        (self.field().input(key), None)
    }

    /// Pasted text goes into the focused field.
    pub fn paste(&mut self, text: &str) {
        let _ = self.field().paste(text);
    }

    fn command(&mut self, cmd: Cmd) -> Option<Action> {
        match cmd {
            Cmd::Enter if self.focus == 0 => {
                if self.staff_no.text().trim().is_empty() {
                    self.error = Some(crate::msg!("signin.staff_no_empty"));
                } else {
                    self.focus = 1;
                }
            }
            Cmd::Enter => {
                return Some(Action::SignIn {
                    staff_no: self.staff_no.text().trim().to_string(),
                    password: self.password.text(),
                })
            }
            Cmd::Next | Cmd::Prev => self.focus = 1 - self.focus,
            Cmd::Back => {
                self.staff_no.clear();
                self.password.clear();
                self.focus = 0;
                self.error = None;
            }
            _ => {}
        }
        self.refocus();
        None
    }

    /// The attempt failed: keep the staff number, clear the password.
    pub fn failed(&mut self, why: Msg) {
        self.password.clear();
        self.error = Some(why);
        self.notice = None;
        self.focus = 1;
        self.refocus();
    }

    /// Draws the screen.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let w = 64.min(area.width);
        let h = 12.min(area.height);
        let x = area.x + (area.width - w) / 2;
        let y = area.y + (area.height - h) / 3;
        let card = Rect {
            x,
            y,
            width: w,
            height: h,
        };
        Clear.render(card, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(
                format!(" {} ", i18n::t("signin.title", lang)),
                theme::title(),
            ))
            .title_alignment(Alignment::Center);
        let inner = block.inner(card);
        block.render(card, buf);
        let rows = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .split(inner);
        let hall = match lang {
            crate::domain::msg::Lang::Zh => ctx.config.hall.name.clone(),
            crate::domain::msg::Lang::En => ctx.config.hall.name_en.clone(),
        };
        Paragraph::new(Line::from(vec![
            Span::raw(hall),
            Span::styled(
                format!(
                    "  {}",
                    i18n::text(
                        &crate::msg!("header.window", window = ctx.config.hall.window),
                        lang
                    )
                ),
                theme::dim(),
            ),
        ]))
        .alignment(Alignment::Center)
        .render(rows[0], buf);
        let pad = |r: Rect| Rect {
            x: r.x + 2,
            width: r.width.saturating_sub(4),
            ..r
        };
        self.staff_no.render(pad(rows[2]), buf, lang, 14);
        self.password.render(pad(rows[3]), buf, lang, 14);
        if let Some(e) = &self.error {
            Paragraph::new(Span::styled(i18n::text(e, lang), theme::error()))
                .alignment(Alignment::Center)
                .render(rows[5], buf);
        } else if let Some(n) = &self.notice {
            Paragraph::new(Span::styled(i18n::text(n, lang), theme::ok()))
                .alignment(Alignment::Center)
                .render(rows[5], buf);
        }
        Paragraph::new(Span::styled(i18n::t("signin.hint", lang), theme::dim()))
            .alignment(Alignment::Center)
            .render(rows[6], buf);
    }
}
