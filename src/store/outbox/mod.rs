//! The upload outbox: one standalone record per audited write, keyed by
//! (epoch, seq), its canonical payload and sha256 fixed at enqueue, chained
//! over (seq, sha256). The queue position per epoch is the acknowledged mark
//! in `meta`, so the commit path touches no index beyond the primary key.

use chrono::{DateTime, Local, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

mod days;

pub use days::{
    closed_days, day_digest, day_digests, days_to_close, prunable_days, prune_day, range_digest,
    DAY_CLOSE,
};

use super::stamp::{day, ts};
use super::{Event, StoreError};
use crate::domain::upload::{
    chain_next, sha256_hex, RecordVerdict, Verdict, WireRecord, CHAIN_GENESIS, SCHEMA,
};

const COUNTER_KEY: &str = "counter_id";
const HEAD_KEY: &str = "outbox_head";
const ACKED_PREFIX: &str = "outbox_acked.";
const FIRST_PREFIX: &str = "outbox_first.";
const LAST_PREFIX: &str = "outbox_last.";

/// Who this database's records belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The counter's ID at HQ.
    pub counter: String,
    /// The epoch new records are written in.
    pub epoch: i64,
}

/// The newest record: where the next one chains on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub epoch: i64,
    /// Last sequence written in it (0 before the first).
    pub seq: i64,
    pub chain: String,
}

fn meta_get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()
}

fn meta_set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

fn parse_head(v: &str) -> Option<Head> {
    let mut it = v.splitn(3, ':');
    Some(Head {
        epoch: it.next()?.parse().ok()?,
        seq: it.next()?.parse().ok()?,
        chain: it.next()?.to_string(),
    })
}

/// The head; `None` only before `ensure_identity` ran.
pub fn head(conn: &Connection) -> Result<Option<Head>, StoreError> {
    Ok(meta_get(conn, HEAD_KEY)?.as_deref().and_then(parse_head))
}

/// The counter ID and current epoch.
pub fn identity(conn: &Connection) -> Result<Identity, StoreError> {
    let counter = meta_get(conn, COUNTER_KEY)?.unwrap_or_default();
    let epoch = head(conn)?.map_or(0, |h| h.epoch);
    Ok(Identity { counter, epoch })
}

/// Gives a new database its counter ID and first epoch. The epoch is the
/// creation time in milliseconds: a reinstalled counter starts a new one.
pub fn ensure_identity(conn: &Connection, now: DateTime<Utc>) -> Result<(), StoreError> {
    if meta_get(conn, COUNTER_KEY)?.is_none() {
        let id = format!("CD-{:08X}", fastrand::u32(..));
        meta_set(conn, COUNTER_KEY, &id)?;
    }
    if head(conn)?.is_none() {
        start_epoch(conn, now.timestamp_millis(), 0)?;
    }
    Ok(())
}

/// An epoch whose records follow sequence `after`, on a fresh chain.
fn start_epoch(conn: &Connection, epoch: i64, after: i64) -> rusqlite::Result<()> {
    meta_set(conn, HEAD_KEY, &format!("{epoch}:{after}:{CHAIN_GENESIS}"))?;
    meta_set(
        conn,
        &format!("{FIRST_PREFIX}{epoch}"),
        &(after + 1).to_string(),
    )?;
    meta_set(
        conn,
        &format!("{ACKED_PREFIX}{epoch}"),
        &format!("{after}:{CHAIN_GENESIS}"),
    )
}

/// Opens a new epoch (after a restore from a backup); returns (old, new).
/// The old epoch's records end where this file's end; the new one goes on
/// from there on a chain of its own.
pub fn new_epoch(conn: &Connection, now: DateTime<Utc>) -> Result<(i64, i64), StoreError> {
    let h = head(conn)?;
    let (old, after) = h.map_or((0, 0), |h| (h.epoch, h.seq));
    let new = now.timestamp_millis().max(old + 1);
    meta_set(conn, &format!("{LAST_PREFIX}{old}"), &after.to_string())?;
    start_epoch(conn, new, after)?;
    Ok((old, new))
}

/// The first sequence of `epoch` (1 for a database's first epoch).
pub fn first_seq(conn: &Connection, epoch: i64) -> Result<i64, StoreError> {
    Ok(meta_get(conn, &format!("{FIRST_PREFIX}{epoch}"))?
        .and_then(|v| v.parse().ok())
        .unwrap_or(1))
}

