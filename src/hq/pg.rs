//! HQ's store on PostgreSQL, for a real HQ serving thousands of counters.
//! Each batch is one transaction; its records go in with one multi-row
//! INSERT over arrays, and the counter's position row is locked so two
//! deliveries of one counter's batch cannot interleave.

use postgres::{Client, NoTls, Transaction};

use super::ingest::{self, DayClose, Decision, Ledger, Rules, StoredRow};
use super::{CounterRow, DayKey, HqError, HqStore, TokenOwner};
use crate::domain::upload::{
    Batch, DaySummary, Digest, DigestBuilder, Feed, FeedData, FeedItem, Refusal,
};
use std::collections::HashMap;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS position (
    counter TEXT NOT NULL, epoch BIGINT NOT NULL, last_seq BIGINT NOT NULL, chain TEXT NOT NULL,
    PRIMARY KEY (counter, epoch));
CREATE TABLE IF NOT EXISTS record (
    counter TEXT NOT NULL, epoch BIGINT NOT NULL, seq BIGINT NOT NULL, day TEXT NOT NULL,
    kind TEXT NOT NULL, amount BIGINT NOT NULL, sha256 TEXT NOT NULL, chain TEXT NOT NULL,
    rejected TEXT, received_at TEXT NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (counter, epoch, seq));
CREATE TABLE IF NOT EXISTS contact (
    counter TEXT PRIMARY KEY, last_contact TEXT NOT NULL, waiting BIGINT NOT NULL,
    oldest_waiting_at TEXT);
