//! Customers, their flags, accounts and open applications.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::{day, day_opt, ts};
use super::StoreError;
use crate::domain::id::{DocKind, Gender};
use crate::domain::msg::Lang;
use crate::domain::states::AccountStatus;

/// A customer as stored. `id_no` is the full normalised number: mask it
/// before it reaches a screen or a slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: i64,
    /// Normalised ID number.
    pub id_no: String,
    /// The kind of document, when the number matched one.
    pub id_kind: Option<DocKind>,
    pub name: String,
    /// The name as printed in the passport's Latin line, when the name
    /// itself cannot be printed.
    pub name_latin: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Birth date derived from the ID, when it has one.
    pub birth_date: Option<NaiveDate>,
    /// Derived from the ID, when it says.
    pub gender: Option<Gender>,
    /// Set when a duty manager signed off a suspicious ID.
    pub id_signoff_reason: Option<String>,
    /// The language they are told in.
    pub lang: Lang,
}

impl CustomerRow {
    /// The name the slips print: the passport's Latin name when one was
    /// recorded because the slip font cannot draw the name itself.
    pub fn printed_name(&self) -> &str {
        self.name_latin.as_deref().unwrap_or(&self.name)
    }
}

/// An electricity account (户号).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    /// Account number, any length.
    pub account_no: String,
    /// Supply address.
    pub address: String,
    /// Tariff category code.
    pub tariff: String,
    /// Whether the account is supplied.
    pub status: AccountStatus,
}

/// What a new customer row holds.
#[derive(Debug, Clone)]
pub struct NewCustomerRow<'a> {
    /// Normalised ID number.
    pub id_no: &'a str,
    /// The kind of document.
    pub id_kind: Option<DocKind>,
    pub name: &'a str,
    /// The passport's Latin name, when the name cannot be printed.
    pub name_latin: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub birth_date: Option<NaiveDate>,
    /// Gender, when the ID says.
    pub gender: Option<Gender>,
    /// Registering clerk.
    pub created_by: Option<i64>,
    /// Duty manager who signed off a suspicious ID, with the reason.
    pub signoff: Option<(i64, &'a str)>,
    /// The language they are told in.
    pub lang: Lang,
}

/// A document kind as stored; "unknown" when none matched.
fn kind_code(k: Option<DocKind>) -> &'static str {
    k.map(|k| k.code()).unwrap_or("unknown")
}

fn kind_at(r: &rusqlite::Row, idx: usize) -> rusqlite::Result<Option<DocKind>> {
    let code: String = r.get(idx)?;
    if code == "unknown" {
        return Ok(None);
    }
    DocKind::from_code(&code).map(Some).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            Type::Text,
            format!("unknown document kind \"{code}\"").into(),
        )
    })
}

/// Finds a customer by normalised ID number.
pub fn by_id_no(conn: &Connection, id_no: &str) -> Result<Option<CustomerRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, id_no, id_kind, name, phone, address, birth_date, gender, id_signoff_reason, lang,
                name_latin
         FROM customer WHERE id_no = ?1",
    )?;
    Ok(stmt
        .query_row([id_no], |r| {
            Ok(CustomerRow {
                id: r.get(0)?,
                id_no: r.get(1)?,
                id_kind: kind_at(r, 2)?,
                name: r.get(3)?,
                phone: r.get(4)?,
                address: r.get(5)?,
                birth_date: day_opt(r, 6)?,
                gender: r.get(7)?,
                id_signoff_reason: r.get(8)?,
                lang: r.get(9)?,
                name_latin: r.get(10)?,
            })
        })
        .optional()?)
}

/// Finds a customer by row id.
pub fn by_row_id(conn: &Connection, id: i64) -> Result<Option<CustomerRow>, StoreError> {
    let id_no: Option<String> = conn
        .query_row("SELECT id_no FROM customer WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    match id_no {
        Some(n) => by_id_no(conn, &n),
        None => Ok(None),
    }
}

