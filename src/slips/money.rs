//! What the money slips say, built from what is stored after the commit:
//! the payment receipt, the reversal slip, the refund slip and the shift
//! settlement report.

use crate::config::Hall;
use crate::domain::money::{Fen, Method};
use crate::domain::states::PaymentStatus;
use crate::slips::content::{field, header, local, HOTLINES};
use crate::slips::doc::{Block, Marks, SlipDoc};
use crate::store::money::{ClosedShift, PaymentRow, ReceiptRow};
use crate::store::refunds::RefundRow;

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Cash => "现金",
        Method::Card => "银行卡",
        Method::Qr => "扫码支付",
        Method::Cheque => "支票",
    }
}

/// What a business-fee receipt names besides the payment: the business
/// type and the fee, both as told at acceptance.
pub struct FeeLabel {
    pub ticket_no: String,
    /// Business type (Chinese).
    pub business: String,
    /// The fee's name (Chinese).
    pub fee: String,
    /// The applicant.
    pub customer: String,
    /// The case's customer manager: name and phone.
    pub manager: Option<(String, String)>,
}

fn paid_for(r: &ReceiptRow, fee: Option<&FeeLabel>, blocks: &mut Vec<Block>) {
    match fee {
        Some(f) => {
            blocks.push(field("受理编号", f.ticket_no.clone()));
            blocks.push(field("业务", f.business.clone()));
            blocks.push(field("客户", f.customer.clone()));
            if let Some((name, phone)) = &f.manager {
                blocks.push(field("您的客户经理", format!("{name} · 电话 {phone}")));
            }
        }
        None => {
            blocks.push(field(
                "户号",
                r.payment.account_no.clone().unwrap_or_default(),
            ));
            blocks.push(field("账期", r.period.clone().unwrap_or_default()));
        }
    }
}

/// 收费收据: what was paid, how, the late fee on its own line, the change.
pub fn payment_receipt(
    r: &ReceiptRow,
    fee: Option<&FeeLabel>,
    hall: &Hall,
    marks: Marks,
) -> SlipDoc {
    let p = &r.payment;
    let mut blocks = vec![field("收据号", p.receipt_no.clone())];
    paid_for(r, fee, &mut blocks);
    blocks.push(field("收费时间", local(&r.paid_at, "%Y-%m-%d %H:%M")));
    let mut rows = match fee {
        Some(f) => vec![vec![f.fee.clone(), r.due.to_string()]],
        None => vec![
            vec!["电费".into(), r.due.to_string()],
            vec!["违约金".into(), r.late_fee.to_string()],
        ],
    };
    rows.push(vec![
        "应收合计".into(),
        r.due.saturating_add(r.late_fee).to_string(),
    ]);
    blocks.push(Block::Table {
        headers: vec!["项目".into(), "金额（元）".into()],
        rows,
        widths: vec![3, 2],
    });
    blocks.push(Block::Heading("收款方式".into()));
    for (m, applied, tendered, reference) in &r.tenders {
        let reference = reference
            .as_deref()
            .map(|x| format!("（{x}）"))
            .unwrap_or_default();
        blocks.push(Block::Bullet(format!(
            "{}{reference}：实收 {tendered} 元，计入 {applied} 元",
            method_name(*m)
        )));
    }
    blocks.push(field("找零", format!("{} 元", p.change)));
    if let Some(by) = r.reconnect_by {
        blocks.push(Block::Paragraph(format!(
            "欠费已结清，已安排复电，预计 {} 前恢复供电。",
            local(&by, "%Y-%m-%d %H:%M")
        )));
    }
    if r.prepaid.0 > 0 {
        blocks.push(field("转预收电费", format!("{} 元", r.prepaid)));
    }
    if p.status == PaymentStatus::Reversed {
        blocks.push(Block::Paragraph("本收据已冲正，作废。".into()));
    }
    if p.refunded.0 > 0 {
        blocks.push(field("已退费", format!("{} 元", p.refunded)));
    }
    blocks.push(field(
        "收款员",
        format!("{}（工号 {}）· {} 号窗口", r.clerk.1, r.clerk.0, r.window),
    ));
    blocks.push(Block::Signature("客户签名".into()));
    SlipDoc {
        title: if fee.is_some() {
            "业务费收据"
        } else {
            "电费收据"
        }
        .into(),
        header: header(hall),
        blocks,
        footer: HOTLINES.into(),
        number: p.receipt_no.clone(),
        marks,
    }
}

/// 冲正单: which receipt was reversed, for how much, who authorised it and
/// why; the money handed back is the receipt's tenders less its change.
pub fn reversal_slip(r: &ReceiptRow, fee: Option<&FeeLabel>, hall: &Hall, marks: Marks) -> SlipDoc {
    let p = &r.payment;
    let mut blocks = vec![field("原收据号", p.receipt_no.clone())];
    paid_for(r, fee, &mut blocks);
    blocks.push(field("原收费时间", local(&r.paid_at, "%Y-%m-%d %H:%M")));
    blocks.push(field("冲正金额", format!("{} 元", p.total)));
    blocks.push(Block::Heading("退回客户".into()));
    for (m, applied, _, reference) in &r.tenders {
        let reference = reference
            .as_deref()
            .map(|x| format!("（{x}）"))
            .unwrap_or_default();
        blocks.push(Block::Bullet(format!(
            "{}{reference}：{applied} 元",
            method_name(*m)
        )));
    }
    if r.prepaid.0 > 0 {
        blocks.push(field("冲回预收电费", format!("{} 元", r.prepaid)));
    }
    if let Some(rev) = &r.reversal {
        blocks.push(field("冲正时间", local(&rev.at, "%Y-%m-%d %H:%M")));
        blocks.push(field("冲正原因", rev.reason.clone()));
        blocks.push(field(
            "授权值班经理",
            format!("{}（工号 {}）", rev.by.1, rev.by.0),
        ));
    }
    blocks.push(field(
        "收款员",
        format!("{}（工号 {}）· {} 号窗口", r.clerk.1, r.clerk.0, r.window),
    ));
    blocks.push(Block::Paragraph(
        "原收据号保留并标记为已冲正，不再使用。".into(),
    ));
    blocks.push(Block::Signature("客户签名".into()));
    blocks.push(Block::Signature("值班经理签名".into()));
    SlipDoc {
        title: "冲正单".into(),
        header: header(hall),
        blocks,
        footer: HOTLINES.into(),
        number: format!("{}-REV", p.receipt_no),
        marks,
    }
}

