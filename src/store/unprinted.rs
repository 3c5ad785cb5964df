//! Records committed whose receipt or slip never printed: a payment, a
//! reversal, a refund or an acceptance of one clerk since their last shift
//! began, with no copy produced (or only copies that failed to print) and
//! not dismissed.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Transaction};

use super::stamp::{parse_ts, ts};
use super::StoreError;
use crate::domain::states::SlipKind;

/// One record whose slip never printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnprintedRow {
    /// The slip it lacks.
    pub kind: SlipKind,
    /// Receipt, refund or ticket number.
    pub number: String,
    /// Money it moved, in fen (none for an acceptance).
    pub amount_fen: Option<i64>,
    /// Account number or business type, for the clerk to recognise it.
    pub about: Option<String>,
    /// When it was committed.
    pub at: DateTime<Utc>,
}

// A slip counts as printed once any copy of it did not fail.
const NOT_PRINTED: &str =
    "NOT EXISTS (SELECT 1 FROM slip s WHERE s.kind = ?3 AND s.number = n.number
                                  AND s.print_status != 'failed')
     AND NOT EXISTS (SELECT 1 FROM slip_dismissal d WHERE d.kind = ?3 AND d.number = n.number)";

/// What `clerk` committed since `since` that never printed, newest first
/// (the one a crash left is the one the customer may be waiting for).
pub fn of_clerk(
    conn: &Connection,
    clerk: i64,
    since: DateTime<Utc>,
) -> Result<Vec<UnprintedRow>, StoreError> {
    let since = ts(since);
    let queries = [
        // Payments (a held cheque's receipt waits for its funds).
        (
            SlipKind::PaymentReceipt,
            "SELECT n.number, n.amount, n.about, n.at FROM (
               SELECT p.receipt_no AS number, p.due_fen + p.late_fee_fen AS amount,
                      coalesce(p.account_no, p.fee_id) AS about, p.paid_at AS at
               FROM payment p
               WHERE p.shift_id IN (SELECT id FROM shift WHERE clerk_id = ?1
                                    AND (closed_at IS NULL OR closed_at >= ?2))
                 AND p.paid_at >= ?2 AND p.status = 'paid' AND p.dishonoured_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM cheque_hold h WHERE h.payment_id = p.id
                                 AND h.confirmed_at IS NULL)) n",
        ),
        (
            SlipKind::ReversalSlip,
            "SELECT n.number, n.amount, n.about, n.at FROM (
               SELECT p.receipt_no AS number, p.due_fen + p.late_fee_fen AS amount,
                      coalesce(p.account_no, p.fee_id) AS about, p.reversed_at AS at
               FROM payment p
               WHERE p.shift_id IN (SELECT id FROM shift WHERE clerk_id = ?1
                                    AND (closed_at IS NULL OR closed_at >= ?2))
                 AND p.status = 'reversed' AND p.reversed_at >= ?2) n",
        ),
        (
            SlipKind::RefundSlip,
            "SELECT n.number, n.amount, n.about, n.at FROM (
               SELECT r.refund_no AS number, r.amount_fen AS amount, NULL AS about,
                      r.refunded_at AS at
               FROM refund r WHERE r.refunded_at >= ?2 AND r.by_clerk = ?1) n",
        ),
        (
            SlipKind::AcceptanceReceipt,
            "SELECT n.number, n.amount, n.about, n.at FROM (
               SELECT a.ticket_no AS number, NULL AS amount, a.form_code AS about,
                      a.accepted_at AS at
               FROM application a WHERE a.accepted_by = ?1 AND a.accepted_at >= ?2) n",
        ),
    ];
    let mut out = Vec::new();
    for (kind, sql) in queries {
        let sql = format!("{sql} WHERE {NOT_PRINTED}");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![clerk, since, kind], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (number, amount_fen, about, at) = row?;
            let Some(at) = parse_ts(&at) else { continue };
            out.push(UnprintedRow {
                kind,
                number,
                amount_fen,
                about,
                at,
            });
        }
    }
    out.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.number.cmp(&a.number)));
    Ok(out)
}

/// Records that a slip will not be printed, and why.
pub fn dismiss(
    tx: &Transaction,
    kind: SlipKind,
    number: &str,
    clerk: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO slip_dismissal (kind, number, by_clerk, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(kind, number) DO UPDATE SET by_clerk = excluded.by_clerk,
         reason = excluded.reason, at = excluded.at",
        params![kind, number, clerk, reason, ts(now)],
    )?;
    Ok(())
}

/// When the clerk's most recent shift opened, if they ever had one.
pub fn last_shift_opened(
    conn: &Connection,
    clerk: i64,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let at: Option<String> = conn.query_row(
        "SELECT max(opened_at) FROM shift WHERE clerk_id = ?1",
        [clerk],
        |r| r.get(0),
    )?;
    Ok(at.as_deref().and_then(parse_ts))
}
