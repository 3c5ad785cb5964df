//! The duty manager's page of the day's queue figures: per group and per
//! window the tickets, served, no-shows, median and 90th-percentile wait
//! and service times. Plain HTML, no script, nothing personal.

use std::fmt::Write;

use crate::config::HallService;
use crate::domain::queue::figures::{min_sec as minutes, Figures, Line};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn row(out: &mut String, name: &str, l: &Line) {
    let _ = write!(
        out,
        "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
         <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        esc(name),
        l.tickets,
        l.served,
        l.no_shows,
        l.open,
        minutes(l.wait_p50),
        minutes(l.wait_p90),
        minutes(l.service_p50),
        minutes(l.service_p90)
    );
}

const HEAD: &str = "<tr><th></th><th>取号 Tickets</th><th>办结 Served</th><th>过号 No-shows</th>\
<th>未完 Open</th><th>等候中位 Wait p50</th><th>等候 P90</th><th>办理中位 Service p50</th><th>办理 P90</th></tr>";

/// The page for `day`.
pub fn page(hall: &str, day: &str, cfg: &HallService, f: &Figures) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>排队统计 Queue figures {day}</title><style>\
         body{{font-family:'Noto Sans CJK SC',sans-serif;margin:2em;color:#1d2b2a;background:#f7faf9}}\
         h1{{color:#00706b}}table{{border-collapse:collapse;margin-bottom:2em;background:#fff}}\
         td,th{{border:1px solid #c7d6d3;padding:6px 12px;font-variant-numeric:tabular-nums}}\
         thead th{{background:#e3efed}}td{{text-align:right}}th[scope=row]{{text-align:left}}\
         form{{margin-bottom:1.5em}}p.note{{color:#5b6b6a}}</style></head><body>\
         <h1>{} · 排队统计 Queue figures</h1>\
         <form method=\"get\"><label>日期 Day <input name=\"day\" value=\"{}\" pattern=\"\\d{{4}}-\\d{{2}}-\\d{{2}}\"></label> \
         <button>查看 Show</button></form>",
        esc(hall),
        esc(day)
    );
    let _ = write!(
        out,
        "<h2>全厅 Whole hall</h2><table id=\"hall\"><thead>{HEAD}</thead><tbody>"
    );
    row(&mut out, "全厅 Hall", &f.hall);
    out.push_str("</tbody></table><h2>按业务 By group</h2><table id=\"groups\"><thead>");
    out.push_str(HEAD);
    out.push_str("</thead><tbody>");
    for g in &cfg.groups {
        let line = f.groups.get(&g.code).cloned().unwrap_or_default();
        row(&mut out, &format!("{} {}", g.code, g.name), &line);
    }
    out.push_str("</tbody></table><h2>按窗口 By window</h2><table id=\"windows\"><thead>");
    out.push_str(HEAD);
    out.push_str("</thead><tbody>");
    for (w, line) in &f.windows {
        row(&mut out, &format!("{w} 号窗口 Window {w}"), line);
    }
    out.push_str(
        "</tbody></table><p class=\"note\">等候：取号（或转移）到叫号；办理：开始办理到办结，\
         挂起时间不计，重呼不改开始时间。时间为 分:秒。 Wait: from the ticket (or a transfer) to \
         the call; service: from the start to the end, hold time left out, a repeated call never \
         moves the start. Times are min:sec.</p></body></html>",
    );
    out
}
