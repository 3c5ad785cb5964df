//! The customer manager of each case.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::ts;
use super::StoreError;
use crate::domain::grid::Manager;

/// Sets the case's customer manager (the reason when chosen by hand).
pub fn set(
    tx: &Transaction,
    application_id: i64,
    m: &Manager,
    reason: Option<&str>,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO case_manager (application_id, name, phone, grid, source, reason, assigned_by, assigned_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(application_id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
             grid = excluded.grid, source = excluded.source, reason = excluded.reason,
             assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at",
        params![application_id, m.name, m.phone, m.grid, m.source, reason, by, ts(now)],
    )?;
    Ok(())
}

/// The case's customer manager, if it has one.
pub fn of(conn: &Connection, application_id: i64) -> Result<Option<Manager>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, phone, grid, source FROM case_manager WHERE application_id = ?1",
    )?;
    Ok(stmt
        .query_row([application_id], |r| {
            Ok(Manager {
                name: r.get(0)?,
                phone: r.get(1)?,
                grid: r.get(2)?,
                source: r.get(3)?,
            })
        })
        .optional()?)
}
