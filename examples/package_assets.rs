//! Writes what the Debian package carries besides the binary, from the
//! program's own definitions: a man page per command (clap_mangen), shell
//! completions (clap_complete), and the DEP-5 copyright file listing every
//! crate compiled in with its licence, the font's OFL and SQLite's
//! dedication. `scripts/package.sh` runs it before `cargo deb`.
//!
//!     cargo run --example package_assets -- target/package-assets

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::CommandFactory;
use clap_complete::Shell;
use serde_json::Value;

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/package-assets".into()),
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let man = out.join("man");
    let completions = out.join("completions");
    for dir in [&man, &completions] {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
    }
    let cmd = counterdesk::cli::Cli::command();
    clap_mangen::generate_to(cmd.clone(), &man).unwrap_or_else(|e| fail(&format!("man: {e}")));
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut cmd = cmd.clone();
        clap_complete::generate_to(shell, &mut cmd, "counterdesk", &completions)
            .unwrap_or_else(|e| fail(&format!("{shell}: {e}")));
    }
    let copyright = copyright(&root);
    std::fs::write(out.join("copyright"), copyright)
        .unwrap_or_else(|e| fail(&format!("copyright: {e}")));
    let pages = std::fs::read_dir(&man).map(|d| d.count()).unwrap_or(0);
    println!(
        "{pages} man pages, 3 completions and the copyright file in {}",
        out.display()
    );
}

fn fail(what: &str) -> ! {
    eprintln!("package_assets: {what}");
    std::process::exit(1);
}

/// The crates the binary is built from: the package's normal dependencies,
/// followed through the resolve for this platform.
fn crates(root: &Path) -> Vec<(String, String, String, String)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = std::env::var("TARGET").unwrap_or_else(|_| "x86_64-unknown-linux-gnu".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--filter-platform",
            &target,
        ])
        .output()
        .unwrap_or_else(|e| fail(&format!("cargo metadata: {e}")));
    if !out.status.success() {
        fail(&String::from_utf8_lossy(&out.stderr));
    }
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| fail(&e.to_string()));
    let packages: HashMap<&str, &Value> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: HashMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let root_id = meta["resolve"]["root"].as_str().unwrap_or_default();
    let mut seen = BTreeSet::new();
    let mut stack = vec![root_id];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes
            .get(id)
            .and_then(|n| n["deps"].as_array())
            .into_iter()
            .flatten()
        {
            let normal = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null());
            if normal {
                if let Some(p) = dep["pkg"].as_str() {
                    stack.push(p);
                }
            }
        }
    }
    let mut out: Vec<_> = seen
        .into_iter()
        .filter(|id| *id != root_id)
        .filter_map(|id| packages.get(id))
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            let authors: Vec<&str> = p["authors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let holders = if authors.is_empty() {
                format!("the {} authors", s("name"))
            } else {
                authors.join(", ")
            };
            (
                s("name"),
                s("version"),
                dep5_license(&s("license")),
                holders,
            )
        })
        .collect();
    out.sort();
    out
}

/// A crate's SPDX expression in DEP-5's words: `or`/`and` in lower case,
/// the old `/` as `or`.
fn dep5_license(spdx: &str) -> String {
    let spaced = spdx.replace('/', " OR ").replace(['(', ')'], " ");
    let words: Vec<String> = spaced
        .split_whitespace()
        .map(|w| match w {
            "OR" => "or".to_string(),
            "AND" => "and".to_string(),
            "WITH" => "with".to_string(),
            other => other.to_string(),
        })
        .collect();
    words.join(" ")
}

/// Licences whose text Debian ships in /usr/share/common-licenses.
const COMMON: &[&str] = &["Apache-2.0", "MPL-2.0", "CC0-1.0"];

fn copyright(root: &Path) -> String {
    let mut text = String::from(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\
         Upstream-Name: counterdesk\n\
         Comment: counterdesk is one program: the crates below are compiled into\n \
         /usr/bin/counterdesk, the font and SQLite with them.\n\n\
         Files: *\n\
         Copyright: the counterdesk developers\n\
         License: MIT\n\n\
         Files: assets/fonts/NotoSansCJKsc-Regular.otf\n\
         Copyright: 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'\n \
         2010-2012 Google Corporation\n\
         License: OFL-1.1\n\n\
         Files: vendor/libsqlite3-sys/sqlite3/*\n\
         Copyright: none (SQLite is dedicated to the public domain)\n\
         License: public-domain\n",
    );
    let mut used: BTreeSet<String> = ["MIT", "OFL-1.1", "public-domain"]
        .into_iter()
        .map(String::from)
        .collect();
    let mut by_license: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for (name, version, license, holders) in crates(root) {
        for word in license.split_whitespace() {
            if !matches!(word, "or" | "and" | "with") {
                used.insert(word.to_string());
            }
        }
        by_license
            .entry(license)
            .or_default()
            .push((name, version, holders));
    }
    for (license, list) in &by_license {
        for (name, version, holders) in list {
            text.push_str(&format!(
                "\nFiles: vendor/{name}-{version}/*\nCopyright: {}\nLicense: {license}\n",
                holders.replace('\n', " ")
            ));
        }
    }
    let licenses = root.join("debian/licenses");
    for id in &used {
        text.push_str(&format!("\nLicense: {id}\n"));
        if COMMON.contains(&id.as_str()) {
            text.push_str(&format!(
                " On Debian systems, the complete text of the {id} licence can be\n \
                 found in /usr/share/common-licenses/{id}.\n"
            ));
            continue;
        }
        let body = std::fs::read_to_string(licenses.join(id))
            .unwrap_or_else(|_| fail(&format!("no text for the licence {id} in debian/licenses/")));
        for line in body.lines() {
            // DEP-5 continuation lines: a space first, an empty line as " .".
            if line.trim().is_empty() {
                text.push_str(" .\n");
            } else {
                text.push(' ');
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    text
}
