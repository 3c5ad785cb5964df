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
