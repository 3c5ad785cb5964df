//! Formatting, the message catalogue, and properties across the module.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::domain::msg::Msg;

// ---- formatting ----------------------------------------------------

#[test]
fn display_groups_thousands_with_two_decimals() {
    assert_eq!(Fen(128_050).to_string(), "1,280.50");
    assert_eq!(Fen(0).to_string(), "0.00");
    assert_eq!(Fen(5).to_string(), "0.05");
    assert_eq!(Fen(99_999).to_string(), "999.99");
    assert_eq!(Fen(100_000).to_string(), "1,000.00");
    assert_eq!(Fen(12_345_678_900).to_string(), "123,456,789.00");
    assert_eq!(Fen(-305).to_string(), "-3.05");
    assert_eq!(Fen(i64::MIN).to_string(), "-92,233,720,368,547,758.08");
    assert_eq!(format!("[{:>10}]", Fen(12850)), "[    128.50]");
}

#[test]
fn yuan_string_and_plain() {
    assert_eq!(Fen(128_050).yuan_string(), "¥1,280.50");
    assert_eq!(Fen(-128_050).yuan_string(), "-¥1,280.50");
    assert_eq!(Fen(128_050).plain(), "1280.50");
    assert_eq!(Fen(-5).plain(), "-0.05");
    assert_eq!(Fen(0).plain(), "0.00");
}

#[test]
fn arithmetic_and_serde() {
    assert_eq!(Fen(150) + Fen(50), Fen(200));
    assert_eq!(Fen(150) - Fen(200), Fen(-50));
    assert_eq!([Fen(1), Fen(2), Fen(3)].iter().sum::<Fen>(), Fen(6));
    assert_eq!(Fen::MAX.checked_add(Fen(1)), None);
    assert_eq!(Fen(i64::MIN).checked_sub(Fen(1)), None);
    assert_eq!(Fen(100).checked_mul(3), Some(Fen(300)));
    assert_eq!(Fen::MAX.saturating_add(Fen(1)), Fen::MAX);
    assert_eq!(Fen::from_yuan(128), Fen(12_800));
    assert_eq!(serde_json::to_string(&Fen(128_050)).unwrap(), "128050");
    assert_eq!(serde_json::from_str::<Fen>("-5").unwrap(), Fen(-5));
    assert!(serde_json::from_str::<Fen>("1.5").is_err());
    assert_eq!(serde_json::to_string(&Method::Qr).unwrap(), "\"qr\"");
}

// ---- catalogue -----------------------------------------------------

/// One message of every kind the module can produce, made by the module.
fn every_message() -> Vec<Msg> {
    let p = |s: &str| parse_amount(s, Fen(100)).unwrap_err();
    let tender = |method, amount| Tender { method, amount };
    let mut all = vec![
        p(""),
        p("-1"),
        p("0.001"),
        p("1x"),
        p("1,0"),
        p("2"),
        p(&"9".repeat(30)),
        change(Fen(2), Fen(1)).unwrap_err(),
        settle_split(Fen(2), &[]).unwrap_err(),
        settle_split(Fen(1), &[tender(Method::Card, Fen(2))]).unwrap_err(),
        count_cash(&[(Fen(3), 1)]).unwrap_err(),
        super::qr_reference("4200001234").unwrap_err(),
        super::qr_reference("微信").unwrap_err(),
    ];
    all.extend(Method::ALL.iter().map(|m| m.label()));
    all
}

fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(n, _)| n.to_string()))
        .collect()
}

#[test]
fn every_message_is_in_the_catalogue_and_every_entry_is_used() {
    let src = include_str!("../../../assets/messages/money.toml");
    let cat: BTreeMap<String, BTreeMap<String, String>> = toml::from_str(src).unwrap();
    let msgs = every_message();
    for m in &msgs {
        let name = m.key.strip_prefix("money.").unwrap();
        let entry = cat.get(name).unwrap_or_else(|| panic!("missing {}", m.key));
        let fields: Vec<&String> = entry.keys().collect();
        assert_eq!(fields, ["en", "zh"], "{}", m.key);
        let args: BTreeSet<String> = m.args.iter().map(|(n, _)| n.to_string()).collect();
        for text in entry.values() {
            assert!(!text.trim().is_empty(), "{}", m.key);
            assert_eq!(placeholders(text), args, "{}: {text}", m.key);
        }
    }
    let used: BTreeSet<&str> = msgs.iter().map(|m| m.key).collect();
    for name in cat.keys() {
        assert!(
            used.contains(format!("money.{name}").as_str()),
            "unused {name}"
        );
    }
    assert_eq!(used.len(), cat.len());
}

