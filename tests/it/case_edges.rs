//! Cases at their edges, through the real App and desk: a step that waits
//! for the customer's request, a complaint HQ finishes still waiting for
//! its return visit, what Enter does on rows not accepted here, a
//! reconnection late by the hour in the morning check, a cheque that books
//! the reconnection only once its funds arrive, and malformed dates from
//! HQ skipped without breaking the queue.

use crate::common::{desk_at, keys, screen, sign_in, Scratch};
use chrono::{Duration, TimeZone, Utc};
use counterdesk::clock::Clock;
use counterdesk::domain::msg::Lang;
use counterdesk::domain::upload::{FeedData, FeedItem};
use counterdesk::tui::App;
use rusqlite::Connection;

/// 09:00 in Beijing on a day, as a fixed clock.
fn at(y: i32, m: u32, d: u32) -> Clock {
    Clock::fixed(
        Utc.with_ymd_and_hms(y, m, d, 1, 0, 0)
            .single()
            .expect("time"),
    )
}

/// The ticket a just-accepted application's screen names.
fn ticket_on(text: &str) -> String {
    text.split("受理编号 ")
        .nth(1)
        .and_then(|r| r.split('。').next())
        .expect("accepted")
        .to_string()
}

/// Registers 王秀英 and accepts a residential install, back on the card.
fn accept_residential(a: &mut App) -> String {
    keys(
        a,
        "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>",
    );
    keys(a, "<F3>5<Enter><Enter><Enter>8<Enter><F10>      c<F10>");
    let ticket = ticket_on(&screen(a));
    keys(a, "<Enter>");
    ticket
}

fn apply(
    db: &std::path::Path,
    clock: Clock,
    items: &[FeedItem],
    plan: Option<&counterdesk::domain::case::CaseRules>,
) {
    let mut store = counterdesk::store::Store::open_unlocked(db, clock).expect("store");
    counterdesk::store::hq_feed::apply_page(&mut store, items, plan).expect("feed");
}

#[test]
fn a_step_the_customer_must_ask_for_waits_until_they_do() {
    let s = Scratch::new();
    // Tuesday 2026-11-24.
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 24)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let ticket = accept_residential(&mut a);
    // Make the construction step one the customer asks for (as the
    // completion inspection of a high-voltage connection is).
    let c = Connection::open(s.db()).expect("db");
    c.execute(
        "UPDATE application_step SET starts_from = 'CustomerRequest', due_date = NULL
         WHERE seq = 2 AND application_id = (SELECT id FROM application WHERE ticket_no = ?1)",
        [&ticket],
    )
    .expect("update");
    keys(&mut a, "<F4>d合同已签<Enter>");
    let text = screen(&a);
    assert!(text.contains("等客户申请后开始计时"), "{text}");
    let due: Option<String> = c
        .query_row(
            "SELECT due_date FROM application_step WHERE seq = 2",
            [],
            |r| r.get(0),
        )
        .expect("due");
    assert_eq!(due, None, "no clock runs before the request");
    // Two days later the customer asks: the clock runs from then, four
    // working days: Fri 27, Mon 30, Tue 1, Wed 12-02.
    a.desk.clock().advance(Duration::days(2));
    keys(&mut a, "s");
    let text = screen(&a);
    assert!(
        text.contains("已记录客户申请，环节开始计时，2026-12-02 前办完"),
        "{text}"
    );
    keys(&mut a, "s");
    assert!(screen(&a).contains("已经在计时"), "{}", screen(&a));
    // Done, and the case waits for nothing more; D again is told why.
    keys(&mut a, "d已送电<Enter>");
    let text = screen(&a);
    assert!(text.contains("最后一个环节已完成"), "{text}");
    // A closed case is handed to nobody; nor does a trainer hand one over.
    let clerk = a.desk.sign_in("1002", "counter1002").expect("1002");
    let closed = a
        .desk
        .hand_over(&clerk, &ticket, "1001", "换人跟进")
        .expect_err("closed");
    assert_eq!(closed.key(), "case.closed");
    let trainer = a.desk.sign_in("3001", "trainer3001").expect("3001");
    let role = a
        .desk
        .hand_over(&trainer, &ticket, "1002", "换人跟进")
        .expect_err("trainer");
    assert_eq!(role.key(), "case.counter_staff_only");
}

