//! Drawing the lab: reads state only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::exercise::Exercise;
use super::trainees::{self, History};
use super::widgets;
use super::{LabApp, Mode};
use crate::desk::practice::{MANAGER, TRAINEE_PASSWORD};
use crate::domain::lab::score::{minutes_seconds, ScoreSheet};
use crate::domain::lab::Fault;
use crate::domain::msg::Lang;
use crate::msg;
use crate::tui::text::{t, text};
use crate::tui::{notice, theme};

/// How a list of names is joined in `lang`.
fn list_sep(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    }
}

/// Width of the customer's panel beside the workstation.
const PANEL: u16 = 42;

/// Draws the whole lab.
pub fn render(app: &LabApp, area: Rect, buf: &mut Buffer) {
    let lang = app.lang;
    if let Mode::Exercise(e, started) = &app.mode {
        let [left, right] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(PANEL)]).areas(area);
        e.app.render(left, buf);
        panel(
            e,
            started.elapsed().as_millis() as u64,
            right,
            buf,
            lang,
            app.status.as_ref(),
        );
        return;
    }
    if let Mode::Replay(r) = &app.mode {
        let [left, right] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(PANEL)]).areas(area);
        r.exercise.app.render(left, buf);
        let title = text(
            &msg!(
                "lab.replay_title",
                frame = r.frame,
                of = r.frame_count() - 1
            ),
            lang,
        );
        let [top, keys] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(3)]).areas(right);
        sheet(&r.sheet, top, buf, lang, &title);
        Paragraph::new(t("lab.keys_replay", lang))
            .wrap(Wrap { trim: true })
            .style(theme::bar())
            .render(keys, buf);
        return;
    }
    let [head, body, status, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(area);
    buf.set_style(head, theme::practice());
    let who = app
        .person
        .as_ref()
        .map(|p| format!("{} {} {}", p.staff_no, p.name, p.class))
        .unwrap_or_default();
    Paragraph::new(format!(
        " {} │ {} │ {who}",
        t("lab.banner", lang),
        t("lab.title", lang)
    ))
    .style(theme::practice())
    .render(head, buf);
    match &app.mode {
        Mode::SignIn {
            staff_no, password, ..
        } => {
            let [_, a, b] = Layout::vertical([
                Constraint::Length(2),
                Constraint::Length(3),
                Constraint::Length(3),
            ])
            .areas(body);
            staff_no.render(a, buf, lang, 12);
            password.render(b, buf, lang, 12);
        }
        Mode::Home { selected } => home(app, *selected, body, buf, lang),
        Mode::Sheet { run, sheet: s } => {
            let title = format!(
                "{} · {} · {}",
                run.person,
                run.scenario,
                crate::lab::local_time(&run.started_at)
            );
            sheet(s, body, buf, lang, &title);
        }
        Mode::Runs {
            runs,
            selected,
            history,
        } => runs_list(runs, *selected, history.as_deref(), body, buf, lang),
        Mode::Theory(th) => theory(th, body, buf, lang),
        Mode::Classes { rows, scenarios } => classes(&app.lab, rows, scenarios, body, buf, lang),
        Mode::Trainees { rows, selected } => trainees::render(rows, *selected, body, buf, lang),
        Mode::Exams(x) => x.render(&app.lab, body, buf, lang),
        Mode::Exercise(..) | Mode::Replay(_) => {}
    }
    if let Some(n) = &app.status {
        Paragraph::new(notice::lines(n, status.width, lang, 2)).render(status, buf);
    }
    buf.set_style(bar, theme::bar());
    let keys = match &app.mode {
        Mode::SignIn { .. } => "lab.keys_signin",
        Mode::Home { .. } => {
            if app.person.as_ref().is_some_and(|p| p.trainer) {
                "lab.keys_home_trainer"
            } else {
                "lab.keys_home"
            }
        }
        Mode::Sheet { .. } => "lab.keys_sheet",
        Mode::Runs { .. } => "lab.keys_runs",
        Mode::Theory(_) => "lab.keys_theory",
        Mode::Classes { .. } => "lab.keys_classes",
        Mode::Trainees { .. } => "lab.keys_trainees",
        Mode::Exams(x) if x.editing => "lab.keys_exam_form",
        Mode::Exams(_) => "lab.keys_exams",
        _ => "lab.keys_signin",
    };
    Paragraph::new(format!(" {}", t(keys, lang)))
        .style(theme::bar())
        .render(bar, buf);
}

