//! The desk in the practice lab: a sandbox seeded from a scenario, numbers
//! of its own (`LAB-`), faults injected on purpose, and what the run left
//! on record for scoring. Practice never reaches an outbox or HQ
//! (`set_training`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::json;

use super::customers::NewCustomer;
use super::money::{BillPayment, TenderInput};
use super::{password, Desk, DeskError, Session};
use crate::domain::clerk::Role;
use crate::domain::form::ApplicantKind;
use crate::domain::lab::{Fault, Scenario};
use crate::domain::money::CustomerClass;
use crate::domain::money::Method;
use crate::domain::states::MaterialStatus;
use crate::domain::upload::{FeedData, FeedItem};
use crate::store::applications::{self, MaterialRow, NewApplication};
use crate::store::{clerks, hq_feed, lab_facts, Event};
use crate::sync::worker::{HqState, LinkStatus};

/// What the print hand-off reports when the practice printer jams.
pub const JAM: &str = "打印机卡纸 / printer jammed (paper jam at the fuser)";

/// The sandbox's duty manager: staff number, name and password, shown on
/// the practice panel (in a real hall the trainee calls the duty manager).
pub const MANAGER: (&str, &str, &str) = ("9901", "值班长（实训）", "manager9901");

/// The password of the trainee's own sandbox clerk (for a sign-out and back in).
pub const TRAINEE_PASSWORD: &str = "practice1";

/// Faults a practice run injects.
#[derive(Debug, Clone, Default)]
pub struct Practice {
    /// Slips still to jam.
    jams: u32,
    /// HQ cannot be reached.
    hq_down: bool,
}

impl Practice {
    /// Whether this print jams (and one fewer jam is left).
    pub(super) fn jam_now(&mut self) -> bool {
        if self.jams > 0 {
            self.jams -= 1;
            true
        } else {
            false
        }
    }
}

/// Password hashes are slow by design: the sandbox clerks' are made once
/// per process.
fn hashes() -> Result<&'static (String, String), DeskError> {
    static H: OnceLock<Result<(String, String), crate::domain::msg::Msg>> = OnceLock::new();
    H.get_or_init(|| {
        Ok((
            password::hash(TRAINEE_PASSWORD)?,
            password::hash(MANAGER.2)?,
        ))
    })
    .as_ref()
    .map_err(|m| DeskError::new(m.clone()))
}

