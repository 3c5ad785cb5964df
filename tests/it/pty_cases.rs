//! A case moved on from the built binary in a pseudo-terminal: the clerk
//! is told at sign-in what is due, opens the queue, opens the case and
//! records its step.

use crate::common::term::Term;

const ENTER: &str = "\r";
const F7: &str = "\x1b[18~";

#[test]
fn a_clerk_opens_the_queue_and_records_a_step_in_a_real_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("cases.db");
    // A case accepted twenty days ago (past any holiday), on the system clock (the binary's).
    let ticket = {
        let ago = counterdesk::clock::Clock::fixed(chrono::Utc::now() - chrono::Duration::days(20));
        let mut desk = crate::common::desk_at(&db, ago);
        let session = desk.sign_in("1001", "counter1001").expect("sign in");
        crate::common::accept_meter_verification(&mut desk, &session)
    };
    let db_arg = db.to_string_lossy().into_owned();
    let mut t = Term::start(&["--db", &db_arg, "--lang", "zh"]);
    t.wait_for("柜员登录");
    t.send("1001");
    t.send(ENTER);
    t.send("counter1001");
    t.send(ENTER);
    // Due long ago: overdue, and the clerk owns it.
    t.wait_for("超期 1 件");
    t.send(F7);
    let screen = t.wait_for("案件队列");
    assert!(screen.contains(&ticket), "{screen}");
    assert!(screen.contains("超期"), "{screen}");
    t.send(ENTER);
    t.wait_for("在办业务");
    t.send("d");
    t.send("已受理并派工");
    t.send(ENTER);
    t.wait_for("已记录完成");
    t.send("\x11");
    let _ = t.child.wait();
    let c = rusqlite::Connection::open(&db).expect("db");
    let note: String = c
        .query_row(
            "SELECT note FROM application_step WHERE status = 'done'",
            [],
            |r| r.get(0),
        )
        .expect("done step");
    assert_eq!(note, "已受理并派工");
}
