//! The trainer's exams: every exam set, the selected one's items and its
//! ranking so far, and the form that sets a new one (N).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::exam_form::{ExamForm, FormOutcome};
use crate::domain::msg::{Lang, Msg, Notice};
use crate::lab::Lab;
use crate::msg;
use crate::store::lab::{ExamRow, Person};
use crate::tui::text::{t, text};
use crate::tui::theme;

/// One line of an exam's ranking: (name, class, points, possible).
pub type Ranked = (String, String, i64, i64);

/// The exams screen.
pub struct Exams {
    /// Every exam, newest first.
    pub list: Vec<ExamRow>,
    pub selected: usize,
    pub ranking: Vec<Ranked>,
    /// The exam being set, kept while the trainer looks at the list.
    pub form: Option<ExamForm>,
    /// Whether the form has the keys.
    pub editing: bool,
}

/// What a key on the exams screen asks of the lab.
pub enum ExamsOutcome {
    Stay(Option<Notice>),
    /// Back to the scenario list.
    Leave,
}

impl Exams {
    /// The exams as they stand.
    pub fn open(lab: &Lab) -> Result<Exams, Msg> {
        let mut e = Exams {
            list: Vec::new(),
            selected: 0,
            ranking: Vec::new(),
            form: None,
            editing: false,
        };
        e.reload(lab, None)?;
        Ok(e)
    }

    fn reload(&mut self, lab: &Lab, select: Option<i64>) -> Result<(), Msg> {
        self.list = lab.store.exams(None).map_err(|e| e.msg())?;
        if let Some(id) = select {
            self.selected = self.list.iter().position(|e| e.id == id).unwrap_or(0);
        }
        self.selected = self.selected.min(self.list.len().saturating_sub(1));
        self.rank(lab)
    }

    fn rank(&mut self, lab: &Lab) -> Result<(), Msg> {
        self.ranking = match self.list.get(self.selected) {
            Some(e) => lab.store.ranking(e.id).map_err(|e| e.msg())?,
            None => Vec::new(),
        };
        Ok(())
    }

    /// Pasted text goes into the form, when it has the keys.
    pub fn paste(&mut self, pasted: &str) {
        if let (true, Some(f)) = (self.editing, self.form.as_mut()) {
            f.paste(pasted);
        }
    }

    /// Handles a key.
    pub fn key(&mut self, key: &KeyEvent, lab: &mut Lab, by: &Person) -> ExamsOutcome {
        if self.editing {
            return ExamsOutcome::Stay(self.form_key(key, lab, by));
        }
        let moved = match key.code {
            KeyCode::Esc => return ExamsOutcome::Leave,
            KeyCode::Up => {
                self.selected = self.selected.saturating_sub(1);
                true
            }
            KeyCode::Down => {
                self.selected = (self.selected + 1).min(self.list.len().saturating_sub(1));
                true
            }
            KeyCode::Char('n') | KeyCode::Char('N') => {
                if self.form.is_none() {
                    match lab.store.classes() {
                        Ok(classes) => self.form = Some(ExamForm::new(lab, classes)),
                        Err(e) => return ExamsOutcome::Stay(Some(Notice::refusal(e.msg()))),
                    }
                }
                self.editing = true;
                false
            }
            _ => false,
        };
        if moved {
            if let Err(m) = self.rank(lab) {
                return ExamsOutcome::Stay(Some(Notice::refusal(m)));
            }
        }
        ExamsOutcome::Stay(None)
    }

    fn form_key(&mut self, key: &KeyEvent, lab: &mut Lab, by: &Person) -> Option<Notice> {
        if key.code == KeyCode::Esc {
            // The draft stays; N opens it again.
            self.editing = false;
            return Some(Notice::info(msg!("lab.exam_draft_kept")));
        }
        let form = self.form.as_mut()?;
        let draft = match form.key(key, lab) {
            FormOutcome::Editing => return None,
            FormOutcome::Submit(Err(m)) => return Some(Notice::refusal(m)),
            FormOutcome::Submit(Ok(d)) => d,
        };
        match lab.set_exam(by, &draft) {
            Ok(id) => {
                self.form = None;
                self.editing = false;
                if let Err(m) = self.reload(lab, Some(id)) {
                    return Some(Notice::refusal(m));
                }
                Some(Notice::done(msg!(
                    "lab.exam_added",
                    id = id,
                    name = draft.name.trim()
                )))
            }
            Err(m) => Some(Notice::refusal(m)),
        }
    }

    /// Draws the list with the selected exam beside it, or the form.
    pub fn render(&self, lab: &Lab, area: Rect, buf: &mut Buffer, lang: Lang) {
        if let (true, Some(f)) = (self.editing, self.form.as_ref()) {
            f.render(lab, area, buf, lang);
            return;
        }
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(area);
        let lines: Vec<Line> = self
            .list
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let kind = if e.relay {
                    t("lab.exam_kind_relay", lang)
                } else {
                    String::new()
                };
                let style = if i == self.selected {
                    theme::focus()
                } else {
                    Style::default()
                };
                Line::styled(
                    format!(
                        " #{:<3} {} · {} · {}′ {kind}",
                        e.id, e.name, e.class, e.minutes
                    ),
                    style,
                )
            })
            .collect();
        super::widgets::titled_list(
            lines,
            Some(self.selected),
            "lab.exams_none",
            "lab.exams_title",
            left,
            buf,
            lang,
        );
        let Some(exam) = self.list.get(self.selected) else {
            return;
        };
        Paragraph::new(self.detail(lab, exam, lang))
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL))
            .render(right, buf);
    }

    fn detail(&self, lab: &Lab, exam: &ExamRow, lang: Lang) -> Vec<Line<'static>> {
        let mut lines = vec![Line::styled(exam.name.clone(), theme::title())];
        let mut station = 0;
        for (kind, id) in &exam.items {
            let what = if kind == "scenario" {
                station += 1;
                let title = lab
                    .catalog
                    .scenario(id)
                    .map(|s| s.title.get(lang).to_string())
                    .unwrap_or_else(|| id.clone());
                format!(" {station}. {title}")
            } else {
                let q = lab
                    .catalog
                    .question(id)
                    .map(|q| q.text.get(lang).to_string())
                    .unwrap_or_else(|| id.clone());
                format!(" · {q}")
            };
            lines.push(Line::raw(what));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(t("lab.ranking_title", lang), theme::title()));
        if self.ranking.is_empty() {
            lines.push(Line::raw(t("lab.ranking_none", lang)));
        }
        for (i, (name, class, got, max)) in self.ranking.iter().enumerate() {
            lines.push(Line::raw(text(
                &msg!(
                    "lab.ranking_row",
                    place = i + 1,
                    name = name,
                    class = class,
                    got = got,
                    max = max
                ),
                lang,
            )));
        }
        lines
    }
}
