//! A business fee at the cashier: the clerk types the application's ticket
//! where the account number goes; its disclosed fee is filled in.

use super::{Cashier, AMOUNT, ARREARS};
use crate::desk::fees::FeesDue;
use crate::domain::form::Text;
use crate::msg;

/// The fee being taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeTarget {
    /// Ticket number.
    pub ticket_no: String,
    /// The fee's id in the form.
    pub fee_id: String,
    /// The fee's name.
    pub name: Text,
    /// Business type.
    pub business: Text,
}

impl Cashier {
    /// The application's fees arrived: take its first unpaid one. A fixed
    /// amount is filled in; a price-list amount is typed by the clerk.
    pub fn fees_found(&mut self, due: FeesDue) {
        self.fee = None;
        if due.fees.is_empty() {
            self.notice = Some(msg!(
                "fee.none_chargeable",
                ticket = due.ticket_no,
                business = due.business.zh
            ));
            self.refocus();
            return;
        }
        let Some(f) = due.fees.iter().find(|f| f.paid.is_none()) else {
            let receipt = due.fees[0].paid.clone().unwrap_or_default();
            self.notice = Some(msg!("fee.already_paid", receipt = receipt));
            self.refocus();
            return;
        };
        self.entry[super::ACCOUNT].set_text(&due.ticket_no);
        self.fee = Some(FeeTarget {
            ticket_no: due.ticket_no.clone(),
            fee_id: f.id.clone(),
            name: f.name.clone(),
            business: due.business.clone(),
        });
        self.notice = Some(msg!(
            "fee.found",
            ticket = due.ticket_no,
            business = due.business.zh,
            customer = due.customer,
            fee = f.name.zh
        ));
        match f.fixed {
            Some(amount) => {
                self.entry[ARREARS].set_text(&amount.plain());
                self.entry[AMOUNT].suggest(&amount.plain());
                self.focus = AMOUNT;
            }
            None => {
                self.entry[ARREARS].clear();
                self.focus = ARREARS;
                self.notice = Some(msg!(
                    "fee.found_price_list",
                    ticket = due.ticket_no,
                    business = due.business.zh,
                    customer = due.customer,
                    fee = f.name.zh
                ));
            }
        }
        self.refocus();
    }

    /// The fee being taken, for the screen.
    pub fn fee(&self) -> Option<&FeeTarget> {
        self.fee.as_ref()
    }
}
