//! Moving the selected case on from the applications screen: its current
//! step recorded done with a note (D), its clock paused with a reason or
//! resumed (Z), the case ended as withdrawn or refused with a reason (E).
//! Each is one desk call; the card is read again after it.

use crossterm::event::KeyEvent;

use crate::desk::cases::StepOutcome;
use crate::desk::slips::SlipOrder;
use crate::desk::{Desk, Session};
use crate::domain::case::{CaseEnd, Verdict, Way};
use crate::domain::msg::{Msg, Notice};
use crate::msg;
use crate::store::applications::ApplicationRow;
use crate::tui::answer;
use crate::tui::field::Field;
use crate::tui::keymap::{self, b, Binding, ENTER, ESC};

/// What the case line is asking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// The note for the current step done.
    StepNote,
    PauseReason,
    /// How the case ends (1 or 2), then the reason.
    End(Option<CaseEnd>),
    /// The return visit: how (1 phone, 2 in person), the verdict (1
    /// satisfied, 2 not), then a note.
    Visit(Option<Way>, Option<Verdict>),
}

/// The case line's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKey {
    /// Record it.
    Confirm,
    /// Back to the list.
    Cancel,
}

/// The case line's keys.
pub const CASE: &[Binding<CaseKey>] = &[
    b(&[ENTER], CaseKey::Confirm, "key.confirm"),
    b(&[ESC], CaseKey::Cancel, "key.cancel"),
];

/// The case line under the list.
pub struct CaseLine {
    /// What it asks for.
    pub ask: Ask,
    /// The note or reason.
    pub field: Field,
}

impl CaseLine {
    /// Asks for `ask`.
    pub fn new(ask: Ask) -> CaseLine {
        let label = match ask {
            Ask::StepNote => "case.note",
            Ask::PauseReason => "case.pause_reason",
            Ask::End(_) => "case.end_reason",
            Ask::Visit(..) => "case.visit_note",
        };
        let mut field = Field::new(label, 200).lines();
        field.set_focus(true);
        CaseLine { ask, field }
    }

    /// The prompt above the field, when there is one.
    pub fn prompt(&self) -> Option<Msg> {
        match self.ask {
            Ask::End(None) => Some(msg!("case.end_choose")),
            Ask::End(Some(end)) => Some(Msg::new(end.label_key())),
            Ask::Visit(None, _) => Some(msg!("case.visit_way_choose")),
            Ask::Visit(Some(_), None) => Some(msg!("case.visit_verdict_choose")),
            _ => None,
        }
    }
}

/// What the case line did with a key.
pub enum Outcome {
    /// Still asking.
    Asking,
    /// Done or cancelled: back to the list, with what to say.
    Closed(Option<Notice>),
}

/// Handles a key on the case line: a choice, a character, Enter or Esc.
pub fn on_key(
    line: &mut CaseLine,
    key: &KeyEvent,
    app: &ApplicationRow,
    session: &Session,
    desk: &mut Desk,
) -> Outcome {
    if let Ask::Visit(way, None) = line.ask {
        if keymap::lookup(CASE, key) == Some(CaseKey::Cancel) {
            return Outcome::Closed(None);
        }
        line.ask = match (way, keymap::digit(key)) {
            (None, Some(1)) => Ask::Visit(Some(Way::Phone), None),
            (None, Some(2)) => Ask::Visit(Some(Way::InPerson), None),
            (Some(w), Some(1)) => Ask::Visit(Some(w), Some(Verdict::Satisfied)),
            (Some(w), Some(2)) => Ask::Visit(Some(w), Some(Verdict::NotSatisfied)),
            _ => line.ask,
        };
        return Outcome::Asking;
    }
    if let Ask::End(None) = line.ask {
        match keymap::digit(key) {
            Some(1) => line.ask = Ask::End(Some(CaseEnd::Withdrawn)),
            Some(2) => line.ask = Ask::End(Some(CaseEnd::Refused)),
            _ if keymap::lookup(CASE, key) == Some(CaseKey::Cancel) => {
                return Outcome::Closed(None)
            }
            _ => {}
        }
        return Outcome::Asking;
    }
    match keymap::lookup(CASE, key) {
        Some(CaseKey::Cancel) => Outcome::Closed(None),
        Some(CaseKey::Confirm) => match run(line, app, session, desk) {
            Ok(done) => Outcome::Closed(Some(done)),
            Err(e) => {
                // The note or reason stays as typed, with the refusal beside it.
                line.field.error = Some(e.msg().clone());
                Outcome::Asking
            }
        },
        None => {
            line.field.input(key);
            Outcome::Asking
        }
    }
}

