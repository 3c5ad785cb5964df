//! HQ's public progress look-up: one case among many application records,
//! read by its stored key, beside the scan of every application record's
//! payload that the page did before the keys, in the same run.

use super::*;
use counterdesk::hq;

/// A store of `cases` accepted applications from 50 counters, each with a
/// customer record, written straight in SQL through HQ's own schema.
fn fill(store: &Path, cases: usize) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", store.display()));
    }
    drop(hq::open(&store.display().to_string()).expect("hq store"));
    let mut c = rusqlite::Connection::open(store).expect("open");
    let tx = c.transaction().expect("tx");
    {
        let mut record = tx
            .prepare(
                "INSERT INTO record (counter, epoch, seq, day, kind, amount, sha256, chain,
                                     rejected, received_at, payload)
                 VALUES (?1, 1, ?2, '2026-12-07', ?3, 0, 'x', 'x', NULL, '2026-12-07', ?4)",
            )
            .expect("record");
        let mut key = tx
            .prepare("INSERT INTO lookup_key (key, counter, epoch, seq) VALUES (?1, ?2, 1, ?3)")
            .expect("key");
        for i in 0..cases {
            let counter = format!("C-{:02}", i % 50);
            let n = (i / 50) as i64;
            let ticket = format!("SL20261207-{:02}-{n:05}", i % 50);
            let customer = serde_json::json!({"kind": "customer.registered", "record": {"rows": {
                "customer": [{"id": n + 1, "id_no": format!("1101051949123{:05}", n % 100_000),
                              "name": "王秀英", "phone": "13800138000", "address": "北京市朝阳区人民路1号"}]}}});
            let app = serde_json::json!({"kind": "application.accepted", "record": {"rows": {
                "application": [{"ticket_no": ticket, "customer_id": n + 1, "form_code": "lv_residential_new",
                                 "status": "open", "accepted_at": "2026-12-07T02:00:00.000Z"}],
                "application_step": (1..=5).map(|s| serde_json::json!({"seq": s, "name_zh": "受理签约",
                    "name_en": "Application", "status": "to_come", "due_date": "2026-12-14"})).collect::<Vec<_>>(),
                "application_material": (1..=4).map(|_| serde_json::json!({"name_zh": "用电地址物权证明",
                    "name_en": "Title deed", "status": "received", "due_date": null})).collect::<Vec<_>>()}}});
            for (seq, kind, payload, k) in [
                (
                    2 * n + 1,
                    "customer.registered",
                    customer,
                    hq::progress::customer_key(n + 1),
                ),
                (
                    2 * n + 2,
                    "application.accepted",
                    app,
                    hq::progress::ticket_key(&ticket),
                ),
            ] {
                record
                    .execute(rusqlite::params![counter, seq, kind, payload.to_string()])
                    .expect("insert");
                key.execute(rusqlite::params![k, counter, seq])
                    .expect("key");
            }
        }
    }
    tx.execute(
        "INSERT OR IGNORE INTO tally (key, value) VALUES ('lookup_keys', 1)",
        [],
    )
    .expect("tally");
    tx.commit().expect("commit");
}

pub fn bench_progress(quick: bool) {
    let cases = if quick { 2_000 } else { 200_000 };
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/hq-progress.db");
    fill(&store, cases);
    let mut hq = hq::open(&store.display().to_string()).expect("hq");
    let rounds = if quick { 5 } else { 30 };
    let (mut keyed, mut scanned) = (Vec::new(), Vec::new());
    for r in 0..rounds {
        let i = (r * 7919) % cases;
        let ticket = format!("SL20261207-{:02}-{:05}", i % 50, i / 50);
        let key = hq::progress::ticket_key(&ticket);
        let t = Instant::now();
        let found = hq.records_keyed("application", &key).expect("keyed");
        keyed.push(t.elapsed());
        assert_eq!(found.len(), 1, "one case per ticket");
        let needle = format!("\"ticket_no\":{}", serde_json::json!(ticket));
        let t = Instant::now();
        let all = hq.records_mentioning("application", &needle).expect("scan");
        scanned.push(t.elapsed());
        assert_eq!(all, found, "the key finds what the scan finds");
    }
    keyed.sort();
    scanned.sort();
    let k = percentile(&keyed, 0.5);
    let s = percentile(&scanned, 0.5);
    report(
        &format!("progress look-up by key, {cases} cases"),
        keyed,
        "p99 < 50 ms",
    );
    report(
        "the same by scanning every application",
        scanned,
        "comparison",
    );
    println!(
        "{:<44} {:.4}x",
        "by key / by scan (medians)",
        k.as_secs_f64() / s.as_secs_f64().max(1e-9)
    );
}
