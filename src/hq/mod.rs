//! The reference HQ receiver: takes counters' batches exactly once,
//! publishes what counters need, answers reconciliation questions and shows
//! a read-only status page. Stores: embedded SQLite, or PostgreSQL.

pub mod ingest;
pub mod listen;
pub mod page;
pub mod pg;
pub mod progress;
pub mod publish;
pub mod queue;
pub mod ratings;
pub mod server;
pub mod sqlite;
pub mod tokens;
pub mod web_login;

use serde::Serialize;

use crate::domain::upload::{Batch, DaySummary, Digest, Feed, FeedData, Refusal};
pub use ingest::{Decision, Rules};

/// What can go wrong at HQ.
#[derive(Debug, thiserror::Error)]
pub enum HqError {
    /// The store URL cannot be used.
    #[error("store {0}")]
    Store(String),
    /// A database error.
    #[error("database: {0}")]
    Db(String),
    /// The store is not there (only `hq serve` and `hq token` make one).
    #[error("there is no HQ store at {0}: only hq serve and hq token create one; check --store")]
    Missing(String),
}

impl From<rusqlite::Error> for HqError {
    fn from(e: rusqlite::Error) -> Self {
        HqError::Db(e.to_string())
    }
}

impl From<postgres::Error> for HqError {
    fn from(e: postgres::Error) -> Self {
        HqError::Db(e.to_string())
    }
}

/// The counter a valid token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenOwner {
    pub counter: String,
    pub hall: String,
}

/// (counter, epoch, day, records HQ could not use).
pub type DayKey = (String, i64, String, i64);

/// One line of `hq report`: a counter's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayRow {
    pub counter: String,
    pub hall: String,
    pub epoch: i64,
    pub day: String,
    /// What HQ holds.
    pub held: Digest,
    /// Records HQ stored but could not use.
    pub rejected: i64,
    /// Whether a final day-close arrived and matched what HQ holds.
    pub reconciled: Option<bool>,
}

/// One counter on the status page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CounterRow {
    pub counter: String,
    pub hall: String,
    /// Last batch received (RFC 3339).
    pub last_contact: Option<String>,
    /// Waiting records by the counter's own report.
    pub waiting: i64,
    /// Oldest waiting record by the counter's report.
    pub oldest_waiting_at: Option<String>,
    /// Records stored with a rejection.
    pub quarantined: i64,
    /// Fork alarms raised.
    pub forks: i64,
}

/// What the status page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Overview {
    /// Per counter.
    pub counters: Vec<CounterRow>,
    /// Per counter and day.
    pub days: Vec<DayRow>,
    /// Requests refused for a bad token.
    pub bad_tokens: i64,
    /// Per day and hall, the ratings.
    pub ratings: Vec<ratings::HallRatings>,
    /// Poor ratings whose case is still open, the earliest visit first.
    pub open_poor: Vec<ratings::OpenPoor>,
    /// Per day and hall: the queue's tickets and the windows' visits.
    pub queue: Vec<queue::HallQueue>,
    /// Scans held (each once) and their bytes.
    pub objects: (i64, i64),
}

/// A content-addressed object (a scan) a counter sends, its hash checked.
pub struct NewObject<'a> {
    pub sha256: &'a str,
    pub media_type: &'a str,
    pub data: &'a [u8],
    /// The counter that sent it first.
    pub counter: &'a str,
}

/// A store HQ keeps its records in. Calls block: the server runs them on
/// threads of their own, never on the async runtime.
pub trait HqStore: Send {
    /// Takes one batch in one transaction.
    fn ingest(&mut self, batch: &Batch, rules: &Rules, now: &str) -> Result<Decision, HqError>;
    /// Records a fork alarm (after the refused batch rolled back).
    fn alarm(
        &mut self,
        counter: &str,
        epoch: i64,
        refusal: &Refusal,
        now: &str,
    ) -> Result<(), HqError>;
    /// The owner of a token (by its sha256), if it is valid at `now`.
    fn token_owner(&mut self, token_sha: &str, now: &str) -> Result<Option<TokenOwner>, HqError>;
    /// Records a sign-in to the status page: `ok`, `wrong` or `locked`.
    fn web_sign_in(&mut self, user: &str, outcome: &str, now: &str) -> Result<(), HqError>;
    /// Counts one request refused for its token.
    fn count_bad_token(&mut self) -> Result<(), HqError>;
    /// Stores a token's hash for a counter, valid until `expires`.
    fn issue_token(
        &mut self,
        token_sha: &str,
        owner: &TokenOwner,
        expires: &str,
    ) -> Result<(), HqError>;
    /// Appends items to the feed; returns the newest HQ sequence.
    fn publish(&mut self, items: &[FeedData]) -> Result<i64, HqError>;
    /// Feed items after `after`.
    fn feed(&mut self, after: i64, limit: i64) -> Result<Feed, HqError>;
    /// Per (epoch, day) what HQ holds for a counter.
    fn days(&mut self, counter: &str) -> Result<Vec<DaySummary>, HqError>;
    /// What HQ holds for `lo..=hi` of one day.
    fn range_digest(
        &mut self,
        counter: &str,
        epoch: i64,
        day: &str,
        lo: i64,
        hi: i64,
    ) -> Result<Digest, HqError>;
    /// The hall of each counter that has a token.
    fn halls(&mut self) -> Result<std::collections::HashMap<String, String>, HqError>;
    /// Each counter's last contact and held records (hall left empty).
    fn counter_rows(&mut self) -> Result<Vec<CounterRow>, HqError>;
    /// Every (counter, epoch, day) with records, newest day first, with the
    /// count of records HQ could not use.
    fn day_keys(&mut self) -> Result<Vec<DayKey>, HqError>;
    /// What a final day-close record claimed for the day, if one arrived.
    fn final_claim(
        &mut self,
        counter: &str,
        epoch: i64,
        day: &str,
    ) -> Result<Option<Digest>, HqError>;
    /// Requests refused for their token.
    fn bad_tokens(&mut self) -> Result<i64, HqError>;
    /// Every usable record of a family of kinds (`rating`, `queue`) as
    /// (counter, kind, payload), in order.
    fn records_of(&mut self, family: &str) -> Result<Vec<(String, String, String)>, HqError> {
        // Every payload holds the empty text.
        self.records_mentioning(family, "")
    }
    /// As [`HqStore::records_of`], only those whose payload holds `needle`
    /// (a coarse filter: the caller checks the field itself).
    fn records_mentioning(
        &mut self,
        family: &str,
        needle: &str,
    ) -> Result<Vec<(String, String, String)>, HqError>;

