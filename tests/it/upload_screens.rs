//! The upload as the clerk sees it, on the App with key scripts: the link
//! to HQ in the header, the upload screen with a quarantined record a duty
//! manager looks at and sends again, and what HQ sent down on the customer
//! card, in the customers search and at the cashier.

use std::time::{Duration, Instant};

use crate::common::hq::{fresh_store, issue_token, publish, Counter, Hq, Kind};
use crate::common::{keys, screen, sign_in, Scratch};
use counterdesk::desk::customers::NewCustomer;
use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;

fn wait_for(app: &mut App, what: &str) -> String {
    let start = Instant::now();
    loop {
        let s = screen(app);
        if s.contains(what) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no {what:?} in:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_header_shows_hq_online_then_offline_with_what_waits() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-HEAD");
    let mut hq = Hq::start(&store);
    let mut c = Counter::new(&s, "C-HEAD", &hq.url(), &token);
    c.config.hq.interval_seconds = 1;
    c.config.hq.max_backoff_seconds = 1;
    let mut desk = c.desk();
    desk.start_sync();
    let mut app = App::new(desk, Lang::Zh);
    sign_in(&mut app, "1001", "counter1001");
    // Signing in was written and went up at once.
    let s1 = wait_for(&mut app, "总部:在线 待传0");
    assert!(s1.contains("成功"), "{s1}");
    hq.kill();
    // The cashier's shift opens offline; the header counts what waits.
    keys(&mut app, "<F6>1000<Enter>");
    let s2 = wait_for(&mut app, "总部:离线");
    assert!(s2.contains("待传"), "{s2}");
    assert!(!s2.contains("待传0 "), "the new records wait: {s2}");
    // HQ comes back: the timer brings the retry, no new write needed.
    hq.restart(&["--plain"]);
    wait_for(&mut app, "总部:在线 待传0");
}

#[test]
fn a_duty_manager_looks_at_a_quarantined_record_and_sends_it_again() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-HELD");
    let _hq = Hq::start(&store);
    let c = Counter::new(&s, "C-HELD", &_hq.url(), &token);
    {
        let mut desk = c.desk();
        let session = desk.sign_in("1001", "counter1001").expect("sign in");
        desk.start_shift(&session, "300").expect("shift");
    }
    let conn = rusqlite::Connection::open(&c.db).expect("open");
    conn.execute(
        "UPDATE outbox SET payload = CAST('not json' AS BLOB) WHERE kind = 'shift.open'",
        [],
    )
    .expect("damage");
    drop(conn);
    let mut desk = c.desk();
    assert_eq!(
        desk.flush_upload(&mut |_, _| {})
            .expect("flush")
            .quarantined,
        1
    );
    let mut app = App::new(desk, Lang::Zh);

    // A clerk sees the record and why, but may not open it.
    sign_in(&mut app, "1001", "counter1001");
    keys(&mut app, "<F9>");
    let list = screen(&app);
    assert!(list.contains("上传到总部"), "{list}");
    assert!(
        list.contains("隔离") && list.contains("shift.open"),
        "{list}"
    );
    assert!(list.contains("sha256"), "HQ's reason is shown: {list}");
    keys(&mut app, "<Enter>");
    assert!(screen(&app).contains("只有值班长"), "{}", screen(&app));
    keys(&mut app, "<Esc><F12>");

    // The duty manager opens it and sends it again.
    sign_in(&mut app, "2001", "manager2001");
    keys(&mut app, "<F9><Enter>");
    let payload = screen(&app);
    assert!(payload.contains("not json"), "the stored bytes: {payload}");
    keys(&mut app, "<Esc><F7>");
    let queued = screen(&app);
    assert!(queued.contains("已排入重发"), "{queued}");
    keys(&mut app, "<F7>");
    assert!(
        screen(&app).contains("不在隔离中"),
        "not twice: {}",
        screen(&app)
    );
}

#[test]
fn accounts_sent_down_find_the_customer_and_show_at_the_cashier() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-ACC");
    let hq = Hq::start(&store);
    publish(
        &store,
        &s,
        r#"[
 {"kind":"account","account_no":"0591777001","holder_name":"张伟","holder_id":"11010519491231002X","address":"人民路1号","state":"normal"},
 {"kind":"account","account_no":"0591777002","holder_name":"张伟","holder_id":"11010519491231002X","address":"人民路3号","state":"cut_off"},
 {"kind":"bill","account_no":"0591777002","period":"2026-11","holder_name":"张伟","class":"residential","arrears_fen":8800,"due_date":"2026-12-20"}
]"#,
    );
    let c = Counter::new(&s, "C-ACC", &hq.url(), &token);
    let mut desk = c.desk();
    assert_eq!(desk.pull_from_hq().expect("pull"), 3);
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.register(
        &clerk,
        &NewCustomer {
            id_input: "11010519491231002X".into(),
            name: "张伟".into(),
            name_latin: String::new(),
            phone: "13800138000".into(),
            address: "人民路1号".into(),
        },
        None,
    )
    .expect("register");
    let mut app = App::new(desk, Lang::Zh);
    sign_in(&mut app, "1001", "counter1001");

    // The account number finds the holder; the card lists both accounts.
    keys(&mut app, "0591777002<Enter>");
    let card = screen(&app);
    assert!(card.contains("张伟"), "{card}");
    assert!(
        card.contains("0591777001") && card.contains("0591777002"),
        "{card}"
    );
    assert!(card.contains("欠费停电"), "{card}");
    // An unknown account number says what to do.
    keys(&mut app, "<F2>0591999999<Enter>");
    assert!(
        screen(&app).contains("没有户号 0591999999"),
        "{}",
        screen(&app)
    );

    // At the cashier, HQ's bill comes up with whose account it is.
    keys(&mut app, "<F2><F6>500<Enter>0591777002<Enter>");
    let cashier = screen(&app);
    assert!(cashier.contains("2026-11"), "{cashier}");
    assert!(cashier.contains("88.00"), "HQ's amount: {cashier}");
    assert!(
        cashier.contains("户主 张伟") && cashier.contains("欠费停电"),
        "{cashier}"
    );
}

