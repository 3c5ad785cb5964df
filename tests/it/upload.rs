//! Upload to HQ, end to end on loopback, on both HQ stores: the real
//! `hq serve` binary, a counter desk (and the `sync` binary) on real SQLite
//! files. In every case HQ ends with exactly the counter's records — no
//! duplicates, no gaps — and `sync --check` reports agreement.

use std::time::{Duration, Instant};

use crate::common::hq::{
    backlog, fresh_store, held, issue_token, local, Counter, Fault, Hq, Kind, Proxy, BOTH,
};
use crate::common::{pay_bills, Scratch};
use counterdesk::clock::Clock;
use counterdesk::desk::Desk;
use counterdesk::domain::upload::DayDifference;

/// HQ holds exactly the counter's records, and the day check agrees.
fn assert_exactly_once(desk: &Desk, c: &Counter, store: &str) {
    let mine = local(&c.db);
    let theirs = held(store, &c.id);
    assert!(!mine.is_empty());
    assert_eq!(
        theirs.len(),
        mine.len(),
        "HQ holds {} of {}",
        theirs.len(),
        mine.len()
    );
    assert_eq!(theirs, mine, "HQ's records differ from the counter's");
    let days = desk.check_days(None).expect("check");
    assert!(!days.is_empty());
    for d in &days {
        assert_eq!(d.difference, DayDifference::Agree, "{d:?}");
    }
    assert_eq!(desk.read().upload_queue().expect("queue").waiting, 0);
}

fn setup(kind: Kind, s: &Scratch, id: &str) -> (String, Hq, Counter) {
    let store = fresh_store(kind, s);
    let token = issue_token(&store, id);
    let hq = Hq::start(&store);
    let c = Counter::new(s, id, &hq.url(), &token);
    (store, hq, c)
}

#[test]
fn hq_down_at_start_then_everything_arrives_once() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, mut hq, c) = setup(kind, &s, "C-DOWN");
        hq.kill();
        let mut desk = c.desk();
        pay_bills(&mut desk, 0, 5);
        let before = desk.read().upload_queue().expect("queue").waiting;
        let err = desk.flush_upload(&mut |_, _| {}).expect_err("HQ is down");
        assert_eq!(err.key(), "sync.unreachable", "{kind:?}");
        assert_eq!(
            desk.read().upload_queue().expect("queue").waiting,
            before,
            "nothing marked sent"
        );
        hq.restart(&["--plain"]);
        let sent = desk.flush_upload(&mut |_, _| {}).expect("flush");
        assert_eq!(sent.sent, before);
        assert_exactly_once(&desk, &c, &store);
    }
}

#[test]
fn hq_answering_500_garbage_slowly_or_with_another_counters_ack_marks_nothing() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, hq, mut c) = setup(kind, &s, "C-FAULT");
        let proxy = Proxy::start(hq.addr);
        c.config.hq.url = proxy.url();
        let mut desk = c.desk();
        pay_bills(&mut desk, 0, 3);
        let waiting = desk.read().upload_queue().expect("queue").waiting;
        for (fault, key) in [
            (Fault::Error500, "sync.server"),
            (Fault::Garbage, "sync.garbage"),
            (Fault::Slow(4_500), "sync.timeout"),
            (Fault::ForeignAck, "sync.foreign"),
        ] {
            proxy.set(fault);
            let err = desk.flush_upload(&mut |_, _| {}).expect_err("fault");
            assert_eq!(err.key(), key, "{kind:?} {fault:?}");
            assert_eq!(
                desk.read().upload_queue().expect("queue").waiting,
                waiting,
                "{fault:?}: nothing marked sent"
            );
        }
        proxy.set(Fault::None);
        desk.flush_upload(&mut |_, _| {}).expect("flush");
        assert_exactly_once(&desk, &c, &store);
    }
}

