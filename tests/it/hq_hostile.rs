//! HQ against clients that do not play by the rules: bodies without a
//! token cost nothing and are answered 401 before they are read, a body
//! over the cap is refused, a replayed record with other bytes under the
//! same hash is malformed, an unreadable clock is no way around the clock
//! check, the API answers 401 before it reads a query, and the status
//! page's sign-in locks after five wrong passwords.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::hq::{fresh_store, issue_token, Counter, Hq, Kind};
use crate::common::{pay_bills, Scratch};
use counterdesk::domain::upload::CHAIN_GENESIS;

/// One HTTP/1.1 request; the status and the body of the answer.
fn request(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let msg = format!(
        "{head}\r\nHost: hq\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(msg.as_bytes()).expect("head");
    s.write_all(body).expect("body");
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}

/// The peak resident memory of a process, in kB (VmHWM).
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmHWM")
}

#[test]
fn sixteen_clients_without_a_token_are_answered_401_before_their_bodies() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let hq = Hq::start(&store);
    let addr = hq.addr;
    const BODY: usize = 60 * 1024 * 1024;
    let sent_before_answer = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..16)
        .map(|i| {
            let sent_before_answer = Arc::clone(&sent_before_answer);
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(addr).expect("connect");
                s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
                let token = if i % 2 == 0 { "" } else { "Authorization: Bearer nope\r\n" };
                let head = format!(
                    "POST /v1/batches HTTP/1.1\r\nHost: hq\r\n{token}Content-Type: application/json\r\nContent-Length: {BODY}\r\n\r\n"
                );
                s.write_all(head.as_bytes()).expect("head");
                let answered = Arc::new(AtomicBool::new(false));
                let mut reader = s.try_clone().expect("clone");
                let heard = Arc::clone(&answered);
                let listen = std::thread::spawn(move || {
                    let mut buf = [0u8; 64];
                    let n = reader.read(&mut buf).unwrap_or(0);
                    heard.store(true, Ordering::SeqCst);
                    String::from_utf8_lossy(&buf[..n]).into_owned()
                });
                let chunk = vec![b'{'; 256 * 1024];
                let mut sent = 0;
                while sent < BODY && !answered.load(Ordering::SeqCst) {
                    if s.write_all(&chunk).is_err() {
                        break;
                    }
                    sent += chunk.len();
                }
                let status = listen.join().expect("reader");
                if sent < BODY {
                    sent_before_answer.fetch_add(1, Ordering::SeqCst);
                }
                status
            })
        })
        .collect();
    for c in clients {
        let status = c.join().expect("client");
        assert!(status.starts_with("HTTP/1.1 401"), "{status:?}");
    }
    assert_eq!(
        sent_before_answer.load(Ordering::SeqCst),
        16,
        "every client was answered before it could send its whole body"
    );
    let peak = peak_rss_kb(hq.pid());
    assert!(peak < 100 * 1024, "HQ's peak memory {peak} kB");
}

#[test]
fn a_body_over_the_cap_is_refused_even_with_a_token() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-BIG");
    let hq = Hq::start_with(
        &store,
        "127.0.0.1:0",
        &["--plain", "--max-body-mib", "1"],
        "http",
    );
    let body = vec![b' '; 2 * 1024 * 1024];
    let (status, _) = request(
        hq.addr,
        &format!("POST /v1/batches HTTP/1.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json"),
        &body,
    );
    assert_eq!(status, 413);
}

