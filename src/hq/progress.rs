//! Progress anyone can look up (办事公开): a customer types the ticket
//! number on the acceptance slip and the last four characters of their ID,
//! and sees the case's steps, dates, what is still owed and their customer
//! manager — nothing else personal. A wrong ticket and a wrong ID get the
//! same answer, so the page tells a stranger nothing.

use std::fmt::Write;

use serde_json::Value;

/// One case as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub ticket: String,
    /// Business type code.
    pub form_code: String,
    /// Day accepted (the hall's day).
    pub accepted: String,
    /// open, completed, withdrawn, refused.
    pub status: String,
    /// (name zh, name en, status, due day).
    pub steps: Vec<(String, String, String, Option<String>)>,
    /// Materials still owed: (name zh, name en, due day).
    pub owed: Vec<(String, String, Option<String>)>,
    /// The customer manager: (name, phone).
    pub manager: Option<(String, String)>,
}

fn rows<'a>(v: &'a Value, table: &str) -> Vec<&'a Value> {
    v["record"]["rows"][table]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

/// The last four characters of an ID number, compared without case (an
/// ID's check character may be typed x or X).
fn tail_matches(id_no: &str, typed: &str) -> bool {
    let typed: Vec<char> = typed.trim().to_uppercase().chars().collect();
    let id: Vec<char> = id_no.to_uppercase().chars().collect();
    typed.len() == 4 && id.len() >= 4 && id[id.len() - 4..] == typed[..]
}

