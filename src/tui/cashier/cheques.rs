//! Cheques waiting for their funds: pick one, type the bank's credit
//! reference, Enter; its receipt can then be printed.

use super::{Cashier, Mode};
use crate::msg;
use crate::store::cheques::HeldCheque;
use crate::tui::keymap::Cmd;
use crate::tui::{Action, MoneySlip};

impl Cashier {
    pub(super) fn cheque_cmd(&mut self, cmd: Cmd) -> Option<Action> {
        match cmd {
            Cmd::Up => self.cheque_sel = self.cheque_sel.saturating_sub(1),
            Cmd::Down if self.cheque_sel + 1 < self.cheques.len() => self.cheque_sel += 1,
            Cmd::Reverse if !self.cheques.is_empty() => {
                for f in &mut self.dishonour {
                    f.clear();
                }
                self.mode = Mode::Dishonour;
                self.focus = 0;
            }
            Cmd::Enter => {
                let held = self.cheques.get(self.cheque_sel)?;
                let bank_ref = self.bank_ref[0].text().trim().to_string();
                if bank_ref.is_empty() {
                    self.bank_ref[0].error = Some(msg!("cheque.bank_ref_needed"));
                    return None;
                }
                return Some(Action::ConfirmCheque {
                    receipt: held.receipt_no.clone(),
                    bank_ref,
                });
            }
            _ => {}
        }
        None
    }

    pub(super) fn dishonour_cmd(&mut self, cmd: Cmd) -> Option<Action> {
        let n = self.dishonour.len();
        match cmd {
            Cmd::Next => self.focus = (self.focus + 1) % n,
            Cmd::Prev => self.focus = (self.focus + n - 1) % n,
            _ if self.focus + 1 < n => self.focus += 1,
            _ => {
                let held = self.cheques.get(self.cheque_sel)?;
                return Some(Action::DishonourCheque {
                    receipt: held.receipt_no.clone(),
                    staff_no: self.dishonour[0].text().trim().to_string(),
                    password: self.dishonour[1].text(),
                    reason: self.dishonour[2].text().trim().to_string(),
                });
            }
        }
        None
    }

    /// A cheque was recorded as returned: back to the list, refreshed.
    pub fn cheque_dishonoured(&mut self, receipt: &str, cheques: Vec<HeldCheque>) {
        for f in &mut self.dishonour {
            f.clear();
        }
        self.mode = Mode::Cheques;
        self.focus = 0;
        self.cheques_found(cheques);
        self.notice = Some(msg!("cheque.dishonoured", receipt = receipt));
    }

    /// The cheques waiting, as listed.
    pub fn cheques_found(&mut self, cheques: Vec<HeldCheque>) {
        if cheques.is_empty() {
            self.notice = Some(msg!("cheque.none"));
        }
        self.cheques = cheques;
        self.cheque_sel = self.cheque_sel.min(self.cheques.len().saturating_sub(1));
        self.refocus();
    }

    /// A cheque cleared: its receipt prints with P.
    pub fn cheque_cleared(&mut self, receipt: &str) {
        self.bank_ref[0].clear();
        self.back = if self.back == Mode::Cheques {
            Mode::Entry
        } else {
            self.back
        };
        self.finished(
            msg!("cheque.confirmed", receipt = receipt),
            MoneySlip::Receipt(receipt.to_string()),
        );
    }

    /// The cheques listed and which is chosen.
    pub fn cheque_list(&self) -> (&[HeldCheque], usize) {
        (&self.cheques, self.cheque_sel)
    }
}
