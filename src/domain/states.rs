//! The states of the counter's records, as types. The store maps them to
//! the text kept in the database; nothing above it compares strings.

/// Where a step of an accepted application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepStatus {
    /// Not started: an earlier step is still running.
    Pending,
    /// The step being worked on.
    Current,
    /// Finished.
    Done,
}

/// Whether a material was handed over or is still owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaterialStatus {
    /// Handed over at the counter.
    Received,
    /// Follows later (single-ID acceptance), by its due date.
    Owed,
    /// Already on the customer's file and still valid: not asked again
    /// (已在档).
    OnFile,
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    /// Accepted and not finished.
    Open,
    /// Every step done.
    Completed,
    /// Withdrawn by the customer.
    Withdrawn,
    /// Refused, or put off, with a reason (无法或暂缓办理).
    Refused,
}

/// Whether an electricity account is supplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountStatus {
    /// Supplied.
    Active,
    /// Suspended (暂停) at the customer's request.
    Suspended,
    /// Closed (销户).
    Closed,
}

/// An account's supply as HQ reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SupplyState {
    /// Supplied.
    Normal,
    /// Cut off for arrears (欠费停电).
    CutOff,
    /// Suspended at the customer's request.
    Suspended,
    /// Closed (销户).
    Closed,
}

/// Where an outbox record stands with HQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Not yet acknowledged.
    Waiting,
    /// HQ committed it.
    Acknowledged,
    /// HQ stored it but could not use it.
    Quarantined,
    /// HQ holds a different record under its identity.
    Forked,
}

/// A cashier's shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShiftStatus {
    /// Taking money.
    Open,
    /// Counted blind and frozen.
    Closed,
}

/// A payment's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    /// Taken and standing.
    Paid,
    /// Reversed (冲正) within its shift; the number stays, marked.
    Reversed,
}

/// What a payment settles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentKind {
    /// An electricity bill of an account.
    Bill,
    /// A business fee disclosed on an application.
    Fee,
}

/// What happened when a slip was handed to the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrintStatus {
    /// Only written to the spool (no printer, or not yet sent).
    Spooled,
    /// Accepted by the print queue.
    Sent,
    /// The queue refused it; the file stays in the spool.
    Failed,
}

/// Paper a slip is printed on, as configured per kind of slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Paper {
    /// ISO A4 sheet, 210 × 297 mm.
    #[serde(rename = "a4")]
    A4,
    /// 80 mm thermal receipt roll.
    #[serde(rename = "roll80")]
    Roll80,
    /// A queue ticket: the 80 mm roll cut short, 100 mm long.
    #[serde(rename = "ticket80")]
    Ticket80,
}

/// The kinds of slip the counter prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlipKind {
    /// 受理回执.
    AcceptanceReceipt,
    /// 一次性告知书, customer copy and the stub for the file.
    DisclosureNotice,
    /// 进度单 for a returning customer.
    ProgressSlip,
    /// 收费收据.
    PaymentReceipt,
    /// 冲正单.
    ReversalSlip,
    /// 退费凭证.
    RefundSlip,
    /// 日结单.
    SettlementReport,
    /// 无法或暂缓办理用电申请记录, signed by the customer.
    RefusalRecord,
    /// The printer set-up page.
    TestPage,
    /// 一次性告知书 (便携版) for a customer who only asked.
    ConsultationNotice,
}

impl SlipKind {
    /// Every kind.
    pub const ALL: [SlipKind; 10] = [
        SlipKind::AcceptanceReceipt,
        SlipKind::DisclosureNotice,
        SlipKind::ProgressSlip,
        SlipKind::PaymentReceipt,
        SlipKind::ReversalSlip,
        SlipKind::RefundSlip,
        SlipKind::SettlementReport,
        SlipKind::RefusalRecord,
        SlipKind::TestPage,
        SlipKind::ConsultationNotice,
    ];

    /// Receipts are money documents: reprinting one needs a duty manager.
    pub fn is_receipt(self) -> bool {
        matches!(
            self,
            SlipKind::PaymentReceipt | SlipKind::ReversalSlip | SlipKind::RefundSlip
        )
    }
}

impl From<crate::domain::form::SlipKind> for SlipKind {
    fn from(s: crate::domain::form::SlipKind) -> SlipKind {
        use crate::domain::form::SlipKind as Told;
        match s {
            Told::AcceptanceReceipt => SlipKind::AcceptanceReceipt,
            Told::DisclosureNotice => SlipKind::DisclosureNotice,
            Told::ProgressSlip => SlipKind::ProgressSlip,
            Told::PaymentReceipt => SlipKind::PaymentReceipt,
        }
    }
}
