//! The score sheet on paper: the same lines as on screen, marked as
//! practice, written as a PDF into the run's folder.

use std::path::Path;

use crate::domain::lab::ScoreSheet;
use crate::domain::msg::{Lang, Msg};
use crate::domain::states::Paper;
use crate::i18n::{t, text};
use crate::msg;
use crate::slips::doc::{Block, Marks, SlipDoc};
use crate::store::lab::RunRow;

use super::Lab;

/// The sheet as a slip document.
pub fn doc(lab: &Lab, run: &RunRow, s: &ScoreSheet, lang: Lang) -> SlipDoc {
    let title = lab
        .catalog
        .scenario(&run.scenario)
        .map(|sc| sc.title.get(lang).to_string())
        .unwrap_or_else(|| run.scenario.clone());
    let mut blocks = vec![
        Block::Field {
            label: t("lab.pdf_trainee", lang),
            value: format!("{} {} {}", run.staff_no, run.person, run.class),
        },
        Block::Field {
            label: t("lab.pdf_scenario", lang),
            value: title,
        },
        Block::Field {
            label: t("lab.pdf_started", lang),
            value: super::local_time(&run.started_at),
        },
        Block::Heading(text(
            &msg!("lab.sheet_total", total = s.total, max = s.max),
            lang,
        )),
    ];
    let rows: Vec<Vec<String>> = s
        .lines
        .iter()
        .map(|l| {
            vec![
                // The slip font has √ and ×, not the check-mark dingbats.
                if l.met() { "√".into() } else { "×".into() },
                format!("{}/{}", l.got, l.points),
                text(&l.what, lang),
                if l.met() {
                    String::new()
                } else {
                    text(&l.why, lang)
                },
            ]
        })
        .collect();
    blocks.push(Block::Table {
        headers: vec![
            String::new(),
            t("lab.pdf_points", lang),
            t("lab.pdf_expected", lang),
            t("lab.pdf_why", lang),
        ],
        rows,
        widths: vec![4, 8, 44, 44],
    });
    for d in &s.deductions {
        blocks.push(Block::Bullet(format!(
            "−{} {}",
            d.points,
            text(&d.what, lang)
        )));
    }
    blocks.push(Block::Paragraph(text(&s.facts_msg(), lang)));
    blocks.push(Block::Signature(t("lab.pdf_trainer_sign", lang)));
    SlipDoc {
        title: t("lab.pdf_title", lang),
        header: vec![lab.config().hall.name.clone()],
        blocks,
        footer: t("lab.banner", lang),
        number: format!("LAB-RUN-{}", run.id),
        marks: Marks {
            reprint: None,
            training: true,
        },
    }
}

/// Writes the sheet's PDF to `out`.
pub fn write(lab: &Lab, run: &RunRow, s: &ScoreSheet, out: &Path, lang: Lang) -> Result<(), Msg> {
    let font = crate::slips::source::start_loading(lab.config())
        .wait()
        .map_err(|e| msg!("slips.font_problem", detail = e))?;
    let bytes = crate::slips::pdf::render(&doc(lab, run, s, lang), &font, Paper::A4)
        .map_err(|e| msg!("slips.render_failed", detail = e))?;
    std::fs::write(out, bytes)
        .map_err(|e| msg!("slips.spool_unwritable", path = out.display(), detail = e))
}
