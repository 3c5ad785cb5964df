//! Ratings (Ctrl+R). A duty manager sees the customer display's address
//! and the poor ratings waiting for their return visit: Enter records the
//! visit's verdict and what was done (that closes it), A decides an appeal,
//! F5 gives the display a new secret. A clerk gets the appeal form only
//! (申诉复核): which transaction and why — never a level.

mod draw;
pub mod keys;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::desk::{Desk, Session};
use crate::domain::clerk::Role;
use crate::domain::msg::{Input, Notice};
use crate::domain::rating::AppealVerdict;
use crate::msg;
use crate::store::ratings::PoorCase;
use crate::tui::answer::Answer;
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::form_screen::{self, Step};
use crate::tui::keymap::{self, Keys};
use crate::tui::screen::{Ctx, Flow, Nav, View};
use keys::ListKey;

/// The form open on the screen.
pub enum Open {
    /// A return visit: verdict, what was done.
    Visit(Form),
    /// An appeal's verdict: 1 upheld / 2 rejected, and why.
    Decide(Form),
    /// A clerk's appeal: the transaction and why.
    Appeal(Form),
}

/// The screen.
pub struct Ratings {
    session: Session,
    /// Open poor ratings, the earliest visit first (duty managers only).
    pub cases: Vec<PoorCase>,
    pub cursor: usize,
    pub open: Option<Open>,
    /// The display's address with its secret (duty managers only).
    pub display_url: Option<String>,
    pub notice: Option<Notice>,
}

fn visit_form() -> Form {
    Form::new(vec![
        (
            Field::new("ratings.visit_verdict", 120).free_text(),
            Some(Input::Reason),
        ),
        (
            Field::new("ratings.visit_action", 200).free_text(),
            Some(Input::Name),
        ),
    ])
}

fn decide_form() -> Form {
    Form::new(vec![
        (Field::new("ratings.verdict", 1), Some(Input::Method)),
        (
            Field::new("ratings.verdict_note", 200).free_text(),
            Some(Input::Reason),
        ),
    ])
}

fn appeal_form() -> Form {
    Form::new(vec![
        (Field::new("ratings.reference", 40), Some(Input::Reference)),
        (
            Field::new("ratings.appeal_reason", 200).free_text(),
            Some(Input::Reason),
        ),
    ])
}

impl Ratings {
    pub fn start(session: &Session, desk: &mut Desk) -> Ratings {
        let mut s = Ratings {
            session: session.clone(),
            cases: Vec::new(),
            cursor: 0,
            open: None,
            display_url: None,
            notice: None,
        };
        if session.role() == Role::DutyManager {
            s.reload(desk);
            s.display_url = desk
                .display_url(session)
                .or_refused(&mut s.notice)
                .flatten();
        } else {
            s.open = Some(Open::Appeal(appeal_form()));
        }
        s
    }

    /// Whether the signed-in person handles the cases (a duty manager).
    pub fn manages(&self) -> bool {
        self.session.role() == Role::DutyManager
    }

    fn reload(&mut self, desk: &Desk) {
        if let Some(c) = desk.poor_ratings_open().or_refused(&mut self.notice) {
            self.cases = c;
        }
        self.cursor = self.cursor.min(self.cases.len().saturating_sub(1));
    }

