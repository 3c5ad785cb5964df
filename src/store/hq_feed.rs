//! What HQ publishes for the counter: accounts, the day's bills, case steps.
//! Applied with HQ's own sequence in one transaction, into tables that
//! local writes never touch; the high-water mark lives in `meta`.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::cases::HqStepDone;
use super::codes::Code;
use super::snapshot::Aggregate;
use super::stamp::ts;
use super::{Event, Store, StoreError};
use crate::domain::case::CaseRules;
use crate::domain::feed::HeldReason;
use crate::domain::states::{StepStatus, SupplyState};
use crate::domain::upload::{FeedData, FeedItem};

const MARK_KEY: &str = "hq_feed_seq";

/// HQ's newest sequence applied here.
pub fn high_water(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([MARK_KEY], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Whether `s` is a calendar date as HQ writes it (2026-11-30).
fn is_day(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

/// Whether `s` is an instant as HQ writes it (RFC 3339).
fn is_instant(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// What one page of the feed did here.
#[derive(Debug, Default)]
pub struct Applied {
    /// Items new to this counter.
    pub count: i64,
    /// Business rows it moved (cases HQ moved on, reconnections done).
    pub moved: Vec<Aggregate>,
}

/// Applies a page of the feed in one transaction. Where it moves business
/// rows the move is audited (bound like any write) but never queued: it
/// came from HQ. Returns how many items were new.
pub fn apply_page(
    store: &mut Store,
    items: &[FeedItem],
    plan: Option<&CaseRules>,
) -> Result<i64, StoreError> {
    store.write_from_hq(|tx, _| {
        let applied = apply(tx, items, plan)?;
        let events = if applied.moved.is_empty() {
            Vec::new()
        } else {
            let detail = serde_json::json!({"items": applied.count, "moved": applied.moved.len()});
            vec![Event::new("hq.feed_applied", "hq", detail).also(applied.moved)]
        };
        Ok((applied.count, events))
    })
}

/// Applies items newer than the mark; returns how many were new. An item
/// sent twice is applied once. An item with a value this counter cannot
/// read (an unknown state or class, a malformed date) is skipped with a
/// log line, so one bad item neither stalls the feed nor breaks a screen.
/// `plan` says which cases HQ finishes wait for a return visit here.
pub fn apply(
    tx: &Transaction,
    items: &[FeedItem],
    plan: Option<&CaseRules>,
) -> Result<Applied, StoreError> {
    let start = high_water(tx)?;
    let mut mark = start;
    let mut applied = Applied::default();
    for item in items.iter().filter(|i| i.hq_seq > start) {
        match &item.data {
            FeedData::Account {
                account_no,
                holder_name,
                holder_id,
                address,
                state,
            } => {
                let Some(state) = SupplyState::from_code(state) else {
                    // One bad item must not stop the feed: it is held for a
                    // person to see while the mark moves past it.
                    hold(tx, item, HeldReason::UnknownValue(state.clone()))?;
                    mark = item.hq_seq;
                    continue;
                };
                tx.prepare_cached(
                    "INSERT INTO hq_account (account_no, holder_name, holder_id, address, state, hq_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(account_no) DO UPDATE SET holder_name = excluded.holder_name,
                     holder_id = excluded.holder_id, address = excluded.address,
                     state = excluded.state, hq_seq = excluded.hq_seq",
                )?
                .execute(params![account_no, holder_name, holder_id, address, state, item.hq_seq])?;
                if state == SupplyState::Normal {
                    // Supplied again: the reconnection this counter opened is done.
                    let done = super::reconnect::close_for(
                        tx,
                        account_no,
                        &crate::store::stamp::ts(chrono::Utc::now()),
                    )?;
                    applied
                        .moved
                        .extend(done.into_iter().map(Aggregate::Payment));
                }
            }
            FeedData::Bill {
                account_no,
                period,
                holder_name,
                class,
                arrears_fen,
                due_date,
            } => {
                if !matches!(class.as_str(), "residential" | "other") {
                    hold(tx, item, HeldReason::UnknownValue(class.clone()))?;
                    mark = item.hq_seq;
                    continue;
                }
                if !is_day(due_date) {
                    hold(tx, item, HeldReason::MalformedTime(due_date.clone()))?;
                    mark = item.hq_seq;
                    continue;
                }
                tx.prepare_cached(
                    "INSERT INTO hq_bill (account_no, period, holder_name, class, arrears_fen, due_date, hq_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT(account_no, period) DO UPDATE SET holder_name = excluded.holder_name,
                     class = excluded.class, arrears_fen = excluded.arrears_fen,
                     due_date = excluded.due_date, hq_seq = excluded.hq_seq",
                )?
                .execute(params![account_no, period, holder_name, class, arrears_fen, due_date, item.hq_seq])?;
            }
            FeedData::Case {
                ticket,
                holder_name,
                holder_id,
                form,
                step,
                due_date,
                owner,
                open,
            } => {
                if let Some(d) = due_date.as_deref().filter(|d| !is_day(d)) {
                    hold(tx, item, HeldReason::MalformedTime(d.to_string()))?;
                    mark = item.hq_seq;
                    continue;
                }
                tx.prepare_cached(
                    "INSERT INTO hq_case (ticket, holder_name, holder_id, form, step, due_date, owner, open, hq_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT(ticket) DO UPDATE SET holder_name = excluded.holder_name,
                     holder_id = excluded.holder_id, form = excluded.form, step = excluded.step,
                     due_date = excluded.due_date, owner = excluded.owner, open = excluded.open,
                     hq_seq = excluded.hq_seq",
                )?
                .execute(params![ticket, holder_name, holder_id, form, step, due_date, owner, open, item.hq_seq])?;
            }
            FeedData::Clerk {
                staff_no,
                name,
                role,
                hall,
            } => {
                tx.prepare_cached(
                    "INSERT INTO hq_clerk (staff_no, name, role, hall, hq_seq) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(staff_no) DO UPDATE SET name = excluded.name, role = excluded.role,
                     hall = excluded.hall, hq_seq = excluded.hq_seq",
                )?
                .execute(params![staff_no, name, role, hall, item.hq_seq])?;
            }
            FeedData::Grid {
                grid,
                name,
                manager,
                phone,
                streets,
            } => {
                let streets = serde_json::to_string(streets).unwrap_or_else(|_| "[]".into());
                tx.prepare_cached(
                    "INSERT INTO hq_grid (grid, name, manager, phone, streets, hq_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(grid) DO UPDATE SET name = excluded.name, manager = excluded.manager,
                     phone = excluded.phone, streets = excluded.streets, hq_seq = excluded.hq_seq",
                )?
                .execute(params![grid, name, manager, phone, streets, item.hq_seq])?;
            }
            FeedData::CaseStep {
                ticket,
                step,
                state,
                at,
                note,
            } => {
                if StepStatus::from_code(state).is_none() {
                    hold(tx, item, HeldReason::UnknownValue(state.clone()))?;
                    mark = item.hq_seq;
                    continue;
                }
                if !is_instant(at) {
                    hold(tx, item, HeldReason::MalformedTime(at.clone()))?;
                    mark = item.hq_seq;
                    continue;
                }
                tx.prepare_cached(
                    "INSERT INTO hq_case_step (ticket, step, state, at, note, hq_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(ticket, step) DO UPDATE SET state = excluded.state,
                     at = excluded.at, note = excluded.note, hq_seq = excluded.hq_seq",
                )?
                .execute(params![ticket, step, state, at, note, item.hq_seq])?;
                if state == "done" {
                    // The back office finished a step of a case accepted
                    // here: the case moves on at this counter too.
                    match super::cases::done_at_hq(tx, ticket, step, at, note, plan)? {
                        HqStepDone::Moved(id) => applied.moved.push(Aggregate::Case(id)),
                        HqStepDone::UnknownStep => {
                            let why = HeldReason::UnknownStep {
                                ticket: ticket.clone(),
                                step: step.clone(),
                            };
                            hold(tx, item, why)?;
                        }
                        HqStepDone::NotHere | HqStepDone::Closed | HqStepDone::AlreadyDone => {}
                    }
                }
            }
        }
        mark = item.hq_seq;
        applied.count += 1;
    }
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![MARK_KEY, mark.to_string()])?;
    Ok(applied)
}

/// Keeps an item this counter cannot apply, with why, and says so in the
/// log (never its personal data: kind, sequence and reason only).
fn hold(tx: &Transaction, item: &FeedItem, why: HeldReason) -> Result<(), StoreError> {
    let (code, detail) = why.to_stored();
    let data = serde_json::to_value(&item.data).unwrap_or_default();
    let kind = data["kind"].as_str().unwrap_or("?").to_string();
    tracing::warn!(
        hq_seq = item.hq_seq,
        kind,
        reason = code,
        "item from HQ held: not applied"
    );
    tx.prepare_cached(
        "INSERT INTO hq_feed_held (hq_seq, kind, item, reason, detail, held_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(hq_seq) DO NOTHING",
    )?
    .execute(params![
        item.hq_seq,
        kind,
        data.to_string(),
        code,
        detail,
        ts(chrono::Utc::now())
    ])?;
    Ok(())
}

/// An item from HQ held here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldItem {
    /// HQ's sequence.
    pub hq_seq: i64,
    /// Its kind (account, bill, case_step...).
    pub kind: String,
    /// Why it was not applied.
    pub reason: HeldReason,
    /// When it arrived.
    pub held_at: String,
}

/// The held items, newest first, at most `limit`; and how many there are.
pub fn held(conn: &Connection, limit: i64) -> Result<(Vec<HeldItem>, i64), StoreError> {
    let n = conn.query_row("SELECT count(*) FROM hq_feed_held", [], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(
        "SELECT hq_seq, kind, reason, detail, held_at FROM hq_feed_held ORDER BY hq_seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        let code: String = r.get(2)?;
        let detail: String = r.get(3)?;
        Ok(HeldItem {
            hq_seq: r.get(0)?,
            kind: r.get(1)?,
            reason: HeldReason::from_stored(&code, &detail),
            held_at: r.get(4)?,
        })
    })?;
    Ok((rows.collect::<Result<_, _>>()?, n))
}

/// An account as HQ keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HqAccount {
    pub account_no: String,
    /// Holder's name.
    pub holder_name: String,
    /// Holder's ID number.
    pub holder_id: String,
    /// Supply address.
    pub address: String,
    /// Supplied, cut off for arrears...
    pub state: SupplyState,
}

fn account_row(r: &rusqlite::Row) -> rusqlite::Result<HqAccount> {
    Ok(HqAccount {
        account_no: r.get(0)?,
        holder_name: r.get(1)?,
        holder_id: r.get(2)?,
        address: r.get(3)?,
        state: r.get(4)?,
    })
}

pub fn account(conn: &Connection, account_no: &str) -> Result<Option<HqAccount>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT account_no, holder_name, holder_id, address, state FROM hq_account
             WHERE account_no = ?1",
        )?
        .query_row([account_no], account_row)
        .optional()?)
}

