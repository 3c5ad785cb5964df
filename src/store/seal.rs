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

/// The open seal file. Rewritten in place at a fixed width, so a commit
/// costs one write into the page cache: no truncation, which on ext4 would
/// push the file's data out at close.
pub struct SealFile(std::fs::File);

impl SealFile {
    /// Opens (creating) the seal beside `db`.
    pub fn open(db: &Path) -> Option<SealFile> {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path_of(db))
            .map(SealFile)
            .map_err(|e| tracing::warn!(error = %e, "cannot open the database seal"))
            .ok()
    }

    /// Records `head` as the newest record.
    pub fn write(&self, head: &Head) {
        use std::os::unix::fs::FileExt;
        let text = format!("{:020} {:020}\n", head.epoch, head.seq);
        if let Err(e) = self.0.write_all_at(text.as_bytes(), 0) {
            tracing::warn!(error = %e, "cannot write the database seal");
        }
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
