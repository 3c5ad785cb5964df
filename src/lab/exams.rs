//! Exams a trainer sets: scenarios as stations and theory questions, a
//! time limit, the class. Checked here once, for the command line and the
//! trainer's screen alike.

use chrono::Utc;

use super::Lab;
use crate::domain::msg::Msg;
use crate::msg;
use crate::store::lab::Person;

/// The longest time limit an exam may have: a working day.
pub const MAX_MINUTES: i64 = 480;

/// An exam as the trainer puts it together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExamDraft {
    pub name: String,
    /// Class sitting it.
    pub class: String,
    /// Time limit in minutes.
    pub minutes: i64,
    /// Stations chained as a relay.
    pub relay: bool,
    /// Scenario ids, in station order.
    pub scenarios: Vec<String>,
    /// Question ids, in order.
    pub questions: Vec<String>,
}

impl Lab {
    /// Sets an exam; every problem is said with what to do.
    pub fn set_exam(&mut self, by: &Person, draft: &ExamDraft) -> Result<i64, Msg> {
        if !by.trainer {
            return Err(msg!("lab.trainers_only"));
        }
        let name = draft.name.trim();
        if name.is_empty() {
            return Err(msg!("lab.exam_name_needed"));
        }
        let class = draft.class.trim();
        if class.is_empty() {
            return Err(msg!("lab.exam_class_needed"));
        }
        let classes = self.store.classes().map_err(|e| e.msg())?;
        if !classes.iter().any(|c| c == class) {
            let known = classes.join(" ");
            return Err(msg!("lab.exam_class_unknown", class = class, known = known));
        }
        if !(1..=MAX_MINUTES).contains(&draft.minutes) {
            return Err(msg!("lab.exam_minutes", max = MAX_MINUTES));
        }
        let mut items = Vec::new();
        for s in &draft.scenarios {
            if self.catalog.scenario(s).is_none() {
                return Err(msg!("lab.unknown_scenario", id = s));
            }
            items.push(("scenario".to_string(), s.clone()));
        }
        for q in &draft.questions {
            if self.catalog.question(q).is_none() {
                return Err(msg!("lab.unknown_question", id = q));
            }
            items.push(("question".to_string(), q.clone()));
        }
        if items.is_empty() {
            return Err(msg!("lab.exam_empty"));
        }
        if draft.relay && draft.scenarios.len() < 2 {
            return Err(msg!("lab.exam_relay_two"));
        }
        self.store
            .add_exam(
                name,
                class,
                draft.minutes,
                draft.relay,
                &items,
                by.id,
                Utc::now(),
            )
            .map_err(|e| e.msg())
    }
}
