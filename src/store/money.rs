//! Shifts, payments, tenders and receipt numbers.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::{at, at_opt, ts};
use super::StoreError;
use crate::domain::money::{Fen, Method};
use crate::domain::states::{PaymentKind, PaymentStatus, ShiftStatus};

/// A shift as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRow {
    pub id: i64,
    pub clerk_id: i64,
    pub window: String,
    /// Float (备用金).
    pub float: Fen,
    pub opened_at: DateTime<Utc>,
    /// Open or closed.
    pub status: ShiftStatus,
}

/// Opens a shift; the unique index refuses a second open one per clerk.
pub fn open_shift(
    tx: &Transaction,
    clerk: i64,
    window: &str,
    float: Fen,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO shift (clerk_id, window, float_fen, opened_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![clerk, window, float.0, ts(now)])?;
    Ok(tx.last_insert_rowid())
}

fn shift_row(r: &rusqlite::Row) -> rusqlite::Result<ShiftRow> {
    Ok(ShiftRow {
        id: r.get(0)?,
        clerk_id: r.get(1)?,
        window: r.get(2)?,
        float: Fen(r.get(3)?),
        opened_at: at(r, 4)?,
        status: r.get(5)?,
    })
}

/// The clerk's open shift.
pub fn open_shift_of(conn: &Connection, clerk: i64) -> Result<Option<ShiftRow>, StoreError> {
    // Read before every payment: kept prepared.
    Ok(conn
        .prepare_cached(
            "SELECT id, clerk_id, window, float_fen, opened_at, status FROM shift WHERE clerk_id = ?1 AND status = 'open'",
        )?
        .query_row([clerk], shift_row)
        .optional()?)
}

pub fn shift(conn: &Connection, id: i64) -> Result<Option<ShiftRow>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id, clerk_id, window, float_fen, opened_at, status FROM shift WHERE id = ?1",
            [id],
            shift_row,
        )
        .optional()?)
}

/// Takes the next receipt sequence of a counter, in the payment's transaction.
pub fn next_receipt(tx: &Transaction, counter: &str) -> Result<i64, StoreError> {
    Ok(tx
        .prepare_cached(
            "INSERT INTO receipt_counter (counter, last) VALUES (?1, 1)
             ON CONFLICT(counter) DO UPDATE SET last = last + 1 RETURNING last",
        )?
        .query_row([counter], |r| r.get(0))?)
}

/// A payment to insert.
pub struct NewPayment<'a> {
    pub receipt_no: &'a str,
    pub shift_id: i64,
    pub clerk_id: i64,
    /// What it settles.
    pub kind: PaymentKind,
    pub account_no: Option<&'a str>,
    /// Bill period.
    pub period: Option<&'a str>,
    /// Amount due before the late fee.
    pub due: Fen,
    pub late_fee: Fen,
    /// Cash handed back.
    pub change: Fen,
    /// Excess kept as prepaid balance.
    pub prepaid: Fen,
    /// For a business fee: the application and the fee's id in its form.
    pub fee: Option<(i64, &'a str)>,
}

/// Inserts a payment; returns its id.
pub fn insert_payment(
    tx: &Transaction,
    p: &NewPayment,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO payment (receipt_no, shift_id, clerk_id, kind, account_no, period, due_fen, late_fee_fen,
                              change_fen, prepaid_fen, paid_at, application_id, fee_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")?.execute(params![
            p.receipt_no,
            p.shift_id,
            p.clerk_id,
            p.kind,
            p.account_no,
            p.period,
            p.due.0,
            p.late_fee.0,
            p.change.0,
            p.prepaid.0,
            ts(now),
            p.fee.map(|f| f.0),
            p.fee.map(|f| f.1),
        ])?;
    Ok(tx.last_insert_rowid())
}

/// Inserts one tender of a payment.
pub fn insert_tender(
    tx: &Transaction,
    payment: i64,
    seq: i64,
    method: Method,
    applied: Fen,
    tendered: Fen,
    reference: Option<&str>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO payment_tender (payment_id, seq, method, applied_fen, tendered_fen, reference)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        payment, seq, method, applied.0, tendered.0, reference
    ])?;
    Ok(())
}

