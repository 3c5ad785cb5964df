//! The hall's queue (排号叫号): tickets by business group, the green
//! channel, what a window may do with a ticket, and the timed rows that
//! wait and service times come from. Pure: the hall service's store keeps
//! the rows, this decides what they may become.

pub mod announce;
pub mod figures;
pub mod pick;

use serde::{Deserialize, Serialize};

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    /// Issued (or transferred, or put back) and waiting to be called.
    Waiting,
    /// Called to a window; the customer is on the way.
    Called,
    /// At the window: the service has started.
    Serving,
    /// Put on hold by a window (the customer fetches a document...).
    Held,
    /// Done.
    Served,
    /// Called the configured number of times and never came.
    NoShow,
}

impl TicketState {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            TicketState::Waiting => "waiting",
            TicketState::Called => "called",
            TicketState::Serving => "serving",
            TicketState::Held => "held",
            TicketState::Served => "served",
            TicketState::NoShow => "no_show",
        }
    }

    /// The state for a stored code.
    pub fn from_code(code: &str) -> Option<TicketState> {
        [
            TicketState::Waiting,
            TicketState::Called,
            TicketState::Serving,
            TicketState::Held,
            TicketState::Served,
            TicketState::NoShow,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Whether the ticket is still in the hall's queue today.
    pub fn is_open(self) -> bool {
        !matches!(self, TicketState::Served | TicketState::NoShow)
    }
}

/// One timed row of a ticket's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Taken at the kiosk.
    Issued,
    /// Called to a window (the first call, or out of order, or from hold).
    Called,
    /// Called again: the same window, the same call; changes no time.
    Recalled,
    /// The service began at the window.
    Started,
    /// Put on hold.
    Held,
    /// Sent to another group or window, back into the queue by its issue time.
    Transferred,
    /// Done.
    Served,
    /// Never came.
    NoShow,
}

impl EventKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Issued => "issued",
            EventKind::Called => "called",
            EventKind::Recalled => "recalled",
            EventKind::Started => "started",
            EventKind::Held => "held",
            EventKind::Transferred => "transferred",
            EventKind::Served => "served",
            EventKind::NoShow => "no_show",
        }
    }

    /// The kind for a stored code.
    pub fn from_code(code: &str) -> Option<EventKind> {
        [
            EventKind::Issued,
            EventKind::Called,
            EventKind::Recalled,
            EventKind::Started,
            EventKind::Held,
            EventKind::Transferred,
            EventKind::Served,
            EventKind::NoShow,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// How a ticket's visit to a window ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Served,
    NoShow,
    Transferred,
}

impl Outcome {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Served => "served",
            Outcome::NoShow => "no_show",
            Outcome::Transferred => "transferred",
        }
    }
}

/// What a window asks of a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Call it (next in turn, chosen out of order, or taken back from hold).
    Call,
    /// Call it again.
    Recall,
    /// The customer is at the window.
    Start,
    /// Put it on hold at this window.
    Hold,
    /// Send it to another group or window.
    Transfer,
    /// Done.
    Serve,
    /// The customer never came.
    NoShow,
}

/// Why a window may not do what it asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// No such ticket today.
    Unknown,
    /// Another window has it.
    OtherWindow,
    /// Not in a state for this (served, no-show, not yet called...).
    NotNow,
    /// A no-show before the configured number of calls.
    TooFewCalls,
    /// Nobody waiting for this window's groups.
    NobodyWaiting,
    /// A group that is not configured.
    UnknownGroup,
    /// A window number that is not configured.
    UnknownWindow,
    /// Out of order, transfer or no-show without the reason asked for.
    ReasonNeeded,
}