#[test]
fn a_complaint_hq_finishes_waits_here_for_its_return_visit() {
    let s = Scratch::new();
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 30)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let ticket = crate::common::accept_complaint(&mut a);
    keys(&mut a, "<Enter>");
    // HQ's back office answers it on Wednesday 12-02.
    let plan = a.desk.case_rules();
    let items = vec![FeedItem {
        hq_seq: 1,
        data: FeedData::CaseStep {
            ticket: ticket.clone(),
            step: "answer".into(),
            state: "done".into(),
            at: "2026-12-02T06:00:00Z".into(),
            note: "已答复".into(),
        },
    }];
    apply(&s.db(), at(2026, 12, 2), &items, Some(&plan));
    let c = Connection::open(s.db()).expect("db");
    let (status, visit): (String, Option<String>) = c
        .query_row(
            "SELECT status, visit_due FROM application WHERE ticket_no = ?1",
            [&ticket],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row");
    // Open until the visit, due three working days after HQ's answer.
    assert_eq!(
        (status.as_str(), visit.as_deref()),
        ("open", Some("2026-12-07"))
    );
    // D now says the case waits for its visit, in words.
    keys(&mut a, "<F4>d<Enter>");
    assert!(
        screen(&a).contains("正在等待回访：请按 F 记录回访"),
        "{}",
        screen(&a)
    );
    // On the visit's day its owner is told at sign-in.
    keys(&mut a, "<Esc><Esc><F12>");
    a.desk.clock().advance(Duration::days(7));
    sign_in(&mut a, "1001", "counter1001");
    assert!(screen(&a).contains("今天到期 1 件"), "{}", screen(&a));
    // `case show` says HQ did the steps.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args([
            "--db",
            s.db().to_str().expect("p"),
            "--lang",
            "zh",
            "case",
            "show",
            &ticket,
        ])
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("总部完成"), "{text}");
}

/// HQ's list: account 0591000007 cut off for arrears with one unpaid bill,
/// and a case HQ sent down for this hall.
fn cut_off_and_sent_down(s: &Scratch, clock: Clock) {
    let items = vec![
        FeedItem {
            hq_seq: 1,
            data: FeedData::Account {
                account_no: "0591000007".into(),
                holder_name: "王秀英".into(),
                holder_id: "11010519491231002X".into(),
                address: "北京市朝阳区人民路1号".into(),
                state: "cut_off".into(),
            },
        },
        FeedItem {
            hq_seq: 2,
            data: FeedData::Bill {
                account_no: "0591000007".into(),
                period: "2026-10".into(),
                holder_name: "王秀英".into(),
                class: "residential".into(),
                arrears_fen: 10000,
                due_date: "2026-11-15".into(),
            },
        },
        FeedItem {
            hq_seq: 3,
            data: FeedData::Case {
                ticket: "HQ-2026-0042".into(),
                holder_name: "赵六".into(),
                holder_id: "110101199001011237".into(),
                form: "lv_residential_new".into(),
                step: "build_and_connect".into(),
                due_date: Some("2026-11-26".into()),
                owner: "1001".into(),
                open: true,
            },
        },
        // A malformed date: skipped, and nothing else breaks.
        FeedItem {
            hq_seq: 4,
            data: FeedData::Case {
                ticket: "HQ-2026-0043".into(),
                holder_name: "钱七".into(),
                holder_id: "110101199001011237".into(),
                form: "lv_residential_new".into(),
                step: "build_and_connect".into(),
                due_date: Some("26/11/2026".into()),
                owner: "1001".into(),
                open: true,
            },
        },
    ];
    // Created (and migrated) as the workstation would, then fed.
    drop(counterdesk::store::Store::open(&s.db(), clock.clone()).expect("store"));
    apply(&s.db(), clock, &items, None);
}

