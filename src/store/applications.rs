//! Applications: acceptance rows, their steps, materials, disclosures and
//! hand-overs; ticket numbers; the form snapshots they were told under.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::{at, at_opt, day, day_opt, ts};
use super::StoreError;
use crate::domain::form::{MaterialForm, StepStart};
use crate::domain::states::{ApplicationStatus, MaterialStatus, StepStatus};

// Statements run once per row in bulk loads: keep them prepared.
fn exec(tx: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    tx.prepare_cached(sql)?.execute(params)
}

/// Stores the form as told (deduplicated by content); returns its id.
pub fn snapshot(
    tx: &Transaction,
    code: &str,
    version: &str,
    body: &str,
) -> Result<i64, StoreError> {
    let hash = crate::domain::hex::sha256_hex(body.as_bytes());
    if let Some(id) = tx
        .query_row(
            "SELECT id FROM form_snapshot WHERE sha256 = ?1",
            [&hash],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    exec(
        tx,
        "INSERT INTO form_snapshot (code, version, sha256, body) VALUES (?1, ?2, ?3, ?4)",
        params![code, version, hash, body],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Takes the next ticket sequence for a day and window, in the caller's transaction.
pub fn next_ticket_seq(tx: &Transaction, on: NaiveDate, window: &str) -> Result<i64, StoreError> {
    exec(
        tx,
        "INSERT INTO ticket_counter (day, window, last) VALUES (?1, ?2, 1)
         ON CONFLICT(day, window) DO UPDATE SET last = last + 1",
        params![day(on), window],
    )?;
    Ok(tx.query_row(
        "SELECT last FROM ticket_counter WHERE day = ?1 AND window = ?2",
        params![day(on), window],
        |r| r.get(0),
    )?)
}

/// The application row to insert.
pub struct NewApplication<'a> {
    pub ticket_no: &'a str,
    pub customer_id: i64,
    /// Form code and version.
    pub form_code: &'a str,
    /// Version string.
    pub form_version: &'a str,
    pub snapshot_id: i64,
    /// Accepting clerk, also the first owner.
    pub clerk_id: i64,
    pub fields_json: &'a str,
    /// Whether the commitment letter was signed.
    pub commitment_signed: bool,
    /// Reason given to accept despite an open application of the same type.
    pub duplicate_reason: Option<&'a str>,
    pub window: &'a str,
}

/// Inserts an application; returns its id.
pub fn insert(tx: &Transaction, a: &NewApplication, now: DateTime<Utc>) -> Result<i64, StoreError> {
    exec(
        tx,
        "INSERT INTO application (ticket_no, customer_id, form_code, form_version, status, accepted_by, owner,
                                  accepted_at, form_snapshot_id, fields, commitment_signed, duplicate_reason, window)
         VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            a.ticket_no,
            a.customer_id,
            a.form_code,
            a.form_version,
            a.clerk_id,
            ts(now),
            a.snapshot_id,
            a.fields_json,
            a.commitment_signed as i64,
            a.duplicate_reason,
            a.window
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    /// Position.
    pub seq: i64,
    pub step_id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Limit in working days.
    pub limit_wd: i64,
    /// Due date if known.
    pub due_date: Option<NaiveDate>,
    /// Whether the due date is an estimate past the calendar.
    pub due_estimated: bool,
    /// Where the step stands.
    pub status: StepStatus,
}

pub fn insert_step(
    tx: &Transaction,
    app: i64,
    s: &StepRow,
    starts_from: StepStart,
) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO application_step (application_id, seq, step_id, name_zh, name_en, limit_wd, starts_from,
                                       due_date, due_estimated, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            app,
            s.seq,
            s.step_id,
            s.name_zh,
            s.name_en,
            s.limit_wd,
            starts_from,
            s.due_date.map(day),
            s.due_estimated as i64,
            s.status
        ],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialRow {
    /// Position in the form.
    pub seq: i64,
    pub material_id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Original, copy, or both.
    pub form: MaterialForm,
    /// Received or owed.
    pub status: MaterialStatus,
    /// Deadline for owed material.
    pub due_date: Option<NaiveDate>,
    /// Estimated deadline.
    pub due_estimated: bool,
    pub received_at: Option<DateTime<Utc>>,
    /// The scan attached to it on the customer's file, if any.
    pub scan: Option<crate::domain::scan::ScanRef>,
}

pub fn insert_material(
    tx: &Transaction,
    app: i64,
    m: &MaterialRow,
    received_by: Option<i64>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO application_material (application_id, seq, material_id, name_zh, name_en, form, status, due_date,
                                           due_estimated, received_at, received_by)
         VALUES (?1, ?11, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            app,
            m.material_id,
            m.name_zh,
            m.name_en,
            m.form,
            m.status,
            m.due_date.map(day),
            m.due_estimated as i64,
            m.received_at.map(ts),
            received_by,
            m.seq
        ],
    )?;
    Ok(())
}

/// Records one disclosed item.
#[allow(clippy::too_many_arguments)]
pub fn insert_disclosure(
    tx: &Transaction,
    app: i64,
    seq: i64,
    kind: &str,
    item: &str,
    zh: &str,
    en: &str,
    by: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO disclosure (application_id, item_kind, item_id, text_zh, text_en, disclosed_by, disclosed_at, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![app, kind, item, zh, en, by, ts(at), seq],
    )?;
    Ok(())
}

/// An application with everything the counter shows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    pub id: i64,
    pub ticket_no: String,
    pub customer_id: i64,
    pub form_code: String,
    /// Form version told.
    pub form_version: String,
    pub status: ApplicationStatus,
    /// When it was accepted.
    pub accepted_at: DateTime<Utc>,
    /// Owner's staff number and name.
    pub owner: (i64, String, String),
    /// Accepting clerk's staff number and name.
    pub accepted_by: (String, String),
    pub fields_json: String,
    /// Commitment letter signed.
    pub commitment_signed: bool,
    pub duplicate_reason: Option<String>,
    pub steps: Vec<StepRow>,
    pub materials: Vec<MaterialRow>,
    /// When the disclosure was made (the last tick), if recorded.
    pub disclosed_at: Option<DateTime<Utc>>,
    /// How many items were disclosed.
    pub disclosed_items: i64,
    /// Paused since, while the case's clock stands.
    pub paused_at: Option<DateTime<Utc>>,
    /// The customer manager guiding the case.
    pub manager: Option<crate::domain::grid::Manager>,
}

