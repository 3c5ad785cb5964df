//! The keymap as data: every binding has a description key, and both the
//! bottom bar and the help overlay are generated from these tables, so the
//! hints can never drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for. Screens decide what each command means in their state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Show the help overlay.
    Help,
    /// Sign the clerk out.
    SignOut,
    /// Hand the window to another clerk.
    SwitchClerk,
    /// Close the program.
    Quit,
    /// Step back.
    Back,
    /// Next field, or submit on the last one.
    Enter,
    /// Next field.
    Next,
    /// Previous field.
    Prev,
    /// Duty manager sign-off.
    SignOff,
    /// Customer flags.
    Flags,
    /// Start over with an empty ID field.
    Clear,
    /// Toggle the numbered item (the digit pressed).
    Toggle,
    /// Scroll or move up.
    Up,
    /// Scroll or move down.
    Down,
    /// Finish this stage now (F10).
    Submit,
    /// Mark a material received / record a material handed in.
    Received,
    /// The single-ID commitment letter is signed.
    Commitment,
    /// An agent applies for the customer.
    Agent,
    /// Start an acceptance for the customer on screen.
    Accept,
    /// The customer's open applications.
    Applications,
    /// Hand an application to a colleague.
    HandOver,
    /// Print (or reprint) the slips.
    Print,
    /// Reprint the slips given at acceptance.
    Reprint,
    /// Preview a slip as text.
    Preview,
    /// The cashier screen.
    Cashier,
    /// Add the tender typed and take another (split tender).
    Split,
    /// Reverse a payment.
    Reverse,
    /// Close the shift.
    CloseShift,
    /// Pay, keeping the excess on the account as prepaid electricity.
    Prepay,
    /// The day report across clerks.
    DayReport,
    /// Cheques waiting for their funds.
    Cheques,
    /// A duty manager's refund after the close.
    Refund,
    /// The previous day.
    Left,
    /// The next day.
    Right,
}

/// A key with modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Required modifiers.
    pub mods: KeyModifiers,
}

const fn k(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// One binding.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Keys that trigger it.
    pub keys: &'static [Key],
    /// The command.
    pub cmd: Cmd,
    /// Catalogue key of its description.
    pub desc: &'static str,
    /// Shown in the bottom bar (everything shows in help).
    pub bar: bool,
}

const fn b(keys: &'static [Key], cmd: Cmd, desc: &'static str, bar: bool) -> Binding {
    Binding {
        keys,
        cmd,
        desc,
        bar,
    }
}

/// The number keys 1–9, for choosing a numbered item.
const DIGITS: &[Key] = &[
    k(KeyCode::Char('1')),
    k(KeyCode::Char('2')),
    k(KeyCode::Char('3')),
    k(KeyCode::Char('4')),
    k(KeyCode::Char('5')),
    k(KeyCode::Char('6')),
    k(KeyCode::Char('7')),
    k(KeyCode::Char('8')),
    k(KeyCode::Char('9')),
];

/// Keys that work everywhere.
pub const GLOBAL: &[Binding] = &[
    b(
        &[k(KeyCode::F(1)), k(KeyCode::Char('?'))],
        Cmd::Help,
        "key.help",
        true,
    ),
    b(
        &[k(KeyCode::F(11))],
        Cmd::SwitchClerk,
        "key.switch_clerk",
        false,
    ),
    b(&[k(KeyCode::F(12))], Cmd::SignOut, "key.sign_out", true),
    b(&[ctrl('q'), ctrl('c')], Cmd::Quit, "key.quit", false),
];

/// The sign-in screen.
pub const SIGN_IN: &[Binding] = &[
    b(&[k(KeyCode::Enter)], Cmd::Enter, "key.sign_in_enter", true),
    b(
        &[k(KeyCode::Tab), k(KeyCode::Down)],
        Cmd::Next,
        "key.next_field",
        true,
    ),
    b(
        &[k(KeyCode::BackTab), k(KeyCode::Up)],
        Cmd::Prev,
        "key.prev_field",
        false,
    ),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.clear_fields", false),
];

