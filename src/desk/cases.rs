//! Cases after the window: a step recorded done at any counter (the next
//! step's clock starts then), a pause for a customer-caused delay and its
//! resume (the paused working days move every due date), the end of a
//! case, and the urgency queue. Each is one audited write with the case's
//! whole record going up to HQ.

use chrono::NaiveDate;
use serde_json::json;

use super::{Desk, DeskError, Session};
use crate::domain::case::{self, CaseEnd, CaseOrigin, Urgency};
use crate::domain::clerk::Role;
use crate::domain::form::StepStart;
use crate::domain::msg::Input;
use crate::domain::states::{ApplicationStatus, StepStatus};
use crate::msg;
use crate::store::cases::{self, CaseHead, CaseStep, QueueFilter, QueueRow};
use crate::store::{Aggregate, Event};

/// The business-type code the queue gives a reconnection after arrears.
pub const RECONNECTION: &str = "reconnection";

/// The business-type code the queue gives a poor rating's return visit.
pub const POOR_RATING: &str = "poor_rating";

/// Most rows the queue screen reads at once.
pub const QUEUE_PAGE: i64 = 500;

/// A queue row with its urgency today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub row: QueueRow,
    /// How urgent.
    pub urgency: Urgency,
}

/// What recording a step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    /// The next step is current now, due then (when its clock has started).
    Next {
        step_id: String,
        /// Its due date.
        due: Option<NaiveDate>,
    },
    /// That was the last step: the case is completed.
    Completed,
    /// That was the last step: the case waits for its return visit by then.
    AwaitingVisit(NaiveDate),
}

impl Desk {
    /// Which cases wait for a return visit, and by when.
    pub fn case_rules(&self) -> case::CaseRules {
        case::CaseRules {
            categories: self
                .forms
                .iter()
                .map(|f| (f.code.clone(), f.category))
                .collect(),
            steps: self
                .forms
                .iter()
                .map(|f| {
                    let steps = f
                        .steps
                        .iter()
                        .map(|s| (s.id.clone(), s.name.zh.clone(), s.name.en.clone()))
                        .collect();
                    (f.code.clone(), steps)
                })
                .collect(),
            percent: self.config.cases.new_install_visit_percent,
            within_wd: self.config.cases.visit_within_working_days,
            calendar: self.calendar.clone(),
        }
    }

    /// The text message telling the customer what happened to their case,
    /// as a record for HQ's SMS gateway (the counter never sends SMS); none
    /// when no number is on record.
    fn text_message(
        &self,
        head: &CaseHead,
        what: crate::domain::msg::Msg,
    ) -> Result<Option<Event>, DeskError> {
        let Some((phone, lang)) = cases::contact_phone(self.store.conn(), head.id)? else {
            return Ok(None);
        };
        let what = what.arg("ticket", &head.ticket);
        let text = crate::i18n::text(&what, lang);
        let detail = json!({"ticket": head.ticket, "phone": phone, "lang": lang, "text": text});
        Ok(Some(Event::new("notify.sms", &head.ticket, detail)))
    }

    /// Only counter staff move cases on.
    fn may_move_cases(session: &Session) -> Result<(), DeskError> {
        match session.role {
            Role::Clerk | Role::DutyManager => Ok(()),
            _ => Err(msg!("case.counter_staff_only").into()),
        }
    }

    /// Whether the current step of `ticket` may be recorded done now: the
    /// refusal the record itself would give (paused, closed, a trainer),
    /// asked before the clerk types the note.
    pub fn may_record_step(&self, session: &Session, ticket: &str) -> Result<(), DeskError> {
        Self::may_move_cases(session)?;
        let (head, steps) = self.case(ticket)?;
        let states: Vec<(String, StepStatus)> = steps
            .iter()
            .map(|s| (s.step_id.clone(), s.status))
            .collect();
        let current = steps
            .iter()
            .find(|s| s.status == StepStatus::Current)
            .map(|s| s.step_id.clone())
            .unwrap_or_default();
        case::step_to_record(head.status, head.paused_at.is_some(), &states, &current)?;
        Ok(())
    }

