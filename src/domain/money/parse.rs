//! Reading an amount the clerk typed (or pasted) into a [`Fen`].
//!
//! Accepted: `128`, `128.5`, `128.50`, `¥1,280.50`, `￥1280.5`, `1280.50元`,
//! full-width digits and punctuation from a Chinese input method
//! (`１２８．５０`, `128。50`), surrounding spaces. Everything else is refused
//! with a message that says what to fix, never silently "corrected": a
//! wrong amount at the counter is money in the wrong hands.

use super::Fen;
use crate::domain::msg::Msg;
use crate::msg;

/// One character of the input: its 1-based position as typed, the
/// character as typed (for messages) and its folded half-width form.
#[derive(Clone, Copy)]
struct Ch {
    pos: usize,
    typed: char,
    c: char,
}

/// Folds what a Chinese input method produces to plain ASCII: full-width
/// forms (U+FF01..U+FF5E), the ideographic space, both yen signs, the
/// ideographic full stop (the "." key in Chinese mode types "。") and the
/// minus sign, so `１２８．５０` reads like `128.50`.
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{FFE5}' => '¥',
        '。' => '.',
        '\u{2212}' => '-',
        _ => c,
    }
}

/// Parses an amount of money in yuan, at most `limit`.
///
/// Refusals, each with its own key: `money.empty`, `money.negative`,
/// `money.bad_char` (the first character that does not belong, with its
/// 1-based position in `input` as typed), `money.bad_grouping` (a thousands
/// separator in the wrong place, with its position), `money.too_many_decimals`
/// (three or more decimals are refused even when they are zeros, because
/// "1.280" is as likely a European "1,280" as a slip of the finger),
/// `money.too_large` (beyond what an `i64` of fen holds) and
/// `money.above_limit` (with the limit).
pub fn parse_amount(input: &str, limit: Fen) -> Result<Fen, Msg> {
    let chars: Vec<Ch> = input
        .chars()
        .enumerate()
        .map(|(i, typed)| Ch {
            pos: i + 1,
            typed,
            c: fold(typed),
        })
        .collect();
    let mut s = trim(&chars);
    if let Some((last, rest)) = s.split_last() {
        if last.c == '元' {
            s = trim(rest);
        }
    }
    // Sign and currency come before the number in any order ("-¥5",
    // "¥ -5"); a minus anywhere there means a negative amount, which the
    // counter never takes: refunds and reversals are their own business.
    let mut seen_currency = false;
    while let Some((first, rest)) = s.split_first() {
        if first.c.is_whitespace() {
            s = rest;
        } else if first.c == '-' {
            return Err(msg!("money.negative"));
        } else if first.c == '¥' && !seen_currency {
            seen_currency = true;
            s = rest;
        } else {
            break;
        }
    }
    if s.is_empty() {
        return Err(msg!("money.empty"));
    }
    let number = scan(s)?;
    let value = number.value()?;
    if value > limit {
        return Err(msg!("money.above_limit", limit = limit));
    }
    Ok(value)
}

/// Drops whitespace at both ends.
fn trim(mut s: &[Ch]) -> &[Ch] {
    while let Some((first, rest)) = s.split_first() {
        if !first.c.is_whitespace() {
            break;
        }
        s = rest;
    }
    while let Some((last, rest)) = s.split_last() {
        if !last.c.is_whitespace() {
            break;
        }
        s = rest;
    }
    s
}

/// The number split into its parts, checked for shape but not yet valued.
struct Number {
    /// Integer digits as groups between commas (one group without commas).
    groups: Vec<Vec<u8>>,
    /// Digits after the decimal point.
    frac: Vec<u8>,
}