/// The customers screen while an ID is typed or a customer is shown.
pub const LOOKUP: &[Binding] = &[
    b(&[k(KeyCode::Enter)], Cmd::Enter, "key.lookup", true),
    b(&[k(KeyCode::F(3))], Cmd::Accept, "key.accept", true),
    b(
        &[k(KeyCode::F(4))],
        Cmd::Applications,
        "key.applications",
        true,
    ),
    b(&[k(KeyCode::F(6))], Cmd::Cashier, "key.cashier", true),
    b(&[k(KeyCode::F(8))], Cmd::SignOff, "key.signoff", true),
    b(&[k(KeyCode::F(5))], Cmd::Flags, "key.flags", true),
    b(&[k(KeyCode::F(2))], Cmd::Clear, "key.new_lookup", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back", true),
];

/// The customers screen while registering.
pub const REGISTER: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Cmd::Enter,
        "key.next_or_register",
        true,
    ),
    b(
        &[k(KeyCode::Tab), k(KeyCode::Down)],
        Cmd::Next,
        "key.next_field",
        true,
    ),
    b(
        &[k(KeyCode::BackTab), k(KeyCode::Up)],
        Cmd::Prev,
        "key.prev_field",
        true,
    ),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back_keep", true),
];

/// The duty manager sign-off popup.
pub const SIGNOFF: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Cmd::Enter,
        "key.next_or_confirm",
        true,
    ),
    b(
        &[k(KeyCode::Tab), k(KeyCode::Down)],
        Cmd::Next,
        "key.next_field",
        true,
    ),
    b(
        &[k(KeyCode::BackTab), k(KeyCode::Up)],
        Cmd::Prev,
        "key.prev_field",
        false,
    ),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.cancel", true),
];

/// The customer-flags popup.
pub const FLAGS: &[Binding] = &[
    b(DIGITS, Cmd::Toggle, "key.toggle_flag", true),
    b(
        &[k(KeyCode::Esc), k(KeyCode::Enter)],
        Cmd::Back,
        "key.close",
        true,
    ),
];

/// Acceptance: choosing the business type.
pub const MENU: &[Binding] = &[
    b(&[k(KeyCode::Enter)], Cmd::Enter, "key.choose", true),
    b(&[k(KeyCode::Up)], Cmd::Up, "key.move_up", false),
    b(&[k(KeyCode::Down)], Cmd::Down, "key.move_down", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back_to_customer", true),
];

/// Acceptance: a same-type application is open; a reason is needed.
pub const DUPLICATE: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Cmd::Enter,
        "key.continue_with_reason",
        true,
    ),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back", true),
];

/// Acceptance: the application's fields.
pub const FIELDS: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Cmd::Enter,
        "key.next_or_disclose",
        true,
    ),
    b(&[k(KeyCode::F(10))], Cmd::Submit, "key.to_disclosure", true),
    b(
        &[k(KeyCode::Tab), k(KeyCode::Down)],
        Cmd::Next,
        "key.next_field",
        false,
    ),
    b(
        &[k(KeyCode::BackTab), k(KeyCode::Up)],
        Cmd::Prev,
        "key.prev_field",
        false,
    ),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back_keep", true),
];

