//! The cashier screen (收费): open a shift with its float, take a bill or
//! fee payment with change or split tender, reverse a payment with a duty
//! manager on the spot, the blind close (日结), cheques and their funds,
//! refunds after the close and the day report. Each mode is a type of its
//! own with its keys and its drawing; the commands they give run here, one
//! desk call each.

mod cheques;
mod close;
mod entry;
mod forms;
pub mod keys;
mod paid;
mod report;
mod rows;
mod run;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget};

use crate::desk::fees::FeePayment;
use crate::desk::money::{BillPayment, CashierStart, CloseNote, Paid};
use crate::desk::refunds::RefundRequest;
use crate::desk::{Credentials, Desk, Session};
use crate::domain::money::{Counted, Fen, Line as SettleLine};
use crate::domain::msg::{Msg, Notice};
use crate::tui::form::Form;
use crate::tui::keymap::{self, Keys};
use crate::tui::notice;
use crate::tui::screen::{Ctx, Flow, KeyOutcome, View};
use crate::tui::text::{t, text};
use crate::tui::theme;
use cheques::{Cheques, Dishonour};
use close::{Count, Note};
use entry::Entry;
use forms::{OpenShift, Refund, Reverse};
use keys::{ClosedKey, DoneKey, OpenKey, PaidKey};
use report::Report;

/// Where the cashier stands, and where the modes opened on the side
/// (report, cheques, refund, something done) return to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Base {
    /// No shift open.
    NoShift,
    /// Taking payments.
    Taking,
    /// The shift is closed, with its settlement lines.
    Closed(Vec<SettleLine>),
}

/// A money slip that P prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Slip {
    Receipt(String),
    Reversal(String),
    Refund(String),
    Settlement,
}

/// What the cashier screen is doing.
enum Mode {
    /// No shift: the float.
    Open(OpenShift),
    /// Typing a payment.
    Entry,
    /// Paid: the receipt number and the change, announced.
    Paid(Paid, Fen),
    /// A reversal with the duty manager.
    Reverse(Reverse),
    /// The blind count.
    Count(Count),
    /// Over or short: the duty manager's note.
    Note(Note),
    /// Closed: the settlement.
    Closed,
    /// A refund after the close.
    Refund(Refund),
    /// Cheques waiting for their funds.
    Cheques(Cheques),
    /// A cheque returned unpaid.
    Dishonour(Dishonour),
    /// Something done whose slip prints with P.
    Done(Msg, Slip),
    /// The day report.
    Report(Report),
}

/// What the cashier's modes ask for: a desk call, or a change of mode.
pub(super) enum Command {
    OpenShift(String),
    LookupBills(String),
    LookupFees(String),
    Quote,
    PayBill(BillPayment),
    PayFee(FeePayment),
    Reverse {
        receipt: String,
        manager: Credentials,
        reason: String,
    },
    Close {
        counted: Counted,
        note: Option<CloseNote>,
    },
    Refund(RefundRequest),
    Cheques,
    ConfirmCheque {
        receipt: String,
        bank_ref: String,
    },
    Dishonour {
        receipt: String,
        manager: Credentials,
        reason: String,
    },
    DayReport(NaiveDate),
    Print(Slip),
    /// A reversal form, with the receipt just paid if any.
    ToReverse(Option<String>),
    ToCount,
    ToRefund,
    ToDishonour(String),
    BackToCheques,
    /// Back to where the cashier stands (payment, float or closed shift).
    ToBase,
    NextPayment,
    Say(Notice),
    Leave,
}

/// The cashier screen state.
pub struct Cashier {
    session: Session,
    today: NaiveDate,
    limit: Fen,
    base: Base,
    entry: Entry,
    mode: Mode,
    /// A message for the clerk.
    notice: Option<Notice>,
}

impl Cashier {
    /// The cashier as the desk opened it: the payment form when the clerk's
    /// shift is open, the float otherwise.
    pub fn new(session: Session, start: CashierStart) -> Cashier {
        let open = start.shift.is_some();
        let mut c = Cashier {
            session,
            today: start.today,
            limit: start.limit,
            base: if open { Base::Taking } else { Base::NoShift },
            entry: Entry::new(start.today, start.limit),
            mode: if open {
                Mode::Entry
            } else {
                Mode::Open(OpenShift::new())
            },
            notice: None,
        };
        c.refocus();
        c
    }

