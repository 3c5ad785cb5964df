//! What HQ's status page says of the halls' queues: per day and hall the
//! tickets that ended at the hall service (served, no-shows, green
//! channel, median wait) and the visits the windows recorded.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// One day of one hall.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HallQueue {
    pub day: String,
    pub hall: String,
    /// Tickets that ended, from the hall service.
    pub tickets: i64,
    pub served: i64,
    pub no_shows: i64,
    pub green: i64,
    /// Median wait of those tickets, seconds.
    pub wait_p50: Option<i64>,
    /// Visits the windows recorded.
    pub visits: i64,
}

fn wait_of(events: &[Value]) -> Option<i64> {
    use crate::domain::queue::figures::{per_ticket, Row};
    use crate::domain::queue::EventKind;
    let rows: Vec<Row> = events
        .iter()
        .filter_map(|e| {
            Some(Row {
                ticket: 0,
                group: e["group"].as_str()?.to_string(),
                kind: EventKind::from_code(e["kind"].as_str()?)?,
                at: crate::store::stamp::parse_ts(e["at"].as_str()?)?,
                window: e["window"].as_str().map(str::to_string),
            })
        })
        .collect();
    per_ticket(&rows).get(&0).and_then(|t| t.wait)
}

/// Reads (counter, kind, payload) records; `hall` names a counter's hall.
pub fn of_records(
    records: &[(String, String, String)],
    hall: &dyn Fn(&str) -> String,
) -> Vec<HallQueue> {
    let mut days: BTreeMap<(String, String), (HallQueue, Vec<i64>)> = BTreeMap::new();
    for (counter, kind, payload) in records {
        let Ok(v) = serde_json::from_str::<Value>(payload) else {
            continue;
        };
        let day = v["day"].as_str().unwrap_or_default().to_string();
        let h = hall(counter);
        let (e, waits) = days.entry((day.clone(), h.clone())).or_insert_with(|| {
            (
                HallQueue {
                    day,
                    hall: h,
                    ..HallQueue::default()
                },
                Vec::new(),
            )
        });
        let rows = &v["record"]["rows"];
        match kind.as_str() {
            "queue.ticket" => {
                let Some(t) = rows["ticket"].get(0) else {
                    continue;
                };
                e.tickets += 1;
                match t["state"].as_str() {
                    Some("served") => e.served += 1,
                    Some("no_show") => e.no_shows += 1,
                    _ => {}
                }
                if t["green"].as_bool() == Some(true) {
                    e.green += 1;
                }
                let events = rows["ticket_event"].as_array().cloned().unwrap_or_default();
                waits.extend(wait_of(&events));
            }
            "queue.visit" => e.visits += 1,
            _ => {}
        }
    }
    days.into_values()
        .rev()
        .map(|(mut q, mut waits)| {
            waits.sort_unstable();
            q.wait_p50 = crate::domain::queue::figures::percentile(&waits, 0.5);
            q
        })
        .collect()
}
