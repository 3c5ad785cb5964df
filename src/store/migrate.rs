//! Numbered migrations from `migrations/`, embedded at build time; the
//! applied version is `PRAGMA user_version`.

use rusqlite::Connection;

use crate::embedded::MIGRATIONS;

/// The newest schema version this binary knows.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies every migration newer than the database, each in its own
/// transaction together with the version bump.
pub fn apply(conn: &mut Connection) -> rusqlite::Result<()> {
    apply_list(conn, MIGRATIONS)
}

/// Applies the migrations of `list` (the workstation's or the lab's) newer
/// than the database.
pub fn apply_list(conn: &mut Connection, list: &[(&str, &str)]) -> rusqlite::Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, (_name, sql)) in list.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
