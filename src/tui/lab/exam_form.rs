//! The trainer's exam form: name, class, time limit, relay or not, then the
//! scenarios (stations, in the order chosen) and theory questions ticked
//! from the catalogue. F2 sets the exam through the lab; a refusal keeps
//! everything typed and ticked.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::domain::msg::{Lang, Msg};
use crate::lab::exams::ExamDraft;
use crate::lab::Lab;
use crate::msg;
use crate::tui::field::Field;
use crate::tui::text::{t, text};
use crate::tui::theme;

/// Rows before the catalogue: name, class, minutes, relay.
const HEAD_ROWS: usize = 4;

/// Something an exam can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    /// A scenario, by its place in the catalogue.
    Scenario(usize),
    /// A question, by its place in the bank.
    Question(usize),
}

/// What a key did to the form.
pub enum FormOutcome {
    /// Keep editing.
    Editing,
    /// The trainer asked to set the exam: the draft, or why it cannot be.
    Submit(Result<ExamDraft, Msg>),
}

/// The exam being put together.
pub struct ExamForm {
    name: Field,
    class: Field,
    minutes: Field,
    relay: bool,
    picks: Vec<Pick>,
    /// Ticked picks in the order ticked (the station order).
    chosen: Vec<Pick>,
    /// The row with the cursor: the head rows, then the picks.
    row: usize,
    /// The classes on record, shown as a reminder.
    classes: Vec<String>,
}

impl ExamForm {
    /// An empty form over the lab's catalogue.
    pub fn new(lab: &Lab, classes: Vec<String>) -> ExamForm {
        let mut name = Field::new("lab.exam_name", 40);
        name.set_focus(true);
        let mut class = Field::new("lab.exam_class", 40);
        if let [only] = classes.as_slice() {
            class.suggest(only);
        }
        let mut minutes = Field::new("lab.exam_minutes_label", 3);
        minutes.suggest("60");
        let picks = (0..lab.catalog.scenarios.len())
            .map(Pick::Scenario)
            .chain((0..lab.catalog.questions.len()).map(Pick::Question))
            .collect();
        ExamForm {
            name,
            class,
            minutes,
            relay: false,
            picks,
            chosen: Vec::new(),
            row: 0,
            classes,
        }
    }

    fn rows(&self) -> usize {
        HEAD_ROWS + self.picks.len()
    }

    fn field(&mut self, row: usize) -> Option<&mut Field> {
        match row {
            0 => Some(&mut self.name),
            1 => Some(&mut self.class),
            2 => Some(&mut self.minutes),
            _ => None,
        }
    }

    fn go(&mut self, row: usize) {
        let row = row.min(self.rows() - 1);
        if let Some(f) = self.field(self.row) {
            f.set_focus(false);
        }
        self.row = row;
        if let Some(f) = self.field(row) {
            f.set_focus(true);
        }
    }

    fn toggle(&mut self) {
        match self.row {
            3 => self.relay = !self.relay,
            r if r >= HEAD_ROWS => {
                let p = self.picks[r - HEAD_ROWS];
                match self.chosen.iter().position(|c| *c == p) {
                    Some(i) => {
                        self.chosen.remove(i);
                    }
                    None => self.chosen.push(p),
                }
            }
            _ => {}
        }
    }

    /// Pasted text goes into the field with the cursor.
    pub fn paste(&mut self, pasted: &str) {
        let row = self.row;
        if let Some(f) = self.field(row) {
            let _ = f.paste(pasted);
        }
    }

    /// ↑↓ Tab move, Space ticks, Enter moves on from a field and ticks a
    /// row, F2 submits; other keys type into the field with the cursor.
    pub fn key(&mut self, key: &KeyEvent, lab: &Lab) -> FormOutcome {
        match key.code {
            KeyCode::Up | KeyCode::BackTab => self.go(self.row.saturating_sub(1)),
            KeyCode::Down | KeyCode::Tab => self.go(self.row + 1),
            KeyCode::PageDown => self.go(self.row + 10),
            KeyCode::PageUp => self.go(self.row.saturating_sub(10)),
            KeyCode::Enter if self.row < 3 => self.go(self.row + 1),
            KeyCode::Enter | KeyCode::Char(' ') if self.row >= 3 => self.toggle(),
            KeyCode::F(2) => return FormOutcome::Submit(self.draft(lab)),
            _ => {
                let row = self.row;
                if let Some(f) = self.field(row) {
                    f.input(key);
                }
            }
        }
        FormOutcome::Editing
    }

