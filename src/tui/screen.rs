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
use crate::tui::acceptance::Acceptance;
use crate::tui::applications::Applications;
use crate::tui::cashier::Cashier;
use crate::tui::customers::Customers;
use crate::tui::keymap::Keys;
use crate::tui::queue::Queue;
use crate::tui::signin::SignIn;
use crate::tui::unprinted::UnprintedSlips;
use crate::tui::upload::Upload;

/// What became of a key.
pub enum Flow {
    /// The screen took it.
    Used,
    /// The screen has no use for it: the app tries the keys that work everywhere.
    Unused,
    /// The screen took it and asks the app to go somewhere.
    Go(Nav),
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
pub trait View {
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
}

/// The screens, each a module of its own. A new screen is a variant here
/// and an implementation of [`View`].
pub enum Screen {
    /// Nobody signed in.
    SignIn(Box<SignIn>),
    /// Customer look-up and registration.
    Customers(Box<Customers>),
    /// Accepting an application.
    Acceptance(Box<Acceptance>),
    /// A customer's open applications.
    Applications(Box<Applications>),
    /// Taking money.
    Cashier(Box<Cashier>),
    /// Records on their way to HQ.
    Upload(Box<Upload>),
    /// Open cases by urgency.
    Queue(Box<Queue>),
    /// Records booked whose slips never printed.
    Unprinted(Box<UnprintedSlips>),
}

impl Screen {
    /// The screen as a view.
    pub fn view(&self) -> &dyn View {
        match self {
            Screen::SignIn(s) => s.as_ref(),
            Screen::Customers(s) => s.as_ref(),
            Screen::Acceptance(s) => s.as_ref(),
            Screen::Applications(s) => s.as_ref(),
            Screen::Cashier(s) => s.as_ref(),
            Screen::Upload(s) => s.as_ref(),
            Screen::Queue(s) => s.as_ref(),
            Screen::Unprinted(s) => s.as_ref(),
        }
    }

    /// The screen as a view, to change it.
    pub fn view_mut(&mut self) -> &mut dyn View {
        match self {
            Screen::SignIn(s) => s.as_mut(),
            Screen::Customers(s) => s.as_mut(),
            Screen::Acceptance(s) => s.as_mut(),
            Screen::Applications(s) => s.as_mut(),
            Screen::Cashier(s) => s.as_mut(),
            Screen::Upload(s) => s.as_mut(),
            Screen::Queue(s) => s.as_mut(),
            Screen::Unprinted(s) => s.as_mut(),
        }
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
