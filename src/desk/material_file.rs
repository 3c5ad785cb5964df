//! Materials never asked for twice: what the customer's file already holds
//! decides, material by material, whether a new application asks for it,
//! and what is handed in goes on the file with the document's own details.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Transaction;
use serde_json::json;

use super::draft::Draft;
use super::{Desk, DeskError, Session};
use crate::domain::form::{FieldKind, Form};
use crate::domain::material_file::{self, DetailField, Details, Filed, Keep, Standing, Typed};
use crate::domain::msg::Input;
use crate::domain::plan::Plan;
use crate::msg;
use crate::store::material_file::{self as file, NewFiled};
use crate::store::snapshot::Aggregate;
use crate::store::{Event, StoreError};

/// What the file says of one planned material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnFile {
    /// The entry gone by.
    pub filed: Filed,
    /// Whether it serves this application, and if not why.
    pub standing: Standing,
}

/// The supply address an application is for: its first address field.
pub fn supply_address(form: &Form, fields: &BTreeMap<String, String>) -> Option<String> {
    form.fields
        .iter()
        .filter(|f| f.kind == FieldKind::Address)
        .find_map(|f| fields.get(&f.id))
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
}

/// Per planned material, what the file holds for it.
pub fn judge(
    file: &[Filed],
    plan: &Plan,
    today: NaiveDate,
    address: Option<&str>,
) -> BTreeMap<String, OnFile> {
    plan.materials
        .iter()
        .filter_map(|m| {
            material_file::pick(file, &m.id, today, address).map(|(f, standing)| {
                let on_file = OnFile {
                    filed: f.clone(),
                    standing,
                };
                (m.id.clone(), on_file)
            })
        })
        .collect()
}

fn input_of(f: DetailField) -> Input {
    match f {
        DetailField::DocNo => Input::DocNo,
        DetailField::Authority => Input::Authority,
        DetailField::IssuedOn => Input::IssuedOn,
        DetailField::ValidUntil => Input::ValidUntil,
    }
}

/// Checks what the clerk typed about a document; the problem names its field.
pub fn check_typed(t: &Typed, today: NaiveDate) -> Result<Details, DeskError> {
    material_file::check(t, today).map_err(|(f, m)| DeskError::at(m, input_of(f)))
}

/// One received material to put on file.
pub(super) struct Receipt<'a> {
    pub material_id: &'a str,
    pub name: &'a crate::domain::form::Text,
    pub keep: Keep,
    pub details: Details,
    /// The scan attached, by its sha256.
    pub scan: Option<&'a str>,
}

/// Puts received materials on the customer's file inside the caller's
/// transaction; one event per entry, so each is audited, bound and sent.
pub(super) fn file_all(
    tx: &Transaction,
    now: chrono::DateTime<chrono::Utc>,
    customer_id: i64,
    application: (i64, &str),
    address: Option<&str>,
    received_by: i64,
    receipts: &[Receipt],
) -> Result<Vec<Event>, StoreError> {
    let mut events = Vec::new();
    for r in receipts {
        let id = file::insert(
            tx,
            &NewFiled {
                customer_id,
                material_id: r.material_id,
                name: r.name,
                keep: r.keep,
                details: &r.details,
                address: (r.keep == Keep::SameAddress).then_some(address).flatten(),
                application_id: Some(application.0),
                source: application.1,
                received_by,
                scan: r.scan,
            },
            now,
        )?;
        let detail = json!({
            "customer_id": customer_id,
            "material": r.material_id,
            "keep": crate::store::codes::Code::code(r.keep),
            "application": application.1,
        });
        events.push(
            Event::new("material.filed", application.1, detail).about(Aggregate::Material(id)),
        );
    }
    Ok(events)
}

impl Desk {
    /// Records the document details typed for a material of the draft
    /// (checked first), and saves the draft; the draft as saved.
    pub fn material_details(
        &mut self,
        session: &Session,
        draft: &Draft,
        material_id: &str,
        typed: &Typed,
    ) -> Result<Draft, DeskError> {
        let form = self.form(&draft.form_code)?;
        let material = form
            .material(material_id)
            .ok_or_else(|| DeskError::new(msg!("acceptance.not_owed", material = material_id)))?;
        if material.keep == Keep::ThisApplication {
            return Err(msg!("file.not_for_file", material = material.name.zh).into());
        }
        check_typed(typed, self.clock().today())?;
        let mut draft = draft.clone();
        draft.details.insert(material_id.to_string(), typed.clone());
        // Typed details describe the document in hand, not the one on file.
        draft.from_file.remove(material_id);
        draft.received.insert(material_id.to_string());
        self.save_draft(session, &draft)?;
        Ok(draft)
    }
}
