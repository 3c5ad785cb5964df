//! The customer display: from the clerk's keystroke to the event on the
//! customer's page (an event-stream client on loopback), and the
//! keystroke-to-frame time of the workstation with the display connected
//! and its stream busy.

use super::*;
use std::io::{BufRead, BufReader, Write};
use std::sync::mpsc;

pub fn bench_display(quick: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let db = dir.join("display.db");
    for ext in ["", "-wal", "-shm", ".lock", ".seal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let mut cfg = config(&db);
    cfg.display.address = "127.0.0.1:0".into();
    let mut desk = open_desk_with(cfg);
    desk.start_display().expect("display");
    let addr = desk.display_addr().expect("addr");
    let secret: String = rusqlite::Connection::open(&db)
        .and_then(|c| c.query_row("SELECT secret FROM display_secret", [], |r| r.get(0)))
        .expect("secret");
    let mut app = App::new(desk, Lang::Zh);
    let keys = |app: &mut App, script: &str| {
        for k in counterdesk::tui::key_script::parse(script) {
            app.handle_key(&k);
        }
    };
    keys(
        &mut app,
        "1001<Enter>counter1001<Enter><F6>1000<Enter>0591234567<Enter>86.5<Enter>",
    );
    // The page's side: every event with the moment it arrived.
    let (tx, rx) = mpsc::channel::<(Instant, String)>();
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET /d/{secret}/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("request");
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stream);
        let mut line = String::new();
        while lines.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                if tx.send((Instant::now(), data.to_string())).is_err() {
                    return;
                }
            }
            line.clear();
        }
    });
    let wait_for = |what: &str| -> Instant {
        loop {
            let (at, data) = rx.recv_timeout(Duration::from_secs(5)).expect("event");
            if data.contains(what) {
                return at;
            }
        }
    };
    wait_for("\"paying\"");
    let n = if quick { 30 } else { 500 };
    let mut to_page = Vec::with_capacity(n);
    let mut to_frame = Vec::with_capacity(n);
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).expect("terminal");
    for i in 0..n {
        // Type an amount digit by digit and erase it: every key changes
        // what the customer sees.
        let digit = (b'1' + (i % 9) as u8) as char;
        let key = counterdesk::tui::key_script::parse(&digit.to_string());
        let t = Instant::now();
        app.handle_key(&key[0]);
        terminal.draw(|f| app.draw(f)).expect("draw");
        to_frame.push(t.elapsed());
        let amount = format!("\"amount\":\"{digit}.00\"");
        to_page.push(wait_for(&amount) - t);
        let back = counterdesk::tui::key_script::parse("<Backspace>");
        let t = Instant::now();
        app.handle_key(&back[0]);
        terminal.draw(|f| app.draw(f)).expect("draw");
        to_frame.push(t.elapsed());
        wait_for("\"handed\":[]");
    }
    report(
        "keystroke to the customer's page (loopback)",
        to_page,
        "p99 < 50 ms",
    );
    report(
        "keystroke + redraw, display connected",
        to_frame,
        "p99 < 4 ms",
    );
}
