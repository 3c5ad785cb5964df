//! Payments against the real binary, killed with SIGKILL at random moments,
//! many times over the same database. Afterwards: SQLite's integrity check
//! and the audit chain pass, receipt numbers have no gaps, every receipt the
//! screen announced is in the database, and no payment is half recorded.

use std::collections::BTreeSet;
use std::io::Write;
use std::time::{Duration, Instant};

use crate::common::term::Term;

fn receipts_on(screen: &str) -> Vec<String> {
    screen
        .match_indices("收据 R")
        .filter_map(|(i, _)| screen.get(i + "收据 ".len()..i + "收据 ".len() + 11))
        .map(str::to_string)
        .collect()
}

#[test]
fn sigkill_at_random_moments_loses_nothing_announced_and_leaves_no_half_record() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("crash.db");
    let mut rng = fastrand::Rng::with_seed(20261124);
    let mut announced = BTreeSet::new();
    for round in 0..20 {
        // The newest payment the last run committed, however close to the
        // kill: the next start must say it went through.
        let newest: Option<String> = db
            .exists()
            .then(|| {
                rusqlite::Connection::open(&db)
                    .expect("db")
                    .query_row("SELECT max(receipt_no) FROM payment", [], |r| r.get(0))
                    .expect("newest")
            })
            .flatten();
        let db_arg = db.to_string_lossy().into_owned();
        let mut t = Term::start(&["--lang", "zh", "--db", &db_arg]);
        t.wait_for("柜员登录");
        t.send("1001\r");
        t.send("counter1001\r");
        let s = t.wait_for("欢迎");
        if let Some(r) = &newest {
            // No receipt was ever printed here: the newest is listed first.
            let first = s
                .lines()
                .find(|l| l.contains("收据未打印"))
                .unwrap_or_default();
            assert!(first.contains(r.as_str()), "{r} not shown first:\n{s}");
            t.send("\x1b"); // later
            t.wait_gone("收据未打印");
        }
        t.send("\x1b[17~"); // F6
        let deadline = Instant::now() + Duration::from_secs(20);
        let screen = loop {
            let s = t.contents();
            if s.contains("凭证未打印") {
                // Shown again at the cashier; later again.
                t.send("\x1b");
                t.wait_gone("凭证未打印");
                continue;
            }
            if s.contains("开班：") || s.contains("户号") {
                break s;
            }
            assert!(Instant::now() < deadline, "no cashier:\n{s}");
            std::thread::sleep(Duration::from_millis(20));
        };
        if screen.contains("开班：") {
            t.send("1000\r");
            t.wait_for("已开班");
        }
        let payments = rng.usize(1..4);
        for i in 0..payments {
            t.send(&format!("0591{round:03}{i:03}\r"));
            t.send("12.5\r");
            t.send("20\r");
            if let Some(s) = t.try_wait_for("找零 7.50 元") {
                announced.extend(receipts_on(&s));
            }
            t.send("\r");
        }
        // Start one more payment and kill at a random moment, often in the
        // middle of its commit.
        t.send(&format!("0591{round:03}999\r"));
        t.send("12.5\r");
        t.send("20");
        let _ = t.writer.write_all(b"\r");
        let _ = t.writer.flush();
        std::thread::sleep(Duration::from_micros(rng.u64(0..30_000)));
        // portable-pty's kill sends SIGKILL on Unix.
        t.child.kill().expect("kill -9");
        let _ = t.child.wait();
    }
    assert!(!announced.is_empty(), "no payment was ever announced");

    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "en", "--db"])
        .arg(&db)
        .arg("verify")
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("verify");
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{out}");
    assert!(
        out.contains("integrity check: ok") && out.contains("Audit chain intact"),
        "{out}"
    );

    let c = rusqlite::Connection::open(&db).expect("db");
    let mut st = c
        .prepare("SELECT receipt_no FROM payment ORDER BY receipt_no")
        .expect("p");
    let stored: Vec<String> = st
        .query_map([], |r| r.get(0))
        .expect("q")
        .map(|r| r.expect("r"))
        .collect();
    let expected: Vec<String> = (1..=stored.len()).map(|n| format!("R1-{n:08}")).collect();
    assert_eq!(stored, expected, "receipt numbers must have no gaps");
    for r in &announced {
        assert!(
            stored.contains(r),
            "{r} was announced but is not in the database"
        );
    }
    let half: i64 = c
        .query_row(
            "SELECT count(*) FROM payment p WHERE NOT EXISTS (SELECT 1 FROM payment_tender t WHERE t.payment_id = p.id)
             OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.subject = p.receipt_no AND a.action = 'payment.bill')",
            [],
            |r| r.get(0),
        )
        .expect("half");
    assert_eq!(half, 0, "a payment without its tenders or its audit entry");
    let counter: i64 = c
        .query_row("SELECT last FROM receipt_counter", [], |r| r.get(0))
        .expect("counter");
    assert_eq!(
        counter as usize,
        stored.len(),
        "the counter never runs ahead of the payments"
    );
}
