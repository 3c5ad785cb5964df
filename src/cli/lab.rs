//! `counterdesk lab`: the practice lab, and its tools for trainers.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{say_err, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_PROBLEMS, EXIT_REFUSED};
use crate::config::Config;
use crate::domain::lab::Scenario;
use crate::domain::msg::Lang;
use crate::i18n;
use crate::lab::{catalog, Catalog, Lab};
use crate::load::startup;
use crate::msg;

/// Lab tools.
#[derive(Subcommand, Debug)]
pub enum LabCommand {
    /// Check every scenario and question in DIR (default: the configured
    /// scenarios), and play each scenario's model answer to full marks.
    Check {
        /// Folder to check.
        dir: Option<PathBuf>,
    },
    /// Render frame N of a recorded run as text (0: before the first key).
    Replay {
        /// The run's number as `lab runs` lists it.
        run: i64,
        /// Frame to render (default: the last).
        #[arg(long)]
        to_frame: Option<usize>,
    },
    /// Export every run and the class-by-skill table as CSV, and the class report as PDF.
    Export {
        /// Folder to write runs.csv, skills.csv and classes.pdf into.
        #[arg(long)]
        out: PathBuf,
    },
    /// Add a trainer or trainee (a trainer's act; password of the new
    /// person from COUNTERDESK_NEW_PASSWORD, the trainer's from COUNTERDESK_PASSWORD).
    AddPerson {
        /// The trainer's staff number.
        #[arg(long = "as", value_name = "STAFF_NO")]
        trainer: String,
        /// The new person's staff number, what they sign in with.
        #[arg(long)]
        staff_no: String,
        /// Their name as rankings and score sheets show it.
        #[arg(long)]
        name: String,
        /// trainer | trainee
        #[arg(long)]
        role: String,
        /// The training class they belong to (exams are set per class).
        #[arg(long, default_value = "")]
        class: String,
    },
    /// Set a new lab password for someone (a trainer's act; lifts a lock).
    ResetPassword {
        /// The trainer's staff number (password from COUNTERDESK_PASSWORD).
        #[arg(long = "as", value_name = "STAFF_NO")]
        trainer: String,
        /// Whose password (new one from COUNTERDESK_NEW_PASSWORD).
        #[arg(long)]
        staff_no: String,
    },
    /// Set an exam: scenarios (stations) and theory questions, a time limit, the class.
    AddExam {
        /// The trainer's staff number (password from COUNTERDESK_PASSWORD).
        #[arg(long = "as", value_name = "STAFF_NO")]
        trainer: String,
        /// The exam's name, as `lab ranking` takes it.
        #[arg(long)]
        name: String,
        /// Class sitting it.
        #[arg(long)]
        class: String,
        /// Time limit in minutes.
        #[arg(long)]
        minutes: i64,
        /// Stations chained as a relay: each starts from what the previous trainee left.
        #[arg(long)]
        relay: bool,
        /// Scenario ids, in order.
        #[arg(long = "scenario")]
        scenarios: Vec<String>,
        /// Question ids, in order.
        #[arg(long = "question")]
        questions: Vec<String>,
    },
    /// An exam's ranking.
    Ranking {
        /// The exam: its number, or its name as it was set (e.g. 十二月小测).
        exam: String,
    },
}

/// The scenarios and questions the lab uses.
pub fn load_catalog(
    config: &Config,
    forms: &[crate::domain::form::Form],
) -> Result<Catalog, Vec<crate::domain::problem::Problem>> {
    match config.scenarios_path() {
        Some(dir) => catalog::load_dir(&dir, forms),
        None => catalog::load_embedded(forms),
    }
}

/// Opens the lab, printing why it cannot.
pub fn open(config: &Config) -> Result<Lab, u8> {
    let lang = config.language;
    let forms = startup::load_forms(config).map_err(|p| {
        err!("{}", startup::StartError::Forms(p).render(lang));
        EXIT_FAILED
    })?;
    let calendar = startup::load_calendar(config).map_err(|p| {
        err!("{}", startup::StartError::Calendar(p).render(lang));
        EXIT_FAILED
    })?;
    let catalog = load_catalog(config, &forms).map_err(|p| {
        err!(
            "{}",
            i18n::problems(&msg!("lab.refused", n = p.len()), &p, lang)
        );
        EXIT_FAILED
    })?;
    let dir = config.lab_path().map_err(|m| {
        say_err(&m, lang);
        EXIT_FAILED
    })?;
    Lab::open(config, &dir, forms, calendar, catalog).map_err(|m| {
        say_err(&m, lang);
        EXIT_FAILED
    })
}

