//! The calling screen's keys.

use crate::tui::keymap::{b, ch, f, Binding, DOWN, ENTER, ESC, UP};

/// The queue list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKey {
    Up,
    Down,
    /// Call the next ticket.
    Next,
    /// Call the ticket in service again.
    Recall,
    /// Put it on hold.
    Hold,
    /// It never came.
    NoShow,
    /// Done.
    Finish,
    /// Send it to another group or window.
    Transfer,
    /// Call the chosen ticket (out of order, or back from hold).
    CallChosen,
    /// The hall's figures today (duty managers).
    Figures,
    /// Read the queue again.
    Reload,
    Leave,
}

pub const LIST: &[Binding<ListKey>] = &[
    b(&[UP], ListKey::Up, "key.move_up"),
    b(&[DOWN], ListKey::Down, "key.move_down"),
    b(&[ch('n')], ListKey::Next, "key.call_next"),
    b(&[ch('r')], ListKey::Recall, "key.recall"),
    b(&[ch('h')], ListKey::Hold, "key.hold"),
    b(&[ch('x')], ListKey::NoShow, "key.no_show"),
    b(&[ch('f')], ListKey::Finish, "key.finish_ticket"),
    b(&[ch('t')], ListKey::Transfer, "key.transfer_ticket"),
    b(&[ENTER], ListKey::CallChosen, "key.call_chosen"),
    b(&[ch('s')], ListKey::Figures, "key.queue_figures"),
    b(&[f(5)], ListKey::Reload, "key.reload"),
    b(&[ESC], ListKey::Leave, "key.back"),
];
