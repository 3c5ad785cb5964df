//! Headquarters' daily bill list: a CSV or JSON file read into bills, every
//! row checked, every problem named by its place (line of the CSV, index in
//! the JSON array) and column.
//!
//! Pure: bytes in, bills or problems out. The desk decides what happens in
//! the database; nothing here knows about it. The import is all or nothing,
//! so [`parse`] returns either every bill or every problem, never a part.
//!
//! The file is trusted no more than a clerk's typing: amounts go through
//! [`parse_amount`] (so `128.50`, `¥1,280.50` and full-width digits mean the
//! same as at the counter, and a bad amount gets the same message), dates
//! and periods must be real, and account numbers are digits of any length
//! (provinces differ and change, so no length is fixed).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::money::{parse_amount, CustomerClass, Fen};
use super::msg::Msg;
use crate::msg;

/// The columns of the CSV header and the keys of a JSON item, in the
/// order the documentation gives them.
pub const COLUMNS: [&str; 5] = ["account_no", "period", "arrears", "due_date", "class"];

/// The JSON alternative to `arrears`: the amount as an integer of fen.
pub const ARREARS_FEN: &str = "arrears_fen";

/// How the file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated, a header line first.
    Csv,
    /// An array of objects.
    Json,
}

/// Where a bill or a problem is in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// The file as a whole (encoding, syntax, header).
    File,
    /// A 1-based line of a CSV file (the header is line 1).
    Line(usize),
    /// A 0-based index in the JSON array.
    Item(usize),
}

/// One thing wrong with the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub place: Place,
    /// The column or key, when the problem is about one value.
    pub column: Option<String>,
    /// What is wrong and how to fix it. For [`Place::File`] the message is
    /// complete (it names the file); for a row it says only what is wrong
    /// with the value, and the caller adds the place.
    pub msg: Msg,
}

/// One bill as the file gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillLine {
    /// Where it came from, for messages.
    pub place: Place,
    /// Account number (户号), digits only, leading zeros kept.
    pub account_no: String,
    /// Billing period, `YYYY-MM`.
    pub period: String,
    /// Amount owed, before any late fee.
    pub arrears: Fen,
    /// Last day to pay without a late fee.
    pub due_date: NaiveDate,
    /// Residential or other, for the late-fee rate.
    pub class: CustomerClass,
}

/// The file's SHA-256 as lowercase hex: the same bytes are the same file,
/// whatever it is called.
pub use super::hex::sha256_hex;

/// The format by extension (`.csv`, `.json`, any case); for any other name
/// by the first character that is not a byte-order mark or white space
/// (`[` or `{` is JSON, anything else CSV).
pub fn format_of(file_name: &str, bytes: &[u8]) -> Format {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        return Format::Csv;
    }
    if lower.ends_with(".json") {
        return Format::Json;
    }
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') | Some(b'{') => Format::Json,
        _ => Format::Csv,
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads and checks a bill file. `file_name` chooses the format and is
/// named in file-level messages. Either every bill, in file order, or every
/// problem found (a file-level problem stops the reading, because nothing
/// after it can be trusted; row problems are all collected so headquarters
/// can fix the file in one go). No bill may exceed `limit`, the most the
/// cashier takes in one payment: a bill it could never be paid by is a
/// broken file, not a debt.
pub fn parse(file_name: &str, bytes: &[u8], limit: Fen) -> Result<Vec<BillLine>, Vec<Problem>> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        let line = 1 + body[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        vec![file_problem(msg!(
            "bills.not_utf8",
            file = file_name,
            line = line
        ))]
    })?;
    if text.trim().is_empty() {
        return Err(vec![file_problem(msg!(
            "bills.empty_file",
            file = file_name
        ))]);
    }
    let rows = match format_of(file_name, bytes) {
        Format::Csv => csv::rows(file_name, text)?,
        Format::Json => json::rows(file_name, text)?,
    };
    if rows.is_empty() {
        return Err(vec![file_problem(msg!("bills.no_rows", file = file_name))]);
    }
    check_rows(rows, limit)
}

pub(super) fn file_problem(msg: Msg) -> Problem {
    Problem {
        place: Place::File,
        column: None,
        msg,
    }
}

pub(super) fn row_problem(place: Place, column: Option<&str>, msg: Msg) -> Problem {
    Problem {
        place,
        column: column.map(str::to_string),
        msg,
    }
}

/// A row before checking: its place and the raw values by column, or the
/// problems that kept it from being read at all.
pub(super) struct RawRow {
    pub(super) place: Place,
    pub(super) values: Result<RawValues, Vec<Problem>>,
}

/// The values of one row as written. `arrears` is either typed yuan or
/// fen already counted (JSON's `arrears_fen`).
#[derive(Default)]
pub(super) struct RawValues {
    pub(super) account_no: Option<String>,
    pub(super) period: Option<String>,
    pub(super) arrears: Option<Arrears>,
    pub(super) due_date: Option<String>,
    pub(super) class: Option<String>,
}

pub(super) enum Arrears {
    Typed(String),
    Fen(Fen),
}

