//! What the customer in front of the window may see of the transaction:
//! the customer display shows exactly this. Built from what the clerk's
//! screen holds, it carries the name masked as on slips and never an ID
//! number, a phone, an address or another customer's data.

use crate::domain::money::{Fen, Method};
use crate::domain::msg::Lang;

/// A business or material name in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub zh: String,
    pub en: String,
}

impl Named {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Named {
        Named {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// One amount handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handed {
    pub method: Method,
    pub amount: Fen,
}

/// The moment of the transaction, as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Moment {
    /// Nobody is being served: the hall's notices.
    #[default]
    Idle,
    /// A customer identified, business being accepted.
    Serving {
        /// The name masked as on slips.
        customer: String,
        /// The business being accepted, once chosen.
        business: Option<Named>,
        /// Materials still owed.
        owed: Vec<Named>,
    },
    /// At the cashier: what is due and what was handed over.
    Paying {
        /// What is being paid (a bill's period, a fee's name).
        what: Option<Named>,
        /// Amount due with any late fee, once known.
        due: Option<Fen>,
        /// Of it, the late fee.
        late_fee: Fen,
        /// Each tender so far, the one being typed last.
        handed: Vec<Handed>,
        /// Change to give, once more was handed over than is due.
        change: Fen,
    },
    /// Done: the receipt or ticket number (and change, for a payment).
    Done {
        reference: String,
        change: Option<Fen>,
    },
}

impl Moment {
    /// Whether a customer is being served (the handling time runs).
    pub fn is_service(&self) -> bool {
        match self {
            // Done is the end of a service, not the start of the next.
            Moment::Idle | Moment::Done { .. } => false,
            Moment::Serving { .. } => true,
            Moment::Paying { due, handed, .. } => due.is_some() || !handed.is_empty(),
        }
    }
}

/// The rating the display asks for now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asking {
    /// Nothing to rate.
    Nothing,
    /// Rate the transaction `reference`, for `seconds_left` more seconds.
    Rate {
        reference: String,
        seconds_left: u32,
    },
    /// Rated just now: thanks.
    Thanks,
}

/// The clerk at the window, on their service card (no photo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkCard {
    pub name: String,
    pub staff_no: String,
}

/// The whole display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facing {
    /// The customer's notification language, else the hall's.
    pub lang: Lang,
    pub hall: Named,
    pub window: String,
    /// Nobody signed in: the window is closed.
    pub clerk: Option<ClerkCard>,
    pub moment: Moment,
    pub asking: Asking,
    /// Shown while idle: the hall's notices and the duty manager on duty.
    pub notices: Vec<String>,
    pub duty_manager: String,
    pub duty_manager_phone: String,
    /// The queue ticket in service at this window ("A023").
    pub ticket: Option<String>,
}

/// The change when `handed` exceeds `due`, else zero.
pub fn change(due: Option<Fen>, handed: &[Handed]) -> Fen {
    let paid = handed
        .iter()
        .fold(Fen(0), |s, h| s.saturating_add(h.amount));
    match due {
        Some(d) if paid > d => paid.saturating_sub(d),
        _ => Fen(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_is_what_was_handed_over_beyond_the_due() {
        let cash = |f| Handed {
            method: Method::Cash,
            amount: Fen(f),
        };
        assert_eq!(change(Some(Fen(8_650)), &[cash(10_000)]), Fen(1_350));
        assert_eq!(change(Some(Fen(8_650)), &[cash(5_000)]), Fen(0));
        assert_eq!(change(None, &[cash(5_000)]), Fen(0));
    }

    #[test]
    fn the_handling_time_runs_once_someone_is_served() {
        assert!(!Moment::Idle.is_service());
        let empty = Moment::Paying {
            what: None,
            due: None,
            late_fee: Fen(0),
            handed: vec![],
            change: Fen(0),
        };
        assert!(!empty.is_service());
        let serving = Moment::Serving {
            customer: "张*".into(),
            business: None,
            owed: vec![],
        };
        assert!(serving.is_service());
    }
}
