//! What a practice run left on record, as plain values: the sandbox's rows
//! made after its seed (read by the store), and what the run recorded
//! beside them (keys, refusals, hints, time). Scoring reads only this.

use std::collections::BTreeMap;

use crate::domain::money::{Fen, Method};
use crate::domain::states::PaymentKind;

/// A customer registered during the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerFact {
    /// ID number as recorded.
    pub id_number: String,
    /// Registered on a duty manager's sign-off.
    pub signed_off: bool,
}

/// An application accepted during the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationFact {
    pub ticket: String,
    /// Business type.
    pub form: String,
    /// Field values as recorded.
    pub fields: BTreeMap<String, String>,
    /// Materials recorded received.
    pub received: Vec<String>,
    /// Materials recorded owed.
    pub owed: Vec<String>,
    /// Disclosure items recorded.
    pub disclosures: usize,
    /// Accepted as a duplicate with a reason.
    pub duplicate: bool,
}

/// One instrument of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenderFact {
    pub method: Method,
    /// Applied to the amount due.
    pub applied: Fen,
    /// Handed over.
    pub tendered: Fen,
}

/// A payment taken during the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFact {
    pub receipt: String,
    /// Bill or fee.
    pub kind: PaymentKind,
    pub account: Option<String>,
    pub period: Option<String>,
    /// For a fee: the application's business type.
    pub form: Option<String>,
    /// Due before the late fee.
    pub due: Fen,
    pub late_fee: Fen,
    /// Change handed back.
    pub change: Fen,
    /// Instruments.
    pub tenders: Vec<TenderFact>,
    /// Reversed since.
    pub reversed: bool,
}

impl PaymentFact {
    /// Due plus late fee.
    pub fn total(&self) -> Fen {
        Fen(self.due.0 + self.late_fee.0)
    }

    /// Everything handed over.
    pub fn tendered(&self) -> Fen {
        Fen(self.tenders.iter().map(|t| t.tendered.0).sum())
    }
}

/// A slip produced during the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipFact {
    /// Kind code (`payment_receipt`...).
    pub kind: String,
    pub number: String,
}

/// A shift closed during the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftFact {
    /// Over (+) or short (−) over every line.
    pub over_short: Fen,
}

/// What the sandbox holds that the run made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Customers registered.
    pub customers: Vec<CustomerFact>,
    /// Applications accepted.
    pub applications: Vec<ApplicationFact>,
    /// Payments taken (and any reversed).
    pub payments: Vec<PaymentFact>,
    /// Slips produced, reprints included.
    pub slips: Vec<SlipFact>,
    pub closed_shifts: Vec<ShiftFact>,
    /// Payments seeded before the run that it reversed, by account.
    pub reversed_seeded: Vec<String>,
}

/// What the run recorded beside the sandbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Milliseconds from start to end.
    pub elapsed_ms: u64,
    /// Keys pressed.
    pub keys: u32,
    /// Catalogue keys of the refusals shown, in order.
    pub refusals: Vec<String>,
    /// Hints asked for.
    pub hints: u32,
    /// The customer's questions asked, by their keys (`Customer::answer_key`).
    pub asked: std::collections::BTreeSet<String>,
}