    /// Whether a return visit may be recorded for `ticket` now (it waits
    /// for one, and its clock runs), asked before the clerk types it.
    pub fn may_record_visit(&self, session: &Session, ticket: &str) -> Result<(), DeskError> {
        let (head, _) = self.open_case(session, ticket)?;
        if head.visit_due.is_none() {
            return Err(msg!("case.no_visit_due").into());
        }
        if head.paused_at.is_some() {
            return Err(msg!("case.is_paused").into());
        }
        Ok(())
    }

    /// An open case a counter clerk may move on.
    fn open_case(
        &self,
        session: &Session,
        ticket: &str,
    ) -> Result<(CaseHead, Vec<CaseStep>), DeskError> {
        Self::may_move_cases(session)?;
        let (head, steps) = self.case(ticket)?;
        if head.status != ApplicationStatus::Open {
            return Err(msg!("case.closed").into());
        }
        Ok((head, steps))
    }

    /// An open case whose clock runs (not paused).
    fn running_case(
        &self,
        session: &Session,
        ticket: &str,
    ) -> Result<(CaseHead, Vec<CaseStep>), DeskError> {
        let (head, steps) = self.open_case(session, ticket)?;
        if head.paused_at.is_some() {
            return Err(msg!("case.is_paused").into());
        }
        Ok((head, steps))
    }

    fn case(&self, ticket: &str) -> Result<(CaseHead, Vec<CaseStep>), DeskError> {
        let ticket = ticket.trim().to_ascii_uppercase();
        cases::case(self.store.conn(), &ticket)?.ok_or_else(|| {
            DeskError::at(
                msg!("acceptance.no_such_ticket", ticket = ticket),
                Input::Account,
            )
        })
    }

    /// Records `step_id` of a case done with a note; the next step becomes
    /// current, its due date counted from today when its clock starts now.
    pub fn record_step(
        &mut self,
        session: &Session,
        ticket: &str,
        step_id: &str,
        note: &str,
    ) -> Result<StepOutcome, DeskError> {
        Self::may_move_cases(session)?;
        let (head, steps) = self.case(ticket)?;
        let states: Vec<(String, StepStatus)> = steps
            .iter()
            .map(|s| (s.step_id.clone(), s.status))
            .collect();
        let i = case::step_to_record(
            head.status,
            head.paused_at.is_some(),
            &states,
            step_id.trim(),
        )?;
        let note = note.trim();
        if note.chars().count() > 200 {
            return Err(DeskError::at(
                msg!("case.reason_long", max = 200),
                Input::Reason,
            ));
        }
        let today = self.clock().today();
        let next = steps.get(i + 1).cloned();
        // The next step's clock, by the rule HQ's feed follows too; a step
        // the customer must ask for waits for that request (S on the
        // applications screen).
        let due = match &next {
            Some(n) => {
                match case::next_step_due(
                    &self.calendar,
                    today,
                    n.starts_from,
                    n.limit_wd,
                    n.due_date,
                )? {
                    case::NextDue::Due { date, estimated } => Some((date, estimated)),
                    case::NextDue::Planned | case::NextDue::Waits => None,
                }
            }
            None => None,
        };
        let outcome = match &next {
            Some(n) => StepOutcome::Next {
                step_id: n.step_id.clone(),
                due: due.map(|d| d.0).or(n.due_date),
            },
            None => match self
                .case_rules()
                .visit_due(&head.form_code, &head.ticket, today)
            {
                Some(d) => StepOutcome::AwaitingVisit(d),
                None => StepOutcome::Completed,
            },
        };
        let done = steps[i].clone();
        let told = match &outcome {
            StepOutcome::Next { due: Some(d), .. } => msg!("case.sms_step", due = d),
            StepOutcome::Next { due: None, .. } => msg!("case.sms_step_waiting"),
            StepOutcome::Completed | StepOutcome::AwaitingVisit(_) => msg!("case.sms_completed"),
        };
        let sms = self.text_message(&head, told)?;
        self.store.write_all(Some(session.clerk_id), |tx, now| {
            cases::step_done(tx, head.id, done.seq, session.clerk_id, note, now)?;
            match &next {
                Some(n) => cases::make_current(tx, head.id, n.seq, due)?,
                None => match &outcome {
                    StepOutcome::AwaitingVisit(d) => cases::set_visit_due(tx, head.id, Some(*d))?,
                    _ => cases::end(tx, head.id, ApplicationStatus::Completed, None, now)?,
                },
            }
            let detail = json!({"step": done.step_id, "note": note, "completed": next.is_none()});
            let mut events =
                vec![Event::new("case.step_done", &head.ticket, detail)
                    .about(Aggregate::Case(head.id))];
            events.extend(sms);
            Ok(((), events))
        })?;
        Ok(outcome)
    }

