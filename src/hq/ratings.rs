//! What HQ's status page says of the counters' ratings: per day and hall
//! the ratings taken, poor and not rated, and every poor rating whose case
//! is still open. Read from the rating records as they arrived: the last
//! record of a rating holds its whole state.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// One day of one hall.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HallRatings {
    pub day: String,
    pub hall: String,
    pub rated: i64,
    /// Of them, 基本满意 or better.
    pub satisfied: i64,
    pub poor: i64,
    pub not_rated: i64,
}

/// A poor rating still waiting for its return visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenPoor {
    pub hall: String,
    pub counter: String,
    pub reference: String,
    pub level: String,
    pub visit_due: String,
    pub rectify_due: String,
}

fn day_of(at: &str) -> String {
    // The day the counter wrote it in (its records carry the local day).
    at.get(..10).unwrap_or_default().to_string()
}

/// Reads (counter, kind, payload) records; `hall` names a counter's hall.
pub fn of_records(
    records: &[(String, String, String)],
    hall: &dyn Fn(&str) -> String,
) -> (Vec<HallRatings>, Vec<OpenPoor>) {
    // The last state of each rating, by counter and reference.
    let mut last: BTreeMap<(String, String), (String, Value)> = BTreeMap::new();
    for (counter, _kind, payload) in records {
        let Ok(v) = serde_json::from_str::<Value>(payload) else {
            continue;
        };
        let day = v["day"].as_str().map(str::to_string).unwrap_or_default();
        let rows = &v["record"]["rows"];
        let Some(rating) = rows["rating"].get(0) else {
            continue;
        };
        let reference = rating["reference"].as_str().unwrap_or_default().to_string();
        let day = if day.is_empty() {
            day_of(rating["asked_at"].as_str().unwrap_or_default())
        } else {
            day
        };
        let entry = last
            .entry((counter.clone(), reference))
            .or_insert_with(|| (day.clone(), Value::Null));
        entry.1 = rows.clone();
    }
    let mut days: BTreeMap<(String, String), HallRatings> = BTreeMap::new();
    let mut open = Vec::new();
    for ((counter, reference), (day, rows)) in &last {
        let h = hall(counter);
        let rating = &rows["rating"][0];
        let e = days
            .entry((day.clone(), h.clone()))
            .or_insert_with(|| HallRatings {
                day: day.clone(),
                hall: h.clone(),
                ..HallRatings::default()
            });
        let level = rating["level"].as_str().unwrap_or_default();
        match rating["state"].as_str() {
            Some("rated") => {
                e.rated += 1;
                if level == "dissatisfied" || level == "very_dissatisfied" {
                    e.poor += 1;
                } else {
                    e.satisfied += 1;
                }
            }
            Some("not_rated") => e.not_rated += 1,
            _ => {}
        }
        if let Some(case) = rows["poor_rating"].get(0) {
            if case["closed_at"].is_null() {
                open.push(OpenPoor {
                    hall: h,
                    counter: counter.clone(),
                    reference: reference.clone(),
                    level: level.to_string(),
                    visit_due: case["visit_due"].as_str().unwrap_or_default().to_string(),
                    rectify_due: case["rectify_due"].as_str().unwrap_or_default().to_string(),
                });
            }
        }
    }
    open.sort_by(|a, b| a.visit_due.cmp(&b.visit_due));
    (days.into_values().rev().collect(), open)
}
