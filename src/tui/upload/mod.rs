//! Upload to HQ as the counter sees it: the link's state, the records
//! waiting, and those HQ stored but could not use (quarantined) or refused
//! as forks. A duty manager looks at a held record and sends it again.

mod draw;
pub mod keys;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::desk::{Desk, Session};
use crate::domain::msg::Notice;
use crate::msg;
use crate::store::outbox::Listed;
use crate::tui::answer::Answer;
use crate::tui::keymap::{self, Keys};
use crate::tui::popup::{Preview, PREVIEW};
use crate::tui::screen::{Ctx, Flow, Nav, View};
use keys::ListKey;

/// How many records the list shows.
const SHOWN: i64 = 200;
/// How many held items from HQ the screen names.
const FEED_HELD_SHOWN: i64 = 5;

/// What the screen does, each one desk call.
enum Command {
    Refresh,
    Look(i64, i64),
    SendAgain(i64, i64),
    Leave,
}

/// The upload screen.
pub struct Upload {
    session: Session,
    /// Held records first, then the oldest waiting.
    pub rows: Vec<Listed>,
    /// What HQ sent down that could not be applied (newest first), and
    /// how many there are.
    pub feed_held: (Vec<crate::store::hq_feed::HeldItem>, i64),
    /// Selected row.
    pub cursor: usize,
    /// A message for the clerk.
    pub notice: Option<Notice>,
    preview: Option<Preview>,
}

impl Upload {
    /// The screen, with the list read once.
    pub fn start(session: Session, desk: &mut Desk) -> Upload {
        let mut s = Upload {
            session,
            rows: Vec::new(),
            feed_held: (Vec::new(), 0),
            cursor: 0,
            notice: None,
            preview: None,
        };
        s.run(Command::Refresh, desk);
        s
    }

    fn selected(&self) -> Option<(i64, i64)> {
        self.rows.get(self.cursor).map(|r| (r.epoch, r.seq))
    }

    fn list_key(&mut self, cmd: ListKey) -> Option<Command> {
        match cmd {
            ListKey::Up => self.cursor = self.cursor.saturating_sub(1),
            ListKey::Down => self.cursor = (self.cursor + 1).min(self.rows.len().saturating_sub(1)),
            ListKey::Look => return self.selected().map(|(e, s)| Command::Look(e, s)),
            ListKey::SendAgain => return self.selected().map(|(e, s)| Command::SendAgain(e, s)),
            ListKey::Refresh => return Some(Command::Refresh),
            ListKey::Leave => return Some(Command::Leave),
        }
        None
    }

    fn run(&mut self, cmd: Command, desk: &mut Desk) -> Flow {
        match cmd {
            Command::Refresh => match (
                desk.read().upload_list(SHOWN),
                desk.read().feed_held(FEED_HELD_SHOWN),
            ) {
                (Ok(rows), Ok(held)) => {
                    self.rows = rows;
                    self.feed_held = held;
                    self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
                }
                (Err(e), _) | (_, Err(e)) => self.notice = Some(e.notice()),
            },
            Command::Look(epoch, seq) => {
                if let Some(text) = desk
                    .held_record(&self.session, epoch, seq)
                    .or_refused(&mut self.notice)
                {
                    self.preview = Some(Preview::new(text.lines().map(String::from).collect()))
                }
            }
            Command::SendAgain(epoch, seq) => {
                if desk
                    .send_again(&self.session, epoch, seq)
                    .or_refused(&mut self.notice)
                    .is_some()
                {
                    self.notice = Some(Notice::done(msg!(
                        "upload.queued_again",
                        epoch = epoch,
                        seq = seq
                    )));
                    if let Ok(rows) = desk.read().upload_list(SHOWN) {
                        self.rows = rows;
                    }
                }
            }
            Command::Leave => return Flow::Go(Nav::Back),
        }
        Flow::Used
    }
}

impl View for Upload {
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        crate::tui::notice::refusal(&self.notice)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        if let Some(p) = &mut self.preview {
            if p.on_key(key) {
                self.preview = None;
            }
            return Flow::Used;
        }
        match keymap::lookup(keys::LIST, key) {
            Some(cmd) => {
                self.notice = None;
                match self.list_key(cmd) {
                    Some(c) => self.run(c, desk),
                    None => Flow::Used,
                }
            }
            None => Flow::Unused,
        }
    }

    fn on_paste(&mut self, _text: &str, _desk: &mut Desk) {}

    fn keys(&self) -> Keys {
        if self.preview.is_some() {
            return Keys::modal(PREVIEW);
        }
        Keys::all(keys::LIST)
    }

    fn help_title(&self) -> &'static str {
        "help.screen_upload"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        draw::screen(self, area, buf, ctx);
        if let Some(p) = &self.preview {
            p.draw(area, buf, ctx.lang);
        }
    }

    fn resume(&mut self, desk: &mut Desk) {
        self.run(Command::Refresh, desk);
    }
}
