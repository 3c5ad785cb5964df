//! The practice lab's own database, `lab.db`: trainers and trainees, runs
//! and everything they recorded, exams and theory answers. It never holds
//! or opens the production database.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::stamp::ts;
use super::StoreError;
use crate::domain::lab::RunState;

/// A trainer or trainee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub staff_no: String,
    pub name: String,
    /// Trainer (true) or trainee.
    pub trainer: bool,
    pub class: String,
    pub password_hash: String,
    /// Wrong passwords in a row.
    pub failed: u32,
    /// Locked for sign-in until then.
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    pub id: i64,
    /// Who.
    pub person_id: i64,
    /// Their name.
    pub person: String,
    pub staff_no: String,
    /// The run whose sandbox this relay station went on from.
    pub relay_of: Option<i64>,
    pub class: String,
    pub scenario: String,
    /// Exam, when part of one.
    pub exam_id: Option<i64>,
    /// The run folder (sandbox and slips).
    pub folder: PathBuf,
    pub started_at: String,
    /// Where it stands.
    pub state: RunState,
    /// Points scored, once finished.
    pub total: Option<i64>,
    /// Points possible.
    pub max: Option<i64>,
    /// Milliseconds used.
    pub elapsed_ms: Option<i64>,
    /// Keys pressed.
    pub keys: i64,
}

/// One recorded event of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunEvent {
    /// Milliseconds since the start.
    pub at_ms: i64,
    /// `key`, `paste`, `hint`, `refusal` or `screen`.
    pub kind: String,
    /// The key in script notation, the pasted text, the refusal's key...
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamRow {
    pub id: i64,
    pub name: String,
    /// Class sitting it.
    pub class: String,
    /// Time limit.
    pub minutes: i64,
    /// Stations chained as a relay.
    pub relay: bool,
    /// Items in order: (`scenario` or `question`, id).
    pub items: Vec<(String, String)>,
}

/// Points of one class in one skill: (class, skill code, points, possible).
pub type SkillTotal = (String, String, i64, i64);

/// One class's finished runs of one scenario: (class, scenario id, runs,
/// points, possible).
pub type ScenarioTotal = (String, String, i64, i64, i64);

/// The lab database.
pub struct LabStore {
    pub(super) conn: Connection,
    path: PathBuf,
}

impl LabStore {
    /// Opens (creating and migrating) `lab.db`.
    pub fn open(path: &Path) -> Result<LabStore, StoreError> {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Folder {
                path: dir.to_path_buf(),
                detail: e.to_string(),
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // A lost key event costs a replay frame, never money: NORMAL is enough.
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        super::migrate::apply_list(&mut conn, crate::embedded::LAB_MIGRATIONS)
            .map_err(|f| f.error)?;
        Ok(LabStore {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether nobody is on record yet.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM person", [], |r| r.get(0))?;
        Ok(n == 0)
    }

    pub fn add_person(
        &self,
        staff_no: &str,
        name: &str,
        trainer: bool,
        class: &str,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let role = if trainer { "trainer" } else { "trainee" };
        self.conn.execute(
            "INSERT INTO person (staff_no, name, role, class, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![staff_no, name, role, class, hash, ts(now)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records a sign-in's wrong passwords so far and any lock.
    pub fn set_failures(
        &self,
        id: i64,
        failed: u32,
        locked_until: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE person SET failed = ?2, locked_until = ?3 WHERE id = ?1",
            params![id, failed, locked_until.map(ts)],
        )?;
        Ok(())
    }

    /// Sets a new password and lifts any lock.
    pub fn set_password(&self, id: i64, hash: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE person SET password_hash = ?2, failed = 0, locked_until = NULL WHERE id = ?1",
            params![id, hash],
        )?;
        Ok(())
    }

    /// A person by staff number.
    pub fn person(&self, staff_no: &str) -> Result<Option<Person>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, staff_no, name, role, class, password_hash, failed, locked_until FROM person WHERE staff_no = ?1",
                [staff_no],
                person_row,
            )
            .optional()?)
    }

