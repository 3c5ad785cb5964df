//! What the hall service and a window say to each other, as JSON.

use serde::{Deserialize, Serialize};

use crate::domain::queue::{Refusal, TicketState};

/// A ticket as a window and the kiosk see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    /// "A023".
    pub label: String,
    /// Its group's code now.
    pub group: String,
    /// The group's name.
    pub group_name: String,
    /// In the green channel.
    pub green: bool,
    /// Why it is (age, the hall's flag).
    #[serde(default)]
    pub green_why: Option<String>,
    /// Where it stands.
    pub state: TicketState,
    /// The window that has it.
    #[serde(default)]
    pub window: Option<String>,
    /// Calls so far.
    pub calls: u32,
    /// When it was issued (UTC, RFC 3339).
    pub issued_at: String,
}

/// A window's question about a ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRequest {
    /// The clerk at the window.
    #[serde(default)]
    pub clerk: String,
    /// Why (out of order, transfer, no-show).
    #[serde(default)]
    pub reason: Option<String>,
    /// Transfer: to this group.
    #[serde(default)]
    pub to_group: Option<String>,
    /// Transfer: to this window.
    #[serde(default)]
    pub to_window: Option<String>,
    /// Served: the transactions done for it.
    #[serde(default)]
    pub refs: Vec<String>,
}

/// A refusal as the API sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    /// The code (`nobody_waiting`, `other_window`...).
    pub refused: String,
    /// What to do, in Chinese.
    pub message: String,
    /// The same in English.
    pub message_en: String,
}

impl Refused {
    /// The refusal of the domain, in words.
    pub fn of(r: Refusal) -> Refused {
        use crate::domain::msg::Lang;
        Refused {
            refused: r.code().into(),
            message: crate::i18n::text(&r.msg(), Lang::Zh),
            message_en: crate::i18n::text(&r.msg(), Lang::En),
        }
    }
}

/// The window's view of the queue: what waits for it, what it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    /// The window's number.
    pub window: String,
    /// The groups it calls.
    pub groups: Vec<String>,
    /// The ticket it has called or is serving.
    pub current: Option<TicketView>,
    /// Tickets it put on hold.
    pub held: Vec<TicketView>,
    /// Tickets waiting that it may call, in the order they would be called
    /// by time (green channel marked).
    pub waiting: Vec<TicketView>,
}
