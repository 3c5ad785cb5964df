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
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

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
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

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
/// can fix the file in one go).
pub fn parse(file_name: &str, bytes: &[u8]) -> Result<Vec<BillLine>, Vec<Problem>> {
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
        Format::Csv => csv_rows(file_name, text)?,
        Format::Json => json_rows(file_name, text)?,
    };
    if rows.is_empty() {
        return Err(vec![file_problem(msg!("bills.no_rows", file = file_name))]);
    }
    check_rows(rows)
}

fn file_problem(msg: Msg) -> Problem {
    Problem {
        place: Place::File,
        column: None,
        msg,
    }
}

fn row_problem(place: Place, column: Option<&str>, msg: Msg) -> Problem {
    Problem {
        place,
        column: column.map(str::to_string),
        msg,
    }
}

/// A row before checking: its place and the raw values by column, or the
/// problems that kept it from being read at all.
struct RawRow {
    place: Place,
    values: Result<RawValues, Vec<Problem>>,
}

/// The values of one row as written. `arrears` is either typed yuan or
/// fen already counted (JSON's `arrears_fen`).
#[derive(Default)]
struct RawValues {
    account_no: Option<String>,
    period: Option<String>,
    arrears: Option<Arrears>,
    due_date: Option<String>,
    class: Option<String>,
}

enum Arrears {
    Typed(String),
    Fen(Fen),
}

/// Checks every row and the uniqueness of account + period in the file.
fn check_rows(rows: Vec<RawRow>) -> Result<Vec<BillLine>, Vec<Problem>> {
    let mut bills = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    let mut first_seen: HashMap<(String, String), Place> = HashMap::new();
    for row in rows {
        let checked = row.values.and_then(|v| check_values(row.place, v));
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
fn check_values(place: Place, v: RawValues) -> Result<BillLine, Vec<Problem>> {
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
        Some(Arrears::Typed(s)) => ("arrears", parse_amount(&s, Fen::MAX)),
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

// ---------------------------------------------------------------- CSV

/// One CSV record: the line it starts on and its fields, unquoted.
struct Record {
    line: usize,
    fields: Vec<String>,
}

/// Splits CSV text (RFC 4180: quotes around a field, `""` for a quote
/// inside, CRLF or LF) into records. A quoted field may hold a line break;
/// the record keeps the line it started on.
fn csv_records(file: &str, text: &str) -> Result<Vec<Record>, Problem> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    // After a closing quote only spaces may come before the separator.
    let mut closed = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    closed = true;
                }
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            ',' => {
                fields.push(std::mem::take(&mut field));
                closed = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                records.push(Record {
                    line: start,
                    fields: std::mem::take(&mut fields),
                });
                line += 1;
                start = line;
                closed = false;
            }
            '"' if !closed && field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            _ if closed && c.is_whitespace() => {}
            _ if closed || c == '"' => {
                return Err(file_problem(msg!(
                    "bills.csv_bad_quote",
                    file = file,
                    line = line
                )));
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(file_problem(msg!(
            "bills.csv_unclosed_quote",
            file = file,
            line = start
        )));
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push(Record {
            line: start,
            fields,
        });
    }
    Ok(records)
}

fn csv_rows(file: &str, text: &str) -> Result<Vec<RawRow>, Vec<Problem>> {
    let records = csv_records(file, text).map_err(|p| vec![p])?;
    // Blank lines, and rows of empty cells that spreadsheets write after the
    // data, carry nothing: skipped rather than refused.
    let mut records = records
        .into_iter()
        .filter(|r| r.fields.iter().any(|f| !f.trim().is_empty()));
    let Some(header) = records.next() else {
        return Ok(Vec::new());
    };
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, name) in header.fields.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        if !COLUMNS.contains(&name.as_str()) {
            return Err(vec![file_problem(msg!(
                "bills.header_unknown",
                file = file,
                column = name
            ))]);
        }
        if index.insert(name.clone(), i).is_some() {
            return Err(vec![file_problem(msg!(
                "bills.header_duplicate",
                file = file,
                column = name
            ))]);
        }
    }
    if let Some(missing) = COLUMNS.iter().find(|c| !index.contains_key(**c)) {
        return Err(vec![file_problem(msg!(
            "bills.header_missing",
            file = file,
            column = missing
        ))]);
    }
    let width = header.fields.len();
    Ok(records
        .map(|r| {
            let place = Place::Line(r.line);
            if r.fields.len() != width {
                return RawRow {
                    place,
                    values: Err(vec![row_problem(
                        place,
                        None,
                        msg!(
                            "bills.field_count",
                            found = r.fields.len(),
                            expected = width
                        ),
                    )]),
                };
            }
            let get = |name: &str| index.get(name).and_then(|i| r.fields.get(*i)).cloned();
            RawRow {
                place,
                values: Ok(RawValues {
                    account_no: get("account_no"),
                    period: get("period"),
                    arrears: get("arrears").map(Arrears::Typed),
                    due_date: get("due_date"),
                    class: get("class"),
                }),
            }
        })
        .collect())
}

