//! What a practice run left in its sandbox, read for scoring: the rows made
//! after the seed's mark (the largest row ids when the seed was done).

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::StoreError;
use crate::domain::lab::facts::*;
use crate::domain::money::{Fen, Method};
use crate::domain::states::PaymentKind;

/// Row ids at the end of the seed: anything above was made by the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mark {
    customer: i64,
    application: i64,
    payment: i64,
    slip: i64,
    shift_closed_before: i64,
    audit: i64,
}

const MARK_KEY: &str = "lab_seed_mark";

/// Records the seed's mark in the sandbox.
pub fn set_mark(tx: &Transaction) -> Result<(), StoreError> {
    let max = |table: &str| -> Result<i64, StoreError> {
        Ok(tx.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?)
    };
    let mark = Mark {
        customer: max("customer")?,
        application: max("application")?,
        payment: max("payment")?,
        slip: max("slip")?,
        shift_closed_before: tx.query_row(
            "SELECT count(*) FROM shift WHERE status = 'closed'",
            [],
            |r| r.get(0),
        )?,
        audit: tx.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| {
            r.get(0)
        })?,
    };
    let json = serde_json::to_string(&mark).unwrap_or_default();
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![MARK_KEY, json],
    )?;
    Ok(())
}

fn mark(conn: &Connection) -> Result<Mark, StoreError> {
    let v: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [MARK_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(v.and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// A relay station takes over the drawer the previous station left: the
/// newest open shift of another clerk becomes `clerk`'s (when they have
/// none), so the next trainee can take money into it and close it.
pub fn take_over_open_shift(tx: &Transaction, clerk: i64) -> Result<Option<i64>, StoreError> {
    let own: i64 = tx.query_row(
        "SELECT count(*) FROM shift WHERE status = 'open' AND clerk_id = ?1",
        [clerk],
        |r| r.get(0),
    )?;
    if own > 0 {
        return Ok(None);
    }
    let other: Option<i64> = tx
        .query_row(
            "SELECT id FROM shift WHERE status = 'open' AND clerk_id != ?1 ORDER BY id DESC LIMIT 1",
            [clerk],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = other {
        tx.execute(
            "UPDATE shift SET clerk_id = ?1 WHERE id = ?2",
            params![clerk, id],
        )?;
    }
    Ok(other)
}

/// How many audited writes the run has made (the records a real counter
/// would have waiting for HQ).
pub fn writes_since_seed(conn: &Connection) -> Result<i64, StoreError> {
    let m = mark(conn)?;
    let head: i64 = conn
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM audit_log")?
        .query_row([], |r| r.get(0))?;
    Ok((head - m.audit).max(0))
}

/// Everything the run made.
pub fn read(conn: &Connection) -> Result<Facts, StoreError> {
    let m = mark(conn)?;
    Ok(Facts {
        customers: customers(conn, m.customer)?,
        applications: applications(conn, m.application)?,
        payments: payments(conn, m.payment)?,
        slips: slips(conn, m.slip)?,
        closed_shifts: closed_shifts(conn, m.shift_closed_before)?,
        reversed_seeded: conn
            .prepare("SELECT account_no FROM payment WHERE id <= ?1 AND status = 'reversed' AND account_no IS NOT NULL")?
            .query_map([m.payment], |r| r.get(0))?
            .collect::<Result<_, _>>()?,
    })
}

fn customers(conn: &Connection, after: i64) -> Result<Vec<CustomerFact>, StoreError> {
    let mut st = conn.prepare(
        "SELECT id_no, id_signoff_by IS NOT NULL FROM customer WHERE id > ?1 ORDER BY id",
    )?;
    let rows = st.query_map([after], |r| {
        Ok(CustomerFact {
            id_number: r.get(0)?,
            signed_off: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn applications(conn: &Connection, after: i64) -> Result<Vec<ApplicationFact>, StoreError> {
    let mut st = conn.prepare(
        "SELECT id, ticket_no, form_code, fields, duplicate_reason IS NOT NULL FROM application WHERE id > ?1 ORDER BY id",
    )?;
    let heads: Vec<(i64, String, String, String, bool)> = st
        .query_map([after], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, ticket, form, fields, duplicate) in heads {
        let fields: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&fields).unwrap_or_default();
        let fields = fields
            .into_iter()
            .map(|(k, v)| {
                let s = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, s)
            })
            .collect();
        let materials = |status: &str| -> Result<Vec<String>, StoreError> {
            Ok(conn
                .prepare_cached("SELECT material_id FROM application_material WHERE application_id = ?1 AND status = ?2 ORDER BY seq")?
                .query_map(params![id, status], |r| r.get(0))?
                .collect::<Result<_, _>>()?)
        };
        let disclosures: i64 = conn.query_row(
            "SELECT count(*) FROM disclosure WHERE application_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        out.push(ApplicationFact {
            ticket,
            form,
            fields,
            received: materials("received")?,
            owed: materials("owed")?,
            disclosures: disclosures as usize,
            duplicate,
        });
    }
    Ok(out)
}

fn payments(conn: &Connection, after: i64) -> Result<Vec<PaymentFact>, StoreError> {
    let mut st = conn.prepare(
        "SELECT p.id, p.receipt_no, p.kind, p.account_no, p.period, a.form_code, p.due_fen, p.late_fee_fen,
                p.change_fen, p.status = 'reversed'
         FROM payment p LEFT JOIN application a ON a.id = p.application_id
         WHERE p.id > ?1 ORDER BY p.id",
    )?;
    type Head = (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        i64,
        i64,
        bool,
    );
    let heads: Vec<Head> = st
        .query_map([after], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, receipt, kind, account, period, form, due, late, change, reversed) in heads {
        let tenders = conn
            .prepare_cached("SELECT method, applied_fen, tendered_fen FROM payment_tender WHERE payment_id = ?1 ORDER BY seq")?
            .query_map([id], |r| {
                let method: String = r.get(0)?;
                Ok(TenderFact {
                    method: Method::from_code(&method).unwrap_or(Method::Cash),
                    applied: Fen(r.get(1)?),
                    tendered: Fen(r.get(2)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        out.push(PaymentFact {
            receipt,
            kind: if kind == "fee" {
                PaymentKind::Fee
            } else {
                PaymentKind::Bill
            },
            account,
            period,
            form,
            due: Fen(due),
            late_fee: Fen(late),
            change: Fen(change),
            tenders,
            reversed,
        });
    }
    Ok(out)
}

fn slips(conn: &Connection, after: i64) -> Result<Vec<SlipFact>, StoreError> {
    // A slip the printer jammed on is not in the customer's hands.
    let mut st = conn.prepare(
        "SELECT kind, number FROM slip WHERE id > ?1 AND print_status != 'failed' ORDER BY id",
    )?;
    let rows = st.query_map([after], |r| {
        Ok(SlipFact {
            kind: r.get(0)?,
            number: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn closed_shifts(conn: &Connection, skip: i64) -> Result<Vec<ShiftFact>, StoreError> {
    let mut st = conn
        .prepare("SELECT settlement FROM shift WHERE status = 'closed' ORDER BY closed_at, id")?;
    let rows: Vec<Option<String>> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(rows
        .into_iter()
        .skip(skip as usize)
        .map(|s| {
            let lines: Vec<serde_json::Value> = s
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default();
            let total = lines.iter().filter_map(|l| l["over_short"].as_i64()).sum();
            ShiftFact {
                over_short: Fen(total),
            }
        })
        .collect())
}
