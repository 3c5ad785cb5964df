//! Money at the window: shifts with a float, bill payments with change and
//! split tender, gap-free receipts, reversals authorised by a duty manager,
//! and the blind close that freezes the shift.

use chrono::NaiveDate;
use serde_json::json;

use crate::domain::rating::Service;

use super::{Credentials, Desk, DeskError, Session};
use crate::domain::money::{
    late_fee, parse_amount, qr_reference, reconcile, settle_with_prepay, Counted, CustomerClass,
    Fen, Line, Method, ShiftTotals, Tender,
};
use crate::domain::msg::Input;
use crate::domain::states::PaymentKind;
use crate::msg;
use crate::store::cheques;
use crate::store::money::{self, NewPayment, PaymentRow, ShiftRow};
use crate::store::{Aggregate, Event};

/// One tender as the clerk entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenderInput {
    pub method: Method,
    /// Amount handed over.
    pub amount: Fen,
    /// Card terminal reference, QR transaction, cheque number.
    pub reference: Option<String>,
}

/// A bill to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillPayment {
    /// Account number (户号).
    pub account_no: String,
    /// Billing period, e.g. 2026-10.
    pub period: String,
    pub arrears: Fen,
    /// Due date of the bill.
    pub due_date: NaiveDate,
    /// Residential or other, for the late fee.
    pub class: CustomerClass,
    /// What the customer handed over.
    pub tenders: Vec<TenderInput>,
    /// Keep any excess as prepaid balance instead of giving change.
    pub keep_excess_as_prepaid: bool,
    /// The total the clerk was shown (the desk's quote); when given, a
    /// payment whose total has changed since (the late fee after midnight)
    /// is refused with the new total rather than taken.
    pub quoted: Option<Fen>,
}

/// What is owed: a bill (its arrears, due date and class decide the late
/// fee) or a business fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// An electricity bill.
    Bill {
        arrears: Fen,
        /// The bill's due date.
        due_date: NaiveDate,
        /// Residential or other, for the late fee.
        class: CustomerClass,
    },
    /// A business fee.
    Fee {
        /// The fee.
        amount: Fen,
    },
}

/// What a bill costs on a day: the arrears and the late fee by the
/// configured rule. The cashier shows it and the payment charges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// The arrears (or the fee) due.
    pub due: Fen,
    /// The late fee, its own line.
    pub late_fee: Fen,
    /// The day the late fee was counted to.
    pub on: NaiveDate,
}

impl Quote {
    /// What the customer owes in all.
    pub fn total(&self) -> Fen {
        self.due.saturating_add(self.late_fee)
    }
}

/// A payment as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    pub receipt_no: String,
    /// Arrears.
    pub due: Fen,
    /// Late fee, its own line.
    pub late_fee: Fen,
    /// Change handed back.
    pub change: Fen,
    /// Kept as prepaid balance.
    pub prepaid: Fen,
    /// Paid (partly) by cheque: the receipt is held until the funds are confirmed.
    pub held: bool,
    /// A reconnection opened by this payment, due by then.
    pub reconnect_by: Option<chrono::DateTime<chrono::Utc>>,
}

/// What a payment is for, as the store records it.
pub(super) struct Taking<'a> {
    /// What it settles.
    pub kind: PaymentKind,
    /// Account number (bills).
    pub account: Option<&'a str>,
    /// Billing period (bills).
    pub period: Option<&'a str>,
    /// Application row id and fee id (fees).
    pub fee: Option<(i64, &'a str)>,
    /// Amount due.
    pub due: Fen,
    /// Late fee (bills).
    pub late_fee: Fen,
    /// What the customer handed over.
    pub tenders: &'a [TenderInput],
    /// Keep any excess as prepaid balance (bills only: it needs an account).
    pub keep_excess_as_prepaid: bool,
    /// The audit action.
    pub action: &'static str,
    /// What the audit entry says besides the amounts.
    pub detail: serde_json::Value,
    /// The reconnection this payment makes due (it clears the arrears of
    /// an account cut off for them): its class and due moment.
    pub reconnect: Option<(CustomerClass, chrono::DateTime<chrono::Utc>)>,
}

/// What the cashier screen opens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashierStart {
    /// The clerk's open shift.
    pub shift: Option<ShiftRow>,
    /// Today, for the billing period and the due date offered.
    pub today: NaiveDate,
    /// The largest amount taken in one entry.
    pub limit: Fen,
}

