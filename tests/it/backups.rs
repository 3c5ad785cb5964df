//! Backups and restores through the real binary: a backup taken while the
//! workstation takes payments in a pseudo-terminal restores to a database
//! that passes verify with every payment the screen showed as done; the
//! rotation; restores refused for a truncated, a tampered and another
//! counter's backup; a full backup disk and a folder that cannot be
//! written, the live database untouched each time.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::term::Term;

const F6: &str = "\x1b[17~";
const CTRL_Q: &str = "\x11";

fn bin(home: &Path, db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_counterdesk"));
    c.env("HOME", home)
        .env_remove("COUNTERDESK_PASSWORD")
        .env_remove("COUNTERDESK_CONFIG")
        .arg("--lang")
        .arg("zh")
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("counterdesk")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("db")
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "db"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// `counterdesk backup` onto a tmpfs of its own mounted with `options` on
/// `folder` (in a mount namespace of the test's own, so no root needed).
fn backup_onto_tmpfs(home: &Path, db: &Path, folder: &Path, options: &str) -> Output {
    let script = format!(
        "mount -t tmpfs -o {options} tmpfs '{0}' && exec \"$0\" --lang zh --db '{1}' backup '{0}'",
        folder.display(),
        db.display()
    );
    Command::new("unshare")
        .args([
            "-rm",
            "sh",
            "-c",
            &script,
            env!("CARGO_BIN_EXE_counterdesk"),
        ])
        .env("HOME", home)
        .output()
        .expect("unshare")
}

fn sha256(path: &Path) -> String {
    counterdesk::store::backup::sha256_file(path).expect("sha256")
}

/// A database made ready with `init` and some demo customers (and
/// applications, whose unprinted receipts greet the clerk at sign-in).
fn ready_with(home: &Path, db: &Path, applications: &str) {
    let o = bin(home, db, &["init"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let o = bin(
        home,
        db,
        &[
            "demo-data",
            "--customers",
            "30",
            "--applications",
            applications,
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
}

fn ready(home: &Path, db: &Path) {
    ready_with(home, db, "8");
}

fn pay(t: &mut Term, account: &str, amount: &str, receipt: &str) {
    t.send(&format!("{account}\r"));
    t.send(&format!("{amount}\r"));
    t.send(&format!("{amount}\r"));
    t.wait_for(&format!("收据 {receipt}"));
    t.send("\r");
}

#[test]
fn a_backup_taken_while_payments_are_taken_restores_with_every_payment_shown_done() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path();
    let db = home.join("counter.db");
    let folder = home.join("backups");
    ready_with(home, &db, "0");
    // A first backup before the workstation starts: its header shows its age.
    let o = bin(home, &db, &["backup"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("完整性检查通过"), "{}", text(&o));

    let db_arg = db.to_string_lossy().into_owned();
    let mut t = Term::start(&["--lang", "zh", "--db", &db_arg]);
    t.wait_for("柜员登录");
    t.send("1001\r");
    t.send("counter1001\r");
    t.wait_for("欢迎");
    let screen = t.wait_for("备份:");
    assert!(screen.contains("备份:0分钟前"), "{screen}");
    t.send(F6);
    t.wait_for("开班：");
    t.send("500\r");
    t.wait_for("已开班");
    // Five payments, a backup taken beside the running workstation after
    // each of the first four (the workstation goes on taking payments).
    for i in 1..=5 {
        pay(
            &mut t,
            &format!("059100000{i}"),
            "100",
            &format!("R1-0000000{i}"),
        );
        if i < 5 {
            let o = bin(home, &db, &["backup"], &[]);
            assert!(o.status.success(), "backup {i}: {}", text(&o));
        }
    }
    // The backup after the fifth payment was shown done.
    let o = bin(home, &db, &["backup"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let all = backups_in(&folder);
    let last = all.last().expect("a backup").clone();
    // The rotation keeps only the newest of the day: this one, with all five.
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        count(&last, "SELECT count(*) FROM payment"),
        5,
        "{}",
        text(&o)
    );
    // Two more payments after it: these are not in the backup.
    pay(&mut t, "0591000006", "100", "R1-00000006");
    pay(&mut t, "0591000007", "100", "R1-00000007");
    t.send(CTRL_Q);
    let _ = t.child.wait();
    assert_eq!(count(&db, "SELECT count(*) FROM payment"), 7);

    // Every backup taken beside the workstation is whole and checked.
    for b in &all {
        let sum = std::fs::read_to_string(b.with_extension("db.sha256")).expect("checksum file");
        assert!(sum.starts_with(&sha256(b)), "{}", b.display());
        let o = bin(
            home,
            &db,
            &["restore", b.to_str().unwrap(), "--as", "9001", "--check"],
            &[],
        );
        assert!(o.status.success(), "{}: {}", b.display(), text(&o));
    }
    let epoch_before = count(&db, "SELECT max(epoch) FROM outbox");

    // Restored: the five payments shown before the backup, verify passes.
    let o = bin(
        home,
        &db,
        &["restore", last.to_str().unwrap(), "--as", "9001"],
        &[("COUNTERDESK_PASSWORD", "admin9001")],
    );
    let said = text(&o);
    assert!(o.status.success(), "{said}");
    assert!(said.contains("已从"), "{said}");
    assert!(said.contains("原来的数据库已原样留存为"), "{said}");
    assert!(said.contains("新的上传批次"), "{said}");
    assert!(said.contains("备份之后写下的记录"), "{said}");
    for i in 1..=5 {
        let sql = format!("SELECT count(*) FROM payment WHERE receipt_no = 'R1-0000000{i}'");
        assert_eq!(count(&db, &sql), 1, "R1-0000000{i}");
    }
    assert_eq!(count(&db, "SELECT count(*) FROM payment"), 5);
    let o = bin(home, &db, &["verify"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    // A new epoch, its first record the restore itself, audited.
    assert!(count(&db, "SELECT max(epoch) FROM outbox") > epoch_before);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action = 'store.restored'"
        ),
        1
    );
    // The database that was there is kept whole beside it, all 7 payments.
    let aside: Vec<PathBuf> = std::fs::read_dir(home)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.to_string_lossy().contains(".before-restore-")
                && !p.to_string_lossy().ends_with("-wal")
        })
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(count(&aside[0], "SELECT count(*) FROM payment"), 7);

    // The workstation starts on the restored file (not refused as behind).
    let mut t = Term::start(&["--lang", "zh", "--db", &db_arg]);
    t.wait_for("柜员登录");
    t.send(CTRL_Q);
    let _ = t.child.wait();
}

#[test]
fn restore_refuses_a_truncated_a_tampered_and_another_counters_backup() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path();
    let db = home.join("ours.db");
    ready(home, &db);
    let o = bin(home, &db, &["backup"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let good = backups_in(&home.join("backups")).pop().expect("backup");
    let live = sha256(&db);
    let restore = |file: &Path| {
        bin(
            home,
            &db,
            &["restore", file.to_str().unwrap(), "--as", "9001"],
            &[("COUNTERDESK_PASSWORD", "admin9001")],
        )
    };

    // Truncated to half.
    let bytes = std::fs::read(&good).unwrap();
    let cut = home.join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let o = restore(&cut);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("拒绝恢复"), "{}", text(&o));

    // Tampered: a customer's phone changed in a copy, its checksum beside it.
    let tampered = home.join("tampered.db");
    std::fs::copy(&good, &tampered).unwrap();
    rusqlite::Connection::open(&tampered)
        .unwrap()
        .execute(
            "UPDATE customer SET phone = '13800000000' WHERE id = (SELECT min(id) FROM customer)",
            [],
        )
        .unwrap();
    std::fs::copy(
        good.with_extension("db.sha256"),
        tampered.with_extension("db.sha256"),
    )
    .unwrap();
    let o = restore(&tampered);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("与旁边的校验和不符"), "{}", text(&o));
    // Without its checksum the changed row itself gives it away.
    std::fs::remove_file(tampered.with_extension("db.sha256")).unwrap();
    let o = restore(&tampered);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("未通过校验"), "{}", text(&o));

    // Another counter's backup.
    let other_db = home.join("other.db");
    ready(home, &other_db);
    let o = bin(
        home,
        &other_db,
        &["backup", home.join("theirs").to_str().unwrap()],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    let theirs = backups_in(&home.join("theirs"))
        .pop()
        .expect("their backup");
    let o = restore(&theirs);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("属于另一个柜台"), "{}", text(&o));

    // A wrong password: refused, nothing moved.
    let o = bin(
        home,
        &db,
        &["restore", good.to_str().unwrap(), "--as", "9001"],
        &[("COUNTERDESK_PASSWORD", "wrong")],
    );
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));

    // The live database was never touched, nothing put aside.
    assert_eq!(sha256(&db), live);
    let aside = std::fs::read_dir(home)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(!aside);
    let o = bin(home, &db, &["verify"], &[]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn restore_is_refused_while_the_workstation_runs() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path();
    let db = home.join("busy.db");
    ready(home, &db);
    let o = bin(home, &db, &["backup"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let good = backups_in(&home.join("backups")).pop().expect("backup");
    let db_arg = db.to_string_lossy().into_owned();
    let mut t = Term::start(&["--lang", "zh", "--db", &db_arg]);
    t.wait_for("柜员登录");
    let o = bin(
        home,
        &db,
        &["restore", good.to_str().unwrap(), "--as", "9001"],
        &[("COUNTERDESK_PASSWORD", "admin9001")],
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("正被另一个 counterdesk 工作站使用"),
        "{}",
        text(&o)
    );
    t.send(CTRL_Q);
    let _ = t.child.wait();
    assert!(db.is_file());
}

#[test]
fn the_rotation_keeps_the_newest_of_each_day_and_deletes_the_rest() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path();
    let db = home.join("rot.db");
    ready(home, &db);
    let folder = home.join("backups");
    std::fs::create_dir_all(&folder).unwrap();
    // Ten earlier days' backups, two a day, checked (with their checksum),
    // and one never checked (no checksum): that one is left for a person.
    let o = bin(home, &db, &["backup"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let real = backups_in(&folder).pop().unwrap();
    let (counter, _) =
        counterdesk::domain::backup::parse_name(&real.file_name().unwrap().to_string_lossy())
            .expect("a backup's name");
    let named = |stamp: &str| format!("counterdesk-{counter}-{stamp}.db");
    for day in 1..=10 {
        for hour in ["09", "18"] {
            let name = named(&format!("202611{day:02}-{hour}0000"));
            std::fs::copy(&real, folder.join(&name)).unwrap();
            std::fs::write(
                folder.join(format!("{name}.sha256")),
                format!("{}  {name}\n", sha256(&real)),
            )
            .unwrap();
        }
    }
    std::fs::copy(&real, folder.join(named("20261101-120000"))).unwrap();
    // Another counter's backup in the same folder (a hall's shared disk),
    // and one dated far ahead by a wrong clock: neither is rotated away.
    let theirs = "counterdesk-CD-OTHER-20261102-180000.db";
    std::fs::copy(&real, folder.join(theirs)).unwrap();
    std::fs::write(
        folder.join(format!("{theirs}.sha256")),
        format!("{}  {theirs}\n", sha256(&real)),
    )
    .unwrap();
    let ahead = named("20991231-120000");
    std::fs::copy(&real, folder.join(&ahead)).unwrap();
    std::fs::write(
        folder.join(format!("{ahead}.sha256")),
        format!("{}  {ahead}\n", sha256(&real)),
    )
    .unwrap();
    std::fs::write(folder.join("notes.txt"), "not a backup").unwrap();
    let config = home.join("rot.toml");
    std::fs::write(
        &config,
        "[backup]\nkeep_daily = 3\nkeep_weekly = 0\nkeep_monthly = 0\n",
    )
    .unwrap();
    let o = bin(
        home,
        &db,
        &["--config", config.to_str().unwrap(), "backup"],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("按保留规则删除了"), "{}", text(&o));
    let left: Vec<String> = backups_in(&folder)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // Today's two (the real one and the new one: the newest of today is
    // kept as today's, the newest of all always), then the evening ones of
    // the next two days back, and the unchecked one.
    assert!(left.contains(&named("20261110-180000")), "{left:?}");
    assert!(left.contains(&named("20261109-180000")), "{left:?}");
    assert!(!left.contains(&named("20261110-090000")), "{left:?}");
    assert!(!left.contains(&named("20261105-180000")), "{left:?}");
    assert!(left.contains(&named("20261101-120000")), "{left:?}");
    assert!(left.contains(&theirs.to_string()), "{left:?}");
    assert!(left.contains(&ahead), "{left:?}");
    // The one from the future was not named after: today's is dated today.
    let today = chrono::Local::now().format("%Y%m%d").to_string();
    assert!(
        left.iter().any(|n| n.contains(&format!("-{today}-"))),
        "{left:?}"
    );
    assert!(folder.join("notes.txt").is_file());
    // Every checksum file left names a backup that is there.
    for e in std::fs::read_dir(&folder).unwrap().filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(db_name) = name.strip_suffix(".sha256") {
            assert!(folder.join(db_name).is_file(), "{name}");
        }
    }
}

#[test]
fn a_full_backup_disk_and_a_folder_that_cannot_be_written_are_said_and_the_database_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path();
    let db = home.join("live.db");
    ready(home, &db);
    let live = sha256(&db);
    // A backup disk of 64 KB (a tmpfs of its own, in a mount namespace).
    let small = home.join("small");
    std::fs::create_dir_all(&small).unwrap();
    let o = backup_onto_tmpfs(home, &db, &small, "size=64k");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("备份盘已满"), "{}", text(&o));
    assert!(text(&o).contains("数据库未受影响"), "{}", text(&o));
    // A read-only backup disk.
    let o = backup_onto_tmpfs(home, &db, &small, "ro");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("备份文件夹"), "{}", text(&o));
    assert!(text(&o).contains("无法使用"), "{}", text(&o));
    // A folder under a file: it can never be made.
    let file = home.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = bin(
        home,
        &db,
        &["backup", file.join("backups").to_str().unwrap()],
        &[],
    );
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("备份文件夹"), "{}", text(&o));
    // Nothing half-written anywhere, the database as it was.
    assert!(backups_in(&small).is_empty());
    assert_eq!(sha256(&db), live);
    let o = bin(home, &db, &["verify"], &[]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn a_shift_close_takes_a_backup_on_the_workstations_own_thread() {
    use counterdesk::desk::money::Close;
    use counterdesk::domain::money::{Counted, Fen};
    let s = crate::common::Scratch::new();
    let mut config = crate::common::config();
    // No daily one: only the close may take it.
    config.backup.daily_at = String::new();
    let mut desk =
        crate::common::desk_with_config(&s.db(), counterdesk::clock::Clock::system(), config);
    desk.start_backups();
    let status = desk.backup_status().expect("the backup thread runs");
    assert_eq!(status.last_good, None);
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&clerk, "0").expect("shift");
    let counted = Counted {
        cash: Fen(0),
        by_method: Default::default(),
    };
    assert!(matches!(
        desk.close_shift(&clerk, &counted, None).expect("close"),
        Close::Closed(_)
    ));
    let folder = s.path().join("backups");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while desk.backup_status().and_then(|b| b.last_good).is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "no backup after the close"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let taken = backups_in(&folder);
    assert_eq!(taken.len(), 1, "{taken:?}");
    // The copy holds the closed shift.
    assert_eq!(
        count(
            &taken[0],
            "SELECT count(*) FROM shift WHERE status = 'closed'"
        ),
        1
    );
}

