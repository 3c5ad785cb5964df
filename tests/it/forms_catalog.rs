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
