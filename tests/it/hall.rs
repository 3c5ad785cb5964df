//! The hall's queue through the real processes on loopback: the built
//! `counterdesk hall serve`, windows talking to it with the window's own
//! link (and a desk, for the window that loses it), the kiosk over HTTP,
//! the hall display in headless chromium and the ticket slip read back.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use counterdesk::clock::Clock;
use counterdesk::config::{Config, QueueLink};
use counterdesk::domain::queue::{Refusal, TicketState};
use counterdesk::hall::link::{self, HallLink, LinkError};
use counterdesk::hall::wire::WindowRequest;
use serde_json::{json, Value};

use crate::common::browser::Browser;
use crate::common::{self, Scratch};

/// A resident ID number born on `birth` (YYYYMMDD), with its check digit.
fn resident_id(birth: &str) -> String {
    let first17 = format!("110101{birth}123");
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

struct HallProc {
    child: Option<Child>,
    dir: PathBuf,
    addr: SocketAddr,
}

impl Drop for HallProc {
    fn drop(&mut self) {
        self.kill();
    }
}

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_counterdesk"));
    c.env_remove("COUNTERDESK_LANG")
        .env_remove("COUNTERDESK_CONFIG")
        .env("HOME", dir)
        .arg("--config")
        .arg(dir.join("hall.toml"))
        .arg("--lang")
        .arg("en");
    c
}

impl HallProc {
    /// A hall service with `extra` lines in its [hall_service] section.
    fn start(dir: &Path, extra: &str) -> HallProc {
        Self::start_with(dir, extra, "")
    }

    /// The same, with `sections` (other sections of the file) after it.
    fn start_with(dir: &Path, extra: &str, sections: &str) -> HallProc {
        std::fs::write(
            dir.join("hall.toml"),
            format!(
                "[hall_service]\nstore = \"{}\"\nspool_dir = \"{}\"\n{extra}\n{sections}\n",
                dir.join("hall.db").display(),
                dir.join("tickets").display()
            ),
        )
        .expect("config");
        Self::spawn(dir, "127.0.0.1:0")
    }

    fn spawn(dir: &Path, listen: &str) -> HallProc {
        Self::spawn_with(dir, listen, &["--plain"])
    }

    fn spawn_with(dir: &Path, listen: &str, extra: &[&str]) -> HallProc {
        let mut child = bin(dir)
            .args(["hall", "serve", "--listen", listen])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("hall serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("listening line");
        let addr = line
            .split_whitespace()
            .filter_map(|w| w.trim_end_matches('.').parse::<SocketAddr>().ok())
            .next()
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        HallProc {
            child: Some(child),
            dir: dir.to_path_buf(),
            addr,
        }
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Started again on the same port, on the same file.
    fn restart(&mut self) {
        self.kill();
        let listen = self.addr.to_string();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let p = std::panic::catch_unwind(|| Self::spawn(&self.dir, &listen));
            match p {
                Ok(mut p) => {
                    self.child = p.child.take();
                    return;
                }
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100))
                }
                Err(e) => std::panic::resume_unwind(e),
            }
        }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn tool(&self, args: &[&str]) -> String {
        let o = bin(&self.dir).args(args).output().expect("hall tool");
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    fn token(&self, window: &str) -> String {
        self.tool(&["hall", "token", "--window", window])
    }

    /// The page address of `which` (kiosk, board, manager).
    fn url(&self, which: usize) -> String {
        let out = self.tool(&["hall", "urls", "--base", &self.base()]);
        out.lines()
            .nth(which)
            .expect("url line")
            .split('\t')
            .nth(1)
            .expect("url")
            .to_string()
    }

    fn window(&self, number: &str) -> HallLink {
        let token = self.token(number);
        let file = self.dir.join(format!("window{number}.token"));
        std::fs::write(&file, token).expect("token file");
        link::from_config(&QueueLink {
            url: self.base(),
            token_file: file,
            ..QueueLink::default()
        })
        .expect("link")
        .expect("configured")
    }

    fn kiosk(&self, body: Value) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut resp = agent
            .post(&format!("{}ticket", self.url(0)))
            .header("content-type", "application/json")
            .send(body.to_string().as_bytes())
            .expect("kiosk");
        let status = resp.status().as_u16();
        let v: Value = serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
        (status, v)
    }

    fn take(&self, group: &str) -> String {
        let (status, v) = self.kiosk(json!({"group": group}));
        assert_eq!(status, 200, "{v}");
        v["ticket"].as_str().unwrap().to_string()
    }

    fn sql(&self, q: &str) -> String {
        let o = Command::new("sqlite3")
            .arg("-readonly")
            .arg(self.dir.join("hall.db"))
            .arg(q)
            .output()
            .expect("sqlite3");
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }
}

