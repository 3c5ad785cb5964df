//! One rating per transaction (一次一评): asked for in the transaction's own
//! commit, taken once within its time through the display's HTTP API,
//! never shown to the clerk; a poor rating opens a case that closes only
//! with a return visit; an appeal is decided by a duty manager who is not
//! the clerk rated. And the display's door: 403 without the secret, a
//! port already taken, a flood of requests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::{app, clock, config, desk_with_config, keys, screen, sign_in, Scratch};
use counterdesk::desk::Desk;
use counterdesk::domain::msg::Lang;
use counterdesk::domain::rating::{AppealVerdict, Refusal};
use counterdesk::tui::app::App;

fn count(s: &Scratch, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(s.db()).expect("db");
    c.query_row(sql, [], |r| r.get(0)).expect(sql)
}

fn one(s: &Scratch, sql: &str) -> String {
    let c = rusqlite::Connection::open(s.db()).expect("db");
    c.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// A cash bill paid at the cashier through the screen; its receipt.
fn pay_cash(a: &mut App, account: &str) -> String {
    if !counterdesk::tui::screen::Screen::is::<counterdesk::tui::cashier::Cashier>(&a.screen) {
        keys(a, "<F6>");
        if screen(a).contains("开班：录入备用金") {
            keys(a, "1000<Enter>");
        }
    }
    keys(a, &format!("{account}<Enter>86.5<Enter>100<Enter>"));
    let text = screen(a);
    let at = text
        .find("收据 R1-")
        .unwrap_or_else(|| panic!("not paid:\n{text}"));
    let receipt = text[at + "收据 ".len()..]
        .split('：')
        .next()
        .unwrap()
        .to_string();
    keys(a, "<Enter>");
    receipt
}

fn rate(a: &mut App, receipt: &str, level: &str, reasons: &[&str]) -> Result<(), Refusal> {
    let reasons: Vec<String> = reasons.iter().map(|r| r.to_string()).collect();
    a.desk.rate(receipt, level, &reasons, "display")
}

#[test]
fn a_payment_asks_for_its_rating_in_its_own_commit_and_takes_one() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>1000<Enter>");
    let audit_before = count(&s, "SELECT count(*) FROM audit_log");
    let receipt = pay_cash(&mut a, "0591234567");
    // One audited commit for the payment, its rating asked in it.
    assert_eq!(
        count(&s, "SELECT count(*) FROM audit_log") - audit_before,
        1
    );
    assert_eq!(
        one(&s, "SELECT state FROM rating"),
        "waiting",
        "the rating waits"
    );
    assert_eq!(one(&s, "SELECT reference FROM rating"), receipt);
    assert!(screen(&a).contains("等待客户评价"), "{}", screen(&a));

    assert_eq!(rate(&mut a, &receipt, "satisfied", &[]), Ok(()));
    assert_eq!(
        rate(&mut a, &receipt, "very_satisfied", &[]),
        Err(Refusal::AlreadyRated),
        "one rating per transaction"
    );
    assert_eq!(
        rate(&mut a, "R9-00000001", "satisfied", &[]),
        Err(Refusal::Unknown),
        "another counter's receipt"
    );
    assert_eq!(
        rate(&mut a, &receipt, "satisfied", &["slow"]),
        Err(Refusal::ReasonsNotAsked)
    );
    assert_eq!(one(&s, "SELECT level FROM rating"), "satisfied");
    assert_eq!(count(&s, "SELECT count(*) FROM poor_rating"), 0);
    // The rating is an audited record that goes up to HQ like any other.
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM outbox WHERE kind = 'rating.rated'"
        ),
        1
    );
    let text = screen(&a);
    assert!(text.contains("客户已评价"), "{text}");
    // Never the level on the clerk's screen.
    for level in ["非常满意", "满意", "不满意"] {
        assert!(!text.contains(level), "{level} shown to the clerk:\n{text}");
    }
}

#[test]
fn a_rating_after_its_time_is_refused_and_counted_as_not_rated() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let receipt = pay_cash(&mut a, "0591234567");
    a.desk.clock().advance(chrono::Duration::seconds(61));
    assert_eq!(
        rate(&mut a, &receipt, "very_satisfied", &[]),
        Err(Refusal::Expired)
    );
    assert!(a.tick(), "the time-out redraws the clerk's screen");
    assert_eq!(one(&s, "SELECT state FROM rating"), "not_rated");
    assert!(screen(&a).contains("客户未评价"), "{}", screen(&a));
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM outbox WHERE kind = 'rating.not_rated'"
        ),
        1
    );
    let report = a
        .desk
        .rating_report(a.desk.clock().today())
        .expect("report");
    assert_eq!(report.hall.rateable, 1);
    assert_eq!(report.hall.rated, 0);
}

