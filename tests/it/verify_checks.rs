//! `verify` as an auditor runs it: read-only (every file in the folder as it
//! was), an older schema called one that needs an upgrade, business rows
//! changed or inserted by SQL named; and commands that only open refuse a
//! database or store that is not there instead of creating one.

use std::path::{Path, PathBuf};

use crate::common::cli::{init, out, run};
use crate::common::{desk_at, pay_bills, Scratch};
use counterdesk::clock::Clock;
use rusqlite::Connection;

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn verify_changes_nothing_in_the_folder() {
    let s = Scratch::new();
    init(&s);
    {
        let mut desk = desk_at(&s.db(), Clock::system());
        pay_bills(&mut desk, 0, 2);
    }
    let before = files(s.path());
    let names: Vec<_> = before.iter().map(|(p, _)| p.clone()).collect();
    assert!(
        names.iter().any(|p| p.ends_with("counterdesk.db.seal")),
        "{names:?}"
    );
    let v = run(&s, &["verify"], &[]);
    assert_eq!(v.status.code(), Some(0), "{}", out(&v));
    assert!(out(&v).contains("业务行与审计记录一致"), "{}", out(&v));
    assert_eq!(
        files(s.path()),
        before,
        "not a byte changed, nothing created"
    );
}

#[test]
fn an_older_schema_needs_an_upgrade_and_is_left_as_it_is() {
    let s = Scratch::new();
    let mut c = Connection::open(s.db()).expect("db");
    let older = &counterdesk::embedded::MIGRATIONS[..14];
    counterdesk::store::migrate::apply_list(&mut c, older).expect("old schema");
    drop(c);
    let before = files(s.path());
    let v = run(&s, &["--lang", "en", "verify"], &[]);
    assert_eq!(v.status.code(), Some(0), "{}", out(&v));
    let text = out(&v);
    assert!(text.contains("schema is version 14"), "{text}");
    assert!(text.contains("needs an upgrade"), "{text}");
    assert_eq!(files(s.path()), before, "not upgraded");
    let version: i64 = Connection::open(s.db())
        .expect("db")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 14);
    // A read-only report says the same instead of failing on a column.
    let report = run(&s, &["--lang", "en", "case", "overdue"], &[]);
    assert_eq!(report.status.code(), Some(3), "{}", out(&report));
    assert!(
        out(&report).contains("needs an upgrade"),
        "{}",
        out(&report)
    );
}

#[test]
fn rows_changed_or_added_by_sql_are_named_by_verify() {
    let s = Scratch::new();
    init(&s);
    {
        let mut desk = desk_at(&s.db(), Clock::system());
        pay_bills(&mut desk, 0, 3);
    }
    let c = Connection::open(s.db()).expect("db");
    let receipt: String = c
        .query_row(
            "SELECT receipt_no FROM payment ORDER BY id LIMIT 1 OFFSET 1",
            [],
            |r| r.get(0),
        )
        .expect("receipt");
    // The audit chain is left untouched: only the business row changes.
    c.execute(
        "UPDATE payment SET due_fen = due_fen - 5000 WHERE receipt_no = ?1",
        [&receipt],
    )
    .expect("edit");
    let v = run(&s, &["verify"], &[]);
    assert_eq!(v.status.code(), Some(1), "{}", out(&v));
    let text = out(&v);
    assert!(
        text.contains("审计日志链完整"),
        "the chain itself is intact: {text}"
    );
    assert!(
        text.contains(&format!("付款 {receipt}")) && text.contains("与写入它的审计记录不符"),
        "{text}"
    );
    let other: String = c
        .query_row(
            "SELECT receipt_no FROM payment ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("other");
    assert!(
        !text.contains(&format!("付款 {other}")),
        "only the edited one: {text}"
    );

    // A tender changed, a refund and a shift made by SQL: each named.
    c.execute(
        "UPDATE payment_tender SET tendered_fen = tendered_fen + 100 WHERE payment_id =
         (SELECT id FROM payment WHERE receipt_no = ?1)",
        [&other],
    )
    .expect("tender");
    c.execute(
        "INSERT INTO refund (refund_no, payment_id, amount_fen, bank_account, holder, reason, by_clerk, refunded_at)
         SELECT 'TK-FAKE', id, 100, '6222', '王', 'x', clerk_id, '2026-11-24T02:00:00Z' FROM payment LIMIT 1",
        [],
    )
    .expect("refund");
    let v = run(&s, &["--lang", "en", "verify"], &[]);
    assert_eq!(v.status.code(), Some(1));
    let text = out(&v);
    assert!(text.contains(&format!("Payment {other}")), "{text}");
    assert!(text.contains("Refund TK-FAKE"), "{text}");
    assert!(text.contains("has no audit entry"), "{text}");
    // Putting the edited row back makes it match again.
    c.execute(
        "UPDATE payment SET due_fen = due_fen + 5000 WHERE receipt_no = ?1",
        [&receipt],
    )
    .expect("undo");
    let text = out(&run(&s, &["--lang", "en", "verify"], &[]));
    assert!(!text.contains(&format!("Payment {receipt} ")), "{text}");
}

#[test]
fn commands_that_only_open_refuse_what_is_not_there() {
    let s = Scratch::new();
    let typo = s.path().join("typo/path/x.db");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .arg("--db")
        .arg(&typo)
        .args(["clerk", "list", "--as", "9001"])
        .env("HOME", s.path())
        .env("COUNTERDESK_PASSWORD", "admin9001")
        .env_remove("COUNTERDESK_LANG")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(3), "{}", out(&o));
    assert!(out(&o).contains(&typo.display().to_string()), "{}", out(&o));
    assert!(out(&o).contains("不存在"), "{}", out(&o));
    assert!(!s.path().join("typo").exists(), "no folder made");

    for args in [
        vec!["demo-data", "--customers", "1"],
        vec!["import", "bills", "no-such.csv"],
        vec!["sync", "--status"],
        vec!["case", "overdue"],
        vec!["report", "day", "2026-11-24"],
    ] {
        let o = run(&s, &args, &[]);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", out(&o));
        assert!(!s.db().exists(), "{args:?} created the database");
    }

    let store = s.path().join("missing-hq.db");
    let items = s.path().join("items.json");
    std::fs::write(&items, "[]").expect("items");
    let items = items.display().to_string();
    for args in [
        vec!["hq", "report", "--store"],
        vec!["hq", "publish", &items, "--store"],
    ] {
        let mut args: Vec<String> = args.into_iter().map(String::from).collect();
        args.push(store.display().to_string());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&s, &args, &[]);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", out(&o));
        assert!(out(&o).contains("missing-hq.db"), "{}", out(&o));
        assert!(!store.exists(), "{args:?} created the store");
    }
}
