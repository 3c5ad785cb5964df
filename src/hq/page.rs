//! The read-only status page for HQ staff: plain HTML, no script, nothing
//! personal (counters, halls, counts and sums only).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{reconciles, Overview};
use crate::domain::money::Fen;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #bbb;padding:4px 10px}
th{background:#eef}td.n{text-align:right}.bad{background:#fdd;font-weight:bold}
.ok{background:#dfd}.open{background:#ffd}";

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <title>{title}</title><style>{STYLE}</style></head><body>"
    )
}

/// The sign-in form; `open` is false when no login was configured.
pub fn login(open: bool, error: Option<&str>) -> String {
    let mut s = head("总部上传状态 · HQ upload status — 登录 Sign in");
    s.push_str("<h1>总部上传状态 · HQ upload status</h1>");
    if !open {
        s.push_str(
            "<p>状态页未开放：启动时设置 --web-user 和 COUNTERDESK_HQ_WEB_PASSWORD。<br>\
             The status page is closed: start with --web-user and COUNTERDESK_HQ_WEB_PASSWORD.</p>",
        );
    } else {
        if let Some(e) = error {
            let _ = write!(
                s,
                "<p class=\"bad\" id=\"error\">用户名或密码错误 · {}</p>",
                esc(e)
            );
        }
        s.push_str(
            "<form method=\"post\" action=\"/login\">\
             <p><label>用户 User <input name=\"user\" id=\"user\"></label></p>\
             <p><label>密码 Password <input name=\"password\" id=\"password\" type=\"password\"></label></p>\
             <p><button type=\"submit\" id=\"signin\">登录 Sign in</button></p></form>",
        );
    }
    s.push_str("</body></html>");
    s
}

/// The status page.
pub fn status(o: &Overview, now: &str) -> String {
    let mut s = head("总部上传状态 · HQ upload status");
    let _ = write!(
        s,
        "<h1>总部上传状态 · HQ upload status</h1><p>截至 As of {} · 令牌被拒 Bad tokens: \
         <span id=\"bad-tokens\">{}</span> · 扫描件 Scans: \
         <span id=\"objects\">{}</span> ({})</p>\
         <form method=\"post\" action=\"/logout\"><button>退出 Sign out</button></form>",
        esc(now),
        o.bad_tokens,
        o.objects.0,
        crate::domain::scan::size_text(o.objects.1.max(0) as u64)
    );
    s.push_str(
        "<h2>柜台 Counters</h2><table id=\"counters\"><tr><th>柜台 Counter</th><th>营业厅 Hall</th>\
         <th>最后联系 Last contact</th><th>待传 Waiting</th><th>最早待传 Oldest waiting</th>\
         <th>隔离 Quarantined</th><th>分叉 Forked</th></tr>",
    );
    for c in &o.counters {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td>\
             <td class=\"n{}\">{}</td><td class=\"n{}\">{}</td></tr>",
            esc(&c.counter),
            esc(&c.hall),
            esc(c.last_contact.as_deref().unwrap_or("—")),
            c.waiting,
            esc(c.oldest_waiting_at.as_deref().unwrap_or("—")),
            if c.quarantined > 0 { " bad" } else { "" },
            c.quarantined,
            if c.forks > 0 { " bad" } else { "" },
            c.forks
        );
    }
    s.push_str("</table>");
    s.push_str(
        "<h2>日对账 Days</h2><table id=\"days\"><tr><th>日期 Day</th><th>柜台 Counter</th>\
         <th>纪元 Epoch</th><th>笔数 Records</th><th>序号 Sequences</th><th>金额 Amount (元)</th>\
         <th>隔离 Quarantined</th><th>对账 Reconciled</th></tr>",
    );
    for d in &o.days {
        let (class, word) = match d.reconciled {
            Some(true) => ("ok", "已对平 reconciled"),
            Some(false) => ("bad", "不一致 does not reconcile"),
            None => ("open", "未日结 not closed"),
        };
        let _ = write!(
            s,
            "<tr data-reconciled=\"{}\"><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td>{}–{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"{class}\">{word}</td></tr>",
            reconciles(d),
            esc(&d.day),
            esc(&d.counter),
            d.epoch,
            d.held.count,
            d.held.first_seq,
            d.held.last_seq,
            Fen(d.held.amount_fen),
            d.rejected,
        );
    }
    s.push_str("</table>");
    let mut halls: BTreeMap<(&str, &str), (i64, i64)> = BTreeMap::new();
    for d in &o.days {
        let e = halls.entry((d.day.as_str(), d.hall.as_str())).or_default();
        e.0 += d.held.count;
        e.1 += d.held.amount_fen;
    }
    s.push_str(
        "<h2>营业厅日合计 Hall totals</h2><table id=\"halls\"><tr><th>日期 Day</th>\
         <th>营业厅 Hall</th><th>笔数 Records</th><th>金额 Amount (元)</th></tr>",
    );
    for ((day, hall), (n, fen)) in halls.iter().rev() {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{n}</td><td class=\"n\">{}</td></tr>",
            esc(day),
            esc(hall),
            Fen(*fen)
        );
    }
    s.push_str("</table>");
    s.push_str(
        "<h2>服务评价 Ratings</h2><table id=\"ratings\"><tr><th>日期 Day</th>\
         <th>营业厅 Hall</th><th>已评 Rated</th><th>满意 Satisfied</th><th>差评 Poor</th>\
         <th>未评 Not rated</th></tr>",
    );
    for r in &o.ratings {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n{}\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&r.day),
            esc(&r.hall),
            r.rated,
            r.satisfied,
            if r.poor > 0 { " bad" } else { "" },
            r.poor,
            r.not_rated
        );
    }
    s.push_str(
        "</table><h2>待回访差评 Poor ratings open</h2><table id=\"poor\"><tr><th>营业厅 Hall</th>\
         <th>柜台 Counter</th><th>业务 Reference</th><th>评价 Level</th>\
         <th>回访期限 Visit by</th><th>整改期限 Put right by</th></tr>",
    );
    if o.open_poor.is_empty() {
        s.push_str("<tr><td colspan=\"6\">无 None</td></tr>");
    }
    for p in &o.open_poor {
        let level = match p.level.as_str() {
            "very_dissatisfied" => "非常不满意 Very dissatisfied",
            _ => "不满意 Dissatisfied",
        };
        let _ = write!(
            s,
            "<tr data-poor=\"open\"><td>{}</td><td>{}</td><td>{}</td><td class=\"bad\">{level}</td>\
             <td>{}</td><td>{}</td></tr>",
            esc(&p.hall),
            esc(&p.counter),
            esc(&p.reference),
            esc(&p.visit_due),
            esc(&p.rectify_due)
        );
    }
    s.push_str(
        "</table><h2>排队叫号 Queue</h2><table id=\"queue\"><tr><th>日期 Day</th>\
         <th>营业厅 Hall</th><th>办结号 Tickets ended</th><th>已办 Served</th>\
         <th>过号 No-shows</th><th>绿色通道 Green</th><th>等候中位 Wait p50</th>\
         <th>窗口记录 Window visits</th></tr>",
    );
    if o.queue.is_empty() {
        s.push_str("<tr><td colspan=\"8\">无 None</td></tr>");
    }
    for q in &o.queue {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td></tr>",
            esc(&q.day),
            esc(&q.hall),
            q.tickets,
            q.served,
            q.no_shows,
            q.green,
            crate::domain::queue::figures::min_sec(q.wait_p50),
            q.visits
        );
    }
    s.push_str("</table></body></html>");
    s
}