#[test]
fn a_poor_rating_opens_a_case_that_only_a_visit_closes_and_an_appeal_a_duty_manager_decides() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let receipt = pay_cash(&mut a, "0591234567");
    assert_eq!(
        rate(&mut a, &receipt, "very_dissatisfied", &["slow", "attitude"]),
        Ok(())
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM poor_rating WHERE closed_at IS NULL"
        ),
        1
    );
    // 2026-11-24 is a Tuesday: the visit is due the next working day.
    assert_eq!(one(&s, "SELECT visit_due FROM poor_rating"), "2026-11-25");
    assert_eq!(one(&s, "SELECT rectify_due FROM poor_rating"), "2026-12-01");
    let clerk = a.session.clone().expect("clerk");
    // The clerk cannot close it.
    let e = a
        .desk
        .close_poor_rating(&clerk, &receipt, "客户认可", "已道歉")
        .expect_err("clerk");
    assert_eq!(e.key(), "rating.duty_manager_only");
    // The clerk appeals: their own rating, with a reason.
    a.desk
        .appeal_rating(&clerk, &receipt, "客户误触评价器")
        .expect("appeal");
    assert_eq!(
        a.desk
            .appeal_rating(&clerk, &receipt, "again")
            .expect_err("twice")
            .key(),
        "rating.appealed_already"
    );
    assert_eq!(
        a.desk
            .decide_appeal(&clerk, &receipt, AppealVerdict::Upheld, "自己复核自己")
            .expect_err("self")
            .key(),
        "rating.duty_manager_only"
    );

    // The duty manager is told at sign-in.
    keys(&mut a, "<F12>");
    sign_in(&mut a, "2001", "manager2001");
    let text = screen(&a);
    assert!(text.contains("有 1 条差评待回访"), "{text}");
    assert!(text.contains("Ctrl+R"), "{text}");
    // It is in the case queue too, due tomorrow; Enter opens it.
    keys(&mut a, "<F7>");
    let text = screen(&a);
    assert!(
        text.contains(&receipt) && text.contains("差评回访"),
        "{text}"
    );
    keys(&mut a, "<Esc>");
    // Ctrl+R: the case, its level for the one who handles it.
    keys(&mut a, "<C-r>");
    let text = screen(&a);
    assert!(
        text.contains(&receipt) && text.contains("非常不满意"),
        "{text}"
    );
    assert!(text.contains("已申诉"), "{text}");
    // The appeal decided: kept on record, marked.
    keys(&mut a, "a9<Enter>客户当场确认误触<Enter>");
    assert!(screen(&a).contains("复核结论请填 1"), "{}", screen(&a));
    keys(&mut a, "<Backspace>1<F2>");
    assert!(screen(&a).contains("已复核"), "{}", screen(&a));
    assert_eq!(one(&s, "SELECT appeal_verdict FROM rating"), "upheld");
    assert_eq!(one(&s, "SELECT level FROM rating"), "very_dissatisfied");
    // The visit closes the case: a verdict and what was done, both needed.
    keys(&mut a, "<Enter><Enter><Enter>");
    assert!(screen(&a).contains("请填写回访结论"), "{}", screen(&a));
    keys(&mut a, "客户认可<Enter>当面致歉并讲解缴费流程<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("已登记") && text.contains("没有待回访的差评"),
        "{text}"
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM poor_rating WHERE closed_at IS NULL"
        ),
        0
    );
    // An upheld appeal stays out of satisfaction, and counts as rated.
    let report = a
        .desk
        .rating_report(a.desk.clock().today())
        .expect("report");
    assert_eq!((report.hall.rated, report.hall.appeal_upheld), (1, 1));
    assert_eq!(report.hall.satisfaction_permille(), None);
    for action in [
        "rating.appeal",
        "rating.appeal_decided",
        "rating.case_closed",
    ] {
        assert_eq!(
            count(
                &s,
                &format!("SELECT count(*) FROM outbox WHERE kind = '{action}'")
            ),
            1,
            "{action}"
        );
    }
}

