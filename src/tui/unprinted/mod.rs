//! Booked but never printed (已入账但凭证未打印): the records a clerk
//! committed whose receipt or slip never printed — the program died
//! between the commit and the printer — shown first at sign-in and at the
//! cashier, so nobody pays twice. P prints the selected one; D dismisses it
//! with a reason (audited); Esc leaves them for later.

mod draw;
pub mod keys;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::desk::unprinted::Unprinted;
use crate::desk::{Desk, Session};
use crate::domain::msg::{Input, Notice};
use crate::msg;
use crate::tui::answer::Answer;
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::keymap::{self, Keys};
use crate::tui::screen::{Ctx, Flow, Nav, View};
use keys::{ListKey, ReasonKey};

/// What the screen does, each one desk call.
enum Command {
    Print,
    Dismiss(String),
}

/// The screen.
pub struct UnprintedSlips {
    session: Session,
    /// What never printed, newest first.
    pub items: Vec<Unprinted>,
    /// The selected one.
    pub cursor: usize,
    /// The reason being typed for dismissing the selected one.
    reason: Option<Form>,
    /// A message for the clerk.
    pub notice: Option<Notice>,
    /// Today, for naming the day of older records.
    pub today: chrono::NaiveDate,
}

impl UnprintedSlips {
    /// The screen over what the desk found, or `None` when nothing is
    /// unprinted (or it could not be read: the clerk works on, and it is
    /// asked again at the cashier).
    pub fn start(session: &Session, desk: &mut Desk) -> Option<UnprintedSlips> {
        let items = match desk.unprinted(session) {
            Ok(items) => items,
            Err(e) => {
                tracing::warn!(
                    "unprinted slips not read: {}",
                    crate::i18n::text(e.msg(), crate::domain::msg::Lang::En)
                );
                return None;
            }
        };
        (!items.is_empty()).then(|| UnprintedSlips {
            session: session.clone(),
            items,
            cursor: 0,
            reason: None,
            notice: None,
            today: desk.clock().today(),
        })
    }

    /// The reason form, when open.
    pub fn reason(&self) -> Option<&Form> {
        self.reason.as_ref()
    }

    fn run(&mut self, cmd: Command, desk: &mut Desk) -> Flow {
        let Some(item) = self.items.get(self.cursor).cloned() else {
            return Flow::Go(Nav::Back);
        };
        let done = match cmd {
            Command::Print => desk
                .print_unprinted(&self.session, &item)
                .map(|p| p.notice()),
            Command::Dismiss(reason) => desk
                .dismiss_unprinted(&self.session, &item, &reason)
                .map(|()| Notice::done(msg!("unprinted.dismissed", number = item.number))),
        };
        match done {
            Err(e) => {
                if let Some(form) = &mut self.reason {
                    form.refused(&e);
                }
                self.notice = Some(e.notice());
            }
            Ok(n) => {
                self.reason = None;
                self.notice = Some(n);
                // What is left: the printed or dismissed one is gone.
                if let Some(items) = desk.unprinted(&self.session).or_refused(&mut self.notice) {
                    self.items = items;
                }
                self.cursor = self.cursor.min(self.items.len().saturating_sub(1));
            }
        }
        Flow::Used
    }
}

impl View for UnprintedSlips {
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        crate::tui::notice::refusal(&self.notice)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        if let Some(form) = &mut self.reason {
            return match keymap::lookup(keys::REASON, key) {
                Some(ReasonKey::Confirm) => {
                    let reason = form.text(0);
                    self.run(Command::Dismiss(reason), desk)
                }
                Some(ReasonKey::Cancel) => {
                    self.reason = None;
                    Flow::Used
                }
                None => {
                    form.input(key);
                    Flow::Used
                }
            };
        }
        let Some(cmd) = keymap::lookup(keys::LIST, key) else {
            return Flow::Unused;
        };
        if self.items.is_empty() && cmd != ListKey::Leave {
            return Flow::Used;
        }
        self.notice = None;
        match cmd {
            ListKey::Up => self.cursor = self.cursor.saturating_sub(1),
            ListKey::Down => {
                self.cursor = (self.cursor + 1).min(self.items.len().saturating_sub(1))
            }
            ListKey::Print => return self.run(Command::Print, desk),
            ListKey::Dismiss => {
                let field = Field::new("unprinted.reason_label", 120).lines();
                self.reason = Some(Form::new(vec![(field, Some(Input::Reason))]));
            }
            ListKey::Leave => return Flow::Go(Nav::Back),
        }
        Flow::Used
    }

    fn on_paste(&mut self, text: &str, _desk: &mut Desk) {
        if let Some(form) = &mut self.reason {
            form.paste(text);
        }
    }

    fn keys(&self) -> Keys {
        match self.reason {
            Some(_) => Keys::all(keys::REASON),
            None => Keys::of(keys::LIST, |k| {
                !self.items.is_empty() || k == ListKey::Leave
            }),
        }
    }

    fn help_title(&self) -> &'static str {
        "help.screen_unprinted"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        draw::screen(self, area, buf, ctx);
    }
}
