use super::*;

// ---- the public examples -------------------------------------------

#[test]
fn example_resident_id_is_valid_female_beijing_1949() {
    let c = check("11010519491231002X", today());
    assert_eq!(c.verdict, Verdict::Valid);
    assert_eq!(c.kind, Some(DocKind::ResidentId));
    assert!(!c.converted_from_15);
    let p = c.person.expect("person facts");
    assert_eq!(p.birth_date, d(1949, 12, 31));
    assert_eq!(p.age, 76);
    assert_eq!(p.gender, Gender::Female);
    assert_eq!(p.province.map(|p| p.en), Some("Beijing"));
}

#[test]
fn lower_case_x_is_valid() {
    let c = check("11010519491231002x", today());
    assert_eq!(c.verdict, Verdict::Valid);
    assert_eq!(c.normalized, "11010519491231002X");
}

#[test]
fn full_width_is_valid() {
    assert_eq!(
        verdict("１１０１０５１９４９１２３１００２Ｘ"),
        Verdict::Valid
    );
    assert_eq!(
        verdict("１１０１０５１９４９１２３１００２ｘ"),
        Verdict::Valid
    );
}

#[test]
fn surrounding_and_inner_spaces_are_ignored() {
    assert_eq!(
        verdict("  \u{3000}11010519491231002X\t\r\n"),
        Verdict::Valid
    );
    assert_eq!(verdict("110105 1949 1231 002X"), Verdict::Valid);
    assert_eq!(verdict("110105-19491231-002X"), Verdict::Valid);
    assert_eq!(
        verdict("110105\u{3000}19491231\u{200B}002X"),
        Verdict::Valid
    );
}

#[test]
fn wrong_check_character_names_the_right_one() {
    let c = check("110105194912310021", today());
    assert_eq!(
        c.verdict,
        Verdict::Invalid(Reason::BadCheck {
            expected: 'X',
            found: '1'
        })
    );
    // The date parses, so the facts are still there for the clerk.
    assert!(c.person.is_some());
}

#[test]
fn example_credit_code_is_valid() {
    let c = check("91350100M000100Y43", today());
    assert_eq!(c.verdict, Verdict::Valid);
    assert_eq!(c.kind, Some(DocKind::CreditCode));
    assert!(c.person.is_none());
    assert_eq!(verdict("91350100m000100y43"), Verdict::Valid);
    assert_eq!(verdict("9135 0100 M000 100Y 43"), Verdict::Valid);
}

#[test]
fn example_bad_credit_code_fails_on_the_z() {
    // Z is outside the GB 32100 alphabet, so this is a bad character,
    // not a checksum fault a supervisor could accept.
    let c = check("91350100M000100Y4Z", today());
    assert_eq!(c.kind, Some(DocKind::CreditCode));
    assert_eq!(
        c.verdict,
        Verdict::Invalid(Reason::BadChar { ch: 'Z', pos: 18 })
    );
    assert_eq!(
        check_as("91350100M000100Y4Z", DocKind::CreditCode, today()).verdict,
        Verdict::Invalid(Reason::BadChar { ch: 'Z', pos: 18 })
    );
}

#[test]
fn credit_code_with_only_a_checksum_fault_is_pilot_suspicious() {
    let c = check("91350100M000100Y44", today());
    assert_eq!(c.kind, Some(DocKind::CreditCode));
    assert_eq!(
        c.verdict,
        Verdict::Suspicious(Reason::PilotChecksum {
            expected: '3',
            found: '4'
        })
    );
}

#[test]
fn credit_code_forbidden_letters_name_char_and_position() {
    for (bad, ch) in [
        ("91350100M0O0100Y43", 'O'),
        ("91350100M0I0100Y43", 'I'),
        ("91350100M0S0100Y43", 'S'),
        ("91350100M0V0100Y43", 'V'),
        ("91350100M0Z0100Y43", 'Z'),
    ] {
        assert_eq!(
            verdict(bad),
            Verdict::Invalid(Reason::BadChar { ch, pos: 11 }),
            "{bad}"
        );
    }
    assert_eq!(
        verdict("91350100M000100Y4."),
        Verdict::Invalid(Reason::BadChar { ch: '.', pos: 18 })
    );
}

#[test]
fn credit_code_authority_and_type_are_checked_leniently() {
    let bad_authority = with_credit_check("B1350100M000100Y4");
    assert_eq!(
        verdict(&bad_authority),
        Verdict::Invalid(Reason::BadAuthority { ch: 'B' })
    );
    let zero_authority = with_credit_check("01350100M000100Y4");
    assert_eq!(
        verdict(&zero_authority),
        Verdict::Invalid(Reason::BadAuthority { ch: '0' })
    );
    // Authority 9 (market regulation) has types 1, 2, 3 only.
    let bad_type = with_credit_check("94350100M000100Y4");
    assert_eq!(
        verdict(&bad_type),
        Verdict::Invalid(Reason::BadChar { ch: '4', pos: 2 })
    );
    // Y has type 1 only.
    let bad_y = with_credit_check("Y2350100M000100Y4");
    assert_eq!(
        verdict(&bad_y),
        Verdict::Invalid(Reason::BadChar { ch: '2', pos: 2 })
    );
    // Other authorities (law firms 3x, rural collectives Nx) pass.
    for ok in [
        "31110000E00017891",
        "N2350100M000100Y4",
        "52350100M000100Y4",
        "Y1350100M000100Y4",
    ] {
        assert_eq!(verdict(&with_credit_check(ok)), Verdict::Valid, "{ok}");
    }
}

#[test]
fn credit_code_area_needs_a_real_province_or_national_level() {
    let bad = with_credit_check("91990100M000100Y4");
    assert_eq!(
        verdict(&bad),
        Verdict::Invalid(Reason::BadArea {
            code: "990100".into()
        })
    );
    let letters = with_credit_check("9135A100M000100Y4");
    assert_eq!(
        verdict(&letters),
        Verdict::Invalid(Reason::BadArea {
            code: "35A100".into()
        })
    );
    assert_eq!(
        verdict(&with_credit_check("91100000M000100Y4")),
        Verdict::Valid
    );
}

#[test]
fn all_digit_enterprise_code_is_a_credit_code_not_a_foreign_id() {
    // A real all-digit enterprise code: as a foreign permanent-residence
    // number its "date" 00192203 is impossible, so it is the credit code.
    let c = check("914403001922038216", today());
    assert_eq!(c.kind, Some(DocKind::CreditCode));
    assert_eq!(c.verdict, Verdict::Valid);
    assert!(check_as("914403001922038216", DocKind::CreditCode, today()).is_valid());
    // Chosen explicitly as a foreign card, it is judged as one.
    let f = check_as(
        "914403001922038216",
        DocKind::ForeignPermanentResidence,
        today(),
    );
    assert_eq!(f.kind, Some(DocKind::ForeignPermanentResidence));
    assert!(matches!(
        f.verdict,
        Verdict::Invalid(Reason::BadDate { .. })
    ));
}

#[test]
fn resident_id_with_a_letter_at_the_end_reports_the_letter() {
    assert_eq!(
        verdict("11010519491231002Y"),
        Verdict::Invalid(Reason::BadChar { ch: 'Y', pos: 18 })
    );
    let c = check("1101051949.231002X", today());
    assert_eq!(c.kind, Some(DocKind::ResidentId));
    assert_eq!(
        c.verdict,
        Verdict::Invalid(Reason::BadChar { ch: '.', pos: 11 })
    );
}