    /// The customer asked for the current step (the completion inspection,
    /// say): its clock starts today. Returns its due date.
    pub fn start_step_clock(
        &mut self,
        session: &Session,
        ticket: &str,
    ) -> Result<NaiveDate, DeskError> {
        let (head, steps) = self.running_case(session, ticket)?;
        let Some(step) = steps.iter().find(|s| s.status == StepStatus::Current) else {
            return Err(msg!("case.no_current_step").into());
        };
        if step.due_date.is_some() || step.starts_from != StepStart::CustomerRequest {
            return Err(msg!("case.clock_running", step = step.step_id).into());
        }
        let due = self
            .calendar
            .due(self.clock().today(), step.limit_wd.max(0) as u32)?;
        let sms = self.text_message(&head, msg!("case.sms_step", due = due.date))?;
        let seq = step.seq;
        self.store.write_all(Some(session.clerk_id), |tx, _| {
            cases::set_due(tx, head.id, seq, due.date, due.estimated)?;
            let detail = json!({"step": step.step_id, "due": due.date.to_string()});
            let mut events = vec![Event::new("case.step_requested", &head.ticket, detail)
                .about(Aggregate::Case(head.id))];
            events.extend(sms);
            Ok(((), events))
        })?;
        Ok(due.date)
    }

    /// Pauses a case for a delay the customer caused; the reason is required.
    pub fn pause_case(
        &mut self,
        session: &Session,
        ticket: &str,
        reason: &str,
    ) -> Result<(), DeskError> {
        let (head, _) = self.running_case(session, ticket)?;
        let reason = case::reason(reason).map_err(|m| DeskError::at(m, Input::Reason))?;
        let sms = self.text_message(&head, msg!("case.sms_paused", reason = reason))?;
        self.store.write_all(Some(session.clerk_id), |tx, now| {
            cases::pause(tx, head.id, session.clerk_id, &reason, now)?;
            let detail = json!({"reason": reason});
            let mut events = vec![
                Event::new("case.pause", &head.ticket, detail).about(Aggregate::Case(head.id))
            ];
            events.extend(sms);
            Ok(((), events))
        })?;
        Ok(())
    }

