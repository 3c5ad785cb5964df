//! The practice lab: the same workstation on sandboxes. Each run gets a
//! folder of its own with a fresh SQLite file seeded from its scenario and
//! a slips folder for its printer; trainers, trainees, runs and results
//! live in `lab.db`. The production database is never opened here.

pub mod catalog;
pub mod exams;
pub mod report;
pub mod sheet_pdf;

use std::path::{Path, PathBuf};

use chrono::{Local, TimeZone, Utc};

use crate::clock::Clock;
use crate::config::Config;
use crate::desk::{password, Desk, DeskError, Session};
use crate::domain::calendar::Calendar;
use crate::domain::form::Form;
use crate::domain::lab::{score, RunStats, Scenario, ScoreSheet};
use crate::domain::msg::Msg;
use crate::msg;
use crate::store::lab::{LabStore, Person, RunRow};
use crate::store::Store;
pub use catalog::Catalog;

/// The demo lab people seeded into an empty lab.db: staff number, name,
/// trainer, class, password.
pub const DEMO_PEOPLE: &[(&str, &str, bool, &str, &str)] = &[
    ("T001", "王芳", true, "", "trainer001"),
    ("S101", "刘洋", false, "2026春季班", "trainee101"),
    ("S102", "孙丽", false, "2026春季班", "trainee102"),
];

/// A stored instant as the hall reads it: "2026-11-30 13:07".
pub fn local_time(stored: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stored)
        .map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| stored.to_string())
}

/// The lab: its database, the forms and calendar, the scenarios.
pub struct Lab {
    /// lab.db.
    pub store: LabStore,
    config: Config,
    forms: Vec<Form>,
    calendar: Calendar,
    /// Scenarios and questions.
    pub catalog: Catalog,
    dir: PathBuf,
    font: Option<crate::slips::font::FontLoader>,
}

/// A fresh sandbox for one run.
pub struct Sandbox {
    /// The desk on the sandbox file.
    pub desk: Desk,
    /// The trainee's clerk in it.
    pub session: Session,
    /// Its clock: fixed at the scenario's start, moved on by the run.
    pub clock: Clock,
}

impl Lab {
    /// Opens the lab in `dir` with forms, calendar and scenarios loaded.
    pub fn open(
        config: &Config,
        dir: &Path,
        forms: Vec<Form>,
        calendar: Calendar,
        catalog: Catalog,
    ) -> Result<Lab, Msg> {
        let store = LabStore::open(&dir.join("lab.db")).map_err(|e| e.msg())?;
        let interrupted = store.mark_interrupted().map_err(|e| e.msg())?;
        if interrupted > 0 {
            tracing::warn!(
                interrupted,
                "practice runs left running are marked interrupted"
            );
        }
        let lab = Lab {
            store,
            config: config.clone(),
            forms,
            calendar,
            catalog,
            dir: dir.to_path_buf(),
            font: None,
        };
        if config.seed_demo_clerks && lab.store.is_empty().map_err(|e| e.msg())? {
            for (staff, name, trainer, class, pw) in DEMO_PEOPLE {
                let hash = password::hash(pw)?;
                lab.store
                    .add_person(staff, name, *trainer, class, &hash, Utc::now())
                    .map_err(|e| e.msg())?;
            }
        }
        Ok(lab)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn forms(&self) -> &[Form] {
        &self.forms
    }

    /// The lab's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Starts parsing the slip font for the sandboxes' slips.
    pub fn load_font_in_background(&mut self) {
        if self.font.is_none() {
            self.font = Some(crate::slips::source::start_loading(&self.config));
        }
    }

    /// Checks a lab sign-in; wrong passwords in a row lock it for a while,
    /// by the workstation's own rule (`security` in the configuration).
    pub fn sign_in(&self, staff_no: &str, pw: &str) -> Result<Person, Msg> {
        let Some(p) = self.store.person(staff_no.trim()).map_err(|e| e.msg())? else {
            return Err(msg!("lab.wrong_sign_in"));
        };
        let now = Utc::now();
        let locked = |until: chrono::DateTime<Utc>| {
            msg!(
                "lab.locked",
                until = until.with_timezone(&Local).format("%H:%M")
            )
        };
        if let Some(until) = p.locked_until.filter(|u| *u > now) {
            return Err(locked(until));
        }
        if !password::verify(pw, &p.password_hash) {
            let policy = crate::domain::clerk::LockoutPolicy {
                max_failures: self.config.security.max_failed_sign_ins,
                lock_minutes: self.config.security.lockout_minutes,
            };
            let after = policy.after_failure(p.failed, now);
            self.store
                .set_failures(p.id, after.failures, after.locked_until)
                .map_err(|e| e.msg())?;
            return Err(after
                .locked_until
                .map(locked)
                .unwrap_or_else(|| msg!("lab.wrong_sign_in")));
        }
        if p.failed > 0 || p.locked_until.is_some() {
            self.store
                .set_failures(p.id, 0, None)
                .map_err(|e| e.msg())?;
        }
        Ok(p)
    }

    /// A trainer sets someone's new lab password (their own included),
    /// which also lifts a lock.
    pub fn reset_password(&self, by: &Person, staff_no: &str, pw: &str) -> Result<(), Msg> {
        if !by.trainer {
            return Err(msg!("lab.trainers_only"));
        }
        let Some(p) = self.store.person(staff_no.trim()).map_err(|e| e.msg())? else {
            return Err(msg!("lab.unknown_person", staff_no = staff_no.trim()));
        };
        let hash = password::hash(pw)?;
        self.store.set_password(p.id, &hash).map_err(|e| e.msg())
    }

    /// Adds a trainer or trainee (a trainer's act).
    pub fn add_person(
        &self,
        by: &Person,
        staff_no: &str,
        name: &str,
        trainer: bool,
        class: &str,
        pw: &str,
    ) -> Result<(), Msg> {
        if !by.trainer {
            return Err(msg!("lab.trainers_only"));
        }
        let s = staff_no.trim();
        if s.is_empty() || s.len() > 20 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(msg!("clerk.bad_staff_no"));
        }
        if s == crate::desk::practice::MANAGER.0 {
            return Err(msg!("lab.staff_no_reserved", staff_no = s));
        }
        if self.store.person(s).map_err(|e| e.msg())?.is_some() {
            return Err(msg!("lab.staff_no_taken", staff_no = s));
        }
        let hash = password::hash(pw)?;
        self.store
            .add_person(s, name.trim(), trainer, class.trim(), &hash, Utc::now())
            .map_err(|e| e.msg())?;
        Ok(())
    }

