//! The late fee on unpaid electricity (电费违约金).
//!
//! The 1996 supply business rules, still widely taught: counted from the
//! day after the due date to the day of payment, residential 1‰ of the
//! arrears per day; other customers 2‰ per day on current-year arrears and
//! 3‰ on arrears carried over from an earlier year; the total is summed day
//! by day (按日累加) and a total under 1 yuan is charged as 1 yuan. Rates
//! differ by province and change, so they are a [`LateFeeRule`] the
//! configuration supplies; [`LateFeeRule::default`] is the 1996 rule.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Fen;

/// Which late-fee rate applies to a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomerClass {
    /// Households.
    Residential,
    /// Everyone else (industry, commerce, agriculture, public bodies).
    Other,
}

/// Late-fee rates, as integers per mille (‰) per day, and the minimum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateFeeRule {
    /// Residential customers, per day (1996: 1‰).
    pub residential_per_mille_per_day: i64,
    /// Other customers, per day while the arrears are of the current year
    /// (1996: 2‰).
    pub other_current_year_per_mille: i64,
    /// Other customers, per day once the arrears are from an earlier year
    /// (1996: 3‰).
    pub other_earlier_years_per_mille: i64,
    /// The least fee charged when any fee is due (1996: 1 yuan).
    pub minimum: Fen,
}

impl Default for LateFeeRule {
    /// The 1996 rule: 1‰, 2‰, 3‰ per day, at least 1 yuan.
    fn default() -> LateFeeRule {
        LateFeeRule {
            residential_per_mille_per_day: 1,
            other_current_year_per_mille: 2,
            other_earlier_years_per_mille: 3,
            minimum: Fen(100),
        }
    }
}

