//! The customer's file of materials: written once per material handed in,
//! read whole for a customer (a customer has tens, not thousands).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Row, Transaction};

use super::stamp::{at, day, day_opt, ts};
use super::StoreError;
use crate::domain::form::Text;
use crate::domain::material_file::{Details, Filed, Keep, Validity};

/// A material going on file.
pub struct NewFiled<'a> {
    pub customer_id: i64,
    pub material_id: &'a str,
    pub name: &'a Text,
    pub keep: Keep,
    pub details: &'a Details,
    pub address: Option<&'a str>,
    pub application_id: Option<i64>,
    /// Ticket number, or `reader` for the ID card reader.
    pub source: &'a str,
    pub received_by: i64,
    /// The scan's sha256, when one was attached.
    pub scan: Option<&'a str>,
}

fn validity_text(v: Validity) -> Option<String> {
    match v {
        Validity::Unknown => None,
        Validity::Until(d) => Some(day(d)),
        Validity::LongTerm => Some("long_term".into()),
    }
}

fn validity_of(r: &Row, idx: usize) -> rusqlite::Result<Validity> {
    match r.get::<_, Option<String>>(idx)?.as_deref() {
        None => Ok(Validity::Unknown),
        Some("long_term") => Ok(Validity::LongTerm),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Validity::Until)
            .map_err(|_| {
                rusqlite::Error::FromSqlConversionFailure(
                    idx,
                    rusqlite::types::Type::Text,
                    format!("unreadable validity \"{s}\"").into(),
                )
            }),
    }
}

/// Puts one material on the customer's file; its id.
pub fn insert(tx: &Transaction, f: &NewFiled, now: DateTime<Utc>) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO material_file (customer_id, material_id, name_zh, name_en, keep, doc_no, authority,
                                    issued_on, valid_until, address, application_id, source,
                                    received_by, received_at, scan_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            f.customer_id,
            f.material_id,
            f.name.zh,
            f.name.en,
            f.keep,
            f.details.doc_no,
            f.details.authority,
            f.details.issued_on.map(day),
            validity_text(f.details.validity),
            f.address,
            f.application_id,
            f.source,
            f.received_by,
            ts(now),
            f.scan,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

const COLUMNS: &str =
    "f.id, f.material_id, f.name_zh, f.name_en, f.keep, f.doc_no, f.authority, f.issued_on,
    f.valid_until, f.address, f.source, f.received_at, s.sha256, s.kind, s.bytes, s.file_name";

fn filed(r: &Row) -> rusqlite::Result<Filed> {
    Ok(Filed {
        id: r.get(0)?,
        material_id: r.get(1)?,
        name: Text {
            zh: r.get(2)?,
            en: r.get(3)?,
        },
        keep: r.get(4)?,
        doc_no: r.get(5)?,
        authority: r.get(6)?,
        issued_on: day_opt(r, 7)?,
        validity: validity_of(r, 8)?,
        address: r.get(9)?,
        source: r.get(10)?,
        received_at: at(r, 11)?,
        scan: super::scans::scan_at(r, 12)?,
    })
}

/// The customer's whole file, oldest first.
pub fn of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<Filed>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM material_file f LEFT JOIN scan s ON s.sha256 = f.scan_sha256
         WHERE f.customer_id = ?1 ORDER BY f.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([customer_id], filed)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
