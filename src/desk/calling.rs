//! Calling tickets at the window: the link to the hall service, the
//! ticket in service, what was done for it, and what waits to be told to
//! the hall service when it is back. A window that cannot reach the
//! queue works on without it and says so; the ticket's end is sent when
//! the link returns, so the hall's figures are never short of it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Desk, DeskError, Session};
use crate::domain::msg::Msg;
use crate::domain::queue::Outcome;
use crate::hall::link::{self, HallLink, LinkError};
use crate::hall::wire::{QueueView, TicketView, WindowRequest};

/// How often a window that lost the hall service looks for it again.
const PROBE_EVERY: Duration = Duration::from_secs(5);

/// The queue as the header says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueState {
    /// Reached at the last call.
    Online,
    /// Not reached: the window works without a queue.
    Offline,
    /// The hall service does not know this window's token.
    Refused,
}

/// The header's queue part: the state and the ticket in service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueLine {
    pub state: QueueState,
    pub ticket: Option<String>,
}

/// The window's calling state between keys.
#[derive(Default)]
pub struct Calling {
    link: Option<Arc<HallLink>>,
    state: Option<QueueState>,
    current: Option<TicketView>,
    /// Receipts and tickets of the transactions done for the current ticket.
    refs: Vec<String>,
    /// Ends of tickets not yet told to the hall service.
    pending: Vec<(String, WindowRequest)>,
    probe: Option<Arc<Mutex<Option<bool>>>>,
    probed_at: Option<Instant>,
    /// When this window called the current ticket.
    called_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What a window may do to its ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketAction {
    Recall,
    Hold,
    NoShow,
    Finish,
}

impl TicketAction {
    fn path(self) -> &'static str {
        match self {
            TicketAction::Recall => "recall",
            TicketAction::Hold => "hold",
            TicketAction::NoShow => "no-show",
            TicketAction::Finish => "serve",
        }
    }
}

impl Desk {
    /// Connects the window to the hall's queue as configured; `Ok(false)`
    /// when none is configured. The first answer decides the header.
    pub fn start_queue(&mut self) -> Result<bool, Msg> {
        if self.training {
            return Ok(false);
        }
        let Some(link) = link::from_config(&self.config.queue)? else {
            return Ok(false);
        };
        let link = Arc::new(link);
        self.calling.state = Some(match link.whoami() {
            Ok(_) => QueueState::Online,
            Err(LinkError::Token) => QueueState::Refused,
            Err(_) => QueueState::Offline,
        });
        if let Ok(q) = link.queue() {
            self.calling.current = q.current;
        }
        self.calling.link = Some(link);
        Ok(true)
    }

    /// The header's queue part, when a queue is configured.
    pub fn queue_line(&self) -> Option<QueueLine> {
        let state = self.calling.state?;
        Some(QueueLine {
            state,
            ticket: self.calling.current.as_ref().map(|t| t.label.clone()),
        })
    }

    /// The ticket this window has called or is serving.
    pub fn current_ticket(&self) -> Option<&TicketView> {
        self.calling.current.as_ref()
    }

    fn link_or_refuse(&self) -> Result<Arc<HallLink>, DeskError> {
        self.calling
            .link
            .clone()
            .ok_or_else(|| DeskError::new(crate::msg!("queue.not_configured")))
    }

    fn request(&self, session: &Session) -> WindowRequest {
        WindowRequest {
            clerk: session.staff_no().to_string(),
            ..WindowRequest::default()
        }
    }

    /// Takes an answer: the state follows it, a refusal becomes the
    /// clerk's message.
    fn heard<T>(&mut self, r: Result<T, LinkError>) -> Result<T, DeskError> {
        match r {
            Ok(v) => {
                self.calling.state = Some(QueueState::Online);
                Ok(v)
            }
            Err(e) => {
                match &e {
                    LinkError::Offline(why) => {
                        tracing::warn!(why = %why, "hall queue not reached");
                        self.calling.state = Some(QueueState::Offline);
                    }
                    LinkError::Token => self.calling.state = Some(QueueState::Refused),
                    _ => {}
                }
                Err(DeskError::new(e.msg()))
            }
        }
    }

    /// Tells the hall service what it missed while it could not be reached.
    fn catch_up(&mut self, link: &HallLink) {
        while let Some((label, req)) = self.calling.pending.first().cloned() {
            match link.act(&label, "serve", &req) {
                Ok(_) | Err(LinkError::Refused(_)) => {
                    self.calling.pending.remove(0);
                }
                Err(_) => return,
            }
        }
    }

