//! Reading the `*.toml` files of a folder for the strict loaders (forms,
//! holiday tables): file-name order, hidden files and subfolders skipped,
//! a missing, unreadable or empty folder reported as a problem, and each
//! file's text or why it cannot be had. The copies built into the program
//! go through the same order.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use crate::domain::msg::Msg;
use crate::domain::problem::{line_at, Problem};

/// The messages a loader uses for problems with the folder and its files.
pub struct FolderMessages {
    /// The folder does not exist.
    pub missing: fn() -> Msg,
    /// The folder cannot be read (with the system's reason).
    pub unreadable: fn(String) -> Msg,
    /// The folder holds no `*.toml` file.
    pub empty: fn() -> Msg,
    /// A file cannot be read (with the system's reason).
    pub file_unreadable: fn(String) -> Msg,
    /// A file is not UTF-8.
    pub not_utf8: fn() -> Msg,
}

/// A file as named in problems, and its text or why it cannot be had.
pub type FileText = (String, Result<String, Problem>);

/// Every `*.toml` file directly in `dir`, read, in file-name order, with
/// any problems met while listing; `Err` when there is nothing to load.
pub fn read_toml_files(
    dir: &Path,
    m: &FolderMessages,
) -> Result<(Vec<FileText>, Vec<Problem>), Vec<Problem>> {
    let (names, problems) = toml_files(dir, m)?;
    let files = names
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            let file = path.display().to_string();
            let text = read_text(&path, &file, m);
            (file, text)
        })
        .collect();
    Ok((files, problems))
}

/// Files built into the program as (name, contents), in name order; the
/// set named `set` is a problem of its own when it holds none.
pub fn embedded_files(
    files: &[(&str, &str)],
    set: &str,
    m: &FolderMessages,
) -> Result<Vec<FileText>, Vec<Problem>> {
    if files.is_empty() {
        return Err(vec![folder_problem(set, (m.empty)())]);
    }
    let mut files: Vec<FileText> = files
        .iter()
        .map(|(name, text)| (name.to_string(), Ok(text.to_string())))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// A file's text, or why it cannot be had.
fn read_text(path: &Path, file: &str, m: &FolderMessages) -> Result<String, Problem> {
    let bytes =
        fs::read(path).map_err(|e| Problem::new(file, None, (m.file_unreadable)(e.to_string())))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = line_at(e.as_bytes(), e.utf8_error().valid_up_to());
        Problem::new(file, Some(line), (m.not_utf8)())
    })
}

fn folder_problem(dir: &str, msg: Msg) -> Problem {
    Problem {
        file: dir.to_string(),
        line: None,
        msg,
    }
}

/// The `*.toml` file names directly in `dir`, sorted, with any problems met
/// while listing; `Err` when there is nothing to load at all.
fn toml_files(dir: &Path, m: &FolderMessages) -> Result<(Vec<String>, Vec<Problem>), Vec<Problem>> {
    let dir_name = dir.display().to_string();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(vec![folder_problem(&dir_name, (m.missing)())])
        }
        Err(e) => {
            return Err(vec![folder_problem(
                &dir_name,
                (m.unreadable)(e.to_string()),
            )])
        }
    };
    let mut problems = Vec::new();
    let mut names = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(folder_problem(&dir_name, (m.unreadable)(e.to_string())));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !name.ends_with(".toml") {
            continue;
        }
        // fs::metadata follows symbolic links, so a linked file counts and a
        // directory that happens to end in .toml does not.
        match fs::metadata(entry.path()) {
            Ok(meta) if meta.is_dir() => {}
            _ => names.push(name),
        }
    }
    names.sort();
    if names.is_empty() && problems.is_empty() {
        return Err(vec![folder_problem(&dir_name, (m.empty)())]);
    }
    Ok((names, problems))
}