/// Every account a holder (by ID number) has.
pub fn accounts_of(conn: &Connection, holder_id: &str) -> Result<Vec<HqAccount>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT account_no, holder_name, holder_id, address, state FROM hq_account
         WHERE holder_id = ?1 ORDER BY account_no",
    )?;
    let rows = stmt.query_map([holder_id], account_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A case step the back office recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HqStep {
    /// Step code.
    pub step: String,
    /// Pending, current or done, in the back office's words.
    pub state: StepStatus,
    /// When.
    pub at: String,
    pub note: String,
}

/// The back office's steps for a ticket.
pub fn steps_of(conn: &Connection, ticket: &str) -> Result<Vec<HqStep>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT step, state, at, note FROM hq_case_step WHERE ticket = ?1 ORDER BY at, step",
    )?;
    let rows = stmt.query_map([ticket], |r| {
        Ok(HqStep {
            step: r.get(0)?,
            state: r.get(1)?,
            at: r.get(2)?,
            note: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many accounts and bills HQ has sent.
pub fn counts(conn: &Connection) -> Result<(i64, i64), StoreError> {
    let a = conn.query_row("SELECT count(*) FROM hq_account", [], |r| r.get(0))?;
    let b = conn.query_row("SELECT count(*) FROM hq_bill", [], |r| r.get(0))?;
    Ok((a, b))
}

/// A clerk on HQ's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HqClerk {
    pub staff_no: String,
    pub name: String,
    pub hall: String,
}

/// A clerk on HQ's list by staff number.
pub fn clerk(conn: &Connection, staff_no: &str) -> Result<Option<HqClerk>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT staff_no, name, hall FROM hq_clerk WHERE staff_no = ?1")?
        .query_row([staff_no], |r| {
            Ok(HqClerk {
                staff_no: r.get(0)?,
                name: r.get(1)?,
                hall: r.get(2)?,
            })
        })
        .optional()?)
}

/// A service grid and its customer manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HqGrid {
    /// Grid name.
    pub name: String,
    /// Customer manager.
    pub manager: String,
    pub phone: String,
}

/// The grid whose street the address names (the longest street matched,
/// so "人民路" does not take "人民路北段" from its own grid).
pub fn grid_for(conn: &Connection, address: &str) -> Result<Option<HqGrid>, StoreError> {
    if address.trim().is_empty() {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached("SELECT name, manager, phone, streets FROM hq_grid")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut best: Option<(usize, HqGrid)> = None;
    for row in rows {
        let (name, manager, phone, streets) = row?;
        let streets: Vec<String> = serde_json::from_str(&streets).unwrap_or_default();
        for s in streets
            .iter()
            .filter(|s| !s.is_empty() && address.contains(s.as_str()))
        {
            let len = s.chars().count();
            if best.as_ref().is_none_or(|(longest, _)| len > *longest) {
                best = Some((
                    len,
                    HqGrid {
                        name: name.clone(),
                        manager: manager.clone(),
                        phone: phone.clone(),
                    },
                ));
            }
        }
    }
    Ok(best.map(|(_, g)| g))
}