/// The late fee on `arrears` due on `due_date` and paid on `paid_on`.
///
/// Zero when paid on or before the due date, or when nothing is owed.
/// Otherwise the days late are `paid_on − due_date` (the day after the due
/// date is day 1, the day of payment counts).
///
/// Residential: arrears × rate × days.
///
/// Other customers: the fee is summed day by day, and each late day takes
/// the rate for the age of the arrears on that day: days in the same
/// calendar year as the due date are "current-year arrears" (2‰), days in
/// any later year are "arrears from an earlier year" (3‰). So a bill due on
/// 25 December and paid on 5 January pays 6 days at 2‰ and 5 at 3‰; a bill
/// due in an earlier year and paid this year pays 3‰ only for the days
/// after the year turned, never for its December days.
///
/// Rounding: the exact sum (arrears × Σ per-mille-days / 1000 fen) is
/// rounded once, half up, to the fen; rounding each day would let a
/// long-overdue small bill drift by several fen. When the exact fee is
/// positive and the rounded fee is below `rule.minimum`, the minimum is
/// charged (this includes fees that round to 0). Negative rates count as 0;
/// a fee beyond `i64` fen is held at [`Fen::MAX`].
pub fn late_fee(
    arrears: Fen,
    due_date: NaiveDate,
    paid_on: NaiveDate,
    class: CustomerClass,
    rule: &LateFeeRule,
) -> Fen {
    if arrears.0 <= 0 || paid_on <= due_date {
        return Fen::ZERO;
    }
    let days = i128::from((paid_on - due_date).num_days());
    let rate = |r: i64| i128::from(r.max(0));
    let per_mille_days = match class {
        CustomerClass::Residential => days * rate(rule.residential_per_mille_per_day),
        CustomerClass::Other => {
            // Late days up to 31 December of the due year are current-year
            // days. chrono cannot build that date only at the very end of
            // its range; then every day is treated as current-year.
            let current = NaiveDate::from_ymd_opt(due_date.year(), 12, 31)
                .map_or(days, |year_end| {
                    i128::from((paid_on.min(year_end) - due_date).num_days())
                });
            current * rate(rule.other_current_year_per_mille)
                + (days - current) * rate(rule.other_earlier_years_per_mille)
        }
    };
    // Arrears < 2^63, rates < 2^63 and days < 2^28 can exceed i128 only
    // with absurd configured rates; hold the fee at the maximum then.
    let Some(thousandths) = i128::from(arrears.0).checked_mul(per_mille_days) else {
        return Fen::MAX;
    };
    if thousandths == 0 {
        return Fen::ZERO;
    }
    // Both factors are non-negative here, so half up is a plain +500.
    let fee = (thousandths + 500) / 1000;
    let fee = i64::try_from(fee).map_or(Fen::MAX, Fen);
    fee.max(rule.minimum)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fee(yuan_fen: i64, due: NaiveDate, paid: NaiveDate, class: CustomerClass) -> Fen {
        late_fee(Fen(yuan_fen), due, paid, class, &LateFeeRule::default())
    }

    use CustomerClass::{Other, Residential};

    #[test]
    fn nothing_when_paid_on_or_before_the_due_date() {
        let due = d(2026, 3, 10);
        assert_eq!(fee(100_000, due, due, Residential), Fen::ZERO);
        assert_eq!(fee(100_000, due, d(2026, 3, 1), Other), Fen::ZERO);
        assert_eq!(fee(0, due, d(2026, 4, 1), Other), Fen::ZERO);
        assert_eq!(fee(-500, due, d(2026, 4, 1), Other), Fen::ZERO);
    }

    #[test]
    fn residential_1000_yuan_10_days_is_10_yuan() {
        // 100 000 fen × 1‰ × 10 days = 1 000 fen.
        let f = fee(100_000, d(2026, 3, 10), d(2026, 3, 20), Residential);
        assert_eq!(f, Fen(1_000));
    }

    #[test]
    fn day_one_is_the_day_after_the_due_date() {
        // 100 000 fen × 1‰ × 1 day = 100 fen, exactly the minimum.
        let f = fee(100_000, d(2026, 3, 10), d(2026, 3, 11), Residential);
        assert_eq!(f, Fen(100));
        let f = fee(1_000_000, d(2026, 3, 10), d(2026, 3, 11), Residential);
        assert_eq!(f, Fen(1_000));
    }

    #[test]
    fn residential_50_yuan_3_days_is_raised_to_the_minimum() {
        // 5 000 fen × 1‰ × 3 = 15 fen (0.15 yuan) → 1.00 yuan.
        let f = fee(5_000, d(2026, 3, 10), d(2026, 3, 13), Residential);
        assert_eq!(f, Fen(100));
        // Even a fee that rounds to nothing: 1 fen × 1‰ × 1 = 0.001 fen.
        assert_eq!(
            fee(1, d(2026, 3, 10), d(2026, 3, 11), Residential),
            Fen(100)
        );
    }

    #[test]
    fn rounding_is_half_up_once_on_the_total() {
        // 1 234 567 fen × 1‰ × 1 = 1 234.567 fen → 1 235.
        assert_eq!(
            fee(1_234_567, d(2026, 1, 1), d(2026, 1, 2), Residential),
            Fen(1_235)
        );
        // 1 234 500 fen × 1‰ = 1 234.5 fen → 1 235 (half goes up).
        assert_eq!(
            fee(1_234_500, d(2026, 1, 1), d(2026, 1, 2), Residential),
            Fen(1_235)
        );
        // 1 234 499 fen × 1‰ = 1 234.499 fen → 1 234.
        assert_eq!(
            fee(1_234_499, d(2026, 1, 1), d(2026, 1, 2), Residential),
            Fen(1_234)
        );
        // 33 333 fen × 1‰ × 30 days = 999.99 fen → 1 000; per-day rounding
        // (33.333 → 33, × 30 = 990) would lose ten fen.
        assert_eq!(
            fee(33_333, d(2026, 4, 1), d(2026, 5, 1), Residential),
            Fen(1_000)
        );
    }

    #[test]
    fn other_customers_current_year_2_per_mille() {
        // 10 000.00 yuan × 2‰ × 10 days = 200.00 yuan.
        let f = fee(1_000_000, d(2025, 3, 10), d(2025, 3, 20), Other);
        assert_eq!(f, Fen(20_000));
    }

    #[test]
    fn other_customers_across_a_year_boundary() {
        // Due 2025-12-25, paid 2026-01-05: 26..31 Dec = 6 days at 2‰,
        // 1..5 Jan = 5 days at 3‰: 10 000.00 × 27‰ = 270.00 yuan.
        let f = fee(1_000_000, d(2025, 12, 25), d(2026, 1, 5), Other);
        assert_eq!(f, Fen(27_000));
        // Paid on 31 December: all 6 days still current-year.
        let f = fee(1_000_000, d(2025, 12, 25), d(2025, 12, 31), Other);
        assert_eq!(f, Fen(12_000));
        // Due on 31 December itself: every late day is in the next year.
        let f = fee(1_000_000, d(2024, 12, 31), d(2025, 1, 10), Other);
        assert_eq!(f, Fen(30_000));
        // Two year ends: 31 Dec 2024 at 2‰, then 365 + 1 days at 3‰:
        // 2 + 1 098 = 1 100‰ of 10 000.00 = 11 000.00 yuan.
        let f = fee(1_000_000, d(2024, 12, 30), d(2026, 1, 1), Other);
        assert_eq!(f, Fen(1_100_000));
        // Residential customers have one rate whatever the year.
        let f = fee(1_000_000, d(2025, 12, 25), d(2026, 1, 5), Residential);
        assert_eq!(f, Fen(11_000));
    }

    #[test]
    fn the_rule_is_configurable() {
        let rule = LateFeeRule {
            residential_per_mille_per_day: 0,
            other_current_year_per_mille: 5,
            other_earlier_years_per_mille: -3,
            minimum: Fen(500),
        };
        let (due, paid) = (d(2025, 12, 30), d(2026, 1, 2));
        // A zero rate means no fee at all, not the minimum.
        assert_eq!(
            late_fee(Fen(100_000), due, paid, Residential, &rule),
            Fen::ZERO
        );
        // 1 day at 5‰ of 100 000 = 500; the negative rate counts as 0.
        assert_eq!(late_fee(Fen(100_000), due, paid, Other, &rule), Fen(500));
        assert_eq!(late_fee(Fen(1_000), due, paid, Other, &rule), Fen(500));
    }

    #[test]
    fn huge_amounts_saturate_instead_of_wrapping() {
        let rule = LateFeeRule {
            residential_per_mille_per_day: i64::MAX,
            ..LateFeeRule::default()
        };
        let f = late_fee(Fen::MAX, d(1, 1, 1), d(9999, 1, 1), Residential, &rule);
        assert_eq!(f, Fen::MAX);
        let f = fee(i64::MAX, d(2000, 1, 1), d(2026, 1, 1), Other);
        assert_eq!(f, Fen::MAX);
    }
}
