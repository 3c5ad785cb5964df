//! Bills from headquarters and the files they came in.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::ts;
use super::StoreError;
use crate::domain::bills::{class_code, class_from_code, BillLine};
use crate::domain::money::{CustomerClass, Fen};

/// An imported file as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub id: i64,
    /// The file's name when it was imported.
    pub file_name: String,
    /// Bills in the file.
    pub rows: i64,
    /// When (RFC 3339, UTC).
    pub imported_at: DateTime<Utc>,
    /// Staff number of the clerk who ran it; `None` for the nightly job.
    pub imported_by: Option<String>,
}

/// The earlier import of a file with this digest, if any.
pub fn import_by_sha(conn: &Connection, sha256: &str) -> Result<Option<ImportRow>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT i.id, i.file_name, i.rows, i.imported_at, c.staff_no
             FROM bill_import i LEFT JOIN clerk c ON c.id = i.imported_by
             WHERE i.sha256 = ?1",
            [sha256],
            |r| {
                Ok(ImportRow {
                    id: r.get(0)?,
                    file_name: r.get(1)?,
                    rows: r.get(2)?,
                    imported_at: super::stamp::at(r, 3)?,
                    imported_by: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Records an imported file; returns its id. The unique digest refuses a
/// second import of the same bytes even if two runs race.
pub fn insert_import(
    tx: &Transaction,
    file_name: &str,
    sha256: &str,
    rows: usize,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO bill_import (file_name, sha256, rows, imported_at, imported_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![file_name, sha256, rows as i64, ts(now), by],
    )?;
    Ok(tx.last_insert_rowid())
}

/// A bill as stored, with the receipt that paid it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillRow {
    pub id: i64,
    /// Account number (户号).
    pub account_no: String,
    /// Billing period, `YYYY-MM`.
    pub period: String,
    /// Amount owed, before any late fee.
    pub arrears: Fen,
    /// Last day to pay without a late fee.
    pub due_date: NaiveDate,
    /// Residential or other, for the late-fee rate.
    pub class: CustomerClass,
    /// The import that last wrote it.
    pub import_id: Option<i64>,
    /// The receipt of the payment that settled it; `None` while unpaid.
    pub paid_receipt: Option<String>,
}

impl BillRow {
    /// Whether a payment that is not reversed settled the bill.
    pub fn is_paid(&self) -> bool {
        self.paid_receipt.is_some()
    }
}

// HQ's live list (hq_bill, sent down) wins over a file import for the same
// account and period; the file import is the offline fallback.
// The receipt comes from the payment table, through the partial unique
// index on paid bill payments, so "paid" has one definition everywhere.
const BILL_SELECT: &str = "SELECT b.id, b.account_no, b.period, b.arrears_fen, b.due_date, b.class, b.import_id,
        (SELECT p.receipt_no FROM payment p
         WHERE p.kind = 'bill' AND p.status = 'paid' AND p.dishonoured_at IS NULL AND p.account_no = b.account_no AND p.period = b.period)
     FROM (SELECT id, account_no, period, arrears_fen, due_date, class, import_id FROM bill l
           WHERE NOT EXISTS (SELECT 1 FROM hq_bill h
                             WHERE h.account_no = l.account_no AND h.period = l.period)
           UNION ALL
           SELECT -hq_seq, account_no, period, arrears_fen, due_date, class, NULL FROM hq_bill) b";

fn bill_row(r: &rusqlite::Row) -> rusqlite::Result<BillRow> {
    let due: String = r.get(4)?;
    let due_date = NaiveDate::parse_from_str(&due, "%Y-%m-%d")
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, Type::Text, Box::new(e)))?;
    let class: String = r.get(5)?;
    let class = class_from_code(&class).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            5,
            Type::Text,
            format!("unknown bill class {class:?}").into(),
        )
    })?;
    Ok(BillRow {
        id: r.get(0)?,
        account_no: r.get(1)?,
        period: r.get(2)?,
        arrears: Fen(r.get(3)?),
        due_date,
        class,
        import_id: r.get(6)?,
        paid_receipt: r.get(7)?,
    })
}

/// The bill of an account for a period.
pub fn bill(conn: &Connection, account: &str, period: &str) -> Result<Option<BillRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{BILL_SELECT} WHERE b.account_no = ?1 AND b.period = ?2"
    ))?;
    Ok(stmt
        .query_row(params![account, period], bill_row)
        .optional()?)
}

/// The unpaid bills of an account, oldest period first.
pub fn open_bills(conn: &Connection, account: &str) -> Result<Vec<BillRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{BILL_SELECT} WHERE b.account_no = ?1
           AND NOT EXISTS (SELECT 1 FROM payment p
                           WHERE p.kind = 'bill' AND p.status = 'paid' AND p.dishonoured_at IS NULL
                             AND p.account_no = b.account_no AND p.period = b.period)
         ORDER BY b.period, b.due_date"
    ))?;
    let rows = stmt.query_map([account], bill_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// What one line of a file did to the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upsert {
    /// A bill not seen before.
    New,
    /// An unpaid bill whose amount, due date or class changed.
    Updated,
    /// An unpaid bill sent again as it was.
    Unchanged,
    /// Already paid, with the receipt: the stored bill stays as it was paid.
    AlreadyPaid(String),
}

/// Writes one bill of an import in the caller's transaction: new bills are
/// inserted, unpaid ones brought up to date, paid ones left alone.
pub fn upsert(tx: &Transaction, b: &BillLine, import_id: i64) -> Result<Upsert, StoreError> {
    let existing = tx
        .prepare_cached(
            "SELECT id, arrears_fen, due_date, class FROM bill WHERE account_no = ?1 AND period = ?2",
        )?
        .query_row(params![b.account_no, b.period], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .optional()?;
    let paid: Option<String> = tx
        .prepare_cached(
            "SELECT receipt_no FROM payment
             WHERE kind = 'bill' AND status = 'paid' AND dishonoured_at IS NULL AND account_no = ?1 AND period = ?2",
        )?
        .query_row(params![b.account_no, b.period], |r| r.get(0))
        .optional()?;
    let due = b.due_date.format("%Y-%m-%d").to_string();
    let class = class_code(b.class);
    match (existing, paid) {
        (Some(_), Some(receipt)) => Ok(Upsert::AlreadyPaid(receipt)),
        (None, paid) => {
            // A bill paid at the counter before headquarters' list arrived
            // is still recorded, so the table holds every bill sent.
            tx.prepare_cached(
                "INSERT INTO bill (account_no, period, arrears_fen, due_date, class, import_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                b.account_no,
                b.period,
                b.arrears.0,
                due,
                class,
                import_id
            ])?;
            Ok(match paid {
                Some(receipt) => Upsert::AlreadyPaid(receipt),
                None => Upsert::New,
            })
        }
        (Some((id, arrears, old_due, old_class)), None) => {
            let same = arrears == b.arrears.0 && old_due == due && old_class == class;
            tx.prepare_cached(
                "UPDATE bill SET arrears_fen = ?2, due_date = ?3, class = ?4, import_id = ?5 WHERE id = ?1",
            )?
            .execute(params![id, b.arrears.0, due, class, import_id])?;
            Ok(if same {
                Upsert::Unchanged
            } else {
                Upsert::Updated
            })
        }
    }
}
