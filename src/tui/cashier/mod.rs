//! The cashier screen (收费): open a shift with its float, take a bill
//! payment with change or split tender, reverse a payment with a duty
//! manager on the spot, and the blind close (日结).

mod cheques;
mod close;
mod entry;
mod fee;
mod refund;
mod render;
mod report;

use chrono::{Datelike, NaiveDate};
use crossterm::event::KeyEvent;

use crate::desk::money::{Paid, TenderInput};
use crate::domain::field_value;
use crate::domain::money::{self, Fen, LateFeeRule, Line as SettleLine, DENOMINATIONS};
use crate::domain::msg::Msg;
use crate::msg;
use crate::tui::field::Field;
use crate::tui::keymap::{self, Binding, Cmd};
use crate::tui::{Action, MoneySlip};

/// What the cashier screen is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No shift: type the float.
    Open,
    /// Typing a bill and what the customer hands over.
    Entry,
    /// Paid: the receipt number and the change, announced.
    Paid,
    /// Reversal: receipt, duty manager, reason.
    Reverse,
    /// Blind close: counts by denomination and the other instruments.
    Close,
    /// Over or short: a duty manager's note is needed.
    CloseNote,
    /// Closed: the settlement.
    Closed,
    /// A duty manager's refund: receipt, amount, bank account, holder, reason.
    Refund,
    /// Cheques waiting for their funds.
    Cheques,
    /// A cheque returned unpaid: duty manager, password, the bank's reason.
    Dishonour,
    /// Something done whose slip prints with P (reversal, refund, cheque cleared).
    Done,
    /// The day report across clerks.
    Report,
}

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

/// The cashier screen state.
pub struct Cashier {
    /// Mode.
    pub mode: Mode,
    float: Field,
    entry: Vec<Field>,
    focus: usize,
    tenders: Vec<TenderInput>,
    /// The last payment.
    pub paid: Option<Paid>,
    tendered_total: Fen,
    reverse: Vec<Field>,
    counts: Vec<Field>,
    note: Vec<Field>,
    /// The settlement lines (after counting).
    pub lines: Vec<SettleLine>,
    /// A message for the clerk.
    pub notice: Option<Msg>,
    today: NaiveDate,
    /// Where Esc goes from the refund, cheques, done and report modes.
    back: Mode,
    refund: Vec<Field>,
    cheques: Vec<crate::store::cheques::HeldCheque>,
    cheque_sel: usize,
    bank_ref: Vec<Field>,
    dishonour: Vec<Field>,
    /// What was done and the slip P prints.
    done: Option<(Msg, MoneySlip)>,
    report: Option<crate::desk::report::DayReport>,
    report_date: NaiveDate,
    /// The application fee being taken instead of a bill.
    fee: Option<fee::FeeTarget>,
    /// The configured amount limit and late-fee rule.
    limit: Fen,
    rule: LateFeeRule,
}

fn previous_period(today: NaiveDate) -> String {
    let (y, m) = if today.month() == 1 {
        (today.year() - 1, 12)
    } else {
        (today.year(), today.month() - 1)
    };
    format!("{y}-{m:02}")
}

impl Cashier {
    /// A cashier screen; `shift_open` decides whether it starts at the float.
    pub fn new(shift_open: bool, today: NaiveDate, money: &crate::config::Money) -> Cashier {
        let mut c = Cashier {
            mode: if shift_open { Mode::Entry } else { Mode::Open },
            float: Field::new("cashier.float", 20),
            entry: vec![
                Field::new("cashier.account", 32),
                Field::new("cashier.arrears", 20),
                Field::new("cashier.amount", 20),
                Field::new("cashier.method", 2),
                Field::new("cashier.reference", 40).free_text(),
                Field::new("cashier.period", 7),
                Field::new("cashier.due_date", 12),
                Field::new("cashier.class", 2),
            ],
            focus: 0,
            tenders: Vec::new(),
            paid: None,
            tendered_total: Fen(0),
            reverse: vec![
                Field::new("cashier.receipt", 24),
                Field::new("signoff.staff_no", 20),
                Field::new("signoff.password", 128).secret(),
                Field::new("signoff.reason", 200).free_text(),
            ],
            counts: DENOMINATIONS
                .iter()
                .map(|_| Field::new("cashier.count", 6))
                .chain([
                    Field::new("cashier.card_total", 20),
                    Field::new("cashier.qr_total", 20),
                    Field::new("cashier.cheque_total", 20),
                ])
                .collect(),
            note: vec![
                Field::new("signoff.staff_no", 20),
                Field::new("signoff.password", 128).secret(),
                Field::new("cashier.note", 200).free_text(),
            ],
            lines: Vec::new(),
            notice: None,
            today,
            back: Mode::Entry,
            refund: vec![
                Field::new("refund.receipt", 24),
                Field::new("refund.amount", 20),
                Field::new("refund.bank_account", 40).free_text(),
                Field::new("refund.holder", 40).free_text(),
                Field::new("refund.reason", 200).free_text(),
            ],
            cheques: Vec::new(),
            cheque_sel: 0,
            bank_ref: vec![Field::new("cheque.bank_ref", 40).free_text()],
            dishonour: vec![
                Field::new("signoff.staff_no", 20),
                Field::new("signoff.password", 128).secret(),
                Field::new("cheque.dishonour_reason", 200).free_text(),
            ],
            done: None,
            report: None,
            report_date: today,
            fee: None,
            limit: money.limit(),
            rule: money.late_fee_rule(),
        };
        c.reset_entry();
        c
    }

