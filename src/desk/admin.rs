//! Managing clerks: the demo seed, and the administrator's commands.

use serde_json::json;

use super::{password, Desk, DeskError, Session};
use crate::domain::clerk::Role;
use crate::msg;
use crate::store::{clerks, Aggregate, Event, StoreError};

/// The demo clerks seeded into a new database: staff number, name, role, password.
pub const DEMO_CLERKS: &[(&str, &str, Role, &str)] = &[
    ("1001", "张敏", Role::Clerk, "counter1001"),
    ("1002", "陈立", Role::Clerk, "counter1002"),
    ("2001", "李强", Role::DutyManager, "manager2001"),
    ("3001", "王芳", Role::Trainer, "trainer3001"),
    ("9001", "赵磊", Role::Admin, "admin9001"),
];

/// A clerk as listed for administrators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkListing {
    pub staff_no: String,
    pub name: String,
    /// Role code as stored.
    pub role: String,
    pub disabled: bool,
    /// Locked right now.
    pub locked: bool,
}

/// Seeds the demo clerks into a database that has none.
pub fn seed_demo_clerks(desk: &mut Desk) -> Result<(), DeskError> {
    if clerks::count(desk.store.conn())? > 0 {
        return Ok(());
    }
    let mut hashed = Vec::new();
    for (staff, name, role, pw) in DEMO_CLERKS {
        hashed.push((*staff, *name, *role, password::hash(pw)?));
    }
    desk.store.write(None, |tx, now| {
        for (staff, name, role, hash) in &hashed {
            clerks::insert(tx, staff, name, *role, hash, now)?;
        }
        let staff: Vec<&str> = hashed.iter().map(|h| h.0).collect();
        Ok((
            (),
            Event::new("clerk.seed_demo", "demo", json!({"staff_nos": staff})),
        ))
    })?;
    Ok(())
}

fn valid_staff_no(s: &str) -> Result<String, DeskError> {
    let s = s.trim();
    if s.is_empty() || s.len() > 20 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(msg!("clerk.bad_staff_no").into());
    }
    Ok(s.to_string())
}

impl Desk {
    fn require_admin(&self, actor: Option<&Session>) -> Result<Option<i64>, DeskError> {
        match actor {
            Some(s) if s.role == Role::Admin => Ok(Some(s.clerk_id)),
            Some(_) => Err(msg!("clerk.admin_only").into()),
            // With no clerks at all, the first administrator may be created
            // without signing in: that is how a live hall starts.
            None if clerks::count(self.store.conn())? == 0 => Ok(None),
            None => Err(msg!("clerk.admin_only").into()),
        }
    }

    pub fn add_clerk(
        &mut self,
        actor: Option<&Session>,
        staff_no: &str,
        name: &str,
        role: Role,
        new_password: &str,
    ) -> Result<(), DeskError> {
        let actor_id = self.require_admin(actor)?;
        if actor.is_none() && role != Role::Admin {
            return Err(msg!("clerk.first_must_be_admin").into());
        }
        let staff_no = valid_staff_no(staff_no)?;
        let name = crate::domain::customer::validate_name(name)?;
        let hash = password::hash(new_password)?;
        self.store.write(actor_id, |tx, now| {
            if clerks::by_staff_no(tx, &staff_no)?.is_some() {
                return Err(StoreError::Refused(msg!(
                    "clerk.exists",
                    staff_no = staff_no
                )));
            }
            let id = clerks::insert(tx, &staff_no, &name, role, &hash, now)?;
            Ok((
                (),
                Event::new("clerk.add", &staff_no, json!({"role": role.code()}))
                    .about(Aggregate::Clerk(id)),
            ))
        })?;
        Ok(())
    }

    pub fn list_clerks(&self, actor: &Session) -> Result<Vec<ClerkListing>, DeskError> {
        self.require_admin(Some(actor))?;
        let now = self.clock().now();
        Ok(clerks::all(self.store.conn())?
            .into_iter()
            .map(|c| ClerkListing {
                locked: c.locked_until.is_some_and(|u| u > now),
                role: c
                    .role
                    .map(|r| r.code().to_string())
                    .unwrap_or_else(|| "?".into()),
                staff_no: c.staff_no,
                name: c.name,
                disabled: c.disabled,
            })
            .collect())
    }

    /// Sets a new password and clears any lock.
    pub fn reset_password(
        &mut self,
        actor: &Session,
        staff_no: &str,
        new_password: &str,
    ) -> Result<(), DeskError> {
        let actor_id = self.require_admin(Some(actor))?;
        let hash = password::hash(new_password)?;
        let row = clerks::by_staff_no(self.store.conn(), staff_no.trim())?
            .ok_or_else(|| DeskError::new(msg!("clerk.not_found", staff_no = staff_no.trim())))?;
        self.store.write(actor_id, |tx, _| {
            clerks::set_password(tx, row.id, &hash)?;
            Ok((
                (),
                Event::new("clerk.reset_password", &row.staff_no, json!({})),
            ))
        })?;
        Ok(())
    }

    /// Disables a clerk; an administrator cannot disable themselves.
    pub fn disable_clerk(&mut self, actor: &Session, staff_no: &str) -> Result<(), DeskError> {
        let actor_id = self.require_admin(Some(actor))?;
        if staff_no.trim() == actor.staff_no {
            return Err(msg!("clerk.cannot_disable_self").into());
        }
        let row = clerks::by_staff_no(self.store.conn(), staff_no.trim())?
            .ok_or_else(|| DeskError::new(msg!("clerk.not_found", staff_no = staff_no.trim())))?;
        self.store.write(actor_id, |tx, _| {
            clerks::set_disabled(tx, row.id, true)?;
            Ok(((), Event::new("clerk.disable", &row.staff_no, json!({}))))
        })?;
        Ok(())
    }
}
