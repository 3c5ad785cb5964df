//! Bringing the workstation up: configuration, forms, database, log file.
//! Every failure here becomes one message naming the file and what to do.

use std::path::{Path, PathBuf};

use crate::clock::Clock;
use crate::config::Config;
use crate::desk::Desk;
use crate::domain::calendar::Calendar;
use crate::domain::form::Form;
use crate::domain::msg::{Lang, Msg};
use crate::domain::problem::Problem;
use crate::store::Store;
use crate::{i18n, msg};

use super::{calendar, forms};

/// Why the workstation cannot start.
#[derive(Debug)]
pub enum StartError {
    /// One message.
    One(Msg),
    /// The forms report: every problem, one per line.
    Forms(Vec<Problem>),
    /// The holiday tables report.
    Calendar(Vec<Problem>),
}

impl StartError {
    /// The text for people.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            StartError::One(m) => i18n::text(m, lang),
            StartError::Forms(problems) | StartError::Calendar(problems) => {
                let head = match self {
                    StartError::Calendar(_) => msg!("forms.calendar_refused", n = problems.len()),
                    _ => msg!("forms.refused", n = problems.len()),
                };
                crate::i18n::problems(&head, problems, lang)
            }
        }
    }
}

/// The forms from the configured folder, or the built-in ones.
pub fn load_forms(config: &Config) -> Result<Vec<Form>, Vec<Problem>> {
    match config.forms_path() {
        Some(dir) => forms::load_dir(&dir),
        None => forms::load_embedded(crate::embedded::FORMS),
    }
}

/// The working-day calendar from `<forms>/calendar/`, or the built-in one.
pub fn load_calendar(config: &Config) -> Result<Calendar, Vec<Problem>> {
    match config.forms_path() {
        Some(dir) => calendar::load_dir(&dir.join("calendar")),
        None => calendar::load_embedded(crate::embedded::CALENDAR),
    }
}

/// Opens forms, calendar, database and desk for the workstation or a command.
pub fn open_desk(config: &Config, clock: Clock) -> Result<Desk, StartError> {
    let forms = load_forms(config).map_err(StartError::Forms)?;
    let calendar = load_calendar(config).map_err(StartError::Calendar)?;
    let db = database_path(config)?;
    let store = Store::open(&db, clock).map_err(|e| StartError::One(e.msg()))?;
    Desk::new(store, config.clone(), forms, calendar).map_err(|e| StartError::One(e.0))
}

/// The desk on an existing database without the workstation lock, for
/// commands that only read (the day report) and so may run beside a
/// working workstation. A missing database is reported, not created empty.
pub fn open_desk_for_reading(config: &Config) -> Result<Desk, StartError> {
    let forms = load_forms(config).map_err(StartError::Forms)?;
    let calendar = load_calendar(config).map_err(StartError::Calendar)?;
    let db = database_path(config)?;
    if !db.exists() {
        return Err(StartError::One(msg!(
            "report.no_database",
            path = db.display()
        )));
    }
    let store = Store::open_unlocked(&db, Clock::system()).map_err(|e| StartError::One(e.msg()))?;
    Desk::reading(store, config.clone(), forms, calendar).map_err(|e| StartError::One(e.0))
}

/// The database file from configuration.
pub fn database_path(config: &Config) -> Result<PathBuf, StartError> {
    config.database_path().map_err(StartError::One)
}

/// Sends logs to a file; they never reach the screen. Returns a message
/// when the file cannot be opened (the workstation runs on without logs).
pub fn init_logging(path: &Path) -> Option<Msg> {
    let file = match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) => return Some(msg!("log.unavailable", path = path.display(), detail = e)),
    };
    let filter = std::env::var("COUNTERDESK_LOG_LEVEL").unwrap_or_else(|_| "info".into());
    let level = filter.parse().unwrap_or(tracing::Level::INFO);
    let result = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .try_init();
    result
        .err()
        .map(|e| msg!("log.unavailable", path = path.display(), detail = e))
}