    /// Resumes a paused case: the working days it stood still are added to
    /// every due date still ahead. Returns those days.
    pub fn resume_case(&mut self, session: &Session, ticket: &str) -> Result<i64, DeskError> {
        Self::may_move_cases(session)?;
        let (head, steps) = self.case(ticket)?;
        let Some(since) = head.paused_at else {
            return Err(msg!("case.not_paused").into());
        };
        let today = self.clock().today();
        let from = since.with_timezone(&chrono::Local).date_naive();
        let days = case::working_days_between(&self.calendar, from, today);
        let mut moved = Vec::new();
        for s in steps.iter().filter(|s| s.status != StepStatus::Done) {
            if let Some(d) = s.due_date {
                let due = self.calendar.due(d, days as u32)?;
                moved.push((s.seq, due.date, due.estimated));
            }
        }
        let visit_due = match head.visit_due {
            Some(d) => Some(self.calendar.due(d, days as u32)?.date),
            None => None,
        };
        let sms = self.text_message(&head, msg!("case.sms_resumed", days = days))?;
        self.store.write_all(Some(session.clerk_id), |tx, now| {
            cases::resume(tx, head.id, session.clerk_id, days, now)?;
            for (seq, date, est) in &moved {
                cases::set_due(tx, head.id, *seq, *date, *est)?;
            }
            if visit_due.is_some() {
                cases::set_visit_due(tx, head.id, visit_due)?;
            }
            let detail = json!({"working_days": days});
            let mut events = vec![
                Event::new("case.resume", &head.ticket, detail).about(Aggregate::Case(head.id))
            ];
            events.extend(sms);
            Ok(((), events))
        })?;
        Ok(days)
    }

    /// Ends a case as withdrawn by the customer or refused, with the reason.
    pub fn end_case(
        &mut self,
        session: &Session,
        ticket: &str,
        end: CaseEnd,
        reason: &str,
    ) -> Result<(), DeskError> {
        let (head, _) = self.open_case(session, ticket)?;
        if end == CaseEnd::Completed {
            // A case completes when its last step is recorded done.
            return Err(msg!("case.complete_by_steps").into());
        }
        let reason = case::reason(reason).map_err(|m| DeskError::at(m, Input::Reason))?;
        let told = msg!("case.sms_ended", reason = reason)
            .part("how", crate::domain::msg::Msg::new(end.label_key()));
        let sms = self.text_message(&head, told)?;
        self.store.write_all(Some(session.clerk_id), |tx, now| {
            cases::end(tx, head.id, end.status(), Some(&reason), now)?;
            let detail =
                json!({"end": crate::store::codes::Code::code(end.status()), "reason": reason});
            let mut events =
                vec![Event::new("case.end", &head.ticket, detail).about(Aggregate::Case(head.id))];
            events.extend(sms);
            Ok(((), events))
        })?;
        Ok(())
    }

    /// Records the return visit of a case waiting for it: satisfied closes
    /// the case; not satisfied opens it again at its last step, due by that
    /// step's limit from today.
    pub fn record_visit(
        &mut self,
        session: &Session,
        ticket: &str,
        way: case::Way,
        verdict: case::Verdict,
        note: &str,
    ) -> Result<case::Verdict, DeskError> {
        self.may_record_visit(session, ticket)?;
        let (head, steps) = self.open_case(session, ticket)?;
        let note = note.trim().to_string();
        if verdict == case::Verdict::NotSatisfied && note.is_empty() {
            // What the customer is not satisfied with is what the next round works on.
            return Err(DeskError::at(msg!("case.visit_note_needed"), Input::Reason));
        }
        let last = steps
            .last()
            .cloned()
            .ok_or_else(|| DeskError::new(msg!("case.closed")))?;
        let today = self.clock().today();
        let again = self.calendar.due(today, last.limit_wd.max(0) as u32)?;
        let told = match verdict {
            case::Verdict::Satisfied => msg!("case.sms_visit_closed"),
            case::Verdict::NotSatisfied => msg!("case.sms_visit_reopened", due = again.date),
        };
        let sms = self.text_message(&head, told)?;
        self.store.write_all(Some(session.clerk_id), |tx, now| {
            cases::visit(tx, head.id, session.clerk_id, way, verdict, &note, now)?;
            cases::set_visit_due(tx, head.id, None)?;
            match verdict {
                case::Verdict::Satisfied => {
                    cases::end(tx, head.id, ApplicationStatus::Completed, None, now)?
                }
                case::Verdict::NotSatisfied => {
                    cases::reopen_step(tx, head.id, last.seq, again.date, again.estimated)?
                }
            }
            let detail = json!({
                "way": crate::store::codes::Code::code(way),
                "verdict": crate::store::codes::Code::code(verdict),
                "note": note,
            });
            let mut events = vec![
                Event::new("case.visit", &head.ticket, detail).about(Aggregate::Case(head.id))
            ];
            events.extend(sms);
            Ok(((), events))
        })?;
        Ok(verdict)
    }

