//! What a clerk types into an application field, checked by the field's
//! kind and bounds from the form. The stored value is a normalised string:
//! digits only for phones, `YYYY-MM-DD` for dates, the choice id for
//! choices, hundredths-exact decimals for kW and money.

use chrono::NaiveDate;

use crate::domain::customer;
use crate::domain::form::{Decimal2, Field, FieldKind};
use crate::domain::msg::Msg;
use crate::domain::text::fold_width;
use crate::msg;

/// Longest text any field takes unless the form says less.
pub const TEXT_MAX: usize = 200;

/// Checks one field. `Ok(None)` for an optional field left empty.
pub fn validate(field: &Field, input: &str) -> Result<Option<String>, Msg> {
    let folded = fold_width(input);
    let typed = folded.trim();
    if typed.is_empty() {
        return if field.required {
            Err(msg!("field.required"))
        } else {
            Ok(None)
        };
    }
    let max_len = field.max_len.map(|m| m as usize).unwrap_or(TEXT_MAX);
    let len = typed.chars().count();
    if len > max_len.max(TEXT_MAX) || (field.kind.takes_max_len() && len > max_len) {
        return Err(msg!("field.too_long", len = len, max = max_len));
    }
    if typed.chars().any(char::is_control) {
        return Err(msg!("field.control_char"));
    }
    let value = match field.kind {
        FieldKind::Text => typed.split_whitespace().collect::<Vec<_>>().join(" "),
        FieldKind::Address => customer::validate_address(typed)?,
        FieldKind::Phone => customer::validate_phone(typed)?,
        FieldKind::Mobile => mobile(typed)?,
        FieldKind::CapacityKw => number(
            field,
            typed
                .trim_end_matches(['k', 'K', 'w', 'W', '千', '瓦'])
                .trim(),
            "field.capacity_bad",
        )?,
        FieldKind::Money => number(
            field,
            typed
                .trim_start_matches(['¥', '￥'])
                .replace(',', "")
                .trim(),
            "field.money_bad",
        )?,
        FieldKind::Integer => {
            let n = number(field, typed, "field.integer_bad")?;
            if n.contains('.') {
                return Err(msg!("field.integer_bad"));
            }
            n
        }
        FieldKind::Date => date(typed)?.format("%Y-%m-%d").to_string(),
        FieldKind::Choice => choice(field, typed)?,
        FieldKind::AccountNo => account_no(typed)?,
    };
    Ok(Some(value))
}

fn mobile(typed: &str) -> Result<String, Msg> {
    let digits: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let ok = digits.len() == 11
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.starts_with('1')
        && digits
            .as_bytes()
            .get(1)
            .is_some_and(|b| (b'3'..=b'9').contains(b));
    if ok {
        Ok(digits)
    } else {
        Err(msg!("field.mobile_bad"))
    }
}

fn number(field: &Field, typed: &str, bad: &'static str) -> Result<String, Msg> {
    let Some(n) = Decimal2::parse(typed) else {
        return Err(Msg::new(bad));
    };
    if n.hundredths() < 0 {
        return Err(msg!("field.negative"));
    }
    if let Some(min) = field.min.filter(|m| n < *m) {
        return Err(msg!("field.below_min", min = min));
    }
    if let Some(max) = field.max.filter(|m| n > *m) {
        return Err(msg!("field.above_max", max = max));
    }
    Ok(n.to_string())
}

/// Accepts 2026-11-24, 2026/11/24, 2026.11.24, 20261124 and 2026年11月24日.
pub fn date(typed: &str) -> Result<NaiveDate, Msg> {
    let cleaned: String = typed
        .chars()
        .map(|c| {
            if matches!(c, '/' | '.' | '年' | '月') {
                '-'
            } else {
                c
            }
        })
        .filter(|c| *c != '日')
        .collect();
    let parsed = NaiveDate::parse_from_str(&cleaned, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&cleaned, "%Y%m%d"));
    parsed.map_err(|_| msg!("field.date_bad", typed = typed))
}

