//! The ID card reader at the counter: started where the configuration
//! names its library; a card read looks its holder up as if the number had
//! been typed, and the card's own validity goes on the customer's file as
//! their ID card.

use std::time::Duration;

use serde_json::json;

use super::customers::Lookup;
use super::{Desk, DeskError};
use crate::domain::id_card::CardText;
use crate::domain::material_file::{Details, Keep, READER};
use crate::reader::{Reader, ReaderEvent};
use crate::store::material_file::{self as file, NewFiled};
use crate::store::snapshot::Aggregate;
use crate::store::Event;

/// The file's material an ID card read from the reader stands for.
const ID_CARD_MATERIAL: &str = "applicant_id";

impl Desk {
    /// Starts polling the reader when a library is configured (never in
    /// the practice lab, whose customers are scripted).
    pub fn start_reader(&mut self) {
        let r = &self.config.id_reader;
        if r.library.as_os_str().is_empty() || self.training || self.reader.is_some() {
            return;
        }
        let every = Duration::from_millis(r.poll_ms);
        self.reader = Some(Reader::start(&r.library, r.port, every));
    }

    /// The reader's next report, if one waits.
    pub fn reader_event(&mut self) -> Option<ReaderEvent> {
        self.reader.as_ref()?.take()
    }

    /// Looks up the card's holder; a customer already registered gets the
    /// card on file as their ID card (once: the same card read again adds
    /// nothing).
    pub fn look_up_card(
        &mut self,
        session: &super::Session,
        card: &CardText,
    ) -> Result<Lookup, DeskError> {
        let found = self.lookup(&card.id_no)?;
        let Lookup::Found(c) = &found else {
            return Ok(found);
        };
        let same = c.file.iter().any(|f| {
            f.material_id == ID_CARD_MATERIAL
                && f.source == READER
                && f.validity == card.valid_until
                && f.issued_on == Some(card.valid_from)
        });
        if same {
            return Ok(found);
        }
        let customer_id = c.customer.id;
        let details = Details {
            doc_no: Some(card.id_no.clone()),
            authority: Some(card.authority.clone()).filter(|a| !a.is_empty()),
            issued_on: Some(card.valid_from),
            validity: card.valid_until,
        };
        let name = crate::domain::form::Text {
            zh: "居民身份证".into(),
            en: "Resident identity card".into(),
        };
        let clerk = session.clerk_id;
        self.store.write(Some(clerk), |tx, now| {
            let id = file::insert(
                tx,
                &NewFiled {
                    customer_id,
                    material_id: ID_CARD_MATERIAL,
                    name: &name,
                    keep: Keep::UntilExpiry,
                    details: &details,
                    address: None,
                    application_id: None,
                    source: READER,
                    received_by: clerk,
                    scan: None,
                },
                now,
            )?;
            let detail = json!({"customer_id": customer_id, "material": ID_CARD_MATERIAL});
            Ok((
                (),
                Event::new("material.filed", READER, detail).about(Aggregate::Material(id)),
            ))
        })?;
        // The card as it now stands, its file included.
        self.lookup(&card.id_no)
    }
}
