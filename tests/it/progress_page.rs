//! Progress anyone can look up (办事公开): HQ's public page, in a real
//! browser, shows a case's steps, what is owed and the customer manager for
//! the right ticket and last four characters of the ID — and the same
//! "nothing found" for a wrong ticket and a wrong ID; a flood from one
//! address is held back. The acceptance slip carries the page's address
//! and a QR code for it.

use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;

use crate::common::browser::Browser;
use crate::common::hq::{fresh_store, issue_token, publish, Counter, Hq, Kind, BOTH};
use crate::common::slips::spooled;
use crate::common::{self, keys, screen, sign_in, Scratch};

const WANG: &str =
    "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>";

/// Types the ticket and the four characters into the page and sends it.
fn look_up(b: &mut Browser, ticket: &str, last4: &str) -> String {
    // The old page is marked: the answer is the page without the mark.
    b.eval(&format!(
        "window.__old = 1; \
         document.getElementById('t').value = '{ticket}'; \
         document.getElementById('d').value = '{last4}'; \
         document.querySelector('form').submit(); 1"
    ));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let fresh = b.eval("window.__old === undefined && document.readyState === 'complete'");
        if fresh.as_bool() == Some(true) {
            return b.text();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no answer page: {fresh:?} {:?} {}",
            b.eval("[window.__old, document.readyState, location.href]"),
            b.text()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn post(url: &str, ticket: &str, last4: &str) -> u16 {
    let agent = ureq::Agent::new_with_defaults();
    match agent
        .post(url)
        .config()
        .http_status_as_error(false)
        .build()
        .send_form([("ticket", ticket), ("last4", last4)])
    {
        Ok(r) => r.status().as_u16(),
        Err(e) => panic!("{e}"),
    }
}

/// HQ's grid table with the manager of 王秀英's street.
fn publish_grid(store: &str, s: &Scratch) {
    publish(
        store,
        s,
        r#"[{"kind":"grid","grid":"G-08","name":"朝阳人民路网格","manager":"赵六","phone":"0591-44445555","streets":["朝阳区人民路"]}]"#,
    );
}

/// 王秀英's residential connection accepted at the keys, the title deed
/// left to follow (owed on the page).
fn accept_wang(desk: counterdesk::desk::Desk) -> App {
    let mut a = App::new(desk, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, WANG);
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>");
    for _ in 0..60 {
        keys(&mut a, "<Up>");
    }
    keys(&mut a, "      c<F10>");
    assert!(screen(&a).contains("已受理"), "{}", screen(&a));
    a
}

/// The ticket of the one application on the counter's database.
fn ticket_of(db: &std::path::Path) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT ticket_no FROM application", [], |r| r.get(0))
        .unwrap()
}

/// The page HQ answers a look-up with.
fn answer_page(url: &str, ticket: &str, last4: &str) -> String {
    let agent = ureq::Agent::new_with_defaults();
    let mut r = agent
        .post(url)
        .send_form([("ticket", ticket), ("last4", last4)])
        .expect("progress answer");
    r.body_mut().read_to_string().expect("body")
}

#[test]
fn a_look_up_reads_its_case_by_key_and_a_store_from_before_the_keys_is_keyed_at_start() {
    for kind in BOTH {
        let s = Scratch::new();
        let store = fresh_store(kind, &s);
        let token = issue_token(&store, "C-KEYS");
        let hq = Hq::start(&store);
        publish_grid(&store, &s);
        let c = Counter::new(&s, "C-KEYS", &hq.url(), &token);
        let mut desk = c.desk();
        desk.pull_from_hq().expect("pull");
        let mut a = accept_wang(desk);
        a.desk.flush_upload(&mut |_, _| {}).expect("flush");
        let ticket = ticket_of(&c.db);
        let last4 = "002X";
        let url = format!("{}/progress", hq.url());
        let found = answer_page(&url, &ticket, last4);
        assert!(
            found.contains("id=\"owed\"") && !found.contains("未找到"),
            "{kind:?}: {found}"
        );
        assert!(
            answer_page(&url, &ticket, "0000").contains("未找到"),
            "{kind:?}"
        );
        // A store written before it kept look-up keys: none of them, and
        // no mark that they were made.
        let forget = "DELETE FROM lookup_key; DELETE FROM tally WHERE key = 'lookup_keys';";
        match kind {
            Kind::Sqlite => rusqlite::Connection::open(&store)
                .unwrap()
                .execute_batch(forget)
                .unwrap(),
            Kind::Postgres => postgres::Client::connect(&store, postgres::NoTls)
                .unwrap()
                .batch_execute(forget)
                .unwrap(),
        }
        // The page reads the case by its keys alone: without them it finds
        // nothing, until HQ starts again and keys what it holds.
        assert!(
            answer_page(&url, &ticket, last4).contains("未找到"),
            "{kind:?}"
        );
        drop(hq);
        let hq = Hq::start(&store);
        let url = format!("{}/progress", hq.url());
        let again = answer_page(&url, &ticket, last4);
        assert_eq!(again, found, "{kind:?}: keyed again at start");
    }
}

#[test]
fn the_public_page_shows_the_case_for_its_ticket_and_id_and_nothing_otherwise() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-PUB");
    let hq = Hq::start(&store);
    publish_grid(&store, &s);
    let mut c = Counter::new(&s, "C-PUB", &hq.url(), &token);
    c.config.hall.progress_url = format!("{}/progress", hq.url());
    let mut desk = c.desk();
    desk.pull_from_hq().expect("pull");
    let mut a = accept_wang(desk);
    keys(&mut a, "p");
    let ticket = ticket_of(&c.db);
    // The slip tells the customer where to look, with a QR code.
    let pdf = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("acceptance_receipt"))
        .expect("receipt");
    let pdf_text = common::pdf_text(&pdf);
    assert!(
        pdf_text.contains("进度查询") && pdf_text.contains(&format!("{}/progress", hq.url())),
        "{pdf_text}"
    );
    a.desk.flush_upload(&mut |_, _| {}).expect("flush");

    let mut b = Browser::open(s.path(), &format!("{}/progress?t={ticket}", hq.url()));
    let form = b.wait_for("证件号码后四位", || {});
    assert!(form.contains("受理编号"), "{form}");
    let filled = b.eval("document.getElementById('t').value");
    assert_eq!(
        filled.as_str(),
        Some(ticket.as_str()),
        "the QR fills the ticket"
    );
    let page = look_up(&mut b, &ticket, "002x");
    assert!(page.contains("低压居民新装"), "{page}");
    assert!(
        page.contains("受理签约") && page.contains("进行中"),
        "{page}"
    );
    assert!(page.contains("用电地址物权证明"), "the owed deed: {page}");
    assert!(
        page.contains("赵六") && page.contains("0591-44445555"),
        "{page}"
    );
    for private in ["王秀英", "11010519491231002X", "13800138000", "人民路1号"] {
        assert!(
            !page.contains(private),
            "{private} on the public page: {page}"
        );
    }
    b.screenshot("progress_found");
    let wrong_id = look_up(&mut b, &ticket, "0021");
    let wrong_ticket = look_up(&mut b, "SL20990101-1-0001", "002X");
    assert!(wrong_id.contains("未找到"), "{wrong_id}");
    assert_eq!(
        wrong_id, wrong_ticket,
        "a wrong ID and a wrong ticket get the same answer"
    );
    assert!(!wrong_id.contains("赵六") && !wrong_id.contains("受理签约"));
    // A flood from one address is held back (the browser used three).
    let url = format!("{}/progress", hq.url());
    let codes: Vec<u16> = (0..10).map(|_| post(&url, &ticket, "9999")).collect();
    assert!(codes.contains(&429), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == 200).count(),
        7,
        "ten a minute from one address: {codes:?}"
    );
}
