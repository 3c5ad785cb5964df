//! One flush of the outbox: contiguous ranges per epoch, oldest epoch
//! first, each marked acknowledged only after HQ says it committed them.

use super::link::{Answer, Link};
use super::SyncError;
use crate::domain::upload::{check_ack, AckCheck, Batch, Refusal, WireRecord};
use crate::store::outbox::{self, Identity, Queue};
use crate::store::stamp::ts;
use crate::store::Store;

/// What a flush did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flushed {
    /// Records HQ acknowledged in this flush.
    pub sent: i64,
    /// Of those, records HQ stored but could not use.
    pub quarantined: i64,
    /// Scans sent as objects (those HQ lacked).
    pub objects: i64,
}

/// Sends everything waiting, in batches of `batch_size`; `progress` hears
/// (acknowledged so far, waiting at the start).
pub fn flush(
    store: &mut Store,
    link: &Link,
    batch_size: i64,
    progress: &mut dyn FnMut(i64, i64),
) -> Result<Flushed, SyncError> {
    let id = outbox::identity(store.conn())?;
    let mut done = Flushed::default();
    send_again(store, link, &id, &mut done)?;
    let queues = outbox::queues(store.conn())?;
    let total: i64 = queues.iter().map(Queue::waiting).sum();
    progress(0, total);
    for q in queues {
        let mut after = q.acked;
        let mut prev_chain = q.acked_chain.clone();
        while after < q.last {
            let records = outbox::batch(store.conn(), q.epoch, after, batch_size)?;
            if records.is_empty() {
                break;
            }
            let (through, chain, quarantined) =
                match send(store, link, &id, q.epoch, &prev_chain, records)? {
                    Sent::Through(t, c, n) => (t, c, n),
                    Sent::Resend(from) => {
                        // HQ holds less than we thought: send again from
                        // where it stands; the records are still here.
                        after = from - 1;
                        prev_chain = outbox::chain_at(store.conn(), q.epoch, after)?;
                        continue;
                    }
                };
            done.sent += through - after;
            done.quarantined += quarantined;
            after = through;
            prev_chain = chain;
            progress(done.sent, total);
        }
    }
    // The records first: they are what HQ counts on; a scan follows them.
    done.objects = super::objects::send(store, link)?;
    Ok(done)
}

enum Sent {
    /// Acknowledged through this sequence (its chain; records quarantined).
    Through(i64, String, i64),
    /// HQ expects this sequence next.
    Resend(i64),
}

fn send(
    store: &mut Store,
    link: &Link,
    id: &Identity,
    epoch: i64,
    prev_chain: &str,
    records: Vec<WireRecord>,
) -> Result<Sent, SyncError> {
    let status = outbox::status(store.conn())?;
    let batch = Batch {
        counter: id.counter.clone(),
        epoch,
        prev_chain: prev_chain.to_string(),
        epoch_first: outbox::first_seq(store.conn(), epoch)?,
        records,
        waiting: status.waiting,
        oldest_waiting_at: status.oldest_waiting_at,
        sent_at: ts(store.clock().now()),
    };
    match link.send(&batch)? {
        Answer::Ack(ack) => {
            match check_ack(&batch, &ack) {
                AckCheck::Good => {}
                AckCheck::Foreign { counter, epoch } => {
                    return Err(SyncError::Foreign(counter, epoch))
                }
                AckCheck::Short => return Err(SyncError::Short),
            }
            let last = batch.records.last().map_or(0, |r| r.seq);
            let through = ack.through.min(last);
            let rejected = ack
                .verdicts
                .iter()
                .filter(|v| !matches!(v.verdict, crate::domain::upload::Verdict::Accepted))
                .count() as i64;
            store.scratch(|tx, now| outbox::acknowledge(tx, now, epoch, through, &ack.verdicts))?;
            let chain = outbox::chain_at(store.conn(), epoch, through)?;
            Ok(Sent::Through(through, chain, rejected))
        }
        Answer::Refused(Refusal::Gap { expected }) => {
            let first = batch.records.first().map_or(1, |r| r.seq);
            if expected < first && expected >= 1 {
                Ok(Sent::Resend(expected))
            } else {
                Err(SyncError::Malformed(format!(
                    "HQ expects sequence {expected}, this counter sent from {first}"
                )))
            }
        }
        Answer::Refused(Refusal::Fork { seq }) => {
            let reason = format!("HQ holds a different record {epoch}/{seq}");
            store.scratch(|tx, _| outbox::mark_forked(tx, epoch, seq, &reason))?;
            Err(SyncError::Fork(epoch, seq))
        }
        Answer::Refused(Refusal::Malformed { detail }) => Err(SyncError::Malformed(detail)),
        Answer::Refused(Refusal::Token) => Err(SyncError::Token),
        Answer::Refused(Refusal::Clock { skew_seconds, .. }) => Err(SyncError::Clock(skew_seconds)),
    }
}

/// Quarantined records a duty manager asked to send again go one by one;
/// HQ judges each anew.
fn send_again(
    store: &mut Store,
    link: &Link,
    id: &Identity,
    done: &mut Flushed,
) -> Result<(), SyncError> {
    for (epoch, seq) in outbox::to_send_again(store.conn())? {
        let prev = outbox::chain_at(store.conn(), epoch, seq - 1)?;
        let records = outbox::batch(store.conn(), epoch, seq - 1, 1)?;
        if let Sent::Through(_, _, n) = send(store, link, id, epoch, &prev, records)? {
            done.sent += 1;
            done.quarantined += n;
        }
    }
    Ok(())
}
