//! The application's fields, typed with validation per field kind. Enter
//! checks the field and moves on; on the last field it goes to disclosure.

use std::collections::BTreeMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::field_value;
use crate::domain::form::{FieldKind, Form};
use crate::domain::msg::{Lang, Msg};
use crate::tui::field::Field;
use crate::tui::text::t;
use crate::tui::theme;

/// The field inputs of one form.
pub struct Fields {
    /// One input per form field, in form order.
    pub inputs: Vec<Field>,
    /// Form field ids, parallel to `inputs`.
    pub ids: Vec<String>,
    /// Which input has the cursor.
    pub focus: usize,
}

impl Fields {
    /// Inputs for `form`, filled from `typed` (a draft) or the field defaults.
    pub fn new(form: &Form, typed: &BTreeMap<String, String>) -> Fields {
        let mut inputs = Vec::new();
        let mut ids = Vec::new();
        for f in &form.fields {
            // Labels are the form's own text, not catalogue keys; the input
            // shows them through `label_text`.
            let max = f
                .max_len
                .map(|m| m as usize)
                .unwrap_or(field_value::TEXT_MAX)
                .min(field_value::TEXT_MAX);
            let mut input = Field::new("acceptance.field", max);
            if matches!(f.kind, FieldKind::Text | FieldKind::Address) {
                input = input.free_text();
            }
            let default = f.default.clone().map(|d| match f.kind {
                // A choice shows its number, as the clerk would type it.
                FieldKind::Choice => f
                    .choices
                    .iter()
                    .position(|c| c.id == d)
                    .map(|i| (i + 1).to_string())
                    .unwrap_or(d),
                _ => d,
            });
            let start = typed.get(&f.id).cloned().or(default).unwrap_or_default();
            input.set_text(&start);
            inputs.push(input);
            ids.push(f.id.clone());
        }
        let mut s = Fields {
            inputs,
            ids,
            focus: 0,
        };
        s.refocus();
        s
    }

    /// Sets the cursor on the current input only.
    pub fn refocus(&mut self) {
        for (i, f) in self.inputs.iter_mut().enumerate() {
            f.set_focus(i == self.focus);
        }
    }

    /// Offers a key to the focused input; true if it used it.
    pub fn input(&mut self, key: &crossterm::event::KeyEvent) -> bool {
        let i = self.focus;
        self.inputs.get_mut(i).is_some_and(|f| f.input(key))
    }

    /// Pasted text into the focused input.
    pub fn paste(&mut self, pasted: &str) {
        let i = self.focus;
        if let Some(f) = self.inputs.get_mut(i) {
            let _ = f.paste(pasted);
        }
    }

    /// What is typed, by field id.
    pub fn typed(&self) -> BTreeMap<String, String> {
        self.ids
            .iter()
            .cloned()
            .zip(self.inputs.iter().map(Field::text))
            .collect()
    }

    /// Checks the focused field; true when it is fine.
    pub fn check_focused(&mut self, form: &Form) -> bool {
        let Some(def) = form.fields.get(self.focus) else {
            return true;
        };
        let input = &mut self.inputs[self.focus];
        match field_value::validate(def, &input.text()) {
            Ok(_) => {
                input.error = None;
                true
            }
            Err(m) => {
                input.error = Some(m);
                false
            }
        }
    }

    /// Shows errors from a whole-form check and moves to the first.
    pub fn show_errors(&mut self, errors: &BTreeMap<String, Msg>) {
        let mut first = None;
        for (i, id) in self.ids.iter().enumerate() {
            self.inputs[i].error = errors.get(id).cloned();
            if first.is_none() && self.inputs[i].error.is_some() {
                first = Some(i);
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
        self.refocus();
    }

    /// Draws label, input, choices or help, and error per field.
    pub fn render(&self, form: &Form, area: Rect, buf: &mut Buffer, lang: Lang) {
        let mut y = area.y;
        for (i, (input, def)) in self.inputs.iter().zip(&form.fields).enumerate() {
            if y + 1 >= area.bottom() {
                break;
            }
            let mark = if def.required { "*" } else { " " };
            let label = format!("{mark}{}", def.label.get(lang));
            let width = form
                .fields
                .iter()
                .map(|f| unicode_width::UnicodeWidthStr::width(f.label.get(lang)) as u16 + 3)
                .max()
                .unwrap_or(16)
                .clamp(12, 30);
            let style = if i == self.focus {
                theme::focus()
            } else {
                theme::label()
            };
            Paragraph::new(Span::styled(label, style)).render(
                Rect {
                    y,
                    height: 1,
                    width: width.min(area.width),
                    ..area
                },
                buf,
            );
            let mut shadow = Rect {
                y,
                height: 2,
                ..area
            };
            shadow.x += width;
            shadow.width = shadow.width.saturating_sub(width);
            input.render(shadow, buf, lang, 0);
            if let Some(label) = chosen_label(def, &input.text(), lang) {
                // A choice shows what its number means, focused or not.
                let typed = unicode_width::UnicodeWidthStr::width(input.text().as_str()) as u16;
                let x = shadow.x + (typed + 2).min(input.box_width(shadow.width, 0));
                if input.error.is_none() && x < shadow.right() {
                    Paragraph::new(Span::styled(label, theme::dim())).render(
                        Rect {
                            x,
                            y,
                            width: shadow.right() - x,
                            height: 1,
                        },
                        buf,
                    );
                }
            }
            let hint = if def.kind == FieldKind::Choice {
                def.choices
                    .iter()
                    .enumerate()
                    .map(|(n, c)| format!("{} {}", n + 1, c.label.get(lang)))
                    .collect::<Vec<_>>()
                    .join("  ")
            } else {
                def.help
                    .as_ref()
                    .map(|h| h.get(lang).to_string())
                    .unwrap_or_default()
            };
            if input.error.is_none() && !hint.is_empty() && i == self.focus {
                Paragraph::new(Line::from(Span::styled(hint, theme::dim()))).render(
                    Rect {
                        x: area.x + 2,
                        y: y + 1,
                        width: area.width.saturating_sub(2),
                        height: 1,
                    },
                    buf,
                );
            }
            y += 2;
        }
        if y < area.bottom() {
            Paragraph::new(Span::styled(
                t("acceptance.fields_hint", lang),
                theme::dim(),
            ))
            .render(
                Rect {
                    y,
                    height: 1,
                    ..area
                },
                buf,
            );
        }
    }
}

/// The label of the choice a choice field's text picks (by number, id or
/// label), if it picks one.
fn chosen_label(def: &crate::domain::form::Field, typed: &str, lang: Lang) -> Option<String> {
    if def.kind != FieldKind::Choice {
        return None;
    }
    let typed = typed.trim();
    let by_number = typed
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| def.choices.get(i));
    by_number
        .or_else(|| {
            def.choices
                .iter()
                .find(|c| c.id == typed || c.label.zh == typed || c.label.en == typed)
        })
        .map(|c| format!("= {}", c.label.get(lang)))
}