// ---- properties ----------------------------------------------------

/// Writes ASCII as the full-width forms a Chinese input method produces.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            '¥' => '￥',
            _ => c,
        })
        .collect()
}

fn method() -> impl Strategy<Value = Method> {
    prop::sample::select(Method::ALL.to_vec())
}

fn tenders() -> impl Strategy<Value = Vec<Tender>> {
    prop::collection::vec(
        (method(), 0i64..10_000_000).prop_map(|(method, a)| Tender {
            method,
            amount: Fen(a),
        }),
        0..6,
    )
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0u64..12_000).prop_map(|n| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Days::new(n))
}

fn class() -> impl Strategy<Value = CustomerClass> {
    prop_oneof![Just(CustomerClass::Residential), Just(CustomerClass::Other)]
}

fn rule() -> impl Strategy<Value = LateFeeRule> {
    prop_oneof![
        Just(LateFeeRule::default()),
        (0i64..20, 0i64..20, 0i64..20, 0i64..10_000).prop_map(|(r, c, e, m)| LateFeeRule {
            residential_per_mille_per_day: r,
            other_current_year_per_mille: c,
            other_earlier_years_per_mille: e,
            minimum: Fen(m),
        }),
    ]
}

fn fen_map() -> impl Strategy<Value = BTreeMap<Method, Fen>> {
    prop::collection::btree_map(method(), (-1_000_000i64..1_000_000_000).prop_map(Fen), 0..4)
}

fn counts() -> impl Strategy<Value = Vec<(Fen, u32)>> {
    prop::collection::vec(
        (prop::sample::select(DENOMINATIONS.to_vec()), 0u32..100_000),
        0..12,
    )
}

/// Checks a settlement: refusals only for their reason, and every fen of
/// what was tendered accounted for.
fn check_settlement(due: Fen, ts: &[Tender], keep: bool) -> Result<(), TestCaseError> {
    let total: Fen = ts.iter().map(|t| t.amount).sum();
    let noncash: Fen = ts
        .iter()
        .filter(|t| t.method != Method::Cash)
        .map(|t| t.amount)
        .sum();
    match settle_with_prepay(due, ts, keep) {
        Ok(out) => {
            let applied: Fen = out.applied.iter().map(|a| a.1).sum();
            prop_assert_eq!(applied, due);
            prop_assert_eq!(applied + out.change + out.prepaid, total);
            prop_assert_eq!(out.applied.len(), ts.len());
            for ((m, a), t) in out.applied.iter().zip(ts) {
                prop_assert_eq!(*m, t.method);
                prop_assert!(Fen::ZERO <= *a && *a <= t.amount);
            }
            // Non-cash instruments are applied first, in full as far as the
            // bill goes; cash only fills what they leave.
            let noncash_applied: Fen = out
                .applied
                .iter()
                .filter(|(m, _)| *m != Method::Cash)
                .map(|a| a.1)
                .sum();
            prop_assert_eq!(noncash_applied, noncash.min(due));
            if keep {
                prop_assert_eq!(out.change, Fen::ZERO);
            } else {
                prop_assert_eq!(out.prepaid, Fen::ZERO);
                let cash = total - noncash;
                prop_assert!(out.change <= cash);
            }
        }
        Err(e) => match e.key {
            "money.split_short" => prop_assert!(total < due),
            "money.noncash_over" => prop_assert!(!keep && noncash > due),
            other => prop_assert!(false, "unexpected {}", other),
        },
    }
    Ok(())
}

