//! Day end (日清日结): what the drawer and the other instruments should hold,
//! what was counted, and the over/short per method.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Fen, Method};
use crate::domain::msg::Msg;
use crate::msg;

/// What the books say a collector's shift took in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftTotals {
    /// Cash in the drawer at the start of the shift (备用金).
    pub float: Fen,
    /// Cash received, including what was later given back as change.
    pub cash_taken: Fen,
    /// Cash given back as change.
    pub change_given: Fen,
    /// Cash paid out as refunds.
    pub cash_refunded: Fen,
    /// Takings per non-cash instrument (card slips, QR, cheques). A `Cash`
    /// entry here is ignored: cash is reckoned from the fields above.
    pub by_method: BTreeMap<Method, Fen>,
}

/// What the collector counted at day end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// Cash in the drawer, float included.
    pub cash: Fen,
    /// Per non-cash instrument (POS slips, QR records, cheques in hand). A
    /// `Cash` entry here is ignored in favour of `cash`.
    pub by_method: BTreeMap<Method, Fen>,
}

/// One line of the settlement report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The instrument.
    pub method: Method,
    /// What the books say.
    pub expected: Fen,
    /// What was counted.
    pub counted: Fen,
    /// `counted − expected`: positive is over (长款), negative short (短款).
    pub over_short: Fen,
}

/// The cash the drawer should hold: float + cash taken − change given −
/// cash refunded. Saturates rather than panics: no real drawer comes near
/// the limits, and a day-end report must never crash.
pub fn expected_cash(t: &ShiftTotals) -> Fen {
    t.float
        .saturating_add(t.cash_taken)
        .saturating_sub(t.change_given)
        .saturating_sub(t.cash_refunded)
}

/// The settlement lines: one per method in [`Method::ALL`] order, cash
/// first, each including methods with nothing expected or counted so the
/// report always has the same shape. Each method stands alone: a cash
/// surplus is never set against a card shortfall (over/short is recorded,
/// not netted), so no grand total of over/short is offered.
pub fn reconcile(expected: &ShiftTotals, counted: &Counted) -> Vec<Line> {
    Method::ALL
        .into_iter()
        .map(|method| {
            let (e, c) = match method {
                Method::Cash => (expected_cash(expected), counted.cash),
                _ => (
                    expected.by_method.get(&method).copied().unwrap_or_default(),
                    counted.by_method.get(&method).copied().unwrap_or_default(),
                ),
            };
            Line {
                method,
                expected: e,
                counted: c,
                over_short: c.saturating_sub(e),
            }
        })
        .collect()
}

/// The banknotes and coins of the current RMB series that a drawer holds,
/// largest first: 100, 50, 20, 10, 5, 1 yuan; 5 and 1 jiao; 5, 2 and 1 fen
/// coins (rare but still legal tender). The withdrawn 2-yuan and 2-jiao
/// notes are not listed.
pub const DENOMINATIONS: &[Fen] = &[
    Fen(10_000),
    Fen(5_000),
    Fen(2_000),
    Fen(1_000),
    Fen(500),
    Fen(100),
    Fen(50),
    Fen(10),
    Fen(5),
    Fen(2),
    Fen(1),
];

/// An amount as the fewest notes and coins of [`DENOMINATIONS`], largest
/// first: (denomination, pieces), denominations with no piece left out.
pub fn in_notes(amount: Fen) -> Vec<(Fen, i64)> {
    let mut left = amount.0.max(0);
    let mut out = Vec::new();
    for d in DENOMINATIONS {
        let n = left / d.0;
        if n > 0 {
            out.push((*d, n));
            left -= n * d.0;
        }
    }
    out
}