/// A duty manager's note on an over or short close, with their own
/// staff number and password typed on the spot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseNote {
    /// The duty manager.
    pub manager: Credentials,
    /// What the note says.
    pub text: String,
}

/// The result of a close attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Close {
    /// Closed and frozen; the settlement lines.
    Closed(Vec<Line>),
    /// Over or short: the lines are shown, and a duty manager's note is needed to close.
    NeedsNote(Vec<Line>),
}

impl Desk {
    /// What the cashier screen opens on: the clerk's open shift if any, the
    /// day, and the amount limit for typed money.
    pub fn cashier_opening(&self, session: &Session) -> Result<CashierStart, DeskError> {
        Ok(CashierStart {
            shift: self.read().open_shift(session)?,
            today: self.clock().today(),
            limit: self.config.money.limit(),
        })
    }

    /// Opens a shift with a float (备用金) typed as the clerk types money.
    pub fn start_shift(&mut self, session: &Session, float: &str) -> Result<ShiftRow, DeskError> {
        let float = parse_amount(float, self.config.money.limit())
            .map_err(|m| DeskError::at(m, Input::Amount))?;
        if self.read().open_shift(session)?.is_some() {
            return Err(msg!("shift.already_open").into());
        }
        let window = self.config.hall.window.clone();
        let id = self.store.write(Some(session.clerk_id), |tx, now| {
            let id = money::open_shift(tx, session.clerk_id, &window, float, now)?;
            Ok((
                id,
                Event::new(
                    "shift.open",
                    &session.staff_no,
                    json!({"shift": id, "float": float.0, "window": window}),
                )
                .about(Aggregate::Shift(id)),
            ))
        })?;
        money::shift(self.store.conn(), id)?.ok_or_else(|| DeskError::new(msg!("shift.none_open")))
    }

    pub(super) fn counter(&self) -> String {
        let w: String = self
            .config
            .hall
            .window
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if w.is_empty() {
            "0".into()
        } else {
            w
        }
    }

    /// What a bill or a fee costs today: the amount due and, for a bill,
    /// the late fee by the configured rule counted to today (a business fee
    /// carries none). The cashier shows it; the payment charges the same.
    pub fn quote(&self, due: &Due) -> Quote {
        let on = self.clock().today();
        let (amount, fee) = match *due {
            Due::Bill {
                arrears,
                due_date,
                class,
            } => {
                let rule = self.config.money.late_fee_rule();
                (arrears, late_fee(arrears, due_date, on, class, &rule))
            }
            Due::Fee { amount } => (amount, Fen(0)),
        };
        Quote {
            due: amount,
            late_fee: fee,
            on,
        }
    }

    /// Takes a bill payment: the late fee computed by the configured rule,
    /// change or prepaid balance, a gap-free receipt number, all in one
    /// transaction with its audit and outbox entries, before any receipt
    /// prints. A bill on headquarters' list is paid as listed: a different
    /// amount, due date or class typed at the counter is refused.
    pub fn pay_bill(&mut self, session: &Session, bill: &BillPayment) -> Result<Paid, DeskError> {
        let account = bill.account_no.trim().to_string();
        if account.is_empty() || !account.chars().all(|c| c.is_ascii_digit()) {
            let m = msg!("field.account_bad_len", len = account.len());
            return Err(DeskError::at(m, Input::Account));
        }
        if let Some(earlier) = money::bill_paid(self.store.conn(), &account, &bill.period)? {
            let m = msg!("payment.already_paid", receipt = earlier);
            return Err(DeskError::at(m, Input::Account));
        }
        if let Some(listed) = crate::store::bills::bill(self.store.conn(), &account, &bill.period)?
        {
            if listed.arrears != bill.arrears
                || listed.due_date != bill.due_date
                || listed.class != bill.class
            {
                let m = msg!(
                    "payment.not_as_listed",
                    period = listed.period,
                    arrears = listed.arrears,
                    due = listed.due_date
                );
                return Err(DeskError::at(m, Input::AmountDue));
            }
        }
        let quote = self.quote(&Due::Bill {
            arrears: bill.arrears,
            due_date: bill.due_date,
            class: bill.class,
        });
        if let Some(shown) = bill.quoted {
            if shown != quote.total() {
                let m = msg!(
                    "payment.quote_changed",
                    shown = shown,
                    total = quote.total(),
                    fee = quote.late_fee
                );
                return Err(DeskError::at(m, Input::Amount));
            }
        }
        self.take(
            session,
            Taking {
                kind: PaymentKind::Bill,
                account: Some(&account),
                period: Some(&bill.period),
                fee: None,
                due: quote.due,
                late_fee: quote.late_fee,
                tenders: &bill.tenders,
                keep_excess_as_prepaid: bill.keep_excess_as_prepaid,
                action: "payment.bill",
                detail: json!({"account": account, "period": bill.period}),
                reconnect: self.reconnection_due(&account, &bill.period, bill.class)?,
            },
        )
    }

