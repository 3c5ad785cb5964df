//! What the lab knows of each trainee over time: their runs and answers
//! summed, their points per skill, and the classes on record.

use rusqlite::params;

use super::lab::LabStore;
use super::StoreError;

/// One trainee's record in the lab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraineeRow {
    pub id: i64,
    pub staff_no: String,
    pub name: String,
    pub class: String,
    /// Runs finished.
    pub finished: i64,
    /// Runs killed before they were ended.
    pub interrupted: i64,
    /// Points scored over finished runs and theory answers.
    pub got: i64,
    /// Points possible over the same.
    pub max: i64,
    /// Theory answers given, and how many were right.
    pub answers: (i64, i64),
    /// Exams sat (a station run or an answer in them).
    pub exams: i64,
    /// When they last started a run or answered, as stored.
    pub last: Option<String>,
}

/// Points of one person in one skill: (skill code, points, possible).
pub type PersonSkill = (String, i64, i64);

impl LabStore {
    /// Every trainee with what they did, by class and staff number.
    pub fn trainees(&self) -> Result<Vec<TraineeRow>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT p.id, p.staff_no, p.name, p.class,
                (SELECT count(*) FROM run r WHERE r.person_id = p.id AND r.state = 'finished'),
                (SELECT count(*) FROM run r WHERE r.person_id = p.id AND r.state = 'interrupted'),
                (SELECT coalesce(sum(r.total), 0) FROM run r WHERE r.person_id = p.id AND r.state = 'finished')
                  + (SELECT coalesce(sum(a.points), 0) FROM answer a WHERE a.person_id = p.id),
                (SELECT coalesce(sum(r.max), 0) FROM run r WHERE r.person_id = p.id AND r.state = 'finished')
                  + (SELECT coalesce(sum(a.max), 0) FROM answer a WHERE a.person_id = p.id),
                (SELECT count(*) FROM answer a WHERE a.person_id = p.id),
                (SELECT count(*) FROM answer a WHERE a.person_id = p.id AND a.right != 0),
                (SELECT count(DISTINCT e) FROM (
                    SELECT exam_id AS e FROM run WHERE person_id = p.id AND exam_id IS NOT NULL
                    UNION SELECT exam_id FROM answer WHERE person_id = p.id AND exam_id IS NOT NULL)),
                (SELECT max(t) FROM (
                    SELECT started_at AS t FROM run WHERE person_id = p.id
                    UNION ALL SELECT at FROM answer WHERE person_id = p.id))
             FROM person p WHERE p.role = 'trainee' ORDER BY p.class, p.staff_no",
        )?;
        let rows = st.query_map([], |r| {
            Ok(TraineeRow {
                id: r.get(0)?,
                staff_no: r.get(1)?,
                name: r.get(2)?,
                class: r.get(3)?,
                finished: r.get(4)?,
                interrupted: r.get(5)?,
                got: r.get(6)?,
                max: r.get(7)?,
                answers: (r.get(8)?, r.get(9)?),
                exams: r.get(10)?,
                last: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One person's points per skill over finished runs and theory answers
    /// (the theory skill).
    pub fn person_skills(&self, person_id: i64) -> Result<Vec<PersonSkill>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT skill, sum(got), sum(max) FROM (
                 SELECT s.skill, s.got, s.max FROM run_skill s JOIN run r ON r.id = s.run_id
                 WHERE r.person_id = ?1
                 UNION ALL
                 SELECT 'theory', points, max FROM answer WHERE person_id = ?1)
             GROUP BY skill ORDER BY skill",
        )?;
        let rows = st.query_map(params![person_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The questions a person has answered in an exam (each is marked once:
    /// an exam's question is never handed out again).
    pub fn answered(&self, exam_id: i64, person_id: i64) -> Result<Vec<String>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT DISTINCT question FROM answer WHERE exam_id = ?1 AND person_id = ?2",
        )?;
        let rows = st.query_map(params![exam_id, person_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The classes trainees are in, by name.
    pub fn classes(&self) -> Result<Vec<String>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT DISTINCT class FROM person WHERE role = 'trainee' AND class != '' ORDER BY class",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
