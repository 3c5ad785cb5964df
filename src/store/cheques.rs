//! Cheques held until the bank confirms the funds.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, Transaction};

use super::StoreError;
use crate::domain::money::Fen;

/// Marks a payment's receipt as held for its cheque, in the payment's transaction.
pub fn hold(tx: &Transaction, payment: i64) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO cheque_hold (payment_id) VALUES (?1)")?
        .execute([payment])?;
    Ok(())
}

/// Records that the funds arrived; false when the payment holds no cheque
/// still waiting.
pub fn confirm(
    tx: &Transaction,
    payment: i64,
    by: i64,
    bank_ref: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = tx
        .prepare_cached(
            "UPDATE cheque_hold SET confirmed_at = ?2, confirmed_by = ?3, bank_ref = ?4
             WHERE payment_id = ?1 AND confirmed_at IS NULL",
        )?
        .execute(params![
            payment,
            now.to_rfc3339_opts(SecondsFormat::Millis, true),
            by,
            bank_ref
        ])?;
    Ok(n == 1)
}

/// Records that the bank returned a held cheque unpaid: the payment no
/// longer settles its bill or fee. False when nothing was waiting.
pub fn dishonour(
    tx: &Transaction,
    payment: i64,
    by: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = tx
        .prepare_cached(
            "UPDATE cheque_hold SET dishonoured_by = ?2, dishonour_reason = ?3
             WHERE payment_id = ?1 AND confirmed_at IS NULL AND dishonoured_by IS NULL",
        )?
        .execute(params![payment, by, reason])?;
    if n != 1 {
        return Ok(false);
    }
    tx.prepare_cached("UPDATE payment SET dishonoured_at = ?2 WHERE id = ?1")?
        .execute(params![
            payment,
            now.to_rfc3339_opts(SecondsFormat::Millis, true)
        ])?;
    Ok(true)
}

/// A cheque still waiting for its funds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCheque {
    pub receipt_no: String,
    /// The cheque's number as typed.
    pub cheque_no: Option<String>,
    /// The amount the cheque applied.
    pub amount: Fen,
    /// Account or ticket the payment was for.
    pub for_what: String,
    /// Taken at (UTC).
    pub paid_at: chrono::DateTime<chrono::Utc>,
}

/// Every cheque still waiting, oldest first (payments reversed since are
/// not waiting for anything).
pub fn held(conn: &Connection) -> Result<Vec<HeldCheque>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.receipt_no, t.reference, t.applied_fen, coalesce(p.account_no, a.ticket_no, ''), p.paid_at
         FROM cheque_hold h JOIN payment p ON p.id = h.payment_id
         JOIN payment_tender t ON t.payment_id = p.id AND t.method = 'cheque'
         LEFT JOIN application a ON a.id = p.application_id
         WHERE h.confirmed_at IS NULL AND p.dishonoured_at IS NULL AND p.status = 'paid'
         ORDER BY p.paid_at, p.id, t.seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(HeldCheque {
            receipt_no: r.get(0)?,
            cheque_no: r.get(1)?,
            amount: Fen(r.get(2)?),
            for_what: r.get(3)?,
            paid_at: super::stamp::at(r, 4)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Cheques recorded as returned unpaid in a local day (`from <=
/// dishonoured_at < to`): how many payments and what they came to.
pub fn dishonoured_day_totals(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(i64, Fen), StoreError> {
    let (n, sum): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(due_fen + late_fee_fen), 0) FROM payment
         WHERE dishonoured_at >= ?1 AND dishonoured_at < ?2",
        params![
            from.to_rfc3339_opts(SecondsFormat::Millis, true),
            to.to_rfc3339_opts(SecondsFormat::Millis, true)
        ],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((n, Fen(sum)))
}
