//! One-window acceptance: the business menu, the plan and disclosure of a
//! business type, the duplicate guard, drafts, and the acceptance itself.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use serde_json::json;

use crate::domain::rating::Service;

use super::customers::CustomerCard;
pub use super::draft::Draft;
use super::material_file::{self as on_file, OnFile, Receipt};
use super::{Desk, DeskError, Session};
use crate::domain::clerk::Role;
use crate::domain::disclosure::{self, Item};
use crate::domain::field_value;
use crate::domain::form::{ApplicantKind, Form};
use crate::domain::msg::{Input, Msg};
use crate::domain::plan::{self, Plan};
use crate::domain::states::MaterialStatus;
use crate::msg;
use crate::store::applications::{self, ApplicationRow, MaterialRow, NewApplication};
use crate::store::{drafts, Aggregate, Event, StoreError};

/// A draft as listed for its clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedDraft {
    pub draft: Draft,
    /// The customer's name and masked ID.
    pub customer: String,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

/// The clerk's unfinished acceptances, and any that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drafts {
    /// Readable drafts, newest first.
    pub drafts: Vec<SavedDraft>,
    /// One message per draft that could not be read (it stays stored).
    pub unreadable: Vec<Msg>,
}

/// The one-time disclosure checklist of a draft whose fields are all good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// Due dates of the steps and owed materials, if accepted today.
    pub plan: Plan,
    /// Every item to explain and tick.
    pub items: Vec<Item>,
    /// The draft as saved, with what is received decided.
    pub draft: Draft,
    /// When the customer was told this business's notice before, if ever.
    pub told: Option<super::consultations::ToldBefore>,
    /// What the customer's file holds for each planned material.
    pub on_file: BTreeMap<String, OnFile>,
    /// The customer manager the case will get.
    pub manager: Option<crate::domain::grid::Manager>,
}

/// Why the checklist cannot open yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotYet {
    /// Some fields are wrong: each message by field id.
    Fields(BTreeMap<String, Msg>),
    /// Refused for another reason.
    Refused(DeskError),
}

impl From<DeskError> for NotYet {
    fn from(e: DeskError) -> Self {
        NotYet::Refused(e)
    }
}

/// What an acceptance starts from: the business types this customer may
/// apply for, and the clerk's drafts for the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    /// The menu, in menu order.
    pub menu: Vec<Form>,
    /// This clerk's unfinished acceptances for the customer.
    pub drafts: Vec<Draft>,
    /// A scanner's folder is configured: I attaches scans.
    pub scanner: bool,
}

/// The outcome of an acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The new application, as stored.
    pub application: ApplicationRow,
}

/// The applicant kind a customer's document makes them.
pub fn applicant_kind(card: &CustomerCard) -> ApplicantKind {
    match card.customer.id_kind {
        Some(k) if k.is_organisation() => ApplicantKind::Organisation,
        _ => ApplicantKind::Person,
    }
}

impl Desk {
    /// Business types this customer may apply for, in menu order.
    pub fn business_menu(&self, card: &CustomerCard) -> Vec<&Form> {
        let kind = applicant_kind(card);
        let mut menu: Vec<&Form> = self
            .forms
            .iter()
            .filter(|f| f.applicant.contains(&kind))
            .collect();
        // New connections first, then changes of use, metering, service.
        menu.sort_by_key(|f| (f.category as u8, f.code.clone()));
        menu
    }

    /// Starts an acceptance for the customer: the menu of the business
    /// types their document allows, and the clerk's drafts for them.
    pub fn start_acceptance(
        &self,
        session: &Session,
        card: &CustomerCard,
    ) -> Result<Start, DeskError> {
        let drafts = self
            .drafts(session)?
            .drafts
            .into_iter()
            .map(|s| s.draft)
            .filter(|d| d.customer_id == card.customer.id)
            .collect();
        let menu = self.business_menu(card).into_iter().cloned().collect();
        Ok(Start {
            menu,
            drafts,
            scanner: self.has_scanner(),
        })
    }

    /// A loaded form by code.
    pub fn form(&self, code: &str) -> Result<&Form, DeskError> {
        self.forms
            .iter()
            .find(|f| f.code == code)
            .ok_or_else(|| DeskError::new(msg!("acceptance.unknown_form", code = code)))
    }

    /// The plan and the disclosure items of a business type if accepted today.
    pub fn disclosure(
        &self,
        card: &CustomerCard,
        form_code: &str,
        via_agent: bool,
    ) -> Result<(Plan, Vec<Item>), DeskError> {
        let form = self.form(form_code)?;
        let plan = plan::plan(
            form,
            &self.calendar,
            self.clock().today(),
            applicant_kind(card),
            via_agent,
        )?;
        let items = disclosure::items(form, &plan);
        Ok((plan, items))
    }

