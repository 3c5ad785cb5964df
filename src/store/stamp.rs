//! Times and days as the database keeps them: UTC instants in RFC 3339
//! with milliseconds, days as `YYYY-MM-DD`. A value that does not read
//! back is an error naming the column, never "now" or "no date".

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::Row;

/// An instant as stored.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A day as stored.
pub fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn bad(idx: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, what.into())
}

/// Parses a stored instant.
pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The instant in column `idx`.
pub fn at(r: &Row, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = r.get(idx)?;
    parse_ts(&s).ok_or_else(|| bad(idx, format!("unreadable time \"{s}\"")))
}

/// The instant in column `idx`, if any.
pub fn at_opt(r: &Row, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match r.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(s) => parse_ts(&s)
            .map(Some)
            .ok_or_else(|| bad(idx, format!("unreadable time \"{s}\""))),
    }
}

/// The day in column `idx`, if any.
pub fn day_opt(r: &Row, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match r.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad(idx, format!("unreadable day \"{s}\""))),
    }
}
