//! `counterdesk hq serve`: HTTPS (rustls) or, on loopback only when asked,
//! plain HTTP. Requests are parsed on the async runtime; every store call
//! runs on a worker thread that owns its own connection, because the
//! PostgreSQL client blocks and must not run inside the runtime.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Extension, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::{Form, Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::tokens::{same_secret, token_sha};
use super::web_login::{Attempt, LoginFailures};
use super::{page, Decision, HqStore, Rules, TokenOwner};
use crate::clock::Clock;
use crate::domain::scan::is_sha256;
use crate::domain::upload::{sha256_hex, Batch, Objects, Refusal};
use crate::store::stamp::ts;

/// How `hq serve` runs.
pub struct ServeOptions {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Store URL (`postgres://...` or a SQLite path).
    pub store: String,
    /// Certificate chain and private key (PEM), for HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Worker threads with a store connection each.
    pub workers: usize,
    /// What HQ accepts.
    pub rules: Rules,
    /// Status page login (user, password); without it the page is closed.
    pub web_login: Option<(String, String)>,
    /// Largest clock difference accepted from a counter, in seconds.
    pub clock_tolerance_seconds: i64,
    /// Largest request body taken, in bytes (what the largest batch needs).
    pub max_body_bytes: usize,
    /// Request bodies read at once; more wait their turn, so memory stays
    /// bounded at `max_bodies × max_body_bytes` whoever connects.
    pub max_bodies: usize,
    /// HQ's clock.
    pub clock: Clock,
    /// Public progress look-ups taken per minute from one address.
    pub progress_per_minute: u32,
    /// Business names (zh, en) by form code, for the progress page.
    pub businesses: HashMap<String, (String, String)>,
}

type Job = Box<dyn FnOnce(&mut dyn HqStore) + Send>;

#[derive(Clone)]
struct Hq {
    jobs: Arc<Mutex<mpsc::Sender<Job>>>,
    bodies: Arc<tokio::sync::Semaphore>,
    logins: Arc<Mutex<HashMap<String, LoginFailures>>>,
    rules: Arc<Rules>,
    web_login: Option<Arc<(String, String)>>,
    sessions: Arc<Mutex<HashMap<String, DateTime<Utc>>>>,
    tolerance: i64,
    clock: Clock,
    /// Progress look-ups per address in the last minute.
    lookups: Arc<Mutex<HashMap<std::net::IpAddr, Vec<DateTime<Utc>>>>>,
    per_minute: u32,
    /// Business names by form code, for the progress page.
    businesses: Arc<HashMap<String, (String, String)>>,
}

/// A store call failed or no worker was left to run it.
struct Unavailable(String);

impl IntoResponse for Unavailable {
    fn into_response(self) -> Response {
        tracing::error!(error = %self.0, "store call failed");
        (StatusCode::SERVICE_UNAVAILABLE, "HQ store unavailable").into_response()
    }
}

impl Hq {
    async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn HqStore) -> Result<T, super::HqError> + Send + 'static,
    ) -> Result<T, Unavailable> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |store| {
            let _ = tx.send(f(store));
        });
        self.jobs
            .lock()
            .map_err(|_| Unavailable("worker queue poisoned".into()))?
            .send(job)
            .map_err(|_| Unavailable("no store worker".into()))?;
        rx.await
            .map_err(|_| Unavailable("store worker stopped".into()))?
            .map_err(|e| Unavailable(e.to_string()))
    }

    fn now(&self) -> String {
        ts(self.clock.now())
    }

    /// The token's owner, or the refusal to send (and the bad token counted).
    async fn owner(&self, headers: &HeaderMap) -> Result<TokenOwner, Response> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(token_sha);
        let now = self.now();
        let owner = match token {
            Some(sha) => self
                .call(move |s| s.token_owner(&sha, &now))
                .await
                .map_err(IntoResponse::into_response)?,
            None => None,
        };
        match owner {
            Some(o) => Ok(o),
            None => {
                let _ = self.call(|s| s.count_bad_token()).await;
                Err(refused(StatusCode::UNAUTHORIZED, Refusal::Token))
            }
        }
    }
}

/// The token's owner, found from the headers alone, goes to the handler;
/// a missing or wrong token is answered 401 at once. A request that may
/// carry a body then waits for one of the bounded body permits.
async fn bearer(
    State(hq): State<Hq>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let owner = match hq.owner(req.headers()).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    req.extensions_mut().insert(owner);
    if req.method() != axum::http::Method::GET {
        let Ok(_permit) = hq.bodies.clone().acquire_owned().await else {
            return (StatusCode::SERVICE_UNAVAILABLE, "HQ is stopping").into_response();
        };
        return next.run(req).await;
    }
    next.run(req).await
}