    /// Records a payment with its tenders, change or prepaid balance and a
    /// gap-free receipt number in one transaction with its audit and outbox
    /// entries, before any receipt prints. A cheque holds the receipt until
    /// the funds are confirmed.
    pub(super) fn take(&mut self, session: &Session, t: Taking) -> Result<Paid, DeskError> {
        let shift = self
            .read()
            .open_shift(session)?
            .ok_or_else(|| DeskError::new(msg!("shift.none_open")))?;
        let limit = self.config.money.limit();
        if t.due > limit {
            return Err(DeskError::at(
                msg!("money.above_limit", limit = limit),
                Input::AmountDue,
            ));
        }
        if t.tenders.iter().any(|x| x.amount > limit) {
            return Err(DeskError::at(
                msg!("money.above_limit", limit = limit),
                Input::Amount,
            ));
        }
        let total = t
            .due
            .checked_add(t.late_fee)
            .ok_or_else(|| DeskError::new(msg!("money.too_large")))?;
        // Every instrument but cash is traceable by its reference; a QR
        // payment by its provider and transaction number.
        let mut checked = Vec::with_capacity(t.tenders.len());
        for x in t.tenders {
            let reference = x.reference.as_deref().map(str::trim).unwrap_or("");
            let reference = match x.method {
                Method::Cash => (!reference.is_empty()).then(|| reference.to_string()),
                _ if reference.is_empty() => {
                    let m = msg!("cashier.reference_needed");
                    return Err(DeskError::at(m, Input::Reference));
                }
                Method::Qr => {
                    Some(qr_reference(reference).map_err(|m| DeskError::at(m, Input::Reference))?)
                }
                _ => Some(reference.to_string()),
            };
            checked.push(TenderInput {
                method: x.method,
                amount: x.amount,
                reference,
            });
        }
        let tenders: Vec<Tender> = checked
            .iter()
            .map(|x| Tender {
                method: x.method,
                amount: x.amount,
            })
            .collect();
        let outcome = settle_with_prepay(total, &tenders, t.keep_excess_as_prepaid)
            .map_err(|m| DeskError::at(m, Input::Amount))?;
        let held = t.tenders.iter().any(|x| x.method == Method::Cheque);
        // A cheque clears the arrears only once its funds are confirmed:
        // the reconnection waits for that.
        let reconnect = if held { None } else { t.reconnect };
        let counter = self.counter();
        let clerk = session.clerk_id;
        let prefix = self.number_prefix();
        let rating = self.rating_plan(session, Service::Payment, None);
        let receipt = self.store.write(Some(clerk), |tx, now| {
            let seq = money::next_receipt(tx, &counter)?;
            let receipt = format!("{prefix}R{counter}-{seq:08}");
            let id = money::insert_payment(
                tx,
                &NewPayment {
                    receipt_no: &receipt,
                    shift_id: shift.id,
                    clerk_id: clerk,
                    kind: t.kind,
                    account_no: t.account,
                    period: t.period,
                    due: t.due,
                    late_fee: t.late_fee,
                    change: outcome.change,
                    prepaid: outcome.prepaid,
                    fee: t.fee,
                },
                now,
            )?;
            for (i, (x, (_, applied))) in checked.iter().zip(&outcome.applied).enumerate() {
                money::insert_tender(tx, id, i as i64 + 1, x.method, *applied, x.amount, x.reference.as_deref())?;
            }
            if outcome.prepaid.0 > 0 {
                if let Some(account) = t.account {
                    money::add_prepaid(tx, account, outcome.prepaid)?;
                }
            }
            if held {
                cheques::hold(tx, id)?;
            }
            if let (Some((class, due)), Some(account)) = (reconnect, t.account) {
                crate::store::reconnect::open(tx, id, account, class, due, now)?;
            }
            let mut detail = t.detail.clone();
            detail["due"] = json!(t.due.0);
            detail["late_fee"] = json!(t.late_fee.0);
            detail["change"] = json!(outcome.change.0);
            detail["prepaid"] = json!(outcome.prepaid.0);
            detail["held"] = json!(held);
            detail["tenders"] = json!(checked.iter().map(|x| json!({"method": x.method.code(), "amount": x.amount.0, "reference": x.reference})).collect::<Vec<_>>());
            let kept = t.due.0 + t.late_fee.0 + outcome.prepaid.0;
            // The rating is asked for in the payment's own commit.
            let asked = match &rating {
                Some(r) => Some(r.ask(tx, &receipt, now)?),
                None => None,
            };
            let event = Event::new(t.action, &receipt, detail)
                .about(Aggregate::Payment(id))
                .also(asked)
                .moving(kept);
            Ok((receipt.clone(), event))
        })?;
        self.transaction_done(&receipt, rating.as_ref());
        Ok(Paid {
            receipt_no: receipt,
            due: t.due,
            late_fee: t.late_fee,
            change: outcome.change,
            prepaid: outcome.prepaid,
            held,
            reconnect_by: reconnect.map(|r| r.1),
        })
    }

