//! Backups: a consistent copy of the database taken with SQLite's online
//! backup while the workstation goes on writing, the copy's own checks, the
//! folder of backups with their checksums, and the scans they name.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;

use super::{audit, integrity_check, migrate, outbox, scans, Store, StoreError};
use crate::clock::Clock;
use crate::domain::audit::Break;
use crate::domain::backup;
use crate::msg;

/// Copies the database at `src` into a new file `dest` with SQLite's
/// online backup API, in one step: the copy is the database as one read
/// transaction saw it, and in WAL mode the workstation's writers are never
/// held up meanwhile. The copy is synced before this returns.
pub fn copy_online(src: &Path, dest: &Path) -> Result<(), StoreError> {
    let source = Store::open_read_only(src, Clock::system())?;
    let mut target = Connection::open(dest).map_err(|e| dest_error(dest, e))?;
    {
        let b = Backup::new(source.conn(), &mut target).map_err(|e| dest_error(dest, e))?;
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        loop {
            match b.step(-1).map_err(|e| dest_error(dest, e))? {
                StepResult::Done => break,
                // A writer held a lock for a moment: try again shortly,
                // for two minutes at most.
                StepResult::Busy | StepResult::Locked if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                StepResult::Busy | StepResult::Locked => {
                    return Err(StoreError::Refused(msg!("store.busy")));
                }
                _ => {}
            }
        }
    }
    target.close().map_err(|(_, e)| dest_error(dest, e))?;
    sync(dest)
}

/// The same copy through `VACUUM INTO` (rebuilt and compacted): slower, kept
/// for the benchmark that measures both.
pub fn vacuum_into(src: &Path, dest: &Path) -> Result<(), StoreError> {
    // Read-only, but not `query_only` (which refuses VACUUM INTO).
    let source = Connection::open_with_flags(src, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    source
        .execute("VACUUM INTO ?1", [dest.to_string_lossy()])
        .map_err(|e| dest_error(dest, e))?;
    sync(dest)
}

/// Forces the file and the folder that names it to disk.
pub fn sync(path: &Path) -> Result<(), StoreError> {
    let io = |e: std::io::Error| io_error(path, e);
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    // A bare file name's parent is the empty path: the current folder.
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io)
}

/// A write into the backup folder failed: a full disk said as such.
fn dest_error(dest: &Path, e: rusqlite::Error) -> StoreError {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
        return StoreError::Refused(msg!("backup.disk_full", path = dest.display()));
    }
    StoreError::Refused(msg!(
        "backup.write_failed",
        path = dest.display(),
        detail = e
    ))
}

/// An I/O failure on a backup file.
pub fn io_error(path: &Path, e: std::io::Error) -> StoreError {
    if e.kind() == std::io::ErrorKind::StorageFull {
        return StoreError::Refused(msg!("backup.disk_full", path = path.display()));
    }
    StoreError::Refused(msg!(
        "backup.write_failed",
        path = path.display(),
        detail = e
    ))
}

/// The sha256 of a whole file, read in pieces.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::domain::hex::hex(&hasher.finalize()))
}

/// What a backup file holds, as its own checks found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// SQLite's findings; `["ok"]` when healthy.
    pub integrity: Vec<String>,
    /// The audit entries checked, or the first break.
    pub chain: Result<i64, Break>,
    /// The schema version of the copy.
    pub schema: i64,
    /// The counter it belongs to.
    pub counter: String,
    /// Its newest outbox record (epoch, seq).
    pub head: Option<(i64, i64)>,
    /// Records of it HQ had not yet acknowledged when it was taken.
    pub unsent: i64,
    /// The scans it names.
    pub scans: Vec<String>,
    /// Business rows that do not match the audit entries that bound them
    /// (checked only when asked, for a restore).
    pub rows_changed: Vec<String>,
}

impl Checked {
    /// Whether the copy may be trusted.
    pub fn good(&self) -> bool {
        self.integrity == ["ok"] && self.chain.is_ok() && self.rows_changed.is_empty()
    }
}