impl Desk {
    /// `LAB-` on practice tickets, receipts and refunds, nothing otherwise.
    pub(super) fn number_prefix(&self) -> &'static str {
        if self.training {
            "LAB-"
        } else {
            ""
        }
    }

    /// Whether this desk works on a practice sandbox.
    pub fn is_practice(&self) -> bool {
        self.training
    }

    /// Turns the desk into a practice sandbox with these faults.
    pub fn start_practice(&mut self, faults: &[Fault]) {
        self.set_training(true);
        self.practice = Practice {
            jams: u32::from(faults.contains(&Fault::PrinterJam)),
            hq_down: faults.contains(&Fault::HqDown),
        };
    }

    /// The simulated link: offline with the run's records waiting when the
    /// scenario takes HQ down; otherwise none (practice never uploads).
    pub(super) fn practice_link(&self) -> Option<LinkStatus> {
        if !self.practice.hq_down {
            return None;
        }
        let waiting = lab_facts::writes_since_seed(self.store.conn()).unwrap_or(0);
        Some(LinkStatus {
            state: HqState::Offline,
            waiting,
            oldest_waiting_at: None,
            quarantined: 0,
            forked: 0,
            last_success: None,
            problem: Some(crate::msg!(
                "sync.unreachable",
                detail = "connection refused"
            )),
        })
    }

    /// Seeds a fresh sandbox from a scenario and returns the trainee's
    /// session (signed in without a password: the lab signed them in).
    pub fn seed_practice(
        &mut self,
        s: &Scenario,
        staff_no: &str,
        name: &str,
    ) -> Result<Session, DeskError> {
        let (trainee_hash, manager_hash) = hashes()?;
        let clerk_id = self.store.write(None, |tx, now| {
            let id = clerks::insert(tx, staff_no, name, Role::Clerk, trainee_hash, now)?;
            clerks::insert(
                tx,
                MANAGER.0,
                MANAGER.1,
                Role::DutyManager,
                manager_hash,
                now,
            )?;
            Ok((
                id,
                Event::new("lab.seed_clerks", staff_no, json!({"manager": MANAGER.0})),
            ))
        })?;
        let session = Session {
            clerk_id,
            staff_no: staff_no.to_string(),
            name: name.to_string(),
            role: Role::Clerk,
        };
        self.seed_data(s, &session)?;
        Ok(session)
    }

    /// The session of the sandbox's trainee, for a relay station that goes
    /// on in the sandbox the previous station left.
    pub fn practice_session(&mut self, staff_no: &str, name: &str) -> Result<Session, DeskError> {
        let (trainee_hash, _) = hashes()?;
        let existing = clerks::by_staff_no(self.store.conn(), staff_no)?;
        let clerk_id = match existing {
            Some(row) => row.id,
            None => self.store.write(None, |tx, now| {
                let id = clerks::insert(tx, staff_no, name, Role::Clerk, trainee_hash, now)?;
                Ok((id, Event::new("lab.relay_clerk", staff_no, json!({}))))
            })?,
        };
        self.store.write(Some(clerk_id), |tx, _| {
            let shift = lab_facts::take_over_open_shift(tx, clerk_id)?;
            lab_facts::set_mark(tx)?;
            Ok((
                (),
                Event::new(
                    "lab.relay_start",
                    staff_no,
                    json!({"shift_taken_over": shift}),
                ),
            ))
        })?;
        Ok(Session {
            clerk_id,
            staff_no: staff_no.to_string(),
            name: name.to_string(),
            role: Role::Clerk,
        })
    }

    fn seed_data(&mut self, s: &Scenario, session: &Session) -> Result<(), DeskError> {
        let seed = &s.seed;
        for c in &seed.customers {
            let new = NewCustomer {
                id_input: c.id_number.clone(),
                name: c.name.clone(),
                name_latin: String::new(),
                phone: c.phone.clone(),
                address: c.address.clone(),
            };
            self.register(session, &new, None)?;
        }
        let mut items = Vec::new();
        for a in &seed.accounts {
            items.push(FeedData::Account {
                account_no: a.number.clone(),
                holder_name: a.holder_name.clone(),
                holder_id: a.holder.clone(),
                address: a.address.clone(),
                state: a.state.clone(),
            });
        }
        for b in &seed.bills {
            let holder = seed.accounts.iter().find(|a| a.number == b.account);
            items.push(FeedData::Bill {
                account_no: b.account.clone(),
                period: b.period.clone(),
                holder_name: holder.map(|h| h.holder_name.clone()).unwrap_or_default(),
                class: "residential".into(),
                arrears_fen: b.amount.0,
                due_date: b.due_date.format("%Y-%m-%d").to_string(),
            });
        }
        if !items.is_empty() {
            let items: Vec<FeedItem> = items
                .into_iter()
                .enumerate()
                .map(|(i, data)| FeedItem {
                    hq_seq: i as i64 + 1,
                    data,
                })
                .collect();
            let plan = self.case_rules();
            hq_feed::apply_page(&mut self.store, &items, Some(&plan))?;
        }
        if let Some(float) = seed.shift_float {
            self.start_shift(session, &float.plain())?;
        }
        for a in &seed.applications {
            self.seed_application(session, &a.customer, &a.form, &a.fields)?;
        }
        for p in &seed.payments {
            let b = seed
                .bills
                .iter()
                .find(|b| b.account == p.account && b.period == p.period)
                .ok_or_else(|| {
                    DeskError::new(crate::msg!(
                        "lab.unknown_bill",
                        account = p.account,
                        period = p.period
                    ))
                })?;
            let bill = BillPayment {
                account_no: p.account.clone(),
                period: p.period.clone(),
                arrears: b.amount,
                due_date: b.due_date,
                class: CustomerClass::Residential,
                tenders: vec![TenderInput {
                    method: Method::Cash,
                    amount: p.tendered,
                    reference: None,
                }],
                keep_excess_as_prepaid: false,
                quoted: None,
            };
            self.pay_bill(session, &bill)?;
        }
        self.store.write(None, |tx, _| {
            lab_facts::set_mark(tx)?;
            Ok(((), Event::new("lab.seed", &s.id, json!({}))))
        })?;
        Ok(())
    }

    /// An application already open when the exercise starts, with its
    /// steps, materials (all received) and disclosures.
    fn seed_application(
        &mut self,
        session: &Session,
        id_number: &str,
        code: &str,
        fields: &BTreeMap<String, String>,
    ) -> Result<(), DeskError> {
        let form = self.form(code)?.clone();
        let customer = crate::store::customers::by_id_no(self.store.conn(), id_number)?
            .ok_or_else(|| {
                DeskError::new(crate::msg!("lab.unknown_seed_customer", id = id_number))
            })?;
        let today = self.clock().today();
        let plan =
            crate::domain::plan::plan(&form, &self.calendar, today, ApplicantKind::Person, false)?;
        let items = crate::domain::disclosure::items(&form, &plan);
        let snapshot = serde_json::to_string(&form)
            .map_err(|e| DeskError::new(crate::msg!("store.sql", detail = e)))?;
        let fields_json = serde_json::to_string(fields)
            .map_err(|e| DeskError::new(crate::msg!("store.sql", detail = e)))?;
        let clerk = session.clerk_id;
        let prefix = self.number_prefix();
        let window = self.counter();
        self.store.write(Some(clerk), |tx, now| {
            let snapshot_id = applications::snapshot(tx, &form.code, &form.version, &snapshot)?;
            let seq = applications::next_ticket_seq(tx, today, &window)?;
            let ticket = format!("{prefix}SL{}-{window}-{seq:04}", today.format("%Y%m%d"));
            let id = applications::insert(
                tx,
                &NewApplication {
                    ticket_no: &ticket,
                    customer_id: customer.id,
                    form_code: &form.code,
                    form_version: &form.version,
                    snapshot_id,
                    clerk_id: clerk,
                    fields_json: &fields_json,
                    commitment_signed: form.single_id,
                    duplicate_reason: None,
                    window: &window,
                },
                now,
            )?;
            for (i, st) in plan.steps.iter().enumerate() {
                applications::insert_step(tx, id, &super::steps::step_row(i, st), st.starts_from)?;
            }
            for (i, m) in plan.materials.iter().enumerate() {
                let row = MaterialRow {
                    seq: i as i64 + 1,
                    material_id: m.id.clone(),
                    name_zh: m.name.zh.clone(),
                    name_en: m.name.en.clone(),
                    form: crate::domain::form::MaterialForm::Copy,
                    status: MaterialStatus::Received,
                    due_date: None,
                    due_estimated: false,
                    received_at: Some(now),
                    scan: None,
                };
                applications::insert_material(tx, id, &row, Some(clerk))?;
            }
            for (seq, item) in items.iter().enumerate() {
                applications::insert_disclosure(
                    tx,
                    id,
                    seq as i64 + 1,
                    item.section.code(),
                    &item.id,
                    &item.text.zh,
                    &item.text.en,
                    clerk,
                    now,
                )?;
            }
            Ok((
                (),
                Event::new("lab.seed_application", &ticket, json!({"form": form.code})),
            ))
        })?;
        Ok(())
    }

    /// The sandbox's audit head, so a watcher can tell that something was
    /// written since it last looked.
    pub fn practice_head(&self) -> i64 {
        lab_facts::writes_since_seed(self.store.conn()).unwrap_or(0)
    }
}
