//! The day report: payments of one day summed by clerk and method, in SQL.
//!
//! Both queries read a range of `payment_paid_at` (one day among millions
//! of payments) and the tenders of those payments by primary key; nothing
//! is summed in Rust that SQLite can sum.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::stamp::ts;
use super::StoreError;
use crate::domain::money::{Fen, Method};

/// Payment-level figures of one clerk for the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkDayRow {
    pub clerk_id: i64,
    pub staff_no: String,
    pub name: String,
    /// Payments still standing.
    pub payments: i64,
    /// Payments reversed since.
    pub reversed: i64,
    /// Late fees of the payments still standing.
    pub late_fees: Fen,
    /// Change handed back on the payments still standing.
    pub change: Fen,
}

/// The figures of one clerk and one method for the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodDayRow {
    pub clerk_id: i64,
    pub method: Method,
    /// Payments still standing that used the method (a split payment
    /// counts once under each of its methods).
    pub payments: i64,
    /// Applied to bills and fees by the method, payments still standing.
    pub amount: Fen,
    /// Reversed payments that used the method.
    pub reversed: i64,
    /// The part of the late fees this method paid (see [`method_rows`]).
    pub late_fees: Fen,
    /// Change handed back (cash only).
    pub change: Fen,
}

/// Per clerk, the payments with `from <= paid_at < to`, by staff number.
pub fn clerk_rows(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ClerkDayRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.clerk_id, c.staff_no, c.name,
                sum(p.status = 'paid'),
                sum(p.status = 'reversed'),
                sum(CASE WHEN p.status = 'paid' THEN p.late_fee_fen ELSE 0 END),
                sum(CASE WHEN p.status = 'paid' THEN p.change_fen ELSE 0 END)
         FROM payment p JOIN clerk c ON c.id = p.clerk_id
         WHERE p.paid_at >= ?1 AND p.paid_at < ?2
         GROUP BY p.clerk_id
         ORDER BY c.staff_no",
    )?;
    let rows = stmt.query_map(params![ts(from), ts(to)], |r| {
        Ok(ClerkDayRow {
            clerk_id: r.get(0)?,
            staff_no: r.get(1)?,
            name: r.get(2)?,
            payments: r.get(3)?,
            reversed: r.get(4)?,
            late_fees: Fen(r.get(5)?),
            change: Fen(r.get(6)?),
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Per clerk and method, the payments with `from <= paid_at < to`.
///
/// A payment's late fee is shared out over its tenders in the order
/// `settle_split` applies them (non-cash first, then cash, each by entry
/// order), as the last part of the amount due: a tender's share is what it
/// applied beyond the arrears. So a method's late fees never exceed its
/// amount, and the shares add up to the payment's late fee to the fen.
/// Change is cash's, counted once per payment.
pub fn method_rows(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<MethodDayRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "WITH day AS (
             SELECT id, clerk_id, status, due_fen, change_fen
             FROM payment WHERE paid_at >= ?1 AND paid_at < ?2
         ),
         tender AS (
             SELECT d.clerk_id, d.status, d.due_fen, d.change_fen, t.method, t.applied_fen,
                    row_number() OVER (PARTITION BY t.payment_id, t.method ORDER BY t.seq) AS nth,
                    sum(t.applied_fen) OVER (
                        PARTITION BY t.payment_id ORDER BY t.method = 'cash', t.seq
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
             FROM day d JOIN payment_tender t ON t.payment_id = d.id
         )
         SELECT clerk_id, method,
                sum(status = 'paid' AND nth = 1),
                sum(CASE WHEN status = 'paid' THEN applied_fen ELSE 0 END),
                sum(status = 'reversed' AND nth = 1),
                sum(CASE WHEN status = 'paid'
                         THEN max(0, min(applied_fen, running - due_fen)) ELSE 0 END),
                sum(CASE WHEN status = 'paid' AND method = 'cash' AND nth = 1
                         THEN change_fen ELSE 0 END)
         FROM tender
         GROUP BY clerk_id, method",
    )?;
    let rows = stmt.query_map(params![ts(from), ts(to)], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Method>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (clerk_id, method, payments, amount, reversed, late_fees, change) = row?;
        out.push(MethodDayRow {
            clerk_id,
            method,
            payments,
            amount: Fen(amount),
            reversed,
            late_fees: Fen(late_fees),
            change: Fen(change),
        });
    }
    Ok(out)
}
