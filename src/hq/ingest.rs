//! What HQ does with a batch, written once for both stores: repeats are
//! answered with what was stored, a different record under a known identity
//! is a fork, a gap is refused with the expected sequence, and a record HQ
//! cannot use is still stored with its verdict so the rest keep flowing.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::HqError;
use crate::domain::upload::{
    chain_next, sha256_hex, Ack, Batch, Digest, RecordVerdict, Refusal, Verdict, SCHEMA,
};

/// A record as HQ stores it.
#[derive(Debug, Clone)]
pub struct StoredRow {
    /// Sequence.
    pub seq: i64,
    /// Business day.
    pub day: String,
    /// Kind of write.
    pub kind: String,
    pub amount_fen: i64,
    /// Payload hash.
    pub sha256: String,
    pub chain: String,
    /// Payload as sent.
    pub payload: String,
    /// Why HQ could not use it, if it could not.
    pub rejected: Option<String>,
    /// What the public progress page finds it by.
    pub keys: Vec<String>,
}

/// A day-close record's claim, checked against what HQ holds.
#[derive(Debug, Clone)]
pub struct DayClose {
    pub day: String,
    /// Whether the day is over (a shift close writes a partial one).
    pub final_: bool,
    /// What the counter says it wrote that day.
    pub claimed: Digest,
}

/// The operations a store offers inside one ingest transaction.
pub trait Ledger {
    /// Highest sequence and chain held for (counter, epoch); locks it.
    fn position(&mut self, counter: &str, epoch: i64) -> Result<Option<(i64, String)>, HqError>;
    /// Stored (seq, sha256, rejection) for `lo..=hi`.
    fn stored(
        &mut self,
        counter: &str,
        epoch: i64,
        lo: i64,
        hi: i64,
    ) -> Result<Vec<(i64, String, Option<String>)>, HqError>;
    /// Stores new records.
    fn insert(
        &mut self,
        counter: &str,
        epoch: i64,
        rows: &[StoredRow],
        now: &str,
    ) -> Result<(), HqError>;
    /// Moves the position forward.
    fn set_position(
        &mut self,
        counter: &str,
        epoch: i64,
        seq: i64,
        chain: &str,
    ) -> Result<(), HqError>;
    /// Replaces a stored record's verdict (a record sent again).
    fn set_rejection(
        &mut self,
        counter: &str,
        epoch: i64,
        seq: i64,
        rejected: Option<&str>,
    ) -> Result<(), HqError>;
    /// What HQ holds for one day of one epoch, day-close records excluded.
    fn day_digest(&mut self, counter: &str, epoch: i64, day: &str) -> Result<Digest, HqError>;
    /// Records a day-close claim and whether HQ agrees.
    fn set_day(
        &mut self,
        counter: &str,
        epoch: i64,
        close: &DayClose,
        held: &Digest,
        now: &str,
    ) -> Result<(), HqError>;
    /// Records the counter's own report of its queue.
    fn contact(
        &mut self,
        counter: &str,
        waiting: i64,
        oldest: Option<&str>,
        now: &str,
    ) -> Result<(), HqError>;
}

/// What HQ knows that decides a record's verdict.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Forms HQ knows, as (code, version); empty means any.
    pub forms: HashSet<(String, String)>,
}

/// The outcome of a batch.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Commit and answer with this acknowledgement.
    Commit(Ack),
    /// Roll back and refuse; a fork also raises an alarm.
    Refuse(Refusal),
}

