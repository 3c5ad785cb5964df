//! The store on real SQLite files: migrations, pragmas, the workstation
//! lock, refusal of newer or damaged databases, and the write helper.

use crate::common::{clock, Scratch};
use counterdesk::store::migrate;
use counterdesk::store::{Event, Store, StoreError};
use rusqlite::Connection;

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

#[test]
fn migrations_are_numbered_without_gaps() {
    for (i, (name, _)) in counterdesk::embedded::MIGRATIONS.iter().enumerate() {
        assert!(
            name.starts_with(&format!("{:04}_", i + 1)),
            "migration {name} out of order"
        );
    }
    assert!(migrate::latest() >= 1);
}

#[test]
fn empty_database_is_created_migrated_and_reopened() {
    let s = Scratch::new();
    {
        let store = Store::open(&s.db(), clock()).expect("open");
        let v: i64 = store
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("v");
        assert_eq!(v, migrate::latest());
        for table in [
            "clerk",
            "customer",
            "account",
            "application",
            "audit_log",
            "outbox",
        ] {
            assert_eq!(count(store.conn(), table), 0, "{table}");
        }
        // A new database holds only its upload identity (the counter ID,
        // the first epoch's head, its first sequence and its acknowledged
        // mark) and the marks below which rows need no audit binding (none).
        let keys: Vec<String> = store
            .conn()
            .prepare("SELECT key FROM meta ORDER BY key")
            .expect("meta")
            .query_map([], |r| r.get(0))
            .expect("keys")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(keys.len(), 9, "{keys:?}");
        assert_eq!(keys[0], "counter_id");
        assert!(keys[1].starts_with("outbox_acked."), "{keys:?}");
        assert!(keys[2].starts_with("outbox_first."), "{keys:?}");
        assert_eq!(keys[3], "outbox_head");
        for (key, kind) in
            keys[4..]
                .iter()
                .zip(["application", "customer", "payment", "refund", "shift"])
        {
            assert_eq!(key, &format!("rows_bound_after.{kind}"));
            let mark: String = store
                .conn()
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .expect("mark");
            assert_eq!(mark, "0", "{key}");
        }
    }
    {
        let mut store = Store::open(&s.db(), clock()).expect("reopen");
        store
            .write(None, |tx, _| {
                tx.execute("INSERT INTO meta (key, value) VALUES ('probe', 'kept')", [])?;
                Ok(((), Event::new("test.probe", "probe", serde_json::json!({}))))
            })
            .expect("write");
    }
    let store = Store::open(&s.db(), clock()).expect("third open");
    let kept: String = store
        .conn()
        .query_row("SELECT value FROM meta WHERE key = 'probe'", [], |r| {
            r.get(0)
        })
        .expect("probe");
    assert_eq!(kept, "kept");
}

#[test]
fn every_connection_has_wal_full_sync_and_foreign_keys() {
    let s = Scratch::new();
    let store = Store::open(&s.db(), clock()).expect("open");
    let c = store.conn();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    let sync: i64 = c
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .expect("sync");
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .expect("fk");
    let busy: i64 = c
        .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
        .expect("busy");
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    assert_eq!(fk, 1);
    assert!(busy >= 1000);
}

#[test]
fn newer_database_is_refused_and_left_untouched() {
    let s = Scratch::new();
    {
        let c = Connection::open(s.db()).expect("raw");
        c.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 999;")
            .expect("future");
    }
    let before = std::fs::read(s.db()).expect("read");
    let err = Store::open(&s.db(), clock()).err().expect("refused");
    assert!(
        matches!(err, StoreError::TooNew { found: 999, .. }),
        "{err:?}"
    );
    assert_eq!(err.msg().key, "store.too_new");
    assert_eq!(std::fs::read(s.db()).expect("read"), before, "file changed");
    assert!(
        !s.path().join("counterdesk.db-wal").exists(),
        "WAL was switched on"
    );
}

#[test]
fn second_workstation_on_the_same_file_is_refused() {
    let s = Scratch::new();
    let _first = Store::open(&s.db(), clock()).expect("first");
    let err = Store::open(&s.db(), clock()).err().expect("second refused");
    assert!(matches!(err, StoreError::InUse { .. }), "{err:?}");
    // Read-only tools may still look.
    Store::open_unlocked(&s.db(), clock()).expect("verify may open");
}

#[test]
fn the_lock_is_released_when_the_workstation_closes() {
    let s = Scratch::new();
    drop(Store::open(&s.db(), clock()).expect("first"));
    Store::open(&s.db(), clock()).expect("reopened after close");
}

#[test]
fn damaged_file_gets_a_clear_message() {
    let s = Scratch::new();
    std::fs::write(
        s.db(),
        b"this is not a database at all, just some text ".repeat(200),
    )
    .expect("write");
    let err = Store::open(&s.db(), clock()).err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
}

#[test]
fn unwritable_folder_gets_a_clear_message() {
    let s = Scratch::new();
    let file = s.path().join("plain-file");
    std::fs::write(&file, b"x").expect("write");
    // A folder cannot be created below a plain file, even as root.
    let err = Store::open(&file.join("sub/counterdesk.db"), clock())
        .err()
        .expect("refused");
    assert!(matches!(err, StoreError::Folder { .. }), "{err:?}");
    assert_eq!(err.msg().key, "store.folder");
}

#[test]
fn write_commits_row_audit_and_outbox_together_or_not_at_all() {
    let s = Scratch::new();
    let mut store = Store::open(&s.db(), clock()).expect("open");
    let meta_at_open = count(store.conn(), "meta");
    let failed: Result<(), StoreError> = store.write(Some(1), |tx, _| {
        tx.execute("INSERT INTO meta (key, value) VALUES ('half', 'x')", [])?;
        // The business rule fails after the row was written.
        Err(StoreError::Refused(counterdesk::msg!(
            "customer.name_empty"
        )))
    });
    assert!(failed.is_err());
    assert_eq!(count(store.conn(), "meta"), meta_at_open);
    assert_eq!(count(store.conn(), "audit_log"), 0);
    assert_eq!(count(store.conn(), "outbox"), 0);

    let bad_sql: Result<(), StoreError> = store.write(None, |tx, _| {
        tx.execute("INSERT INTO meta (key, value) VALUES ('half', 'x')", [])?;
        tx.execute("INSERT INTO no_such_table VALUES (1)", [])?;
        Ok(((), Event::new("test.never", "x", serde_json::json!({}))))
    });
    assert!(bad_sql.is_err());
    assert_eq!(count(store.conn(), "meta"), meta_at_open);

    store
        .write(Some(1), |tx, _| {
            tx.execute("INSERT INTO meta (key, value) VALUES ('whole', 'x')", [])?;
            Ok((
                (),
                Event::new("test.whole", "subject", serde_json::json!({"n": 1})),
            ))
        })
        .expect("write");
    assert_eq!(count(store.conn(), "audit_log"), 1);
    assert_eq!(count(store.conn(), "outbox"), 1);
    let (kind, seq, sha, payload): (String, i64, String, Vec<u8>) = store
        .conn()
        .query_row("SELECT kind, seq, sha256, payload FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .expect("outbox");
    assert_eq!(kind, "test.whole");
    assert_eq!(seq, 1);
    // The stored hash is of the exact stored bytes.
    assert_eq!(sha, counterdesk::domain::upload::sha256_hex(&payload));
    let v: serde_json::Value = serde_json::from_slice(&payload).expect("json");
    assert_eq!(v["audit"]["seq"], 1);
    assert_eq!(v["audit"]["detail"]["n"], 1);
    assert_eq!(v["kind"], "test.whole");
}