#[test]
fn an_acceptance_asks_for_its_rating_bound_to_its_audit_entry_and_practice_never_does() {
    let s = Scratch::new();
    let mut desk = crate::common::desk_at(&s.db(), clock());
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let ticket = crate::common::accept_meter_verification(&mut desk, &clerk);
    // The practice lab's sandbox has nobody to rate: nothing is asked.
    let lab = Scratch::new();
    let mut sandbox = crate::common::desk_at(&lab.db(), clock());
    sandbox.set_training(true);
    let trainee = sandbox.sign_in("1001", "counter1001").expect("sign in");
    crate::common::accept_meter_verification(&mut sandbox, &trainee);
    assert_eq!(count(&lab, "SELECT count(*) FROM application"), 1);
    assert_eq!(count(&lab, "SELECT count(*) FROM rating"), 0);
    assert_eq!(
        one(
            &s,
            &format!("SELECT service FROM rating WHERE reference = '{ticket}'")
        ),
        "acceptance"
    );
    // The waiting rating is bound to the acceptance's audit entry: verify
    // names it if its row is changed by hand.
    let c = rusqlite::Connection::open(s.db()).expect("db");
    c.execute(
        "UPDATE rating SET valid_until = '2099-01-01T00:00:00.000Z'",
        [],
    )
    .expect("tamper");
    drop(c);
    drop(desk);
    let report = counterdesk::desk::verify::verify_database(&config(), &s.db()).expect("verify");
    let text = format!("{report:?}");
    assert!(text.contains(&ticket), "{text}");
}

fn desk_with_display(s: &Scratch) -> Desk {
    let mut cfg = config();
    cfg.display.address = "127.0.0.1:0".into();
    let mut desk = desk_with_config(&s.db(), clock(), cfg);
    desk.start_display().expect("display");
    desk
}

fn http(addr: std::net::SocketAddr, request: &str) -> (u16, String) {
    let mut c = TcpStream::connect(addr).expect("connect");
    c.set_read_timeout(Some(Duration::from_secs(10))).ok();
    c.write_all(request.as_bytes()).expect("write");
    let mut out = String::new();
    let _ = c.read_to_string(&mut out);
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = out.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    http(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    )
}

fn post(addr: std::net::SocketAddr, path: &str, body: &str) -> (u16, String) {
    http(
        addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn secret(s: &Scratch) -> String {
    one(s, "SELECT secret FROM display_secret")
}

#[test]
fn without_the_secret_nothing_answers_and_a_flood_leaves_the_counter_working() {
    let s = Scratch::new();
    let desk = desk_with_display(&s);
    let addr = desk.display_addr().expect("addr");
    let good = secret(&s);
    assert_eq!(good.len(), 64);
    let mut tampered = good.clone();
    tampered.replace_range(0..1, if good.starts_with('0') { "1" } else { "0" });
    for path in [
        "/".to_string(),
        "/d/".to_string(),
        "/d/wrong/".to_string(),
        format!("/d/{tampered}/"),
        format!("/d/{tampered}/events"),
        format!("/d/{tampered}/state"),
        format!("/d/{good}x/state"),
        "/favicon.ico".to_string(),
    ] {
        let (status, body) = get(addr, &path);
        assert_eq!(status, 403, "{path}");
        assert!(
            body.trim().is_empty() || body.trim() == "0",
            "{path}: {body}"
        );
    }
    let (status, body) = post(
        addr,
        &format!("/d/{tampered}/rating"),
        r#"{"reference":"R1-00000001","level":"satisfied"}"#,
    );
    assert_eq!((status, body.contains("ok")), (403, false));
    // A flood of wrong and right requests at once: every answer is a
    // refusal or the page, none hangs, and the page still answers after.
    let threads: Vec<_> = (0..64)
        .map(|i| {
            let path = if i % 2 == 0 {
                format!("/d/{tampered}/state")
            } else {
                format!("/d/{good}/state")
            };
            std::thread::spawn(move || get(addr, &path).0)
        })
        .collect();
    for t in threads {
        let status = t.join().expect("thread");
        assert!([200, 403, 503].contains(&status), "{status}");
    }
    let (status, body) = get(addr, &format!("/d/{good}/state"));
    assert_eq!(status, 200);
    assert!(body.contains("\"window\":\"1\""), "{body}");
    let (status, page) = get(addr, &format!("/d/{good}/"));
    assert_eq!(status, 200);
    assert!(page.contains("EventSource"), "{page}");
}

#[test]
fn an_address_in_use_is_said_plainly_and_the_workstation_runs_without_a_display() {
    let s = Scratch::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let mut cfg = config();
    cfg.display.address = taken.local_addr().expect("addr").to_string();
    let mut desk = desk_with_config(&s.db(), clock(), cfg.clone());
    let m = desk.start_display().expect_err("in use");
    assert_eq!(m.key, "display.in_use");
    let said = counterdesk::i18n::text(&m, Lang::Zh);
    assert!(
        said.contains("已被其他程序占用") && said.contains("[display] address"),
        "{said}"
    );
    assert!(!desk.display_running());
    drop(desk);
    cfg.display.address = "counter-pc:port".into();
    let mut desk = desk_with_config(&s.db(), clock(), cfg);
    assert_eq!(
        desk.start_display().expect_err("bad").key,
        "display.bad_address"
    );
}

/// Reads server-sent events until `until` holds for one, or time runs out.
struct Events {
    reader: BufReader<TcpStream>,
    pub seen: Vec<String>,
}

impl Events {
    fn open(addr: std::net::SocketAddr, secret: &str) -> Events {
        let mut c = TcpStream::connect(addr).expect("connect");
        c.set_read_timeout(Some(Duration::from_millis(50))).ok();
        write!(
            c,
            "GET /d/{secret}/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("write");
        Events {
            reader: BufReader::new(c),
            seen: Vec::new(),
        }
    }

    fn pump(&mut self) {
        let mut line = String::new();
        loop {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    if let Some(data) = line.trim_end().strip_prefix("data: ") {
                        self.seen.push(data.to_string());
                    }
                }
            }
        }
    }

    fn wait(&mut self, desk: &mut Desk, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            self.pump();
            if let Some(e) = self.seen.iter().rev().find(|e| e.contains(what)) {
                return e.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no event with {what}: {:?}",
                self.seen.last()
            );
            desk.window_tick();
        }
    }
}

