//! The background uploader and downloader. Each runs on a thread of its own
//! with its own database connection, so downloads never wait behind a long
//! upload and the screen never waits for either. The uploader wakes on a
//! timer, after each commit, and retries with capped, jittered back-off
//! while HQ cannot be reached.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::link::Link;
use super::{day_close, down, upload, SyncError};
use crate::clock::Clock;
use crate::config::HqLink;
use crate::domain::case::CaseRules;
use crate::domain::msg::Msg;
use crate::store::{outbox, Store};

/// How the link to HQ stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HqState {
    /// No HQ address configured: records wait.
    #[default]
    Off,
    /// Not tried yet.
    Starting,
    /// The last exchange succeeded.
    Online,
    /// HQ cannot be reached or refused; retrying.
    Offline,
    /// HQ refused a record as a fork: upload stopped until a person looks.
    Alarm,
}

/// What the status bar and the upload screen show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkStatus {
    /// The link.
    pub state: HqState,
    /// Records waiting.
    pub waiting: i64,
    /// When the oldest waiting record was written.
    pub oldest_waiting_at: Option<DateTime<Utc>>,
    /// Records HQ stored but could not use.
    pub quarantined: i64,
    /// Records HQ refused as forks.
    pub forked: i64,
    /// When HQ last acknowledged.
    pub last_success: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub problem: Option<Msg>,
}

/// The running workers.
pub struct Worker {
    wake: mpsc::Sender<()>,
    status: Arc<Mutex<LinkStatus>>,
    stop: Arc<AtomicBool>,
    stopped: mpsc::Receiver<()>,
}

impl Drop for Worker {
    /// Stops the threads and waits a moment for the uploader to close its
    /// connection, so the database's write-ahead log is folded back in at
    /// exit (an upload in flight is not waited for: it is sent again).
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.wake.send(());
        let _ = self.stopped.recv_timeout(Duration::from_secs(2));
    }
}

/// Wait before retry `failures` (from 1): doubling from one second, capped,
/// then a random share between half and all of it so counters that lost HQ
/// together do not come back together.
pub fn backoff(failures: u32, cap: Duration) -> Duration {
    let base = Duration::from_secs(1u64 << failures.saturating_sub(1).min(20));
    let d = base.min(cap);
    d.mul_f64(0.5 + fastrand::f64() * 0.5)
}

