//! Business fees at the cashier: only a fee the application's form
//! disclosed, at the amount disclosed (or, for a fee set by the approved
//! price list, the amount the clerk reads off that list), once.

use serde::Deserialize;
use serde_json::json;

use super::money::{Due, Paid, Taking, TenderInput};
use super::{Desk, DeskError, Session};
use crate::domain::form::Text;
use crate::domain::money::Fen;
use crate::domain::msg::Input;
use crate::domain::states::PaymentKind;
use crate::msg;
use crate::store::{applications, money};

/// A fee of an application's form, as the cashier offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeDue {
    /// The fee's id in the form.
    pub id: String,
    pub name: Text,
    /// A fixed amount, or none when the approved price list sets it.
    pub fixed: Option<Fen>,
    /// The receipt that already paid it.
    pub paid: Option<String>,
}

/// An application's chargeable fees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeesDue {
    pub ticket_no: String,
    /// Business type.
    pub business: Text,
    /// The applicant.
    pub customer: String,
    /// Fees that cost something (free ones are never offered).
    pub fees: Vec<FeeDue>,
}

/// A fee payment as the clerk entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeePayment {
    /// Ticket number of the application.
    pub ticket_no: String,
    /// The fee's id in its form.
    pub fee_id: String,
    /// The amount due.
    pub amount: Fen,
    /// What the customer handed over.
    pub tenders: Vec<TenderInput>,
}

#[derive(Deserialize)]
struct ToldForm {
    name: Text,
    #[serde(default)]
    fees: Vec<ToldFee>,
}

#[derive(Deserialize)]
struct ToldFee {
    id: String,
    name: Text,
    amount: serde_json::Value,
}

/// Whether a typed text looks like a ticket number rather than an account.
pub fn is_ticket(s: &str) -> bool {
    let s = s.trim().to_ascii_uppercase();
    s.starts_with("SL") || s.starts_with("LAB-SL")
}

impl Desk {
    /// The chargeable fees of an application, from its form as told at
    /// acceptance, each with the receipt that paid it if any.
    pub fn fees_due(&self, ticket: &str) -> Result<FeesDue, DeskError> {
        let ticket = ticket.trim().to_ascii_uppercase();
        let (app, body, customer) = applications::fee_context(self.store.conn(), &ticket)?
            .ok_or_else(|| {
                DeskError::at(
                    msg!("fee.no_such_application", ticket = ticket),
                    Input::Account,
                )
            })?;
        let form: ToldForm = serde_json::from_str(&body).map_err(|e| {
            DeskError::new(msg!("fee.form_unreadable", ticket = ticket, detail = e))
        })?;
        let mut fees = Vec::new();
        for f in form.fees {
            let fixed = match f.amount.get("Fen").and_then(|v| v.as_i64()) {
                Some(0) => continue,
                Some(n) => Some(Fen(n)),
                None => None,
            };
            let paid = money::fee_paid(self.store.conn(), app, &f.id)?;
            fees.push(FeeDue {
                id: f.id,
                name: f.name,
                fixed,
                paid,
            });
        }
        Ok(FeesDue {
            ticket_no: ticket,
            business: form.name,
            customer,
            fees,
        })
    }

    /// Takes a business fee against its application.
    pub fn pay_fee(&mut self, session: &Session, fee: &FeePayment) -> Result<Paid, DeskError> {
        let due = self.fees_due(&fee.ticket_no)?;
        let Some(told) = due.fees.iter().find(|f| f.id == fee.fee_id) else {
            return Err(msg!("fee.not_chargeable", ticket = due.ticket_no).into());
        };
        if let Some(earlier) = &told.paid {
            return Err(msg!("fee.already_paid", receipt = earlier).into());
        }
        match told.fixed {
            Some(fixed) if fixed != fee.amount => {
                let m = msg!("fee.amount_fixed", amount = fixed);
                return Err(DeskError::at(m, Input::AmountDue));
            }
            None if fee.amount.0 <= 0 => {
                return Err(DeskError::at(msg!("fee.amount_needed"), Input::AmountDue))
            }
            _ => {}
        }
        let (app, _, _) = applications::fee_context(self.store.conn(), &due.ticket_no)?
            .ok_or_else(|| {
                DeskError::new(msg!("fee.no_such_application", ticket = due.ticket_no))
            })?;
        let quote = self.quote(&Due::Fee { amount: fee.amount });
        self.take(
            session,
            Taking {
                kind: PaymentKind::Fee,
                account: None,
                period: None,
                fee: Some((app, &told.id)),
                due: quote.due,
                late_fee: quote.late_fee,
                tenders: &fee.tenders,
                keep_excess_as_prepaid: false,
                action: "payment.fee",
                reconnect: None,
                detail: json!({"ticket": due.ticket_no, "fee": told.id}),
            },
        )
    }
}