    /// Complaints and opinions due or overdue today, whoever owns them (the
    /// duty manager's escalation).
    pub fn complaints_due(&self) -> Result<i64, DeskError> {
        let today = self.clock().today();
        let codes: Vec<&str> = self
            .forms
            .iter()
            .filter(|f| f.category == crate::domain::form::Category::Service)
            .map(|f| f.code.as_str())
            .collect();
        Ok(cases::due_by(self.store.conn(), &codes, today)?)
    }

    /// The business types that have open cases, in the forms' order, for
    /// the queue's business filter (F3 steps through these only).
    pub fn queue_forms(&self, owner: Option<i64>) -> Result<Vec<String>, DeskError> {
        let present = crate::store::case_queue::open_forms(self.store.conn(), owner)?;
        let mut out: Vec<String> = self
            .forms
            .iter()
            .filter(|f| present.contains(&f.code))
            .map(|f| f.code.clone())
            .collect();
        // Sent down by HQ under a code the forms lack: still filterable.
        let unknown: Vec<String> = present.into_iter().filter(|c| !out.contains(c)).collect();
        out.extend(unknown);
        Ok(out)
    }

    /// Open cases by urgency today.
    pub fn queue(&self, filter: &QueueFilter) -> Result<Vec<Queued>, DeskError> {
        let today = self.clock().today();
        // Reconnections after arrears come first: a household without power.
        let mut out = if filter.form_code.is_none()
            && filter.paused != Some(true)
            && filter.owner.is_none()
        {
            let mut first = self.reconnections()?;
            first.extend(self.poor_rating_visits()?);
            first
        } else {
            Vec::new()
        };
        out.extend(
            cases::queue(self.store.conn(), filter, QUEUE_PAGE)?
                .into_iter()
                .map(|row| self.queued(row, today)),
        );
        Ok(out)
    }

    /// Open reconnections as queue rows, urgent by the hour.
    fn reconnections(&self) -> Result<Vec<Queued>, DeskError> {
        let (now, today) = (self.clock().now(), self.clock().today());
        Ok(crate::store::reconnect::open_ones(self.store.conn())?
            .into_iter()
            .map(|r| {
                let (customer, id_no) = r.holder.unwrap_or_default();
                Queued {
                    urgency: case::reconnection_urgency(&self.calendar, r.due_at, now, today),
                    row: QueueRow {
                        ticket: r.account,
                        customer,
                        id_no,
                        form_code: RECONNECTION.into(),
                        step: Some(("复电".into(), "Reconnection".into())),
                        due_date: Some(r.due_at.with_timezone(&chrono::Local).date_naive()),
                        due_at: Some(r.due_at),
                        paused: false,
                        owner: r.clerk,
                        origin: CaseOrigin::Reconnection,
                        manager: None,
                    },
                }
            })
            .collect())
    }

    /// Poor ratings waiting for their return visit, as queue rows (the
    /// duty manager's, due by the visit's date).
    fn poor_rating_visits(&self) -> Result<Vec<Queued>, DeskError> {
        let today = self.clock().today();
        Ok(crate::store::ratings::open_cases(self.store.conn())?
            .into_iter()
            .map(|c| Queued {
                urgency: case::urgency(&self.calendar, Some(c.visit_due), false, today),
                row: QueueRow {
                    ticket: c.reference,
                    customer: String::new(),
                    id_no: String::new(),
                    form_code: POOR_RATING.into(),
                    step: Some(("差评回访".into(), "Poor-rating visit".into())),
                    due_date: Some(c.visit_due),
                    due_at: None,
                    paused: false,
                    // The duty managers', not the rated clerk's.
                    owner: (String::new(), String::new(), false),
                    origin: CaseOrigin::PoorRating,
                    manager: None,
                },
            })
            .collect())
    }

