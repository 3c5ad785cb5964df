//! Appending to and walking the hash-chained audit log.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{Event, StoreError};
use crate::domain::audit::{chain_hash, Break, Entry, Fields, Verifier, GENESIS};

const HEAD_KEY: &str = "audit_head";

fn head(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    // Every write reads the head: keep the statement prepared.
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([HEAD_KEY], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| {
        let (seq, hash) = v.split_once(':')?;
        Some((seq.parse().ok()?, hash.to_string()))
    }))
}

/// Records this counter acknowledged as lost: a restore from a backup, or
/// a file found behind its seal and gone on from. HQ may hold them; this
/// file never will again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcknowledgedLoss {
    pub epoch: i64,
    pub from: i64,
    pub to: i64,
    /// When it was acknowledged (RFC 3339, UTC).
    pub at: String,
    /// A restore (not a loss found at start).
    pub restore: bool,
}

/// Every acknowledged loss, oldest first, as their audit entries say.
pub fn acknowledged_losses(conn: &Connection) -> Result<Vec<AcknowledgedLoss>, StoreError> {
    let mut st = conn.prepare(
        "SELECT json_extract(detail, '$.seal_epoch'), json_extract(detail, '$.missing_from'),
                json_extract(detail, '$.missing_to'), at, action
         FROM audit_log
         WHERE action IN ('store.restored', 'store.loss_acknowledged')
           AND json_extract(detail, '$.missing_from') IS NOT NULL
         ORDER BY seq",
    )?;
    let rows = st.query_map([], |r| {
        Ok(AcknowledgedLoss {
            epoch: r.get(0)?,
            from: r.get(1)?,
            to: r.get(2)?,
            at: r.get(3)?,
            restore: r.get::<_, String>(4)? == "store.restored",
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Appends one entry chained on the recorded head, binding `rows` (see
/// `snapshot::bindings`); returns its seq and hash.
pub fn append(
    tx: &Transaction,
    now: DateTime<Utc>,
    clerk_id: Option<i64>,
    event: &Event,
    rows: Option<&str>,
) -> Result<(i64, String), StoreError> {
    // The head in `meta` (not the newest row) is what we chain on, so a
    // deleted newest row cannot be papered over by the next append.
    let (prev_seq, prev_hash) = head(tx)?.unwrap_or((0, GENESIS.to_string()));
    let seq = prev_seq + 1;
    let at = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let detail = event.detail.to_string();
    let fields = Fields {
        seq,
        at: &at,
        clerk_id,
        action: event.action,
        subject: &event.subject,
        detail: &detail,
        rows,
    };
    let hash = chain_hash(&prev_hash, fields);
    tx.prepare_cached(
        "INSERT INTO audit_log (seq, at, clerk_id, action, subject, detail, rows, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        seq,
        at,
        clerk_id,
        event.action,
        event.subject,
        detail,
        rows,
        prev_hash,
        hash
    ])?;
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![HEAD_KEY, format!("{seq}:{hash}")])?;
    Ok((seq, hash))
}

/// Walks the whole chain; Ok(number of entries) or the first break. A log
/// of a schema before the bound-rows column (a read-only look at an older
/// file) is hashed without it, as it was written.
pub fn verify(conn: &Connection) -> Result<Result<i64, Break>, StoreError> {
    let bound: bool = conn.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('audit_log') WHERE name = 'rows'",
        [],
        |r| r.get(0),
    )?;
    let rows = if bound { "rows" } else { "NULL" };
    let mut stmt = conn.prepare(&format!(
        "SELECT seq, at, clerk_id, action, subject, detail, {rows}, prev_hash, hash
         FROM audit_log ORDER BY seq"
    ))?;
    let mut rows = stmt.query([])?;
    let mut verifier = Verifier::default();
    while let Some(r) = rows.next()? {
        let entry = Entry {
            seq: r.get(0)?,
            at: r.get(1)?,
            clerk_id: r.get(2)?,
            action: r.get(3)?,
            subject: r.get(4)?,
            detail: r.get(5)?,
            rows: r.get(6)?,
            prev_hash: r.get(7)?,
            hash: r.get(8)?,
        };
        if !verifier.feed(&entry) {
            break;
        }
    }
    Ok(verifier.finish(head(conn)?))
}

/// The newest binding of every aggregate: (kind, id, sha256) as the last
/// audit entry that wrote it recorded.
pub fn newest_bindings(conn: &Connection) -> Result<Vec<(String, i64, String)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT kind, id, hash FROM (
           SELECT json_extract(j.value, '$[0]') AS kind, json_extract(j.value, '$[1]') AS id,
                  json_extract(j.value, '$[2]') AS hash,
                  row_number() OVER (PARTITION BY json_extract(j.value, '$[0]'),
                                     json_extract(j.value, '$[1]') ORDER BY a.seq DESC) AS n
           FROM audit_log a, json_each(a.rows) j WHERE a.rows IS NOT NULL)
         WHERE n = 1 ORDER BY kind, id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
