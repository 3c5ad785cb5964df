//! Documents judged by their shape alone: passports, Hong Kong/Macau and
//! Taiwan travel permits, military IDs; and the reason given for input
//! that matches no format at all.

use super::{Reason, Verdict};

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Splits a military-style number: Chinese prefix, digit count, and whether
/// only an optional trailing 号 follows the digits.
fn military_parts(chars: &[char]) -> (usize, usize, bool) {
    let prefix = chars.iter().take_while(|c| is_han(**c)).count();
    let digits = chars[prefix..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let rest = &chars[prefix + digits..];
    (prefix, digits, rest.is_empty() || rest == ['号'])
}

/// A Chinese prefix ("军", "南字第" ...) and 6–12 digits, optionally 号.
pub(super) fn is_military(chars: &[char]) -> bool {
    let (prefix, digits, tail_ok) = military_parts(chars);
    (1..=6).contains(&prefix) && (6..=12).contains(&digits) && tail_ok
}

/// H (Hong Kong) or M (Macau) and 8 or 10 digits.
pub(super) fn is_hk_macau_permit(chars: &[char]) -> bool {
    matches!(chars.first(), Some('H' | 'M'))
        && matches!(chars.len(), 9 | 11)
        && chars[1..].iter().all(char::is_ascii_digit)
}

/// One or two letters and 7 or 8 digits (E12345678, EA1234567, G12345678).
pub(super) fn is_passport(chars: &[char]) -> bool {
    let letters = chars.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = chars.len() - letters;
    (1..=2).contains(&letters)
        && (7..=8).contains(&digits)
        && chars[letters..].iter().all(char::is_ascii_digit)
}

/// Eight digits, optionally followed by up to two check letters or digits,
/// which older permits print in parentheses ("12345678(B)").
pub(super) fn is_taiwan_permit(chars: &[char]) -> bool {
    if chars.len() < 8 || !chars[..8].iter().all(char::is_ascii_digit) {
        return false;
    }
    let rest = &chars[8..];
    let inner = match rest {
        ['(', inner @ .., ')'] if !inner.is_empty() => inner,
        _ => rest,
    };
    inner.len() <= 2 && inner.iter().all(char::is_ascii_alphanumeric)
}

fn first_bad(chars: &[char], allowed: impl Fn(char) -> bool) -> Option<Reason> {
    chars
        .iter()
        .enumerate()
        .find(|(_, c)| !allowed(**c))
        .map(|(i, c)| Reason::BadChar { ch: *c, pos: i + 1 })
}

/// Foreign passports vary too much to check, so an explicitly chosen
/// passport needs only 5–12 letters and digits with at least one digit.
pub(super) fn passport_as(chars: &[char]) -> Verdict {
    if let Some(reason) = first_bad(chars, |c| c.is_ascii_alphanumeric()) {
        return Verdict::Invalid(reason);
    }
    if !(5..=12).contains(&chars.len()) {
        return Verdict::Invalid(Reason::WrongLength {
            len: chars.len(),
            expected: "5–12",
        });
    }
    if !chars.iter().any(char::is_ascii_digit) {
        return Verdict::Invalid(Reason::UnknownFormat);
    }
    Verdict::Valid
}

pub(super) fn travel_as(chars: &[char]) -> Verdict {
    if is_hk_macau_permit(chars) || is_taiwan_permit(chars) {
        return Verdict::Valid;
    }
    if let Some(reason) = first_bad(chars, |c| c.is_ascii_alphanumeric() || c == '(' || c == ')') {
        return Verdict::Invalid(reason);
    }
    if !(8..=12).contains(&chars.len()) {
        return Verdict::Invalid(Reason::WrongLength {
            len: chars.len(),
            expected: "8–12",
        });
    }
    Verdict::Invalid(Reason::UnknownFormat)
}

/// An explicitly chosen military ID may also be typed as digits alone.
pub(super) fn military_as(chars: &[char]) -> Verdict {
    if is_military(chars) {
        return Verdict::Valid;
    }
    if chars.iter().all(char::is_ascii_digit) {
        return if (6..=12).contains(&chars.len()) {
            Verdict::Valid
        } else {
            Verdict::Invalid(Reason::WrongLength {
                len: chars.len(),
                expected: "6–12",
            })
        };
    }
    if let Some(reason) = first_bad(chars, |c| is_han(c) || c.is_ascii_digit()) {
        return Verdict::Invalid(reason);
    }
    Verdict::Invalid(Reason::UnknownFormat)
}

/// The plainest reason for input that matched no format.
pub(super) fn plain_reason(chars: &[char]) -> Reason {
    let len = chars.len();
    let (prefix, digits, tail_ok) = military_parts(chars);
    if prefix > 0 && digits > 0 && tail_ok {
        // A Chinese prefix and digits: a military ID with the wrong number
        // of digits, not a stray character.
        return Reason::UnknownFormat;
    }
    if let Some(reason) = first_bad(chars, |c| c.is_ascii_alphanumeric()) {
        return reason;
    }
    let digitish = chars
        .iter()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || (i + 1 == len && *c == 'X'));
    if digitish || (16..=20).contains(&len) {
        return Reason::WrongLength {
            len,
            expected: "18",
        };
    }
    Reason::UnknownFormat
}
