//! A slip as plain text, for the preview popup before printing.

use crate::domain::msg::Lang;
use crate::slips::doc::{Block, SlipDoc};
use crate::tui::wrap::wrap;

/// The slip as lines of at most `width` columns.
pub fn to_text(doc: &SlipDoc, width: u16) -> Vec<String> {
    let mut out = Vec::new();
    let w = width.max(20);
    let rule = "─".repeat(w as usize);
    if let Some(r) = &doc.marks.reprint {
        out.push(format!("【{r}】"));
    }
    if doc.marks.training {
        out.push("【实训 — 无效 / TRAINING — NOT VALID】".to_string());
    }
    out.push(format!("{}    No. {}", doc.title, doc.number));
    out.extend(doc.header.iter().cloned());
    out.push(rule.clone());
    for b in &doc.blocks {
        match b {
            Block::Heading(h) => {
                out.push(String::new());
                out.push(format!("■ {h}"));
            }
            Block::Field { label, value } => {
                for (i, l) in wrap(&format!("{label}：{value}"), w, Lang::Zh)
                    .into_iter()
                    .enumerate()
                {
                    out.push(if i == 0 { l } else { format!("    {l}") });
                }
            }
            Block::Paragraph(p) => out.extend(wrap(p, w, Lang::Zh)),
            Block::Bullet(p) => {
                for (i, l) in wrap(p, w.saturating_sub(2), Lang::Zh)
                    .into_iter()
                    .enumerate()
                {
                    out.push(if i == 0 {
                        format!("• {l}")
                    } else {
                        format!("  {l}")
                    });
                }
            }
            Block::Table { headers, rows, .. } => {
                out.push(headers.join(" │ "));
                for r in rows {
                    out.push(r.join(" │ "));
                }
            }
            Block::Signature(label) => {
                out.push(String::new());
                out.push(format!("{label}：________________    日期：__________"));
            }
            Block::Cut(caption) => {
                out.push(String::new());
                out.push(format!("✂ - - - - - {caption} - - - - -"));
            }
            Block::Spacer => out.push(String::new()),
        }
    }
    out.push(rule);
    out.push(doc.footer.clone());
    out
}
