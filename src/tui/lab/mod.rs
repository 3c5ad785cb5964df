//! The practice lab's interface (`counterdesk lab`): lab sign-in, the
//! scenario list, an exercise (the real workstation on a sandbox with the
//! customer's panel beside it), the score sheet, runs and their replay,
//! theory questions and exams, and the trainer's class view.

mod draw;
mod exam_form;
pub mod exams;
pub mod exercise;
mod keys;
pub mod replay;
pub mod theory;
pub mod trainees;
mod widgets;

use std::time::Instant;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;

use crate::domain::lab::ScoreSheet;
use crate::domain::msg::{Lang, Notice};
use crate::lab::Lab;
use crate::msg;
use crate::store::lab::{Person, RunRow};
use crate::tui::field::Field;
use exercise::{Exercise, Recorded};
use replay::Replay;
use theory::Theory;

/// Where the lab is.
pub enum Mode {
    /// Nobody signed in.
    SignIn {
        staff_no: Box<Field>,
        password: Box<Field>,
        /// Which has the cursor.
        focus: usize,
    },
    /// The scenario list.
    Home {
        /// Selected scenario.
        selected: usize,
    },
    /// An exercise under way.
    Exercise(Box<Exercise>, Instant),
    /// A score sheet.
    Sheet {
        run: Box<RunRow>,
        sheet: Box<ScoreSheet>,
    },
    /// Runs (one's own; a trainer's: everyone's, or one trainee's).
    Runs {
        /// The list.
        runs: Vec<RunRow>,
        selected: usize,
        /// Whose history it is, with their points per skill.
        history: Option<Box<trainees::History>>,
    },
    /// A recorded run played back.
    Replay(Box<Replay>),
    /// Theory questions (practice or an exam's).
    Theory(Box<Theory>),
    /// The trainer's view of classes and skills.
    Classes {
        /// (class, skill, got, max).
        rows: Vec<crate::store::lab::SkillTotal>,
        /// (class, scenario, runs, got, max).
        scenarios: Vec<crate::store::lab::ScenarioTotal>,
    },
    /// The trainer's trainees.
    Trainees {
        /// Each with what they did.
        rows: Vec<crate::store::lab_history::TraineeRow>,
        selected: usize,
    },
    /// The trainer's exams and the form that sets one.
    Exams(Box<exams::Exams>),
}

/// The lab program.
pub struct LabApp {
    pub lab: Lab,
    /// Interface language.
    pub lang: Lang,
    /// Who is signed in.
    pub person: Option<Person>,
    /// Where the lab is.
    pub mode: Mode,
    /// The status line.
    pub status: Option<Notice>,
    /// Set to end the program.
    pub quit: bool,
}

fn sign_in_mode() -> Mode {
    let mut staff_no = Field::new("signin.staff_no", 20);
    staff_no.set_focus(true);
    Mode::SignIn {
        staff_no: Box::new(staff_no),
        password: Box::new(Field::new("signin.password", 128).secret()),
        focus: 0,
    }
}

impl LabApp {
    /// The lab on its sign-in screen.
    pub fn new(lab: Lab, lang: Lang) -> LabApp {
        LabApp {
            lab,
            lang,
            person: None,
            mode: sign_in_mode(),
            status: None,
            quit: false,
        }
    }

    /// The running exercise, if any.
    pub fn exercise(&self) -> Option<&Exercise> {
        match &self.mode {
            Mode::Exercise(e, _) => Some(e),
            _ => None,
        }
    }

    /// Handles a terminal event.
    pub fn handle_event(&mut self, ev: Event) {
        match ev {
            Event::Key(k) if crate::tui::is_press(&Event::Key(k)) => self.handle_key(&k),
            Event::Paste(text) => self.paste(&text),
            _ => {}
        }
    }

