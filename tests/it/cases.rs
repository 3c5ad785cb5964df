//! Cases after the window, driven through the real App with key scripts:
//! a residential install stepped to completion with its due dates checked
//! against the calendar by hand, a pause across the National Day holiday,
//! the queue's order at a fixed clock, refusals, and the command line.

use crate::common::{desk_at, keys, screen, sign_in, Scratch};
use chrono::{Duration, TimeZone, Utc};
use counterdesk::clock::Clock;
use counterdesk::domain::msg::Lang;
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

/// Registers a customer and accepts a residential install for them (8 kW),
/// back on the card afterwards.
fn accept_residential(a: &mut App, id: &str, name: &str) -> String {
    keys(a, "<F2>");
    keys(
        a,
        &format!("{id}<Enter>{name}<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>"),
    );
    keys(a, "<F3>5<Enter><Enter><Enter>8<Enter><F10>      c<F10>");
    let text = screen(a);
    let ticket = text
        .split("受理编号 ")
        .nth(1)
        .and_then(|r| r.split('。').next())
        .expect("accepted")
        .to_string();
    keys(a, "<Enter>");
    ticket
}

fn steps(
    db: &std::path::Path,
    ticket: &str,
) -> Vec<(String, String, Option<String>, Option<String>)> {
    let c = Connection::open(db).expect("db");
    let mut st = c
        .prepare(
            "SELECT s.step_id, s.status, s.due_date, s.note FROM application_step s
             JOIN application a ON a.id = s.application_id WHERE a.ticket_no = ?1 ORDER BY s.seq",
        )
        .expect("prepare");
    let rows = st
        .query_map([ticket], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

/// What the desk says when `staff_no` records `step` of `ticket` done.
fn refusal(a: &mut App, staff_no: &str, password: &str, ticket: &str, step: &str) -> &'static str {
    let session = a.desk.sign_in(staff_no, password).expect("sign in");
    a.desk
        .record_step(&session, ticket, step, "")
        .expect_err("refused")
        .key()
}

fn status(db: &std::path::Path, ticket: &str) -> String {
    let c = Connection::open(db).expect("db");
    c.query_row(
        "SELECT status FROM application WHERE ticket_no = ?1",
        [ticket],
        |r| r.get(0),
    )
    .expect("status")
}

#[test]
fn a_residential_install_is_stepped_to_completion_against_the_calendar() {
    let s = Scratch::new();
    // Tuesday 2026-11-24.
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 24)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let ticket = accept_residential(&mut a, "11010519491231002X", "王秀英");
    // Acceptance and signing: 1 working day → Wed 11-25; construction 4
    // working days after it → Thu 26, Fri 27, Mon 30, Tue 12-01.
    let st = steps(&s.db(), &ticket);
    assert_eq!(st[0].2.as_deref(), Some("2026-11-25"));
    assert_eq!(st[1].2.as_deref(), Some("2026-12-01"));

    // Signed on Thursday 11-26, a day late: the construction clock starts
    // then: Fri 27, Mon 30, Tue 1, Wed 12-02.
    a.desk.clock().advance(Duration::days(2));
    keys(&mut a, "<F4>d合同已签<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("已记录完成；下一环节 “施工接电” 开始，2026-12-02 前办完"),
        "{text}"
    );
    let st = steps(&s.db(), &ticket);
    assert_eq!(st[0].1, "done");
    assert_eq!(st[0].3.as_deref(), Some("合同已签"));
    assert_eq!(
        (st[1].1.as_str(), st[1].2.as_deref()),
        ("current", Some("2026-12-02"))
    );

    // Recorded twice, out of order, by a trainer: each refused.
    assert_eq!(
        refusal(&mut a, "1002", "counter1002", &ticket, "accept_and_sign"),
        "case.step_done_already"
    );
    assert_eq!(
        refusal(&mut a, "3001", "trainer3001", &ticket, "build_and_connect"),
        "case.counter_staff_only"
    );

    // The last step done: the case is completed and leaves the open list.
    a.desk.clock().advance(Duration::days(3));
    keys(&mut a, "d已送电<Enter>");
    let text = screen(&a);
    assert!(text.contains("最后一个环节已完成，案件办结"), "{text}");
    assert_eq!(status(&s.db(), &ticket), "completed");
    let c = Connection::open(s.db()).expect("db");
    let audited: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'case.step_done' AND subject = ?1",
            [&ticket],
            |r| r.get(0),
        )
        .expect("n");
    let outbox: i64 = c
        .query_row(
            "SELECT count(*) FROM outbox WHERE kind = 'case.step_done'",
            [],
            |r| r.get(0),
        )
        .expect("n");
    assert_eq!((audited, outbox), (2, 2));
    // Each step queued a text message for HQ's SMS gateway: the number,
    // the ticket, the words in Chinese.
    let texts: Vec<String> = {
        let mut st = c
            .prepare("SELECT payload FROM outbox WHERE kind = 'notify.sms' ORDER BY seq")
            .expect("prepare");
        let rows = st.query_map([], |r| r.get::<_, Vec<u8>>(0)).expect("query");
        rows.map(|r| String::from_utf8(r.expect("row")).expect("utf8"))
            .collect()
    };
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0].contains("13800138000") && texts[0].contains(&ticket),
        "{}",
        texts[0]
    );
    assert!(texts[0].contains("预计 2026-12-02 前办完"), "{}", texts[0]);
    assert!(texts[1].contains("已办结"), "{}", texts[1]);
    // A closed case takes nothing more.
    assert_eq!(
        refusal(&mut a, "1002", "counter1002", &ticket, "build_and_connect"),
        "case.closed"
    );
}