fn refused(status: StatusCode, r: Refusal) -> Response {
    (status, Json(r)).into_response()
}

fn spawn_workers(opts: &ServeOptions) -> Result<mpsc::Sender<Job>, String> {
    let (tx, rx) = mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..opts.workers.max(1) {
        let mut store = super::open(&opts.store).map_err(|e| e.to_string())?;
        let rx = Arc::clone(&rx);
        std::thread::Builder::new()
            .name(format!("hq-store-{i}"))
            .spawn(move || loop {
                let job = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(store.as_mut()),
                    Err(_) => return,
                }
            })
            .map_err(|e| e.to_string())?;
    }
    Ok(tx)
}

/// Runs the receiver until the process ends; `ready` is told the address
/// once it listens.
pub fn serve(opts: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), String> {
    crate::hq::listen::check_plain(opts.listen, &opts.tls)?;
    let jobs = spawn_workers(&opts)?;
    let hq = Hq {
        jobs: Arc::new(Mutex::new(jobs)),
        bodies: Arc::new(tokio::sync::Semaphore::new(opts.max_bodies.max(1))),
        logins: Arc::default(),
        rules: Arc::new(opts.rules),
        web_login: opts.web_login.map(Arc::new),
        sessions: Arc::default(),
        tolerance: opts.clock_tolerance_seconds,
        clock: opts.clock,
        lookups: Arc::default(),
        per_minute: opts.progress_per_minute.max(1),
        businesses: Arc::new(opts.businesses),
    };
    // The counters' API: the bearer token is checked from the headers
    // before anything of the body is read, so a client without one costs
    // nothing but its connection.
    let api = Router::new()
        .route("/v1/batches", post(upload))
        .route("/v1/feed", get(feed))
        .route("/v1/days", get(days))
        .route("/v1/digest", get(digest))
        .route("/v1/objects/missing", post(missing_objects))
        .route("/v1/objects/{sha256}", put(put_object))
        .layer(axum::middleware::from_fn_with_state(hq.clone(), bearer))
        .layer(DefaultBodyLimit::max(opts.max_body_bytes));
    let app = Router::new()
        .merge(api)
        .route("/health", get(|| async { "ok" }))
        .route("/", get(status_page))
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/progress", get(progress_form).post(progress))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(hq);
    crate::hq::listen::serve(opts.listen, opts.tls, app, ready)
}

async fn upload(
    State(hq): State<Hq>,
    Extension(owner): Extension<TokenOwner>,
    body: Bytes,
) -> Response {
    let batch: Batch = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            let detail = format!("the batch is not readable JSON: {e}");
            return refused(StatusCode::BAD_REQUEST, Refusal::Malformed { detail });
        }
    };
    if batch.counter != owner.counter {
        // A token speaks for one counter only.
        let _ = hq.call(|s| s.count_bad_token()).await;
        return refused(StatusCode::UNAUTHORIZED, Refusal::Token);
    }
    let now = hq.clock.now();
    // A time HQ cannot read is no reason to skip the clock check.
    let Some(sent) = crate::store::stamp::parse_ts(&batch.sent_at) else {
        let detail = format!(
            "sent_at {:?} is not an RFC 3339 time",
            snippet(&batch.sent_at)
        );
        return refused(StatusCode::BAD_REQUEST, Refusal::Malformed { detail });
    };
    let skew = (sent - now).num_seconds();
    if skew.abs() > hq.tolerance {
        let r = Refusal::Clock {
            hq_time: ts(now),
            skew_seconds: skew,
        };
        return refused(StatusCode::UNPROCESSABLE_ENTITY, r);
    }
    let rules = Arc::clone(&hq.rules);
    let now = ts(now);
    let (counter, epoch) = (batch.counter.clone(), batch.epoch);
    let decided = hq
        .call(move |s| {
            let d = s.ingest(&batch, &rules, &now)?;
            if let Decision::Refuse(r @ Refusal::Fork { .. }) = &d {
                tracing::warn!(counter = %batch.counter, epoch = batch.epoch, "fork refused");
                s.alarm(&batch.counter, batch.epoch, r, &now)?;
            }
            Ok(d)
        })
        .await;
    match decided {
        Ok(Decision::Commit(ack)) => Json(ack).into_response(),
        Ok(Decision::Refuse(r)) => {
            tracing::info!(%counter, epoch, refusal = ?r, "batch refused");
            let status = match r {
                Refusal::Malformed { .. } => StatusCode::BAD_REQUEST,
                _ => StatusCode::CONFLICT,
            };
            refused(status, r)
        }
        Err(e) => e.into_response(),
    }
}

