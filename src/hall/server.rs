//! `counterdesk hall serve`: HTTPS (rustls) or, on loopback only, plain
//! HTTP, as HQ's receiver does.
//!
//! - `/api/v1/...`: the windows, each with its bearer token (`window`,
//!   `queue`, `call-next`, `tickets/{label}/{action}`, `figures`)
//! - `/k/{secret}/`: the kiosk page, `groups`, `POST ticket`
//! - `/h/{secret}/`: the hall display, `events` (server-sent events)
//! - `/m/{secret}/`: the duty manager's figures (`?day=YYYY-MM-DD`)
//!
//! Every change is committed in the hall's file before it is answered;
//! the hall display's state is rebuilt after each and pushed to the open
//! streams.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::core::{Core, KioskRefusal};
use super::wire::{Refused, WindowRequest};
use crate::domain::queue::{Action, Refusal};
use crate::hq::tokens::{same_secret, token_sha};
use crate::slips::font::FontLoader;

/// How `hall serve` runs.
pub struct HallServeOptions {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Certificate chain and key (PEM) for HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// The service on its file.
    pub core: Core,
    /// The font tickets are printed in.
    pub font: FontLoader,
}

/// Event streams open at once (hall displays, a spare).
const MAX_STREAMS: usize = 16;

#[derive(Clone)]
struct Hall {
    core: Arc<Mutex<Core>>,
    kiosk: Arc<String>,
    board_secret: Arc<String>,
    manager: Arc<String>,
    board: tokio::sync::watch::Sender<Arc<String>>,
    font: Arc<FontLoader>,
    printer: Arc<String>,
    spool: Arc<PathBuf>,
    streams: Arc<tokio::sync::Semaphore>,
}

impl Hall {
    /// Runs `f` on the core off the runtime; nothing changes the display.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Core) -> T + Send + 'static,
    ) -> Option<T> {
        let core = Arc::clone(&self.core);
        tokio::task::spawn_blocking(move || {
            let mut c = core.lock().ok()?;
            Some(f(&mut c))
        })
        .await
        .ok()
        .flatten()
    }

    /// Runs `f` on the core off the runtime, then refreshes the display.
    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Core) -> T + Send + 'static,
    ) -> Option<T> {
        let core = Arc::clone(&self.core);
        let board = self.board.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = core.lock().ok()?;
            let out = f(&mut c);
            let state = c.board().to_string();
            board.send_if_modified(|cur| {
                if cur.as_str() == state {
                    false
                } else {
                    *cur = Arc::new(state);
                    true
                }
            });
            Some(out)
        })
        .await
        .ok()
        .flatten()
    }
}

/// Runs the hall service until the process ends.
pub fn serve(opts: HallServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), String> {
    crate::hq::listen::check_plain(opts.listen, &opts.tls)?;
    let mut core = opts.core;
    let secret = |core: &mut Core, page: &str| {
        core.store()
            .page_secret(page)
            .map(Arc::new)
            .map_err(|e| e.to_string())
    };
    let kiosk = secret(&mut core, "kiosk")?;
    let board_secret = secret(&mut core, "board")?;
    let manager = secret(&mut core, "manager")?;
    let printer = Arc::new(core.config().ticket_printer.clone());
    let spool = Arc::new(core.config().spool_dir.clone());
    let (board, _) = tokio::sync::watch::channel(Arc::new(core.board().to_string()));
    let hall = Hall {
        core: Arc::new(Mutex::new(core)),
        kiosk,
        board_secret,
        manager,
        board,
        font: Arc::new(opts.font),
        printer,
        spool,
        streams: Arc::new(tokio::sync::Semaphore::new(MAX_STREAMS)),
    };
    let api = Router::new()
        .route("/api/v1/window", get(whoami))
        .route("/api/v1/queue", get(queue))
        .route("/api/v1/call-next", post(call_next))
        .route("/api/v1/tickets/{label}/{action}", post(ticket_action))
        .route("/api/v1/figures", get(figures_json))
        .layer(axum::middleware::from_fn_with_state(hall.clone(), bearer));
    let app = Router::new()
        .merge(api)
        .route("/health", get(|| async { "ok" }))
        .route("/k/{secret}/", get(kiosk_page))
        .route("/k/{secret}/groups", get(kiosk_groups))
        .route("/k/{secret}/ticket", post(kiosk_ticket))
        .route("/h/{secret}/", get(board_page))
        .route("/h/{secret}/events", get(board_events))
        .route("/m/{secret}/", get(manager_page))
        .fallback(|| async { (StatusCode::NOT_FOUND, "") })
        .layer(DefaultBodyLimit::max(8 * 1024))
        .with_state(hall);
    crate::hq::listen::serve(opts.listen, opts.tls, app, ready)
}

