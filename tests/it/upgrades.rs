//! Upgrades from every released schema: `tests/fixtures/schema/NNNN.db`
//! was written by the program of the commit that brought schema NNNN in
//! (`scripts/upgrade-fixtures.sh`). Today's binary opens each, migrates it,
//! keeps every row it had, and `verify` passes; an upgrade that fails is
//! undone whole and says so; a newer file is refused untouched.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rusqlite::types::Value;
use rusqlite::Connection;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema");
    let mut all: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/schema")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "db"))
        .collect();
    all.sort();
    all
}

fn bin(home: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .env("HOME", home)
        .env_remove("COUNTERDESK_CONFIG")
        .arg("--lang")
        .arg("en")
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("counterdesk")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every table's rows, each as its columns' values in column order.
type Tables = Vec<(String, Vec<String>, Vec<Vec<Value>>)>;

fn tables(db: &Path) -> Tables {
    let c = Connection::open(db).expect("open");
    let names: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|t| {
            let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let cols: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
            let n = cols.len();
            let rows = stmt
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .unwrap()
                .collect::<Result<Vec<Vec<Value>>, _>>()
                .unwrap();
            (t, cols, rows)
        })
        .collect()
}

/// Read-only: a fixture in the repository is never written, not even its
/// write-ahead log beside it.
fn read_only(db: &Path) -> Connection {
    use rusqlite::OpenFlags;
    Connection::open_with_flags(
        format!("file:{}?immutable=1", db.display()),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
    .unwrap()
}

fn version(db: &Path) -> i64 {
    read_only(db)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Tables a migration renamed on purpose: (the migration, the old name,
/// where its rows are now). Schema 8 kept the records from before the
/// upload existed aside, unsent, and started the upload log anew.
const RENAMED: &[(i64, &str, &str)] = &[(8, "outbox", "outbox_legacy")];

/// Where the rows of `table` of a file at `version` are after upgrading.
fn now_named(table: &str, version: i64) -> &str {
    RENAMED
        .iter()
        .find(|(at, old, _)| version < *at && *old == table)
        .map_or(table, |(_, _, new)| new)
}

/// A fixture copied into a scratch folder of its own.
fn copy(fixture: &Path, dir: &Path) -> PathBuf {
    let db = dir.join("counterdesk.db");
    std::fs::copy(fixture, &db).expect("copy fixture");
    db
}

#[test]
fn there_is_a_fixture_for_every_schema_version() {
    let have: Vec<i64> = fixtures()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().parse().unwrap())
        .collect();
    let latest = counterdesk::store::migrate::latest();
    assert_eq!(
        have,
        (1..=latest).collect::<Vec<_>>(),
        "run scripts/upgrade-fixtures.sh"
    );
    for f in fixtures() {
        let n: i64 = f.file_stem().unwrap().to_string_lossy().parse().unwrap();
        assert_eq!(version(&f), n, "{}", f.display());
        let customers: i64 = read_only(&f)
            .query_row("SELECT count(*) FROM customer", [], |r| r.get(0))
            .unwrap();
        assert!(customers >= 40, "{}: {customers} customers", f.display());
    }
}

#[test]
fn every_earlier_schema_upgrades_with_every_row_kept_and_verify_passing() {
    let latest = counterdesk::store::migrate::latest();
    for fixture in fixtures() {
        let dir = tempfile::tempdir().unwrap();
        let db = copy(&fixture, dir.path());
        let before = tables(&db);
        let was = version(&db);
        let o = bin(dir.path(), &db, &["init"]);
        assert!(o.status.success(), "{}: {}", fixture.display(), text(&o));
        assert_eq!(version(&db), latest, "{}", fixture.display());
        let after = tables(&db);
        let mut problems = Vec::new();
        for (table, cols, rows) in &before {
            let table = now_named(table, was);
            let Some((_, new_cols, new_rows)) = after.iter().find(|(t, _, _)| t == table) else {
                problems.push(format!("table {table} is gone"));
                continue;
            };
            // Each old row is still there with the values it had in every
            // column it had (new columns may have been added beside them).
            let gone: Vec<&String> = cols.iter().filter(|c| !new_cols.contains(c)).collect();
            if !gone.is_empty() {
                problems.push(format!("{table}: columns {gone:?} are gone"));
                continue;
            }
            let at: Vec<usize> = cols
                .iter()
                .map(|c| new_cols.iter().position(|n| n == c).unwrap())
                .collect();
            let kept: std::collections::HashSet<Vec<String>> = new_rows
                .iter()
                .map(|r| at.iter().map(|&i| format!("{:?}", r[i])).collect())
                .collect();
            for row in rows {
                let old: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
                // Rows the program itself keeps moving (the outbox head,
                // the seal's mirror) may change; business rows may not.
                if table == "meta" {
                    continue;
                }
                if !kept.contains(&old) {
                    problems.push(format!("a row of {table} changed or went: {old:?}"));
                }
            }
            if new_rows.len() < rows.len() {
                problems.push(format!("{table} lost rows"));
            }
        }
        assert!(
            problems.is_empty(),
            "{}:\n{}",
            fixture.display(),
            problems.join("\n")
        );
        let o = bin(dir.path(), &db, &["verify"]);
        assert!(
            o.status.success(),
            "{}: verify: {}",
            fixture.display(),
            text(&o)
        );
    }
}

#[test]
fn an_upgrade_that_fails_halfway_leaves_the_database_as_it_was_and_says_so() {
    let latest = counterdesk::store::migrate::latest();
    let fixture = fixtures()
        .into_iter()
        .find(|f| version(f) == latest - 2)
        .expect("fixture two versions back");
    let dir = tempfile::tempdir().unwrap();
    let db = copy(&fixture, dir.path());
    // The last migration creates the table `scan`: one already there makes
    // it fail after the one before it has run.
    Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE scan (x INTEGER)")
        .unwrap();
    let before = tables(&db);
    let o = bin(dir.path(), &db, &["init"]);
    assert!(!o.status.success(), "{}", text(&o));
    let said = text(&o);
    assert!(
        said.contains(&format!("failed at version {latest}")),
        "{said}"
    );
    assert!(
        said.contains(&format!("as it was (version {})", latest - 2)),
        "{said}"
    );
    assert_eq!(version(&db), latest - 2);
    // Not even the migration before the failing one was kept.
    assert_eq!(tables(&db), before);
}

#[test]
fn a_database_newer_than_the_program_is_refused_untouched() {
    let latest = counterdesk::store::migrate::latest();
    let fixture = fixtures().pop().expect("newest fixture");
    let dir = tempfile::tempdir().unwrap();
    let db = copy(&fixture, dir.path());
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", latest + 1)
        .unwrap();
    let bytes = std::fs::read(&db).unwrap();
    let o = bin(dir.path(), &db, &["init"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("{}", latest + 1)),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}