    /// Saves the clerk's draft.
    pub fn save_draft(&mut self, session: &Session, draft: &Draft) -> Result<(), DeskError> {
        let data = serde_json::to_string(draft)
            .map_err(|e| DeskError::new(msg!("store.sql", detail = e)))?;
        let clerk = session.clerk_id;
        self.store.scratch(|tx, now| {
            drafts::save(tx, clerk, draft.customer_id, &draft.form_code, &data, now)
        })?;
        Ok(())
    }

    /// The clerk's drafts, newest first. A draft that cannot be read is
    /// reported by customer and business, not skipped or re-dated.
    pub fn drafts(&self, session: &Session) -> Result<Drafts, DeskError> {
        let rows = drafts::for_clerk(self.store.conn(), session.clerk_id)?;
        let mut out = Drafts::default();
        for r in rows {
            let customer = crate::store::customers::by_row_id(self.store.conn(), r.customer_id)?
                .map(|c| format!("{} {}", c.name, crate::domain::id::mask(&c.id_no)))
                .unwrap_or_default();
            let business = self
                .forms
                .iter()
                .find(|f| f.code == r.form_code)
                .map(|f| f.name.zh.clone())
                .unwrap_or_else(|| r.form_code.clone());
            let draft = serde_json::from_str::<Draft>(&r.data);
            let updated_at = crate::store::stamp::parse_ts(&r.updated_at);
            match (draft, updated_at) {
                (Ok(draft), Some(updated_at)) => out.drafts.push(SavedDraft {
                    draft,
                    customer,
                    updated_at,
                }),
                (Err(e), _) => {
                    tracing::warn!("unreadable draft of customer {}: {e}", r.customer_id);
                    out.unreadable.push(msg!(
                        "acceptance.draft_unreadable",
                        customer = customer,
                        business = business
                    ));
                }
                (Ok(_), None) => out.unreadable.push(msg!(
                    "acceptance.draft_bad_time",
                    customer = customer,
                    business = business,
                    saved = r.updated_at
                )),
            }
        }
        Ok(out)
    }

    /// Throws a draft away.
    pub fn discard_draft(
        &mut self,
        session: &Session,
        customer_id: i64,
        form_code: &str,
    ) -> Result<(), DeskError> {
        let clerk = session.clerk_id;
        self.store
            .scratch(|tx, _| drafts::delete(tx, clerk, customer_id, form_code))?;
        Ok(())
    }

    /// Checks every field of a draft against its form; all problems by field id.
    pub fn check_fields(&self, draft: &Draft) -> Result<BTreeMap<String, String>, NotYet> {
        let form = self.form(&draft.form_code)?;
        let mut values = BTreeMap::new();
        let mut errors = BTreeMap::new();
        for f in &form.fields {
            let typed = draft.fields.get(&f.id).map(String::as_str).unwrap_or("");
            match field_value::validate(f, typed) {
                Ok(Some(v)) => {
                    values.insert(f.id.clone(), v);
                }
                Ok(None) => {}
                Err(m) => {
                    errors.insert(f.id.clone(), m);
                }
            }
        }
        if errors.is_empty() {
            Ok(values)
        } else {
            Err(NotYet::Fields(errors))
        }
    }

    /// Opens the one-time disclosure checklist of a draft: saves it as
    /// typed, checks every field, builds the plan as if accepted today, and
    /// decides what starts as received (what is needed at acceptance: the
    /// ID in the clerk's hand is the single ID) and what as owed; the draft
    /// is saved again with that.
    pub fn open_checklist(
        &mut self,
        session: &Session,
        card: &CustomerCard,
        draft: &Draft,
    ) -> Result<Checklist, NotYet> {
        self.save_draft(session, draft)?;
        let values = self.check_fields(draft)?;
        let (plan, items) = self.disclosure(card, &draft.form_code, draft.via_agent)?;
        let address = on_file::supply_address(self.form(&draft.form_code)?, &values);
        let on_file = on_file::judge(&card.file, &plan, self.clock().today(), address.as_deref());
        let mut draft = draft.clone();
        if draft.received.is_empty() && draft.from_file.is_empty() {
            // What is on file and valid is not asked for again.
            draft.from_file = on_file
                .iter()
                .filter(|(_, f)| f.standing == crate::domain::material_file::Standing::Valid)
                .map(|(id, _)| id.clone())
                .collect();
            draft.received = plan
                .materials
                .iter()
                .filter(|m| m.at_acceptance)
                .map(|m| m.id.clone())
                .chain(draft.from_file.iter().cloned())
                .collect();
        }
        self.save_draft(session, &draft)?;
        let told = self.told_before(card, &draft.form_code)?;
        let manager = self.manager_of_draft(&draft, address.as_deref())?;
        Ok(Checklist {
            plan,
            items,
            draft,
            told,
            on_file,
            manager,
        })
    }

