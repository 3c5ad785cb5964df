use super::*;
use crate::domain::id::resident::age_at;

// ---- legacy 15-digit numbers -----------------------------------------

#[test]
fn legacy_15_digit_converts_to_18() {
    let c = check("110105491231002", today());
    assert!(c.converted_from_15);
    assert_eq!(c.normalized, "11010519491231002X");
    assert_eq!(c.input, "110105491231002");
    assert_eq!(c.kind, Some(DocKind::ResidentId));
    assert_eq!(c.verdict, Verdict::Valid);
    assert_eq!(c.person.map(|p| p.gender), Some(Gender::Female));
    let chosen = check_as("110105491231002", DocKind::ResidentId, today());
    assert!(chosen.converted_from_15 && chosen.is_valid());
}

#[test]
fn legacy_15_digit_faults_are_reported_on_the_converted_form() {
    let c = check("110105491331002", today());
    assert!(c.converted_from_15);
    assert_eq!(
        c.verdict,
        Verdict::Invalid(Reason::BadDate {
            date: "1949-13-31".into()
        })
    );
    assert!(matches!(
        verdict("990105491231002"),
        Verdict::Invalid(Reason::BadArea { .. })
    ));
    // Residence permits never had a 15-digit form.
    assert_eq!(
        check_as("110105491231002", DocKind::ResidencePermit, today()).verdict,
        Verdict::Invalid(Reason::WrongLength {
            len: 15,
            expected: "18"
        })
    );
}

// ---- dates -------------------------------------------------------------

#[test]
fn feb_29_only_in_leap_years() {
    assert_eq!(verdict(&with_check("11010120000229011")), Verdict::Valid);
    assert_eq!(verdict(&with_check("11010119960229011")), Verdict::Valid);
    assert_eq!(
        verdict(&with_check("11010119000229011")),
        Verdict::Invalid(Reason::BadDate {
            date: "1900-02-29".into()
        })
    );
    assert_eq!(
        verdict(&with_check("11010120010229011")),
        Verdict::Invalid(Reason::BadDate {
            date: "2001-02-29".into()
        })
    );
    let feb30 = check(&with_check("11010119900230011"), today());
    assert!(matches!(
        feb30.verdict,
        Verdict::Invalid(Reason::BadDate { .. })
    ));
    assert!(feb30.person.is_none());
    assert!(matches!(
        verdict(&with_check("11010119901301011")),
        Verdict::Invalid(Reason::BadDate { .. })
    ));
    assert!(matches!(
        verdict(&with_check("11010119900100011")),
        Verdict::Invalid(Reason::BadDate { .. })
    ));
}

#[test]
fn future_birth_date_is_invalid() {
    assert_eq!(
        verdict("44030520270101011X"),
        Verdict::Invalid(Reason::FutureDate {
            date: "2027-01-01".into()
        })
    );
    let tomorrow = make_resident_id("440305", d(2026, 1, 16), 11).expect("id");
    assert!(matches!(
        verdict(&tomorrow),
        Verdict::Invalid(Reason::FutureDate { .. })
    ));
    let born_today = make_resident_id("440305", today(), 11).expect("id");
    let c = check(&born_today, today());
    assert_eq!(c.verdict, Verdict::Valid);
    assert_eq!(c.person.map(|p| p.age), Some(0));
}

#[test]
fn birth_before_1900_is_invalid() {
    assert_eq!(
        verdict("440305189912310119"),
        Verdict::Invalid(Reason::TooOld { year: 1899 })
    );
}

#[test]
fn age_over_120_is_suspicious_not_invalid() {
    let c = check("110101190002280112", today());
    assert_eq!(c.verdict, Verdict::Suspicious(Reason::AgeOver { age: 125 }));
    assert_eq!(c.person.map(|p| p.age), Some(125));
    // Exactly 120 completed years is still plausible.
    let at_120 = make_resident_id("110101", d(1906, 1, 15), 11).expect("id");
    assert_eq!(verdict(&at_120), Verdict::Valid);
    let at_121 = make_resident_id("110101", d(1905, 1, 15), 11).expect("id");
    assert_eq!(
        verdict(&at_121),
        Verdict::Suspicious(Reason::AgeOver { age: 121 })
    );
}

#[test]
fn age_counts_completed_years() {
    assert_eq!(age_at(d(2000, 1, 15), d(2026, 1, 15)), 26);
    assert_eq!(age_at(d(2000, 1, 16), d(2026, 1, 15)), 25);
    // A Feb 29 birthday is reached on Mar 1 in common years.
    assert_eq!(age_at(d(2000, 2, 29), d(2025, 2, 28)), 24);
    assert_eq!(age_at(d(2000, 2, 29), d(2025, 3, 1)), 25);
    assert_eq!(age_at(d(2030, 1, 1), d(2026, 1, 15)), 0);
}