    /// A queue row with its urgency today; a case HQ sent down names its
    /// step as the form does (HQ sends the step's id).
    fn queued(&self, mut row: QueueRow, today: NaiveDate) -> Queued {
        if row.origin == CaseOrigin::Hq {
            let named = self.form(&row.form_code).ok().and_then(|f| {
                let code = row.step.as_ref().map(|s| s.0.as_str()).unwrap_or_default();
                f.steps
                    .iter()
                    .find(|s| s.id == code)
                    .map(|s| (s.name.zh.clone(), s.name.en.clone()))
            });
            if named.is_some() {
                row.step = named;
            }
        }
        Queued {
            urgency: case::urgency(&self.calendar, row.due_date, row.paused, today),
            row,
        }
    }

    /// The signed-in clerk's own cases overdue and due today.
    pub fn my_due(&self, session: &Session) -> Result<(i64, i64), DeskError> {
        Ok(cases::owner_due(
            self.store.conn(),
            session.clerk_id,
            self.clock().today(),
        )?)
    }

    /// Every reconnection past its time and every running case past its
    /// due date, most overdue first (the duty manager's morning check).
    pub fn overdue(&self) -> Result<Vec<Queued>, DeskError> {
        let today = self.clock().today();
        let mut out: Vec<Queued> = self
            .reconnections()?
            .into_iter()
            .filter(|q| matches!(q.urgency, Urgency::LateHours(_) | Urgency::Overdue(_)))
            .collect();
        let rows = cases::queue(
            self.store.conn(),
            &QueueFilter {
                paused: Some(false),
                ..QueueFilter::default()
            },
            i64::MAX,
        )?;
        out.extend(
            rows.into_iter()
                .filter(|r| r.due_date.is_some_and(|d| d < today))
                .map(|row| self.queued(row, today)),
        );
        Ok(out)
    }

    /// A case's steps as recorded and its pauses.
    pub fn case_record(&self, ticket: &str) -> Result<CaseRecord, DeskError> {
        let (head, _) = self.case(ticket)?;
        let conn = self.store.conn();
        let app = crate::store::applications::by_ticket(conn, &head.ticket)?.ok_or_else(|| {
            DeskError::new(msg!("acceptance.no_such_ticket", ticket = head.ticket))
        })?;
        let customer = crate::store::customers::by_row_id(conn, app.customer_id)?
            .map(|c| {
                (
                    crate::domain::customer::mask_name(&c.name),
                    crate::domain::id::mask(&c.id_no),
                )
            })
            .unwrap_or_default();
        Ok(CaseRecord {
            customer,
            steps: cases::step_records(conn, head.id)?,
            completions: cases::completions(conn, &head.ticket)?,
            pauses: cases::pauses(conn, head.id)?,
            handovers: cases::handovers(conn, head.id)?,
            visits: cases::visits(conn, head.id)?,
        })
    }
}

/// A case's whole course, for `case show`: the customer masked, every
/// step's record and every time a step was recorded done (a reopened step
/// was done twice), pauses, hand-overs and return visits.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    /// The customer's masked name and masked ID number.
    pub customer: (String, String),
    /// Each step's last record, in order.
    pub steps: Vec<cases::StepRecord>,
    /// Every completion recorded, oldest first: (when, step, who, note).
    pub completions: Vec<cases::CompletionRecord>,
    /// Every pause.
    pub pauses: Vec<cases::PauseRecord>,
    /// Every hand-over.
    pub handovers: Vec<cases::HandoverRecord>,
    pub visits: Vec<cases::VisitRecord>,
}
