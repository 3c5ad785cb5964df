//! The lab's keys outside an exercise, and starting one: a fresh sandbox,
//! or for a relay station the sandbox the previous station left.

use crossterm::event::{KeyCode, KeyEvent};

use super::exams::{Exams, ExamsOutcome};
use super::exercise::{prepare, Exercise};
use super::replay::Replay;
use super::theory::Theory;
use super::trainees::History;
use super::{sign_in_mode, LabApp, Mode};

use crate::domain::msg::{Msg, Notice};
use crate::msg;
use crate::store::lab::Person;

/// Keys outside an exercise.
pub(super) fn handle(app: &mut LabApp, key: &KeyEvent) {
    let trainer = app.person.as_ref().is_some_and(|p| p.trainer);
    match &mut app.mode {
        Mode::SignIn {
            staff_no,
            password,
            focus,
        } => match key.code {
            KeyCode::Tab | KeyCode::Down | KeyCode::Up | KeyCode::BackTab => {
                *focus = 1 - *focus;
                staff_no.set_focus(*focus == 0);
                password.set_focus(*focus == 1);
            }
            KeyCode::Enter if *focus == 0 => {
                *focus = 1;
                staff_no.set_focus(false);
                password.set_focus(true);
            }
            KeyCode::Enter => {
                let (s, p) = (staff_no.text(), password.text());
                match app.lab.sign_in(&s, &p) {
                    Ok(person) => {
                        app.status = Some(Notice::done(msg!("lab.welcome", name = person.name)));
                        app.person = Some(person);
                        app.mode = Mode::Home { selected: 0 };
                    }
                    Err(m) => {
                        password.clear();
                        app.status = Some(Notice::refusal(m));
                    }
                }
            }
            KeyCode::Esc => {
                staff_no.clear();
                password.clear();
            }
            _ => {
                let f = if *focus == 0 { staff_no } else { password };
                f.input(key);
            }
        },
        Mode::Home { selected } => {
            let n = app.lab.catalog.scenarios.len();
            match key.code {
                KeyCode::Up => *selected = selected.saturating_sub(1),
                KeyCode::Down => *selected = (*selected + 1).min(n.saturating_sub(1)),
                KeyCode::Enter => {
                    if let Some(s) = app.lab.catalog.scenarios.get(*selected) {
                        let id = s.id.clone();
                        app.start(&id, None);
                    }
                }
                KeyCode::F(5) => open_runs(app, trainer),
                KeyCode::F(6) => {
                    let qs = app.lab.catalog.questions.clone();
                    app.mode = Mode::Theory(Box::new(Theory::new(qs, None)));
                }
                KeyCode::F(7) => start_exam(app),
                KeyCode::F(8) if trainer => open_classes(app),
                KeyCode::F(9) if trainer => match Exams::open(&app.lab) {
                    Ok(x) => app.mode = Mode::Exams(Box::new(x)),
                    Err(m) => app.status = Some(Notice::refusal(m)),
                },
                KeyCode::F(12) => {
                    app.person = None;
                    app.mode = sign_in_mode();
                }
                _ => {}
            }
        }
        Mode::Sheet { run, sheet } => match key.code {
            KeyCode::Esc => app.mode = Mode::Home { selected: 0 },
            KeyCode::F(4) => {
                let out = run.folder.join("score-sheet.pdf");
                let done = crate::lab::sheet_pdf::write(&app.lab, run, sheet, &out, app.lang);
                app.status = Some(match done {
                    Ok(()) => Notice::done(msg!("lab.sheet_printed", path = out.display())),
                    Err(m) => Notice::refusal(m),
                });
            }
            KeyCode::F(6) => {
                let run = (**run).clone();
                open_replay(app, run);
            }
            _ => {}
        },
        Mode::Runs {
            runs,
            selected,
            history,
        } => match key.code {
            KeyCode::Up => *selected = selected.saturating_sub(1),
            KeyCode::Down => *selected = (*selected + 1).min(runs.len().saturating_sub(1)),
            KeyCode::Esc if history.as_ref().is_some_and(|h| h.from_trainees) => open_trainees(app),
            KeyCode::Esc => app.mode = Mode::Home { selected: 0 },
            KeyCode::Enter => {
                if let Some(run) = runs.get(*selected).cloned() {
                    match app.lab.sheet_of(&run) {
                        Ok(sheet) => {
                            app.mode = Mode::Sheet {
                                run: Box::new(run),
                                sheet: Box::new(sheet),
                            }
                        }
                        Err(m) => app.status = Some(Notice::refusal(m)),
                    }
                }
            }
            KeyCode::F(6) => {
                if let Some(run) = runs.get(*selected).cloned() {
                    open_replay(app, run);
                }
            }
            _ => {}
        },
        Mode::Replay(r) => {
            if key.code == KeyCode::Esc {
                app.mode = Mode::Home { selected: 0 };
            } else if let Err(m) = r.key(key, &app.lab) {
                app.status = Some(Notice::refusal(m));
            }
        }
        Mode::Theory(t) => {
            if key.code == KeyCode::Esc {
                app.mode = Mode::Home { selected: 0 };
            } else if let Some(person) = &app.person {
                if let Err(m) = t.key(key, &app.lab, person) {
                    app.status = Some(Notice::refusal(m));
                }
            }
        }
        Mode::Classes { rows, scenarios } => match key.code {
            KeyCode::Esc => app.mode = Mode::Home { selected: 0 },
            KeyCode::Enter => open_trainees(app),
            KeyCode::F(4) => {
                let csv = app.lab.dir().join("classes.csv");
                let pdf = app.lab.dir().join("classes.pdf");
                let written = std::fs::write(&csv, crate::lab::report::skills_csv(rows))
                    .map_err(|e| msg!("lab.csv_failed", path = csv.display(), detail = e))
                    .and_then(|_| {
                        crate::lab::report::write_class_pdf(
                            &app.lab, rows, scenarios, &pdf, app.lang,
                        )
                    });
                app.status = Some(match written {
                    Ok(()) => Notice::done(msg!(
                        "lab.report_written",
                        csv = csv.display(),
                        pdf = pdf.display()
                    )),
                    Err(m) => Notice::refusal(m),
                });
            }
            _ => {}
        },
        Mode::Trainees { rows, selected } => match key.code {
            KeyCode::Up => *selected = selected.saturating_sub(1),
            KeyCode::Down => *selected = (*selected + 1).min(rows.len().saturating_sub(1)),
            KeyCode::Esc => open_classes(app),
            KeyCode::Enter => {
                if let Some(r) = rows.get(*selected) {
                    let (id, name) = (r.id, r.name.clone());
                    open_history(app, id, name, true);
                }
            }
            _ => {}
        },
        Mode::Exams(x) => {
            let Some(by) = app.person.clone() else {
                return;
            };
            match x.key(key, &mut app.lab, &by) {
                ExamsOutcome::Leave => app.mode = Mode::Home { selected: 0 },
                ExamsOutcome::Stay(n) => {
                    if n.is_some() {
                        app.status = n;
                    }
                }
            }
        }
        Mode::Exercise(..) => {}
    }
}

