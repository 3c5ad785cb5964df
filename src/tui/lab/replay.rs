//! A recorded run played back: the same sandbox rebuilt and the recorded
//! keys applied at their recorded moments, so each frame is the screen the
//! trainee saw. Step by step, or at speed; the score sheet beside it.

use crossterm::event::{KeyCode, KeyEvent};

use super::exercise::{prepare, Exercise, Recorded};
use crate::domain::lab::ScoreSheet;
use crate::domain::msg::{Lang, Msg};
use crate::lab::Lab;
use crate::msg;
use crate::store::lab::{RunEvent, RunRow};

/// A run being replayed.
pub struct Replay {
    pub run: RunRow,
    /// Its score sheet.
    pub sheet: ScoreSheet,
    /// What it recorded.
    events: Vec<RunEvent>,
    /// Index into `events` of each frame's key (frame 0: before any key).
    frames: Vec<usize>,
    pub frame: usize,
    /// The workstation as it was at that frame.
    pub exercise: Exercise,
    lang: Lang,
    /// Playing at speed: since when, from which moment of the run.
    playing: Option<(std::time::Instant, u64)>,
}

/// How much faster than the trainee a replay at speed plays.
pub const SPEED: u64 = 8;

impl Replay {
    /// Opens a run at its last frame.
    pub fn open(lab: &Lab, run: &RunRow, lang: Lang) -> Result<Replay, Msg> {
        let events = lab.store.events(run.id).map_err(|e| e.msg())?;
        let frames: Vec<usize> = events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == "key" || e.kind == "paste")
            .map(|(i, _)| i)
            .collect();
        let sheet = lab.sheet_of(run)?;
        let last = frames.len();
        let exercise = rebuild(lab, run, &events, &frames, last, lang)?;
        Ok(Replay {
            run: run.clone(),
            sheet,
            events,
            frames,
            frame: last,
            exercise,
            lang,
            playing: None,
        })
    }

    /// Frames in the run (keys pressed), plus the one before the first key.
    pub fn frame_count(&self) -> usize {
        self.frames.len() + 1
    }

    /// Moves to frame `n`.
    pub fn go_to(&mut self, lab: &Lab, n: usize) -> Result<(), Msg> {
        let n = n.min(self.frames.len());
        if n > self.frame {
            apply_range(
                &mut self.exercise,
                &self.events,
                &self.frames,
                self.frame,
                n,
            );
        } else if n < self.frame {
            self.exercise = rebuild(lab, &self.run, &self.events, &self.frames, n, self.lang)?;
        }
        self.frame = n;
        Ok(())
    }

    /// Whether it is playing at speed.
    pub fn playing(&self) -> bool {
        self.playing.is_some()
    }

    /// The moment of the run a frame shows.
    fn moment(&self, frame: usize) -> u64 {
        match frame {
            0 => 0,
            n => self.events[self.frames[n - 1]].at_ms.max(0) as u64,
        }
    }

    /// Playing at speed: moves on to the frames whose moment has come;
    /// true when the screen changed.
    pub fn tick(&mut self, lab: &Lab) -> bool {
        let Some((since, from)) = self.playing else {
            return false;
        };
        let now = from + since.elapsed().as_millis() as u64 * SPEED;
        let mut to = self.frame;
        while to < self.frames.len() && self.moment(to + 1) <= now {
            to += 1;
        }
        if to >= self.frames.len() {
            self.playing = None;
        }
        if to == self.frame {
            return false;
        }
        if let Err(m) = self.go_to(lab, to) {
            tracing::warn!("replay: {m:?}");
            self.playing = None;
        }
        true
    }

    /// The replay's keys: → or Space a step on, ← a step back, Home the
    /// start, End the end, PageDown/PageUp ten steps, A plays at speed
    /// (from the start when at the end) or stops.
    pub fn key(&mut self, key: &KeyEvent, lab: &Lab) -> Result<(), Msg> {
        let f = self.frame;
        if matches!(key.code, KeyCode::Char('a') | KeyCode::Char('A')) {
            if self.playing.take().is_none() {
                if self.frame >= self.frames.len() {
                    self.go_to(lab, 0)?;
                }
                self.playing = Some((std::time::Instant::now(), self.moment(self.frame)));
            }
            return Ok(());
        }
        self.playing = None;
        let to = match key.code {
            KeyCode::Right | KeyCode::Char(' ') => f + 1,
            KeyCode::Left => f.saturating_sub(1),
            KeyCode::PageDown => f + 10,
            KeyCode::PageUp => f.saturating_sub(10),
            KeyCode::Home => 0,
            KeyCode::End => self.frames.len(),
            _ => return Ok(()),
        };
        self.go_to(lab, to)
    }
}

/// The folder a replay rebuilds its sandbox in (never the run's own).
fn replay_folder(run: &RunRow) -> std::path::PathBuf {
    run.folder.join("replay")
}

/// A fresh sandbox for the run with its first `upto` keys applied.
fn rebuild(
    lab: &Lab,
    run: &RunRow,
    events: &[RunEvent],
    frames: &[usize],
    upto: usize,
    lang: Lang,
) -> Result<Exercise, Msg> {
    let s = lab.scenario_of(run)?;
    let folder = replay_folder(run);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder)
        .map_err(|e| msg!("store.folder", path = folder.display(), detail = e))?;
    let prev = match run.relay_of {
        Some(id) => lab.store.run(id).map_err(|e| e.msg())?,
        None => None,
    };
    // The replay prints where the run printed, so its screens name the same files.
    let slips = run.folder.join("slips");
    let (desk, session) = prepare(
        lab,
        &run.staff_no,
        &run.person,
        &s,
        prev.as_ref(),
        &folder,
        &slips,
        lang,
    )?;
    let mut ex = Exercise::new(run.id, s, desk, session, lang);
    apply_range(&mut ex, events, frames, 0, upto);
    Ok(ex)
}

/// Applies the events from frame `from` up to frame `to`: each key with
/// the hints asked for before it.
fn apply_range(ex: &mut Exercise, events: &[RunEvent], frames: &[usize], from: usize, to: usize) {
    let start = if from == 0 { 0 } else { frames[from - 1] + 1 };
    let end = if to == 0 { 0 } else { frames[to - 1] + 1 };
    for e in &events[start.min(end)..end] {
        if e.kind == "refusal" || e.kind == "screen" {
            continue;
        }
        if let Some(r) = Recorded::from_stored(&e.kind, &e.value) {
            ex.apply(e.at_ms.max(0) as u64, &r);
        }
    }
}

/// Renders frame `n` of a run as text (for `lab replay --to-frame`).
pub fn frame_text(
    lab: &Lab,
    run: &RunRow,
    n: usize,
    lang: Lang,
    width: u16,
    height: u16,
) -> Result<String, Msg> {
    let mut r = Replay::open(lab, run, lang)?;
    r.go_to(lab, n)?;
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    r.exercise.app.render(area, &mut buf);
    Ok(crate::tui::lab::buffer_text(&buf))
}