    /// Accepts an application from a finished draft: one transaction
    /// creates the application with its ticket, owner, fields, steps with due
    /// dates, received and owed materials, and every disclosed item; the
    /// draft goes with it.
    pub fn accept(
        &mut self,
        session: &Session,
        card: &CustomerCard,
        draft: &Draft,
    ) -> Result<Accepted, DeskError> {
        let form = self.form(&draft.form_code)?.clone();
        let kind = applicant_kind(card);
        if !form.applicant.contains(&kind) {
            return Err(msg!("acceptance.wrong_applicant").into());
        }
        if card.customer.id != draft.customer_id {
            return Err(msg!("acceptance.wrong_customer").into());
        }
        let values = self.check_fields(draft).map_err(|not_yet| match not_yet {
            NotYet::Fields(errors) => match errors.into_values().next() {
                Some(m) => DeskError::new(m),
                None => DeskError::new(msg!("acceptance.unknown_form", code = draft.form_code)),
            },
            NotYet::Refused(e) => e,
        })?;
        let today = self.clock().today();
        let plan = plan::plan(&form, &self.calendar, today, kind, draft.via_agent)?;
        let items = disclosure::items(&form, &plan);
        let ticked: BTreeSet<String> = draft.ticked.keys().cloned().collect();
        let address = on_file::supply_address(&form, &values);
        let on_file = on_file::judge(&card.file, &plan, today, address.as_deref());
        let mut reused = BTreeMap::new();
        let mut receipts = Vec::new();
        for m in &plan.materials {
            if draft.from_file.contains(&m.id) {
                match on_file.get(&m.id) {
                    Some(f) if f.standing == crate::domain::material_file::Standing::Valid => {
                        reused.insert(m.id.clone(), f.filed.id);
                    }
                    other => {
                        let reason = other
                            .and_then(|f| f.standing.reason())
                            .unwrap_or_else(|| msg!("file.validity_unknown"));
                        let m = msg!("file.no_longer_valid", material = m.name.zh)
                            .part("reason", reason);
                        return Err(DeskError::at(m, Input::Material));
                    }
                }
            } else if draft.received.contains(&m.id) {
                let details = match draft.details.get(&m.id) {
                    Some(t) => on_file::check_typed(t, today)?,
                    None => Default::default(),
                };
                receipts.push(Receipt {
                    material_id: &m.id,
                    name: &m.name,
                    keep: m.keep,
                    details,
                    scan: draft.scans.get(&m.id).map(|s| s.sha256.as_str()),
                });
            }
        }
        for m in plan.materials.iter().filter(|m| m.at_acceptance) {
            if !draft.received.contains(&m.id) {
                return Err(msg!("acceptance.material_needed_now", name = m.name.zh).into());
            }
        }
        let owed = plan
            .materials
            .iter()
            .filter(|m| !draft.received.contains(&m.id))
            .count();
        disclosure::ready(&items, &ticked, owed, draft.commitment_signed)?;
        let same_type_open = card
            .open_applications
            .iter()
            .any(|a| a.form_code == form.code);
        let duplicate_reason = draft
            .duplicate_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if same_type_open && duplicate_reason.is_none() {
            return Err(msg!("acceptance.duplicate_needs_reason").into());
        }
        let snapshot = serde_json::to_string(&form)
            .map_err(|e| DeskError::new(msg!("store.sql", detail = e)))?;
        let fields_json = serde_json::to_string(&values)
            .map_err(|e| DeskError::new(msg!("store.sql", detail = e)))?;
        let window: String = self
            .config
            .hall
            .window
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let window = if window.is_empty() {
            "0".to_string()
        } else {
            window
        };
        let clerk = session.clerk_id;
        let now = self.clock().now();
        let prefix = self.number_prefix();
        // A complaint or an opinion is rated as such; any other business
        // as an acceptance.
        let service = if form.category == crate::domain::form::Category::Service {
            Service::Complaint
        } else {
            Service::Acceptance
        };
        let rating = self.rating_plan(session, service, Some(card.customer.id));
        let manager = self.manager_of_draft(draft, address.as_deref())?;
        let manager_reason = draft.manager.as_ref().map(|c| c.reason.clone());
        let app_id = self.store.write_all(Some(clerk), |tx, now_tx| {
            let snapshot_id = applications::snapshot(tx, &form.code, &form.version, &snapshot)?;
            let seq = applications::next_ticket_seq(tx, today, &window)?;
            let ticket = format!("{prefix}SL{}-{}-{seq:04}", today.format("%Y%m%d"), window);
            let id = applications::insert(
                tx,
                &NewApplication {
                    ticket_no: &ticket,
                    customer_id: card.customer.id,
                    form_code: &form.code,
                    form_version: &form.version,
                    snapshot_id,
                    clerk_id: clerk,
                    fields_json: &fields_json,
                    commitment_signed: draft.commitment_signed,
                    duplicate_reason,
                    window: &window,
                },
                now_tx,
            )?;
            for (i, s) in plan.steps.iter().enumerate() {
                let row = super::steps::step_row(i, s);
                applications::insert_step(tx, id, &row, s.starts_from)?;
            }
            let mut owed_ids = Vec::new();
            for (i, m) in plan.materials.iter().enumerate() {
                let received = draft.received.contains(&m.id);
                if !received {
                    owed_ids.push(m.id.clone());
                }
                let reused = reused.contains_key(&m.id);
                let row = MaterialRow {
                    seq: i as i64 + 1,
                    material_id: m.id.clone(),
                    name_zh: m.name.zh.clone(),
                    name_en: m.name.en.clone(),
                    form: m.form,
                    status: match (received, reused) {
                        (_, true) => MaterialStatus::OnFile,
                        (true, false) => MaterialStatus::Received,
                        (false, false) => MaterialStatus::Owed,
                    },
                    due_date: if received {
                        None
                    } else {
                        m.due.map(|d| d.date)
                    },
                    due_estimated: !received && m.due.is_some_and(|d| d.estimated),
                    received_at: received.then_some(now_tx),
                    scan: None,
                };
                applications::insert_material(tx, id, &row, received.then_some(clerk))?;
            }
            for (seq, item) in items.iter().enumerate() {
                let key = disclosure::key(item.section, &item.id);
                // A tick time from the future (a wrong clock) is capped at now.
                let at = draft.ticked.get(&key).copied().unwrap_or(now).min(now_tx);
                applications::insert_disclosure(
                    tx,
                    id,
                    seq as i64 + 1,
                    item.section.code(),
                    &item.id,
                    &item.text.zh,
                    &item.text.en,
                    clerk,
                    at,
                )?;
            }
            if let Some(m) = &manager {
                crate::store::managers::set(tx, id, m, manager_reason.as_deref(), clerk, now_tx)?;
            }
            drafts::delete(tx, clerk, card.customer.id, &form.code)?;
            let detail = json!({
                "application_id": id,
                "customer_id": card.customer.id,
                "form_code": form.code,
                "form_version": form.version,
                "fields": values,
                "owed": owed_ids,
                "commitment_signed": draft.commitment_signed,
                "duplicate_reason": duplicate_reason,
                "disclosed_items": items.len(),
                "from_file": reused,
                "manager": manager.as_ref().map(|m| json!({
                    "name": m.name,
                    "source": crate::store::codes::Code::code(m.source),
                    "reason": manager_reason,
                })),
            });
            let asked = match &rating {
                Some(r) => Some(r.ask(tx, &ticket, now_tx)?),
                None => None,
            };
            let mut events = vec![Event::new("application.accept", &ticket, detail)
                .about(Aggregate::Application(id))
                .also(asked)];
            events.extend(on_file::file_all(
                tx,
                now_tx,
                card.customer.id,
                (id, &ticket),
                address.as_deref(),
                clerk,
                &receipts,
            )?);
            Ok(((id, ticket.clone()), events))
        })?;
        let (app_id, ticket) = app_id;
        self.transaction_done(&ticket, rating.as_ref());
        let application = applications::open_for_customer(self.store.conn(), card.customer.id)?
            .into_iter()
            .find(|a| a.id == app_id)
            .ok_or_else(|| DeskError::new(StoreError::Refused(msg!("customer.vanished")).msg()))?;
        Ok(Accepted { application })
    }

