//! The hall service's own SQLite file: tickets, their timed rows, the
//! windows' tokens (hashes only), the green-channel flags (hashes of ID
//! numbers, never the numbers) and the pages' secrets. Tickets are never
//! deleted: yesterday's stay, with their rows, for the figures.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::domain::queue::figures::Row;
use crate::domain::queue::pick::{self, Caller, Waiting};
use crate::domain::queue::{act, label, Action, EventKind, Refusal, Standing, TicketState};
use crate::domain::upload::{WireRecord, CHAIN_GENESIS};
use crate::store::stamp::{parse_ts, ts};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS window_token (
    sha TEXT PRIMARY KEY, window TEXT NOT NULL, issued_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS green_flag (
    id_sha TEXT PRIMARY KEY, reason TEXT NOT NULL, added_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ticket (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    issued_group TEXT NOT NULL,
    number INTEGER NOT NULL,
    label TEXT NOT NULL,
    group_code TEXT NOT NULL,
    green INTEGER NOT NULL,
    green_why TEXT,
    issued_at TEXT NOT NULL,
    state TEXT NOT NULL,
    window TEXT,
    calls INTEGER NOT NULL DEFAULT 0,
    started INTEGER NOT NULL DEFAULT 0,
    UNIQUE (day, label));
CREATE INDEX IF NOT EXISTS ticket_open ON ticket (day, state);
CREATE TABLE IF NOT EXISTS ticket_event (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES ticket (id),
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    window TEXT,
    clerk TEXT,
    group_code TEXT NOT NULL,
    reason TEXT,
    refs TEXT);
CREATE INDEX IF NOT EXISTS ticket_event_day ON ticket_event (day, id);
CREATE TABLE IF NOT EXISTS window_run (
    window TEXT PRIMARY KEY, green_in_a_row INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    chain TEXT NOT NULL,
    payload TEXT NOT NULL,
    written_at TEXT NOT NULL,
    acked INTEGER NOT NULL DEFAULT 0);
";

/// A ticket as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    pub id: i64,
    pub day: String,
    pub label: String,
    pub number: i64,
    pub issued_group: String,
    pub group: String,
    pub green: bool,
    pub green_why: Option<String>,
    pub issued_at: String,
    pub state: TicketState,
    pub window: Option<String>,
    pub calls: u32,
    pub started: bool,
}

/// A call as the hall display shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRow {
    /// The event's row id: the display speaks each once, in this order.
    pub seq: i64,
    pub label: String,
    pub window: String,
    pub at: String,
}

/// What went wrong in the hall's file.
#[derive(Debug, thiserror::Error)]
pub enum HallStoreError {
    #[error("{0}")]
    Sql(#[from] rusqlite::Error),
    #[error("refused: {0:?}")]
    Refused(Refusal),
}

impl From<Refusal> for HallStoreError {
    fn from(r: Refusal) -> Self {
        HallStoreError::Refused(r)
    }
}

type Result<T> = std::result::Result<T, HallStoreError>;

const TICKET_COLUMNS: &str = "id, day, label, number, issued_group, group_code, green, green_why,
     issued_at, state, window, calls, started";

fn ticket_row(r: &rusqlite::Row) -> rusqlite::Result<TicketRow> {
    let state: String = r.get(9)?;
    Ok(TicketRow {
        id: r.get(0)?,
        day: r.get(1)?,
        label: r.get(2)?,
        number: r.get(3)?,
        issued_group: r.get(4)?,
        group: r.get(5)?,
        green: r.get(6)?,
        green_why: r.get(7)?,
        issued_at: r.get(8)?,
        state: TicketState::from_code(&state).unwrap_or(TicketState::Waiting),
        window: r.get(10)?,
        calls: r.get(11)?,
        started: r.get(12)?,
    })
}

/// What a window's action carries besides the ticket.
#[derive(Debug, Clone, Default)]
pub struct Detail {
    /// The clerk at the window (staff number).
    pub clerk: String,
    /// Why (out of order, transfer, no-show).
    pub reason: Option<String>,
    /// Transfer: the group it goes to.
    pub to_group: Option<String>,
    /// Transfer: the window it goes to.
    pub to_window: Option<String>,
    /// Served: the transactions done for it (receipt, ticket numbers).
    pub refs: Vec<String>,
}

/// The hall service's database.
pub struct HallStore {
    conn: Connection,
}

impl HallStore {
    /// Opens (creating) the hall's file.
    pub fn open(path: &Path) -> Result<HallStore> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        conn.execute_batch(SCHEMA)?;
        Ok(HallStore { conn })
    }

