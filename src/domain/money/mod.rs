//! Money at the counter: amounts in whole fen, parsing what the clerk
//! types, change and split tender, the late fee, and the day-end count.
//!
//! Every amount is an integer number of fen ([`Fen`]). Nothing here uses
//! floating point, not even for rates: the late-fee rates are per-mille
//! integers and the arithmetic is done in `i128` with one explicit rounding,
//! so a receipt, the ledger and the day-end report always agree to the fen.
//!
//! Errors are [`Msg`](crate::domain::msg::Msg) values keyed into
//! `assets/messages/money.toml`; the edges render them.

mod late_fee;
mod parse;
mod qr;
mod shift;
mod tender;

#[cfg(test)]
mod tests;

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use serde::{Deserialize, Serialize};

pub use late_fee::{late_fee, CustomerClass, LateFeeRule};
pub use parse::parse_amount;
pub use qr::qr_reference;
pub use shift::{
    count_cash, expected_cash, in_notes, reconcile, Counted, Line, ShiftTotals, DENOMINATIONS,
};
pub use tender::{change, settle_split, settle_with_prepay, Method, SplitOutcome, Tender};

/// An amount of money in fen (1 yuan = 100 fen), the smallest unit a
/// receipt shows.
///
/// Serialised as the bare integer so stored amounts stay exact and
/// readable. `+` and `-` follow `i64` (they panic on overflow in debug
/// builds); code that adds amounts the clerk typed uses the checked forms.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    /// Nothing.
    pub const ZERO: Fen = Fen(0);

    /// The largest amount that can be held.
    pub const MAX: Fen = Fen(i64::MAX);

    /// Whole yuan: `Fen::from_yuan(128)` is 128.00.
    pub const fn from_yuan(yuan: i64) -> Fen {
        Fen(yuan * 100)
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    /// `self - other`, or `None` on overflow.
    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    /// `self × n`, or `None` on overflow (a count of notes, a quantity).
    pub fn checked_mul(self, n: i64) -> Option<Fen> {
        self.0.checked_mul(n).map(Fen)
    }

    /// `self + other`, stopping at the limits of `i64` instead of panicking.
    pub fn saturating_add(self, other: Fen) -> Fen {
        Fen(self.0.saturating_add(other.0))
    }

    /// `self - other`, stopping at the limits of `i64` instead of panicking.
    pub fn saturating_sub(self, other: Fen) -> Fen {
        Fen(self.0.saturating_sub(other.0))
    }

    /// Whether the amount is below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// With the yuan sign, for the screen and receipts: "¥1,280.50";
    /// a negative amount is "-¥1,280.50".
    pub fn yuan_string(self) -> String {
        let sign = if self.is_negative() { "-" } else { "" };
        format!("{sign}¥{}", digits(self, true))
    }

    /// Without grouping or sign of currency, for CSV and other files that
    /// are read by programs: "1280.50", "-3.05".
    pub fn plain(self) -> String {
        let sign = if self.is_negative() { "-" } else { "" };
        format!("{sign}{}", digits(self, false))
    }
}

/// The absolute value as "1,280.50" (or "1280.50" without grouping).
/// `unsigned_abs` keeps `i64::MIN` printable.
fn digits(amount: Fen, group: bool) -> String {
    let abs = amount.0.unsigned_abs();
    let yuan = (abs / 100).to_string();
    let fen = abs % 100;
    let whole = if group {
        let mut out = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        yuan
    };
    format!("{whole}.{fen:02}")
}

/// "1,280.50", "-3.05": grouped yuan with two decimals, no currency sign,
/// so catalogue texts can put 元 or "yuan" around it. Honours width and
/// alignment so amounts line up in tables.
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.is_negative() { "-" } else { "" };
        f.pad(&format!("{sign}{}", digits(*self, true)))
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, other: Fen) -> Fen {
        Fen(self.0 + other.0)
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, other: Fen) -> Fen {
        Fen(self.0 - other.0)
    }
}

impl AddAssign for Fen {
    fn add_assign(&mut self, other: Fen) {
        self.0 += other.0;
    }
}

impl SubAssign for Fen {
    fn sub_assign(&mut self, other: Fen) {
        self.0 -= other.0;
    }
}

impl Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Fen> for Fen {
    fn sum<I: Iterator<Item = &'a Fen>>(iter: I) -> Fen {
        iter.copied().sum()
    }
}
