//! Scanned copies, kept once each: the bytes under their sha256 in the
//! `scans` folder beside the database (written whole, synced, then named),
//! the row saying what they are, and which of them HQ still lacks.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::ts;
use super::StoreError;
use crate::domain::scan::{ScanKind, ScanRef};
#[cfg(test)]
use crate::domain::upload::sha256_hex;

/// The folder the scans of the database at `db` are kept in.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("scans")
}

/// Where the object with this hash lives: `scans/ab/abcdef…`, so no folder
/// grows past a few hundred files.
pub fn path_of(folder: &Path, sha256: &str) -> PathBuf {
    folder.join(&sha256[..2]).join(sha256)
}

/// Keeps `bytes` under their hash; an object already kept (the same scan
/// attached twice) is not written again. The file appears whole or not at
/// all, and is on disk before the row that names it is committed.
pub fn keep(folder: &Path, sha256: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let path = path_of(folder, sha256);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) {
        return Ok(path);
    }
    let dir = path.parent().unwrap_or(folder);
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{sha256}.part"));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        // The new name itself survives a power cut only once its folder is.
        std::fs::File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map(|_| path)
}

/// Records a kept object; one already recorded stays as it was.
pub fn record(
    tx: &Transaction,
    scan: &ScanRef,
    taken_by: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO scan (sha256, kind, bytes, file_name, taken_by, taken_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sha256) DO NOTHING",
        params![
            scan.sha256,
            scan.kind,
            scan.bytes as i64,
            scan.file_name,
            taken_by,
            ts(now)
        ],
    )?;
    Ok(())
}

/// The scan in four columns from `at` (sha256, kind, bytes, file name), or
/// None where the first is NULL (a left join that found none).
pub fn scan_at(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Option<ScanRef>> {
    let Some(sha256) = r.get::<_, Option<String>>(at)? else {
        return Ok(None);
    };
    Ok(Some(ScanRef {
        sha256,
        kind: r.get::<_, ScanKind>(at + 1)?,
        bytes: r.get::<_, i64>(at + 2)? as u64,
        file_name: r.get(at + 3)?,
    }))
}

/// A recorded object.
pub fn get(conn: &Connection, sha256: &str) -> Result<Option<ScanRef>, StoreError> {
    let row = conn
        .query_row(
            "SELECT sha256, kind, bytes, file_name FROM scan WHERE sha256 = ?1",
            [sha256],
            |r| scan_at(r, 0),
        )
        .optional()?;
    Ok(row.flatten())
}

/// Every recorded object, for the check of the scans folder.
pub fn all(conn: &Connection) -> Result<Vec<ScanRef>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT sha256, kind, bytes, file_name FROM scan ORDER BY sha256")?;
    let rows = stmt.query_map([], |r| scan_at(r, 0))?;
    Ok(rows
        .filter_map(Result::transpose)
        .collect::<Result<_, _>>()?)
}

/// Objects a material on file names and HQ has not said it holds: a scan
/// taken for a draft thrown away never leaves the counter.
pub fn unsent(conn: &Connection) -> Result<Vec<(String, ScanKind)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT s.sha256, s.kind FROM scan s
         WHERE s.sent_at IS NULL
           AND EXISTS (SELECT 1 FROM material_file m WHERE m.scan_sha256 = s.sha256)
         ORDER BY s.taken_at, s.sha256",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// HQ holds these objects now.
pub fn mark_sent(tx: &Transaction, shas: &[String], now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached("UPDATE scan SET sent_at = ?2 WHERE sha256 = ?1")?;
    for sha in shas {
        stmt.execute(params![sha, ts(now)])?;
    }
    Ok(())
}

/// Names the scan on the newest filed entry of a material of an
/// application; the entry's id, or None when nothing of it is on file.
pub fn attach(
    tx: &Transaction,
    application_id: i64,
    material_id: &str,
    sha256: &str,
) -> Result<Option<i64>, StoreError> {
    let id: Option<i64> = tx
        .query_row(
            "SELECT max(id) FROM material_file WHERE application_id = ?1 AND material_id = ?2",
            params![application_id, material_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if let Some(id) = id {
        tx.execute(
            "UPDATE material_file SET scan_sha256 = ?2 WHERE id = ?1",
            params![id, sha256],
        )?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_is_kept_once_under_its_hash() {
        let dir = tempfile::tempdir().expect("tmp");
        let bytes = b"%PDF-1.4 a scan".to_vec();
        let sha = sha256_hex(&bytes);
        let p = keep(dir.path(), &sha, &bytes).expect("keep");
        assert_eq!(p, dir.path().join(&sha[..2]).join(&sha));
        assert_eq!(std::fs::read(&p).expect("read"), bytes);
        let again = keep(dir.path(), &sha, &bytes).expect("again");
        assert_eq!(again, p);
        let names: Vec<_> = std::fs::read_dir(p.parent().expect("dir"))
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no part file left: {names:?}");
    }
}