/// Acceptance: the one-time disclosure checklist.
pub const CHECKLIST: &[Binding] = &[
    b(&[k(KeyCode::Char(' '))], Cmd::Toggle, "key.tick", true),
    b(&[k(KeyCode::Up)], Cmd::Up, "key.move_up", false),
    b(&[k(KeyCode::Down)], Cmd::Down, "key.move_down", false),
    b(
        &[k(KeyCode::Char('r'))],
        Cmd::Received,
        "key.received",
        true,
    ),
    b(
        &[k(KeyCode::Char('c'))],
        Cmd::Commitment,
        "key.commitment",
        true,
    ),
    b(&[k(KeyCode::Char('a'))], Cmd::Agent, "key.agent", true),
    b(&[k(KeyCode::F(10))], Cmd::Submit, "key.accept_now", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back_keep", true),
];

/// Acceptance: done.
pub const DONE: &[Binding] = &[
    b(&[k(KeyCode::Char('p'))], Cmd::Print, "key.print", true),
    b(&[k(KeyCode::Char('v'))], Cmd::Preview, "key.preview", true),
    b(
        &[k(KeyCode::Enter), k(KeyCode::Esc)],
        Cmd::Back,
        "key.back_to_customer",
        true,
    ),
];

/// A customer's open applications.
pub const APPLICATIONS: &[Binding] = &[
    b(&[k(KeyCode::Up)], Cmd::Up, "key.move_up", false),
    b(&[k(KeyCode::Down)], Cmd::Down, "key.move_down", false),
    b(
        &[k(KeyCode::Char('r'))],
        Cmd::Received,
        "key.record_material",
        true,
    ),
    b(
        &[k(KeyCode::Char('h'))],
        Cmd::HandOver,
        "key.hand_over",
        true,
    ),
    b(
        &[k(KeyCode::Char('p'))],
        Cmd::Print,
        "key.progress_slip",
        true,
    ),
    b(&[k(KeyCode::Char('b'))], Cmd::Reprint, "key.reprint", true),
    b(&[k(KeyCode::Char('v'))], Cmd::Preview, "key.preview", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back_to_customer", true),
];

/// Recording a material handed in later.
pub const RECEIVE: &[Binding] = &[
    b(DIGITS, Cmd::Toggle, "key.material_number", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back", true),
];

/// Handing an application over.
pub const HAND_OVER: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Cmd::Enter,
        "key.next_or_confirm",
        true,
    ),
    b(&[k(KeyCode::Tab)], Cmd::Next, "key.next_field", false),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.cancel", true),
];

/// Cashier: no shift open yet (a duty manager may only want a refund or
/// the day report).
pub const CASHIER_OPEN: &[Binding] = &[
    b(&[k(KeyCode::Enter)], Cmd::Enter, "key.open_shift", true),
    b(&[k(KeyCode::F(2))], Cmd::DayReport, "key.day_report", true),
    b(&[k(KeyCode::F(4))], Cmd::Cheques, "key.cheques", true),
    b(&[k(KeyCode::F(5))], Cmd::Refund, "key.refund", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back", true),
];

/// Cashier: taking a payment.
pub const CASHIER: &[Binding] = &[
    b(&[k(KeyCode::Enter)], Cmd::Enter, "key.next_or_pay", true),
    b(
        &[k(KeyCode::Tab), k(KeyCode::Down)],
        Cmd::Next,
        "key.next_field",
        false,
    ),
    b(
        &[k(KeyCode::BackTab), k(KeyCode::Up)],
        Cmd::Prev,
        "key.prev_field",
        false,
    ),
    b(&[k(KeyCode::F(7))], Cmd::Split, "key.split", true),
    b(&[k(KeyCode::F(3))], Cmd::Prepay, "key.prepay", false),
    b(&[k(KeyCode::F(8))], Cmd::Reverse, "key.reverse", true),
    b(
        &[k(KeyCode::F(9))],
        Cmd::CloseShift,
        "key.close_shift",
        true,
    ),
    b(&[k(KeyCode::F(2))], Cmd::DayReport, "key.day_report", false),
    b(&[k(KeyCode::F(4))], Cmd::Cheques, "key.cheques", false),
    b(&[k(KeyCode::F(5))], Cmd::Refund, "key.refund", false),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back", true),
];

/// Cashier: paid, or the shift closed.
pub const CASHIER_PAID: &[Binding] = &[
    b(
        &[k(KeyCode::Char('p'))],
        Cmd::Print,
        "key.print_receipt",
        true,
    ),
    b(&[k(KeyCode::Enter)], Cmd::Enter, "key.next_payment", true),
    b(&[k(KeyCode::F(8))], Cmd::Reverse, "key.reverse", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back", true),
];

/// Cashier: the shift is closed.
pub const CASHIER_CLOSED: &[Binding] = &[
    b(
        &[k(KeyCode::Char('p'))],
        Cmd::Print,
        "key.print_settlement",
        true,
    ),
    b(&[k(KeyCode::F(2))], Cmd::DayReport, "key.day_report", true),
    b(&[k(KeyCode::F(4))], Cmd::Cheques, "key.cheques", true),
    b(&[k(KeyCode::F(5))], Cmd::Refund, "key.refund", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back", true),
];

/// Cashier: a reversal, refund or cheque confirmation done; its slip prints with P.
pub const CASHIER_DONE: &[Binding] = &[
    b(&[k(KeyCode::Char('p'))], Cmd::Print, "key.print", true),
    b(
        &[k(KeyCode::Enter), k(KeyCode::Esc)],
        Cmd::Back,
        "key.continue",
        true,
    ),
];

/// Cashier: cheques waiting for their funds.
pub const CASHIER_CHEQUES: &[Binding] = &[
    b(&[k(KeyCode::Up)], Cmd::Up, "key.move_up", true),
    b(&[k(KeyCode::Down)], Cmd::Down, "key.move_down", true),
    b(&[k(KeyCode::Enter)], Cmd::Enter, "key.confirm_funds", true),
    b(&[k(KeyCode::F(8))], Cmd::Reverse, "key.dishonour", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back", true),
];

/// Cashier: the day report.
pub const CASHIER_REPORT: &[Binding] = &[
    b(&[k(KeyCode::Left)], Cmd::Left, "key.previous_day", true),
    b(&[k(KeyCode::Right)], Cmd::Right, "key.next_day", true),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.back", true),
];

/// Cashier: reversal, counting, the duty manager's note.
pub const CASHIER_FORM: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Cmd::Enter,
        "key.next_or_confirm",
        true,
    ),
    b(
        &[k(KeyCode::Tab), k(KeyCode::Down)],
        Cmd::Next,
        "key.next_field",
        false,
    ),
    b(
        &[k(KeyCode::BackTab), k(KeyCode::Up)],
        Cmd::Prev,
        "key.prev_field",
        false,
    ),
    b(&[k(KeyCode::Esc)], Cmd::Back, "key.cancel", true),
];

/// The help overlay.
pub const HELP: &[Binding] = &[
    b(
        &[k(KeyCode::Esc), k(KeyCode::F(1)), k(KeyCode::Char('?'))],
        Cmd::Back,
        "key.close",
        true,
    ),
    b(&[k(KeyCode::Up)], Cmd::Up, "key.scroll_up", false),
    b(&[k(KeyCode::Down)], Cmd::Down, "key.scroll_down", false),
];

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    match (key.code, ev.code) {
        // Shift is part of the character itself ('?' needs it on most layouts).
        (KeyCode::Char(a), KeyCode::Char(b)) => a.eq_ignore_ascii_case(&b) && mods == key.mods,
        (KeyCode::BackTab, KeyCode::BackTab) => true,
        (a, b) => a == b && ev.modifiers == key.mods,
    }
}

/// The first binding in `table` that `ev` triggers and `active` allows.
pub fn lookup(table: &[Binding], ev: &KeyEvent, active: impl Fn(Cmd) -> bool) -> Option<Cmd> {
    table
        .iter()
        .find(|bd| bd.keys.iter().any(|key| matches(key, ev)) && active(bd.cmd))
        .map(|bd| bd.cmd)
}

/// How a key is written for people: "F1", "Ctrl+Q", "1–9".
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
pub fn binding_label(bd: &Binding) -> String {
    let digits = bd.keys.len() > 2
        && bd
            .keys
            .iter()
            .all(|k| matches!(k.code, KeyCode::Char(c) if c.is_ascii_digit()));
    if digits {
        let first = bd.keys.first().map(key_label).unwrap_or_default();
        let last = bd.keys.last().map(key_label).unwrap_or_default();
        return format!("{first}–{last}");
    }
    bd.keys
        .iter()
        .map(key_label)
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The shortest label, for the bottom bar.
pub fn bar_label(bd: &Binding) -> String {
    if bd.keys.len() > 2 {
        return binding_label(bd);
    }
    bd.keys.first().map(key_label).unwrap_or_default()
}