/// Inserts a customer; returns the row id.
pub fn insert(tx: &Transaction, c: &NewCustomerRow, now: DateTime<Utc>) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO customer (id_no, id_kind, name, phone, address, birth_date, gender,
                               created_at, created_by, id_signoff_by, id_signoff_reason, lang,
                               name_latin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            c.id_no,
            kind_code(c.id_kind),
            c.name,
            c.phone,
            c.address,
            c.birth_date.map(day),
            c.gender,
            ts(now),
            c.created_by,
            c.signoff.map(|s| s.0),
            c.signoff.map(|s| s.1),
            c.lang,
            c.name_latin,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Records the language a customer is told in.
pub fn set_lang(tx: &Transaction, customer_id: i64, lang: Lang) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE customer SET lang = ?2 WHERE id = ?1",
        params![customer_id, lang],
    )?;
    Ok(())
}

/// The customer's flags, sorted.
pub fn flags(conn: &Connection, customer_id: i64) -> Result<Vec<String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT flag FROM customer_flag WHERE customer_id = ?1 ORDER BY flag")?;
    let rows = stmt.query_map([customer_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Sets or clears one flag; returns whether anything changed.
pub fn set_flag(
    tx: &Transaction,
    customer_id: i64,
    flag: &str,
    on: bool,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = if on {
        tx.execute(
            "INSERT OR IGNORE INTO customer_flag (customer_id, flag, set_by, set_at) VALUES (?1, ?2, ?3, ?4)",
            params![customer_id, flag, by, ts(now)],
        )?
    } else {
        tx.execute(
            "DELETE FROM customer_flag WHERE customer_id = ?1 AND flag = ?2",
            params![customer_id, flag],
        )?
    };
    Ok(changed > 0)
}

/// The customer's accounts.
pub fn accounts(conn: &Connection, customer_id: i64) -> Result<Vec<AccountRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT account_no, address, tariff, status FROM account WHERE customer_id = ?1 ORDER BY account_no",
    )?;
    let rows = stmt.query_map([customer_id], |r| {
        Ok(AccountRow {
            account_no: r.get(0)?,
            address: r.get(1)?,
            tariff: r.get(2)?,
            status: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// How many customers are stored.
pub fn count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM customer", [], |r| r.get(0))?)
}

/// Bulk loading for demo data: prepared once, reused per row, in the
/// caller's transaction.
pub struct BulkLoader<'t> {
    conn: &'t Connection,
    customer: rusqlite::Statement<'t>,
    account: rusqlite::Statement<'t>,
    flag: rusqlite::Statement<'t>,
    now: String,
}

impl<'t> BulkLoader<'t> {
    /// Prepares the statements.
    pub fn new(tx: &'t Transaction, now: DateTime<Utc>) -> Result<Self, StoreError> {
        Ok(BulkLoader {
            conn: tx,
            customer: tx.prepare(
                "INSERT OR IGNORE INTO customer (id_no, id_kind, name, phone, address, birth_date, gender, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            account: tx.prepare(
                "INSERT OR IGNORE INTO account (account_no, customer_id, address, tariff) VALUES (?1, ?2, ?3, ?4)",
            )?,
            flag: tx.prepare(
                "INSERT OR IGNORE INTO customer_flag (customer_id, flag, set_at) VALUES (?1, ?2, ?3)",
            )?,
            now: ts(now),
        })
    }

    /// Adds one customer; returns its row id, or None if the ID already existed.
    pub fn customer(&mut self, c: &NewCustomerRow) -> Result<Option<i64>, StoreError> {
        let n = self.customer.execute(params![
            c.id_no,
            kind_code(c.id_kind),
            c.name,
            c.phone,
            c.address,
            c.birth_date.map(day),
            c.gender,
            self.now,
        ])?;
        Ok((n > 0).then(|| self.conn.last_insert_rowid()))
    }

    /// Adds an account to a customer.
    pub fn account(
        &mut self,
        customer_id: i64,
        account_no: &str,
        address: &str,
        tariff: &str,
    ) -> Result<(), StoreError> {
        self.account
            .execute(params![account_no, customer_id, address, tariff])?;
        Ok(())
    }

    /// Adds a flag.
    pub fn flag(&mut self, customer_id: i64, flag: &str) -> Result<(), StoreError> {
        self.flag.execute(params![customer_id, flag, self.now])?;
        Ok(())
    }
}
