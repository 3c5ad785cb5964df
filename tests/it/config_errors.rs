//! Configuration errors as a new user meets them: each with its line, in
//! the configured language, every problem of the file at once; and every
//! schema error of a form file.

use std::path::Path;

use crate::common::cli::{out, run};
use crate::common::Scratch;

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

#[test]
fn plain_http_to_an_hq_elsewhere_is_refused_with_the_reason() {
    let s = Scratch::new();
    let cfg = site(&s, "[hq]\nurl = \"http://10.1.2.3:8443\"\n");
    let o = run(&s, &["--config", &cfg, "verify"], &[]);
    assert_eq!(o.status.code(), Some(3), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("site.toml 第 2 行"), "{text}");
    assert!(text.contains("明文") && text.contains("https://"), "{text}");
    // To this machine itself, plain http is allowed (a test HQ, a local proxy).
    let cfg = site(&s, "[hq]\nurl = \"http://127.0.0.1:8443\"\n");
    let o = run(
        &s,
        &["--config", &cfg, "id", "check", "11010519491231002X"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

#[test]
fn configuration_messages_say_what_to_write_in_plain_words() {
    let s = Scratch::new();
    let english = ["invalid value", "expected", "integer", "u32", "u64"];
    let cases: [(&str, &[&str]); 8] = [
        (
            "[hq]\nbatch_size = -1\n",
            &["site.toml 第 2 行", "-1 不能为负"],
        ),
        ("[customers]\ngreen_channel_age = -5\n", &["-5 不能为负"]),
        ("[slips]\nspool_dir = 12\n", &["两边加引号的路径"]),
        (
            "[money]\namount_limit = 99999999999999999999999\n",
            &["数字 99999999999999999999999 太大"],
        ),
        (
            "[hall]\nwindow = \"\"\n",
            &["不能用作窗口号", "1 到 8 位字母或数字"],
        ),
        (
            "[hall]\nwindow = \"../../evil\"\n",
            &["\"../../evil\" 不能用作窗口号"],
        ),
        ("[hall]\nname = \"\"\n", &["hall.name 不能为空"]),
        ("[money]\nlate_fee_minimum = 3\n", &["两边加引号的元金额"]),
    ];
    for (text, wanted) in cases {
        let cfg = site(&s, text);
        let o = run(
            &s,
            &["--config", &cfg, "id", "check", "11010519491231002X"],
            &[],
        );
        assert_eq!(o.status.code(), Some(3), "{text}: {}", out(&o));
        let said = out(&o);
        for w in wanted {
            assert!(said.contains(w), "{text}: {w:?} in\n{said}");
        }
        assert!(!said.contains("TOML 格式"), "{text}: {said}");
        assert!(
            !said.contains("\"1.00\"") || text.contains("late_fee"),
            "{text}: {said}"
        );
        for e in english {
            assert!(!said.contains(e), "{text}: English {e:?} in\n{said}");
        }
    }
}

#[test]
fn a_token_file_that_is_not_there_is_named_as_missing() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let missing = s.path().join("no-such.token");
    let cfg = site(
        &s,
        &format!(
            "[hq]\nurl = \"http://127.0.0.1:9\"\ntoken_file = \"{}\"\n",
            missing.display()
        ),
    );
    let o = run(&s, &["--config", &cfg, "sync"], &[]);
    assert_eq!(o.status.code(), Some(4), "{}", out(&o));
    let said = out(&o);
    assert!(said.contains(&missing.display().to_string()), "{said}");
    assert!(said.contains("无法读取"), "{said}");
    assert!(
        !said.contains("或配置 hq.token_file"),
        "the setting is made: {said}"
    );
}

#[test]
fn a_database_path_that_is_a_folder_is_called_one() {
    let s = Scratch::new();
    let folder = s.path().join("data");
    std::fs::create_dir_all(&folder).expect("folder");
    let cfg = site(&s, &format!("database = \"{}\"\n", folder.display()));
    for args in [vec!["verify"], vec!["init"], vec!["case", "overdue"]] {
        let mut a = vec!["--config", cfg.as_str()];
        a.extend(args.iter().copied());
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
            .args(&a)
            .env("HOME", s.path())
            .env_remove("COUNTERDESK_LANG")
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", out(&o));
        assert!(
            out(&o).contains("是一个文件夹，不是数据库文件"),
            "{args:?}: {}",
            out(&o)
        );
        assert!(
            out(&o).contains("counterdesk.db"),
            "an example file name: {}",
            out(&o)
        );
    }
}
