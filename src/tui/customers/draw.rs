//! Drawing the customers screen: the ID with its live check, then the card,
//! the registration form or what the look-up said. Reads state only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::card::{person_line, render_card};
use super::{Customers, Mode, Outcome};
use crate::domain::id::{self, Verdict};
use crate::domain::msg::Lang;
use crate::msg;
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;
use crate::tui::wrap::wrap;

/// Draws the whole screen.
pub(super) fn screen(c: &Customers, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let [top, body] = Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(area);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", t("customers.title", lang)),
        theme::title(),
    ));
    let inner = block.inner(top);
    block.render(top, buf);
    c.id.render(Rect { height: 1, ..inner }, buf, lang, 12);
    let live_row = Rect {
        y: inner.y + 1,
        height: 1,
        ..inner
    };
    Paragraph::new(live_line(c, lang)).render(live_row, buf);
    match c.mode {
        Mode::Register => register(c, body, buf, ctx),
        Mode::Lookup => outcome(c, body, buf, ctx),
    }
}

fn live_line(c: &Customers, lang: Lang) -> Line<'static> {
    if let Some(n) = &c.notice {
        return Line::from(Span::styled(text(&n.msg, lang), notice::style(n.tone)));
    }
    let Some(check) = c.live.as_ref().filter(|_| c.outcome == Outcome::Empty) else {
        return Line::from(Span::styled(t("customers.id_hint", lang), theme::dim()));
    };
    let kind = check
        .kind
        .map(|k| text(&k.name_msg(), lang))
        .unwrap_or_default();
    match &check.verdict {
        Verdict::Valid => Line::from(vec![
            Span::styled("✓ ", theme::ok()),
            Span::styled(kind, theme::ok()),
            Span::styled(format!("  {}", person_line(check, lang)), theme::dim()),
        ]),
        Verdict::Suspicious(r) => Line::from(Span::styled(
            format!("! {}", text(&r.msg(), lang)),
            theme::warn(),
        )),
        Verdict::Invalid(r) => Line::from(Span::styled(
            format!("✗ {}", text(&r.msg(), lang)),
            theme::dim(),
        )),
    }
}

fn pad(r: Rect) -> Rect {
    Rect {
        x: r.x + 1,
        width: r.width.saturating_sub(2),
        ..r
    }
}

fn outcome(c: &Customers, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let area = pad(area);
    let (title, body, hint) = match &c.outcome {
        Outcome::Found(card) => return render_card(card, &c.drafts, area, buf, ctx),
        Outcome::Empty => {
            let mut body = t("customers.empty_hint", lang);
            for d in &c.drafts {
                body.push('\n');
                body.push_str(&text(
                    &msg!(
                        "customers.draft_any",
                        customer = d.customer,
                        business = ctx.form_name(&d.form_code),
                        saved = d.saved
                    ),
                    lang,
                ));
            }
            (None, body, None)
        }
        Outcome::Invalid(m) => (
            Some(Span::styled(t("customers.invalid", lang), theme::error())),
            text(m, lang),
            Some("customers.correct_hint"),
        ),
        Outcome::Failed(m) => (
            Some(Span::styled(t("customers.failed", lang), theme::error())),
            text(m, lang),
            None,
        ),
        Outcome::NeedsSignOff(m) => (
            Some(Span::styled(t("customers.suspicious", lang), theme::warn())),
            text(m, lang),
            Some("customers.signoff_hint"),
        ),
    };
    let style = if title.is_some() {
        Style::default()
    } else {
        theme::dim()
    };
    let mut lines = vec![title.map(Line::from).unwrap_or_default()];
    lines.extend(
        wrap(&body, area.width, lang)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, style))),
    );
    if let Some(h) = hint {
        lines.extend(
            wrap(&t(h, lang), area.width, lang)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme::dim()))),
        );
    }
    for m in &c.unreadable {
        lines.extend(
            wrap(&text(m, lang), area.width, lang)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme::error()))),
        );
    }
    Paragraph::new(lines).render(area, buf);
}

fn register(c: &Customers, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", t("customers.register_title", lang)),
        theme::title(),
    ));
    let inner = pad(block.inner(area));
    block.render(area, buf);
    let mut lines = Vec::new();
    if let Some(check) = &c.registering {
        let kind = check
            .kind
            .map(|k| text(&k.name_msg(), lang))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", t("customers.id", lang)), theme::label()),
            Span::raw(id::mask(&check.normalized)),
            Span::styled(
                format!("  {kind}  {}", person_line(check, lang)),
                theme::dim(),
            ),
        ]));
    }
    if let Some(s) = &c.signoff {
        let line = msg!(
            "customers.signoff_line",
            name = s.by().name(),
            staff_no = s.by().staff_no(),
            reason = s.reason()
        );
        lines.push(Line::from(Span::styled(text(&line, lang), theme::warn())));
    }
    let n = lines.len() as u16;
    Paragraph::new(lines).render(
        Rect {
            height: n.min(inner.height),
            ..inner
        },
        buf,
    );
    // Two rows per field: the input, and below it any error that does not fit beside it.
    let fields = Rect {
        y: inner.y + n + 1,
        height: inner.height.saturating_sub(n + 1),
        ..inner
    };
    let used = c.register.draw(fields, buf, lang, 12, 2);
    let y = fields.y + used;
    if y < inner.bottom() {
        Paragraph::new(Span::styled(
            t("customers.register_hint", lang),
            theme::dim(),
        ))
        .wrap(Wrap { trim: false })
        .render(
            Rect {
                y,
                height: inner.bottom() - y,
                ..inner
            },
            buf,
        );
    }
}
