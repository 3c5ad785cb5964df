//! The only place that speaks SQL. Opens the database with the pragmas every
//! connection needs, holds the single-workstation lock, applies migrations and
//! offers one module per aggregate.

pub mod applications;
pub mod audit;
pub mod backup;
pub mod bills;
pub mod bound;
pub mod case_queue;
pub mod cases;
pub mod cheques;
pub mod clerks;
pub mod codes;
pub mod consultations;
pub mod customers;
pub mod drafts;
pub mod hq_feed;
pub mod lab;
pub mod lab_facts;
pub mod lab_history;
pub mod managers;
pub mod material_file;
pub mod migrate;
pub mod money;
pub mod one_write;
mod open;
pub mod outbox;
pub mod ratings;
pub mod reconnect;
pub mod refunds;
pub mod report;
mod restore;
pub mod scans;
pub mod seal;
pub mod slips;
pub mod snapshot;
pub mod stamp;
pub mod unprinted;
pub mod visits;

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::clock::Clock;
use crate::domain::msg::Msg;
use crate::msg;
pub use open::Access;
pub use restore::PutInPlace;
pub use seal::Behind;
pub use snapshot::Aggregate;

/// What can go wrong below the desk. Each variant renders as one clear message.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The folder for the database cannot be created or written.
    #[error("cannot use folder {path}: {detail}")]
    Folder { path: PathBuf, detail: String },
    /// The database file is not there (only the workstation's first start
    /// creates one).
    #[error("database {path} does not exist")]
    Missing { path: PathBuf },
    /// The path names a folder, not a database file.
    #[error("{path} is a folder")]
    IsFolder { path: PathBuf },
    /// The file holds fewer records than its seal names: emptied, deleted
    /// or rewound to an older copy.
    #[error("database {} holds less than its seal names", .0.path.display())]
    Behind(Box<Behind>),
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
    #[error("refused: {}", crate::i18n::for_log(.0))]
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
            StoreError::Missing { path } => msg!("store.missing", path = path.display()),
            StoreError::IsFolder { path } => msg!("store.is_folder", path = path.display()),
            StoreError::Behind(b) => behind_msg(b),
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

/// What a file behind its seal lacks, without what HQ holds (the desk
/// adds that when it can ask).
pub fn behind_msg(b: &Behind) -> Msg {
    let (from, to) = b.missing();
    let local = match b.local {
        None => msg!("store.behind_local_empty"),
        Some((epoch, seq)) if epoch == b.seal.epoch => msg!("store.behind_local_seq", seq = seq),
        Some((epoch, seq)) => msg!("store.behind_local_older", epoch = epoch, seq = seq),
    };
    msg!(
        "store.behind",
        path = b.path.display(),
        epoch = b.seal.epoch,
        seq = b.seal.seq,
        from = from,
        to = to,
        missing = to - from + 1,
        kept = seal::lost_name(&b.path, &b.seal).display()
    )
    .part("local", local)
    .part(
        "confirm",
        match b.local {
            // An emptied file has no clerks to check a password against.
            None => msg!(
                "store.behind_confirm",
                epoch = b.seal.epoch,
                seq = b.seal.seq
            ),
            Some(_) => Msg::words("", ""),
        },
    )
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
    /// Other aggregates whose rows the write changed (a reversal calls off
    /// the reconnection another payment of the account opened): their rows
    /// are bound to the audit entry too.
    pub also: Vec<Aggregate>,
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
            also: Vec::new(),
        }
    }

    /// The aggregate this event is about.
    pub fn about(mut self, record: Aggregate) -> Self {
        self.record = Some(record);
        self
    }

    /// Other aggregates the write changed, bound with the first (repeats
    /// are bound once).
    pub fn also(mut self, records: impl IntoIterator<Item = Aggregate>) -> Self {
        self.also.extend(records);
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
    // The seal beside the file (see `seal`), opened once; none read-only.
    seal: Option<seal::SealFile>,
    // The counter's ID, written into the seal.
    counter: String,
    // The schema version the file had when it was opened.
    schema: i64,
    // A read-only look at a file behind its seal says so instead of failing.
    behind: Option<Behind>,
}

/// An administrator's acknowledgement that a database lost records its
/// seal names, so the workstation may go on with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    /// The administrator's staff number.
    pub staff_no: String,
    /// Whether their password was checked (an emptied file has no clerks
    /// to check it against).
    pub verified: bool,
    /// Why the workstation goes on without the records.
    pub reason: String,
    /// The backup put in the database's place, when this is a restore: a
    /// new epoch is opened even when no seal says anything was lost (the
    /// seal may have died with the disk).
    pub restored_from: Option<PathBuf>,
}

impl Store {
    /// The workstation's start: opens the database at `path`, creating and
    /// migrating it if need be, and takes the single-workstation lock. A
    /// file that holds less than its seal names is refused untouched.
    pub fn open(path: &Path, clock: Clock) -> Result<Store, StoreError> {
        Self::open_as(path, clock, Access::Create, None)
    }

