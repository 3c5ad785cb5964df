use super::*;
use crate::domain::id::credit::CREDIT_ALPHABET;
use proptest::prelude::*;

// ---- properties ----------------------------------------------------

/// A well-formed area for each resident-scheme kind.
fn area_strategy() -> impl Strategy<Value = (String, DocKind)> {
    let ordinary: Vec<&'static str> = PROVINCES
        .iter()
        .map(|p| p.code)
        .filter(|c| !matches!(*c, "81" | "82"))
        .collect();
    let provinces: Vec<&'static str> = PROVINCES.iter().map(|p| p.code).collect();
    prop_oneof![
        6 => (prop::sample::select(ordinary), 0u32..10_000)
            .prop_map(|(p, n)| (format!("{p}{n:04}"), DocKind::ResidentId)),
        1 => prop::sample::select(vec!["810000", "820000", "830000"])
            .prop_map(|a| (a.to_string(), DocKind::ResidencePermit)),
        1 => (prop::sample::select(provinces), 0u32..1000)
            .prop_map(|(p, n)| (format!("9{p}{n:03}"), DocKind::ForeignPermanentResidence)),
    ]
}

/// (number, kind, birth, seq, today) with an age of 0..=120 years.
fn valid_id_strategy() -> impl Strategy<Value = (String, DocKind, NaiveDate, u16, NaiveDate)> {
    (area_strategy(), 0u64..=43_800, 0u16..=999, 0u64..7_300).prop_map(
        |((area, kind), back, seq, t)| {
            let today = d(2021, 1, 1) + chrono::Days::new(t);
            let birth = today - chrono::Days::new(back);
            let id = make_resident_id(&area, birth, seq).expect("valid parts");
            (id, kind, birth, seq, today)
        },
    )
}

proptest! {
    #[test]
    fn made_ids_are_valid((id, kind, birth, seq, today) in valid_id_strategy()) {
        let c = check(&id, today);
        prop_assert_eq!(&c.verdict, &Verdict::Valid);
        prop_assert_eq!(c.kind, Some(kind));
        let p = c.person.expect("person");
        prop_assert_eq!(p.birth_date, birth);
        prop_assert!(p.age <= 120);
        let male = seq % 2 == 1;
        prop_assert_eq!(p.gender == Gender::Male, male);
        prop_assert!(check_as(&id, kind, today).is_valid());
    }

    #[test]
    fn one_changed_character_is_never_valid((id, kind, _b, _s, today) in valid_id_strategy()) {
        let original: Vec<char> = id.chars().collect();
        for pos in 0..18 {
            let replacements: &[char] = if pos == 17 {
                &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']
            } else {
                &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
            };
            for &r in replacements {
                if r == original[pos] {
                    continue;
                }
                let mut m = original.clone();
                m[pos] = r;
                let m: String = m.into_iter().collect();
                // MOD 11-2 catches every single-character error.
                let chosen = check_as(&m, kind, today);
                prop_assert!(!chosen.is_valid(), "{} -> {}", id, m);
                // Auto-detection may only call it valid as a different
                // document: a 9-leading all-digit enterprise credit code.
                let auto = check(&m, today);
                if auto.is_valid() {
                    prop_assert_eq!(auto.kind, Some(DocKind::CreditCode), "{} -> {}", id, m);
                    prop_assert!(m.starts_with('9'), "{} -> {}", id, m);
                }
            }
        }
    }

    #[test]
    fn check_never_panics(s in any::<String>()) {
        let c = check(&s, today());
        let _ = c.verdict.reason().map(Reason::msg);
        let _ = c.masked();
        for k in DocKind::ALL {
            let _ = check_as(&s, k, today());
        }
    }

    #[test]
    fn check_never_panics_on_id_like_text(s in "[0-9A-Z xX()（）号军字第-]{0,70}") {
        let c = check(&s, today());
        prop_assert!(!c.normalized.contains(' '));
        for k in DocKind::ALL {
            let _ = check_as(&s, k, today());
        }
    }

    #[test]
    fn normalize_is_idempotent(s in any::<String>()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn mask_never_reveals_more_than_half(s in "\\PC{0,40}") {
        let n = s.chars().count();
        let masked = mask(&s);
        prop_assert_eq!(masked.chars().count(), n);
        if n != 18 {
            let shown = s.chars().zip(masked.chars()).filter(|(a, b)| a == b && *b != '*').count();
            prop_assert!(shown * 2 <= n);
        }
    }

    #[test]
    fn built_credit_codes_are_valid(
        head in prop::sample::select(vec![
            "91", "92", "93", "11", "12", "13", "19", "51", "52", "53", "59", "Y1",
            "31", "N2", "A1",
        ]),
        province in prop::sample::select(PROVINCES.iter().map(|p| p.code).collect::<Vec<_>>()),
        county in 0u32..10_000,
        org in prop::collection::vec(prop::sample::select(CREDIT_ALPHABET.to_vec()), 9),
    ) {
        let org: String = org.into_iter().collect();
        let first17 = format!("{head}{province}{county:04}{org}");
        let code = with_credit_check(&first17);
        prop_assert!(check_as(&code, DocKind::CreditCode, today()).is_valid(), "{}", code);
        let chars: Vec<char> = code.chars().collect();
        let digit_body = chars[..17].iter().all(char::is_ascii_digit);
        let resident_shaped = digit_body && (chars[17].is_ascii_digit() || chars[17] == 'X');
        if !resident_shaped {
            let c = check(&code, today());
            prop_assert_eq!(c.kind, Some(DocKind::CreditCode));
            prop_assert!(c.is_valid(), "{}", code);
        }
    }
}