const APP_COLUMNS: &str = "a.id, a.ticket_no, a.customer_id, a.form_code, a.form_version, a.status, a.accepted_at,
    o.id, o.staff_no, o.name, b.staff_no, b.name, a.fields, a.commitment_signed, a.duplicate_reason, a.paused_at";

fn load(
    conn: &Connection,
    where_sql: &str,
    arg: &dyn rusqlite::ToSql,
) -> Result<Vec<ApplicationRow>, StoreError> {
    let sql = format!(
        "SELECT {APP_COLUMNS} FROM application a
         JOIN clerk o ON o.id = a.owner JOIN clerk b ON b.id = a.accepted_by
         WHERE {where_sql} ORDER BY a.accepted_at DESC, a.id DESC"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let heads = stmt
        .query_map([arg], |r| {
            Ok(ApplicationRow {
                id: r.get(0)?,
                ticket_no: r.get(1)?,
                customer_id: r.get(2)?,
                form_code: r.get(3)?,
                form_version: r.get(4)?,
                status: r.get(5)?,
                accepted_at: at(r, 6)?,
                owner: (r.get(7)?, r.get(8)?, r.get(9)?),
                accepted_by: (r.get(10)?, r.get(11)?),
                fields_json: r.get(12)?,
                commitment_signed: r.get::<_, i64>(13)? != 0,
                duplicate_reason: r.get(14)?,
                steps: Vec::new(),
                materials: Vec::new(),
                disclosed_at: None,
                disclosed_items: 0,
                paused_at: at_opt(r, 15)?,
                manager: None,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(heads.len());
    for mut a in heads {
        a.steps = steps(conn, a.id)?;
        a.materials = materials(conn, a.id)?;
        a.manager = super::managers::of(conn, a.id)?;
        let (n, last) = conn.query_row(
            "SELECT count(*), max(disclosed_at) FROM disclosure WHERE application_id = ?1",
            [a.id],
            |r| Ok((r.get(0)?, at_opt(r, 1)?)),
        )?;
        a.disclosed_items = n;
        a.disclosed_at = last;
        out.push(a);
    }
    Ok(out)
}

/// Open applications of a customer, newest first.
pub fn open_for_customer(
    conn: &Connection,
    customer_id: i64,
) -> Result<Vec<ApplicationRow>, StoreError> {
    load(
        conn,
        "a.customer_id = ?1 AND a.status = 'open'",
        &customer_id,
    )
}

/// One application by ticket number.
pub fn by_ticket(conn: &Connection, ticket_no: &str) -> Result<Option<ApplicationRow>, StoreError> {
    Ok(load(conn, "a.ticket_no = ?1", &ticket_no)?
        .into_iter()
        .next())
}

fn steps(conn: &Connection, app: i64) -> Result<Vec<StepRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, step_id, name_zh, name_en, limit_wd, due_date, due_estimated, status
         FROM application_step WHERE application_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([app], |r| {
        Ok(StepRow {
            seq: r.get(0)?,
            step_id: r.get(1)?,
            name_zh: r.get(2)?,
            name_en: r.get(3)?,
            limit_wd: r.get(4)?,
            due_date: day_opt(r, 5)?,
            due_estimated: r.get::<_, i64>(6)? != 0,
            status: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

fn materials(conn: &Connection, app: i64) -> Result<Vec<MaterialRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT am.material_id, am.name_zh, am.name_en, am.form, am.status, am.due_date,
                am.due_estimated, am.received_at, am.seq, s.sha256, s.kind, s.bytes, s.file_name
         FROM application_material am
         LEFT JOIN scan s ON s.sha256 = (
             SELECT f.scan_sha256 FROM material_file f
             WHERE f.application_id = am.application_id AND f.material_id = am.material_id
             ORDER BY f.id DESC LIMIT 1)
         WHERE am.application_id = ?1 ORDER BY am.seq",
    )?;
    let rows = stmt.query_map([app], |r| {
        Ok(MaterialRow {
            material_id: r.get(0)?,
            name_zh: r.get(1)?,
            name_en: r.get(2)?,
            form: r.get(3)?,
            status: r.get(4)?,
            due_date: day_opt(r, 5)?,
            due_estimated: r.get::<_, i64>(6)? != 0,
            received_at: at_opt(r, 7)?,
            seq: r.get(8)?,
            scan: super::scans::scan_at(r, 9)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Marks an owed material received; returns false if it was not owed.
pub fn receive_material(
    tx: &Transaction,
    app: i64,
    material_id: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = exec(
        tx,
        "UPDATE application_material SET status = 'received', received_at = ?3, received_by = ?4
         WHERE application_id = ?1 AND material_id = ?2 AND status = 'owed'",
        params![app, material_id, ts(now), by],
    )?;
    Ok(n == 1)
}

/// Hands an application to another owner, recorded.
pub fn hand_over(
    tx: &Transaction,
    app: i64,
    from: i64,
    to: i64,
    by: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE application SET owner = ?2 WHERE id = ?1",
        params![app, to],
    )?;
    exec(
        tx,
        "INSERT INTO application_handover (application_id, from_owner, to_owner, by_clerk, at, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![app, from, to, by, ts(now), reason],
    )?;
    Ok(())
}

/// How many applications are stored.
pub fn count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM application", [], |r| r.get(0))?)
}

/// One disclosed item as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureRow {
    /// Section code.
    pub item_kind: String,
    pub item_id: String,
    /// Chinese text as told.
    pub text_zh: String,
    /// English text as told.
    pub text_en: String,
    /// When it was ticked.
    pub disclosed_at: DateTime<Utc>,
}

/// The disclosed items of an application, in the order they were told.
pub fn disclosures(conn: &Connection, app: i64) -> Result<Vec<DisclosureRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT item_kind, item_id, text_zh, text_en, disclosed_at FROM disclosure WHERE application_id = ?1
         ORDER BY seq",
    )?;
    let rows = stmt.query_map([app], |r| {
        Ok(DisclosureRow {
            item_kind: r.get(0)?,
            item_id: r.get(1)?,
            text_zh: r.get(2)?,
            text_en: r.get(3)?,
            disclosed_at: at(r, 4)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// What the cashier needs to take an application's fees: its row id, the
/// form as told (the snapshot's JSON) and the applicant's name.
pub fn fee_context(
    conn: &Connection,
    ticket_no: &str,
) -> Result<Option<(i64, String, String)>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT a.id, coalesce(s.body, ''), c.name FROM application a
             JOIN customer c ON c.id = a.customer_id
             LEFT JOIN form_snapshot s ON s.id = a.form_snapshot_id
             WHERE a.ticket_no = ?1",
            [ticket_no],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}