#[test]
fn an_answer_lost_after_hq_committed_is_sent_again_and_stored_once() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, hq, mut c) = setup(kind, &s, "C-LOST");
        let proxy = Proxy::start(hq.addr);
        c.config.hq.url = proxy.url();
        let mut desk = c.desk();
        pay_bills(&mut desk, 0, 4);
        proxy.set(Fault::DropAnswer);
        assert!(desk.flush_upload(&mut |_, _| {}).is_err());
        // HQ committed the batch; the counter does not know.
        assert_eq!(held(&store, &c.id).len(), local(&c.db).len(), "{kind:?}");
        assert_eq!(
            desk.read().upload_queue().expect("queue").waiting,
            local(&c.db).len() as i64
        );
        proxy.set(Fault::None);
        let again = desk.flush_upload(&mut |_, _| {}).expect("again");
        assert_eq!(again.sent, local(&c.db).len() as i64);
        assert_exactly_once(&desk, &c, &store);
    }
}

#[test]
fn hq_killed_in_the_middle_of_a_batch_loses_and_doubles_nothing() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, mut hq, c) = setup(kind, &s, "C-KILL");
        backlog(c.desk(), 20_000);
        let mut desk = c.desk();
        let (store2, id, pid) = (store.clone(), c.id.clone(), hq.pid());
        // SIGKILL HQ as soon as part of the backlog has arrived.
        let killer = std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(60) {
                if held(&store2, &id).len() > 1_000 {
                    let _ = std::process::Command::new("kill")
                        .args(["-9", &pid.to_string()])
                        .status();
                    return true;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            false
        });
        let first = desk.flush_upload(&mut |_, _| {});
        assert!(killer.join().expect("killer"), "{kind:?}: HQ took records");
        let part = held(&store, &c.id).len();
        if part < local(&c.db).len() {
            assert!(first.is_err(), "the flush saw HQ die");
            assert!(desk.read().upload_queue().expect("queue").waiting > 0);
        }
        hq.restart(&["--plain"]);
        desk.flush_upload(&mut |_, _| {}).expect("after restart");
        assert_exactly_once(&desk, &c, &store);
    }
}

#[test]
fn a_hundred_thousand_record_backlog_arrives_exactly_once() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, _hq, mut c) = setup(kind, &s, "C-BACKLOG");
        c.config.hq.batch_size = 1000;
        backlog(c.desk(), 100_000);
        let mut desk = c.desk();
        let mut last = (0, 0);
        let sent = desk
            .flush_upload(&mut |done, total| last = (done, total))
            .expect("flush");
        assert_eq!(sent.sent, local(&c.db).len() as i64);
        assert_eq!(last.0, last.1, "the progress reached the end");
        assert_exactly_once(&desk, &c, &store);
    }
}

#[test]
fn the_workstation_killed_mid_upload_finishes_after_a_restart() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, _hq, c) = setup(kind, &s, "C-SIGKILL");
        backlog(c.desk(), 30_000);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
            .arg("--config")
            .arg(c.config_file())
            .arg("--db")
            .arg(&c.db)
            .arg("sync")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("sync");
        let start = Instant::now();
        while held(&store, &c.id).len() < 500 && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(10));
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let out = c.run(&["sync"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let check = c.run(&["sync", "--check"]);
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
        assert!(String::from_utf8_lossy(&check.stdout).contains("agree"));
        let desk = c.desk();
        assert_exactly_once(&desk, &c, &store);
    }
}

