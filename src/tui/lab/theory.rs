//! Theory questions answered in the lab: one at a time, marked at once with
//! the rule or document it tests, recorded in lab.db (for an exam, under it).

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent};

use crate::domain::lab::question::{Marked, Question};
use crate::domain::msg::Msg;
use crate::lab::Lab;
use crate::msg;
use crate::store::lab::Person;
use crate::tui::field::Field;

/// Questions being answered.
pub struct Theory {
    pub questions: Vec<Question>,
    /// The one shown.
    pub at: usize,
    /// The answer being typed.
    pub answer: Field,
    /// The last answer's mark, shown until the next question.
    pub marked: Option<Marked>,
    /// The exam they belong to.
    pub exam: Option<i64>,
    /// Points so far, and possible.
    pub points: (i64, i64),
}

impl Theory {
    /// Starts at the first question.
    pub fn new(questions: Vec<Question>, exam: Option<i64>) -> Theory {
        let mut answer = Field::new("lab.answer", 40);
        answer.set_focus(true);
        Theory {
            questions,
            at: 0,
            answer,
            marked: None,
            exam,
            points: (0, 0),
        }
    }

    /// The question shown, if any are left.
    pub fn question(&self) -> Option<&Question> {
        self.questions.get(self.at)
    }

    /// Pasted text goes into the answer.
    pub fn paste(&mut self, text: &str) {
        let _ = self.answer.paste(text);
    }

    /// Enter marks the answer (then moves on); other keys type it.
    pub fn key(&mut self, key: &KeyEvent, lab: &Lab, person: &Person) -> Result<(), Msg> {
        if key.code != KeyCode::Enter {
            if self.marked.is_none() {
                self.answer.input(key);
            }
            return Ok(());
        }
        if self.marked.is_some() {
            self.marked = None;
            self.answer.clear();
            self.at += 1;
            return Ok(());
        }
        let Some(q) = self.questions.get(self.at) else {
            return Ok(());
        };
        if let Some(id) = self.exam {
            let exams = lab.store.exams(None).map_err(|e| e.msg())?;
            if let Some(exam) = exams.iter().find(|e| e.id == id) {
                lab.exam_open(exam, person)?;
            }
        }
        let typed = self.answer.text();
        let mark = q.mark(&typed);
        if mark == Marked::Unreadable {
            let mut m = msg!("lab.answer_unreadable");
            m.parts.push(("kind", Msg::new(q.kind_key())));
            return Err(m);
        }
        let right = mark == Marked::Right;
        let got = if right { q.points } else { 0 };
        lab.store
            .answer(
                person.id,
                self.exam,
                &q.id,
                q.skill.code(),
                &typed,
                right,
                got,
                q.points,
                Utc::now(),
            )
            .map_err(|e| e.msg())?;
        self.points.0 += got;
        self.points.1 += q.points;
        self.marked = Some(mark);
        Ok(())
    }
}
