//! The case figures: the queue over the bench database's open cases (first
//! screen drawn, then keystrokes with redraw), and recording a step (a
//! durable commit with audit and outbox) against one fsync, beside a
//! payment in the same run.

use crate::key;
use std::io::Write;

use super::*;
use counterdesk::desk::money::{BillPayment, TenderInput};
use counterdesk::domain::money::{CustomerClass, Fen, Method};

fn signed_in(db: &Path) -> App {
    let mut app = App::new(open_desk(db), Lang::Zh);
    crate::sign_in(&mut app);
    // Demo acceptances of today never printed: leave their list for later.
    if app
        .screen
        .is::<counterdesk::tui::unprinted::UnprintedSlips>()
    {
        app.handle_key(&key(KeyCode::Esc));
    }
    app
}

pub fn bench_queue(db: &Path, quick: bool) {
    let open: i64 = rusqlite::Connection::open(db)
        .and_then(|c| {
            c.query_row(
                "SELECT count(*) FROM application WHERE status = 'open'",
                [],
                |r| r.get(0),
            )
        })
        .expect("count");
    let mut app = signed_in(db);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let mut first = Vec::new();
    for _ in 0..if quick { 3 } else { 30 } {
        let t = Instant::now();
        app.handle_key(&key(KeyCode::F(7)));
        terminal.draw(|f| app.draw(f)).expect("draw");
        first.push(t.elapsed());
        let Some(q) = app.screen.get::<counterdesk::tui::queue::Queue>() else {
            panic!("not on the queue");
        };
        assert!(
            !q.rows.is_empty() && q.notice.is_none(),
            "the queue read its cases"
        );
        app.handle_key(&key(KeyCode::Esc));
    }
    report(
        &format!("queue first screen drawn ({open} open cases)"),
        first,
        "< 50 ms",
    );
    app.handle_key(&key(KeyCode::F(7)));
    let mut keys = Vec::new();
    for i in 0..if quick { 50 } else { 2000 } {
        let k = match i % 40 {
            0..=19 => KeyCode::Down,
            20..=38 => KeyCode::Up,
            _ => KeyCode::PageDown,
        };
        let t = Instant::now();
        app.handle_key(&key(k));
        terminal.draw(|f| app.draw(f)).expect("draw");
        keys.push(t.elapsed());
    }
    report("queue keystroke + redraw", keys, "p99 < 4 ms");
}

pub fn bench_step_commit(quick: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let db = dir.join("steps.db");
    for ext in ["", "-wal", "-shm", ".lock", ".seal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let n: usize = if quick { 20 } else { 300 };
    let mut desk = open_desk(&db);
    desk.demo_data(50, 7, |_| {}).expect("customers");
    desk.demo_applications(n as u64 + 10, 7, |_| {})
        .expect("applications");
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&session, "1000").expect("shift");
    let tickets: Vec<String> = rusqlite::Connection::open(&db)
        .and_then(|c| {
            let mut st = c.prepare("SELECT ticket_no FROM application ORDER BY id")?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect()
        })
        .expect("tickets");
    let probe = dir.join("fsync-steps.probe");
    let mut file = std::fs::File::create(&probe).expect("probe");
    let due = chrono::Local::now().date_naive();
    let (mut steps, mut payments, mut fsyncs) = (Vec::new(), Vec::new(), Vec::new());
    for (i, ticket) in tickets.iter().take(n).enumerate() {
        let t = Instant::now();
        desk.record_step(&session, ticket, "accept_and_sign", "合同已签")
            .expect("step");
        steps.push(t.elapsed());
        let bill = BillPayment {
            account_no: format!("05910{i:06}"),
            period: "2026-10".into(),
            arrears: Fen(12850),
            due_date: due,
            class: CustomerClass::Residential,
            tenders: vec![TenderInput {
                method: Method::Cash,
                amount: Fen(20000),
                reference: None,
            }],
            keep_excess_as_prepaid: false,
            quoted: None,
        };
        let t = Instant::now();
        desk.pay_bill(&session, &bill).expect("pay");
        payments.push(t.elapsed());
        let t = Instant::now();
        file.write_all(b"0123456789abcdef").expect("write");
        file.sync_all().expect("sync");
        fsyncs.push(t.elapsed());
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        percentile(v, 0.5).as_secs_f64()
    };
    let (s, p, f) = (
        median(&mut steps),
        median(&mut payments),
        median(&mut fsyncs),
    );
    report(
        "step recorded (commit with audit + outbox)",
        steps,
        "same ratio to fsync as a payment",
    );
    report("payment in the same run", payments, "reference");
    report("fsync of a small write (same run)", fsyncs, "reference");
    println!(
        "{:<44} step/fsync {:.2}x, payment/fsync {:.2}x (medians)",
        "step and payment against one fsync",
        s / f,
        p / f
    );
}
