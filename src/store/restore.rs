//! Putting a backup in the database's place: under the workstation lock,
//! the current file (with its write-ahead log) moved aside whole, the
//! backup copied in and synced, then opened as a restore — a new upload
//! epoch, audited and sent up, so HQ never sees two histories under one.

use std::path::{Path, PathBuf};

use super::backup::{io_error, sync};
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
        let aside = {
            let _lock = open::take_lock(path)?;
            let aside = move_aside(
                path,
                &with_suffix(path, &format!(".before-restore-{stamp}")),
            )?;
            let incoming = with_suffix(path, ".restoring");
            let placed = std::fs::copy(backup, &incoming)
                .map_err(|e| io_error(&incoming, e))
                .and_then(|_| sync(&incoming))
                .and_then(|()| std::fs::rename(&incoming, path).map_err(|e| io_error(path, e)))
                .and_then(|()| sync(path));
            if let Err(e) = placed {
                let _ = std::fs::remove_file(&incoming);
                if let Some(a) = &aside {
                    // Nothing restored: the database goes back where it was.
                    let _ = move_aside(a, path);
                }
                return Err(e);
            }
            aside
        };
        let mut kept = None;
        let store = Self::open_as(path, clock, Access::Create, Some((ack, &mut kept)))?;
        Ok((
            store,
            PutInPlace {
                aside,
                kept_seal: kept,
            },
        ))
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
