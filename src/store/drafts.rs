//! Unfinished acceptances. Workstation scratch, not business records: saved
//! in a transaction of their own (`Store::scratch`), neither audited nor
//! uploaded.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Transaction};

use super::StoreError;

/// One saved draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRow {
    pub customer_id: i64,
    /// Business type.
    pub form_code: String,
    /// The draft's state as JSON.
    pub data: String,
    /// Last saved (UTC).
    pub updated_at: String,
}

/// Saves (or replaces) a clerk's draft for a customer and business type.
pub fn save(
    tx: &Transaction,
    clerk_id: i64,
    customer_id: i64,
    form_code: &str,
    data: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO draft (clerk_id, customer_id, form_code, data, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(clerk_id, customer_id, form_code) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        params![clerk_id, customer_id, form_code, data, super::stamp::ts(now)],
    )?;
    Ok(())
}

/// A clerk's drafts, newest first.
pub fn for_clerk(conn: &Connection, clerk_id: i64) -> Result<Vec<DraftRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, form_code, data, updated_at FROM draft WHERE clerk_id = ?1 ORDER BY updated_at DESC",
    )?;
    let rows = stmt.query_map([clerk_id], |r| {
        Ok(DraftRow {
            customer_id: r.get(0)?,
            form_code: r.get(1)?,
            data: r.get(2)?,
            updated_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Deletes a draft (finished or discarded).
pub fn delete(
    tx: &Transaction,
    clerk_id: i64,
    customer_id: i64,
    form_code: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM draft WHERE clerk_id = ?1 AND customer_id = ?2 AND form_code = ?3",
        params![clerk_id, customer_id, form_code],
    )?;
    Ok(())
}
