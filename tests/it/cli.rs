//! The command line as support staff, administrators and scripts use it.

use std::process::Command;

use crate::common::cli::{out, run};
use crate::common::Scratch;
use rusqlite::Connection;

const ADMIN: &[(&str, &str)] = &[("COUNTERDESK_PASSWORD", "admin9001")];

#[test]
fn id_check_exit_codes_follow_the_verdict() {
    let s = Scratch::new();
    let valid = run(
        &s,
        &["--lang", "en", "id", "check", "11010519491231002X"],
        &[],
    );
    assert_eq!(valid.status.code(), Some(0), "{}", out(&valid));
    let text = out(&valid);
    assert!(
        text.contains("Valid")
            && text.contains("1949-12-31")
            && text.contains("Female")
            && text.contains("Beijing"),
        "{text}"
    );
    let legacy = run(&s, &["--lang", "en", "id", "check", "110105491231002"], &[]);
    assert_eq!(legacy.status.code(), Some(0));
    assert!(
        out(&legacy).contains("→ 11010519491231002X"),
        "{}",
        out(&legacy)
    );
    let suspicious = run(&s, &["id", "check", "91350100M000100Y42"], &[]);
    assert_eq!(suspicious.status.code(), Some(1), "{}", out(&suspicious));
    let invalid = run(&s, &["id", "check", "91350100M000100Y4Z"], &[]);
    assert_eq!(invalid.status.code(), Some(2), "{}", out(&invalid));
    // The worst verdict decides when several numbers are given.
    let mixed = run(
        &s,
        &[
            "id",
            "check",
            "91350100M000100Y43",
            "91350100M000100Y4Z",
            "11010519491231002X",
        ],
        &[],
    );
    assert_eq!(mixed.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&mixed.stdout).lines().count(), 3);
}

#[test]
fn id_check_json_is_machine_readable() {
    let s = Scratch::new();
    let o = run(
        &s,
        &[
            "id",
            "check",
            "--json",
            "11010519491231002x",
            "110105194912310021",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v[0]["verdict"], "valid");
    assert_eq!(v[0]["normalized"], "11010519491231002X");
    assert_eq!(v[0]["gender"], "female");
    assert_eq!(v[0]["birth_date"], "1949-12-31");
    assert_eq!(v[0]["province"], "11");
    assert_eq!(v[1]["verdict"], "invalid");
    assert!(v[1]["reason"].as_str().expect("reason").contains('X'));
}

#[test]
fn verify_names_an_edited_and_a_deleted_audit_entry() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    for _ in 0..3 {
        let o = run(&s, &["clerk", "list", "--as", "9001"], ADMIN);
        assert!(o.status.success(), "{}", out(&o));
    }
    let ok = run(&s, &["--lang", "en", "verify"], &[]);
    assert_eq!(ok.status.code(), Some(0), "{}", out(&ok));
    assert!(
        out(&ok).contains("Audit chain intact: 7 entries"),
        "{}",
        out(&ok)
    );

    let c = Connection::open(s.db()).expect("db");
    c.execute("UPDATE audit_log SET subject = '9002' WHERE seq = 4", [])
        .expect("edit");
    let edited = run(&s, &["--lang", "en", "verify"], &[]);
    assert_eq!(edited.status.code(), Some(1));
    assert!(
        out(&edited).contains("Audit entry 4 has been edited"),
        "{}",
        out(&edited)
    );

    let original = run(&s, &["--lang", "zh", "verify"], &[]);
    assert!(
        out(&original).contains("审计日志第 4 条被改动过"),
        "{}",
        out(&original)
    );
}

#[test]
fn verify_names_deleted_entries_in_the_middle_and_at_the_end() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    for _ in 0..2 {
        assert!(run(&s, &["clerk", "list", "--as", "9001"], ADMIN)
            .status
            .success());
    }
    let c = Connection::open(s.db()).expect("db");
    let last: i64 = c
        .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
        .expect("max");
    c.execute("DELETE FROM audit_log WHERE seq = ?1", [last])
        .expect("delete last");
    let truncated = run(&s, &["--lang", "en", "verify"], &[]);
    assert_eq!(truncated.status.code(), Some(1));
    assert!(
        out(&truncated).contains(&format!(
            "the log ends at {} but the recorded head is {last}",
            last - 1
        )),
        "{}",
        out(&truncated)
    );

    c.execute("DELETE FROM audit_log WHERE seq = 2", [])
        .expect("delete");
    let missing = run(&s, &["--lang", "en", "verify"], &[]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        out(&missing).contains("Audit entry 2 is missing"),
        "{}",
        out(&missing)
    );
}

