//! Slip copies: which were produced, where the file is, how printing went.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Transaction};

use super::stamp::{at, ts};
use super::StoreError;
use crate::domain::states::{Paper, PrintStatus, SlipKind};

/// One produced copy of a slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipRow {
    pub id: i64,
    pub kind: SlipKind,
    /// Document number (ticket or receipt number).
    pub number: String,
    /// 0 for the original, n for the n-th reprint.
    pub copy: i64,
    /// File in the spool.
    pub file: String,
    /// How printing went.
    pub print_status: PrintStatus,
    /// Why printing failed.
    pub print_error: Option<String>,
    /// When it was produced.
    pub produced_at: DateTime<Utc>,
}

/// The next copy number of a slip (0 when none was produced yet).
pub fn next_copy(conn: &Connection, kind: SlipKind, number: &str) -> Result<i64, StoreError> {
    let max: Option<i64> = conn.query_row(
        "SELECT max(copy) FROM slip WHERE kind = ?1 AND number = ?2",
        params![kind, number],
        |r| r.get(0),
    )?;
    Ok(max.map(|m| m + 1).unwrap_or(0))
}

/// What a new slip row holds.
pub struct NewSlip<'a> {
    pub kind: SlipKind,
    pub number: &'a str,
    pub copy: i64,
    /// Application, when the slip is about one.
    pub application_id: Option<i64>,
    /// Spool file.
    pub file: &'a str,
    pub paper: Paper,
    /// Producing clerk.
    pub produced_by: Option<i64>,
    /// Duty manager who authorised a receipt reprint.
    pub authorised_by: Option<i64>,
    /// Practice-lab slip.
    pub training: bool,
}

/// Records a produced slip; returns its id.
pub fn insert(tx: &Transaction, s: &NewSlip, now: DateTime<Utc>) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO slip (kind, number, copy, application_id, file, paper, produced_at, produced_by, authorised_by, training)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            s.kind,
            s.number,
            s.copy,
            s.application_id,
            s.file,
            s.paper,
            ts(now),
            s.produced_by,
            s.authorised_by,
            s.training as i64
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Records how printing went.
pub fn set_print_status(
    tx: &Transaction,
    id: i64,
    status: PrintStatus,
    error: Option<&str>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE slip SET print_status = ?2, print_error = ?3 WHERE id = ?1",
        params![id, status, error],
    )?;
    Ok(())
}

/// Every copy of slips with this number, oldest first.
pub fn by_number(conn: &Connection, number: &str) -> Result<Vec<SlipRow>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, number, copy, file, print_status, print_error, produced_at FROM slip
         WHERE number = ?1 ORDER BY kind, copy",
    )?;
    let rows = stmt.query_map([number], |r| {
        Ok(SlipRow {
            id: r.get(0)?,
            kind: r.get(1)?,
            number: r.get(2)?,
            copy: r.get(3)?,
            file: r.get(4)?,
            print_status: r.get(5)?,
            print_error: r.get(6)?,
            produced_at: at(r, 7)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
