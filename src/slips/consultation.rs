//! 一次性告知书（便携版）: what a customer who only asked takes home — every
//! material, step and time limit, fee, right and duty of the business, so
//! they come back once with everything.

use super::content::{date, field, header, section_title, HOTLINES};
use super::doc::{Block, Marks, SlipDoc};
use crate::config::Hall;
use crate::domain::disclosure::Item;

/// What the notice is about.
pub struct Consultation<'a> {
    pub number: &'a str,
    pub business: &'a str,
    pub form_version: &'a str,
    /// Name and masked ID, when the customer was identified.
    pub customer: Option<(&'a str, &'a str)>,
    pub told_at: chrono::DateTime<chrono::Utc>,
    pub items: &'a [Item],
    /// Staff number and name.
    pub clerk: (&'a str, &'a str),
    pub hall: &'a Hall,
}

/// The notice.
pub fn consultation_notice(c: &Consultation, marks: Marks) -> SlipDoc {
    let mut blocks = vec![field("告知编号", c.number)];
    if let Some((name, id)) = c.customer {
        blocks.push(field("客户名称", format!("{name} {id}")));
    }
    blocks.push(field("告知日期", date(&c.told_at)));
    blocks.push(Block::Paragraph(format!(
        "根据一次性告知制度，现将{}业务的全部所需材料、办理环节与时限、收费及依据、您的权利和须知一次性告知如下（表单版本 {}）。带齐所列材料到任一窗口即可受理，不必再跑一趟。",
        c.business, c.form_version
    )));
    let mut current = "";
    for item in c.items {
        let kind = item.section.code();
        if kind != current {
            current = kind;
            blocks.push(Block::Heading(section_title(kind).into()));
        }
        blocks.push(Block::Bullet(item.text.zh.clone()));
    }
    blocks.push(Block::Spacer);
    blocks.push(Block::Paragraph(
        "本告知书供您准备材料之用，不是受理凭证；受理以窗口出具的受理回执为准。日期按今天计算，实际以受理之日起算。"
            .into(),
    ));
    blocks.push(field(
        "告知人",
        format!("{}（工号 {}）", c.clerk.1, c.clerk.0),
    ));
    SlipDoc {
        title: format!("用电业务办理告知书（便携版 · {}）", c.business),
        header: header(c.hall),
        blocks,
        footer: HOTLINES.into(),
        number: c.number.to_string(),
        marks,
    }
}
