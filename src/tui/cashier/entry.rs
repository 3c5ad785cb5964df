//! Taking a payment: the account (or an application's ticket), what is
//! due as the desk quotes it, what the customer hands over, by which
//! method. A bill from headquarters' list or a disclosed fee fixes the
//! amount due; typing over it is refused with the reason.

use chrono::{Datelike, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

mod facing;

use super::keys::EntryKey;
use super::{rows, Command};
use crate::desk::bills::BillRow;
use crate::desk::fees::{is_ticket, FeePayment, FeesDue};
use crate::desk::money::{BillPayment, Due, Paid, Quote, TenderInput};
use crate::domain::field_value;
use crate::domain::form::Text;
use crate::domain::money::{self, CustomerClass, Fen, Method};
use crate::domain::msg::{Input, Lang, Msg, Notice};
use crate::domain::states::SupplyState;
use crate::msg;
use crate::store::hq_feed::HqAccount;
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::screen::KeyOutcome;
use crate::tui::text::{t, text};
use crate::tui::theme;

// The order a cash bill payment needs: account, amount due, amount handed
// over, Enter. The rest (method and reference, period, due date, class)
// keep their defaults unless the clerk steps down to them.
const ACCOUNT: usize = 0;
const ARREARS: usize = 1;
const AMOUNT: usize = 2;
const METHOD: usize = 3;
const REFERENCE: usize = 4;
const PERIOD: usize = 5;
const DUE: usize = 6;
const CLASS: usize = 7;

/// The fields the amount due comes from.
const DUE_FIELDS: [usize; 4] = [ARREARS, PERIOD, DUE, CLASS];

const LABELS: [&str; 8] = [
    "cashier.account",
    "cashier.arrears",
    "cashier.amount",
    "cashier.method",
    "cashier.reference",
    "cashier.period",
    "cashier.due_date",
    "cashier.class",
];

/// The fee being taken instead of a bill.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FeeTarget {
    ticket_no: String,
    fee_id: String,
    name: Text,
    business: Text,
}

/// The payment being typed.
pub(super) struct Entry {
    form: Form,
    tenders: Vec<TenderInput>,
    tendered: Fen,
    fee: Option<FeeTarget>,
    /// What the desk says is due, for the amounts typed.
    quote: Option<Quote>,
    today: NaiveDate,
    limit: Fen,
}

/// The method field's number as the method it stands for.
fn method_of(key: &str) -> Option<Method> {
    match key {
        "1" | "" => Some(Method::Cash),
        "2" => Some(Method::Card),
        "3" => Some(Method::Qr),
        "4" => Some(Method::Cheque),
        _ => None,
    }
}

fn previous_period(today: NaiveDate) -> String {
    let (y, m) = if today.month() == 1 {
        (today.year() - 1, 12)
    } else {
        (today.year(), today.month() - 1)
    };
    format!("{y}-{m:02}")
}

impl Entry {
    /// An empty payment.
    pub(super) fn new(today: NaiveDate, limit: Fen) -> Entry {
        let form = Form::new(vec![
            (Field::new(LABELS[ACCOUNT], 32), Some(Input::Account)),
            (Field::new(LABELS[ARREARS], 20), Some(Input::AmountDue)),
            (Field::new(LABELS[AMOUNT], 20), Some(Input::Amount)),
            (Field::new(LABELS[METHOD], 2), Some(Input::Method)),
            (
                Field::new(LABELS[REFERENCE], 40).free_text(),
                Some(Input::Reference),
            ),
            (Field::new(LABELS[PERIOD], 7), Some(Input::Period)),
            (Field::new(LABELS[DUE], 12), Some(Input::DueDate)),
            (Field::new(LABELS[CLASS], 2), None),
        ]);
        let mut e = Entry {
            form,
            tenders: Vec::new(),
            tendered: Fen(0),
            fee: None,
            quote: None,
            today,
            limit,
        };
        e.reset();
        e
    }

    /// Clears everything typed, for the next payment.
    pub(super) fn reset(&mut self) {
        self.form.clear();
        self.set(PERIOD, &previous_period(self.today));
        // Today: no late fee unless the clerk types the bill's real due date.
        self.set(DUE, &self.today.to_string());
        self.set(CLASS, "1");
        self.set(METHOD, "1");
        self.tenders.clear();
        self.tendered = Fen(0);
        self.fee = None;
        self.quote = None;
        self.form.focus_on(ACCOUNT);
    }

    fn set(&mut self, i: usize, text: &str) {
        if let Some(f) = self.form.field_mut(i) {
            f.set_text(text);
        }
    }

    fn err(&mut self, i: usize, m: Msg) {
        if let Some(f) = self.form.field_mut(i) {
            f.error = Some(m);
        }
        self.form.focus_on(i);
    }