fn refused(status: StatusCode, r: Refusal) -> Response {
    (status, Json(Refused::of(r))).into_response()
}

fn status_of(r: Refusal) -> StatusCode {
    match r {
        Refusal::Unknown | Refusal::NobodyWaiting => StatusCode::NOT_FOUND,
        Refusal::OtherWindow | Refusal::NotNow | Refusal::TooFewCalls => StatusCode::CONFLICT,
        Refusal::UnknownGroup | Refusal::UnknownWindow | Refusal::ReasonNeeded => {
            StatusCode::BAD_REQUEST
        }
    }
}

fn unavailable() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, "hall service busy").into_response()
}

/// The window a bearer token belongs to, checked before any body is read.
/// A token of another hall is known to no window here.
async fn bearer(
    State(hall): State<Hall>,
    headers: HeaderMap,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let sha = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(token_sha);
    let window = match sha {
        Some(sha) => hall
            .read(move |c| c.store().window_of(&sha).ok().flatten())
            .await
            .flatten(),
        None => None,
    };
    match window {
        Some(w) => {
            req.extensions_mut().insert(WindowNo(w));
            next.run(req).await
        }
        None => (
            StatusCode::UNAUTHORIZED,
            Json(json!({
                "refused": "token",
                "message": "窗口令牌不属于本营业厅的任何窗口。请在叫号服务所在电脑上用 counterdesk hall token --window 窗口号 重新签发，并写入 [queue] token_file。",
                "message_en": "The window token belongs to no window of this hall. Issue one with counterdesk hall token --window N on the hall service's PC and put it in [queue] token_file.",
            })),
        )
            .into_response(),
    }
}

#[derive(Clone)]
struct WindowNo(String);

async fn whoami(State(hall): State<Hall>, Extension(WindowNo(w)): Extension<WindowNo>) -> Response {
    let out = hall
        .read(move |c| {
            let groups = c.config().window(&w).map(|x| x.groups.clone());
            groups.map(|g| json!({"window": w, "groups": g, "hall": c.hall().name, "day": c.day()}))
        })
        .await;
    match out {
        Some(Some(v)) => Json(v).into_response(),
        Some(None) => refused(StatusCode::BAD_REQUEST, Refusal::UnknownWindow),
        None => unavailable(),
    }
}

async fn queue(State(hall): State<Hall>, Extension(WindowNo(w)): Extension<WindowNo>) -> Response {
    match hall.read(move |c| c.queue_for(&w)).await {
        Some(Ok(v)) => Json(v).into_response(),
        Some(Err(r)) => refused(status_of(r), r),
        None => unavailable(),
    }
}

fn request(body: &Bytes) -> Result<WindowRequest, Box<Response>> {
    if body.is_empty() {
        return Ok(WindowRequest::default());
    }
    serde_json::from_slice(body).map_err(|_| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({"refused": "bad_request", "message": "请求格式有误。", "message_en": "The request is not well formed."})),
        )
            .into_response()
            .into()
    })
}

async fn call_next(
    State(hall): State<Hall>,
    Extension(WindowNo(w)): Extension<WindowNo>,
    body: Bytes,
) -> Response {
    let req = match request(&body) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    match hall.with(move |c| c.call_next(&w, &req)).await {
        Some(Ok(v)) => Json(v).into_response(),
        Some(Err(r)) => refused(status_of(r), r),
        None => unavailable(),
    }
}

