//! What each slip says, built from what is stored (never from the screen):
//! the acceptance receipt, the one-time disclosure notice with its stub, and
//! the printer test page (a case's progress slip is in `case`).

use crate::config::Hall;
use crate::domain::disclosure::Section;
use crate::domain::states::MaterialStatus;
use crate::slips::doc::{Block, Marks, SlipDoc};
use crate::store::applications::{ApplicationRow, DisclosureRow};

/// Everything a slip about one application needs.
pub struct ApplicationSlip<'a> {
    /// The application as stored.
    pub app: &'a ApplicationRow,
    /// Customer's name.
    pub customer: &'a str,
    pub masked_id: &'a str,
    /// Business type name (Chinese).
    pub business: &'a str,
    /// Disclosed items as stored.
    pub disclosures: &'a [DisclosureRow],
    pub hall: &'a Hall,
    /// The case's course: steps done, pauses, its end.
    pub trail: &'a crate::store::cases::CaseTrail,
}

pub(crate) const HOTLINES: &str =
    "供电服务热线 95598 · 能源监管热线 12398 · 政务服务便民热线 12345";
const CHOICE_RIGHT: &str = "您可自主选择具备相应资质的设计、施工和设备材料供应单位，供电企业及其工作人员不指定设计单位、施工单位和设备材料供应单位（“三不指定”）。";

pub(crate) fn header(hall: &Hall) -> Vec<String> {
    vec![
        hall.name.clone(),
        format!(
            "{} · 电话 {} · {} 号窗口",
            hall.address, hall.phone, hall.window
        ),
    ]
}

pub(crate) fn field(label: &str, value: impl Into<String>) -> Block {
    Block::Field {
        label: label.to_string(),
        value: value.into(),
    }
}

// Stored times are UTC; slips show the hall's local time.
/// An instant in the hall's local time.
pub(crate) fn local(at: &chrono::DateTime<chrono::Utc>, fmt: &str) -> String {
    at.with_timezone(&chrono::Local).format(fmt).to_string()
}

pub(crate) fn date(at: &chrono::DateTime<chrono::Utc>) -> String {
    local(at, "%Y-%m-%d")
}

fn steps_table(app: &ApplicationRow) -> Block {
    Block::Table {
        headers: vec!["环节".into(), "时限".into(), "应完成日期".into()],
        rows: app
            .steps
            .iter()
            .map(|s| {
                let due = match s.due_date {
                    Some(d) if s.due_estimated => format!("{d}（估算）"),
                    Some(d) => d.to_string(),
                    None => "自后续环节起算".into(),
                };
                vec![s.name_zh.clone(), format!("{} 个工作日", s.limit_wd), due]
            })
            .collect(),
        widths: vec![4, 2, 3],
    }
}

pub(crate) fn materials(app: &ApplicationRow, out: &mut Vec<Block>) {
    let received: Vec<_> = app
        .materials
        .iter()
        .filter(|m| m.status != MaterialStatus::Owed)
        .collect();
    let owed: Vec<_> = app
        .materials
        .iter()
        .filter(|m| m.status == MaterialStatus::Owed)
        .collect();
    out.push(Block::Heading("已收材料".into()));
    if received.is_empty() {
        out.push(Block::Paragraph("无".into()));
    }
    for m in received {
        // Not handed in again: the customer's file already holds it.
        let on_file = if m.status == MaterialStatus::OnFile {
            "（已在档）"
        } else {
            ""
        };
        let scan = m
            .scan
            .as_ref()
            .map(|s| {
                format!(
                    "（扫描件 {} {} · {}）",
                    s.kind.label(),
                    crate::domain::scan::size_text(s.bytes),
                    &s.sha256[..12]
                )
            })
            .unwrap_or_default();
        out.push(Block::Bullet(format!(
            "{}{on_file}{scan}",
            brief(&m.name_zh)
        )));
    }
    out.push(Block::Heading("待补交材料".into()));
    if owed.is_empty() {
        out.push(Block::Paragraph("无，材料已收齐。".into()));
    }
    for m in owed {
        let by = match m.due_date {
            Some(d) if m.due_estimated => format!("，请于 {d}（估算）前交齐"),
            Some(d) => format!("，请于 {d} 前交齐"),
            None => String::new(),
        };
        out.push(Block::Bullet(format!("{}{by}", brief(&m.name_zh))));
    }
}