    /// Records a material handed in after acceptance.
    pub fn receive_material(
        &mut self,
        session: &Session,
        ticket_no: &str,
        material_id: &str,
    ) -> Result<ApplicationRow, DeskError> {
        let app = self.application(ticket_no)?;
        let clerk = session.clerk_id;
        // The form as loaded says how long the material serves; a business
        // no longer offered keeps it for this application only.
        let form = self.forms.iter().find(|f| f.code == app.form_code);
        let fields: BTreeMap<String, String> =
            serde_json::from_str(&app.fields_json).unwrap_or_default();
        let address = form.and_then(|f| on_file::supply_address(f, &fields));
        let (name, keep) = match app.materials.iter().find(|m| m.material_id == material_id) {
            Some(m) => (
                crate::domain::form::Text {
                    zh: m.name_zh.clone(),
                    en: m.name_en.clone(),
                },
                form.and_then(|f| f.material(material_id))
                    .map(|m| m.keep)
                    .unwrap_or_default(),
            ),
            None => {
                let m = msg!("acceptance.not_owed", material = material_id);
                return Err(DeskError::at(m, Input::Material));
            }
        };
        self.store.write_all(Some(clerk), |tx, now| {
            if !applications::receive_material(tx, app.id, material_id, clerk, now)? {
                return Err(StoreError::Refused(msg!(
                    "acceptance.not_owed",
                    material = material_id
                )));
            }
            let mut events = vec![Event::new(
                "application.material_received",
                &app.ticket_no,
                json!({"material": material_id}),
            )
            .about(Aggregate::Application(app.id))];
            let receipt = Receipt {
                material_id,
                name: &name,
                keep,
                details: Default::default(),
                scan: None,
            };
            events.extend(on_file::file_all(
                tx,
                now,
                app.customer_id,
                (app.id, &app.ticket_no),
                address.as_deref(),
                clerk,
                &[receipt],
            )?);
            Ok(((), events))
        })?;
        self.application(ticket_no)
    }

