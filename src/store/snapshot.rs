//! The whole aggregate a write touched, read back inside the write's own
//! transaction, as HQ needs it to rebuild the counter's business tables.
//! Rows go out column by column under their stored names; secrets
//! (password hashes) never leave the counter.
//!
//! The same rows bind each audit entry to what its write left: the hash of
//! an aggregate's rows goes into the entry (and so into the chain), and
//! `verify` recomputes it, so a business row changed by SQL is named.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Transaction};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::StoreError;

/// What a write was about: the root row of one aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// A customer with flags and accounts.
    Customer(i64),
    /// An application with steps, materials, disclosures and handovers.
    Application(i64),
    /// A case's progress: the application row with its steps, pauses and
    /// handovers (what a step, a pause or an end changes; the materials and
    /// the disclosure went up with the acceptance and do not change).
    Case(i64),
    /// A payment with its tenders and any cheque hold.
    Payment(i64),
    /// A shift (opened, closed, noted).
    Shift(i64),
    /// A refund after close.
    Refund(i64),
    /// A clerk (never the password hash).
    Clerk(i64),
    /// A produced slip.
    Slip(i64),
    /// A bill file import (the file's row; bills themselves come from HQ).
    BillImport(i64),
    /// A rating with its poor-rating case and appeal.
    Rating(i64),
    /// A queue ticket as this window served it.
    Visit(i64),
    /// The one-time notice told to a customer who only asked.
    Consultation(i64),
    /// One material on a customer's file.
    Material(i64),
}

/// One table of an aggregate: which rows belong, and columns kept back.
#[derive(PartialEq, Eq)]
struct Part {
    table: &'static str,
    key: &'static str,
    secret: &'static [&'static str],
    /// Added after rows were first bound: while it holds no rows of the
    /// aggregate it adds nothing to the hash, so bindings written before
    /// it existed still match.
    late: bool,
    /// Columns added after rows were first bound. Hashes go on including
    /// them; a binding written before a column existed is matched by the
    /// hash without it while it is NULL (see [`rows_hash_before`]).
    late_columns: &'static [&'static str],
}

const fn part(table: &'static str, key: &'static str) -> Part {
    Part {
        table,
        key,
        secret: &[],
        late: false,
        late_columns: &[],
    }
}

const fn late_part(table: &'static str, key: &'static str) -> Part {
    Part {
        late: true,
        ..part(table, key)
    }
}

impl Aggregate {
    fn name_and_id(self) -> (&'static str, i64) {
        match self {
            Aggregate::Customer(id) => ("customer", id),
            Aggregate::Application(id) => ("application", id),
            Aggregate::Case(id) => ("case", id),
            Aggregate::Payment(id) => ("payment", id),
            Aggregate::Shift(id) => ("shift", id),
            Aggregate::Refund(id) => ("refund", id),
            Aggregate::Clerk(id) => ("clerk", id),
            Aggregate::Slip(id) => ("slip", id),
            Aggregate::BillImport(id) => ("bill_import", id),
            Aggregate::Rating(id) => ("rating", id),
            Aggregate::Visit(id) => ("queue_visit", id),
            Aggregate::Consultation(id) => ("consultation", id),
            Aggregate::Material(id) => ("material_file", id),
        }
    }

    fn parts(self) -> &'static [Part] {
        match self {
            Aggregate::Customer(_) => CUSTOMER,
            Aggregate::Application(_) => APPLICATION,
            Aggregate::Case(_) => CASE,
            Aggregate::Payment(_) => PAYMENT,
            Aggregate::Shift(_) => SHIFT,
            Aggregate::Refund(_) => REFUND,
            Aggregate::Clerk(_) => CLERK,
            Aggregate::Slip(_) => SLIP,
            Aggregate::BillImport(_) => BILL_IMPORT,
            Aggregate::Rating(_) => RATING,
            Aggregate::Visit(_) => VISIT,
            Aggregate::Consultation(_) => CONSULTATION,
            Aggregate::Material(_) => MATERIAL,
        }
    }
}

