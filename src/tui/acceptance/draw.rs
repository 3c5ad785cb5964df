//! Drawing the acceptance screen: the customer and the four stages on top,
//! the stage below, and the notice (or the checklist's progress) at the
//! foot. Reads state only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::{Acceptance, Stage};
use crate::domain::disclosure;
use crate::domain::msg::Lang;
use crate::msg;
use crate::tui::lines::{material_line, owed, step_line};
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;
use crate::tui::wrap::wrap;

/// The most rows a notice takes (two slips' file names fit).
const NOTICE_ROWS: usize = 6;

/// Draws the whole screen.
pub(super) fn screen(a: &Acceptance, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let note_rows = a
        .notice
        .as_ref()
        .map(|n| notice::lines(n, area.width, lang, NOTICE_ROWS).len() as u16)
        .unwrap_or(1);
    let [top, body, note] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(0),
        Constraint::Length(note_rows),
    ])
    .areas(area);
    stages(a, top, buf, lang);
    let body = Rect {
        x: body.x + 1,
        width: body.width.saturating_sub(2),
        ..body
    };
    match a.stage {
        Stage::Menu => a.menu.render(body, buf, lang),
        Stage::Duplicate => duplicate(a, body, buf, lang),
        Stage::Fields => {
            if let (Some(f), Some(form)) = (&a.fields, &a.form) {
                f.render(form, body, buf, lang);
            }
        }
        Stage::Checklist => {
            if let Some(c) = &a.checklist {
                let lines = told_lines(a, lang);
                let n = (lines.len() as u16).min(body.height / 3);
                Paragraph::new(lines)
                    .wrap(ratatui::widgets::Wrap { trim: false })
                    .render(Rect { height: n, ..body }, buf);
                // The details being typed take the foot of the list.
                let form_rows = if a.details_inputs().is_some() { 10 } else { 0 };
                let rest = Rect {
                    y: body.y + n,
                    height: body.height.saturating_sub(n + form_rows),
                    ..body
                };
                c.render(&a.draft, rest, buf, lang);
                if let Some((head, form)) = a.details_inputs() {
                    let y = rest.bottom();
                    let head = Line::styled(t(head, lang), theme::focus());
                    Paragraph::new(head).render(
                        Rect {
                            y,
                            height: 1,
                            ..body
                        },
                        buf,
                    );
                    let height = body.bottom().saturating_sub(y + 1);
                    form.draw(
                        Rect {
                            y: y + 1,
                            height,
                            ..body
                        },
                        buf,
                        lang,
                        12,
                        2,
                    );
                }
            }
        }
        Stage::Done => done(a, body, buf, lang),
    }
    if a.notice.is_some() {
        notice::draw_bottom(a.notice.as_ref(), note, buf, lang, NOTICE_ROWS);
    } else if let (Stage::Checklist, Some(c)) = (a.stage, &a.checklist) {
        let ticked = c
            .items
            .iter()
            .filter(|i| {
                a.draft
                    .ticked
                    .contains_key(&disclosure::key(i.section, &i.id))
            })
            .count();
        let m = msg!(
            "acceptance.progress",
            done = ticked,
            all = c.items.len(),
            owed = c.owed(&a.draft)
        );
        Paragraph::new(Span::styled(text(&m, lang), theme::dim())).render(note, buf);
    }
}