/// The value of a cash count given as (denomination, number of pieces).
/// A denomination may appear more than once (two bundles of 100s).
///
/// Refused: a denomination not in [`DENOMINATIONS`]
/// (`money.bad_denomination`, naming it) and a total beyond what an `i64`
/// of fen holds (`money.too_large`).
pub fn count_cash(counts: &[(Fen, u32)]) -> Result<Fen, Msg> {
    counts
        .iter()
        .try_fold(Fen::ZERO, |sum, &(denomination, n)| {
            if !DENOMINATIONS.contains(&denomination) {
                return Err(msg!("money.bad_denomination", denomination = denomination));
            }
            denomination
                .checked_mul(i64::from(n))
                .and_then(|v| sum.checked_add(v))
                .ok_or_else(|| msg!("money.too_large"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals() -> ShiftTotals {
        ShiftTotals {
            float: Fen::from_yuan(500),
            cash_taken: Fen(1_234_550),
            change_given: Fen(23_450),
            cash_refunded: Fen::from_yuan(100),
            by_method: BTreeMap::from([(Method::Card, Fen(300_000)), (Method::Qr, Fen(45_600))]),
        }
    }

    #[test]
    fn expected_cash_is_float_plus_taken_minus_change_and_refunds() {
        // 500.00 + 12 345.50 − 234.50 − 100.00 = 12 511.00
        assert_eq!(expected_cash(&totals()), Fen(1_251_100));
        assert_eq!(expected_cash(&ShiftTotals::default()), Fen::ZERO);
    }

    #[test]
    fn each_method_has_its_own_line_and_nothing_is_netted() {
        let counted = Counted {
            cash: Fen(1_251_000), // 1.00 short
            by_method: BTreeMap::from([
                (Method::Card, Fen(300_100)), // 1.00 over
                (Method::Qr, Fen(45_600)),
                (Method::Cheque, Fen(80_000)), // a cheque nobody booked
            ]),
        };
        let lines = reconcile(&totals(), &counted);
        let got: Vec<(Method, i64, i64, i64)> = lines
            .iter()
            .map(|l| (l.method, l.expected.0, l.counted.0, l.over_short.0))
            .collect();
        assert_eq!(
            got,
            vec![
                (Method::Cash, 1_251_100, 1_251_000, -100),
                (Method::Card, 300_000, 300_100, 100),
                (Method::Qr, 45_600, 45_600, 0),
                (Method::Cheque, 0, 80_000, 80_000),
            ]
        );
    }

    #[test]
    fn cash_entries_in_the_method_maps_are_ignored() {
        let mut t = totals();
        t.by_method.insert(Method::Cash, Fen(999));
        let counted = Counted {
            cash: Fen(7),
            by_method: BTreeMap::from([(Method::Cash, Fen(5))]),
        };
        let cash = reconcile(&t, &counted)[0];
        assert_eq!(cash.expected, Fen(1_251_100));
        assert_eq!(cash.counted, Fen(7));
    }

    #[test]
    fn counting_the_drawer() {
        let counts = [
            (Fen(10_000), 12),
            (Fen(5_000), 1),
            (Fen(100), 3),
            (Fen(50), 1),
            (Fen(1), 2),
            (Fen(10_000), 1),
        ];
        assert_eq!(count_cash(&counts), Ok(Fen(135_352)));
        assert_eq!(count_cash(&[]), Ok(Fen::ZERO));
        assert_eq!(count_cash(&[(Fen(10_000), 0)]), Ok(Fen::ZERO));
    }

    #[test]
    fn unknown_denominations_are_refused() {
        for bad in [Fen(200), Fen(20), Fen(0), Fen(-100), Fen(3)] {
            let e = count_cash(&[(Fen(100), 1), (bad, 1)]).unwrap_err();
            assert_eq!(e.key, "money.bad_denomination");
            assert_eq!(e.args, vec![("denomination", bad.to_string())]);
        }
    }

    #[test]
    fn the_denominations_are_distinct_and_largest_first() {
        assert!(DENOMINATIONS.windows(2).all(|w| w[0] > w[1]));
        assert_eq!(DENOMINATIONS.len(), 11);
    }
}
