//! Ratings of the service at the window, their poor-rating cases and the
//! customer display's secret. A rating is asked for inside its
//! transaction's own commit ([`ask`]), then rated or timed out.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::stamp::{at, at_opt, day, day_opt, ts};
use super::StoreError;
use crate::domain::rating::{AppealVerdict, Level, RatingState, Reason, Service};

/// A rating asked for at the end of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask<'a> {
    pub service: Service,
    pub reference: &'a str,
    pub clerk_id: i64,
    pub customer_id: Option<i64>,
    pub service_started_at: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
}

/// A rating as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRow {
    pub id: i64,
    pub service: Service,
    pub reference: String,
    pub clerk_id: i64,
    pub clerk_name: String,
    pub service_started_at: DateTime<Utc>,
    pub asked_at: DateTime<Utc>,
    pub state: RatingState,
    pub appeal: Option<Appeal>,
}

/// An appeal (申诉复核) and, once decided, its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appeal {
    pub reason: String,
    pub at: DateTime<Utc>,
    pub verdict: Option<(AppealVerdict, String, i64)>,
}

impl RatingRow {
    /// The level, for the duty manager's eyes and the month's figures only.
    pub fn level(&self) -> Option<Level> {
        match &self.state {
            RatingState::Rated { level, .. } => Some(*level),
            _ => None,
        }
    }

    /// Whether an appeal was upheld (the rating stays, marked, and is left
    /// out of satisfaction).
    pub fn upheld(&self) -> bool {
        matches!(
            &self.appeal,
            Some(Appeal {
                verdict: Some((AppealVerdict::Upheld, _, _)),
                ..
            })
        )
    }
}

const COLUMNS: &str = "r.id, r.service, r.reference, r.clerk_id, c.name, r.service_started_at,
    r.asked_at, r.valid_until, r.state, r.level, r.reasons, r.ended_at, r.appeal_reason,
    r.appealed_at, r.appeal_verdict, r.appeal_note, r.appeal_decided_by";

fn bad(idx: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("unknown {what}").into(),
    )
}

fn row(r: &Row) -> rusqlite::Result<RatingRow> {
    let service: String = r.get(1)?;
    let service = Service::from_code(&service).ok_or_else(|| bad(1, "service"))?;
    let state: String = r.get(8)?;
    let state = match state.as_str() {
        "waiting" => RatingState::Waiting { until: at(r, 7)? },
        "rated" => {
            let level: String = r.get(9)?;
            let reasons: String = r.get(10)?;
            RatingState::Rated {
                level: Level::from_code(&level).ok_or_else(|| bad(9, "level"))?,
                reasons: reasons.split(',').filter_map(Reason::from_code).collect(),
                at: at(r, 11)?,
            }
        }
        _ => RatingState::NotRated { at: at(r, 11)? },
    };
    let appeal = match r.get::<_, Option<String>>(12)? {
        None => None,
        Some(reason) => {
            let verdict = match r.get::<_, Option<String>>(14)? {
                None => None,
                Some(v) => Some((
                    AppealVerdict::from_code(&v).ok_or_else(|| bad(14, "verdict"))?,
                    r.get::<_, Option<String>>(15)?.unwrap_or_default(),
                    r.get::<_, Option<i64>>(16)?.unwrap_or_default(),
                )),
            };
            Some(Appeal {
                reason,
                at: at(r, 13)?,
                verdict,
            })
        }
    };
    Ok(RatingRow {
        id: r.get(0)?,
        service,
        reference: r.get(2)?,
        clerk_id: r.get(3)?,
        clerk_name: r.get(4)?,
        service_started_at: at(r, 5)?,
        asked_at: at(r, 6)?,
        state,
        appeal,
    })
}

