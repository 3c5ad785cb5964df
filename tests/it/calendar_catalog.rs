//! Working-day calendar: the message catalogue against the source, and
//! properties of the due-date arithmetic.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use counterdesk::domain::calendar::{Calendar, MAX_WORKING_DAYS};
use counterdesk::load::calendar::load_dir;
use proptest::prelude::*;

const SHIPPED: &str = "forms/calendar";
const CATALOGUE: &str = "assets/messages/calendar.toml";

/// The calendar catalogue: key (without "calendar.") to language to text.
fn catalogue() -> BTreeMap<String, BTreeMap<String, String>> {
    toml::from_str(&fs::read_to_string(CATALOGUE).unwrap()).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn shipped() -> Calendar {
    load_dir(Path::new(SHIPPED)).unwrap()
}

// --- The catalogue -------------------------------------------------------------------

/// Every `msg!("calendar.…", a = …)` in the calendar's source: key to argument names.
fn keys_used_in_source() -> BTreeMap<String, BTreeSet<String>> {
    let mut used = BTreeMap::new();
    for file in [
        "src/domain/calendar/mod.rs",
        "src/domain/calendar/year.rs",
        "src/load/calendar.rs",
        "src/domain/problem.rs",
    ] {
        let src = fs::read_to_string(file).unwrap();
        // Unit tests build expected messages too; only the code counts.
        let src = src.split("#[cfg(test)]").next().unwrap();
        for (start, _) in src.match_indices("msg!(") {
            let mut depth = 0;
            let mut body = String::new();
            for c in src[start + 4..].chars() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                body.push(c);
                if depth == 0 {
                    break;
                }
            }
            let Some(key) = body
                .split('"')
                .nth(1)
                .and_then(|k| k.strip_prefix("calendar."))
            else {
                continue;
            };
            let mut args = BTreeSet::new();
            let inner = &body[1..body.len() - 1];
            for seg in inner.split(',').skip(1) {
                if let Some((name, _)) = seg.split_once('=') {
                    let name = name.trim();
                    if !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        args.insert(name.to_string());
                    }
                }
            }
            if let Some(previous) = used.insert(key.to_string(), args.clone()) {
                assert_eq!(previous, args, "{key} used with different arguments");
            }
        }
    }
    used
}

fn placeholders(s: &str) -> BTreeSet<String> {
    s.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

#[test]
fn catalogue_covers_every_key_with_matching_placeholders() {
    let cat = catalogue();
    let used = keys_used_in_source();
    assert!(used.len() > 35, "scanner found only {}", used.len());
    for (key, args) in &used {
        let entry = cat
            .get(key)
            .unwrap_or_else(|| panic!("catalogue lacks [{key}]"));
        let langs: Vec<_> = entry.keys().map(String::as_str).collect();
        assert_eq!(langs, ["en", "zh"], "[{key}] must have exactly zh and en");
        for (lang, text) in entry {
            assert!(!text.trim().is_empty(), "[{key}].{lang} is empty");
            assert_eq!(&placeholders(text), args, "[{key}].{lang} placeholders");
        }
        let zh = &entry["zh"];
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "[{key}].zh is not Chinese"
        );
    }
    let unused: Vec<_> = cat.keys().filter(|k| !used.contains_key(*k)).collect();
    assert!(unused.is_empty(), "catalogue keys never used: {unused:?}");
}

// --- Properties ------------------------------------------------------------------------

/// A start from 2024 to 2027: before, inside and after the shipped years.
fn start() -> impl Strategy<Value = NaiveDate> {
    (0u64..4 * 366).prop_map(|n| d("2024-01-01") + chrono::Days::new(n))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn due_is_after_start_and_a_working_day(s in start(), n in 1u32..400) {
        let cal = shipped();
        let due = cal.due(s, n).unwrap();
        prop_assert!(due.date > s);
        prop_assert!(cal.is_working_day(due.date).0);
        // Exactly n working days in (start, due], and estimated exactly when
        // one of those days lies outside the known years.
        let walked: Vec<NaiveDate> = s.succ_opt().unwrap().iter_days()
            .take_while(|x| *x <= due.date).collect();
        let working = walked.iter().filter(|x| cal.is_working_day(**x).0).count();
        prop_assert_eq!(working, n as usize);
        let outside = walked.iter().any(|x| !(2025..=2026).contains(&x.year()));
        prop_assert_eq!(due.estimated, outside);
    }

    #[test]
    fn due_grows_with_the_number_of_days(s in start(), n in 0u32..400) {
        let cal = shipped();
        let a = cal.due(s, n).unwrap();
        let b = cal.due(s, n + 1).unwrap();
        prop_assert!(b.date > a.date);
        // Counting further can only add unknown days, never remove them.
        prop_assert!(b.estimated || !a.estimated || n == 0);
    }

    #[test]
    fn due_never_panics(days in any::<i32>(), n in 0u32..=MAX_WORKING_DAYS + 2) {
        let cal = shipped();
        // Anywhere in chrono's range, including its very ends.
        let offset = chrono::Days::new(u64::from(days.unsigned_abs()) % 200_000_000);
        let s = NaiveDate::MIN.checked_add_days(offset).unwrap_or(NaiveDate::MAX);
        let _ = cal.due(s, n);
        let _ = cal.is_working_day(s);
        let near_end = NaiveDate::MAX.checked_sub_days(chrono::Days::new(u64::from(n))).unwrap();
        let _ = cal.due(near_end, n);
    }
}
