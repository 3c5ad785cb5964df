//! One exercise: the real workstation (an [`App`] on the sandbox desk) with
//! the customer's panel beside it. Every key goes to the workstation with
//! the sandbox clock moved to the moment it was pressed, so a replay of
//! the recorded keys at their recorded moments gives the same records and
//! the same screens.

use std::collections::BTreeSet;
use std::path::Path;

use crossterm::event::KeyEvent;

use crate::desk::{Desk, Session};
use crate::domain::lab::facts::RunStats;
use crate::domain::lab::score::score;
use crate::domain::lab::{Fault, Scenario};
use crate::domain::msg::Msg;
use crate::domain::msg::{Lang, Notice, Tone};
use crate::lab::Lab;
use crate::msg;
use crate::store::lab::RunRow;
use crate::tui::key_script;
use crate::tui::App;

/// Something the run records, with the milliseconds since its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// A key, in script notation.
    Key(String),
    /// Pasted or scanned text.
    Paste(String),
    /// A hint asked for.
    Hint,
    /// A refusal shown (its catalogue key).
    Refusal(String),
    /// A screen reached.
    Screen(String),
    /// A question asked of the customer (its key, `Customer::answer_key`).
    Ask(String),
}

impl Recorded {
    /// The kind as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Recorded::Key(_) => "key",
            Recorded::Paste(_) => "paste",
            Recorded::Hint => "hint",
            Recorded::Refusal(_) => "refusal",
            Recorded::Screen(_) => "screen",
            Recorded::Ask(_) => "ask",
        }
    }

    /// The value as stored.
    pub fn value(&self) -> &str {
        match self {
            Recorded::Key(v)
            | Recorded::Paste(v)
            | Recorded::Refusal(v)
            | Recorded::Screen(v)
            | Recorded::Ask(v) => v,
            Recorded::Hint => "",
        }
    }

    /// Back from storage.
    pub fn from_stored(kind: &str, value: &str) -> Option<Recorded> {
        Some(match kind {
            "key" => Recorded::Key(value.into()),
            "paste" => Recorded::Paste(value.into()),
            "hint" => Recorded::Hint,
            "refusal" => Recorded::Refusal(value.into()),
            "screen" => Recorded::Screen(value.into()),
            "ask" => Recorded::Ask(value.into()),
            _ => return None,
        })
    }
}

/// A running exercise.
pub struct Exercise {
    /// The run's row in lab.db.
    pub run_id: i64,
    pub scenario: Scenario,
    /// The workstation on the sandbox.
    pub app: App,
    /// Milliseconds since the start of the last thing that happened.
    last_ms: u64,
    /// What the run recorded so far.
    pub stats: RunStats,
    /// Expectations met so far (the panel moves on with them).
    pub met: BTreeSet<String>,
    /// Hints shown so far.
    pub hints_shown: usize,
    /// The sandbox's write count when the expectations were last looked at.
    head: i64,
    /// The last refusal recorded, so one shown refusal is counted once.
    last_refusal: Option<String>,
    /// The last screen recorded.
    last_screen: &'static str,
    /// A counterfeit note turned up (shown on the panel).
    pub counterfeit_shown: bool,
    /// Events recorded so far (the next one's number).
    pub recorded: i64,
    /// The documents the customer brought, by their names in the forms.
    pub documents: Vec<crate::domain::form::Text>,
    /// An exam station ends itself when the exam's time is up.
    pub deadline: Option<chrono::DateTime<chrono::Utc>>,
    /// Ctrl+Q or Ctrl+C was pressed once: a second press ends the run.
    pub quitting: bool,
    /// The notes and coins in the trainee's drawer, as they would see them
    /// at the count (shown while the cashier is open).
    pub drawer: Vec<(crate::domain::money::Fen, i64)>,
    /// Ctrl+A was pressed: the next number asks the customer that question.
    pub asking: bool,
}

impl Exercise {
    /// Starts on the sandbox desk with the trainee signed in.
    pub fn new(
        run_id: i64,
        scenario: Scenario,
        desk: Desk,
        session: Session,
        lang: Lang,
    ) -> Exercise {
        let mut app = App::new(desk, lang);
        let welcome = Notice::info(msg!("lab.started", title = scenario.title.get(lang)));
        app.signed_in(session, welcome);
        let last_screen = app.screen.view().help_title();
        let documents = scenario
            .customer
            .documents
            .iter()
            .map(|d| document_name(app.desk.forms(), d))
            .collect();
        Exercise {
            run_id,
            scenario,
            app,
            last_ms: 0,
            stats: RunStats::default(),
            met: BTreeSet::new(),
            hints_shown: 0,
            head: 0,
            last_refusal: None,
            last_screen,
            counterfeit_shown: false,
            recorded: 0,
            documents,
            deadline: None,
            quitting: false,
            drawer: Vec::new(),
            asking: false,
        }
    }

