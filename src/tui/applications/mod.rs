//! A returning customer's open applications: current step, due dates
//! (overdue in red), what is still owed, when it was disclosed; recording a
//! material handed in later; handing a case to a named colleague; printing
//! a progress slip or the acceptance slips again.

pub mod case;
mod draw;
pub mod keys;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::desk::customers::CustomerCard;
use crate::desk::slips::SlipOrder;
use crate::desk::{Desk, Session};
use crate::domain::msg::{Input, Notice};
use crate::msg;
use crate::store::applications::ApplicationRow;
use crate::tui::answer::{self, Answer, InForm};
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::keymap::{self, Keys};
use crate::tui::lines::{in_hand, owed};
use crate::tui::popup::{Preview, PREVIEW};
use crate::tui::scan_panel::{self, scan_attached, ScanPanel};
use crate::tui::screen::{Ctx, Flow, Nav, View};
use keys::{HandOverKey, ListKey, ReceiveKey};

/// What the screen is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Browsing.
    List,
    /// Choosing the owed material handed in.
    Receive,
    /// Choosing the received material a scan is for.
    ScanPick,
    /// The scanner's newest file shown before it is attached.
    Scan,
    /// Typing the colleague and the reason.
    HandOver,
    /// Moving the case on: a step's note, a pause's reason, how it ends.
    Case,
}

/// What the applications screen does, each one desk call.
enum Command {
    Receive {
        ticket: String,
        material: String,
    },
    HandOver {
        ticket: String,
        to: String,
        reason: String,
    },
    AttachScan {
        ticket: String,
        material: String,
        seen: crate::scanner::Seen,
    },
    Print(Print),
    Preview(String),
    PauseOrResume,
    StartClock,
    /// Ask for the step's note, once the desk says the step may be recorded.
    AskStepNote,
    /// Ask for the return visit, once the desk says the case waits for one.
    AskVisit,
    Leave,
}

/// Which slips P and B print.
enum Print {
    Progress(String),
    Again(String),
}

/// The applications screen.
pub struct Applications {
    session: Session,
    /// The customer.
    pub card: CustomerCard,
    /// Selected application.
    pub cursor: usize,
    pub mode: Mode,
    hand_over: Form,
    /// A message for the clerk.
    pub notice: Option<Notice>,
    today: NaiveDate,
    preview: Option<Preview>,
    /// The case line while it asks for something.
    pub case: Option<case::CaseLine>,
    /// The scan panel over a material, with the case's ticket.
    pub scan: Option<(String, ScanPanel)>,
    /// A scanner is configured (I is offered).
    scanner: bool,
}

impl Applications {
    /// The screen over the card's open applications.
    pub fn new(session: Session, card: CustomerCard, desk: &Desk) -> Applications {
        let today = desk.clock().today();
        let mut hand_over = Form::new(vec![
            (
                Field::new("applications.to_staff_no", 20),
                Some(Input::Colleague),
            ),
            (
                Field::new("applications.reason", 200).lines(),
                Some(Input::Reason),
            ),
        ]);
        hand_over.set_active(false);
        Applications {
            session,
            card,
            cursor: 0,
            mode: Mode::List,
            hand_over,
            notice: None,
            today,
            preview: None,
            case: None,
            scan: None,
            scanner: desk.has_scanner(),
        }
    }

    /// Puts the cursor on the case with this ticket (opened from the queue).
    pub fn select(&mut self, ticket: &str) {
        if let Some(i) = self
            .card
            .open_applications
            .iter()
            .position(|a| a.ticket_no == ticket)
        {
            self.cursor = i;
        }
    }

    fn selected(&self) -> Option<&ApplicationRow> {
        self.card.open_applications.get(self.cursor)
    }

    fn ticket(&self) -> Option<String> {
        self.selected().map(|a| a.ticket_no.clone())
    }