// The tables of each aggregate, fixed at compile time: read on every
// commit, so they cost nothing to look up.
const CUSTOMER: &[Part] = &[
    // name_latin came with schema 17; customers were bound from 15.
    Part {
        late_columns: &["name_latin"],
        ..part("customer", "id")
    },
    part("customer_flag", "customer_id"),
    part("account", "customer_id"),
];
const APPLICATION: &[Part] = &[
    part("application", "id"),
    part("application_step", "application_id"),
    part("application_material", "application_id"),
    part("disclosure", "application_id"),
    part("application_handover", "application_id"),
    part("case_pause", "application_id"),
    late_part("case_manager", "application_id"),
];
/// What `verify` binds of an application: its acceptance's tables and its
/// case's return visits, with the manager still last.
const APPLICATION_BOUND: &[Part] = &[
    part("application", "id"),
    part("application_step", "application_id"),
    part("application_material", "application_id"),
    part("disclosure", "application_id"),
    part("application_handover", "application_id"),
    part("case_pause", "application_id"),
    part("return_visit", "application_id"),
    late_part("case_manager", "application_id"),
];
const CASE: &[Part] = &[
    part("application", "id"),
    part("application_step", "application_id"),
    part("case_pause", "application_id"),
    part("application_handover", "application_id"),
    part("return_visit", "application_id"),
    late_part("case_manager", "application_id"),
];
const PAYMENT: &[Part] = &[
    part("payment", "id"),
    part("payment_tender", "payment_id"),
    part("cheque_hold", "payment_id"),
    part("reconnection", "payment_id"),
];
const RATING: &[Part] = &[part("rating", "id"), part("poor_rating", "rating_id")];
const MATERIAL: &[Part] = &[part("material_file", "id")];
const SHIFT: &[Part] = &[part("shift", "id")];
const REFUND: &[Part] = &[part("refund", "id")];
const CLERK: &[Part] = &[Part {
    secret: &["password_hash"],
    ..part("clerk", "id")
}];
const SLIP: &[Part] = &[part("slip", "id")];
const BILL_IMPORT: &[Part] = &[part("bill_import", "id")];
const VISIT: &[Part] = &[part("queue_visit", "id")];
const CONSULTATION: &[Part] = &[part("consultation", "id")];

/// The kinds of rows `verify` checks against their audit entries, each
/// with every table a write of it may change. An application's acceptance
/// and its case's steps change one family of rows, so both bind it whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bound {
    /// A customer with flags and accounts.
    Customer,
    /// An application with its steps, materials, disclosure, hand-overs,
    /// pauses and return visits.
    Application,
    /// A payment with its tenders, cheque hold and reconnection.
    Payment,
    Shift,
    Refund,
    /// A rating with its poor-rating case.
    Rating,
    /// A material on a customer's file (its validity decides whether it
    /// is asked for again, so a changed row matters).
    Material,
}

impl Bound {
    /// Every kind, in the order `verify` reports them.
    pub const ALL: [Bound; 7] = [
        Bound::Customer,
        Bound::Application,
        Bound::Payment,
        Bound::Shift,
        Bound::Refund,
        Bound::Rating,
        Bound::Material,
    ];

    /// The name stored in the audit entry.
    pub fn code(self) -> &'static str {
        match self {
            Bound::Customer => "customer",
            Bound::Application => "application",
            Bound::Payment => "payment",
            Bound::Shift => "shift",
            Bound::Refund => "refund",
            Bound::Rating => "rating",
            Bound::Material => "material_file",
        }
    }

    /// The kind a stored name means.
    pub fn from_code(code: &str) -> Option<Bound> {
        Bound::ALL.into_iter().find(|b| b.code() == code)
    }

    /// The root table (its `id` is the aggregate's).
    pub fn root(self) -> &'static str {
        self.parts()[0].table
    }

    fn parts(self) -> &'static [Part] {
        match self {
            Bound::Customer => CUSTOMER,
            Bound::Application => APPLICATION_BOUND,
            Bound::Payment => PAYMENT,
            Bound::Shift => SHIFT,
            Bound::Refund => REFUND,
            Bound::Rating => RATING,
            Bound::Material => MATERIAL,
        }
    }
}

impl Aggregate {
    /// The rows this aggregate's writes bind, if `verify` checks them.
    pub fn bound(self) -> Option<(Bound, i64)> {
        match self {
            Aggregate::Customer(id) => Some((Bound::Customer, id)),
            Aggregate::Application(id) | Aggregate::Case(id) => Some((Bound::Application, id)),
            Aggregate::Payment(id) => Some((Bound::Payment, id)),
            Aggregate::Shift(id) => Some((Bound::Shift, id)),
            Aggregate::Refund(id) => Some((Bound::Refund, id)),
            Aggregate::Rating(id) => Some((Bound::Rating, id)),
            Aggregate::Material(id) => Some((Bound::Material, id)),
            // Written once and never changed: nothing to bind.
            Aggregate::Clerk(_)
            | Aggregate::Slip(_)
            | Aggregate::BillImport(_)
            | Aggregate::Visit(_)
            | Aggregate::Consultation(_) => None,
        }
    }
}

