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
    /// One case: customer (masked), business, owner, each step with its due
    /// date and who recorded it done, pauses, how it ended. Exit 4 for an
    /// unknown ticket.
    Show {
        /// Ticket number.
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
        CaseCommand::Show { ticket } => {
            let app = match desk.application(ticket) {
                Ok(a) => a,
                Err(e) => return refused(&e, lang),
            };
            let (records, pauses) = match desk.case_record(ticket) {
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
            out!(
                "{}",
                text(
                    &msg!(
                        "case.show_owner",
                        staff_no = app.owner.1,
                        name = app.owner.2
                    ),
                    lang
                )
            );
            let status = match app.status {
                crate::domain::states::ApplicationStatus::Open => "case.status_open",
                crate::domain::states::ApplicationStatus::Completed => "case.end_completed",
                crate::domain::states::ApplicationStatus::Withdrawn => "case.end_withdrawn",
                crate::domain::states::ApplicationStatus::Refused => "case.end_refused",
            };
            out!(
                "{}",
                text(
                    &msg!("case.show_status").part("status", crate::domain::msg::Msg::new(status)),
                    lang
                )
            );
            for (s, r) in app.steps.iter().zip(&records) {
                let name = if lang == Lang::Zh {
                    &s.name_zh
                } else {
                    &s.name_en
                };
                let due = s
                    .due_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".into());
                let done = match (&r.done_at, &r.done_by) {
                    // Done at HQ (or passed over by HQ's back office): no
                    // clerk of this counter recorded it.
                    (Some(at), None) => text(
                        &msg!(
                            "case.show_done_hq",
                            at = crate::lab::local_time(&at.to_rfc3339()),
                            note = r.note.clone().unwrap_or_default()
                        ),
                        lang,
                    ),
                    (Some(at), Some((staff, who))) => text(
                        &msg!(
                            "case.show_done",
                            at = crate::lab::local_time(&at.to_rfc3339()),
                            staff_no = staff,
                            name = who,
                            note = r.note.clone().unwrap_or_default()
                        ),
                        lang,
                    ),
                    _ => t(
                        match s.status {
                            crate::domain::states::StepStatus::Current => {
                                "applications.step_current"
                            }
                            _ => "applications.step_pending",
                        },
                        lang,
                    ),
                };
                out!("  {name}  {due}  {done}");
            }
            for (at, reason, resumed, days) in pauses {
                let line = match (resumed, days) {
                    (Some(r), Some(d)) => msg!(
                        "case.show_pause",
                        from = crate::lab::local_time(&at.to_rfc3339()),
                        to = crate::lab::local_time(&r.to_rfc3339()),
                        days = d,
                        reason = reason
                    ),
                    _ => msg!(
                        "case.show_pausing",
                        from = crate::lab::local_time(&at.to_rfc3339()),
                        reason = reason
                    ),
                };
                out!("  {}", text(&line, lang));
            }
            0
        }
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
                say_err(&e.0, lang);
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