/// A workstation with its display, a page following it, a clerk signed in.
fn watched(s: &Scratch) -> (App, std::net::SocketAddr, Events) {
    let mut a = App::new(desk_with_display(s), Lang::Zh);
    let addr = a.desk.display_addr().expect("addr");
    let mut ev = Events::open(addr, &secret(s));
    ev.wait(&mut a.desk, "\"idle\"");
    sign_in(&mut a, "1001", "counter1001");
    (a, addr, ev)
}

#[test]
fn a_display_gone_mid_transaction_leaves_the_rating_not_rated_and_nothing_else() {
    let s = Scratch::new();
    let (mut a, _, mut ev) = watched(&s);
    keys(&mut a, "<F6>1000<Enter>0591234567<Enter>86.5<Enter>100");
    ev.wait(&mut a.desk, "\"amount\":\"100.00\"");
    // The tablet's cable is pulled before the payment is taken.
    drop(ev);
    keys(&mut a, "<Enter>");
    assert!(screen(&a).contains("等待客户评价"), "{}", screen(&a));
    let deadline = Instant::now() + Duration::from_secs(30);
    while one(&s, "SELECT state FROM rating") == "waiting" {
        assert!(Instant::now() < deadline, "never marked not rated");
        a.tick();
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(one(&s, "SELECT state FROM rating"), "not_rated");
    // The payment itself stands as taken.
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM payment WHERE status = 'paid' AND change_fen = 1350"
        ),
        1
    );
    assert!(screen(&a).contains("客户未评价"), "{}", screen(&a));
}