#[test]
fn a_database_restored_from_an_older_backup_opens_a_new_epoch() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, _hq, c) = setup(kind, &s, "C-RESTORE");
        let backup = s.path().join("backup.db");
        {
            let mut desk = c.desk();
            pay_bills(&mut desk, 0, 3);
            desk.flush_upload(&mut |_, _| {}).expect("flush");
        }
        // The nightly backup: a consistent copy of the database alone.
        let conn = rusqlite::Connection::open(&c.db).expect("open");
        conn.execute("VACUUM INTO ?1", [backup.display().to_string()])
            .expect("backup");
        drop(conn);
        let epoch_before = {
            let mut desk = c.desk();
            pay_bills(&mut desk, 3, 3);
            desk.flush_upload(&mut |_, _| {}).expect("flush");
            desk.read().upload_identity().expect("identity").epoch
        };
        // The disk dies; the backup comes back (without its WAL).
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", c.db.display()));
        }
        std::fs::copy(&backup, &c.db).expect("restore");
        // The restored copy is behind its seal: refused until an
        // administrator acknowledges the loss.
        let refused = counterdesk::store::Store::open(&c.db, Clock::system());
        assert!(
            matches!(refused, Err(counterdesk::store::StoreError::Behind(_))),
            "{kind:?}: a rewound file is refused"
        );
        // verify says what is missing and that HQ holds all of it.
        let v = c.run(&["verify"]);
        assert_eq!(v.status.code(), Some(1), "{kind:?}: {v:?}");
        let said = String::from_utf8_lossy(&v.stdout);
        let at_hq = held(&store, &c.id).len();
        let here = local(&c.db).len();
        assert!(
            said.contains(&format!("Records {}–{at_hq}", here + 1)),
            "{kind:?}: {said}"
        );
        assert!(
            said.contains(&format!(
                "HQ holds {at_hq} records of epoch {epoch_before} (up to {at_hq})"
            )) && said.contains("every record missing here is at HQ"),
            "{kind:?}: {said}"
        );
        let mut config = c.config.clone();
        config.database = c.db.clone();
        counterdesk::desk::recovery::acknowledge(
            &config,
            Clock::system(),
            "9001",
            Some("admin9001"),
            None,
            "disk died; the nightly backup was restored",
        )
        .expect("acknowledged");
        let mut desk = c.desk();
        let epoch_after = desk.read().upload_identity().expect("identity").epoch;
        assert_ne!(
            epoch_after, epoch_before,
            "{kind:?}: a restore opens a new epoch"
        );
        pay_bills(&mut desk, 100, 2);
        desk.flush_upload(&mut |_, _| {})
            .expect("flush after restore");
        // Nothing collided: HQ keeps the old epoch whole and the new one.
        let theirs = held(&store, &c.id);
        let mine = local(&c.db);
        assert!(
            mine.iter().all(|r| theirs.contains(r)),
            "every local record is at HQ"
        );
        let lost = theirs.iter().filter(|r| !mine.contains(r)).count();
        assert!(
            lost >= 3,
            "HQ still holds the records the backup lacks: {lost}"
        );
        // The difference is reported, narrowed to the sequences lost.
        let days = desk.check_days(None).expect("check");
        let old = days
            .iter()
            .find(|d| d.epoch == epoch_before)
            .expect("old epoch");
        assert_eq!(old.difference, DayDifference::Differ);
        assert!(!old.ranges.is_empty());
        let new = days
            .iter()
            .find(|d| d.epoch == epoch_after)
            .expect("new epoch");
        assert_eq!(new.difference, DayDifference::Agree);
    }
}

#[test]
fn a_forked_record_is_refused_alarmed_and_stops_the_upload() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, _hq, c) = setup(kind, &s, "C-FORK");
        let backup = s.path().join("backup.db");
        {
            let mut desk = c.desk();
            pay_bills(&mut desk, 0, 2);
            desk.flush_upload(&mut |_, _| {}).expect("flush");
        }
        let conn = rusqlite::Connection::open(&c.db).expect("open");
        conn.execute("VACUUM INTO ?1", [backup.display().to_string()])
            .expect("backup");
        drop(conn);
        {
            let mut desk = c.desk();
            pay_bills(&mut desk, 2, 2);
            desk.flush_upload(&mut |_, _| {}).expect("flush");
        }
        let before = held(&store, &c.id);
        // Restored together with its seal: the counter cannot tell, HQ can.
        for ext in ["", "-wal", "-shm", ".seal"] {
            let _ = std::fs::remove_file(format!("{}{ext}", c.db.display()));
        }
        std::fs::copy(&backup, &c.db).expect("restore");
        let mut desk = c.desk();
        pay_bills(&mut desk, 50, 1);
        let err = desk.flush_upload(&mut |_, _| {}).expect_err("fork");
        assert_eq!(err.key(), "sync.fork", "{kind:?}");
        assert_eq!(held(&store, &c.id), before, "HQ kept its records");
        let q = desk.read().upload_queue().expect("queue");
        assert_eq!(q.forked, 1);
        let overview = counterdesk::hq::open(&store)
            .expect("hq")
            .overview()
            .expect("overview");
        let row = overview
            .counters
            .iter()
            .find(|r| r.counter == c.id)
            .expect("counter");
        assert_eq!(row.forks, 1, "the alarm is raised at HQ");
    }
}