    fn back_to_base(&mut self) {
        self.mode = match &self.base {
            Base::NoShift => Mode::Open(OpenShift::new()),
            Base::Taking => Mode::Entry,
            Base::Closed(_) => Mode::Closed,
        };
    }

    fn refocus(&mut self) {
        self.entry.set_active(matches!(self.mode, Mode::Entry));
    }

    /// The form of the mode, if it has one.
    fn form(&mut self) -> Option<&mut Form> {
        match &mut self.mode {
            Mode::Open(o) => Some(&mut o.form),
            Mode::Reverse(r) => Some(&mut r.form),
            Mode::Count(c) => Some(&mut c.form),
            Mode::Note(n) => Some(&mut n.form),
            Mode::Refund(r) => Some(&mut r.form),
            Mode::Cheques(c) => Some(&mut c.bank_ref),
            Mode::Dishonour(d) => Some(&mut d.form),
            Mode::Entry | Mode::Paid(..) | Mode::Closed | Mode::Done(..) | Mode::Report(_) => None,
        }
    }

    /// A key through the current mode's keymap: ignored when the keymap
    /// has no use for it.
    fn mode_key(&mut self, key: &KeyEvent) -> KeyOutcome<Command> {
        let today = self.today;
        match &mut self.mode {
            Mode::Open(o) => KeyOutcome::of(keymap::lookup(keys::OPEN, key), |k| match k {
                OpenKey::Open => Some(o.open()),
                OpenKey::DayReport => Some(Command::DayReport(today)),
                OpenKey::Cheques => Some(Command::Cheques),
                OpenKey::Refund => Some(Command::ToRefund),
                OpenKey::Leave => Some(Command::Leave),
            }),
            Mode::Entry => KeyOutcome::of(keymap::lookup(keys::ENTRY, key), |k| self.entry.key(k)),
            Mode::Paid(p, _) => KeyOutcome::of(keymap::lookup(keys::PAID, key), |k| match k {
                PaidKey::Print => Some(Command::Print(Slip::Receipt(p.receipt_no.clone()))),
                PaidKey::Reverse => Some(Command::ToReverse(Some(p.receipt_no.clone()))),
                PaidKey::Next | PaidKey::Back => Some(Command::NextPayment),
            }),
            Mode::Reverse(r) => KeyOutcome::of(keymap::lookup(keys::FORM, key), |k| r.key(k)),
            Mode::Count(c) => KeyOutcome::of(keymap::lookup(keys::FORM, key), |k| c.key(k)),
            Mode::Note(n) => KeyOutcome::of(keymap::lookup(keys::FORM, key), |k| n.key(k)),
            Mode::Closed => KeyOutcome::of(keymap::lookup(keys::CLOSED, key), |k| match k {
                ClosedKey::Print => Some(Command::Print(Slip::Settlement)),
                ClosedKey::DayReport => Some(Command::DayReport(today)),
                ClosedKey::Cheques => Some(Command::Cheques),
                ClosedKey::Refund => Some(Command::ToRefund),
                ClosedKey::Leave => Some(Command::Leave),
            }),
            Mode::Refund(r) => KeyOutcome::of(keymap::lookup(keys::FORM, key), |k| r.key(k)),
            Mode::Cheques(c) => KeyOutcome::of(keymap::lookup(keys::CHEQUES, key), |k| c.key(k)),
            Mode::Dishonour(d) => KeyOutcome::of(keymap::lookup(keys::FORM, key), |k| d.key(k)),
            Mode::Done(_, slip) => KeyOutcome::of(keymap::lookup(keys::DONE, key), |k| match k {
                DoneKey::Print => Some(Command::Print(slip.clone())),
                DoneKey::Continue => Some(Command::ToBase),
            }),
            Mode::Report(r) => KeyOutcome::of(keymap::lookup(keys::REPORT, key), |k| r.key(k)),
        }
    }