fn choice(field: &Field, typed: &str) -> Result<String, Msg> {
    if let Ok(n) = typed.parse::<usize>() {
        if let Some(c) = n.checked_sub(1).and_then(|i| field.choices.get(i)) {
            return Ok(c.id.clone());
        }
    }
    field
        .choices
        .iter()
        .find(|c| c.id == typed || c.label.zh == typed || c.label.en.eq_ignore_ascii_case(typed))
        .map(|c| c.id.clone())
        .ok_or_else(|| msg!("field.choice_bad", n = field.choices.len()))
}

fn account_no(typed: &str) -> Result<String, Msg> {
    let digits: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if let Some((pos, ch)) = digits
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_digit())
    {
        return Err(msg!("field.account_bad_char", ch = ch, pos = pos + 1));
    }
    // Provinces differ (one moved from 10 to 13 digits): only a sane range.
    if !(5..=20).contains(&digits.len()) {
        return Err(msg!("field.account_bad_len", len = digits.len()));
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{Choice, Text};

    fn field(kind: FieldKind) -> Field {
        Field {
            id: "f".into(),
            label: Text {
                zh: "字段".into(),
                en: "Field".into(),
            },
            kind,
            required: true,
            min: None,
            max: None,
            max_len: None,
            choices: vec![],
            help: None,
            default: None,
        }
    }

    #[test]
    fn capacity_takes_units_full_width_and_bounds() {
        let mut f = field(FieldKind::CapacityKw);
        f.min = Some(Decimal2::from_hundredths(100));
        f.max = Some(Decimal2::from_hundredths(10_000));
        assert_eq!(validate(&f, "８ kW").unwrap(), Some("8".into()));
        assert_eq!(validate(&f, "12.5").unwrap(), Some("12.5".into()));
        assert_eq!(validate(&f, "0.5").unwrap_err().key, "field.below_min");
        assert_eq!(validate(&f, "101").unwrap_err().key, "field.above_max");
        assert_eq!(validate(&f, "1.234").unwrap_err().key, "field.capacity_bad");
        assert_eq!(validate(&f, "-3").unwrap_err().key, "field.negative");
        assert_eq!(validate(&f, "").unwrap_err().key, "field.required");
    }

    #[test]
    fn mobile_date_choice_account() {
        assert_eq!(
            validate(&field(FieldKind::Mobile), "139 1234 5678").unwrap(),
            Some("13912345678".into())
        );
        assert!(validate(&field(FieldKind::Mobile), "0591-12345678").is_err());
        assert_eq!(
            validate(&field(FieldKind::Date), "2026年2月28日").unwrap(),
            Some("2026-02-28".into())
        );
        assert_eq!(
            validate(&field(FieldKind::Date), "20260228").unwrap(),
            Some("2026-02-28".into())
        );
        assert_eq!(
            validate(&field(FieldKind::Date), "2026-02-30")
                .unwrap_err()
                .key,
            "field.date_bad"
        );
        let mut c = field(FieldKind::Choice);
        c.choices = vec![
            Choice {
                id: "new".into(),
                label: Text {
                    zh: "新装".into(),
                    en: "New install".into(),
                },
            },
            Choice {
                id: "increase".into(),
                label: Text {
                    zh: "增容".into(),
                    en: "Capacity increase".into(),
                },
            },
        ];
        assert_eq!(validate(&c, "2").unwrap(), Some("increase".into()));
        assert_eq!(validate(&c, "新装").unwrap(), Some("new".into()));
        assert_eq!(validate(&c, "3").unwrap_err().key, "field.choice_bad");
        assert_eq!(
            validate(&field(FieldKind::AccountNo), "0591 2345 6789 0").unwrap(),
            Some("0591234567890".into())
        );
        assert_eq!(
            validate(&field(FieldKind::AccountNo), "12a45")
                .unwrap_err()
                .key,
            "field.account_bad_char"
        );
    }

    #[test]
    fn optional_empty_is_none_and_text_is_bounded() {
        let mut f = field(FieldKind::Text);
        f.required = false;
        assert_eq!(validate(&f, "   ").unwrap(), None);
        assert_eq!(
            validate(&f, &"长".repeat(10_000)).unwrap_err().key,
            "field.too_long"
        );
        f.max_len = Some(5);
        assert_eq!(
            validate(&f, "一二三四五六").unwrap_err().key,
            "field.too_long"
        );
    }
}
