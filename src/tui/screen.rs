//! What every screen is to the app: it takes keys and pasted text, runs
//! its own commands against the desk (one desk call per action), draws
//! from its state, and names the keys that work in it right now. The app
//! only routes keys, navigates and draws the frame around the screen.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::config::Config;
use crate::desk::{Desk, Session};
use crate::domain::form::Form;
use crate::domain::msg::{Lang, Notice};
use crate::tui::keymap::Keys;

/// What became of a key.
pub enum Flow {
    /// The screen took it.
    Used,
    /// The screen has no use for it: the app tries the keys that work everywhere.
    Unused,
    /// The screen took it and asks the app to go somewhere.
    Go(Nav),
}

/// What a key did inside a screen, before anything runs: a screen's parts
/// say it this way and the screen turns it into a [`Flow`].
pub enum KeyOutcome<C> {
    /// Nothing here has a use for it.
    Ignored,
    /// Taken in place (a character into a field, a cursor moved).
    Handled,
    /// Taken, and the screen should run this command.
    Run(C),
}

impl<C> KeyOutcome<C> {
    /// A keymap's answer: `None` when no binding took the key, else what
    /// `act` made of the binding's command.
    pub fn of<K>(bound: Option<K>, act: impl FnOnce(K) -> Option<C>) -> Self {
        match bound {
            None => KeyOutcome::Ignored,
            Some(k) => act(k).map_or(KeyOutcome::Handled, KeyOutcome::Run),
        }
    }

    /// A key offered to a field: handled when the field took it.
    pub fn typed(took: bool) -> Self {
        if took {
            KeyOutcome::Handled
        } else {
            KeyOutcome::Ignored
        }
    }

    /// The app's view of it, running a command with `run`.
    pub fn flow(self, run: impl FnOnce(C) -> Flow) -> Flow {
        match self {
            KeyOutcome::Ignored => Flow::Unused,
            KeyOutcome::Handled => Flow::Used,
            KeyOutcome::Run(c) => run(c),
        }
    }
}

/// Where a screen asks the app to go.
pub enum Nav {
    /// A clerk signed in: their customers screen, with a welcome.
    SignedIn(Session, Notice),
    /// Open a screen on top of this one (this one waits below).
    Open(Screen),
    /// Open a screen, and another above it that must be seen first (the
    /// cashier, with the receipts that never printed on top).
    OpenBoth(Screen, Screen),
    /// Leave this screen for the one below, which takes up again.
    Back,
}

/// One screen of the workstation.
pub trait View: std::any::Any {
    /// Handles a key the app passed on, running the screen's own commands.
    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow;

    /// Pasted or scanned text, into the focused field.
    fn on_paste(&mut self, text: &str, desk: &mut Desk);

    /// Draws the screen from its state only: no desk, no IO, no clock.
    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx);

    /// The keys in force now, for the bottom bar and the help overlay.
    fn keys(&self) -> Keys;

    /// Catalogue key of the screen's name in the help overlay.
    fn help_title(&self) -> &'static str;

    /// The screen is on top again after the one above it left: read again
    /// what may have changed meanwhile.
    fn resume(&mut self, _desk: &mut Desk) {}

    /// The refusal the screen shows now, if any (the practice lab records
    /// the refusals a trainee met).
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        None
    }

    /// What the customer may see of this screen on the customer display,
    /// in the customer's language when known; `None` leaves it to the
    /// screen below (a screen of the clerk's own shows nothing of itself).
    fn facing(&self) -> Option<(crate::domain::facing::Moment, Option<Lang>)> {
        None
    }

    /// Time passed (a tick of the event loop): a screen that watches
    /// something outside (the scanner's folder) looks again; true when
    /// what it shows changed.
    fn on_tick(&mut self, _desk: &mut Desk) -> bool {
        false
    }

    /// What the ID card reader reported; true when the screen took it (the
    /// customer look-up does, as if the number had been typed).
    fn on_card(&mut self, _event: crate::reader::ReaderEvent, _desk: &mut Desk) -> bool {
        false
    }
}

/// The screen on top (or waiting below): any [`View`]. Shared code names
/// no screen; a screen is made where it is opened, and the few places that
/// must know which one is up (the lab's panel, tests) ask by its type.
pub struct Screen(Box<dyn View>);

impl Screen {
    /// A screen of `view`.
    pub fn new(view: impl View) -> Screen {
        Screen(Box::new(view))
    }

    /// The screen as a view.
    pub fn view(&self) -> &dyn View {
        self.0.as_ref()
    }

    /// The screen as a view, to change it.
    pub fn view_mut(&mut self) -> &mut dyn View {
        self.0.as_mut()
    }

    /// The screen as the one it is, if it is a `T`.
    pub fn get<T: View>(&self) -> Option<&T> {
        let any: &dyn std::any::Any = self.0.as_ref();
        any.downcast_ref()
    }

    /// Whether the screen is a `T`.
    pub fn is<T: View>(&self) -> bool {
        self.get::<T>().is_some()
    }
}

/// What drawing may read besides the screen's own state.
pub struct Ctx<'a> {
    /// Interface language.
    pub lang: Lang,
    /// Configuration.
    pub config: &'a Config,
    /// Loaded forms, for business-type names.
    pub forms: &'a [Form],
    /// Now, for the header clock.
    pub now: DateTime<Utc>,
    /// The link to HQ, when the uploader runs.
    pub link: Option<crate::sync::worker::LinkStatus>,
    /// The desk works on a practice sandbox: the header says so.
    pub practice: bool,
    /// The service at the window: handling time, and whether the
    /// customer's rating is awaited (never its level).
    pub service: crate::desk::window::ServiceLine,
    /// The last good backup, when the backup thread runs.
    pub backup: Option<crate::desk::BackupStatus>,
}

impl Ctx<'_> {
    /// The business type's name in the clerk's language, or its code.
    pub fn form_name(&self, code: &str) -> String {
        self.forms
            .iter()
            .find(|f| f.code() == code)
            .map(|f| f.name.get(self.lang).to_string())
            .unwrap_or_else(|| code.to_string())
    }
}
