//! HQ's embedded store: one SQLite file (WAL, synchronous=FULL).

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::ingest::{self, DayClose, Decision, Ledger, Rules, StoredRow};
use super::{CounterRow, DayKey, HqError, HqStore, TokenOwner};
use crate::domain::upload::{
    Batch, DaySummary, Digest, DigestBuilder, Feed, FeedData, FeedItem, Refusal,
};
use std::collections::HashMap;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS position (
    counter TEXT NOT NULL, epoch INTEGER NOT NULL, last_seq INTEGER NOT NULL, chain TEXT NOT NULL,
    PRIMARY KEY (counter, epoch)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS record (
    counter TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL, day TEXT NOT NULL,
    kind TEXT NOT NULL, amount INTEGER NOT NULL, sha256 TEXT NOT NULL, chain TEXT NOT NULL,
    rejected TEXT, received_at TEXT NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (counter, epoch, seq));
CREATE TABLE IF NOT EXISTS contact (
    counter TEXT PRIMARY KEY, last_contact TEXT NOT NULL, waiting INTEGER NOT NULL,
    oldest_waiting_at TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alarm (
    id INTEGER PRIMARY KEY, counter TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL,
    kind TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS day_close (
    counter TEXT NOT NULL, epoch INTEGER NOT NULL, day TEXT NOT NULL, final INTEGER NOT NULL,
    claimed TEXT NOT NULL, held TEXT NOT NULL, reconciled INTEGER NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (counter, epoch, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS token (
    sha256 TEXT PRIMARY KEY, counter TEXT NOT NULL, hall TEXT NOT NULL, expires_at TEXT NOT NULL
    ) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tally (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lookup_key (
    key TEXT NOT NULL, counter TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (key, counter, epoch, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS web_sign_in (id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_name TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feed (hq_seq INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS object (
    sha256 TEXT PRIMARY KEY, media_type TEXT NOT NULL, bytes INTEGER NOT NULL,
    counter TEXT NOT NULL, received_at TEXT NOT NULL, data BLOB NOT NULL);
";

/// HQ on SQLite.
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens or creates the store at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore, HqError> {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| HqError::Store(format!("{}: {e}", dir.display())))?;
        }
        let mut conn = Connection::open(path)
            .map_err(|e| HqError::Store(format!("{}: {e}", path.display())))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.execute_batch("PRAGMA synchronous = FULL;")?;
        conn.execute_batch(SCHEMA)?;
        fill_lookup_keys(&mut conn)?;
        Ok(SqliteStore { conn })
    }
}

/// Keys the records a store received before it kept look-up keys, once.
fn fill_lookup_keys(conn: &mut Connection) -> Result<(), HqError> {
    let done: bool = conn.query_row(
        "SELECT count(*) > 0 FROM tally WHERE key = 'lookup_keys'",
        [],
        |r| r.get(0),
    )?;
    if done {
        return Ok(());
    }
    let tx = conn.transaction()?;
    {
        let mut read = tx.prepare(
            "SELECT counter, epoch, seq, kind, payload FROM record
             WHERE kind LIKE 'application.%' OR kind LIKE 'case.%' OR kind LIKE 'customer.%'",
        )?;
        let mut put = tx.prepare(
            "INSERT OR IGNORE INTO lookup_key (key, counter, epoch, seq) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let (kind, payload): (String, String) = (r.get(3)?, r.get(4)?);
            for key in super::progress::lookup_keys_of_text(&kind, &payload) {
                let (counter, epoch, seq): (String, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
                put.execute(params![key, counter, epoch, seq])?;
            }
        }
    }
    tx.execute(
        "INSERT OR IGNORE INTO tally (key, value) VALUES ('lookup_keys', 1)",
        [],
    )?;
    tx.commit()?;
    Ok(())
}

struct Tx<'a>(&'a Transaction<'a>);

fn digest_of(
    stmt: &mut rusqlite::Statement,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Digest, HqError> {
    let mut b = DigestBuilder::default();
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        let sha: String = r.get(2)?;
        b.add(r.get(0)?, r.get(1)?, &sha);
    }
    Ok(b.finish())
}

impl Ledger for Tx<'_> {
    fn position(&mut self, counter: &str, epoch: i64) -> Result<Option<(i64, String)>, HqError> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT last_seq, chain FROM position WHERE counter = ?1 AND epoch = ?2",
            )?
            .query_row(params![counter, epoch], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn stored(
        &mut self,
        counter: &str,
        epoch: i64,
        lo: i64,
        hi: i64,
    ) -> Result<Vec<(i64, String, Option<String>)>, HqError> {
        let mut stmt = self.0.prepare_cached(
            "SELECT seq, sha256, rejected FROM record
             WHERE counter = ?1 AND epoch = ?2 AND seq BETWEEN ?3 AND ?4 ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![counter, epoch, lo, hi], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn insert(
        &mut self,
        counter: &str,
        epoch: i64,
        rows: &[StoredRow],
        now: &str,
    ) -> Result<(), HqError> {
        let mut stmt = self.0.prepare_cached(
            "INSERT INTO record (counter, epoch, seq, day, kind, amount, sha256, chain, rejected,
                                 received_at, payload)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for r in rows {
            stmt.execute(params![
                counter,
                epoch,
                r.seq,
                r.day,
                r.kind,
                r.amount_fen,
                r.sha256,
                r.chain,
                r.rejected,
                now,
                r.payload
            ])?;
        }
        let mut key = self.0.prepare_cached(
            "INSERT OR IGNORE INTO lookup_key (key, counter, epoch, seq) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for r in rows {
            for k in &r.keys {
                key.execute(params![k, counter, epoch, r.seq])?;
            }
        }
        Ok(())
    }

    fn set_position(
        &mut self,
        counter: &str,
        epoch: i64,
        seq: i64,
        chain: &str,
    ) -> Result<(), HqError> {
        self.0
            .prepare_cached(
                "INSERT INTO position (counter, epoch, last_seq, chain) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(counter, epoch) DO UPDATE SET last_seq = excluded.last_seq,
                 chain = excluded.chain",
            )?
            .execute(params![counter, epoch, seq, chain])?;
        Ok(())
    }

    fn set_rejection(
        &mut self,
        counter: &str,
        epoch: i64,
        seq: i64,
        rejected: Option<&str>,
    ) -> Result<(), HqError> {
        self.0
            .prepare_cached(
                "UPDATE record SET rejected = ?4 WHERE counter = ?1 AND epoch = ?2 AND seq = ?3",
            )?
            .execute(params![counter, epoch, seq, rejected])?;
        Ok(())
    }

    fn day_digest(&mut self, counter: &str, epoch: i64, day: &str) -> Result<Digest, HqError> {
        let mut stmt = self.0.prepare_cached(
            "SELECT seq, amount, sha256 FROM record
             WHERE counter = ?1 AND epoch = ?2 AND day = ?3 AND kind != 'day.close'",
        )?;
        digest_of(&mut stmt, params![counter, epoch, day])
    }

    fn set_day(
        &mut self,
        counter: &str,
        epoch: i64,
        c: &DayClose,
        held: &Digest,
        now: &str,
    ) -> Result<(), HqError> {
        let claimed = serde_json::to_string(&c.claimed).unwrap_or_default();
        let held_text = serde_json::to_string(held).unwrap_or_default();
        self.0
            .prepare_cached(
                "INSERT INTO day_close (counter, epoch, day, final, claimed, held, reconciled, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(counter, epoch, day) DO UPDATE SET final = max(final, excluded.final),
                 claimed = excluded.claimed, held = excluded.held,
                 reconciled = excluded.reconciled, at = excluded.at",
            )?
            .execute(params![
                counter,
                epoch,
                c.day,
                c.final_,
                claimed,
                held_text,
                c.claimed == *held,
                now
            ])?;
        Ok(())
    }

    fn contact(
        &mut self,
        counter: &str,
        waiting: i64,
        oldest: Option<&str>,
        now: &str,
    ) -> Result<(), HqError> {
        self.0
            .prepare_cached(
                "INSERT INTO contact (counter, last_contact, waiting, oldest_waiting_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(counter) DO UPDATE SET last_contact = excluded.last_contact,
                 waiting = excluded.waiting, oldest_waiting_at = excluded.oldest_waiting_at",
            )?
            .execute(params![counter, now, waiting, oldest])?;
        Ok(())
    }
}

impl HqStore for SqliteStore {
    fn ingest(&mut self, batch: &Batch, rules: &Rules, now: &str) -> Result<Decision, HqError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let decision = ingest::run(&mut Tx(&tx), batch, rules, now)?;
        if let Decision::Commit(ack) = &decision {
            // The contact line counts the waiting records after this batch.
            let waiting = (batch.waiting - batch.records.len() as i64).max(0);
            tx.execute(
                "UPDATE contact SET waiting = ?2, oldest_waiting_at = CASE WHEN ?2 = 0 THEN NULL ELSE oldest_waiting_at END WHERE counter = ?1",
                params![ack.counter, waiting],
            )?;
            tx.commit()?;
        }
        Ok(decision)
    }

    fn alarm(
        &mut self,
        counter: &str,
        epoch: i64,
        refusal: &Refusal,
        now: &str,
    ) -> Result<(), HqError> {
        if let Refusal::Fork { seq } = refusal {
            self.conn.execute(
                "INSERT INTO alarm (counter, epoch, seq, kind, at) VALUES (?1, ?2, ?3, 'fork', ?4)",
                params![counter, epoch, seq, now],
            )?;
        }
        Ok(())
    }

    fn token_owner(&mut self, token_sha: &str, now: &str) -> Result<Option<TokenOwner>, HqError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT counter, hall FROM token WHERE sha256 = ?1 AND expires_at > ?2",
            )?
            .query_row(params![token_sha, now], |r| {
                Ok(TokenOwner {
                    counter: r.get(0)?,
                    hall: r.get(1)?,
                })
            })
            .optional()?)
    }

    fn web_sign_in(&mut self, user: &str, outcome: &str, now: &str) -> Result<(), HqError> {
        self.conn.execute(
            "INSERT INTO web_sign_in (at, user_name, outcome) VALUES (?1, ?2, ?3)",
            rusqlite::params![now, user, outcome],
        )?;
        Ok(())
    }

    fn count_bad_token(&mut self) -> Result<(), HqError> {
        self.conn.execute(
            "INSERT INTO tally (key, value) VALUES ('bad_tokens', 1)
             ON CONFLICT(key) DO UPDATE SET value = value + 1",
            [],
        )?;
        Ok(())
    }

    fn issue_token(
        &mut self,
        token_sha: &str,
        owner: &TokenOwner,
        expires: &str,
    ) -> Result<(), HqError> {
        self.conn.execute(
            "INSERT INTO token (sha256, counter, hall, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_sha, owner.counter, owner.hall, expires],
        )?;
        Ok(())
    }

    fn publish(&mut self, items: &[FeedData]) -> Result<i64, HqError> {
        let tx = self.conn.transaction()?;
        for item in items {
            let data = serde_json::to_string(item).map_err(|e| HqError::Db(e.to_string()))?;
            tx.execute("INSERT INTO feed (data) VALUES (?1)", [data])?;
        }
        let last: i64 = tx.query_row("SELECT coalesce(max(hq_seq), 0) FROM feed", [], |r| {
            r.get(0)
        })?;
        tx.commit()?;
        Ok(last)
    }

    fn feed(&mut self, after: i64, limit: i64) -> Result<Feed, HqError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT hq_seq, data FROM feed WHERE hq_seq > ?1 ORDER BY hq_seq LIMIT ?2",
        )?;
        let rows: Vec<(i64, String)> = stmt
            .query_map(params![after, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let items = rows
            .into_iter()
            .filter_map(|(hq_seq, data)| {
                serde_json::from_str(&data)
                    .ok()
                    .map(|data| FeedItem { hq_seq, data })
            })
            .collect();
        let last = self
            .conn
            .query_row("SELECT coalesce(max(hq_seq), 0) FROM feed", [], |r| {
                r.get(0)
            })?;
        Ok(Feed { items, last })
    }

    fn days(&mut self, counter: &str) -> Result<Vec<DaySummary>, HqError> {
        let keys: Vec<(i64, String)> = self
            .conn
            .prepare("SELECT DISTINCT epoch, day FROM record WHERE counter = ?1 AND kind != 'day.close' ORDER BY epoch, day")?
            .query_map([counter], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let tx = self.conn.transaction()?;
        let mut out = Vec::new();
        for (epoch, day) in keys {
            let digest = Tx(&tx).day_digest(counter, epoch, &day)?;
            out.push(DaySummary { epoch, day, digest });
        }
        Ok(out)
    }

    fn range_digest(
        &mut self,
        counter: &str,
        epoch: i64,
        day: &str,
        lo: i64,
        hi: i64,
    ) -> Result<Digest, HqError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, amount, sha256 FROM record WHERE counter = ?1 AND epoch = ?2 AND day = ?3
             AND kind != 'day.close' AND seq BETWEEN ?4 AND ?5",
        )?;
        digest_of(&mut stmt, params![counter, epoch, day, lo, hi])
    }

    fn halls(&mut self) -> Result<HashMap<String, String>, HqError> {
        Ok(self
            .conn
            .prepare("SELECT counter, max(hall) FROM token GROUP BY counter")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?)
    }

    fn counter_rows(&mut self) -> Result<Vec<CounterRow>, HqError> {
        Ok(self
            .conn
            .prepare(
                "SELECT c.counter, c.last_contact, c.waiting, c.oldest_waiting_at,
                   (SELECT count(*) FROM record r WHERE r.counter = c.counter AND r.rejected IS NOT NULL),
                   (SELECT count(*) FROM alarm a WHERE a.counter = c.counter)
                 FROM contact c ORDER BY c.counter",
            )?
            .query_map([], |r| {
                Ok(CounterRow {
                    counter: r.get(0)?,
                    hall: String::new(),
                    last_contact: r.get(1)?,
                    waiting: r.get(2)?,
                    oldest_waiting_at: r.get(3)?,
                    quarantined: r.get(4)?,
                    forks: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?)
    }

    fn day_keys(&mut self) -> Result<Vec<DayKey>, HqError> {
        Ok(self
            .conn
            .prepare(
                "SELECT counter, epoch, day, sum(rejected IS NOT NULL) FROM record
                 WHERE kind != 'day.close' GROUP BY counter, epoch, day ORDER BY day DESC, counter",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?)
    }

    fn final_claim(
        &mut self,
        counter: &str,
        epoch: i64,
        day: &str,
    ) -> Result<Option<Digest>, HqError> {
        let claimed: Option<String> = self
            .conn
            .query_row(
                "SELECT claimed FROM day_close WHERE counter = ?1 AND epoch = ?2 AND day = ?3 AND final",
                params![counter, epoch, day],
                |r| r.get(0),
            )
            .optional()?;
        Ok(claimed.and_then(|c| serde_json::from_str(&c).ok()))
    }

    fn records_mentioning(
        &mut self,
        family: &str,
        needle: &str,
    ) -> Result<Vec<(String, String, String)>, HqError> {
        let like = format!("{family}.%");
        Ok(self
            .conn
            .prepare(
                "SELECT counter, kind, payload FROM record
                 WHERE kind LIKE ?1 AND rejected IS NULL AND instr(payload, ?2) > 0
                 ORDER BY counter, epoch, seq",
            )?
            .query_map([&like, needle], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?)
    }

    fn records_keyed(
        &mut self,
        family: &str,
        key: &str,
    ) -> Result<Vec<(String, String, String)>, HqError> {
        let like = format!("{family}.%");
        Ok(self
            .conn
            .prepare_cached(
                "SELECT r.counter, r.kind, r.payload FROM lookup_key k
                 JOIN record r ON r.counter = k.counter AND r.epoch = k.epoch AND r.seq = k.seq
                 WHERE k.key = ?1 AND r.kind LIKE ?2 AND r.rejected IS NULL
                 ORDER BY r.counter, r.epoch, r.seq",
            )?
            .query_map([key, &like], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?)
    }

    fn bad_tokens(&mut self) -> Result<i64, HqError> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM tally WHERE key = 'bad_tokens'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    fn missing_objects(&mut self, sha256: &[String]) -> Result<Vec<String>, HqError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM object WHERE sha256 = ?1")?;
        let mut missing = Vec::new();
        for sha in sha256 {
            if !stmt.exists([sha])? {
                missing.push(sha.clone());
            }
        }
        Ok(missing)
    }

    fn put_object(&mut self, o: &super::NewObject, now: &str) -> Result<bool, HqError> {
        let n = self.conn.execute(
            "INSERT INTO object (sha256, media_type, bytes, counter, received_at, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sha256) DO NOTHING",
            params![
                o.sha256,
                o.media_type,
                o.data.len() as i64,
                o.counter,
                now,
                o.data
            ],
        )?;
        Ok(n == 1)
    }

    fn object_totals(&mut self) -> Result<(i64, i64), HqError> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(bytes), 0) FROM object",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    fn identities(&mut self, counter: &str) -> Result<Vec<(i64, i64, String)>, HqError> {
        let mut stmt = self.conn.prepare(
            "SELECT epoch, seq, sha256 FROM record WHERE counter = ?1 ORDER BY epoch, seq",
        )?;
        let rows = stmt.query_map([counter], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
