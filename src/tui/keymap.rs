//! The keymap machinery: keys, bindings as data, look-up, and how keys are
//! written for people. Each screen keeps its own tables (its `keys.rs`),
//! binding keys to that screen's own commands; the bottom bar, the help
//! overlay and the key names inside messages are all generated from those
//! tables, so a hint can never name a key that does something else.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Required modifiers.
    pub mods: KeyModifiers,
}

/// A plain key.
pub const fn k(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

/// A character key.
pub const fn ch(c: char) -> Key {
    k(KeyCode::Char(c))
}

/// A function key.
pub const fn f(n: u8) -> Key {
    k(KeyCode::F(n))
}

/// Ctrl and a character.
pub const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub const ENTER: Key = k(KeyCode::Enter);
pub const ESC: Key = k(KeyCode::Esc);
pub const TAB: Key = k(KeyCode::Tab);
/// Shift+Tab.
pub const BACKTAB: Key = k(KeyCode::BackTab);
pub const UP: Key = k(KeyCode::Up);
pub const DOWN: Key = k(KeyCode::Down);
pub const LEFT: Key = k(KeyCode::Left);
pub const RIGHT: Key = k(KeyCode::Right);

/// The number keys 1–9, for choosing a numbered item.
pub const DIGITS: &[Key] = &[
    ch('1'),
    ch('2'),
    ch('3'),
    ch('4'),
    ch('5'),
    ch('6'),
    ch('7'),
    ch('8'),
    ch('9'),
];

/// One binding: keys, the command they give, and the catalogue key of
/// what it does (shown in the bar and the help overlay).
#[derive(Debug, Clone, Copy)]
pub struct Binding<C: 'static> {
    /// Keys that trigger it.
    pub keys: &'static [Key],
    /// The command.
    pub cmd: C,
    /// Catalogue key of its description.
    pub desc: &'static str,
}

/// A binding in a table.
pub const fn b<C>(keys: &'static [Key], cmd: C, desc: &'static str) -> Binding<C> {
    Binding { keys, cmd, desc }
}

/// A binding as the bar and the help overlay show it, whatever its screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub keys: &'static [Key],
    /// Catalogue key of what it does.
    pub desc: &'static str,
    /// Whether it does something right now (the bar shows only these).
    pub active: bool,
}

/// The keys of a screen right now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    /// Every binding of the screen's current mode.
    pub hints: Vec<Hint>,
    /// A popup of the screen takes every key: of the keys that work
    /// everywhere, only quitting still does.
    pub modal: bool,
}

impl Keys {
    /// The keys of a table, with which are active.
    pub fn of<C: Copy>(table: &'static [Binding<C>], active: impl Fn(C) -> bool) -> Keys {
        Keys {
            hints: hints(table, active),
            modal: false,
        }
    }

    /// The keys of a table, every one working.
    pub fn all<C: Copy>(table: &'static [Binding<C>]) -> Keys {
        Keys::of(table, |_| true)
    }

    /// The keys of a popup that takes every key.
    pub fn modal<C: Copy>(table: &'static [Binding<C>]) -> Keys {
        Keys {
            hints: hints(table, |_| true),
            modal: true,
        }
    }
}

/// The hints of a table.
pub fn hints<C: Copy>(table: &'static [Binding<C>], active: impl Fn(C) -> bool) -> Vec<Hint> {
    table
        .iter()
        .map(|bd| Hint {
            keys: bd.keys,
            desc: bd.desc,
            active: active(bd.cmd),
        })
        .collect()
}

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    match (key.code, ev.code) {
        // Shift is part of the character itself ('?' needs it on most layouts).
        (KeyCode::Char(a), KeyCode::Char(b)) => a.eq_ignore_ascii_case(&b) && mods == key.mods,
        (KeyCode::BackTab, KeyCode::BackTab) => true,
        (a, b) => a == b && ev.modifiers == key.mods,
    }
}

/// The command of the first binding in `table` that `ev` triggers.
pub fn lookup<C: Copy>(table: &[Binding<C>], ev: &KeyEvent) -> Option<C> {
    lookup_if(table, ev, |_| true)
}