    fn lock_due(&mut self, why: &Msg) {
        for i in DUE_FIELDS {
            if let Some(f) = self.form.field_mut(i) {
                f.lock(why.clone());
            }
        }
    }

    fn unlock_due(&mut self) {
        for i in DUE_FIELDS {
            if let Some(f) = self.form.field_mut(i) {
                f.unlock();
            }
        }
    }

    /// Shows or hides the cursor.
    pub(super) fn set_active(&mut self, on: bool) {
        self.form.set_active(on);
    }

    /// A key the entry's keymap did not take, into the focused field. The
    /// amount due follows what is typed: a command to ask the desk again.
    pub(super) fn input(&mut self, key: &crossterm::event::KeyEvent) -> KeyOutcome<Command> {
        let focus = self.form.focus();
        // A new account is a new payment: what the old one fixed goes.
        if focus == ACCOUNT && (self.fee.is_some() || self.locked()) && self.tenders.is_empty() {
            self.fee = None;
            self.unlock_due();
            self.quote = None;
        }
        if !self.form.input(key) {
            return KeyOutcome::Ignored;
        }
        if DUE_FIELDS.contains(&focus) {
            KeyOutcome::Run(Command::Quote)
        } else {
            KeyOutcome::Handled
        }
    }

    /// Pasted text into the focused field.
    pub(super) fn paste(&mut self, text: &str) -> Option<Command> {
        let focus = self.form.focus();
        self.form.paste(text);
        DUE_FIELDS.contains(&focus).then_some(Command::Quote)
    }

    fn locked(&self) -> bool {
        self.form
            .fields()
            .get(ARREARS)
            .is_some_and(Field::is_locked)
    }

    /// What is owed as typed, for the desk to quote.
    pub(super) fn due(&self) -> Option<Due> {
        let amount = money::parse_amount(&self.form.text(ARREARS), self.limit).ok()?;
        if self.fee.is_some() {
            return Some(Due::Fee { amount });
        }
        let due_date = field_value::date(&self.form.text(DUE)).ok()?;
        Some(Due::Bill {
            arrears: amount,
            due_date,
            class: self.class(),
        })
    }

    fn class(&self) -> CustomerClass {
        if self.form.trimmed(CLASS) == "2" {
            CustomerClass::Other
        } else {
            CustomerClass::Residential
        }
    }

    /// The desk's quote for what is typed: shown, and the amount handed
    /// over suggested as what is left to pay (never below zero).
    pub(super) fn quoted(&mut self, quote: Option<Quote>) {
        self.quote = quote;
        if let Some(q) = quote {
            let left = q.total().saturating_sub(self.tendered).max(Fen(0));
            if let Some(f) = self.form.field_mut(AMOUNT) {
                f.suggest(&left.plain());
            }
        }
    }

    /// The entry's keys turned into the cashier's commands.
    pub(super) fn key(&mut self, cmd: EntryKey) -> Option<Command> {
        match cmd {
            EntryKey::Enter => return self.enter(),
            EntryKey::Next => self.form.next(),
            EntryKey::Prev => self.form.prev(),
            EntryKey::Split => self.split(),
            EntryKey::Prepay if self.fee.is_some() => {
                return Some(Command::Say(Notice::refusal(msg!("fee.no_prepaid"))));
            }
            EntryKey::Prepay => return self.payment(true),
            EntryKey::Reverse => return Some(Command::ToReverse(None)),
            EntryKey::Close => return Some(Command::ToCount),
            EntryKey::DayReport => return Some(Command::DayReport(self.today)),
            EntryKey::Cheques => return Some(Command::Cheques),
            EntryKey::Refund => return Some(Command::ToRefund),
            EntryKey::Leave => return Some(Command::Leave),
        }
        None
    }

    fn enter(&mut self) -> Option<Command> {
        let cash = matches!(self.form.trimmed(METHOD).as_str(), "" | "1");
        match self.form.focus() {
            ACCOUNT => {
                let account = self.form.trimmed(ACCOUNT);
                if account.is_empty() {
                    self.err(ACCOUNT, msg!("cashier.account_needed"));
                    return None;
                }
                if !self.tenders.is_empty() {
                    self.form.focus_on(AMOUNT);
                    return None;
                }
                if is_ticket(&account) {
                    // An application's ticket: its disclosed fees.
                    return Some(Command::LookupFees(account));
                }
                // The bill list fills the bill in, if it has one.
                return Some(Command::LookupBills(account));
            }
            ARREARS => {
                if let Err(m) = money::parse_amount(&self.form.text(ARREARS), self.limit) {
                    self.err(ARREARS, m);
                    return None;
                }
                self.form.focus_on(AMOUNT);
            }
            AMOUNT if cash => return self.payment(false),
            AMOUNT => self.form.focus_on(REFERENCE),
            REFERENCE => return self.payment(false),
            METHOD => self.form.focus_on(AMOUNT),
            DUE => {
                if let Err(m) = field_value::date(&self.form.text(DUE)) {
                    self.err(DUE, m);
                    return None;
                }
                self.form.focus_on(CLASS);
            }
            CLASS => self.form.focus_on(AMOUNT),
            _ => self.form.next(),
        }
        None
    }

