//! Finding a customer from one ID, registering a new one, and flags.

use serde_json::json;

use super::{Authoriser, Credentials, Desk, DeskError, Session};
use crate::domain::clerk::Role;
use crate::domain::customer::{self, GREEN_CHANNEL};
use crate::domain::id::{self, IdCheck, Verdict};
use crate::domain::msg::{Input, Lang, Msg};
use crate::msg;
use crate::store::applications::{self, ApplicationRow};
use crate::store::customers::{self, AccountRow, CustomerRow, NewCustomerRow};
use crate::store::{Aggregate, Event, StoreError};

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
    /// The accounts HQ lists for this customer's ID, with their supply state.
    pub hq_accounts: Vec<crate::store::hq_feed::HqAccount>,
    /// Applications still open.
    pub open_applications: Vec<ApplicationRow>,
    /// The service grid and customer manager for the address, from HQ.
    pub grid: Option<crate::store::hq_feed::HqGrid>,
    /// The back office's steps per open application's ticket, as HQ sent them.
    pub back_office: Vec<(String, Vec<crate::store::hq_feed::HqStep>)>,
    /// The materials on the customer's file, oldest first.
    pub file: Vec<crate::domain::material_file::Filed>,
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
    pub name: String,
    /// The name as printed in the passport's Latin line: asked for only
    /// when the slips cannot print the name (empty otherwise).
    pub name_latin: String,
    /// Phone, optional.
    pub phone: String,
    /// Address, optional.
    pub address: String,
}

/// A duty manager's sign-off of one suspicious ID, with the reason
/// recorded. Only the desk makes one, after checking the duty manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    by: Authoriser,
    reason: String,
    id_no: String,
}

impl SignOff {
    /// Who signed off.
    pub fn by(&self) -> &Authoriser {
        &self.by
    }

    /// Why the ID is accepted.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl Desk {
    /// Looks a customer up by ID as typed, scanned or pasted.
    pub fn lookup(&self, input: &str) -> Result<Lookup, DeskError> {
        // An account number (all digits, not an ID's length) finds its
        // holder through the accounts HQ sent down.
        let typed = input.trim();
        if typed.len() != 18 && typed.len() >= 6 && typed.chars().all(|c| c.is_ascii_digit()) {
            let Some(account) = crate::store::hq_feed::account(self.store.conn(), typed)? else {
                return Ok(Lookup::Invalid(msg!(
                    "customer.no_such_account",
                    account = typed
                )));
            };
            let check = id::check(&account.holder_id, self.clock().today());
            return Ok(match self.card(&check)? {
                Some(card) => Lookup::Found(Box::new(card)),
                None => match &check.verdict {
                    Verdict::Invalid(reason) => Lookup::Invalid(reason.msg()),
                    Verdict::Suspicious(reason) => {
                        let m = reason.msg();
                        Lookup::NeedsSignOff(Box::new(check), m)
                    }
                    _ => Lookup::NotFound(Box::new(check)),
                },
            });
        }
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
        let Some(customer) = customers::by_id_no(conn, &check.normalized)? else {
            return Ok(None);
        };
        let mut flags = customers::flags(conn, customer.id)?;
        let age = check.person.as_ref().map(|p| p.age);
        if age.is_some_and(|a| {
            customer::green_channel_by_age(a, self.config.customers.green_channel_age)
        }) && !flags.iter().any(|f| f == GREEN_CHANNEL)
        {
            // Customers cross the age line between visits; show it at once.
            flags.insert(0, GREEN_CHANNEL.to_string());
        }
        let open_applications = applications::open_for_customer(conn, customer.id)?;
        let mut back_office = Vec::new();
        for a in &open_applications {
            let steps = crate::store::hq_feed::steps_of(conn, &a.ticket_no)?;
            if !steps.is_empty() {
                back_office.push((a.ticket_no.clone(), steps));
            }
        }
        let grid =
            crate::store::hq_feed::grid_for(conn, customer.address.as_deref().unwrap_or(""))?;
        let file = crate::store::material_file::of_customer(conn, customer.id)?;
        Ok(Some(CustomerCard {
            file,
            grid,
            back_office,
            masked_id: id::mask(&customer.id_no),
            masked_phone: customer.phone.as_deref().map(customer::mask_phone),
            accounts: customers::accounts(conn, customer.id)?,
            hq_accounts: crate::store::hq_feed::accounts_of(conn, &customer.id_no)?,
            open_applications,
            check: check.clone(),
            flags,
            customer,
        }))
    }