    /// For a command that writes: as [`Store::open`], but a missing file
    /// is refused with its path instead of created.
    pub fn open_existing(path: &Path, clock: Clock) -> Result<Store, StoreError> {
        Self::open_as(path, clock, Access::Existing, None)
    }

    /// A second connection of the process holding the lock (the uploader
    /// threads) or to a lab sandbox being read: no lock, nothing created.
    pub fn open_unlocked(path: &Path, clock: Clock) -> Result<Store, StoreError> {
        Self::open_as(path, clock, Access::Beside, None)
    }

    /// For checks and reports: read-only, beside a running workstation or
    /// not, never migrated; nothing in the folder changes. A file of an
    /// older schema is opened as it is ([`Store::schema`] tells).
    pub fn open_read_only(path: &Path, clock: Clock) -> Result<Store, StoreError> {
        Self::open_as(path, clock, Access::ReadOnly, None)
    }

    /// Opens a file behind its seal on an administrator's acknowledgement:
    /// the seal of the lost history is kept as `<db>.seal.lost-…`, a new
    /// upload epoch is opened after what the file holds, and the
    /// acknowledgement is the first record of it (audited, sent to HQ).
    /// Returns the store and where the old seal was kept.
    pub fn open_acknowledging(
        path: &Path,
        clock: Clock,
        ack: &Acknowledgement,
    ) -> Result<(Store, PathBuf), StoreError> {
        let mut kept = None;
        let store = Self::open_as(path, clock, Access::Create, Some((ack, &mut kept)))?;
        let kept = kept.ok_or_else(|| StoreError::Refused(msg!("recover.not_behind")))?;
        Ok((store, kept))
    }

    fn open_as(
        path: &Path,
        clock: Clock,
        access: Access,
        ack: Option<(&Acknowledgement, &mut Option<PathBuf>)>,
    ) -> Result<Store, StoreError> {
        Self::open_holding(path, clock, access, ack, None)
    }

    /// As `open_as`, with the workstation lock already `held`.
    fn open_holding(
        path: &Path,
        clock: Clock,
        access: Access,
        ack: Option<(&Acknowledgement, &mut Option<PathBuf>)>,
        held: Option<std::fs::File>,
    ) -> Result<Store, StoreError> {
        let opened = match open::open_holding(path, access, held) {
            // Acknowledging a file that is gone: start it anew.
            Err(StoreError::Behind(b)) if ack.is_some() && b.local.is_none() => {
                std::fs::File::create(path).map_err(|e| StoreError::Folder {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                })?;
                let mut o = open::open(path, access)?;
                o.behind = Some(*b);
                o
            }
            other => other?,
        };
        if let (Some(b), true, None) = (&opened.behind, access.locks(), &ack) {
            return Err(StoreError::Behind(Box::new(b.clone())));
        }
        let mut store = Store {
            conn: opened.conn,
            path: path.to_path_buf(),
            clock,
            _lock: opened.lock,
            on_commit: None,
            practice: false,
            seal: None,
            counter: String::new(),
            schema: opened.schema,
            behind: opened.behind,
        };
        if access == Access::ReadOnly {
            return Ok(store);
        }
        open::set_pragmas(&store.conn).map_err(|e| open::open_error(path, e))?;
        migrate::apply(&mut store.conn).map_err(|f| open::migration_error(path, f))?;
        if access.locks() {
            match ack {
                Some((ack, kept)) => *kept = store.acknowledge(ack)?,
                None => store.ensure_identity()?,
            }
        }
        store.counter = outbox::identity(&store.conn)?.counter;
        store.seal = seal::SealFile::open(path);
        Ok(store)
    }