#[test]
fn clerk_administration() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let add = run(
        &s,
        &[
            "clerk",
            "add",
            "--as",
            "9001",
            "--staff-no",
            "1003",
            "--name",
            "吴欣怡",
            "--role",
            "clerk",
        ],
        &[
            ("COUNTERDESK_PASSWORD", "admin9001"),
            ("COUNTERDESK_NEW_PASSWORD", "newclerk1003"),
        ],
    );
    assert!(add.status.success(), "{}", out(&add));
    let list = run(
        &s,
        &["--lang", "en", "clerk", "list", "--as", "9001"],
        ADMIN,
    );
    let listing = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(listing.contains("1003\t吴欣怡\tCounter clerk"), "{listing}");
    assert!(listing.contains("2001\t李强\tDuty manager"), "{listing}");

    // A clerk is not an administrator.
    let refused = run(
        &s,
        &["clerk", "list", "--as", "1003"],
        &[("COUNTERDESK_PASSWORD", "newclerk1003")],
    );
    assert_eq!(refused.status.code(), Some(4));
    assert!(
        out(&refused).contains("只有系统管理员"),
        "{}",
        out(&refused)
    );

    // Wrong administrator password.
    let wrong = run(
        &s,
        &["clerk", "list", "--as", "9001"],
        &[("COUNTERDESK_PASSWORD", "guess")],
    );
    assert_eq!(wrong.status.code(), Some(4));

    // Lock 1003 out, then reset lifts the lock.
    for _ in 0..5 {
        run(
            &s,
            &["clerk", "list", "--as", "1003"],
            &[("COUNTERDESK_PASSWORD", "bad-password")],
        );
    }
    let locked = run(
        &s,
        &["--lang", "en", "clerk", "list", "--as", "9001"],
        ADMIN,
    );
    assert!(String::from_utf8_lossy(&locked.stdout).contains("1003\t吴欣怡\tCounter clerk\tlocked"));
    let reset = run(
        &s,
        &["clerk", "reset-password", "--as", "9001", "1003"],
        &[
            ("COUNTERDESK_PASSWORD", "admin9001"),
            ("COUNTERDESK_NEW_PASSWORD", "fresh-1003"),
        ],
    );
    assert!(reset.status.success(), "{}", out(&reset));
    let after = run(
        &s,
        &["clerk", "list", "--as", "1003"],
        &[("COUNTERDESK_PASSWORD", "fresh-1003")],
    );
    assert!(
        out(&after).contains("只有系统管理员"),
        "signed in, then refused as non-admin: {}",
        out(&after)
    );

    let disable = run(&s, &["clerk", "disable", "--as", "9001", "1003"], ADMIN);
    assert!(disable.status.success(), "{}", out(&disable));
    let gone = run(
        &s,
        &["clerk", "list", "--as", "1003"],
        &[("COUNTERDESK_PASSWORD", "fresh-1003")],
    );
    assert!(out(&gone).contains("已停用"), "{}", out(&gone));
    let self_disable = run(&s, &["clerk", "disable", "--as", "9001", "9001"], ADMIN);
    assert_eq!(self_disable.status.code(), Some(4));

    // Every step is in the audit log.
    let c = Connection::open(s.db()).expect("db");
    for action in [
        "clerk.add",
        "clerk.reset_password",
        "clerk.disable",
        "auth.locked",
    ] {
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action = ?1",
                [action],
                |r| r.get(0),
            )
            .expect("n");
        assert!(n >= 1, "{action} not audited");
    }
}

