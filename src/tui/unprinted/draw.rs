//! Drawing the unprinted-slips screen: what it is, one line per record,
//! the reason being typed. Reads state only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::UnprintedSlips;
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;
use crate::tui::wrap::wrap;

/// Draws the whole screen.
pub(super) fn screen(s: &UnprintedSlips, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let title = t("unprinted.title", lang);
    let inner = crate::tui::frame::titled_box(area, buf, &title, theme::warn());
    let mut lines: Vec<Line> = wrap(&t("unprinted.explain", lang), inner.width, lang)
        .into_iter()
        .map(|l| Line::styled(l, theme::warn()))
        .collect();
    lines.push(Line::from(""));
    if s.items.is_empty() {
        lines.push(Line::styled(t("unprinted.all_done", lang), theme::ok()));
    }
    let reason_rows = if s.reason().is_some() { 3 } else { 0 };
    let visible = inner
        .height
        .saturating_sub(lines.len() as u16 + 2 + reason_rows) as usize;
    let first = s.cursor.saturating_sub(visible.saturating_sub(1));
    for (i, item) in s.items.iter().enumerate().skip(first).take(visible) {
        let here = i == s.cursor;
        let style = if here {
            theme::focus()
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(if here { "▶ " } else { "  " }, theme::focus()),
            Span::styled(text(&item.line(s.today), lang), style),
        ]));
    }
    let used = lines.len() as u16;
    Paragraph::new(lines).render(inner, buf);
    if let Some(form) = s.reason() {
        let at = Rect {
            y: (inner.y + used + 1).min(inner.bottom().saturating_sub(reason_rows)),
            height: reason_rows.min(inner.height),
            ..inner
        };
        form.draw(at, buf, lang, 16, 2);
    }
    if let Some(n) = &s.notice {
        let y = inner.bottom().saturating_sub(2);
        let at = Rect {
            y,
            height: 2,
            ..inner
        };
        notice::draw_top(Some(n), at, buf, lang, 2);
    }
}
