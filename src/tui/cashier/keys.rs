//! The cashier's keys, one table per mode.

use crate::tui::key_names::Names;
use crate::tui::keymap::{
    b, ch, f, label_of, Binding, BACKTAB, DOWN, ENTER, ESC, LEFT, RIGHT, TAB, UP,
};

/// No shift open: the float (a duty manager may only want a refund or the
/// day report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenKey {
    /// Open the shift with the float typed.
    Open,
    DayReport,
    /// Cheques waiting for their funds.
    Cheques,
    /// A refund after the close.
    Refund,
    /// Back to the customer.
    Leave,
}

/// Keys with no shift open.
pub const OPEN: &[Binding<OpenKey>] = &[
    b(&[ENTER], OpenKey::Open, "key.open_shift"),
    b(&[f(2)], OpenKey::DayReport, "key.day_report"),
    b(&[f(4)], OpenKey::Cheques, "key.cheques"),
    b(&[f(5)], OpenKey::Refund, "key.refund"),
    b(&[ESC], OpenKey::Leave, "key.back"),
];

/// Taking a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKey {
    /// Next field, or pay.
    Enter,
    Next,
    /// Previous field.
    Prev,
    /// Add the tender typed and take another.
    Split,
    /// Pay, keeping the excess as prepaid electricity.
    Prepay,
    /// Reverse a payment of the shift.
    Reverse,
    /// Close the shift blind.
    Close,
    DayReport,
    /// Cheques waiting for their funds.
    Cheques,
    /// A refund (after the close; the desk says so meanwhile).
    Refund,
    /// Back to the customer.
    Leave,
}

/// Keys while taking a payment.
pub const ENTRY: &[Binding<EntryKey>] = &[
    b(&[ENTER], EntryKey::Enter, "key.next_or_pay"),
    b(&[DOWN, TAB], EntryKey::Next, "key.next_field"),
    b(&[UP, BACKTAB], EntryKey::Prev, "key.prev_field"),
    b(&[f(7)], EntryKey::Split, "key.split"),
    b(&[f(3)], EntryKey::Prepay, "key.prepay"),
    b(&[f(8)], EntryKey::Reverse, "key.reverse"),
    b(&[f(9)], EntryKey::Close, "key.close_shift"),
    b(&[f(2)], EntryKey::DayReport, "key.day_report"),
    b(&[f(4)], EntryKey::Cheques, "key.cheques"),
    b(&[f(5)], EntryKey::Refund, "key.refund"),
    b(&[ESC], EntryKey::Leave, "key.back"),
];

/// Paid: the receipt number and the change announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidKey {
    /// Print the receipt.
    Print,
    /// The next payment.
    Next,
    /// Reverse this payment.
    Reverse,
    /// Back to the payment form.
    Back,
}

/// Keys after a payment.
pub const PAID: &[Binding<PaidKey>] = &[
    b(&[ch('p')], PaidKey::Print, "key.print_receipt"),
    b(&[ENTER], PaidKey::Next, "key.next_payment"),
    b(&[f(8)], PaidKey::Reverse, "key.reverse"),
    b(&[ESC], PaidKey::Back, "key.back"),
];

/// The shift is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedKey {
    /// Print the settlement report.
    Print,
    DayReport,
    /// Cheques waiting for their funds.
    Cheques,
    Refund,
    /// Back to the customer.
    Leave,
}

/// Keys once the shift is closed.
pub const CLOSED: &[Binding<ClosedKey>] = &[
    b(&[ch('p')], ClosedKey::Print, "key.print_settlement"),
    b(&[f(2)], ClosedKey::DayReport, "key.day_report"),
    b(&[f(4)], ClosedKey::Cheques, "key.cheques"),
    b(&[f(5)], ClosedKey::Refund, "key.refund"),
    b(&[ESC], ClosedKey::Leave, "key.back"),
];

/// A reversal, refund or cheque confirmation done: its slip prints with P.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoneKey {
    /// Print its slip.
    Print,
    /// Go on.
    Continue,
}

/// Keys after something done.
pub const DONE: &[Binding<DoneKey>] = &[
    b(&[ch('p')], DoneKey::Print, "key.print"),
    b(&[ENTER, ESC], DoneKey::Continue, "key.continue"),
];

/// Cheques waiting for their funds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChequesKey {
    /// The cheque above.
    Up,
    /// The cheque below.
    Down,
    /// The funds arrived (the bank's reference typed).
    Confirm,
    /// The cheque came back unpaid.
    Dishonour,
    Back,
}

/// Keys of the cheque list.
pub const CHEQUES: &[Binding<ChequesKey>] = &[
    b(&[UP], ChequesKey::Up, "key.move_up"),
    b(&[DOWN], ChequesKey::Down, "key.move_down"),
    b(&[ENTER], ChequesKey::Confirm, "key.confirm_funds"),
    b(&[f(8)], ChequesKey::Dishonour, "key.dishonour"),
    b(&[ESC], ChequesKey::Back, "key.back"),
];

/// The day report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKey {
    /// The day before.
    Previous,
    /// The day after.
    Next,
    Back,
}

/// Keys of the day report.
pub const REPORT: &[Binding<ReportKey>] = &[
    b(&[LEFT], ReportKey::Previous, "key.previous_day"),
    b(&[RIGHT], ReportKey::Next, "key.next_day"),
    b(&[ESC], ReportKey::Back, "key.back"),
];

/// A form: reversal, counting, the duty manager's note, a refund, a
/// returned cheque.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    /// Next field, or confirm from the last.
    Enter,
    Next,
    /// Previous field.
    Prev,
    Cancel,
}

/// Keys of the cashier's forms.
pub const FORM: &[Binding<FormKey>] = &[
    b(&[ENTER], FormKey::Enter, "key.next_or_confirm"),
    b(&[DOWN, TAB], FormKey::Next, "key.next_field"),
    b(&[UP, BACKTAB], FormKey::Prev, "key.prev_field"),
    b(&[ESC], FormKey::Cancel, "key.cancel"),
];

/// The keys of this screen that messages name (`{key_…}`).
pub const KEY_NAMES: Names = &[
    ("key_prev_field", || label_of(ENTRY, EntryKey::Prev)),
    ("key_next_field", || label_of(ENTRY, EntryKey::Next)),
    ("key_split", || label_of(ENTRY, EntryKey::Split)),
    ("key_cheques", || label_of(ENTRY, EntryKey::Cheques)),
    ("key_reverse", || label_of(ENTRY, EntryKey::Reverse)),
    ("key_pay", || label_of(ENTRY, EntryKey::Enter)),
    ("key_leave", || label_of(ENTRY, EntryKey::Leave)),
    ("key_print", || label_of(DONE, DoneKey::Print)),
];
