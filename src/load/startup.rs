//! Bringing the workstation up: configuration, forms, database, log file.
//! Every failure here becomes one message naming the file and what to do.

use std::path::{Path, PathBuf};

use crate::clock::Clock;
use crate::config::Config;
use crate::desk::{recovery, Desk};
use crate::domain::calendar::Calendar;
use crate::domain::form::Form;
use crate::domain::msg::{Lang, Msg};
use crate::domain::problem::Problem;
use crate::store::{Access, Store, StoreError};
use crate::{i18n, msg};

use super::{calendar, forms};

/// Why the workstation cannot start.
#[derive(Debug)]
pub enum StartError {
    /// One message.
    One(Msg),
    /// Several lines (a database behind its seal, and what HQ holds).
    Lines(Vec<Msg>),
    /// The forms report: every problem, one per line.
    Forms(Vec<Problem>),
    /// The holiday tables report.
    Calendar(Vec<Problem>),
    /// The service grid table's report.
    Grids(Vec<Problem>),
}

impl StartError {
    /// The text for people.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            StartError::One(m) => i18n::text(m, lang),
            StartError::Lines(ms) => ms
                .iter()
                .map(|m| i18n::text(m, lang))
                .collect::<Vec<_>>()
                .join("\n"),
            StartError::Forms(problems)
            | StartError::Calendar(problems)
            | StartError::Grids(problems) => {
                let head = match self {
                    StartError::Calendar(_) => msg!("forms.calendar_refused", n = problems.len()),
                    StartError::Grids(_) => msg!("grid.refused", n = problems.len()),
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

/// Opens forms, calendar, database and desk for the workstation: the only
/// opening that creates the database on its first start.
pub fn open_desk(config: &Config, clock: Clock) -> Result<Desk, StartError> {
    open_as(config, clock, Access::Create)
}

/// The desk for a command that writes: the database must exist already.
pub fn open_desk_existing(config: &Config, clock: Clock) -> Result<Desk, StartError> {
    open_as(config, clock, Access::Existing)
}

fn open_as(config: &Config, clock: Clock, access: Access) -> Result<Desk, StartError> {
    let forms = load_forms(config).map_err(StartError::Forms)?;
    let calendar = load_calendar(config).map_err(StartError::Calendar)?;
    let grids = super::grids::load(config).map_err(StartError::Grids)?;
    let db = database_path(config)?;
    let opened = match access {
        Access::Create => Store::open(&db, clock),
        _ => Store::open_existing(&db, clock),
    };
    let store = opened.map_err(|e| store_error(config, e))?;
    Desk::new(store, config.clone(), forms, calendar)
        .map(|d| d.with_grids(grids))
        .map_err(|e| StartError::One(e.into_msg()))
}

/// A store refusal as the administrator reads it: a file behind its seal
/// gets what is missing and what HQ holds of it.
fn store_error(config: &Config, e: StoreError) -> StartError {
    match e {
        StoreError::Behind(b) => {
            let hq = recovery::hq_holds(config, b.seal.epoch);
            StartError::Lines(recovery::describe(&b, &hq))
        }
        e => StartError::One(e.msg()),
    }
}

/// The desk on an existing database, read-only, for commands that only
/// read (the day report, case show, sync --status and --check) and so run
/// beside a working workstation. A missing database is reported, not
/// created; one of an older schema is left for the workstation to upgrade.
pub fn open_desk_for_reading(config: &Config) -> Result<Desk, StartError> {
    let forms = load_forms(config).map_err(StartError::Forms)?;
    let calendar = load_calendar(config).map_err(StartError::Calendar)?;
    let grids = super::grids::load(config).map_err(StartError::Grids)?;
    let db = database_path(config)?;
    let store = Store::open_read_only(&db, Clock::system()).map_err(|e| store_error(config, e))?;
    if let Some(b) = store.behind() {
        let hq = recovery::hq_holds(config, b.seal.epoch);
        return Err(StartError::Lines(recovery::describe(b, &hq)));
    }
    if store.schema() < crate::store::migrate::latest() {
        return Err(StartError::One(msg!(
            "store.needs_upgrade",
            path = db.display(),
            found = store.schema(),
            latest = crate::store::migrate::latest()
        )));
    }
    Desk::reading(store, config.clone(), forms, calendar)
        .map(|d| d.with_grids(grids))
        .map_err(|e| StartError::One(e.into_msg()))
}

/// The database file from configuration.
pub fn database_path(config: &Config) -> Result<PathBuf, StartError> {
    config.database_path().map_err(StartError::One)
}

/// Sends logs to a file; they never reach the screen. Returns a message
/// when the file cannot be opened (the workstation runs on without logs).
pub fn init_logging(path: &Path, max_mb: u64, keep: usize) -> Option<Msg> {
    use file_rotate::compression::Compression;
    use file_rotate::suffix::AppendCount;
    use file_rotate::{ContentLimit, FileRotate};
    // Opened here, not lazily by the rotator, so a folder that cannot be
    // written is said at start instead of losing every line quietly.
    if let Err(e) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        return Some(msg!("log.unavailable", path = path.display(), detail = e));
    }
    let bytes = usize::try_from(max_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
    let file = FileRotate::new(
        path,
        AppendCount::new(keep),
        ContentLimit::BytesSurpassed(bytes),
        Compression::None,
        None,
    );
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
