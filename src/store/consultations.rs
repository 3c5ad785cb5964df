//! Consultations: the one-time notice told to a customer who only asked.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::{at, day, ts};
use super::StoreError;

/// What was told, item by item: (section code, item id, text in Chinese).
pub type Told = Vec<(String, String, String)>;

/// A consultation to write.
pub struct NewConsultation<'a> {
    pub on: NaiveDate,
    pub window: &'a str,
    /// "ZX" with a lab prefix in practice.
    pub prefix: &'a str,
    pub form_code: &'a str,
    pub form_version: &'a str,
    pub clerk_id: i64,
    pub customer_id: Option<i64>,
    pub items: &'a Told,
}

/// Writes it with the day's next number at this window; (id, number).
pub fn insert(
    tx: &Transaction,
    c: &NewConsultation,
    now: DateTime<Utc>,
) -> Result<(i64, String), StoreError> {
    let seq: i64 = tx.query_row(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM consultation WHERE day = ?1 AND window = ?2",
        params![day(c.on), c.window],
        |r| r.get(0),
    )?;
    let number = format!(
        "{}ZX{}-{}-{seq:04}",
        c.prefix,
        c.on.format("%Y%m%d"),
        c.window
    );
    tx.execute(
        "INSERT INTO consultation (number, day, window, seq, form_code, form_version, clerk_id,
                                   customer_id, told_at, items)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            number,
            day(c.on),
            c.window,
            seq,
            c.form_code,
            c.form_version,
            c.clerk_id,
            c.customer_id,
            ts(now),
            serde_json::to_string(c.items).unwrap_or_else(|_| "[]".into()),
        ],
    )?;
    Ok((tx.last_insert_rowid(), number))
}

/// A consultation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationRow {
    pub number: String,
    pub form_version: String,
    pub told_at: DateTime<Utc>,
    pub items: Told,
}

/// The customer's latest consultation about a business, if any.
pub fn latest(
    conn: &Connection,
    customer_id: i64,
    form_code: &str,
) -> Result<Option<ConsultationRow>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT number, form_version, told_at, items FROM consultation
             WHERE customer_id = ?1 AND form_code = ?2 ORDER BY id DESC LIMIT 1",
            params![customer_id, form_code],
            |r| {
                let items: String = r.get(3)?;
                Ok(ConsultationRow {
                    number: r.get(0)?,
                    form_version: r.get(1)?,
                    told_at: at(r, 2)?,
                    items: serde_json::from_str(&items).unwrap_or_default(),
                })
            },
        )
        .optional()?)
}