fn home(app: &LabApp, selected: usize, area: Rect, buf: &mut Buffer, lang: Lang) {
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let lines: Vec<Line> = app
        .lab
        .catalog
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let style = if i == selected {
                theme::focus()
            } else {
                Style::default()
            };
            Line::styled(
                format!(
                    " {:>2}. [{}] {}",
                    i + 1,
                    t(s.level.label_key(), lang),
                    s.title.get(lang)
                ),
                style,
            )
        })
        .collect();
    let first = widgets::first_in_sight(selected, list.height.saturating_sub(2));
    Paragraph::new(lines)
        .scroll((first, 0))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(t("lab.scenarios_title", lang)),
        )
        .render(list, buf);
    let Some(s) = app.lab.catalog.scenarios.get(selected) else {
        return;
    };
    let skills: Vec<String> = s.skills().iter().map(|k| t(k.label_key(), lang)).collect();
    let mut lines = vec![
        Line::styled(s.title.get(lang).to_string(), theme::title()),
        Line::raw(""),
        Line::raw(s.brief.get(lang).to_string()),
        Line::raw(""),
        Line::raw(text(
            &msg!("lab.detail_skills", skills = skills.join(list_sep(lang))),
            lang,
        )),
        Line::raw(text(
            &msg!(
                "lab.detail_target",
                time = minutes_seconds(u64::from(s.time_target_seconds) * 1000),
                points = s.max_points()
            ),
            lang,
        )),
    ];
    if let Some(from) = &s.relay_from {
        lines.push(Line::raw(text(
            &msg!("lab.detail_relay", from = from),
            lang,
        )));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(Block::default().borders(Borders::ALL))
        .render(detail, buf);
}

/// The customer's panel: who they are, what they said so far, what they
/// brought, faults that struck, hints asked for, the clock.
fn panel(
    e: &Exercise,
    real_ms: u64,
    area: Rect,
    buf: &mut Buffer,
    lang: Lang,
    status: Option<&crate::domain::msg::Notice>,
) {
    let s = &e.scenario;
    let c = &s.customer;
    let mut lines = vec![
        Line::styled(format!(" {} ", t("lab.banner", lang)), theme::practice()),
        Line::styled(s.title.get(lang).to_string(), theme::title()),
        Line::raw(s.brief.get(lang).to_string()),
        Line::raw(""),
        Line::styled(
            text(&msg!("lab.panel_customer", name = c.name), lang),
            theme::label(),
        ),
        Line::styled(c.persona.get(lang).to_string(), theme::dim()),
    ];
    // The card's number is on the panel only when the customer hands it
    // over: where the number is the trap, once the trainee asked for it.
    if !c.card_on_request {
        lines.push(Line::raw(text(
            &msg!("lab.panel_id", id = c.id_number),
            lang,
        )));
    }
    if !c.phone.is_empty() {
        lines.push(Line::raw(text(
            &msg!("lab.panel_phone", phone = c.phone),
            lang,
        )));
    }
    if !e.documents.is_empty() {
        let docs: Vec<&str> = e.documents.iter().map(|d| d.get(lang)).collect();
        lines.push(Line::raw(text(
            &msg!("lab.panel_documents", docs = docs.join(list_sep(lang))),
            lang,
        )));
    }
    lines.push(Line::raw(""));
    for said in e.said() {
        lines.push(Line::from(vec![
            Span::styled("» ", theme::ok()),
            Span::raw(said.get(lang).to_string()),
        ]));
    }
    if !c.answers.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(t("lab.panel_answers", lang), theme::label()));
        for (i, a) in c.answers.iter().enumerate() {
            // What the customer answers shows once they were asked.
            let line = if e.asked(i) {
                format!("{}. {} — {}", i + 1, a.ask.get(lang), a.answer.get(lang))
            } else {
                format!("{}. {}", i + 1, a.ask.get(lang))
            };
            lines.push(Line::raw(line));
        }
        if e.asking {
            lines.push(Line::styled(t("lab.panel_asking", lang), theme::warn()));
        }
    }
    let fault_shown = s.faults.contains(&Fault::CounterfeitNote) && e.counterfeit_shown;
    if fault_shown {
        for n in &s.fault_notes {
            lines.push(Line::styled(format!("⚠ {}", n.get(lang)), theme::warn()));
        }
    }
    if !e.drawer.is_empty() {
        let notes: Vec<String> = e
            .drawer
            .iter()
            .map(|(d, n)| format!("{}×{n}", d.yuan_string()))
            .collect();
        lines.push(Line::raw(text(
            &msg!("lab.panel_drawer", notes = notes.join(list_sep(lang))),
            lang,
        )));
    }
    for h in s.hints.iter().take(e.hints_shown) {
        lines.push(Line::styled(format!("💡 {}", h.get(lang)), theme::warn()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        text(
            &msg!(
                "lab.panel_manager",
                staff_no = MANAGER.0,
                password = MANAGER.2
            ),
            lang,
        ),
        theme::dim(),
    ));
    lines.push(Line::styled(
        text(
            &msg!("lab.panel_own_password", password = TRAINEE_PASSWORD),
            lang,
        ),
        theme::dim(),
    ));
    let used = minutes_seconds(real_ms.max(e.elapsed_ms()));
    let target = minutes_seconds(u64::from(s.time_target_seconds) * 1000);
    lines.push(Line::styled(
        text(&msg!("lab.panel_clock", used = used, target = target), lang),
        theme::title(),
    ));
    lines.push(Line::raw(text(
        &msg!(
            "lab.panel_counts",
            keys = e.stats.keys,
            hints = e.stats.hints,
            refusals = e.stats.refusals.len()
        ),
        lang,
    )));
    if let Some(n) = status {
        lines.push(Line::styled(text(&n.msg, lang), notice::style(n.tone)));
    }
    lines.push(Line::styled(t("lab.keys_exercise", lang), theme::bar()));
    // The last column stays empty: a wide character written there spills
    // onto the next line of a real terminal.
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::default()
                .borders(Borders::LEFT)
                .padding(ratatui::widgets::Padding::right(1)),
        )
        .render(area, buf);
}

