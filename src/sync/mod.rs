//! Upload to and download from HQ: the link, one flush of the outbox, the
//! feed of what HQ publishes, the per-day check, and the background worker
//! that wakes on a timer, after each commit and when HQ comes back.

pub mod check;
pub mod day_close;
pub mod down;
pub mod link;
pub mod objects;
pub mod prune;
pub mod upload;
pub mod worker;

use crate::domain::msg::Msg;
use crate::msg;
use crate::store::StoreError;

/// Why a sync step did not complete. Nothing is marked sent when it fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// No HQ address is configured.
    NotConfigured,
    /// No token (COUNTERDESK_HQ_TOKEN or hq.token_file), or its file
    /// cannot be read: what to do.
    TokenMissing(Msg),
    /// The URL cannot be used.
    BadUrl(String),
    /// HQ cannot be reached.
    Unreachable(String),
    /// HQ did not answer in time.
    Timeout,
    /// HQ's certificate does not verify, or the CA file is unusable.
    Certificate(String),
    /// HQ refused the token.
    Token,
    /// The counter's clock is this many seconds off HQ's.
    Clock(i64),
    /// HQ answered with another counter's or epoch's acknowledgement.
    Foreign(String, i64),
    /// HQ acknowledged less than was sent.
    Short,
    /// HQ answered with an HTTP error.
    Server(u16),
    /// HQ's answer could not be read.
    Garbage(String),
    /// HQ refused a record as a fork.
    Fork(i64, i64),
    /// HQ refused the batch as unreadable.
    Malformed(String),
    /// The local database failed.
    Store(Msg),
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e.msg())
    }
}

impl SyncError {
    fn from_ureq(e: ureq::Error) -> SyncError {
        use std::io::ErrorKind;
        match e {
            ureq::Error::Timeout(_) => SyncError::Timeout,
            ureq::Error::Io(io) if io.kind() == ErrorKind::TimedOut => SyncError::Timeout,
            ureq::Error::Io(io) if io.kind() == ErrorKind::WouldBlock => SyncError::Timeout,
            ureq::Error::BadUri(u) => SyncError::BadUrl(u),
            ureq::Error::Rustls(t) => SyncError::Certificate(t.to_string()),
            ureq::Error::Tls(t) => SyncError::Certificate(t.to_string()),
            ureq::Error::Pem(t) => SyncError::Certificate(t.to_string()),
            ureq::Error::Io(io) if io.to_string().contains("certificate") => {
                SyncError::Certificate(io.to_string())
            }
            ureq::Error::HostNotFound => SyncError::Unreachable("host not found".into()),
            other => SyncError::Unreachable(other.to_string()),
        }
    }

    /// The message the clerk or the administrator reads.
    pub fn msg(&self) -> Msg {
        match self {
            SyncError::NotConfigured => msg!("sync.not_configured"),
            SyncError::TokenMissing(m) => m.clone(),
            SyncError::BadUrl(u) => msg!("sync.bad_url", url = u),
            SyncError::Unreachable(d) => msg!("sync.unreachable", detail = d),
            SyncError::Timeout => msg!("sync.timeout"),
            SyncError::Certificate(d) => msg!("sync.certificate", detail = d),
            SyncError::Token => msg!("sync.token"),
            SyncError::Clock(s) => msg!("sync.clock", minutes = (s.abs() + 30) / 60, seconds = s),
            SyncError::Foreign(c, e) => msg!("sync.foreign", counter = c, epoch = e),
            SyncError::Short => msg!("sync.short"),
            SyncError::Server(s) => msg!("sync.server", status = s),
            SyncError::Garbage(d) => msg!("sync.garbage", detail = d),
            SyncError::Fork(e, s) => msg!("sync.fork", epoch = e, seq = s),
            SyncError::Malformed(d) => msg!("sync.malformed", detail = d),
            SyncError::Store(m) => m.clone(),
        }
    }
}