fn run(
    line: &CaseLine,
    app: &ApplicationRow,
    session: &Session,
    desk: &mut Desk,
) -> Result<Notice, crate::desk::DeskError> {
    let text = line.field.text();
    let ticket = &app.ticket_no;
    match line.ask {
        Ask::StepNote => {
            let current = app
                .steps
                .iter()
                .find(|s| s.status == crate::domain::states::StepStatus::Current)
                .map(|s| s.step_id.clone())
                .unwrap_or_default();
            Ok(Notice::done(
                match desk.record_step(session, ticket, &current, &text)? {
                    StepOutcome::Next {
                        step_id,
                        due: Some(due),
                    } => {
                        msg!("case.step_recorded", due = due).part("step", step_name(app, &step_id))
                    }
                    StepOutcome::Next { step_id, due: None } => {
                        msg!("case.step_recorded_no_date").part("step", step_name(app, &step_id))
                    }
                    StepOutcome::Completed => msg!("case.completed"),
                    StepOutcome::AwaitingVisit(d) => msg!("case.awaiting_visit", due = d),
                },
            ))
        }
        Ask::PauseReason => {
            desk.pause_case(session, ticket, &text)?;
            Ok(Notice::done(msg!("case.paused_done")))
        }
        Ask::End(Some(end)) => {
            desk.end_case(session, ticket, end, &text)?;
            if end == CaseEnd::Refused {
                // Recorded first; then the record is printed for the customer to sign.
                return Ok(answer::printed(
                    desk.print(session, SlipOrder::Refusal(ticket)),
                ));
            }
            Ok(Notice::done(
                msg!("case.ended").part("how", Msg::new(end.label_key())),
            ))
        }
        Ask::End(None) => Ok(Notice::info(msg!("case.end_choose"))),
        Ask::Visit(Some(way), Some(verdict)) => Ok(Notice::done(
            match desk.record_visit(session, ticket, way, verdict, &text)? {
                Verdict::Satisfied => msg!("case.visit_closed"),
                Verdict::NotSatisfied => msg!("case.visit_reopened"),
            },
        )),
        Ask::Visit(..) => Ok(Notice::info(msg!("case.visit_way_choose"))),
    }
}

/// A step's name in the reader's language.
fn step_name(app: &ApplicationRow, step_id: &str) -> Msg {
    app.steps
        .iter()
        .find(|s| s.step_id == step_id)
        .map(|s| Msg::words(&s.name_zh, &s.name_en))
        .unwrap_or_else(|| Msg::words(step_id, step_id))
}

/// Z: resumes a paused case at once, or asks why to pause a running one.
pub fn pause_or_resume(
    app: &ApplicationRow,
    session: &Session,
    desk: &mut Desk,
) -> Result<Option<Notice>, crate::desk::DeskError> {
    if app.paused_at.is_some() {
        let days = desk.resume_case(session, &app.ticket_no)?;
        // No working day passed while paused: nothing moved.
        let m = if days == 0 {
            msg!("case.resumed_unchanged")
        } else {
            msg!("case.resumed", days = days)
        };
        return Ok(Some(Notice::done(m)));
    }
    Ok(None)
}
