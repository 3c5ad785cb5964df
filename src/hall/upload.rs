//! The hall service's own upload: every ticket that ended, with its whole
//! history, goes to HQ as a record of the hall's own chain (its counter ID
//! fixed in the hall's file), through the same link and batch format as a
//! counter's records. Exactly once: HQ acknowledges what it holds, and a
//! record is marked sent only then.

use std::path::PathBuf;
use std::time::Duration;

use super::store::HallStore;
use crate::clock::Clock;
use crate::config::HqLink;
use crate::domain::upload::{Batch, Refusal};
use crate::store::stamp::ts;
use crate::sync::link::{Answer, Link};

/// Starts the uploader on a thread of its own, with its own connection to
/// the hall's file; nothing when no HQ is configured.
pub fn start(path: PathBuf, counter: String, hq: HqLink, clock: Clock) -> Result<bool, String> {
    let Some(link) = Link::from_config(&hq).map_err(|e| crate::i18n::for_log(&e.msg()))? else {
        return Ok(false);
    };
    let mut store = HallStore::open(&path).map_err(|e| e.to_string())?;
    let every = Duration::from_secs(hq.interval_seconds.max(1));
    let batch = hq.batch_size.max(1) as usize;
    std::thread::spawn(move || loop {
        match pass(&mut store, &link, &counter, batch, &clock) {
            Ok(0) => std::thread::sleep(every),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "hall records not uploaded");
                std::thread::sleep(every);
            }
        }
    });
    Ok(true)
}

/// Sends one batch; how many records HQ acknowledged.
fn pass(
    store: &mut HallStore,
    link: &Link,
    counter: &str,
    batch: usize,
    clock: &Clock,
) -> Result<i64, String> {
    let (records, prev_chain, waiting, oldest) = store.unsent(batch).map_err(|e| e.to_string())?;
    let Some(first) = records.first().map(|r| r.seq) else {
        return Ok(0);
    };
    let b = Batch {
        counter: counter.to_string(),
        epoch: 1,
        prev_chain,
        epoch_first: 1,
        records,
        waiting,
        oldest_waiting_at: oldest,
        sent_at: ts(clock.now()),
    };
    match link.send(&b).map_err(|e| crate::i18n::for_log(&e.msg()))? {
        Answer::Ack(ack) => {
            store.acknowledge(ack.through).map_err(|e| e.to_string())?;
            Ok((ack.through - first + 1).max(0))
        }
        // HQ holds these already (an acknowledgement lost on the way).
        Answer::Refused(Refusal::Gap { expected }) if expected > first => {
            store.acknowledge(expected - 1).map_err(|e| e.to_string())?;
            Ok(expected - first)
        }
        Answer::Refused(r) => Err(format!("HQ refused the hall's batch: {r:?}")),
    }
}