    /// The secret of one of the hall's pages, made on first use.
    pub fn page_secret(&mut self, page: &str) -> Result<String> {
        let key = format!("secret.{page}");
        if let Some(s) = self.meta(&key)? {
            return Ok(s);
        }
        let s = crate::hq::tokens::new_token()
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        self.conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
            params![key, s],
        )?;
        Ok(self.meta(&key)?.unwrap_or(s))
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Records a window's token by its hash.
    pub fn add_token(&mut self, sha: &str, window: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO window_token (sha, window, issued_at) VALUES (?1, ?2, ?3)",
            params![sha, window, ts(now)],
        )?;
        Ok(())
    }

    /// The window a token's hash belongs to.
    pub fn window_of(&self, sha: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT window FROM window_token WHERE sha = ?1",
                [sha],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Puts an ID number (by its hash) in the green channel.
    pub fn add_flag(&mut self, id_sha: &str, reason: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO green_flag (id_sha, reason, added_at) VALUES (?1, ?2, ?3)",
            params![id_sha, reason, ts(now)],
        )?;
        Ok(())
    }

    /// Whether an ID number's hash is flagged for the green channel.
    pub fn flagged(&self, id_sha: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT reason FROM green_flag WHERE id_sha = ?1",
                [id_sha],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Issues the day's next ticket of a group, committed before it is
    /// shown or printed. Numbers go on from the highest of the day, so a
    /// restart mid-day never issues one twice.
    pub fn issue(
        &mut self,
        day: &str,
        group: &str,
        green_why: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<TicketRow> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let number: i64 = tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM ticket WHERE day = ?1 AND issued_group = ?2",
            params![day, group],
            |r| r.get(0),
        )?;
        let lbl = label(group, number);
        tx.execute(
            "INSERT INTO ticket (day, issued_group, number, label, group_code, green, green_why,
                                 issued_at, state)
             VALUES (?1, ?2, ?3, ?4, ?2, ?5, ?6, ?7, 'waiting')",
            params![
                day,
                group,
                number,
                lbl,
                green_why.is_some(),
                green_why,
                ts(now)
            ],
        )?;
        let id = tx.last_insert_rowid();
        event(
            &tx,
            id,
            day,
            EventKind::Issued,
            now,
            None,
            group,
            &Detail::default(),
        )?;
        tx.commit()?;
        self.ticket_by_id(id)?
            .ok_or(HallStoreError::Refused(Refusal::Unknown))
    }

    fn ticket_by_id(&self, id: i64) -> Result<Option<TicketRow>> {
        let sql = format!("SELECT {TICKET_COLUMNS} FROM ticket WHERE id = ?1");
        Ok(self.conn.query_row(&sql, [id], ticket_row).optional()?)
    }

    /// A ticket of the day by its label.
    pub fn ticket(&self, day: &str, label: &str) -> Result<Option<TicketRow>> {
        let sql = format!("SELECT {TICKET_COLUMNS} FROM ticket WHERE day = ?1 AND label = ?2");
        Ok(self
            .conn
            .query_row(&sql, params![day, label], ticket_row)
            .optional()?)
    }

    /// Tickets waiting per group today.
    pub fn waiting_per_group(&self, day: &str) -> Result<std::collections::HashMap<String, usize>> {
        let mut st = self.conn.prepare_cached(
            "SELECT group_code, COUNT(*) FROM ticket WHERE day = ?1 AND state = 'waiting'
             GROUP BY group_code",
        )?;
        let rows = st.query_map([day], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Tickets issued since `t` (the kiosks' per-minute limit).
    pub fn issued_since(&self, t: DateTime<Utc>) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM ticket WHERE issued_at >= ?1",
            [ts(t)],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// The day's tickets still open (waiting, called, serving, held).
    pub fn open_tickets(&self, day: &str) -> Result<Vec<TicketRow>> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM ticket
             WHERE day = ?1 AND state IN ('waiting', 'called', 'serving', 'held')
             ORDER BY issued_at, id"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([day], ticket_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Calls the next ticket for a window, in one transaction: two windows
    /// asking at once never get the same ticket.
    pub fn call_next(
        &mut self,
        day: &str,
        window: &str,
        groups: &[String],
        green_run: u32,
        detail: &Detail,
        now: DateTime<Utc>,
    ) -> Result<TicketRow> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let run: u32 = tx
            .query_row(
                "SELECT green_in_a_row FROM window_run WHERE window = ?1",
                [window],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let waiting: Vec<Waiting> = {
            let mut st = tx.prepare_cached(
                "SELECT id, group_code, green, issued_at, window FROM ticket
                 WHERE day = ?1 AND state = 'waiting'",
            )?;
            let rows = st.query_map([day], |r| {
                Ok(Waiting {
                    id: r.get(0)?,
                    group: r.get(1)?,
                    green: r.get(2)?,
                    issued_at: r.get(3)?,
                    for_window: r.get(4)?,
                })
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let caller = Caller {
            window,
            groups,
            green_in_a_row: run,
        };
        let Some(chosen) = pick::next(&waiting, &caller, green_run) else {
            return Err(Refusal::NobodyWaiting.into());
        };
        let (id, green, group) = (chosen.id, chosen.green, chosen.group.clone());
        tx.execute(
            "UPDATE ticket SET state = 'called', window = ?2, calls = 1 WHERE id = ?1",
            params![id, window],
        )?;
        tx.execute(
            "INSERT INTO window_run (window, green_in_a_row) VALUES (?1, ?2)
             ON CONFLICT (window) DO UPDATE SET green_in_a_row = excluded.green_in_a_row",
            params![window, if green { run + 1 } else { 0 }],
        )?;
        event(
            &tx,
            id,
            day,
            EventKind::Called,
            now,
            Some(window),
            &group,
            detail,
        )?;
        tx.commit()?;
        self.ticket_by_id(id)?
            .ok_or(HallStoreError::Refused(Refusal::Unknown))
    }

    /// A window's action on a named ticket, checked against where it
    /// stands, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub fn act(
        &mut self,
        day: &str,
        label: &str,
        window: &str,
        action: &Action,
        no_show_after: u32,
        detail: &Detail,
        now: DateTime<Utc>,
    ) -> Result<TicketRow> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sql = format!("SELECT {TICKET_COLUMNS} FROM ticket WHERE day = ?1 AND label = ?2");
        let Some(t) = tx
            .query_row(&sql, params![day, label], ticket_row)
            .optional()?
        else {
            return Err(Refusal::Unknown.into());
        };
        let standing = Standing {
            state: t.state,
            window: t.window.clone(),
            calls: t.calls,
            started: t.started,
        };
        let (state, kind) = act(&standing, action, window, no_show_after)?;
        let mut group = t.group.clone();
        let (new_window, calls, started) = match kind {
            EventKind::Called => (Some(window.to_string()), 1, t.started),
            EventKind::Recalled => (t.window.clone(), t.calls + 1, t.started),
            EventKind::Started => (t.window.clone(), t.calls, true),
            EventKind::Transferred => {
                if let Some(g) = &detail.to_group {
                    group = g.clone();
                }
                (detail.to_window.clone(), 0, false)
            }
            _ => (t.window.clone(), t.calls, t.started),
        };
        tx.execute(
            "UPDATE ticket SET state = ?2, window = ?3, calls = ?4, started = ?5, group_code = ?6
             WHERE id = ?1",
            params![t.id, state.code(), new_window, calls, started, group],
        )?;
        event(&tx, t.id, day, kind, now, Some(window), &group, detail)?;
        if !state.is_open() {
            // Its whole history goes up to HQ, in the same commit.
            enqueue(&tx, t.id, day, now)?;
        }
        tx.commit()?;
        self.ticket_by_id(t.id)?
            .ok_or(HallStoreError::Refused(Refusal::Unknown))
    }

    /// The counter ID the hall's records go up to HQ under, fixed on
    /// first use (`wanted`, else a new one).
    pub fn counter_id(&mut self, wanted: &str) -> Result<String> {
        if let Some(c) = self.meta("hq.counter")? {
            return Ok(c);
        }
        let id = if wanted.trim().is_empty() {
            let t = crate::hq::tokens::new_token()
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
            format!("HALL-{}", &t[..8])
        } else {
            wanted.trim().to_string()
        };
        self.conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('hq.counter', ?1)",
            [&id],
        )?;
        Ok(self.meta("hq.counter")?.unwrap_or(id))
    }

    /// Records not yet acknowledged by HQ, oldest first, with the chain
    /// before the first and the count waiting.
    pub fn unsent(&self, limit: usize) -> Result<(Vec<WireRecord>, String, i64, Option<String>)> {
        let prev: Option<String> = self
            .conn
            .query_row(
                "SELECT chain FROM outbox WHERE acked = 1 ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let (waiting, oldest): (i64, Option<String>) = self.conn.query_row(
            "SELECT COUNT(*), MIN(written_at) FROM outbox WHERE acked = 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut st = self.conn.prepare_cached(
            "SELECT seq, day, sha256, chain, payload FROM outbox WHERE acked = 0
             ORDER BY seq LIMIT ?1",
        )?;
        let rows = st.query_map([limit as i64], |r| {
            Ok(WireRecord {
                seq: r.get(0)?,
                day: r.get(1)?,
                amount_fen: 0,
                sha256: r.get(2)?,
                chain: r.get(3)?,
                payload: r.get(4)?,
            })
        })?;
        let records = rows.collect::<rusqlite::Result<_>>()?;
        Ok((
            records,
            prev.unwrap_or_else(|| CHAIN_GENESIS.to_string()),
            waiting,
            oldest,
        ))
    }

    /// HQ holds the records through `through`.
    pub fn acknowledge(&mut self, through: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET acked = 1 WHERE seq <= ?1 AND acked = 0",
            [through],
        )?;
        Ok(())
    }

    /// The ticket a window has called or is serving.
    pub fn current_of(&self, day: &str, window: &str) -> Result<Option<TicketRow>> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM ticket
             WHERE day = ?1 AND window = ?2 AND state IN ('called', 'serving')
             ORDER BY id DESC LIMIT 1"
        );
        Ok(self
            .conn
            .query_row(&sql, params![day, window], ticket_row)
            .optional()?)
    }

    /// The day's timed rows in order, for the figures.
    pub fn rows_of_day(&self, day: &str) -> Result<Vec<Row>> {
        let mut st = self.conn.prepare_cached(
            "SELECT ticket_id, group_code, kind, at, window FROM ticket_event
             WHERE day = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([day], |r| {
            let kind: String = r.get(2)?;
            let at: String = r.get(3)?;
            Ok((r.get(0)?, r.get(1)?, kind, at, r.get(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (ticket, group, kind, at, window): (i64, String, String, String, Option<String>) =
                row?;
            let (Some(kind), Some(at)) = (EventKind::from_code(&kind), parse_ts(&at)) else {
                continue;
            };
            out.push(Row {
                ticket,
                group,
                kind,
                at,
                window,
            });
        }
        Ok(out)
    }

    /// The day's last calls (first calls and calls again), newest first.
    pub fn recent_calls(&self, day: &str, limit: usize) -> Result<Vec<CallRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT e.id, t.label, e.window, e.at FROM ticket_event e
             JOIN ticket t ON t.id = e.ticket_id
             WHERE e.day = ?1 AND e.kind IN ('called', 'recalled') AND e.window IS NOT NULL
             ORDER BY e.id DESC LIMIT ?2",
        )?;
        let rows = st.query_map(params![day, limit as i64], |r| {
            Ok(CallRow {
                seq: r.get(0)?,
                label: r.get(1)?,
                window: r.get(2)?,
                at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many tickets were issued today and how many events stand in
    /// the file: what the display's change stamp is made of.
    pub fn last_event(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM ticket_event", [], |r| {
                r.get(0)
            })?)
    }
}

/// Queues a ticket that ended, with every row of its history, as one
/// record of the hall's own chain.
fn enqueue(tx: &rusqlite::Transaction, ticket: i64, day: &str, now: DateTime<Utc>) -> Result<()> {
    let counter: String = tx
        .query_row("SELECT value FROM meta WHERE key = 'hq.counter'", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_default();
    if counter.is_empty() {
        return Ok(());
    }
    let (seq, prev): (i64, String) = tx
        .query_row(
            "SELECT seq, chain FROM outbox ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, CHAIN_GENESIS.to_string()));
    let seq = seq + 1;
    let ticket_row: serde_json::Value = tx.query_row(
        "SELECT label, day, issued_group, group_code, green, green_why, issued_at, state
         FROM ticket WHERE id = ?1",
        [ticket],
        |r| {
            Ok(serde_json::json!({
                "label": r.get::<_, String>(0)?,
                "day": r.get::<_, String>(1)?,
                "issued_group": r.get::<_, String>(2)?,
                "group": r.get::<_, String>(3)?,
                "green": r.get::<_, bool>(4)?,
                "green_why": r.get::<_, Option<String>>(5)?,
                "issued_at": r.get::<_, String>(6)?,
                "state": r.get::<_, String>(7)?,
            }))
        },
    )?;
    let events: Vec<serde_json::Value> = {
        let mut st = tx.prepare_cached(
            "SELECT kind, at, window, clerk, group_code, reason, refs FROM ticket_event
             WHERE ticket_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([ticket], |r| {
            Ok(serde_json::json!({
                "kind": r.get::<_, String>(0)?,
                "at": r.get::<_, String>(1)?,
                "window": r.get::<_, Option<String>>(2)?,
                "clerk": r.get::<_, Option<String>>(3)?,
                "group": r.get::<_, String>(4)?,
                "reason": r.get::<_, Option<String>>(5)?,
                "refs": r.get::<_, Option<String>>(6)?,
            }))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let payload = serde_json::json!({
        "schema": crate::domain::upload::SCHEMA,
        "kind": "queue.ticket",
        "counter": counter,
        "epoch": 1,
        "seq": seq,
        "day": day,
        "amount_fen": 0,
        "record": {"type": "queue_ticket", "rows": {"ticket": [ticket_row], "ticket_event": events}},
    })
    .to_string();
    let sha = crate::domain::upload::sha256_hex(payload.as_bytes());
    let chain = crate::domain::upload::chain_next(&prev, seq, &sha);
    tx.prepare_cached(
        "INSERT INTO outbox (seq, day, sha256, chain, payload, written_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![seq, day, sha, chain, payload, ts(now)])?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn event(
    tx: &rusqlite::Transaction,
    ticket: i64,
    day: &str,
    kind: EventKind,
    now: DateTime<Utc>,
    window: Option<&str>,
    group: &str,
    detail: &Detail,
) -> Result<()> {
    let refs = if detail.refs.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&detail.refs).unwrap_or_default())
    };
    let clerk = Some(detail.clerk.as_str()).filter(|c| !c.is_empty());
    tx.prepare_cached(
        "INSERT INTO ticket_event (ticket_id, day, kind, at, window, clerk, group_code, reason, refs)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        ticket,
        day,
        kind.code(),
        ts(now),
        window,
        clerk,
        group,
        detail.reason,
        refs
    ])?;
    Ok(())
}
