//! The window's own record of the queue tickets it served.

use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};

use super::stamp::ts;
use super::StoreError;
use crate::domain::queue::Outcome;

/// A visit as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit<'a> {
    pub ticket: &'a str,
    pub day: &'a str,
    pub window: &'a str,
    pub clerk_id: i64,
    pub group: &'a str,
    pub green: bool,
    pub outcome: Outcome,
    pub issued_at: &'a str,
    pub called_at: DateTime<Utc>,
    pub refs: &'a [String],
}

/// Writes the visit; its row id.
pub fn insert(tx: &Transaction, v: &Visit, now: DateTime<Utc>) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO queue_visit (ticket, day, window, clerk_id, group_code, green, outcome,
                                  issued_at, called_at, ended_at, refs)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        v.ticket,
        v.day,
        v.window,
        v.clerk_id,
        v.group,
        v.green,
        v.outcome.code(),
        v.issued_at,
        ts(v.called_at),
        ts(now),
        serde_json::to_string(v.refs).unwrap_or_else(|_| "[]".into()),
    ])?;
    Ok(tx.last_insert_rowid())
}