/// A batch that replays the counter's first stored record, `edit`ed.
fn replay(c: &Counter, edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let conn = rusqlite::Connection::open(&c.db).expect("db");
    let (epoch, seq, day, amount, sha, chain, payload): (i64, i64, String, i64, String, String, Vec<u8>) = conn
        .query_row(
            "SELECT epoch, seq, day, amount, sha256, chain, payload FROM outbox ORDER BY seq LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .expect("first record");
    let mut record = serde_json::json!({
        "seq": seq, "day": day, "amount_fen": amount, "sha256": sha, "chain": chain,
        "payload": String::from_utf8(payload).expect("utf-8"),
    });
    edit(&mut record);
    let batch = serde_json::json!({
        "counter": c.id, "epoch": epoch, "prev_chain": CHAIN_GENESIS, "epoch_first": 1,
        "records": [record], "waiting": 0, "oldest_waiting_at": null,
        "sent_at": counterdesk::store::stamp::ts(chrono::Utc::now()),
    });
    serde_json::to_vec(&batch).expect("json")
}

#[test]
fn a_replayed_record_is_hashed_and_an_unreadable_clock_is_malformed() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-REPLAY");
    let hq = Hq::start(&store);
    let c = Counter::new(&s, "C-REPLAY", &hq.url(), &token);
    let mut desk = c.desk();
    pay_bills(&mut desk, 0, 2);
    desk.flush_upload(&mut |_, _| {}).expect("flush");
    let head = format!("POST /v1/batches HTTP/1.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json");
    // The same bytes again: the original acknowledgement.
    let (status, body) = request(hq.addr, &head, &replay(&c, |_| {}));
    assert_eq!(status, 200, "{body}");
    // The same claimed hash over other bytes.
    let changed = replay(&c, |r| {
        let p = r["payload"].as_str().expect("payload").replacen(
            "\"amount_fen\":",
            "\"amount_fen\":1",
            1,
        );
        r["payload"] = p.into();
    });
    let (status, body) = request(hq.addr, &head, &changed);
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("malformed") && body.contains("sha256"),
        "{body}"
    );
    // The envelope changed, the payload not.
    let (status, body) = request(hq.addr, &head, &replay(&c, |r| r["amount_fen"] = 1.into()));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("envelope"), "{body}");
    // A clock HQ cannot read.
    let mut batch: serde_json::Value = serde_json::from_slice(&replay(&c, |_| {})).expect("json");
    batch["sent_at"] = "yesterday at noon".into();
    let (status, body) = request(hq.addr, &head, &serde_json::to_vec(&batch).expect("json"));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("sent_at"), "{body}");
}

#[test]
fn the_api_answers_401_before_it_reads_a_query() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-Q");
    let hq = Hq::start(&store);
    for path in ["/v1/feed", "/v1/digest", "/v1/days", "/v1/feed?after=0"] {
        let (status, body) = request(hq.addr, &format!("GET {path} HTTP/1.1"), b"");
        assert_eq!(status, 401, "{path}: {body}");
    }
    let (status, _) = request(
        hq.addr,
        &format!("GET /v1/feed HTTP/1.1\r\nAuthorization: Bearer {token}"),
        b"",
    );
    assert_eq!(
        status, 400,
        "with a token, the missing `after` is what is wrong"
    );
}

#[test]
fn the_status_page_locks_after_five_wrong_passwords_and_records_each_try() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let hq = Hq::start_with(
        &store,
        "127.0.0.1:0",
        &["--plain", "--web-user", "admin"],
        "http",
    );
    let head = "POST /login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded";
    for left in (1..5).rev() {
        let (status, body) = request(hq.addr, head, b"user=admin&password=guess");
        assert_eq!(status, 401);
        assert!(body.contains(&format!("{left} tries left")), "{body}");
    }
    let (status, body) = request(hq.addr, head, b"user=admin&password=guess");
    assert_eq!(status, 401);
    assert!(body.contains("locked until"), "{body}");
    // Locked: the right password is refused too.
    let (status, body) = request(hq.addr, head, b"user=admin&password=hq-web-secret");
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("locked until"), "{body}");
    drop(hq);
    let c = rusqlite::Connection::open(&store).expect("store");
    let outcomes: Vec<String> = c
        .prepare("SELECT outcome FROM web_sign_in ORDER BY id")
        .expect("q")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("outcomes");
    assert_eq!(
        outcomes,
        ["wrong", "wrong", "wrong", "wrong", "locked", "locked"]
    );
}
