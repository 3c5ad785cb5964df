//! The hall's queue (BENCH_ONLY=hall): call-next round trips from 30
//! windows calling at once, each until the hall display's event stream
//! shows the ticket called; and a day of 3,000 tickets' figures.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};

use counterdesk::config::{HallWindow, QueueLink};
use counterdesk::hall::core::Core;
use counterdesk::hall::link;
use counterdesk::hall::server::{serve, HallServeOptions};
use counterdesk::hall::store::HallStore;
use counterdesk::hall::wire::WindowRequest;

use super::*;

pub fn bench_hall(quick: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/hall");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let windows = 30;
    let rounds = if quick { 3 } else { 20 };
    let mut cfg = config(&dir.join("unused.db"));
    cfg.hall_service.kiosk_per_minute = 1_000_000;
    cfg.hall_service.spool_dir = dir.join("tickets");
    cfg.hall_service.windows = (1..=windows)
        .map(|n| HallWindow {
            number: n.to_string(),
            groups: vec!["A".into(), "B".into(), "C".into()],
        })
        .collect();
    let mut store = HallStore::open(&dir.join("hall.db")).expect("store");
    let mut tokens = Vec::new();
    for n in 1..=windows {
        let t = counterdesk::hq::tokens::new_token().expect("token");
        store
            .add_token(
                &counterdesk::hq::tokens::token_sha(&t),
                &n.to_string(),
                chrono::Utc::now(),
            )
            .expect("token");
        tokens.push(t);
    }
    let board = store.page_secret("board").expect("secret");
    let mut core = Core::new(
        cfg.hall_service.clone(),
        cfg.hall.clone(),
        store,
        Clock::system(),
    )
    .expect("core");
    for i in 0..windows * rounds {
        core.issue(["A", "B", "C"][i % 3], None).expect("ticket");
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let opts = HallServeOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        tls: None,
        core,
        font: counterdesk::slips::source::start_loading(&cfg),
    };
    std::thread::spawn(move || {
        let _ = serve(opts, move |addr| {
            let _ = tx.send(addr);
        });
    });
    let addr = rx.recv().expect("listening");
    // The hall display: the event stream read as it arrives; each ticket
    // is stamped when it first shows among the calls.
    let seen: Arc<Mutex<std::collections::HashMap<String, Instant>>> = Arc::default();
    {
        let seen = Arc::clone(&seen);
        let mut s = TcpStream::connect(addr).expect("connect");
        write!(
            s,
            "GET /h/{board}/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("request");
        std::thread::spawn(move || {
            for line in BufReader::new(s).lines() {
                let Ok(line) = line else { return };
                let Some(data) = line.strip_prefix("data: ") else {
                    continue;
                };
                let now = Instant::now();
                let Ok(v) = serde_json::from_str::<serde_json::Value>(data) else {
                    continue;
                };
                let mut g = seen.lock().unwrap();
                for c in v["calls"].as_array().into_iter().flatten() {
                    if let Some(t) = c["ticket"].as_str() {
                        g.entry(t.to_string()).or_insert(now);
                    }
                }
            }
        });
    }
    std::thread::sleep(Duration::from_millis(200));
    let links: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let file = dir.join(format!("w{}.token", i + 1));
            std::fs::write(&file, t).unwrap();
            link::from_config(&QueueLink {
                url: format!("http://{addr}"),
                token_file: file,
                timeout_ms: 5_000,
                ..QueueLink::default()
            })
            .unwrap()
            .unwrap()
        })
        .collect();
    let started: Mutex<Vec<(String, Instant)>> = Mutex::new(Vec::new());
    let barrier = std::sync::Barrier::new(windows);
    std::thread::scope(|scope| {
        for l in &links {
            let (started, barrier) = (&started, &barrier);
            scope.spawn(move || {
                let req = WindowRequest::default();
                for _ in 0..rounds {
                    barrier.wait();
                    let t0 = Instant::now();
                    let t = l.call_next(&req).expect("call");
                    started.lock().unwrap().push((t.label.clone(), t0));
                    l.act(&t.label, "start", &req).expect("start");
                }
            });
        }
    });
    std::thread::sleep(Duration::from_millis(500));
    let seen = seen.lock().unwrap();
    let mut trips: Vec<Duration> = started
        .lock()
        .unwrap()
        .iter()
        .filter_map(|(label, t0)| seen.get(label).map(|s| s.duration_since(*t0)))
        .collect();
    let missing = windows * rounds - trips.len();
    trips.sort();
    let p99 = percentile(&trips, 0.99);
    report(
        "call-next to hall display, 30 windows at once",
        trips,
        "p99 < 100 ms",
    );
    println!(
        "{:<44} {:.2}x (calls not seen: {missing})",
        "call-next p99 / 100 ms",
        p99.as_secs_f64() / 0.1
    );
    // A day of 3,000 tickets: issued, called, started, served; the
    // figures from their 12,000 rows, read and folded.
    let day_store = HallStore::open(&dir.join("day.db")).expect("store");
    let mut day = Core::new(
        cfg.hall_service.clone(),
        cfg.hall.clone(),
        day_store,
        Clock::system(),
    )
    .expect("core");
    // Through the service itself, as a day fills (one window at a time).
    let req = WindowRequest::default();
    for i in 0..3_000 {
        day.issue(["A", "B", "C"][i % 3], None).expect("ticket");
        let w = (i % windows + 1).to_string();
        let t = day.call_next(&w, &req).expect("call");
        day.act(
            &w,
            &t.label,
            counterdesk::domain::queue::Action::Start,
            &req,
        )
        .expect("start");
        day.act(
            &w,
            &t.label,
            counterdesk::domain::queue::Action::Serve,
            &req,
        )
        .expect("serve");
    }
    let mut figs = Vec::new();
    for _ in 0..if quick { 5 } else { 30 } {
        let t = Instant::now();
        let f = day.figures(&day.day());
        figs.push(t.elapsed());
        assert_eq!(f.hall.tickets, 3_000);
    }
    figs.sort();
    let p50 = percentile(&figs, 0.5);
    report("figures of a day of 3,000 tickets", figs, "< 50 ms");
    println!(
        "{:<44} {:.2}x",
        "day figures median / 50 ms",
        p50.as_secs_f64() / 0.05
    );
}
