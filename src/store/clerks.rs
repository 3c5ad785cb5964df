//! Clerk rows: look-up, creation and the sign-in counters.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::stamp::ts;
use super::StoreError;
use crate::domain::clerk::Role;

/// A clerk as stored.
#[derive(Debug, Clone)]
pub struct ClerkRow {
    pub id: i64,
    pub staff_no: String,
    pub name: String,
    /// Role; `None` only if the row holds an unknown code.
    pub role: Option<Role>,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Disabled clerks cannot sign in.
    pub disabled: bool,
    /// Wrong passwords since the last success or lock.
    pub failed_attempts: u32,
    /// Locked until this instant.
    pub locked_until: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "id, staff_no, name, role, password_hash, disabled, failed_attempts, locked_until";

fn from_row(r: &Row) -> rusqlite::Result<ClerkRow> {
    let role: String = r.get(3)?;
    Ok(ClerkRow {
        id: r.get(0)?,
        staff_no: r.get(1)?,
        name: r.get(2)?,
        role: Role::from_code(&role),
        password_hash: r.get(4)?,
        disabled: r.get::<_, i64>(5)? != 0,
        failed_attempts: r.get::<_, i64>(6)?.max(0) as u32,
        locked_until: super::stamp::at_opt(r, 7)?,
    })
}

/// Finds a clerk by staff number.
pub fn by_staff_no(conn: &Connection, staff_no: &str) -> Result<Option<ClerkRow>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM clerk WHERE staff_no = ?1"),
            [staff_no],
            from_row,
        )
        .optional()?)
}

/// Every clerk, by staff number.
pub fn all(conn: &Connection) -> Result<Vec<ClerkRow>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM clerk ORDER BY staff_no"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// How many clerks exist (0 on a new database).
pub fn count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM clerk", [], |r| r.get(0))?)
}

/// Inserts a clerk; returns the row id.
pub fn insert(
    tx: &Transaction,
    staff_no: &str,
    name: &str,
    role: Role,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO clerk (staff_no, name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![staff_no, name, role.code(), password_hash, ts(now)],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Records the failure counter and any lock.
pub fn set_failures(
    tx: &Transaction,
    id: i64,
    failures: u32,
    locked_until: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE clerk SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
        params![id, failures, locked_until.map(ts)],
    )?;
    Ok(())
}

/// Sets a new password hash and clears failures and lock.
pub fn set_password(tx: &Transaction, id: i64, hash: &str) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE clerk SET password_hash = ?2, failed_attempts = 0, locked_until = NULL WHERE id = ?1",
        params![id, hash],
    )?;
    Ok(())
}

/// Disables or re-enables a clerk.
pub fn set_disabled(tx: &Transaction, id: i64, disabled: bool) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE clerk SET disabled = ?2 WHERE id = ?1",
        params![id, disabled as i64],
    )?;
    Ok(())
}