/// Of the objects a counter asks about, those HQ lacks.
async fn missing_objects(State(hq): State<Hq>, body: Bytes) -> Response {
    let asked: Objects = match serde_json::from_slice(&body) {
        Ok(o) => o,
        Err(e) => {
            let detail = format!("the list of objects is not readable JSON: {e}");
            return refused(StatusCode::BAD_REQUEST, Refusal::Malformed { detail });
        }
    };
    if let Some(bad) = asked.sha256.iter().find(|s| !is_sha256(s)) {
        let detail = format!("{:?} is not a sha256", snippet(bad));
        return refused(StatusCode::BAD_REQUEST, Refusal::Malformed { detail });
    }
    match hq.call(move |s| s.missing_objects(&asked.sha256)).await {
        Ok(sha256) => Json(Objects { sha256 }).into_response(),
        Err(e) => e.into_response(),
    }
}

/// One object, kept once: its bytes must hash to its name.
async fn put_object(
    State(hq): State<Hq>,
    Extension(owner): Extension<TokenOwner>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_sha256(&sha256) {
        let detail = format!("{:?} is not a sha256", snippet(&sha256));
        return refused(StatusCode::BAD_REQUEST, Refusal::Malformed { detail });
    }
    if sha256_hex(&body) != sha256 {
        let detail = "the object's bytes do not hash to its name".to_string();
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::Malformed { detail },
        );
    }
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let now = hq.now();
    let bytes = body.len();
    let sha = sha256.clone();
    let counter = owner.counter.clone();
    let kept = hq
        .call(move |s| {
            let o = super::NewObject {
                sha256: &sha,
                media_type: &media_type,
                data: &body,
                counter: &counter,
            };
            s.put_object(&o, &now)
        })
        .await;
    match kept {
        Ok(true) => {
            tracing::info!(counter = %owner.counter, %sha256, bytes, "object stored");
            StatusCode::CREATED.into_response()
        }
        Ok(false) => {
            tracing::info!(counter = %owner.counter, %sha256, "object already held");
            StatusCode::OK.into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct FeedQuery {
    after: i64,
    limit: Option<i64>,
}

async fn feed(State(hq): State<Hq>, Query(q): Query<FeedQuery>) -> Response {
    let limit = q.limit.unwrap_or(1000).clamp(1, 10_000);
    match hq.call(move |s| s.feed(q.after, limit)).await {
        Ok(f) => Json(f).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn days(State(hq): State<Hq>, Extension(owner): Extension<TokenOwner>) -> Response {
    match hq.call(move |s| s.days(&owner.counter)).await {
        Ok(d) => Json(d).into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct DigestQuery {
    epoch: i64,
    day: String,
    lo: i64,
    hi: i64,
}

async fn digest(
    State(hq): State<Hq>,
    Extension(owner): Extension<TokenOwner>,
    Query(q): Query<DigestQuery>,
) -> Response {
    match hq
        .call(move |s| s.range_digest(&owner.counter, q.epoch, &q.day, q.lo, q.hi))
        .await
    {
        Ok(d) => Json(d).into_response(),
        Err(e) => e.into_response(),
    }
}

const SESSION_COOKIE: &str = "hq_session";

fn session_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::COOKIE)?
        .to_str()
        .ok()?
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| token_sha(v))
}

async fn status_page(State(hq): State<Hq>, headers: HeaderMap) -> Response {
    let now = hq.clock.now();
    let signed_in = session_of(&headers).is_some_and(|s| {
        hq.sessions
            .lock()
            .map(|m| m.get(&s).is_some_and(|until| *until > now))
            .unwrap_or(false)
    });
    if !signed_in {
        return Html(page::login(hq.web_login.is_some(), None)).into_response();
    }
    match hq.call(|s| s.overview()).await {
        Ok(o) => Html(page::status(&o, &ts(now))).into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct LoginForm {
    user: String,
    password: String,
}

async fn login(State(hq): State<Hq>, Form(f): Form<LoginForm>) -> Response {
    let user = f.user.trim().to_string();
    let right = hq
        .web_login
        .as_ref()
        .is_some_and(|l| same_secret(&l.0, &user) & same_secret(&l.1, &f.password));
    let now = hq.clock.now();
    let attempt = match hq.logins.lock() {
        Ok(mut m) => m.entry(user.clone()).or_default().attempt(right, now),
        Err(_) => Attempt::Locked(now),
    };
    let (who, at, outcome) = (user.clone(), ts(now), attempt.code());
    if hq
        .call(move |s| s.web_sign_in(&who, outcome, &at))
        .await
        .is_err()
    {
        tracing::error!("status page sign-in not recorded");
    }
    let why = match attempt {
        Attempt::Ok => None,
        Attempt::Wrong(left) => Some(format!(
            "用户名或密码错误，还可尝试 {left} 次 · wrong user or password ({left} tries left)"
        )),
        Attempt::Locked(until) => {
            tracing::warn!(%user, "status page sign-in locked");
            let until = until.with_timezone(&chrono::Local).format("%H:%M");
            Some(format!(
                "密码错误次数过多，已锁定至 {until} · too many wrong passwords: locked until {until}"
            ))
        }
    };
    if let Some(why) = why {
        let page = page::login(hq.web_login.is_some(), Some(&why));
        return (StatusCode::UNAUTHORIZED, Html(page)).into_response();
    }
    let Ok(token) = super::tokens::new_token() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "no secure random source").into_response();
    };
    let until = hq.clock.now() + chrono::Duration::hours(8);
    if let Ok(mut m) = hq.sessions.lock() {
        m.insert(token_sha(&token), until);
    }
    let cookie = format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/");
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}

async fn logout(State(hq): State<Hq>, headers: HeaderMap) -> Response {
    if let (Some(s), Ok(mut m)) = (session_of(&headers), hq.sessions.lock()) {
        m.remove(&s);
    }
    let cookie = format!("{SESSION_COOKIE}=; Max-Age=0; Path=/");
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}

#[derive(Deserialize)]
struct ProgressQuery {
    #[serde(default)]
    t: String,
}

/// The public look-up form; `?t=` (from the slip's QR code) fills the ticket.
async fn progress_form(Query(q): Query<ProgressQuery>) -> Response {
    let ticket: String = q.t.chars().take(40).collect();
    Html(super::progress::look_up(&ticket)).into_response()
}

#[derive(Deserialize)]
struct ProgressForm {
    #[serde(default)]
    ticket: String,
    #[serde(default)]
    last4: String,
}

/// One look-up: limited per address, the same answer for a wrong ticket
/// and a wrong ID, and nothing of it logged.
async fn progress(
    State(hq): State<Hq>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<ProgressForm>,
) -> Response {
    let now = hq.clock.now();
    let allowed = match hq.lookups.lock() {
        Ok(mut m) => {
            let times = m.entry(peer.ip()).or_default();
            times.retain(|t| now - *t < chrono::Duration::minutes(1));
            let ok = times.len() < hq.per_minute as usize;
            if ok {
                times.push(now);
            }
            ok
        }
        Err(_) => false,
    };
    if !allowed {
        let page = super::progress::too_many(hq.per_minute);
        return (StatusCode::TOO_MANY_REQUESTS, Html(page)).into_response();
    }
    let ticket: String = f.ticket.trim().to_uppercase().chars().take(40).collect();
    let last4: String = f.last4.trim().chars().take(8).collect();
    let found = if ticket.is_empty() {
        Ok(None)
    } else {
        hq.call(move |s| {
            let key = super::progress::ticket_key(&ticket);
            let mut cases = s.records_keyed("application", &key)?;
            cases.extend(s.records_keyed("case", &key)?);
            let Some(cid) = cases.iter().find_map(|(_, _, p)| {
                let v: serde_json::Value = serde_json::from_str(p).ok()?;
                v["record"]["rows"]["application"][0]["customer_id"].as_i64()
            }) else {
                return Ok(None);
            };
            let customers = s.records_keyed("customer", &super::progress::customer_key(cid))?;
            Ok(super::progress::find(&cases, &customers, &ticket, &last4))
        })
        .await
    };
    match found {
        Ok(p) => {
            let names = Arc::clone(&hq.businesses);
            let business = move |code: &str| {
                names
                    .get(code)
                    .cloned()
                    .unwrap_or_else(|| (code.to_string(), code.to_string()))
            };
            Html(super::progress::answer(p.as_ref(), &business)).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// The start of what a client sent, for a refusal (never the whole of it).
fn snippet(text: &str) -> String {
    text.chars().take(40).collect()
}