    /// Everyone, trainers first, then by class and staff number.
    pub fn people(&self) -> Result<Vec<Person>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT id, staff_no, name, role, class, password_hash, failed, locked_until FROM person ORDER BY role DESC, class, staff_no",
        )?;
        let rows = st.query_map([], person_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn start_run(
        &self,
        person_id: i64,
        scenario: &str,
        exam_id: Option<i64>,
        relay_of: Option<i64>,
        folder: &Path,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO run (person_id, scenario, exam_id, relay_of, folder, started_at, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'running')",
            params![person_id, scenario, exam_id, relay_of, folder.display().to_string(), ts(now)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records one event of a run.
    pub fn record(
        &self,
        run_id: i64,
        n: i64,
        at_ms: i64,
        kind: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO run_event (run_id, n, at_ms, kind, value) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![run_id, n, at_ms, kind, value])?;
        Ok(())
    }

    /// Ends a run with its score.
    #[allow(clippy::too_many_arguments)]
    pub fn finish_run(
        &mut self,
        run_id: i64,
        total: i64,
        max: i64,
        elapsed_ms: i64,
        keys: i64,
        hints: i64,
        refusals: i64,
        skills: &[(&str, i64, i64)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE run SET state = 'finished', ended_at = ?2, total = ?3, max = ?4, elapsed_ms = ?5, keys = ?6, hints = ?7, refusals = ?8 WHERE id = ?1",
            params![run_id, ts(now), total, max, elapsed_ms, keys, hints, refusals],
        )?;
        tx.execute("DELETE FROM run_skill WHERE run_id = ?1", [run_id])?;
        for (skill, got, max) in skills {
            tx.execute(
                "INSERT INTO run_skill (run_id, skill, got, max) VALUES (?1, ?2, ?3, ?4)",
                params![run_id, skill, got, max],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks runs left `running` by a program that is gone as interrupted;
    /// returns how many. A run whose sandbox another program still holds
    /// open (a second lab on the same lab.db) is left running.
    pub fn mark_interrupted(&self) -> Result<usize, StoreError> {
        let running: Vec<(i64, String)> = self
            .conn
            .prepare("SELECT id, folder FROM run WHERE state = 'running'")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut n = 0;
        for (id, folder) in running {
            if super::held_elsewhere(&Path::new(&folder).join("sandbox.db")) {
                continue;
            }
            n += self.conn.execute(
                "UPDATE run SET state = 'interrupted', keys = (SELECT count(*) FROM run_event e WHERE e.run_id = run.id AND e.kind = 'key') WHERE id = ?1",
                [id],
            )?;
        }
        Ok(n)
    }

    pub fn run(&self, id: i64) -> Result<Option<RunRow>, StoreError> {
        Ok(self
            .conn
            .query_row(&format!("{RUN_SELECT} WHERE r.id = ?1"), [id], run_row)
            .optional()?)
    }

    /// Runs, newest first: one person's, or everyone's.
    pub fn runs(&self, person_id: Option<i64>) -> Result<Vec<RunRow>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "{RUN_SELECT} WHERE ?1 IS NULL OR r.person_id = ?1 ORDER BY r.id DESC"
        ))?;
        let rows = st.query_map([person_id], run_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A run's events in order.
    pub fn events(&self, run_id: i64) -> Result<Vec<RunEvent>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT at_ms, kind, value FROM run_event WHERE run_id = ?1 ORDER BY n")?;
        let rows = st.query_map([run_id], |r| {
            Ok(RunEvent {
                at_ms: r.get(0)?,
                kind: r.get(1)?,
                value: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Points per skill and class over trainees' finished runs and theory
    /// answers (which count as the theory skill, whatever rule they test):
    /// (class, skill, got, max). A trainer's own runs are demonstrations
    /// and count for no class.
    pub fn skill_totals(&self) -> Result<Vec<SkillTotal>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT class, skill, sum(got), sum(max) FROM (
                 SELECT p.class, s.skill, s.got, s.max FROM run_skill s JOIN run r ON r.id = s.run_id JOIN person p ON p.id = r.person_id
                 WHERE p.role = 'trainee'
                 UNION ALL
                 SELECT p.class, 'theory', a.points, a.max FROM answer a JOIN person p ON p.id = a.person_id WHERE p.role = 'trainee')
             GROUP BY class, skill ORDER BY class, skill",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Per class and scenario over finished runs: (class, scenario, runs,
    /// points, possible).
    pub fn scenario_totals(&self) -> Result<Vec<ScenarioTotal>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT p.class, r.scenario, count(*), sum(r.total), sum(r.max) FROM run r JOIN person p ON p.id = r.person_id
             WHERE r.state = 'finished' AND p.role = 'trainee' GROUP BY p.class, r.scenario ORDER BY p.class, r.scenario",
        )?;
        let rows = st.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Creates an exam.
    #[allow(clippy::too_many_arguments)]
    pub fn add_exam(
        &mut self,
        name: &str,
        class: &str,
        minutes: i64,
        relay: bool,
        items: &[(String, String)],
        by: i64,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO exam (name, class, minutes, relay, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![name, class, minutes, relay, by, ts(now)],
        )?;
        let id = tx.last_insert_rowid();
        for (i, (kind, r)) in items.iter().enumerate() {
            tx.execute(
                "INSERT INTO exam_item (exam_id, seq, kind, ref) VALUES (?1, ?2, ?3, ?4)",
                params![id, i as i64 + 1, kind, r],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Exams, newest first; only a class's when given.
    pub fn exams(&self, class: Option<&str>) -> Result<Vec<ExamRow>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT id, name, class, minutes, relay FROM exam WHERE ?1 IS NULL OR class = ?1 ORDER BY id DESC",
        )?;
        let heads: Vec<(i64, String, String, i64, bool)> = st
            .query_map([class], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for (id, name, class, minutes, relay) in heads {
            let items = self
                .conn
                .prepare_cached("SELECT kind, ref FROM exam_item WHERE exam_id = ?1 ORDER BY seq")?
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            out.push(ExamRow {
                id,
                name,
                class,
                minutes,
                relay,
                items,
            });
        }
        Ok(out)
    }

    /// Records a marked theory answer.
    #[allow(clippy::too_many_arguments)]
    pub fn answer(
        &self,
        person_id: i64,
        exam_id: Option<i64>,
        question: &str,
        skill: &str,
        typed: &str,
        right: bool,
        points: i64,
        max: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO answer (person_id, exam_id, question, skill, typed, right, points, max, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![person_id, exam_id, question, skill, typed, right, points, max, ts(now)],
        )?;
        Ok(())
    }

    /// An exam's ranking: per person, points from runs and answers in it,
    /// best first: (name, class, got, max).
    pub fn ranking(&self, exam_id: i64) -> Result<Vec<(String, String, i64, i64)>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT p.name, p.class, sum(got), sum(max) FROM (
                 SELECT person_id, coalesce(total, 0) AS got, coalesce(max, 0) AS max FROM run WHERE exam_id = ?1
                 UNION ALL
                 -- Each question counts once: its first answer.
                 SELECT person_id, points, max FROM answer a WHERE exam_id = ?1
                   AND id = (SELECT min(id) FROM answer b
                             WHERE b.exam_id = a.exam_id AND b.person_id = a.person_id AND b.question = a.question)) x
             JOIN person p ON p.id = x.person_id
             GROUP BY p.id ORDER BY sum(got) DESC, p.staff_no",
        )?;
        let rows = st.query_map([exam_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When a person started an exam (their first station or answer in it).
    pub fn exam_started(
        &self,
        exam_id: i64,
        person_id: i64,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let first: Option<String> = self.conn.query_row(
            "SELECT min(t) FROM (SELECT started_at AS t FROM run WHERE exam_id = ?1 AND person_id = ?2
                                  UNION ALL SELECT at FROM answer WHERE exam_id = ?1 AND person_id = ?2)",
            params![exam_id, person_id],
            |r| r.get(0),
        )?;
        Ok(first
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// The last finished run of a relay exam, for the next station.
    pub fn last_exam_run(&self, exam_id: i64) -> Result<Option<RunRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("{RUN_SELECT} WHERE r.exam_id = ?1 AND r.state = 'finished' ORDER BY r.id DESC LIMIT 1"),
                [exam_id],
                run_row,
            )
            .optional()?)
    }
}

const RUN_SELECT: &str = "SELECT r.id, r.person_id, p.name, p.class, r.scenario, r.exam_id, r.folder, r.started_at, r.state,
        r.total, r.max, r.elapsed_ms, r.keys, p.staff_no, r.relay_of FROM run r JOIN person p ON p.id = r.person_id";

fn run_row(r: &rusqlite::Row) -> rusqlite::Result<RunRow> {
    let folder: String = r.get(6)?;
    Ok(RunRow {
        id: r.get(0)?,
        person_id: r.get(1)?,
        person: r.get(2)?,
        class: r.get(3)?,
        scenario: r.get(4)?,
        exam_id: r.get(5)?,
        folder: PathBuf::from(folder),
        started_at: r.get(7)?,
        state: r.get(8)?,
        total: r.get(9)?,
        max: r.get(10)?,
        elapsed_ms: r.get(11)?,
        keys: r.get(12)?,
        staff_no: r.get(13)?,
        relay_of: r.get(14)?,
    })
}

fn person_row(r: &rusqlite::Row) -> rusqlite::Result<Person> {
    let role: String = r.get(3)?;
    Ok(Person {
        id: r.get(0)?,
        staff_no: r.get(1)?,
        name: r.get(2)?,
        trainer: role == "trainer",
        class: r.get(4)?,
        password_hash: r.get(5)?,
        failed: r.get(6)?,
        locked_until: super::stamp::at_opt(r, 7)?,
    })
}