    /// "Call next": the ticket being served ends with what was done for it,
    /// and the next one for this window's groups is called.
    pub fn call_next(&mut self, session: &Session) -> Result<TicketView, DeskError> {
        let link = self.link_or_refuse()?;
        self.catch_up(&link);
        let mut req = self.request(session);
        req.refs = self.calling.refs.clone();
        let answer = link.call_next(&req);
        if answer == Err(LinkError::Refused(crate::domain::queue::Refusal::NotNow)) {
            // The ticket called last never started: the clerk says what
            // became of that customer before the next is called.
            if let Ok(q) = link.queue() {
                self.calling.current = q.current;
            }
            if let Some(cur) = &self.calling.current {
                return Err(DeskError::new(crate::msg!(
                    "queue.current_not_done",
                    ticket = cur.label
                )));
            }
        }
        let t = self.heard(answer)?;
        // The ticket in service ended with this call: the window's record.
        if let Some(prev) = self.calling.current.take() {
            if prev.state == crate::domain::queue::TicketState::Serving {
                let refs = std::mem::take(&mut self.calling.refs);
                self.record_ticket_visit(session, &prev, Outcome::Served, &refs)?;
            }
        }
        self.calling.refs.clear();
        self.set_current(t.clone());
        Ok(t)
    }

    fn set_current(&mut self, t: TicketView) {
        self.calling.called_at = Some(self.clock().now());
        self.calling.current = Some(t);
        self.reshow();
    }

    /// The window's own record of a ticket that ended here, committed with
    /// its outbox record (it goes up to HQ with the counter's records).
    fn record_ticket_visit(
        &mut self,
        session: &Session,
        t: &TicketView,
        outcome: Outcome,
        refs: &[String],
    ) -> Result<(), DeskError> {
        use crate::store::snapshot::Aggregate;
        use crate::store::visits::{self, Visit};
        let day = crate::store::stamp::day(self.clock().today());
        let window = self.config.hall.window.clone();
        let called_at = self.calling.called_at.unwrap_or_else(|| self.clock().now());
        let clerk_id = session.clerk_id;
        self.store.write(Some(clerk_id), |tx, now| {
            let id = visits::insert(
                tx,
                &Visit {
                    ticket: &t.label,
                    day: &day,
                    window: &window,
                    clerk_id,
                    group: &t.group,
                    green: t.green,
                    outcome,
                    issued_at: &t.issued_at,
                    called_at,
                    refs,
                },
                now,
            )?;
            Ok((
                (),
                crate::store::Event::new(
                    "queue.visit",
                    &t.label,
                    serde_json::json!({"outcome": outcome.code(), "refs": refs}),
                )
                .about(Aggregate::Visit(id)),
            ))
        })?;
        Ok(())
    }

    /// Calls a ticket by its number: out of order from the queue (with the
    /// reason), or back from hold.
    pub fn call_ticket(
        &mut self,
        session: &Session,
        label: &str,
        reason: Option<&str>,
    ) -> Result<TicketView, DeskError> {
        let link = self.link_or_refuse()?;
        let mut req = self.request(session);
        req.reason = reason.map(str::to_string);
        let t = self.heard(link.act(label.trim(), "call", &req))?;
        self.set_current(t.clone());
        Ok(t)
    }

    /// Call again, hold, no-show or finish the ticket in service.
    pub fn ticket_action(
        &mut self,
        session: &Session,
        action: TicketAction,
    ) -> Result<TicketView, DeskError> {
        let link = self.link_or_refuse()?;
        let Some(cur) = self.calling.current.clone() else {
            return Err(DeskError::new(crate::msg!("queue.no_ticket")));
        };
        let mut req = self.request(session);
        if action == TicketAction::Finish {
            req.refs = self.calling.refs.clone();
        }
        match link.act(&cur.label, action.path(), &req) {
            Err(LinkError::Offline(why)) if action == TicketAction::Finish => {
                // Kept, and told when the hall service is back; the
                // window's own record is written now.
                tracing::warn!(why = %why, "ticket end kept for the hall queue");
                self.calling.state = Some(QueueState::Offline);
                let refs = std::mem::take(&mut self.calling.refs);
                self.calling.pending.push((cur.label.clone(), req));
                self.calling.current = None;
                self.reshow();
                self.record_ticket_visit(session, &cur, Outcome::Served, &refs)?;
                Ok(cur)
            }
            r => {
                let t = self.heard(r)?;
                let outcome = match action {
                    TicketAction::Finish => Some(Outcome::Served),
                    TicketAction::NoShow => Some(Outcome::NoShow),
                    TicketAction::Recall | TicketAction::Hold => None,
                };
                if action == TicketAction::Recall {
                    self.calling.current = Some(t.clone());
                } else {
                    self.calling.current = None;
                }
                self.reshow();
                if let Some(outcome) = outcome {
                    let refs = std::mem::take(&mut self.calling.refs);
                    self.record_ticket_visit(session, &cur, outcome, &refs)?;
                }
                Ok(t)
            }
        }
    }