/// Adds to an account's prepaid balance.
pub fn add_prepaid(tx: &Transaction, account: &str, amount: Fen) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO prepaid_balance (account_no, balance_fen) VALUES (?1, ?2)
         ON CONFLICT(account_no) DO UPDATE SET balance_fen = balance_fen + excluded.balance_fen",
    )?
    .execute(params![account, amount.0])?;
    Ok(())
}

/// An account's prepaid balance.
pub fn prepaid(conn: &Connection, account: &str) -> Result<Fen, StoreError> {
    Ok(Fen(conn
        .query_row(
            "SELECT balance_fen FROM prepaid_balance WHERE account_no = ?1",
            [account],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0)))
}

/// A payment as the settlement lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: i64,
    pub receipt_no: String,
    pub shift_id: i64,
    /// Standing or reversed.
    pub status: PaymentStatus,
    /// Due plus late fee.
    pub total: Fen,
    pub change: Fen,
    pub account_no: Option<String>,
    /// What it settles.
    pub kind: PaymentKind,
    /// For a fee: the application's ticket and the fee's id.
    pub fee: Option<(String, String)>,
    /// Paid (partly) by cheque whose funds are not yet confirmed: the
    /// receipt is held.
    pub held: bool,
    /// Refunded after the shift was closed, in total.
    pub refunded: Fen,
    /// Its cheque came back unpaid (退票) after the close.
    pub dishonoured: bool,
}

fn payment_row(r: &rusqlite::Row) -> rusqlite::Result<PaymentRow> {
    Ok(PaymentRow {
        id: r.get(0)?,
        receipt_no: r.get(1)?,
        shift_id: r.get(2)?,
        status: r.get(3)?,
        total: Fen(r.get::<_, i64>(4)? + r.get::<_, i64>(5)?),
        change: Fen(r.get(6)?),
        account_no: r.get(7)?,
        kind: r.get(8)?,
        fee: match (
            r.get::<_, Option<String>>(9)?,
            r.get::<_, Option<String>>(10)?,
        ) {
            (Some(t), Some(f)) => Some((t, f)),
            _ => None,
        },
        held: r.get(11)?,
        refunded: Fen(r.get(12)?),
        dishonoured: r.get::<_, Option<String>>(13)?.is_some(),
    })
}

/// Every column a [`PaymentRow`] reads; `p` is the payment.
const PAYMENT_SELECT: &str =
    "SELECT p.id, p.receipt_no, p.shift_id, p.status, p.due_fen, p.late_fee_fen, p.change_fen, p.account_no,
            p.kind, a.ticket_no, p.fee_id,
            p.dishonoured_at IS NULL AND EXISTS (SELECT 1 FROM cheque_hold h WHERE h.payment_id = p.id AND h.confirmed_at IS NULL),
            (SELECT coalesce(sum(r.amount_fen), 0) FROM refund r WHERE r.payment_id = p.id),
            p.dishonoured_at
     FROM payment p LEFT JOIN application a ON a.id = p.application_id";

/// A payment by receipt number.
pub fn by_receipt(conn: &Connection, receipt: &str) -> Result<Option<PaymentRow>, StoreError> {
    Ok(conn
        .query_row(
            &format!("{PAYMENT_SELECT} WHERE p.receipt_no = ?1"),
            [receipt],
            payment_row,
        )
        .optional()?)
}

/// The receipt that already paid a bill, if any.
pub fn bill_paid(
    conn: &Connection,
    account: &str,
    period: &str,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT receipt_no FROM payment WHERE kind = 'bill' AND status = 'paid' AND dishonoured_at IS NULL AND account_no = ?1 AND period = ?2",
        )?
        .query_row(params![account, period], |r| r.get(0))
        .optional()?)
}

