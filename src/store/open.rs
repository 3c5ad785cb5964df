//! Opening a database file. What the caller is decides what may happen to
//! the file: only the workstation's start creates one; commands open an
//! existing one; checks and reports open it read-only and change nothing,
//! not even the files beside it.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::seal::{self, Behind, Seal};
use super::{migrate, StoreError};

/// How a database is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The workstation's start: created and migrated if need be, locked.
    Create,
    /// A command that writes: the file must exist; locked and migrated.
    Existing,
    /// A second connection of the process that holds the lock (the
    /// uploader's threads, a lab run's sandbox being scored).
    Beside,
    /// Checks and reports: read-only, never migrated, nothing created.
    ReadOnly,
}

impl Access {
    pub(super) fn locks(self) -> bool {
        matches!(self, Access::Create | Access::Existing)
    }
}

/// What opening found, before anything was written.
pub(super) struct Opened {
    pub conn: Connection,
    pub lock: Option<File>,
    /// The schema version found in the file.
    pub schema: i64,
    /// Set when the file holds less than its seal names.
    pub behind: Option<Behind>,
}

/// Opens `path` as `access` allows, refusing a missing file (unless
/// creating), a folder, a newer schema and, for the workstation and
/// commands, a file behind its seal. Nothing is written to the file here.
pub(super) fn open(path: &Path, access: Access) -> Result<Opened, StoreError> {
    open_holding(path, access, None)
}

/// As [`open`], with the workstation lock already `held` by the caller (a
/// restore keeps it from putting the file in place until it is open).
pub(super) fn open_holding(
    path: &Path,
    access: Access,
    held: Option<File>,
) -> Result<Opened, StoreError> {
    if path.is_dir() {
        return Err(StoreError::IsFolder {
            path: path.to_path_buf(),
        });
    }
    let seal = seal::read(path).filter(|s| s.seq > 0);
    let exists = path.exists();
    if !exists && access != Access::Create {
        return Err(match (seal, access) {
            (Some(seal), Access::Existing) => behind_error(path, seal, None),
            _ => StoreError::Missing {
                path: path.to_path_buf(),
            },
        });
    }
    if access == Access::Create {
        create_folder(path)?;
    }
    let (lock, ours) = match access {
        Access::Create | Access::Existing => (
            Some(match held {
                Some(lock) => lock,
                None => take_lock(path)?,
            }),
            true,
        ),
        Access::ReadOnly => read_lock(path),
        Access::Beside => (None, false),
    };
    if let (false, Some(seal)) = (exists, &seal) {
        // The file is gone but its seal names records: never make a new,
        // empty database in its place.
        return Err(behind_error(path, seal.clone(), None));
    }
    let conn = match access {
        Access::ReadOnly => open_read_only(path, ours),
        Access::Create => open_writing(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ),
        Access::Existing | Access::Beside => open_writing(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ),
    }
    .map_err(|e| open_error(path, e))?;
    // Read the version before any pragma writes to the file, so a newer
    // database is refused and left exactly as it was.
    let schema: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| open_error(path, e))?;
    let known = migrate::latest();
    if schema > known {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: schema,
            known,
        });
    }
    let behind = match seal {
        Some(seal) if access != Access::Beside => {
            let local = local_head(&conn, schema).map_err(|e| open_error(path, e))?;
            is_behind(local, &seal).then(|| Behind {
                path: path.to_path_buf(),
                seal,
                local,
            })
        }
        _ => None,
    };
    Ok(Opened {
        conn,
        lock,
        schema,
        behind,
    })
}

fn behind_error(path: &Path, seal: Seal, local: Option<(i64, i64)>) -> StoreError {
    StoreError::Behind(Box::new(Behind {
        path: path.to_path_buf(),
        seal,
        local,
    }))
}

/// Whether a file whose newest record is `local` holds less than `seal`.
fn is_behind(local: Option<(i64, i64)>, seal: &Seal) -> bool {
    match local {
        None => true,
        Some((epoch, seq)) => epoch < seal.epoch || (epoch == seal.epoch && seq < seal.seq),
    }
}

/// The file's newest outbox record as (epoch, seq), read before any
/// migration: `None` for an empty file or one with no record yet.
fn local_head(conn: &Connection, schema: i64) -> rusqlite::Result<Option<(i64, i64)>> {
    if schema == 0 {
        return Ok(None);
    }
    let has_meta: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        [],
        |r| r.get(0),
    )?;
    if !has_meta {
        return Ok(None);
    }
    let head: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'outbox_head'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(head.and_then(|v| {
        let mut it = v.splitn(3, ':');
        let epoch = it.next()?.parse().ok()?;
        let seq = it.next()?.parse().ok()?;
        Some((epoch, seq))
    }))
}

fn create_folder(path: &Path) -> Result<(), StoreError> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| StoreError::Folder {
        path: folder.to_path_buf(),
        detail: e.to_string(),
    })
}

fn lock_path(path: &Path) -> PathBuf {
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    PathBuf::from(lock_path)
}

/// The workstation lock: held for the life of the process, so a second
/// workstation on the same file is refused instead of sharing it.
pub(super) fn take_lock(path: &Path) -> Result<File, StoreError> {
    let lock_path = lock_path(path);
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

/// For a read-only look: the lock when nobody holds it (so no workstation
/// starts writing while the file is read as it lies), creating nothing.
/// Returns the lock and whether the file is known to have no writer.
fn read_lock(path: &Path) -> (Option<File>, bool) {
    let Ok(file) = File::open(lock_path(path)) else {
        // No lock file: no workstation ever ran on this file here.
        return (None, true);
    };
    match file.try_lock() {
        Ok(()) => (Some(file), true),
        Err(_) => (None, false),
    }
}

/// A connection that writes: its log takes each commit in one write (see
/// [`super::one_write`]).
fn open_writing(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    if super::one_write::wanted() {
        Connection::open_with_flags_and_vfs(path, flags, super::one_write::NAME)
    } else {
        Connection::open_with_flags(path, flags)
    }
}

/// Read-only. With no writer and no write-ahead log the main file alone
/// is the database: it is opened immutable, so SQLite creates no `-shm` or
/// `-wal` beside it. Beside a running workstation (or a log left by a
/// crash) the log must be read too, through SQLite's shared index.
fn open_read_only(path: &Path, no_writer: bool) -> rusqlite::Result<Connection> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let log_left = std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if no_writer && !log_left {
        let uri = format!("file:{}?immutable=1", uri_path(path));
        Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?
    } else {
        Connection::open_with_flags(path, flags)?
    };
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch("PRAGMA query_only = ON;")?;
    Ok(conn)
}

/// A path as the path part of an SQLite URI.
fn uri_path(path: &Path) -> String {
    let raw = path.to_string_lossy();
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '%' | '?' | '#' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn set_pragmas(conn: &Connection) -> rusqlite::Result<()> {
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

pub(super) fn open_error(path: &Path, e: rusqlite::Error) -> StoreError {
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

/// An upgrade that failed: a damaged or busy file is said as such; any
/// other failure names the migration, and that the file was left as it was.
pub(super) fn migration_error(path: &Path, f: migrate::Failed) -> StoreError {
    match open_error(path, f.error) {
        StoreError::Sql(e) => {
            tracing::error!(at = f.at, from = f.from, error = %e, "upgrade failed, rolled back");
            StoreError::Refused(crate::msg!(
                "store.migration_failed",
                path = path.display(),
                at = f.at,
                from = f.from,
                detail = e
            ))
        }
        other => other,
    }
}
