//! The acceptance and applications flows of the App: moving between the
//! customers screen and those screens, and running their actions on the desk.

use chrono::Local;

use crate::desk::customers::CustomerCard;
use crate::desk::slips::PrintOutcome;
use crate::domain::msg::Msg;
use crate::msg;
use crate::slips::doc::Marks;
use crate::tui::acceptance::Acceptance;
use crate::tui::app::{App, Screen};
use crate::tui::applications::Applications;
use crate::tui::customers::DraftNote;
use crate::tui::popup::{Popup, Preview};
use crate::tui::Action;

impl App {
    /// Runs the actions of the acceptance and applications screens.
    pub(super) fn perform_flow(&mut self, action: Action) {
        let progress = matches!(action, Action::PrintProgress(_));
        let Some(session) = self.session.clone() else {
            return;
        };
        match action {
            Action::StartAcceptance => {
                let Some(card) = self.current_card() else {
                    return;
                };
                let drafts = match self.desk.drafts(&session) {
                    Ok(d) => d
                        .into_iter()
                        .map(|s| s.draft)
                        .filter(|d| d.customer_id == card.customer.id)
                        .collect(),
                    Err(e) => {
                        self.status = Some(e.0);
                        Vec::new()
                    }
                };
                let forms = self
                    .desk
                    .business_menu(&card)
                    .into_iter()
                    .cloned()
                    .collect();
                self.park();
                self.screen = Screen::Acceptance(Box::new(Acceptance::new(card, forms, drafts)));
            }
            Action::OpenApplications => {
                let Some(card) = self.current_card() else {
                    return;
                };
                let today = self.desk.clock().today();
                self.park();
                self.screen = Screen::Applications(Box::new(Applications::new(card, today)));
            }
            Action::SaveDraft(draft) => {
                if let Err(e) = self.desk.save_draft(&session, &draft) {
                    self.status = Some(e.0);
                }
            }
            Action::OpenChecklist(draft) => {
                if let Err(e) = self.desk.save_draft(&session, &draft) {
                    self.status = Some(e.0);
                }
                let Screen::Acceptance(a) = &mut self.screen else {
                    return;
                };
                if let Err(errors) = self.desk.check_fields(&draft) {
                    a.field_errors(&errors);
                    return;
                }
                match self
                    .desk
                    .disclosure(&a.card, &draft.form_code, draft.via_agent)
                {
                    Ok((plan, items)) => a.show_checklist(plan, items),
                    Err(e) => a.notice = Some(e.0),
                }
                if let Err(e) = self.desk.save_draft(&session, &a.draft) {
                    self.status = Some(e.0);
                }
            }
            Action::Accept(draft) => {
                let Screen::Acceptance(a) = &mut self.screen else {
                    return;
                };
                match self.desk.accept(&session, &a.card, &draft) {
                    Ok(done) => a.done(done.application),
                    Err(e) => a.notice = Some(e.0),
                }
            }
            Action::LeaveAcceptance | Action::LeaveApplications => self.unpark(),
            Action::ReceiveMaterial { ticket, material } => {
                let result = self.desk.receive_material(&session, &ticket, &material);
                if let Screen::Applications(a) = &mut self.screen {
                    match result {
                        Ok(app) => a.updated(app, msg!("applications.done_received")),
                        Err(e) => a.failed(e.0),
                    }
                }
            }
            Action::PrintSlips(ticket) | Action::PrintProgress(ticket) => {
                let m = self.print_slips(&session, &ticket, progress);
                match &mut self.screen {
                    Screen::Acceptance(a) => a.notice = Some(m),
                    Screen::Applications(a) => a.notice = Some(m),
                    _ => self.status = Some(m),
                }
            }
            Action::PreviewSlips(ticket) => match self.preview_lines(&ticket) {
                Ok(lines) => self.popup = Some(Popup::Preview(Preview { lines, scroll: 0 })),
                Err(m) => self.status = Some(m),
            },
            Action::HandOver { ticket, to, reason } => {
                let result = self.desk.hand_over(&session, &ticket, &to, &reason);
                if let Screen::Applications(a) = &mut self.screen {
                    match result {
                        Ok(app) => {
                            let name = format!("{} {}", app.owner.1, app.owner.2);
                            a.updated(app, msg!("applications.done_handed_over", to = name));
                        }
                        Err(e) => a.failed(e.0),
                    }
                }
            }
            _ => {}
        }
    }