    /// Moves the sandbox clock to `at_ms` after the start.
    fn advance_to(&mut self, at_ms: u64) {
        if at_ms > self.last_ms {
            let by = chrono::Duration::milliseconds((at_ms - self.last_ms) as i64);
            self.app.desk.clock().advance(by);
            self.last_ms = at_ms;
        }
        self.stats.elapsed_ms = self.last_ms;
    }

    /// The run ends `at_ms` after its start: its time is counted to then
    /// (the panel's clock), not to the last key.
    pub fn close_at(&mut self, at_ms: u64) {
        self.advance_to(at_ms);
    }

    /// Applies one recorded thing at `at_ms`; returns what it led to that
    /// must be recorded too (refusals shown, screens reached).
    pub fn apply(&mut self, at_ms: u64, what: &Recorded) -> Vec<Recorded> {
        self.advance_to(at_ms);
        // Enter or a function key submits: a refusal after it is a new one
        // even when it says what the last one said.
        let mut submitted = false;
        match what {
            Recorded::Key(k) => {
                for key in key_script::parse(k) {
                    self.stats.keys += 1;
                    submitted |= matches!(
                        key.code,
                        crossterm::event::KeyCode::Enter | crossterm::event::KeyCode::F(_)
                    );
                    self.app.handle_key(&key);
                }
            }
            Recorded::Paste(text) => {
                self.stats.keys += 1;
                self.app
                    .handle_event(crossterm::event::Event::Paste(text.clone()));
            }
            Recorded::Hint => {
                if self.hints_shown < self.scenario.hints.len() {
                    self.hints_shown += 1;
                    self.stats.hints += 1;
                }
                return Vec::new();
            }
            Recorded::Refusal(k) => {
                self.stats.refusals.push(k.clone());
                return Vec::new();
            }
            Recorded::Screen(_) => return Vec::new(),
            Recorded::Ask(k) => {
                self.stats.asked.insert(k.clone());
                return Vec::new();
            }
        }
        self.observe(submitted)
    }

    /// A key pressed now. Ctrl+A and a number ask the customer that
    /// question (the panel shows the answer from then on); every other key
    /// goes to the workstation.
    pub fn key(&mut self, at_ms: u64, key: &KeyEvent) -> Vec<Recorded> {
        use crossterm::event::{KeyCode, KeyModifiers};
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('a') {
            self.asking = !self.asking;
            return Vec::new();
        }
        if std::mem::take(&mut self.asking) {
            let n = self.scenario.customer.answers.len();
            if let Some(d) = crate::tui::keymap::digit(key).filter(|d| *d <= n) {
                let r = Recorded::Ask(self.scenario.customer.answer_key(d - 1));
                let mut out = vec![r.clone()];
                out.extend(self.apply(at_ms, &r));
                return out;
            }
            if key.code == KeyCode::Esc {
                return Vec::new();
            }
        }
        match key_script::encode(key) {
            Some(k) => {
                let r = Recorded::Key(k);
                let mut out = vec![r.clone()];
                out.extend(self.apply(at_ms, &r));
                out
            }
            None => Vec::new(),
        }
    }

    /// What the key led to: a refusal on screen, another screen, and the
    /// expectations met once the sandbox changed.
    fn observe(&mut self, submitted: bool) -> Vec<Recorded> {
        let mut out = Vec::new();
        let shown = self
            .app
            .status()
            .filter(|n| n.tone == Tone::Refusal)
            .map(|n| n.msg.clone())
            .or_else(|| self.app.screen.view().refusal())
            .map(|m| m.key.to_string());
        if let Some(key) = &shown {
            if submitted || self.last_refusal.as_ref() != Some(key) {
                self.stats.refusals.push(key.clone());
                out.push(Recorded::Refusal(key.clone()));
            }
        }
        self.last_refusal = shown;
        let screen = self.app.screen.view().help_title();
        if screen != self.last_screen {
            self.last_screen = screen;
            out.push(Recorded::Screen(screen.to_string()));
        }
        // A blind count counts what is in the drawer: the simulated drawer
        // is shown while the cashier is open, never the expected total.
        self.drawer = if self.app.screen.is::<crate::tui::cashier::Cashier>() {
            self.drawer_now()
        } else {
            Vec::new()
        };
        if self.scenario.faults.contains(&Fault::CounterfeitNote) {
            // The note counter runs when the cashier takes cash.
            self.counterfeit_shown |= self.app.screen.is::<crate::tui::cashier::Cashier>();
        }
        let head = self.app.desk.practice_head();
        if head != self.head {
            self.head = head;
            self.look_at_records();
        }
        out
    }