/// Checks the characters and the grouping. A wrong character is reported
/// before a misplaced comma because it is the more basic mistake.
fn scan(s: &[Ch]) -> Result<Number, Msg> {
    let mut groups: Vec<Vec<u8>> = vec![Vec::new()];
    let mut commas: Vec<usize> = Vec::new();
    let mut frac: Option<Vec<u8>> = None;
    let mut comma_in_frac: Option<usize> = None;
    for ch in s {
        match (ch.c, frac.as_mut()) {
            ('0'..='9', Some(f)) => f.push(ch.c as u8 - b'0'),
            ('0'..='9', None) => {
                if let Some(g) = groups.last_mut() {
                    g.push(ch.c as u8 - b'0');
                }
            }
            (',', Some(_)) => {
                comma_in_frac.get_or_insert(ch.pos);
            }
            (',', None) => {
                commas.push(ch.pos);
                groups.push(Vec::new());
            }
            ('.', None) => frac = Some(Vec::new()),
            _ => return Err(msg!("money.bad_char", ch = ch.typed, pos = ch.pos)),
        }
    }
    // Thousands groups: 1 to 3 digits first, exactly 3 after each comma.
    // The Chinese 4-digit grouping ("1,2800") is refused as ambiguous.
    if let Some(first) = groups.first() {
        if !commas.is_empty() && !(1..=3).contains(&first.len()) {
            return Err(msg!("money.bad_grouping", pos = commas[0]));
        }
    }
    for (g, pos) in groups.iter().skip(1).zip(&commas) {
        if g.len() != 3 {
            return Err(msg!("money.bad_grouping", pos = pos));
        }
    }
    if let Some(pos) = comma_in_frac {
        return Err(msg!("money.bad_grouping", pos = pos));
    }
    let frac = frac.unwrap_or_default();
    if groups.iter().all(Vec::is_empty) && frac.is_empty() {
        // Only a decimal point was left ("¥." or "."): name it.
        if let Some(ch) = s.first() {
            return Err(msg!("money.bad_char", ch = ch.typed, pos = ch.pos));
        }
    }
    if frac.len() > 2 {
        return Err(msg!("money.too_many_decimals"));
    }
    Ok(Number { groups, frac })
}

impl Number {
    /// The amount in fen. Accumulates in `i128` and stops as soon as the
    /// value leaves `i64`, so a thousand pasted digits cannot overflow.
    fn value(&self) -> Result<Fen, Msg> {
        let too_large = || msg!("money.too_large");
        let cap = i128::from(i64::MAX);
        let mut yuan: i128 = 0;
        for d in self.groups.iter().flatten() {
            yuan = yuan * 10 + i128::from(*d);
            if yuan > cap {
                return Err(too_large());
            }
        }
        let tenths = self.frac.first().map_or(0, |d| i128::from(*d));
        let hundredths = self.frac.get(1).map_or(0, |d| i128::from(*d));
        let fen = yuan * 100 + tenths * 10 + hundredths;
        i64::try_from(fen).map(Fen).map_err(|_| too_large())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Fen, Msg> {
        parse_amount(s, Fen::MAX)
    }

    fn key(s: &str) -> &'static str {
        match p(s) {
            Ok(v) => panic!("{s:?} parsed as {v:?}"),
            Err(m) => m.key,
        }
    }

    #[test]
    fn the_forms_clerks_type() {
        assert_eq!(p("128.5"), Ok(Fen(12850)));
        assert_eq!(p("128.50"), Ok(Fen(12850)));
        assert_eq!(p("128"), Ok(Fen(12800)));
        assert_eq!(p("¥1,280.50"), Ok(Fen(128_050)));
        assert_eq!(p("￥1280.5"), Ok(Fen(128_050)));
        assert_eq!(p("１２８．５０"), Ok(Fen(12850)));
        assert_eq!(p("￥１，２８０．５０"), Ok(Fen(128_050)));
        assert_eq!(p("128。5"), Ok(Fen(12850)));
        assert_eq!(p("  128.50  "), Ok(Fen(12850)));
        assert_eq!(p("\u{3000}128.50\u{3000}"), Ok(Fen(12850)));
        assert_eq!(p("128.50元"), Ok(Fen(12850)));
        assert_eq!(p("¥ 128.50 元"), Ok(Fen(12850)));
        assert_eq!(p("1,234,567.89"), Ok(Fen(123_456_789)));
        assert_eq!(p("0"), Ok(Fen::ZERO));
        assert_eq!(p("0.05"), Ok(Fen(5)));
        assert_eq!(p(".5"), Ok(Fen(50)));
        assert_eq!(p("5."), Ok(Fen(500)));
        assert_eq!(p("0128"), Ok(Fen(12800)));
    }

