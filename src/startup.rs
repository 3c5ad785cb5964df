//! Bringing the workstation up: configuration, forms, database, log file.
//! Every failure here becomes one message naming the file and what to do.

use std::path::{Path, PathBuf};

use crate::clock::Clock;
use crate::config::Config;
use crate::desk::Desk;
use crate::domain::calendar::Calendar;
use crate::domain::form::{Form, Problem};
use crate::domain::msg::{Lang, Msg};
use crate::store::Store;
use crate::{forms_dir, i18n, msg};

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
                let mut out = i18n::text(&head, lang);
                for p in problems {
                    out.push('\n');
                    out.push_str(&render_problem(p, lang));
                }
                out
            }
        }
    }
}

/// One forms problem as `file:line: text`.
pub fn render_problem(p: &Problem, lang: Lang) -> String {
    forms_dir::render_problem(p, |m| i18n::text(m, lang))
}

/// The forms from the configured folder, or the built-in ones.
pub fn load_forms(config: &Config) -> Result<Vec<Form>, Vec<Problem>> {
    match config.forms_path() {
        Some(dir) => forms_dir::load_dir(&dir),
        None => forms_dir::load_embedded(crate::embedded::FORMS),
    }
}

/// The working-day calendar from `<forms>/calendar/`, or the built-in one.
pub fn load_calendar(config: &Config) -> Result<Calendar, Vec<Problem>> {
    match config.forms_path() {
        Some(dir) => crate::calendar_dir::load_dir(&dir.join("calendar")),
        None => crate::calendar_dir::load_embedded(crate::embedded::CALENDAR),
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