/// The receipt that already paid a fee of an application, if any.
pub fn fee_paid(
    conn: &Connection,
    application: i64,
    fee: &str,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT receipt_no FROM payment WHERE kind = 'fee' AND status = 'paid' AND dishonoured_at IS NULL AND application_id = ?1 AND fee_id = ?2",
            params![application, fee],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every payment of a shift, by receipt number.
pub fn payments_of_shift(conn: &Connection, shift: i64) -> Result<Vec<PaymentRow>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "{PAYMENT_SELECT} WHERE p.shift_id = ?1 ORDER BY p.receipt_no"
    ))?;
    let rows = stmt.query_map([shift], payment_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Marks a payment reversed.
pub fn reverse(
    tx: &Transaction,
    id: i64,
    by: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE payment SET status = 'reversed', reversed_at = ?2, reversed_by = ?3, reversal_reason = ?4 WHERE id = ?1")?.execute(params![id, ts(now), by, reason])?;
    Ok(())
}

/// What a shift took, by method, counting only payments not reversed:
/// (cash applied + cash change handed back = cash tendered, change given,
/// non-cash amounts by method).
pub struct Taken {
    /// Cash tendered (before change).
    pub cash_tendered: Fen,
    /// Change handed back.
    pub change: Fen,
    /// Non-cash instruments.
    pub by_method: BTreeMap<Method, Fen>,
}

/// Sums a shift in SQL (fast on millions of payments: one index range).
pub fn taken(conn: &Connection, shift: i64) -> Result<Taken, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT t.method, sum(t.tendered_fen) FROM payment p JOIN payment_tender t ON t.payment_id = p.id
         WHERE p.shift_id = ?1 AND p.status = 'paid' GROUP BY t.method",
    )?;
    let mut by_method = BTreeMap::new();
    let mut cash_tendered = Fen(0);
    for row in stmt.query_map([shift], |r| {
        Ok((r.get::<_, Method>(0)?, r.get::<_, i64>(1)?))
    })? {
        match row? {
            (Method::Cash, sum) => cash_tendered = Fen(sum),
            (other, sum) => {
                by_method.insert(other, Fen(sum));
            }
        }
    }
    let change: i64 = conn.query_row(
        "SELECT coalesce(sum(change_fen), 0) FROM payment WHERE shift_id = ?1 AND status = 'paid'",
        [shift],
        |r| r.get(0),
    )?;
    Ok(Taken {
        cash_tendered,
        change: Fen(change),
        by_method,
    })
}

/// Closes (and so freezes) a shift.
pub fn close_shift(
    tx: &Transaction,
    id: i64,
    counted: &str,
    settlement: &str,
    note: Option<(&str, i64)>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE shift SET status = 'closed', closed_at = ?2, counted = ?3, settlement = ?4, note = ?5, note_by = ?6
         WHERE id = ?1 AND status = 'open'")?.execute(params![id, ts(now), counted, settlement, note.map(|n| n.0), note.map(|n| n.1)])?;
    Ok(())
}

/// A payment with everything its receipt prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRow {
    pub payment: PaymentRow,
    /// Billing period.
    pub period: Option<String>,
    /// Amount due before the late fee.
    pub due: Fen,
    pub late_fee: Fen,
    pub prepaid: Fen,
    /// When it was paid.
    pub paid_at: DateTime<Utc>,
    /// Clerk's staff number and name.
    pub clerk: (String, String),
    /// Window of the shift.
    pub window: String,
    /// Tenders: method, applied, tendered, reference.
    pub tenders: Vec<(Method, Fen, Fen, Option<String>)>,
    /// The reversal, if the payment was reversed.
    pub reversal: Option<Reversal>,
    /// The reconnection the payment opened, due by then.
    pub reconnect_by: Option<DateTime<Utc>>,
}

/// A reversal as its slip prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reversal {
    /// When.
    pub at: DateTime<Utc>,
    /// The authorising duty manager's staff number and name.
    pub by: (String, String),
    /// Why.
    pub reason: String,
}

