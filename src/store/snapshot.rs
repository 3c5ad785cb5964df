//! The whole aggregate a write touched, read back inside the write's own
//! transaction, as HQ needs it to rebuild the counter's business tables.
//! Rows go out column by column under their stored names; secrets
//! (password hashes) never leave the counter.

use rusqlite::types::ValueRef;
use rusqlite::Transaction;
use serde_json::{Map, Value};

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
}

/// One table of an aggregate: which rows belong, and columns kept back.
struct Part {
    table: &'static str,
    key: &'static str,
    secret: &'static [&'static str],
}

const fn part(table: &'static str, key: &'static str) -> Part {
    Part {
        table,
        key,
        secret: &[],
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
        }
    }

    fn parts(self) -> Vec<Part> {
        match self {
            Aggregate::Customer(_) => vec![
                part("customer", "id"),
                part("customer_flag", "customer_id"),
                part("account", "customer_id"),
            ],
            Aggregate::Application(_) => vec![
                part("application", "id"),
                part("application_step", "application_id"),
                part("application_material", "application_id"),
                part("disclosure", "application_id"),
                part("application_handover", "application_id"),
                part("case_pause", "application_id"),
            ],
            Aggregate::Case(_) => vec![
                part("application", "id"),
                part("application_step", "application_id"),
                part("case_pause", "application_id"),
                part("application_handover", "application_id"),
                part("return_visit", "application_id"),
            ],
            Aggregate::Payment(_) => vec![
                part("payment", "id"),
                part("payment_tender", "payment_id"),
                part("cheque_hold", "payment_id"),
                part("reconnection", "payment_id"),
            ],
            Aggregate::Shift(_) => vec![part("shift", "id")],
            Aggregate::Refund(_) => vec![part("refund", "id")],
            Aggregate::Clerk(_) => vec![Part {
                table: "clerk",
                key: "id",
                secret: &["password_hash"],
            }],
            Aggregate::Slip(_) => vec![part("slip", "id")],
            Aggregate::BillImport(_) => vec![part("bill_import", "id")],
        }
    }
}

/// `{"type": ..., "id": ..., "rows": {table: [row, ...]}}` for `agg`.
pub fn of(tx: &Transaction, agg: Aggregate) -> Result<Value, StoreError> {
    let (name, id) = agg.name_and_id();
    let mut tables = Map::new();
    for p in agg.parts() {
        tables.insert(p.table.to_string(), Value::Array(rows(tx, &p, id)?));
    }
    Ok(serde_json::json!({"type": name, "id": id, "rows": tables}))
}

fn rows(tx: &Transaction, p: &Part, id: i64) -> Result<Vec<Value>, StoreError> {
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
            row.insert(name.clone(), json_of(r.get_ref(i)?));
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
        ValueRef::Blob(b) => Value::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
    }
}