/// Checks a backup file read-only: SQLite's integrity check and the audit
/// chain, and what it holds; with `rows`, every business row against the
/// audit entry that bound it too (a byte changed inside a row passes the
/// other two).
pub fn check(path: &Path, rows: bool) -> Result<Checked, StoreError> {
    let store = Store::open_read_only(path, Clock::system())?;
    let conn = store.conn();
    let schema = store.schema();
    let integrity = integrity_check(conn)?;
    if schema == 0 || integrity != ["ok"] {
        return Ok(Checked {
            chain: Err(Break::Truncated { last: 0, head: 0 }),
            integrity: if integrity == ["ok"] {
                vec!["no tables".into()]
            } else {
                integrity
            },
            schema,
            counter: String::new(),
            head: None,
            unsent: 0,
            scans: Vec::new(),
            rows_changed: Vec::new(),
        });
    }
    let chain = audit::verify(conn)?;
    let counter = outbox::identity(conn)?.counter;
    let head = outbox::head(conn)?.map(|h| (h.epoch, h.seq));
    let unsent = outbox::queues(conn)?
        .iter()
        .map(outbox::Queue::waiting)
        .sum();
    let current = schema == migrate::latest();
    let rows_changed = if rows && current {
        super::bound::check(conn)?
            .1
            .iter()
            .map(|f| format!("{:?} {} ({:?})", f.kind, f.label, f.problem))
            .collect()
    } else {
        Vec::new()
    };
    // Scans are recorded from schema 24 on.
    let scans = if schema >= 24 {
        scans::all(conn)?.into_iter().map(|s| s.sha256).collect()
    } else {
        Vec::new()
    };
    Ok(Checked {
        integrity,
        chain,
        schema,
        counter,
        head,
        unsent,
        scans,
        rows_changed,
    })
}

/// One backup in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub path: PathBuf,
    /// The counter it is of.
    pub counter: String,
    /// When it was taken (local time, from its name).
    pub taken: NaiveDateTime,
    /// Whether its checksum file is there: only a checked copy gets one.
    pub checked: bool,
}

/// The backups of `counter` in `folder`, oldest first; other files and
/// other counters' backups are passed by.
pub fn list(folder: &Path, counter: &str) -> std::io::Result<Vec<Listed>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match backup::parse_name(&name) {
            Some((of, taken)) if of == counter => {
                let checked = folder.join(backup::checksum_name(&name)).is_file();
                out.push(Listed {
                    path: entry.path(),
                    counter: of,
                    taken,
                    checked,
                });
            }
            _ => {}
        }
    }
    out.sort_by_key(|l| l.taken);
    Ok(out)
}

/// Deletes `counter`'s backups that `kept` does not name, with their
/// checksums; a backup never checked, or dated in the future (a wrong
/// clock), is left for someone to look at. Returns how many went.
pub fn prune(
    folder: &Path,
    counter: &str,
    kept: &std::collections::BTreeSet<NaiveDateTime>,
    now: NaiveDateTime,
) -> usize {
    let Ok(all) = list(folder, counter) else {
        return 0;
    };
    let mut gone = 0;
    for b in all
        .iter()
        .filter(|b| b.checked && !kept.contains(&b.taken) && !backup::from_the_future(b.taken, now))
    {
        let name = b.path.file_name().unwrap_or_default().to_string_lossy();
        let sum = folder.join(backup::checksum_name(&name));
        if std::fs::remove_file(&b.path).is_ok() {
            let _ = std::fs::remove_file(sum);
            gone += 1;
        }
    }
    gone
}

/// The counter ID of the database at `db` (read-only), empty when it has
/// none or cannot be read.
pub fn counter_of(db: &Path) -> String {
    Store::open_read_only(db, Clock::system())
        .ok()
        .filter(|s| s.schema() > 0)
        .and_then(|s| outbox::identity(s.conn()).ok())
        .map(|i| i.counter)
        .unwrap_or_default()
}

/// Copies the scans named in `shas` from `from` to `to` (two scans
/// folders) where `to` lacks them, each checked against its name. Returns
/// how many were copied and the names found in neither.
pub fn copy_scans(from: &Path, to: &Path, shas: &[String]) -> (usize, Vec<String>) {
    let mut copied = 0;
    let mut missing = Vec::new();
    for sha in shas {
        if scans::path_of(to, sha).is_file() {
            continue;
        }
        match std::fs::read(scans::path_of(from, sha)) {
            Ok(bytes) if crate::domain::upload::sha256_hex(&bytes) == *sha => {
                match scans::keep(to, sha, &bytes) {
                    Ok(_) => copied += 1,
                    Err(_) => missing.push(sha.clone()),
                }
            }
            _ => missing.push(sha.clone()),
        }
    }
    (copied, missing)
}