/// Everything a receipt prints, by receipt number.
pub fn receipt(conn: &Connection, receipt: &str) -> Result<Option<ReceiptRow>, StoreError> {
    let Some(payment) = by_receipt(conn, receipt)? else {
        return Ok(None);
    };
    type Head = (
        Option<String>,
        i64,
        i64,
        i64,
        DateTime<Utc>,
        String,
        String,
        String,
    );
    let ((period, due, late_fee, prepaid, paid_at, staff_no, name, window), reversal): (Head, Option<Reversal>) = conn.query_row(
        "SELECT p.period, p.due_fen, p.late_fee_fen, p.prepaid_fen, p.paid_at, c.staff_no, c.name, s.window,
                p.reversed_at, m.staff_no, m.name, p.reversal_reason
         FROM payment p JOIN clerk c ON c.id = p.clerk_id JOIN shift s ON s.id = p.shift_id
         LEFT JOIN clerk m ON m.id = p.reversed_by WHERE p.id = ?1",
        [payment.id],
        |r| {
            let reversal = match at_opt(r, 8)? {
                Some(when) => Some(Reversal {
                    at: when,
                    by: (r.get::<_, Option<String>>(9)?.unwrap_or_default(), r.get::<_, Option<String>>(10)?.unwrap_or_default()),
                    reason: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                }),
                None => None,
            };
            Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, at(r, 4)?, r.get(5)?, r.get(6)?, r.get(7)?), reversal))
        },
    )?;
    let mut stmt = conn.prepare(
        "SELECT method, applied_fen, tendered_fen, reference FROM payment_tender WHERE payment_id = ?1 ORDER BY seq",
    )?;
    let tenders = stmt
        .query_map([payment.id], |r| {
            Ok((
                r.get::<_, Method>(0)?,
                Fen(r.get(1)?),
                Fen(r.get(2)?),
                r.get::<_, Option<String>>(3)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let reconnect_by = super::reconnect::of_payment(conn, payment.id)?;
    Ok(Some(ReceiptRow {
        payment,
        period,
        due: Fen(due),
        late_fee: Fen(late_fee),
        prepaid: Fen(prepaid),
        paid_at,
        clerk: (staff_no, name),
        window,
        reconnect_by,
        tenders,
        reversal,
    }))
}

/// A closed shift with what its settlement report prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedShift {
    pub shift: ShiftRow,
    /// When it was closed.
    pub closed_at: DateTime<Utc>,
    /// The settlement lines as stored (JSON).
    pub settlement: String,
    /// The over/short note and who signed it.
    pub note: Option<(String, String)>,
    /// The clerk's staff number and name.
    pub clerk: (String, String),
}

const CLOSED_SELECT: &str =
    "SELECT s.id, s.clerk_id, s.window, s.float_fen, s.opened_at, s.status, s.closed_at, s.settlement,
            s.note, m.name, c.staff_no, c.name
     FROM shift s JOIN clerk c ON c.id = s.clerk_id LEFT JOIN clerk m ON m.id = s.note_by";

/// The clerk's most recently closed shift.
pub fn last_closed(conn: &Connection, clerk: i64) -> Result<Option<ClosedShift>, StoreError> {
    closed_where(
        conn,
        "s.clerk_id = ?1 AND s.status = 'closed' ORDER BY s.closed_at DESC, s.id DESC LIMIT 1",
        clerk,
    )
}

pub fn closed_shift(conn: &Connection, id: i64) -> Result<Option<ClosedShift>, StoreError> {
    closed_where(conn, "s.id = ?1 AND s.status = 'closed'", id)
}

fn closed_where(
    conn: &Connection,
    filter: &str,
    arg: i64,
) -> Result<Option<ClosedShift>, StoreError> {
    Ok(conn
        .query_row(&format!("{CLOSED_SELECT} WHERE {filter}"), [arg], |r| {
            let note: Option<String> = r.get(8)?;
            let by: Option<String> = r.get(9)?;
            Ok(ClosedShift {
                shift: shift_row(r)?,
                closed_at: at(r, 6)?,
                settlement: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                note: note.map(|n| (n, by.unwrap_or_default())),
                clerk: (r.get(10)?, r.get(11)?),
            })
        })
        .optional()?)
}