    #[test]
    fn empty_input_is_refused() {
        for s in ["", "   ", "\u{3000}", "元", "¥", " ￥ 元 "] {
            assert_eq!(key(s), "money.empty", "{s:?}");
        }
    }

    #[test]
    fn negative_amounts_are_refused() {
        for s in ["-1", "-¥1", "¥-1", "－１２８", "\u{2212}5", " - 5 元"] {
            assert_eq!(key(s), "money.negative", "{s:?}");
        }
    }

    #[test]
    fn three_decimals_are_refused_even_as_zeros() {
        assert_eq!(key("128.505"), "money.too_many_decimals");
        assert_eq!(key("1.280"), "money.too_many_decimals");
        assert_eq!(key("１．２３４"), "money.too_many_decimals");
    }

    #[test]
    fn a_bad_character_is_named_with_its_position() {
        let e = p("12a.50").unwrap_err();
        assert_eq!(e.key, "money.bad_char");
        assert_eq!(e.args, vec![("ch", "a".into()), ("pos", "3".into())]);
        // Positions count characters as typed, leading spaces included,
        // and the character is shown as typed (full-width here).
        let e = p(" １２ｘ").unwrap_err();
        assert_eq!(e.args, vec![("ch", "ｘ".into()), ("pos", "4".into())]);
        let e = p("1.2.3").unwrap_err();
        assert_eq!(e.args, vec![("ch", ".".into()), ("pos", "4".into())]);
        for s in ["128-", "1 280", "+5", "¥¥5", "5¥", "5元元", "$5", "."] {
            assert_eq!(key(s), "money.bad_char", "{s:?}");
        }
        // A bad character wins over a misplaced comma after it or before.
        assert_eq!(key("12,80x"), "money.bad_char");
    }

    #[test]
    fn misplaced_thousands_separators_are_refused() {
        let e = p("12,80.50").unwrap_err();
        assert_eq!(e.key, "money.bad_grouping");
        assert_eq!(e.args, vec![("pos", "3".into())]);
        for s in [
            "1,2800",
            ",128",
            "1,,280",
            "128,",
            "1234,567",
            "1,28",
            "0.5,0",
            "1,280.5,0",
            ",",
        ] {
            assert_eq!(key(s), "money.bad_grouping", "{s:?}");
        }
        let e = p("1,280,5").unwrap_err();
        assert_eq!(e.args, vec![("pos", "6".into())]);
    }

    #[test]
    fn the_limit_is_enforced_and_shown() {
        let limit = Fen(1_000_000);
        assert_eq!(parse_amount("10000", limit), Ok(limit));
        // Held in a variable: tests/it/message_catalog.rs scans for literals passed to
        // a call whose name ends in "t(" and would take this for a key.
        let one_fen_over = "10000.01";
        let e = parse_amount(one_fen_over, limit).unwrap_err();
        assert_eq!(e.key, "money.above_limit");
        assert_eq!(e.args, vec![("limit", "10,000.00".into())]);
    }

    #[test]
    fn overflow_is_too_large_not_above_limit() {
        assert_eq!(p("92233720368547758.07"), Ok(Fen::MAX));
        assert_eq!(key("92233720368547758.08"), "money.too_large");
        assert_eq!(key("92233720368547759"), "money.too_large");
        assert_eq!(key(&"9".repeat(1000)), "money.too_large");
        assert_eq!(
            parse_amount("99999999999999999999", Fen(100))
                .unwrap_err()
                .key,
            "money.too_large"
        );
    }
}
