//! Listing the `*.toml` files of a folder for the strict loaders (forms,
//! holiday tables): file-name order, hidden files and subfolders skipped,
//! and a missing, unreadable or empty folder reported as a problem.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use crate::domain::msg::Msg;
use crate::domain::problem::Problem;

/// The messages a loader uses for problems with the folder itself.
pub struct FolderMessages<'a> {
    /// The folder does not exist.
    pub missing: &'a dyn Fn() -> Msg,
    /// The folder cannot be read (with the system's reason).
    pub unreadable: &'a dyn Fn(String) -> Msg,
    /// The folder holds no `*.toml` file.
    pub empty: &'a dyn Fn() -> Msg,
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
pub fn toml_files(
    dir: &Path,
    m: &FolderMessages,
) -> Result<(Vec<String>, Vec<Problem>), Vec<Problem>> {
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