    /// A duty manager signs off a suspicious ID on the spot: their own staff
    /// number and password, and the reason, recorded with the customer when
    /// registered. Nobody signs off their own work.
    pub fn sign_off_id(
        &mut self,
        session: &Session,
        check: &IdCheck,
        manager: &Credentials,
        reason: &str,
    ) -> Result<SignOff, DeskError> {
        let reason = reason.trim();
        if reason.is_empty() {
            let m = msg!("customer.signoff_reason_empty");
            return Err(DeskError::at(m, Input::Reason));
        }
        let by = self.authorise(session, manager, "customer.suspicious_id")?;
        Ok(SignOff {
            by,
            reason: reason.to_string(),
            id_no: check.normalized.clone(),
        })
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
        // A sign-off is for the number it was given on.
        let signoff = signoff.filter(|s| s.id_no == check.normalized);
        if suspicious.is_some() && signoff.is_none() {
            return Err(msg!("customer.needs_signoff").into());
        }
        let name = customer::validate_name(&new.name).map_err(|m| DeskError::at(m, Input::Name))?;
        // A name the slips cannot draw would register and then never
        // print: it needs the passport's Latin line beside it.
        let unprintable = self.unprintable(&name);
        let name_latin = match (unprintable.is_empty(), new.name_latin.trim().is_empty()) {
            (true, true) => None,
            (false, true) => {
                let chars: String = unprintable.iter().collect();
                let m = msg!("customer.name_unprintable", chars = chars);
                return Err(DeskError::at(m, Input::NameLatin));
            }
            (_, false) => Some(
                customer::validate_latin_name(&new.name_latin)
                    .map_err(|m| DeskError::at(m, Input::NameLatin))?,
            ),
        };
        let phone =
            optional(&new.phone, customer::validate_phone).map_err(|e| e.on(Input::Phone))?;
        let address =
            optional(&new.address, customer::validate_address).map_err(|e| e.on(Input::Address))?;
        if let Some(a) = &address {
            let missing = self.unprintable(a);
            if !missing.is_empty() {
                let chars: String = missing.iter().collect();
                let m = msg!("customer.address_unprintable", chars = chars);
                return Err(DeskError::at(m, Input::Address));
            }
        }
        let kind = check.kind;
        let green = check.person.as_ref().is_some_and(|p| {
            customer::green_channel_by_age(p.age, self.config.customers.green_channel_age)
        });
        let gender = check.person.as_ref().map(|p| p.gender);
        let row = NewCustomerRow {
            id_no: &check.normalized,
            id_kind: kind,
            name: &name,
            name_latin: name_latin.as_deref(),
            phone: phone.as_deref(),
            address: address.as_deref(),
            birth_date: check.person.as_ref().map(|p| p.birth_date),
            gender,
            created_by: Some(session.clerk_id),
            signoff: signoff.map(|s| (s.by.clerk_id, s.reason.trim())),
            lang: customer::told_in(kind),
        };
        let masked = id::mask(&check.normalized);
        self.store.write(Some(session.clerk_id), |tx, now| {
            if customers::by_id_no(tx, &check.normalized)?.is_some() {
                return Err(StoreError::Refused(msg!("customer.exists", id = masked)));
            }
            let cid = customers::insert(tx, &row, now)?;
            if green {
                customers::set_flag(tx, cid, GREEN_CHANNEL, true, Some(session.clerk_id), now)?;
            }
            let detail = json!({
                "customer_id": cid,
                "id_kind": kind.map(|k| k.code()).unwrap_or("unknown"),
                "green_channel": green,
                "signoff_by": signoff.map(|s| s.by.staff_no.clone()),
                "signoff_reason": signoff.map(|s| s.reason.trim().to_string()),
                "suspicious": suspicious.as_ref().map(|m| m.key),
            });
            Ok((
                (),
                Event::new("customer.register", &masked, detail).about(Aggregate::Customer(cid)),
            ))
        })?;
        self.card(&check)?
            .ok_or_else(|| DeskError::new(msg!("customer.vanished")))
    }

    /// The card of a customer on record by their ID number (a case opened
    /// from the queue).
    pub fn card_of(&self, id_no: &str) -> Result<CustomerCard, DeskError> {
        let check = id::check(id_no, self.clock().today());
        self.card(&check)?
            .ok_or_else(|| DeskError::new(msg!("customer.vanished")))
    }

    /// The card of the customer again, fresh from the database.
    pub fn refresh(&self, card: &CustomerCard) -> Result<CustomerCard, DeskError> {
        self.card(&card.check)?
            .ok_or_else(|| DeskError::new(msg!("customer.vanished")))
    }

    /// The flags a duty manager may set; anyone else is told only a duty
    /// manager sets flags.
    pub fn flag_choices(
        &self,
        session: &Session,
    ) -> Result<Vec<crate::config::FlagDef>, DeskError> {
        if !session.role.supervises() {
            return Err(msg!("customer.flags_need_duty_manager").into());
        }
        Ok(self.config.customers.flags.clone())
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
            customers::set_flag(tx, cid, flag, on, Some(session.clerk_id), now)?;
            let action = if on {
                "customer.flag_set"
            } else {
                "customer.flag_cleared"
            };
            Ok((
                (),
                Event::new(action, &masked, json!({"customer_id": cid, "flag": flag}))
                    .about(Aggregate::Customer(cid)),
            ))
        })?;
        self.card(&card.check)?
            .ok_or_else(|| DeskError::new(msg!("customer.vanished")))
    }
}

impl Desk {
    /// Records the language the customer is told in (notifications for
    /// HQ's SMS gateway are written in it); any counter staff.
    pub fn set_customer_lang(
        &mut self,
        session: &Session,
        card: &CustomerCard,
        lang: Lang,
    ) -> Result<CustomerCard, DeskError> {
        if !matches!(session.role, Role::Clerk | Role::DutyManager) {
            return Err(msg!("customer.lang_counter_only").into());
        }
        let cid = card.customer.id;
        let masked = card.masked_id.clone();
        self.store.write(Some(session.clerk_id), |tx, _| {
            customers::set_lang(tx, cid, lang)?;
            Ok((
                (),
                Event::new(
                    "customer.lang",
                    &masked,
                    json!({"customer_id": cid, "lang": lang}),
                )
                .about(Aggregate::Customer(cid)),
            ))
        })?;
        self.card(&card.check)?
            .ok_or_else(|| DeskError::new(msg!("customer.vanished")))
    }
}

fn optional(
    input: &str,
    validate: fn(&str) -> Result<String, Msg>,
) -> Result<Option<String>, DeskError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        validate(input).map(Some).map_err(DeskError::new)
    }
}