    /// The cash in the trainee's open drawer as notes and coins.
    fn drawer_now(&self) -> Vec<(crate::domain::money::Fen, i64)> {
        let Some(session) = &self.app.session else {
            return Vec::new();
        };
        let desk = &self.app.desk;
        match desk.read().open_shift(session) {
            Ok(Some(shift)) => desk
                .shift_totals(&shift)
                .map(|t| crate::domain::money::in_notes(crate::domain::money::expected_cash(&t)))
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Which expectations the sandbox meets now; the panel shows the
    /// customer's next words from them.
    fn look_at_records(&mut self) {
        let Ok(facts) = self.app.desk.read().practice_facts() else {
            return;
        };
        let sheet = score(&self.scenario, &facts, &self.stats, self.app.desk.forms());
        self.met = sheet
            .lines
            .iter()
            .filter(|l| l.met())
            .map(|l| l.id.clone())
            .collect();
    }

    /// Whether the customer's question `i` (0-based) was asked.
    pub fn asked(&self, i: usize) -> bool {
        self.stats
            .asked
            .contains(&self.scenario.customer.answer_key(i))
    }

    /// The customer's lines to show now.
    pub fn said(&self) -> Vec<&crate::domain::form::Text> {
        self.scenario
            .customer
            .says
            .iter()
            .filter(|l| l.after.as_ref().is_none_or(|a| self.met.contains(a)))
            .map(|l| &l.text)
            .collect()
    }

    /// The sandbox's milliseconds since the start.
    pub fn elapsed_ms(&self) -> u64 {
        self.last_ms
    }
}

/// Plays a key script on `desk` with `session` signed in (a model answer,
/// or what a relay station starts from), half a second a key; gives the
/// desk back.
pub fn play(desk: Desk, session: Session, script: &str, lang: Lang) -> Desk {
    let mut app = App::new(desk, lang);
    app.signed_in(session, Notice::info(msg!("lab.model")));
    for key in key_script::parse(script) {
        app.desk
            .clock()
            .advance(chrono::Duration::milliseconds(500));
        app.handle_key(&key);
    }
    app.desk
}

/// A material's or alternative document's name in the forms, or its id.
fn document_name(forms: &[crate::domain::form::Form], id: &str) -> crate::domain::form::Text {
    for f in forms {
        for m in &f.materials {
            if m.id == id {
                return m.name.clone();
            }
            if let Some(a) = m.any_of.iter().find(|a| a.id == id) {
                return a.name.clone();
            }
        }
    }
    crate::domain::form::Text {
        zh: id.to_string(),
        en: id.to_string(),
    }
}

/// The sandbox a run of `s` starts from, in `folder`: a copy of what the
/// previous relay station left, the previous station done right (its seed
/// and model answer) for a relay station practised alone, or a fresh seed.
/// Its printer writes into `slips`.
#[allow(clippy::too_many_arguments)]
pub fn prepare(
    lab: &Lab,
    staff_no: &str,
    name: &str,
    s: &Scenario,
    relay_prev: Option<&RunRow>,
    folder: &Path,
    slips: &Path,
    lang: Lang,
) -> Result<(Desk, Session), Msg> {
    if let Some(prev) = relay_prev {
        std::fs::copy(prev.folder.join("sandbox.db"), folder.join("sandbox.db"))
            .map_err(|e| msg!("store.folder", path = folder.display(), detail = e))?;
        let clock = crate::clock::Clock::fixed(Lab::start_instant(s));
        let mut desk = lab
            .sandbox_desk(folder, slips, clock, s)
            .map_err(|e| e.into_msg())?;
        let session = desk
            .practice_session(staff_no, name)
            .map_err(|e| e.into_msg())?;
        return Ok((desk, session));
    }
    if let Some(prev_id) = &s.relay_from {
        let prev = lab
            .catalog
            .scenario(prev_id)
            .cloned()
            .ok_or_else(|| msg!("lab.unknown_scenario", id = prev_id))?;
        let sb = lab
            .sandbox(folder, slips, &prev, staff_no, name)
            .map_err(|e| e.into_msg())?;
        let mut desk = play(sb.desk, sb.session, &prev.model, lang);
        desk.start_practice(&s.faults);
        let session = desk
            .practice_session(staff_no, name)
            .map_err(|e| e.into_msg())?;
        return Ok((desk, session));
    }
    let sb = lab
        .sandbox(folder, slips, s, staff_no, name)
        .map_err(|e| e.into_msg())?;
    Ok((sb.desk, sb.session))
}