fn open_classes(app: &mut LabApp) {
    let totals = app
        .lab
        .store
        .skill_totals()
        .and_then(|r| Ok((r, app.lab.store.scenario_totals()?)));
    match totals {
        Ok((rows, scenarios)) => app.mode = Mode::Classes { rows, scenarios },
        Err(e) => app.status = Some(Notice::refusal(e.msg())),
    }
}

fn open_trainees(app: &mut LabApp) {
    match app.lab.store.trainees() {
        Ok(rows) => app.mode = Mode::Trainees { rows, selected: 0 },
        Err(e) => app.status = Some(Notice::refusal(e.msg())),
    }
}

/// One person's runs with their points per skill.
fn open_history(app: &mut LabApp, person_id: i64, name: String, from_trainees: bool) {
    let found = app
        .lab
        .store
        .runs(Some(person_id))
        .and_then(|r| Ok((r, app.lab.store.person_skills(person_id)?)));
    match found {
        Ok((runs, skills)) => {
            app.mode = Mode::Runs {
                runs,
                selected: 0,
                history: Some(Box::new(History {
                    name,
                    skills,
                    from_trainees,
                })),
            }
        }
        Err(e) => app.status = Some(Notice::refusal(e.msg())),
    }
}

/// Everyone's runs for a trainer; a trainee's own history.
fn open_runs(app: &mut LabApp, trainer: bool) {
    if let (false, Some(p)) = (trainer, app.person.clone()) {
        return open_history(app, p.id, p.name, false);
    }
    match app.lab.store.runs(None) {
        Ok(runs) => {
            app.mode = Mode::Runs {
                runs,
                selected: 0,
                history: None,
            }
        }
        Err(e) => app.status = Some(Notice::refusal(e.msg())),
    }
}

fn open_replay(app: &mut LabApp, run: crate::store::lab::RunRow) {
    let mine = app
        .person
        .as_ref()
        .is_some_and(|p| p.trainer || p.id == run.person_id);
    if !mine {
        app.status = Some(Notice::refusal(msg!("lab.not_your_run")));
        return;
    }
    match Replay::open(&app.lab, &run, app.lang) {
        Ok(r) => app.mode = Mode::Replay(Box::new(r)),
        Err(m) => app.status = Some(Notice::refusal(m)),
    }
}

