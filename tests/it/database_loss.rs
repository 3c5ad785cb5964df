//! A database that holds less than its seal names — emptied to zero bytes,
//! or rewound to an older copy — is said to be so by `verify` and refused
//! by the workstation and every command, untouched, until an administrator
//! acknowledges the loss; the seal of the lost history is then kept.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::cli::{init, out, run};
use crate::common::{desk_at, pay_bills, Scratch};
use counterdesk::clock::Clock;
use rusqlite::Connection;

const ADMIN: &[(&str, &str)] = &[("COUNTERDESK_PASSWORD", "admin9001")];

fn seal(db: &Path) -> String {
    std::fs::read_to_string(format!("{}.seal", db.display())).expect("seal")
}

/// (epoch, seq) the seal names.
fn sealed(db: &Path) -> (i64, i64) {
    let text = seal(db);
    let mut it = text.split_whitespace();
    let epoch = it.next().expect("epoch").parse().expect("epoch");
    let seq = it.next().expect("seq").parse().expect("seq");
    (epoch, seq)
}

/// A hall with six records: the demo clerks and payments.
fn hall_with_records(s: &Scratch, payments: usize) {
    init(s);
    let mut desk = desk_at(&s.db(), Clock::system());
    pay_bills(&mut desk, 0, payments);
}

/// The workstation started without a terminal: it must refuse before any
/// screen is drawn.
fn start_workstation(s: &Scratch) -> Output {
    run(s, &[], &[])
}

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
fn a_zero_byte_database_beside_its_seal_is_reported_lost_and_never_started_as_new() {
    let s = Scratch::new();
    hall_with_records(&s, 3);
    let (epoch, seq) = sealed(&s.db());
    assert!(seq >= 6, "clerks and payments are records: {seq}");
    let old_seal = seal(&s.db());
    std::fs::write(s.db(), b"").expect("empty the file");
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", s.db().display()));
    }
    let before = files(s.path());

    let v = run(&s, &["verify"], &[]);
    assert_eq!(v.status.code(), Some(1), "{}", out(&v));
    let text = out(&v);
    assert!(
        text.contains(&format!("第 {epoch} 时期已写到第 {seq} 号")),
        "{text}"
    );
    assert!(text.contains("是空的"), "{text}");
    assert!(
        text.contains(&format!("第 1–{seq} 号，共 {seq} 条")),
        "{text}"
    );
    assert!(text.contains("未配置总部地址"), "{text}");
    assert!(text.contains("counterdesk recover"), "{text}");
    assert!(!text.contains("审计日志链完整：共 0 条"), "{text}");

    // The workstation and a command refuse it, with the same account.
    let start = start_workstation(&s);
    assert_eq!(start.status.code(), Some(3), "{}", out(&start));
    assert!(out(&start).contains("是空的"), "{}", out(&start));
    let list = run(&s, &["clerk", "list", "--as", "9001"], ADMIN);
    assert_eq!(list.status.code(), Some(3), "{}", out(&list));
    assert!(out(&list).contains("少了记录"), "{}", out(&list));
    // Nothing was migrated, seeded or sealed anew.
    assert_eq!(files(s.path()), before, "the folder is as it was");
    assert_eq!(std::fs::metadata(s.db()).expect("db").len(), 0);

    // An emptied file has no clerks to check a password against: the
    // administrator confirms with the seal's numbers.
    let no_confirm = run(
        &s,
        &[
            "recover",
            "--as",
            "9001",
            "--reason",
            "disk replaced, no backup",
        ],
        ADMIN,
    );
    assert_eq!(no_confirm.status.code(), Some(4), "{}", out(&no_confirm));
    assert!(
        out(&no_confirm).contains(&format!("--confirm {epoch}:{seq}")),
        "{}",
        out(&no_confirm)
    );
    assert_eq!(files(s.path()), before, "a refusal changes nothing");
    let confirm = format!("{epoch}:{seq}");
    let ack = run(
        &s,
        &[
            "recover",
            "--as",
            "9001",
            "--reason",
            "disk replaced, no backup",
            "--confirm",
            &confirm,
        ],
        &[],
    );
    assert_eq!(ack.status.code(), Some(0), "{}", out(&ack));
    assert!(out(&ack).contains("已确认数据丢失"), "{}", out(&ack));

    // The lost history's seal is kept, never overwritten; a new one begins.
    let kept = PathBuf::from(format!("{}.seal.lost-{epoch}-{seq}", s.db().display()));
    assert_eq!(std::fs::read_to_string(&kept).expect("kept"), old_seal);
    let (new_epoch, new_seq) = sealed(&s.db());
    assert!(new_epoch > epoch, "{new_epoch} after {epoch}");
    assert!(new_seq >= 1);
    // The acknowledgement is the first audit entry, and says who and why.
    let c = Connection::open(s.db()).expect("db");
    let (action, detail): (String, String) = c
        .query_row(
            "SELECT action, detail FROM audit_log ORDER BY seq LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("first entry");
    assert_eq!(action, "store.loss_acknowledged");
    let d: serde_json::Value = serde_json::from_str(&detail).expect("json");
    assert_eq!(d["seal_seq"], seq);
    assert_eq!(d["by"], "9001");
    assert_eq!(d["verified"], false);
    assert_eq!(d["reason"], "disk replaced, no backup");
    drop(c);
    let v = run(&s, &["verify"], &[]);
    assert_eq!(v.status.code(), Some(0), "{}", out(&v));
}

