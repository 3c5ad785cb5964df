//! Finding a customer from one ID, registering a new one, and flags.

use serde_json::json;

use super::{Authoriser, Desk, DeskError, Session};
use crate::domain::customer::{self, GREEN_CHANNEL};
use crate::domain::id::{self, Gender, IdCheck, Verdict};
use crate::domain::msg::Msg;
use crate::msg;
use crate::store::applications::{self, ApplicationRow};
use crate::store::customers::{self as rows, AccountRow, CustomerRow, NewCustomerRow};
use crate::store::{Event, StoreError};

/// Everything the customer screen shows about one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerCard {
    /// The stored row (holds the full ID: mask before showing).
    pub customer: CustomerRow,
    /// ID number masked for the screen.
    pub masked_id: String,
    /// Phone masked for the screen.
    pub masked_phone: Option<String>,
    /// The ID check, for kind, age, gender and province.
    pub check: IdCheck,
    /// Flags, the automatic green channel included.
    pub flags: Vec<String>,
    /// Electricity accounts.
    pub accounts: Vec<AccountRow>,
    /// Applications still open.
    pub open_applications: Vec<ApplicationRow>,
}

/// What typing an ID and pressing Enter leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A known customer.
    Found(Box<CustomerCard>),
    /// A valid ID nobody has registered: offer registration.
    NotFound(Box<IdCheck>),
    /// A suspicious ID not yet registered: registration needs a duty manager.
    NeedsSignOff(Box<IdCheck>, Msg),
    /// Refused, with the reason; the typed text stays for correction.
    Invalid(Msg),
}

/// What the clerk typed to register a customer.
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
    /// The ID as typed (normalised again here).
    pub id_input: String,
    /// Name.
    pub name: String,
    /// Phone, optional.
    pub phone: String,
    /// Address, optional.
    pub address: String,
}

/// A duty manager's sign-off of a suspicious ID, with the reason recorded.
#[derive(Debug, Clone)]
pub struct SignOff {
    /// Who.
    pub by: Authoriser,
    /// Why the ID is accepted.
    pub reason: String,
}

impl Desk {
    /// Looks a customer up by ID as typed, scanned or pasted.
    pub fn lookup(&self, input: &str) -> Result<Lookup, DeskError> {
        let check = id::check(input, self.clock().today());
        if let Verdict::Invalid(reason) = &check.verdict {
            return Ok(Lookup::Invalid(reason.msg()));
        }
        if let Some(card) = self.card(&check)? {
            return Ok(Lookup::Found(Box::new(card)));
        }
        Ok(match &check.verdict {
            Verdict::Suspicious(reason) => {
                let m = reason.msg();
                Lookup::NeedsSignOff(Box::new(check), m)
            }
            _ => Lookup::NotFound(Box::new(check)),
        })
    }

    pub(crate) fn card(&self, check: &IdCheck) -> Result<Option<CustomerCard>, DeskError> {
        let conn = self.store.conn();
        let Some(customer) = rows::by_id_no(conn, &check.normalized)? else {
            return Ok(None);
        };
        let mut flags = rows::flags(conn, customer.id)?;
        let age = check.person.as_ref().map(|p| p.age);
        if age.is_some_and(|a| {
            customer::green_channel_by_age(a, self.config.customers.green_channel_age)
        }) && !flags.iter().any(|f| f == GREEN_CHANNEL)
        {
            // Customers cross the age line between visits; show it at once.
            flags.insert(0, GREEN_CHANNEL.to_string());
        }
        Ok(Some(CustomerCard {
            masked_id: id::mask(&customer.id_no),
            masked_phone: customer.phone.as_deref().map(customer::mask_phone),
            accounts: rows::accounts(conn, customer.id)?,
            open_applications: applications::open_for_customer(conn, customer.id)?,
            check: check.clone(),
            flags,
            customer,
        }))
    }

