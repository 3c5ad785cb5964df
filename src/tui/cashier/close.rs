//! The blind close: counts by denomination and the other instruments'
//! totals, then the settlement lines and, when over or short, the note.

use super::{Cashier, Mode};
use crate::domain::money::{self, count_cash, Fen, Line as SettleLine, Method, DENOMINATIONS};
use crate::msg;

impl Cashier {
    pub(super) fn counted(&mut self) -> Option<money::Counted> {
        let mut counts = Vec::new();
        for (i, d) in DENOMINATIONS.iter().enumerate() {
            let typed = self.counts[i].text();
            let n: u32 = if typed.trim().is_empty() {
                0
            } else if let Ok(n) = typed.trim().parse() {
                n
            } else {
                self.counts[i].error = Some(msg!("field.integer_bad"));
                self.focus = i;
                return None;
            };
            counts.push((*d, n));
        }
        let cash = count_cash(&counts).ok()?;
        let mut by_method = std::collections::BTreeMap::new();
        for (k, m) in [Method::Card, Method::Qr, Method::Cheque]
            .into_iter()
            .enumerate()
        {
            let i = DENOMINATIONS.len() + k;
            let typed = self.counts[i].text();
            let v = if typed.trim().is_empty() {
                Fen(0)
            } else {
                match money::parse_amount(&typed, self.limit) {
                    Ok(v) => v,
                    Err(e) => {
                        self.counts[i].error = Some(e);
                        self.focus = i;
                        return None;
                    }
                }
            };
            by_method.insert(m, v);
        }
        Some(money::Counted { cash, by_method })
    }

    /// The counted figures differ from the books: show them, ask for the note.
    pub fn needs_note(&mut self, lines: Vec<SettleLine>) {
        self.lines = lines;
        self.mode = Mode::CloseNote;
        self.focus = 0;
        self.refocus();
    }

    /// Closed and frozen.
    pub fn closed(&mut self, lines: Vec<SettleLine>) {
        self.lines = lines;
        self.mode = Mode::Closed;
        self.notice = Some(msg!("cashier.closed"));
    }
}