#[test]
fn a_restored_older_copy_is_reported_rewound_and_goes_on_only_on_an_administrators_word() {
    let s = Scratch::new();
    hall_with_records(&s, 1);
    let (epoch, at_backup) = sealed(&s.db());
    let backup = s.path().join("backup.copy");
    Connection::open(s.db())
        .expect("db")
        .execute("VACUUM INTO ?1", [backup.display().to_string()])
        .expect("backup");
    {
        let mut desk = desk_at(&s.db(), Clock::system());
        pay_bills(&mut desk, 10, 2);
    }
    let (_, seq) = sealed(&s.db());
    assert!(seq > at_backup);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", s.db().display()));
    }
    std::fs::copy(&backup, s.db()).expect("restore");
    let before = files(s.path());

    let v = run(&s, &["--lang", "en", "verify"], &[]);
    assert_eq!(v.status.code(), Some(1), "{}", out(&v));
    let text = out(&v);
    assert!(
        text.contains(&format!("epoch {epoch} was written up to record {seq}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("only reaches record {at_backup}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("Records {}–{seq}", at_backup + 1)),
        "{text}"
    );
    let start = start_workstation(&s);
    assert_eq!(start.status.code(), Some(3), "{}", out(&start));
    assert_eq!(files(s.path()), before, "refused untouched");

    // The copy still has its clerks: the administrator's password counts.
    let wrong = run(
        &s,
        &["recover", "--as", "9001", "--reason", "restored"],
        &[("COUNTERDESK_PASSWORD", "wrong-password")],
    );
    assert_eq!(wrong.status.code(), Some(4), "{}", out(&wrong));
    let clerk = run(
        &s,
        &["recover", "--as", "1001", "--reason", "restored"],
        &[("COUNTERDESK_PASSWORD", "counter1001")],
    );
    assert_eq!(
        clerk.status.code(),
        Some(4),
        "a clerk cannot: {}",
        out(&clerk)
    );
    assert_eq!(files(s.path()), before, "refusals change nothing");
    let ack = run(
        &s,
        &[
            "recover",
            "--as",
            "9001",
            "--reason",
            "disk failed; nightly copy restored",
        ],
        ADMIN,
    );
    assert_eq!(ack.status.code(), Some(0), "{}", out(&ack));
    let kept = PathBuf::from(format!("{}.seal.lost-{epoch}-{seq}", s.db().display()));
    assert!(kept.exists(), "the lost history's seal is kept");
    let (new_epoch, _) = sealed(&s.db());
    assert_ne!(new_epoch, epoch, "a new upload epoch");
    let status = run(&s, &["--lang", "en", "sync", "--status"], &[]);
    assert!(
        out(&status).contains(&new_epoch.to_string()),
        "{}",
        out(&status)
    );
    let c = Connection::open(s.db()).expect("db");
    let verified: String = c
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'store.loss_acknowledged'",
            [],
            |r| r.get(0),
        )
        .expect("entry");
    assert!(verified.contains("\"verified\":true"), "{verified}");
}
