//! The workstation's backups on a thread of their own: the daily one at
//! its configured time (or at the first start after it), one after each
//! shift close, and what the header shows of the last good one.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Local, NaiveDateTime};

use crate::config::Config;
use crate::domain::backup;
use crate::domain::msg::Msg;

/// What the header shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupStatus {
    /// When the newest checked backup was taken (local time).
    pub last_good: Option<NaiveDateTime>,
    /// A backup is being taken now.
    pub running: bool,
    /// Why the last attempt failed, until one succeeds.
    pub failed: Option<Msg>,
}

/// The running backup thread.
pub struct BackupWorker {
    now: mpsc::Sender<()>,
    status: Arc<Mutex<BackupStatus>>,
}

/// How often the thread looks whether the daily backup is due.
const LOOK_EVERY: Duration = Duration::from_secs(30);
/// How long after a failed daily backup it is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(3600);

impl BackupWorker {
    /// Starts the thread for the database at `db`.
    pub fn start(config: Config, db: PathBuf) -> BackupWorker {
        let folder = super::backup::folder(&config, &db, None);
        let counter = crate::store::backup::counter_of(&db);
        let status = Arc::new(Mutex::new(BackupStatus {
            last_good: super::backup::last_good(&folder, &counter, Local::now().naive_local()),
            ..BackupStatus::default()
        }));
        let (now, asked) = mpsc::channel::<()>();
        let shared = Arc::clone(&status);
        let spawned = std::thread::Builder::new()
            .name("backup".into())
            .spawn(move || {
                let daily = config.backup.daily_time();
                let mut failed_at: Option<Instant> = None;
                loop {
                    let take = match asked.recv_timeout(LOOK_EVERY) {
                        Ok(()) => true,
                        Err(RecvTimeoutError::Timeout) => {
                            // One taken meanwhile by `counterdesk backup` counts.
                            let found = super::backup::last_good(
                                &folder,
                                &counter,
                                Local::now().naive_local(),
                            );
                            let last = match shared.lock() {
                                Ok(mut s) => {
                                    s.last_good = s.last_good.max(found);
                                    s.last_good
                                }
                                Err(_) => found,
                            };
                            // A failed daily backup (a full or missing
                            // disk) is tried again hourly, not every half
                            // minute; the header says it failed meanwhile.
                            let retry = failed_at.is_none_or(|t| t.elapsed() >= RETRY_AFTER);
                            let now = Local::now().naive_local();
                            retry && daily.is_some_and(|at| backup::daily_due(at, last, now))
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    };
                    if take {
                        let ok = run_once(&config, &db, &folder, &shared);
                        failed_at = (!ok).then(Instant::now);
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the backup thread");
        }
        BackupWorker { now, status }
    }

    /// Asks for a backup now (after a shift close).
    pub fn now(&self) {
        let _ = self.now.send(());
    }

    /// What the header shows.
    pub fn status(&self) -> BackupStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// Takes one backup; whether it succeeded.
fn run_once(
    config: &Config,
    db: &std::path::Path,
    folder: &std::path::Path,
    shared: &Mutex<BackupStatus>,
) -> bool {
    if let Ok(mut s) = shared.lock() {
        s.running = true;
    }
    let result = super::backup::take(config, db, folder, Local::now().naive_local());
    let ok = result.is_ok();
    if let Ok(mut s) = shared.lock() {
        s.running = false;
        match result {
            Ok(t) => {
                s.last_good = crate::domain::backup::parse_name(
                    &t.path.file_name().unwrap_or_default().to_string_lossy(),
                )
                .map(|(_, taken)| taken)
                .or(s.last_good);
                s.failed = None;
            }
            Err(e) => {
                tracing::warn!("backup failed: {}", crate::i18n::for_log(e.msg()));
                s.failed = Some(e.into_msg());
            }
        }
    }
    ok
}

impl super::Desk {
    /// Starts the backup thread (never on a practice sandbox, whose work
    /// is not the counter's).
    pub fn start_backups(&mut self) {
        if self.backups.is_some() || self.training {
            return;
        }
        let db = self.store.path().to_path_buf();
        self.backups = Some(BackupWorker::start(self.config.clone(), db));
    }

    /// The last good backup, when the thread runs.
    pub fn backup_status(&self) -> Option<BackupStatus> {
        self.backups.as_ref().map(BackupWorker::status)
    }

    /// A shift was closed: its money goes into a backup now, if so set.
    pub(super) fn backup_after_close(&self) {
        if let (Some(b), true) = (&self.backups, self.config.backup.at_shift_close) {
            b.now();
        }
    }
}