#[test]
fn a_pause_across_the_national_day_holiday_moves_the_due_dates_by_its_working_days() {
    let s = Scratch::new();
    // Tuesday 2026-09-29: signing due Wed 09-30; construction 4 working
    // days after: 10-01..07 holiday, Thu 8, Fri 9, Sat 10 (make-up), Mon 12.
    let mut a = App::new(desk_at(&s.db(), at(2026, 9, 29)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let ticket = accept_residential(&mut a, "11010519491231002X", "王秀英");
    let st = steps(&s.db(), &ticket);
    assert_eq!(
        (st[0].2.as_deref(), st[1].2.as_deref()),
        (Some("2026-09-30"), Some("2026-10-12"))
    );

    // Paused on 09-30 without a reason: refused, nothing typed is lost.
    a.desk.clock().advance(Duration::days(1));
    keys(&mut a, "<F4>z<Enter>");
    assert!(screen(&a).contains("请写明原因"), "{}", screen(&a));
    keys(&mut a, "客户房屋未完工<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("已暂停计时") && text.contains("⏸ 暂停计时"),
        "{text}"
    );
    // Recording a step while paused is refused at once, before any note.
    keys(&mut a, "d");
    assert!(screen(&a).contains("正在暂停计时"), "{}", screen(&a));
    assert!(
        !screen(&a).contains("完成说明"),
        "no note asked for: {}",
        screen(&a)
    );

    // Resumed on Fri 10-09: the pause took Thu 8 and Fri 9 (the holiday
    // week does not count): 2 working days added to each date ahead:
    // 09-30 → Fri 10-09; 10-12 → Tue 13, Wed 10-14.
    a.desk.clock().advance(Duration::days(9));
    keys(&mut a, "z");
    assert!(
        screen(&a).contains("暂停的 2 个工作日不计入时限"),
        "{}",
        screen(&a)
    );
    let st = steps(&s.db(), &ticket);
    assert_eq!(
        (st[0].2.as_deref(), st[1].2.as_deref()),
        (Some("2026-10-09"), Some("2026-10-14"))
    );
    let c = Connection::open(s.db()).expect("db");
    let (reason, days): (String, i64) = c
        .query_row("SELECT reason, working_days FROM case_pause", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("pause");
    assert_eq!((reason.as_str(), days), ("客户房屋未完工", 2));
}

#[test]
fn the_queue_lists_overdue_then_due_today_then_the_rest_at_a_fixed_clock() {
    let s = Scratch::new();
    // Accepted Tue 11-10 (signing due 11-11), Mon 11-23 (due Tue 11-24),
    // Tue 11-24 (due 11-25); the queue is read on Tue 11-24.
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 10)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let old = accept_residential(&mut a, "440305199008080043", "陈丽");
    a.desk.clock().advance(Duration::days(13));
    let today = accept_residential(&mut a, "320102197011110067", "李建国");
    a.desk.clock().advance(Duration::days(1));
    keys(&mut a, "<F12>");
    sign_in(&mut a, "1002", "counter1002");
    let soon = accept_residential(&mut a, "310115198806200036", "赵敏");
    keys(&mut a, "<F12>");
    sign_in(&mut a, "1001", "counter1001");
    // 1001 is told at sign-in: one overdue, one due today.
    assert!(
        screen(&a).contains("超期 1 件，今天到期 1 件"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<F2><F7>");
    let text = screen(&a);
    let pos = |t: &str| {
        text.find(t)
            .unwrap_or_else(|| panic!("{t} missing: {text}"))
    };
    assert!(
        pos(&old) < pos(&today) && pos(&today) < pos(&soon),
        "{text}"
    );
    assert!(text.contains("超期 9 个工作日"), "{text}");
    assert!(
        text.contains("今天到期") && text.contains("剩 1 个工作日"),
        "{text}"
    );
    assert!(
        text.contains("陈*") && !text.contains("陈丽"),
        "names are masked: {text}"
    );
    insta::assert_snapshot!("queue_by_urgency", text);
    // F2: only mine — 1001's two.
    keys(&mut a, "<F2>");
    let mine = screen(&a);
    assert!(
        mine.contains(&old) && mine.contains(&today) && !mine.contains(&soon),
        "{mine}"
    );
    // Enter opens the case at the customer's applications.
    keys(&mut a, "<Down><Enter>");
    let opened = screen(&a);
    assert!(opened.contains(&format!("▶ {today}")), "{opened}");
}

#[test]
fn case_commands_show_a_case_and_list_the_overdue() {
    let s = Scratch::new();
    let ticket;
    {
        let mut a = App::new(desk_at(&s.db(), at(2026, 11, 10)), Lang::Zh);
        sign_in(&mut a, "1001", "counter1001");
        ticket = accept_residential(&mut a, "11010519491231002X", "王秀英");
        keys(&mut a, "<F4>d合同已签<Enter>");
    }
    // The commands run on the machine's clock: the case, signed on 11-10,
    // was due to be connected by Mon 11-16 and is overdue on any later day.
    let show = crate::common::cli::run(&s, &["--lang", "zh", "case", "show", &ticket], &[]);
    let text = crate::common::cli::out(&show);
    assert_eq!(show.status.code(), Some(0), "{text}");
    assert!(text.contains("首问负责人：1001 张敏"), "{text}");
    assert!(text.contains("由 1001 张敏 记录完成 合同已签"), "{text}");
    assert!(text.contains("施工接电  2026-11-16"), "{text}");
    let csv = crate::common::cli::run(&s, &["case", "overdue", "--csv"], &[]);
    let body = String::from_utf8_lossy(&csv.stdout).into_owned();
    assert_eq!(
        csv.status.code(),
        Some(0),
        "{}",
        crate::common::cli::out(&csv)
    );
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "ticket,form,step,due_date,working_days_over,owner_staff_no,owner_name"
    );
    assert_eq!(lines.len(), 2, "{body}");
    assert!(
        lines[1].starts_with(&format!("{ticket},lv_residential_new,施工接电,2026-11-16,")),
        "{body}"
    );
    assert!(lines[1].ends_with(",1001,张敏"), "{body}");
    let unknown = crate::common::cli::run(&s, &["case", "show", "SL19990101-1-0001"], &[]);
    assert_eq!(unknown.status.code(), Some(4));
}

fn spooled(s: &Scratch, stem: &str) -> std::path::PathBuf {
    let day = s.path().join("spool/2026-11-24");
    std::fs::read_dir(&day)
        .expect("spool")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(stem))
        })
        .unwrap_or_else(|| panic!("no {stem} in {}", day.display()))
}

