//! Pulling what HQ publishes: pages of the feed after the local mark, each
//! applied with its sequence in one transaction.

use super::link::Link;
use super::SyncError;
use crate::store::{hq_feed, Store};

/// Items per request.
const PAGE: i64 = 2000;

/// Pulls until HQ has nothing newer; returns how many items were applied.
pub fn pull(store: &mut Store, link: &Link) -> Result<i64, SyncError> {
    let mut applied = 0;
    loop {
        let after = hq_feed::high_water(store.conn())?;
        let feed = link.feed(after, PAGE)?;
        if feed.items.is_empty() {
            return Ok(applied);
        }
        applied += store.scratch(|tx, _| hq_feed::apply(tx, &feed.items))?;
        if feed.items.last().is_none_or(|i| i.hq_seq >= feed.last) {
            return Ok(applied);
        }
    }
}
