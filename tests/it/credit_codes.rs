//! Organisations by their unified social credit code, including codes made
//! only of digits: recognised as credit codes, not as broken resident IDs.

use crate::common::{app, keys, screen, sign_in, Scratch};
use counterdesk::domain::id::{check, DocKind, Verdict};
use counterdesk::domain::msg::Lang;

/// All-digit codes: a public institution registered by a staffing office
/// (authority 1, a Tianjin hospital) and two published enterprise codes
/// (authority 9, Shenzhen and Foshan); and a social organisation
/// registered by civil affairs (authority 5, Leshan), written the way those
/// codes are, with its GB 32100 check character.
const CREDIT_CODES: [&str; 4] = [
    "121200004013590816",
    "914403001922038216",
    "914406060621766268",
    "511100005000000071",
];

#[test]
fn all_digit_credit_codes_are_credit_codes_not_broken_resident_ids() {
    let today = crate::common::clock().today();
    for code in CREDIT_CODES {
        let c = check(code, today);
        assert_eq!(c.kind, Some(DocKind::CreditCode), "{code}: {c:?}");
        assert_eq!(c.verdict, Verdict::Valid, "{code}: {c:?}");
    }
    // A resident ID is still a resident ID, and a wrong check character in
    // one is still reported as such.
    let id = check("11010519491231002X", today);
    assert_eq!(id.kind, Some(DocKind::ResidentId));
    let typo = check("110105194912310021", today);
    assert!(typo.verdict.is_invalid(), "{typo:?}");
    assert_eq!(typo.kind, Some(DocKind::ResidentId));
}

#[test]
fn a_public_institution_is_found_or_registered_by_its_digit_code() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "121200004013590816");
    let live = screen(&a);
    assert!(live.contains("✓ 统一社会信用代码"), "{live}");
    assert!(!live.contains("不是有效日期"), "{live}");
    keys(&mut a, "<Enter>天津市第一中心医院<Enter><Enter><Enter>");
    assert!(screen(&a).contains("客户已登记"), "{}", screen(&a));
}
