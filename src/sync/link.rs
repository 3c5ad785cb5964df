//! The HTTP link to HQ: ureq over rustls with explicit connect and read
//! timeouts, an optional private CA, and the bearer token kept out of every
//! log line and message.

use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::Agent;

use super::SyncError;
use crate::config::HqLink;
use crate::domain::upload::{Ack, Batch, DaySummary, Digest, Feed, Objects, Refusal};

/// A configured connection to HQ.
pub struct Link {
    agent: Agent,
    base: String,
    token: String,
}

/// What HQ said to a batch.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Committed (or replayed).
    Ack(Ack),
    /// Refused as a whole.
    Refused(Refusal),
}

impl Link {
    /// Builds the link from the configuration; `None` when no URL is set.
    pub fn from_config(cfg: &HqLink) -> Result<Option<Link>, SyncError> {
        if cfg.url.trim().is_empty() {
            return Ok(None);
        }
        let url = cfg.url.trim().trim_end_matches('/').to_string();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || !crate::config::plain_http_allowed(&url)
        {
            return Err(SyncError::BadUrl(url));
        }
        let token = cfg.token().map_err(SyncError::TokenMissing)?;
        let mut tls = TlsConfig::builder();
        if !cfg.ca_file.as_os_str().is_empty() {
            let pem = std::fs::read(&cfg.ca_file)
                .map_err(|e| SyncError::Certificate(format!("{}: {e}", cfg.ca_file.display())))?;
            let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                let what = format!("{}: no certificate in the file", cfg.ca_file.display());
                return Err(SyncError::Certificate(what));
            }
            tls = tls.root_certs(RootCerts::Specific(Arc::new(certs)));
        }
        let agent: Agent = Agent::config_builder()
            .tls_config(tls.build())
            .timeout_connect(Some(Duration::from_secs(cfg.connect_timeout_seconds)))
            .timeout_recv_response(Some(Duration::from_secs(cfg.read_timeout_seconds)))
            .timeout_recv_body(Some(Duration::from_secs(cfg.read_timeout_seconds)))
            .timeout_send_body(Some(Duration::from_secs(cfg.read_timeout_seconds)))
            .http_status_as_error(false)
            .user_agent(concat!("counterdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Some(Link {
            agent,
            base: url,
            token,
        }))
    }

    fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }

    /// POSTs `body` as JSON with the token; the status and the answer's text.
    fn post_json(
        &self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> Result<(u16, String), SyncError> {
        let body = serde_json::to_vec(body).map_err(|e| SyncError::Garbage(e.to_string()))?;
        let resp = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Authorization", &self.bearer())
            .header("Content-Type", "application/json")
            .send(&body[..])
            .map_err(SyncError::from_ureq)?;
        let status = resp.status().as_u16();
        Ok((status, read_body(resp)?))
    }

    /// Sends one batch.
    pub fn send(&self, batch: &Batch) -> Result<Answer, SyncError> {
        let (status, text) = self.post_json("/v1/batches", batch)?;
        match status {
            200 => serde_json::from_str::<Ack>(&text)
                .map(Answer::Ack)
                .map_err(|_| SyncError::Garbage(snippet(&text))),
            401 | 403 => Err(SyncError::Token),
            400 | 409 | 422 => match serde_json::from_str::<Refusal>(&text) {
                Ok(Refusal::Token) => Err(SyncError::Token),
                Ok(Refusal::Clock { skew_seconds, .. }) => Err(SyncError::Clock(skew_seconds)),
                Ok(r) => Ok(Answer::Refused(r)),
                Err(_) => Err(SyncError::Garbage(snippet(&text))),
            },
            s => Err(SyncError::Server(s)),
        }
    }

    fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, SyncError> {
        let resp = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Authorization", &self.bearer())
            .call()
            .map_err(SyncError::from_ureq)?;
        let status = resp.status().as_u16();
        let text = read_body(resp)?;
        match status {
            200 => serde_json::from_str(&text).map_err(|_| SyncError::Garbage(snippet(&text))),
            401 | 403 => Err(SyncError::Token),
            s => Err(SyncError::Server(s)),
        }
    }

    /// Of these objects, those HQ does not hold.
    pub fn missing(&self, sha256: &[String]) -> Result<Vec<String>, SyncError> {
        let asked = Objects {
            sha256: sha256.to_vec(),
        };
        let (status, text) = self.post_json("/v1/objects/missing", &asked)?;
        match status {
            200 => serde_json::from_str::<Objects>(&text)
                .map(|o| o.sha256)
                .map_err(|_| SyncError::Garbage(snippet(&text))),
            401 | 403 => Err(SyncError::Token),
            s => Err(SyncError::Server(s)),
        }
    }

    /// Sends one object; HQ checks its hash and keeps it once.
    pub fn put_object(
        &self,
        sha256: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<(), SyncError> {
        let resp = self
            .agent
            .put(&format!("{}/v1/objects/{sha256}", self.base))
            .header("Authorization", &self.bearer())
            .header("Content-Type", media_type)
            .send(bytes)
            .map_err(SyncError::from_ureq)?;
        let status = resp.status().as_u16();
        let text = read_body(resp)?;
        match status {
            200 | 201 => Ok(()),
            401 | 403 => Err(SyncError::Token),
            400 | 422 => Err(SyncError::Malformed(snippet(&text))),
            s => Err(SyncError::Server(s)),
        }
    }

    /// Asks HQ the smallest question the token must be good for, and reads
    /// HQ's clock from the answer's `Date` header (None if it sent none).
    pub fn probe(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, SyncError> {
        let resp = self
            .agent
            .get(&format!("{}/v1/days", self.base))
            .header("Authorization", &self.bearer())
            .call()
            .map_err(SyncError::from_ureq)?;
        let date = resp
            .headers()
            .get("date")
            .and_then(|v| v.to_str().ok())
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
            .map(|d| d.with_timezone(&chrono::Utc));
        let status = resp.status().as_u16();
        let _ = read_body(resp)?;
        match status {
            200 => Ok(date),
            401 | 403 => Err(SyncError::Token),
            s => Err(SyncError::Server(s)),
        }
    }

    /// Feed items after `after`.
    pub fn feed(&self, after: i64, limit: i64) -> Result<Feed, SyncError> {
        self.get(&format!("/v1/feed?after={after}&limit={limit}"))
    }

    /// What HQ holds per (epoch, day) for this counter.
    pub fn days(&self) -> Result<Vec<DaySummary>, SyncError> {
        self.get("/v1/days")
    }

    /// What HQ holds for `lo..=hi` of one day.
    pub fn digest(&self, epoch: i64, day: &str, lo: i64, hi: i64) -> Result<Digest, SyncError> {
        self.get(&format!(
            "/v1/digest?epoch={epoch}&day={day}&lo={lo}&hi={hi}"
        ))
    }
}

fn read_body(resp: ureq::http::Response<ureq::Body>) -> Result<String, SyncError> {
    let mut body = resp.into_body();
    body.with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .map_err(SyncError::from_ureq)
}

fn snippet(text: &str) -> String {
    text.chars().take(80).collect()
}
