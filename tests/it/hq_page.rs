//! HQ's status page in a real browser (Debian's chromium, headless): its
//! own login, then per counter the last contact and the queue by the
//! counter's report, per day whether it reconciles, per hall the totals.

use std::path::Path;
use std::process::Command;

use crate::common::hq::{fresh_store, issue_token, Counter, Hq, Kind};
use crate::common::Scratch;
use counterdesk::clock::Clock;
use counterdesk::desk::money::{BillPayment, TenderInput};
use counterdesk::domain::money::{CustomerClass, Fen, Method};
use counterdesk::store::Store;
use counterdesk::sync::day_close::close_day;

fn pay(c: &Counter, from: usize, n: usize) {
    let mut desk = c.desk();
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    if desk.read().open_shift(&session).expect("shift").is_none() {
        desk.start_shift(&session, "1000").expect("shift");
    }
    for i in from..from + n {
        let bill = BillPayment {
            account_no: format!("0592{i:07}"),
            period: "2026-10".into(),
            arrears: Fen(5_000),
            due_date: chrono::Local::now().date_naive(),
            class: CustomerClass::Residential,
            tenders: vec![TenderInput {
                method: Method::Cash,
                amount: Fen(5_000),
                reference: None,
            }],
            keep_excess_as_prepaid: false,
            quoted: None,
        };
        desk.pay_bill(&session, &bill).expect("pay");
    }
}

fn close_today(c: &Counter) {
    let mut store = Store::open(&c.db, Clock::system()).expect("store");
    let today = counterdesk::store::stamp::day(Clock::system().today());
    close_day(&mut store, None, &today, true).expect("day close");
}

fn flush(c: &Counter) {
    c.desk().flush_upload(&mut |_, _| {}).expect("flush");
}

/// Chromium, headless, signing in through the page's own form.
fn browse(dir: &Path, url: &str, password: &str, shot: &str) -> String {
    let page = dir.join(format!("{shot}.html"));
    std::fs::write(
        &page,
        format!(
            "<form id=f method=post action=\"{url}/login\"><input name=user value=admin>\
             <input name=password value=\"{password}\"></form>\
             <script>document.getElementById('f').submit()</script>"
        ),
    )
    .expect("login page");
    let run = |extra: &str| {
        Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--virtual-time-budget=10000",
                "--window-size=1400,900",
            ])
            .arg(format!(
                "--user-data-dir={}",
                dir.join(format!("profile-{shot}-{extra}")).display()
            ))
            .arg(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium (the test command installs it)")
    };
    let shot_file = dir.join(format!("{shot}.png"));
    let _ = run(&format!("--screenshot={}", shot_file.display()));
    if let Ok(keep) = std::env::var("COUNTERDESK_KEEP_SCREENSHOTS") {
        let _ = std::fs::copy(&shot_file, Path::new(&keep).join(format!("{shot}.png")));
    }
    let out = run("--dump-dom");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_status_page_shows_a_reconciled_and_an_unreconciled_day() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let hq = Hq::start_with(
        &store,
        "127.0.0.1:0",
        &["--plain", "--web-user", "admin"],
        "http",
    );
    let a = Counter::new(&s, "C-HALL-A", &hq.url(), &issue_token(&store, "C-HALL-A"));
    let b = Counter::new(&s, "C-HALL-B", &hq.url(), &issue_token(&store, "C-HALL-B"));
    // A closes its day with everything it wrote: the day reconciles.
    pay(&a, 0, 3);
    close_today(&a);
    flush(&a);
    // B declares its day closed, then takes one more payment that day.
    pay(&b, 10, 2);
    close_today(&b);
    pay(&b, 20, 1);
    flush(&b);

    let dom = browse(s.path(), &hq.url(), "hq-web-secret", "status");
    assert!(dom.contains("id=\"counters\""), "signed in: {dom}");
    let row = |counter: &str| {
        dom.split("<tr")
            .find(|r| r.contains("data-reconciled") && r.contains(counter))
            .unwrap_or_else(|| panic!("no day row for {counter}: {dom}"))
            .to_string()
    };
    assert!(
        row("C-HALL-A").contains("data-reconciled=\"yes\""),
        "{}",
        row("C-HALL-A")
    );
    assert!(row("C-HALL-A").contains("已对平 reconciled"));
    assert!(
        row("C-HALL-B").contains("data-reconciled=\"NO\""),
        "{}",
        row("C-HALL-B")
    );
    assert!(row("C-HALL-B").contains("不一致 does not reconcile"));
    // The hall's day total: six payments of 50.00 yuan.
    assert!(dom.contains("示范营业厅"), "{dom}");
    assert!(dom.contains(">300.00<"), "hall total: {dom}");
    // Nothing personal: no ID number, no token.
    let digits = dom
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.len() == 18 && w[..17].chars().all(|c| c.is_ascii_digit()));
    assert!(!digits, "an ID-like number on the page");

    // A wrong password gets the form again with the reason, and no data.
    let dom = browse(s.path(), &hq.url(), "wrong", "refused");
    assert!(dom.contains("id=\"error\""), "{dom}");
    assert!(!dom.contains("C-HALL-A"), "no data without the password");
    let c = hq_report(&store);
    assert!(c.contains("C-HALL-A") && c.contains("yes"), "{c}");
    assert!(c.contains("C-HALL-B") && c.contains("NO"), "{c}");
}

fn hq_report(store: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["hq", "report", "--store", store])
        .output()
        .expect("report");
    assert_eq!(
        out.status.code(),
        Some(1),
        "a day that does not reconcile is exit 1"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_status_page_shows_each_halls_ratings_and_the_poor_ratings_still_open() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let hq = Hq::start_with(
        &store,
        "127.0.0.1:0",
        &["--plain", "--web-user", "admin"],
        "http",
    );
    let a = Counter::new(&s, "C-HALL-A", &hq.url(), &issue_token(&store, "C-HALL-A"));
    pay(&a, 0, 3);
    {
        let mut desk = a.desk();
        for (receipt, level, reasons) in [
            ("R1-00000001", "satisfied", vec![]),
            (
                "R1-00000002",
                "very_dissatisfied",
                vec!["attitude".to_string()],
            ),
        ] {
            desk.rate(receipt, level, &reasons, "device")
                .expect("rated");
        }
        // The third is never rated: no display is left to ask it.
        assert!(desk.expire_ratings(true).expect("expired"));
    }
    flush(&a);
    let dom = browse(s.path(), &hq.url(), "hq-web-secret", "ratings");
    let table = |id: &str| {
        let at = dom
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no {id} table: {dom}"));
        dom[at..dom[at..].find("</table>").map_or(dom.len(), |e| at + e)].to_string()
    };
    let ratings = table("ratings");
    assert!(ratings.contains("示范营业厅"), "{ratings}");
    // Rated 2, satisfied 1, poor 1, not rated 1.
    let cells: Vec<&str> = ratings
        .split("class=\"n")
        .skip(1)
        .map(|c| {
            c.split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("")
        })
        .collect();
    assert_eq!(cells, ["2", "1", "1", "1"], "{ratings}");
    let poor = table("poor");
    assert!(
        poor.contains("R1-00000002") && poor.contains("非常不满意"),
        "{poor}"
    );
    assert!(!poor.contains("R1-00000001"), "{poor}");
}
