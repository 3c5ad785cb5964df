//! `counterdesk case show TICKET` and `counterdesk case overdue [--csv]`:
//! one case as it stands, and the duty manager's morning check. Read-only,
//! beside a working workstation.

use clap::Subcommand;

use crate::config::Config;
use crate::desk::cases::Queued;
use crate::domain::msg::Lang;
use crate::i18n::{t, text};
use crate::load::startup;
use crate::msg;

use super::{refused, say_err, EXIT_FAILED};

/// Case tools.
#[derive(Subcommand, Debug)]
pub enum CaseCommand {
    /// One case: the customer (masked), business, owner, state, each step
    /// with its due date and who recorded it done (a step reopened after a
    /// visit with its earlier completion too), pauses, hand-overs and return
    /// visits. Exit 4 for an unknown ticket.
    Show {
        /// The ticket number on the acceptance receipt, e.g. A1-20260105-0001.
        ticket: String,
    },
    /// Every running case past its due date, most overdue first.
    Overdue {
        /// CSV (UTF-8, no BOM) with a header row.
        #[arg(long)]
        csv: bool,
    },
}

/// The stable CSV header of `case overdue --csv`.
pub const OVERDUE_HEADER: &str =
    "ticket,form,step,due_date,working_days_over,owner_staff_no,owner_name";

/// Runs a case command; returns the exit code.
pub fn run(config: &Config, command: &CaseCommand) -> u8 {
    let lang = config.language;
    let desk = match startup::open_desk_for_reading(config) {
        Ok(d) => d,
        Err(e) => {
            err!("{}", e.render(lang));
            return EXIT_FAILED;
        }
    };
    match command {
        CaseCommand::Show { ticket } => show(&desk, ticket, lang),
        CaseCommand::Overdue { csv } => match desk.overdue() {
            Ok(rows) => {
                if *csv {
                    out_raw!("{}", overdue_csv(&rows));
                } else if rows.is_empty() {
                    out!("{}", t("case.none_overdue", lang));
                } else {
                    for q in &rows {
                        out!("{}", overdue_line(q, &desk, lang));
                    }
                }
                0
            }
            Err(e) => {
                say_err(e.msg(), lang);
                EXIT_FAILED
            }
        },
    }
}

fn working_days_over(q: &Queued) -> i64 {
    match q.urgency {
        crate::domain::case::Urgency::Overdue(d) => d,
        // A reconnection late by hours is in its first working day over.
        crate::domain::case::Urgency::LateHours(_) => 1,
        _ => 0,
    }
}

fn overdue_line(q: &Queued, desk: &crate::desk::Desk, lang: Lang) -> String {
    let r = &q.row;
    let form = desk
        .forms()
        .iter()
        .find(|f| f.code == r.form_code)
        .map(|f| f.name.get(lang).to_string())
        .unwrap_or(r.form_code.clone());
    let step = r.step_name(lang);
    format!(
        "{}  {}  {}  {}  {}  {} {}",
        r.ticket,
        form,
        step,
        r.due_date.map(|d| d.to_string()).unwrap_or_default(),
        text(&q.urgency.msg(), lang),
        r.owner.0,
        r.owner.1
    )
}

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The overdue cases as CSV.
pub fn overdue_csv(rows: &[Queued]) -> String {
    let mut out = format!("{OVERDUE_HEADER}\n");
    for q in rows {
        let r = &q.row;
        let step = r.step.as_ref().map(|s| s.0.clone()).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            field(&r.ticket),
            field(&r.form_code),
            field(&step),
            r.due_date.map(|d| d.to_string()).unwrap_or_default(),
            working_days_over(q),
            field(&r.owner.0),
            field(&r.owner.1)
        ));
    }
    out
}