impl Worker {
    /// Starts the uploader and downloader on the database at `db`; `plan`
    /// says which cases HQ finishes wait for a return visit here.
    pub fn start(db: &Path, clock: Clock, cfg: HqLink, plan: CaseRules) -> Worker {
        let (wake, rx) = mpsc::channel();
        let (done, stopped) = mpsc::channel();
        let status = Arc::new(Mutex::new(LinkStatus::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let up = Uploader {
            db: db.to_path_buf(),
            clock: clock.clone(),
            cfg: cfg.clone(),
            status: Arc::clone(&status),
            stop: Arc::clone(&stop),
        };
        let _ = std::thread::Builder::new()
            .name("hq-upload".into())
            .spawn(move || {
                up.run(rx);
                let _ = done.send(());
            });
        let (db, stop2) = (db.to_path_buf(), Arc::clone(&stop));
        let _ = std::thread::Builder::new()
            .name("hq-download".into())
            .spawn(move || download_loop(&db, clock, &cfg, &plan, &stop2));
        Worker {
            wake,
            status,
            stop,
            stopped,
        }
    }

    /// Tells the uploader a record was committed.
    pub fn wake(&self) {
        let _ = self.wake.send(());
    }

    /// A waker for the store's commit hook.
    pub fn waker(&self) -> impl Fn() + Send + 'static {
        let tx = Mutex::new(self.wake.clone());
        move || {
            if let Ok(tx) = tx.lock() {
                let _ = tx.send(());
            }
        }
    }

    /// The latest status.
    pub fn status(&self) -> LinkStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

struct Uploader {
    db: PathBuf,
    clock: Clock,
    cfg: HqLink,
    status: Arc<Mutex<LinkStatus>>,
    stop: Arc<AtomicBool>,
}

impl Uploader {
    fn set(&self, f: impl FnOnce(&mut LinkStatus)) {
        if let Ok(mut s) = self.status.lock() {
            f(&mut s);
        }
    }

    fn refresh(&self, store: &Store) {
        if let Ok(q) = outbox::status(store.conn()) {
            let oldest = q
                .oldest_waiting_at
                .as_deref()
                .and_then(crate::store::stamp::parse_ts);
            self.set(|s| {
                s.waiting = q.waiting;
                s.oldest_waiting_at = oldest;
                s.quarantined = q.quarantined;
                s.forked = q.forked;
            });
        }
    }

    fn run(self, rx: mpsc::Receiver<()>) {
        let mut store = match Store::open_unlocked(&self.db, self.clock.clone()) {
            Ok(s) => s,
            Err(e) => {
                self.set(|s| {
                    s.state = HqState::Offline;
                    s.problem = Some(e.msg());
                });
                return;
            }
        };
        let link = Link::from_config(&self.cfg);
        let interval = Duration::from_secs(self.cfg.interval_seconds.max(1));
        let cap = Duration::from_secs(self.cfg.max_backoff_seconds.max(1));
        let mut failures = 0u32;
        let mut next_try = Instant::now();
        self.set(|s| s.state = HqState::Starting);
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let _ = day_close::close_past_days(&mut store);
            self.refresh(&store);
            let link = match &link {
                Ok(Some(l)) => l,
                Ok(None) => {
                    self.set(|s| {
                        s.state = HqState::Off;
                        s.problem = Some(SyncError::NotConfigured.msg());
                    });
                    if wait(&rx, interval) {
                        return;
                    }
                    continue;
                }
                Err(e) => {
                    let m = e.msg();
                    self.set(|s| {
                        s.state = HqState::Offline;
                        s.problem = Some(m);
                    });
                    if wait(&rx, interval) {
                        return;
                    }
                    continue;
                }
            };
            if Instant::now() >= next_try {
                match upload::flush(&mut store, link, self.cfg.batch_size as i64, &mut |_, _| {}) {
                    Ok(_) => {
                        if let Err(e) = super::prune::prune(&mut store, link, self.cfg.keep_days) {
                            tracing::warn!(error = ?e.msg().key, "pruning skipped");
                        }
                        failures = 0;
                        let now = self.clock.now();
                        self.set(|s| {
                            s.state = HqState::Online;
                            s.last_success = Some(now);
                            s.problem = None;
                        });
                        next_try = Instant::now() + interval;
                    }
                    Err(e) => {
                        failures += 1;
                        tracing::warn!(failures, error = ?e.msg().key, "upload failed");
                        let alarm = matches!(e, SyncError::Fork(..));
                        self.set(|s| {
                            s.state = if alarm {
                                HqState::Alarm
                            } else {
                                HqState::Offline
                            };
                            s.problem = Some(e.msg());
                        });
                        next_try = Instant::now() + backoff(failures, cap);
                    }
                }
                self.refresh(&store);
            }
            let left = next_try.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left.max(Duration::from_millis(50))) {
                // A commit: send now if HQ was answering, else keep the
                // back-off (the timer brings the retry).
                Ok(()) => {
                    if failures == 0 {
                        next_try = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

/// Waits for a wake or the interval; true when the worker should stop.
fn wait(rx: &mpsc::Receiver<()>, d: Duration) -> bool {
    matches!(rx.recv_timeout(d), Err(RecvTimeoutError::Disconnected))
}

fn download_loop(db: &Path, clock: Clock, cfg: &HqLink, plan: &CaseRules, stop: &AtomicBool) {
    let Ok(Some(link)) = Link::from_config(cfg) else {
        return;
    };
    let Ok(mut store) = Store::open_unlocked(db, clock) else {
        return;
    };
    let interval = Duration::from_secs(cfg.interval_seconds.max(1));
    let cap = Duration::from_secs(cfg.max_backoff_seconds.max(1));
    let mut failures = 0u32;
    while !stop.load(Ordering::SeqCst) {
        let pause = match down::pull(&mut store, &link, plan) {
            Ok(_) => {
                failures = 0;
                interval
            }
            Err(_) => {
                failures += 1;
                backoff(failures, cap)
            }
        };
        let until = Instant::now() + pause;
        while Instant::now() < until && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}