/// The case of `ticket` from the records that mention it (application and
/// case records, oldest first) and the records of its customer, when the
/// customer's ID ends in `last4`.
pub fn find(
    case_records: &[(String, String, String)],
    customer_records: &[(String, String, String)],
    ticket: &str,
    last4: &str,
) -> Option<Progress> {
    let ticket = ticket.trim().to_uppercase();
    let mut counter = None;
    let mut progress: Option<Progress> = None;
    let mut customer_id = None;
    for (c, _, payload) in case_records {
        let Ok(v) = serde_json::from_str::<Value>(payload) else {
            continue;
        };
        let Some(app) = rows(&v, "application").into_iter().next() else {
            continue;
        };
        if text(app, "ticket_no") != ticket {
            continue;
        }
        counter.get_or_insert_with(|| c.clone());
        if counter.as_deref() != Some(c.as_str()) {
            continue;
        }
        customer_id = app["customer_id"].as_i64().or(customer_id);
        let p = progress.get_or_insert_with(|| Progress {
            ticket: ticket.clone(),
            form_code: text(app, "form_code"),
            accepted: text(app, "accepted_at").chars().take(10).collect(),
            status: String::new(),
            steps: Vec::new(),
            owed: Vec::new(),
            manager: None,
        });
        p.status = text(app, "status");
        // Each record holds its tables whole: the newest that has one wins.
        let mut steps = rows(&v, "application_step");
        if !steps.is_empty() {
            steps.sort_by_key(|s| s["seq"].as_i64());
            p.steps = steps
                .iter()
                .map(|s| {
                    (
                        text(s, "name_zh"),
                        text(s, "name_en"),
                        text(s, "status"),
                        s["due_date"].as_str().map(str::to_string),
                    )
                })
                .collect();
        }
        let materials = rows(&v, "application_material");
        if !materials.is_empty() {
            p.owed = materials
                .iter()
                .filter(|m| m["status"].as_str() == Some("owed"))
                .map(|m| {
                    (
                        text(m, "name_zh"),
                        text(m, "name_en"),
                        m["due_date"].as_str().map(str::to_string),
                    )
                })
                .collect();
        }
        if let Some(m) = rows(&v, "case_manager").into_iter().next() {
            p.manager = Some((text(m, "name"), text(m, "phone")));
        }
    }
    let (counter, customer_id, progress) = (counter?, customer_id?, progress?);
    let id_no = customer_records
        .iter()
        .rev()
        .filter(|(c, _, _)| *c == counter)
        .filter_map(|(_, _, payload)| serde_json::from_str::<Value>(payload).ok())
        .find_map(|v| {
            let row = rows(&v, "customer").into_iter().next()?.clone();
            (row["id"].as_i64() == Some(customer_id)).then(|| text(&row, "id_no"))
        })?;
    tail_matches(&id_no, last4).then_some(progress)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC',sans-serif;margin:0;color:#222;background:#f4f6f8}
main{max-width:34em;margin:0 auto;padding:1.2em}h1{font-size:1.4em}
form{background:#fff;padding:1em;border-radius:8px;box-shadow:0 1px 3px #0002}
label{display:block;margin:.6em 0 .2em}input{font-size:1.2em;padding:.4em;width:100%;box-sizing:border-box}
button{margin-top:1em;font-size:1.2em;padding:.5em 1.5em}
section{background:#fff;padding:1em;border-radius:8px;margin-top:1em;box-shadow:0 1px 3px #0002}
li{margin:.3em 0}.done{color:#267a2e}.current{font-weight:bold}.late{color:#b00020}
.none{color:#b00020}.en{color:#666;font-size:.9em}";

fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>业务办理进度查询 · Application progress</title><style>{STYLE}</style></head>\
         <body><main><h1>业务办理进度查询<br><span class=\"en\">Application progress</span></h1>{body}</main></body></html>"
    )
}

fn form(ticket: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/progress\">\
         <label for=\"t\">受理编号（见受理回执）<span class=\"en\"> · Ticket number (on your acceptance slip)</span></label>\
         <input id=\"t\" name=\"ticket\" value=\"{}\" autocomplete=\"off\" required maxlength=\"40\">\
         <label for=\"d\">证件号码后四位<span class=\"en\"> · Last four characters of your ID</span></label>\
         <input id=\"d\" name=\"last4\" autocomplete=\"off\" required maxlength=\"4\">\
         <button type=\"submit\">查询 · Look up</button></form>",
        esc(ticket)
    )
}

/// The empty look-up form (the ticket filled from the slip's QR code).
pub fn look_up(ticket: &str) -> String {
    page(&form(ticket))
}

/// The answer: the case, or the one answer for anything that does not
/// match.
pub fn answer(found: Option<&Progress>, business: &dyn Fn(&str) -> (String, String)) -> String {
    let Some(p) = found else {
        return page(&format!(
            "<section id=\"none\" class=\"none\">未找到与该受理编号和证件号码后四位相符的业务。请核对受理回执上的编号后重试，或拨打 95598。\
             <br><span class=\"en\">No application matches that ticket number and those four characters. \
             Check the number on your acceptance slip and try again, or call 95598.</span></section>{}",
            form("")
        ));
    };
    let (zh, en) = business(&p.form_code);
    let status = match p.status.as_str() {
        "completed" => "已办结 · Completed",
        "withdrawn" => "已撤回 · Withdrawn",
        "refused" => "暂缓或不予办理 · Put off or refused",
        _ => "办理中 · In progress",
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<section id=\"case\"><p><b>{}</b> · {} <span class=\"en\">{}</span></p>\
         <p>受理日期 · Accepted: {} · 状态 · Status: <b id=\"status\">{status}</b></p>",
        esc(&p.ticket),
        esc(&zh),
        esc(&en),
        esc(&p.accepted)
    );
    s.push_str("<h2>办理环节 <span class=\"en\">Steps</span></h2><ol id=\"steps\">");
    for (zh, en, state, due) in &p.steps {
        let (class, said) = match state.as_str() {
            "done" => ("done", "已完成 · done"),
            "current" => ("current", "进行中 · in progress"),
            _ => ("", "待办 · to come"),
        };
        let due = due
            .as_deref()
            .map(|d| format!("，应于 {} 前完成 · by {}", esc(d), esc(d)))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<li class=\"{class}\">{} <span class=\"en\">{}</span> — {said}{due}</li>",
            esc(zh),
            esc(en)
        );
    }
    s.push_str("</ol><h2>尚需补交 <span class=\"en\">Still to bring</span></h2><ul id=\"owed\">");
    if p.owed.is_empty() {
        s.push_str("<li>无，材料已收齐 · nothing, every material is in</li>");
    }
    for (zh, en, due) in &p.owed {
        let due = due
            .as_deref()
            .map(|d| format!("（{} 前 · by {}）", esc(d), esc(d)))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<li>{}{due} <span class=\"en\">{}</span></li>",
            esc(zh),
            esc(en)
        );
    }
    s.push_str("</ul>");
    match &p.manager {
        Some((name, phone)) => {
            let _ = write!(
                s,
                "<p id=\"manager\">您的客户经理 · Your customer manager: <b>{}</b> · {}</p>",
                esc(name),
                esc(phone)
            );
        }
        None => s.push_str("<p id=\"manager\">客户经理未分配 · No customer manager assigned</p>"),
    }
    s.push_str("</section>");
    // Another look-up from the same page.
    s.push_str(&form(""));
    page(&s)
}

