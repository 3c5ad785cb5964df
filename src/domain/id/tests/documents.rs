use super::*;

// ---- other documents ---------------------------------------------------

#[test]
fn passports_are_detected() {
    for p in [
        "E12345678",
        "EA1234567",
        "G12345678",
        "D1234567",
        "pe1234567",
    ] {
        let c = check(p, today());
        assert_eq!(c.kind, Some(DocKind::Passport), "{p}");
        assert_eq!(c.verdict, Verdict::Valid, "{p}");
    }
    // Chosen explicitly, foreign formats are accepted too.
    for p in ["123456789", "C01X00T47", "TK1234567"] {
        assert!(check_as(p, DocKind::Passport, today()).is_valid(), "{p}");
    }
    assert_eq!(
        check_as("ABCDEFG", DocKind::Passport, today()).verdict,
        Verdict::Invalid(Reason::UnknownFormat)
    );
    assert_eq!(
        check_as("E123", DocKind::Passport, today()).verdict,
        Verdict::Invalid(Reason::WrongLength {
            len: 4,
            expected: "5–12"
        })
    );
    assert_eq!(
        check_as("E1234.678", DocKind::Passport, today()).verdict,
        Verdict::Invalid(Reason::BadChar { ch: '.', pos: 6 })
    );
}

#[test]
fn travel_permits_are_detected() {
    for p in [
        "H12345678",
        "M12345678",
        "H1234567890",
        "12345678",
        "1234567801",
        "12345678B",
        "12345678(B)",
        "12345678（B）",
    ] {
        let c = check(p, today());
        assert_eq!(c.kind, Some(DocKind::TravelPermit), "{p}");
        assert_eq!(c.verdict, Verdict::Valid, "{p}");
        assert!(
            check_as(p, DocKind::TravelPermit, today()).is_valid(),
            "{p}"
        );
    }
    assert_eq!(
        check_as("E12345678", DocKind::TravelPermit, today()).verdict,
        Verdict::Invalid(Reason::UnknownFormat)
    );
    assert_eq!(
        check_as("H123", DocKind::TravelPermit, today()).verdict,
        Verdict::Invalid(Reason::WrongLength {
            len: 4,
            expected: "8–12"
        })
    );
}

#[test]
fn military_ids_are_detected() {
    for m in [
        "军字第2001988号",
        "南字第12345678号",
        "军 12345678",
        "海字第1234567",
    ] {
        let c = check(m, today());
        assert_eq!(c.kind, Some(DocKind::MilitaryId), "{m}");
        assert_eq!(c.verdict, Verdict::Valid, "{m}");
    }
    assert!(check_as("12345678", DocKind::MilitaryId, today()).is_valid());
    assert_eq!(
        check_as("12345", DocKind::MilitaryId, today()).verdict,
        Verdict::Invalid(Reason::WrongLength {
            len: 5,
            expected: "6–12"
        })
    );
    assert_eq!(
        check_as("军字第12X45678", DocKind::MilitaryId, today()).verdict,
        Verdict::Invalid(Reason::BadChar { ch: 'X', pos: 6 })
    );
    // A Chinese prefix with too few digits is not a stray character.
    assert_eq!(verdict("军123"), Verdict::Invalid(Reason::UnknownFormat));
}

#[test]
fn unmatched_input_gets_the_plainest_reason() {
    assert_eq!(
        verdict("1101051949123100"),
        Verdict::Invalid(Reason::WrongLength {
            len: 16,
            expected: "18"
        })
    );
    assert_eq!(
        verdict("1101051949123100212"),
        Verdict::Invalid(Reason::WrongLength {
            len: 19,
            expected: "18"
        })
    );
    assert_eq!(
        verdict("91350100M000100Y4"),
        Verdict::Invalid(Reason::WrongLength {
            len: 17,
            expected: "18"
        })
    );
    assert_eq!(verdict("ABC"), Verdict::Invalid(Reason::UnknownFormat));
    let labelled = check("身份证11010519491231002X", today());
    assert_eq!(labelled.kind, None);
    assert_eq!(
        labelled.verdict,
        Verdict::Invalid(Reason::BadChar { ch: '身', pos: 1 })
    );
}

#[test]
fn empty_input() {
    for e in ["", "   ", "\u{3000}\t\n", "- -"] {
        let c = check(e, today());
        assert_eq!(c.verdict, Verdict::Invalid(Reason::Empty), "{e:?}");
        assert_eq!(c.kind, None);
        for k in DocKind::ALL {
            assert_eq!(
                check_as(e, k, today()).verdict,
                Verdict::Invalid(Reason::Empty)
            );
        }
    }
}

#[test]
fn ten_kilobyte_paste_is_refused_at_once() {
    let big = "1".repeat(10 * 1024);
    let c = check(&big, today());
    assert_eq!(
        c.verdict,
        Verdict::Invalid(Reason::TooLong { len: 10 * 1024 })
    );
    assert_eq!(c.normalized, "");
    assert_eq!(c.kind, None);
    let huge = "字".repeat(1 << 20);
    let start = std::time::Instant::now();
    let c = check_as(&huge, DocKind::MilitaryId, today());
    assert!(matches!(
        c.verdict,
        Verdict::Invalid(Reason::TooLong { .. })
    ));
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
}

#[test]
fn length_limit_is_on_raw_characters() {
    let padded = format!("{:<64}", "11010519491231002X");
    assert_eq!(padded.chars().count(), 64);
    assert_eq!(verdict(&padded), Verdict::Valid);
    let over = format!("{:<65}", "11010519491231002X");
    assert_eq!(
        verdict(&over),
        Verdict::Invalid(Reason::TooLong { len: 65 })
    );
    // Multi-byte characters count as one each.
    let cjk = "号".repeat(64);
    assert!(!matches!(
        verdict(&cjk),
        Verdict::Invalid(Reason::TooLong { .. })
    ));
}

#[test]
fn emoji_and_odd_unicode_never_panic() {
    assert_eq!(
        verdict("😀"),
        Verdict::Invalid(Reason::BadChar { ch: '😀', pos: 1 })
    );
    assert_eq!(
        verdict("11010519491231002😀"),
        Verdict::Invalid(Reason::BadChar {
            ch: '😀', pos: 18
        })
    );
    for s in [
        "👨\u{200D}👩\u{200D}👧",
        "1\u{0301}1010519491231002X",
        "\u{FEFF}11010519491231002X",
        "\u{0000}",
        "𝟏𝟏𝟎𝟏𝟎𝟓𝟏𝟗𝟒𝟗𝟏𝟐𝟑𝟏𝟎𝟎𝟐𝐗",
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",
        "ß",
        "\u{10FFFF}",
    ] {
        let c = check(s, today());
        let _ = c.verdict.reason().map(Reason::msg);
        let _ = c.masked();
        for k in DocKind::ALL {
            let _ = check_as(s, k, today());
        }
    }
    // A byte-order mark from a scanner is dropped.
    assert_eq!(verdict("\u{FEFF}11010519491231002X"), Verdict::Valid);
    // Combining marks are reported visibly.
    let m = Reason::BadChar {
        ch: '\u{0301}',
        pos: 2,
    }
    .msg();
    assert!(m.args.contains(&("ch", "U+0301".to_string())));
}
