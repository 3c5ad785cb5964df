//! Embeds the numbered migrations and the shipped forms in the binary, so a
//! fresh machine needs nothing beside the executable.
use std::fmt::Write as _;
use std::path::Path;

fn embed(dir: &str, ext: &str, out: &mut String, name: &str) {
    // The package being built now, read when the script runs: a script
    // binary reused from another checkout sharing the target folder must
    // not embed that checkout's files (or, once it is gone, none at all).
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join(dir);
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<_> = match std::fs::read_dir(&root) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
            .collect(),
        Err(e) => panic!("cannot read {}: {e}", root.display()),
    };
    files.sort();
    let _ = writeln!(out, "pub static {name}: &[(&str, &str)] = &[");
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let file_name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    ({file_name:?}, include_str!({:?})),",
            f.display().to_string()
        );
    }
    let _ = writeln!(out, "];");
}

fn main() {
    let mut out = String::new();
    embed("migrations", "sql", &mut out, "MIGRATIONS");
    embed("migrations/lab", "sql", &mut out, "LAB_MIGRATIONS");
    embed("forms/training", "toml", &mut out, "SCENARIOS");
    embed("forms/training/questions", "toml", &mut out, "QUESTIONS");
    embed("forms", "toml", &mut out, "FORMS");
    embed("forms/calendar", "toml", &mut out, "CALENDAR");
    embed("assets/messages", "toml", &mut out, "MESSAGES");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
