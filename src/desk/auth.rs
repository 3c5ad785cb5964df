//! Signing in and out, and a duty manager's on-the-spot sign-off.

use chrono::{Local, Utc};
use serde_json::json;

use super::{password, Authoriser, Credentials, Desk, DeskError, Session};
use crate::domain::clerk::Role;
use crate::domain::msg::Input;
use crate::msg;
use crate::store::{clerks, Event};

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutReason {
    /// The clerk signed out.
    SignOut,
    /// Another clerk takes over the window.
    Switch,
    /// The program was closed.
    Quit,
}

impl SignOutReason {
    fn code(self) -> &'static str {
        match self {
            SignOutReason::SignOut => "sign_out",
            SignOutReason::Switch => "switch",
            SignOutReason::Quit => "quit",
        }
    }
}

/// A verified staff member, before the caller decides what they may do.
struct Checked {
    row: clerks::ClerkRow,
    role: Role,
}

impl Desk {
    /// Checks staff number and password, counting failures and locking the
    /// account after too many; every outcome is audited.
    fn check_credentials(
        &mut self,
        staff_no: &str,
        password: &str,
        purpose: &'static str,
    ) -> Result<Checked, DeskError> {
        let staff_no = staff_no.trim();
        if staff_no.is_empty() {
            return Err(DeskError::at(msg!("signin.staff_no_empty"), Input::StaffNo));
        }
        // Nothing typed (or an empty line piped in) is not a guess: it does
        // not count towards the lock.
        if password.is_empty() {
            return Err(DeskError::at(msg!("auth.password_empty"), Input::Password));
        }
        let now = self.store.clock().now();
        let policy = self.lockout();
        let Some(row) = clerks::by_staff_no(self.store.conn(), staff_no)? else {
            self.store.write(None, |_, _| {
                Ok((
                    (),
                    Event::new(
                        "auth.failed",
                        staff_no,
                        json!({"why": "unknown_staff_no", "for": purpose}),
                    ),
                ))
            })?;
            return Err(DeskError::at(msg!("auth.bad_credentials"), Input::Password));
        };
        let Some(role) = row.role else {
            return Err(msg!("auth.disabled", staff_no = staff_no).into());
        };
        if row.disabled {
            self.store.write(Some(row.id), |_, _| {
                Ok((
                    (),
                    Event::new(
                        "auth.failed",
                        staff_no,
                        json!({"why": "disabled", "for": purpose}),
                    ),
                ))
            })?;
            return Err(msg!("auth.disabled", staff_no = staff_no).into());
        }
        if let Some(until) = row.locked_until.filter(|u| *u > now) {
            self.store.write(Some(row.id), |_, _| {
                Ok((
                    (),
                    Event::new(
                        "auth.failed",
                        staff_no,
                        json!({"why": "locked", "for": purpose}),
                    ),
                ))
            })?;
            return Err(locked_msg(until).into());
        }
        if !password::verify(password, &row.password_hash) {
            let after = policy.after_failure(row.failed_attempts, now);
            let id = row.id;
            self.store.write(Some(id), |tx, _| {
                clerks::set_failures(tx, id, after.failures, after.locked_until)?;
                let action = if after.locked_until.is_some() { "auth.locked" } else { "auth.failed" };
                Ok(((), Event::new(action, staff_no, json!({"why": "wrong_password", "for": purpose, "failures": after.failures}))))
            })?;
            let m = match after.locked_until {
                Some(until) => locked_msg(until),
                None => msg!(
                    "auth.wrong_password",
                    left = policy.remaining(after.failures)
                ),
            };
            return Err(DeskError::at(m, Input::Password));
        }
        if row.failed_attempts > 0 || row.locked_until.is_some() {
            let id = row.id;
            self.store.write(Some(id), |tx, _| {
                clerks::set_failures(tx, id, 0, None)?;
                Ok(((), Event::new("auth.failures_cleared", staff_no, json!({}))))
            })?;
        }
        Ok(Checked { row, role })
    }

    /// Signs a clerk in.
    pub fn sign_in(&mut self, staff_no: &str, password: &str) -> Result<Session, DeskError> {
        let c = self.check_credentials(staff_no, password, "sign_in")?;
        let session = Session {
            clerk_id: c.row.id,
            staff_no: c.row.staff_no.clone(),
            name: c.row.name.clone(),
            role: c.role,
        };
        let window = self.config.hall.window.clone();
        self.store.write(Some(session.clerk_id), |_, _| {
            Ok((
                (),
                Event::new(
                    "auth.sign_in",
                    &session.staff_no,
                    json!({"role": c.role.code(), "window": window}),
                ),
            ))
        })?;
        Ok(session)
    }

    /// Ends a session.
    pub fn sign_out(&mut self, session: &Session, why: SignOutReason) -> Result<(), DeskError> {
        self.store.write(Some(session.clerk_id), |_, _| {
            Ok((
                (),
                Event::new(
                    "auth.sign_out",
                    &session.staff_no,
                    json!({"why": why.code()}),
                ),
            ))
        })?;
        Ok(())
    }

    /// A duty manager signs off `purpose` for the signed-in clerk, with
    /// their own staff number and password typed on the spot. Nobody signs
    /// off their own work. Every authorised act goes through here, inside
    /// the desk operation that needs it.
    pub(super) fn authorise(
        &mut self,
        session: &Session,
        manager: &Credentials,
        purpose: &'static str,
    ) -> Result<Authoriser, DeskError> {
        let staff_no = manager.staff_no.trim();
        if staff_no.is_empty() {
            return Err(DeskError::at(msg!("auth.manager_needed"), Input::StaffNo));
        }
        if staff_no == session.staff_no {
            self.store.write(Some(session.clerk_id), |_, _| {
                Ok((
                    (),
                    Event::new(
                        "auth.signoff_refused",
                        &session.staff_no,
                        json!({"why": "self", "for": purpose}),
                    ),
                ))
            })?;
            return Err(DeskError::at(msg!("auth.self_signoff"), Input::StaffNo));
        }
        let c = self.check_credentials(staff_no, &manager.password, purpose)?;
        if !c.role.supervises() {
            self.store.write(Some(session.clerk_id), |_, _| {
                Ok((
                    (),
                    Event::new(
                        "auth.signoff_refused",
                        &c.row.staff_no,
                        json!({"why": "not_duty_manager", "for": purpose}),
                    ),
                ))
            })?;
            let m = msg!("auth.not_duty_manager", staff_no = c.row.staff_no);
            return Err(DeskError::at(m, Input::StaffNo));
        }
        Ok(Authoriser {
            clerk_id: c.row.id,
            staff_no: c.row.staff_no,
            name: c.row.name,
        })
    }
}

fn locked_msg(until: chrono::DateTime<Utc>) -> crate::domain::msg::Msg {
    msg!(
        "auth.locked",
        until = until.with_timezone(&Local).format("%H:%M")
    )
}
