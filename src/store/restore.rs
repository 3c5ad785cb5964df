//! Putting a backup in the database's place: the backup copied beside the
//! database first (through SQLite, so whatever its write-ahead log holds is
//! in the copy) and synced; then, under the workstation lock held until the
//! file is open, the current file moved aside whole with its log and the
//! copy renamed into place, back to back; then opened as a restore — a new
//! upload epoch, audited and sent up, so HQ never sees two histories under
//! one. If the open fails, the database that was there goes back.

use std::path::{Path, PathBuf};

use super::backup::{copy_online, io_error, sync};
use super::open::{self, Access};
use super::{Acknowledgement, Store, StoreError};
use crate::clock::Clock;

/// What a restore did besides opening the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutInPlace {
    /// Where the database that was there was moved; `None` if there was none.
    pub aside: Option<PathBuf>,
    /// Where the seal of the history the backup lacks was kept.
    pub kept_seal: Option<PathBuf>,
}

/// `path` with `suffix` added to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

impl Store {
    /// Puts `backup` in the place of the database at `path` (refused while
    /// a workstation holds it) and opens it as a restore by `ack`.
    pub fn restore(
        path: &Path,
        backup: &Path,
        clock: Clock,
        ack: &Acknowledgement,
    ) -> Result<(Store, PutInPlace), StoreError> {
        let stamp = clock
            .now()
            .with_timezone(&chrono::Local)
            .format("%Y%m%d-%H%M%S");
        let lock = open::take_lock(path)?;
        // The long part first, while the database is still where it was.
        let incoming = with_suffix(path, ".restoring");
        let _ = std::fs::remove_file(&incoming);
        if let Err(e) = copy_online(backup, &incoming) {
            let _ = std::fs::remove_file(&incoming);
            return Err(e);
        }
        let aside_name = with_suffix(path, &format!(".before-restore-{stamp}"));
        let aside = match move_aside(path, &aside_name) {
            Ok(a) => a,
            Err(e) => {
                let _ = std::fs::remove_file(&incoming);
                return Err(e);
            }
        };
        let placed = std::fs::rename(&incoming, path)
            .map_err(|e| io_error(path, e))
            .and_then(|()| sync(path));
        if let Err(e) = placed {
            let _ = std::fs::remove_file(&incoming);
            put_back(aside.as_deref(), path);
            return Err(e);
        }
        let mut kept = None;
        match Self::open_holding(
            path,
            clock,
            Access::Create,
            Some((ack, &mut kept)),
            Some(lock),
        ) {
            Ok(store) => Ok((
                store,
                PutInPlace {
                    aside,
                    kept_seal: kept,
                },
            )),
            Err(e) => {
                // Not opened (a migration of an older backup failed): the
                // restored copy is kept for a look, the database goes back.
                let failed = with_suffix(path, &format!(".restore-failed-{stamp}"));
                let _ = move_aside(path, &failed);
                put_back(aside.as_deref(), path);
                Err(e)
            }
        }
    }
}

/// The database moved aside, back in its place (after a restore that did
/// not go through). Said in the log if even that fails: the file is then
/// still whole under its aside name, which the error names.
fn put_back(aside: Option<&Path>, path: &Path) {
    if let Some(a) = aside {
        if let Err(e) = move_aside(a, path) {
            tracing::error!(error = %e, aside = %a.display(), "the database could not be put back");
        }
    }
}

/// Moves the database at `from` with its write-ahead log to `to` (the
/// shared-memory index is rebuilt from them and is dropped). `None` when
/// there is no database at `from`.
fn move_aside(from: &Path, to: &Path) -> Result<Option<PathBuf>, StoreError> {
    if !from.exists() {
        return Ok(None);
    }
    std::fs::rename(from, to).map_err(|e| io_error(to, e))?;
    let wal = with_suffix(from, "-wal");
    if wal.exists() {
        std::fs::rename(&wal, with_suffix(to, "-wal")).map_err(|e| io_error(&wal, e))?;
    }
    let _ = std::fs::remove_file(with_suffix(from, "-shm"));
    Ok(Some(to.to_path_buf()))
}