    fn reset_entry(&mut self) {
        for f in &mut self.entry {
            f.clear();
        }
        self.entry[PERIOD].set_text(&previous_period(self.today));
        // Today: no late fee unless the clerk types the bill's real due date.
        self.entry[DUE].set_text(&self.today.to_string());
        self.entry[CLASS].set_text("1");
        self.entry[METHOD].set_text("1");
        self.tenders.clear();
        self.tendered_total = Fen(0);
        self.fee = None;
        self.focus = 0;
        self.refocus();
    }

    fn fields(&mut self) -> &mut Vec<Field> {
        match self.mode {
            Mode::Reverse => &mut self.reverse,
            Mode::Close => &mut self.counts,
            Mode::CloseNote => &mut self.note,
            Mode::Refund => &mut self.refund,
            Mode::Cheques => &mut self.bank_ref,
            Mode::Dishonour => &mut self.dishonour,
            _ => &mut self.entry,
        }
    }

    fn refocus(&mut self) {
        let mode = self.mode;
        let focus = self.focus;
        self.float.set_focus(mode == Mode::Open);
        for (i, f) in self.fields().iter_mut().enumerate() {
            f.set_focus(
                matches!(
                    mode,
                    Mode::Entry
                        | Mode::Reverse
                        | Mode::Close
                        | Mode::CloseNote
                        | Mode::Refund
                        | Mode::Cheques
                        | Mode::Dishonour
                ) && i == focus,
            );
        }
    }

