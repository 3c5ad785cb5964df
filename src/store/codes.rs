//! How the states of records are written in the database. The domain keeps
//! them as enums; this is the one place that turns them into text and back.
//! A value the program does not know (a newer program's, or a hand edit)
//! reads as an error naming the value, never as a silent default.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::case::{CaseOrigin, ReconnectionCancel, Verdict, Way};
use crate::domain::clerk::Role;
use crate::domain::form::Keep;
use crate::domain::form::{MaterialForm, StepStart};
use crate::domain::grid::Source;
use crate::domain::id::Gender;
use crate::domain::lab::RunState;
use crate::domain::money::{CustomerClass, Method};
use crate::domain::msg::Lang;
use crate::domain::states::{
    AccountStatus, ApplicationStatus, MaterialStatus, OutboxState, Paper, PaymentKind,
    PaymentStatus, PrintStatus, ShiftStatus, SlipKind, StepStatus, SupplyState,
};

/// A state stored as a fixed word.
pub trait Code: Sized + Copy + 'static {
    /// Every value, for reading back.
    const ALL: &'static [Self];
    /// The stored word.
    fn code(self) -> &'static str;
    /// The value of a stored word.
    fn from_code(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == s)
    }
}

// Stored as the value's word; read back by it (`from_code` is the `Code`
// trait's, or the type's own where the domain carries its codes).
macro_rules! sql_text {
    ($t:ty) => {
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.code()))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = value.as_str()?;
                <$t>::from_code(s).ok_or_else(|| {
                    FromSqlError::Other(format!("unknown {} \"{s}\"", stringify!($t)).into())
                })
            }
        }
    };
}

macro_rules! codes {
    ($t:ty { $($v:ident => $s:literal),+ $(,)? }) => {
        impl Code for $t {
            const ALL: &'static [Self] = &[$(<$t>::$v),+];
            fn code(self) -> &'static str {
                match self { $(<$t>::$v => $s),+ }
            }
        }
        sql_text!($t);
    };
}

codes!(StepStatus { Pending => "pending", Current => "current", Done => "done" });
codes!(MaterialStatus { Received => "received", Owed => "owed", OnFile => "on_file" });
codes!(Source { Hq => "hq", Local => "local", Chosen => "chosen" });
codes!(Keep { UntilExpiry => "until_expiry", NoExpiry => "no_expiry", SameAddress => "same_address", ThisApplication => "this_application" });
codes!(ApplicationStatus { Open => "open", Completed => "completed", Withdrawn => "withdrawn", Refused => "refused" });
codes!(AccountStatus { Active => "active", Suspended => "suspended", Closed => "closed" });
codes!(ShiftStatus { Open => "open", Closed => "closed" });
codes!(Way { Phone => "phone", InPerson => "in_person" });
codes!(Lang { Zh => "zh", En => "en" });
codes!(CaseOrigin { Here => "here", Hq => "hq", Reconnection => "reconnection", PoorRating => "poor_rating" });
codes!(ReconnectionCancel { Reversed => "reversed", Dishonoured => "dishonoured" });
codes!(Verdict { Satisfied => "satisfied", NotSatisfied => "not_satisfied" });
codes!(RunState { Running => "running", Finished => "finished", Interrupted => "interrupted" });
codes!(SupplyState { Normal => "normal", CutOff => "cut_off", Suspended => "suspended", Closed => "closed" });
codes!(OutboxState {
    Waiting => "waiting",
    Acknowledged => "acknowledged",
    Quarantined => "quarantined",
    Forked => "forked",
});
codes!(PaymentStatus { Paid => "paid", Reversed => "reversed" });
codes!(PaymentKind { Bill => "bill", Fee => "fee" });
codes!(PrintStatus { Spooled => "spooled", Sent => "sent", Failed => "failed" });
codes!(Paper { A4 => "a4", Roll80 => "roll80", Ticket80 => "ticket80" });
codes!(SlipKind {
    AcceptanceReceipt => "acceptance_receipt",
    DisclosureNotice => "disclosure_notice",
    ProgressSlip => "progress_slip",
    PaymentReceipt => "payment_receipt",
    ReversalSlip => "reversal_slip",
    RefundSlip => "refund_slip",
    SettlementReport => "settlement_report",
    RefusalRecord => "refusal_record",
    TestPage => "test_page",
    ConsultationNotice => "consultation_notice",
});
codes!(MaterialForm { Original => "original", Copy => "copy", OriginalAndCopy => "original_and_copy" });
// Written as they always were, so older rows read back.
codes!(StepStart {
    Acceptance => "Acceptance",
    PreviousStep => "PreviousStep",
    CustomerRequest => "CustomerRequest",
    InspectionPassed => "InspectionPassed",
});
codes!(Gender { Male => "male", Female => "female" });
codes!(CustomerClass { Residential => "residential", Other => "other" });

// Methods and roles carry their codes in the domain already (the audit
// log's details and the command line print them); the database uses the same.
sql_text!(Method);
sql_text!(Role);
sql_text!(crate::domain::scan::ScanKind);

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Code + PartialEq + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(T::from_code(v.code()), Some(*v));
        }
        assert_eq!(T::from_code("no such state"), None);
    }

    #[test]
    fn every_state_reads_back_as_written() {
        round_trip::<StepStatus>();
        round_trip::<MaterialStatus>();
        round_trip::<ShiftStatus>();
        round_trip::<AccountStatus>();
        round_trip::<PaymentStatus>();
        round_trip::<PaymentKind>();
        round_trip::<PrintStatus>();
        round_trip::<SlipKind>();
        round_trip::<Paper>();
        round_trip::<MaterialForm>();
        round_trip::<Keep>();
        round_trip::<Source>();
        round_trip::<Gender>();
        round_trip::<StepStart>();
        round_trip::<CustomerClass>();
    }
}
