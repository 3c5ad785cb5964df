//! Which waiting ticket a window's "call next" takes.
//!
//! The green channel goes first; but after `green_run` green-channel calls
//! in a row at a window, one normal ticket waiting is called, so a steady
//! stream of priority customers never leaves the others waiting for ever
//! (`green_run = 0` keeps the green channel strictly first). Otherwise the
//! longest-waiting by the time it was issued: a transferred ticket keeps
//! its place. A ticket transferred to a named window waits for that
//! window only.

/// A waiting ticket as the choice needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// The ticket's row id.
    pub id: i64,
    /// Its group's code.
    pub group: String,
    /// In the green channel.
    pub green: bool,
    /// When it was first issued (RFC 3339 UTC sorts as time).
    pub issued_at: String,
    /// Transferred to this window only.
    pub for_window: Option<String>,
}

/// The window asking and what it has just done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller<'a> {
    /// The window's number.
    pub window: &'a str,
    /// The groups it serves.
    pub groups: &'a [String],
    /// Green-channel tickets it has called in a row, just before this call.
    pub green_in_a_row: u32,
}

/// The ticket to call, if any waits for this window.
pub fn next<'a>(waiting: &'a [Waiting], caller: &Caller, green_run: u32) -> Option<&'a Waiting> {
    let mine = |t: &&Waiting| match &t.for_window {
        Some(w) => w == caller.window,
        None => caller.groups.contains(&t.group),
    };
    let oldest = |green: bool| {
        waiting
            .iter()
            .filter(mine)
            .filter(|t| t.green == green)
            .min_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.id.cmp(&b.id)))
    };
    let green = oldest(true);
    let normal = oldest(false);
    match (green, normal) {
        (Some(g), Some(n)) => {
            if green_run > 0 && caller.green_in_a_row >= green_run {
                Some(n)
            } else {
                Some(g)
            }
        }
        (g, n) => g.or(n),
    }
}
