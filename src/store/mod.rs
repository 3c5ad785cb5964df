//! The only place that speaks SQL. Opens the database with the pragmas every
//! connection needs, holds the single-workstation lock, applies migrations and
//! offers one module per aggregate.

pub mod applications;
pub mod audit;
pub mod bills;
pub mod case_queue;
pub mod cases;
pub mod cheques;
pub mod clerks;
pub mod codes;
pub mod customers;
pub mod drafts;
pub mod hq_feed;
pub mod lab;
pub mod lab_facts;
pub mod lab_history;
pub mod migrate;
pub mod money;
pub mod outbox;
pub mod reconnect;
pub mod refunds;
pub mod report;
mod seal;
pub mod slips;
pub mod snapshot;
pub mod stamp;

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::clock::Clock;
use crate::domain::msg::Msg;
use crate::msg;
pub use snapshot::Aggregate;

/// What can go wrong below the desk. Each variant renders as one clear message.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The folder for the database cannot be created or written.
    #[error("cannot use folder {path}: {detail}")]
    Folder { path: PathBuf, detail: String },
    /// Another workstation process holds this database.
    #[error("database {path} is in use by another workstation")]
    InUse { path: PathBuf },
    /// The database was written by a newer counterdesk.
    #[error("database {path} has version {found}, this program knows up to {known}")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// The file is not a usable SQLite database.
    #[error("database {path} is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    /// A business rule refused the write; nothing was committed.
    #[error("refused: {0:?}")]
    Refused(Msg),
    /// Any other SQLite failure (disk full, busy beyond the timeout...).
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

impl StoreError {
    /// The message the clerk or administrator reads.
    pub fn msg(&self) -> Msg {
        match self {
            StoreError::Folder { path, detail } => {
                msg!("store.folder", path = path.display(), detail = detail)
            }
            StoreError::InUse { path } => msg!("store.in_use", path = path.display()),
            StoreError::TooNew { path, found, known } => msg!(
                "store.too_new",
                path = path.display(),
                found = found,
                known = known
            ),
            StoreError::Corrupt { path, detail } => {
                msg!("store.corrupt", path = path.display(), detail = detail)
            }
            StoreError::Refused(m) => m.clone(),
            StoreError::Sql(e) => sql_msg(e),
        }
    }
}

fn sql_msg(e: &rusqlite::Error) -> Msg {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => msg!("store.disk_full"),
        // A failed write (a file-size limit, a failing disk) rolls back
        // like a full disk does; the clerk needs to know nothing was kept.
        Some(ErrorCode::SystemIoFailure) => msg!("store.write_failed", detail = e),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => msg!("store.busy"),
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => {
            msg!("store.read_only", detail = e)
        }
        _ => msg!("store.sql", detail = e),
    }
}

/// One business event: what the audit log and the outbox record for a write.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable action name, e.g. `customer.register`.
    pub action: &'static str,
    /// What the event is about, e.g. a staff number or a masked ID.
    pub subject: String,
    /// Structured details; never a full ID or phone number.
    pub detail: serde_json::Value,
    /// The aggregate the write touched, sent whole to HQ.
    pub record: Option<Aggregate>,
    /// Money the write moved, in fen (in, positive; out, negative), summed
    /// per day for reconciliation.
    pub amount_fen: i64,
}

impl Event {
    /// An event with details.
    pub fn new(
        action: &'static str,
        subject: impl Into<String>,
        detail: serde_json::Value,
    ) -> Self {
        Event {
            action,
            subject: subject.into(),
            detail,
            record: None,
            amount_fen: 0,
        }
    }

    /// The aggregate this event is about.
    pub fn about(mut self, record: Aggregate) -> Self {
        self.record = Some(record);
        self
    }

    /// The money this event moved, in fen.
    pub fn moving(mut self, fen: i64) -> Self {
        self.amount_fen = fen;
        self
    }
}

/// The open database of one workstation.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    // Held for the life of the process: a second workstation on the same
    // file gets `StoreError::InUse` instead of sharing it.
    _lock: Option<File>,
    // Told after each committed write (the uploader wakes on it).
    on_commit: Option<Box<dyn Fn() + Send>>,
    // Practice work: audited, never queued for HQ.
    practice: bool,
    // The seal beside the file (see `seal`), opened once.
    seal: Option<seal::SealFile>,
}

impl Store {
    /// Opens (creating and migrating if needed) the database at `path`,
    /// taking the single-workstation lock.
    pub fn open(path: &Path, clock: Clock) -> Result<Store, StoreError> {
        Self::open_with(path, clock, true)
    }

    /// Opens without the workstation lock, for read-only tools such as `verify`.
    pub fn open_unlocked(path: &Path, clock: Clock) -> Result<Store, StoreError> {
        Self::open_with(path, clock, false)
    }

