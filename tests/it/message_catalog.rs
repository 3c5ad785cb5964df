//! Every message the code can show exists in both languages, with the same
//! placeholders, and no catalogue entry is left unused.

use std::collections::BTreeSet;
use std::path::Path;

use counterdesk::domain::msg::Lang;
use counterdesk::i18n::catalog;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Keys written as string literals in the source where a message is made:
/// `msg!("a.b"`, `t("a.b"`, `Msg::new("a.b"`, `Field::new("a.b"`, and the
/// keymap's descriptions and help titles (`key.*`, `help.*`).
fn used_keys() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut keys = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        let mut offset = 0;
        while let Some(start) = text[offset..].find('"') {
            let open = offset + start;
            let Some(len) = text[open + 1..].find('"') else {
                break;
            };
            let lit = &text[open + 1..open + 1 + len];
            offset = open + len + 2;
            let before = text[..open].trim_end();
            let made_here = ["msg!(", "t(", "Msg::new(", "Field::new("]
                .iter()
                .any(|p| before.ends_with(p))
                || lit.starts_with("key.")
                || lit.starts_with("help.");
            let shaped = lit.split('.').count() == 2
                && !lit.ends_with('.')
                && lit
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.' || c.is_ascii_digit());
            if made_here && shaped {
                keys.insert(lit.to_string());
            }
        }
    }
    keys
}

fn placeholders(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        if let Some(j) = rest.find('}') {
            out.insert(rest[..j].to_string());
            rest = &rest[j + 1..];
        }
    }
    out
}

#[test]
fn every_used_key_exists_in_both_languages() {
    let cat = catalog();
    let used = used_keys();
    assert!(
        used.len() > 100,
        "the scanner found only {} keys",
        used.len()
    );
    let missing: Vec<String> = used.into_iter().filter(|k| !cat.has(k)).collect();
    assert!(
        missing.is_empty(),
        "keys missing from assets/messages: {missing:?}"
    );
}

#[test]
fn both_languages_take_the_same_arguments_and_are_not_empty() {
    let cat = catalog();
    let mut bad = Vec::new();
    for key in cat.keys() {
        let zh = cat.template(key, Lang::Zh).unwrap_or_default();
        let en = cat.template(key, Lang::En).unwrap_or_default();
        if zh.trim().is_empty() || en.trim().is_empty() || placeholders(zh) != placeholders(en) {
            bad.push(key.to_string());
        }
    }
    assert!(
        bad.is_empty(),
        "entries with empty text or differing placeholders: {bad:?}"
    );
}

#[test]
fn chinese_texts_are_chinese() {
    let cat = catalog();
    let latin_only: Vec<String> = cat
        .keys()
        .filter(|k| !k.starts_with("tariff.other"))
        .filter(|k| {
            let zh = cat.template(k, Lang::Zh).unwrap_or_default();
            !zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        })
        .map(str::to_string)
        .collect();
    assert!(
        latin_only.is_empty(),
        "zh entries without Chinese: {latin_only:?}"
    );
}
