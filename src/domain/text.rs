//! Text folding shared by every field a clerk types into.

/// Folds full-width ASCII (U+FF01..U+FF5E) to half-width and the ideographic
/// space to a plain space; everything else passes through unchanged.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_digits_letters_and_spaces() {
        assert_eq!(fold_width("１２３ＡＢｃ　！"), "123ABc !");
        assert_eq!(fold_width("张三"), "张三");
    }
}