/// What is left of an exam for a trainee.
enum ExamWork {
    /// The next station to run.
    Station(String),
    /// The questions not yet answered.
    Questions(Vec<crate::domain::lab::question::Question>),
    /// Nothing.
    Done,
}

/// The newest exam of the trainee's class with work left for them: its
/// next scenario station, or its questions once the stations are done.
fn start_exam(app: &mut LabApp) {
    let Some(person) = app.person.clone() else {
        return;
    };
    let exams = match app.lab.store.exams(Some(&person.class)) {
        Ok(e) => e,
        Err(e) => return app.status = Some(Notice::refusal(e.msg())),
    };
    let Some(newest) = exams.first().map(|e| e.name.clone()) else {
        return app.status = Some(Notice::info(msg!("lab.no_exam")));
    };
    for exam in exams {
        let work = match exam_work(app, &exam, &person) {
            Ok(w) => w,
            Err(m) => return app.status = Some(Notice::refusal(m)),
        };
        if matches!(work, ExamWork::Done) {
            continue;
        }
        if let Err(m) = app.lab.exam_open(&exam, &person) {
            return app.status = Some(Notice::refusal(m));
        }
        match work {
            ExamWork::Station(id) => app.start(&id, Some(exam.id)),
            ExamWork::Questions(qs) => {
                app.mode = Mode::Theory(Box::new(Theory::new(qs, Some(exam.id))))
            }
            ExamWork::Done => {}
        }
        return;
    }
    app.status = Some(Notice::info(msg!("lab.exam_done", name = newest)));
}

fn exam_work(
    app: &LabApp,
    exam: &crate::store::lab::ExamRow,
    person: &Person,
) -> Result<ExamWork, Msg> {
    // A station is done once its trainee finished it: in a relay by
    // anyone (the next trainee takes the next station), otherwise by this one.
    let who = if exam.relay { None } else { Some(person.id) };
    let done: Vec<String> = app
        .lab
        .store
        .runs(who)
        .map_err(|e| e.msg())?
        .into_iter()
        .filter(|r| r.exam_id == Some(exam.id) && r.state == crate::domain::lab::RunState::Finished)
        .map(|r| r.scenario)
        .collect();
    if let Some((_, id)) = exam
        .items
        .iter()
        .find(|(kind, id)| kind == "scenario" && !done.contains(id))
    {
        return Ok(ExamWork::Station(id.clone()));
    }
    // A question already answered in this exam is not handed out again.
    let answered = app
        .lab
        .store
        .answered(exam.id, person.id)
        .map_err(|e| e.msg())?;
    let qs: Vec<_> = exam
        .items
        .iter()
        .filter(|(kind, id)| kind == "question" && !answered.contains(id))
        .filter_map(|(_, id)| app.lab.catalog.question(id).cloned())
        .collect();
    Ok(if qs.is_empty() {
        ExamWork::Done
    } else {
        ExamWork::Questions(qs)
    })
}

/// A new run of `scenario_id` for `person`: its sandbox, then the exercise.
pub(super) fn begin(
    app: &LabApp,
    person: &Person,
    scenario_id: &str,
    exam: Option<i64>,
) -> Result<Exercise, Msg> {
    let lab = &app.lab;
    let s = lab
        .catalog
        .scenario(scenario_id)
        .cloned()
        .ok_or_else(|| msg!("lab.unknown_scenario", id = scenario_id))?;
    // A relay exam's station goes on from what the previous trainee left.
    let relay_run = match exam {
        Some(id)
            if lab
                .store
                .exams(None)
                .map_err(|e| e.msg())?
                .iter()
                .any(|e| e.id == id && e.relay) =>
        {
            lab.store.last_exam_run(id).map_err(|e| e.msg())?
        }
        _ => None,
    };
    let (run_id, folder) = lab.new_run(person, &s, exam, relay_run.as_ref().map(|r| r.id))?;
    let slips = folder.join("slips");
    let (desk, session) = prepare(
        lab,
        &person.staff_no,
        &person.name,
        &s,
        relay_run.as_ref(),
        &folder,
        &slips,
        app.lang,
    )?;
    let mut ex = Exercise::new(run_id, s, desk, session, app.lang);
    if let Some(id) = exam {
        // The exam's clock runs from the trainee's first station or answer.
        let exams = lab.store.exams(None).map_err(|e| e.msg())?;
        let started = lab.store.exam_started(id, person.id).map_err(|e| e.msg())?;
        if let (Some(e), Some(t)) = (exams.iter().find(|e| e.id == id), started) {
            ex.deadline = Some(t + chrono::Duration::minutes(e.minutes));
        }
    }
    Ok(ex)
}