// --------------------------------------------------------------- JSON

fn json_rows(file: &str, text: &str) -> Result<Vec<RawRow>, Vec<Problem>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![file_problem(msg!(
            "bills.json_syntax",
            file = file,
            line = e.line(),
            col = e.column()
        ))]
    })?;
    let Value::Array(items) = value else {
        return Err(vec![file_problem(msg!(
            "bills.json_not_array",
            file = file
        ))]);
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let place = Place::Item(i);
            RawRow {
                place,
                values: match item {
                    Value::Object(map) => json_values(place, map),
                    _ => Err(vec![row_problem(
                        place,
                        None,
                        msg!("bills.json_not_object"),
                    )]),
                },
            }
        })
        .collect())
}

/// The values of one JSON item. Unknown keys are refused (a misspelt key
/// would otherwise look like a missing value); a key given as `null` counts
/// as missing.
fn json_values(place: Place, map: Map<String, Value>) -> Result<RawValues, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut v = RawValues::default();
    let mut typed_arrears = None;
    let mut fen_arrears = None;
    for (key, value) in map {
        if value.is_null() {
            continue;
        }
        let text = |problems: &mut Vec<Problem>| match &value {
            Value::String(s) => Some(s.clone()),
            _ => {
                problems.push(row_problem(
                    place,
                    Some(&key),
                    msg!("bills.json_want_string"),
                ));
                None
            }
        };
        match key.as_str() {
            "account_no" => {
                if value.is_number() {
                    // A number loses leading zeros (0591... becomes 591...),
                    // so it is refused rather than turned back into text.
                    problems.push(row_problem(
                        place,
                        Some(&key),
                        msg!("bills.json_account_number"),
                    ));
                } else {
                    v.account_no = text(&mut problems);
                }
            }
            "period" => v.period = text(&mut problems),
            "due_date" => v.due_date = text(&mut problems),
            "class" => v.class = text(&mut problems),
            "arrears" => {
                if value.is_number() {
                    // A JSON number is a binary fraction: 128.1 is not
                    // exactly 128.10, so yuan must come as text.
                    problems.push(row_problem(
                        place,
                        Some(&key),
                        msg!("bills.json_arrears_number"),
                    ));
                } else {
                    typed_arrears = text(&mut problems);
                }
            }
            ARREARS_FEN => match fen_of(&value) {
                Ok(f) => fen_arrears = Some(f),
                Err(m) => problems.push(row_problem(place, Some(&key), m)),
            },
            _ => problems.push(row_problem(
                place,
                Some(&key),
                msg!("bills.json_unknown_key"),
            )),
        }
    }
    v.arrears = match (typed_arrears, fen_arrears) {
        (Some(_), Some(_)) => {
            problems.push(row_problem(
                place,
                Some(ARREARS_FEN),
                msg!("bills.json_both_arrears"),
            ));
            None
        }
        (Some(s), None) => Some(Arrears::Typed(s)),
        (None, Some(f)) => Some(Arrears::Fen(f)),
        (None, None) => None,
    };
    if problems.is_empty() {
        Ok(v)
    } else {
        Err(problems)
    }
}

/// `arrears_fen`: a whole, non-negative number of fen.
fn fen_of(value: &Value) -> Result<Fen, Msg> {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                if i < 0 {
                    Err(msg!("money.negative"))
                } else {
                    Ok(Fen(i))
                }
            } else if n.as_u64().is_some() {
                Err(msg!("money.too_large"))
            } else {
                Err(msg!("bills.json_want_fen"))
            }
        }
        _ => Err(msg!("bills.json_want_fen")),
    }
}

#[cfg(test)]
mod tests;
