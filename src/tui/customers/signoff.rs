//! The duty manager's sign-off of a suspicious ID, on the spot: their own
//! staff number and password, and the reason.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::desk::Credentials;
use crate::domain::msg::{Input, Lang, Msg, Notice};
use crate::msg;
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::keymap::{self, b, Binding, BACKTAB, DOWN, ENTER, ESC, TAB, UP};
use crate::tui::notice;
use crate::tui::popup::{centred, frame};
use crate::tui::text::{t, text};
use crate::tui::theme;
use crate::tui::wrap::wrap;

/// The sign-off popup's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOffKey {
    /// Next field, or sign off from the last.
    Enter,
    Next,
    /// Previous field.
    Prev,
    /// Close without signing off.
    Cancel,
}

pub const KEYS: &[Binding<SignOffKey>] = &[
    b(&[ENTER], SignOffKey::Enter, "key.next_or_confirm"),
    b(&[DOWN, TAB], SignOffKey::Next, "key.next_field"),
    b(&[UP, BACKTAB], SignOffKey::Prev, "key.prev_field"),
    b(&[ESC], SignOffKey::Cancel, "key.cancel"),
];

/// What the popup asks of its screen.
pub enum Asked {
    /// Nothing yet.
    Nothing,
    Close,
    /// Sign off with these credentials and reason.
    SignOff(Credentials, String),
}

/// The popup: what is being signed off, and the duty manager's form.
pub struct SignOffPopup {
    form: Form,
    about: Msg,
    /// Why the last attempt was refused (when not about one field).
    pub notice: Option<Notice>,
}

impl SignOffPopup {
    /// A sign-off of `about` (the reason the ID is suspicious).
    pub fn new(about: Msg) -> SignOffPopup {
        SignOffPopup {
            form: Form::new(vec![
                (Field::new("signoff.staff_no", 20), Some(Input::StaffNo)),
                (
                    Field::new("signoff.password", 128).secret(),
                    Some(Input::Password),
                ),
                (
                    Field::new("signoff.reason", 200).lines(),
                    Some(Input::Reason),
                ),
            ]),
            about,
            notice: None,
        }
    }

    /// Handles a key.
    pub fn on_key(&mut self, key: &KeyEvent) -> Asked {
        let Some(cmd) = keymap::lookup(KEYS, key) else {
            self.form.input(key);
            return Asked::Nothing;
        };
        match cmd {
            SignOffKey::Cancel => return Asked::Close,
            SignOffKey::Next => self.form.next(),
            SignOffKey::Prev => self.form.prev(),
            SignOffKey::Enter if !self.form.at_last() => self.form.next(),
            SignOffKey::Enter => {
                let reason = self.form.trimmed(2);
                if reason.is_empty() {
                    if let Some(f) = self.form.field_mut(2) {
                        f.error = Some(msg!("customer.signoff_reason_empty"));
                    }
                    return Asked::Nothing;
                }
                let who = Credentials::new(self.form.trimmed(0), self.form.text(1));
                return Asked::SignOff(who, reason);
            }
        }
        Asked::Nothing
    }

    /// Pasted text into the focused field.
    pub fn on_paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    /// The attempt was refused: said under the form; the password is typed
    /// again, the staff number and the reason stay.
    pub fn refused(&mut self, e: &crate::desk::DeskError) {
        self.form.clear_secrets();
        self.form.focus_on(1);
        self.notice = Some(e.notice());
    }

    /// Draws the popup centred on `area`.
    pub fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let inner = frame(centred(area, 76, 16), buf, t("signoff.title", lang));
        let about: Vec<Line> = wrap(&text(&self.about, lang), inner.width, lang)
            .into_iter()
            .take(4)
            .map(|l| Line::from(Span::styled(l, theme::warn())))
            .collect();
        Paragraph::new(about).render(
            Rect {
                height: 4.min(inner.height),
                ..inner
            },
            buf,
        );
        let fields = Rect {
            y: inner.y + 5,
            height: inner.height.saturating_sub(5),
            ..inner
        };
        let used = self.form.draw(fields, buf, lang, 12, 2);
        let rest = Rect {
            y: fields.y + used,
            height: fields.height.saturating_sub(used),
            ..fields
        };
        notice::draw_top(self.notice.as_ref(), rest, buf, lang, 2);
    }
}