fn req(clerk: &str) -> WindowRequest {
    WindowRequest {
        clerk: clerk.into(),
        ..WindowRequest::default()
    }
}

#[test]
fn two_windows_and_a_kiosk_green_first_and_one_normal_after_a_run() {
    let s = Scratch::new();
    let hall = HallProc::start(s.path(), "green_run = 1");
    let w1 = hall.window("1");
    let w2 = hall.window("2");
    assert_eq!(hall.take("A"), "A001");
    assert_eq!(hall.take("A"), "A002");
    let (status, old) = hall.kiosk(json!({"group": "A", "id_number": resident_id("19500101")}));
    assert_eq!(status, 200, "{old}");
    assert_eq!(old["ticket"], "A003");
    assert_eq!(old["green"], true, "aged 70 or over: green channel");
    let (_, old2) = hall.kiosk(json!({"group": "A", "id_number": resident_id("19480303")}));
    assert_eq!(old2["green"], true);
    let (_, young) = hall.kiosk(json!({"group": "A", "id_number": resident_id("19900101")}));
    assert_eq!(young["green"], false);
    // The green channel first, ahead of A001 and A002 taken before it.
    let first = w1.call_next(&req("1001")).expect("call");
    assert_eq!(first.label, "A003");
    assert!(first.green);
    w1.act("A003", "start", &req("1001")).expect("start");
    // One green-channel call in a row is the run: a normal one now, though
    // A004 (green) waits.
    let second = w1.call_next(&req("1001")).expect("call");
    assert_eq!(second.label, "A001", "alternation kept");
    // Window 2 has had no green run: A004 first there.
    assert_eq!(w2.call_next(&req("1002")).expect("call").label, "A004");
    // A003 was served by window 1's second call-next.
    assert_eq!(
        hall.sql("SELECT state FROM ticket WHERE label = 'A003'"),
        "served"
    );
    // Another window may not act on window 1's ticket.
    assert_eq!(
        w2.act("A001", "serve", &req("1002")),
        Err(LinkError::Refused(Refusal::OtherWindow))
    );
}

#[test]
fn call_again_keeps_the_start_and_a_no_show_needs_the_calls() {
    let s = Scratch::new();
    let hall = HallProc::start(s.path(), "no_show_after_calls = 2");
    let w = hall.window("1");
    hall.take("A");
    hall.take("A");
    let t = w.call_next(&req("1001")).expect("call");
    w.act(&t.label, "start", &req("1001")).expect("start");
    let again = w.act(&t.label, "recall", &req("1001")).expect("recall");
    assert_eq!(
        again.state,
        TicketState::Serving,
        "a call again is no new service"
    );
    assert_eq!(
        w.act(&t.label, "start", &req("1001")),
        Err(LinkError::Refused(Refusal::NotNow)),
        "a second start is refused"
    );
    assert_eq!(
        hall.sql("SELECT COUNT(*) FROM ticket_event WHERE kind = 'started'"),
        "1"
    );
    w.act(&t.label, "serve", &req("1001")).expect("serve");
    let next = w.call_next(&req("1001")).expect("call");
    assert_eq!(next.label, "A002");
    assert_eq!(
        w.act("A002", "no-show", &req("1001")),
        Err(LinkError::Refused(Refusal::TooFewCalls))
    );
    w.act("A002", "recall", &req("1001")).expect("recall");
    let gone = w.act("A002", "no-show", &req("1001")).expect("no-show");
    assert_eq!(gone.state, TicketState::NoShow);
    let f = w.figures(None).expect("figures");
    assert_eq!(f["figures"]["hall"]["served"], 1);
    assert_eq!(f["figures"]["hall"]["no_shows"], 1);
    assert_eq!(f["figures"]["windows"]["1"]["served"], 1);
}

