//! The ticket slip the queue machine prints: number, group, people ahead,
//! the estimated wait, the time and the hall, on 80 mm paper cut at 100 mm.

use std::path::{Path, PathBuf};

use super::core::Issued;
use crate::config::Hall;
use crate::slips::doc::{Block, Marks, Paper, SlipDoc};
use crate::slips::font::SlipFont;

/// What the slip says.
pub fn doc(t: &Issued, hall: &Hall) -> SlipDoc {
    let field = |label: &str, value: String| Block::Field {
        label: label.into(),
        value,
    };
    let mut blocks = vec![
        Block::Big(t.ticket.label.clone()),
        Block::Heading(format!("{} {}", t.group_name.0, t.group_name.1)),
        field("前面等候 Ahead", format!("{} 人 people", t.ahead)),
        field(
            "预计等候 Wait",
            format!("约 {} 分钟 about {} min", t.wait_minutes, t.wait_minutes),
        ),
        field(
            "取号时间 Time",
            format!("{} {}", t.ticket.day, t.local_time),
        ),
    ];
    if t.ticket.green {
        blocks.push(Block::Paragraph(
            "绿色通道：请留意叫号，优先办理。Green channel: you will be called first.".into(),
        ));
    }
    blocks.push(Block::Paragraph(
        "请留意叫号屏和语音提示；过号请到引导台重新取号。Watch the screen and listen for your number.".into(),
    ));
    SlipDoc {
        title: "排队取号 Queue ticket".into(),
        header: vec![hall.name.clone(), hall.address.clone()],
        blocks,
        footer: hall.phone.clone(),
        number: t.ticket.label.clone(),
        marks: Marks::default(),
    }
}

/// Renders the ticket into the spool folder; the file's path.
pub fn write_pdf(
    t: &Issued,
    hall: &Hall,
    font: &SlipFont,
    spool: &Path,
) -> Result<PathBuf, String> {
    let bytes = crate::slips::pdf::render(&doc(t, hall), font, Paper::Ticket80)
        .map_err(|e| e.to_string())?;
    let dir = spool.join(&t.ticket.day);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("ticket-{}.pdf", t.ticket.label));
    crate::slips::spool::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