/// The lab's interface.
pub fn interface(config: &Config) -> u8 {
    let lang = config.language;
    let mut lab = match open(config) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let log = lab.dir().join("lab.log");
    let _ = startup::init_logging(&log, config.log_max_mb, config.log_keep);
    lab.load_font_in_background();
    let app = crate::tui::lab::LabApp::new(lab, lang);
    match crate::tui::run(app) {
        Ok(_) => 0,
        Err(e) => {
            say_err(&msg!("tui.terminal_failed", detail = e), lang);
            EXIT_FAILED
        }
    }
}

/// Runs a lab tool.
pub fn run(config: &Config, command: &LabCommand) -> u8 {
    let lang = config.language;
    match command {
        LabCommand::Check { dir } => check(config, dir.as_deref()),
        LabCommand::Replay { run, to_frame } => {
            let lab = match open(config) {
                Ok(l) => l,
                Err(c) => return c,
            };
            let row = match lab.store.run(*run) {
                Ok(Some(r)) => r,
                Ok(None) => {
                    say_err(&msg!("lab.unknown_run", run = run), lang);
                    return EXIT_REFUSED;
                }
                Err(e) => {
                    say_err(&e.msg(), lang);
                    return EXIT_FAILED;
                }
            };
            let frame = to_frame.unwrap_or(usize::MAX);
            match crate::tui::lab::replay::frame_text(&lab, &row, frame, lang, 120, 36) {
                Ok(text) => {
                    out_raw!("{text}");
                    0
                }
                Err(m) => {
                    say_err(&m, lang);
                    EXIT_REFUSED
                }
            }
        }
        LabCommand::Export { out } => {
            let lab = match open(config) {
                Ok(l) => l,
                Err(c) => return c,
            };
            let runs = lab.store.runs(None).unwrap_or_default();
            let skills = lab.store.skill_totals().unwrap_or_default();
            let scenarios = lab.store.scenario_totals().unwrap_or_default();
            let written = std::fs::create_dir_all(out)
                .and_then(|_| {
                    std::fs::write(out.join("runs.csv"), crate::lab::report::runs_csv(&runs))
                })
                .and_then(|_| {
                    std::fs::write(
                        out.join("skills.csv"),
                        crate::lab::report::skills_csv(&skills),
                    )
                })
                .map_err(|e| msg!("lab.csv_failed", path = out.display(), detail = e))
                .and_then(|_| {
                    crate::lab::report::write_class_pdf(
                        &lab,
                        &skills,
                        &scenarios,
                        &out.join("classes.pdf"),
                        lang,
                    )
                });
            match written {
                Ok(()) => {
                    out!(
                        "{}",
                        i18n::text(&msg!("lab.csv_written", path = out.display()), lang)
                    );
                    0
                }
                Err(m) => {
                    say_err(&m, lang);
                    EXIT_FAILED
                }
            }
        }
        LabCommand::AddPerson {
            trainer,
            staff_no,
            name,
            role,
            class,
        } => {
            let lab = match open(config) {
                Ok(l) => l,
                Err(c) => return c,
            };
            let by = match trainer_signed_in(&lab, trainer, lang) {
                Ok(p) => p,
                Err(c) => return c,
            };
            let is_trainer = match role.as_str() {
                "trainer" => true,
                "trainee" => false,
                _ => {
                    say_err(&msg!("lab.bad_role", role = role), lang);
                    return EXIT_BAD_INPUT;
                }
            };
            let pw = match new_password(lang) {
                Ok(pw) => pw,
                Err(c) => return c,
            };
            match lab.add_person(&by, staff_no, name, is_trainer, class, &pw) {
                Ok(()) => {
                    out!(
                        "{}",
                        i18n::text(
                            &msg!("lab.person_added", staff_no = staff_no, name = name),
                            lang
                        )
                    );
                    0
                }
                Err(m) => {
                    say_err(&m, lang);
                    EXIT_REFUSED
                }
            }
        }
        LabCommand::ResetPassword { trainer, staff_no } => {
            let lab = match open(config) {
                Ok(l) => l,
                Err(c) => return c,
            };
            let by = match trainer_signed_in(&lab, trainer, lang) {
                Ok(p) => p,
                Err(c) => return c,
            };
            let pw = match new_password(lang) {
                Ok(pw) => pw,
                Err(c) => return c,
            };
            match lab.reset_password(&by, staff_no, &pw) {
                Ok(()) => {
                    out!(
                        "{}",
                        i18n::text(
                            &msg!("lab.password_reset", staff_no = staff_no.trim()),
                            lang
                        )
                    );
                    0
                }
                Err(m) => {
                    say_err(&m, lang);
                    EXIT_REFUSED
                }
            }
        }
        LabCommand::AddExam {
            trainer,
            name,
            class,
            minutes,
            relay,
            scenarios,
            questions,
        } => {
            let mut lab = match open(config) {
                Ok(l) => l,
                Err(c) => return c,
            };
            let by = match trainer_signed_in(&lab, trainer, lang) {
                Ok(p) => p,
                Err(c) => return c,
            };
            let draft = crate::lab::exams::ExamDraft {
                name: name.clone(),
                class: class.clone(),
                minutes: *minutes,
                relay: *relay,
                scenarios: scenarios.clone(),
                questions: questions.clone(),
            };
            match lab.set_exam(&by, &draft) {
                Ok(id) => {
                    out!(
                        "{}",
                        i18n::text(&msg!("lab.exam_added", id = id, name = name.trim()), lang)
                    );
                    0
                }
                Err(m) => {
                    say_err(&m, lang);
                    EXIT_BAD_INPUT
                }
            }
        }
        LabCommand::Ranking { exam } => {
            let lab = match open(config) {
                Ok(l) => l,
                Err(c) => return c,
            };
            let all = match lab.store.exams(None) {
                Ok(all) => all,
                Err(e) => {
                    say_err(&e.msg(), lang);
                    return EXIT_FAILED;
                }
            };
            // By number or by name; a name two exams share needs the number.
            let typed = exam.trim();
            let by_name: Vec<_> = all.iter().filter(|e| e.name.trim() == typed).collect();
            let id = match (typed.parse::<i64>().ok(), by_name.as_slice()) {
                (Some(n), _) if all.iter().any(|e| e.id == n) => n,
                (_, [one]) => one.id,
                (Some(n), []) => {
                    say_err(&msg!("lab.unknown_exam", id = n), lang);
                    return EXIT_REFUSED;
                }
                (None, []) => {
                    say_err(&msg!("lab.unknown_exam_name", name = typed), lang);
                    return EXIT_REFUSED;
                }
                (_, several) => {
                    let ids: Vec<String> = several.iter().map(|e| e.id.to_string()).collect();
                    say_err(
                        &msg!("lab.exam_name_shared", name = typed, ids = ids.join(", ")),
                        lang,
                    );
                    return EXIT_REFUSED;
                }
            };
            match lab.store.ranking(id) {
                Ok(rows) => {
                    if rows.is_empty() {
                        out!("{}", i18n::t("lab.ranking_none", lang));
                    }
                    for (i, (name, class, got, max)) in rows.iter().enumerate() {
                        out!("{:>3}. {name} {class} {got}/{max}", i + 1);
                    }
                    0
                }
                Err(e) => {
                    say_err(&e.msg(), lang);
                    EXIT_FAILED
                }
            }
        }
    }
}

