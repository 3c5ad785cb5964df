//! Money through the real binary in a pseudo-terminal: cash with change,
//! card, split tender, a reversal refused for self-authorisation and then
//! authorised by the duty manager, a blind close with a shortage; and a
//! disk that fills up in the middle of the day.

use std::time::{Duration, Instant};

use crate::common::term::Term;

const F6: &str = "\x1b[17~";
const F7: &str = "\x1b[18~";
const F8: &str = "\x1b[19~";
const F9: &str = "\x1b[20~";
const F2: &str = "\x1bOQ";
const UP: &str = "\x1b[A";
const DOWN: &str = "\x1b[B";
const CTRL_U: &str = "\x15";
const CTRL_Q: &str = "\x11";
const ESC: &str = "\x1b";

fn count(db: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .expect("db")
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

fn sign_in_and_open_cashier(t: &mut Term, staff: &str, password: &str) {
    t.wait_for("柜员登录");
    t.send(&format!("{staff}\r"));
    t.send(&format!("{password}\r"));
    t.wait_for("欢迎");
    t.send(F6);
}

#[test]
fn a_shift_of_payments_reversal_and_blind_close_in_a_real_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("money.db");
    let db_arg = db.to_string_lossy().into_owned();
    let mut t = Term::start(&["--lang", "zh", "--db", &db_arg]);
    sign_in_and_open_cashier(&mut t, "1001", "counter1001");
    t.wait_for("开班：");
    t.send("500\r");
    t.wait_for("已开班");

    // Cash with change.
    t.send("0591000001\r");
    t.send("128.5\r");
    t.send("200\r");
    t.wait_for("收据 R1-00000001：收您 200.00 元，应收 128.50 元，找零 71.50 元");
    t.send("\r");
    // Card with its terminal reference.
    t.send("0591000002\r");
    t.send("300\r");
    t.send(&format!("{DOWN}{CTRL_U}2{UP}300{DOWN}{DOWN}POS123\r"));
    t.wait_for("收据 R1-00000002：收您 300.00 元，应收 300.00 元，找零 0.00 元");
    t.send("\r");
    // Split tender: 100.00 by QR, the rest in cash with change.
    t.send("0591000003\r");
    t.send("145.2\r");
    t.send(&format!("{DOWN}{CTRL_U}3{UP}100{DOWN}{DOWN}WX 42{F7}"));
    t.wait_for("扫码支付 100.00 元");
    t.send(&format!("{UP}50\r"));
    t.wait_for("找零 4.80 元");
    t.send("\r");

    // Reversal: the clerk's own password is refused, the duty manager's taken.
    t.send(F8);
    t.send("R1-00000001\r");
    t.send("1001\r");
    t.send("counter1001\r");
    t.send("自己授权\r");
    t.wait_for("不能由本人签认");
    t.send(ESC);
    t.send(F8);
    t.send("R1-00000001\r");
    t.send("2001\r");
    t.send("manager2001\r");
    t.send("客户要求改刷卡\r");
    t.wait_for("已冲正");
    t.send("\r");

    // Blind close: cash expected 500 + 50 − 4.80 = 545.20 (the reversed
    // payment left the drawer); counted 5 × 100 + 2 × 20 = 540.00.
    t.send(F9);
    t.send("5\r");
    t.send("\r");
    t.send("2\r");
    for _ in 0..8 {
        t.send("\r");
    }
    t.send("300\r");
    t.send("100\r");
    t.send("\r");
    t.wait_for("现金：应有 545.20 元，实点 540.00 元，长短款 -5.20 元");
    t.send("2001\r");
    t.send("manager2001\r");
    t.send("点钞短款已复核\r");
    t.wait_for("已日结");
    t.send(F2);
    t.wait_for("各方式实收");
    t.send(ESC);
    t.send(ESC);
    t.send(CTRL_Q);
    let _ = t.child.wait();

    assert_eq!(count(&db, "SELECT count(*) FROM payment"), 3);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM payment WHERE status = 'reversed' AND receipt_no = 'R1-00000001'"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM shift WHERE status = 'closed' AND note = '点钞短款已复核'"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action = 'auth.signoff_refused'"
        ),
        1
    );
}