impl Refusal {
    /// The code the API answers with.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Unknown => "unknown_ticket",
            Refusal::OtherWindow => "other_window",
            Refusal::NotNow => "not_now",
            Refusal::TooFewCalls => "too_few_calls",
            Refusal::NobodyWaiting => "nobody_waiting",
            Refusal::UnknownGroup => "unknown_group",
            Refusal::UnknownWindow => "unknown_window",
            Refusal::ReasonNeeded => "reason_needed",
        }
    }

    /// What the window is told, and what to do.
    pub fn msg(self) -> crate::domain::msg::Msg {
        match self {
            Refusal::Unknown => crate::msg!("queue.refused_unknown_ticket"),
            Refusal::OtherWindow => crate::msg!("queue.refused_other_window"),
            Refusal::NotNow => crate::msg!("queue.refused_not_now"),
            Refusal::TooFewCalls => crate::msg!("queue.refused_too_few_calls"),
            Refusal::NobodyWaiting => crate::msg!("queue.refused_nobody_waiting"),
            Refusal::UnknownGroup => crate::msg!("queue.refused_unknown_group"),
            Refusal::UnknownWindow => crate::msg!("queue.refused_unknown_window"),
            Refusal::ReasonNeeded => crate::msg!("queue.refused_reason_needed"),
        }
    }

    /// The refusal for an API code.
    pub fn from_code(code: &str) -> Option<Refusal> {
        [
            Refusal::Unknown,
            Refusal::OtherWindow,
            Refusal::NotNow,
            Refusal::TooFewCalls,
            Refusal::NobodyWaiting,
            Refusal::UnknownGroup,
            Refusal::UnknownWindow,
            Refusal::ReasonNeeded,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
}

/// A ticket as a window sees it when it acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// Where it stands.
    pub state: TicketState,
    /// The window that has it (called, serving, held), or the window it
    /// was transferred to (waiting for that window only).
    pub window: Option<String>,
    /// Calls since it was last called fresh (1 after the first call).
    pub calls: u32,
    /// Its service has started (so a call back from hold resumes it).
    pub started: bool,
}

/// What an action makes of a ticket, or why not; `window` is the window
/// asking, `no_show_after` the calls a no-show needs.
pub fn act(
    t: &Standing,
    action: &Action,
    window: &str,
    no_show_after: u32,
) -> Result<(TicketState, EventKind), Refusal> {
    let mine = t.window.as_deref() == Some(window);
    let free_for_me = t.window.is_none() || mine;
    use TicketState as S;
    match (action, t.state) {
        (Action::Call, S::Waiting) if free_for_me => Ok((S::Called, EventKind::Called)),
        // Taken back from hold: a service already started goes on, it
        // does not start again.
        (Action::Call, S::Held) if mine && t.started => Ok((S::Serving, EventKind::Called)),
        (Action::Call, S::Held) if mine => Ok((S::Called, EventKind::Called)),
        (Action::Recall, S::Called | S::Serving) if mine => Ok((t.state, EventKind::Recalled)),
        (Action::Start, S::Called) if mine => Ok((S::Serving, EventKind::Started)),
        (Action::Hold, S::Called | S::Serving) if mine => Ok((S::Held, EventKind::Held)),
        (Action::Transfer, S::Called | S::Serving | S::Held) if mine => {
            Ok((S::Waiting, EventKind::Transferred))
        }
        (Action::Serve, S::Called | S::Serving) if mine => Ok((S::Served, EventKind::Served)),
        (Action::NoShow, S::Called) if mine => {
            if t.calls >= no_show_after.max(1) {
                Ok((S::NoShow, EventKind::NoShow))
            } else {
                Err(Refusal::TooFewCalls)
            }
        }
        (_, S::Waiting | S::Called | S::Serving | S::Held) if !free_for_me => {
            Err(Refusal::OtherWindow)
        }
        _ => Err(Refusal::NotNow),
    }
}

/// How a ticket is written: the group's letter and the day's number,
/// three digits ("A023"); a fourth digit past 999.
pub fn label(prefix: &str, number: i64) -> String {
    format!("{prefix}{number:03}")
}

#[cfg(test)]
mod tests;
