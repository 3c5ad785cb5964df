//! Drawing a notice: its tone gives the colour, long text wraps instead of
//! being cut at the box's edge.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::domain::msg::{Lang, Notice, Tone};
use crate::tui::text::text;
use crate::tui::theme;
use crate::tui::wrap::wrap;

/// The refusal a screen's notice shows, if it is one (what the practice
/// lab records as a refusal met).
pub fn refusal(n: &Option<Notice>) -> Option<crate::domain::msg::Msg> {
    n.as_ref()
        .filter(|n| n.tone == Tone::Refusal)
        .map(|n| n.msg.clone())
}

/// The style of a tone.
pub fn style(tone: Tone) -> Style {
    match tone {
        Tone::Done => theme::ok(),
        Tone::Warning => theme::warn(),
        Tone::Refusal => theme::error(),
        Tone::Info => theme::dim(),
    }
}

/// The notice as lines at most `width` wide, at most `max` of them.
pub fn lines(n: &Notice, width: u16, lang: Lang, max: usize) -> Vec<Line<'static>> {
    let style = style(n.tone);
    wrap(&text(&n.msg, lang), width, lang)
        .into_iter()
        .take(max)
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

/// Draws the notice at the bottom of `area`, wrapped to at most `max`
/// rows, over whatever is there; returns the rows it took.
pub fn draw_bottom(
    n: Option<&Notice>,
    area: Rect,
    buf: &mut Buffer,
    lang: Lang,
    max: usize,
) -> u16 {
    let Some(n) = n else { return 0 };
    let lines = lines(n, area.width, lang, max.min(area.height as usize));
    let rows = lines.len() as u16;
    let spot = Rect {
        y: area.bottom().saturating_sub(rows),
        height: rows,
        ..area
    };
    Clear.render(spot, buf);
    Paragraph::new(lines).render(spot, buf);
    rows
}

/// Draws the notice from the top of `area` down, wrapped; returns the rows it took.
pub fn draw_top(n: Option<&Notice>, area: Rect, buf: &mut Buffer, lang: Lang, max: usize) -> u16 {
    let Some(n) = n else { return 0 };
    let lines = lines(n, area.width, lang, max.min(area.height as usize));
    let rows = lines.len() as u16;
    Paragraph::new(lines).render(
        Rect {
            height: rows,
            ..area
        },
        buf,
    );
    rows
}
