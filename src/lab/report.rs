//! Trainer reports: per class and skill, the weakest skills, CSV files.

use std::path::Path;

use crate::domain::msg::{Lang, Msg};
use crate::domain::states::Paper;
use crate::i18n::{t, text};
use crate::msg;
use crate::slips::doc::{Block, Marks, SlipDoc};
use crate::store::lab::RunRow;

use super::Lab;

/// (class, skill, points, possible) rows.
pub type SkillRows = [crate::store::lab::SkillTotal];
/// (class, scenario, runs, points, possible) rows.
pub type ScenarioRows = [crate::store::lab::ScenarioTotal];

/// One CSV field, quoted when it needs to be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Per class and skill: points, possible, percent.
pub fn skills_csv(rows: &[crate::store::lab::SkillTotal]) -> String {
    let mut out = String::from("class,skill,points,possible,percent\n");
    for (class, skill, got, max) in rows {
        let pct = if *max > 0 { got * 100 / max } else { 0 };
        out.push_str(&format!(
            "{},{},{got},{max},{pct}\n",
            field(class),
            field(skill)
        ));
    }
    out
}

/// Every run: who, scenario, state, score, time, keys.
pub fn runs_csv(runs: &[RunRow]) -> String {
    let mut out = String::from(
        "run,staff_no,name,class,scenario,exam,started_at,state,points,possible,seconds,keys\n",
    );
    for r in runs {
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.id,
            field(&r.staff_no),
            field(&r.person),
            field(&r.class),
            field(&r.scenario),
            opt(r.exam_id),
            r.started_at,
            crate::store::codes::Code::code(r.state),
            opt(r.total),
            opt(r.max),
            opt(r.elapsed_ms.map(|ms| ms / 1000)),
            r.keys
        ));
    }
    out
}

/// A class's weakest skill and its percentage, when it has any points possible.
pub fn weakest(rows: &[crate::store::lab::SkillTotal], class: &str) -> Option<(String, i64)> {
    let pcts: Vec<(String, i64)> = rows
        .iter()
        .filter(|(c, _, _, max)| c == class && *max > 0)
        .map(|(_, s, got, max)| (s.clone(), got * 100 / max))
        .collect();
    let lowest = pcts.iter().map(|(_, p)| *p).min()?;
    let highest = pcts.iter().map(|(_, p)| *p).max()?;
    // Where every skill stands level there is no weakest one to name.
    if lowest == highest {
        return None;
    }
    pcts.into_iter().find(|(_, p)| *p == lowest)
}

fn pct(got: i64, max: i64) -> i64 {
    if max > 0 {
        got * 100 / max
    } else {
        0
    }
}

/// The class report: per class its skills as percentages with the weakest
/// marked, and each scenario's average, for the trainer's file.
pub fn class_doc(lab: &Lab, skills: &SkillRows, scenarios: &ScenarioRows, lang: Lang) -> SlipDoc {
    let mut classes: Vec<&String> = skills
        .iter()
        .map(|r| &r.0)
        .chain(scenarios.iter().map(|r| &r.0))
        .collect();
    classes.sort();
    classes.dedup();
    let mut blocks = Vec::new();
    for class in classes {
        blocks.push(Block::Heading(text(
            &msg!("lab.class_head", class = class),
            lang,
        )));
        if let Some((w, p)) = weakest(skills, class) {
            let name = crate::domain::lab::Skill::from_code(&w)
                .map(|k| t(k.label_key(), lang))
                .unwrap_or(w);
            blocks.push(Block::Paragraph(text(
                &msg!("lab.class_weakest", skill = name, pct = p),
                lang,
            )));
        }
        let rows: Vec<Vec<String>> = skills
            .iter()
            .filter(|r| &r.0 == class)
            .map(|(_, skill, got, max)| {
                let name = crate::domain::lab::Skill::from_code(skill)
                    .map(|k| t(k.label_key(), lang))
                    .unwrap_or(skill.clone());
                vec![
                    name,
                    format!("{got}/{max}"),
                    format!("{}%", pct(*got, *max)),
                ]
            })
            .collect();
        if !rows.is_empty() {
            blocks.push(Block::Table {
                headers: vec![
                    t("lab.pdf_skill", lang),
                    t("lab.pdf_points", lang),
                    "%".into(),
                ],
                rows,
                widths: vec![40, 30, 30],
            });
        }
        let rows: Vec<Vec<String>> = scenarios
            .iter()
            .filter(|r| &r.0 == class)
            .map(|(_, id, runs, got, max)| {
                let title = lab
                    .catalog
                    .scenario(id)
                    .map(|s| s.title.get(lang).to_string())
                    .unwrap_or(id.clone());
                vec![title, runs.to_string(), format!("{}%", pct(*got, *max))]
            })
            .collect();
        if !rows.is_empty() {
            blocks.push(Block::Table {
                headers: vec![
                    t("lab.pdf_scenario", lang),
                    t("lab.pdf_runs", lang),
                    t("lab.pdf_average", lang),
                ],
                rows,
                widths: vec![60, 20, 20],
            });
        }
    }
    SlipDoc {
        title: t("lab.pdf_class_title", lang),
        header: vec![lab.config().hall.name.clone()],
        blocks,
        footer: t("lab.banner", lang),
        number: "LAB-CLASSES".into(),
        marks: Marks {
            reprint: None,
            training: true,
        },
    }
}

/// Writes the class report PDF to `out`.
pub fn write_class_pdf(
    lab: &Lab,
    skills: &SkillRows,
    scenarios: &ScenarioRows,
    out: &Path,
    lang: Lang,
) -> Result<(), Msg> {
    let font = crate::slips::source::start_loading(lab.config())
        .wait()
        .map_err(|e| msg!("slips.font_problem", detail = e))?;
    let bytes =
        crate::slips::pdf::render(&class_doc(lab, skills, scenarios, lang), &font, Paper::A4)
            .map_err(|e| msg!("slips.render_failed", detail = e))?;
    std::fs::write(out, bytes)
        .map_err(|e| msg!("slips.spool_unwritable", path = out.display(), detail = e))
}