/// Too many look-ups from one address.
pub fn too_many(per_minute: u32) -> String {
    page(&format!(
        "<section class=\"none\">查询过于频繁（每分钟最多 {per_minute} 次），请稍后再试。\
         <br><span class=\"en\">Too many look-ups (at most {per_minute} a minute); try again shortly.</span></section>"
    ))
}
/// What a record is found by on this page, stored beside it when it comes
/// in so a look-up reads only its own case's records: an application or
/// case record by its ticket (`ticket:SL…`), a customer record by its row
/// id on its counter (`customer:7`).
pub fn lookup_keys(kind: &str, payload: &Value) -> Vec<String> {
    let family = kind.split('.').next().unwrap_or_default();
    let first = |table: &str| rows(payload, table).into_iter().next();
    match family {
        "application" | "case" => first("application")
            .and_then(|a| a["ticket_no"].as_str())
            .map(|t| vec![ticket_key(t)])
            .unwrap_or_default(),
        "customer" => first("customer")
            .and_then(|c| c["id"].as_i64())
            .map(|id| vec![customer_key(id)])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// As [`lookup_keys`] for a payload as stored (none when it is not JSON).
pub fn lookup_keys_of_text(kind: &str, payload: &str) -> Vec<String> {
    serde_json::from_str(payload)
        .map(|v: Value| lookup_keys(kind, &v))
        .unwrap_or_default()
}

/// The key of a case's records.
pub fn ticket_key(ticket: &str) -> String {
    format!("ticket:{}", ticket.trim().to_uppercase())
}

/// The key of a customer's records (ids are the counter's own).
pub fn customer_key(id: i64) -> String {
    format!("customer:{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_keyed_by_ticket_and_customers_by_id() {
        let app = serde_json::json!({"record": {"rows": {
            "application": [{"ticket_no": "sl1", "customer_id": 7}]}}});
        assert_eq!(lookup_keys("application.accepted", &app), ["ticket:SL1"]);
        assert_eq!(lookup_keys("case.step_done", &app), ["ticket:SL1"]);
        let customer = serde_json::json!({"record": {"rows": {"customer": [{"id": 7}]}}});
        assert_eq!(
            lookup_keys("customer.registered", &customer),
            ["customer:7"]
        );
        assert!(lookup_keys("payment.bill", &app).is_empty());
        assert!(lookup_keys("application.accepted", &serde_json::json!({})).is_empty());
    }

    fn rec(counter: &str, payload: serde_json::Value) -> (String, String, String) {
        (counter.into(), "x".into(), payload.to_string())
    }

    #[test]
    fn the_case_shows_only_with_its_ticket_and_the_ids_last_four() {
        let app = serde_json::json!({"record": {"rows": {
            "application": [{"ticket_no": "SL1", "customer_id": 7, "form_code": "f", "status": "open",
                             "accepted_at": "2026-12-07T02:00:00.000Z"}],
            "application_step": [{"seq": 1, "name_zh": "受理", "name_en": "Accept", "status": "current",
                                  "due_date": "2026-12-08"}],
            "application_material": [{"name_zh": "产权证明", "name_en": "Deed", "status": "owed",
                                      "due_date": "2026-12-14"}],
            "case_manager": [{"name": "赵六", "phone": "0591-44445555"}]}}});
        let customer = serde_json::json!({"record": {"rows": {
            "customer": [{"id": 7, "id_no": "11010519491231002X"}]}}});
        let cases = [rec("C1", app)];
        let customers = [rec("C1", customer.clone()), rec("C2", customer)];
        let p = find(&cases, &customers, "sl1", "002x").expect("found");
        assert_eq!(p.manager, Some(("赵六".into(), "0591-44445555".into())));
        assert_eq!(p.owed.len(), 1);
        assert!(find(&cases, &customers, "SL1", "0021").is_none());
        assert!(find(&cases, &customers, "SL2", "002X").is_none());
        // Another counter's customer 7 is another person.
        assert!(find(&cases, &customers[1..], "SL1", "002X").is_none());
        let none = answer(None, &|_| (String::new(), String::new()));
        assert!(!none.contains("SL1"));
    }
}
