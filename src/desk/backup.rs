//! Backups and restores of the counter's database: a copy taken while the
//! workstation runs, checked before it counts, named by its time with a
//! checksum beside it, older ones rotated away; and a restore that checks
//! the file first, keeps the current database aside and opens a new upload
//! epoch.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, Timelike};

use super::recovery::check_admin;
use super::DeskError;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::backup;
use crate::domain::msg::Msg;
use crate::msg;
use crate::store::backup::{self as copies, Checked};
use crate::store::{outbox, scans, seal, Acknowledgement, Store};

/// A backup taken.
#[derive(Debug, Clone)]
pub struct Taken {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    /// How long the copy itself took, and the checks after it.
    pub copy_took: Duration,
    pub check_took: Duration,
    pub checked: Checked,
    /// Older backups the rotation deleted.
    pub pruned: usize,
    /// Scans copied beside it, and those found nowhere.
    pub scans_copied: usize,
    pub scans_missing: Vec<String>,
}

/// Where the backups of the database at `db` go (`dir` given on the
/// command line wins).
pub fn folder(config: &Config, db: &Path, dir: Option<&Path>) -> PathBuf {
    dir.map_or_else(|| config.backup.folder_for(db), Path::to_path_buf)
}

/// Takes a backup of the database at `db` into `folder`, named by `now`
/// (local time): copied online, synced, checked (integrity and audit
/// chain), and only then named and given its checksum; the rotation then
/// deletes what it no longer keeps. A copy that fails anywhere is removed
/// and the database is never touched.
pub fn take(
    config: &Config,
    db: &Path,
    folder: &Path,
    now: NaiveDateTime,
) -> Result<Taken, DeskError> {
    if !db.is_file() {
        return Err(msg!("verify.no_database", path = db.display()).into());
    }
    std::fs::create_dir_all(folder).map_err(|e| folder_error(folder, &e))?;
    // A folder that exists but cannot be written (a read-only or full
    // disk, another user's folder) is said as the folder's fault.
    let probe = folder.join(".counterdesk-write-test");
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| folder_error(folder, &e))?;
    let counter = copies::counter_of(db);
    // Named after every backup of this counter already there, even two in
    // one second (the rotation keeps the newest by name, so a name must
    // never go back) — but not after one dated ahead by a wrong clock.
    let newest = copies::list(folder, &counter)
        .unwrap_or_default()
        .iter()
        .map(|b| b.taken)
        .filter(|t| !backup::from_the_future(*t, now))
        .max();
    let mut when = now.with_nanosecond(0).unwrap_or(now);
    if let Some(n) = newest.filter(|n| *n >= when) {
        when = n + chrono::Duration::seconds(1);
    }
    while folder.join(backup::file_name(&counter, when)).exists() {
        when += chrono::Duration::seconds(1);
    }
    remove_stale_parts(folder);
    let name = backup::file_name(&counter, when);
    let path = folder.join(&name);
    // The process in the name: a command and the workstation's own thread
    // taking one in the same second never share an unfinished file.
    let part = folder.join(format!("{name}.{}.part", std::process::id()));
    let result = take_into(db, &part, &path, folder, &name);
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    let (copy_took, check_took, checked, sha256) = result?;
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    let (scans_copied, scans_missing) =
        copies::copy_scans(&scans::folder(db), &scans::folder(&path), &checked.scans);
    let taken: Vec<NaiveDateTime> = copies::list(folder, &counter)
        .unwrap_or_default()
        .iter()
        .filter(|b| b.checked && !backup::from_the_future(b.taken, now))
        .map(|b| b.taken)
        .collect();
    let kept = backup::kept(&taken, config.backup.rotation());
    let pruned = copies::prune(folder, &counter, &kept, now);
    tracing::info!(
        file = %name,
        bytes,
        copy_ms = copy_took.as_millis() as u64,
        check_ms = check_took.as_millis() as u64,
        pruned,
        "backup taken"
    );
    Ok(Taken {
        path,
        bytes,
        sha256,
        copy_took,
        check_took,
        checked,
        pruned,
        scans_copied,
        scans_missing,
    })
}