    /// Gives a new database its counter ID and first epoch.
    fn ensure_identity(&mut self) -> Result<(), StoreError> {
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        outbox::ensure_identity(&tx, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Goes on from a file behind its seal: the lost history's seal is
    /// kept aside, a new epoch starts after what the file holds (for an
    /// emptied file, under the counter ID the seal names), and the
    /// acknowledgement is recorded and sent up. `None` when the file was
    /// not behind after all.
    fn acknowledge(&mut self, ack: &Acknowledgement) -> Result<Option<PathBuf>, StoreError> {
        let behind = self.behind.take();
        if behind.is_none() && ack.restored_from.is_none() {
            self.ensure_identity()?;
            return Ok(None);
        }
        let kept = match &behind {
            Some(b) => {
                Some(
                    seal::keep_lost(&self.path, &b.seal).map_err(|e| StoreError::Folder {
                        path: seal::path_of(&self.path),
                        detail: e.to_string(),
                    })?,
                )
            }
            None => None,
        };
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let had_identity = outbox::head(&tx)?.is_some();
        outbox::ensure_identity(&tx, now)?;
        if let (false, Some(counter)) = (
            had_identity,
            behind.as_ref().and_then(|b| b.seal.counter.as_ref()),
        ) {
            outbox::adopt_counter_id(&tx, counter)?;
        }
        let (old, new) = outbox::new_epoch(&tx, now)?;
        let missing = behind.as_ref().map(Behind::missing);
        match ack.restored_from {
            Some(_) => tracing::warn!(
                old,
                new,
                "database restored from a backup: new upload epoch"
            ),
            None => tracing::warn!(old, new, "records lost: acknowledged, new upload epoch"),
        }
        let action = match ack.restored_from {
            Some(_) => "store.restored",
            None => "store.loss_acknowledged",
        };
        let event = Event::new(
            action,
            "database",
            serde_json::json!({
                "seal_epoch": behind.as_ref().map(|b| b.seal.epoch),
                "seal_seq": behind.as_ref().map(|b| b.seal.seq),
                "local_epoch": behind.as_ref().and_then(|b| b.local.map(|l| l.0)),
                "local_seq": behind.as_ref().and_then(|b| b.local.map(|l| l.1)),
                "missing_from": missing.map(|m| m.0), "missing_to": missing.map(|m| m.1),
                "old_epoch": old, "new_epoch": new,
                "by": ack.staff_no, "verified": ack.verified, "reason": ack.reason,
                "kept_seal": kept.as_ref().map(|k| k.display().to_string()),
                "restored_from": ack.restored_from.as_ref().map(|f| f.display().to_string()),
            }),
        );
        let (seq, hash) = audit::append(&tx, now, None, &event, None)?;
        let head = outbox::push(&tx, now, None, (seq, &hash), &event, None)?;
        let counter = outbox::identity(&tx)?.counter;
        tx.commit()?;
        if let Some(seal) = seal::SealFile::open(&self.path) {
            seal.write(&head, &counter);
        }
        Ok(kept)
    }

    /// The schema version the file had when opened (older than
    /// [`migrate::latest`] only for a read-only look at an old file).
    pub fn schema(&self) -> i64 {
        self.schema
    }

    /// For a read-only look: where the file stands against its seal when
    /// it holds less than the seal names.
    pub fn behind(&self) -> Option<&Behind> {
        self.behind.as_ref()
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
        self.write_all(actor, |tx, now| {
            let (value, event) = f(tx, now)?;
            Ok((value, vec![event]))
        })
    }

    /// As [`Store::write`] for an act that leaves more than one record (a
    /// case's step and the text message telling the customer): each event
    /// gets its audit entry and outbox record, all in one transaction.
    pub fn write_all<T>(
        &mut self,
        actor: Option<i64>,
        f: impl FnOnce(&Transaction, DateTime<Utc>) -> Result<(T, Vec<Event>), StoreError>,
    ) -> Result<T, StoreError> {
        let queue = !self.practice;
        self.commit(actor, queue, f)
    }

    /// Writes what HQ sent down that moves business rows here (a step its
    /// back office finished, an account supplied again): audited and bound
    /// like any write, never queued, since it came from HQ.
    pub fn write_from_hq<T>(
        &mut self,
        f: impl FnOnce(&Transaction, DateTime<Utc>) -> Result<(T, Vec<Event>), StoreError>,
    ) -> Result<T, StoreError> {
        self.commit(None, false, f)
    }

    fn commit<T>(
        &mut self,
        actor: Option<i64>,
        queue: bool,
        f: impl FnOnce(&Transaction, DateTime<Utc>) -> Result<(T, Vec<Event>), StoreError>,
    ) -> Result<T, StoreError> {
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (value, events) = f(&tx, now)?;
        let mut head = None;
        for event in &events {
            // Read once: the outbox sends it, the audit entry binds its hash.
            let record = match event.record {
                Some(agg) => Some((agg, snapshot::of(&tx, agg)?)),
                None => None,
            };
            let rows = snapshot::bindings(&tx, record.as_ref().map(|(a, v)| (*a, v)), &event.also)?;
            let (seq, hash) = audit::append(&tx, now, actor, event, rows.as_deref())?;
            if queue {
                let record = record.as_ref().map(|(_, v)| v);
                head = Some(outbox::push(&tx, now, actor, (seq, &hash), event, record)?);
            }
        }
        tx.commit()?;
        if let (Some(seal), Some(head)) = (&self.seal, &head) {
            seal.write(head, &self.counter);
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
    matches!(open::take_lock(path), Err(StoreError::InUse { .. }))
}

/// Integrity check result: SQLite's own lines, "ok" when healthy.
pub fn integrity_check(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_in_a_log_line_is_its_message_not_a_dump() {
        let line =
            StoreError::Refused(msg!("cheque.not_held", receipt = "R1-00000007")).to_string();
        assert!(!line.contains("Msg {") && !line.contains("key:"), "{line}");
        assert!(line.contains("R1-00000007"), "{line}");
    }
}
