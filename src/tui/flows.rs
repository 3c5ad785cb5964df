//! The acceptance and applications flows of the App: moving between the
//! customers screen and those screens, and running their actions on the desk.

use chrono::Local;

use crate::desk::customers::CustomerCard;
use crate::msg;
use crate::tui::acceptance::Acceptance;
use crate::tui::app::{App, Screen};
use crate::tui::applications::Applications;
use crate::tui::customers::DraftNote;
use crate::tui::Action;

impl App {
    /// Runs the actions of the acceptance and applications screens.
    pub(super) fn perform_flow(&mut self, action: Action) {
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

    fn current_card(&self) -> Option<CustomerCard> {
        match &self.screen {
            Screen::Customers(c) => c.card().cloned(),
            _ => None,
        }
    }

    fn park(&mut self) {
        let placeholder = Screen::SignIn(Box::default());
        if let Screen::Customers(c) = std::mem::replace(&mut self.screen, placeholder) {
            self.parked = Some(c);
        }
    }

    // Back to the customer, with the card read again: a new application,
    // a material handed in or a hand-over shows at once.
    fn unpark(&mut self) {
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