#[test]
fn a_transfer_keeps_the_issue_time_and_goes_to_the_window_named() {
    let s = Scratch::new();
    let hall = HallProc::start(s.path(), "");
    let w1 = hall.window("1");
    let w2 = hall.window("2");
    hall.take("B");
    let t = w1.call_next(&req("1001")).expect("call");
    assert_eq!(t.label, "B001");
    let issued = t.issued_at.clone();
    hall.take("B");
    let mut r = req("1001");
    assert_eq!(
        w1.act("B001", "transfer", &r),
        Err(LinkError::Refused(Refusal::ReasonNeeded))
    );
    r.reason = Some("需高压业务专窗".into());
    r.to_window = Some("2".into());
    let moved = w1.act("B001", "transfer", &r).expect("transfer");
    assert_eq!(moved.state, TicketState::Waiting);
    assert_eq!(moved.issued_at, issued, "the original issue time stays");
    // Window 1 no longer gets it; window 2 does, before B002.
    assert_eq!(w1.call_next(&req("1001")).expect("call").label, "B002");
    let at2 = w2.call_next(&req("1002")).expect("call");
    assert_eq!(at2.label, "B001");
    assert_eq!(at2.issued_at, issued);
    assert_eq!(
        hall.sql("SELECT reason FROM ticket_event WHERE kind = 'transferred'"),
        "需高压业务专窗"
    );
}

