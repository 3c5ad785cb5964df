//! What the hall service does, apart from HTTP: issue a ticket, answer a
//! window, build the hall display's state and the day's figures. Every
//! change is committed to the hall's file before it is answered.

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{json, Value};

use super::store::{Detail, HallStore, HallStoreError, TicketRow};
use super::wire::{QueueView, TicketView};
use crate::clock::Clock;
use crate::config::{Hall, HallService};
use crate::domain::queue::figures::{self, estimated_wait_minutes, Figures};
use crate::domain::queue::{announce, Action, Refusal, TicketState};

/// Why the kiosk gave no ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KioskRefusal {
    /// Not a configured group.
    UnknownGroup,
    /// The ID number given cannot be right.
    BadId,
    /// More tickets this minute than the hall allows.
    TooMany,
}

impl KioskRefusal {
    /// The code the API answers with.
    pub fn code(self) -> &'static str {
        match self {
            KioskRefusal::UnknownGroup => "unknown_group",
            KioskRefusal::BadId => "bad_id",
            KioskRefusal::TooMany => "too_many",
        }
    }

    /// What the customer at the kiosk is told (Chinese, English).
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            KioskRefusal::UnknownGroup => (
                "没有这个业务。请点选屏幕上的业务按钮取号。",
                "There is no such business. Touch one of the buttons on the screen.",
            ),
            KioskRefusal::BadId => (
                "身份证号码有误，请核对后重输；也可以不填号码直接取号。",
                "That ID number cannot be right. Check it and type it again, or take a ticket without it.",
            ),
            KioskRefusal::TooMany => (
                "取号人数较多，请稍候一分钟再取号，或到引导台请工作人员帮助。",
                "Many tickets are being taken. Please wait a minute, or ask at the guidance desk.",
            ),
        }
    }
}

/// A ticket just issued, as the kiosk shows and prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    pub ticket: TicketRow,
    /// The group's name and English name.
    pub group_name: (String, String),
    /// People waiting before it in its group.
    pub ahead: usize,
    /// Minutes it may expect to wait.
    pub wait_minutes: u32,
    /// Local time of issue, "09:41".
    pub local_time: String,
}

/// The hall service's state.
pub struct Core {
    cfg: HallService,
    hall: Hall,
    offset: FixedOffset,
    store: HallStore,
    clock: Clock,
}

impl Core {
    /// The service on its open file.
    pub fn new(
        cfg: HallService,
        hall: Hall,
        store: HallStore,
        clock: Clock,
    ) -> Result<Core, String> {
        let offset = cfg
            .offset()
            .map_err(|v| format!("[hall_service] utc_offset {v} is not like \"+08:00\""))?;
        for w in &cfg.windows {
            if let Some(g) = w.groups.iter().find(|g| cfg.group(g).is_none()) {
                return Err(format!(
                    "[[hall_service.window]] {} calls group \"{g}\", which no [[hall_service.group]] defines",
                    w.number
                ));
            }
        }
        if cfg.groups.is_empty() {
            return Err("[hall_service] has no [[hall_service.group]]".into());
        }
        Ok(Core {
            cfg,
            hall,
            offset,
            store,
            clock,
        })
    }

    /// The hall's configuration.
    pub fn config(&self) -> &HallService {
        &self.cfg
    }

    /// The hall.
    pub fn hall(&self) -> &Hall {
        &self.hall
    }

    /// The store (for tokens and secrets).
    pub fn store(&mut self) -> &mut HallStore {
        &mut self.store
    }

    /// The hall's day now, by its own offset (never UTC's).
    pub fn day(&self) -> String {
        day_at(self.clock.now(), self.offset)
    }

    fn local_time(&self, at: &str) -> String {
        crate::store::stamp::parse_ts(at)
            .map(|t| t.with_timezone(&self.offset).format("%H:%M").to_string())
            .unwrap_or_default()
    }

