//! The HQ side of the upload tests: the real `counterdesk hq serve` binary
//! on loopback over a SQLite file or a fresh database on the PostgreSQL
//! server the test command started (COUNTERDESK_TEST_PG), a counter desk
//! configured to reach it, and a proxy that misbehaves on purpose.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use counterdesk::clock::Clock;
use counterdesk::config::Config;
use counterdesk::desk::Desk;
use counterdesk::store::outbox;
use counterdesk::store::{Event, Store};

use super::Scratch;

/// Which HQ store a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// Both stores: every upload test runs on each.
pub const BOTH: [Kind; 2] = [Kind::Sqlite, Kind::Postgres];

static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty HQ store URL of `kind`.
pub fn fresh_store(kind: Kind, s: &Scratch) -> String {
    match kind {
        Kind::Sqlite => {
            let n = DATABASES.fetch_add(1, Ordering::SeqCst);
            s.path().join(format!("hq-{n}.db")).display().to_string()
        }
        Kind::Postgres => {
            let admin = std::env::var("COUNTERDESK_TEST_PG").expect(
                "COUNTERDESK_TEST_PG is not set: run the tests with scripts/test.sh, which \
                 starts a PostgreSQL server for them",
            );
            let n = DATABASES.fetch_add(1, Ordering::SeqCst);
            let name = format!("cd_test_{}_{n}", std::process::id());
            let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("postgres");
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .expect("drop database");
            c.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create database");
            let base = admin.rsplit_once('/').map(|(b, _)| b).expect("url");
            format!("{base}/{name}")
        }
    }
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_counterdesk"));
    for var in [
        "COUNTERDESK_LANG",
        "COUNTERDESK_CONFIG",
        "COUNTERDESK_HQ_TOKEN",
    ] {
        c.env_remove(var);
    }
    c
}

/// Issues a token for `counter` with the real command.
pub fn issue_token(store: &str, counter: &str) -> String {
    let out = bin()
        .args([
            "hq",
            "token",
            "--store",
            store,
            "--counter",
            counter,
            "--hall",
            "示范营业厅",
        ])
        .output()
        .expect("hq token");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A running `hq serve`.
pub struct Hq {
    child: Option<Child>,
    pub store: String,
    pub addr: SocketAddr,
    pub scheme: &'static str,
}

impl Hq {
    /// Starts plain HTTP on a free loopback port.
    pub fn start(store: &str) -> Hq {
        Hq::start_with(store, "127.0.0.1:0", &["--plain"], "http")
    }

    /// Starts with extra arguments on `listen`.
    pub fn start_with(store: &str, listen: &str, extra: &[&str], scheme: &'static str) -> Hq {
        let mut child = bin()
            .args([
                "--lang", "en", "hq", "serve", "--listen", listen, "--store", store,
            ])
            .args(extra)
            .env("COUNTERDESK_HQ_WEB_PASSWORD", "hq-web-secret")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("hq serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("listening line");
        let addr: SocketAddr = match line.trim().rsplit(' ').next().and_then(|a| a.parse().ok()) {
            Some(a) => a,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no address in {line:?}");
            }
        };
        Hq {
            child: Some(child),
            store: store.to_string(),
            addr,
            scheme,
        }
    }

    /// Starts again on the same port after a kill.
    pub fn restart(&mut self, extra: &[&str]) {
        self.kill();
        let listen = self.addr.to_string();
        let again = Hq::start_with(&self.store, &listen, extra, self.scheme);
        *self = again;
    }

    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, |c| c.id())
    }

    /// SIGKILL, as a crash or a pulled cable would.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Hq {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Every (epoch, seq, sha256) HQ holds for `counter`.
pub fn held(store: &str, counter: &str) -> Vec<(i64, i64, String)> {
    counterdesk::hq::open(store)
        .expect("hq store")
        .identities(counter)
        .expect("identities")
}

/// Every (epoch, seq, sha256) the counter holds.
pub fn local(db: &Path) -> Vec<(i64, i64, String)> {
    let c = rusqlite::Connection::open(db).expect("open");
    let mut stmt = c
        .prepare("SELECT epoch, seq, sha256 FROM outbox ORDER BY epoch, seq")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

/// A counter: its configuration (HQ at `url`, its token in a file) and database.
pub struct Counter {
    pub id: String,
    pub db: PathBuf,
    pub config: Config,
    pub token_file: PathBuf,
}

impl Counter {
    pub fn new(s: &Scratch, id: &str, url: &str, token: &str) -> Counter {
        let token_file = s.path().join(format!("{id}.token"));
        std::fs::write(&token_file, token).expect("token file");
        let mut config = super::config();
        config.hq.url = url.to_string();
        config.hq.counter_id = id.to_string();
        config.hq.token_file = token_file.clone();
        config.hq.connect_timeout_seconds = 2;
        config.hq.read_timeout_seconds = 3;
        config.hq.batch_size = 200;
        Counter {
            id: id.to_string(),
            db: s.path().join(format!("{id}.db")),
            config,
            token_file,
        }
    }

    /// The counter's desk on the system clock (HQ checks clocks).
    pub fn desk(&self) -> Desk {
        super::desk_with_config(&self.db, Clock::system(), self.config.clone())
    }

    /// Writes a site configuration file for the binary.
    pub fn config_file(&self) -> PathBuf {
        let path = self.db.with_extension("toml");
        let text = format!(
            "language = \"en\"\n[hq]\nurl = \"{}\"\ncounter_id = \"{}\"\ntoken_file = \"{}\"\n\
             connect_timeout_seconds = 2\nread_timeout_seconds = 3\nbatch_size = 200\n",
            self.config.hq.url,
            self.id,
            self.token_file.display()
        );
        std::fs::write(&path, text).expect("config file");
        path
    }

    /// Runs the binary against this counter.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        bin()
            .arg("--config")
            .arg(self.config_file())
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .expect("counterdesk")
    }
}