#[test]
fn two_windows_calling_at_once_never_get_the_same_ticket() {
    let s = Scratch::new();
    let hall = HallProc::start(s.path(), "");
    for _ in 0..5 {
        hall.take("A");
    }
    let links: Vec<HallLink> = (1..=3).map(|w| hall.window(&w.to_string())).collect();
    let got: Vec<Vec<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = links
            .iter()
            .map(|l| {
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    for _ in 0..3 {
                        match l.call_next(&req("x")) {
                            Ok(t) => {
                                mine.push(t.label.clone());
                                l.act(&t.label, "start", &req("x")).expect("start");
                            }
                            Err(LinkError::Refused(Refusal::NobodyWaiting)) => {}
                            Err(e) => panic!("{e:?}"),
                        }
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<String> = got.into_iter().flatten().collect();
    all.sort();
    assert_eq!(all, vec!["A001", "A002", "A003", "A004", "A005"]);
    assert_eq!(
        hall.sql("SELECT COUNT(*) FROM ticket_event WHERE kind = 'called'"),
        "5"
    );
}

#[test]
fn bad_input_is_answered_and_a_restart_mid_day_loses_and_repeats_nothing() {
    let s = Scratch::new();
    let mut hall = HallProc::start(s.path(), "kiosk_per_minute = 4");
    let (status, v) = hall.kiosk(json!({"group": "Q"}));
    assert_eq!(status, 400);
    assert_eq!(v["refused"], "unknown_group");
    assert!(v["message"].as_str().unwrap().contains("业务"));
    let (status, v) = hall.kiosk(json!({"group": "A", "id_number": "110101195001011230"}));
    assert_eq!(status, 400, "{v}");
    assert_eq!(v["refused"], "bad_id");
    for _ in 0..2 {
        hall.take("A");
    }
    // A token of another hall is no window's here.
    let other = Scratch::new();
    let other_hall = HallProc::start(other.path(), "");
    let foreign = other_hall.window("1");
    assert_eq!(foreign.whoami().map(|_| ()), Ok(()));
    let stranger = link::from_config(&QueueLink {
        url: hall.base(),
        token_file: other.path().join("window1.token"),
        ..QueueLink::default()
    })
    .unwrap()
    .unwrap();
    assert_eq!(stranger.call_next(&req("x")), Err(LinkError::Token));
    // Restarted mid-day: the numbers go on, nothing is lost.
    hall.restart();
    assert_eq!(hall.take("A"), "A003");
    assert_eq!(
        hall.sql("SELECT group_concat(label) FROM ticket"),
        "A001,A002,A003"
    );
    // The fourth of the minute is the limit (the two refused above took none).
    hall.take("A");
    let (status, v) = hall.kiosk(json!({"group": "A"}));
    assert_eq!(status, 429, "{v}");
    assert!(v["message"].as_str().unwrap().contains("稍候"));
    assert_eq!(hall.sql("SELECT COUNT(*) FROM ticket"), "4");
}

#[test]
fn numbers_restart_at_the_halls_midnight_and_yesterday_stays() {
    use counterdesk::hall::core::Core;
    use counterdesk::hall::store::HallStore;
    let s = Scratch::new();
    // 23:59:58 in the hall (+08:00), 15:59:58 UTC.
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 12, 7, 15, 59, 58).unwrap());
    let cfg: Config = common::config();
    let store = HallStore::open(&s.path().join("hall.db")).unwrap();
    let mut core = Core::new(
        cfg.hall_service.clone(),
        cfg.hall.clone(),
        store,
        clock.clone(),
    )
    .unwrap();
    assert_eq!(core.day(), "2026-12-07");
    assert_eq!(core.issue("A", None).unwrap().ticket.label, "A001");
    assert_eq!(core.issue("A", None).unwrap().ticket.label, "A002");
    clock.advance(chrono::Duration::seconds(3));
    // 00:00:01 in the hall, still the 7th in UTC.
    assert_eq!(core.day(), "2026-12-08");
    let t = core.issue("A", None).unwrap();
    assert_eq!(t.ticket.label, "A001");
    assert_eq!(t.ticket.day, "2026-12-08");
    assert_eq!(
        core.figures("2026-12-07").hall.tickets,
        2,
        "yesterday's stay"
    );
    assert_eq!(core.figures("2026-12-08").hall.tickets, 1);
}

#[test]
fn a_window_that_loses_the_hall_service_works_on_and_catches_up() {
    let s = Scratch::new();
    let hall_dir = Scratch::new();
    let mut hall = HallProc::start(hall_dir.path(), "");
    hall.take("A");
    hall.take("A");
    let token = hall_dir.path().join("w1.token");
    std::fs::write(&token, hall.token("1")).unwrap();
    let mut cfg = common::config();
    cfg.display.enabled = false;
    cfg.queue = QueueLink {
        url: hall.base(),
        token_file: token,
        timeout_ms: 800,
        ..QueueLink::default()
    };
    let mut desk = common::desk_with_config(&s.db(), common::clock(), cfg);
    assert!(desk.start_queue().unwrap());
    let session = desk.sign_in("1001", "counter1001").unwrap();
    let t = desk.call_next(&session).expect("call");
    assert_eq!(t.label, "A001");
    assert_eq!(desk.queue_line().unwrap().ticket.as_deref(), Some("A001"));
    // The hall service goes away mid-call: the window ends the ticket all
    // the same, and says the queue is offline.
    hall.kill();
    desk.ticket_action(&session, counterdesk::desk::calling::TicketAction::Finish)
        .expect("kept for later");
    let line = desk.queue_line().unwrap();
    assert_eq!(line.state, counterdesk::desk::calling::QueueState::Offline);
    assert_eq!(desk.queue_pending(), 1);
    let refused = desk.call_next(&session).unwrap_err();
    assert_eq!(refused.key(), "queue.offline");
    // Back: the window finds it and tells it what it missed.
    hall.restart();
    let deadline = Instant::now() + Duration::from_secs(20);
    while desk.queue_pending() > 0 {
        assert!(Instant::now() < deadline, "never caught up");
        desk.window_tick();
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        desk.queue_line().unwrap().state,
        counterdesk::desk::calling::QueueState::Online
    );
    assert_eq!(
        hall.sql("SELECT state FROM ticket WHERE label = 'A001'"),
        "served"
    );
    assert_eq!(desk.call_next(&session).expect("call").label, "A002");
}

#[test]
fn the_ticket_slip_is_written_as_a_pdf_and_reads_back() {
    let s = Scratch::new();
    let hall = HallProc::start(s.path(), "");
    hall.take("A");
    let (status, v) = hall.kiosk(json!({"group": "A"}));
    assert_eq!(status, 200);
    assert_eq!(v["ahead"], 1);
    assert_eq!(v["printed"], false, "no ticket printer configured");
    let day = v["day"].as_str().unwrap();
    let pdf = s.path().join("tickets").join(day).join("ticket-A002.pdf");
    let text = common::pdf_text(&pdf);
    for want in [
        "A002",
        "电费缴纳",
        "前面等候",
        "1 人",
        "预计等候",
        "取号时间",
    ] {
        assert!(text.contains(want), "{want} missing in:\n{text}");
    }
}

#[test]
fn the_hall_display_announces_each_call_with_its_window_in_order() {
    let s = Scratch::new();
    let hall = HallProc::start(s.path(), "");
    let w1 = hall.window("1");
    let w3 = hall.window("3");
    hall.take("A");
    hall.take("C");
    let mut b = Browser::open(s.path(), &hall.url(1));
    b.wait_for("等候", || {});
    w1.call_next(&req("1001")).expect("call");
    w3.call_next(&req("1003")).expect("call");
    let deadline = Instant::now() + Duration::from_secs(30);
    let spoken = loop {
        let v =
            b.eval("Array.from(document.querySelectorAll('#spoken li')).map(li => li.textContent)");
        let said: Vec<String> = v
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        if said.len() >= 4 || Instant::now() > deadline {
            break said;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        spoken,
        vec![
            "请 A001 号到 1 号窗口办理".to_string(),
            "Ticket A001, please go to window 1.".to_string(),
            "请 C001 号到 3 号窗口办理".to_string(),
            "Ticket C001, please go to window 3.".to_string(),
        ],
        "one after the other, never cut off, each with its window"
    );
    let page = b.text();
    assert!(page.contains("C001") && page.contains("A001"), "{page}");
    b.screenshot("hall_display");
}

#[test]
fn the_halls_tickets_and_the_windows_visits_go_up_to_hq_once() {
    use crate::common::hq::{issue_token, Counter, Hq};
    let s = Scratch::new();
    let hq_store = s.path().join("hq.db").display().to_string();
    let hq = Hq::start(&hq_store);
    let hall_token = s.path().join("hall-hq.token");
    std::fs::write(&hall_token, issue_token(&hq_store, "HALL-T1")).unwrap();
    let hall_dir = Scratch::new();
    // The window below stamps its records with this machine's local day;
    // the hall's day is kept at the same offset, so both name one day at
    // any hour of the test.
    let offset = format!("utc_offset = \"{}\"", chrono::Local::now().offset());
    let hall = HallProc::start_with(
        hall_dir.path(),
        &offset,
        &format!(
            "[hq]\nurl = \"{}\"\ncounter_id = \"HALL-T1\"\ntoken_file = \"{}\"\ninterval_seconds = 1\n",
            hq.url(),
            hall_token.display()
        ),
    );
    hall.take("A");
    hall.take("A");
    // A window that is also a counter of this HQ.
    let counter = Counter::new(&s, "C-W1", &hq.url(), &issue_token(&hq_store, "C-W1"));
    let queue_token = s.path().join("w1.token");
    std::fs::write(&queue_token, hall.token("1")).unwrap();
    let mut cfg = counter.config.clone();
    cfg.display.enabled = false;
    cfg.queue = QueueLink {
        url: hall.base(),
        token_file: queue_token,
        ..QueueLink::default()
    };
    let mut desk = common::desk_with_config(&counter.db, Clock::system(), cfg);
    assert!(desk.start_queue().unwrap());
    let session = desk.sign_in("1001", "counter1001").unwrap();
    let t = desk.call_next(&session).expect("call");
    desk.ticket_action(&session, counterdesk::desk::calling::TicketAction::Recall)
        .expect("recall");
    desk.ticket_action(&session, counterdesk::desk::calling::TicketAction::NoShow)
        .expect("no-show");
    desk.flush_upload(&mut |_, _| {}).expect("flush");
    let count = |counter: &str, kind: &str| -> i64 {
        let c = rusqlite::Connection::open(&hq_store).unwrap();
        c.query_row(
            "SELECT COUNT(*) FROM record WHERE counter = ?1 AND kind = ?2 AND rejected IS NULL",
            [counter, kind],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(count("C-W1", "queue.visit"), 1, "the window's visit");
    let c = rusqlite::Connection::open(&hq_store).unwrap();
    let payload: String = c
        .query_row(
            "SELECT payload FROM record WHERE counter = 'C-W1' AND kind = 'queue.visit'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        payload.contains(&t.label) && payload.contains("no_show"),
        "{payload}"
    );
    // The hall service sends the ended ticket, with its rows, by itself.
    let deadline = Instant::now() + Duration::from_secs(20);
    while count("HALL-T1", "queue.ticket") < 1 {
        assert!(Instant::now() < deadline, "the hall never uploaded");
        std::thread::sleep(Duration::from_millis(100));
    }
    let ticket: String = c
        .query_row(
            "SELECT payload FROM record WHERE counter = 'HALL-T1' AND kind = 'queue.ticket'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for want in [
        "\"issued\"",
        "\"called\"",
        "\"recalled\"",
        "\"no_show\"",
        "A001",
    ] {
        assert!(ticket.contains(want), "{want} missing in {ticket}");
    }
    // Once: sent and acknowledged, never again; A002 is still open.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(count("HALL-T1", "queue.ticket"), 1);
    assert_eq!(hall.sql("SELECT COUNT(*) FROM outbox WHERE acked = 1"), "1");
    assert!(
        !ticket.contains("11010"),
        "no ID number ever leaves the hall"
    );
    // HQ's status page: the hall's day, the hall service's ticket and the
    // window's visit side by side.
    let o = counterdesk::hq::open(&hq_store)
        .unwrap()
        .overview()
        .unwrap();
    let q = o
        .queue
        .iter()
        .find(|q| q.hall == "示范营业厅")
        .expect("queue row");
    assert_eq!((q.tickets, q.served, q.no_shows, q.visits), (1, 0, 1, 1));
    let page = counterdesk::hq::page::status(&o, "2026-12-07T00:00:00Z");
    assert!(page.contains("id=\"queue\""), "{page}");
}

#[test]
fn at_the_window_ctrl_n_calls_and_the_duty_manager_sees_the_figures() {
    use counterdesk::domain::msg::Lang;
    use counterdesk::tui::App;
    let s = Scratch::new();
    let hall_dir = Scratch::new();
    let hall = HallProc::start(hall_dir.path(), "");
    hall.take("A");
    hall.take("C");
    let token = hall_dir.path().join("w1.token");
    std::fs::write(&token, hall.token("1")).unwrap();
    let mut cfg = common::config();
    cfg.display.enabled = false;
    cfg.queue = QueueLink {
        url: hall.base(),
        token_file: token,
        ..QueueLink::default()
    };
    let mut desk = common::desk_with_config(&s.db(), common::clock(), cfg);
    assert!(desk.start_queue().unwrap());
    let mut a = App::new(desk, Lang::Zh);
    common::sign_in(&mut a, "1001", "counter1001");
    let text = common::screen(&a);
    assert!(text.contains("叫号 就绪"), "{text}");
    assert!(text.contains("Ctrl+N 叫号"), "on the bar:\n{text}");
    common::keys(&mut a, "<C-n>");
    let text = common::screen(&a);
    assert!(text.contains("已叫号：A001，请到 1 号窗口。"), "{text}");
    assert!(text.contains("叫号 A001"), "the header names it:\n{text}");
    // Called but never started: the next call says what to do first.
    common::keys(&mut a, "<C-n>");
    let text = common::screen(&a);
    assert!(text.contains("A001 已叫号但还没开始办理"), "{text}");
    // The calling screen: call again, then a no-show, then the next.
    common::keys(&mut a, "<C-t>");
    let text = common::screen(&a);
    assert!(text.contains("当前：A001"), "{text}");
    assert!(
        text.contains("C001 投诉咨询"),
        "waiting for this window:\n{text}"
    );
    common::keys(&mut a, "rx");
    assert!(common::screen(&a).contains("A001 已记为过号"));
    common::keys(&mut a, "s");
    assert!(
        common::screen(&a).contains("全厅排队统计只给值班经理查看"),
        "{}",
        common::screen(&a)
    );
    common::keys(&mut a, "n");
    assert!(common::screen(&a).contains("叫号 C001"));
    // The duty manager at the same window sees the day's figures.
    common::keys(&mut a, "<Esc><F11>");
    common::sign_in(&mut a, "2001", "manager2001");
    common::keys(&mut a, "<C-t>s");
    let text = common::screen(&a);
    assert!(text.contains("排队统计"), "{text}");
    assert!(
        text.contains("全厅：取号 2 · 办结 0 · 过号 1"),
        "the hall's line:\n{text}"
    );
    assert!(
        text.contains("1 号窗口：取号 2 · 办结 0 · 过号 1"),
        "the window has A001 (no-show) and C001 (called):\n{text}"
    );
}

#[test]
fn over_https_with_a_private_ca_a_ticket_is_taken_and_printed_through_cups() {
    crate::slips::require_printer("counterdesk-pdf");
    let s = Scratch::new();
    let (ca, cert, key) = crate::upload_tls::certificates(s.path(), "hall");
    std::fs::write(
        s.path().join("hall.toml"),
        format!(
            "[hall_service]\nstore = \"{}\"\nspool_dir = \"{}\"\nticket_printer = \"counterdesk-pdf\"\n",
            s.path().join("hall.db").display(),
            s.path().join("tickets").display()
        ),
    )
    .unwrap();
    // Plain HTTP off loopback is refused before anything opens.
    let o = bin(s.path())
        .args(["hall", "serve", "--plain", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("loopback"));
    let hall = HallProc::spawn_with(
        s.path(),
        "127.0.0.1:0",
        &[
            "--cert",
            &cert.display().to_string(),
            "--key",
            &key.display().to_string(),
        ],
    );
    let base = format!("https://{}", hall.addr);
    let kiosk = hall
        .tool(&["hall", "urls", "--base", &base])
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .nth(1)
        .unwrap()
        .to_string();
    let pem = std::fs::read(&ca).unwrap();
    let roots: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
        .filter_map(|i| match i {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(roots)))
                .build(),
        )
        .http_status_as_error(false)
        .build()
        .into();
    let since = std::time::SystemTime::now() - Duration::from_secs(1);
    let mut resp = agent
        .post(&format!("{kiosk}ticket"))
        .header("content-type", "application/json")
        .send(br#"{"group":"B"}"#.as_slice())
        .expect("kiosk over https");
    let v: Value = serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(v["ticket"], "B001", "{v}");
    assert_eq!(v["printed"], true, "sent to the ticket printer: {v}");
    let printed = crate::slips::wait_for_cups_output("ticket-B001", since)
        .expect("cups-pdf produced no ticket within 30 s");
    assert_eq!(common::slips::pages(&printed), 1);
    // The window reaches it over the same HTTPS, trusting the hall's CA.
    let file = s.path().join("w2.token");
    std::fs::write(&file, hall.token("2")).unwrap();
    let w = link::from_config(&QueueLink {
        url: base.clone(),
        token_file: file,
        ca_file: ca.clone(),
        ..QueueLink::default()
    })
    .unwrap()
    .unwrap();
    assert_eq!(w.call_next(&req("1002")).expect("call").label, "B001");
    // Without the CA the window does not trust it, and says it cannot reach it.
    let untrusting = link::from_config(&QueueLink {
        url: base,
        token_file: s.path().join("w2.token"),
        ..QueueLink::default()
    })
    .unwrap()
    .unwrap();
    assert!(matches!(untrusting.whoami(), Err(LinkError::Offline(_))));
}

#[test]
fn the_kiosk_page_issues_a_ticket_at_a_touch_and_says_why_it_will_not() {
    let s = Scratch::new();
    let hall = HallProc::start(s.path(), "");
    hall.take("A");
    let mut b = Browser::open(s.path(), &hall.url(0));
    b.wait_for("等候 1 人", || {});
    b.eval("document.querySelector('button[data-group=\"A\"]').click()");
    let page = b.wait_for("您的号码", || {});
    assert!(page.contains("A002"), "{page}");
    assert!(page.contains("前面等候 1 人"), "{page}");
    b.screenshot("kiosk_ticket");
    // An ID number that cannot be right: told so, nothing issued.
    b.eval("document.getElementById('idno').value = '110101195001011230'");
    b.eval("document.querySelector('button[data-group=\"B\"]').click()");
    b.wait_for("身份证号码有误", || {});
    assert_eq!(hall.sql("SELECT COUNT(*) FROM ticket"), "2");
    // A 75-year-old's number: the green channel, shown on the ticket.
    let id = resident_id("19510505");
    b.eval(&format!("document.getElementById('idno').value = '{id}'"));
    b.eval("document.querySelector('button[data-group=\"B\"]').click()");
    let page = b.wait_for("B001", || {});
    assert!(page.contains("绿色通道"), "{page}");
    assert_eq!(
        hall.sql("SELECT green FROM ticket WHERE label = 'B001'"),
        "1"
    );
}
