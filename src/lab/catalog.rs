//! The scenarios and the theory question bank: from a folder (a trainer's
//! own, `forms/training/` beside the forms) or the built-in ones. Loading
//! is all-or-nothing, every problem of every file reported at once.

use std::path::Path;

use crate::domain::form::Form;
use crate::domain::lab::question::{parse_bank, Question};
use crate::domain::lab::{check_set, parse, Scenario};
use crate::domain::problem::Problem;
use crate::load::folder::{self, FileText, FolderMessages};
use crate::msg;

const MESSAGES: FolderMessages = FolderMessages {
    missing: || msg!("lab.dir_missing"),
    unreadable: |detail| msg!("lab.dir_unreadable", detail = detail),
    empty: || msg!("lab.dir_empty"),
    file_unreadable: |detail| msg!("lab.unreadable", detail = detail),
    not_utf8: || msg!("lab.not_utf8"),
};

/// Everything the lab can set.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Scenarios, in file order.
    pub scenarios: Vec<Scenario>,
    /// Theory questions.
    pub questions: Vec<Question>,
    /// Each scenario's file as written, by id: a run keeps a copy, so its
    /// sheet and replay stay as they were when the file changes.
    pub sources: std::collections::HashMap<String, String>,
}

impl Catalog {
    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// Reads `dir` (scenarios) and `dir/questions` (the bank).
pub fn load_dir(dir: &Path, forms: &[Form]) -> Result<Catalog, Vec<Problem>> {
    let (files, mut problems) = folder::read_toml_files(dir, &MESSAGES)?;
    let questions_dir = dir.join("questions");
    let has_files = std::fs::read_dir(&questions_dir)
        .map(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "toml"))
        })
        .unwrap_or(false);
    let bank = if has_files {
        match folder::read_toml_files(&questions_dir, &MESSAGES) {
            Ok((b, p)) => {
                problems.extend(p);
                b
            }
            Err(p) => {
                problems.extend(p);
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    finish(files, bank, problems, forms)
}

/// The built-in scenarios and questions.
pub fn load_embedded(forms: &[Form]) -> Result<Catalog, Vec<Problem>> {
    let files = folder::embedded_files(
        crate::embedded::SCENARIOS,
        "forms/training (embedded)",
        &MESSAGES,
    )?;
    let bank = if crate::embedded::QUESTIONS.is_empty() {
        Vec::new()
    } else {
        folder::embedded_files(
            crate::embedded::QUESTIONS,
            "forms/training/questions (embedded)",
            &MESSAGES,
        )?
    };
    let files = files
        .into_iter()
        .map(|(f, t)| (format!("forms/training/{f}"), t))
        .collect();
    let bank = bank
        .into_iter()
        .map(|(f, t)| (format!("forms/training/questions/{f}"), t))
        .collect();
    finish(files, bank, Vec::new(), forms)
}

/// One scenario file on its own (a run's copy): checked as any scenario,
/// without the set it came from.
pub fn load_one(path: &Path, forms: &[Form]) -> Result<Scenario, Vec<Problem>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Problem::new(
            &file,
            None,
            msg!("store.folder", path = file, detail = e),
        )]
    })?;
    parse(&file, &stem(&file), &text, forms)
}

fn stem(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn finish(
    files: Vec<FileText>,
    bank: Vec<FileText>,
    mut problems: Vec<Problem>,
    forms: &[Form],
) -> Result<Catalog, Vec<Problem>> {
    let mut scenarios = Vec::new();
    let mut sources = std::collections::HashMap::new();
    for (file, text) in &files {
        match text {
            Ok(text) => match parse(file, &stem(file), text, forms) {
                Ok(s) => {
                    sources.insert(s.id.clone(), text.clone());
                    scenarios.push((file.clone(), s))
                }
                Err(p) => problems.extend(p),
            },
            Err(p) => problems.push(p.clone()),
        }
    }
    problems.extend(check_set(&scenarios));
    let mut questions: Vec<Question> = Vec::new();
    for (file, text) in &bank {
        match text {
            Ok(text) => match parse_bank(file, text) {
                Ok(qs) => {
                    for q in qs {
                        if questions.iter().any(|o| o.id == q.id) {
                            problems.push(Problem::new(
                                file,
                                None,
                                msg!("lab.duplicate_id", id = q.id),
                            ));
                        } else {
                            questions.push(q);
                        }
                    }
                }
                Err(p) => problems.extend(p),
            },
            Err(p) => problems.push(p.clone()),
        }
    }
    if problems.is_empty() {
        Ok(Catalog {
            scenarios: scenarios.into_iter().map(|(_, s)| s).collect(),
            questions,
            sources,
        })
    } else {
        Err(problems)
    }
}
