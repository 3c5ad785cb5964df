//! Taking a payment: the amount due (with the late fee by the configured
//! rule, none for a business fee), the tenders typed, and the payment
//! handed to the desk.

use super::{Cashier, Mode, ACCOUNT, AMOUNT, ARREARS, CLASS, DUE, METHOD, PERIOD, REFERENCE};
use crate::desk::money::{Paid, TenderInput};
use crate::domain::field_value;
use crate::domain::money::{self, late_fee, CustomerClass, Fen, Method};
use crate::msg;
use crate::tui::Action;

impl Cashier {
    pub(super) fn due_now(&self) -> Option<(Fen, Fen)> {
        let arrears = money::parse_amount(&self.entry[ARREARS].text(), self.limit).ok()?;
        if self.fee.is_some() {
            // A business fee carries no late fee.
            return Some((arrears, Fen(0)));
        }
        let due = field_value::date(&self.entry[DUE].text()).ok()?;
        let class = if self.entry[CLASS].text().trim() == "2" {
            CustomerClass::Other
        } else {
            CustomerClass::Residential
        };
        let fee = late_fee(arrears, due, self.today, class, &self.rule);
        Some((arrears, fee))
    }

    pub(super) fn tender(&mut self) -> Result<TenderInput, ()> {
        let method = match self.entry[METHOD].text().trim() {
            "1" | "" => Method::Cash,
            "2" => Method::Card,
            "3" => Method::Qr,
            "4" => Method::Cheque,
            _ => {
                self.entry[METHOD].error = Some(msg!("cashier.method_bad"));
                self.focus = METHOD;
                return Err(());
            }
        };
        let amount = match money::parse_amount(&self.entry[AMOUNT].text(), self.limit) {
            Ok(a) => a,
            Err(m) => {
                self.entry[AMOUNT].error = Some(m);
                self.focus = AMOUNT;
                return Err(());
            }
        };
        let mut reference = self.entry[REFERENCE].text().trim().to_string();
        if method != Method::Cash && reference.is_empty() {
            self.entry[REFERENCE].error = Some(msg!("cashier.reference_needed"));
            self.focus = REFERENCE;
            return Err(());
        }
        if method == Method::Qr {
            match money::qr_reference(&reference) {
                Ok(r) => reference = r,
                Err(m) => {
                    self.entry[REFERENCE].error = Some(m);
                    self.focus = REFERENCE;
                    return Err(());
                }
            }
        }
        Ok(TenderInput {
            method,
            amount,
            reference: (!reference.is_empty()).then_some(reference),
        })
    }

    pub(super) fn pay(&mut self) -> Option<Action> {
        self.pay_with(false)
    }

    /// Pays what is typed; `keep_excess` keeps any excess on the account as
    /// prepaid electricity instead of giving change.
    pub(super) fn pay_with(&mut self, keep_excess: bool) -> Option<Action> {
        let t = self.tender().ok()?;
        let mut tenders = self.tenders.clone();
        tenders.push(t);
        let account = self.entry[ACCOUNT].text().trim().to_string();
        if account.is_empty() {
            self.entry[ACCOUNT].error = Some(msg!("cashier.account_needed"));
            self.focus = ACCOUNT;
            return None;
        }
        let Some((arrears, _)) = self.due_now() else {
            self.entry[ARREARS].error = Some(msg!("money.empty"));
            self.focus = ARREARS;
            return None;
        };
        self.tendered_total = tenders
            .iter()
            .fold(Fen(0), |s, t| s.saturating_add(t.amount));
        if let Some(f) = &self.fee {
            return Some(Action::PayFee(Box::new(crate::desk::fees::FeePayment {
                ticket_no: f.ticket_no.clone(),
                fee_id: f.fee_id.clone(),
                amount: arrears,
                tenders,
            })));
        }
        let due_date = field_value::date(&self.entry[DUE].text()).ok()?;
        let class = if self.entry[CLASS].text().trim() == "2" {
            CustomerClass::Other
        } else {
            CustomerClass::Residential
        };
        Some(Action::PayBill(Box::new(crate::desk::money::BillPayment {
            account_no: account,
            period: self.entry[PERIOD].text().trim().to_string(),
            arrears,
            due_date,
            class,
            tenders,
            keep_excess_as_prepaid: keep_excess,
        })))
    }

    /// The account's oldest unpaid bill from HQ's list, or none: fill it in
    /// (amount, period, due date, class) and go to the amount handed over;
    /// without a list the clerk types the amount due.
    pub fn bill_found(&mut self, bill: Option<crate::store::bills::BillRow>) {
        match bill {
            Some(b) => {
                self.entry[ARREARS].set_text(&b.arrears.plain());
                self.entry[PERIOD].set_text(&b.period);
                self.entry[DUE].set_text(&b.due_date.to_string());
                self.entry[CLASS].set_text(if b.class == CustomerClass::Other {
                    "2"
                } else {
                    "1"
                });
                if let Some((a, f)) = self.due_now() {
                    self.entry[AMOUNT].suggest(
                        &a.saturating_add(f)
                            .saturating_sub(self.tendered_total)
                            .plain(),
                    );
                }
                self.notice = Some(msg!("cashier.bill_found", period = b.period));
                self.focus = AMOUNT;
            }
            None => self.focus = ARREARS,
        }
        self.refocus();
    }

    /// The payment went through.
    pub fn paid(&mut self, p: Paid) {
        if p.held {
            self.notice = Some(msg!("cashier.paid_held", receipt = p.receipt_no));
        } else if p.prepaid.0 > 0 {
            self.notice = Some(msg!("cashier.prepaid_kept", amount = p.prepaid));
        }
        self.paid = Some(p);
        self.mode = Mode::Paid;
    }
}