    /// Sends the ticket in service to another group or window, with why.
    pub fn transfer_ticket(
        &mut self,
        session: &Session,
        to_group: Option<&str>,
        to_window: Option<&str>,
        reason: &str,
    ) -> Result<TicketView, DeskError> {
        let link = self.link_or_refuse()?;
        let Some(cur) = self.calling.current.clone() else {
            return Err(DeskError::new(crate::msg!("queue.no_ticket")));
        };
        let mut req = self.request(session);
        req.reason = Some(reason.to_string());
        req.to_group = to_group.map(|g| g.trim().to_uppercase());
        req.to_window = to_window.map(|w| w.trim().to_string());
        let t = self.heard(link.act(&cur.label, "transfer", &req))?;
        self.calling.current = None;
        let refs = std::mem::take(&mut self.calling.refs);
        self.reshow();
        self.record_ticket_visit(session, &cur, Outcome::Transferred, &refs)?;
        Ok(t)
    }

    /// What waits for this window and what it holds.
    pub fn queue_view(&mut self) -> Result<QueueView, DeskError> {
        let link = self.link_or_refuse()?;
        let q = self.heard(link.queue())?;
        self.calling.current = q.current.clone();
        Ok(q)
    }

    /// The service of the called ticket began (the customer is here).
    pub(super) fn ticket_service_started(&mut self) {
        let Some(cur) = self.calling.current.clone() else {
            return;
        };
        if cur.state != crate::domain::queue::TicketState::Called {
            return;
        }
        let Some(link) = self.calling.link.clone() else {
            return;
        };
        let req = WindowRequest::default();
        if let Ok(t) = self.heard(link.act(&cur.label, "start", &req)) {
            self.calling.current = Some(t);
        }
    }

    /// A transaction was committed for the ticket in service.
    pub(super) fn ticket_transaction(&mut self, reference: &str) {
        if self.calling.current.is_some() && !self.calling.refs.iter().any(|r| r == reference) {
            self.calling.refs.push(reference.to_string());
        }
    }

    /// Looks for a lost hall service in the background, and tells it what
    /// it missed once it is back. True when the header changed.
    pub(super) fn queue_tick(&mut self) -> bool {
        let Some(link) = self.calling.link.clone() else {
            return false;
        };
        if self.calling.state == Some(QueueState::Online) && self.calling.pending.is_empty() {
            return false;
        }
        if let Some(slot) = &self.calling.probe {
            let answer = slot.lock().ok().and_then(|g| *g);
            if let Some(up) = answer {
                self.calling.probe = None;
                if up {
                    self.calling.state = Some(QueueState::Online);
                    self.catch_up(&link);
                    return true;
                }
            }
            return false;
        }
        let due = self
            .calling
            .probed_at
            .is_none_or(|at| at.elapsed() >= PROBE_EVERY);
        if due {
            self.calling.probed_at = Some(Instant::now());
            let slot = Arc::new(Mutex::new(None));
            self.calling.probe = Some(Arc::clone(&slot));
            std::thread::spawn(move || {
                let up = link.whoami().is_ok();
                if let Ok(mut g) = slot.lock() {
                    *g = Some(up);
                }
            });
        }
        false
    }

    /// The hall's queue figures today, for a duty manager.
    pub fn queue_figures(
        &mut self,
        session: &Session,
    ) -> Result<(String, crate::domain::queue::figures::Figures), DeskError> {
        if session.role() != crate::domain::clerk::Role::DutyManager {
            return Err(DeskError::new(crate::msg!("queue.figures_duty_manager")));
        }
        let link = self.link_or_refuse()?;
        let v = self.heard(link.figures(None))?;
        let day = v["day"].as_str().unwrap_or_default().to_string();
        let f = serde_json::from_value(v["figures"].clone())
            .map_err(|_| DeskError::new(crate::msg!("queue.garbage")))?;
        Ok((day, f))
    }

    /// Ends of tickets waiting to be told to the hall service.
    pub fn queue_pending(&self) -> usize {
        self.calling.pending.len()
    }
}