#[test]
fn practice_work_never_enters_the_outbox() {
    let s = Scratch::new();
    let mut desk = crate::common::desk_at(&s.db(), crate::common::clock());
    let before: i64 = rusqlite::Connection::open(s.db())
        .expect("open")
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .expect("count");
    desk.set_training(true);
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&session, "100").expect("shift");
    desk.start_sync();
    assert!(desk.link_status().is_none(), "no uploader in practice");
    assert_eq!(
        desk.flush_upload(&mut |_, _| {})
            .expect_err("practice")
            .key(),
        "upload.practice"
    );
    let conn = rusqlite::Connection::open(s.db()).expect("open");
    let after: i64 = conn
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .expect("count");
    assert_eq!(after, before, "nothing of practice is queued for HQ");
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'shift.open'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 1, "practice is still audited");
}

#[test]
fn the_back_offices_steps_sent_down_show_on_the_open_application() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-STEPS");
    let hq = Hq::start(&store);
    let c = Counter::new(&s, "C-STEPS", &hq.url(), &token);
    let mut desk = c.desk();
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let ticket = crate::common::accept_meter_verification(&mut desk, &clerk);
    publish(
        &store,
        &s,
        &format!(
            r#"[{{"kind":"case_step","ticket":"{ticket}","step":"accept","state":"done","at":"2026-11-30T02:00:00Z","note":"校验合格，误差 0.3%"}}]"#
        ),
    );
    // An HQ of a later version sends a state this counter does not know
    // (`hq publish` here refuses it; the store takes it as a newer HQ would).
    let bogus = counterdesk::domain::upload::FeedData::CaseStep {
        ticket: ticket.clone(),
        step: "test_and_result".into(),
        state: "bogus".into(),
        at: "2026-11-30T02:00:00Z".into(),
        note: String::new(),
    };
    counterdesk::hq::open(&store)
        .and_then(|mut h| h.publish(&[bogus]))
        .expect("a newer HQ's item");
    // (The first step: a case whose last step HQ reports done is completed
    // and leaves the open list.) The item with a state nobody knows is
    // held, not applied; the feed goes on.
    assert_eq!(desk.pull_from_hq().expect("pull"), 1);
    let (held, n) = desk.read().feed_held(10).expect("held");
    assert_eq!(n, 1);
    assert_eq!(
        held[0].reason,
        counterdesk::domain::feed::HeldReason::UnknownValue("bogus".into())
    );
    let mut app = App::new(desk, Lang::Zh);
    sign_in(&mut app, "1001", "counter1001");
    // The acceptance above printed nothing: it is shown first; later.
    assert!(screen(&app).contains("受理回执未打印"), "{}", screen(&app));
    keys(&mut app, "<Esc>11010519491231002X<Enter><F4>");
    let list = screen(&app);
    assert!(list.contains("后台进度"), "{list}");
    assert!(list.contains("校验合格，误差 0.3%"), "{list}");
    // The upload screen lists what was held and why.
    keys(&mut app, "<Esc><Esc><F9>");
    let upload = screen(&app);
    assert!(
        upload.contains("总部下发但本柜台未能使用的 1 条"),
        "{upload}"
    );
    assert!(
        upload.contains("case_step") && upload.contains("“bogus”"),
        "{upload}"
    );
}

#[test]
fn hqs_clerk_list_and_grid_table_reach_the_card_and_the_hand_over() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-GRID");
    let hq = Hq::start(&store);
    publish(
        &store,
        &s,
        r#"[
 {"kind":"clerk","staff_no":"5001","name":"周敏","role":"clerk","hall":"东区营业厅"},
 {"kind":"grid","grid":"G-07","name":"人民路网格","manager":"王五","phone":"0591-22223333","streets":["人民路","解放路"]},
 {"kind":"grid","grid":"G-08","name":"朝阳人民路网格","manager":"赵六","phone":"0591-44445555","streets":["朝阳区人民路"]}
]"#,
    );
    let c = Counter::new(&s, "C-GRID", &hq.url(), &token);
    let mut desk = c.desk();
    assert_eq!(desk.pull_from_hq().expect("pull"), 3);
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    // 张伟 lives at 北京市朝阳区人民路1号: the more specific street wins.
    let ticket = crate::common::accept_meter_verification(&mut desk, &clerk);
    let refused = desk
        .hand_over(&clerk, &ticket, "5001", "客户搬到东区")
        .expect_err("not at this hall");
    let text = counterdesk::i18n::text(refused.msg(), Lang::Zh);
    assert!(
        text.contains("周敏") && text.contains("东区营业厅"),
        "{text}"
    );
    let mut app = App::new(desk, Lang::Zh);
    sign_in(&mut app, "1001", "counter1001");
    keys(&mut app, "<Esc>11010519491231002X<Enter>");
    let card = screen(&app);
    assert!(
        card.contains("服务网格：朝阳人民路网格") && card.contains("赵六"),
        "{card}"
    );
}
