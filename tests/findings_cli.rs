//! What a new user found on the command line, each fixed: configuration
//! errors with their line in the configured language, every schema error of
//! a form file, `slip reprint --out` for money slips and the settlement
//! report, a password never counted wrong when none was given, and exit
//! codes that tell a refusal from a failure to run.

mod common;

use std::path::Path;
use std::process::Command;

use common::cli::{out, run};
use common::{keys, sign_in, Scratch};
use counterdesk::domain::msg::Lang;
use rusqlite::Connection;

fn site(s: &Scratch, text: &str) -> String {
    let cfg = s.path().join("site.toml");
    std::fs::write(&cfg, text).expect("cfg");
    cfg.to_string_lossy().into_owned()
}

#[test]
fn a_setting_refused_by_its_range_names_the_line_in_the_configured_language() {
    let s = Scratch::new();
    let cfg = site(
        &s,
        "[hall]\nwindow = \"3\"\n\n[slips.paper]\npayment_receipt = \"a5\"\n",
    );
    let o = run(&s, &["--config", &cfg, "verify"], &[]);
    assert_eq!(o.status.code(), Some(3));
    let text = out(&o);
    assert!(text.contains("site.toml 第 5 行"), "{text}");
    assert!(text.contains("\"a5\" 不是这里允许的取值"), "{text}");
    assert!(!text.contains("unknown variant"), "English inside: {text}");

    let cfg = site(&s, "[money]\namount_limit = \"abc\"\n");
    let o = run(&s, &["--config", &cfg, "verify"], &[]);
    assert_eq!(o.status.code(), Some(3));
    let text = out(&o);
    assert!(text.contains("site.toml 第 2 行"), "{text}");
    assert!(text.contains("请写大于零的元金额"), "{text}");
    assert!(!text.contains("write an amount"), "English inside: {text}");

    // The file asks for English: its own problems are in English.
    let cfg = site(
        &s,
        "language = \"en\"\n[money]\namount_limit = \"abc\"\n[security]\nlockout_minutes = 0\n",
    );
    let o = run(&s, &["--config", &cfg, "verify"], &[]);
    let text = out(&o);
    assert!(text.contains("site.toml, line 3"), "{text}");
    assert!(
        text.contains("write an amount in yuan above zero"),
        "{text}"
    );
    // Every problem of the file, each with its line.
    assert!(text.contains("site.toml:5:"), "{text}");
    assert!(!text.contains("配置有误"), "{text}");
}

#[test]
fn every_configuration_problem_is_listed_at_once_without_english_inside() {
    let s = Scratch::new();
    let cfg = site(
        &s,
        "[hall]\nwindow = 7\n[security]\nlockout_minutes = \"x\"\n[money]\namount_limit = \"abc\"\n\
         [slips.paper]\npayment_receipt = 4\n[customers]\nflags = [1]\nfoo = 1\n",
    );
    let o = run(&s, &["--config", &cfg, "verify"], &[]);
    assert_eq!(o.status.code(), Some(3));
    let text = out(&o);
    // The first problem heads the message; each further one has its line.
    assert!(text.contains("site.toml 第 2 行"), "{text}");
    for line in [4, 6, 8, 10, 11] {
        assert!(
            text.contains(&format!("site.toml:{line}:")),
            "line {line}:\n{text}"
        );
    }
    assert!(text.contains("这里的值 7 类型不对"), "{text}");
    assert!(
        text.contains("\"4\" 不是这里允许的取值。请改成以下之一：a4, roll80"),
        "{text}"
    );
    assert!(text.contains("请写大于零的元金额"), "{text}");
    for english in [
        "integer", "string", "expected", "wanted", "invalid", "struct", "sequence",
    ] {
        assert!(
            !text.contains(english),
            "English \"{english}\" inside:\n{text}"
        );
    }
}

