//! The seal: a small file beside the database naming the newest outbox
//! record. Written after each commit without an fsync (it only has to
//! outlive a copy of the database, not a power cut). A database that holds
//! less than its seal names was emptied or rewound to an older copy: it is
//! refused until an administrator acknowledges the loss, and the seal of
//! the lost history is then kept under a name of its own, never overwritten.

use std::path::{Path, PathBuf};

use super::outbox::Head;

/// What a seal holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub epoch: i64,
    /// The newest sequence written in it.
    pub seq: i64,
    /// The counter's ID at HQ (seals written before it was kept have none).
    pub counter: Option<String>,
}

/// Where a database stands against its seal when it holds less.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behind {
    /// The database file.
    pub path: PathBuf,
    /// What the seal names.
    pub seal: Seal,
    /// The file's own newest record (epoch, seq); `None` when it holds none.
    pub local: Option<(i64, i64)>,
}

impl Behind {
    /// Records the seal names that the file lacks, as a range of the seal's
    /// epoch (all of them when the file is of an older epoch or empty).
    pub fn missing(&self) -> (i64, i64) {
        match self.local {
            Some((epoch, seq)) if epoch == self.seal.epoch => (seq + 1, self.seal.seq),
            _ => (1, self.seal.seq),
        }
    }
}

/// The seal beside `db`.
pub fn path_of(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".seal");
    PathBuf::from(p)
}

// Fixed width, so rewriting in place never leaves a longer old tail.
const COUNTER_WIDTH: usize = 64;

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

    /// Records `head` of `counter` as the newest record.
    pub fn write(&self, head: &Head, counter: &str) {
        use std::os::unix::fs::FileExt;
        let counter: String = counter.chars().filter(|c| !c.is_whitespace()).collect();
        let text = format!(
            "{:020} {:020} {:<width$}\n",
            head.epoch,
            head.seq,
            counter,
            width = COUNTER_WIDTH
        );
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
        counter: it.next().map(str::to_string),
    })
}

/// Moves the seal of a lost history aside, under a name no later seal
/// takes (`<db>.seal.lost-<epoch>-<seq>`, numbered if that exists), and
/// returns where it went.
pub fn keep_lost(db: &Path, seal: &Seal) -> std::io::Result<PathBuf> {
    let from = path_of(db);
    let base = format!("{}.lost-{}-{}", from.display(), seal.epoch, seal.seq);
    let mut to = PathBuf::from(&base);
    let mut n = 1;
    while to.exists() {
        n += 1;
        to = PathBuf::from(format!("{base}.{n}"));
    }
    std::fs::rename(&from, &to)?;
    Ok(to)
}

/// Where the seal of a lost history would be kept (for the message that
/// tells the administrator before it is moved).
pub fn lost_name(db: &Path, seal: &Seal) -> PathBuf {
    PathBuf::from(format!(
        "{}.lost-{}-{}",
        path_of(db).display(),
        seal.epoch,
        seal.seq
    ))
}