    /// Registers a new customer. A suspicious ID needs `signoff`.
    pub fn register(
        &mut self,
        session: &Session,
        new: &NewCustomer,
        signoff: Option<&SignOff>,
    ) -> Result<CustomerCard, DeskError> {
        let check = id::check(&new.id_input, self.clock().today());
        let suspicious = match &check.verdict {
            Verdict::Invalid(r) => return Err(r.msg().into()),
            Verdict::Suspicious(r) => Some(r.msg()),
            Verdict::Valid => None,
        };
        if suspicious.is_some() && signoff.is_none() {
            return Err(msg!("customer.needs_signoff").into());
        }
        if let Some(s) = signoff {
            if s.reason.trim().is_empty() {
                return Err(msg!("customer.signoff_reason_empty").into());
            }
        }
        let name = customer::validate_name(&new.name)?;
        let phone = optional(&new.phone, customer::validate_phone)?;
        let address = optional(&new.address, customer::validate_address)?;
        let kind = check.kind.map(|k| k.code()).unwrap_or("unknown");
        let green = check.person.as_ref().is_some_and(|p| {
            customer::green_channel_by_age(p.age, self.config.customers.green_channel_age)
        });
        let gender = check.person.as_ref().map(|p| match p.gender {
            Gender::Male => "male",
            Gender::Female => "female",
        });
        let row = NewCustomerRow {
            id_no: &check.normalized,
            id_kind: kind,
            name: &name,
            phone: phone.as_deref(),
            address: address.as_deref(),
            birth_date: check.person.as_ref().map(|p| p.birth_date),
            gender,
            created_by: Some(session.clerk_id),
            signoff: signoff.map(|s| (s.by.clerk_id, s.reason.trim())),
        };
        let masked = id::mask(&check.normalized);
        self.store.write(Some(session.clerk_id), |tx, now| {
            if rows::by_id_no(tx, &check.normalized)?.is_some() {
                return Err(StoreError::Refused(msg!("customer.exists", id = masked)));
            }
            let cid = rows::insert(tx, &row, now)?;
            if green {
                rows::set_flag(tx, cid, GREEN_CHANNEL, true, Some(session.clerk_id), now)?;
            }
            let detail = json!({
                "customer_id": cid,
                "id_kind": kind,
                "green_channel": green,
                "signoff_by": signoff.map(|s| s.by.staff_no.clone()),
                "signoff_reason": signoff.map(|s| s.reason.trim().to_string()),
                "suspicious": suspicious.as_ref().map(|m| m.key),
            });
            Ok(((), Event::new("customer.register", &masked, detail)))
        })?;
        self.card(&check)?
            .ok_or_else(|| DeskError(msg!("customer.vanished")))
    }

    /// The card of the customer again, fresh from the database.
    pub fn refresh(&self, card: &CustomerCard) -> Result<CustomerCard, DeskError> {
        self.card(&card.check)?
            .ok_or_else(|| DeskError(msg!("customer.vanished")))
    }

    /// Sets or clears a flag; duty managers only, and only configured flags.
    pub fn set_flag(
        &mut self,
        session: &Session,
        card: &CustomerCard,
        flag: &str,
        on: bool,
    ) -> Result<CustomerCard, DeskError> {
        if !session.role.supervises() {
            return Err(msg!("customer.flags_need_duty_manager").into());
        }
        if !self.config.customers.flags.iter().any(|f| f.code == flag) {
            return Err(msg!("customer.unknown_flag", flag = flag).into());
        }
        let cid = card.customer.id;
        let masked = card.masked_id.clone();
        self.store.write(Some(session.clerk_id), |tx, now| {
            rows::set_flag(tx, cid, flag, on, Some(session.clerk_id), now)?;
            let action = if on {
                "customer.flag_set"
            } else {
                "customer.flag_cleared"
            };
            Ok((
                (),
                Event::new(action, &masked, json!({"customer_id": cid, "flag": flag})),
            ))
        })?;
        self.card(&card.check)?
            .ok_or_else(|| DeskError(msg!("customer.vanished")))
    }
}

fn optional(
    input: &str,
    validate: fn(&str) -> Result<String, Msg>,
) -> Result<Option<String>, DeskError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        validate(input).map(Some).map_err(DeskError)
    }
}