proptest! {
    #[test]
    fn formatted_amounts_parse_back(v in 0i64..1_000_000_000_000) {
        let f = Fen(v);
        for text in [f.to_string(), f.yuan_string(), f.plain(), format!(" {}元 ", f.plain())] {
            prop_assert_eq!(parse_amount(&text, Fen::MAX), Ok(f), "{}", text);
            prop_assert_eq!(parse_amount(&full_width(&text), Fen::MAX), Ok(f), "{}", text);
        }
    }

    #[test]
    fn change_plus_due_is_tendered(due in 0i64..1_000_000_000_000, extra in 0i64..1_000_000_000_000) {
        let (due, tendered) = (Fen(due), Fen(due + extra));
        let c = change(due, tendered).unwrap();
        prop_assert_eq!(c + due, tendered);
        if extra > 0 {
            prop_assert_eq!(change(tendered, due).unwrap_err().key, "money.tendered_short");
        }
    }

    #[test]
    fn split_tender_never_loses_or_gains_a_fen(
        (ts, due) in tenders().prop_flat_map(|ts| {
            let total: i64 = ts.iter().map(|t| t.amount.0).sum();
            (Just(ts), 0..=total + 1)
        }),
        keep in any::<bool>(),
    ) {
        check_settlement(Fen(due), &ts, keep)?;
    }

    #[test]
    fn arbitrary_splits_are_settled_or_refused_for_their_reason(
        ts in tenders(), due in 0i64..30_000_000, keep in any::<bool>(),
    ) {
        check_settlement(Fen(due), &ts, keep)?;
    }

    #[test]
    fn late_fee_is_monotonic_and_respects_the_minimum(
        arrears in 0i64..10_000_000_000, more in 0i64..10_000_000,
        due in date(), late in 0u64..3_000, later in 0u64..400,
        class in class(), rule in rule(),
    ) {
        let paid = due + Days::new(late);
        let fee = late_fee(Fen(arrears), due, paid, class, &rule);
        let fee_later = late_fee(Fen(arrears), due, paid + Days::new(later), class, &rule);
        let fee_more = late_fee(Fen(arrears + more), due, paid, class, &rule);
        prop_assert!(fee <= fee_later, "{:?} > {:?}", fee, fee_later);
        prop_assert!(fee <= fee_more, "{:?} > {:?}", fee, fee_more);
        prop_assert!(fee >= Fen::ZERO);
        if fee > Fen::ZERO {
            prop_assert!(fee >= rule.minimum);
        }
        if late == 0 {
            prop_assert_eq!(fee, Fen::ZERO);
        }
    }

    #[test]
    fn reconcile_reports_each_method_exactly(
        float in 0i64..1_000_000, taken in 0i64..100_000_000,
        change_given in 0i64..1_000_000, refunded in 0i64..1_000_000,
        books in fen_map(), cash in 0i64..100_000_000, drawer in fen_map(),
    ) {
        let expected = ShiftTotals {
            float: Fen(float),
            cash_taken: Fen(taken),
            change_given: Fen(change_given),
            cash_refunded: Fen(refunded),
            by_method: books,
        };
        let counted = Counted { cash: Fen(cash), by_method: drawer };
        let lines = reconcile(&expected, &counted);
        let methods: Vec<Method> = lines.iter().map(|l| l.method).collect();
        prop_assert_eq!(methods, Method::ALL.to_vec());
        prop_assert_eq!(lines[0].expected, expected_cash(&expected));
        prop_assert_eq!(lines[0].counted, counted.cash);
        for l in &lines {
            prop_assert_eq!(l.over_short, l.counted - l.expected);
            if l.method != Method::Cash {
                let get = |m: &BTreeMap<Method, Fen>| m.get(&l.method).copied().unwrap_or_default();
                prop_assert_eq!(l.expected, get(&expected.by_method));
                prop_assert_eq!(l.counted, get(&counted.by_method));
            }
        }
        let sum = |f: fn(&Line) -> Fen| lines.iter().map(f).sum::<Fen>();
        prop_assert_eq!(sum(|l| l.over_short), sum(|l| l.counted) - sum(|l| l.expected));
    }

    #[test]
    fn count_cash_is_linear(a in counts(), b in counts(), k in 0u32..1_000) {
        let both: Vec<(Fen, u32)> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(count_cash(&both).unwrap(), count_cash(&a).unwrap() + count_cash(&b).unwrap());
        let scaled: Vec<(Fen, u32)> = a.iter().map(|&(d, n)| (d, n * k)).collect();
        prop_assert_eq!(count_cash(&scaled).unwrap(), count_cash(&a).unwrap().checked_mul(i64::from(k)).unwrap());
    }
}