#[test]
fn the_progress_slip_shows_the_course_and_a_refusal_prints_its_record() {
    let s = Scratch::new();
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 24)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let ticket = accept_residential(&mut a, "11010519491231002X", "王秀英");
    keys(&mut a, "<F4>d合同已签，勘查无误<Enter>p");
    let progress = crate::common::pdf_text(&spooled(&s, "progress_slip"));
    assert!(progress.contains("办理记录"), "{progress}");
    assert!(progress.contains("受理签约 2026-11-24"), "{progress}");
    assert!(progress.contains("经办 张敏（工号"), "{progress}");
    assert!(progress.contains("合同已签，勘查无误"), "{progress}");
    // Construction counts from the signing recorded today: 25, 26, 27, 30.
    assert!(
        progress.contains("施工接电：进行中，应于 2026-11-30 前完成"),
        "{progress}"
    );

    // Refused with a reason: recorded, then the record printed to sign.
    keys(&mut a, "e2<Enter>");
    assert!(screen(&a).contains("请写明原因"), "{}", screen(&a));
    keys(&mut a, "线路改造中，暂不具备接电条件<Enter>");
    assert_eq!(status(&s.db(), &ticket), "refused");
    let record = crate::common::pdf_text(&spooled(&s, "refusal_record"));
    for want in [
        "无法或暂缓办理用电申请记录",
        ticket.as_str(),
        "线路改造中，暂不具备接电条件",
        "客户签名",
        "110105********002X",
    ] {
        assert!(record.contains(want), "{want} missing:\n{record}");
    }
    assert!(!record.contains("11010519491231002X"), "the ID is masked");
}

