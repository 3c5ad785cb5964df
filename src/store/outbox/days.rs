//! The outbox by day: the per-day digests both sides compare, the days
//! still to close, and pruning a day once HQ holds it the same.

use rusqlite::{params, Connection, Transaction};

use crate::domain::upload::{Digest, DigestBuilder};
use crate::store::StoreError;

/// Kind of the record that closes a day.
pub const DAY_CLOSE: &str = "day.close";

/// Per (epoch, day) digests over every record but the day-close records.
pub fn day_digests(conn: &Connection) -> Result<Vec<(i64, String, Digest)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT epoch, day, seq, amount, sha256 FROM outbox WHERE kind != ?1
         ORDER BY epoch, day, seq",
    )?;
    let mut rows = stmt.query([DAY_CLOSE])?;
    let mut out: Vec<(i64, String, Digest)> = Vec::new();
    let mut current: Option<(i64, String, DigestBuilder)> = None;
    while let Some(r) = rows.next()? {
        let (epoch, d): (i64, String) = (r.get(0)?, r.get(1)?);
        let (seq, amount, sha): (i64, i64, String) = (r.get(2)?, r.get(3)?, r.get(4)?);
        match &mut current {
            Some((e, cd, b)) if *e == epoch && *cd == d => b.add(seq, amount, &sha),
            _ => {
                if let Some((e, cd, b)) = current.take() {
                    out.push((e, cd, b.finish()));
                }
                let mut b = DigestBuilder::default();
                b.add(seq, amount, &sha);
                current = Some((epoch, d, b));
            }
        }
    }
    if let Some((e, cd, b)) = current {
        out.push((e, cd, b.finish()));
    }
    Ok(out)
}

/// The digest of one epoch's records of `day` (day-close records excluded).
pub fn day_digest(conn: &Connection, epoch: i64, d: &str) -> Result<Digest, StoreError> {
    range_digest_where(
        conn,
        "epoch = ?1 AND day = ?2 AND kind != ?3",
        params![epoch, d, DAY_CLOSE],
    )
}

/// The digest of `epoch`'s records `lo..=hi` of `day`.
pub fn range_digest(
    conn: &Connection,
    epoch: i64,
    d: &str,
    lo: i64,
    hi: i64,
) -> Result<Digest, StoreError> {
    range_digest_where(
        conn,
        "epoch = ?1 AND day = ?2 AND kind != ?3 AND seq BETWEEN ?4 AND ?5",
        params![epoch, d, DAY_CLOSE, lo, hi],
    )
}

fn range_digest_where(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Digest, StoreError> {
    let sql = format!("SELECT seq, amount, sha256 FROM outbox WHERE {filter}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(args)?;
    let mut b = DigestBuilder::default();
    while let Some(r) = rows.next()? {
        let sha: String = r.get(2)?;
        b.add(r.get(0)?, r.get(1)?, &sha);
    }
    Ok(b.finish())
}

/// Days before `today` with records but no final day-close record.
pub fn days_to_close(
    conn: &Connection,
    epoch: i64,
    today: &str,
) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT day FROM outbox o WHERE epoch = ?1 AND day < ?2 AND kind != ?3
         AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.epoch = o.epoch AND c.kind = ?3
                         AND json_extract(CAST(c.payload AS TEXT), '$.audit.detail.day') = o.day
                         AND json_extract(CAST(c.payload AS TEXT), '$.audit.detail.final') = 1)
         ORDER BY day",
    )?;
    let rows = stmt.query_map(params![epoch, today, DAY_CLOSE], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What the final day-close records say each (epoch, day) held, for days
/// whose records were pruned after they reconciled.
pub fn closed_days(conn: &Connection) -> Result<Vec<(i64, String, Digest)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT epoch, json_extract(CAST(payload AS TEXT), '$.audit.detail.day'),
                json_extract(CAST(payload AS TEXT), '$.audit.detail.digest')
         FROM outbox WHERE kind = ?1
           AND json_extract(CAST(payload AS TEXT), '$.audit.detail.final') = 1",
    )?;
    let rows = stmt.query_map([DAY_CLOSE], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (epoch, day, digest) = row?;
        if let (Some(day), Some(d)) = (day, digest.and_then(|d| serde_json::from_str(&d).ok())) {
            out.push((epoch, day, d));
        }
    }
    Ok(out)
}

/// Days of `epoch` before `before` whose records are all acknowledged and
/// that have a final day-close record: candidates for pruning.
pub fn prunable_days(conn: &Connection, before: &str) -> Result<Vec<(i64, String)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT o.epoch, o.day FROM outbox o WHERE o.day < ?1 AND o.kind != ?2
         GROUP BY o.epoch, o.day
         HAVING sum(o.state != 'acknowledged') = 0
            AND EXISTS (SELECT 1 FROM outbox c WHERE c.epoch = o.epoch AND c.kind = ?2
                        AND c.state = 'acknowledged'
                        AND json_extract(CAST(c.payload AS TEXT), '$.audit.detail.day') = o.day
                        AND json_extract(CAST(c.payload AS TEXT), '$.audit.detail.final') = 1)",
    )?;
    let rows = stmt.query_map(params![before, DAY_CLOSE], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Deletes a reconciled day's records, keeping its day-close records (what
/// the day held stays provable); returns how many went.
pub fn prune_day(tx: &Transaction, epoch: i64, d: &str) -> Result<usize, StoreError> {
    Ok(tx.execute(
        "DELETE FROM outbox WHERE epoch = ?1 AND day = ?2 AND kind != ?3 AND state = 'acknowledged'",
        params![epoch, d, DAY_CLOSE],
    )?)
}