    fn list_key(&mut self, cmd: ListKey) -> Option<Command> {
        let n = self.card.open_applications.len();
        match cmd {
            ListKey::Up => self.cursor = self.cursor.saturating_sub(1),
            ListKey::Down => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            ListKey::Received => {
                let nothing = self.selected().is_none_or(|a| owed(a).is_empty());
                if nothing {
                    self.notice = Some(Notice::refusal(msg!("applications.nothing_owed")));
                } else {
                    self.mode = Mode::Receive;
                }
            }
            ListKey::Scan => {
                let nothing = self.selected().is_none_or(|a| in_hand(a).is_empty());
                if nothing {
                    self.notice = Some(Notice::refusal(msg!("scan.nothing_received")));
                } else {
                    self.mode = Mode::ScanPick;
                }
            }
            ListKey::HandOver if n > 0 => {
                self.mode = Mode::HandOver;
                self.hand_over.clear();
            }
            ListKey::HandOver => {}
            // Refused at once, before anything is typed, when it cannot be done.
            ListKey::StepDone if n > 0 => return Some(Command::AskStepNote),
            ListKey::PauseResume if n > 0 => return Some(Command::PauseOrResume),
            ListKey::StartClock if n > 0 => return Some(Command::StartClock),
            ListKey::EndCase if n > 0 => self.ask(case::Ask::End(None)),
            ListKey::Visit if n > 0 => return Some(Command::AskVisit),
            ListKey::StepDone
            | ListKey::PauseResume
            | ListKey::StartClock
            | ListKey::EndCase
            | ListKey::Visit => {}
            ListKey::Progress => return self.ticket().map(|t| Command::Print(Print::Progress(t))),
            ListKey::Reprint => return self.ticket().map(|t| Command::Print(Print::Again(t))),
            ListKey::Preview => return self.ticket().map(Command::Preview),
            ListKey::Leave => return Some(Command::Leave),
        }
        None
    }

    fn scan_pick_key(&mut self, cmd: ReceiveKey, key: &KeyEvent, desk: &Desk) {
        match cmd {
            ReceiveKey::Back => self.mode = Mode::List,
            ReceiveKey::Material => {
                let Some(app) = self.selected() else { return };
                let Some(m) = keymap::digit(key).and_then(|n| in_hand(app).get(n - 1).copied())
                else {
                    return;
                };
                let panel = ScanPanel::open(&m.material_id, &m.name_zh, desk);
                self.scan = Some((app.ticket_no.clone(), panel));
                self.mode = Mode::Scan;
            }
        }
    }

    fn receive_key(&mut self, cmd: ReceiveKey, key: &KeyEvent) -> Option<Command> {
        match cmd {
            ReceiveKey::Back => {
                self.mode = Mode::List;
                None
            }
            ReceiveKey::Material => {
                let app = self.selected()?;
                let m = keymap::digit(key).and_then(|n| owed(app).get(n - 1).copied())?;
                Some(Command::Receive {
                    ticket: app.ticket_no.clone(),
                    material: m.material_id.clone(),
                })
            }
        }
    }

    fn hand_over_key(&mut self, cmd: HandOverKey) -> Option<Command> {
        match cmd {
            HandOverKey::Next => self.hand_over.next(),
            HandOverKey::Enter if !self.hand_over.at_last() => self.hand_over.next(),
            HandOverKey::Enter => {
                return Some(Command::HandOver {
                    ticket: self.ticket()?,
                    to: self.hand_over.trimmed(0),
                    reason: self.hand_over.trimmed(1),
                })
            }
            HandOverKey::Cancel => self.mode = Mode::List,
        }
        None
    }