#[test]
fn enter_on_rows_worked_elsewhere_says_where_and_a_late_reconnection_counts_in_hours() {
    let s = Scratch::new();
    cut_off_and_sent_down(&s, at(2026, 11, 24));
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 24)), Lang::En);
    sign_in(&mut a, "1001", "counter1001");
    // 100.00 owed and 1.00 late fee.
    keys(&mut a, "<F6>1000<Enter>0591000007<Enter>101<Enter>");
    assert!(
        screen(&a).contains("reconnection arranged"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<Esc><Esc><F7>");
    let queue = screen(&a);
    // HQ's step id is shown by the form's name, in the reader's language
    // (cut to its column).
    assert!(
        queue.contains("Construc") && !queue.contains("build_an"),
        "{queue}"
    );
    assert!(
        !queue.contains("HQ-2026-0043"),
        "a malformed row is skipped: {queue}"
    );
    // The reconnection tops the queue; Enter says who does it.
    keys(&mut a, "<Enter>");
    let text = screen(&a);
    assert!(text.contains("HQ's field crew reconnects it"), "{text}");
    // The case HQ sent down: Enter says it is worked in HQ's systems.
    keys(&mut a, "<Down><Enter>");
    let text = screen(&a);
    assert!(text.contains("worked in HQ's systems"), "{text}");
    // Thirty hours after the payment the household is still cut off: the
    // morning check lists it six hours late.
    a.desk.clock().advance(Duration::hours(30));
    let late = a.desk.overdue().expect("overdue");
    let first = late.first().expect("a late reconnection");
    assert_eq!(first.row.ticket, "0591000007");
    assert_eq!(
        first.urgency,
        counterdesk::domain::case::Urgency::LateHours(6)
    );
}

#[test]
fn a_cheque_books_the_reconnection_only_once_its_funds_arrive() {
    use counterdesk::desk::money::{BillPayment, TenderInput};
    use counterdesk::domain::money::{Fen, Method};
    let s = Scratch::new();
    cut_off_and_sent_down(&s, at(2026, 11, 24));
    let mut desk = desk_at(&s.db(), at(2026, 11, 24));
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&clerk, "0").expect("shift");
    let bill = desk
        .read()
        .open_bills("0591000007")
        .expect("bills")
        .into_iter()
        .next()
        .expect("bill");
    let paid = desk
        .pay_bill(
            &clerk,
            &BillPayment {
                account_no: "0591000007".into(),
                period: bill.period.clone(),
                arrears: bill.arrears,
                due_date: bill.due_date,
                class: bill.class,
                tenders: vec![TenderInput {
                    method: Method::Cheque,
                    amount: Fen(10100),
                    reference: Some("000123".into()),
                }],
                keep_excess_as_prepaid: false,
                quoted: None,
            },
        )
        .expect("pay");
    assert!(paid.held);
    assert_eq!(
        paid.reconnect_by, None,
        "no reconnection on an uncleared cheque"
    );
    let c = Connection::open(s.db()).expect("db");
    let count = || -> i64 {
        c.query_row("SELECT count(*) FROM reconnection", [], |r| r.get(0))
            .expect("n")
    };
    assert_eq!(count(), 0);
    desk.confirm_cheque(&clerk, &paid.receipt_no, "BANK-778")
        .expect("confirm");
    assert_eq!(count(), 1, "the funds arrived: the reconnection is booked");
}

/// The queue names its columns and never cuts a step's name; F3 steps
/// only through business types that have open cases.
#[test]
fn the_queue_names_its_columns_shows_whole_step_names_and_filters_by_types_with_cases() {
    let s = Scratch::new();
    let mut desk = desk_at(&s.db(), at(2026, 11, 24));
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let other = counterdesk::desk::customers::NewCustomer {
        id_input: "110101198512030072".into(),
        name: "吴敏".into(),
        name_latin: String::new(),
        phone: "13800138001".into(),
        address: "北京市东城区东四十条1号".into(),
    };
    let meter = crate::common::accept_meter_verification_of(&mut desk, &clerk, &other);
    desk.record_step(&clerk, &meter, "accept", "")
        .expect("step");
    let mut a = App::new(desk, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<Esc>");
    let residential = accept_residential(&mut a);
    keys(&mut a, "<F2><F7>");
    let queue = screen(&a);
    for col in [
        "紧急程度",
        "受理编号",
        "客户",
        "业务",
        "当前环节",
        "到期",
        "负责人",
    ] {
        assert!(queue.contains(col), "{col}: {queue}");
    }
    assert!(
        queue.contains("校验并告知结果"),
        "the whole step name: {queue}"
    );
    // F3: one type with cases, the other, then all again; the 16 types
    // without a case are never offered.
    keys(&mut a, "<F3>");
    let one = screen(&a);
    keys(&mut a, "<F3>");
    let two = screen(&a);
    keys(&mut a, "<F3>");
    let all = screen(&a);
    let shows = |t: &str, ticket: &str| t.contains(ticket);
    assert!(shows(&one, &residential) != shows(&one, &meter), "{one}");
    assert!(shows(&two, &residential) != shows(&two, &meter), "{two}");
    assert!(
        shows(&one, &meter) != shows(&two, &meter),
        "two different types"
    );
    assert!(
        shows(&all, &meter) && shows(&all, &residential),
        "all again: {all}"
    );
}

/// F and D are refused before anything is typed when they cannot be done;
/// a resume after no working day says nothing moved.
#[test]
fn a_visit_or_step_that_cannot_be_recorded_is_refused_at_once() {
    let s = Scratch::new();
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 24)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    accept_residential(&mut a);
    keys(&mut a, "<F4>f");
    let shown = screen(&a);
    assert!(shown.contains("这个案件没有等待回访"), "{shown}");
    assert!(!shown.contains("回访方式"), "nothing asked: {shown}");
    // Paused and resumed the same day: no working day passed.
    keys(&mut a, "z客户房屋未完工<Enter>z");
    let shown = screen(&a);
    assert!(shown.contains("到期日不变"), "{shown}");
    assert!(!shown.contains("已顺延"), "{shown}");
}