    /// The sandbox clock's start for a scenario (hall time → UTC).
    pub fn start_instant(s: &Scenario) -> chrono::DateTime<Utc> {
        Local
            .from_local_datetime(&s.start)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| s.start.and_utc())
    }

    /// A desk on a sandbox file in `folder`, never anything else: no demo
    /// clerks, no HQ address, the printer a folder of the run.
    pub fn sandbox_desk(
        &self,
        folder: &Path,
        slips: &Path,
        clock: Clock,
        s: &Scenario,
    ) -> Result<Desk, DeskError> {
        let mut config = self.config.clone();
        config.database = folder.join("sandbox.db");
        config.seed_demo_clerks = false;
        config.hq = crate::config::HqLink::default();
        config.slips.spool_dir = slips.to_path_buf();
        config.slips.printer = String::new();
        // Scenarios name LAB- tickets and receipts, which carry the window:
        // every sandbox is window 1, whatever the hall's own window is.
        config.hall.window = "1".into();
        config.log_file = folder.join("sandbox.log");
        let store = Store::open(&config.database, clock)?;
        store.sync_less()?;
        let mut desk = Desk::reading(store, config, self.forms.clone(), self.calendar.clone())?;
        desk.start_practice(&s.faults);
        if let Some(f) = &self.font {
            desk.share_font(f);
        }
        Ok(desk)
    }

    /// A fresh sandbox seeded from `s` for `person`, in `folder`.
    pub fn sandbox(
        &self,
        folder: &Path,
        slips: &Path,
        s: &Scenario,
        staff_no: &str,
        name: &str,
    ) -> Result<Sandbox, DeskError> {
        let clock = Clock::fixed(Lab::start_instant(s));
        let mut desk = self.sandbox_desk(folder, slips, clock.clone(), s)?;
        let session = desk.seed_practice(s, staff_no, name)?;
        Ok(Sandbox {
            desk,
            session,
            clock,
        })
    }

    /// A new run's folder and row.
    pub fn new_run(
        &self,
        person: &Person,
        s: &Scenario,
        exam: Option<i64>,
        relay_of: Option<i64>,
    ) -> Result<(i64, PathBuf), Msg> {
        let stamp = Utc::now().format("%Y%m%d-%H%M%S%3f");
        let folder = self
            .dir
            .join("runs")
            .join(format!("{stamp}-{}-{}", person.staff_no, s.id));
        std::fs::create_dir_all(&folder)
            .map_err(|e| msg!("store.folder", path = folder.display(), detail = e))?;
        // The scenario as it is now stays with the run.
        if let Some(text) = self.catalog.sources.get(&s.id) {
            let copy = folder.join(format!("{}.toml", s.id));
            std::fs::write(&copy, text)
                .map_err(|e| msg!("store.folder", path = copy.display(), detail = e))?;
        }
        let id = self
            .store
            .start_run(person.id, &s.id, exam, relay_of, &folder, Utc::now())
            .map_err(|e| e.msg())?;
        Ok((id, folder))
    }

    /// The scenario a run was set: the copy kept with it, or (for a run
    /// from before copies were kept) the catalogue's.
    pub fn scenario_of(&self, run: &RunRow) -> Result<Scenario, Msg> {
        let copy = run.folder.join(format!("{}.toml", run.scenario));
        if copy.exists() {
            return catalog::load_one(&copy, &self.forms).map_err(|p| {
                p.into_iter()
                    .next()
                    .map(|p| p.msg)
                    .unwrap_or_else(|| msg!("lab.unknown_scenario", id = run.scenario))
            });
        }
        self.catalog
            .scenario(&run.scenario)
            .cloned()
            .ok_or_else(|| msg!("lab.unknown_scenario", id = run.scenario))
    }

    /// Scores a run from its sandbox and what it recorded.
    pub fn score(&self, s: &Scenario, desk: &Desk, stats: &RunStats) -> Result<ScoreSheet, Msg> {
        let facts = desk.read().practice_facts().map_err(|e| e.into_msg())?;
        Ok(score(s, &facts, stats, &self.forms))
    }

    /// Refuses work in an exam whose time limit has passed for `person`.
    pub fn exam_open(&self, exam: &crate::store::lab::ExamRow, person: &Person) -> Result<(), Msg> {
        let started = self
            .store
            .exam_started(exam.id, person.id)
            .map_err(|e| e.msg())?;
        match started {
            Some(t) if Utc::now() > t + chrono::Duration::minutes(exam.minutes) => Err(msg!(
                "lab.exam_over",
                name = exam.name,
                minutes = exam.minutes
            )),
            _ => Ok(()),
        }
    }

    /// Records a finished run's score.
    pub fn finish(&mut self, run_id: i64, sheet: &ScoreSheet) -> Result<(), Msg> {
        let skills: Vec<(&str, i64, i64)> = sheet
            .by_skill()
            .into_iter()
            .map(|(k, (g, m))| (k.code(), g, m))
            .collect();
        self.store
            .finish_run(
                run_id,
                sheet.total,
                sheet.max,
                sheet.elapsed_ms as i64,
                i64::from(sheet.keys),
                i64::from(sheet.hints),
                sheet.refusals as i64,
                &skills,
                Utc::now(),
            )
            .map_err(|e| e.msg())
    }

    /// What a run recorded beside its sandbox.
    pub fn stats_of(&self, run: &RunRow) -> Result<RunStats, Msg> {
        let events = self.store.events(run.id).map_err(|e| e.msg())?;
        let mut stats = RunStats::default();
        for e in &events {
            match e.kind.as_str() {
                "key" | "paste" => stats.keys += 1,
                "hint" => stats.hints += 1,
                "ask" => {
                    stats.asked.insert(e.value.clone());
                }
                "refusal" => stats.refusals.push(e.value.clone()),
                _ => {}
            }
            stats.elapsed_ms = e.at_ms.max(0) as u64;
        }
        if let Some(ms) = run.elapsed_ms {
            stats.elapsed_ms = ms.max(0) as u64;
        }
        Ok(stats)
    }

    /// A recorded run's score sheet, computed again from its sandbox (the
    /// same facts give the same sheet; an interrupted run is scored on
    /// what it left).
    pub fn sheet_of(&self, run: &RunRow) -> Result<ScoreSheet, Msg> {
        let s = &self.scenario_of(run)?;
        let db = run.folder.join("sandbox.db");
        if !db.exists() {
            return Err(msg!("lab.sandbox_gone", path = db.display()));
        }
        let store = Store::open_unlocked(&db, Clock::system()).map_err(|e| e.msg())?;
        let facts = crate::store::lab_facts::read(store.conn()).map_err(|e| e.msg())?;
        let stats = self.stats_of(run)?;
        Ok(score(s, &facts, &stats, &self.forms))
    }
}
