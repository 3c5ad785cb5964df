//! The workstation's operations: the one API that the screens, the command
//! line, the tests and the practice lab all call. Each write is one store
//! transaction carrying its audit and outbox entries.

pub mod acceptance;
pub mod admin;
pub mod auth;
pub mod backup;
mod backup_worker;
pub use backup_worker::BackupStatus;
pub mod bills;
pub mod calling;
pub mod cases;
pub mod cheques;
pub mod consultations;
pub mod customers;
pub mod demo;
pub mod doctor;
pub mod draft;
pub mod fees;
pub mod managers;
pub mod material_file;
pub mod money;
pub mod money_slips;
pub mod password;
pub mod practice;
pub mod ratings;
pub mod read;
pub mod reader;
pub mod reconnect;
pub mod recovery;
pub mod refunds;
pub mod report;
pub mod reversal;
pub mod scans;
pub mod setup;
pub mod slips;
mod steps;
pub mod unprinted;
pub mod upload;
pub mod verify;
pub mod window;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::calendar::Calendar;
use crate::domain::clerk::{LockoutPolicy, Role};
use crate::domain::form::Form;
use crate::domain::msg::{Input, Msg, Notice};
use crate::store::{Store, StoreError};

/// A refusal or failure, as a message for the person at the keyboard, and
/// the input it is about when there is one (the screen puts the cursor there).
/// Shown as text it is the English message: what a log or a test reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::i18n::for_log(msg))]
pub struct DeskError {
    msg: Msg,
    input: Option<Input>,
}

impl DeskError {
    /// A refusal about nothing in particular.
    pub fn new(msg: Msg) -> DeskError {
        DeskError { msg, input: None }
    }

    /// A refusal about one input.
    pub fn at(msg: Msg, input: Input) -> DeskError {
        DeskError {
            msg,
            input: Some(input),
        }
    }

    /// The same refusal, about `input` unless it already names one.
    pub fn on(mut self, input: Input) -> DeskError {
        self.input.get_or_insert(input);
        self
    }

    /// The catalogue key, for callers that branch on the kind of refusal.
    pub fn key(&self) -> &'static str {
        self.msg.key
    }

    /// What the person at the keyboard is told.
    pub fn msg(&self) -> &Msg {
        &self.msg
    }

    /// The message alone, for callers that pass it on.
    pub fn into_msg(self) -> Msg {
        self.msg
    }

    /// The input the refusal is about.
    pub fn input(&self) -> Option<Input> {
        self.input
    }

    /// The refusal as a notice for a screen.
    pub fn notice(&self) -> Notice {
        let n = Notice::refusal(self.msg.clone());
        match self.input {
            Some(i) => n.at(i),
            None => n,
        }
    }
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> Self {
        tracing::warn!("store: {e}");
        DeskError::new(e.msg())
    }
}

impl From<Msg> for DeskError {
    fn from(m: Msg) -> Self {
        DeskError::new(m)
    }
}

/// The signed-in clerk. Only the desk makes one, at sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    clerk_id: i64,
    staff_no: String,
    name: String,
    role: Role,
}

impl Session {
    pub fn clerk_id(&self) -> i64 {
        self.clerk_id
    }

    pub fn staff_no(&self) -> &str {
        &self.staff_no
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn role(&self) -> Role {
        self.role
    }
}

/// A duty manager who signed something off on the spot. Only the desk
/// makes one, after checking their own staff number and password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authoriser {
    clerk_id: i64,
    staff_no: String,
    name: String,
}

impl Authoriser {
    pub fn staff_no(&self) -> &str {
        &self.staff_no
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A duty manager's staff number and password, typed on the spot for an
/// act they authorise; the desk operation checks them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    pub staff_no: String,
    pub password: String,
}

impl Credentials {
    /// Credentials as typed.
    pub fn new(staff_no: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            staff_no: staff_no.into(),
            password: password.into(),
        }
    }
}

/// The workstation: database, configuration and forms.
pub struct Desk {
    store: Store,
    config: Config,
    forms: Vec<Form>,
    calendar: Calendar,
    training: bool,
    /// Faults a practice run injects.
    practice: practice::Practice,
    /// The slip font, parsed once (in the background at start-up).
    font: Option<crate::slips::font::FontLoader>,
    /// The background uploader and downloader, once started.
    sync: Option<crate::sync::worker::Worker>,
    /// The service at the window and the customer display.
    window: window::Window,
    /// Calling tickets from the hall's queue.
    calling: calling::Calling,
    /// The hall's own service grid table, for when HQ has sent none.
    grids: Vec<crate::domain::grid::Grid>,
    /// The ID card reader, once started.
    reader: Option<crate::reader::Reader>,
    /// The backups taken while the workstation runs, once started.
    backups: Option<backup_worker::BackupWorker>,
}

impl Desk {
    /// Wraps an open store; seeds the demo clerks into an empty database when configured.
    pub fn new(
        store: Store,
        config: Config,
        forms: Vec<Form>,
        calendar: Calendar,
    ) -> Result<Desk, DeskError> {
        let mut desk = Desk::reading(store, config, forms, calendar)?;
        let wanted = desk.config.hq.counter_id.trim().to_string();
        if !wanted.is_empty()
            && !crate::store::outbox::adopt_counter_id(desk.store.conn(), &wanted)?
        {
            let current = crate::store::outbox::identity(desk.store.conn())?.counter;
            return Err(DeskError::new(crate::msg!(
                "upload.counter_id_fixed",
                wanted = wanted,
                current = current
            )));
        }
        if desk.config.seed_demo_clerks {
            admin::seed_demo_clerks(&mut desk)?;
        }
        Ok(desk)
    }

    /// A desk that only reads (reports beside a working workstation): no
    /// demo clerks are seeded into the file.
    pub fn reading(
        store: Store,
        config: Config,
        forms: Vec<Form>,
        calendar: Calendar,
    ) -> Result<Desk, DeskError> {
        Ok(Desk {
            store,
            config,
            forms,
            calendar,
            training: false,
            practice: practice::Practice::default(),
            font: None,
            sync: None,
            window: window::Window::default(),
            calling: calling::Calling::default(),
            grids: Vec::new(),
            reader: None,
            backups: None,
        })
    }

    /// The hall's own service grid table (from its file).
    pub fn with_grids(mut self, grids: Vec<crate::domain::grid::Grid>) -> Desk {
        self.grids = grids;
        self
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The loaded business forms.
    pub fn forms(&self) -> &[Form] {
        &self.forms
    }

    /// The working-day calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn clock(&self) -> &Clock {
        self.store.clock()
    }

    /// The database file.
    pub fn database_path(&self) -> &std::path::Path {
        self.store.path()
    }

    fn lockout(&self) -> LockoutPolicy {
        LockoutPolicy {
            max_failures: self.config.security.max_failed_sign_ins,
            lock_minutes: self.config.security.lockout_minutes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DeskError;
    use crate::domain::msg::Input;
    use crate::msg;

    #[test]
    fn a_refusal_is_an_error_that_reads_as_its_english_message() {
        let e = DeskError::at(msg!("cashier.account_needed"), Input::Account);
        let as_error: &dyn std::error::Error = &e;
        assert_eq!(as_error.to_string(), crate::i18n::for_log(e.msg()));
        assert!(!e.to_string().contains("cashier."), "{e}");
        assert_eq!(e.input(), Some(Input::Account));
        assert_eq!(e.clone().into_msg().key, "cashier.account_needed");
    }
}
