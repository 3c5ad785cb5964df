//! The performance harness: `cargo bench --bench desk`.
//!
//! Builds (once, then reuses) a database of BENCH_CUSTOMERS demo customers
//! (default 1,000,000) under target/bench/, then measures:
//! - look-up of a customer by ID through the desk (median, p99);
//! - one keystroke handled by the real App plus a full redraw of the
//!   customers screen on a 100×30 TestBackend (median, p99);
//! - start-up of the release binary in a pseudo-terminal until the sign-in
//!   screen is drawn (median of 15 starts);
//! - the customer display: keystroke to the page's event, and keystroke to
//!   frame with the display connected (BENCH_ONLY=display);
//! - materials on file: the look-up and the checklist of a customer with
//!   50 materials (BENCH_ONLY=materials);
//! - the hall's queue: call-next to the hall display with 30 windows at
//!   once, and a day of 3,000 tickets' figures (BENCH_ONLY=hall);
//! - attaching a 5 MB scan on the checklist (BENCH_ONLY=scans);
//! - a backup of the customers with 5,000,000 payments against the sqlite3
//!   tool's `.backup`, and keystrokes while backups run (BENCH_ONLY=backup).
//!
//! Figures are printed as a table; machines are noisy, so medians matter.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use counterdesk::clock::Clock;
use counterdesk::config::{self, Config};
use counterdesk::desk::Desk;
use counterdesk::domain::msg::Lang;
use counterdesk::store::Store;
use counterdesk::tui::App;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn report(name: &str, mut samples: Vec<Duration>, target: &str) {
    samples.sort();
    println!(
        "{name:<44} n={:<6} median={:>9.3} ms  p99={:>9.3} ms  max={:>9.3} ms  target: {target}",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

pub fn config(db: &Path) -> Config {
    Config {
        database: db.to_path_buf(),
        ..config::defaults().expect("defaults")
    }
}

pub fn open_desk(db: &Path) -> Desk {
    open_desk_with(config(db))
}

/// A desk on the configuration's database with the shipped forms.
pub fn open_desk_with(cfg: Config) -> Desk {
    let db = cfg.database.clone();
    let forms = counterdesk::load::startup::load_forms(&Config {
        forms_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/forms")),
        ..cfg.clone()
    })
    .expect("forms");
    let calendar = counterdesk::load::calendar::load_dir(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/forms/calendar"
    )))
    .expect("calendar");
    let store = Store::open(&db, Clock::system()).expect("store");
    Desk::new(store, cfg, forms, calendar).expect("desk")
}

pub fn prepare(customers: u64, applications: u64) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let db = dir.join(format!(
        "customers-{customers}-applications-{applications}.db"
    ));
    let existing = rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM customer), (SELECT count(*) FROM application)",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
        })
        .unwrap_or((0, 0));
    if existing != (customers as i64, applications as i64) {
        for ext in ["", "-wal", "-shm", ".lock", ".seal"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
        let mut desk = open_desk(&db);
        let start = Instant::now();
        desk.demo_data(customers, 7, |_| {}).expect("demo data");
        println!(
            "{:<44} {customers} customers in {:.1} s ({:.0} per second)",
            "demo-data generation",
            start.elapsed().as_secs_f64(),
            customers as f64 / start.elapsed().as_secs_f64()
        );
        let start = Instant::now();
        desk.demo_applications(applications, 7, |_| {})
            .expect("demo applications");
        println!(
            "{:<44} {applications} applications in {:.1} s",
            "demo applications generation",
            start.elapsed().as_secs_f64()
        );
    }
    db
}

/// Throws away the drafts earlier runs left in the reused database: every
/// look-up lists the clerk's drafts, so they would slow each run more.
pub fn clear_drafts(db: &Path) {
    let c = rusqlite::Connection::open(db).expect("db");
    c.execute("DELETE FROM draft", []).expect("drafts");
}