/// The new password a command sets, from COUNTERDESK_NEW_PASSWORD or
/// asked for.
fn new_password(lang: Lang) -> Result<String, u8> {
    super::secret(
        "COUNTERDESK_NEW_PASSWORD",
        &i18n::t("cli.new_password_prompt", lang),
    )
    .ok_or_else(|| {
        say_err(
            &msg!("cli.no_password", var = "COUNTERDESK_NEW_PASSWORD"),
            lang,
        );
        EXIT_BAD_INPUT
    })
}

fn trainer_signed_in(
    lab: &Lab,
    staff_no: &str,
    lang: Lang,
) -> Result<crate::store::lab::Person, u8> {
    let Some(pw) = super::secret(
        "COUNTERDESK_PASSWORD",
        &i18n::t("cli.clerk_password_prompt", lang),
    ) else {
        say_err(&msg!("cli.no_password", var = "COUNTERDESK_PASSWORD"), lang);
        return Err(EXIT_BAD_INPUT);
    };
    match lab.sign_in(staff_no, &pw) {
        Ok(p) if p.trainer => Ok(p),
        Ok(_) => {
            say_err(&msg!("lab.trainers_only"), lang);
            Err(EXIT_REFUSED)
        }
        Err(m) => {
            say_err(&m, lang);
            Err(EXIT_REFUSED)
        }
    }
}