/// Asks for the rating of a transaction, inside the transaction's commit.
pub fn ask(tx: &Transaction, a: &Ask, now: DateTime<Utc>) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO rating (service, reference, clerk_id, customer_id, service_started_at,
                             asked_at, valid_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        a.service.code(),
        a.reference,
        a.clerk_id,
        a.customer_id,
        ts(a.service_started_at),
        ts(now),
        ts(a.valid_until)
    ])?;
    Ok(tx.last_insert_rowid())
}

/// The rating of a transaction, by its ticket, receipt or refund number.
pub fn by_reference(conn: &Connection, reference: &str) -> Result<Option<RatingRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM rating r JOIN clerk c ON c.id = r.clerk_id WHERE r.reference = ?1"
    );
    Ok(conn.query_row(&sql, [reference], row).optional()?)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<RatingRow>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM rating r JOIN clerk c ON c.id = r.clerk_id WHERE r.id = ?1");
    Ok(conn.query_row(&sql, [id], row).optional()?)
}

/// The newest rating still waiting, if any (what the display asks for).
pub fn waiting(conn: &Connection) -> Result<Option<RatingRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM rating r JOIN clerk c ON c.id = r.clerk_id
         WHERE r.state = 'waiting' ORDER BY r.id DESC LIMIT 1"
    );
    Ok(conn.query_row(&sql, [], row).optional()?)
}

/// Ratings still waiting whose time ran out by `now`.
pub fn timed_out(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<i64>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT id FROM rating WHERE state = 'waiting' AND valid_until < ?1 ORDER BY id",
    )?;
    let ids = st
        .query_map([ts(now)], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Every rating still waiting, oldest first (a display gone: none will come).
pub fn all_waiting(conn: &Connection) -> Result<Vec<i64>, StoreError> {
    let mut st =
        conn.prepare_cached("SELECT id FROM rating WHERE state = 'waiting' ORDER BY id")?;
    let ids = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Records the customer's rating.
pub fn rate(
    tx: &Transaction,
    id: i64,
    level: Level,
    reasons: &[Reason],
    channel: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let reasons: Vec<&str> = reasons.iter().map(|r| r.code()).collect();
    tx.execute(
        "UPDATE rating SET state = 'rated', level = ?2, reasons = ?3, channel = ?4, ended_at = ?5
         WHERE id = ?1 AND state = 'waiting'",
        params![id, level.code(), reasons.join(","), channel, ts(now)],
    )?;
    Ok(())
}

/// Marks a rating not rated (its time ran out, or the display was gone).
pub fn not_rated(tx: &Transaction, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE rating SET state = 'not_rated', ended_at = ?2 WHERE id = ?1 AND state = 'waiting'",
        params![id, ts(now)],
    )?;
    Ok(n == 1)
}

/// Files the clerk's appeal.
pub fn appeal(
    tx: &Transaction,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE rating SET appeal_reason = ?2, appealed_at = ?3 WHERE id = ?1",
        params![id, reason, ts(now)],
    )?;
    Ok(())
}

/// The duty manager's decision of an appeal.
pub fn decide_appeal(
    tx: &Transaction,
    id: i64,
    verdict: AppealVerdict,
    note: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE rating SET appeal_verdict = ?2, appeal_note = ?3, appeal_decided_by = ?4,
                           appeal_decided_at = ?5 WHERE id = ?1",
        params![id, verdict.code(), note, by, ts(now)],
    )?;
    Ok(())
}

/// A poor-rating case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoorCase {
    pub rating_id: i64,
    pub reference: String,
    pub service: Service,
    pub clerk_name: String,
    pub level: Level,
    pub reasons: Vec<Reason>,
    pub opened_at: DateTime<Utc>,
    pub visit_due: NaiveDate,
    pub rectify_due: NaiveDate,
    pub visit: Option<(DateTime<Utc>, String)>,
    pub closed: Option<(DateTime<Utc>, String)>,
    pub appealed: bool,
}

/// Opens the poor-rating case of a rating, in the rating's commit.
pub fn open_case(
    tx: &Transaction,
    rating_id: i64,
    visit_due: NaiveDate,
    rectify_due: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO poor_rating (rating_id, opened_at, visit_due, rectify_due)
         VALUES (?1, ?2, ?3, ?4)",
        params![rating_id, ts(now), day(visit_due), day(rectify_due)],
    )?;
    Ok(())
}

