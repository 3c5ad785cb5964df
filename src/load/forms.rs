//! Loading the business forms: from the `forms/` directory on disk, or from
//! the copies embedded in the binary.
//!
//! Loading is all-or-nothing: a counter must not run with some business types
//! silently missing, so any problem in any file fails the load, and every
//! problem from every file is returned so that one fix-up pass is enough.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::domain::form::{parse_form, Form};
use crate::domain::msg::Msg;
use crate::domain::problem::{line_at, top_key_line, Problem};
use crate::msg;

/// The `file` of problems about the embedded set as a whole (there is no directory to name).
const EMBEDDED: &str = "forms (embedded)";

/// Reads every `*.toml` file directly in `dir` (not in subdirectories, which
/// hold calendars and practice scenarios), in file-name order, and checks
/// them all, including that no two files share a code. Hidden files (editor
/// leftovers such as `.#x.toml`) are skipped. A missing or empty directory is
/// itself a problem, named by the directory's path.
pub fn load_dir(dir: &Path) -> Result<Vec<Form>, Vec<Problem>> {
    let messages = super::folder::FolderMessages {
        missing: &|| msg!("form.dir_missing"),
        unreadable: &|detail| msg!("form.dir_unreadable", detail = detail),
        empty: &|| msg!("form.dir_empty"),
    };
    let (names, problems) = super::folder::toml_files(dir, &messages)?;
    let files = names
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            let file = path.display().to_string();
            let text = read_text(&path, &file);
            (file, text)
        })
        .collect();
    finish(files, problems)
}

/// A form file's text, or why it cannot be had.
fn read_text(path: &Path, file: &str) -> Result<String, Problem> {
    let bytes =
        fs::read(path).map_err(|e| problem(file, None, msg!("form.unreadable", detail = e)))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = line_at(e.as_bytes(), e.utf8_error().valid_up_to());
        problem(file, Some(line), msg!("form.not_utf8"))
    })
}

/// Checks forms given as (file name, contents) pairs, such as the copies
/// embedded in the binary; same rules and order as [`load_dir`].
pub fn load_embedded(files: &[(&str, &str)]) -> Result<Vec<Form>, Vec<Problem>> {
    if files.is_empty() {
        return Err(vec![problem(EMBEDDED, None, msg!("form.dir_empty"))]);
    }
    let mut files: Vec<(String, Result<String, Problem>)> = files
        .iter()
        .map(|(name, text)| (name.to_string(), Ok(text.to_string())))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    finish(files, Vec::new())
}

/// Parses every file, checks codes across files, and returns the forms only
/// when no problem was found anywhere.
fn finish(
    files: Vec<(String, Result<String, Problem>)>,
    mut problems: Vec<Problem>,
) -> Result<Vec<Form>, Vec<Problem>> {
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
                    problems.push(problem(file, line, m));
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

fn problem(file: &str, line: Option<usize>, msg: Msg) -> Problem {
    Problem {
        file: file.to_string(),
        line,
        msg,
    }
}