#[test]
fn a_complaint_is_escalated_visited_reopened_by_not_satisfied_and_closed() {
    let s = Scratch::new();
    // Monday 2026-11-30: contact due Tue 12-01, answer due Mon 12-07.
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 30)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let ticket = crate::common::accept_complaint(&mut a);
    let st = steps(&s.db(), &ticket);
    assert_eq!(
        (st[0].2.as_deref(), st[1].2.as_deref()),
        (Some("2026-12-01"), Some("2026-12-07"))
    );
    keys(&mut a, "<Enter><F12>");

    // Tuesday: the contact is due; the duty manager is told at sign-in.
    a.desk.clock().advance(Duration::days(1));
    sign_in(&mut a, "2001", "manager2001");
    assert!(
        screen(&a).contains("投诉和意见今天到期或已超期 1 件"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<F12>");
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "110101198512030072<Enter><F4>d已电话联系客户<Enter>d已向客户道歉并答复<Enter>",
    );
    // Answered: it waits for the return visit, 3 working days: Thu 12-03..Fri 12-04.
    assert!(
        screen(&a).contains("待回访（2026-12-04 前）后办结"),
        "{}",
        screen(&a)
    );
    assert_eq!(status(&s.db(), &ticket), "open");

    // Not satisfied without saying why: refused, the choice kept.
    keys(&mut a, "f12<Enter>");
    assert!(screen(&a).contains("请记下不满意的地方"), "{}", screen(&a));
    keys(&mut a, "抄表员未当面道歉<Enter>");
    assert!(
        screen(&a).contains("客户不满意，案件重新办理最后一个环节"),
        "{}",
        screen(&a)
    );
    let st = steps(&s.db(), &ticket);
    // The answer is worked on again: due 5 working days from Tue 12-01.
    assert_eq!(
        (st[1].1.as_str(), st[1].2.as_deref()),
        ("current", Some("2026-12-08"))
    );
    // The progress slip tells the course, the return visit included.
    keys(&mut a, "p");
    let slip = std::fs::read_dir(s.path().join("spool/2026-12-01"))
        .expect("spool")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("progress"))
        .expect("progress slip");
    let text = crate::common::pdf_text(&slip);
    assert!(
        text.contains("回访")
            && text.contains("客户不满意，重新办理")
            && text.contains("抄表员未当面道歉"),
        "{text}"
    );

    keys(&mut a, "d抄表员已上门道歉<Enter>f21满意<Enter>");
    assert!(screen(&a).contains("客户满意，案件办结"), "{}", screen(&a));
    assert_eq!(status(&s.db(), &ticket), "completed");
    let c = Connection::open(s.db()).expect("db");
    let visits: Vec<(String, String)> = {
        let mut st = c
            .prepare("SELECT way, verdict FROM return_visit ORDER BY id")
            .expect("p");
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("q");
        rows.map(|r| r.expect("r")).collect()
    };
    assert_eq!(
        visits,
        vec![
            ("phone".into(), "not_satisfied".into()),
            ("in_person".into(), "satisfied".into())
        ]
    );
    // `case show` tells the whole course: the customer masked, both
    // completions of the reopened step, both visits.
    let shown = crate::common::cli::run(&s, &["--lang", "zh", "case", "show", &ticket], &[]);
    let text = crate::common::cli::out(&shown);
    assert!(
        text.contains("客户：") && text.contains("110101********0072"),
        "{text}"
    );
    assert!(
        !text.contains("110101198512030072"),
        "never the full ID: {text}"
    );
    assert!(
        text.contains("已向客户道歉并答复") && text.contains("回访不满意后重新办理"),
        "{text}"
    );
    assert!(text.contains("抄表员已上门道歉"), "{text}");
    assert!(
        text.contains("回访") && text.contains("不满意") && text.contains("抄表员未当面道歉"),
        "{text}"
    );
    assert!(text.contains("上门") && text.contains("满意"), "{text}");
}

