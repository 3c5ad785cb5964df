//! Cheques: the receipt of a payment made (partly) by cheque is held until
//! the bank confirms the funds; then it can be printed.

use serde_json::json;

use super::{Credentials, Desk, DeskError, Session};
use crate::domain::case::ReconnectionCancel;
use crate::domain::msg::Input;
use crate::domain::states::{PaymentStatus, ShiftStatus};
use crate::msg;
use crate::store::cheques;
use crate::store::money;
use crate::store::{reconnect, Aggregate, Event};

impl Desk {
    /// Records that a held cheque's funds arrived (with the bank's credit
    /// reference), releasing its receipt.
    pub fn confirm_cheque(
        &mut self,
        session: &Session,
        receipt: &str,
        bank_ref: &str,
    ) -> Result<(), DeskError> {
        let bank_ref = bank_ref.trim();
        if bank_ref.is_empty() {
            return Err(DeskError::at(
                msg!("cheque.bank_ref_needed"),
                Input::Reference,
            ));
        }
        let p = self.payment(receipt)?;
        if !p.held || p.status != PaymentStatus::Paid {
            return Err(msg!("cheque.not_held", receipt = p.receipt_no).into());
        }
        let reconnect = self.reconnection_on_funds(&p.receipt_no)?;
        self.store.write(Some(session.clerk_id), |tx, now| {
            if !cheques::confirm(tx, p.id, session.clerk_id, bank_ref, now)? {
                return Err(crate::store::StoreError::Refused(msg!(
                    "cheque.not_held",
                    receipt = p.receipt_no
                )));
            }
            if let (Some((class, due)), Some(account)) = (reconnect, p.account_no.as_deref()) {
                reconnect::open(tx, p.id, account, class, due, now)?;
            }
            Ok((
                (),
                Event::new(
                    "cheque.confirm",
                    &p.receipt_no,
                    json!({"bank_ref": bank_ref}),
                )
                .about(Aggregate::Payment(p.id)),
            ))
        })?;
        Ok(())
    }

    /// Records that the bank returned a held cheque unpaid (退票), on a
    /// duty manager's authority, after the shift is closed (within the
    /// shift the payment is reversed instead). The payment stays in its
    /// frozen shift; its bill or fee is open to be paid again, and a
    /// reconnection the payment arranged is called off (then true).
    pub fn dishonour_cheque(
        &mut self,
        session: &Session,
        receipt: &str,
        manager: &Credentials,
        reason: &str,
    ) -> Result<bool, DeskError> {
        let p = self.payment(receipt)?;
        if !p.held || p.status != PaymentStatus::Paid {
            return Err(msg!("cheque.not_held", receipt = p.receipt_no).into());
        }
        let open = money::shift(self.store.conn(), p.shift_id)?
            .is_some_and(|s| s.status == ShiftStatus::Open);
        if open {
            return Err(msg!("cheque.reverse_in_shift", receipt = p.receipt_no).into());
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DeskError::at(msg!("cheque.reason_needed"), Input::Reason));
        }
        let by = self.authorise(session, manager, "cheque.dishonour")?;
        let cancelled = self.store.write(Some(session.clerk_id), |tx, now| {
            if !cheques::dishonour(tx, p.id, by.clerk_id, reason, now)? {
                return Err(crate::store::StoreError::Refused(msg!(
                    "cheque.not_held",
                    receipt = p.receipt_no
                )));
            }
            let called_off = reconnect::cancel(tx, p.id, ReconnectionCancel::Dishonoured, now)?;
            let cancelled = !called_off.is_empty();
            Ok((
                cancelled,
                Event::new(
                    "cheque.dishonour",
                    &p.receipt_no,
                    json!({"authorised_by": by.staff_no, "clerk": session.staff_no, "reason": reason, "reconnection_cancelled": cancelled, "account": p.account_no}),
                )
                .about(Aggregate::Payment(p.id))
                .also(called_off.into_iter().map(Aggregate::Payment))
                .moving(-p.total.0),
            ))
        })?;
        Ok(cancelled)
    }
}