#[test]
fn a_malformed_record_is_quarantined_while_the_rest_arrive() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, _hq, c) = setup(kind, &s, "C-QUAR");
        let mut desk = c.desk();
        pay_bills(&mut desk, 0, 5);
        drop(desk);
        // A damaged payload in the middle of the queue.
        let conn = rusqlite::Connection::open(&c.db).expect("open");
        let bad: i64 = conn
            .query_row(
                "SELECT seq FROM outbox WHERE kind = 'payment.bill' LIMIT 1 OFFSET 2",
                [],
                |r| r.get(0),
            )
            .expect("seq");
        conn.execute(
            "UPDATE outbox SET payload = CAST('{\"broken' AS BLOB) WHERE seq = ?1",
            [bad],
        )
        .expect("damage");
        drop(conn);
        let mut desk = c.desk();
        let sent = desk.flush_upload(&mut |_, _| {}).expect("flush");
        assert_eq!(sent.quarantined, 1, "{kind:?}");
        let q = desk.read().upload_queue().expect("queue");
        assert_eq!((q.waiting, q.quarantined), (0, 1));
        let listed = desk.read().upload_list(50).expect("list");
        let held_row = listed.iter().find(|r| r.seq == bad).expect("listed");
        assert_eq!(
            held_row.state,
            counterdesk::domain::states::OutboxState::Quarantined
        );
        assert!(
            held_row.verdict.as_deref().unwrap_or("").contains("sha256"),
            "{held_row:?}"
        );
        // Everything, the damaged one included, is at HQ exactly once.
        assert_eq!(held(&store, &c.id).len(), local(&c.db).len());
        // A duty manager sends it again: HQ judges it anew (still damaged).
        let manager = desk.sign_in("2001", "manager2001").expect("manager");
        let clerk = desk.sign_in("1001", "counter1001").expect("clerk");
        assert_eq!(
            desk.send_again(&clerk, c_epoch(&desk), bad)
                .expect_err("clerk")
                .key(),
            "upload.duty_manager_only"
        );
        desk.send_again(&manager, c_epoch(&desk), bad)
            .expect("again");
        let again = desk.flush_upload(&mut |_, _| {}).expect("flush");
        assert_eq!(again.quarantined, 1);
        assert_eq!(
            held(&store, &c.id).len(),
            local(&c.db).len(),
            "no duplicate"
        );
    }
}

fn c_epoch(desk: &Desk) -> i64 {
    desk.read().upload_identity().expect("identity").epoch
}

#[test]
fn a_wrong_token_is_refused_counted_and_nothing_is_marked() {
    for kind in BOTH {
        let s = Scratch::new();
        let (store, _hq, mut c) = setup(kind, &s, "C-TOKEN");
        std::fs::write(&c.token_file, "not-the-token").expect("token");
        c.config.hq.token_file = c.token_file.clone();
        let mut desk = c.desk();
        pay_bills(&mut desk, 0, 2);
        let err = desk.flush_upload(&mut |_, _| {}).expect_err("token");
        assert_eq!(err.key(), "sync.token", "{kind:?}");
        assert!(held(&store, &c.id).is_empty());
        let overview = counterdesk::hq::open(&store)
            .expect("hq")
            .overview()
            .expect("overview");
        assert!(overview.bad_tokens >= 1);
        // The token never reaches a message.
        let text = counterdesk::i18n::text(err.msg(), counterdesk::domain::msg::Lang::En);
        assert!(!text.contains("not-the-token"), "{text}");
    }
}

#[test]
fn another_counters_token_cannot_upload_for_this_one() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let other = issue_token(&store, "C-OTHER");
    let hq = Hq::start(&store);
    let c = Counter::new(&s, "C-MINE", &hq.url(), &other);
    let mut desk = c.desk();
    pay_bills(&mut desk, 0, 1);
    let err = desk.flush_upload(&mut |_, _| {}).expect_err("refused");
    assert_eq!(err.key(), "sync.token");
    assert!(held(&store, "C-MINE").is_empty());
    assert!(held(&store, "C-OTHER").is_empty());
}