/// Unfinished copies a backup left when its program was killed mid-way (a
/// day old: one being written now by another backup is left alone).
fn remove_stale_parts(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let day = Duration::from_secs(24 * 3600);
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > day);
        if name.starts_with("counterdesk-") && name.ends_with(".part") && old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

type Copied = (Duration, Duration, Checked, String);

fn take_into(
    db: &Path,
    part: &Path,
    path: &Path,
    folder: &Path,
    name: &str,
) -> Result<Copied, DeskError> {
    let _ = std::fs::remove_file(part);
    let started = Instant::now();
    copies::copy_online(db, part)?;
    let copy_took = started.elapsed();
    let started = Instant::now();
    let checked = copies::check(part, false)?;
    if !checked.good() {
        return Err(check_failed(part, &checked).into());
    }
    let sha256 = copies::sha256_file(part).map_err(|e| copies::io_error(part, e))?;
    let check_took = started.elapsed();
    std::fs::rename(part, path).map_err(|e| copies::io_error(path, e))?;
    let sum = folder.join(backup::checksum_name(name));
    let sum_part = folder.join(format!("{}.part", backup::checksum_name(name)));
    std::fs::write(&sum_part, backup::checksum_text(&sha256, name))
        .map_err(|e| copies::io_error(&sum_part, e))?;
    std::fs::rename(&sum_part, &sum).map_err(|e| copies::io_error(&sum, e))?;
    copies::sync(&sum)?;
    Ok((copy_took, check_took, checked, sha256))
}

fn folder_error(folder: &Path, e: &std::io::Error) -> Msg {
    if e.kind() == std::io::ErrorKind::StorageFull {
        return msg!("backup.disk_full", path = folder.display());
    }
    msg!(
        "backup.folder_unusable",
        path = folder.display(),
        detail = e
    )
}

fn check_failed(path: &Path, c: &Checked) -> Msg {
    let why = match &c.chain {
        _ if c.integrity != ["ok"] => c.integrity.join("; "),
        Err(b) => format!("audit chain: {b:?}"),
        Ok(_) => format!("rows changed: {}", c.rows_changed.join("; ")),
    };
    msg!("backup.check_failed", path = path.display(), detail = why)
}

/// When the newest checked backup of `counter` in the folder was taken
/// (one dated ahead by a wrong clock does not count).
pub fn last_good(folder: &Path, counter: &str, now: NaiveDateTime) -> Option<NaiveDateTime> {
    copies::list(folder, counter)
        .ok()?
        .iter()
        .rev()
        .find(|b| b.checked && !backup::from_the_future(b.taken, now))
        .map(|b| b.taken)
}

/// What a restore did and what the upload will do after it.
#[derive(Debug, Clone)]
pub struct Restored {
    pub file: PathBuf,
    pub checked: Checked,
    /// Whether a checksum beside the file was there (and matched).
    pub checksum: bool,
    pub aside: Option<PathBuf>,
    pub kept_seal: Option<PathBuf>,
    /// The epoch opened for what follows.
    pub new_epoch: i64,
    /// Records the seal named after the backup's newest: epoch, from, to.
    pub lost: Option<(i64, i64, i64)>,
    pub scans_copied: usize,
    pub scans_missing: Vec<String>,
}

/// Checks a backup as a restore would, changing nothing: the checksum
/// beside it (when there is one), integrity and the audit chain, and that
/// it is this counter's. Returns what it holds and whether a checksum was
/// there.
pub fn check_backup(config: &Config, file: &Path) -> Result<(Checked, bool), DeskError> {
    if !file.is_file() {
        return Err(msg!("backup.no_file", path = file.display()).into());
    }
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let sum_file = file.with_file_name(backup::checksum_name(&name));
    let checksum = match std::fs::read_to_string(&sum_file) {
        Ok(text) => {
            let named = backup::checksum_of(&text).unwrap_or_default().to_string();
            let actual = copies::sha256_file(file).map_err(|e| copies::io_error(file, e))?;
            if named != actual {
                return Err(msg!("backup.checksum_bad", path = file.display()).into());
            }
            true
        }
        Err(_) => false,
    };
    let checked = copies::check(file, true).map_err(|e| unusable(file, &e))?;
    if !checked.good() {
        return Err(check_failed(file, &checked).into());
    }
    let db = config.database_path()?;
    if let Some(ours) = this_counter(&db).filter(|c| !c.is_empty()) {
        if ours != checked.counter {
            return Err(msg!(
                "backup.other_counter",
                path = file.display(),
                theirs = checked.counter,
                ours = ours
            )
            .into());
        }
    }
    Ok((checked, checksum))
}

