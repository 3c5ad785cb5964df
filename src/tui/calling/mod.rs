//! Calling (Ctrl+T, 叫号): the ticket in service, the tickets this window
//! holds and those waiting for it. N calls the next (Ctrl+N does the same
//! from any screen), R calls again, H holds, X marks a no-show, F ends it,
//! T transfers it with a reason, Enter calls the chosen ticket: back from
//! hold, or out of order with the reason recorded.

mod draw;
pub mod keys;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::desk::calling::TicketAction;
use crate::desk::{Desk, DeskError, Session};
use crate::domain::msg::{Input, Notice};
use crate::domain::queue::figures::Figures;
use crate::domain::queue::TicketState;
use crate::hall::wire::{QueueView, TicketView};
use crate::msg;
use crate::tui::answer::Answer;
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::form_screen::{self, Step};
use crate::tui::keymap::{self, Keys};
use crate::tui::screen::{Ctx, Flow, Nav, View};
use keys::ListKey;

/// The form open on the screen.
pub enum Open {
    /// Where to (a group letter or a window number) and why.
    Transfer(Form),
    /// Why this ticket goes before the others.
    OutOfOrder(Form, String),
}

/// The screen.
pub struct Calling {
    session: Session,
    pub queue: Option<QueueView>,
    pub cursor: usize,
    pub open: Option<Open>,
    pub notice: Option<Notice>,
    /// The hall's figures today, while shown (S).
    pub figures: Option<(String, Figures)>,
}

impl Calling {
    pub fn start(session: &Session, desk: &mut Desk) -> Calling {
        let mut s = Calling {
            session: session.clone(),
            queue: None,
            cursor: 0,
            open: None,
            notice: None,
            figures: None,
        };
        s.reload(desk);
        s
    }

    /// Held tickets first, then those waiting: what Enter may call.
    pub fn choices(&self) -> Vec<&TicketView> {
        match &self.queue {
            Some(q) => q.held.iter().chain(q.waiting.iter()).collect(),
            None => Vec::new(),
        }
    }

    fn reload(&mut self, desk: &mut Desk) {
        if let Some(q) = desk.queue_view().or_refused(&mut self.notice) {
            self.queue = Some(q);
        }
        self.cursor = self.cursor.min(self.choices().len().saturating_sub(1));
    }

    fn done(&mut self, desk: &mut Desk, r: Result<TicketView, DeskError>, key: &'static str) {
        match r {
            Ok(t) => {
                let window = desk.config().hall.window.clone();
                self.notice = Some(Notice::done(crate::domain::msg::Msg {
                    key,
                    args: vec![("ticket", t.label.clone()), ("window", window)],
                    parts: Vec::new(),
                }));
                self.open = None;
                let keep = self.notice.take();
                self.reload(desk);
                self.notice = self.notice.take().or(keep);
            }
            Err(e) => {
                if let Some(Open::Transfer(f) | Open::OutOfOrder(f, _)) = &mut self.open {
                    f.refused(&e);
                }
                self.notice = Some(e.notice());
            }
        }
    }

    fn save(&mut self, desk: &mut Desk) -> Flow {
        match &self.open {
            Some(Open::Transfer(f)) => {
                let to = f.trimmed(0).to_uppercase();
                let reason = f.text(1);
                let to = to.trim_end_matches('号').to_string();
                let (group, window) = if !to.is_empty() && to.chars().all(|c| c.is_ascii_digit()) {
                    (None, Some(to))
                } else {
                    (Some(to), None)
                };
                let r = desk.transfer_ticket(
                    &self.session,
                    group.as_deref(),
                    window.as_deref(),
                    &reason,
                );
                self.done(desk, r, "calling.transferred");
            }
            Some(Open::OutOfOrder(f, label)) => {
                let label = label.clone();
                let reason = f.text(0);
                let r = desk.call_ticket(&self.session, &label, Some(reason.trim()));
                self.done(desk, r, "calling.called");
            }
            None => {}
        }
        Flow::Used
    }
}

fn transfer_form() -> Form {
    Form::new(vec![
        (Field::new("calling.transfer_to", 8), Some(Input::Reference)),
        (
            Field::new("calling.reason", 120).free_text(),
            Some(Input::Reason),
        ),
    ])
}

fn reason_form() -> Form {
    Form::new(vec![(
        Field::new("calling.reason", 120).free_text(),
        Some(Input::Reason),
    )])
}

impl View for Calling {
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        crate::tui::notice::refusal(&self.notice)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        if let Some(Open::Transfer(form) | Open::OutOfOrder(form, _)) = &mut self.open {
            return match form_screen::on_key(form, key) {
                Step::Used => Flow::Used,
                Step::Save => self.save(desk),
                Step::Cancel => {
                    self.open = None;
                    Flow::Used
                }
            };
        }
        let Some(cmd) = keymap::lookup(keys::LIST, key) else {
            return Flow::Unused;
        };
        self.notice = None;
        let s = self.session.clone();
        match cmd {
            ListKey::Up => self.cursor = self.cursor.saturating_sub(1),
            ListKey::Down => {
                self.cursor = (self.cursor + 1).min(self.choices().len().saturating_sub(1))
            }
            ListKey::Next => {
                let r = desk.call_next(&s);
                self.done(desk, r, "calling.called");
            }
            ListKey::Recall => {
                let r = desk.ticket_action(&s, TicketAction::Recall);
                self.done(desk, r, "calling.recalled");
            }
            ListKey::Hold => {
                let r = desk.ticket_action(&s, TicketAction::Hold);
                self.done(desk, r, "calling.held");
            }
            ListKey::NoShow => {
                let r = desk.ticket_action(&s, TicketAction::NoShow);
                self.done(desk, r, "calling.no_show");
            }
            ListKey::Finish => {
                let r = desk.ticket_action(&s, TicketAction::Finish);
                self.done(desk, r, "calling.finished");
            }
            ListKey::Transfer => {
                if desk.current_ticket().is_some() {
                    self.open = Some(Open::Transfer(transfer_form()));
                } else {
                    self.notice = Some(Notice::refusal(msg!("queue.no_ticket")));
                }
            }
            ListKey::CallChosen => {
                let chosen = self.choices().get(self.cursor).map(|t| (*t).clone());
                match chosen {
                    Some(t) if t.state == TicketState::Held => {
                        let r = desk.call_ticket(&s, &t.label, None);
                        self.done(desk, r, "calling.called");
                    }
                    Some(t) => self.open = Some(Open::OutOfOrder(reason_form(), t.label)),
                    None => {}
                }
            }
            ListKey::Figures => {
                self.figures = match self.figures.take() {
                    Some(_) => None,
                    None => desk.queue_figures(&s).or_refused(&mut self.notice),
                }
            }
            ListKey::Reload => {
                self.reload(desk);
                if self.figures.is_some() {
                    self.figures = desk.queue_figures(&s).or_refused(&mut self.notice);
                }
            }
            ListKey::Leave => return Flow::Go(Nav::Back),
        }
        Flow::Used
    }

    fn on_paste(&mut self, text: &str, _desk: &mut Desk) {
        if let Some(Open::Transfer(f) | Open::OutOfOrder(f, _)) = &mut self.open {
            f.paste(text);
        }
    }

    fn keys(&self) -> Keys {
        match &self.open {
            Some(_) => Keys::all(form_screen::FORM),
            None => Keys::all(keys::LIST),
        }
    }

    fn help_title(&self) -> &'static str {
        "help.screen_calling"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        draw::screen(self, area, buf, ctx);
    }
}
