//! `sync --check`: compares the counter's days with HQ's by count, sequence
//! range, amount sum and an order-independent hash sum, and narrows every
//! mismatch to the sequence ranges that differ by splitting the range in
//! halves and comparing again.

use std::collections::BTreeMap;

use super::link::Link;
use super::SyncError;
use crate::domain::upload::{compare, halves, set_aside, DayDifference, Digest};
use crate::store::audit::{self, AcknowledgedLoss};
use crate::store::{outbox, Store};

/// A range narrower than this is reported as it is.
const LEAF: i64 = 4;

/// One (epoch, day) compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCheck {
    pub epoch: i64,
    pub day: String,
    /// What the counter holds.
    pub counter: Option<Digest>,
    /// What HQ holds.
    pub hq: Option<Digest>,
    /// The verdict.
    pub difference: DayDifference,
    /// Sequence ranges that differ, unexplained.
    pub ranges: Vec<(i64, i64)>,
    /// Sequence ranges that differ inside a loss this counter acknowledged
    /// (a restore), with the acknowledgement: HQ keeps those records.
    pub acknowledged: Vec<(i64, i64, AcknowledgedLoss)>,
}

impl DayCheck {
    /// Nothing differs, or nothing but what a recorded loss explains.
    pub fn settled(&self) -> bool {
        self.difference == DayDifference::Agree
            || (self.ranges.is_empty() && !self.acknowledged.is_empty())
    }
}

/// Compares every day (or only `day`).
pub fn check(store: &Store, link: &Link, day: Option<&str>) -> Result<Vec<DayCheck>, SyncError> {
    let mut days: BTreeMap<(i64, String), (Option<Digest>, Option<Digest>)> = BTreeMap::new();
    // A pruned day is what its final day-close record says it held.
    for (epoch, d, digest) in outbox::closed_days(store.conn())? {
        days.entry((epoch, d)).or_default().0 = Some(digest);
    }
    for (epoch, d, digest) in outbox::day_digests(store.conn())? {
        days.entry((epoch, d)).or_default().0 = Some(digest);
    }
    for s in link.days()? {
        days.entry((s.epoch, s.day)).or_default().1 = Some(s.digest);
    }
    let losses = audit::acknowledged_losses(store.conn())?;
    let mut out = Vec::new();
    for ((epoch, d), (mine, theirs)) in days {
        if day.is_some_and(|x| x != d) {
            continue;
        }
        let difference = compare(mine.as_ref(), theirs.as_ref());
        let mut ranges = Vec::new();
        if difference != DayDifference::Agree {
            let lo = [&mine, &theirs]
                .iter()
                .filter_map(|x| x.as_ref())
                .map(|x| x.first_seq)
                .min();
            let hi = [&mine, &theirs]
                .iter()
                .filter_map(|x| x.as_ref())
                .map(|x| x.last_seq)
                .max();
            if let (Some(lo), Some(hi)) = (lo, hi) {
                narrow(store, link, epoch, &d, lo, hi, &mut ranges)?;
            }
        }
        let of_epoch: Vec<&AcknowledgedLoss> = losses.iter().filter(|l| l.epoch == epoch).collect();
        let spans: Vec<(i64, i64)> = of_epoch.iter().map(|l| (l.from, l.to)).collect();
        let (ranges, known) = set_aside(&merge(ranges), &spans);
        let acknowledged = known
            .into_iter()
            .filter_map(|(lo, hi)| {
                of_epoch
                    .iter()
                    .find(|l| l.from <= lo && hi <= l.to)
                    .map(|l| (lo, hi, (*l).clone()))
            })
            .collect();
        out.push(DayCheck {
            epoch,
            day: d,
            counter: mine,
            hq: theirs,
            difference,
            ranges,
            acknowledged,
        });
    }
    Ok(out)
}

fn narrow(
    store: &Store,
    link: &Link,
    epoch: i64,
    day: &str,
    lo: i64,
    hi: i64,
    out: &mut Vec<(i64, i64)>,
) -> Result<(), SyncError> {
    let mine = outbox::range_digest(store.conn(), epoch, day, lo, hi)?;
    let theirs = link.digest(epoch, day, lo, hi)?;
    if mine == theirs {
        return Ok(());
    }
    match halves(lo, hi) {
        Some((a, b)) if hi - lo >= LEAF => {
            narrow(store, link, epoch, day, a.0, a.1, out)?;
            narrow(store, link, epoch, day, b.0, b.1, out)
        }
        _ => {
            out.push((lo, hi));
            Ok(())
        }
    }
}

fn merge(mut ranges: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    ranges.sort();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1 + 1 => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}
