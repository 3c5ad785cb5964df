//! The upload figures: a 100,000-record backlog reaching a loopback HQ on
//! each store; keystrokes while the uploader works; HQ on PostgreSQL taking
//! batches from 50 counters at once beside PostgreSQL's own COPY of the
//! same rows; the customers search by account number among 1,000,000
//! accounts. PostgreSQL parts need COUNTERDESK_TEST_PG (scripts/test.sh
//! starts a server and sets it); without it they say so and are skipped.

use super::*;

use std::net::SocketAddr;
use std::sync::mpsc;

use counterdesk::hq::{self, server, tokens, TokenOwner};
use counterdesk::store::{outbox, Event};
use counterdesk::sync::link::Link;

const TOKEN_DAYS: i64 = 30;

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench")
}

fn remove_db(db: &Path) {
    for ext in ["", "-wal", "-shm", ".lock", ".seal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
}

/// A fresh PostgreSQL database on the test server, if there is one.
fn pg_database(name: &str) -> Option<String> {
    let admin = std::env::var("COUNTERDESK_TEST_PG").ok()?;
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).ok()?;
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .ok()?;
    c.batch_execute(&format!("CREATE DATABASE {name}")).ok()?;
    let base = admin.rsplit_once('/')?.0;
    Some(format!("{base}/{name}"))
}