    /// Runs a command against the desk: one call, its answer shown here.
    fn run(&mut self, cmd: Command, desk: &mut Desk) -> Flow {
        match cmd {
            Command::Receive { ticket, material } => {
                if let Some(app) = desk
                    .receive_material(&self.session, &ticket, &material)
                    .or_refused(&mut self.notice)
                {
                    self.updated(app, msg!("applications.done_received"));
                }
            }
            Command::AttachScan {
                ticket,
                material,
                seen,
            } => match desk.attach_case_scan(&self.session, &ticket, &material, &seen) {
                Ok((app, scan)) => {
                    let name = self
                        .scan
                        .take()
                        .map(|(_, p)| p.material.1)
                        .unwrap_or_default();
                    self.updated(app, scan_attached(&name, &scan));
                }
                // Said in the panel, which stays open to try again.
                Err(e) => {
                    if let Some((_, p)) = &mut self.scan {
                        p.problem = Some(e.into_msg());
                    }
                }
            },
            Command::HandOver { ticket, to, reason } => {
                let handed = desk.hand_over(&self.session, &ticket, &to, &reason);
                let mut shown = InForm(&mut self.hand_over, &mut self.notice);
                if let Some(app) = handed.or_refused(&mut shown) {
                    let name = format!("{} {}", app.owner.1, app.owner.2);
                    self.updated(app, msg!("applications.done_handed_over", to = name));
                }
            }
            Command::Print(print) => {
                let printed = match &print {
                    Print::Progress(t) => desk.print(&self.session, SlipOrder::Progress(t)),
                    Print::Again(t) => desk.print(&self.session, SlipOrder::Application(t)),
                };
                self.notice = Some(answer::printed(printed));
            }
            Command::Preview(ticket) => {
                if let Some(lines) = desk.preview(&ticket).or_refused(&mut self.notice) {
                    self.preview = Some(Preview::new(lines));
                }
            }
            Command::StartClock => {
                let Some(app) = self.selected().cloned() else {
                    return Flow::Used;
                };
                let started = desk.start_step_clock(&self.session, &app.ticket_no);
                if let Some(due) = started.or_refused(&mut self.notice) {
                    self.reread(desk, Notice::done(msg!("case.clock_started", due = due)));
                }
            }
            Command::PauseOrResume => {
                let Some(app) = self.selected().cloned() else {
                    return Flow::Used;
                };
                match case::pause_or_resume(&app, &self.session, desk).or_refused(&mut self.notice)
                {
                    Some(Some(done)) => self.reread(desk, done),
                    Some(None) => self.ask(case::Ask::PauseReason),
                    None => {}
                }
            }
            Command::AskStepNote => {
                let Some(ticket) = self.ticket() else {
                    return Flow::Used;
                };
                if desk
                    .may_record_step(&self.session, &ticket)
                    .or_refused(&mut self.notice)
                    .is_some()
                {
                    self.ask(case::Ask::StepNote);
                }
            }
            Command::AskVisit => {
                let Some(ticket) = self.ticket() else {
                    return Flow::Used;
                };
                if desk
                    .may_record_visit(&self.session, &ticket)
                    .or_refused(&mut self.notice)
                    .is_some()
                {
                    self.ask(case::Ask::Visit(None, None));
                }
            }
            Command::Leave => return Flow::Go(Nav::Back),
        }
        Flow::Used
    }

    fn ask(&mut self, ask: case::Ask) {
        self.case = Some(case::CaseLine::new(ask));
        self.mode = Mode::Case;
    }

    /// The card read again after a case moved on (an ended case leaves the
    /// list), with what to say.
    fn reread(&mut self, desk: &mut Desk, done: Notice) {
        let ticket = self.ticket();
        match desk.refresh(&self.card) {
            Ok(card) => self.card = card,
            Err(e) => return self.notice = Some(e.notice()),
        }
        self.cursor = 0;
        if let Some(t) = ticket {
            self.select(&t);
        }
        self.mode = Mode::List;
        self.notice = Some(done);
    }

    fn case_key(&mut self, key: &KeyEvent, desk: &mut Desk) {
        let (Some(line), Some(app)) = (
            self.case.as_mut(),
            self.card.open_applications.get(self.cursor).cloned(),
        ) else {
            self.mode = Mode::List;
            return;
        };
        match case::on_key(line, key, &app, &self.session, desk) {
            case::Outcome::Asking => {}
            case::Outcome::Closed(None) => {
                self.case = None;
                self.mode = Mode::List;
            }
            case::Outcome::Closed(Some(done)) => {
                self.case = None;
                self.reread(desk, done);
            }
        }
    }