#[test]
fn a_live_hall_starts_without_demo_clerks_and_creates_its_first_admin() {
    let s = Scratch::new();
    let cfg = s.path().join("site.toml");
    std::fs::write(&cfg, "seed_demo_clerks = false\n").expect("cfg");
    let cfg = cfg.to_string_lossy().into_owned();
    let not_admin = run(
        &s,
        &[
            "--config",
            &cfg,
            "clerk",
            "add",
            "--staff-no",
            "1",
            "--name",
            "周志",
            "--role",
            "clerk",
        ],
        &[("COUNTERDESK_NEW_PASSWORD", "first-password")],
    );
    assert_eq!(not_admin.status.code(), Some(4), "{}", out(&not_admin));
    let first = run(
        &s,
        &[
            "--config",
            &cfg,
            "clerk",
            "add",
            "--staff-no",
            "1",
            "--name",
            "周志",
            "--role",
            "admin",
        ],
        &[("COUNTERDESK_NEW_PASSWORD", "first-password")],
    );
    assert!(first.status.success(), "{}", out(&first));
    let second = run(
        &s,
        &[
            "--config",
            &cfg,
            "clerk",
            "add",
            "--staff-no",
            "2",
            "--name",
            "孙海",
            "--role",
            "admin",
        ],
        &[("COUNTERDESK_NEW_PASSWORD", "second-password")],
    );
    assert_eq!(
        second.status.code(),
        Some(4),
        "only the very first admin needs no sign-in"
    );
}

#[test]
fn demo_data_fills_valid_realistic_customers() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let o = run(&s, &["demo-data", "--customers", "2000"], &[]);
    assert!(o.status.success(), "{}", out(&o));
    let c = Connection::open(s.db()).expect("db");
    let n: i64 = c
        .query_row("SELECT count(*) FROM customer", [], |r| r.get(0))
        .expect("n");
    assert_eq!(n, 2000);
    let accounts: i64 = c
        .query_row("SELECT count(*) FROM account", [], |r| r.get(0))
        .expect("a");
    assert_eq!(accounts, 2000);
    let today = chrono::Local::now().date_naive();
    let mut st = c
        .prepare("SELECT id_no, name, phone, address FROM customer")
        .expect("p");
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .expect("q");
    for row in rows {
        let (id, name, phone, address) = row.expect("row");
        let check = counterdesk::domain::id::check(&id, today);
        assert!(check.verdict.is_valid(), "{id}: {:?}", check.verdict);
        assert!(
            counterdesk::domain::customer::validate_name(&name).is_ok(),
            "{name}"
        );
        assert!(
            counterdesk::domain::customer::validate_phone(&phone).is_ok(),
            "{phone}"
        );
        assert!(address.contains('号'), "{address}");
    }
    let verify = run(&s, &["verify"], &[]);
    assert!(verify.status.success(), "{}", out(&verify));
}

#[test]
fn default_config_prints_and_parses() {
    let s = Scratch::new();
    let o = run(&s, &["--print-default-config"], &[]);
    assert!(o.status.success());
    let printed = String::from_utf8_lossy(&o.stdout);
    let parsed: counterdesk::config::Config = toml::from_str(&printed).expect("parses");
    assert_eq!(parsed, counterdesk::config::Config::default());
}

#[test]
fn bad_configuration_names_the_file_and_line() {
    let s = Scratch::new();
    let cfg = s.path().join("site.toml");
    std::fs::write(&cfg, "[security]\nmax_failed_sign_ins = \"five\"\n").expect("cfg");
    let o = run(&s, &["--config", &cfg.to_string_lossy(), "verify"], &[]);
    assert_eq!(o.status.code(), Some(3));
    let text = out(&o);
    assert!(text.contains("site.toml 第 2 行"), "{text}");
    let o = run(&s, &["--lang", "de", "verify"], &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(out(&o).contains("zh | en"), "{}", out(&o));
    let env_lang = run(
        &s,
        &["id", "check", "11010519491231002X"],
        &[("COUNTERDESK_LANG", "en")],
    );
    assert!(
        out(&env_lang).contains("Female"),
        "environment sets the language: {}",
        out(&env_lang)
    );
}

#[test]
fn database_problems_get_one_clear_message() {
    let s = Scratch::new();
    {
        let c = Connection::open(s.db()).expect("db");
        c.execute_batch("PRAGMA user_version = 99;").expect("v");
    }
    let newer = run(
        &s,
        &["--lang", "en", "clerk", "list", "--as", "9001"],
        ADMIN,
    );
    assert_eq!(newer.status.code(), Some(3));
    assert!(
        out(&newer).contains("written by a newer counterdesk"),
        "{}",
        out(&newer)
    );

    let blocker = s.path().join("file");
    std::fs::write(&blocker, "x").expect("w");
    let o = Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "en", "--db"])
        .arg(blocker.join("sub/x.db"))
        .env("HOME", s.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(3));
    assert!(out(&o).contains("Cannot use the folder"), "{}", out(&o));

    let junk = s.path().join("junk.db");
    std::fs::write(&junk, "not sqlite ".repeat(500)).expect("w");
    let o = Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "en", "--db"])
        .arg(&junk)
        .arg("verify")
        .env("HOME", s.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(3));
    assert!(out(&o).contains("damaged"), "{}", out(&o));
}