#[test]
fn a_clock_far_from_hqs_is_refused_with_the_difference() {
    let s = Scratch::new();
    let (store, _hq, c) = setup(Kind::Sqlite, &s, "C-CLOCK");
    let late = counterdesk::clock::Clock::fixed(chrono::Utc::now() + chrono::Duration::hours(3));
    let mut desk = crate::common::desk_with_config(&c.db, late, c.config.clone());
    pay_bills(&mut desk, 0, 1);
    let err = desk.flush_upload(&mut |_, _| {}).expect_err("clock");
    assert_eq!(err.key(), "sync.clock");
    let text = counterdesk::i18n::text(err.msg(), counterdesk::domain::msg::Lang::En);
    assert!(text.contains("180 minutes"), "{text}");
    assert!(held(&store, &c.id).is_empty());
    assert!(desk.read().upload_queue().expect("queue").waiting > 0);
}

#[test]
fn a_wrong_url_or_no_token_is_a_clear_message() {
    let s = Scratch::new();
    let mut c = Counter::new(&s, "C-URL", "ftp://hq.example", "t");
    let out = c.run(&["sync"]);
    assert_eq!(out.status.code(), Some(3), "a bad configuration cannot run");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("hq.url"),
        "{out:?}"
    );
    c.config.hq.url = "http://127.0.0.1:9".into();
    assert!(c.run(&["init"]).status.success());
    // Nobody listens there: not reached, exit 3, nothing lost.
    let out = c.run(&["sync"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot be reached"),
        "{out:?}"
    );
    let status = c.run(&["sync", "--status"]);
    assert!(
        !String::from_utf8_lossy(&status.stdout).contains(" 0 waiting"),
        "{status:?}"
    );
    std::fs::write(&c.token_file, "").expect("empty token");
    let out = c.run(&["sync"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("COUNTERDESK_HQ_TOKEN"));
}

#[test]
fn an_expired_token_is_refused_and_nothing_is_marked() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args([
            "hq",
            "token",
            "--store",
            &store,
            "--counter",
            "C-OLD",
            "--days",
            "0",
        ])
        .output()
        .expect("token");
    assert!(out.status.success());
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let hq = Hq::start(&store);
    let c = Counter::new(&s, "C-OLD", &hq.url(), &token);
    let mut desk = c.desk();
    pay_bills(&mut desk, 0, 1);
    let waiting = desk.read().upload_queue().expect("queue").waiting;
    let err = desk.flush_upload(&mut |_, _| {}).expect_err("expired");
    assert_eq!(err.key(), "sync.token");
    assert_eq!(desk.read().upload_queue().expect("queue").waiting, waiting);
    assert!(held(&store, "C-OLD").is_empty());
}

#[test]
fn a_reconciled_day_is_pruned_to_its_close_record_and_still_checks() {
    for kind in BOTH {
        let s = Scratch::new();
        let store = fresh_store(kind, &s);
        let token = issue_token(&store, "C-PRUNE");
        // HQ takes the counter's clock as it is: the records are of two days ago.
        let hq = Hq::start_with(
            &store,
            "127.0.0.1:0",
            &["--plain", "--clock-tolerance", "999999"],
            "http",
        );
        let mut c = Counter::new(&s, "C-PRUNE", &hq.url(), &token);
        c.config.hq.keep_days = 0;
        let then = chrono::Utc::now() - chrono::Duration::days(2);
        {
            let clock = counterdesk::clock::Clock::fixed(then);
            let mut desk = crate::common::desk_with_config(&c.db, clock, c.config.clone());
            pay_bills(&mut desk, 0, 3);
            desk.flush_upload(&mut |_, _| {}).expect("flush then");
        }
        let before = local(&c.db).len();
        // Today: the old day gets its final close, goes up, HQ confirms it,
        // and its records go; the close record stays.
        let mut desk = c.desk();
        desk.flush_upload(&mut |_, _| {}).expect("flush today");
        let after = local(&c.db);
        assert!(
            after.len() < before,
            "{kind:?}: {} of {before} kept",
            after.len()
        );
        let kinds: Vec<String> = rusqlite::Connection::open(&c.db)
            .expect("open")
            .prepare("SELECT kind FROM outbox")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("kinds")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert!(!kinds.iter().any(|k| k == "payment.bill"), "{kinds:?}");
        assert!(kinds.iter().any(|k| k == "day.close"), "{kinds:?}");
        // HQ still holds everything; the check still agrees for the old day.
        assert!(held(&store, &c.id).len() >= before);
        let days = desk.check_days(None).expect("check");
        assert!(
            days.iter().all(|d| d.difference == DayDifference::Agree),
            "{days:?}"
        );
    }
}
