//! Pruning: a day whose records are all acknowledged, whose final day-close
//! record HQ acknowledged, and whose digest HQ confirms, keeps its records
//! for `keep_days` more days and then only its day-close record. Nothing is
//! removed that HQ does not hold the same.

use chrono::{Duration, Local};

use super::link::Link;
use super::SyncError;
use crate::store::outbox;
use crate::store::stamp::day as day_text;
use crate::store::Store;

/// Prunes what may go; returns how many records were removed.
pub fn prune(store: &mut Store, link: &Link, keep_days: u32) -> Result<usize, SyncError> {
    let today = store.clock().now().with_timezone(&Local).date_naive();
    let before = day_text(today - Duration::days(i64::from(keep_days)));
    let candidates = outbox::prunable_days(store.conn(), &before)?;
    if candidates.is_empty() {
        return Ok(0);
    }
    let theirs = link.days()?;
    let mine = outbox::day_digests(store.conn())?;
    let mut removed = 0;
    for (epoch, d) in candidates {
        let here = mine
            .iter()
            .find(|(e, x, _)| *e == epoch && *x == d)
            .map(|m| &m.2);
        let there = theirs
            .iter()
            .find(|s| s.epoch == epoch && s.day == d)
            .map(|s| &s.digest);
        if here.is_some() && here == there {
            removed += store.scratch(|tx, _| outbox::prune_day(tx, epoch, &d))?;
            tracing::info!(epoch, day = %d, "reconciled day pruned");
        }
    }
    Ok(removed)
}