#[test]
fn calendar_due_and_check_for_support_staff() {
    let s = Scratch::new();
    let o = run(&s, &["calendar", "due", "2026-09-30", "3"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // National Day 10/1–10/7 rests; Saturday 10/10 is a make-up working day.
    assert!(out(&o).contains("2026-10-10（星期六）"), "{}", out(&o));
    let o = run(
        &s,
        &["--lang", "en", "calendar", "due", "2025-12-30", "2"],
        &[],
    );
    assert!(
        out(&o).contains("2026-01-04 (Sunday)") && !out(&o).contains("estimate"),
        "{}",
        out(&o)
    );
    let o = run(
        &s,
        &["--lang", "en", "calendar", "due", "2026-12-28", "10"],
        &[],
    );
    assert!(
        out(&o).contains("2027-01-11") && out(&o).contains("estimate"),
        "{}",
        out(&o)
    );
    let o = run(&s, &["calendar", "due", "2026-02-30", "3"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&s, &["calendar", "due", "2026-01-01", "99999"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let o = run(&s, &["calendar", "check"], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("2025–2026"), "{}", out(&o));
}

#[test]
fn a_broken_calendar_stops_the_workstation_with_file_and_line() {
    let s = Scratch::new();
    let forms = s.path().join("forms");
    std::fs::create_dir_all(forms.join("calendar")).expect("dir");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("forms");
    std::fs::copy(
        root.join("lv_residential_new.toml"),
        forms.join("lv_residential_new.toml"),
    )
    .expect("form");
    std::fs::copy(
        root.join("calendar/2025.toml"),
        forms.join("calendar/2025.toml"),
    )
    .expect("2025");
    let text = std::fs::read_to_string(root.join("calendar/2026.toml")).expect("2026");
    // The same make-up day twice.
    let broken = text.replacen("2026-02-28", "2026-02-14", 1);
    assert_ne!(broken, text);
    std::fs::write(forms.join("calendar/2026.toml"), broken).expect("write");
    let o = run(
        &s,
        &["--lang", "en", "--forms", &forms.to_string_lossy()],
        &[],
    );
    assert_eq!(o.status.code(), Some(3), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains("holiday tables have") && text.contains("2026.toml:"),
        "{text}"
    );
    let check = run(
        &s,
        &[
            "--lang",
            "en",
            "calendar",
            "check",
            &forms.join("calendar").to_string_lossy(),
        ],
        &[],
    );
    assert_eq!(check.status.code(), Some(1));
    // A missing year between two known ones is refused too.
    std::fs::remove_file(forms.join("calendar/2026.toml")).expect("rm");
    std::fs::write(forms.join("calendar/2027.toml"), text_for_2027()).expect("2027");
    let o = run(
        &s,
        &[
            "--lang",
            "en",
            "calendar",
            "check",
            &forms.join("calendar").to_string_lossy(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("2026"),
        "the missing year is named: {}",
        out(&o)
    );
}

fn text_for_2027() -> String {
    "year = 2027\nsource = { title = \"test\", published = 2026-11-04 }\n\n[[holidays]]\nname = { zh = \"元旦\", en = \"New Year's Day\" }\nfrom = 2027-01-01\nto = 2027-01-01\n".to_string()
}

#[test]
fn no_password_given_is_not_counted_as_a_wrong_one() {
    let s = Scratch::new();
    // Create the database and its demo clerks.
    let o = run(&s, &["verify"], &[]);
    assert!(o.status.code().is_some());
    let _ = crate::common::desk_at(&s.db(), crate::common::clock());
    for _ in 0..6 {
        // Standard input is empty: a script piped nothing.
        let o = run(&s, &["clerk", "list", "--as", "9001"], &[]);
        assert_eq!(o.status.code(), Some(2), "{}", out(&o));
        assert!(out(&o).contains("没有读到密码"), "{}", out(&o));
    }
    let failures: i64 = Connection::open(s.db())
        .expect("db")
        .query_row(
            "SELECT failed_attempts FROM clerk WHERE staff_no = '9001'",
            [],
            |r| r.get(0),
        )
        .expect("row");
    assert_eq!(failures, 0);
    // And the administrator is not locked out.
    let o = run(
        &s,
        &["clerk", "list", "--as", "9001"],
        &[("COUNTERDESK_PASSWORD", "admin9001")],
    );
    assert!(o.status.success(), "{}", out(&o));
}

#[test]
fn a_refusal_exits_4_and_a_database_that_cannot_be_used_exits_3() {
    let s = Scratch::new();
    let _ = crate::common::desk_at(&s.db(), crate::common::clock());
    let unknown = run(
        &s,
        &["slip", "reprint", "SL20990101-1-0001", "--as", "1001"],
        &[("COUNTERDESK_PASSWORD", "counter1001")],
    );
    assert_eq!(unknown.status.code(), Some(4), "{}", out(&unknown));
    assert!(
        out(&unknown).contains("SL20990101-1-0001"),
        "{}",
        out(&unknown)
    );
    let taken = run(
        &s,
        &[
            "clerk",
            "add",
            "--staff-no",
            "1001",
            "--name",
            "重复",
            "--role",
            "clerk",
            "--as",
            "9001",
        ],
        &[
            ("COUNTERDESK_PASSWORD", "admin9001"),
            ("COUNTERDESK_NEW_PASSWORD", "another-password"),
        ],
    );
    assert_eq!(taken.status.code(), Some(4), "{}", out(&taken));
    std::fs::write(s.path().join("broken.db"), b"this is not a database").expect("write");
    let broken = Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .arg("--db")
        .arg(s.path().join("broken.db"))
        .args(["clerk", "list", "--as", "9001"])
        .env("COUNTERDESK_PASSWORD", "admin9001")
        .env("HOME", s.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert_eq!(broken.status.code(), Some(3), "{}", out(&broken));
}

/// Runs the binary with its standard output (and error, for `2>&1`) a pipe
/// whose reader has already gone, as `| head -0` leaves it.
fn into_closed_pipe(s: &Scratch, args: &[&str], both: bool) -> std::process::Output {
    use std::process::Stdio;
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut c = Command::new(env!("CARGO_BIN_EXE_counterdesk"));
    c.arg("--db").arg(s.db()).args(args).env("HOME", s.path());
    c.env_remove("COUNTERDESK_LANG").stdin(Stdio::null());
    if both {
        c.stderr(writer.try_clone().expect("clone"));
    } else {
        c.stderr(Stdio::piped());
    }
    c.stdout(writer);
    c.output().expect("run")
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let many: Vec<&str> = std::iter::repeat_n("11010519491231002X", 2000).collect();
    let mut id = vec!["id", "check"];
    id.extend(&many);
    for args in [
        id.clone(),
        vec!["--print-default-config"],
        vec!["calendar", "due", "2026-09-30", "3"],
        vec!["forms", "check"],
        vec!["verify"],
        vec!["case", "overdue"],
    ] {
        let o = into_closed_pipe(&s, &args, false);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_ne!(o.status.code(), Some(101), "{args:?} panicked: {err}");
        assert!(o.status.code().is_some(), "{args:?} killed by a signal");
        assert!(
            !err.contains("Broken pipe") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
    // The verdict is still the exit code.
    assert_eq!(into_closed_pipe(&s, &id, false).status.code(), Some(0));
    // Standard error in the same closed pipe (2>&1 | head -0) too.
    let o = into_closed_pipe(&s, &["id", "check", "11010519491231002Y"], true);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn hq_publish_help_names_every_kind_it_takes() {
    let s = Scratch::new();
    let o = run(&s, &["hq", "publish", "--help"], &[]);
    let help = out(&o);
    for kind in ["account", "bill", "case", "case_step", "clerk", "grid"] {
        assert!(help.contains(&format!("\"{kind}\"")), "{kind}: {help}");
    }
}
