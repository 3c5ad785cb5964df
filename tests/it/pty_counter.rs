//! The built binary in a pseudo-terminal, as a clerk's terminal runs it:
//! sign in, register a customer, find the customer again, quit; then a
//! second start on the same database is refused while the first runs.

use std::time::{Duration, Instant};

use crate::common::term::Term;

const ENTER: &str = "\r";

#[test]
fn sign_in_register_find_again_in_a_real_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("pty.db");
    let db_arg = db.to_string_lossy().into_owned();
    let mut t = Term::start(&["--db", &db_arg, "--lang", "zh"]);
    t.wait_for("柜员登录");
    t.send("1001");
    t.send(ENTER);
    t.send("counter1001");
    t.send(ENTER);
    t.wait_for("欢迎，张敏");

    // A second workstation on the same file is refused with a clear message.
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--db", &db_arg])
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("second");
    assert_eq!(second.status.code(), Some(3));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("正被另一个 counterdesk 工作站使用"), "{err}");

    t.send("350102199003071234");
    t.send(ENTER);
    t.wait_for("未找到该客户");
    t.send("林晓东");
    t.send(ENTER);
    t.send("13912345678");
    t.send(ENTER);
    t.send(ENTER);
    let screen = t.wait_for("客户已登记");
    assert!(screen.contains("350102********1234"), "{screen}");
    assert!(screen.contains("139****5678"), "{screen}");

    // F2: new look-up; the same ID finds the card at once.
    t.send("\x1bOQ");
    t.send("350102199003071234");
    t.send(ENTER);
    let screen = t.wait_for("林晓东");
    assert!(!screen.contains("未找到"), "{screen}");

    // Ctrl+Q quits and restores the terminal (alternate screen left).
    t.send("\x11");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = t.child.try_wait().expect("wait") {
            break s;
        }
        assert!(Instant::now() < deadline, "did not exit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    t.pump();
    assert!(
        !t.parser.screen().alternate_screen(),
        "alternate screen still on after exit"
    );

    // The record is on disk and the audit chain verifies.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--db", &db_arg, "--lang", "en", "verify"])
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("verify");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("integrity check: ok") && text.contains("Audit chain intact"),
        "{text}"
    );
    let c = rusqlite::Connection::open(&db).expect("db");
    let name: String = c
        .query_row(
            "SELECT name FROM customer WHERE id_no = '350102199003071234'",
            [],
            |r| r.get(0),
        )
        .expect("row");
    assert_eq!(name, "林晓东");
}

#[test]
fn sign_in_to_accepted_application_in_a_real_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("accept.db");
    let db_arg = db.to_string_lossy().into_owned();
    let mut t = Term::start(&["--db", &db_arg, "--lang", "zh"]);
    t.wait_for("柜员登录");
    for k in ["1001", ENTER, "counter1001", ENTER] {
        t.send(k);
    }
    t.wait_for("欢迎，张敏");
    for k in ["440305198506123419", ENTER] {
        t.send(k);
    }
    t.wait_for("未找到该客户");
    for k in [
        "黄丽华",
        ENTER,
        "13912345678",
        ENTER,
        "广东省深圳市南山区科技园路8号",
        ENTER,
    ] {
        t.send(k);
    }
    t.wait_for("客户已登记");
    // F3: new application; jmxz finds 居民新装.
    t.send("\x1bOR");
    t.wait_for("选择业务");
    t.send("jmxz");
    t.send(ENTER);
    t.wait_for("申请容量");
    for k in [ENTER, ENTER, "6", ENTER] {
        t.send(k);
    }
    // F10 (CSI 21~): on to the disclosure checklist.
    t.send("\x1b[21~");
    t.wait_for("一、申请材料");
    for _ in 0..6 {
        t.send(" ");
    }
    t.send("c");
    t.send("\x1b[21~");
    let screen = t.wait_for("已受理，受理编号");
    assert!(
        screen.contains("SL") && screen.contains("首问负责人：张敏"),
        "{screen}"
    );
    t.send(ENTER);
    t.wait_for("在办业务（1）");
    t.send("\x11");
    let deadline = Instant::now() + Duration::from_secs(10);
    while t.child.try_wait().expect("wait").is_none() {
        assert!(Instant::now() < deadline, "did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
    let c = rusqlite::Connection::open(&db).expect("db");
    let (n, owed): (i64, i64) = c
        .query_row(
            "SELECT (SELECT count(*) FROM application), (SELECT count(*) FROM application_material WHERE status = 'owed')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("rows");
    assert_eq!((n, owed), (1, 1));
}

#[test]
fn read_only_commands_run_beside_a_working_workstation_and_writing_ones_wait() {
    use crate::common::hq::{fresh_store, issue_token, Counter, Hq, Kind};
    let s = crate::common::Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-BESIDE");
    let hq = Hq::start(&store);
    let c = Counter::new(&s, "C-BESIDE", &hq.url(), &token);
    {
        let mut desk = c.desk();
        crate::common::pay_bills(&mut desk, 0, 2);
        desk.flush_upload(&mut |_, _| {}).expect("flush");
    }
    let cfg = c.config_file();
    let (cfg, db) = (
        cfg.to_string_lossy().into_owned(),
        c.db.to_string_lossy().into_owned(),
    );
    let mut t = Term::start(&["--config", &cfg, "--db", &db]);
    t.wait_for("Clerk sign-in");
    t.send("1001\r");
    t.send("counter1001\r");
    t.wait_for("Welcome");
    for args in [
        vec!["sync", "--status"],
        vec!["sync", "--check"],
        vec!["verify"],
        vec!["case", "overdue"],
    ] {
        let o = c.run(&args);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{args:?} beside the workstation: {said}"
        );
        assert!(!said.contains("in use"), "{args:?}: {said}");
    }
    // A command that writes waits for the window to close.
    let o = c.run(&["demo-data", "--customers", "1"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("in use"),
        "{o:?}"
    );
    t.send("\x11");
    let _ = t.child.wait();
}

#[test]
fn a_sign_out_that_cannot_be_recorded_at_ctrl_q_is_said_on_the_terminal() {
    let s = crate::common::Scratch::new();
    let db = s.db().to_string_lossy().into_owned();
    let mut t = Term::start(&["--lang", "zh", "--db", &db]);
    t.wait_for("柜员登录");
    t.send("1001\r");
    t.send("counter1001\r");
    t.wait_for("欢迎");
    rusqlite::Connection::open(s.db())
        .expect("db")
        .execute_batch(
            "CREATE TRIGGER no_room BEFORE INSERT ON audit_log WHEN NEW.action = 'auth.sign_out'
             BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;",
        )
        .expect("trigger");
    t.send("\x11");
    let _ = t.child.wait();
    let shown = t.wait_for("签退记录未能保存");
    assert!(shown.contains("张敏 已签退"), "{shown}");
}

#[test]
fn a_display_port_already_taken_is_said_at_start_and_the_counter_works_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("display.db");
    let db_arg = db.to_string_lossy().into_owned();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("addr").to_string();
    let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_counterdesk"));
    for a in ["--db", &db_arg, "--lang", "en"] {
        cmd.arg(a);
    }
    cmd.env("COUNTERDESK_DISPLAY", &address);
    let mut t = Term::spawn(cmd);
    let text = t.wait_for("another program already listens");
    assert!(text.contains(&address), "{text}");
    // The counter works on: a clerk signs in.
    for k in ["1001", ENTER, "counter1001", ENTER] {
        t.send(k);
    }
    t.wait_for("Welcome");
}