CREATE TABLE IF NOT EXISTS alarm (
    id BIGSERIAL PRIMARY KEY, counter TEXT NOT NULL, epoch BIGINT NOT NULL, seq BIGINT NOT NULL,
    kind TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS day_close (
    counter TEXT NOT NULL, epoch BIGINT NOT NULL, day TEXT NOT NULL, final BOOLEAN NOT NULL,
    claimed TEXT NOT NULL, held TEXT NOT NULL, reconciled BOOLEAN NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (counter, epoch, day));
CREATE TABLE IF NOT EXISTS token (
    sha256 TEXT PRIMARY KEY, counter TEXT NOT NULL, hall TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tally (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS lookup_key (
    key TEXT NOT NULL, counter TEXT NOT NULL, epoch BIGINT NOT NULL, seq BIGINT NOT NULL,
    PRIMARY KEY (key, counter, epoch, seq));
CREATE TABLE IF NOT EXISTS web_sign_in (id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, user_name TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feed (hq_seq BIGSERIAL PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS object (
    sha256 TEXT PRIMARY KEY, media_type TEXT NOT NULL, bytes BIGINT NOT NULL,
    counter TEXT NOT NULL, received_at TEXT NOT NULL, data BYTEA NOT NULL);
";

/// HQ on PostgreSQL.
pub struct PgStore {
    client: Client,
}

impl PgStore {
    /// Whether the database at `url` holds HQ's tables already.
    pub fn has_schema(url: &str) -> Result<bool, HqError> {
        let mut client = Client::connect(url, NoTls).map_err(|e| HqError::Store(e.to_string()))?;
        let row = client.query_one("SELECT to_regclass('record') IS NOT NULL", &[])?;
        Ok(row.get(0))
    }

    /// Connects and creates the tables if needed.
    pub fn connect(url: &str) -> Result<PgStore, HqError> {
        let mut client = Client::connect(url, NoTls).map_err(|e| HqError::Store(e.to_string()))?;
        // Several servers may start at once against a fresh database.
        client.batch_execute("SELECT pg_advisory_lock(7160421)")?;
        let made = client
            .batch_execute(SCHEMA)
            .map_err(HqError::from)
            .and_then(|()| fill_lookup_keys(&mut client));
        client.batch_execute("SELECT pg_advisory_unlock(7160421)")?;
        made?;
        Ok(PgStore { client })
    }
}

/// Keys the records a store received before it kept look-up keys, once.
fn fill_lookup_keys(client: &mut Client) -> Result<(), HqError> {
    let done = client
        .query_opt("SELECT 1 FROM tally WHERE key = 'lookup_keys'", &[])?
        .is_some();
    if done {
        return Ok(());
    }
    let mut tx = client.transaction()?;
    let rows = tx.query(
        "SELECT counter, epoch, seq, kind, payload FROM record
         WHERE kind LIKE 'application.%' OR kind LIKE 'case.%' OR kind LIKE 'customer.%'",
        &[],
    )?;
    for r in &rows {
        let (kind, payload): (String, String) = (r.get(3), r.get(4));
        for key in super::progress::lookup_keys_of_text(&kind, &payload) {
            let (counter, epoch, seq): (String, i64, i64) = (r.get(0), r.get(1), r.get(2));
            tx.execute(
                "INSERT INTO lookup_key (key, counter, epoch, seq) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
                &[&key, &counter, &epoch, &seq],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO tally (key, value) VALUES ('lookup_keys', 1) ON CONFLICT DO NOTHING",
        &[],
    )?;
    tx.commit()?;
    Ok(())
}

struct Tx<'a, 'b>(&'a mut Transaction<'b>);

fn digest_rows(rows: &[postgres::Row]) -> Digest {
    let mut b = DigestBuilder::default();
    for r in rows {
        let sha: String = r.get(2);
        b.add(r.get(0), r.get(1), &sha);
    }
    b.finish()
}

impl Ledger for Tx<'_, '_> {
    fn position(&mut self, counter: &str, epoch: i64) -> Result<Option<(i64, String)>, HqError> {
        Ok(self
            .0
            .query_opt(
                "SELECT last_seq, chain FROM position WHERE counter = $1 AND epoch = $2 FOR UPDATE",
                &[&counter, &epoch],
            )?
            .map(|r| (r.get(0), r.get(1))))
    }

    fn stored(
        &mut self,
        counter: &str,
        epoch: i64,
        lo: i64,
        hi: i64,
    ) -> Result<Vec<(i64, String, Option<String>)>, HqError> {
        Ok(self
            .0
            .query(
                "SELECT seq, sha256, rejected FROM record
                 WHERE counter = $1 AND epoch = $2 AND seq BETWEEN $3 AND $4 ORDER BY seq",
                &[&counter, &epoch, &lo, &hi],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    fn insert(
        &mut self,
        counter: &str,
        epoch: i64,
        rows: &[StoredRow],
        now: &str,
    ) -> Result<(), HqError> {
        let seq: Vec<i64> = rows.iter().map(|r| r.seq).collect();
        let day: Vec<&str> = rows.iter().map(|r| r.day.as_str()).collect();
        let kind: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
        let amount: Vec<i64> = rows.iter().map(|r| r.amount_fen).collect();
        let sha: Vec<&str> = rows.iter().map(|r| r.sha256.as_str()).collect();
        let chain: Vec<&str> = rows.iter().map(|r| r.chain.as_str()).collect();
        let rejected: Vec<Option<&str>> = rows.iter().map(|r| r.rejected.as_deref()).collect();
        let payload: Vec<&str> = rows.iter().map(|r| r.payload.as_str()).collect();
        self.0.execute(
            "INSERT INTO record (counter, epoch, seq, day, kind, amount, sha256, chain, rejected,
                                 received_at, payload)
             SELECT $1, $2, s, d, k, a, h, c, r, $3, p
             FROM unnest($4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::text[],
                         $9::text[], $10::text[], $11::text[]) AS t(s, d, k, a, h, c, r, p)",
            &[
                &counter, &epoch, &now, &seq, &day, &kind, &amount, &sha, &chain, &rejected,
                &payload,
            ],
        )?;
        let (keys, key_seq): (Vec<&str>, Vec<i64>) = rows
            .iter()
            .flat_map(|r| r.keys.iter().map(move |k| (k.as_str(), r.seq)))
            .unzip();
        if !keys.is_empty() {
            self.0.execute(
                "INSERT INTO lookup_key (key, counter, epoch, seq)
                 SELECT k, $1, $2, s FROM unnest($3::text[], $4::bigint[]) AS t(k, s)
                 ON CONFLICT DO NOTHING",
                &[&counter, &epoch, &keys, &key_seq],
            )?;
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
        self.0.execute(
            "INSERT INTO position (counter, epoch, last_seq, chain) VALUES ($1, $2, $3, $4)
             ON CONFLICT (counter, epoch) DO UPDATE SET last_seq = excluded.last_seq,
             chain = excluded.chain",
            &[&counter, &epoch, &seq, &chain],
        )?;
        Ok(())
    }

    fn set_rejection(
        &mut self,
        counter: &str,
        epoch: i64,
        seq: i64,
        rejected: Option<&str>,
    ) -> Result<(), HqError> {
        self.0.execute(
            "UPDATE record SET rejected = $4 WHERE counter = $1 AND epoch = $2 AND seq = $3",
            &[&counter, &epoch, &seq, &rejected],
        )?;
        Ok(())
    }

    fn day_digest(&mut self, counter: &str, epoch: i64, day: &str) -> Result<Digest, HqError> {
        let rows = self.0.query(
            "SELECT seq, amount, sha256 FROM record
             WHERE counter = $1 AND epoch = $2 AND day = $3 AND kind != 'day.close'",
            &[&counter, &epoch, &day],
        )?;
        Ok(digest_rows(&rows))
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
        let agree = c.claimed == *held;
        self.0.execute(
            "INSERT INTO day_close (counter, epoch, day, final, claimed, held, reconciled, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (counter, epoch, day) DO UPDATE SET final = day_close.final OR excluded.final,
             claimed = excluded.claimed, held = excluded.held,
             reconciled = excluded.reconciled, at = excluded.at",
            &[&counter, &epoch, &c.day, &c.final_, &claimed, &held_text, &agree, &now],
        )?;
        Ok(())
    }

    fn contact(
        &mut self,
        counter: &str,
        waiting: i64,
        oldest: Option<&str>,
        now: &str,
    ) -> Result<(), HqError> {
        self.0.execute(
            "INSERT INTO contact (counter, last_contact, waiting, oldest_waiting_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (counter) DO UPDATE SET last_contact = excluded.last_contact,
             waiting = excluded.waiting, oldest_waiting_at = excluded.oldest_waiting_at",
            &[&counter, &now, &waiting, &oldest],
        )?;
        Ok(())
    }
}

impl HqStore for PgStore {
    fn ingest(&mut self, batch: &Batch, rules: &Rules, now: &str) -> Result<Decision, HqError> {
        let mut tx = self.client.transaction()?;
        // The position row may not exist yet: take a per-counter lock so the
        // first batches of a counter are also taken one at a time.
        let key = format!("{}:{}", batch.counter, batch.epoch);
        tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&key])?;
        let decision = ingest::run(&mut Tx(&mut tx), batch, rules, now)?;
        if let Decision::Commit(ack) = &decision {
            let waiting = (batch.waiting - batch.records.len() as i64).max(0);
            tx.execute(
                "UPDATE contact SET waiting = $2::bigint, oldest_waiting_at = CASE WHEN $2::bigint = 0 THEN NULL ELSE oldest_waiting_at END WHERE counter = $1",
                &[&ack.counter, &waiting],
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
            self.client.execute(
                "INSERT INTO alarm (counter, epoch, seq, kind, at) VALUES ($1, $2, $3, 'fork', $4)",
                &[&counter, &epoch, seq, &now],
            )?;
        }
        Ok(())
    }

    fn token_owner(&mut self, token_sha: &str, now: &str) -> Result<Option<TokenOwner>, HqError> {
        Ok(self
            .client
            .query_opt(
                "SELECT counter, hall FROM token WHERE sha256 = $1 AND expires_at > $2",
                &[&token_sha, &now],
            )?
            .map(|r| TokenOwner {
                counter: r.get(0),
                hall: r.get(1),
            }))
    }

    fn web_sign_in(&mut self, user: &str, outcome: &str, now: &str) -> Result<(), HqError> {
        self.client.execute(
            "INSERT INTO web_sign_in (at, user_name, outcome) VALUES ($1, $2, $3)",
            &[&now, &user, &outcome],
        )?;
        Ok(())
    }

    fn count_bad_token(&mut self) -> Result<(), HqError> {
        self.client.execute(
            "INSERT INTO tally (key, value) VALUES ('bad_tokens', 1)
             ON CONFLICT (key) DO UPDATE SET value = tally.value + 1",
            &[],
        )?;
        Ok(())
    }

    fn issue_token(
        &mut self,
        token_sha: &str,
        owner: &TokenOwner,
        expires: &str,
    ) -> Result<(), HqError> {
        self.client.execute(
            "INSERT INTO token (sha256, counter, hall, expires_at) VALUES ($1, $2, $3, $4)",
            &[&token_sha, &owner.counter, &owner.hall, &expires],
        )?;
        Ok(())
    }

    fn publish(&mut self, items: &[FeedData]) -> Result<i64, HqError> {
        let mut tx = self.client.transaction()?;
        for item in items {
            let data = serde_json::to_string(item).map_err(|e| HqError::Db(e.to_string()))?;
            tx.execute("INSERT INTO feed (data) VALUES ($1)", &[&data])?;
        }
        let last: i64 = tx
            .query_one("SELECT coalesce(max(hq_seq), 0) FROM feed", &[])?
            .get(0);
        tx.commit()?;
        Ok(last)
    }

    fn feed(&mut self, after: i64, limit: i64) -> Result<Feed, HqError> {
        let items = self
            .client
            .query(
                "SELECT hq_seq, data FROM feed WHERE hq_seq > $1 ORDER BY hq_seq LIMIT $2",
                &[&after, &limit],
            )?
            .iter()
            .filter_map(|r| {
                let data: String = r.get(1);
                serde_json::from_str(&data).ok().map(|data| FeedItem {
                    hq_seq: r.get(0),
                    data,
                })
            })
            .collect();
        let last: i64 = self
            .client
            .query_one("SELECT coalesce(max(hq_seq), 0) FROM feed", &[])?
            .get(0);
        Ok(Feed { items, last })
    }

    fn days(&mut self, counter: &str) -> Result<Vec<DaySummary>, HqError> {
        let rows = self.client.query(
            "SELECT epoch, day, seq, amount, sha256 FROM record
             WHERE counter = $1 AND kind != 'day.close' ORDER BY epoch, day, seq",
            &[&counter],
        )?;
        let mut out: Vec<DaySummary> = Vec::new();
        let mut current: Option<(i64, String, DigestBuilder)> = None;
        for r in &rows {
            let (epoch, day): (i64, String) = (r.get(0), r.get(1));
            let sha: String = r.get(4);
            match &mut current {
                Some((e, d, b)) if *e == epoch && *d == day => b.add(r.get(2), r.get(3), &sha),
                _ => {
                    if let Some((e, d, b)) = current.take() {
                        out.push(DaySummary {
                            epoch: e,
                            day: d,
                            digest: b.finish(),
                        });
                    }
                    let mut b = DigestBuilder::default();
                    b.add(r.get(2), r.get(3), &sha);
                    current = Some((epoch, day, b));
                }
            }
        }
        if let Some((e, d, b)) = current {
            out.push(DaySummary {
                epoch: e,
                day: d,
                digest: b.finish(),
            });
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
        let rows = self.client.query(
            "SELECT seq, amount, sha256 FROM record WHERE counter = $1 AND epoch = $2 AND day = $3
             AND kind != 'day.close' AND seq BETWEEN $4 AND $5",
            &[&counter, &epoch, &day, &lo, &hi],
        )?;
        Ok(digest_rows(&rows))
    }

    fn halls(&mut self) -> Result<HashMap<String, String>, HqError> {
        Ok(self
            .client
            .query("SELECT counter, max(hall) FROM token GROUP BY counter", &[])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    fn counter_rows(&mut self) -> Result<Vec<CounterRow>, HqError> {
        Ok(self
            .client
            .query(
                "SELECT c.counter, c.last_contact, c.waiting, c.oldest_waiting_at,
                   (SELECT count(*) FROM record r WHERE r.counter = c.counter AND r.rejected IS NOT NULL),
                   (SELECT count(*) FROM alarm a WHERE a.counter = c.counter)
                 FROM contact c ORDER BY c.counter",
                &[],
            )?
            .iter()
            .map(|r| CounterRow {
                counter: r.get(0),
                hall: String::new(),
                last_contact: r.get(1),
                waiting: r.get(2),
                oldest_waiting_at: r.get(3),
                quarantined: r.get(4),
                forks: r.get(5),
            })
            .collect())
    }

    fn day_keys(&mut self) -> Result<Vec<DayKey>, HqError> {
        Ok(self
            .client
            .query(
                "SELECT counter, epoch, day, count(rejected) FROM record WHERE kind != 'day.close'
                 GROUP BY counter, epoch, day ORDER BY day DESC, counter",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect())
    }

    fn final_claim(
        &mut self,
        counter: &str,
        epoch: i64,
        day: &str,
    ) -> Result<Option<Digest>, HqError> {
        Ok(self
            .client
            .query_opt(
                "SELECT claimed FROM day_close WHERE counter = $1 AND epoch = $2 AND day = $3 AND final",
                &[&counter, &epoch, &day],
            )?
            .and_then(|r| serde_json::from_str(&r.get::<_, String>(0)).ok()))
    }

    fn records_mentioning(
        &mut self,
        family: &str,
        needle: &str,
    ) -> Result<Vec<(String, String, String)>, HqError> {
        let like = format!("{family}.%");
        Ok(self
            .client
            .query(
                "SELECT counter, kind, payload FROM record
                 WHERE kind LIKE $1 AND rejected IS NULL AND strpos(payload, $2) > 0
                 ORDER BY counter, epoch, seq",
                &[&like, &needle],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    fn records_keyed(
        &mut self,
        family: &str,
        key: &str,
    ) -> Result<Vec<(String, String, String)>, HqError> {
        let like = format!("{family}.%");
        Ok(self
            .client
            .query(
                "SELECT r.counter, r.kind, r.payload FROM lookup_key k
                 JOIN record r ON r.counter = k.counter AND r.epoch = k.epoch AND r.seq = k.seq
                 WHERE k.key = $1 AND r.kind LIKE $2 AND r.rejected IS NULL
                 ORDER BY r.counter, r.epoch, r.seq",
                &[&key, &like],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    fn bad_tokens(&mut self) -> Result<i64, HqError> {
        Ok(self
            .client
            .query_opt("SELECT value FROM tally WHERE key = 'bad_tokens'", &[])?
            .map_or(0, |r| r.get(0)))
    }

    fn missing_objects(&mut self, sha256: &[String]) -> Result<Vec<String>, HqError> {
        let held: Vec<String> = self
            .client
            .query(
                "SELECT sha256 FROM object WHERE sha256 = ANY($1)",
                &[&sha256],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        Ok(sha256
            .iter()
            .filter(|s| !held.contains(s))
            .cloned()
            .collect())
    }

    fn put_object(&mut self, o: &super::NewObject, now: &str) -> Result<bool, HqError> {
        let n = self.client.execute(
            "INSERT INTO object (sha256, media_type, bytes, counter, received_at, data)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
            &[
                &o.sha256,
                &o.media_type,
                &(o.data.len() as i64),
                &o.counter,
                &now,
                &o.data,
            ],
        )?;
        Ok(n == 1)
    }

    fn object_totals(&mut self) -> Result<(i64, i64), HqError> {
        let r = self.client.query_one(
            "SELECT count(*), coalesce(sum(bytes), 0)::BIGINT FROM object",
            &[],
        )?;
        Ok((r.get(0), r.get(1)))
    }

    fn identities(&mut self, counter: &str) -> Result<Vec<(i64, i64, String)>, HqError> {
        Ok(self
            .client
            .query(
                "SELECT epoch, seq, sha256 FROM record WHERE counter = $1 ORDER BY epoch, seq",
                &[&counter],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }
}
