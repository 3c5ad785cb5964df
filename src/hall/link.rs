//! A window's link to the hall service: ureq over rustls with one short
//! timeout (a window that cannot reach the queue works on without it), an
//! optional private CA, the window's token kept out of every message.

use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::Agent;

use super::wire::{QueueView, Refused, TicketView, WindowRequest};
use crate::config::QueueLink;
use crate::domain::msg::Msg;
use crate::domain::queue::Refusal;
use crate::msg;

/// Why a call to the hall service gave no answer to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Not reached, or no answer in time: the window works on without it.
    Offline(String),
    /// The hall service said no, with what to do.
    Refused(Refusal),
    /// The token is not one of this hall's windows.
    Token,
    /// An answer that could not be read.
    Garbage(String),
}

impl LinkError {
    /// What the clerk is told.
    pub fn msg(&self) -> Msg {
        match self {
            LinkError::Offline(_) => msg!("queue.offline"),
            LinkError::Refused(r) => r.msg(),
            LinkError::Token => msg!("queue.token"),
            LinkError::Garbage(_) => msg!("queue.garbage"),
        }
    }
}

/// A configured link.
pub struct HallLink {
    agent: Agent,
    base: String,
    token: String,
}

/// What is wrong with the `[queue]` settings.
pub fn from_config(cfg: &QueueLink) -> Result<Option<HallLink>, Msg> {
    if cfg.url.trim().is_empty() {
        return Ok(None);
    }
    let url = cfg.url.trim().trim_end_matches('/').to_string();
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || !crate::config::plain_http_allowed(&url)
    {
        return Err(msg!("queue.bad_url", url = url));
    }
    let token = token(cfg)?;
    let mut tls = TlsConfig::builder();
    if !cfg.ca_file.as_os_str().is_empty() {
        let pem = std::fs::read(&cfg.ca_file)
            .map_err(|e| msg!("queue.bad_ca", path = cfg.ca_file.display(), detail = e))?;
        let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(msg!(
                "queue.bad_ca",
                path = cfg.ca_file.display(),
                detail = "no certificate"
            ));
        }
        tls = tls.root_certs(RootCerts::Specific(Arc::new(certs)));
    }
    let t = Duration::from_millis(cfg.timeout_ms.max(100));
    let agent: Agent = Agent::config_builder()
        .tls_config(tls.build())
        .timeout_global(Some(t))
        .http_status_as_error(false)
        .user_agent(concat!("counterdesk/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    Ok(Some(HallLink {
        agent,
        base: url,
        token,
    }))
}

fn token(cfg: &QueueLink) -> Result<String, Msg> {
    if let Some(t) = std::env::var("COUNTERDESK_QUEUE_TOKEN")
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    {
        return Ok(t);
    }
    if cfg.token_file.as_os_str().is_empty() {
        return Err(msg!("queue.no_token"));
    }
    match std::fs::read_to_string(&cfg.token_file) {
        Ok(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        _ => Err(msg!(
            "queue.token_file_unreadable",
            path = cfg.token_file.display()
        )),
    }
}

impl HallLink {
    fn answer<T: serde::de::DeserializeOwned>(
        resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, LinkError> {
        let mut resp = resp.map_err(|e| LinkError::Offline(e.to_string()))?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(1024 * 1024)
            .read_to_string()
            .map_err(|e| LinkError::Offline(e.to_string()))?;
        match status {
            200 => serde_json::from_str(&text).map_err(|e| LinkError::Garbage(e.to_string())),
            401 => Err(LinkError::Token),
            400 | 404 | 409 => match serde_json::from_str::<Refused>(&text)
                .ok()
                .and_then(|r| Refusal::from_code(&r.refused))
            {
                Some(r) => Err(LinkError::Refused(r)),
                None => Err(LinkError::Garbage(format!("status {status}"))),
            },
            s => Err(LinkError::Offline(format!("status {s}"))),
        }
    }

    fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        req: &WindowRequest,
    ) -> Result<T, LinkError> {
        let body = serde_json::to_vec(req).map_err(|e| LinkError::Garbage(e.to_string()))?;
        Self::answer(
            self.agent
                .post(&format!("{}{path}", self.base))
                .header("Authorization", &format!("Bearer {}", self.token))
                .header("Content-Type", "application/json")
                .send(&body[..]),
        )
    }

    fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, LinkError> {
        Self::answer(
            self.agent
                .get(&format!("{}{path}", self.base))
                .header("Authorization", &format!("Bearer {}", self.token))
                .call(),
        )
    }

    /// Who this window is to the hall service (also: is it reachable).
    pub fn whoami(&self) -> Result<serde_json::Value, LinkError> {
        self.get("/api/v1/window")
    }

    /// What waits for this window.
    pub fn queue(&self) -> Result<QueueView, LinkError> {
        self.get("/api/v1/queue")
    }

    /// Calls the next ticket (serving the current one first).
    pub fn call_next(&self, req: &WindowRequest) -> Result<TicketView, LinkError> {
        self.post("/api/v1/call-next", req)
    }

    /// An action on a named ticket: call, recall, start, hold, transfer,
    /// serve, no-show.
    pub fn act(
        &self,
        label: &str,
        action: &str,
        req: &WindowRequest,
    ) -> Result<TicketView, LinkError> {
        let label: String = label
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        self.post(&format!("/api/v1/tickets/{label}/{action}"), req)
    }

    /// The day's figures (today when `day` is None).
    pub fn figures(&self, day: Option<&str>) -> Result<serde_json::Value, LinkError> {
        match day {
            Some(d) => self.get(&format!("/api/v1/figures?day={d}")),
            None => self.get("/api/v1/figures"),
        }
    }
}