async fn ticket_action(
    State(hall): State<Hall>,
    Extension(WindowNo(w)): Extension<WindowNo>,
    Path((label, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let action = match action.as_str() {
        "call" => Action::Call,
        "recall" => Action::Recall,
        "start" => Action::Start,
        "hold" => Action::Hold,
        "transfer" => Action::Transfer,
        "serve" => Action::Serve,
        "no-show" => Action::NoShow,
        _ => return (StatusCode::NOT_FOUND, "").into_response(),
    };
    let req = match request(&body) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    let label: String = label.trim().to_uppercase().chars().take(12).collect();
    match hall.with(move |c| c.act(&w, &label, action, &req)).await {
        Some(Ok(v)) => Json(v).into_response(),
        Some(Err(r)) => refused(status_of(r), r),
        None => unavailable(),
    }
}

#[derive(Deserialize)]
struct DayQuery {
    day: Option<String>,
}

fn valid_day(day: Option<String>) -> Option<String> {
    day.filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
}

async fn figures_json(State(hall): State<Hall>, Query(q): Query<DayQuery>) -> Response {
    let day = valid_day(q.day);
    match hall
        .read(move |c| {
            let day = day.unwrap_or_else(|| c.day());
            json!({"day": day, "figures": c.figures(&day)})
        })
        .await
    {
        Some(v) => Json(v).into_response(),
        None => unavailable(),
    }
}

fn page(html: &'static str) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, "").into_response()
}

async fn kiosk_page(State(hall): State<Hall>, Path(s): Path<String>) -> Response {
    if !same_secret(&s, &hall.kiosk) {
        return forbidden();
    }
    page(super::pages::KIOSK)
}

async fn kiosk_groups(State(hall): State<Hall>, Path(s): Path<String>) -> Response {
    if !same_secret(&s, &hall.kiosk) {
        return forbidden();
    }
    let board = hall.board.borrow().clone();
    let v: serde_json::Value = serde_json::from_str(&board).unwrap_or_default();
    Json(json!({"hall": v["hall"], "groups": v["groups"]})).into_response()
}

#[derive(Deserialize)]
struct TicketBody {
    group: String,
    #[serde(default)]
    id_number: Option<String>,
}

fn kiosk_refused(r: KioskRefusal) -> Response {
    let status = match r {
        KioskRefusal::TooMany => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::BAD_REQUEST,
    };
    let (zh, en) = r.words();
    (
        status,
        Json(json!({"refused": r.code(), "message": zh, "message_en": en})),
    )
        .into_response()
}

async fn kiosk_ticket(State(hall): State<Hall>, Path(s): Path<String>, body: Bytes) -> Response {
    if !same_secret(&s, &hall.kiosk) {
        return forbidden();
    }
    let Ok(b) = serde_json::from_slice::<TicketBody>(&body) else {
        return kiosk_refused(KioskRefusal::UnknownGroup);
    };
    let id = b.id_number.map(|s| s.chars().take(24).collect::<String>());
    let Some(result) = hall
        .with(move |c| {
            c.issue(&b.group, id.as_deref())
                .map(|t| (t, c.hall().clone()))
        })
        .await
    else {
        return unavailable();
    };
    let (t, hall_cfg) = match result {
        Ok(x) => x,
        Err(r) => return kiosk_refused(r),
    };
    // Committed; now the slip. A printer that fails leaves the ticket
    // issued and shown: the customer notes the number.
    let font = Arc::clone(&hall.font);
    let spool = Arc::clone(&hall.spool);
    let printer = Arc::clone(&hall.printer);
    let t2 = t.clone();
    let printed = tokio::task::spawn_blocking(move || -> Result<bool, String> {
        let font = font.wait().map_err(|e| e.to_string())?;
        let path = super::ticket::write_pdf(&t2, &hall_cfg, &font, &spool)?;
        if printer.trim().is_empty() {
            return Ok(false);
        }
        crate::slips::printer::send(&printer, &path).map(|_| true)
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let (printed, problem) = match printed {
        Ok(p) => (p, None),
        Err(e) => {
            tracing::warn!(error = %e, "ticket slip not printed");
            (false, Some(e))
        }
    };
    Json(json!({
        "ticket": t.ticket.label,
        "group": t.ticket.group,
        "group_name": t.group_name.0,
        "group_name_en": t.group_name.1,
        "green": t.ticket.green,
        "ahead": t.ahead,
        "wait_minutes": t.wait_minutes,
        "time": t.local_time,
        "day": t.ticket.day,
        "printed": printed,
        "print_problem": problem,
    }))
    .into_response()
}

async fn board_page(State(hall): State<Hall>, Path(s): Path<String>) -> Response {
    if !same_secret(&s, &hall.board_secret) {
        return forbidden();
    }
    page(super::pages::BOARD)
}

async fn board_events(State(hall): State<Hall>, Path(s): Path<String>) -> Response {
    if !same_secret(&s, &hall.board_secret) {
        return forbidden();
    }
    let Ok(permit) = hall.streams.clone().try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
    };
    let mut rx = hall.board.subscribe();
    rx.mark_changed();
    let stream = futures_util::stream::unfold((rx, permit), |(mut rx, permit)| async move {
        rx.changed().await.ok()?;
        let json = rx.borrow_and_update().as_ref().clone();
        let ev = Event::default().event("board").data(json);
        Some((Ok::<_, std::convert::Infallible>(ev), (rx, permit)))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .into_response()
}

async fn manager_page(
    State(hall): State<Hall>,
    Path(s): Path<String>,
    Query(q): Query<DayQuery>,
) -> Response {
    if !same_secret(&s, &hall.manager) {
        return forbidden();
    }
    let day = valid_day(q.day);
    match hall
        .read(move |c| {
            let day = day.unwrap_or_else(|| c.day());
            let f = c.figures(&day);
            super::figures_page::page(&c.hall().name, &day, c.config(), &f)
        })
        .await
    {
        Some(html) => ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        None => unavailable(),
    }
}
