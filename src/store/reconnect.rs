//! Reconnections after arrears: opened in a payment's transaction when it
//! clears the arrears of an account HQ reports cut off, listed at the top
//! of the queue, closed when HQ reports the account supplied again.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::{at, ts};
use super::StoreError;
use crate::domain::case::ReconnectionCancel;
use crate::domain::money::CustomerClass;

/// Bills of an account still unpaid — from HQ's list and from imported
/// files — other than the period being paid now.
pub fn arrears_left(conn: &Connection, account: &str, paying: &str) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM (
                 SELECT period FROM hq_bill WHERE account_no = ?1
                 UNION SELECT period FROM bill WHERE account_no = ?1) b
             WHERE b.period != ?2 AND NOT EXISTS (
                 SELECT 1 FROM payment p WHERE p.kind = 'bill' AND p.status = 'paid' AND p.dishonoured_at IS NULL
                   AND p.account_no = ?1 AND p.period = b.period)",
        )?
        .query_row(params![account, paying], |r| r.get(0))?)
}

/// Whether the account already waits for a reconnection.
pub fn open_for(conn: &Connection, account: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM reconnection WHERE account_no = ?1 AND done_at IS NULL AND cancelled_at IS NULL",
        )?
        .query_row([account], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Opens the reconnection a payment made due.
pub fn open(
    tx: &Transaction,
    payment: i64,
    account: &str,
    class: CustomerClass,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO reconnection (payment_id, account_no, class, opened_at, due_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![payment, account, class, ts(now), ts(due)])?;
    Ok(())
}

/// The reconnection a payment opened and still stands: when it is due.
pub fn of_payment(conn: &Connection, payment: i64) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT due_at FROM reconnection WHERE payment_id = ?1 AND cancelled_at IS NULL",
        )?
        .query_row([payment], |r| at(r, 0))
        .optional()?)
}

/// A bill payment no longer stands: its bill is owed again, so the
/// account's waiting reconnection is called off, whichever of its
/// payments opened it. Returns the payments whose reconnection it was.
pub fn cancel(
    tx: &Transaction,
    payment: i64,
    why: ReconnectionCancel,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    let mut st = tx.prepare_cached(
        "UPDATE reconnection SET cancelled_at = ?2, cancel_reason = ?3
         WHERE account_no = (SELECT account_no FROM payment WHERE id = ?1 AND kind = 'bill')
           AND done_at IS NULL AND cancelled_at IS NULL
         RETURNING payment_id",
    )?;
    let ids = st.query_map(params![payment, ts(now), why], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

/// HQ reports the account supplied again: its open reconnections are done.
/// Returns the payments whose reconnections they were.
pub fn close_for(tx: &Transaction, account: &str, when: &str) -> Result<Vec<i64>, StoreError> {
    let mut st = tx.prepare_cached(
        "UPDATE reconnection SET done_at = ?2 WHERE account_no = ?1 AND done_at IS NULL AND cancelled_at IS NULL
         RETURNING payment_id",
    )?;
    let ids = st.query_map(params![account, when], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

/// An open reconnection as the queue lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReconnection {
    pub account: String,
    /// The holder HQ names, and their ID number.
    pub holder: Option<(String, String)>,
    pub due_at: DateTime<Utc>,
    /// The clerk who took the payment: staff number, name, disabled.
    pub clerk: (String, String, bool),
}

/// Every open reconnection, the earliest due first.
pub fn open_ones(conn: &Connection) -> Result<Vec<OpenReconnection>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT r.account_no, h.holder_name, h.holder_id, r.due_at, c.staff_no, c.name, c.disabled
         FROM reconnection r JOIN payment p ON p.id = r.payment_id JOIN clerk c ON c.id = p.clerk_id
         LEFT JOIN hq_account h ON h.account_no = r.account_no
         WHERE r.done_at IS NULL AND r.cancelled_at IS NULL ORDER BY r.due_at",
    )?;
    let rows = st.query_map([], |r| {
        let name: Option<String> = r.get(1)?;
        let id: Option<String> = r.get(2)?;
        Ok(OpenReconnection {
            account: r.get(0)?,
            holder: name.zip(id),
            due_at: at(r, 3)?,
            clerk: (r.get(4)?, r.get(5)?, r.get::<_, i64>(6)? != 0),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
