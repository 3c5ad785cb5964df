//! Reversals (冲正): a payment of the clerk's open shift taken back on a
//! duty manager's authority, and the reconnection it arranged called off.

use serde_json::json;

use super::{Credentials, Desk, DeskError, Session};
use crate::domain::case::ReconnectionCancel;
use crate::domain::msg::Input;
use crate::domain::states::PaymentStatus;
use crate::msg;
use crate::store::money::{self, PaymentRow};
use crate::store::{reconnect, Aggregate, Event};

/// A payment reversed.
#[derive(Debug, Clone)]
pub struct Reversal {
    /// The payment as it now stands, marked reversed.
    pub payment: PaymentRow,
    /// It had cleared the arrears of a cut-off account: the reconnection
    /// it arranged is called off, the arrears owed again.
    pub reconnection_cancelled: bool,
}

impl Desk {
    /// Reverses (冲正) a payment of the clerk's open shift, authorised on the
    /// spot by a duty manager who is not the clerk (their own staff number
    /// and password); the number stays, marked, with both people recorded.
    pub fn reverse_payment(
        &mut self,
        session: &Session,
        receipt: &str,
        manager: &Credentials,
        reason: &str,
    ) -> Result<Reversal, DeskError> {
        let p = self.payment(receipt)?;
        let shift = self.read().open_shift(session)?;
        if shift.as_ref().map(|s| s.id) != Some(p.shift_id) {
            let m = msg!("payment.not_in_open_shift", receipt = p.receipt_no);
            return Err(DeskError::at(m, Input::Receipt));
        }
        if p.status != PaymentStatus::Paid {
            let m = msg!("payment.already_reversed", receipt = p.receipt_no);
            return Err(DeskError::at(m, Input::Receipt));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DeskError::at(msg!("payment.reason_needed"), Input::Reason));
        }
        let by = self.authorise(session, manager, "payment.reverse")?;
        let reconnection_cancelled = self.store.write(Some(session.clerk_id), |tx, now| {
            money::reverse(tx, p.id, by.clerk_id, reason, now)?;
            let called_off = reconnect::cancel(tx, p.id, ReconnectionCancel::Reversed, now)?;
            let cancelled = !called_off.is_empty();
            Ok((
                cancelled,
                Event::new(
                    "payment.reverse",
                    &p.receipt_no,
                    json!({"authorised_by": by.staff_no, "clerk": session.staff_no, "reason": reason, "reconnection_cancelled": cancelled, "account": p.account_no}),
                )
                .about(Aggregate::Payment(p.id))
                .also(called_off.into_iter().map(Aggregate::Payment))
                .moving(-p.total.0),
            ))
        })?;
        let payment = money::by_receipt(self.store.conn(), &p.receipt_no)?
            .ok_or_else(|| DeskError::new(msg!("customer.vanished")))?;
        Ok(Reversal {
            payment,
            reconnection_cancelled,
        })
    }
}