/// A score sheet: each expectation met or missed with why, what was lost
/// beside them, the total.
pub fn sheet(s: &ScoreSheet, area: Rect, buf: &mut Buffer, lang: Lang, title: &str) {
    let mut lines = vec![Line::styled(
        text(&msg!("lab.sheet_total", total = s.total, max = s.max), lang),
        theme::title(),
    )];
    for l in &s.lines {
        let (mark, style) = if l.met() {
            ("✓", theme::ok())
        } else {
            ("✗", theme::error())
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} {:>3}/{:<3} ", l.got, l.points), style),
            Span::raw(text(&l.what, lang)),
        ]));
        if !l.met() {
            lines.push(Line::styled(
                format!("          {}", text(&l.why, lang)),
                theme::dim(),
            ));
        }
    }
    for d in &s.deductions {
        lines.push(Line::from(vec![
            Span::styled(format!("− {:>3}     ", d.points), theme::warn()),
            Span::raw(text(&d.what, lang)),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(text(&s.facts_msg(), lang)));
    if let Some(v) = s.over_short {
        lines.push(Line::raw(text(
            &msg!("lab.sheet_over_short", amount = v.yuan_string()),
            lang,
        )));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(title.to_string()),
        )
        .render(area, buf);
}

fn theory(th: &super::theory::Theory, area: Rect, buf: &mut Buffer, lang: Lang) {
    let block = Block::default().borders(Borders::ALL).title(text(
        &msg!(
            "lab.theory_title",
            at = (th.at + 1).min(th.questions.len()),
            of = th.questions.len(),
            got = th.points.0,
            max = th.points.1
        ),
        lang,
    ));
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(q) = th.question() else {
        Paragraph::new(text(
            &msg!("lab.theory_done", got = th.points.0, max = th.points.1),
            lang,
        ))
        .render(inner, buf);
        return;
    };
    let mut lines = vec![
        Line::styled(
            format!("[{}] {}", t(q.kind_key(), lang), q.text.get(lang)),
            theme::title(),
        ),
        Line::raw(""),
    ];
    for (i, c) in q.choices.iter().enumerate() {
        lines.push(Line::raw(format!("  {}. {}", i + 1, c.get(lang))));
    }
    lines.push(Line::raw(""));
    let [top, field, bottom] = Layout::vertical([
        Constraint::Length(lines.len() as u16 + 1),
        Constraint::Length(3),
        Constraint::Min(0),
    ])
    .areas(inner);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(top, buf);
    th.answer.render(field, buf, lang, 8);
    if let Some(m) = &th.marked {
        let right = *m == crate::domain::lab::question::Marked::Right;
        let (m, style) = if right {
            (
                msg!("lab.theory_right", answer = q.answer_text()),
                theme::ok(),
            )
        } else {
            (
                msg!("lab.theory_wrong", answer = q.answer_text()),
                theme::error(),
            )
        };
        let lines = vec![
            Line::styled(text(&m, lang), style),
            Line::raw(text(
                &msg!("lab.theory_tests", rule = q.tests.get(lang)),
                lang,
            )),
        ];
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(bottom, buf);
    }
}

/// Per class and skill: the average as a bar, weakest skills marked.
fn classes(
    lab: &crate::lab::Lab,
    rows: &[crate::store::lab::SkillTotal],
    scenarios: &[crate::store::lab::ScenarioTotal],
    area: Rect,
    buf: &mut Buffer,
    lang: Lang,
) {
    let mut lines = Vec::new();
    let mut class = None;
    for (c, skill, got, max) in rows {
        if class != Some(c) {
            class = Some(c);
            lines.push(Line::styled(
                text(&msg!("lab.class_head", class = c), lang),
                theme::title(),
            ));
            let weakest = crate::lab::report::weakest(rows, c);
            if let Some((w, pct)) = weakest {
                let name = crate::domain::lab::Skill::from_code(&w)
                    .map(|k| t(k.label_key(), lang))
                    .unwrap_or(w);
                lines.push(Line::styled(
                    text(&msg!("lab.class_weakest", skill = name, pct = pct), lang),
                    theme::warn(),
                ));
            }
        }
        lines.push(widgets::skill_bar(skill, *got, *max, lang));
    }
    for (c, id, runs, got, max) in scenarios {
        let title = lab
            .catalog
            .scenario(id)
            .map(|s| s.title.get(lang).to_string())
            .unwrap_or(id.clone());
        let pct = if *max > 0 { got * 100 / max } else { 0 };
        lines.push(Line::raw(format!(
            "{c} {}",
            text(
                &msg!("lab.class_scenario", title = title, pct = pct, runs = runs),
                lang
            )
        )));
    }
    widgets::titled_list(
        lines,
        None,
        "lab.class_none",
        "lab.classes_title",
        area,
        buf,
        lang,
    );
}

/// Runs, newest first; a person's history shows their points per skill
/// above them.
fn runs_list(
    runs: &[crate::store::lab::RunRow],
    selected: usize,
    history: Option<&History>,
    area: Rect,
    buf: &mut Buffer,
    lang: Lang,
) {
    let mut lines = match history {
        Some(h) => {
            let mut head = trainees::history_head(&h.name, &h.skills, lang);
            head.push(Line::raw(""));
            head
        }
        None => Vec::new(),
    };
    // Keep the selected run in sight below the head.
    let room = (area.height as usize)
        .saturating_sub(2 + lines.len())
        .max(1);
    let first = (selected + 1).saturating_sub(room);
    for (i, r) in runs.iter().enumerate().skip(first).take(room) {
        let score = match (r.total, r.max) {
            (Some(t), Some(m)) => format!("{t}/{m}"),
            _ => "-".into(),
        };
        let state = t(r.state.label_key(), lang);
        let s = format!(
            " #{:<4} {:<8} {:<28} {:<10} {:>8}  {}",
            r.id,
            r.person,
            r.scenario,
            state,
            score,
            crate::lab::local_time(&r.started_at)
        );
        let style = if i == selected {
            theme::focus()
        } else {
            Style::default()
        };
        lines.push(Line::styled(s, style));
    }
    if runs.is_empty() {
        lines.push(Line::raw(t("lab.runs_none", lang)));
    }
    widgets::titled_list(
        lines,
        None,
        "lab.runs_none",
        "lab.runs_title",
        area,
        buf,
        lang,
    );
}