/// HQ's list: account 0591000007 cut off for arrears, two unpaid bills.
fn cut_off_with_two_bills(s: &Scratch) {
    use counterdesk::domain::upload::{FeedData, FeedItem};
    {
        let mut store = counterdesk::store::Store::open(&s.db(), at(2026, 11, 24)).expect("store");
        let bill = |seq, period: &str| FeedItem {
            hq_seq: seq,
            data: FeedData::Bill {
                account_no: "0591000007".into(),
                period: period.into(),
                holder_name: "王秀英".into(),
                class: "residential".into(),
                arrears_fen: 10000,
                due_date: "2026-12-15".into(),
            },
        };
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
            bill(2, "2026-09"),
            bill(3, "2026-10"),
        ];
        counterdesk::store::hq_feed::apply_page(&mut store, &items, None).expect("feed");
    }
}

#[test]
fn reversing_the_payment_that_cleared_the_arrears_calls_the_reconnection_off() {
    let s = Scratch::new();
    cut_off_with_two_bills(&s);
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 24)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "<F6>1000<Enter>0591000007<Enter>100<Enter><Esc><F6>0591000007<Enter>100<Enter>",
    );
    assert!(screen(&a).contains("已安排复电"), "{}", screen(&a));
    // The customer paid the wrong account's bill: the duty manager reverses
    // it (the receipt is filled in from the paid screen).
    keys(&mut a, "<F8>");
    keys(&mut a, "2001<Enter>manager2001<Enter>收错户号<Enter>");
    let text = screen(&a);
    assert!(text.contains("该笔安排的复电已撤销"), "{text}");
    let c = Connection::open(s.db()).expect("db");
    let (cancelled, reason): (Option<String>, Option<String>) = c
        .query_row(
            "SELECT cancelled_at, cancel_reason FROM reconnection",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row");
    assert!(cancelled.is_some());
    assert_eq!(reason.as_deref(), Some("reversed"));
    // Gone from the queue; the reversal went up to HQ saying so.
    keys(&mut a, "<Esc><Esc><F7>");
    assert!(!screen(&a).contains("欠费复电"), "{}", screen(&a));
    let up: i64 = c
        .query_row(
            "SELECT count(*) FROM outbox WHERE kind = 'payment.reverse' AND CAST(payload AS TEXT) LIKE '%\"cancel_reason\":\"reversed\"%'",
            [],
            |r| r.get(0),
        )
        .expect("n");
    assert_eq!(up, 1);
    // HQ later reports the account supplied: nothing to close, nothing breaks.
    let open: i64 = c
        .query_row(
            "SELECT count(*) FROM reconnection WHERE done_at IS NULL AND cancelled_at IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("n");
    assert_eq!(open, 0);
}

#[test]
fn a_payment_clearing_the_arrears_of_a_cut_off_account_opens_a_reconnection() {
    use counterdesk::domain::upload::{FeedData, FeedItem};
    let s = Scratch::new();
    cut_off_with_two_bills(&s);
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 24)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>1000<Enter>0591000007<Enter>100<Enter>");
    // One bill of two paid: arrears remain, no reconnection yet.
    assert!(!screen(&a).contains("已安排复电"), "{}", screen(&a));
    keys(&mut a, "<Esc><F6>0591000007<Enter>100<Enter>");
    let text = screen(&a);
    // Residential: within 24 hours of the payment (09:00 hall time).
    assert!(text.contains("已安排复电"), "{text}");
    keys(&mut a, "p");
    let receipt = crate::common::pdf_text(&spooled(&s, "payment_receipt"));
    assert!(receipt.contains("欠费已结清，已安排复电"), "{receipt}");
    // It tops the queue and went up to HQ with the payment.
    keys(&mut a, "<Esc><Esc><F7>");
    let queue = screen(&a);
    let first = queue
        .lines()
        .find(|l| l.contains("0591000007") || l.contains("SL"))
        .unwrap_or_default();
    assert!(
        first.contains("0591000007") && first.contains("欠费复电"),
        "{queue}"
    );
    // One wording for a deadline by the hour: the cashier's moment, and
    // the hours left, in the queue and on Enter alike.
    let by = text
        .split("预计 ")
        .nth(1)
        .and_then(|r| r.split(" 前").next())
        .expect("the cashier's deadline")
        .to_string();
    assert!(
        first.contains(&by) && first.contains("剩 24 小时"),
        "{by}: {queue}"
    );
    assert!(!first.contains("个工作日"), "{queue}");
    keys(&mut a, "<Enter>");
    assert!(
        screen(&a).contains(&format!("应在 {by} 前复电")),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<Esc>");
    let c = Connection::open(s.db()).expect("db");
    let up: i64 = c
        .query_row(
            "SELECT count(*) FROM outbox WHERE kind = 'payment.bill' AND CAST(payload AS TEXT) LIKE '%\"reconnection\":[{%'",
            [],
            |r| r.get(0),
        )
        .expect("n");
    assert_eq!(up, 1);
    // HQ reports the account supplied again: the reconnection is done.
    let mut store =
        counterdesk::store::Store::open_unlocked(&s.db(), at(2026, 11, 24)).expect("store");
    let items = vec![FeedItem {
        hq_seq: 4,
        data: FeedData::Account {
            account_no: "0591000007".into(),
            holder_name: "王秀英".into(),
            holder_id: "11010519491231002X".into(),
            address: String::new(),
            state: "normal".into(),
        },
    }];
    counterdesk::store::hq_feed::apply_page(&mut store, &items, None).expect("feed");
    let open: i64 = c
        .query_row(
            "SELECT count(*) FROM reconnection WHERE done_at IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("n");
    assert_eq!(open, 0);
}

#[test]
fn new_connections_get_a_return_visit_by_the_configured_share_and_a_disabled_owner_is_flagged() {
    let s = Scratch::new();
    let mut config = crate::common::config();
    config.cases.new_install_visit_percent = 100;
    let desk = crate::common::desk_with_config(&s.db(), at(2026, 11, 24), config);
    let mut a = App::new(desk, Lang::Zh);
    sign_in(&mut a, "1002", "counter1002");
    let ticket = accept_residential(&mut a, "11010519491231002X", "王秀英");
    keys(&mut a, "<F4>d合同已签<Enter>d已送电<Enter>");
    // Every new connection is visited at 100 %: it waits, 3 working days.
    assert!(
        screen(&a).contains("待回访（2026-11-27 前）后办结"),
        "{}",
        screen(&a)
    );
    assert_eq!(status(&s.db(), &ticket), "open");
    // 1002 leaves; the queue flags the case for the duty manager.
    keys(&mut a, "<F12>");
    let admin = a.desk.sign_in("9001", "admin9001").expect("admin");
    a.desk.disable_clerk(&admin, "1002").expect("disable");
    sign_in(&mut a, "2001", "manager2001");
    // The duty manager is told at sign-in.
    assert!(
        screen(&a).contains("另有 1 件在办案件的首问负责人账号已停用"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<F7>");
    let queue = screen(&a);
    let line = queue
        .lines()
        .find(|l| l.contains(&ticket))
        .unwrap_or_default();
    assert!(
        line.contains("回访") && line.contains("2026-11-27"),
        "{queue}"
    );
    assert!(line.contains("⚠1002 陈立"), "{queue}");
    assert!(queue.contains("⚠ 负责人已停用，请值班经理改派"), "{queue}");
}

/// F10 on the card records that the customer is told in English: their
/// text messages for HQ's gateway are written in English from then on,
/// and the change goes up with the customer's record.
#[test]
fn a_customer_told_in_english_gets_english_text_messages() {
    let s = Scratch::new();
    let mut a = App::new(desk_at(&s.db(), at(2026, 11, 24)), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let ticket = accept_residential(&mut a, "11010519491231002X", "王秀英");
    assert!(screen(&a).contains("通知语言: 中文"), "{}", screen(&a));
    keys(&mut a, "<F10>");
    let text = screen(&a);
    assert!(text.contains("今后给该客户的短信通知用英文"), "{text}");
    assert!(text.contains("通知语言: 英文"), "{text}");
    keys(&mut a, "<F4>d合同已签<Enter>");
    let c = Connection::open(s.db()).expect("db");
    let sms: String = c
        .query_row(
            "SELECT CAST(payload AS TEXT) FROM outbox WHERE kind = 'notify.sms'",
            [],
            |r| r.get(0),
        )
        .expect("sms");
    assert!(
        sms.contains(&format!(
            "Your application {ticket} has moved to its next step, due by 2026-11-30"
        )),
        "{sms}"
    );
    assert!(sms.contains("\"lang\":\"en\""), "{sms}");
    let up: i64 = c
        .query_row(
            "SELECT count(*) FROM outbox WHERE kind = 'customer.lang' AND CAST(payload AS TEXT) LIKE '%\"lang\":\"en\"%'",
            [],
            |r| r.get(0),
        )
        .expect("n");
    assert_eq!(up, 1);
}
