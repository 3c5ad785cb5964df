//! Loading the working-day calendar: from the `forms/calendar/` directory on
//! disk, or from the copies embedded in the binary.
//!
//! Loading is all-or-nothing, like the forms: a counter must not print a
//! deadline counted with half a calendar, so any problem in any file fails
//! the load, and every problem from every file is returned so that one
//! fix-up pass is enough.

use std::path::Path;

use crate::domain::calendar::{parse_year, Calendar};
use crate::domain::problem::Problem;
use crate::msg;

use super::folder::{self, FileText, FolderMessages};

/// The `file` of problems about the embedded set as a whole (there is no directory to name).
const EMBEDDED: &str = "calendar (embedded)";

/// What to say about the folder and its files.
const MESSAGES: FolderMessages = FolderMessages {
    missing: || msg!("calendar.dir_missing"),
    unreadable: |detail| msg!("calendar.dir_unreadable", detail = detail),
    empty: || msg!("calendar.dir_empty"),
    file_unreadable: |detail| msg!("calendar.unreadable", detail = detail),
    not_utf8: || msg!("calendar.not_utf8"),
};

/// Reads every `*.toml` file directly in `dir` (one per year, named after
/// it), in file-name order, checks each, then checks the years together (no
/// year twice, no year missing between the first and the last). Hidden files
/// (editor leftovers such as `.#2026.toml`) and subdirectories are skipped.
/// A missing or empty directory is itself a problem, named by the directory's path.
pub fn load_dir(dir: &Path) -> Result<Calendar, Vec<Problem>> {
    let (files, problems) = folder::read_toml_files(dir, &MESSAGES)?;
    finish(files, problems)
}

/// Checks year files given as (file name, contents) pairs, such as the
/// copies embedded in the binary; same rules and order as [`load_dir`].
pub fn load_embedded(files: &[(&str, &str)]) -> Result<Calendar, Vec<Problem>> {
    let files = folder::embedded_files(files, EMBEDDED, &MESSAGES)?;
    finish(files, Vec::new())
}

/// Parses every file and builds the calendar only when no file has a
/// problem. The checks across years wait for that: a year whose file is
/// broken would otherwise be reported a second time as missing.
fn finish(files: Vec<FileText>, mut problems: Vec<Problem>) -> Result<Calendar, Vec<Problem>> {
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
