//! Pulling what HQ publishes: pages of the feed after the local mark, each
//! applied with its sequence in one transaction.

use super::link::Link;
use super::SyncError;
use crate::domain::case::CaseRules;
use crate::store::{hq_feed, Store};

/// Items per request.
const PAGE: i64 = 2000;

/// Pulls until HQ has nothing newer; returns how many items were applied.
/// `plan` says which cases HQ finishes wait for a return visit here.
pub fn pull(store: &mut Store, link: &Link, plan: &CaseRules) -> Result<i64, SyncError> {
    let mut applied = 0;
    loop {
        let after = hq_feed::high_water(store.conn())?;
        let feed = link.feed(after, PAGE)?;
        if feed.items.is_empty() {
            return Ok(applied);
        }
        applied += hq_feed::apply_page(store, &feed.items, Some(plan))?;
        if feed.items.last().is_none_or(|i| i.hq_seq >= feed.last) {
            return Ok(applied);
        }
    }
}
