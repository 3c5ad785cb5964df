//! What a case's slips say about its course: the progress slip with the
//! steps recorded done (when, by whom, the note) and the pauses, and the record
//! of an application that cannot be or is put off being handled
//! (无法或暂缓办理用电申请记录), which the customer signs.

use super::content::{
    date, field, header, local, materials, responsible, ApplicationSlip, HOTLINES,
};
use crate::domain::case::{Verdict, Way};
use crate::domain::states::StepStatus;
use crate::slips::doc::{Block, Marks, SlipDoc};
use crate::store::cases::StepRecord;

/// "办理记录": the steps done and the pauses, for the progress slip.
pub fn trail_blocks(s: &ApplicationSlip, out: &mut Vec<Block>) {
    let t = s.trail;
    let done: Vec<&StepRecord> = t.records.iter().filter(|r| r.done_at.is_some()).collect();
    if done.is_empty() && t.pauses.is_empty() && t.visits.is_empty() {
        return;
    }
    out.push(Block::Heading("办理记录".into()));
    for r in done {
        let name = s
            .app
            .steps
            .iter()
            .find(|st| st.step_id == r.step_id)
            .map(|st| st.name_zh.clone())
            .unwrap_or_else(|| r.step_id.clone());
        let at = r
            .done_at
            .map(|d| local(&d, "%Y-%m-%d %H:%M"))
            .unwrap_or_default();
        let who = r
            .done_by
            .as_ref()
            .map(|(n, w)| format!("经办 {w}（工号 {n}）"))
            .unwrap_or_else(|| "总部办理".into());
        let note = r
            .note
            .as_ref()
            .map(|n| format!("：{n}"))
            .unwrap_or_default();
        out.push(Block::Bullet(format!("{name} {at} 完成，{who}{note}")));
    }
    for (from, reason, to, days) in &t.pauses {
        let line = match (to, days) {
            (Some(to), Some(d)) => format!(
                "暂停计时 {} 至 {}（{d} 个工作日不计入时限）：{reason}",
                local(from, "%Y-%m-%d"),
                local(to, "%Y-%m-%d")
            ),
            _ => format!("自 {} 起暂停计时：{reason}", local(from, "%Y-%m-%d")),
        };
        out.push(Block::Bullet(line));
    }
    for (at, (staff, name), way, verdict, note) in &t.visits {
        let how = match way {
            Way::Phone => "电话",
            Way::InPerson => "上门",
        };
        let said = match verdict {
            Verdict::Satisfied => "满意",
            Verdict::NotSatisfied => "不满意，重新办理",
        };
        let note = note
            .as_ref()
            .filter(|n| !n.is_empty())
            .map(|n| format!("：{n}"))
            .unwrap_or_default();
        out.push(Block::Bullet(format!(
            "回访 {} {how}，客户{said}，经办 {name}（工号 {staff}）{note}",
            local(at, "%Y-%m-%d %H:%M")
        )));
    }
}

/// The record of an application that cannot be or is put off being handled.
pub fn refusal_record(s: &ApplicationSlip, marks: Marks) -> SlipDoc {
    let a = s.app;
    let (ended, reason) = match &s.trail.ended {
        Some((at, reason)) => (local(at, "%Y-%m-%d"), reason.clone().unwrap_or_default()),
        None => (String::new(), String::new()),
    };
    let mut blocks = vec![
        field("受理编号", a.ticket_no.clone()),
        field("业务类型", s.business),
        field("客户名称", s.customer),
        field("证件号码", s.masked_id),
        field("受理日期", local(&a.accepted_at, "%Y-%m-%d")),
        field("处理日期", ended),
        field("无法或暂缓办理的原因", reason),
    ];
    trail_blocks(s, &mut blocks);
    blocks.push(Block::Paragraph(
        "您的用电申请因上述原因无法或暂缓办理。原因消除后可凭本记录重新申请，已提交的材料不必重复提供。如对处理有异议，可向值班经理反映或拨打下方热线。".into(),
    ));
    blocks.push(field(
        "值班经理",
        format!(
            "{} · 电话 {}",
            s.hall.duty_manager, s.hall.duty_manager_phone
        ),
    ));
    blocks.push(Block::Signature("客户签名".into()));
    blocks.push(Block::Signature("经办人签名".into()));
    SlipDoc {
        title: "无法或暂缓办理用电申请记录".into(),
        header: header(s.hall),
        blocks,
        footer: HOTLINES.into(),
        number: a.ticket_no.clone(),
        marks,
    }
}

/// 进度单: where the application stands, what is still owed.
pub fn progress_slip(s: &ApplicationSlip, marks: Marks, today: chrono::NaiveDate) -> SlipDoc {
    let a = s.app;
    let mut blocks = vec![
        field("受理编号", a.ticket_no.clone()),
        field("业务类型", s.business),
        field("客户名称", s.customer),
        field("受理日期", date(&a.accepted_at)),
        field("查询日期", today.to_string()),
        Block::Heading("办理进度".into()),
    ];
    for st in &a.steps {
        let state = match st.status {
            StepStatus::Done => "已完成",
            StepStatus::Current => "进行中",
            StepStatus::Pending => "未开始",
        };
        let due = st
            .due_date
            .map(|d| format!("，应于 {d} 前完成"))
            .unwrap_or_default();
        let late = if st.status != StepStatus::Done && st.due_date.is_some_and(|d| d < today) {
            "（已超期）"
        } else {
            ""
        };
        blocks.push(Block::Bullet(format!("{}：{state}{due}{late}", st.name_zh)));
    }
    trail_blocks(s, &mut blocks);
    materials(a, &mut blocks);
    responsible(s, &mut blocks);
    SlipDoc {
        title: "业务办理进度单".into(),
        header: header(s.hall),
        blocks,
        footer: HOTLINES.into(),
        number: a.ticket_no.clone(),
        marks,
    }
}
