//! Customer facts that need no database: validation of what the clerk types
//! at registration, masking for screens and slips, the green-channel rule.

use crate::domain::msg::Msg;
use crate::domain::text::fold_width as normalize_width;
use crate::msg;

/// The flag set automatically from age.
pub const GREEN_CHANNEL: &str = "green_channel";

/// Longest name accepted (organisation names run long).
pub const NAME_MAX: usize = 100;
/// Longest address accepted.
pub const ADDRESS_MAX: usize = 200;

/// A name as typed: trimmed, full-width Latin folded, inner runs of spaces kept single.
pub fn validate_name(input: &str) -> Result<String, Msg> {
    let name = collapse_spaces(&normalize_width(input));
    let len = name.chars().count();
    if len == 0 {
        return Err(msg!("customer.name_empty"));
    }
    if len > NAME_MAX {
        return Err(msg!("customer.name_too_long", max = NAME_MAX, len = len));
    }
    if let Some((pos, ch)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || !(c.is_alphanumeric() || " ·•-.'()（）&、,".contains(*c)))
    {
        return Err(msg!("customer.name_bad_char", ch = ch, pos = pos + 1));
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(msg!("customer.name_no_letter"));
    }
    Ok(name)
}

/// A name shown where others may read it (a shared screen, a support
/// tool): the family name and a star for every other character.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// The longest Latin name (a passport's machine-readable line holds 39).
pub const LATIN_NAME_MAX: usize = 80;

/// A name as printed in a passport's Latin line: Latin letters (accented
/// ones too), spaces, hyphens, apostrophes, commas and full stops.
pub fn validate_latin_name(input: &str) -> Result<String, Msg> {
    let name = collapse_spaces(&normalize_width(input));
    let len = name.chars().count();
    if len == 0 {
        return Err(msg!("customer.latin_name_empty"));
    }
    if len > LATIN_NAME_MAX {
        return Err(msg!(
            "customer.name_too_long",
            max = LATIN_NAME_MAX,
            len = len
        ));
    }
    let latin = |c: char| c.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&c);
    if let Some((pos, ch)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| !(latin(*c) || " -'.,".contains(*c)))
    {
        return Err(msg!("customer.latin_name_bad_char", ch = ch, pos = pos + 1));
    }
    if !name.chars().any(latin) {
        return Err(msg!("customer.name_no_letter"));
    }
    Ok(name)
}

/// A phone number: an 11-digit mobile (1[3-9]...) or a landline with area
/// code (0 + 2-3 digits, then 7-8 digits). Spaces and hyphens are dropped.
pub fn validate_phone(input: &str) -> Result<String, Msg> {
    let folded = normalize_width(input);
    let digits: String = folded
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    if let Some((pos, ch)) = digits
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_digit())
    {
        return Err(msg!("customer.phone_bad_char", ch = ch, pos = pos + 1));
    }
    let ok_mobile = digits.len() == 11
        && digits.starts_with('1')
        && digits
            .as_bytes()
            .get(1)
            .is_some_and(|b| (b'3'..=b'9').contains(b));
    let ok_landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    if ok_mobile || ok_landline {
        Ok(digits)
    } else {
        Err(msg!("customer.phone_bad", len = digits.len()))
    }
}

/// An address: any text without control characters, at most [`ADDRESS_MAX`].
pub fn validate_address(input: &str) -> Result<String, Msg> {
    let addr = collapse_spaces(&normalize_width(input));
    let len = addr.chars().count();
    if len > ADDRESS_MAX {
        return Err(msg!(
            "customer.address_too_long",
            max = ADDRESS_MAX,
            len = len
        ));
    }
    if addr.chars().any(char::is_control) {
        return Err(msg!("customer.address_bad_char"));
    }
    Ok(addr)
}

/// Shows the first 3 and last 4 digits of a mobile, the last 4 of anything else.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n == 11 && phone.starts_with('1') {
        format!(
            "{}****{}",
            chars[..3].iter().collect::<String>(),
            chars[7..].iter().collect::<String>()
        )
    } else if n > 4 {
        format!(
            "{}{}",
            "*".repeat(n - 4),
            chars[n - 4..].iter().collect::<String>()
        )
    } else {
        "*".repeat(n)
    }
}

/// Whether age alone puts a customer in the green channel.
pub fn green_channel_by_age(age: u32, threshold: u32) -> bool {
    age >= threshold
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The language a newly registered customer is told in: English for a
/// foreigner's document (a passport or a foreign permanent resident ID),
/// Chinese otherwise. The clerk changes it on the card when the customer
/// asks.
pub fn told_in(kind: Option<crate::domain::id::DocKind>) -> crate::domain::msg::Lang {
    use crate::domain::id::DocKind;
    use crate::domain::msg::Lang;
    match kind {
        Some(DocKind::Passport | DocKind::ForeignPermanentResidence) => Lang::En,
        _ => Lang::Zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foreign_document_suggests_english() {
        use crate::domain::id::DocKind;
        use crate::domain::msg::Lang;
        assert_eq!(told_in(Some(DocKind::Passport)), Lang::En);
        assert_eq!(told_in(Some(DocKind::ForeignPermanentResidence)), Lang::En);
        assert_eq!(told_in(Some(DocKind::ResidentId)), Lang::Zh);
        assert_eq!(told_in(Some(DocKind::TravelPermit)), Lang::Zh);
        assert_eq!(told_in(None), Lang::Zh);
    }

    #[test]
    fn names_keep_rare_characters_and_middle_dots() {
        assert_eq!(validate_name("  王䶮 ").as_deref(), Ok("王䶮"));
        assert_eq!(validate_name("𠮷野家").as_deref(), Ok("𠮷野家"));
        assert_eq!(validate_name("买买提·艾力").as_deref(), Ok("买买提·艾力"));
        assert_eq!(
            validate_name("Ｊｏｈｎ　Ｓｍｉｔｈ").as_deref(),
            Ok("John Smith")
        );
    }

    #[test]
    fn bad_names_are_refused_with_a_reason() {
        assert_eq!(validate_name("   "), Err(msg!("customer.name_empty")));
        assert_eq!(
            validate_name("张三\u{7}"),
            Err(msg!("customer.name_bad_char", ch = '\u{7}', pos = 3))
        );
        assert_eq!(validate_name("123"), Err(msg!("customer.name_no_letter")));
        let long = "张".repeat(5000);
        assert!(matches!(validate_name(&long), Err(m) if m.key == "customer.name_too_long"));
    }

    #[test]
    fn phones_are_checked_and_masked() {
        assert_eq!(
            validate_phone("138 0013 8000").as_deref(),
            Ok("13800138000")
        );
        assert_eq!(
            validate_phone("１３８００１３８０００").as_deref(),
            Ok("13800138000")
        );
        assert_eq!(
            validate_phone("010-6512 3456").as_deref(),
            Ok("01065123456")
        );
        assert!(validate_phone("12800138000").is_err());
        assert!(validate_phone("1380013800").is_err());
        assert!(matches!(validate_phone("13８x"), Err(m) if m.key == "customer.phone_bad_char"));
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_phone("01065123456"), "*******3456");
        assert_eq!(mask_phone("12"), "**");
    }

    #[test]
    fn green_channel_starts_at_the_threshold() {
        assert!(green_channel_by_age(70, 70));
        assert!(!green_channel_by_age(69, 70));
    }
}
