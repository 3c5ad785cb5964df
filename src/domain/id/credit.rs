//! The GB 32100-2015 unified social credit code of an organisation.

use super::provinces::province_by_code;
use super::{other, DocKind, Outcome, Reason, Verdict};

/// GB 32100-2015 alphabet; a character's value is its index (no I O S V Z).
pub(super) const CREDIT_ALPHABET: [char; 31] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J',
    'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'T', 'U', 'W', 'X', 'Y',
];

/// Weights of GB 32100-2015 (3^i mod 31) for the first 17 characters.
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn credit_value(c: char) -> Option<u32> {
    CREDIT_ALPHABET
        .iter()
        .position(|a| *a == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The GB 32100 check character for 17 characters of the credit-code
/// alphabet (upper case); `None` otherwise.
pub fn credit_check_char(first17: &str) -> Option<char> {
    let mut count = 0usize;
    let mut sum = 0u32;
    for c in first17.chars() {
        let w = CREDIT_WEIGHTS.get(count)?;
        sum += credit_value(c)? * w;
        count += 1;
    }
    if count != 17 {
        return None;
    }
    CREDIT_ALPHABET
        .get(((31 - sum % 31) % 31) as usize)
        .copied()
}

/// Registration-authority characters in use or reserved by GB 32100 and its
/// later assignments; lenient on purpose (law firms start with 3, rural
/// collectives with N).
fn authority_known(c: char) -> bool {
    matches!(c, '1'..='9' | 'A' | 'N' | 'Y')
}

/// Organisation-type characters allowed for the authorities whose types are
/// well known; any type for the others.
fn type_fits(authority: char, kind: char) -> bool {
    match authority {
        '9' => matches!(kind, '1' | '2' | '3'),
        '1' | '5' => matches!(kind, '1' | '2' | '3' | '9'),
        'Y' => kind == '1',
        _ => true,
    }
}

/// GB 32100-2015 on exactly 18 characters.
fn credit_verdict(chars: &[char]) -> Verdict {
    if chars.len() != 18 {
        return Verdict::Invalid(Reason::WrongLength {
            len: chars.len(),
            expected: "18",
        });
    }
    if let Some((i, c)) = chars
        .iter()
        .enumerate()
        .find(|(_, c)| credit_value(**c).is_none())
    {
        return Verdict::Invalid(Reason::BadChar { ch: *c, pos: i + 1 });
    }
    if !authority_known(chars[0]) {
        return Verdict::Invalid(Reason::BadAuthority { ch: chars[0] });
    }
    if !type_fits(chars[0], chars[1]) {
        return Verdict::Invalid(Reason::BadChar {
            ch: chars[1],
            pos: 2,
        });
    }
    let area: String = chars[2..8].iter().collect();
    // "10" is the national level (central registrations, e.g. 100000).
    let area_good = area.bytes().all(|b| b.is_ascii_digit())
        && (area.starts_with("10") || province_by_code(&area[..2]).is_some());
    if !area_good {
        return Verdict::Invalid(Reason::BadArea { code: area });
    }
    let first17: String = chars[..17].iter().collect();
    match credit_check_char(&first17) {
        Some(expected) if expected != chars[17] => Verdict::Suspicious(Reason::PilotChecksum {
            expected,
            found: chars[17],
        }),
        _ => Verdict::Valid,
    }
}

pub(super) fn credit_outcome(chars: &[char]) -> Outcome {
    other(chars, DocKind::CreditCode, credit_verdict(chars))
}
