//! Running the cashier's commands: each one desk call, its answer shown on
//! the screen, or a change of mode.

use chrono::NaiveDate;

use super::cheques::{Cheques, Dishonour};
use super::close::{Count, Note};
use super::forms::{Refund, Reverse};
use super::report::Report;
use super::{Base, Cashier, Command, Mode, Slip};
use crate::desk::money::{Close, CloseNote, Paid};
use crate::desk::slips::SlipOrder;
use crate::desk::{Credentials, Desk, DeskError};
use crate::domain::money::Counted;
use crate::domain::msg::Notice;
use crate::msg;
use crate::tui::answer::{self, Answer, Refuses};
use crate::tui::screen::{Flow, Nav};

impl Cashier {
    /// Runs a command: a desk call with its answer shown here, or a change
    /// of mode.
    pub(super) fn run(&mut self, cmd: Command, desk: &mut Desk) -> Flow {
        match cmd {
            Command::OpenShift(float) => self.open_shift(&float, desk),
            Command::LookupBills(account) => match desk.account_bills(&account) {
                Ok(found) => {
                    self.notice = self
                        .entry
                        .bill_found(found.bills.into_iter().next(), found.holder);
                    return self.run(Command::Quote, desk);
                }
                Err(e) => {
                    self.entry.bill_found(None, None);
                    self.refused(&e);
                }
            },
            Command::LookupFees(ticket) => {
                if let Some(due) = desk.fees_due(&ticket).or_refused(self) {
                    self.notice = Some(self.entry.fees_found(due));
                    return self.run(Command::Quote, desk);
                }
            }
            Command::Quote => {
                let quote = self.entry.due().map(|d| desk.quote(&d));
                self.entry.quoted(quote);
            }
            Command::PayBill(bill) => {
                let paid = desk.pay_bill(&self.session, &bill);
                self.paid(paid, desk);
            }
            Command::PayFee(fee) => {
                let paid = desk.pay_fee(&self.session, &fee);
                self.paid(paid, desk);
            }
            Command::Reverse {
                receipt,
                manager,
                reason,
            } => self.reverse(&receipt, &manager, &reason, desk),
            Command::Close { counted, note } => self.close(counted, note, desk),
            Command::Refund(request) => {
                if let Some(r) = desk.refund(&self.session, &request).or_refused(self) {
                    let what = msg!("refund.done", amount = r.amount, number = r.refund_no);
                    self.mode = Mode::Done(what, Slip::Refund(r.refund_no));
                }
            }
            Command::Cheques => self.cheques(desk),
            Command::ConfirmCheque { receipt, bank_ref } => {
                let confirmed = desk.confirm_cheque(&self.session, &receipt, &bank_ref);
                if confirmed.or_refused(self).is_some() {
                    let what = msg!("cheque.confirmed", receipt = receipt);
                    self.mode = Mode::Done(what, Slip::Receipt(receipt));
                }
            }
            Command::Dishonour {
                receipt,
                manager,
                reason,
            } => self.dishonour(&receipt, &manager, &reason, desk),
            Command::DayReport(date) => self.day_report(date, desk),
            Command::Print(slip) => self.print(&slip, desk),
            Command::ToReverse(receipt) => {
                // From a payment just taken: that payment is done with.
                if receipt.is_some() {
                    self.entry.reset();
                }
                self.mode = Mode::Reverse(Reverse::new(receipt.as_deref()));
            }
            Command::ToCount => self.mode = Mode::Count(Count::new(self.limit)),
            Command::ToRefund => self.mode = Mode::Refund(Refund::new()),
            Command::ToDishonour(receipt) => {
                let mode = std::mem::replace(&mut self.mode, Mode::Entry);
                self.mode = match mode {
                    Mode::Cheques(c) => Mode::Dishonour(Dishonour::new(c, receipt)),
                    other => other,
                };
            }
            Command::BackToCheques => self.back_to_cheques(),
            Command::ToBase => self.back_to_base(),
            Command::NextPayment => {
                self.entry.reset();
                self.mode = Mode::Entry;
            }
            Command::Say(n) => self.notice = Some(n),
            Command::Leave => return Flow::Go(Nav::Back),
        }
        Flow::Used
    }

    fn open_shift(&mut self, float: &str, desk: &mut Desk) {
        if desk
            .start_shift(&self.session, float)
            .or_refused(self)
            .is_some()
        {
            self.base = Base::Taking;
            self.mode = Mode::Entry;
            self.entry.reset();
            self.notice = Some(Notice::done(msg!("cashier.opened")));
        }
    }

