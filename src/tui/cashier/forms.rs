//! The cashier's small forms, each a mode of its own: the float that opens
//! a shift, a reversal with the duty manager, a refund after the close.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::keys::FormKey;
use super::{rows, Command};
use crate::desk::refunds::RefundRequest;
use crate::desk::Credentials;
use crate::domain::msg::{Input, Lang};
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::text::t;

fn labels(keys: &[&'static str], lang: Lang) -> Vec<String> {
    keys.iter().map(|k| t(k, lang)).collect()
}

fn walk(form: &mut Form, cmd: FormKey) -> bool {
    match cmd {
        FormKey::Next => form.next(),
        FormKey::Prev => form.prev(),
        FormKey::Enter if !form.at_last() => form.next(),
        FormKey::Enter => return true,
        FormKey::Cancel => {}
    }
    false
}

/// No shift open: the float (备用金).
pub(super) struct OpenShift {
    pub(super) form: Form,
}

impl OpenShift {
    pub(super) fn new() -> OpenShift {
        OpenShift {
            form: Form::new(vec![(Field::new("cashier.float", 20), Some(Input::Amount))]),
        }
    }

    pub(super) fn open(&self) -> Command {
        Command::OpenShift(self.form.text(0))
    }

    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        rows::draw(
            &self.form,
            &labels(&["cashier.float"], lang),
            area,
            buf,
            lang,
            2,
        );
    }
}

const REVERSE: [&str; 4] = [
    "cashier.receipt",
    "signoff.staff_no",
    "signoff.password",
    "signoff.reason",
];

/// A reversal: the receipt, the duty manager's number and password, why.
pub(super) struct Reverse {
    pub(super) form: Form,
}

impl Reverse {
    /// A reversal of `receipt` if given (the payment just taken).
    pub(super) fn new(receipt: Option<&str>) -> Reverse {
        let mut form = Form::new(vec![
            (Field::new(REVERSE[0], 24), Some(Input::Receipt)),
            (Field::new(REVERSE[1], 20), Some(Input::StaffNo)),
            (Field::new(REVERSE[2], 128).secret(), Some(Input::Password)),
            (Field::new(REVERSE[3], 200).lines(), Some(Input::Reason)),
        ]);
        if let Some(r) = receipt {
            if let Some(f) = form.field_mut(0) {
                f.set_text(r);
            }
            form.focus_on(1);
        }
        Reverse { form }
    }

    pub(super) fn key(&mut self, cmd: FormKey) -> Option<Command> {
        if cmd == FormKey::Cancel {
            return Some(Command::ToBase);
        }
        walk(&mut self.form, cmd).then(|| Command::Reverse {
            receipt: self.form.trimmed(0),
            manager: Credentials::new(self.form.trimmed(1), self.form.text(2)),
            reason: self.form.trimmed(3),
        })
    }

    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        rows::draw(&self.form, &labels(&REVERSE, lang), area, buf, lang, 2);
    }
}

const REFUND: [&str; 5] = [
    "refund.receipt",
    "refund.amount",
    "refund.bank_account",
    "refund.holder",
    "refund.reason",
];

/// A duty manager's refund after the close: receipt, amount, the
/// customer's bank account and its holder, why.
pub(super) struct Refund {
    pub(super) form: Form,
}

impl Refund {
    pub(super) fn new() -> Refund {
        Refund {
            form: Form::new(vec![
                (Field::new(REFUND[0], 24), Some(Input::Receipt)),
                (Field::new(REFUND[1], 20), Some(Input::Amount)),
                (
                    Field::new(REFUND[2], 40).free_text(),
                    Some(Input::BankAccount),
                ),
                (Field::new(REFUND[3], 40).free_text(), Some(Input::Holder)),
                (Field::new(REFUND[4], 200).lines(), Some(Input::Reason)),
            ]),
        }
    }

    pub(super) fn key(&mut self, cmd: FormKey) -> Option<Command> {
        if cmd == FormKey::Cancel {
            return Some(Command::ToBase);
        }
        walk(&mut self.form, cmd).then(|| {
            Command::Refund(RefundRequest {
                receipt: self.form.trimmed(0),
                amount: self.form.text(1),
                bank_account: self.form.text(2),
                holder: self.form.trimmed(3),
                reason: self.form.trimmed(4),
            })
        })
    }

    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        rows::draw(&self.form, &labels(&REFUND, lang), area, buf, lang, 2);
    }
}