#[test]
fn forms_check_reports_every_schema_error_of_a_file() {
    let s = Scratch::new();
    let dir = s.path().join("forms");
    std::fs::create_dir_all(&dir).expect("dir");
    let form =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/rename.toml"))
            .expect("form");
    // Two schema errors far apart: an unknown key and a value of the wrong kind.
    let broken = form
        .replacen("version = ", "colour = \"red\"\nversion = ", 1)
        .replacen("single_id = true", "single_id = \"yes\"", 1);
    assert_ne!(broken, form);
    std::fs::write(dir.join("rename.toml"), &broken).expect("write");
    let o = run(&s, &["forms", "check", &dir.to_string_lossy()], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("\"colour\""), "{text}");
    assert!(
        text.contains("single_id") || text.contains("\"yes\""),
        "{text}"
    );
    let lines = text.lines().filter(|l| l.contains("rename.toml:")).count();
    assert!(lines >= 2, "only the first error was reported:\n{text}");
    // A value of the wrong type is named as written, in the clerk's words.
    assert!(text.contains("这里的值 \"yes\" 类型不对"), "{text}");
    assert!(!text.contains("invalid type"), "{text}");
}

/// A paid receipt, a closed shift and its settlement printed once, through the screens.
fn a_closed_shift(s: &Scratch) -> String {
    let mut config = common::config();
    config.slips.spool_dir = s.path().join("spool");
    let desk = common::desk_with_config(&s.db(), common::clock(), config);
    let mut a = counterdesk::tui::App::new(desk, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    // 128.50 by card, the receipt printed; then the blind close with no
    // cash and the card total, and its settlement report printed.
    keys(
        &mut a,
        "<F6>0<Enter>0591234567<Enter>128.5<Enter><Down><C-u>2<Up><Enter>POS 1<Enter>p<Enter>",
    );
    keys(&mut a, "<F9>");
    for _ in 0..11 {
        keys(&mut a, "<Enter>");
    }
    keys(&mut a, "128.5<Enter><Enter><Enter>");
    assert!(
        common::screen(&a).contains("已日结"),
        "{}",
        common::screen(&a)
    );
    keys(&mut a, "p");
    let cfg = s.path().join("site.toml");
    std::fs::write(
        &cfg,
        format!(
            "[slips]\nspool_dir = \"{}\"\n",
            s.path().join("spool").display()
        ),
    )
    .expect("cfg");
    cfg.to_string_lossy().into_owned()
}

#[test]
fn slip_reprint_writes_money_slips_and_the_settlement_where_out_says() {
    let s = Scratch::new();
    let cfg = a_closed_shift(&s);
    let receipt = s.path().join("receipt-copy.pdf");
    let env = [
        ("COUNTERDESK_PASSWORD", "counter1001"),
        ("COUNTERDESK_MANAGER_PASSWORD", "manager2001"),
    ];
    let o = run(
        &s,
        &[
            "--config",
            &cfg,
            "slip",
            "reprint",
            "R1-00000001",
            "--as",
            "1001",
            "--manager",
            "2001",
            "--out",
            &receipt.to_string_lossy(),
        ],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(receipt.exists());
    // The path printed is the file written, not a copy in the spool.
    assert!(out(&o).contains("receipt-copy.pdf"), "{}", out(&o));
    assert!(!out(&o).contains("spool"), "{}", out(&o));
    let settlement = s.path().join("settlement-copy.pdf");
    let o = run(
        &s,
        &[
            "--config",
            &cfg,
            "slip",
            "reprint",
            "SETTLE-1",
            "--as",
            "1001",
            "--out",
            &settlement.to_string_lossy(),
        ],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    let text = Command::new("pdftotext")
        .arg(&settlement)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("日结单") && text.contains("重打 / REPRINT 1"),
        "{text}"
    );
}

#[test]
fn no_password_given_is_not_counted_as_a_wrong_one() {
    let s = Scratch::new();
    // Create the database and its demo clerks.
    let o = run(&s, &["verify"], &[]);
    assert!(o.status.code().is_some());
    let _ = common::desk_at(&s.db(), common::clock());
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
    let _ = common::desk_at(&s.db(), common::clock());
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