    /// F7: the tender typed is taken and another follows; what is due
    /// cannot change any more.
    fn split(&mut self) {
        let Ok(t) = self.tender() else { return };
        self.tendered = self.tendered.saturating_add(t.amount);
        self.tenders.push(t);
        if !self.locked() {
            self.lock_due(&msg!("cashier.due_fixed_split"));
        }
        self.quoted(self.quote);
        if let Some(f) = self.form.field_mut(REFERENCE) {
            f.clear();
        }
        self.set(METHOD, "1");
        self.form.focus_on(METHOD);
    }

    fn tender(&mut self) -> Result<TenderInput, ()> {
        let Some(method) = method_of(&self.form.trimmed(METHOD)) else {
            self.err(METHOD, msg!("cashier.method_bad"));
            return Err(());
        };
        let amount = match money::parse_amount(&self.form.text(AMOUNT), self.limit) {
            Ok(a) => a,
            Err(m) => {
                self.err(AMOUNT, m);
                return Err(());
            }
        };
        let mut reference = self.form.trimmed(REFERENCE);
        if method != Method::Cash && reference.is_empty() {
            self.err(REFERENCE, msg!("cashier.reference_needed"));
            return Err(());
        }
        if method == Method::Qr {
            match money::qr_reference(&reference) {
                Ok(r) => reference = r,
                Err(m) => {
                    self.err(REFERENCE, m);
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

    /// The payment of what is typed; `keep_excess` keeps any excess on the
    /// account as prepaid electricity instead of giving change.
    fn payment(&mut self, keep_excess: bool) -> Option<Command> {
        let t = self.tender().ok()?;
        let mut tenders = self.tenders.clone();
        tenders.push(t);
        let account = self.form.trimmed(ACCOUNT);
        if account.is_empty() {
            self.err(ACCOUNT, msg!("cashier.account_needed"));
            return None;
        }
        let Some(due) = self.due() else {
            if let Err(m) = money::parse_amount(&self.form.text(ARREARS), self.limit) {
                self.err(ARREARS, m);
            } else if let Err(m) = field_value::date(&self.form.text(DUE)) {
                self.err(DUE, m);
            }
            return None;
        };
        if let Some(f) = &self.fee {
            let Due::Fee { amount } = due else {
                return None;
            };
            return Some(Command::PayFee(FeePayment {
                ticket_no: f.ticket_no.clone(),
                fee_id: f.fee_id.clone(),
                amount,
                tenders,
            }));
        }
        let Due::Bill {
            arrears,
            due_date,
            class,
        } = due
        else {
            return None;
        };
        Some(Command::PayBill(BillPayment {
            account_no: account,
            period: self.form.trimmed(PERIOD),
            arrears,
            due_date,
            class,
            tenders,
            keep_excess_as_prepaid: keep_excess,
            quoted: self.quote.map(|q| q.total()),
        }))
    }

    /// The account's oldest unpaid bill from headquarters' list, filled in
    /// and fixed; without a list the clerk types the amount due.
    pub(super) fn bill_found(
        &mut self,
        bill: Option<BillRow>,
        holder: Option<HqAccount>,
    ) -> Option<Notice> {
        self.fee = None;
        self.unlock_due();
        // Whose account it is, as HQ knows it; a cut-off supply is a warning.
        let whose = holder.map(|h| {
            let m = msg!(
                "cashier.account_holder",
                account = h.account_no,
                holder = h.holder_name
            )
            .part("state", crate::tui::lines::supply_state(h.state));
            (m, h.state != SupplyState::Normal)
        });
        let Some(b) = bill else {
            self.form.focus_on(ARREARS);
            // No bill from HQ for the account: said, with what to do.
            let none = msg!("cashier.no_bill", account = self.form.trimmed(ACCOUNT));
            return Some(match whose {
                Some((m, warn)) => {
                    let both = msg!("cashier.holder_no_bill").part("holder", m);
                    if warn {
                        Notice::warning(both)
                    } else {
                        Notice::info(both)
                    }
                }
                None => Notice::info(none),
            });
        };
        self.set(ARREARS, &b.arrears.plain());
        self.set(PERIOD, &b.period);
        self.set(DUE, &b.due_date.to_string());
        self.set(
            CLASS,
            if b.class == CustomerClass::Other {
                "2"
            } else {
                "1"
            },
        );
        self.lock_due(&msg!("cashier.bill_fixed", period = b.period));
        self.form.focus_on(AMOUNT);
        Some(match whose {
            Some((m, warn)) => {
                let found = msg!("cashier.bill_found_for", period = b.period).part("whose", m);
                if warn {
                    Notice::warning(found)
                } else {
                    Notice::done(found)
                }
            }
            None => Notice::done(msg!("cashier.bill_found", period = b.period)),
        })
    }

    /// The application's fees: its first unpaid one is taken. A fixed
    /// amount is filled in and fixed; a price-list amount is typed.
    pub(super) fn fees_found(&mut self, due: FeesDue) -> Notice {
        self.fee = None;
        self.unlock_due();
        if due.fees.is_empty() {
            return Notice::refusal(msg!(
                "fee.none_chargeable",
                ticket = due.ticket_no,
                business = due.business.zh
            ));
        }
        let Some(f) = due.fees.iter().find(|f| f.paid.is_none()) else {
            let receipt = due.fees[0].paid.clone().unwrap_or_default();
            return Notice::refusal(msg!("fee.already_paid", receipt = receipt));
        };
        self.set(ACCOUNT, &due.ticket_no);
        self.fee = Some(FeeTarget {
            ticket_no: due.ticket_no.clone(),
            fee_id: f.id.clone(),
            name: f.name.clone(),
            business: due.business.clone(),
        });
        match f.fixed {
            Some(amount) => {
                self.set(ARREARS, &amount.plain());
                if let Some(field) = self.form.field_mut(ARREARS) {
                    field.lock(msg!("cashier.fee_fixed", amount = amount));
                }
                self.form.focus_on(AMOUNT);
                Notice::done(msg!(
                    "fee.found",
                    ticket = due.ticket_no,
                    business = due.business.zh,
                    customer = due.customer,
                    fee = f.name.zh
                ))
            }
            None => {
                if let Some(field) = self.form.field_mut(ARREARS) {
                    field.clear();
                }
                self.form.focus_on(ARREARS);
                Notice::done(msg!(
                    "fee.found_price_list",
                    ticket = due.ticket_no,
                    business = due.business.zh,
                    customer = due.customer,
                    fee = f.name.zh
                ))
            }
        }
    }

    /// A refusal from the desk: the cursor to its field (the message
    /// shows under the form); what was typed stays.
    pub(super) fn refused(&mut self, e: &crate::desk::DeskError) {
        self.form.point_at(e);
    }

    /// What was handed over in all: the tenders taken and the one typed.
    pub(super) fn tendered(&self) -> Fen {
        let last = money::parse_amount(&self.form.text(AMOUNT), self.limit).unwrap_or(Fen(0));
        self.tenders
            .iter()
            .fold(Fen(0), |s, t| s.saturating_add(t.amount))
            .saturating_add(last)
    }

    /// Draws the form, what is due, the tenders so far and, once paid, the
    /// receipt and the change.
    pub(super) fn draw(
        &self,
        area: Rect,
        buf: &mut Buffer,
        lang: Lang,
        paid: Option<(&Paid, Fen)>,
    ) {
        let labels: Vec<String> = LABELS.iter().map(|k| t(k, lang)).collect();
        let y = rows::draw(&self.form, &labels, area, buf, lang, 2);
        let mut lines = vec![Line::from(Span::styled(
            t("cashier.hint", lang),
            theme::dim(),
        ))];
        if let Some(f) = &self.fee {
            let m = msg!(
                "cashier.fee_line",
                ticket = f.ticket_no,
                business = f.business.get(lang),
                fee = f.name.get(lang)
            );
            lines.push(Line::from(Span::styled(text(&m, lang), theme::focus())));
        }
        match (self.quote, &self.fee) {
            (Some(q), Some(f)) => lines.push(Line::from(text(
                &msg!(
                    "cashier.fee_due_line",
                    fee = f.name.get(lang),
                    amount = q.due
                ),
                lang,
            ))),
            (Some(q), None) => lines.push(Line::from(text(
                &msg!(
                    "cashier.due_line",
                    arrears = q.due,
                    fee = q.late_fee,
                    total = q.total()
                ),
                lang,
            ))),
            (None, _) => {}
        }
        for tnd in &self.tenders {
            let m = msg!(
                "cashier.tender_line",
                method = text(&tnd.method.label(), lang),
                amount = tnd.amount
            );
            lines.push(Line::from(Span::styled(text(&m, lang), theme::dim())));
        }
        if let Some((p, tendered)) = paid {
            lines.extend(super::paid::paid_lines(p, tendered, lang));
        }
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .render(
                Rect {
                    y,
                    height: area.bottom().saturating_sub(y),
                    ..area
                },
                buf,
            );
    }
}