/// 退费凭证: a refund after the shift was closed, to the customer's own
/// bank account, by a duty manager.
pub fn refund_slip(r: &RefundRow, hall: &Hall, marks: Marks) -> SlipDoc {
    let masked = if r.bank_account.len() > 8 {
        format!(
            "{} **** {}",
            &r.bank_account[..4],
            &r.bank_account[r.bank_account.len() - 4..]
        )
    } else {
        r.bank_account.clone()
    };
    let blocks = vec![
        field("退费单号", r.refund_no.clone()),
        field("原收据号", r.receipt_no.clone()),
        field("户号/受理编号", r.for_what.clone()),
        field("原实收", format!("{} 元", r.paid)),
        field("退费金额", format!("{} 元", r.amount)),
        field("退至账户", masked),
        field("户名", r.holder.clone()),
        field("退费原因", r.reason.clone()),
        field("办理时间", local(&r.refunded_at, "%Y-%m-%d %H:%M")),
        field("值班经理", format!("{}（工号 {}）", r.by.1, r.by.0)),
        Block::Paragraph("款项退至客户本人名下银行账户，到账时间以银行为准。".into()),
        Block::Signature("客户签名".into()),
        Block::Signature("值班经理签名".into()),
    ];
    SlipDoc {
        title: "退费凭证".into(),
        header: header(hall),
        blocks,
        footer: HOTLINES.into(),
        number: r.refund_no.clone(),
        marks,
    }
}

/// 日结单: expected against counted per method, the note, and every
/// receipt number of the shift with its state.
pub fn settlement_report(
    closed: &ClosedShift,
    receipts: &[PaymentRow],
    hall: &Hall,
    marks: Marks,
) -> SlipDoc {
    let s = &closed.shift;
    let lines: Vec<serde_json::Value> =
        serde_json::from_str(&closed.settlement).unwrap_or_default();
    let fen = |v: &serde_json::Value, k: &str| Fen(v.get(k).and_then(|x| x.as_i64()).unwrap_or(0));
    let mut blocks = vec![
        field("班次", format!("{}", s.id)),
        field(
            "收款员",
            format!(
                "{}（工号 {}）· {} 号窗口",
                closed.clerk.1, closed.clerk.0, s.window
            ),
        ),
        field("开班", local(&s.opened_at, "%Y-%m-%d %H:%M")),
        field("日结", local(&closed.closed_at, "%Y-%m-%d %H:%M")),
        field("备用金", format!("{} 元", s.float)),
        Block::Heading("应有与实点".into()),
        Block::Table {
            headers: vec!["方式".into(), "应有".into(), "实点".into(), "长短款".into()],
            rows: lines
                .iter()
                .map(|l| {
                    let method = l
                        .get("method")
                        .and_then(|m| m.as_str())
                        .and_then(Method::from_code)
                        .map(method_name)
                        .unwrap_or("?");
                    vec![
                        method.into(),
                        fen(l, "expected").to_string(),
                        fen(l, "counted").to_string(),
                        fen(l, "over_short").to_string(),
                    ]
                })
                .collect(),
            widths: vec![2, 2, 2, 2],
        },
    ];
    if let Some((note, by)) = &closed.note {
        blocks.push(field("长短款说明", format!("{note}（值班经理 {by}）")));
    }
    blocks.push(Block::Heading(format!("收据（{} 张）", receipts.len())));
    blocks.push(Block::Table {
        headers: vec![
            "收据号".into(),
            "户号/受理编号".into(),
            "金额".into(),
            "状态".into(),
        ],
        rows: receipts
            .iter()
            .map(|r| {
                let state = if r.status == PaymentStatus::Reversed {
                    "已冲正"
                } else if r.dishonoured {
                    "已退票"
                } else if r.refunded.0 > 0 {
                    "已退费"
                } else if r.held {
                    "支票待到账"
                } else {
                    "有效"
                };
                vec![
                    r.receipt_no.clone(),
                    r.account_no
                        .clone()
                        .or_else(|| r.fee.as_ref().map(|f| f.0.clone()))
                        .unwrap_or_default(),
                    r.total.to_string(),
                    state.into(),
                ]
            })
            .collect(),
        widths: vec![3, 3, 2, 1],
    });
    blocks.push(Block::Signature("收款员签名".into()));
    blocks.push(Block::Signature("值班经理签名".into()));
    SlipDoc {
        title: "收费日结单".into(),
        header: header(hall),
        blocks,
        footer: HOTLINES.into(),
        number: format!("SETTLE-{}", s.id),
        marks,
    }
}
