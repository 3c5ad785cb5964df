//! The upload outbox: one row per business event, drained later to HQ.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, Transaction};

use super::{Event, StoreError};

/// Queues an event for upload, in the caller's transaction.
pub fn push(
    tx: &Transaction,
    now: DateTime<Utc>,
    clerk_id: Option<i64>,
    audit_seq: i64,
    event: &Event,
) -> Result<(), StoreError> {
    let at = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let payload = serde_json::json!({
        "audit_seq": audit_seq,
        "clerk_id": clerk_id,
        "subject": event.subject,
        "detail": event.detail,
    });
    tx.prepare_cached("INSERT INTO outbox (at, kind, payload) VALUES (?1, ?2, ?3)")?
        .execute(params![at, event.action, payload.to_string()])?;
    Ok(())
}

/// How many events wait for upload.
pub fn pending(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM outbox WHERE sent_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}