    fn title(&self) -> &'static str {
        match self.mode {
            Mode::Open(_) => "cashier.title_open",
            Mode::Count(_) | Mode::Note(_) | Mode::Closed => "cashier.title_close",
            Mode::Reverse(_) => "cashier.title_reverse",
            Mode::Refund(_) => "refund.title",
            Mode::Cheques(_) => "cheque.title",
            Mode::Dishonour(_) => "cheque.title_dishonour",
            Mode::Report(_) => "key.day_report",
            Mode::Entry | Mode::Paid(..) | Mode::Done(..) => "cashier.title",
        }
    }
}

impl View for Cashier {
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        crate::tui::notice::refusal(&self.notice)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        let outcome = match self.mode_key(key) {
            KeyOutcome::Ignored => match self.mode {
                Mode::Entry => self.entry.input(key),
                _ => KeyOutcome::typed(self.form().is_some_and(|f| f.input(key))),
            },
            bound => {
                self.notice = None;
                bound
            }
        };
        let flow = outcome.flow(|c| self.run(c, desk));
        self.refocus();
        flow
    }

    fn on_paste(&mut self, pasted: &str, desk: &mut Desk) {
        if matches!(self.mode, Mode::Entry) {
            if let Some(c) = self.entry.paste(pasted) {
                self.run(c, desk);
            }
        } else if let Some(f) = self.form() {
            f.paste(pasted);
        }
    }

    fn keys(&self) -> Keys {
        match &self.mode {
            Mode::Open(_) => Keys::all(keys::OPEN),
            Mode::Entry => Keys::all(keys::ENTRY),
            Mode::Paid(..) => Keys::all(keys::PAID),
            Mode::Closed => Keys::all(keys::CLOSED),
            Mode::Reverse(_)
            | Mode::Count(_)
            | Mode::Note(_)
            | Mode::Refund(_)
            | Mode::Dishonour(_) => Keys::all(keys::FORM),
            Mode::Cheques(_) => Keys::all(keys::CHEQUES),
            Mode::Done(..) => Keys::all(keys::DONE),
            Mode::Report(_) => Keys::all(keys::REPORT),
        }
    }

    fn facing(
        &self,
    ) -> Option<(
        crate::domain::facing::Moment,
        Option<crate::domain::msg::Lang>,
    )> {
        use crate::domain::facing::Moment;
        match &self.mode {
            Mode::Entry => Some((self.entry.facing(), None)),
            Mode::Paid(p, _) => Some((
                Moment::Done {
                    reference: p.receipt_no.clone(),
                    change: Some(p.change),
                },
                None,
            )),
            Mode::Done(_, Slip::Refund(number)) => Some((
                Moment::Done {
                    reference: number.clone(),
                    change: None,
                },
                None,
            )),
            _ => None,
        }
    }

    fn help_title(&self) -> &'static str {
        "help.screen_cashier"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let title = t(self.title(), lang);
        let inner =
            crate::tui::frame::titled_box(area, buf, &title, ratatui::style::Style::default());
        match &self.mode {
            Mode::Open(o) => o.draw(inner, buf, lang),
            Mode::Entry => self.entry.draw(inner, buf, lang, None),
            Mode::Paid(p, tendered) => self.entry.draw(inner, buf, lang, Some((p, *tendered))),
            Mode::Reverse(r) => r.draw(inner, buf, lang),
            Mode::Count(c) => c.draw(inner, buf, lang),
            Mode::Note(n) => n.draw(inner, buf, lang),
            Mode::Closed => {
                if let Base::Closed(lines) = &self.base {
                    close::settlement(lines, inner, buf, lang);
                }
            }
            Mode::Refund(r) => r.draw(inner, buf, lang),
            Mode::Cheques(c) => c.draw(inner, buf, lang),
            Mode::Dishonour(d) => d.draw(inner, buf, lang),
            Mode::Done(what, _) => {
                Paragraph::new(Span::styled(text(what, lang), theme::ok()))
                    .render(Rect { height: 1, ..inner }, buf);
            }
            Mode::Report(r) => r.draw(
                Rect {
                    height: inner.height.saturating_sub(1),
                    ..inner
                },
                buf,
                lang,
            ),
        }
        // A long message (a disk failure says what to do) wraps upwards
        // instead of being cut off.
        notice::draw_bottom(self.notice.as_ref(), inner, buf, lang, 3);
    }
}
