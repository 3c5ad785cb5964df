//! Drawing the applications screen: the list, the chosen application's
//! steps and materials, the hand-over form and the notice. Reads state only.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Applications, Mode};
use crate::domain::msg::Lang;
use crate::domain::states::{MaterialStatus, StepStatus};
use crate::msg;
use crate::store::applications::ApplicationRow;
use crate::store::hq_feed::HqStep;
use crate::tui::lines::{local_day, material_line, overdue, step_line};
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;
use crate::tui::wrap::wrap;

/// Draws the whole screen.
pub(super) fn screen(s: &Applications, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let title = text(
        &msg!(
            "applications.title",
            name = s.card.customer.name,
            n = s.card.open_applications.len()
        ),
        lang,
    );
    let inner = crate::tui::frame::titled_box(area, buf, &title, Style::default());
    let mut lines = Vec::new();
    for (i, a) in s.card.open_applications.iter().enumerate() {
        let here = i == s.cursor;
        let style = if here {
            theme::focus()
        } else {
            Style::default()
        };
        let mut row = vec![
            Span::styled(if here { "▶ " } else { "  " }, theme::focus()),
            Span::styled(
                format!("{}  {}", a.ticket_no, ctx.form_name(&a.form_code)),
                style,
            ),
        ];
        if a.paused_at.is_some() {
            row.push(Span::styled(
                format!("  ⏸ {}", t("case.paused", lang)),
                theme::warn(),
            ));
        }
        lines.push(Line::from(row));
    }
    if let Some(a) = s.selected() {
        lines.extend(application(a, s.mode, s.today, inner.width, lang));
        let back = s.card.back_office.iter().find(|(t, _)| *t == a.ticket_no);
        if let Some((_, steps)) = back {
            lines.extend(back_office(a, steps, lang));
        }
    }
    let n = lines.len() as u16;
    Paragraph::new(lines).render(inner, buf);
    let mut y = inner.y + n + 1;
    if s.mode == Mode::HandOver && y + 3 < inner.bottom() {
        let form = Rect {
            y,
            height: 4,
            ..inner
        };
        y += s.hand_over.draw(form, buf, lang, 16, 2);
    }
    if let (Mode::Case, Some(line)) = (s.mode, &s.case) {
        if let Some(p) = line.prompt() {
            if y < inner.bottom() {
                let r = Rect {
                    y,
                    height: 1,
                    ..inner
                };
                Paragraph::new(Line::styled(text(&p, lang), theme::label())).render(r, buf);
                y += 1;
            }
        }
        let choosing = matches!(
            line.ask,
            super::case::Ask::End(None) | super::case::Ask::Visit(_, None)
        );
        if y + 2 < inner.bottom() && !choosing {
            let r = Rect {
                y,
                height: 3,
                ..inner
            };
            line.field.render(r, buf, lang, 16);
            y += 3;
        }
    }
    if y < inner.bottom() {
        let rest = Rect {
            y,
            height: inner.bottom() - y,
            ..inner
        };
        notice::draw_top(s.notice.as_ref(), rest, buf, lang, 6);
    }
}

/// The chosen application: who accepted it, its steps and its materials;
/// while choosing a material handed in, the owed ones are numbered.
fn application(
    a: &ApplicationRow,
    mode: Mode,
    today: NaiveDate,
    width: u16,
    lang: Lang,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from("")];
    lines.push(Line::from(text(
        &msg!(
            "applications.head",
            accepted = local_day(a.accepted_at),
            version = a.form_version,
            owner = format!("{} {}", a.owner.1, a.owner.2),
            disclosed = a
                .disclosed_at
                .map(|d| local_day(d).to_string())
                .unwrap_or_else(|| "-".into()),
            n = a.disclosed_items
        ),
        lang,
    )));
    if let Some(m) = &a.manager {
        let said = msg!("grid.manager_line", name = m.name, phone = m.phone);
        lines.push(Line::styled(text(&said, lang), theme::dim()));
    }
    for st in &a.steps {
        let late = st.status != StepStatus::Done && overdue(st.due_date, today);
        let style = if late {
            theme::error()
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(
            format!("  {}", step_line(st, lang)),
            style,
        )));
    }
    let (mut owed_no, mut in_hand_no) = (0, 0);
    for m in &a.materials {
        let owed = m.status == MaterialStatus::Owed;
        let in_hand = m.status == MaterialStatus::Received;
        if in_hand {
            in_hand_no += 1;
        }
        let style = if owed && overdue(m.due_date, today) {
            theme::error()
        } else if owed {
            theme::warn()
        } else {
            theme::dim()
        };
        if owed {
            owed_no += 1;
        }
        let lead = if mode == Mode::Receive && owed {
            format!(" {owed_no} ")
        } else if mode == Mode::ScanPick && in_hand {
            format!(" {in_hand_no} ")
        } else {
            "   ".into()
        };
        let wrapped = wrap(&material_line(m, lang), width.saturating_sub(4), lang);
        for (j, l) in wrapped.into_iter().enumerate() {
            let l = if j == 0 {
                format!("{lead}{l}")
            } else {
                format!("    {l}")
            };
            lines.push(Line::from(Span::styled(l, style)));
        }
    }
    lines
}

/// What the back office recorded for the application, as HQ sent it down.
fn back_office(a: &ApplicationRow, steps: &[HqStep], lang: Lang) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(
        t("applications.back_office", lang),
        theme::title(),
    ))];
    for st in steps {
        let name = a
            .steps
            .iter()
            .find(|s| s.step_id == st.step)
            .map(|s| {
                if lang == Lang::Zh {
                    s.name_zh.clone()
                } else {
                    s.name_en.clone()
                }
            })
            .unwrap_or_else(|| st.step.clone());
        let state = match st.state {
            StepStatus::Current => t("applications.step_current", lang),
            StepStatus::Done => t("applications.step_done", lang),
            StepStatus::Pending => t("applications.step_pending", lang),
        };
        let at = crate::store::stamp::parse_ts(&st.at)
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|| st.at.clone());
        lines.push(Line::from(format!("  {name}  {state}  {at}  {}", st.note)));
    }
    lines
}