    /// Issues a ticket of `group`, in the green channel when the ID number
    /// given says 70 or over or the hall flagged it.
    pub fn issue(&mut self, group: &str, id_number: Option<&str>) -> Result<Issued, KioskRefusal> {
        let now = self.clock.now();
        let Some(g) = self.cfg.group(group).cloned() else {
            return Err(KioskRefusal::UnknownGroup);
        };
        // Counted from the file, so a restart does not open the gate.
        let last_minute = self
            .store
            .issued_since(now - chrono::Duration::seconds(60))
            .unwrap_or(0);
        if last_minute >= self.cfg.kiosk_per_minute.max(1) as usize {
            return Err(KioskRefusal::TooMany);
        }
        let green_why = match id_number.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => self.green_why(raw, now)?,
        };
        let day = self.day();
        let ticket = self
            .store
            .issue(&day, &g.code, green_why.as_deref(), now)
            .map_err(|_| KioskRefusal::TooMany)?;
        let open = self.store.open_tickets(&day).unwrap_or_default();
        let ahead = open
            .iter()
            .filter(|t| t.state == TicketState::Waiting && t.group == g.code && t.id != ticket.id)
            .filter(|t| !ticket.green || t.green)
            .count();
        let rows = self.store.rows_of_day(&day).unwrap_or_default();
        let f = figures::figures(&rows);
        let serving = self
            .cfg
            .windows
            .iter()
            .filter(|w| w.groups.contains(&g.code))
            .count();
        let wait_minutes = estimated_wait_minutes(
            ahead,
            f.groups.get(&g.code).and_then(|l| l.service_p50),
            serving,
            self.cfg.default_service_minutes,
        );
        let local_time = self.local_time(&ticket.issued_at);
        Ok(Issued {
            ticket,
            group_name: (g.name.clone(), g.name_en.clone()),
            ahead,
            wait_minutes,
            local_time,
        })
    }

    fn green_why(&mut self, raw: &str, now: DateTime<Utc>) -> Result<Option<String>, KioskRefusal> {
        let today = now.with_timezone(&self.offset).date_naive();
        let check = crate::domain::id::check(raw, today);
        if check.verdict.is_invalid() {
            return Err(KioskRefusal::BadId);
        }
        if let Some(p) = &check.person {
            if p.age >= self.cfg.green_channel_age {
                return Ok(Some(format!("age {}", self.cfg.green_channel_age)));
            }
        }
        let sha = self.id_sha(&check.normalized);
        Ok(self.store.flagged(&sha).ok().flatten())
    }

    /// The hash an ID number is kept under: salted with the hall's own
    /// secret, so the file holds no number and no guessable hash of one.
    pub fn id_sha(&mut self, normalized: &str) -> String {
        let salt = self.store.page_secret("salt").unwrap_or_default();
        crate::domain::upload::sha256_hex(format!("{salt}:{normalized}").as_bytes())
    }

    fn view(&self, t: &TicketRow) -> TicketView {
        TicketView {
            label: t.label.clone(),
            group: t.group.clone(),
            group_name: self
                .cfg
                .group(&t.group)
                .map(|g| g.name.clone())
                .unwrap_or_default(),
            green: t.green,
            green_why: t.green_why.clone(),
            state: t.state,
            window: t.window.clone(),
            calls: t.calls,
            issued_at: t.issued_at.clone(),
        }
    }

    fn refused(e: HallStoreError) -> Refusal {
        match e {
            HallStoreError::Refused(r) => r,
            HallStoreError::Sql(err) => {
                tracing::error!(error = %err, "hall store");
                Refusal::NotNow
            }
        }
    }

    /// "Call next" at a window. A ticket the window is serving is served
    /// first (with what was done for it); one only called is not: the
    /// clerk says whether that customer came.
    pub fn call_next(
        &mut self,
        window: &str,
        req: &super::wire::WindowRequest,
    ) -> Result<TicketView, Refusal> {
        let groups = self
            .cfg
            .window(window)
            .ok_or(Refusal::UnknownWindow)?
            .groups
            .clone();
        let day = self.day();
        let now = self.clock.now();
        if let Some(cur) = self.store.current_of(&day, window).map_err(Self::refused)? {
            if cur.state == TicketState::Called {
                return Err(Refusal::NotNow);
            }
            self.store
                .act(
                    &day,
                    &cur.label,
                    window,
                    &Action::Serve,
                    0,
                    &detail(req),
                    now,
                )
                .map_err(Self::refused)?;
        }
        let t = self
            .store
            .call_next(&day, window, &groups, self.cfg.green_run, &detail(req), now)
            .map_err(Self::refused)?;
        Ok(self.view(&t))
    }

    /// Any other action of a window on a named ticket.
    pub fn act(
        &mut self,
        window: &str,
        label: &str,
        action: Action,
        req: &super::wire::WindowRequest,
    ) -> Result<TicketView, Refusal> {
        if self.cfg.window(window).is_none() {
            return Err(Refusal::UnknownWindow);
        }
        let day = self.day();
        let now = self.clock.now();
        let reason = req
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if action == Action::Transfer {
            if reason.is_none() {
                return Err(Refusal::ReasonNeeded);
            }
            if let Some(g) = &req.to_group {
                if self.cfg.group(g).is_none() {
                    return Err(Refusal::UnknownGroup);
                }
            }
            if let Some(w) = &req.to_window {
                if self.cfg.window(w).is_none() {
                    return Err(Refusal::UnknownWindow);
                }
            }
            if req.to_group.is_none() && req.to_window.is_none() {
                return Err(Refusal::UnknownGroup);
            }
        }
        // A waiting ticket called by name jumps the queue: the reason is kept.
        if action == Action::Call {
            let t = self.store.ticket(&day, label).map_err(Self::refused)?;
            let out_of_order = t.as_ref().is_some_and(|t| t.state == TicketState::Waiting);
            if out_of_order && reason.is_none() {
                return Err(Refusal::ReasonNeeded);
            }
            if let Some(cur) = self.store.current_of(&day, window).map_err(Self::refused)? {
                if cur.label != label {
                    return Err(Refusal::NotNow);
                }
            }
        }
        let t = self
            .store
            .act(
                &day,
                label,
                window,
                &action,
                self.cfg.no_show_after_calls,
                &detail(req),
                now,
            )
            .map_err(Self::refused)?;
        Ok(self.view(&t))
    }

    /// What waits for a window, what it holds and what it has.
    pub fn queue_for(&mut self, window: &str) -> Result<QueueView, Refusal> {
        let w = self
            .cfg
            .window(window)
            .ok_or(Refusal::UnknownWindow)?
            .clone();
        let day = self.day();
        let open = self.store.open_tickets(&day).map_err(Self::refused)?;
        let mine = |t: &&TicketRow| t.window.as_deref() == Some(window);
        let mut waiting: Vec<&TicketRow> = open
            .iter()
            .filter(|t| t.state == TicketState::Waiting)
            .filter(|t| match &t.window {
                Some(for_w) => for_w == window,
                None => w.groups.contains(&t.group),
            })
            .collect();
        waiting.sort_by(|a, b| b.green.cmp(&a.green).then(a.issued_at.cmp(&b.issued_at)));
        Ok(QueueView {
            window: window.to_string(),
            groups: w.groups.clone(),
            current: open
                .iter()
                .filter(mine)
                .find(|t| matches!(t.state, TicketState::Called | TicketState::Serving))
                .map(|t| self.view(t)),
            held: open
                .iter()
                .filter(mine)
                .filter(|t| t.state == TicketState::Held)
                .map(|t| self.view(t))
                .collect(),
            waiting: waiting.into_iter().map(|t| self.view(t)).collect(),
        })
    }

    /// The day's figures.
    pub fn figures(&self, day: &str) -> Figures {
        figures::figures(&self.store.rows_of_day(day).unwrap_or_default())
    }

    /// The hall display's whole state, as JSON: the calls (newest first,
    /// each with what is said), the waiting count per group.
    pub fn board(&self) -> Value {
        let day = self.day();
        let calls = self.store.recent_calls(&day, 8).unwrap_or_default();
        let waiting = self.store.waiting_per_group(&day).unwrap_or_default();
        let groups: Vec<Value> = self
            .cfg
            .groups
            .iter()
            .map(|g| {
                let n = waiting.get(&g.code).copied().unwrap_or(0);
                json!({"code": g.code, "name": g.name, "name_en": g.name_en, "waiting": n})
            })
            .collect();
        let calls: Vec<Value> = calls
            .iter()
            .map(|c| {
                let mut say = vec![announce::zh(&c.label, &c.window)];
                if self.cfg.speak_english {
                    say.push(announce::en(&c.label, &c.window));
                }
                json!({
                    "seq": c.seq,
                    "ticket": c.label,
                    "window": c.window,
                    "time": self.local_time(&c.at),
                    "say": say,
                })
            })
            .collect();
        json!({
            "hall": self.hall.name,
            "hall_en": self.hall.name_en,
            "day": day,
            "calls": calls,
            "groups": groups,
        })
    }
}

fn detail(req: &super::wire::WindowRequest) -> Detail {
    Detail {
        clerk: req.clerk.chars().take(32).collect(),
        reason: req
            .reason
            .as_deref()
            .map(|r| r.trim().chars().take(200).collect()),
        to_group: req.to_group.clone(),
        to_window: req.to_window.clone(),
        refs: req
            .refs
            .iter()
            .take(32)
            .map(|r| r.chars().take(64).collect())
            .collect(),
    }
}

/// The hall's day at an instant.
pub fn day_at(t: DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}
