//! Drawing the queue: the filters, then one line per case with its urgency
//! first. Reads state only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::Queue;
use crate::domain::case::Urgency;
use crate::domain::msg::Lang;
use crate::msg;
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;

use crate::tui::wrap::cell;

fn urgency_style(u: Urgency) -> Style {
    match u {
        Urgency::LateHours(_) | Urgency::Overdue(_) => theme::error(),
        Urgency::DueToday | Urgency::HoursLeft(_) => theme::warn().add_modifier(Modifier::BOLD),
        Urgency::Soon(_) => theme::warn(),
        Urgency::Paused | Urgency::NoDate => theme::dim(),
        Urgency::Later(_) => Style::default(),
    }
}

/// Draws the whole screen.
pub(super) fn screen(q: &Queue, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let inner =
        crate::tui::frame::titled_box(area, buf, &t("case.queue_title", lang), Style::default());
    let owner = if q.mine {
        t("case.queue_mine", lang)
    } else {
        t("case.queue_all", lang)
    };
    let form = q
        .form
        .as_deref()
        .map(|c| ctx.form_name(c))
        .unwrap_or_else(|| t("case.queue_all", lang));
    let state = t(
        match q.paused {
            None => "case.state_any",
            Some(false) => "case.state_running",
            Some(true) => "case.state_paused",
        },
        lang,
    );
    let mut lines = vec![Line::styled(
        text(
            &msg!(
                "case.queue_filters",
                owner = owner,
                form = form,
                state = state
            ),
            lang,
        ),
        theme::label(),
    )];
    if q.rows.iter().any(|r| r.row.owner.2) {
        lines.push(Line::styled(
            format!("⚠ {}", t("case.owner_disabled", lang)),
            theme::warn(),
        ));
    }
    if q.rows.is_empty() {
        lines.push(Line::raw(t("case.queue_empty", lang)));
    }
    if q.rows.len() as i64 >= crate::desk::cases::QUEUE_PAGE {
        // Only the most urgent page is read; filters reach the rest.
        lines.push(Line::styled(
            text(
                &msg!("case.queue_more", n = crate::desk::cases::QUEUE_PAGE),
                lang,
            ),
            theme::dim(),
        ));
    }
    let widths = Widths::of(q, lang);
    if !q.rows.is_empty() {
        lines.push(heading(&widths, lang));
    }
    let notice_rows = if q.notice.is_some() { 2 } else { 0 };
    let visible = inner
        .height
        .saturating_sub(lines.len() as u16 + notice_rows) as usize;
    let first = q.cursor.saturating_sub(visible.saturating_sub(1));
    for (i, r) in q.rows.iter().enumerate().skip(first).take(visible) {
        lines.push(row_line(q, i, r, ctx, lang, &widths));
    }
    Paragraph::new(lines).render(inner, buf);
    if let Some(n) = &q.notice {
        notice::draw_bottom(Some(n), inner, buf, lang, 2);
    }
}

/// The columns' widths: the step column as wide as the longest step
/// name listed (a step name is never cut), the due column wide enough for
/// a time where a deadline is by the hour.
struct Widths {
    /// As wide as the longest ticket listed, so the owner and the
    /// customer manager keep their room.
    ticket: usize,
    step: usize,
    due: usize,
}

impl Widths {
    fn of(q: &Queue, lang: Lang) -> Widths {
        let longest = q
            .rows
            .iter()
            .map(|r| r.row.step_name(lang).width())
            .max()
            .unwrap_or(0);
        let by_hour = q.rows.iter().any(|r| r.row.due_at.is_some());
        let ticket = q
            .rows
            .iter()
            .map(|r| r.row.ticket.width())
            .max()
            .unwrap_or(0);
        Widths {
            ticket: ticket.clamp(8, 21),
            step: longest.clamp(8, 20),
            due: if by_hour { 16 } else { 10 },
        }
    }
}

/// The row of column names above the list.
fn heading(w: &Widths, lang: Lang) -> Line<'static> {
    let h = |key: &'static str| t(key, lang);
    Line::styled(
        format!(
            "{} {} {} {} {} {} {}",
            cell(&h("case.col_urgency"), 15),
            cell(&h("case.col_ticket"), w.ticket),
            cell(&h("case.col_customer"), 11),
            cell(&h("case.col_business"), 12),
            cell(&h("case.col_step"), w.step),
            cell(&h("case.col_due"), w.due),
            h("case.col_owner")
        ),
        theme::label(),
    )
}

/// When a row is due: the date, or the moment where it is due by the hour.
fn due_text(row: &crate::store::case_queue::QueueRow) -> String {
    match (row.due_at, row.due_date) {
        (Some(at), _) => at
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        (None, Some(d)) => d.to_string(),
        (None, None) => "—".into(),
    }
}

fn row_line(
    q: &Queue,
    i: usize,
    r: &crate::desk::cases::Queued,
    ctx: &Ctx,
    lang: Lang,
    widths: &Widths,
) -> Line<'static> {
    let row = &r.row;
    let step = row.step_name(lang);
    let due = due_text(row);
    let tail: String = row
        .id_no
        .chars()
        .skip(row.id_no.chars().count().saturating_sub(4))
        .collect();
    let who = format!(
        "{} …{tail}",
        crate::domain::customer::mask_name(&row.customer)
    );
    // A disabled owner is marked; the line above the list says what it means.
    let mut owner = if row.owner.2 {
        format!("⚠{} {}", row.owner.0, row.owner.1)
    } else {
        format!("{} {}", row.owner.0, row.owner.1)
    };
    // The customer manager guiding the case beside its owner.
    if let Some(m) = &row.manager {
        owner.push_str(&format!("/{m}"));
    }
    let here = i == q.cursor;
    let base = if here {
        theme::focus()
    } else {
        Style::default()
    };
    Line::from(vec![
        Span::styled(
            cell(&text(&r.urgency.msg(), lang), 15),
            urgency_style(r.urgency).patch(base),
        ),
        Span::styled(
            format!(
                " {} {} {} {} {} ",
                cell(&row.ticket, widths.ticket),
                cell(&who, 11),
                cell(&business(ctx, &row.form_code, lang), 12),
                cell(&step, widths.step),
                cell(&due, widths.due)
            ),
            base,
        ),
        Span::styled(owner, if row.owner.2 { theme::warn() } else { base }),
    ])
}

/// A business type's name; a reconnection after arrears has no form.
fn business(ctx: &Ctx, code: &str, lang: Lang) -> String {
    if code == crate::desk::cases::RECONNECTION {
        t("case.reconnection", lang)
    } else if code == crate::desk::cases::POOR_RATING {
        t("rating.queue_business", lang)
    } else {
        ctx.form_name(code)
    }
}