/// Queues `n` real outbox records in one transaction (the enqueue code
/// the desk uses, without an fsync per record, so backlogs build fast).
pub fn backlog(desk: Desk, n: usize) {
    let path = desk.database_path().to_path_buf();
    drop(desk);
    let mut store = Store::open(&path, Clock::system()).expect("store");
    store
        .scratch(|tx, now| {
            for i in 0..n {
                let event =
                    Event::new("test.backlog", format!("r{i}"), serde_json::json!({"i": i}))
                        .moving(i as i64 % 1000);
                outbox::push(tx, now, None, (0, "backlog"), &event, None)?;
            }
            Ok(())
        })
        .expect("backlog");
}

/// What the proxy does to the traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Passes everything.
    None,
    /// Answers 500 without asking HQ.
    Error500,
    /// Answers 200 with a body that is not JSON.
    Garbage,
    /// Waits this many milliseconds before answering.
    Slow(u64),
    /// Passes the request to HQ, then drops the connection instead of
    /// answering (HQ committed; the counter never hears).
    DropAnswer,
    /// Passes, but the acknowledgement names another counter.
    ForeignAck,
}

/// A loopback HTTP proxy in front of HQ that misbehaves as told.
pub struct Proxy {
    pub addr: SocketAddr,
    pub fault: Arc<Mutex<Fault>>,
    pub requests: Arc<AtomicUsize>,
}

impl Proxy {
    pub fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let fault = Arc::new(Mutex::new(Fault::None));
        let requests = Arc::new(AtomicUsize::new(0));
        let (f, r) = (Arc::clone(&fault), Arc::clone(&requests));
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (f, r) = (Arc::clone(&f), Arc::clone(&r));
                std::thread::spawn(move || {
                    let _ = serve_one(conn, upstream, &f, &r);
                });
            }
        });
        Proxy {
            addr,
            fault,
            requests,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set(&self, fault: Fault) {
        *self.fault.lock().expect("fault") = fault;
    }
}

fn read_message(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            return Ok(buf);
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let len = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body)?;
    buf.extend(body);
    Ok(buf)
}

fn serve_one(
    mut client: TcpStream,
    upstream: SocketAddr,
    fault: &Mutex<Fault>,
    requests: &AtomicUsize,
) -> std::io::Result<()> {
    // One request per connection: the answer says "connection: close".
    let request = read_message(&mut client)?;
    if request.is_empty() {
        return Ok(());
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let fault = *fault.lock().expect("fault");
    let reply = |client: &mut TcpStream, status: &str, body: &str| {
        let text = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        );
        client.write_all(text.as_bytes())
    };
    match fault {
        Fault::Error500 => return reply(&mut client, "500 Internal Server Error", "oops"),
        Fault::Garbage => return reply(&mut client, "200 OK", "<html>not json</html>"),
        Fault::Slow(ms) => std::thread::sleep(Duration::from_millis(ms)),
        _ => {}
    }
    let mut up = TcpStream::connect(upstream)?;
    up.write_all(&request)?;
    let answer = read_message(&mut up)?;
    if fault == Fault::DropAnswer {
        return Ok(());
    }
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(answer.len(), |p| p + 4);
    let (head, body) = answer.split_at(split);
    let mut body = String::from_utf8_lossy(body).into_owned();
    if fault == Fault::ForeignAck {
        body = body.replacen("\"counter\":\"", "\"counter\":\"OTHER-", 1);
    }
    let status = String::from_utf8_lossy(head)
        .lines()
        .next()
        .and_then(|l| l.split_once(' ').map(|(_, s)| s.to_string()))
        .unwrap_or_else(|| "502 Bad Gateway".into());
    reply(&mut client, &status, &body)
}

/// Publishes a feed (JSON items) into an HQ store with `hq publish`, as HQ's
/// staff do; the command must succeed.
pub fn publish(store: &str, s: &super::Scratch, text: &str) {
    let file = s.path().join("feed.json");
    std::fs::write(&file, text).expect("feed file");
    let out = Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["hq", "publish", "--store", store])
        .arg(&file)
        .output()
        .expect("publish");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