/// Checks every row and the uniqueness of account + period in the file.
fn check_rows(rows: Vec<RawRow>, limit: Fen) -> Result<Vec<BillLine>, Vec<Problem>> {
    let mut bills = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    let mut first_seen: HashMap<(String, String), Place> = HashMap::new();
    for row in rows {
        let checked = row.values.and_then(|v| check_values(row.place, v, limit));
        match checked {
            Ok(bill) => {
                let key = (bill.account_no.clone(), bill.period.clone());
                if let Some(first) = first_seen.get(&key) {
                    let m = match first {
                        Place::Item(i) => msg!("bills.duplicate_item", first = i),
                        Place::Line(l) => msg!("bills.duplicate_line", first = l),
                        Place::File => msg!("bills.duplicate_line", first = "?"),
                    };
                    problems.push(row_problem(bill.place, Some("account_no"), m));
                } else {
                    first_seen.insert(key, bill.place);
                    bills.push(bill);
                }
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(bills)
    } else {
        Err(problems)
    }
}

/// Checks one row's values; every bad column is reported, not just the first.
fn check_values(place: Place, v: RawValues, limit: Fen) -> Result<BillLine, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut note = |column: &str, r: Result<(), Msg>| {
        if let Err(m) = r {
            problems.push(row_problem(place, Some(column), m));
        }
    };
    let account = account_no(v.account_no.as_deref());
    note(
        "account_no",
        account.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    let period = period(v.period.as_deref());
    note("period", period.as_ref().map(|_| ()).map_err(Clone::clone));
    let (arrears_column, arrears) = match v.arrears {
        Some(Arrears::Typed(s)) => ("arrears", parse_amount(&s, limit)),
        Some(Arrears::Fen(f)) if f > limit => {
            (ARREARS_FEN, Err(msg!("money.above_limit", limit = limit)))
        }
        Some(Arrears::Fen(f)) => (ARREARS_FEN, Ok(f)),
        None => ("arrears", Err(msg!("bills.missing"))),
    };
    note(
        arrears_column,
        arrears.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    let due = due_date(v.due_date.as_deref());
    note("due_date", due.as_ref().map(|_| ()).map_err(Clone::clone));
    let class = class(v.class.as_deref());
    note("class", class.as_ref().map(|_| ()).map_err(Clone::clone));
    match (account, period, arrears, due, class) {
        (Ok(account_no), Ok(period), Ok(arrears), Ok(due_date), Ok(class)) => Ok(BillLine {
            place,
            account_no,
            period,
            arrears,
            due_date,
            class,
        }),
        _ => Err(problems),
    }
}

fn account_no(raw: Option<&str>) -> Result<String, Msg> {
    let s = raw.map(str::trim).unwrap_or_default();
    if s.is_empty() {
        return Err(msg!("bills.account_empty"));
    }
    // ASCII digits only: the counter stores and matches account numbers as
    // typed there, and a full-width or spreadsheet-quoted ('0591...) number
    // would never match a payment.
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(msg!("bills.account_not_digits", value = s));
    }
    Ok(s.to_string())
}

fn period(raw: Option<&str>) -> Result<String, Msg> {
    let s = raw.map(str::trim).unwrap_or_default();
    if s.is_empty() {
        return Err(msg!("bills.missing"));
    }
    let b = s.as_bytes();
    let shaped = b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit);
    let month_ok = s
        .get(5..)
        .and_then(|m| m.parse::<u32>().ok())
        .is_some_and(|m| (1..=12).contains(&m));
    if shaped && month_ok {
        Ok(s.to_string())
    } else {
        Err(msg!("bills.bad_period", value = s))
    }
}

fn due_date(raw: Option<&str>) -> Result<NaiveDate, Msg> {
    let s = raw.map(str::trim).unwrap_or_default();
    if s.is_empty() {
        return Err(msg!("bills.missing"));
    }
    // Exactly YYYY-MM-DD: chrono alone would also take "2026-1-5", and a
    // file from headquarters in any other shape is more likely a column
    // mix-up than a date.
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if shaped => Ok(d),
        _ => Err(msg!("bills.bad_date", value = s)),
    }
}

fn class(raw: Option<&str>) -> Result<CustomerClass, Msg> {
    let s = raw.map(str::trim).unwrap_or_default();
    if s.is_empty() {
        return Err(msg!("bills.missing"));
    }
    match s.to_ascii_lowercase().as_str() {
        "residential" => Ok(CustomerClass::Residential),
        "other" => Ok(CustomerClass::Other),
        _ => Err(msg!("bills.bad_class", value = s)),
    }
}

/// The stable code of a class, as stored and written in files.
pub fn class_code(class: CustomerClass) -> &'static str {
    match class {
        CustomerClass::Residential => "residential",
        CustomerClass::Other => "other",
    }
}

/// The class for a stored code.
pub fn class_from_code(code: &str) -> Option<CustomerClass> {
    match code {
        "residential" => Some(CustomerClass::Residential),
        "other" => Some(CustomerClass::Other),
        _ => None,
    }
}

mod csv;
mod json;

#[cfg(test)]
mod tests;