/// The customer and the four stages, the current one lit.
fn stages(a: &Acceptance, top: Rect, buf: &mut Buffer, lang: Lang) {
    let title = match &a.form {
        Some(f) => format!(" {} · {} ", t("acceptance.title", lang), f.name.get(lang)),
        None => format!(" {} ", t("acceptance.title", lang)),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(top);
    block.render(top, buf);
    let steps = [
        "acceptance.stage_menu",
        "acceptance.stage_fields",
        "acceptance.stage_checklist",
        "acceptance.stage_done",
    ];
    let current = match a.stage {
        Stage::Menu | Stage::Duplicate => 0,
        Stage::Fields => 1,
        Stage::Checklist => 2,
        Stage::Done => 3,
    };
    let mut spans = vec![Span::styled(
        format!("{}  {}  ", a.card.customer.name, a.card.masked_id),
        theme::label(),
    )];
    for (i, s) in steps.iter().enumerate() {
        let style = if i == current {
            theme::focus()
        } else {
            theme::dim()
        };
        spans.push(Span::styled(
            format!("{} {}  ", ["①", "②", "③", "④"][i], t(s, lang)),
            style,
        ));
    }
    Paragraph::new(Line::from(spans)).render(inner, buf);
}

fn duplicate(a: &Acceptance, area: Rect, buf: &mut Buffer, lang: Lang) {
    let mut lines = vec![Line::from(Span::styled(
        t("acceptance.duplicate_title", lang),
        theme::warn(),
    ))];
    for d in &a.duplicates {
        lines.push(Line::from(format!(
            "  {}  {}",
            d.ticket_no,
            crate::tui::lines::local_day(d.accepted_at)
        )));
    }
    lines.push(Line::from(""));
    let n = lines.len() as u16;
    Paragraph::new(lines).render(area, buf);
    if n < area.height {
        a.reason.render(
            Rect {
                y: area.y + n,
                height: 2,
                ..area
            },
            buf,
            lang,
            14,
        );
    }
}

fn done(a: &Acceptance, area: Rect, buf: &mut Buffer, lang: Lang) {
    let Some(app) = &a.accepted else { return };
    let mut lines = vec![
        Line::from(Span::styled(
            text(&msg!("acceptance.accepted", ticket = app.ticket_no), lang),
            theme::ok(),
        )),
        Line::from(text(
            &msg!(
                "acceptance.owner_line",
                staff_no = app.owner.1,
                name = app.owner.2
            ),
            lang,
        )),
        Line::from(""),
        Line::from(Span::styled(t("disclosure.steps", lang), theme::title())),
    ];
    if app.manager.is_some() {
        lines.insert(2, manager_line(app.manager.as_ref(), lang));
    }
    for s in &app.steps {
        lines.push(Line::from(format!("  {}", step_line(s, lang))));
    }
    let owed = owed(app);
    lines.push(Line::from(Span::styled(
        text(&msg!("acceptance.owed_title", n = owed.len()), lang),
        theme::title(),
    )));
    for m in owed {
        let wrapped = wrap(&material_line(m, lang), area.width.saturating_sub(4), lang);
        for (k, l) in wrapped.into_iter().enumerate() {
            let lead = if k == 0 { "  " } else { "    " };
            lines.push(Line::from(format!("{lead}{l}")));
        }
    }
    Paragraph::new(lines).render(area, buf);
}

/// "Told on … under version …", and what the form changed since.
fn told_lines(a: &Acceptance, lang: Lang) -> Vec<Line<'static>> {
    let mut lines = vec![manager_line(a.manager.as_ref(), lang)];
    lines.extend(told(a, lang));
    lines
}

/// The case's customer manager, or that the address has none.
pub(crate) fn manager_line(m: Option<&crate::domain::grid::Manager>, lang: Lang) -> Line<'static> {
    match m {
        Some(m) => Line::styled(
            text(
                &msg!("grid.manager_line", name = m.name, phone = m.phone),
                lang,
            ),
            theme::ok(),
        ),
        None => Line::styled(t("grid.manager_none", lang), theme::warn()),
    }
}

fn told(a: &Acceptance, lang: Lang) -> Vec<Line<'static>> {
    let Some(told) = &a.told else {
        return Vec::new();
    };
    let day = told
        .told_at
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d")
        .to_string();
    let mut out = vec![Line::styled(
        text(
            &msg!(
                "acceptance.told_before",
                number = told.number,
                day = day,
                version = told.version
            ),
            lang,
        ),
        theme::dim(),
    )];
    if let Some(now) = &told.now_version {
        out.push(Line::styled(
            text(
                &msg!(
                    "acceptance.told_changed",
                    version = told.version,
                    now = now,
                    added = told.added.len(),
                    removed = told.removed.len()
                ),
                lang,
            ),
            theme::warn(),
        ));
        for a in &told.added {
            out.push(Line::styled(format!("  + {a}"), theme::warn()));
        }
        for r in &told.removed {
            out.push(Line::styled(format!("  − {r}"), theme::dim()));
        }
    }
    out
}