/// The command of the first binding in `table` that `ev` triggers and
/// `active` allows (a key that means nothing in this state falls through).
pub fn lookup_if<C: Copy>(
    table: &[Binding<C>],
    ev: &KeyEvent,
    active: impl Fn(C) -> bool,
) -> Option<C> {
    table
        .iter()
        .find(|bd| bd.keys.iter().any(|key| matches(key, ev)) && active(bd.cmd))
        .map(|bd| bd.cmd)
}

/// The digit a key event carries (1–9), for numbered choices.
pub fn digit(ev: &KeyEvent) -> Option<usize> {
    match ev.code {
        KeyCode::Char(c) => c.to_digit(10).map(|d| d as usize).filter(|d| *d > 0),
        _ => None,
    }
}

/// How a key is written for people: "F1", "Ctrl+Q", "↑".
pub fn key_label(key: &Key) -> String {
    let base = match key.code {
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift+Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_ascii_uppercase().to_string(),
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl+{base}")
    } else {
        base
    }
}

/// All keys of a binding for the help overlay ("F1 / ?"), digits as a range.
pub fn keys_label(keys: &[Key]) -> String {
    let digits = keys.len() > 2
        && keys
            .iter()
            .all(|k| matches!(k.code, KeyCode::Char(c) if c.is_ascii_digit()));
    if digits {
        let first = keys.first().map(key_label).unwrap_or_default();
        let last = keys.last().map(key_label).unwrap_or_default();
        return format!("{first}–{last}");
    }
    keys.iter().map(key_label).collect::<Vec<_>>().join(" / ")
}

/// The shortest label, for the bottom bar: the first key, or a range.
pub fn short_label(keys: &[Key]) -> String {
    if keys.len() > 2 {
        return keys_label(keys);
    }
    keys.first().map(key_label).unwrap_or_default()
}

/// The key bound to `cmd` in `table` as a message names it: its first
/// key, or the range of number keys. The key names inside messages come
/// from here.
pub fn label_of<C: Copy + PartialEq>(table: &[Binding<C>], cmd: C) -> Option<String> {
    let bd = table.iter().find(|bd| bd.cmd == cmd)?;
    let digits = bd.keys.len() > 2
        && bd
            .keys
            .iter()
            .all(|k| matches!(k.code, KeyCode::Char(c) if c.is_ascii_digit()));
    if digits {
        Some(keys_label(bd.keys))
    } else {
        bd.keys.first().map(key_label)
    }
}

/// What the keys that work everywhere do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Global {
    /// Show the help overlay.
    Help,
    /// Hand the window to another clerk.
    SwitchClerk,
    /// Sign the clerk out.
    SignOut,
    /// Ratings: a duty manager's poor-rating visits and appeals, a
    /// clerk's appeal.
    Ratings,
    /// Call the next ticket from the hall's queue.
    CallNext,
    /// The calling screen: the ticket in service, held and waiting.
    Calling,
    /// Close the program (signing out first).
    Quit,
}

/// Keys that work everywhere.
pub const GLOBAL: &[Binding<Global>] = &[
    b(&[f(1), ch('?')], Global::Help, "key.help"),
    b(&[f(11)], Global::SwitchClerk, "key.switch_clerk"),
    b(&[f(12)], Global::SignOut, "key.sign_out"),
    b(&[ctrl('r')], Global::Ratings, "key.ratings"),
    b(&[ctrl('n')], Global::CallNext, "key.call_next_global"),
    b(&[ctrl('t')], Global::Calling, "key.calling"),
    b(&[ctrl('q'), ctrl('c')], Global::Quit, "key.quit"),
];

/// The help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpKey {
    Close,
    /// Scroll up.
    Up,
    /// Scroll down.
    Down,
}

/// The help overlay's keys.
pub const HELP: &[Binding<HelpKey>] = &[
    b(&[ESC, f(1), ch('?')], HelpKey::Close, "key.close"),
    b(&[UP], HelpKey::Up, "key.scroll_up"),
    b(&[DOWN], HelpKey::Down, "key.scroll_down"),
];

/// The keys here that messages name (`{key_…}`).
pub const KEY_NAMES: crate::tui::key_names::Names = &[
    ("key_close", || label_of(HELP, HelpKey::Close)),
    ("key_ratings", || label_of(GLOBAL, Global::Ratings)),
];