    fn draft(&mut self, lab: &Lab) -> Result<ExamDraft, Msg> {
        let typed = self.minutes.text();
        let Ok(minutes) = typed.trim().parse::<i64>() else {
            self.go(2);
            return Err(msg!(
                "lab.exam_minutes",
                max = crate::lab::exams::MAX_MINUTES
            ));
        };
        let mut d = ExamDraft {
            name: self.name.text(),
            class: self.class.text(),
            minutes,
            relay: self.relay,
            ..ExamDraft::default()
        };
        for p in &self.chosen {
            match *p {
                Pick::Scenario(i) => d.scenarios.push(lab.catalog.scenarios[i].id.clone()),
                Pick::Question(i) => d.questions.push(lab.catalog.questions[i].id.clone()),
            }
        }
        Ok(d)
    }

    /// Draws the form.
    pub fn render(&self, lab: &Lab, area: Rect, buf: &mut Buffer, lang: Lang) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(t("lab.exam_form_title", lang));
        let inner = block.inner(area);
        block.render(area, buf);
        let [head, list] =
            Layout::vertical([Constraint::Length(6), Constraint::Min(0)]).areas(inner);
        let rows: [Rect; 6] = Layout::vertical([Constraint::Length(1); 6]).areas(head);
        self.name.render(rows[0], buf, lang, 12);
        self.class.render(rows[1], buf, lang, 12);
        let known = text(
            &msg!("lab.exam_classes_known", known = self.classes.join(" ")),
            lang,
        );
        Paragraph::new(format!("            {known}"))
            .style(theme::dim())
            .render(rows[2], buf);
        self.minutes.render(rows[3], buf, lang, 12);
        let relay = format!(
            "{}: [{}] {}",
            t("lab.exam_relay_label", lang),
            if self.relay { "x" } else { " " },
            t("lab.exam_relay_hint", lang)
        );
        let style = if self.row == 3 {
            theme::focus()
        } else {
            Style::default()
        };
        Paragraph::new(relay).style(style).render(rows[4], buf);
        self.render_picks(lab, list, buf, lang);
    }

    fn render_picks(&self, lab: &Lab, area: Rect, buf: &mut Buffer, lang: Lang) {
        let height = area.height as usize;
        let cursor = self.row.saturating_sub(HEAD_ROWS);
        // Keep the cursor's row in sight.
        let first = if self.row >= HEAD_ROWS && cursor >= height {
            cursor + 1 - height
        } else {
            0
        };
        let lines: Vec<Line> = self
            .picks
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(i, p)| {
                let mark = match self.tick(*p) {
                    Tick::Station(n) => format!("[{n}]"),
                    Tick::Ticked => "[x]".into(),
                    Tick::Not => "[ ]".into(),
                };
                let what = match *p {
                    Pick::Scenario(k) => {
                        let s = &lab.catalog.scenarios[k];
                        format!(
                            "{} [{}] {}",
                            t("lab.exam_pick_scenario", lang),
                            t(s.level.label_key(), lang),
                            s.title.get(lang)
                        )
                    }
                    Pick::Question(k) => {
                        let q = &lab.catalog.questions[k];
                        format!("{} {}", t("lab.exam_pick_question", lang), q.text.get(lang))
                    }
                };
                let style = if self.row == HEAD_ROWS + i {
                    theme::focus()
                } else {
                    Style::default()
                };
                Line::styled(format!(" {mark:<4} {what}"), style)
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }

    fn tick(&self, p: Pick) -> Tick {
        if !self.chosen.contains(&p) {
            return Tick::Not;
        }
        match p {
            Pick::Scenario(_) => Tick::Station(
                self.chosen
                    .iter()
                    .take_while(|c| **c != p)
                    .filter(|c| matches!(c, Pick::Scenario(_)))
                    .count()
                    + 1,
            ),
            Pick::Question(_) => Tick::Ticked,
        }
    }
}

/// How a pick shows in the list: scenarios are numbered as the stations
/// the trainee meets them in; questions are only ticked.
enum Tick {
    Station(usize),
    Ticked,
    Not,
}