/// Sets the counter ID from the configuration. Allowed while no record has
/// been written under another ID.
pub fn adopt_counter_id(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    let current = meta_get(conn, COUNTER_KEY)?.unwrap_or_default();
    if current == id {
        return Ok(true);
    }
    let any: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT 1)",
        [],
        |r| r.get(0),
    )?;
    if any > 0 {
        return Ok(false);
    }
    meta_set(conn, COUNTER_KEY, id)?;
    Ok(true)
}

/// The payload as written. Fields are declared in alphabetical order and
/// serde_json's maps are sorted, so the bytes are canonical: the same record
/// always serialises to the same bytes. Borrowed, so nothing is copied.
#[derive(serde::Serialize)]
struct Payload<'a> {
    amount_fen: i64,
    at: &'a str,
    audit: AuditPart<'a>,
    clerk_id: Option<i64>,
    counter: &'a str,
    day: &'a str,
    epoch: i64,
    kind: &'a str,
    record: &'a serde_json::Value,
    schema: i64,
    seq: i64,
}

/// The audit entry inside a payload (alphabetical, as above).
#[derive(serde::Serialize)]
struct AuditPart<'a> {
    detail: &'a serde_json::Value,
    hash: &'a str,
    seq: i64,
    subject: &'a str,
}

/// Queues the record of one write, in the write's transaction.
pub fn push(
    tx: &Transaction,
    now: DateTime<Utc>,
    clerk_id: Option<i64>,
    audit: (i64, &str),
    event: &Event,
    record: Option<&serde_json::Value>,
) -> Result<Head, StoreError> {
    let prev = head(tx)?.ok_or_else(|| StoreError::Sql(rusqlite::Error::QueryReturnedNoRows))?;
    let counter = meta_get(tx, COUNTER_KEY)?.unwrap_or_default();
    let seq = prev.seq + 1;
    let at = ts(now);
    let today = day(now.with_timezone(&Local).date_naive());
    let null = serde_json::Value::Null;
    let record = record.unwrap_or(&null);
    let payload = serde_json::to_vec(&Payload {
        amount_fen: event.amount_fen,
        at: &at,
        audit: AuditPart {
            detail: &event.detail,
            hash: audit.1,
            seq: audit.0,
            subject: &event.subject,
        },
        clerk_id,
        counter: &counter,
        day: &today,
        epoch: prev.epoch,
        kind: event.action,
        record,
        schema: SCHEMA,
        seq,
    })
    .map_err(|e| StoreError::Sql(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
    let sha = sha256_hex(&payload);
    let chain = chain_next(&prev.chain, seq, &sha);
    tx.prepare_cached(
        "INSERT INTO outbox (epoch, seq, at, day, kind, schema, amount, sha256, chain, payload)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        prev.epoch,
        seq,
        at,
        today,
        event.action,
        SCHEMA,
        event.amount_fen,
        sha,
        chain,
        payload
    ])?;
    let head = Head {
        epoch: prev.epoch,
        seq,
        chain,
    };
    meta_set(
        tx,
        HEAD_KEY,
        &format!("{}:{}:{}", head.epoch, head.seq, head.chain),
    )?;
    Ok(head)
}

/// One epoch's upload queue: acknowledged through `acked`, written to `last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    pub epoch: i64,
    /// Highest contiguous sequence HQ acknowledged.
    pub acked: i64,
    /// Chain value at `acked`.
    pub acked_chain: String,
    /// Highest sequence written.
    pub last: i64,
    /// The epoch's first sequence.
    pub first: i64,
}

impl Queue {
    /// Records not yet acknowledged.
    pub fn waiting(&self) -> i64 {
        (self.last - self.acked).max(0)
    }
}

/// Every epoch's queue, oldest epoch first.
pub fn queues(conn: &Connection) -> Result<Vec<Queue>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT key, value FROM meta WHERE key >= ?1 AND key < ?2 ORDER BY key")?;
    let marks: Vec<(String, String)> = stmt
        .query_map(params![ACKED_PREFIX, "outbox_acked/"], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    let current = head(conn)?;
    let mut out = Vec::new();
    for (key, value) in marks {
        let Some(epoch) = key[ACKED_PREFIX.len()..].parse::<i64>().ok() else {
            continue;
        };
        let (acked, chain) = value
            .split_once(':')
            .and_then(|(s, c)| Some((s.parse().ok()?, c.to_string())))
            .unwrap_or((0, CHAIN_GENESIS.to_string()));
        // The current epoch ends at the head; an earlier one where it was
        // closed when the next one opened.
        let last = match &current {
            Some(h) if h.epoch == epoch => h.seq,
            _ => meta_get(conn, &format!("{LAST_PREFIX}{epoch}"))?
                .and_then(|v| v.parse().ok())
                .unwrap_or(acked),
        };
        out.push(Queue {
            epoch,
            acked,
            acked_chain: chain,
            last,
            first: first_seq(conn, epoch)?,
        });
    }
    out.sort_by_key(|q| q.epoch);
    Ok(out)
}

