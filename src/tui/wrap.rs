//! Line breaking that suits Chinese: ratatui's word wrapper only breaks at
//! spaces, which leaves ragged lines when Chinese text holds a few spaces
//! around numbers. Chinese may break between any two characters.

use unicode_width::UnicodeWidthChar;

use crate::domain::msg::Lang;

/// Breaks `text` into lines at most `width` columns wide.
pub fn wrap(text: &str, width: u16, lang: Lang) -> Vec<String> {
    let width = width.max(1) as usize;
    let mut lines = Vec::new();
    for para in text.split('\n') {
        match lang {
            Lang::Zh => by_char(para, width, &mut lines),
            Lang::En => by_word(para, width, &mut lines),
        }
    }
    lines
}

/// Punctuation that never starts a line in Chinese typesetting (a line
/// beginning "。" reads as a stray mark): it goes down with the character
/// before it instead.
fn closes(token: &str) -> bool {
    token.chars().count() == 1
        && token
            .chars()
            .all(|c| "。，、；：！？）」』”’】》…％,.;:!?)".contains(c))
}

fn by_char(para: &str, width: usize, out: &mut Vec<String>) {
    let mut line = String::new();
    let mut used = 0;
    for token in tokens(para) {
        let w: usize = token.chars().map(|c| c.width().unwrap_or(0)).sum();
        if used + w > width && !line.is_empty() {
            let carried = if closes(token) && line.chars().count() > 1 {
                line.pop()
            } else {
                None
            };
            out.push(std::mem::take(&mut line));
            used = 0;
            if let Some(c) = carried {
                line.push(c);
                used += c.width().unwrap_or(0);
            }
            if token == " " {
                continue;
            }
        }
        if w > width {
            // Longer than a whole line: cut it by character.
            for c in token.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width && !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
            continue;
        }
        line.push_str(token);
        used += w;
    }
    out.push(line);
}

// Chinese breaks between any two characters, but a run of ASCII letters,
// digits and date punctuation (2026-12-01, 95598, kW) stays whole.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let ascii_word = c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '/' | '%');
        match (ascii_word, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, Some(st)) => {
                out.push(&s[st..i]);
                start = None;
                out.push(&s[i..i + c.len_utf8()]);
            }
            (false, None) => out.push(&s[i..i + c.len_utf8()]),
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

fn by_word(para: &str, width: usize, out: &mut Vec<String>) {
    let mut line = String::new();
    let mut used = 0;
    for word in para.split(' ') {
        let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        if used > 0 && used + 1 + w > width {
            out.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        if w > width {
            // A word longer than the line is cut by character.
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width {
                    out.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        } else {
            line.push_str(word);
            used += w;
        }
    }
    out.push(line);
}

/// `s` cut or padded to `width` display columns (a Chinese character takes
/// two), so columns line up whatever the script.
pub fn cell(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push_str(&" ".repeat(width.saturating_sub(w)));
    out
}

/// The end of `text` that fits in `width` columns (a long line shown up
/// to where the cursor is).
pub fn tail_fitting(text: &str, width: usize) -> String {
    let mut used = 0;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        start = i;
    }
    text[start..].to_string()
}

#[cfg(test)]
mod closing_tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn no_line_starts_with_a_closing_mark() {
        // Ten columns: "一二三四五" fills the line; the full stop goes down
        // with the character before it.
        let lines = wrap("一二三四五。六七", 10, Lang::Zh);
        assert_eq!(lines, vec!["一二三四", "五。六七"]);
        for width in 4..30 {
            for l in wrap(
                "请写明原因，例如：客户已离开。已手写收据，已告知值班经理。",
                width,
                Lang::Zh,
            ) {
                assert!(!l.starts_with(['。', '，', '：']), "{width}: {l:?}");
                assert!(l.width() <= width as usize, "{width}: {l:?}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_breaks_anywhere_within_width() {
        let lines = wrap(
            "统一社会信用代码的校验位应为 3，输入的是 2。少数早期",
            20,
            Lang::Zh,
        );
        assert!(lines
            .iter()
            .all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= 20));
        assert_eq!(
            lines.concat().replace(' ', ""),
            "统一社会信用代码的校验位应为3，输入的是2。少数早期"
        );
        assert_eq!(lines[0], "统一社会信用代码的校");
        let dated = wrap("截止日期2026-12-01前", 12, Lang::Zh);
        assert_eq!(dated, vec!["截止日期", "2026-12-01前"]);
    }

    #[test]
    fn english_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7, Lang::En), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4, Lang::En), vec!["abcd", "efgh", "ij"]);
    }
}
