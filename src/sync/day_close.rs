//! Day-close records: at each shift close (partial) and once a day is over
//! (final), the counter records what it wrote that day — count, sequence
//! range, amount sum, hash sum and the chain head — as a record of its own,
//! uploaded like any other, so HQ and anyone else can check agreement.

use chrono::Local;
use serde_json::json;

use crate::store::outbox::{self, DAY_CLOSE};
use crate::store::stamp::day as day_text;
use crate::store::{Event, Store, StoreError};

/// Writes the day-close record of `day` for the current epoch.
pub fn close_day(
    store: &mut Store,
    actor: Option<i64>,
    day: &str,
    final_: bool,
) -> Result<(), StoreError> {
    store.write(actor, |tx, _| {
        let id = outbox::identity(tx)?;
        let digest = outbox::day_digest(tx, id.epoch, day)?;
        let head = outbox::head(tx)?;
        let detail = json!({
            "day": day,
            "final": final_,
            "epoch": id.epoch,
            "digest": digest,
            "chain_head": head.as_ref().map(|h| h.chain.clone()),
            "head_seq": head.map(|h| h.seq),
        });
        Ok(((), Event::new(DAY_CLOSE, day, detail)))
    })
}

/// Writes the final close of every earlier day that has records but none.
pub fn close_past_days(store: &mut Store) -> Result<usize, StoreError> {
    let today = day_text(store.clock().now().with_timezone(&Local).date_naive());
    let epoch = outbox::identity(store.conn())?.epoch;
    let days = outbox::days_to_close(store.conn(), epoch, &today)?;
    for d in &days {
        close_day(store, None, d, true)?;
    }
    Ok(days.len())
}
