//! Tests of the ID checks; the shared helpers live here, the tests by topic
//! in the submodules.

use super::*;

mod documents;
mod examples;
mod messages;
mod props;
mod resident_rules;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("test date")
}

fn today() -> NaiveDate {
    d(2026, 1, 15)
}

fn verdict(input: &str) -> Verdict {
    check(input, today()).verdict
}

/// A resident-scheme number with a correct check character for any 17
/// digits, so a test isolates the fault it is about.
fn with_check(first17: &str) -> String {
    let c = resident_check_char(first17).expect("17 digits");
    format!("{first17}{c}")
}

fn with_credit_check(first17: &str) -> String {
    let c = credit_check_char(first17).expect("17 credit chars");
    format!("{first17}{c}")
}

// ---- helpers -------------------------------------------------------

#[test]
fn normalize_rules() {
    assert_eq!(
        normalize(" １１０１０５－１９４９ｘ\u{3000}"),
        "1101051949X"
    );
    assert_eq!(normalize("ab-cd ef\u{2014}gh"), "ABCDEFGH");
    assert_eq!(normalize("（B）"), "(B)");
    assert_eq!(normalize("南字第 123"), "南字第123");
    assert_eq!(normalize(""), "");
}

#[test]
fn check_char_helpers() {
    assert_eq!(resident_check_char("11010519491231002"), Some('X'));
    assert_eq!(resident_check_char("1101051949123100"), None);
    assert_eq!(resident_check_char("1101051949123100A"), None);
    assert_eq!(resident_check_char("１1010519491231002"), None);
    assert_eq!(credit_check_char("91350100M000100Y4"), Some('3'));
    assert_eq!(credit_check_char("91350100M000100Y"), None);
    assert_eq!(credit_check_char("91350100M000100Y43"), None);
    assert_eq!(credit_check_char("91350100M000100YO"), None);
    assert_eq!(credit_check_char("91350100m000100Y4"), None);
}

#[test]
fn make_resident_id_rejects_bad_parts() {
    assert_eq!(
        make_resident_id("110105", d(1949, 12, 31), 2).as_deref(),
        Some("11010519491231002X")
    );
    assert_eq!(make_resident_id("11010", d(1949, 12, 31), 2), None);
    assert_eq!(make_resident_id("11010A", d(1949, 12, 31), 2), None);
    assert_eq!(make_resident_id("110105", d(1949, 12, 31), 1000), None);
    assert_eq!(make_resident_id("110105", d(10000, 1, 1), 1), None);
    assert!(make_resident_id("110105", d(1949, 12, 31), 999).is_some());
}

#[test]
fn provinces_are_complete_and_unique() {
    assert_eq!(PROVINCES.len(), 34);
    let mut codes: Vec<&str> = PROVINCES.iter().map(|p| p.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 34);
    assert!(PROVINCES
        .iter()
        .all(|p| p.code.len() == 2 && !p.zh.is_empty() && !p.en.is_empty()));
    assert_eq!(province_by_code("44").map(|p| p.zh), Some("广东省"));
    assert_eq!(province_by_code("83"), None);
    assert_eq!(province_by_code("1"), None);
}

#[test]
fn doc_kind_codes_round_trip() {
    for k in DocKind::ALL {
        assert_eq!(DocKind::from_code(k.code()), Some(k));
        assert_eq!(k.is_organisation(), k == DocKind::CreditCode);
        assert_eq!(k.name_msg().key.strip_prefix("id.kind_"), Some(k.code()));
    }
    assert_eq!(DocKind::from_code("Resident_ID"), None);
    assert_eq!(DocKind::from_code(""), None);
    assert!(DocKind::ResidencePermit.uses_resident_scheme());
    assert!(!DocKind::Passport.uses_resident_scheme());
}

#[test]
fn mask_examples() {
    assert_eq!(mask("11010519491231002X"), "110105********002X");
    assert_eq!(mask("E12345678"), "E1*****78");
    assert_eq!(mask("12345678"), "12****78");
    assert_eq!(mask("ABCD"), "A**D");
    assert_eq!(mask("ABC"), "***");
    assert_eq!(mask("A"), "*");
    assert_eq!(mask(""), "");
    assert_eq!(mask("南字第12345678号"), "南字********8号");
    let c = check("110105491231002", today());
    assert_eq!(c.masked(), "110105********002X");
}