// The receipt names an any-one-of group briefly; the disclosure notice
// lists every alternative. Keeps the receipt to one page and its font subset small.
fn brief(name: &str) -> String {
    match name.split_once("（任选其一") {
        Some((head, _)) => format!("{head}（任选其一，详见告知书）"),
        None => name.to_string(),
    }
}

pub(crate) fn responsible(s: &ApplicationSlip, out: &mut Vec<Block>) {
    let a = s.app;
    out.push(field(
        "受理人",
        format!(
            "{}（工号 {}）· {} 号窗口",
            a.accepted_by.1, a.accepted_by.0, s.hall.window
        ),
    ));
    out.push(field(
        "首问负责人",
        format!("{}（工号 {}）", a.owner.2, a.owner.1),
    ));
    // The named person who guides the case to power-on (客户经理制).
    if let Some(m) = &a.manager {
        out.push(field(
            "您的客户经理",
            format!("{} · 电话 {}", m.name, m.phone),
        ));
    }
    out.push(field(
        "值班经理",
        format!(
            "{} · 电话 {}",
            s.hall.duty_manager, s.hall.duty_manager_phone
        ),
    ));
}

/// Where the customer looks the case up: HQ's public page, with the
/// ticket filled in through the QR code.
fn progress_lookup(s: &ApplicationSlip, out: &mut Vec<Block>) {
    let url = s.hall.progress_url.trim();
    if url.is_empty() {
        return;
    }
    let with_ticket = format!("{url}?t={}", s.app.ticket_no);
    out.push(Block::Heading("进度查询".into()));
    out.push(Block::Paragraph(format!(
        "扫码或访问 {url}，输入受理编号 {} 和证件号码后四位，即可查询办理进度。",
        s.app.ticket_no
    )));
    out.push(Block::Qr(with_ticket));
}

/// 受理回执: what was accepted, what is owed by when, every step as a date,
/// who is responsible, the customer's right to choose, and where to complain.
pub fn acceptance_receipt(s: &ApplicationSlip, marks: Marks) -> SlipDoc {
    let a = s.app;
    let mut blocks = vec![
        field("受理编号", a.ticket_no.clone()),
        field("业务类型", s.business),
        field("客户名称", s.customer),
        field("证件号码", s.masked_id),
        field("受理日期", date(&a.accepted_at)),
        Block::Heading("办理环节与时限".into()),
        steps_table(a),
    ];
    materials(a, &mut blocks);
    if a.commitment_signed {
        blocks.push(Block::Paragraph(
            "客户已签署《一证受理承诺书》，承诺按期补交上述材料。".into(),
        ));
    }
    blocks.push(Block::Heading("服务与监督".into()));
    responsible(s, &mut blocks);
    progress_lookup(s, &mut blocks);
    blocks.push(Block::Paragraph(CHOICE_RIGHT.into()));
    blocks.push(Block::Paragraph(format!(
        "如对服务有意见，可拨打{HOTLINES}。"
    )));
    blocks.push(Block::Signature("客户签名".into()));
    SlipDoc {
        title: "用电业务受理回执".into(),
        header: header(s.hall),
        blocks,
        footer: HOTLINES.into(),
        number: a.ticket_no.clone(),
        marks,
    }
}

pub(crate) fn section_title(kind: &str) -> &'static str {
    match kind {
        k if k == Section::Materials.code() => "一、申请材料",
        k if k == Section::Steps.code() => "二、办理环节与时限",
        k if k == Section::Fees.code() => "三、收费项目及依据",
        k if k == Section::Rights.code() => "四、客户权利",
        k if k == Section::Duties.code() => "五、客户须知",
        _ => "六、服务与监督电话",
    }
}

