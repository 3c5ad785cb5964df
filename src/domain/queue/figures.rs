//! The day's figures from the timed rows: per ticket its waits and service
//! periods, then per group and per window the counts and the median and
//! 90th-percentile times.
//!
//! Wait is every stretch spent waiting: from issue (or a transfer) to the
//! next call. Service is every stretch at a window: from the start (or a
//! call back from hold of a service already started) to a hold, transfer
//! or the end. A repeated call changes neither, and a second start never
//! moves the first: times come only from the rows, never from a counter.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::EventKind;

/// One timed row, as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The ticket's row id.
    pub ticket: i64,
    /// The ticket's group after this row.
    pub group: String,
    /// What happened.
    pub kind: EventKind,
    /// When.
    pub at: DateTime<Utc>,
    /// The window acting, if any.
    pub window: Option<String>,
}

/// One ticket's times, in seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketTimes {
    /// Its group at the end.
    pub group: String,
    /// The window that has it or had it last (called, served, no-show).
    pub window: Option<String>,
    /// Seconds waiting, all stretches.
    pub wait: Option<i64>,
    /// Seconds at a window, all stretches; only for a served ticket.
    pub service: Option<i64>,
    /// Served.
    pub served: bool,
    /// Never came.
    pub no_show: bool,
}

/// The rows of a day in time order, folded per ticket.
pub fn per_ticket(rows: &[Row]) -> BTreeMap<i64, TicketTimes> {
    #[derive(Default)]
    struct Run {
        times: TicketTimes,
        waiting_since: Option<DateTime<Utc>>,
        serving_since: Option<DateTime<Utc>>,
        started: bool,
        waited: i64,
        called: bool,
        served_for: i64,
    }
    let mut runs: BTreeMap<i64, Run> = BTreeMap::new();
    for r in rows {
        let run = runs.entry(r.ticket).or_default();
        run.times.group = r.group.clone();
        let close_service = |run: &mut Run| {
            if let Some(since) = run.serving_since.take() {
                run.served_for += (r.at - since).num_seconds().max(0);
            }
        };
        match r.kind {
            EventKind::Issued | EventKind::Transferred => {
                close_service(run);
                // The next window starts its own service.
                run.started = false;
                run.times.window = None;
                run.waiting_since = Some(r.at);
            }
            EventKind::Called => {
                run.times.window = r.window.clone();
                if let Some(since) = run.waiting_since.take() {
                    run.waited += (r.at - since).num_seconds().max(0);
                    run.called = true;
                }
                // Back from hold: a service already started goes on.
                if run.started && run.serving_since.is_none() {
                    run.serving_since = Some(r.at);
                }
            }
            EventKind::Recalled => {}
            EventKind::Started => {
                run.started = true;
                if run.serving_since.is_none() {
                    run.serving_since = Some(r.at);
                }
            }
            EventKind::Held => close_service(run),
            EventKind::Served => {
                close_service(run);
                run.times.served = true;
            }
            EventKind::NoShow => {
                close_service(run);
                run.times.no_show = true;
            }
        }
    }
    runs.into_iter()
        .map(|(id, mut run)| {
            if run.called {
                run.times.wait = Some(run.waited);
            }
            if run.times.served {
                run.times.service = Some(run.served_for);
            }
            (id, run.times)
        })
        .collect()
}

/// Counts and times of one group or window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Tickets (issued into a group, or called at a window).
    pub tickets: usize,
    /// Served.
    pub served: usize,
    /// No-shows.
    pub no_shows: usize,
    /// Still waiting or at a window.
    pub open: usize,
    /// Median wait, seconds.
    pub wait_p50: Option<i64>,
    /// 90th-percentile wait, seconds.
    pub wait_p90: Option<i64>,
    /// Median service, seconds.
    pub service_p50: Option<i64>,
    /// 90th-percentile service, seconds.
    pub service_p90: Option<i64>,
}

/// The day's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// The whole hall.
    pub hall: Line,
    /// Per group code.
    pub groups: BTreeMap<String, Line>,
    /// Per window number (the window that has the ticket or had it last).
    pub windows: BTreeMap<String, Line>,
}

/// The nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

fn line<'a>(tickets: impl Iterator<Item = &'a TicketTimes>) -> Line {
    let mut l = Line::default();
    let mut waits = Vec::new();
    let mut services = Vec::new();
    for t in tickets {
        l.tickets += 1;
        if t.served {
            l.served += 1;
        } else if t.no_show {
            l.no_shows += 1;
        } else {
            l.open += 1;
        }
        waits.extend(t.wait);
        services.extend(t.service);
    }
    waits.sort_unstable();
    services.sort_unstable();
    l.wait_p50 = percentile(&waits, 0.5);
    l.wait_p90 = percentile(&waits, 0.9);
    l.service_p50 = percentile(&services, 0.5);
    l.service_p90 = percentile(&services, 0.9);
    l
}

/// The figures of a day's rows (in time order).
pub fn figures(rows: &[Row]) -> Figures {
    let tickets = per_ticket(rows);
    let mut by_group: BTreeMap<String, Vec<&TicketTimes>> = BTreeMap::new();
    let mut by_window: BTreeMap<String, Vec<&TicketTimes>> = BTreeMap::new();
    for t in tickets.values() {
        by_group.entry(t.group.clone()).or_default().push(t);
        if let Some(w) = &t.window {
            by_window.entry(w.clone()).or_default().push(t);
        }
    }
    Figures {
        hall: line(tickets.values()),
        groups: by_group
            .into_iter()
            .map(|(g, v)| (g, line(v.into_iter())))
            .collect(),
        windows: by_window
            .into_iter()
            .map(|(w, v)| (w, line(v.into_iter())))
            .collect(),
    }
}

/// Minutes a new ticket may expect to wait: the people ahead times the
/// day's median service time of its group, shared by the windows serving
/// it; before any service today, `default_minutes` per person.
pub fn estimated_wait_minutes(
    ahead: usize,
    service_p50_seconds: Option<i64>,
    windows: usize,
    default_minutes: u32,
) -> u32 {
    let per_person = service_p50_seconds
        .map(|s| s as f64 / 60.0)
        .unwrap_or(default_minutes as f64);
    let minutes = ahead as f64 * per_person / windows.max(1) as f64;
    minutes.ceil() as u32
}

/// "4:05" (minutes and seconds) from seconds, "—" for none.
pub fn min_sec(secs: Option<i64>) -> String {
    match secs {
        None => "—".into(),
        Some(s) => format!("{}:{:02}", s / 60, s % 60),
    }
}
