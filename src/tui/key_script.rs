//! Keys written as text: plain characters, and `<Enter>`, `<Esc>`,
//! `<Tab>`, `<BackTab>`, `<F1>`..`<F12>`, `<Up>`, `<Down>`, `<Left>`,
//! `<Right>`, `<Backspace>`, `<Delete>`, `<Home>`, `<End>`, `<C-x>` for
//! Ctrl and a letter, `<lt>` for `<`. Practice runs are recorded in this
//! notation, and model answers and tests are written in it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The keys of a script, in order. An unknown `<name>` is typed as it stands.
pub fn parse(script: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut rest = script;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            if let Some(end) = rest.find('>') {
                if let Some(ev) = named(&rest[1..end]) {
                    out.push(ev);
                    rest = &rest[end + 1..];
                    continue;
                }
            }
        }
        let Some(c) = rest.chars().next() else { break };
        // Line breaks in a multi-line script are layout, not keys.
        if c != '\n' && c != '\r' {
            out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn named(name: &str) -> Option<KeyEvent> {
    let plain = |code| Some(KeyEvent::new(code, KeyModifiers::NONE));
    match name {
        "Enter" => plain(KeyCode::Enter),
        "Esc" => plain(KeyCode::Esc),
        "Tab" => plain(KeyCode::Tab),
        "BackTab" => Some(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        "Up" => plain(KeyCode::Up),
        "Down" => plain(KeyCode::Down),
        "Left" => plain(KeyCode::Left),
        "Right" => plain(KeyCode::Right),
        "Backspace" => plain(KeyCode::Backspace),
        "Delete" => plain(KeyCode::Delete),
        "Home" => plain(KeyCode::Home),
        "End" => plain(KeyCode::End),
        "PageUp" => plain(KeyCode::PageUp),
        "PageDown" => plain(KeyCode::PageDown),
        "lt" => plain(KeyCode::Char('<')),
        "Space" => plain(KeyCode::Char(' ')),
        n if n.starts_with("C-") && n.chars().count() == 3 => {
            let c = n.chars().nth(2)?;
            Some(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
        }
        n if n.starts_with('F') => n[1..].parse().ok().and_then(|f| plain(KeyCode::F(f))),
        _ => None,
    }
}

/// One key in the notation; `None` for keys a script cannot hold.
pub fn encode(key: &KeyEvent) -> Option<String> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let s = match key.code {
        KeyCode::Char(c) if ctrl => format!("<C-{c}>"),
        KeyCode::Char('<') => "<lt>".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "<Enter>".into(),
        KeyCode::Esc => "<Esc>".into(),
        KeyCode::Tab => "<Tab>".into(),
        KeyCode::BackTab => "<BackTab>".into(),
        KeyCode::Up => "<Up>".into(),
        KeyCode::Down => "<Down>".into(),
        KeyCode::Left => "<Left>".into(),
        KeyCode::Right => "<Right>".into(),
        KeyCode::Backspace => "<Backspace>".into(),
        KeyCode::Delete => "<Delete>".into(),
        KeyCode::Home => "<Home>".into(),
        KeyCode::End => "<End>".into(),
        KeyCode::PageUp => "<PageUp>".into(),
        KeyCode::PageDown => "<PageDown>".into(),
        KeyCode::F(n) => format!("<F{n}>"),
        _ => return None,
    };
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_written_reads_back_the_same() {
        let script = "<F3>1<Enter>王秀英<lt>x<C-t><BackTab><F10> <Backspace>";
        let keys = parse(script);
        let again: String = keys.iter().filter_map(encode).collect();
        assert_eq!(parse(&again), keys);
        assert_eq!(keys.len(), 13);
    }
}
