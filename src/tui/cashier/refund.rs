//! The refund form (duty manager, after the close).

use super::Cashier;
use crate::desk::refunds::RefundRequest;
use crate::msg;
use crate::tui::{Action, MoneySlip};

impl Cashier {
    pub(super) fn refund_enter(&mut self) -> Option<Action> {
        if self.focus + 1 < self.refund.len() {
            self.focus += 1;
            return None;
        }
        Some(Action::Refund(Box::new(RefundRequest {
            receipt: self.refund[0].text().trim().to_string(),
            amount: self.refund[1].text(),
            bank_account: self.refund[2].text(),
            holder: self.refund[3].text().trim().to_string(),
            reason: self.refund[4].text().trim().to_string(),
        })))
    }

    /// The refund went through: its slip prints with P.
    pub fn refunded(&mut self, refund_no: &str, amount: crate::domain::money::Fen) {
        for f in &mut self.refund {
            f.clear();
        }
        self.finished(
            msg!("refund.done", amount = amount, number = refund_no),
            MoneySlip::Refund(refund_no.to_string()),
        );
    }
}