    /// Bindings in force.
    pub fn bindings(&self) -> &'static [Binding] {
        match self.mode {
            Mode::Open => keymap::CASHIER_OPEN,
            Mode::Entry => keymap::CASHIER,
            Mode::Paid => keymap::CASHIER_PAID,
            Mode::Closed => keymap::CASHIER_CLOSED,
            Mode::Reverse | Mode::Close | Mode::CloseNote | Mode::Refund | Mode::Dishonour => {
                keymap::CASHIER_FORM
            }
            Mode::Cheques => keymap::CASHIER_CHEQUES,
            Mode::Done => keymap::CASHIER_DONE,
            Mode::Report => keymap::CASHIER_REPORT,
        }
    }

    /// Routes a key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> (bool, Option<Action>) {
        if let Some(cmd) = keymap::lookup(self.bindings(), key, |_| true) {
            let a = self.command(cmd);
            self.refocus();
            return (true, a);
        }
        let used = match self.mode {
            Mode::Open => self.float.input(key),
            Mode::Entry
            | Mode::Reverse
            | Mode::Close
            | Mode::CloseNote
            | Mode::Refund
            | Mode::Cheques
            | Mode::Dishonour => {
                let i = self.focus;
                self.fields()[i].input(key)
            }
            _ => false,
        };
        if used && self.mode == Mode::Entry && [ARREARS, PERIOD, DUE, CLASS].contains(&self.focus) {
            // The amount follows what is due until the clerk types it.
            if let Some((a, f)) = self.due_now() {
                let remaining = a.saturating_add(f).saturating_sub(self.tendered_total);
                self.entry[AMOUNT].suggest(&remaining.plain());
            }
        }
        (used, None)
    }

    /// Pasted text into the focused field.
    pub fn paste(&mut self, pasted: &str) {
        let i = self.focus;
        let _ = match self.mode {
            Mode::Open => self.float.paste(pasted),
            Mode::Entry
            | Mode::Reverse
            | Mode::Close
            | Mode::CloseNote
            | Mode::Refund
            | Mode::Cheques
            | Mode::Dishonour => self.fields()[i].paste(pasted),
            _ => Ok(()),
        };
    }

    fn command(&mut self, cmd: Cmd) -> Option<Action> {
        self.notice = None;
        match (self.mode, cmd) {
            (Mode::Open | Mode::Entry | Mode::Closed, Cmd::DayReport) => {
                self.back = self.mode;
                self.mode = Mode::Report;
                self.report_date = self.today;
                return Some(Action::DayReport(self.today));
            }
            (Mode::Open | Mode::Entry | Mode::Closed, Cmd::Cheques) => {
                self.back = self.mode;
                self.mode = Mode::Cheques;
                self.focus = 0;
                self.bank_ref[0].clear();
                return Some(Action::ListCheques);
            }
            (Mode::Open | Mode::Entry | Mode::Closed, Cmd::Refund) => {
                self.back = self.mode;
                self.mode = Mode::Refund;
                self.focus = 0;
                for f in &mut self.refund {
                    f.clear();
                }
            }
            (Mode::Refund | Mode::Cheques | Mode::Done | Mode::Report, Cmd::Back) => {
                self.leave_aside();
            }
            (Mode::Report, Cmd::Left | Cmd::Right) => return self.step_day(cmd == Cmd::Right),
            (Mode::Cheques, Cmd::Up | Cmd::Down | Cmd::Enter | Cmd::Reverse) => {
                return self.cheque_cmd(cmd)
            }
            (Mode::Dishonour, Cmd::Back) => {
                self.mode = Mode::Cheques;
                self.focus = 0;
            }
            (Mode::Dishonour, Cmd::Enter | Cmd::Next | Cmd::Prev) => {
                return self.dishonour_cmd(cmd)
            }
            (Mode::Done, Cmd::Print) => {
                return self
                    .done
                    .as_ref()
                    .map(|(_, slip)| Action::PrintMoneySlip(slip.clone()));
            }
            (Mode::Refund, Cmd::Enter) => return self.refund_enter(),
            (Mode::Refund, Cmd::Next) => self.focus = (self.focus + 1) % self.refund.len(),
            (Mode::Refund, Cmd::Prev) => {
                self.focus = (self.focus + self.refund.len() - 1) % self.refund.len()
            }
            (Mode::Open, Cmd::Enter) => return Some(Action::OpenShift(self.float.text())),
            (_, Cmd::Back)
                if matches!(
                    self.mode,
                    Mode::Reverse | Mode::Close | Mode::CloseNote | Mode::Paid
                ) =>
            {
                self.mode = Mode::Entry;
                self.focus = 0;
                if self.paid.is_some() {
                    self.paid = None;
                    self.reset_entry();
                }
            }
            (_, Cmd::Back) => return Some(Action::LeaveCashier),
            (Mode::Entry, Cmd::Enter) => {
                let cash = matches!(self.entry[METHOD].text().trim(), "" | "1");
                match self.focus {
                    ACCOUNT => {
                        let account = self.entry[ACCOUNT].text().trim().to_string();
                        if account.is_empty() {
                            self.entry[ACCOUNT].error = Some(msg!("cashier.account_needed"));
                            return None;
                        }
                        if crate::desk::fees::is_ticket(&account) {
                            // An application's ticket: its disclosed fees.
                            return Some(Action::LookupFees(account));
                        }
                        self.fee = None;
                        // The app looks the bill list up and fills the bill in.
                        return Some(Action::LookupBills(account));
                    }
                    ARREARS => {
                        if let Err(m) = money::parse_amount(&self.entry[ARREARS].text(), self.limit)
                        {
                            self.entry[ARREARS].error = Some(m);
                            return None;
                        }
                        self.focus = AMOUNT;
                    }
                    AMOUNT if cash => return self.pay(),
                    AMOUNT => self.focus = REFERENCE,
                    REFERENCE => return self.pay(),
                    METHOD => self.focus = AMOUNT,
                    DUE => {
                        if let Err(m) = field_value::date(&self.entry[DUE].text()) {
                            self.entry[DUE].error = Some(m);
                            return None;
                        }
                        self.focus = CLASS;
                    }
                    CLASS => self.focus = AMOUNT,
                    other => self.focus = other + 1,
                }
                return None;
            }
            (Mode::Entry, Cmd::Prepay) => {
                if self.fee.is_some() {
                    self.notice = Some(msg!("fee.no_prepaid"));
                    return None;
                }
                return self.pay_with(true);
            }
            (Mode::Entry, Cmd::Next) => self.focus = (self.focus + 1) % self.entry.len(),
            (Mode::Entry, Cmd::Prev) => {
                self.focus = (self.focus + self.entry.len() - 1) % self.entry.len()
            }
            (Mode::Entry, Cmd::Split) => {
                if let Ok(t) = self.tender() {
                    self.tendered_total = self.tendered_total.saturating_add(t.amount);
                    self.tenders.push(t);
                    if let Some((a, f)) = self.due_now() {
                        let remaining = a.saturating_add(f).saturating_sub(self.tendered_total);
                        self.entry[AMOUNT].suggest(&remaining.plain());
                    }
                    self.entry[REFERENCE].clear();
                    self.entry[METHOD].set_text("1");
                    self.focus = METHOD;
                }
            }
            (Mode::Entry | Mode::Paid, Cmd::Reverse) => {
                self.mode = Mode::Reverse;
                self.focus = 0;
                for f in &mut self.reverse {
                    f.clear();
                }
                if let Some(p) = &self.paid {
                    self.reverse[0].set_text(&p.receipt_no);
                    self.focus = 1;
                }
            }
            (Mode::Entry, Cmd::CloseShift) => {
                self.mode = Mode::Close;
                self.focus = 0;
            }
            (Mode::Closed, Cmd::Print) => return Some(Action::PrintSettlement),
            (Mode::Paid, Cmd::Print) => {
                return self
                    .paid
                    .as_ref()
                    .map(|p| Action::PrintMoneySlip(MoneySlip::Receipt(p.receipt_no.clone())));
            }
            (Mode::Paid, Cmd::Enter) => {
                self.paid = None;
                self.mode = Mode::Entry;
                self.reset_entry();
            }
            (Mode::Reverse | Mode::Close | Mode::CloseNote, Cmd::Enter) => {
                let n = self.fields().len();
                if self.focus + 1 < n {
                    self.focus += 1;
                    return None;
                }
                return match self.mode {
                    Mode::Reverse => Some(Action::ReversePayment {
                        receipt: self.reverse[0].text().trim().to_string(),
                        staff_no: self.reverse[1].text().trim().to_string(),
                        password: self.reverse[2].text(),
                        reason: self.reverse[3].text().trim().to_string(),
                    }),
                    Mode::Close => self
                        .counted()
                        .map(|c| Action::CloseShift(Box::new(c), None)),
                    _ => self.counted().map(|c| {
                        Action::CloseShift(
                            Box::new(c),
                            Some((
                                self.note[0].text().trim().to_string(),
                                self.note[1].text(),
                                self.note[2].text().trim().to_string(),
                            )),
                        )
                    }),
                };
            }
            (Mode::Reverse | Mode::Close | Mode::CloseNote, Cmd::Next) => {
                let n = self.fields().len();
                self.focus = (self.focus + 1) % n;
            }
            (Mode::Reverse | Mode::Close | Mode::CloseNote, Cmd::Prev) => {
                let n = self.fields().len();
                self.focus = (self.focus + n - 1) % n;
            }
            _ => {}
        }
        None
    }

    /// The shift was opened.
    pub fn opened(&mut self) {
        self.mode = Mode::Entry;
        self.notice = Some(msg!("cashier.opened"));
        self.reset_entry();
    }

    /// Something was refused: show it, keep what was typed (a password
    /// excepted: it is typed again).
    pub fn refused(&mut self, why: Msg) {
        self.notice = Some(why);
        match self.mode {
            Mode::Reverse => {
                self.reverse[2].clear();
                self.focus = 1;
            }
            // The duty manager types their own number and password afresh.
            Mode::Dishonour => {
                self.dishonour[0].clear();
                self.dishonour[1].clear();
                self.focus = 0;
            }
            Mode::CloseNote => {
                self.note[1].clear();
                self.focus = 0;
            }
            // The cursor goes to the field at fault.
            Mode::Refund => {
                self.focus = match self.notice.as_ref().map(|m| m.key) {
                    Some(
                        "payment.no_such_receipt"
                        | "refund.shift_open"
                        | "payment.already_reversed",
                    ) => 0,
                    Some(k) if k.starts_with("money.") => 1,
                    Some("refund.too_much" | "refund.amount_zero") => 1,
                    Some("refund.bank_account_bad") => 2,
                    Some("refund.not_own_account" | "refund.holder_needed") => 3,
                    Some("refund.reason_needed") => 4,
                    _ => self.focus,
                };
            }
            _ => {}
        }
        self.refocus();
    }

    /// A reversal went through.
    pub fn reversed(&mut self, receipt: &str) {
        self.paid = None;
        self.reset_entry();
        for f in &mut self.reverse {
            f.clear();
        }
        self.back = Mode::Entry;
        self.finished(
            msg!("cashier.reversed", receipt = receipt),
            MoneySlip::Reversal(receipt.to_string()),
        );
    }

    /// Something done whose slip prints with P.
    pub fn finished(&mut self, what: Msg, slip: MoneySlip) {
        self.done = Some((what, slip));
        self.mode = Mode::Done;
        self.refocus();
    }

    /// Back from the refund, cheques, done or report modes to where they
    /// were opened from.
    fn leave_aside(&mut self) {
        self.mode = self.back;
        self.done = None;
        self.focus = 0;
        if self.mode == Mode::Entry && self.paid.is_some() {
            self.paid = None;
            self.reset_entry();
        }
    }
}

const ENTRY_LABELS: [&str; 8] = [
    "cashier.account",
    "cashier.arrears",
    "cashier.amount",
    "cashier.method",
    "cashier.reference",
    "cashier.period",
    "cashier.due_date",
    "cashier.class",
];