    /// An application changed: show it and go back to the list.
    fn updated(&mut self, app: ApplicationRow, what: crate::domain::msg::Msg) {
        if let Some(slot) = self
            .card
            .open_applications
            .iter_mut()
            .find(|a| a.id == app.id)
        {
            *slot = app;
        }
        self.mode = Mode::List;
        self.notice = Some(Notice::done(what));
    }
}

impl View for Applications {
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
        let command = match self.mode {
            Mode::List => {
                match keymap::lookup_if(keys::LIST, key, |k| k != ListKey::Scan || self.scanner) {
                    Some(cmd) => {
                        self.notice = None;
                        self.list_key(cmd)
                    }
                    None => return Flow::Unused,
                }
            }
            Mode::Receive => match keymap::lookup(keys::RECEIVE, key) {
                Some(cmd) => {
                    self.notice = None;
                    self.receive_key(cmd, key)
                }
                None => return Flow::Unused,
            },
            Mode::Case => {
                self.notice = None;
                self.case_key(key, desk);
                return Flow::Used;
            }
            Mode::ScanPick => {
                if let Some(cmd) = keymap::lookup(keys::RECEIVE, key) {
                    self.notice = None;
                    self.scan_pick_key(cmd, key, desk);
                }
                return Flow::Used;
            }
            Mode::Scan => {
                let Some((ticket, panel)) = &mut self.scan else {
                    self.mode = Mode::List;
                    return Flow::Used;
                };
                match panel.on_key(key, desk) {
                    scan_panel::Step::Attach(seen) => Some(Command::AttachScan {
                        ticket: ticket.clone(),
                        material: panel.material.0.clone(),
                        seen,
                    }),
                    scan_panel::Step::Cancel => {
                        self.scan = None;
                        self.mode = Mode::List;
                        None
                    }
                    scan_panel::Step::Used => None,
                }
            }
            Mode::HandOver => match keymap::lookup(keys::HAND_OVER, key) {
                Some(cmd) => {
                    self.notice = None;
                    self.hand_over_key(cmd)
                }
                None if self.hand_over.input(key) => None,
                None => return Flow::Unused,
            },
        };
        let flow = match command {
            Some(c) => self.run(c, desk),
            None => Flow::Used,
        };
        self.hand_over.set_active(self.mode == Mode::HandOver);
        flow
    }

    fn on_paste(&mut self, pasted: &str, _desk: &mut Desk) {
        match (&mut self.case, self.mode) {
            (_, Mode::HandOver) => self.hand_over.paste(pasted),
            (Some(line), Mode::Case) => {
                if let Err(m) = line.field.paste(pasted) {
                    line.field.error = Some(m);
                }
            }
            _ => {}
        }
    }

    fn keys(&self) -> Keys {
        if self.preview.is_some() {
            return Keys::modal(PREVIEW);
        }
        match self.mode {
            Mode::List => Keys::of(keys::LIST, |k| match k {
                // S is offered while the selected case's current step waits
                // for an event (its clock has not started).
                ListKey::StartClock => self.selected().is_some_and(|a| {
                    a.steps.iter().any(|s| {
                        s.status == crate::domain::states::StepStatus::Current
                            && s.due_date.is_none()
                    })
                }),
                ListKey::Scan => self.scanner,
                _ => true,
            }),
            Mode::Receive | Mode::ScanPick => Keys::all(keys::RECEIVE),
            Mode::Scan => Keys::modal(scan_panel::SCAN),
            Mode::HandOver => Keys::all(keys::HAND_OVER),
            Mode::Case => Keys::all(case::CASE),
        }
    }

    fn help_title(&self) -> &'static str {
        "help.screen_applications"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        draw::screen(self, area, buf, ctx);
        if let Some((_, p)) = &self.scan {
            p.draw(area, buf, ctx.lang);
        }
        if let Some(p) = &self.preview {
            p.draw(area, buf, ctx.lang);
        }
    }

    fn on_tick(&mut self, desk: &mut Desk) -> bool {
        self.scan.as_mut().is_some_and(|(_, p)| p.refresh(desk))
    }
}