/// `lab check`: every file's problems with file, line and fix; then each
/// scenario's model answer played in a throw-away sandbox to full marks.
fn check(config: &Config, dir: Option<&Path>) -> u8 {
    let lang = config.language;
    let forms = match startup::load_forms(config) {
        Ok(f) => f,
        Err(p) => {
            err!("{}", startup::StartError::Forms(p).render(lang));
            return EXIT_FAILED;
        }
    };
    let loaded = match dir {
        Some(d) => catalog::load_dir(d, &forms),
        None => load_catalog(config, &forms),
    };
    let catalog = match loaded {
        Ok(c) => c,
        Err(p) => {
            for line in &p {
                out!("{}", i18n::problem_line(line, lang));
            }
            out!("{}", i18n::text(&msg!("lab.problems", n = p.len()), lang));
            return EXIT_PROBLEMS;
        }
    };
    let calendar = match startup::load_calendar(config) {
        Ok(c) => c,
        Err(p) => {
            err!("{}", startup::StartError::Calendar(p).render(lang));
            return EXIT_FAILED;
        }
    };
    let scratch =
        std::env::temp_dir().join(format!("counterdesk-lab-check-{}", std::process::id()));
    let mut cfg = config.clone();
    cfg.seed_demo_clerks = false;
    let lab = match Lab::open(&cfg, &scratch, forms, calendar, catalog.clone()) {
        Ok(l) => l,
        Err(m) => {
            say_err(&m, lang);
            return EXIT_FAILED;
        }
    };
    let mut failed = 0;
    for s in &catalog.scenarios {
        match play_model(&lab, s, &scratch, lang) {
            Ok(sheet) if sheet.total == sheet.max => {}
            Ok(sheet) => {
                failed += 1;
                out!(
                    "{}",
                    i18n::text(
                        &msg!(
                            "lab.model_short",
                            id = s.id,
                            total = sheet.total,
                            max = sheet.max
                        ),
                        lang
                    )
                );
                for l in sheet.lines.iter().filter(|l| !l.met()) {
                    out!(
                        "  ✗ {} — {}",
                        i18n::text(&l.what, lang),
                        i18n::text(&l.why, lang)
                    );
                }
                for d in &sheet.deductions {
                    out!("  − {} {}", d.points, i18n::text(&d.what, lang));
                }
            }
            Err(m) => {
                failed += 1;
                out!("{}: {}", s.id, i18n::text(&m, lang));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    if failed > 0 {
        out!("{}", i18n::text(&msg!("lab.problems", n = failed), lang));
        return EXIT_PROBLEMS;
    }
    out!(
        "{}",
        i18n::text(
            &msg!(
                "lab.all_ok",
                scenarios = catalog.scenarios.len(),
                questions = catalog.questions.len()
            ),
            lang
        )
    );
    0
}

/// Plays a scenario's model answer in a throw-away sandbox and scores it.
pub fn play_model(
    lab: &Lab,
    s: &Scenario,
    scratch: &Path,
    lang: Lang,
) -> Result<crate::domain::lab::ScoreSheet, crate::domain::msg::Msg> {
    let folder = scratch.join(&s.id);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder)
        .map_err(|e| msg!("store.folder", path = folder.display(), detail = e))?;
    let (desk, session) = crate::tui::lab::exercise::prepare(
        lab,
        "8001",
        "实训学员",
        s,
        None,
        &folder,
        &folder.join("slips"),
        lang,
    )?;
    let mut ex = crate::tui::lab::exercise::Exercise::new(0, s.clone(), desk, session, lang);
    let mut at = 0u64;
    for key in crate::tui::key_script::parse(&s.model) {
        at += 1000;
        ex.key(at, &key);
    }
    lab.score(s, &ex.app.desk, &ex.stats)
}