#[test]
fn a_restore_whose_upgrade_fails_leaves_nothing_half_done() {
    // A dead disk: no database, no seal. The only backup is of an older
    // schema and cannot be upgraded (a table the next migration makes is
    // already there): the restore says so and puts nothing in place.
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path();
    let db = home.join("gone.db");
    let latest = counterdesk::store::migrate::latest();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/schema/{:04}.db", latest - 1));
    let old = home.join("old-backup.db");
    std::fs::copy(&fixture, &old).unwrap();
    rusqlite::Connection::open(&old)
        .unwrap()
        .execute_batch("CREATE TABLE scan (x INTEGER)")
        .unwrap();
    let o = bin(
        home,
        &db,
        &["restore", old.to_str().unwrap(), "--as", "9001"],
        &[("COUNTERDESK_PASSWORD", "admin9001")],
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("升级到第"), "{}", text(&o));
    assert!(!db.exists(), "no database was put in place");
    let kept = std::fs::read_dir(home)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains(".restore-failed-"));
    assert!(kept, "the copy that would not open is kept for a look");
    assert!(old.is_file(), "the backup itself is untouched");
}

#[test]
fn after_a_restore_hq_takes_the_new_epoch_beside_the_old_without_a_collision() {
    use crate::common::hq::{fresh_store, held, issue_token, Counter, Hq, Kind};
    let s = crate::common::Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "CD-RESTORE");
    let hq = Hq::start(&store);
    let c = Counter::new(&s, "CD-RESTORE", &hq.url(), &token);
    let ok = |o: Output| {
        assert!(o.status.success(), "{}", text(&o));
        text(&o)
    };
    ok(c.run(&["init"]));
    ok(c.run(&["demo-data", "--customers", "5", "--applications", "2"]));
    ok(c.run(&["sync"]));
    let folder = s.path().join("bk");
    ok(c.run(&["backup", folder.to_str().unwrap()]));
    let backup = backups_in(&folder).pop().expect("backup");
    // More work after the backup, sent up: the backup lacks it, HQ has it.
    ok(c.run(&[
        "demo-data",
        "--customers",
        "5",
        "--applications",
        "2",
        "--seed",
        "9",
    ]));
    ok(c.run(&["sync"]));
    let before = held(&store, "CD-RESTORE");
    let old_epoch = before.iter().map(|r| r.0).max().expect("records at HQ");
    // Restored, then sent again.
    let o = Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .env("HOME", s.path())
        .env("COUNTERDESK_PASSWORD", "admin9001")
        .args(["--lang", "zh", "--config"])
        .arg(c.config_file())
        .arg("--db")
        .arg(&c.db)
        .args(["restore", backup.to_str().unwrap(), "--as", "9001"])
        .output()
        .unwrap();
    let said = ok(o);
    assert!(said.contains("备份之后写下的记录"), "{said}");
    let sent = ok(c.run(&["sync"]));
    assert!(!sent.to_lowercase().contains("fork"), "{sent}");
    let after = held(&store, "CD-RESTORE");
    // Everything HQ had is still there as it was; the new epoch came beside it.
    for r in &before {
        assert!(after.contains(r), "HQ lost or changed {r:?}");
    }
    let new: Vec<_> = after.iter().filter(|r| r.0 > old_epoch).collect();
    assert!(!new.is_empty(), "the restore's epoch reached HQ: {after:?}");
    let mut keys: Vec<(i64, i64)> = after.iter().map(|r| (r.0, r.1)).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), after.len(), "one record per (epoch, seq)");
    // The day check says exactly what the restore said: the old epoch's
    // records written after the backup are at HQ and no longer here, a
    // loss the restore acknowledged (so nothing is left to put right: exit
    // 0); the new epoch agrees.
    let o = c.run(&["sync", "--check"]);
    let checked = text(&o);
    assert_eq!(o.status.code(), Some(0), "{checked}");
    let lost: Vec<_> = before
        .iter()
        .filter(|r| r.0 == old_epoch && !crate::common::hq::local(&c.db).contains(r))
        .map(|r| r.1)
        .collect();
    let (from, to) = (lost.iter().min().unwrap(), lost.iter().max().unwrap());
    assert!(
        checked.contains(&format!(
            "sequences lost and acknowledged: {from}–{to} (a restore from a backup at "
        )),
        "{checked}"
    );
    assert!(!checked.contains("sequences that differ"), "{checked}");
    assert!(!checked.contains("— differ"), "{checked}");
    let but_lost = "— agree but for records whose loss was acknowledged";
    assert_eq!(checked.matches(but_lost).count(), 1, "{checked}");
    assert_eq!(checked.matches("— agree").count(), 2, "{checked}");
    // What the restore did not explain is still named: work after the
    // restore that has not gone up yet.
    ok(c.run(&[
        "demo-data",
        "--customers",
        "2",
        "--applications",
        "1",
        "--seed",
        "11",
    ]));
    let o = c.run(&["sync", "--check"]);
    let checked = text(&o);
    assert_eq!(o.status.code(), Some(1), "{checked}");
    assert!(
        checked.contains("— missing at HQ") || checked.contains("— differ"),
        "{checked}"
    );
    assert!(checked.contains("sequences that differ"), "{checked}");
    assert_eq!(checked.matches(but_lost).count(), 1, "{checked}");
    assert!(
        checked.contains(&format!("sequences lost and acknowledged: {from}–{to}")),
        "{checked}"
    );
}
