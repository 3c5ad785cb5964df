//! Loading the business forms: from the `forms/` directory on disk, or from
//! the copies embedded in the binary.
//!
//! Loading is all-or-nothing: a counter must not run with some business types
//! silently missing, so any problem in any file fails the load, and every
//! problem from every file is returned so that one fix-up pass is enough.

use std::collections::HashMap;
use std::path::Path;

use crate::domain::form::{parse_form, Form};
use crate::domain::problem::{top_key_line, Problem};
use crate::msg;

use super::folder::{self, FileText, FolderMessages};

/// The `file` of problems about the embedded set as a whole (there is no directory to name).
const EMBEDDED: &str = "forms (embedded)";

/// What to say about the folder and its files.
const MESSAGES: FolderMessages = FolderMessages {
    missing: || msg!("form.dir_missing"),
    unreadable: |detail| msg!("form.dir_unreadable", detail = detail),
    empty: || msg!("form.dir_empty"),
    file_unreadable: |detail| msg!("form.unreadable", detail = detail),
    not_utf8: || msg!("form.not_utf8"),
};

/// Reads every `*.toml` file directly in `dir` (not in subdirectories, which
/// hold calendars and practice scenarios), in file-name order, and checks
/// them all, including that no two files share a code. Hidden files (editor
/// leftovers such as `.#x.toml`) are skipped. A missing or empty directory is
/// itself a problem, named by the directory's path.
pub fn load_dir(dir: &Path) -> Result<Vec<Form>, Vec<Problem>> {
    let (files, problems) = folder::read_toml_files(dir, &MESSAGES)?;
    finish(files, problems)
}

/// Checks forms given as (file name, contents) pairs, such as the copies
/// embedded in the binary; same rules and order as [`load_dir`].
pub fn load_embedded(files: &[(&str, &str)]) -> Result<Vec<Form>, Vec<Problem>> {
    let files = folder::embedded_files(files, EMBEDDED, &MESSAGES)?;
    finish(files, Vec::new())
}

/// Parses every file, checks codes across files, and returns the forms only
/// when no problem was found anywhere.
fn finish(files: Vec<FileText>, mut problems: Vec<Problem>) -> Result<Vec<Form>, Vec<Problem>> {
    let mut forms = Vec::new();
    let mut first_file: HashMap<String, String> = HashMap::new();
    for (file, text) in &files {
        let text = match text {
            Ok(text) => text,
            Err(p) => {
                problems.push(p.clone());
                continue;
            }
        };
        match parse_form(file, text) {
            Ok(form) => {
                if let Some(first) = first_file.get(&form.code) {
                    let line = top_key_line(text, "code");
                    let m = msg!("form.duplicate_code", code = form.code, first_file = first);
                    problems.push(Problem::new(file, line, m));
                } else {
                    first_file.insert(form.code.clone(), file.clone());
                    forms.push(form);
                }
            }
            Err(mut ps) => problems.append(&mut ps),
        }
    }
    if problems.is_empty() {
        Ok(forms)
    } else {
        Err(problems)
    }
}