    fn print_slips(&mut self, session: &crate::desk::Session, ticket: &str, progress: bool) -> Msg {
        let font = match self.slip_font.as_ref().map(|l| l.get()) {
            None => return msg!("slips.font_problem", detail = "-"),
            Some(None) => return msg!("slips.font_loading"),
            Some(Some(Err(e))) => return msg!("slips.font_problem", detail = e),
            Some(Some(Ok(f))) => f,
        };
        let kinds = if progress {
            vec![crate::slips::kind::Kind::ProgressSlip]
        } else {
            match self.desk.slip_kinds(ticket) {
                Ok(k) => k,
                Err(e) => return e.0,
            }
        };
        match self
            .desk
            .produce_application_slips(session, ticket, &kinds, None, &font)
        {
            Ok(produced) => {
                let files: Vec<String> = produced
                    .iter()
                    .map(|p| p.file.display().to_string())
                    .collect();
                if let Some((p, why)) = produced.iter().find_map(|p| match &p.printed {
                    PrintOutcome::Failed(why) => Some((p, why.clone())),
                    _ => None,
                }) {
                    msg!("slips.print_failed", detail = why, file = p.file.display())
                } else if produced.iter().all(|p| p.printed == PrintOutcome::FileOnly) {
                    msg!(
                        "slips.saved_only",
                        n = produced.len(),
                        files = files.join(", ")
                    )
                } else {
                    msg!(
                        "slips.printed",
                        n = produced.len(),
                        files = files.join(", ")
                    )
                }
            }
            Err(e) => e.0,
        }
    }

    fn preview_lines(&self, ticket: &str) -> Result<Vec<String>, Msg> {
        let mut lines = Vec::new();
        for kind in self.desk.slip_kinds(ticket).map_err(|e| e.0)? {
            let doc = self
                .desk
                .application_slip(ticket, kind, Marks::default())
                .map_err(|e| e.0)?;
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(crate::slips::text::to_text(&doc, 90));
        }
        Ok(lines)
    }

    fn current_card(&self) -> Option<CustomerCard> {
        match &self.screen {
            Screen::Customers(c) => c.card().cloned(),
            _ => None,
        }
    }

    pub(super) fn park(&mut self) {
        let placeholder = Screen::SignIn(Box::default());
        if let Screen::Customers(c) = std::mem::replace(&mut self.screen, placeholder) {
            self.parked = Some(c);
        }
    }

    // Back to the customer, with the card read again: a new application,
    // a material handed in or a hand-over shows at once.
    pub(super) fn unpark(&mut self) {
        let Some(mut c) = self.parked.take() else {
            return;
        };
        if let Some(card) = c.card().cloned() {
            match self.desk.refresh(&card) {
                Ok(fresh) => c.update_card(fresh),
                Err(e) => self.status = Some(e.0),
            }
        }
        self.screen = Screen::Customers(c);
        self.refresh_drafts();
    }

    /// Reloads the clerk's unfinished acceptances into the customers screen.
    pub(super) fn refresh_drafts(&mut self) {
        let Some(session) = self.session.clone() else {
            return;
        };
        let Ok(drafts) = self.desk.drafts(&session) else {
            return;
        };
        let notes: Vec<DraftNote> = drafts
            .into_iter()
            .map(|s| DraftNote {
                customer_id: s.draft.customer_id,
                customer: s.customer,
                form_code: s.draft.form_code,
                saved: s
                    .updated_at
                    .with_timezone(&Local)
                    .format("%H:%M")
                    .to_string(),
            })
            .collect();
        if let Screen::Customers(c) = &mut self.screen {
            c.drafts = notes;
        }
    }
}