/// `{"type": ..., "id": ..., "rows": {table: [row, ...]}}` for `agg`.
pub fn of(tx: &Transaction, agg: Aggregate) -> Result<Value, StoreError> {
    let (name, id) = agg.name_and_id();
    let mut tables = Map::new();
    for p in agg.parts() {
        tables.insert(p.table.to_string(), Value::Array(rows(tx, p, id, false)?));
    }
    Ok(serde_json::json!({"type": name, "id": id, "rows": tables}))
}

/// The bindings of one write as the audit entry stores them:
/// `[[kind, id, sha256], ...]`, or `None` when it touched no checked rows.
/// `record` is the snapshot already read for the outbox, reused when it
/// holds exactly the bound tables.
pub fn bindings(
    tx: &Transaction,
    record: Option<(Aggregate, &Value)>,
    also: &[Aggregate],
) -> Result<Option<String>, StoreError> {
    let mut out: Vec<(Bound, i64, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let first = record.map(|(agg, _)| agg);
    for agg in first.iter().chain(also) {
        let Some((kind, id)) = agg.bound() else {
            continue;
        };
        if !seen.insert((kind, id)) {
            continue;
        }
        let hash = match record {
            Some((a, snap)) if a == *agg && a.parts() == kind.parts() => {
                hash_tables(kind, |table| {
                    Ok(snap["rows"][table].as_array().cloned().unwrap_or_default())
                })?
            }
            _ => rows_hash(tx, kind, id)?,
        };
        out.push((kind, id, hash));
    }
    if out.is_empty() {
        return Ok(None);
    }
    let list: Vec<Value> = out
        .into_iter()
        .map(|(k, i, h)| serde_json::json!([k.code(), i, h]))
        .collect();
    Ok(Some(Value::Array(list).to_string()))
}

/// The hash of one aggregate's rows as they stand now.
pub fn rows_hash(conn: &Connection, kind: Bound, id: i64) -> Result<String, StoreError> {
    hash_of(conn, kind, id, false)
}

/// The hash the same rows had before their late columns existed, while
/// those columns are NULL: what a binding written then holds. `None` when
/// the aggregate has no late column.
pub fn rows_hash_before(
    conn: &Connection,
    kind: Bound,
    id: i64,
) -> Result<Option<String>, StoreError> {
    if kind.parts().iter().all(|p| p.late_columns.is_empty()) {
        return Ok(None);
    }
    hash_of(conn, kind, id, true).map(Some)
}

fn hash_of(conn: &Connection, kind: Bound, id: i64, before: bool) -> Result<String, StoreError> {
    hash_tables(kind, |table| {
        match kind.parts().iter().find(|p| p.table == table) {
            Some(p) => rows(conn, p, id, before),
            None => Ok(Vec::new()),
        }
    })
}

/// Tables in their fixed order, each table's rows sorted by their
/// canonical text, so the hash does not depend on the order SQLite
/// happens to return them in.
fn hash_tables(
    kind: Bound,
    mut rows_of: impl FnMut(&str) -> Result<Vec<Value>, StoreError>,
) -> Result<String, StoreError> {
    let mut h = Sha256::new();
    for p in kind.parts() {
        let mut texts: Vec<String> = rows_of(p.table)?.iter().map(Value::to_string).collect();
        if p.late && texts.is_empty() {
            continue;
        }
        texts.sort_unstable();
        for part in std::iter::once(p.table.to_string()).chain(texts) {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    Ok(crate::domain::hex::hex(&h.finalize()))
}

/// The rows of `p` for `id` as JSON objects; `before` leaves out late
/// columns that are NULL.
fn rows(tx: &Connection, p: &Part, id: i64, before: bool) -> Result<Vec<Value>, StoreError> {
    // Table and key names are the constants above, never input.
    let sql = format!("SELECT * FROM {} WHERE {} = ?1", p.table, p.key);
    let mut stmt = tx.prepare_cached(&sql)?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    let mut q = stmt.query([id])?;
    while let Some(r) = q.next()? {
        let mut row = Map::new();
        for (i, name) in names.iter().enumerate() {
            if p.secret.contains(&name.as_str()) {
                continue;
            }
            let value = json_of(r.get_ref(i)?);
            if before && value.is_null() && p.late_columns.contains(&name.as_str()) {
                continue;
            }
            row.insert(name.clone(), value);
        }
        out.push(Value::Object(row));
    }
    Ok(out)
}

fn json_of(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        // No amount is ever a float; a REAL column would be a measurement.
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::from(crate::domain::hex::hex(b)),
    }
}