/// Closes a poor-rating case with the return visit's verdict and what was
/// done.
pub fn close_case(
    tx: &Transaction,
    rating_id: i64,
    verdict: &str,
    action: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE poor_rating SET visited_at = ?2, visit_verdict = ?3, action_taken = ?4,
                                closed_at = ?2, closed_by = ?5
         WHERE rating_id = ?1 AND closed_at IS NULL",
        params![rating_id, ts(now), verdict, action, by],
    )?;
    Ok(())
}

const CASE_SQL: &str = "SELECT p.rating_id, r.reference, r.service, c.name, r.level, r.reasons,
        p.opened_at, p.visit_due, p.rectify_due, p.visited_at, p.visit_verdict, p.closed_at,
        p.action_taken, r.appeal_reason
     FROM poor_rating p JOIN rating r ON r.id = p.rating_id JOIN clerk c ON c.id = r.clerk_id";

fn case_row(r: &Row) -> rusqlite::Result<PoorCase> {
    let service: String = r.get(2)?;
    let level: String = r.get(4)?;
    let reasons: String = r.get(5)?;
    let visit = match at_opt(r, 9)? {
        Some(t) => Some((t, r.get::<_, Option<String>>(10)?.unwrap_or_default())),
        None => None,
    };
    let closed = match at_opt(r, 11)? {
        Some(t) => Some((t, r.get::<_, Option<String>>(12)?.unwrap_or_default())),
        None => None,
    };
    Ok(PoorCase {
        rating_id: r.get(0)?,
        reference: r.get(1)?,
        service: Service::from_code(&service).ok_or_else(|| bad(2, "service"))?,
        clerk_name: r.get(3)?,
        level: Level::from_code(&level).ok_or_else(|| bad(4, "level"))?,
        reasons: reasons.split(',').filter_map(Reason::from_code).collect(),
        opened_at: at(r, 6)?,
        visit_due: day_opt(r, 7)?.ok_or_else(|| bad(7, "day"))?,
        rectify_due: day_opt(r, 8)?.ok_or_else(|| bad(8, "day"))?,
        visit,
        closed,
        appealed: r.get::<_, Option<String>>(13)?.is_some(),
    })
}

/// Poor-rating cases still open, the earliest visit first.
pub fn open_cases(conn: &Connection) -> Result<Vec<PoorCase>, StoreError> {
    let sql = format!("{CASE_SQL} WHERE p.closed_at IS NULL ORDER BY p.visit_due, p.rating_id");
    let mut st = conn.prepare(&sql)?;
    let v = st
        .query_map([], case_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The poor-rating case of a rating, open or closed.
pub fn case_of(conn: &Connection, rating_id: i64) -> Result<Option<PoorCase>, StoreError> {
    let sql = format!("{CASE_SQL} WHERE p.rating_id = ?1");
    Ok(conn.query_row(&sql, [rating_id], case_row).optional()?)
}

/// Ratings asked from `from` (inclusive) to `to` (exclusive): the day's
/// or month's figures.
pub fn asked_between(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<RatingRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM rating r JOIN clerk c ON c.id = r.clerk_id
         WHERE r.asked_at >= ?1 AND r.asked_at < ?2 ORDER BY r.id"
    );
    let mut st = conn.prepare(&sql)?;
    let v = st
        .query_map([ts(from), ts(to)], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The customer display's secret, if one was made.
pub fn display_secret(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT secret FROM display_secret WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Sets (or rotates) the display's secret.
pub fn set_display_secret(
    tx: &Transaction,
    secret: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO display_secret (id, secret, rotated_at, rotated_by) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET secret = ?1, rotated_at = ?2, rotated_by = ?3",
        params![secret, ts(now), by],
    )?;
    Ok(())
}