    fn paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Exercise(e, started) => {
                let at = started.elapsed().as_millis() as u64;
                let r = Recorded::Paste(text.to_string());
                let mut recorded = vec![r.clone()];
                recorded.extend(e.apply(at, &r));
                let run = e.run_id;
                self.record(run, at, &recorded);
            }
            Mode::Theory(t) => t.paste(text),
            Mode::Exams(x) => x.paste(text),
            _ => {}
        }
    }

    /// Records what a run did; a failure to record is logged, never stops the run.
    fn record(&mut self, run: i64, at_ms: u64, what: &[Recorded]) {
        for r in what {
            let n = self.next_event(run);
            if let Err(e) = self
                .lab
                .store
                .record(run, n, at_ms as i64, r.kind(), r.value())
            {
                tracing::error!("practice run {run}: event not recorded: {e}");
            }
        }
    }

    fn next_event(&mut self, run: i64) -> i64 {
        // Events are numbered per run; the count lives in the exercise.
        match &mut self.mode {
            Mode::Exercise(e, _) if e.run_id == run => {
                e.stats.elapsed_ms = e.elapsed_ms();
                let n = e.recorded;
                e.recorded += 1;
                n
            }
            _ => 0,
        }
    }

    /// Routes a key pressed now.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        let at = match &self.mode {
            Mode::Exercise(_, started) => started.elapsed().as_millis() as u64,
            _ => 0,
        };
        self.handle_key_at(key, at);
    }

    /// Routes a key pressed `at_ms` after the exercise started (scripts
    /// and tests give the moment themselves).
    pub fn handle_key_at(&mut self, key: &KeyEvent, at_ms: u64) {
        self.status = None;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.exam_time_up() {
            return;
        }
        if let Mode::Exercise(e, _) = &mut self.mode {
            let at = at_ms;
            let quit = ctrl && matches!(key.code, KeyCode::Char('q') | KeyCode::Char('c'));
            if quit && !e.quitting {
                // A reflex Ctrl+Q must not end (and score) the run: it asks.
                e.quitting = true;
                self.status = Some(Notice::info(msg!("lab.quit_confirm")));
                return;
            }
            e.quitting = quit;
            match key.code {
                KeyCode::Char('t') if ctrl => {
                    let run = e.run_id;
                    let before = e.hints_shown;
                    e.apply(at, &Recorded::Hint);
                    if e.hints_shown > before {
                        self.record(run, at, &[Recorded::Hint]);
                    } else {
                        self.status = Some(Notice::info(msg!("lab.no_more_hints")));
                    }
                }
                KeyCode::Char('e') | KeyCode::Char('q') | KeyCode::Char('c') if ctrl => {
                    self.end_exercise(at)
                }
                _ => {
                    let recorded = e.key(at, key);
                    let run = e.run_id;
                    self.record(run, at, &recorded);
                }
            }
            return;
        }
        if ctrl && matches!(key.code, KeyCode::Char('q') | KeyCode::Char('c')) {
            self.quit = true;
            return;
        }
        keys::handle(self, key);
    }

    /// Ends an exam station whose exam's time is up, scored on what it
    /// recorded; true when it did.
    fn exam_time_up(&mut self) -> bool {
        let (up, at) = match &self.mode {
            Mode::Exercise(e, started) => (
                e.deadline.is_some_and(|d| chrono::Utc::now() > d),
                started.elapsed().as_millis() as u64,
            ),
            _ => (false, 0),
        };
        if up {
            self.end_exercise(at);
            if self.status.is_none() {
                self.status = Some(Notice::info(msg!("lab.exam_time_up")));
            }
        }
        up
    }

    /// Starts the selected scenario (or an exam's station).
    pub fn start(&mut self, scenario_id: &str, exam: Option<i64>) {
        let Some(person) = self.person.clone() else {
            return;
        };
        match keys::begin(self, &person, scenario_id, exam) {
            Ok(ex) => self.mode = Mode::Exercise(Box::new(ex), Instant::now()),
            Err(m) => self.status = Some(Notice::refusal(m)),
        }
    }

    /// Ends the exercise `at_ms` after it started: scores it from the
    /// sandbox and shows the sheet; the run lasted until then, the time the
    /// panel showed.
    pub fn end_exercise(&mut self, at_ms: u64) {
        let mode = std::mem::replace(&mut self.mode, Mode::Home { selected: 0 });
        let Mode::Exercise(e, _) = mode else {
            self.mode = mode;
            return;
        };
        let mut e = *e;
        e.close_at(at_ms);
        let sheet = match self.lab.score(&e.scenario, &e.app.desk, &e.stats) {
            Ok(s) => s,
            Err(m) => {
                self.status = Some(Notice::refusal(m));
                return;
            }
        };
        if let Err(m) = self.lab.finish(e.run_id, &sheet) {
            self.status = Some(Notice::refusal(m));
        }
        let run_id = e.run_id;
        // The sandbox is closed before anything reads it again.
        drop(e);
        match self.lab.store.run(run_id) {
            Ok(Some(run)) => {
                self.mode = Mode::Sheet {
                    run: Box::new(run),
                    sheet: Box::new(sheet),
                }
            }
            _ => self.mode = Mode::Home { selected: 0 },
        }
    }

    /// Draws the lab.
    pub fn draw(&self, f: &mut Frame) {
        let area = f.area();
        draw::render(self, area, f.buffer_mut());
    }
}

impl crate::tui::Program for LabApp {
    fn draw(&self, f: &mut Frame) {
        LabApp::draw(self, f)
    }
    fn handle_event(&mut self, ev: Event) {
        LabApp::handle_event(self, ev)
    }
    fn tick(&mut self) -> bool {
        if self.exam_time_up() {
            return true;
        }
        match &mut self.mode {
            // The exercise clock on the panel moves every second.
            Mode::Exercise(..) => true,
            Mode::Replay(r) => r.tick(&self.lab),
            _ => false,
        }
    }
    fn quit(&self) -> bool {
        self.quit
    }
}

/// A buffer as text, one line per row, wide characters kept whole and
/// trailing blanks cut.
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