#[test]
fn the_display_follows_the_transaction_and_never_carries_personal_data() {
    let s = Scratch::new();
    let (mut a, addr, mut ev) = watched(&s);
    // A customer with an ID, a phone and an address on file.
    keys(&mut a, "11010519491231002X<Enter>");
    keys(
        &mut a,
        "张伟<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>",
    );
    assert!(screen(&a).contains("客户已登记"), "{}", screen(&a));
    let serving = ev.wait(&mut a.desk, "\"serving\"");
    assert!(serving.contains("\"customer\":\"张*\""), "{serving}");
    keys(&mut a, "<F6>1000<Enter>0591234567<Enter>86.5<Enter>1");
    let typed = ev.wait(&mut a.desk, "\"amount\":\"1.00\"");
    assert!(typed.contains("\"due\":\"86.50\""), "{typed}");
    keys(&mut a, "00");
    let typed = ev.wait(&mut a.desk, "\"amount\":\"100.00\"");
    assert!(typed.contains("\"change\":\"13.50\""), "{typed}");
    keys(&mut a, "<Enter>");
    let asked = ev.wait(&mut a.desk, "\"rate\"");
    assert!(asked.contains("R1-00000001"), "{asked}");
    // Rated through the API as the page does, answered by the desk's tick.
    let secret = secret(&s);
    let rater = std::thread::spawn(move || {
        post(
            addr,
            &format!("/d/{secret}/rating"),
            r#"{"reference":"R1-00000001","level":"fairly_satisfied","reasons":[]}"#,
        )
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while !rater.is_finished() {
        a.tick();
        assert!(Instant::now() < deadline, "no answer");
        std::thread::sleep(Duration::from_millis(5));
    }
    let (status, body) = rater.join().expect("rater");
    assert_eq!((status, body.trim()), (200, r#"{"ok":true}"#));
    ev.wait(&mut a.desk, "\"thanks\"");
    assert_eq!(one(&s, "SELECT level FROM rating"), "fairly_satisfied");
    assert_eq!(one(&s, "SELECT channel FROM rating"), "display");
    // No event carried the ID number, the phone or the address.
    assert!(ev.seen.len() >= 5, "{:?}", ev.seen);
    for e in &ev.seen {
        for secret in [
            "11010519491231002X",
            "110105",
            "13800138000",
            "1380013",
            "人民路",
            "张伟",
        ] {
            assert!(!e.contains(secret), "{secret} reached the display: {e}");
        }
    }
}

#[test]
fn the_days_ratings_report_counts_the_not_rated_and_the_poor() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let first = pay_cash(&mut a, "0591234567");
    assert_eq!(rate(&mut a, &first, "very_satisfied", &[]), Ok(()));
    let second = pay_cash(&mut a, "0591234568");
    assert_eq!(rate(&mut a, &second, "dissatisfied", &["unclear"]), Ok(()));
    pay_cash(&mut a, "0591234569");
    a.desk.clock().advance(chrono::Duration::seconds(120));
    a.tick();
    drop(a);
    let o = crate::common::cli::run(
        &s,
        &["--lang", "en", "report", "ratings", "2026-11-24"],
        &[],
    );
    let text = crate::common::cli::out(&o);
    assert!(o.status.success(), "{text}");
    assert!(
        text.contains("张敏: asked 3, rated 2 (rating rate 66.6%), satisfaction 50.0%, poor 1"),
        "{text}"
    );
    assert!(
        text.contains("Poor ratings waiting for a visit: 1"),
        "{text}"
    );
}

#[test]
fn a_duty_manager_renews_the_display_secret_and_the_old_address_stops_answering() {
    let s = Scratch::new();
    let mut desk = desk_with_display(&s);
    let addr = desk.display_addr().expect("addr");
    let old = secret(&s);
    let clerk = desk.sign_in("1001", "counter1001").expect("clerk");
    assert_eq!(
        desk.display_url(&clerk).expect_err("clerk").key(),
        "display.duty_manager_only"
    );
    assert!(desk.rotate_display_secret(&clerk).is_err());
    let manager = desk.sign_in("2001", "manager2001").expect("manager");
    let url = desk
        .rotate_display_secret(&manager)
        .expect("rotated")
        .expect("running");
    let new = secret(&s);
    assert_ne!(old, new);
    assert!(url.ends_with(&format!("/d/{new}/")), "{url}");
    assert_eq!(get(addr, &format!("/d/{old}/state")).0, 403);
    assert_eq!(get(addr, &format!("/d/{new}/state")).0, 200);
    // Audited, and kept across a restart.
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM audit_log WHERE action = 'display.rotate'"
        ),
        1
    );
}

#[test]
fn the_display_speaks_the_customers_notification_language() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let session = a.session.clone().expect("clerk");
    let card = a
        .desk
        .register(
            &session,
            &counterdesk::desk::customers::NewCustomer {
                id_input: "11010519491231002X".into(),
                name: "张伟".into(),
                name_latin: String::new(),
                phone: "13800138000".into(),
                address: "北京市朝阳区人民路1号".into(),
            },
            None,
        )
        .expect("registered");
    a.desk
        .set_customer_lang(&session, &card, Lang::En)
        .expect("English");
    // Idle: the hall's language and its Chinese notices.
    assert_eq!(a.desk.facing().lang, Lang::Zh);
    keys(&mut a, "11010519491231002X<Enter>");
    let facing = a.desk.facing();
    assert_eq!(facing.lang, Lang::En);
    assert_eq!(facing.notices, config().display.notices_en);
    let json = counterdesk::display::wire::facing_json(&facing);
    assert!(json.contains("\"lang\":\"en\""), "{json}");
    assert!(json.contains("\"customer\":\"张*\""), "{json}");
}
