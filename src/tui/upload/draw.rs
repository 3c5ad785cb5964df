//! Drawing the upload screen: the link's state, then one line per record.
//! Reads state only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::Upload;
use crate::domain::money::Fen;
use crate::domain::states::OutboxState;
use crate::msg;
use crate::tui::frame::link_summary;
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;
use crate::tui::wrap::wrap;

/// Draws the whole screen.
pub(super) fn screen(s: &Upload, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let title = t("upload.title", lang);
    let inner = crate::tui::frame::titled_box(area, buf, &title, Style::default());
    let mut lines = vec![Line::from(link_summary(ctx, true))];
    if let Some(p) = ctx.link.as_ref().and_then(|l| l.problem.as_ref()) {
        lines.push(Line::styled(text(p, lang), theme::warn()));
    }
    lines.push(Line::from(""));
    // What HQ sent that could not be applied: held here, never dropped.
    if s.feed_held.1 > 0 {
        let head = msg!("upload.feed_held", n = s.feed_held.1);
        lines.push(Line::styled(text(&head, lang), theme::warn()));
        for h in &s.feed_held.0 {
            let why = text(&h.reason.msg(), lang);
            for l in wrap(
                &format!("  #{} {}: {why}", h.hq_seq, h.kind),
                inner.width,
                lang,
            ) {
                lines.push(Line::styled(l, theme::warn()));
            }
        }
        lines.push(Line::from(""));
    }
    if s.rows.is_empty() {
        lines.push(Line::from(t("upload.nothing", lang)));
    }
    let visible = inner.height.saturating_sub(lines.len() as u16 + 2) as usize;
    let first = s.cursor.saturating_sub(visible.saturating_sub(1));
    for (i, r) in s.rows.iter().enumerate().skip(first).take(visible) {
        let here = i == s.cursor;
        let (key, style) = match r.state {
            OutboxState::Quarantined => ("upload.state_quarantined", theme::warn()),
            OutboxState::Forked => ("upload.state_forked", theme::error()),
            OutboxState::Waiting | OutboxState::Acknowledged => {
                ("upload.state_waiting", Style::default())
            }
        };
        let state = t(key, lang);
        let when = crate::store::stamp::parse_ts(&r.at)
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        let mut spans = vec![
            Span::styled(if here { "▶ " } else { "  " }, theme::focus()),
            Span::styled(format!("{state:<6} "), style),
            Span::raw(format!(
                "{:>6} {when}  {:<22} {:>12}",
                r.seq,
                r.kind,
                Fen(r.amount_fen).to_string()
            )),
        ];
        if r.verdict.is_some() {
            spans.push(Span::styled("  ⚠", theme::warn()));
        }
        lines.push(Line::from(spans));
    }
    // HQ's reason for the selected record, whole.
    if let Some(v) = s.rows.get(s.cursor).and_then(|r| r.verdict.as_ref()) {
        lines.push(Line::from(""));
        let why = text(&msg!("upload.verdict", reason = v), lang);
        for l in wrap(&why, inner.width, lang) {
            lines.push(Line::styled(l, theme::warn()));
        }
    }
    Paragraph::new(lines).render(inner, buf);
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
