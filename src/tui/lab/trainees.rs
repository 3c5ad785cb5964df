//! The trainer's trainees: each with runs finished and interrupted, their
//! score rate, theory answers, exams sat and last activity; Enter opens one
//! trainee's history (their runs with their points per skill).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use super::widgets::{percent, skill_bar};
use crate::domain::msg::Lang;
use crate::msg;
use crate::store::lab_history::{PersonSkill, TraineeRow};
use crate::tui::text::{t, text};
use crate::tui::theme;

/// Whose runs a runs list shows, with their points per skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub name: String,
    /// Points per skill.
    pub skills: Vec<PersonSkill>,
    /// Opened from the trainer's trainee list (Esc goes back there).
    pub from_trainees: bool,
}

/// Draws the trainee list.
pub fn render(rows: &[TraineeRow], selected: usize, area: Rect, buf: &mut Buffer, lang: Lang) {
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let last = r
                .last
                .as_deref()
                .map(crate::lab::local_time)
                .unwrap_or_else(|| "-".into());
            // No run yet is not a score of nothing.
            let key = if r.finished + r.interrupted == 0 {
                "lab.trainee_row_no_runs"
            } else {
                "lab.trainee_row"
            };
            let summary = text(
                &crate::domain::msg::Msg::new(key)
                    .arg("finished", r.finished)
                    .arg("interrupted", r.interrupted)
                    .arg("pct", percent(r.got, r.max))
                    .arg("right", r.answers.1)
                    .arg("answers", r.answers.0)
                    .arg("exams", r.exams),
                lang,
            );
            let style = if i == selected {
                theme::focus()
            } else {
                Style::default()
            };
            Line::styled(
                format!(
                    " {} {} {} {summary}  {last}",
                    crate::tui::wrap::cell(&r.staff_no, 6),
                    crate::tui::wrap::cell(&r.name, 8),
                    crate::tui::wrap::cell(&r.class, 10)
                ),
                style,
            )
        })
        .collect();
    super::widgets::titled_list(
        lines,
        Some(selected),
        "lab.trainees_none",
        "lab.trainees_title",
        area,
        buf,
        lang,
    );
}

/// A trainee's points per skill, above their runs.
pub fn history_head(name: &str, skills: &[PersonSkill], lang: Lang) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        text(&msg!("lab.history_head", name = name), lang),
        theme::title(),
    )];
    if skills.is_empty() {
        lines.push(Line::raw(t("lab.history_none", lang)));
    }
    for (skill, got, max) in skills {
        lines.push(skill_bar(skill, *got, *max, lang));
    }
    lines
}
