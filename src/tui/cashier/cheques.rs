//! Cheques waiting for their funds: pick one, type the bank's credit
//! reference, Enter, and its receipt can be printed; or record it returned
//! unpaid (退票) with a duty manager.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keys::{ChequesKey, FormKey};
use super::{rows, Command};
use crate::desk::Credentials;
use crate::domain::msg::{Input, Lang};
use crate::msg;
use crate::store::cheques::HeldCheque;
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::text::{t, text};
use crate::tui::theme;

/// One held cheque as the list shows it.
fn line(c: &HeldCheque, lang: Lang) -> String {
    text(
        &msg!(
            "cheque.line",
            receipt = c.receipt_no,
            cheque = c.cheque_no.as_deref().unwrap_or("-"),
            amount = c.amount,
            what = c.for_what,
            at = c
                .paid_at
                .with_timezone(&chrono::Local)
                .format("%m-%d %H:%M")
        ),
        lang,
    )
}

/// The list and the bank's reference for the chosen cheque.
pub(super) struct Cheques {
    pub(super) list: Vec<HeldCheque>,
    sel: usize,
    pub(super) bank_ref: Form,
}

impl Cheques {
    pub(super) fn new(list: Vec<HeldCheque>) -> Cheques {
        Cheques {
            list,
            sel: 0,
            bank_ref: Form::new(vec![(
                Field::new("cheque.bank_ref", 40).free_text(),
                Some(Input::Reference),
            )]),
        }
    }

    /// The list again (after a confirmation or a return), the choice kept
    /// where it can be.
    pub(super) fn relist(&mut self, list: Vec<HeldCheque>) {
        self.list = list;
        self.sel = self.sel.min(self.list.len().saturating_sub(1));
    }

    fn chosen(&self) -> Option<&HeldCheque> {
        self.list.get(self.sel)
    }

    pub(super) fn key(&mut self, cmd: ChequesKey) -> Option<Command> {
        match cmd {
            ChequesKey::Up => self.sel = self.sel.saturating_sub(1),
            ChequesKey::Down if self.sel + 1 < self.list.len() => self.sel += 1,
            ChequesKey::Down => {}
            ChequesKey::Dishonour => {
                let receipt = self.chosen()?.receipt_no.clone();
                return Some(Command::ToDishonour(receipt));
            }
            ChequesKey::Confirm => {
                let receipt = self.chosen()?.receipt_no.clone();
                let bank_ref = self.bank_ref.trimmed(0);
                if bank_ref.is_empty() {
                    if let Some(f) = self.bank_ref.field_mut(0) {
                        f.error = Some(msg!("cheque.bank_ref_needed"));
                    }
                    return None;
                }
                return Some(Command::ConfirmCheque { receipt, bank_ref });
            }
            ChequesKey::Back => return Some(Command::ToBase),
        }
        None
    }

    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let lines: Vec<Line> = self
            .list
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let here = i == self.sel;
                Line::from(Span::styled(
                    format!("{} {}", if here { "▶" } else { " " }, line(c, lang)),
                    if here { theme::focus() } else { theme::label() },
                ))
            })
            .collect();
        let n = (lines.len() as u16).min(area.height.saturating_sub(4));
        Paragraph::new(lines).render(Rect { height: n, ..area }, buf);
        if !self.list.is_empty() {
            let rest = Rect {
                y: area.y + n + 1,
                height: area.height.saturating_sub(n + 1),
                ..area
            };
            rows::draw(
                &self.bank_ref,
                &[t("cheque.bank_ref", lang)],
                rest,
                buf,
                lang,
                2,
            );
        }
    }
}

const DISHONOUR: [&str; 3] = [
    "signoff.staff_no",
    "signoff.password",
    "cheque.dishonour_reason",
];

/// A cheque returned unpaid: the duty manager's number and password, the
/// bank's reason. The list waits underneath.
pub(super) struct Dishonour {
    pub(super) cheques: Cheques,
    receipt: String,
    pub(super) form: Form,
}

impl Dishonour {
    pub(super) fn new(cheques: Cheques, receipt: String) -> Dishonour {
        Dishonour {
            cheques,
            receipt,
            form: Form::new(vec![
                (Field::new(DISHONOUR[0], 20), Some(Input::StaffNo)),
                (
                    Field::new(DISHONOUR[1], 128).secret(),
                    Some(Input::Password),
                ),
                (Field::new(DISHONOUR[2], 200).lines(), Some(Input::Reason)),
            ]),
        }
    }

    pub(super) fn key(&mut self, cmd: FormKey) -> Option<Command> {
        match cmd {
            FormKey::Cancel => return Some(Command::BackToCheques),
            FormKey::Next => self.form.next(),
            FormKey::Prev => self.form.prev(),
            FormKey::Enter if !self.form.at_last() => self.form.next(),
            FormKey::Enter => {
                return Some(Command::Dishonour {
                    receipt: self.receipt.clone(),
                    manager: Credentials::new(self.form.trimmed(0), self.form.text(1)),
                    reason: self.form.trimmed(2),
                })
            }
        }
        None
    }

    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let mut y = area.y;
        if let Some(c) = self
            .cheques
            .list
            .iter()
            .find(|c| c.receipt_no == self.receipt)
        {
            Paragraph::new(Span::styled(line(c, lang), theme::focus()))
                .render(Rect { height: 1, ..area }, buf);
            y += 2;
        }
        let labels: Vec<String> = DISHONOUR.iter().map(|k| t(k, lang)).collect();
        let rest = Rect {
            y,
            height: area.bottom().saturating_sub(y),
            ..area
        };
        rows::draw(&self.form, &labels, rest, buf, lang, 2);
    }
}
