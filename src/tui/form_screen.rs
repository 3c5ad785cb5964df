//! A small form typed on a list screen (a visit's verdict, an appeal, a
//! transfer's reason): its keys, what a key does to it, and how it is
//! drawn under its heading below the list.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::msg::Lang;
use crate::tui::form::Form;
use crate::tui::keymap::{self, b, f, Binding, DOWN, ENTER, ESC, TAB, UP};
use crate::tui::text::t;
use crate::tui::theme;

/// Typing into the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    Next,
    Prev,
    /// Record it.
    Save,
    /// Back, nothing recorded.
    Cancel,
}

pub const FORM: &[Binding<FormKey>] = &[
    b(&[TAB, DOWN], FormKey::Next, "key.next_field"),
    b(&[UP], FormKey::Prev, "key.prev_field"),
    b(&[f(2), ENTER], FormKey::Save, "key.save"),
    b(&[ESC], FormKey::Cancel, "key.cancel"),
];

/// What a key asks of the screen once the form has taken its part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The form used it (typing, moving between fields).
    Used,
    /// Save what was typed.
    Save,
    /// Leave the form.
    Cancel,
}

/// A key on the form: Enter moves on until the last field, then saves.
pub fn on_key(form: &mut Form, key: &KeyEvent) -> Step {
    match keymap::lookup(FORM, key) {
        Some(FormKey::Save) if !form.at_last() && key.code == KeyCode::Enter => {
            form.next();
            Step::Used
        }
        Some(FormKey::Save) => Step::Save,
        Some(FormKey::Next) => {
            form.next();
            Step::Used
        }
        Some(FormKey::Prev) => {
            form.prev();
            Step::Used
        }
        Some(FormKey::Cancel) => Step::Cancel,
        None => {
            form.input(key);
            Step::Used
        }
    }
}

/// Draws the form with its heading below `used` lines of the list.
pub fn draw(form: &Form, head: &'static str, inner: Rect, used: u16, buf: &mut Buffer, lang: Lang) {
    let y = (inner.y + used + 1).min(inner.bottom().saturating_sub(6));
    Paragraph::new(Line::styled(t(head, lang), theme::focus())).render(
        Rect {
            y,
            height: 1,
            ..inner
        },
        buf,
    );
    form.draw(
        Rect {
            y: y + 1,
            height: 5.min(inner.bottom().saturating_sub(y + 1)),
            ..inner
        },
        buf,
        lang,
        16,
        2,
    );
}
