//! The seal: a small file beside the database naming the newest outbox
//! record. Written after each commit without an fsync (it only has to
//! outlive a copy of the database, not a power cut); a database older than
//! its seal was restored from a backup.

use std::path::{Path, PathBuf};

use super::outbox::Head;

/// What a seal holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seal {
    /// The epoch.
    pub epoch: i64,
    /// The newest sequence written in it.
    pub seq: i64,
}

fn path_of(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".seal");
    PathBuf::from(p)
}

/// Records `head` as the newest record.
pub fn write(db: &Path, head: &Head) {
    if let Err(e) = std::fs::write(path_of(db), format!("{} {}\n", head.epoch, head.seq)) {
        tracing::warn!(error = %e, "cannot write the database seal");
    }
}

/// The seal, if there is a readable one.
pub fn read(db: &Path) -> Option<Seal> {
    let text = std::fs::read_to_string(path_of(db)).ok()?;
    let mut it = text.split_whitespace();
    Some(Seal {
        epoch: it.next()?.parse().ok()?,
        seq: it.next()?.parse().ok()?,
    })
}
