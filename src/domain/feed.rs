//! Why an item HQ sent down could not be applied at this counter: a value
//! it cannot read, or a case step its case does not have. Held items are
//! kept for a person to see; the feed goes on past them.

use crate::domain::msg::Msg;
use crate::msg;

/// Why an item was held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldReason {
    /// A supply state, step state or customer class this counter does not know.
    UnknownValue(String),
    /// A date or time that cannot be read.
    MalformedTime(String),
    /// A step the ticket's case does not have (by id or name).
    UnknownStep {
        /// The case.
        ticket: String,
        /// The step as HQ named it.
        step: String,
    },
}

impl HeldReason {
    /// The stored code and detail.
    pub fn to_stored(&self) -> (&'static str, String) {
        match self {
            HeldReason::UnknownValue(v) => ("unknown_value", v.clone()),
            HeldReason::MalformedTime(v) => ("malformed_time", v.clone()),
            HeldReason::UnknownStep { ticket, step } => {
                ("unknown_step", format!("{ticket}\t{step}"))
            }
        }
    }

    /// Read back from its stored code and detail.
    pub fn from_stored(code: &str, detail: &str) -> HeldReason {
        match code {
            "malformed_time" => HeldReason::MalformedTime(detail.to_string()),
            "unknown_step" => {
                let (ticket, step) = detail.split_once('\t').unwrap_or((detail, ""));
                HeldReason::UnknownStep {
                    ticket: ticket.to_string(),
                    step: step.to_string(),
                }
            }
            _ => HeldReason::UnknownValue(detail.to_string()),
        }
    }

    /// What the clerk reads.
    pub fn msg(&self) -> Msg {
        match self {
            HeldReason::UnknownValue(v) => msg!("feed.held_unknown_value", value = v),
            HeldReason::MalformedTime(v) => msg!("feed.held_malformed_time", value = v),
            HeldReason::UnknownStep { ticket, step } => {
                msg!("feed.held_unknown_step", ticket = ticket, step = step)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip_through_the_store() {
        for r in [
            HeldReason::UnknownValue("bogus".into()),
            HeldReason::MalformedTime("yesterday".into()),
            HeldReason::UnknownStep {
                ticket: "SL20261130-1-0001".into(),
                step: "业务受理".into(),
            },
        ] {
            let (code, detail) = r.to_stored();
            assert_eq!(HeldReason::from_stored(code, &detail), r);
        }
    }
}