/// `case show`: the case as it stands and how it got there.
fn show(desk: &crate::desk::Desk, ticket: &str, lang: Lang) -> u8 {
    use crate::domain::states::{ApplicationStatus, StepStatus};
    let when = |at: &chrono::DateTime<chrono::Utc>| crate::lab::local_time(&at.to_rfc3339());
    let app = match desk.application(ticket) {
        Ok(a) => a,
        Err(e) => return refused(&e, lang),
    };
    let rec = match desk.case_record(ticket) {
        Ok(r) => r,
        Err(e) => return refused(&e, lang),
    };
    let form = desk
        .forms()
        .iter()
        .find(|f| f.code == app.form_code)
        .map(|f| f.name.get(lang).to_string())
        .unwrap_or(app.form_code.clone());
    out!("{}  {}", app.ticket_no, form);
    let customer = msg!(
        "case.show_customer",
        name = rec.customer.0,
        id = rec.customer.1
    );
    out!("{}", text(&customer, lang));
    let owner = msg!(
        "case.show_owner",
        staff_no = app.owner.1,
        name = app.owner.2
    );
    out!("{}", text(&owner, lang));
    let status = match app.status {
        ApplicationStatus::Open => "case.status_open",
        ApplicationStatus::Completed => "case.end_completed",
        ApplicationStatus::Withdrawn => "case.end_withdrawn",
        ApplicationStatus::Refused => "case.end_refused",
    };
    let status = msg!("case.show_status").part("status", crate::domain::msg::Msg::new(status));
    out!("{}", text(&status, lang));
    for (s, r) in app.steps.iter().zip(&rec.steps) {
        let name = if lang == Lang::Zh {
            &s.name_zh
        } else {
            &s.name_en
        };
        let due = s
            .due_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into());
        let note = r.note.clone().unwrap_or_default();
        let done = match (&r.done_at, &r.done_by) {
            // Done at HQ (or passed over by HQ's back office): no clerk of
            // this counter recorded it.
            (Some(at), None) => text(&msg!("case.show_done_hq", at = when(at), note = note), lang),
            (Some(at), Some((staff, who))) => text(
                &msg!(
                    "case.show_done",
                    at = when(at),
                    staff_no = staff,
                    name = who,
                    note = note
                ),
                lang,
            ),
            _ => t(
                match s.status {
                    StepStatus::Current => "applications.step_current",
                    _ => "applications.step_pending",
                },
                lang,
            ),
        };
        out!("  {name}  {due}  {done}");
        // A step reopened after an unsatisfied visit was done before too:
        // every completion but the one its row shows now.
        let mine: Vec<_> = rec
            .completions
            .iter()
            .filter(|(_, step, _, _)| *step == s.step_id)
            .collect();
        let earlier = match r.done_at {
            Some(_) => &mine[..mine.len().saturating_sub(1)],
            None => &mine[..],
        };
        for (at, _, who, note) in earlier {
            let (staff, name) = who.clone().unwrap_or_default();
            let m = msg!(
                "case.show_done_before",
                at = when(at),
                staff_no = staff,
                name = name,
                note = note
            );
            out!("    {}", text(&m, lang));
        }
    }
    for (at, reason, resumed, days) in &rec.pauses {
        let line = match (resumed, days) {
            (Some(r), Some(d)) => msg!(
                "case.show_pause",
                from = when(at),
                to = when(r),
                days = d,
                reason = reason
            ),
            _ => msg!("case.show_pausing", from = when(at), reason = reason),
        };
        out!("  {}", text(&line, lang));
    }
    for (at, from, to, reason) in &rec.handovers {
        let m = msg!(
            "case.show_handover",
            at = when(at),
            from = format!("{} {}", from.0, from.1),
            to = format!("{} {}", to.0, to.1),
            reason = reason
        );
        out!("  {}", text(&m, lang));
    }
    for (at, by, way, verdict, note) in &rec.visits {
        let m = msg!(
            "case.show_visit",
            at = when(at),
            by = format!("{} {}", by.0, by.1),
            note = note.clone().unwrap_or_default()
        )
        .part("way", way.label())
        .part("verdict", verdict.label());
        out!("  {}", text(&m, lang));
    }
    0
}
