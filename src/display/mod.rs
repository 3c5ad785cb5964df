//! The customer display: a page for a screen or tablet turned to the
//! customer, served by the workstation itself on a runtime thread of its
//! own. The desk publishes the whole display state on every change; the
//! page follows it over server-sent events and never reads the database.
//! Ratings the page (or a hardware rating device) sends come back to the
//! desk as offers, answered once the desk has recorded or refused them.
//! Every path carries the counter's secret; without it nothing answers.

mod page;
mod server;
pub mod wire;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, RwLock};
use std::time::Instant;

use crate::domain::rating::Refusal;

/// A rating offered by the page or a rating device, waiting for the desk.
pub struct Offer {
    pub reference: String,
    pub level: String,
    pub reasons: Vec<String>,
    /// "display" or "device".
    pub channel: String,
    reply: tokio::sync::oneshot::Sender<Result<(), Refusal>>,
}

impl Offer {
    /// Tells the page (or device) what became of its rating.
    pub fn answer(self, outcome: Result<(), Refusal>) {
        let _ = self.reply.send(outcome);
    }
}

/// Why the display could not start (the workstation runs on without it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// Another program listens there.
    InUse(String),
    /// Not an address to listen on.
    BadAddress(String),
    /// Anything else the system said.
    Other(String, String),
}

/// Shared between the desk and the server.
pub(crate) struct Shared {
    secret: RwLock<String>,
    clients: AtomicUsize,
    /// When the last page or device stream closed, if none is open.
    gone_since: std::sync::Mutex<Option<Instant>>,
}

impl Shared {
    fn secret_is(&self, offered: &str) -> bool {
        match self.secret.read() {
            Ok(s) => crate::hq::tokens::same_secret(&s, offered),
            Err(_) => false,
        }
    }

    fn connected(&self) {
        self.clients.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut g) = self.gone_since.lock() {
            *g = None;
        }
    }

    /// A request from a page or device that does not stay connected.
    fn seen(&self) {
        if self.clients.load(Ordering::SeqCst) == 0 {
            if let Ok(mut g) = self.gone_since.lock() {
                *g = Some(Instant::now());
            }
        }
    }

    fn disconnected(&self) {
        if self.clients.fetch_sub(1, Ordering::SeqCst) == 1 {
            if let Ok(mut g) = self.gone_since.lock() {
                *g = Some(Instant::now());
            }
        }
    }
}

/// The running display.
pub struct Display {
    state: tokio::sync::watch::Sender<Arc<String>>,
    offers: mpsc::Receiver<Offer>,
    shared: Arc<Shared>,
    addr: SocketAddr,
    // Dropping the runtime stops the server.
    _runtime: tokio::runtime::Runtime,
}

impl Display {
    /// Listens on `address` and serves the page under `secret`.
    pub fn start(address: &str, secret: String) -> Result<Display, StartError> {
        let addr: SocketAddr = address
            .trim()
            .parse()
            .map_err(|_| StartError::BadAddress(address.trim().to_string()))?;
        let listener = std::net::TcpListener::bind(addr).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                StartError::InUse(addr.to_string())
            } else {
                StartError::Other(addr.to_string(), e.to_string())
            }
        })?;
        let local = listener
            .local_addr()
            .map_err(|e| StartError::Other(addr.to_string(), e.to_string()))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| StartError::Other(addr.to_string(), e.to_string()))?;
        let shared = Arc::new(Shared {
            secret: RwLock::new(secret),
            clients: AtomicUsize::new(0),
            gone_since: std::sync::Mutex::new(Some(Instant::now())),
        });
        let (state, _) = tokio::sync::watch::channel(Arc::new(String::from("{}")));
        let (offer_tx, offers) = mpsc::channel();
        // One worker: the display is one page or two, and the counter's
        // second core stays with the clerk's screen.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("display")
            .enable_all()
            .build()
            .map_err(|e| StartError::Other(addr.to_string(), e.to_string()))?;
        let app = server::router(server::Ctx {
            shared: Arc::clone(&shared),
            state: state.subscribe(),
            offers: offer_tx,
            streams: Arc::new(tokio::sync::Semaphore::new(server::MAX_STREAMS)),
            requests: Arc::new(tokio::sync::Semaphore::new(server::MAX_REQUESTS)),
        });
        let server = {
            let _g = runtime.enter();
            axum_server::from_tcp(listener)
                .map_err(|e| StartError::Other(addr.to_string(), e.to_string()))?
        };
        runtime.spawn(async move {
            if let Err(e) = server.serve(app.into_make_service()).await {
                tracing::error!("customer display stopped: {e}");
            }
        });
        Ok(Display {
            state,
            offers,
            shared,
            addr: local,
            _runtime: runtime,
        })
    }

    /// Publishes the display's whole state; nothing is sent when it did not change.
    pub fn publish(&self, json: String) {
        self.state.send_if_modified(|cur| {
            if **cur == json {
                false
            } else {
                *cur = Arc::new(json);
                true
            }
        });
    }

    /// A rating offered since the last call, if any.
    pub fn next_offer(&self) -> Option<Offer> {
        self.offers.try_recv().ok()
    }

    /// How long no page or device has followed the display (none ever
    /// did: since it started); `None` while one does.
    pub fn unwatched_for(&self) -> Option<std::time::Duration> {
        self.shared
            .gone_since
            .lock()
            .ok()
            .and_then(|g| g.map(|t| t.elapsed()))
    }

    /// Pages and devices following the display now.
    pub fn watchers(&self) -> usize {
        self.shared.clients.load(Ordering::SeqCst)
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's address, secret included: for a duty manager's eyes.
    pub fn url(&self) -> String {
        let secret = self
            .shared
            .secret
            .read()
            .map(|s| s.clone())
            .unwrap_or_default();
        format!("http://{}/d/{}/", self.addr, secret)
    }

    /// A new secret: the old address stops answering at once.
    pub fn rotate(&self, secret: String) {
        if let Ok(mut s) = self.shared.secret.write() {
            *s = secret;
        }
    }
}
