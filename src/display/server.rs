//! The display's HTTP API, all under `/d/{secret}/`:
//!
//! - `GET  /d/{secret}/`        the page
//! - `GET  /d/{secret}/events`  server-sent events, one `facing` event with
//!   the whole state (JSON) at once and on every change
//! - `GET  /d/{secret}/state`   the same JSON once (for a rating device)
//! - `POST /d/{secret}/rating`  `{"reference": "...", "level": "satisfied",
//!   "reasons": [], "channel": "display" | "device"}`: 200 `{"ok": true}`,
//!   or `{"refused": code}` with 404 (no such transaction here), 409 (rated
//!   already), 410 (its time ran out), 400 (a level or reason not listed)
//!
//! A wrong or missing secret, or any other path, is 403 with no data.
//! Requests in flight, open event streams and body sizes are bounded, so a
//! flood on the port costs the workstation nothing but the refusals.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::{Offer, Shared};
use crate::domain::rating::Refusal;

/// Event streams open at once (a display and a spare, a device).
pub const MAX_STREAMS: usize = 8;
/// Other requests in flight at once; more are refused with 503.
pub const MAX_REQUESTS: usize = 32;
/// A rating is a few hundred bytes.
const MAX_BODY: usize = 4 * 1024;

#[derive(Clone)]
pub(super) struct Ctx {
    pub shared: Arc<Shared>,
    pub state: tokio::sync::watch::Receiver<Arc<String>>,
    pub offers: std::sync::mpsc::Sender<Offer>,
    pub streams: Arc<tokio::sync::Semaphore>,
    pub requests: Arc<tokio::sync::Semaphore>,
}

pub(super) fn router(ctx: Ctx) -> Router {
    Router::new()
        .route("/d/{secret}/", get(page))
        .route("/d/{secret}/events", get(events))
        .route("/d/{secret}/state", get(state))
        .route("/d/{secret}/rating", post(rating))
        .fallback(|| async { forbidden() })
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), bounded))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(ctx)
}

fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, "").into_response()
}

/// The secret in the path checked before anything else is done; then one
/// of the bounded request permits (event streams hold their own).
async fn bounded(
    State(ctx): State<Ctx>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path();
    let secret = path
        .strip_prefix("/d/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("");
    if secret.is_empty() || !ctx.shared.secret_is(secret) {
        return forbidden();
    }
    if path.ends_with("/events") {
        return next.run(req).await;
    }
    let Ok(_permit) = ctx.requests.clone().try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
    };
    next.run(req).await
}

async fn page(Path(_secret): Path<String>) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Html(super::page::PAGE),
    )
        .into_response()
}

async fn state(State(ctx): State<Ctx>, Path(_secret): Path<String>) -> Response {
    // A rating device that reads the state counts as watching.
    ctx.shared.seen();
    let json = ctx.state.borrow().as_ref().clone();
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        json,
    )
        .into_response()
}

/// Counts a page or device following the display while its stream lives.
struct Watching {
    shared: Arc<Shared>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.shared.disconnected();
    }
}

async fn events(State(ctx): State<Ctx>, Path(secret): Path<String>) -> Response {
    let Ok(permit) = ctx.streams.clone().try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
    };
    ctx.shared.connected();
    let watching = Watching {
        shared: Arc::clone(&ctx.shared),
        _permit: permit,
    };
    let mut rx = ctx.state.clone();
    rx.mark_changed();
    let stream = futures_util::stream::unfold(
        (rx, watching, secret),
        |(mut rx, watching, secret)| async move {
            loop {
                tokio::select! {
                    changed = rx.changed() => {
                        changed.ok()?;
                    }
                    // A rotated secret ends the streams opened under the old one.
                    () = tokio::time::sleep(Duration::from_secs(5)) => {
                        if !watching.shared.secret_is(&secret) {
                            return None;
                        }
                        continue;
                    }
                }
                if !watching.shared.secret_is(&secret) {
                    return None;
                }
                let json = rx.borrow_and_update().as_ref().clone();
                let ev = Event::default().event("facing").data(json);
                return Some((
                    Ok::<_, std::convert::Infallible>(ev),
                    (rx, watching, secret),
                ));
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .into_response()
}

#[derive(Deserialize)]
struct RatingBody {
    reference: String,
    level: String,
    #[serde(default)]
    reasons: Vec<String>,
    #[serde(default)]
    channel: Option<String>,
}

fn refused(r: Refusal) -> Response {
    let status = match r {
        Refusal::Unknown => StatusCode::NOT_FOUND,
        Refusal::AlreadyRated => StatusCode::CONFLICT,
        Refusal::Expired => StatusCode::GONE,
        Refusal::BadLevel | Refusal::ReasonsNotAsked => StatusCode::BAD_REQUEST,
    };
    (status, Json(json!({"refused": r.code()}))).into_response()
}

async fn rating(State(ctx): State<Ctx>, Path(_secret): Path<String>, body: Bytes) -> Response {
    let Ok(b) = serde_json::from_slice::<RatingBody>(&body) else {
        return refused(Refusal::BadLevel);
    };
    if b.reference.len() > 64 || b.reasons.len() > 8 {
        return refused(Refusal::Unknown);
    }
    let (reply, answer) = tokio::sync::oneshot::channel();
    let offer = Offer {
        reference: b.reference,
        level: b.level,
        reasons: b.reasons,
        channel: b.channel.unwrap_or_else(|| "display".into()),
        reply,
    };
    if ctx.offers.send(offer).is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "workstation closed").into_response();
    }
    // The workstation answers within its next tick; a desk that does not
    // (it stopped) is told as such, and nothing was recorded.
    match tokio::time::timeout(Duration::from_secs(5), answer).await {
        Ok(Ok(Ok(()))) => Json(json!({"ok": true})).into_response(),
        Ok(Ok(Err(r))) => refused(r),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "workstation busy").into_response(),
    }
}