    fn open_with(path: &Path, clock: Clock, lock: bool) -> Result<Store, StoreError> {
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder).map_err(|e| StoreError::Folder {
            path: folder.to_path_buf(),
            detail: e.to_string(),
        })?;
        let lock_file = if lock { Some(take_lock(path)?) } else { None };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(path, e))?;
        // Read the version before any pragma writes to the file, so a newer
        // database is refused and left exactly as it was.
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| open_error(path, e))?;
        let known = migrate::latest();
        if found > known {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                known,
            });
        }
        set_pragmas(&conn).map_err(|e| open_error(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            clock,
            _lock: lock_file,
            on_commit: None,
            practice: false,
            seal: None,
        };
        migrate::apply(&mut store.conn).map_err(|e| open_error(path, e))?;
        if lock {
            store.check_identity()?;
        }
        store.seal = seal::SealFile::open(path);
        Ok(store)
    }

    /// Gives a new database its counter ID and epoch, and opens a new epoch
    /// when the file is older than the seal beside it says it should be (a
    /// restore from a backup), so rewound sequences never collide at HQ.
    fn check_identity(&mut self) -> Result<(), StoreError> {
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        outbox::ensure_identity(&tx, now)?;
        let head = outbox::head(&tx)?;
        let rewound = match (head, seal::read(&self.path)) {
            (Some(h), Some(s)) if s.epoch == h.epoch && s.seq > h.seq => Some((h, s)),
            _ => None,
        };
        let Some((h, s)) = rewound else {
            tx.commit()?;
            return Ok(());
        };
        let (old, new) = outbox::new_epoch(&tx, now)?;
        tracing::warn!(old, new, "database older than its seal: new upload epoch");
        let event = Event::new(
            "store.restored",
            "database",
            serde_json::json!({"old_epoch": old, "new_epoch": new,
                "restored_at_seq": h.seq, "seal_seq": s.seq}),
        );
        let (seq, hash) = audit::append(&tx, now, None, &event)?;
        let head = outbox::push(&tx, now, None, (seq, &hash), &event)?;
        tx.commit()?;
        if let Some(seal) = seal::SealFile::open(&self.path) {
            seal.write(&head);
        }
        Ok(())
    }

    /// Practice-lab work: from now on writes are audited but never enter
    /// the outbox, so nothing of it can reach HQ.
    pub fn set_practice(&mut self) {
        self.practice = true;
    }

    /// For a practice sandbox: commits are not synced one by one. With the
    /// write-ahead log a killed program still keeps every commit; only a
    /// power cut may lose the last ones, which cost a practice run, never
    /// a customer's record.
    pub fn sync_less(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA synchronous = NORMAL;")?;
        Ok(())
    }

    /// Calls `f` after every committed write from now on.
    pub fn on_commit(&mut self, f: Box<dyn Fn() + Send>) {
        self.on_commit = Some(f);
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The clock every timestamp comes from.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Read access for the aggregate modules.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The one way to write business data: runs `f` in an immediate
    /// transaction and appends the event it returns to the audit log and the
    /// outbox, so the rows, the audit entry and the outbox entry commit
    /// together or not at all.
    pub fn write<T>(
        &mut self,
        actor: Option<i64>,
        f: impl FnOnce(&Transaction, DateTime<Utc>) -> Result<(T, Event), StoreError>,
    ) -> Result<T, StoreError> {
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (value, event) = f(&tx, now)?;
        let (seq, hash) = audit::append(&tx, now, actor, &event)?;
        if self.practice {
            tx.commit()?;
            return Ok(value);
        }
        let head = outbox::push(&tx, now, actor, (seq, &hash), &event)?;
        tx.commit()?;
        if let Some(seal) = &self.seal {
            seal.write(&head);
        }
        if let Some(f) = &self.on_commit {
            f();
        }
        Ok(value)
    }

    /// As [`Store::write`] for an act that leaves more than one record (a
    /// case's step and the text message telling the customer): each event
    /// gets its audit entry and outbox record, all in one transaction.
    pub fn write_all<T>(
        &mut self,
        actor: Option<i64>,
        f: impl FnOnce(&Transaction, DateTime<Utc>) -> Result<(T, Vec<Event>), StoreError>,
    ) -> Result<T, StoreError> {
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (value, events) = f(&tx, now)?;
        let mut head = None;
        for event in &events {
            let (seq, hash) = audit::append(&tx, now, actor, event)?;
            if !self.practice {
                head = Some(outbox::push(&tx, now, actor, (seq, &hash), event)?);
            }
        }
        tx.commit()?;
        if let (Some(seal), Some(head)) = (&self.seal, &head) {
            seal.write(head);
        }
        if head.is_some() {
            if let Some(f) = &self.on_commit {
                f();
            }
        }
        Ok(value)
    }

    /// Writes workstation scratch (drafts) that is neither audited nor
    /// uploaded, in a transaction of its own.
    pub fn scratch<T>(
        &mut self,
        f: impl FnOnce(&Transaction, DateTime<Utc>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx, now)?;
        tx.commit()?;
        Ok(value)
    }
}

/// Whether a program holds the workstation lock of the database at `path`
/// now (a lab run's sandbox is locked while its exercise is open).
pub fn held_elsewhere(path: &Path) -> bool {
    matches!(take_lock(path), Err(StoreError::InUse { .. }))
}

fn take_lock(path: &Path) -> Result<File, StoreError> {
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock_path = PathBuf::from(lock_path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| StoreError::Folder {
            path: lock_path.clone(),
            detail: e.to_string(),
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::InUse {
            path: path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Folder {
            path: lock_path,
            detail: e.to_string(),
        }),
    }
}

fn set_pragmas(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // A payment alone runs some twenty cached statements (the rows, the
    // audit entry, the outbox record and its snapshot): the default cache of
    // 16 would prepare some of them again on every commit.
    conn.set_prepared_statement_cache_capacity(256);
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "WAL journal mode not available");
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    Ok(())
}

fn open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::InUse {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::PermissionDenied) => StoreError::Folder {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => StoreError::Sql(e),
    }
}

/// Integrity check result: SQLite's own lines, "ok" when healthy.
pub fn integrity_check(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
