//! Loading the working-day calendar: from the `forms/calendar/` directory on
//! disk, or from the copies embedded in the binary.
//!
//! Loading is all-or-nothing, like the forms: a counter must not print a
//! deadline counted with half a calendar, so any problem in any file fails
//! the load, and every problem from every file is returned so that one
//! fix-up pass is enough.

use std::fs;
use std::path::Path;

use crate::domain::calendar::{parse_year, Calendar};
use crate::domain::msg::Msg;
use crate::domain::problem::{line_at, Problem};
use crate::msg;

/// The `file` of problems about the embedded set as a whole (there is no directory to name).
const EMBEDDED: &str = "calendar (embedded)";

/// Reads every `*.toml` file directly in `dir` (one per year, named after
/// it), in file-name order, checks each, then checks the years together (no
/// year twice, no year missing between the first and the last). Hidden files
/// (editor leftovers such as `.#2026.toml`) and subdirectories are skipped.
/// A missing or empty directory is itself a problem, named by the directory's path.
pub fn load_dir(dir: &Path) -> Result<Calendar, Vec<Problem>> {
    let messages = super::folder::FolderMessages {
        missing: &|| msg!("calendar.dir_missing"),
        unreadable: &|detail| msg!("calendar.dir_unreadable", detail = detail),
        empty: &|| msg!("calendar.dir_empty"),
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

/// Checks year files given as (file name, contents) pairs, such as the
/// copies embedded in the binary; same rules and order as [`load_dir`].
pub fn load_embedded(files: &[(&str, &str)]) -> Result<Calendar, Vec<Problem>> {
    if files.is_empty() {
        return Err(vec![problem(EMBEDDED, None, msg!("calendar.dir_empty"))]);
    }
    let mut files: Vec<(String, Result<String, Problem>)> = files
        .iter()
        .map(|(name, text)| (name.to_string(), Ok(text.to_string())))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    finish(files, Vec::new())
}

/// A year file's text, or why it cannot be had.
fn read_text(path: &Path, file: &str) -> Result<String, Problem> {
    let bytes =
        fs::read(path).map_err(|e| problem(file, None, msg!("calendar.unreadable", detail = e)))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = line_at(e.as_bytes(), e.utf8_error().valid_up_to());
        problem(file, Some(line), msg!("calendar.not_utf8"))
    })
}

/// Parses every file and builds the calendar only when no file has a
/// problem. The checks across years wait for that: a year whose file is
/// broken would otherwise be reported a second time as missing.
fn finish(
    files: Vec<(String, Result<String, Problem>)>,
    mut problems: Vec<Problem>,
) -> Result<Calendar, Vec<Problem>> {
    let mut tables = Vec::new();
    for (file, text) in &files {
        let text = match text {
            Ok(text) => text,
            Err(p) => {
                problems.push(p.clone());
                continue;
            }
        };
        match parse_year(file, text) {
            Ok(table) => tables.push(table),
            Err(mut ps) => problems.append(&mut ps),
        }
    }
    if problems.is_empty() {
        Calendar::new(tables)
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