    fn reverse(&mut self, receipt: &str, manager: &Credentials, reason: &str, desk: &mut Desk) {
        let reversed = desk.reverse_payment(&self.session, receipt, manager, reason);
        if let Some(r) = reversed.or_refused(self) {
            self.entry.reset();
            let receipt = r.payment.receipt_no;
            let what = if r.reconnection_cancelled {
                msg!("cashier.reversed_reconnection", receipt = receipt)
            } else {
                msg!("cashier.reversed", receipt = receipt)
            };
            self.mode = Mode::Done(what, Slip::Reversal(receipt));
        }
    }

    fn close(&mut self, counted: Counted, note: Option<CloseNote>, desk: &mut Desk) {
        let closed = desk.close_shift(&self.session, &counted, note.as_ref());
        match closed.or_refused(self) {
            Some(Close::Closed(lines)) => {
                self.base = Base::Closed(lines);
                self.mode = Mode::Closed;
                self.notice = Some(Notice::done(msg!("cashier.closed")));
            }
            Some(Close::NeedsNote(lines)) => self.mode = Mode::Note(Note::new(lines, counted)),
            None => {}
        }
    }

    fn cheques(&mut self, desk: &mut Desk) {
        if let Some(list) = desk.read().held_cheques().or_refused(self) {
            if list.is_empty() {
                self.notice = Some(Notice::info(msg!("cheque.none")));
            }
            self.mode = Mode::Cheques(Cheques::new(list));
        }
    }

    fn dishonour(&mut self, receipt: &str, manager: &Credentials, reason: &str, desk: &mut Desk) {
        let dishonoured = desk.dishonour_cheque(&self.session, receipt, manager, reason);
        let Some(reconnection_cancelled) = dishonoured.or_refused(self) else {
            return;
        };
        let relisted = desk.read().held_cheques();
        self.back_to_cheques();
        if let Some(list) = relisted.or_refused(self) {
            if let Mode::Cheques(c) = &mut self.mode {
                c.relist(list);
            }
            let m = if reconnection_cancelled {
                msg!("cheque.dishonoured_reconnection", receipt = receipt)
            } else {
                msg!("cheque.dishonoured", receipt = receipt)
            };
            self.notice = Some(Notice::done(m));
        }
    }

    fn day_report(&mut self, date: NaiveDate, desk: &mut Desk) {
        if !matches!(self.mode, Mode::Report(_)) {
            self.mode = Mode::Report(Report::new(date));
        }
        if let Some(r) = desk.day_report(date).or_refused(self) {
            if let Mode::Report(v) = &mut self.mode {
                v.found(r);
            }
        }
    }

    fn print(&mut self, slip: &Slip, desk: &mut Desk) {
        let order = match slip {
            Slip::Receipt(r) => SlipOrder::Receipt(r),
            Slip::Reversal(r) => SlipOrder::Reversal(r),
            Slip::Refund(n) => SlipOrder::Refund(n),
            Slip::Settlement => SlipOrder::Settlement,
        };
        self.notice = Some(answer::printed(desk.print(&self.session, order)));
    }

    fn back_to_cheques(&mut self) {
        let mode = std::mem::replace(&mut self.mode, Mode::Entry);
        self.mode = match mode {
            Mode::Dishonour(d) => Mode::Cheques(d.cheques),
            other => other,
        };
    }

    fn paid(&mut self, paid: Result<Paid, DeskError>, desk: &mut Desk) {
        match paid {
            Ok(p) => {
                if p.held {
                    let m = msg!("cashier.paid_held", receipt = p.receipt_no);
                    self.notice = Some(Notice::warning(m));
                } else if p.prepaid.0 > 0 {
                    let m = msg!("cashier.prepaid_kept", amount = p.prepaid);
                    self.notice = Some(Notice::done(m));
                }
                let tendered = self.entry.tendered();
                self.mode = Mode::Paid(p, tendered);
            }
            Err(e) => {
                let changed = e.key() == "payment.quote_changed";
                self.refused(&e);
                if changed {
                    // Show what is due now; the next Enter pays it.
                    let quote = self.entry.due().map(|d| desk.quote(&d));
                    self.entry.quoted(quote);
                }
            }
        }
    }
}

impl Refuses for Cashier {
    /// The message under the form, the cursor to its field; what was typed
    /// stays (passwords are typed again).
    fn refused(&mut self, e: &DeskError) {
        self.notice = Some(e.notice());
        if matches!(self.mode, Mode::Entry) {
            self.entry.refused(e);
        } else if let Some(f) = self.form() {
            f.point_at(e);
        }
    }
}
