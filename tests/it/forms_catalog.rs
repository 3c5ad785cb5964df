//! The form catalogue against the source, and `forms check` and the
//! workstation on a broken form, through the real binary.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

const BROKEN: &str = "tests/fixtures/forms/broken";
const GOOD: &str = "tests/fixtures/forms/good";
const CATALOGUE: &str = "assets/messages/form.toml";

/// The form catalogue: key (without "form.") to language to text.
fn catalogue() -> BTreeMap<String, BTreeMap<String, String>> {
    let text = fs::read_to_string(CATALOGUE).unwrap();
    toml::from_str(&text).unwrap()
}

/// Every `msg!("form.…", a = …)` in the source: key to argument names.
fn keys_used_in_source() -> BTreeMap<String, BTreeSet<String>> {
    let mut used = BTreeMap::new();
    for file in [
        "src/domain/form/mod.rs",
        "src/domain/form/schema.rs",
        "src/domain/form/check.rs",
        "src/load/forms.rs",
        "src/domain/problem.rs",
    ] {
        let src = fs::read_to_string(file).unwrap();
        for (start, _) in src.match_indices("msg!(") {
            let body: String = {
                let mut depth = 0;
                let mut out = String::new();
                for c in src[start + 4..].chars() {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    out.push(c);
                    if depth == 0 {
                        break;
                    }
                }
                out
            };
            let Some(key) = body.split('"').nth(1) else {
                continue;
            };
            let Some(key) = key.strip_prefix("form.") else {
                continue;
            };
            let mut args = BTreeSet::new();
            // Top-level `name = value` pairs.
            let mut depth = 0;
            let mut seg = String::new();
            for c in body[1..body.len() - 1].chars().chain([',']) {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                if c == ',' && depth == 0 {
                    if let Some((name, _)) = seg.split_once('=') {
                        let name = name.trim();
                        if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                            args.insert(name.to_string());
                        }
                    }
                    seg.clear();
                } else {
                    seg.push(c);
                }
            }
            let previous = used.insert(key.to_string(), args.clone());
            if let Some(previous) = previous {
                assert_eq!(previous, args, "{key} used with different arguments");
            }
        }
    }
    used
}

fn placeholders(s: &str) -> BTreeSet<String> {
    s.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

#[test]
fn catalogue_covers_every_key_with_matching_placeholders() {
    let cat = catalogue();
    let used = keys_used_in_source();
    assert!(used.len() > 40, "scanner found only {}", used.len());
    for (key, args) in &used {
        let entry = cat
            .get(key)
            .unwrap_or_else(|| panic!("catalogue lacks [{key}]"));
        let langs: Vec<_> = entry.keys().map(String::as_str).collect();
        assert_eq!(langs, ["en", "zh"], "[{key}] must have exactly zh and en");
        for (lang, text) in entry {
            assert!(!text.trim().is_empty(), "[{key}].{lang} is empty");
            assert_eq!(&placeholders(text), args, "[{key}].{lang} placeholders");
        }
    }
    let unused: Vec<_> = cat.keys().filter(|k| !used.contains_key(*k)).collect();
    assert!(unused.is_empty(), "catalogue keys never used: {unused:?}");
}

#[test]
fn forms_check_command_reports_every_problem_and_fails() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "en", "forms", "check", BROKEN])
        .env("HOME", std::env::temp_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!("forms_check_cli_broken_en", stdout);
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "zh", "forms", "check", GOOD])
        .env("HOME", std::env::temp_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("全部 1 个业务表单检查通过"));
}

#[test]
fn workstation_refuses_to_start_on_a_broken_form_with_the_same_report() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "en", "--forms", BROKEN, "--db"])
        .arg(dir.path().join("x.db"))
        .env("HOME", std::env::temp_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot start"), "{stderr}");
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "en", "forms", "check", BROKEN])
        .env("HOME", std::env::temp_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    for line in String::from_utf8_lossy(&check.stdout).lines() {
        assert!(stderr.contains(line), "start-up report lacks: {line}");
    }
    assert!(
        !dir.path().join("x.db").exists(),
        "no database is created on a broken form"
    );
}

fn counterdesk(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(args)
        .env("HOME", std::env::temp_dir())
        .env_remove("COUNTERDESK_LANG")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run")
}

#[test]
fn forms_check_checks_the_calendar_the_workstation_reads_with_the_forms() {
    let dir = tempfile::tempdir().expect("tmp");
    let forms = dir.path().join("forms");
    std::fs::create_dir_all(forms.join("calendar")).expect("dirs");
    std::fs::copy(
        format!("{GOOD}/lv_residential_new.toml"),
        forms.join("lv_residential_new.toml"),
    )
    .expect("form");
    std::fs::write(
        forms.join("calendar/2026.toml"),
        "year = 2026\nholidays = [\n",
    )
    .expect("cal");
    let f = forms.to_string_lossy().into_owned();
    let o = counterdesk(&["--lang", "zh", "forms", "check", &f]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("calendar/2026.toml"), "{text}");
    // The workstation refuses the same folder for the same reason.
    let db = dir.path().join("x.db");
    let start = counterdesk(&["--lang", "zh", "--forms", &f, "--db", &db.to_string_lossy()]);
    assert_eq!(start.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&start.stderr).contains("calendar/2026.toml"));
    // `calendar check` on the forms folder checks its calendar/, briefly.
    let o = counterdesk(&["--lang", "zh", "calendar", "check", &f]);
    assert_eq!(o.status.code(), Some(1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        all.contains("这是业务表单文件夹：检查其中的节假日表"),
        "{all}"
    );
    assert!(
        all.lines().count() < 10,
        "pointed at calendar/, not 600 lines: {all}"
    );
}

#[test]
fn one_bad_value_is_one_problem() {
    let dir = tempfile::tempdir().expect("tmp");
    let forms = dir.path().join("forms");
    std::fs::create_dir_all(&forms).expect("dir");
    let form = std::fs::read_to_string(format!("{GOOD}/lv_residential_new.toml")).expect("form");
    let broken = form.replacen("effective = 20", "effective = \"soon\"\n#20", 1);
    assert_ne!(broken, form);
    std::fs::write(forms.join("lv_residential_new.toml"), broken).expect("write");
    let o = counterdesk(&["--lang", "zh", "forms", "check", &forms.to_string_lossy()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        text.lines()
            .filter(|l| l.contains("lv_residential_new.toml:"))
            .count(),
        1,
        "{text}"
    );
    assert!(text.contains("日期（不加引号，例如 2026-12-01）"), "{text}");
    assert!(!text.contains("datetime"), "{text}");
}
