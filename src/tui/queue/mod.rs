//! The case queue: the open cases this counter knows, most urgent first —
//! overdue, due today, due within two working days, then the rest —, with
//! filters by owner, business type and state; Enter opens the case.

mod draw;
pub mod keys;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::desk::cases::Queued;
use crate::desk::{Desk, Session};
use crate::domain::case::CaseOrigin;
use crate::domain::msg::Notice;
use crate::store::cases::QueueFilter;
use crate::tui::answer::Answer;
use crate::tui::applications::Applications;
use crate::tui::keymap::{self, Keys};
use crate::tui::screen::{Ctx, Flow, Nav, Screen, View};
use keys::QueueKey;

/// The queue screen.
pub struct Queue {
    session: Session,
    /// The cases shown, most urgent first.
    pub rows: Vec<Queued>,
    /// Selected row.
    pub cursor: usize,
    /// Only the signed-in clerk's cases.
    pub mine: bool,
    /// Only this business type.
    pub form: Option<String>,
    /// Only paused (`Some(true)`) or running (`Some(false)`) cases.
    pub paused: Option<bool>,
    /// A message for the clerk.
    pub notice: Option<Notice>,
}

impl Queue {
    /// The queue, read once: everyone's open cases.
    pub fn start(session: Session, desk: &mut Desk) -> Queue {
        let mut q = Queue {
            session,
            rows: Vec::new(),
            cursor: 0,
            mine: false,
            form: None,
            paused: None,
            notice: None,
        };
        q.reload(desk);
        q
    }

    fn filter(&self) -> QueueFilter {
        QueueFilter {
            owner: self.mine.then(|| self.session.clerk_id()),
            form_code: self.form.clone(),
            paused: self.paused,
        }
    }

    fn reload(&mut self, desk: &mut Desk) {
        if let Some(rows) = desk.queue(&self.filter()).or_refused(&mut self.notice) {
            self.rows = rows;
            self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
        }
    }

    /// The next business type after the one filtered (or the first), of
    /// those that have open cases; after the last, all again.
    fn next_form(&mut self, desk: &Desk) -> Option<String> {
        let codes = match desk.queue_forms(self.filter().owner) {
            Ok(c) => c,
            Err(e) => {
                self.notice = Some(e.notice());
                return None;
            }
        };
        match &self.form {
            None => codes.first().cloned(),
            Some(cur) => {
                let i = codes.iter().position(|c| c == cur)?;
                codes.get(i + 1).cloned()
            }
        }
    }

    fn open(&mut self, desk: &mut Desk) -> Flow {
        let Some(q) = self.rows.get(self.cursor) else {
            return Flow::Used;
        };
        let ticket = q.row.ticket.clone();
        // Only a case accepted here has applications to open; the others
        // are worked elsewhere and the queue says where.
        match q.row.origin {
            CaseOrigin::Here => {}
            CaseOrigin::Hq => {
                self.notice = Some(Notice::info(crate::msg!("case.sent_down", ticket = ticket)));
                return Flow::Used;
            }
            CaseOrigin::PoorRating => {
                // The duty manager handles it on the ratings screen.
                let r = crate::tui::ratings::Ratings::start(&self.session, desk);
                return Flow::Go(Nav::Open(Screen::new(r)));
            }
            CaseOrigin::Reconnection => {
                // Told by the hour, as the cashier and the receipt tell it.
                let due = q
                    .row
                    .due_at
                    .map(|t| {
                        t.with_timezone(&chrono::Local)
                            .format("%Y-%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or_default();
                self.notice = Some(Notice::info(crate::msg!(
                    "case.reconnection_info",
                    account = ticket,
                    due = due
                )));
                return Flow::Used;
            }
        }
        match desk.card_of(&q.row.id_no) {
            Ok(card) => {
                let mut a = Applications::new(self.session.clone(), card, desk);
                a.select(&ticket);
                Flow::Go(Nav::Open(Screen::new(a)))
            }
            Err(e) => {
                self.notice = Some(e.notice());
                Flow::Used
            }
        }
    }
}

impl View for Queue {
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        crate::tui::notice::refusal(&self.notice)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        let Some(cmd) = keymap::lookup(keys::QUEUE, key) else {
            return Flow::Unused;
        };
        self.notice = None;
        let last = self.rows.len().saturating_sub(1);
        match cmd {
            QueueKey::Up => self.cursor = self.cursor.saturating_sub(1),
            QueueKey::Down => self.cursor = (self.cursor + 1).min(last),
            QueueKey::PageUp => self.cursor = self.cursor.saturating_sub(10),
            QueueKey::PageDown => self.cursor = (self.cursor + 10).min(last),
            QueueKey::Open => return self.open(desk),
            QueueKey::Owner => {
                self.mine = !self.mine;
                self.cursor = 0;
                self.reload(desk);
            }
            QueueKey::Business => {
                self.form = self.next_form(desk);
                self.cursor = 0;
                self.reload(desk);
            }
            QueueKey::State => {
                self.paused = match self.paused {
                    None => Some(false),
                    Some(false) => Some(true),
                    Some(true) => None,
                };
                self.cursor = 0;
                self.reload(desk);
            }
            QueueKey::Leave => return Flow::Go(Nav::Back),
        }
        Flow::Used
    }

    fn on_paste(&mut self, _text: &str, _desk: &mut Desk) {}

    fn keys(&self) -> Keys {
        Keys::all(keys::QUEUE)
    }

    fn help_title(&self) -> &'static str {
        "help.screen_queue"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        draw::screen(self, area, buf, ctx);
    }

    fn resume(&mut self, desk: &mut Desk) {
        self.reload(desk);
    }
}
