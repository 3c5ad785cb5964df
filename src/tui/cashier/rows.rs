//! The cashier's way of drawing a form: a label column sixteen wide, the
//! field after it, the focused label lit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::msg::Lang;
use crate::tui::form::Form;
use crate::tui::theme;

const LABEL: u16 = 16;

/// Draws `form` with `labels` from the top of `area`, `rows` rows a field
/// (two leave room for an error under a field); returns the next free row.
pub(super) fn draw(
    form: &Form,
    labels: &[String],
    area: Rect,
    buf: &mut Buffer,
    lang: Lang,
    rows: u16,
) -> u16 {
    let mut y = area.y;
    for (f, label) in form.fields().iter().zip(labels) {
        if y + 1 >= area.bottom() {
            break;
        }
        let style = if f.focused() {
            theme::focus()
        } else {
            theme::label()
        };
        Paragraph::new(Span::styled(label.clone(), style)).render(
            Rect {
                y,
                height: 1,
                width: LABEL.min(area.width),
                ..area
            },
            buf,
        );
        f.render(
            Rect {
                x: area.x + LABEL,
                y,
                width: area.width.saturating_sub(LABEL),
                height: rows,
            },
            buf,
            lang,
            0,
        );
        y += rows;
    }
    y
}
