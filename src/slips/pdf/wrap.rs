//! Line breaking with real advance widths: Chinese breaks between any two
//! characters, Latin words, numbers and dates stay whole when they fit, and
//! closing punctuation never starts a line.

use crate::slips::font::{needs_glyph, SlipFont};

/// One unbreakable piece of text for line breaking.
#[derive(Debug, PartialEq)]
enum Token {
    /// A run of Latin letters, digits and ASCII punctuation kept together
    /// ("2026-11-24", "SL20261124-1-0001", "TRAINING").
    Word(String),
    /// A single character of CJK or other text that may break anywhere.
    Char(char),
    /// Breakable space; it may hang past the right margin at a line end.
    Space(char),
    /// An explicit line break in the source text.
    Newline,
}

/// Whether `c` belongs to a run that should not be split across lines.
fn is_word_char(c: char) -> bool {
    (c.is_ascii_graphic() || (u32::from(c) < 0x2000 && c.is_alphanumeric())) && !c.is_whitespace()
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_word_char(c) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(&mut word)));
        }
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(Token::Newline),
            c if c.is_whitespace() => out.push(Token::Space(c)),
            c if !needs_glyph(c) => {}
            c => out.push(Token::Char(c)),
        }
    }
    if !word.is_empty() {
        out.push(Token::Word(word));
    }
    out
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Word(w) => w.clone(),
            Token::Char(c) | Token::Space(c) => c.to_string(),
            Token::Newline => String::new(),
        }
    }
}

/// Punctuation that must not begin a line (Chinese line-breaking rules).
fn no_line_start(t: &Token) -> bool {
    matches!(t, Token::Char(c) if "，。、；：！？）》」』】〕”’…—·～%".contains(*c))
}

/// Punctuation that must not end a line.
fn no_line_end(t: &Token) -> bool {
    matches!(t, Token::Char(c) if "（《「『【〔“‘".contains(*c))
}

/// Breaks `text` into lines no wider than `first` (first line) and `rest` points
/// at `size`. Every character of the input ends up in exactly one line, in order.
pub(super) fn wrap(font: &SlipFont, text: &str, size: f32, first: f32, rest: f32) -> Vec<String> {
    let mut lines: Vec<Vec<(Token, f32)>> = Vec::new();
    let mut line: Vec<(Token, f32)> = Vec::new();
    let mut line_w = 0.0;
    let limit = |lines: &Vec<Vec<(Token, f32)>>| if lines.is_empty() { first } else { rest };
    for token in tokens(text) {
        if token == Token::Newline {
            lines.push(std::mem::take(&mut line));
            line_w = 0.0;
            continue;
        }
        let w = font.width_pt(&token.text(), size);
        if matches!(token, Token::Space(_)) || line_w + w <= limit(&lines) + 0.01 {
            line_w += w;
            line.push((token, w));
            continue;
        }
        // The token does not fit: break before it, but carry a character along
        // when the break would start a line with "，" or end one with "（".
        let mut carry: Vec<(Token, f32)> = Vec::new();
        let has_ink = |l: &Vec<(Token, f32)>| l.iter().any(|(t, _)| !matches!(t, Token::Space(_)));
        if no_line_start(&token) && line.len() > 1 {
            if let Some(last) = line.pop() {
                carry.push(last);
            }
        }
        while line.len() > 1 && line.last().is_some_and(|(t, _)| no_line_end(t)) {
            if let Some(last) = line.pop() {
                carry.insert(0, last);
            }
        }
        if has_ink(&line) {
            lines.push(std::mem::take(&mut line));
        }
        line.extend(carry);
        line_w = line.iter().map(|(_, w)| w).sum();
        if line_w + w <= limit(&lines) + 0.01 {
            line_w += w;
            line.push((token, w));
            continue;
        }
        // A word wider than a whole line: split it between characters.
        for c in token.text().chars() {
            let cw = font.width_pt(c.encode_utf8(&mut [0; 4]), size);
            if line_w + cw > limit(&lines) + 0.01 && has_ink(&line) {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            line_w += cw;
            line.push((Token::Char(c), cw));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    let mut out: Vec<String> = lines
        .into_iter()
        .map(|l| l.iter().map(|(t, _)| t.text()).collect())
        .collect();
    // An empty text gives no lines rather than one blank line.
    if out.len() == 1 && out[0].is_empty() {
        out.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_ids_and_words_are_single_tokens() {
        let t = tokens("受理 2026-11-24 10:05，SL20261124-1-0001\r\n王䶮");
        assert_eq!(
            t,
            vec![
                Token::Char('受'),
                Token::Char('理'),
                Token::Space(' '),
                Token::Word("2026-11-24".into()),
                Token::Space(' '),
                Token::Word("10:05".into()),
                Token::Char('，'),
                Token::Word("SL20261124-1-0001".into()),
                Token::Newline,
                Token::Char('王'),
                Token::Char('䶮'),
            ]
        );
    }

    #[test]
    fn invisible_characters_are_dropped_and_astral_ones_kept() {
        let t = tokens("𠮷\u{200D}野\u{FE0F}");
        assert_eq!(t, vec![Token::Char('𠮷'), Token::Char('野')]);
    }

    #[test]
    fn line_breaking_punctuation_classes() {
        assert!(no_line_start(&Token::Char('，')));
        assert!(no_line_start(&Token::Char('）')));
        assert!(!no_line_start(&Token::Char('王')));
        assert!(no_line_end(&Token::Char('（')));
        assert!(!no_line_end(&Token::Word("(".into())));
    }
}