/// Up to `limit` records of `epoch` after `after`, in order.
pub fn batch(
    conn: &Connection,
    epoch: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<WireRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, day, amount, sha256, chain, payload FROM outbox
         WHERE epoch = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![epoch, after, limit], |r| {
        let bytes: Vec<u8> = r.get(5)?;
        Ok(WireRecord {
            seq: r.get(0)?,
            day: r.get(1)?,
            amount_fen: r.get(2)?,
            sha256: r.get(3)?,
            chain: r.get(4)?,
            payload: String::from_utf8_lossy(&bytes).into_owned(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The chain value at `seq` of `epoch` (the genesis before the first).
pub fn chain_at(conn: &Connection, epoch: i64, seq: i64) -> Result<String, StoreError> {
    if seq <= 0 {
        return Ok(CHAIN_GENESIS.to_string());
    }
    Ok(conn
        .prepare_cached("SELECT chain FROM outbox WHERE epoch = ?1 AND seq = ?2")?
        .query_row(params![epoch, seq], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| CHAIN_GENESIS.to_string()))
}

/// Marks `epoch` acknowledged through `through` (HQ committed them) and
/// quarantines the records HQ stored but could not use.
pub fn acknowledge(
    tx: &Transaction,
    now: DateTime<Utc>,
    epoch: i64,
    through: i64,
    verdicts: &[RecordVerdict],
) -> Result<(), StoreError> {
    let at = ts(now);
    tx.prepare_cached(
        "UPDATE outbox SET state = 'acknowledged', acked_at = ?3
         WHERE epoch = ?1 AND seq <= ?2 AND state = 'waiting'",
    )?
    .execute(params![epoch, through, at])?;
    for v in verdicts {
        match &v.verdict {
            Verdict::Accepted => {
                // A record sent again after quarantine and now taken.
                tx.prepare_cached(
                    "UPDATE outbox SET state = 'acknowledged', verdict = NULL, acked_at = ?3
                     WHERE epoch = ?1 AND seq = ?2 AND state = 'quarantined'",
                )?
                .execute(params![epoch, v.seq, at])?;
            }
            Verdict::Rejected { reason } => {
                tx.prepare_cached(
                    "UPDATE outbox SET state = 'quarantined', verdict = ?3, acked_at = ?4
                     WHERE epoch = ?1 AND seq = ?2",
                )?
                .execute(params![epoch, v.seq, reason, at])?;
            }
        }
    }
    let chain = chain_at(tx, epoch, through)?;
    let key = format!("{ACKED_PREFIX}{epoch}");
    let current = meta_get(tx, &key)?
        .and_then(|v| v.split_once(':').and_then(|(s, _)| s.parse::<i64>().ok()))
        .unwrap_or(0);
    if through > current {
        meta_set(tx, &key, &format!("{through}:{chain}"))?;
    }
    Ok(())
}

/// Marks a record HQ refused as a fork: the alarm stays until a duty
/// manager has looked.
pub fn mark_forked(tx: &Transaction, epoch: i64, seq: i64, reason: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET state = 'forked', verdict = ?3 WHERE epoch = ?1 AND seq = ?2",
    )?
    .execute(params![epoch, seq, reason])?;
    Ok(())
}

/// Queues a quarantined record to be sent again.
pub fn send_again(tx: &Transaction, epoch: i64, seq: i64) -> Result<bool, StoreError> {
    let n = tx
        .prepare_cached(
            "UPDATE outbox SET verdict = verdict || ' [again]'
             WHERE epoch = ?1 AND seq = ?2 AND state = 'quarantined'
               AND verdict NOT LIKE '% [again]'",
        )?
        .execute(params![epoch, seq])?;
    Ok(n > 0)
}

/// Quarantined records a duty manager asked to send again.
pub fn to_send_again(conn: &Connection) -> Result<Vec<(i64, i64)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT epoch, seq FROM outbox WHERE state = 'quarantined' AND verdict LIKE '% [again]'
         ORDER BY epoch, seq",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What the status bar and the upload screen show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// Records not yet acknowledged.
    pub waiting: i64,
    /// When the oldest of them was written.
    pub oldest_waiting_at: Option<String>,
    /// Records HQ stored but could not use.
    pub quarantined: i64,
    /// Records HQ refused as forks.
    pub forked: i64,
}

/// The queue's state.
pub fn status(conn: &Connection) -> Result<Status, StoreError> {
    let mut s = Status::default();
    for q in queues(conn)? {
        if q.waiting() == 0 {
            continue;
        }
        s.waiting += q.waiting();
        if s.oldest_waiting_at.is_none() {
            s.oldest_waiting_at = conn
                .prepare_cached("SELECT at FROM outbox WHERE epoch = ?1 AND seq = ?2")?
                .query_row(params![q.epoch, q.acked + 1], |r| r.get(0))
                .optional()?;
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT state, count(*) FROM outbox WHERE state IN ('quarantined', 'forked') GROUP BY state",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let state: String = r.get(0)?;
        let n: i64 = r.get(1)?;
        if state == "forked" {
            s.forked = n;
        } else {
            s.quarantined = n;
        }
    }
    Ok(s)
}

/// One record as the upload screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub epoch: i64,
    /// Sequence.
    pub seq: i64,
    /// When written.
    pub at: String,
    /// What kind of write.
    pub kind: String,
    pub amount_fen: i64,
    /// Waiting, quarantined or forked.
    pub state: crate::domain::states::OutboxState,
    /// HQ's reason, for quarantined and forked records.
    pub verdict: Option<String>,
}

fn listed(r: &rusqlite::Row) -> rusqlite::Result<Listed> {
    Ok(Listed {
        epoch: r.get(0)?,
        seq: r.get(1)?,
        at: r.get(2)?,
        kind: r.get(3)?,
        amount_fen: r.get(4)?,
        state: r.get(5)?,
        verdict: r.get(6)?,
    })
}

/// Held records (quarantined and forked) then the first waiting ones.
pub fn list(conn: &Connection, limit: i64) -> Result<Vec<Listed>, StoreError> {
    let mut out: Vec<Listed> = conn
        .prepare_cached(
            "SELECT epoch, seq, at, kind, amount, state, verdict FROM outbox
             WHERE state IN ('quarantined', 'forked') ORDER BY epoch, seq LIMIT ?1",
        )?
        .query_map([limit], listed)?
        .collect::<Result<_, _>>()?;
    for q in queues(conn)? {
        if out.len() as i64 >= limit {
            break;
        }
        let room = limit - out.len() as i64;
        let rows: Vec<Listed> = conn
            .prepare_cached(
                "SELECT epoch, seq, at, kind, amount, state, verdict FROM outbox
                 WHERE epoch = ?1 AND seq > ?2 AND state = 'waiting' ORDER BY seq LIMIT ?3",
            )?
            .query_map(params![q.epoch, q.acked, room], listed)?
            .collect::<Result<_, _>>()?;
        out.extend(rows);
    }
    Ok(out)
}

/// One record's payload, for a duty manager looking at a held record.
pub fn payload(conn: &Connection, epoch: i64, seq: i64) -> Result<Option<String>, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT payload FROM outbox WHERE epoch = ?1 AND seq = ?2")?
        .query_row(params![epoch, seq], |r| r.get(0))
        .optional()?;
    Ok(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_is_canonical_sorted_json() {
        let detail = serde_json::json!({"z": 1, "a": [1, 2], "m": {"y": "是", "b": null}});
        let record = serde_json::json!({"type": "payment", "rows": {"payment": [{"id": 7}]}});
        let p = Payload {
            amount_fen: 12850,
            at: "2026-11-30T02:00:00.000Z",
            audit: AuditPart {
                detail: &detail,
                hash: "ab",
                seq: 3,
                subject: "R1-00000001",
            },
            clerk_id: Some(1),
            counter: "C1",
            day: "2026-11-30",
            epoch: 9,
            kind: "payment.bill",
            record: &record,
            schema: SCHEMA,
            seq: 4,
        };
        let bytes = serde_json::to_vec(&p).expect("json");
        // Read back and written again through sorted maps: the same bytes.
        let v: serde_json::Value = serde_json::from_slice(&bytes).expect("parse");
        assert_eq!(serde_json::to_vec(&v).expect("again"), bytes);
    }
}
