//! The bill list as CSV: records read with the `csv` crate, the header
//! mapped to the columns, each row's values by name.

use std::collections::HashMap;

use super::{file_problem, row_problem, Arrears, Place, Problem, RawRow, RawValues, COLUMNS};
use crate::msg;

/// One CSV record: the line it starts on and its fields, unquoted.
struct Record {
    line: usize,
    fields: Vec<String>,
}

/// Splits CSV text (RFC 4180: quotes around a field, `""` for a quote
/// inside, CRLF or LF) into records with the `csv` crate; a quoted field
/// may hold a line break, and the record keeps the line it started on.
/// The crate repairs a stray or unclosed quote quietly; a bill list with
/// one is refused instead, naming the line, since a guess at money is worse
/// than a file sent again.
fn csv_records(file: &str, text: &str) -> Result<Vec<Record>, Problem> {
    quotes(file, text)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize).unwrap_or_default();
            file_problem(msg!("bills.csv_bad_quote", file = file, line = line))
        })?;
        let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        records.push(Record {
            line: line_of(text, start),
            fields: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(records)
}

/// The line a record starting at byte `start` is on. After a CR the crate
/// may start the next record on the LF that ends the line before.
fn line_of(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start.min(bytes.len());
    while bytes.get(at).is_some_and(|b| *b == b'\n' || *b == b'\r') {
        at += 1;
    }
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Refuses what the `csv` crate would repair: a quote that opens in the
/// middle of a field or text right after a closing quote
/// (`bills.csv_bad_quote`), and a quote never closed
/// (`bills.csv_unclosed_quote`, naming the line it opened on).
fn quotes(file: &str, text: &str) -> Result<(), Problem> {
    let (mut line, mut opened) = (1, 1);
    let (mut quoted, mut closed, mut blank) = (false, false, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
            }
            (true, '"') => (quoted, closed) = (false, true),
            (true, _) => {}
            (false, ',' | '\n' | '\r') => (closed, blank) = (false, true),
            (false, '"') if blank && !closed => (quoted, opened) = (true, line),
            (false, c) if c.is_whitespace() => {}
            (false, _) if closed || c == '"' => {
                return Err(file_problem(msg!(
                    "bills.csv_bad_quote",
                    file = file,
                    line = line
                )));
            }
            (false, _) => blank = false,
        }
    }
    if quoted {
        return Err(file_problem(msg!(
            "bills.csv_unclosed_quote",
            file = file,
            line = opened
        )));
    }
    Ok(())
}

pub(super) fn rows(file: &str, text: &str) -> Result<Vec<RawRow>, Vec<Problem>> {
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