/// 一次性告知书: every item told, as stored, the commitment letter, the
/// signatures; then the stub the hall files with the application.
pub fn disclosure_notice(s: &ApplicationSlip, marks: Marks) -> SlipDoc {
    let a = s.app;
    let mut blocks = vec![
        field("受理编号", a.ticket_no.clone()),
        field("客户名称", s.customer),
        field("证件号码", s.masked_id),
        field("告知日期", date(a.disclosed_at.as_ref().unwrap_or(&a.accepted_at))),
        Block::Paragraph(format!(
            "根据一次性告知制度，现将{}业务的全部所需材料、办理环节与时限、收费及依据、您的权利和须知一次性告知如下（表单版本 {}）：",
            s.business, a.form_version
        )),
    ];
    let mut current = "";
    for d in s.disclosures {
        if d.item_kind != current {
            current = &d.item_kind;
            blocks.push(Block::Heading(section_title(current).into()));
        }
        blocks.push(Block::Bullet(d.text_zh.clone()));
    }
    if a.commitment_signed {
        blocks.push(Block::Paragraph(
            "一证受理承诺：本人已知悉上述须补交的材料及期限，承诺按期补交；逾期未交的，同意业务暂缓办理。".into(),
        ));
    }
    responsible(s, &mut blocks);
    blocks.push(Block::Signature("客户签名（已知悉以上全部内容）".into()));
    blocks.push(Block::Cut("存根（营业厅留存）".into()));
    blocks.push(field("受理编号", a.ticket_no.clone()));
    blocks.push(field("业务类型", s.business));
    blocks.push(field("客户名称", format!("{} {}", s.customer, s.masked_id)));
    blocks.push(field(
        "告知事项",
        format!("共 {} 项，已逐项告知", s.disclosures.len()),
    ));
    blocks.push(field(
        "告知人",
        format!("{}（工号 {}）", a.accepted_by.1, a.accepted_by.0),
    ));
    blocks.push(Block::Signature("客户签名".into()));
    SlipDoc {
        title: format!("用电业务办理告知书（{}）", s.business),
        header: header(s.hall),
        blocks,
        footer: HOTLINES.into(),
        number: a.ticket_no.clone(),
        marks,
    }
}

/// The printer set-up page: every kind of block, sample rare characters.
pub fn test_page(hall: &Hall, number: &str, marks: Marks) -> SlipDoc {
    SlipDoc {
        title: "打印测试页 Printer test page".into(),
        header: header(hall),
        blocks: vec![
            Block::Heading("字段 Fields".into()),
            field("受理编号", "SL20261124-1-0001"),
            field("客户名称", "王䶮 · 𠮷野家 · 买买提·艾力"),
            field(
                "长字段",
                "很长的内容会在字段值的位置自动换行，不会超出页边距，也不会丢字。".repeat(3),
            ),
            Block::Heading("段落与列表 Paragraphs and lists".into()),
            Block::Paragraph(CHOICE_RIGHT.into()),
            Block::Bullet("用电人有效身份证明（原件）— 受理时提供".into()),
            Block::Bullet("用电地址物权证明（复印件）— 请于 2026-12-01 前交齐".into()),
            Block::Heading("表格 Table".into()),
            Block::Table {
                headers: vec!["环节".into(), "时限".into(), "应完成日期".into()],
                rows: vec![
                    vec!["受理签约".into(), "1 个工作日".into(), "2026-11-25".into()],
                    vec!["施工接电".into(), "4 个工作日".into(), "2026-12-01".into()],
                ],
                widths: vec![4, 2, 3],
            },
            Block::Spacer,
            Block::Paragraph(
                "ASCII: 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz ¥128.50"
                    .into(),
            ),
            Block::Signature("客户签名".into()),
            Block::Cut("存根（营业厅留存）".into()),
            field("测试编号", number),
        ],
        footer: HOTLINES.into(),
        number: number.into(),
        marks,
    }
}