/// Decides a batch and writes what it decides through `ledger`.
pub fn run(
    ledger: &mut dyn Ledger,
    batch: &Batch,
    rules: &Rules,
    now: &str,
) -> Result<Decision, HqError> {
    let counter = batch.counter.as_str();
    let epoch = batch.epoch;
    if let Some(m) = malformed(batch) {
        return Ok(Decision::Refuse(Refusal::Malformed { detail: m }));
    }
    // An epoch HQ has not seen starts where the counter says it does (a
    // new epoch after a restore goes on from the restored file's end).
    let (last, mut chain) = ledger.position(counter, epoch)?.unwrap_or((
        batch.epoch_first.max(1) - 1,
        crate::domain::upload::CHAIN_GENESIS.to_string(),
    ));
    let mut verdicts = Vec::new();
    let first = batch.records.first().map_or(last + 1, |r| r.seq);
    // Records HQ already holds: the same bytes are answered as before.
    if first <= last {
        let hi = batch.records.last().map_or(first, |r| r.seq).min(last);
        let stored: BTreeMap<i64, (String, Option<String>)> = ledger
            .stored(counter, epoch, first, hi)?
            .into_iter()
            .map(|(s, h, v)| (s, (h, v)))
            .collect();
        for r in batch.records.iter().filter(|r| r.seq <= last) {
            match stored.get(&r.seq) {
                Some((sha, _)) if *sha != r.sha256 => {
                    return Ok(Decision::Refuse(Refusal::Fork { seq: r.seq }));
                }
                None => {
                    return Ok(Decision::Refuse(Refusal::Fork { seq: r.seq }));
                }
                Some((_, rejected)) => {
                    // A record sent again after quarantine is judged anew:
                    // HQ may have learnt the form since.
                    let verdict = match rejected {
                        Some(_) => {
                            let now_verdict = judge(batch, r, rules);
                            let reason = match &now_verdict {
                                Verdict::Accepted => None,
                                Verdict::Rejected { reason } => Some(reason.as_str()),
                            };
                            ledger.set_rejection(counter, epoch, r.seq, reason)?;
                            now_verdict
                        }
                        // A repeat of a record HQ uses is hashed as it
                        // arrives, as a new one is: the same claimed hash
                        // over other bytes is not the record HQ holds.
                        None => match consistent(batch, r) {
                            Ok(_) => Verdict::Accepted,
                            Err(why) => {
                                let detail = format!("record {}: {why}", r.seq);
                                return Ok(Decision::Refuse(Refusal::Malformed { detail }));
                            }
                        },
                    };
                    verdicts.push(RecordVerdict {
                        seq: r.seq,
                        verdict,
                    });
                }
            }
        }
    }
    let fresh: Vec<_> = batch.records.iter().filter(|r| r.seq > last).collect();
    if let Some(r) = fresh.first() {
        if r.seq != last + 1 {
            return Ok(Decision::Refuse(Refusal::Gap { expected: last + 1 }));
        }
        if batch.prev_chain != chain && first > last {
            // The counter chains on something HQ never had at `last`.
            return Ok(Decision::Refuse(Refusal::Fork { seq: r.seq }));
        }
    }
    let mut rows = Vec::with_capacity(fresh.len());
    let mut closes = Vec::new();
    for r in &fresh {
        let next = chain_next(&chain, r.seq, &r.sha256);
        if next != r.chain {
            return Ok(Decision::Refuse(Refusal::Fork { seq: r.seq }));
        }
        chain = next;
        let verdict = judge(batch, r, rules);
        let parsed: Option<Value> = serde_json::from_str(&r.payload).ok();
        let kind = parsed
            .as_ref()
            .and_then(|v| v["kind"].as_str().map(str::to_string))
            .unwrap_or_default();
        if kind == crate::store::outbox::DAY_CLOSE {
            if let Some(c) = parsed.as_ref().and_then(day_close) {
                closes.push(c);
            }
        }
        let keys = parsed
            .as_ref()
            .map(|v| super::progress::lookup_keys(&kind, v))
            .unwrap_or_default();
        rows.push(StoredRow {
            seq: r.seq,
            day: r.day.clone(),
            kind,
            amount_fen: r.amount_fen,
            sha256: r.sha256.clone(),
            chain: r.chain.clone(),
            payload: r.payload.clone(),
            rejected: match &verdict {
                Verdict::Accepted => None,
                Verdict::Rejected { reason } => Some(reason.clone()),
            },
            keys,
        });
        verdicts.push(RecordVerdict {
            seq: r.seq,
            verdict,
        });
    }
    let through = rows.last().map_or(last, |r| r.seq);
    if !rows.is_empty() {
        ledger.insert(counter, epoch, &rows, now)?;
        ledger.set_position(counter, epoch, through, &chain)?;
    }
    for c in &closes {
        let held = ledger.day_digest(counter, epoch, &c.day)?;
        ledger.set_day(counter, epoch, c, &held, now)?;
    }
    ledger.contact(
        counter,
        batch.waiting,
        batch.oldest_waiting_at.as_deref(),
        now,
    )?;
    Ok(Decision::Commit(Ack {
        counter: counter.to_string(),
        epoch,
        through,
        verdicts,
        hq_time: now.to_string(),
    }))
}

