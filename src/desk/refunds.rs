//! Refunds (退费) after a shift is closed: a duty manager's act, paid to a
//! bank account in the customer's own name, never more than was paid.

use serde_json::json;

use crate::domain::rating::Service;

use super::{Desk, DeskError, Session};
use crate::domain::money::{parse_amount, Fen};
use crate::domain::msg::Input;
use crate::domain::states::{PaymentStatus, ShiftStatus};
use crate::msg;
use crate::store::money;
use crate::store::refunds::{self, NewRefund, RefundRow};
use crate::store::{Aggregate, Event};

/// A refund as the duty manager entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// The receipt refunded.
    pub receipt: String,
    /// Amount as typed.
    pub amount: String,
    /// The customer's bank account.
    pub bank_account: String,
    /// The account holder's name.
    pub holder: String,
    /// Why.
    pub reason: String,
}

/// A bank account number: digits, spaces and hyphens as printed on cards
/// and passbooks are dropped; 8 to 32 digits remain.
fn bank_account(typed: &str) -> Option<String> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    (digits.chars().all(|c| c.is_ascii_digit()) && (8..=32).contains(&digits.len()))
        .then_some(digits)
}

impl Desk {
    /// Refunds part or all of a payment from a closed shift.
    pub fn refund(&mut self, session: &Session, r: &RefundRequest) -> Result<RefundRow, DeskError> {
        if !session.role.supervises() {
            return Err(msg!("refund.duty_manager_only").into());
        }
        let receipt = r.receipt.trim();
        let p = self.payment(receipt)?;
        let shift = money::shift(self.store.conn(), p.shift_id)?.ok_or_else(|| {
            DeskError::at(
                msg!("payment.no_such_receipt", receipt = receipt),
                Input::Receipt,
            )
        })?;
        if shift.status == ShiftStatus::Open {
            let m = msg!("refund.shift_open", receipt = p.receipt_no);
            return Err(DeskError::at(m, Input::Receipt));
        }
        if p.status != PaymentStatus::Paid {
            let m = msg!("payment.already_reversed", receipt = p.receipt_no);
            return Err(DeskError::at(m, Input::Receipt));
        }
        if p.held {
            let m = msg!("refund.cheque_not_cleared", receipt = p.receipt_no);
            return Err(DeskError::at(m, Input::Receipt));
        }
        let amount = parse_amount(&r.amount, self.config.money.limit())
            .map_err(|m| DeskError::at(m, Input::Amount))?;
        let left = p.total.saturating_sub(p.refunded);
        if amount.0 <= 0 {
            return Err(DeskError::at(msg!("refund.amount_zero"), Input::Amount));
        }
        if amount > left {
            let m = msg!("refund.too_much", left = left, paid = p.total);
            return Err(DeskError::at(m, Input::Amount));
        }
        let account = bank_account(&r.bank_account)
            .ok_or_else(|| DeskError::at(msg!("refund.bank_account_bad"), Input::BankAccount))?;
        let holder = r.holder.trim();
        if holder.is_empty() {
            return Err(DeskError::at(msg!("refund.holder_needed"), Input::Holder));
        }
        if let Some(customer) = refunds::customer_name_of(self.store.conn(), p.id)? {
            if customer.trim() != holder {
                let m = msg!("refund.not_own_account", customer = customer);
                return Err(DeskError::at(m, Input::Holder));
            }
        }
        let reason = r.reason.trim();
        if reason.is_empty() {
            return Err(DeskError::at(msg!("refund.reason_needed"), Input::Reason));
        }
        let counter = format!("refund:{}", self.counter());
        let prefix = self.counter();
        let lab = self.number_prefix();
        let rating = self.rating_plan(session, Service::Refund, None);
        let number = self.store.write(Some(session.clerk_id), |tx, now| {
            let seq = money::next_receipt(tx, &counter)?;
            let number = format!("{lab}T{prefix}-{seq:08}");
            let refund_id = refunds::insert(
                tx,
                &NewRefund {
                    refund_no: &number,
                    payment_id: p.id,
                    amount,
                    bank_account: &account,
                    holder,
                    reason,
                    by: session.clerk_id,
                },
                now,
            )?;
            let masked = format!("****{}", &account[account.len() - 4..]);
            let asked = match &rating {
                Some(r) => Some(r.ask(tx, &number, now)?),
                None => None,
            };
            Ok((
                number.clone(),
                Event::new(
                    "payment.refund",
                    &number,
                    json!({"receipt": p.receipt_no, "amount": amount.0, "bank_account": masked, "reason": reason}),
                )
                .about(Aggregate::Refund(refund_id))
                .also(asked)
                .moving(-amount.0),
            ))
        })?;
        self.transaction_done(&number, rating.as_ref());
        refunds::by_number(self.store.conn(), &number)?
            .ok_or_else(|| DeskError::new(msg!("customer.vanished")))
    }

    /// What is still refundable on a receipt.
    pub fn refundable(&self, receipt: &str) -> Result<Fen, DeskError> {
        let p = self.payment(receipt)?;
        Ok(p.total.saturating_sub(p.refunded))
    }
}

#[cfg(test)]
mod tests {
    use super::bank_account;

    #[test]
    fn bank_accounts_are_digits_of_plausible_length() {
        assert_eq!(
            bank_account("6222 0202 0001 2345 678").as_deref(),
            Some("6222020200012345678")
        );
        assert_eq!(
            bank_account("６２２２０２０２").as_deref(),
            Some("62220202")
        );
        assert_eq!(bank_account("1234567"), None);
        assert_eq!(bank_account("6222x02020001"), None);
        assert_eq!(bank_account(""), None);
    }
}