    /// The accepted records of `family` stored under the look-up `key`
    /// (see [`progress::lookup_keys`]), oldest first per counter.
    fn records_keyed(
        &mut self,
        family: &str,
        key: &str,
    ) -> Result<Vec<(String, String, String)>, HqError>;

    /// Per counter and day, for `hq report` and the status page: a day
    /// reconciles when its final day-close claims exactly what HQ holds.
    fn overview(&mut self) -> Result<Overview, HqError> {
        let halls = self.halls()?;
        let hall = |c: &str| halls.get(c).cloned().unwrap_or_default();
        let mut counters = self.counter_rows()?;
        for c in &mut counters {
            c.hall = hall(&c.counter);
        }
        let mut days = Vec::new();
        for (counter, epoch, day, rejected) in self.day_keys()? {
            let held = self.range_digest(&counter, epoch, &day, i64::MIN, i64::MAX)?;
            let reconciled = self
                .final_claim(&counter, epoch, &day)?
                .map(|claimed| claimed == held);
            days.push(DayRow {
                hall: hall(&counter),
                counter,
                epoch,
                day,
                held,
                rejected,
                reconciled,
            });
        }
        let bad_tokens = self.bad_tokens()?;
        let (ratings, open_poor) = ratings::of_records(&self.records_of("rating")?, &hall);
        let queue = queue::of_records(&self.records_of("queue")?, &hall);
        let objects = self.object_totals()?;
        Ok(Overview {
            objects,
            counters,
            days,
            bad_tokens,
            ratings,
            open_poor,
            queue,
        })
    }
    /// Of these objects (scans, by sha256), those HQ does not hold.
    fn missing_objects(&mut self, sha256: &[String]) -> Result<Vec<String>, HqError>;
    /// Keeps an object once, whoever sends it; true when it was new.
    fn put_object(&mut self, object: &NewObject, now: &str) -> Result<bool, HqError>;
    /// Objects held and their bytes, for the status page.
    fn object_totals(&mut self) -> Result<(i64, i64), HqError>;
    /// Every stored identity of a counter as (epoch, seq, sha256), in order.
    fn identities(&mut self, counter: &str) -> Result<Vec<(i64, i64, String)>, HqError>;
}

/// Opens a store that must exist already (for reports and publishing): a
/// SQLite file that is not there, or a PostgreSQL database without HQ's
/// tables, is refused instead of made empty.
pub fn open_existing(url: &str) -> Result<Box<dyn HqStore>, HqError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        if !pg::PgStore::has_schema(url)? {
            return Err(HqError::Missing(url.to_string()));
        }
    } else {
        let path = url.strip_prefix("sqlite:").unwrap_or(url);
        if !std::path::Path::new(path).is_file() {
            return Err(HqError::Missing(path.to_string()));
        }
    }
    open(url)
}

/// Opens the store a URL names, creating its tables if need be:
/// `postgres://...` or a SQLite path (`sqlite:PATH` or a plain path).
pub fn open(url: &str) -> Result<Box<dyn HqStore>, HqError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(pg::PgStore::connect(url)?))
    } else {
        let path = url.strip_prefix("sqlite:").unwrap_or(url);
        Ok(Box::new(sqlite::SqliteStore::open(std::path::Path::new(
            path,
        ))?))
    }
}

/// Whether `a` and `b` agree (what `hq report` prints per day).
pub fn reconciles(row: &DayRow) -> &'static str {
    match row.reconciled {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "open",
    }
}
