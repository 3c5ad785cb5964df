//! Consultations (咨询): a customer who only asks takes the business's
//! one-time notice home, and the counter keeps what was told, so that when
//! they come back to apply the checklist says when they were told, under
//! which form version, and what has changed since.

use serde_json::json;

use super::slips::Printed;
use super::{Desk, DeskError, Session};
use crate::desk::customers::CustomerCard;
use crate::domain::disclosure::{self, Item};
use crate::domain::rating::Service;
use crate::domain::states::SlipKind;
use crate::slips::consultation::{consultation_notice, Consultation};
use crate::store::consultations::{self, NewConsultation, Told};
use crate::store::snapshot::Aggregate;
use crate::store::Event;

/// A consultation recorded, and what became of its notice.
pub struct Consulted {
    pub number: String,
    /// The notice printed (or kept in the spool), or why it was not.
    pub printed: Result<Printed, DeskError>,
}

/// What the customer was told before about a business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToldBefore {
    pub number: String,
    pub told_at: chrono::DateTime<chrono::Utc>,
    pub version: String,
    /// The form's version today, when it is another.
    pub now_version: Option<String>,
    /// Items told today that were not told then.
    pub added: Vec<String>,
    /// Items told then that are no longer asked.
    pub removed: Vec<String>,
}

impl Desk {
    /// Records that `card`'s customer was told the one-time notice of
    /// `form_code` (rated as a consultation), then prints it.
    pub fn consult(
        &mut self,
        session: &Session,
        card: &CustomerCard,
        form_code: &str,
    ) -> Result<Consulted, DeskError> {
        let (_, items) = self.disclosure(card, form_code, false)?;
        let form = self.form(form_code)?.clone();
        let told: Told = items
            .iter()
            .map(|i| {
                (
                    i.section.code().to_string(),
                    i.id.clone(),
                    i.text.zh.clone(),
                )
            })
            .collect();
        let rating = self.rating_plan(session, Service::Consultation, Some(card.customer.id));
        let window = self.config.hall.window.clone();
        let today = self.clock().today();
        let prefix = self.number_prefix();
        let (number, told_at) = self.store.write(Some(session.clerk_id), |tx, now| {
            let (id, number) = consultations::insert(
                tx,
                &NewConsultation {
                    on: today,
                    window: &window,
                    prefix,
                    form_code: &form.code,
                    form_version: &form.version,
                    clerk_id: session.clerk_id,
                    customer_id: Some(card.customer.id),
                    items: &told,
                },
                now,
            )?;
            let asked = match &rating {
                Some(r) => Some(r.ask(tx, &number, now)?),
                None => None,
            };
            Ok((
                (number.clone(), now),
                Event::new(
                    "consultation.given",
                    &number,
                    json!({"form": form.code, "version": form.version, "items": told.len()}),
                )
                .about(Aggregate::Consultation(id))
                .also(asked),
            ))
        })?;
        self.transaction_done(&number, rating.as_ref());
        let printed = self.print_consultation(session, card, &form, &number, told_at, &items);
        Ok(Consulted { number, printed })
    }

    fn print_consultation(
        &mut self,
        session: &Session,
        card: &CustomerCard,
        form: &crate::domain::form::Form,
        number: &str,
        told_at: chrono::DateTime<chrono::Utc>,
        items: &[Item],
    ) -> Result<Printed, DeskError> {
        let marks = self.marks(Some(session), SlipKind::ConsultationNotice, 0);
        let doc = consultation_notice(
            &Consultation {
                number,
                business: &form.name.zh,
                form_version: &form.version,
                customer: Some((&card.customer.name, &card.masked_id)),
                told_at,
                items,
                clerk: (session.staff_no(), session.name()),
                hall: &self.config.hall,
            },
            marks,
        );
        let produced = self.produce(
            Some(session),
            SlipKind::ConsultationNotice,
            number,
            0,
            None,
            &doc,
            None,
            None,
        )?;
        Ok(Printed {
            produced: vec![produced],
        })
    }

    /// When `card`'s customer was last told about `form_code`, and what
    /// has changed since if the form did.
    pub fn told_before(
        &self,
        card: &CustomerCard,
        form_code: &str,
    ) -> Result<Option<ToldBefore>, DeskError> {
        let Some(c) = consultations::latest(self.store.conn(), card.customer.id, form_code)? else {
            return Ok(None);
        };
        let form = self.form(form_code)?;
        if form.version == c.form_version {
            return Ok(Some(ToldBefore {
                number: c.number,
                told_at: c.told_at,
                version: c.form_version,
                now_version: None,
                added: Vec::new(),
                removed: Vec::new(),
            }));
        }
        let (_, items) = self.disclosure(card, form_code, false)?;
        let (added, removed) = disclosure::changed_since(&c.items, &items);
        Ok(Some(ToldBefore {
            number: c.number,
            told_at: c.told_at,
            version: c.form_version,
            now_version: Some(form.version.clone()),
            added,
            removed,
        }))
    }
}
