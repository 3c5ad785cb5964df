//! Backups of a large counter database (BENCH_ONLY=backup): the online copy
//! against the sqlite3 tool's own `.backup` of the same file in the same
//! run, `VACUUM INTO` beside them, the whole backup with its checks, and
//! keystrokes on the workstation while backups run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use counterdesk::domain::msg::Lang;
use counterdesk::store::backup as copies;
use counterdesk::tui::App;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use crate::{open_desk, percentile, report, sample_ids, type_ids};

/// The customers' database with `payments` payments added: made once from
/// the look-up fixture, reused by later runs.
fn prepare(customers_db: &Path, payments: i64) -> PathBuf {
    let dir = customers_db.parent().expect("bench dir");
    let db = dir.join(format!("backup-with-{payments}-payments.db"));
    if !crate::money::fresh_fixture(&db, payments) {
        return db;
    }
    let start = Instant::now();
    copies::copy_online(customers_db, &db).expect("copy the customers' database");
    crate::money::fill_payments(&db, payments, 2_000);
    println!(
        "{:<44} {payments} payments added to a copy in {:.1} s",
        "fixture: backup database",
        start.elapsed().as_secs_f64()
    );
    db
}

fn clear(folder: &Path) {
    let _ = std::fs::remove_dir_all(folder);
    std::fs::create_dir_all(folder).expect("folder");
}

/// The sqlite3 tool's `.backup` of `db` into `dest`, timed.
fn sqlite3_backup(db: &Path, dest: &Path) -> Duration {
    let t = Instant::now();
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(format!(".backup '{}'", dest.display()))
        .output()
        .expect("sqlite3 (apt-get install sqlite3)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // As ours does: the copy is on disk before it counts.
    copies::sync(dest).expect("sync");
    t.elapsed()
}

pub fn bench_backup(customers_db: &Path, quick: bool) {
    let payments = if quick { 20_000 } else { 5_000_000 };
    let db = prepare(customers_db, payments);
    let bytes = std::fs::metadata(&db).map_or(0, |m| m.len());
    let customers: i64 = rusqlite::Connection::open(&db)
        .and_then(|c| c.query_row("SELECT count(*) FROM customer", [], |r| r.get(0)))
        .unwrap_or(0);
    println!(
        "{:<44} {customers} customers, {payments} payments, {:.2} GB",
        "backup database",
        bytes as f64 / 1e9
    );
    let work = db.parent().unwrap().join("backup-runs");
    let rounds = if quick { 1 } else { 3 };
    let (mut ours, mut theirs, mut vacuum, mut whole) = (vec![], vec![], vec![], vec![]);
    // Alternated, so the page cache and the disk treat both alike.
    for _ in 0..rounds {
        clear(&work);
        let dest = work.join("sqlite3.db");
        theirs.push(sqlite3_backup(&db, &dest));
        clear(&work);
        let t = Instant::now();
        copies::copy_online(&db, &work.join("ours.db")).expect("copy");
        ours.push(t.elapsed());
        clear(&work);
        let t = Instant::now();
        copies::vacuum_into(&db, &work.join("vacuum.db")).expect("vacuum into");
        vacuum.push(t.elapsed());
        clear(&work);
        let config = crate::config(&db);
        let t = Instant::now();
        let taken = counterdesk::desk::backup::take(
            &config,
            &db,
            &work,
            chrono::Local::now().naive_local(),
        )
        .expect("backup");
        whole.push(t.elapsed());
        assert!(taken.checked.good());
    }
    clear(&work);
    let med = |v: &mut Vec<Duration>| {
        v.sort();
        percentile(v, 0.5).as_secs_f64()
    };
    let (o, s, v, w) = (
        med(&mut ours),
        med(&mut theirs),
        med(&mut vacuum),
        med(&mut whole),
    );
    println!(
        "{:<44} n={rounds}  ours={o:.2} s  sqlite3 .backup={s:.2} s  ratio={:.2}×  target: ≤ 1.5×",
        "backup copy: online API vs sqlite3 .backup",
        o / s
    );
    println!(
        "{:<44} n={rounds}  VACUUM INTO={v:.2} s  ({:.2}× the online copy)",
        "backup copy: VACUUM INTO",
        v / o
    );
    println!(
        "{:<44} n={rounds}  {w:.2} s  (copy, integrity check, audit chain, sha256, rotation)",
        "backup whole: counterdesk backup"
    );

    // Keystrokes on the workstation while backups of the same file run.
    let ids = sample_ids(&db, 300);
    let desk = open_desk(&db);
    let mut app = App::new(desk, Lang::Zh);
    crate::sign_in(&mut app);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let stop = Arc::new(AtomicBool::new(false));
    let runner = {
        let (stop, db, work) = (Arc::clone(&stop), db.clone(), work.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                clear(&work);
                copies::copy_online(&db, &work.join("during.db")).expect("copy");
                n += 1;
            }
            n
        })
    };
    let start = Instant::now();
    let budget = Duration::from_secs(if quick { 3 } else { 60 });
    let samples = type_ids(&mut app, &mut terminal, &ids, |_| start.elapsed() > budget);
    stop.store(true, Ordering::Relaxed);
    let copies_made = runner.join().expect("backup thread");
    clear(&work);
    println!(
        "{:<44} {copies_made} backups ran while typing for {:.0} s",
        "keystrokes during backups",
        start.elapsed().as_secs_f64()
    );
    report("keystroke + redraw during backups", samples, "p99 < 4 ms");
}