    /// The blind close: the clerk's counted cash and instrument totals go
    /// in first; then expected versus counted per method. Over or short needs
    /// a duty manager's note; closing freezes the shift.
    pub fn close_shift(
        &mut self,
        session: &Session,
        counted: &Counted,
        note: Option<&CloseNote>,
    ) -> Result<Close, DeskError> {
        let shift = self
            .read()
            .open_shift(session)?
            .ok_or_else(|| DeskError::new(msg!("shift.none_open")))?;
        let totals = self.shift_totals(&shift)?;
        let lines = reconcile(&totals, counted);
        let off = lines.iter().any(|l| l.over_short.0 != 0);
        let note = match note {
            Some(n) if !n.text.trim().is_empty() => {
                let by = self.authorise(session, &n.manager, "shift.close")?;
                Some((n.text.trim().to_string(), by.clerk_id))
            }
            _ => None,
        };
        if off && note.is_none() {
            return Ok(Close::NeedsNote(lines));
        }
        let counted_json = json!({
            "cash": counted.cash.0,
            "by_method": counted.by_method.iter().map(|(m, v)| (m.code(), v.0)).collect::<std::collections::BTreeMap<_, _>>(),
        })
        .to_string();
        let settlement = json!(lines
            .iter()
            .map(|l| json!({"method": l.method.code(), "expected": l.expected.0, "counted": l.counted.0, "over_short": l.over_short.0}))
            .collect::<Vec<_>>())
        .to_string();
        self.store.write(Some(session.clerk_id), |tx, now| {
            money::close_shift(tx, shift.id, &counted_json, &settlement, note.as_ref().map(|(t, by)| (t.as_str(), *by)), now)?;
            let event = Event::new("shift.close", &session.staff_no, json!({"shift": shift.id, "settlement": settlement, "note": note.as_ref().map(|n| &n.0)}))
                .about(Aggregate::Shift(shift.id));
            Ok(((), event))
        })?;
        // What the day holds so far goes up as a partial day-close record;
        // the shift is closed whether or not it can be written.
        let today = crate::store::stamp::day(self.store.clock().today());
        if let Err(e) = crate::sync::day_close::close_day(
            &mut self.store,
            Some(session.clerk_id),
            &today,
            false,
        ) {
            tracing::warn!(error = %e, "partial day-close record not written");
        }
        self.backup_after_close();
        Ok(Close::Closed(lines))
    }

    /// What the books say a shift should hold: the float, cash taken and
    /// change given, and the other instruments, reversed payments excluded.
    /// Refunds are paid by bank transfer after the close, so no cash is
    /// refunded from the drawer.
    pub fn shift_totals(&self, shift: &ShiftRow) -> Result<ShiftTotals, DeskError> {
        let taken = money::taken(self.store.conn(), shift.id)?;
        Ok(ShiftTotals {
            float: shift.float,
            cash_taken: taken.cash_tendered,
            change_given: taken.change,
            cash_refunded: Fen(0),
            by_method: taken.by_method,
        })
    }

    /// A payment by its receipt number, as typed; refused with the number
    /// when there is none.
    pub fn payment(&self, receipt: &str) -> Result<PaymentRow, DeskError> {
        let receipt = receipt.trim();
        money::by_receipt(self.store.conn(), receipt)?.ok_or_else(|| {
            DeskError::at(
                msg!("payment.no_such_receipt", receipt = receipt),
                Input::Receipt,
            )
        })
    }
}