    /// Hands an application to a named colleague (first-question responsibility).
    pub fn hand_over(
        &mut self,
        session: &Session,
        ticket_no: &str,
        to_staff_no: &str,
        reason: &str,
    ) -> Result<ApplicationRow, DeskError> {
        if !matches!(
            session.role,
            crate::domain::clerk::Role::Clerk | crate::domain::clerk::Role::DutyManager
        ) {
            return Err(msg!("case.counter_staff_only").into());
        }
        let app = self.application(ticket_no)?;
        if app.status != crate::domain::states::ApplicationStatus::Open {
            return Err(msg!("case.closed").into());
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DeskError::at(
                msg!("acceptance.handover_reason_empty"),
                Input::Reason,
            ));
        }
        let to = crate::store::clerks::by_staff_no(self.store.conn(), to_staff_no.trim())?
            .filter(|c| !c.disabled)
            .ok_or_else(|| {
                // A colleague at another hall (HQ's list) is named, so the
                // customer can be told where the case can go instead.
                let m = match crate::store::hq_feed::clerk(self.store.conn(), to_staff_no.trim()) {
                    Ok(Some(c)) => msg!(
                        "clerk.at_other_hall",
                        staff_no = c.staff_no,
                        name = c.name,
                        hall = c.hall
                    ),
                    _ => msg!("clerk.not_found", staff_no = to_staff_no.trim()),
                };
                DeskError::at(m, Input::Colleague)
            })?;
        // A case goes only to someone who can work it: a trainer or an
        // administrator can record no step of it.
        if !matches!(to.role, Some(Role::Clerk | Role::DutyManager)) {
            let m = msg!(
                "acceptance.handover_not_counter_staff",
                staff_no = to.staff_no,
                name = to.name
            );
            return Err(DeskError::at(m, Input::Colleague));
        }
        if to.id == app.owner.0 {
            return Err(DeskError::at(
                msg!("acceptance.handover_same_owner", name = to.name),
                Input::Colleague,
            ));
        }
        let from = app.owner.0;
        self.store.write(Some(session.clerk_id), |tx, now| {
            applications::hand_over(tx, app.id, from, to.id, session.clerk_id, reason, now)?;
            Ok((
                (),
                Event::new(
                    "application.hand_over",
                    &app.ticket_no,
                    json!({"from": app.owner.1, "to": to.staff_no, "reason": reason}),
                )
                .about(Aggregate::Application(app.id)),
            ))
        })?;
        self.application(ticket_no)
    }

    /// One application by ticket number.
    pub fn application(&self, ticket_no: &str) -> Result<ApplicationRow, DeskError> {
        applications::by_ticket(self.store.conn(), ticket_no.trim())?.ok_or_else(|| {
            DeskError::at(
                msg!("acceptance.no_such_ticket", ticket = ticket_no.trim()),
                Input::Account,
            )
        })
    }
}
