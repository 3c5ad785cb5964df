//! Trainer reports: per class and skill, the weakest skills, CSV files.

use crate::store::lab::RunRow;

/// One CSV field, quoted when it needs to be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Per class and skill: points, possible, percent.
pub fn skills_csv(rows: &[(String, String, i64, i64)]) -> String {
    let mut out = String::from("class,skill,points,possible,percent\n");
    for (class, skill, got, max) in rows {
        let pct = if *max > 0 { got * 100 / max } else { 0 };
        out.push_str(&format!(
            "{},{},{got},{max},{pct}\n",
            field(class),
            field(skill)
        ));
    }
    out
}

/// Every run: who, scenario, state, score, time, keys.
pub fn runs_csv(runs: &[RunRow]) -> String {
    let mut out = String::from(
        "run,staff_no,name,class,scenario,exam,started_at,state,points,possible,seconds,keys\n",
    );
    for r in runs {
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.id,
            field(&r.staff_no),
            field(&r.person),
            field(&r.class),
            field(&r.scenario),
            opt(r.exam_id),
            r.started_at,
            r.state,
            opt(r.total),
            opt(r.max),
            opt(r.elapsed_ms.map(|ms| ms / 1000)),
            r.keys
        ));
    }
    out
}

/// A class's weakest skill and its percentage, when it has any points possible.
pub fn weakest(rows: &[(String, String, i64, i64)], class: &str) -> Option<(String, i64)> {
    rows.iter()
        .filter(|(c, _, _, max)| c == class && *max > 0)
        .map(|(_, s, got, max)| (s.clone(), got * 100 / max))
        .min_by_key(|(_, pct)| *pct)
}
