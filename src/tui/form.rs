//! A column of labelled fields with one cursor: the registration, the duty
//! manager's sign-off, the cashier's forms, the hand-over. A refusal about
//! one input (the desk names it) shows beside that field and puts the
//! cursor there; what was typed stays.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::desk::DeskError;
use crate::domain::msg::{Input, Lang};
use crate::tui::field::Field;

/// The fields of a form and which has the cursor.
pub struct Form {
    fields: Vec<Field>,
    inputs: Vec<Option<Input>>,
    // Fields that show only once the desk asks for them (a passport's
    // Latin name when the name cannot be printed).
    hidden: Vec<bool>,
    focus: usize,
    active: bool,
}

impl Form {
    /// A form of `fields`, each with the input the desk calls it, if any.
    pub fn new(fields: Vec<(Field, Option<Input>)>) -> Form {
        let (fields, inputs): (Vec<Field>, Vec<Option<Input>>) = fields.into_iter().unzip();
        let mut f = Form {
            hidden: vec![false; fields.len()],
            fields,
            inputs,
            focus: 0,
            active: true,
        };
        f.refocus();
        f
    }

    fn refocus(&mut self) {
        let (focus, active) = (self.focus, self.active);
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.set_focus(active && i == focus);
        }
    }

    /// Shows or hides the cursor (a form on screen that does not have the keys).
    pub fn set_active(&mut self, on: bool) {
        self.active = on;
        self.refocus();
    }

    /// How many fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the form has no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The text of field `i`, as typed.
    pub fn text(&self, i: usize) -> String {
        self.fields.get(i).map(Field::text).unwrap_or_default()
    }

    /// The text of field `i`, without the spaces around it.
    pub fn trimmed(&self, i: usize) -> String {
        self.text(i).trim().to_string()
    }

    /// Field `i`, to change it.
    pub fn field_mut(&mut self, i: usize) -> Option<&mut Field> {
        self.fields.get_mut(i)
    }

    /// The fields, for drawing.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// Which field has the cursor.
    pub fn focus(&self) -> usize {
        self.focus
    }

    /// Puts the cursor on field `i`.
    pub fn focus_on(&mut self, i: usize) {
        self.focus = i.min(self.fields.len().saturating_sub(1));
        self.refocus();
    }

    /// Hides field `i` until the desk asks for it (a refusal naming its
    /// input shows it), or shows it again.
    pub fn set_hidden(&mut self, i: usize, hidden: bool) {
        if let Some(h) = self.hidden.get_mut(i) {
            *h = hidden;
        }
    }

    /// Whether field `i` is shown.
    pub fn shown(&self, i: usize) -> bool {
        !self.hidden.get(i).copied().unwrap_or(true)
    }

    /// Whether the cursor is on the last field shown.
    pub fn at_last(&self) -> bool {
        !(self.focus + 1..self.fields.len()).any(|i| self.shown(i))
    }

    /// The cursor to the next field shown, round to the first.
    pub fn next(&mut self) {
        let n = self.fields.len().max(1);
        let next = (1..=n)
            .map(|k| (self.focus + k) % n)
            .find(|&i| self.shown(i));
        self.focus_on(next.unwrap_or(0));
    }

    /// The cursor to the previous field shown, round to the last.
    pub fn prev(&mut self) {
        let n = self.fields.len().max(1);
        let prev = (1..=n)
            .map(|k| (self.focus + n - k) % n)
            .find(|&i| self.shown(i));
        self.focus_on(prev.unwrap_or(0));
    }

    /// Offers a key to the focused field; true if it used it.
    pub fn input(&mut self, key: &KeyEvent) -> bool {
        let i = self.focus;
        self.fields.get_mut(i).is_some_and(|f| f.input(key))
    }

    /// Pasted text into the focused field (a paste too long is refused
    /// beside the field, the field as it was).
    pub fn paste(&mut self, text: &str) {
        let i = self.focus;
        if let Some(f) = self.fields.get_mut(i) {
            let _ = f.paste(text);
        }
    }

    /// Empties every field, cursor to the first.
    pub fn clear(&mut self) {
        for f in &mut self.fields {
            f.clear();
        }
        self.focus_on(0);
    }

    /// Empties the fields that hide what is typed (passwords: typed again).
    pub fn clear_secrets(&mut self) {
        for f in &mut self.fields {
            if f.clears_on_refusal() {
                f.clear();
            }
        }
    }

    /// Field `i` of `input`, if the form has one.
    pub fn index_of(&self, input: Input) -> Option<usize> {
        self.inputs.iter().position(|i| *i == Some(input))
    }

    /// A refusal: beside its field with the cursor there when the desk
    /// names one this form has (true), else left to the screen (false).
    /// Passwords are cleared either way.
    pub fn refused(&mut self, e: &DeskError) -> bool {
        self.clear_secrets();
        let Some(i) = e.input().and_then(|input| self.index_of(input)) else {
            return false;
        };
        if let Some(f) = self.fields.get_mut(i) {
            f.error = Some(e.msg().clone());
        }
        self.set_hidden(i, false);
        self.focus_on(i);
        true
    }

    /// A refusal shown elsewhere (the screen's notice): the cursor goes to
    /// the field it names; passwords are cleared, and when it is about the
    /// duty manager's credentials their staff number too, so they type
    /// both afresh. True when the form has the field.
    pub fn point_at(&mut self, e: &DeskError) -> bool {
        self.clear_secrets();
        let Some(input) = e.input() else {
            return false;
        };
        let input = match input {
            Input::Password => Input::StaffNo,
            other => other,
        };
        let Some(i) = self.index_of(input) else {
            return false;
        };
        if input == Input::StaffNo {
            if let Some(f) = self.fields.get_mut(i) {
                f.clear();
            }
        }
        self.focus_on(i);
        true
    }

    /// Draws the fields one under the other, `rows` rows each (two leave
    /// room for an error that does not fit beside the field); returns the
    /// rows used.
    pub fn draw(
        &self,
        area: Rect,
        buf: &mut Buffer,
        lang: Lang,
        label_width: u16,
        rows: u16,
    ) -> u16 {
        let mut y = area.y;
        for (i, f) in self.fields.iter().enumerate() {
            if !self.shown(i) {
                continue;
            }
            if y >= area.bottom() {
                break;
            }
            let height = rows.min(area.bottom() - y);
            f.render(Rect { y, height, ..area }, buf, lang, label_width);
            y += rows;
        }
        y.min(area.bottom()) - area.y
    }
}
