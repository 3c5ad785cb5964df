//! Refunds after a shift is closed.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::StoreError;
use crate::domain::money::Fen;

/// A refund to record.
pub struct NewRefund<'a> {
    pub refund_no: &'a str,
    /// The payment refunded.
    pub payment_id: i64,
    pub amount: Fen,
    /// The customer's bank account.
    pub bank_account: &'a str,
    /// Its holder, the customer.
    pub holder: &'a str,
    /// Why.
    pub reason: &'a str,
    /// The duty manager.
    pub by: i64,
}

/// Records a refund.
pub fn insert(tx: &Transaction, r: &NewRefund, now: DateTime<Utc>) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO refund (refund_no, payment_id, amount_fen, bank_account, holder, reason, by_clerk, refunded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        r.refund_no,
        r.payment_id,
        r.amount.0,
        r.bank_account,
        r.holder,
        r.reason,
        r.by,
        now.to_rfc3339_opts(SecondsFormat::Millis, true)
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A refund as recorded, with what its slip prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRow {
    pub refund_no: String,
    /// The receipt refunded.
    pub receipt_no: String,
    /// Account or ticket of the payment.
    pub for_what: String,
    /// What the payment came to (due plus late fee).
    pub paid: Fen,
    /// This refund.
    pub amount: Fen,
    pub bank_account: String,
    pub holder: String,
    pub reason: String,
    /// The duty manager's staff number and name.
    pub by: (String, String),
    /// When (UTC).
    pub refunded_at: chrono::DateTime<chrono::Utc>,
}

/// A refund by number.
pub fn by_number(conn: &Connection, refund_no: &str) -> Result<Option<RefundRow>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT r.refund_no, p.receipt_no, coalesce(p.account_no, a.ticket_no, ''),
                    p.due_fen + p.late_fee_fen, r.amount_fen, r.bank_account, r.holder, r.reason,
                    c.staff_no, c.name, r.refunded_at
             FROM refund r JOIN payment p ON p.id = r.payment_id JOIN clerk c ON c.id = r.by_clerk
             LEFT JOIN application a ON a.id = p.application_id
             WHERE r.refund_no = ?1",
            [refund_no],
            |r| {
                Ok(RefundRow {
                    refund_no: r.get(0)?,
                    receipt_no: r.get(1)?,
                    for_what: r.get(2)?,
                    paid: Fen(r.get(3)?),
                    amount: Fen(r.get(4)?),
                    bank_account: r.get(5)?,
                    holder: r.get(6)?,
                    reason: r.get(7)?,
                    by: (r.get(8)?, r.get(9)?),
                    refunded_at: super::stamp::at(r, 10)?,
                })
            },
        )
        .optional()?)
}

/// The name of the customer a payment belongs to, when known: the holder
/// of the account, or the applicant of the application.
pub fn customer_name_of(conn: &Connection, payment: i64) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT coalesce(
                 (SELECT c.name FROM account ac JOIN customer c ON c.id = ac.customer_id WHERE ac.account_no = p.account_no),
                 (SELECT c.name FROM application a JOIN customer c ON c.id = a.customer_id WHERE a.id = p.application_id))
             FROM payment p WHERE p.id = ?1",
            [payment],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Refunds of a local day (`from <= refunded_at < to`): how many and how much.
pub fn day_totals(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(i64, Fen), StoreError> {
    let (n, sum): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(amount_fen), 0) FROM refund WHERE refunded_at >= ?1 AND refunded_at < ?2",
        params![
            from.to_rfc3339_opts(SecondsFormat::Millis, true),
            to.to_rfc3339_opts(SecondsFormat::Millis, true)
        ],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((n, Fen(sum)))
}