fn unusable(file: &Path, e: &crate::store::StoreError) -> DeskError {
    let detail = match e {
        crate::store::StoreError::Corrupt { detail, .. } => detail.clone(),
        // A newer program's backup is said as such, in its own words.
        crate::store::StoreError::TooNew { .. } => return DeskError::new(e.msg()),
        other => other.to_string(),
    };
    msg!("backup.unusable", path = file.display(), detail = detail).into()
}

/// The counter ID of the database at `db`, or of its seal when the file
/// is gone or unreadable (a dead disk leaves neither: then nobody can say).
fn this_counter(db: &Path) -> Option<String> {
    Some(copies::counter_of(db))
        .filter(|c| !c.is_empty())
        .or_else(|| seal::read(db).and_then(|s| s.counter))
}

/// Restores `file` in place of the configured database, by an
/// administrator of the backup (their password checked against it) with a
/// reason. Refused while a workstation runs on the database.
pub fn restore(
    config: &Config,
    clock: Clock,
    file: &Path,
    staff_no: &str,
    password: Option<&str>,
    reason: &str,
) -> Result<Restored, DeskError> {
    let (checked, checksum) = check_backup(config, file)?;
    {
        // The backup's own administrators say who may put it in place.
        let backup = Store::open_read_only(file, clock.clone())?;
        check_admin(&backup, staff_no, password)?;
    }
    let db = config.database_path()?;
    let lost = seal::read(&db).and_then(|s| match checked.head {
        Some((epoch, seq)) if s.epoch == epoch && s.seq > seq => Some((epoch, seq + 1, s.seq)),
        Some((epoch, _)) if s.epoch > epoch => Some((s.epoch, 1, s.seq)),
        None => Some((s.epoch, 1, s.seq)),
        _ => None,
    });
    let reason = match reason.trim() {
        "" => format!("restored from {}", file.display()),
        r => r.to_string(),
    };
    let ack = Acknowledgement {
        staff_no: staff_no.trim().to_string(),
        verified: true,
        reason,
        restored_from: Some(file.to_path_buf()),
    };
    let (store, put) = Store::restore(&db, file, clock, &ack)?;
    let new_epoch = outbox::identity(store.conn())?.epoch;
    let (scans_copied, scans_missing) =
        copies::copy_scans(&scans::folder(file), &scans::folder(&db), &checked.scans);
    tracing::warn!(new_epoch, "database restored from a backup");
    Ok(Restored {
        file: file.to_path_buf(),
        checked,
        checksum,
        aside: put.aside,
        kept_seal: put.kept_seal,
        new_epoch,
        lost,
        scans_copied,
        scans_missing,
    })
}

/// Every line an administrator is told after a restore.
pub fn restored_lines(r: &Restored) -> Vec<Msg> {
    let mut out = vec![msg!("backup.restored", path = r.file.display())];
    if !r.checksum {
        out.push(msg!("backup.no_checksum"));
    }
    if let Some(a) = &r.aside {
        out.push(msg!("backup.aside", path = a.display()));
    }
    out.push(msg!(
        "backup.send_again",
        n = r.checked.unsent,
        epoch = r.new_epoch
    ));
    if let Some((epoch, from, to)) = r.lost {
        out.push(msg!("backup.lost", epoch = epoch, from = from, to = to));
    }
    if r.scans_copied > 0 {
        out.push(msg!("backup.scans_back", n = r.scans_copied));
    }
    if !r.scans_missing.is_empty() {
        out.push(msg!("backup.scans_missing", n = r.scans_missing.len()));
    }
    out
}