fn malformed(batch: &Batch) -> Option<String> {
    if batch.counter.trim().is_empty() {
        return Some("the batch names no counter".into());
    }
    if batch.records.is_empty() {
        return Some("the batch has no records".into());
    }
    let contiguous = batch.records.windows(2).all(|w| w[1].seq == w[0].seq + 1);
    if !contiguous || batch.records[0].seq < 1 {
        return Some("the records are not a contiguous range from 1 up".into());
    }
    None
}

/// Whether a record is what its envelope claims: the payload hashes to
/// its sha256, reads as JSON, and names the batch's counter, epoch and the
/// envelope's sequence, day and amount.
fn consistent(batch: &Batch, r: &crate::domain::upload::WireRecord) -> Result<Value, String> {
    if sha256_hex(r.payload.as_bytes()) != r.sha256 {
        return Err("payload does not match its sha256".into());
    }
    let Ok(v) = serde_json::from_str::<Value>(&r.payload) else {
        return Err("payload is not JSON".into());
    };
    if v["counter"].as_str() != Some(batch.counter.as_str())
        || v["epoch"].as_i64() != Some(batch.epoch)
        || v["seq"].as_i64() != Some(r.seq)
    {
        return Err("payload identity differs from the batch".into());
    }
    if v["day"].as_str() != Some(r.day.as_str()) || v["amount_fen"].as_i64() != Some(r.amount_fen) {
        return Err("payload day or amount differs from the envelope".into());
    }
    Ok(v)
}

/// Whether HQ can use a new record: what its envelope claims (see
/// [`consistent`]), schema known, forms known. The chain covers the hash,
/// so a payload damaged on the counter is still stored in its place (no
/// gap) under this verdict, never used, and shown back for a person.
fn judge(batch: &Batch, r: &crate::domain::upload::WireRecord, rules: &Rules) -> Verdict {
    let reject = |reason: String| Verdict::Rejected { reason };
    let v = match consistent(batch, r) {
        Ok(v) => v,
        Err(why) => return reject(why),
    };
    match v["schema"].as_i64() {
        Some(SCHEMA) => {}
        Some(n) => return reject(format!("unknown schema version {n}")),
        None => return reject("payload has no schema version".into()),
    }
    if v["kind"].as_str().is_none_or(str::is_empty) {
        return reject("payload has no kind".into());
    }
    if !rules.forms.is_empty() {
        for app in v["record"]["rows"]["application"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let code = app["form_code"].as_str().unwrap_or("");
            let version = app["form_version"].as_str().unwrap_or("");
            if !rules
                .forms
                .contains(&(code.to_string(), version.to_string()))
            {
                return reject(format!("unknown form version {code} {version}"));
            }
        }
    }
    Verdict::Accepted
}

fn day_close(v: &Value) -> Option<DayClose> {
    let d = &v["audit"]["detail"];
    Some(DayClose {
        day: d["day"].as_str()?.to_string(),
        final_: d["final"].as_bool().unwrap_or(false),
        claimed: serde_json::from_value(d["digest"].clone()).ok()?,
    })
}