/// HQ in this process on a loopback port; returns its address.
fn start_hq(store: &str, workers: usize) -> SocketAddr {
    let (tx, rx) = mpsc::channel();
    let opts = server::ServeOptions {
        listen: "127.0.0.1:0".parse().expect("addr"),
        store: store.to_string(),
        tls: None,
        workers,
        rules: hq::Rules::default(),
        web_login: None,
        clock_tolerance_seconds: 300,
        max_body_bytes: 16 * 1024 * 1024,
        max_bodies: 8,
        clock: Clock::system(),
        progress_per_minute: 10,
        businesses: Default::default(),
    };
    std::thread::spawn(move || {
        let _ = server::serve(opts, |addr| {
            let _ = tx.send(addr);
        });
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("HQ started")
}

fn token_for(store: &str, counter: &str) -> String {
    let token = tokens::new_token().expect("token");
    let expires =
        counterdesk::store::stamp::ts(chrono::Utc::now() + chrono::Duration::days(TOKEN_DAYS));
    let owner = TokenOwner {
        counter: counter.into(),
        hall: "bench".into(),
    };
    hq::open(store)
        .expect("store")
        .issue_token(&tokens::token_sha(&token), &owner, &expires)
        .expect("issue");
    token
}

fn counter_config(db: &Path, addr: SocketAddr, counter: &str, token: &str) -> Config {
    let token_file = db.with_extension("token");
    std::fs::write(&token_file, token).expect("token file");
    let mut c = config(db);
    c.hq.url = format!("http://{addr}");
    c.hq.counter_id = counter.into();
    c.hq.token_file = token_file;
    c.hq.batch_size = 1000;
    c.hq.interval_seconds = 1;
    c
}

/// Queues `n` outbox records (payment-sized payloads) in one transaction.
fn backlog(db: &Path, n: usize) {
    let mut store = Store::open(db, Clock::system()).expect("store");
    store
        .scratch(|tx, now| {
            for i in 0..n {
                let detail = serde_json::json!({
                    "receipt": format!("R1-{i:08}"), "due": 12850, "late_fee": 0,
                    "tenders": [{"method": "cash", "amount": 20000, "reference": null}],
                    "account": format!("0591{i:07}"), "period": "2026-10",
                });
                let event = Event::new("payment.bill", format!("R1-{i:08}"), detail).moving(12850);
                outbox::push(tx, now, Some(1), (0, "bench"), &event, None)?;
            }
            Ok(())
        })
        .expect("backlog");
}

pub fn bench_upload_backlog(quick: bool) {
    let n = if quick { 2_000 } else { 100_000 };
    let mut stores = vec![(
        "SQLite".to_string(),
        bench_dir().join("hq-bench.db").display().to_string(),
    )];
    remove_db(Path::new(&stores[0].1));
    match pg_database("cd_bench_backlog") {
        Some(url) => stores.push(("PostgreSQL".into(), url)),
        None => println!(
            "{:<44} skipped: COUNTERDESK_TEST_PG is not set",
            "backlog to HQ on PostgreSQL"
        ),
    }
    for (name, store) in stores {
        let addr = start_hq(&store, 8);
        let db = bench_dir().join(format!("backlog-{name}.db"));
        remove_db(&db);
        let token = token_for(&store, "BENCH-1");
        let mut desk = open_desk_with(counter_config(&db, addr, "BENCH-1", &token));
        drop(desk);
        backlog(&db, n);
        desk = open_desk_with(counter_config(&db, addr, "BENCH-1", &token));
        let start = Instant::now();
        let sent = desk.flush_upload(&mut |_, _| {}).expect("flush");
        let took = start.elapsed();
        let held = hq::open(&store)
            .expect("hq")
            .identities("BENCH-1")
            .expect("ids")
            .len();
        assert_eq!(held as i64, sent.sent, "HQ holds what was sent");
        println!(
            "{:<44} {} records in {:.2} s ({:.0}/s)  target: < 20 s ({:.2}x of the limit)",
            format!("{n}-record backlog to HQ on {name}"),
            sent.sent,
            took.as_secs_f64(),
            sent.sent as f64 / took.as_secs_f64(),
            took.as_secs_f64() / 20.0
        );
    }
}

pub fn bench_keys_while_uploading(quick: bool) {
    let n = if quick { 5_000 } else { 100_000 };
    let store = bench_dir().join("hq-keys.db").display().to_string();
    remove_db(Path::new(&store));
    let addr = start_hq(&store, 1);
    let db = bench_dir().join("keys-uploading.db");
    remove_db(&db);
    let token = token_for(&store, "BENCH-KEYS");
    let mut desk = open_desk_with(counter_config(&db, addr, "BENCH-KEYS", &token));
    desk.demo_data(if quick { 500 } else { 20_000 }, 7, |_| {})
        .expect("demo");
    drop(desk);
    let ids = sample_ids(&db, 300);
    backlog(&db, n);
    let mut desk = open_desk_with(counter_config(&db, addr, "BENCH-KEYS", &token));
    desk.start_sync();
    let mut app = App::new(desk, Lang::Zh);
    crate::sign_in(&mut app);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let mut waiting_seen = Vec::new();
    let start = Instant::now();
    let samples = type_ids(&mut app, &mut terminal, &ids, |app| {
        let status = app.desk.link_status().unwrap_or_default();
        waiting_seen.push(status.waiting);
        (status.waiting == 0 && status.last_success.is_some())
            || start.elapsed() > Duration::from_secs(120)
    });
    let most = waiting_seen.iter().copied().max().unwrap_or(0);
    println!(
        "{:<44} uploader drained {most} waiting records in {:.1} s while typing",
        "keystrokes while uploading",
        start.elapsed().as_secs_f64()
    );
    report("keystroke + redraw while uploading", samples, "p99 < 4 ms");
}

pub fn bench_hq_ingest(quick: bool) {
    let Some(url) = pg_database("cd_bench_ingest") else {
        println!(
            "{:<44} skipped: COUNTERDESK_TEST_PG is not set",
            "HQ ingest on PostgreSQL"
        );
        return;
    };
    let counters = 50;
    let per = if quick { 100 } else { 2_000 };
    let addr = start_hq(&url, 16);
    let mut links = Vec::new();
    for i in 0..counters {
        let id = format!("BENCH-C{i:02}");
        let db = bench_dir().join(format!("ingest-{i:02}.db"));
        remove_db(&db);
        let token = token_for(&url, &id);
        let cfg = counter_config(&db, addr, &id, &token);
        drop(open_desk_with(cfg.clone()));
        backlog(&db, per);
        links.push(cfg);
    }
    let start = Instant::now();
    let threads: Vec<_> = links
        .into_iter()
        .map(|cfg| {
            std::thread::spawn(move || {
                let link = Link::from_config(&cfg.hq).expect("link").expect("url");
                let mut store = Store::open(&cfg.database, Clock::system()).expect("store");
                counterdesk::sync::upload::flush(&mut store, &link, 500, &mut |_, _| {})
                    .expect("flush")
                    .sent
            })
        })
        .collect();
    let sent: i64 = threads
        .into_iter()
        .map(|t| t.join().expect("counter"))
        .sum();
    let took = start.elapsed();
    let ingest_rate = sent as f64 / took.as_secs_f64();
    // The ceiling: PostgreSQL's COPY of the same rows into the same table shape.
    let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("pg");
    c.batch_execute("CREATE TABLE record_copy (LIKE record INCLUDING ALL)")
        .expect("copy table");
    let mut csv = Vec::new();
    {
        let mut w = ::csv::Writer::from_writer(&mut csv);
        for r in c
            .query(
                "SELECT counter, epoch::text, seq::text, day, kind, amount::text, sha256, chain,
                        coalesce(rejected, ''), received_at, payload FROM record",
                &[],
            )
            .expect("rows")
        {
            let row: Vec<String> = (0..11).map(|i| r.get::<_, String>(i)).collect();
            w.write_record(&row).expect("csv");
        }
        w.flush().expect("flush");
    }
    let t = Instant::now();
    let mut copy = c
        .copy_in("COPY record_copy FROM STDIN WITH (FORMAT csv)")
        .expect("copy");
    std::io::Write::write_all(&mut copy, &csv).expect("copy rows");
    let copied = copy.finish().expect("copy done");
    let copy_took = t.elapsed();
    let copy_rate = copied as f64 / copy_took.as_secs_f64();
    println!(
        "{:<44} {sent} records from {counters} counters in {:.2} s = {:.0}/s  target: >= 5000/s",
        "HQ on PostgreSQL ingest",
        took.as_secs_f64(),
        ingest_rate
    );
    println!(
        "{:<44} {copied} rows in {:.2} s = {:.0}/s  (ingest is {:.2} of COPY; aim >= 0.5)",
        "PostgreSQL COPY of the same rows",
        copy_took.as_secs_f64(),
        copy_rate,
        ingest_rate / copy_rate
    );
}

pub fn bench_account_lookup(db: &Path, quick: bool) {
    let want: i64 = if quick { 2_000 } else { 1_000_000 };
    let conn = rusqlite::Connection::open(db).expect("db");
    // hq_account arrives with the upload migration; the desk adds it.
    drop(open_desk(db));
    let have: i64 = conn
        .query_row("SELECT count(*) FROM hq_account", [], |r| r.get(0))
        .expect("count");
    if have < want {
        let t = Instant::now();
        conn.execute_batch(&format!(
            "BEGIN; DELETE FROM hq_account;
             INSERT INTO hq_account (account_no, holder_name, holder_id, address, state, hq_seq)
             SELECT printf('05%08d', id), name, id_no, coalesce(address, ''), 'normal', id
             FROM customer ORDER BY id LIMIT {want}; COMMIT;"
        ))
        .expect("accounts");
        println!(
            "{:<44} {want} accounts in {:.1} s",
            "accounts sent down (fixture)",
            t.elapsed().as_secs_f64()
        );
    }
    let n: i64 = conn
        .query_row("SELECT count(*) FROM hq_account", [], |r| r.get(0))
        .expect("count");
    let desk = open_desk(db);
    let mut rng = fastrand::Rng::with_seed(5);
    let mut samples = Vec::new();
    for _ in 0..(if quick { 200 } else { 2_000 }) {
        let account = format!("05{:08}", rng.i64(1..=n.min(want)));
        let t = Instant::now();
        let found = desk.lookup(&account).expect("lookup");
        samples.push(t.elapsed());
        assert!(
            matches!(found, counterdesk::desk::customers::Lookup::Found(_)),
            "{account}"
        );
    }
    report(
        &format!("customer by account number ({n} accounts)"),
        samples,
        "median < 1 ms",
    );
}
