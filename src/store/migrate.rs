//! Numbered migrations from `migrations/`, embedded at build time; the
//! applied version is `PRAGMA user_version`.

use rusqlite::Connection;

use crate::embedded::MIGRATIONS;

/// The newest schema version this binary knows.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// A migration that could not be applied: which, from which version, why.
/// Nothing of the upgrade was kept.
#[derive(Debug)]
pub struct Failed {
    /// The migration that failed.
    pub at: i64,
    /// The version the file had, and still has.
    pub from: i64,
    pub error: rusqlite::Error,
}

/// Applies every migration newer than the database.
pub fn apply(conn: &mut Connection) -> Result<(), Failed> {
    apply_list(conn, MIGRATIONS)
}

/// Applies the migrations of `list` (the workstation's or the lab's) newer
/// than the database, all in one transaction with the version bump: an
/// upgrade that fails anywhere leaves the file at the version it had, not
/// halfway between two.
pub fn apply_list(conn: &mut Connection, list: &[(&str, &str)]) -> Result<(), Failed> {
    let fail = |at, from, error| Failed { at, from, error };
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| fail(0, 0, e))?;
    if current >= list.len() as i64 {
        return Ok(());
    }
    let tx = conn
        .transaction()
        .map_err(|e| fail(current + 1, current, e))?;
    for (index, (_name, sql)) in list.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current {
            continue;
        }
        repair(&tx, version - 1).map_err(|e| fail(version, current, e))?;
        tx.execute_batch(sql)
            .map_err(|e| fail(version, current, e))?;
    }
    let latest = list.len() as i64;
    tx.pragma_update(None, "user_version", latest)
        .and_then(|()| tx.commit())
        .map_err(|e| fail(latest, current, e))
}

/// Brings a file written by an early program of schema `version` to the
/// shape that version has today, before the next migration runs. Three
/// migrations were changed after programs had shipped with them; a file
/// those programs made is at the right version with the older shape:
/// - schema 2 before slips: `application_material` and `disclosure` had no
///   `seq` (the order read out), which migration 22 copies by position;
/// - schema 8 before the sequence became the row id: `outbox` keyed by
///   (epoch, seq), every commit writing an index page beside the record;
/// - schema 19 before its indexes went: two rating indexes, one more page
///   each in every payment's commit.
///
/// Each repair looks before it changes anything, so a file already in
/// today's shape is left as it is.
fn repair(tx: &rusqlite::Transaction, version: i64) -> rusqlite::Result<()> {
    match version {
        2 => {
            if !has_column(tx, "application_material", "seq")? {
                tx.execute_batch(REPAIR_2_MATERIAL)?;
            }
            if !has_column(tx, "disclosure", "seq")? {
                tx.execute_batch(REPAIR_2_DISCLOSURE)?;
            }
        }
        8 => {
            let seq_is_rowid: bool = tx.query_row(
                "SELECT pk = 1 AND (SELECT count(*) FROM pragma_table_info('outbox') WHERE pk > 0) = 1
                 FROM pragma_table_info('outbox') WHERE name = 'seq'",
                [],
                |r| r.get(0),
            )?;
            if !seq_is_rowid {
                tx.execute_batch(REPAIR_8_OUTBOX)?;
            }
        }
        19 => tx.execute_batch(
            "DROP INDEX IF EXISTS rating_waiting; DROP INDEX IF EXISTS rating_asked;",
        )?,
        _ => {}
    }
    Ok(())
}

fn has_column(tx: &rusqlite::Transaction, table: &str, column: &str) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
        [table, column],
        |r| r.get(0),
    )
}

// The tables as schema 2 defines them today; `seq` numbered from 1 in the
// order the rows were keyed, the best order a file without it can tell.
const REPAIR_2_MATERIAL: &str = "
CREATE TABLE application_material_repaired (
    application_id INTEGER NOT NULL REFERENCES application(id),
    seq            INTEGER NOT NULL,
    material_id    TEXT NOT NULL,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    form           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('received', 'owed')),
    due_date       TEXT,
    due_estimated  INTEGER NOT NULL DEFAULT 0,
    received_at    TEXT,
    received_by    INTEGER REFERENCES clerk(id),
    PRIMARY KEY (application_id, material_id)
) WITHOUT ROWID;
INSERT INTO application_material_repaired
SELECT application_id,
       row_number() OVER (PARTITION BY application_id ORDER BY material_id),
       material_id, name_zh, name_en, form, status, due_date, due_estimated,
       received_at, received_by
FROM application_material;
DROP TABLE application_material;
ALTER TABLE application_material_repaired RENAME TO application_material;
CREATE INDEX application_material_owed ON application_material(status, due_date);
";

const REPAIR_2_DISCLOSURE: &str = "
CREATE TABLE disclosure_repaired (
    application_id INTEGER NOT NULL REFERENCES application(id),
    item_kind      TEXT NOT NULL,
    item_id        TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    text_zh        TEXT NOT NULL,
    text_en        TEXT NOT NULL,
    disclosed_by   INTEGER NOT NULL REFERENCES clerk(id),
    disclosed_at   TEXT NOT NULL,
    PRIMARY KEY (application_id, item_kind, item_id)
) WITHOUT ROWID;
INSERT INTO disclosure_repaired
SELECT application_id, item_kind, item_id,
       row_number() OVER (PARTITION BY application_id ORDER BY item_kind, item_id),
       text_zh, text_en, disclosed_by, disclosed_at
FROM disclosure;
DROP TABLE disclosure;
ALTER TABLE disclosure_repaired RENAME TO disclosure;
";

const REPAIR_8_OUTBOX: &str = "
CREATE TABLE outbox_repaired (
    seq       INTEGER PRIMARY KEY,
    epoch     INTEGER NOT NULL,
    at        TEXT NOT NULL,
    day       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    schema    INTEGER NOT NULL,
    amount    INTEGER NOT NULL DEFAULT 0,
    sha256    TEXT NOT NULL,
    chain     TEXT NOT NULL,
    state     TEXT NOT NULL DEFAULT 'waiting'
              CHECK (state IN ('waiting', 'acknowledged', 'quarantined', 'forked')),
    verdict   TEXT,
    acked_at  TEXT,
    payload   BLOB NOT NULL
);
INSERT INTO outbox_repaired (seq, epoch, at, day, kind, schema, amount, sha256, chain,
                             state, verdict, acked_at, payload)
SELECT seq, epoch, at, day, kind, schema, amount, sha256, chain, state, verdict, acked_at, payload
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_repaired RENAME TO outbox;
CREATE INDEX outbox_held ON outbox(state) WHERE state IN ('quarantined', 'forked');
";
