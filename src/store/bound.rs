//! Business rows against the audit entries that bound them: every checked
//! aggregate's rows are hashed again and compared with the newest entry
//! that wrote them; a row above the binding marks that no entry wrote at
//! all was put there by something other than the desk.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::audit::newest_bindings;
use super::snapshot::{rows_hash, rows_hash_before, Bound};
use super::StoreError;
use crate::domain::id;

/// What is wrong with one aggregate's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowProblem {
    /// The rows differ from what their newest audit entry bound.
    Changed,
    /// No audit entry wrote them.
    NotAudited,
    /// An audit entry wrote them, but the root row is gone.
    Gone,
}

/// One aggregate whose rows do not match the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFinding {
    /// Which kind of rows.
    pub kind: Bound,
    /// The root row's id.
    pub id: i64,
    /// How people know it: receipt, ticket, refund number, masked ID, shift.
    pub label: String,
    /// What is wrong.
    pub problem: RowProblem,
}

/// The rows checked and every finding, kind by kind.
pub fn check(conn: &Connection) -> Result<(usize, Vec<RowFinding>), StoreError> {
    let mut bound: HashMap<(Bound, i64), String> = HashMap::new();
    for (kind, id, hash) in newest_bindings(conn)? {
        if let Some(kind) = Bound::from_code(&kind) {
            bound.insert((kind, id), hash);
        }
    }
    let mut checked = 0;
    let mut findings = Vec::new();
    for kind in Bound::ALL {
        let after = bound_after(conn, kind)?;
        let mut stmt = conn.prepare(&format!("SELECT id FROM {} ORDER BY id", kind.root()))?;
        let ids: Vec<i64> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for &id in &ids {
            checked += 1;
            let problem = match bound.remove(&(kind, id)) {
                Some(hash)
                    if rows_hash(conn, kind, id)? != hash
                        && rows_hash_before(conn, kind, id)?.as_ref() != Some(&hash) =>
                {
                    Some(RowProblem::Changed)
                }
                Some(_) => None,
                None if id > after => Some(RowProblem::NotAudited),
                None => None,
            };
            if let Some(problem) = problem {
                let label = label(conn, kind, id)?;
                findings.push(RowFinding {
                    kind,
                    id,
                    label,
                    problem,
                });
            }
        }
        let mut gone: Vec<i64> = bound
            .keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| *id)
            .collect();
        gone.sort_unstable();
        for id in gone {
            bound.remove(&(kind, id));
            findings.push(RowFinding {
                kind,
                id,
                label: format!("#{id}"),
                problem: RowProblem::Gone,
            });
        }
    }
    Ok((checked, findings))
}

/// Rows of `kind` with ids up to this were written before rows were bound.
fn bound_after(conn: &Connection, kind: Bound) -> Result<i64, StoreError> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [format!("rows_bound_after.{}", kind.code())],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn label(conn: &Connection, kind: Bound, id: i64) -> Result<String, StoreError> {
    let sql = match kind {
        Bound::Payment => "SELECT receipt_no FROM payment WHERE id = ?1",
        Bound::Application => "SELECT ticket_no FROM application WHERE id = ?1",
        Bound::Refund => "SELECT refund_no FROM refund WHERE id = ?1",
        Bound::Rating => "SELECT reference FROM rating WHERE id = ?1",
        Bound::Customer => "SELECT id_no FROM customer WHERE id = ?1",
        Bound::Material => "SELECT name_zh FROM material_file WHERE id = ?1",
        Bound::Shift => return Ok(format!("#{id}")),
    };
    let text: Option<String> = conn.query_row(sql, [id], |r| r.get(0)).optional()?;
    Ok(match (kind, text) {
        // Never a full ID number in a report.
        (Bound::Customer, Some(no)) => id::mask(&no),
        (_, Some(t)) => t,
        (_, None) => format!("#{id}"),
    })
}
