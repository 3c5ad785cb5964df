//! The applications screen's keys, per mode.

use crate::tui::keymap::{b, ch, Binding, DIGITS, DOWN, ENTER, ESC, TAB, UP};

/// Browsing the customer's open applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKey {
    /// The application above.
    Up,
    /// The application below.
    Down,
    /// Record an owed material handed in.
    Received,
    /// Attach the scanner's newest file to a material received.
    Scan,
    /// Hand the application to a colleague.
    HandOver,
    /// Record the current step done.
    StepDone,
    /// The customer asked for the current step: its clock starts.
    StartClock,
    /// Pause the case's clock, or resume it.
    PauseResume,
    /// End the case (withdrawn or refused).
    EndCase,
    /// Record the return visit.
    Visit,
    /// A progress slip.
    Progress,
    /// Reprint the acceptance slips.
    Reprint,
    /// Preview the slips.
    Preview,
    /// Back to the customer.
    Leave,
}

/// The list's keys.
pub const LIST: &[Binding<ListKey>] = &[
    b(&[UP], ListKey::Up, "key.move_up"),
    b(&[DOWN], ListKey::Down, "key.move_down"),
    b(&[ch('r')], ListKey::Received, "key.record_material"),
    b(&[ch('i')], ListKey::Scan, "key.scan"),
    b(&[ch('h')], ListKey::HandOver, "key.hand_over"),
    b(&[ch('d')], ListKey::StepDone, "key.step_done"),
    b(&[ch('s')], ListKey::StartClock, "key.start_clock"),
    b(&[ch('z')], ListKey::PauseResume, "key.pause_resume"),
    b(&[ch('e')], ListKey::EndCase, "key.end_case"),
    b(&[ch('f')], ListKey::Visit, "key.return_visit"),
    b(&[ch('p')], ListKey::Progress, "key.progress_slip"),
    b(&[ch('b')], ListKey::Reprint, "key.reprint"),
    b(&[ch('v')], ListKey::Preview, "key.preview"),
    b(&[ESC], ListKey::Leave, "key.back_to_customer"),
];

/// Choosing a material by its number: the owed one handed in, or the
/// received one a scan is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiveKey {
    Material,
    /// Back to the list.
    Back,
}

/// The keys while choosing a material.
pub const RECEIVE: &[Binding<ReceiveKey>] = &[
    b(DIGITS, ReceiveKey::Material, "key.material_number"),
    b(&[ESC], ReceiveKey::Back, "key.back"),
];

/// Typing the colleague and the reason for a hand-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandOverKey {
    /// Next field, or hand over from the last.
    Enter,
    Next,
    /// Back to the list.
    Cancel,
}

/// The hand-over keys.
pub const HAND_OVER: &[Binding<HandOverKey>] = &[
    b(&[ENTER], HandOverKey::Enter, "key.next_or_confirm"),
    b(&[TAB], HandOverKey::Next, "key.next_field"),
    b(&[ESC], HandOverKey::Cancel, "key.cancel"),
];
