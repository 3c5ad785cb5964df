//! The workstation's operations: the one API that the screens, the command
//! line, the tests and the practice lab all call. Each write is one store
//! transaction carrying its audit and outbox entries.

pub mod acceptance;
pub mod admin;
pub mod auth;
pub mod bills;
pub mod cheques;
pub mod customers;
pub mod demo;
pub mod fees;
pub mod money;
pub mod money_slips;
pub mod password;
pub mod refunds;
pub mod report;
pub mod slips;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::calendar::Calendar;
use crate::domain::clerk::{LockoutPolicy, Role};
use crate::domain::form::Form;
use crate::domain::msg::Msg;
use crate::store::{Store, StoreError};

/// A refusal or failure, as a message for the person at the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskError(pub Msg);

impl DeskError {
    /// The catalogue key, for callers that branch on the kind of refusal.
    pub fn key(&self) -> &'static str {
        self.0.key
    }
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> Self {
        tracing::warn!("store: {e}");
        DeskError(e.msg())
    }
}

impl From<Msg> for DeskError {
    fn from(m: Msg) -> Self {
        DeskError(m)
    }
}

/// The signed-in clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Clerk row id.
    pub clerk_id: i64,
    /// Staff number.
    pub staff_no: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
}

/// A duty manager who signed something off on the spot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authoriser {
    /// Clerk row id.
    pub clerk_id: i64,
    /// Staff number.
    pub staff_no: String,
    /// Name.
    pub name: String,
}

/// The workstation: database, configuration and forms.
pub struct Desk {
    store: Store,
    config: Config,
    forms: Vec<Form>,
    calendar: Calendar,
    training: bool,
}

impl Desk {
    /// Wraps an open store; seeds the demo clerks into an empty database when configured.
    pub fn new(
        store: Store,
        config: Config,
        forms: Vec<Form>,
        calendar: Calendar,
    ) -> Result<Desk, DeskError> {
        let mut desk = Desk {
            store,
            config,
            forms,
            calendar,
            training: false,
        };
        if desk.config.seed_demo_clerks {
            admin::seed_demo_clerks(&mut desk)?;
        }
        Ok(desk)
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

    /// The clock.
    pub fn clock(&self) -> &Clock {
        self.store.clock()
    }

    /// The store, for the verification and reporting commands.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn lockout(&self) -> LockoutPolicy {
        LockoutPolicy {
            max_failures: self.config.security.max_failed_sign_ins,
            lock_minutes: self.config.security.lockout_minutes,
        }
    }
}