// ---- areas and kinds ---------------------------------------------------

#[test]
fn hk_macau_taiwan_residence_permits() {
    let hk = check("810000199005171231", today());
    assert_eq!(hk.kind, Some(DocKind::ResidencePermit));
    assert_eq!(hk.verdict, Verdict::Valid);
    let hk_person = hk.person.expect("person");
    assert_eq!(hk_person.province.map(|p| p.code), Some("81"));
    assert_eq!(hk_person.gender, Gender::Male);

    let mo = check("820000198511020441", today());
    assert_eq!(mo.kind, Some(DocKind::ResidencePermit));
    assert_eq!(mo.verdict, Verdict::Valid);
    let mo_person = mo.person.expect("person");
    assert_eq!(mo_person.province.map(|p| p.en), Some("Macau"));
    assert_eq!(mo_person.gender, Gender::Female);

    let tw = check("830000200002290074", today());
    assert_eq!(tw.kind, Some(DocKind::ResidencePermit));
    assert_eq!(tw.verdict, Verdict::Valid);
    assert_eq!(
        tw.person.and_then(|p| p.province).map(|p| p.code),
        Some("71")
    );

    assert_eq!(
        make_resident_id("810000", d(1990, 5, 17), 123).as_deref(),
        Some("810000199005171231")
    );
    // Permits use exactly 810000/820000/830000.
    assert_eq!(
        verdict(&with_check("81100019900517123")),
        Verdict::Invalid(Reason::BadArea {
            code: "811000".into()
        })
    );
    assert!(matches!(
        verdict(&with_check("84000019900517123")),
        Verdict::Invalid(Reason::BadArea { .. })
    ));
}

#[test]
fn foreign_permanent_residence_ids() {
    let c = check("931156197808080313", today());
    assert_eq!(c.kind, Some(DocKind::ForeignPermanentResidence));
    assert_eq!(c.verdict, Verdict::Valid);
    let p = c.person.expect("person");
    assert_eq!(p.province.map(|p| p.en), Some("Shanghai"));
    assert_eq!(p.gender, Gender::Male);
    // Digits 2-3 must be a province.
    assert_eq!(
        verdict(&with_check("97715619780808031")),
        Verdict::Invalid(Reason::BadArea {
            code: "977156".into()
        })
    );
}

#[test]
fn bad_area_codes() {
    // 99: the leading 9 makes it a foreign card, whose province 99 is bad.
    assert_eq!(
        verdict("990101198001010110"),
        Verdict::Invalid(Reason::BadArea {
            code: "990101".into()
        })
    );
    for first17 in [
        "20010119800101011",
        "00000019800101011",
        "72010119800101011",
    ] {
        let c = check(&with_check(first17), today());
        assert_eq!(c.kind, Some(DocKind::ResidentId));
        assert!(
            matches!(c.verdict, Verdict::Invalid(Reason::BadArea { .. })),
            "{first17}"
        );
    }
    // 110000-style codes exist on old cards.
    assert_eq!(verdict(&with_check("11000019800101011")), Verdict::Valid);
}

#[test]
fn gender_follows_the_17th_digit() {
    let male = make_resident_id("320102", d(1980, 6, 1), 13).expect("id");
    let female = make_resident_id("320102", d(1980, 6, 1), 14).expect("id");
    assert_eq!(
        check(&male, today()).person.map(|p| p.gender),
        Some(Gender::Male)
    );
    assert_eq!(
        check(&female, today()).person.map(|p| p.gender),
        Some(Gender::Female)
    );
}

#[test]
fn check_as_resident_kinds_follow_the_number() {
    let c = check_as("810000199005171231", DocKind::ResidentId, today());
    assert_eq!(c.kind, Some(DocKind::ResidencePermit));
    assert!(c.is_valid());
    let short = check_as("E12345678", DocKind::ResidentId, today());
    assert_eq!(short.kind, Some(DocKind::ResidentId));
    assert_eq!(
        short.verdict,
        Verdict::Invalid(Reason::WrongLength {
            len: 9,
            expected: "18"
        })
    );
    assert_eq!(
        check_as("91350100M000100Y43", DocKind::ResidentId, today()).verdict,
        Verdict::Invalid(Reason::BadChar { ch: 'M', pos: 9 })
    );
    assert_eq!(
        check_as("11010519491231002X", DocKind::CreditCode, today()).verdict,
        Verdict::Invalid(Reason::BadArea {
            code: "010519".into()
        })
    );
    assert_eq!(
        check_as("1234", DocKind::CreditCode, today()).verdict,
        Verdict::Invalid(Reason::WrongLength {
            len: 4,
            expected: "18"
        })
    );
}