    fn save(&mut self, desk: &mut Desk) -> Flow {
        let reference = self.cases.get(self.cursor).map(|c| c.reference.clone());
        let outcome = match &self.open {
            Some(Open::Visit(f)) => desk
                .close_poor_rating(
                    &self.session,
                    reference.as_deref().unwrap_or(""),
                    &f.text(0),
                    &f.text(1),
                )
                .map(|()| {
                    msg!(
                        "ratings.visited",
                        reference = reference.clone().unwrap_or_default()
                    )
                }),
            Some(Open::Decide(f)) => {
                let verdict = match f.trimmed(0).as_str() {
                    "1" => Some(AppealVerdict::Upheld),
                    "2" => Some(AppealVerdict::Rejected),
                    _ => None,
                };
                match verdict {
                    None => Err(crate::desk::DeskError::at(
                        msg!("ratings.verdict_bad"),
                        Input::Method,
                    )),
                    Some(v) => desk
                        .decide_appeal(
                            &self.session,
                            reference.as_deref().unwrap_or(""),
                            v,
                            &f.text(1),
                        )
                        .map(|()| {
                            msg!(
                                "ratings.decided",
                                reference = reference.clone().unwrap_or_default()
                            )
                        }),
                }
            }
            Some(Open::Appeal(f)) => {
                let r = f.trimmed(0);
                desk.appeal_rating(&self.session, &r, &f.text(1))
                    .map(|()| msg!("ratings.appealed", reference = r))
            }
            None => return Flow::Used,
        };
        match outcome {
            Ok(m) => {
                self.notice = Some(Notice::done(m));
                self.open = if self.manages() {
                    None
                } else {
                    Some(Open::Appeal(appeal_form()))
                };
                if self.manages() {
                    self.reload(desk);
                }
            }
            Err(e) => {
                if let Some(Open::Visit(f) | Open::Decide(f) | Open::Appeal(f)) = &mut self.open {
                    f.refused(&e);
                }
                self.notice = Some(e.notice());
            }
        }
        Flow::Used
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match &mut self.open {
            Some(Open::Visit(f) | Open::Decide(f) | Open::Appeal(f)) => Some(f),
            None => None,
        }
    }
}

impl View for Ratings {
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        crate::tui::notice::refusal(&self.notice)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        let manages = self.manages();
        if let Some(form) = self.form_mut() {
            return match form_screen::on_key(form, key) {
                Step::Used => Flow::Used,
                Step::Save => self.save(desk),
                Step::Cancel if manages => {
                    self.open = None;
                    Flow::Used
                }
                Step::Cancel => Flow::Go(Nav::Back),
            };
        }
        let Some(cmd) = keymap::lookup(keys::LIST, key) else {
            return Flow::Unused;
        };
        self.notice = None;
        match cmd {
            ListKey::Up => self.cursor = self.cursor.saturating_sub(1),
            ListKey::Down => {
                self.cursor = (self.cursor + 1).min(self.cases.len().saturating_sub(1))
            }
            ListKey::Visit if !self.cases.is_empty() => self.open = Some(Open::Visit(visit_form())),
            ListKey::Decide => match self.cases.get(self.cursor) {
                Some(c) if c.appealed => self.open = Some(Open::Decide(decide_form())),
                Some(c) => {
                    self.notice = Some(Notice::refusal(msg!(
                        "rating.no_appeal",
                        reference = c.reference
                    )))
                }
                None => {}
            },
            ListKey::NewSecret => {
                if let Some(url) = desk
                    .rotate_display_secret(&self.session)
                    .or_refused(&mut self.notice)
                {
                    self.display_url = url.clone();
                    if let Some(url) = url {
                        self.notice = Some(Notice::done(msg!("display.rotated", url = url)));
                    }
                }
            }
            ListKey::Visit => {}
            ListKey::Leave => return Flow::Go(Nav::Back),
        }
        Flow::Used
    }

    fn on_paste(&mut self, text: &str, _desk: &mut Desk) {
        if let Some(form) = self.form_mut() {
            form.paste(text);
        }
    }

    fn keys(&self) -> Keys {
        match &self.open {
            Some(_) => Keys::all(form_screen::FORM),
            None => Keys::of(keys::LIST, |k| match k {
                ListKey::Visit | ListKey::Decide | ListKey::Up | ListKey::Down => {
                    !self.cases.is_empty()
                }
                _ => true,
            }),
        }
    }

    fn help_title(&self) -> &'static str {
        "help.screen_ratings"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        draw::screen(self, area, buf, ctx);
    }
}