#[test]
fn a_disk_filling_up_mid_payment_leaves_no_half_record_and_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("full.db");
    let db_arg = db.to_string_lossy().into_owned();
    // A first run sets the database up and opens the shift.
    let mut t = Term::start(&["--lang", "zh", "--db", &db_arg]);
    sign_in_and_open_cashier(&mut t, "1001", "counter1001");
    t.wait_for("开班：");
    t.send("100\r");
    t.wait_for("已开班");
    t.send(CTRL_Q);
    let _ = t.child.wait();
    let size = std::fs::metadata(&db).expect("db").len();
    // Then no file may grow beyond the database's size plus a little: the
    // write-ahead log fills up after a few payments, as a full disk would.
    let limit_kib = size / 1024 + 48;
    let mut t = Term::start_under_bash(
        &format!("ulimit -f {limit_kib}; trap '' XFSZ; exec \"$0\" \"$@\""),
        &["--lang", "zh", "--db", &db_arg],
    );
    sign_in_and_open_cashier(&mut t, "1001", "counter1001");
    t.wait_for("户号");
    let mut announced = 0;
    let mut refusal = None;
    for i in 0..200 {
        let account = format!("0592{i:06}");
        t.send(&format!("{account}\r"));
        t.send("12.5\r");
        t.send("20\r");
        let deadline = Instant::now() + Duration::from_secs(20);
        let screen = loop {
            let s = t.contents();
            if s.contains("找零 7.50 元") || s.contains("没有保存") {
                break s;
            }
            assert!(Instant::now() < deadline, "neither paid nor refused:\n{s}");
            std::thread::sleep(Duration::from_millis(20));
        };
        if screen.contains("没有保存") {
            refusal = Some((account, screen));
            break;
        }
        announced += 1;
        t.send("\r");
    }
    let (account, screen) = refusal.expect("the disk never filled up");
    eprintln!("{announced} payments fitted; then:\n{screen}");
    assert!(announced > 0, "not even one payment fitted:\n{screen}");
    assert!(
        screen.contains("没有留下半条记录"),
        "the clerk is told nothing was kept:\n{screen}"
    );
    assert!(
        screen.contains(&account) && screen.contains("12.5"),
        "what was typed is kept:\n{screen}"
    );
    t.send(CTRL_Q);
    std::thread::sleep(Duration::from_millis(300));
    let _ = t.child.kill();
    let _ = t.child.wait();

    // With room again: integrity and the audit chain hold, every announced
    // payment is there with its tenders, numbers run without gaps, and the
    // refused one left nothing behind.
    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "en", "--db", &db_arg, "verify"])
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("verify");
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{out}");
    assert_eq!(count(&db, "SELECT count(*) FROM payment"), announced);
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM payment WHERE account_no = '{account}'")
        ),
        0
    );
    assert_eq!(
        count(&db, "SELECT coalesce(max(last), 0) FROM receipt_counter"),
        announced
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM payment p WHERE NOT EXISTS (SELECT 1 FROM payment_tender t WHERE t.payment_id = p.id)"),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action = 'payment.bill'"
        ),
        announced
    );
}

#[test]
fn a_payment_committed_just_before_a_kill_is_shown_at_the_next_start_until_printed() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("killed.db");
    let db_arg = db.to_string_lossy().into_owned();
    let mut t = Term::start(&["--lang", "zh", "--db", &db_arg]);
    sign_in_and_open_cashier(&mut t, "1001", "counter1001");
    t.wait_for("开班：");
    t.send("500\r");
    t.wait_for("已开班");
    t.send("0591000039\r");
    t.send("128.5\r");
    t.send("200\r");
    // Committed and announced; the workstation dies before P is pressed.
    t.wait_for("找零 71.50 元");
    t.child.kill().expect("kill -9");
    let _ = t.child.wait();

    let mut t = Term::start(&["--lang", "zh", "--db", &db_arg]);
    t.wait_for("柜员登录");
    t.send("1001\r");
    t.send("counter1001\r");
    let s = t.wait_for("收据未打印");
    assert!(
        s.contains("R1-00000001 128.50 元 户号 0591000039 已于"),
        "{s}"
    );
    t.send("p");
    t.wait_for("未打印的凭证都已处理");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM slip WHERE kind = 'payment_receipt' AND number = 'R1-00000001'"
        ),
        1
    );
    // Nothing left: the cashier opens on its entry.
    t.send(ESC);
    t.send(F6);
    let s = t.wait_for("户号");
    assert!(!s.contains("凭证未打印"), "{s}");
    t.send(CTRL_Q);
    let _ = t.child.wait();
}