/// A plain key press.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Signs the demo clerk 1001 in on `app`, as typed.
pub fn sign_in(app: &mut App) {
    for c in "1001".chars() {
        app.handle_key(&key(KeyCode::Char(c)));
    }
    app.handle_key(&key(KeyCode::Enter));
    for c in "counter1001".chars() {
        app.handle_key(&key(KeyCode::Char(c)));
    }
    app.handle_key(&key(KeyCode::Enter));
    assert!(app.session.is_some());
}

/// Types `ids` round and round on the customers screen (each ID, Enter,
/// F2), timing every key with its full redraw, until `done` says so after
/// an ID.
pub fn type_ids(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    ids: &[String],
    mut done: impl FnMut(&App) -> bool,
) -> Vec<Duration> {
    let mut samples = Vec::new();
    loop {
        for id in ids {
            for code in id
                .chars()
                .map(KeyCode::Char)
                .chain([KeyCode::Enter, KeyCode::F(2)])
            {
                let t = Instant::now();
                app.handle_key(&key(code));
                terminal.draw(|f| app.draw(f)).expect("draw");
                samples.push(t.elapsed());
            }
            if done(app) {
                return samples;
            }
        }
    }
}

pub fn sample_ids(db: &Path, n: usize) -> Vec<String> {
    let c = rusqlite::Connection::open(db).expect("db");
    let max: i64 = c
        .query_row("SELECT max(id) FROM customer", [], |r| r.get(0))
        .expect("max");
    let mut rng = fastrand::Rng::with_seed(11);
    (0..n)
        .filter_map(|_| {
            c.query_row(
                "SELECT id_no FROM customer WHERE id >= ?1 LIMIT 1",
                [rng.i64(1..=max)],
                |r| r.get(0),
            )
            .ok()
        })
        .collect()
}

mod backup;
mod cases;
mod display;
mod hall;
mod lab;
mod materials;
mod money;
mod progress;
mod scans;
mod screens;
mod upload;

use money::{bench_payment_commit, bench_settlement};
use screens::{bench_keystrokes, bench_lookup, bench_slips, bench_startup};
use upload::{
    bench_account_lookup, bench_hq_ingest, bench_keys_while_uploading, bench_upload_backlog,
};

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep it quick then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let customers: u64 = std::env::var("BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 2_000 } else { 1_000_000 });
    let applications: u64 = std::env::var("BENCH_APPLICATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 400 } else { 200_000 });
    // BENCH_ONLY=commit,settlement runs just those parts.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let run = |part: &str| only.is_empty() || only.split(',').any(|p| p.trim() == part);
    println!("counterdesk benchmark — {customers} customers, {applications} applications");
    std::fs::create_dir_all(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench"))
        .expect("bench dir");
    if run("steps") {
        cases::bench_step_commit(quick);
    }
    if run("lab") {
        lab::bench_lab(quick);
    }
    if run("commit") {
        bench_payment_commit(quick);
    }
    if run("display") {
        display::bench_display(quick);
    }
    if run("hall") {
        hall::bench_hall(quick);
    }
    if run("progress") {
        progress::bench_progress(quick);
    }
    if run("scans") {
        scans::bench_scans(quick);
    }
    if run("settlement") {
        bench_settlement(quick);
    }
    if run("backlog") {
        bench_upload_backlog(quick);
    }
    if run("uploading") {
        bench_keys_while_uploading(quick);
    }
    if run("ingest") {
        bench_hq_ingest(quick);
    }
    if !(run("lookup")
        || run("keys")
        || run("slips")
        || run("startup")
        || run("accounts")
        || run("queue")
        || run("materials")
        || run("backup"))
    {
        return;
    }
    let db = prepare(customers, applications);
    let ids = sample_ids(&db, if quick { 50 } else { 2_000 });
    if run("lookup") {
        bench_lookup(&db, &ids);
    }
    if run("keys") {
        bench_keystrokes(&db, &ids);
    }
    if run("slips") {
        bench_slips(&db);
    }
    if run("startup") {
        bench_startup(&db);
    }
    if run("accounts") {
        bench_account_lookup(&db, quick);
    }
    if run("queue") {
        cases::bench_queue(&db, quick);
    }
    if run("materials") {
        materials::bench_materials(&db, &ids);
    }
    if run("backup") {
        backup::bench_backup(&db, quick);
    }
}
