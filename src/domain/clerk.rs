//! Staff roles and the sign-in lockout rule.

use chrono::{DateTime, Duration, Utc};

use crate::domain::msg::Msg;
use crate::msg;

/// What a member of staff may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Integrated counter clerk (综合柜员).
    Clerk,
    /// Duty manager (值班经理): authorises overrides, sets customer flags.
    DutyManager,
    /// Practice-lab trainer.
    Trainer,
    /// Administrator: manages clerks.
    Admin,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 4] = [Role::Clerk, Role::DutyManager, Role::Trainer, Role::Admin];

    /// Stable code stored in the database and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::DutyManager => "duty_manager",
            Role::Trainer => "trainer",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored or typed code.
    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s.trim())
    }

    /// The role's name for people.
    pub fn name(self) -> Msg {
        match self {
            Role::Clerk => msg!("role.clerk"),
            Role::DutyManager => msg!("role.duty_manager"),
            Role::Trainer => msg!("role.trainer"),
            Role::Admin => msg!("role.admin"),
        }
    }

    /// May sign off overrides and set customer flags.
    pub fn supervises(self) -> bool {
        matches!(self, Role::DutyManager)
    }
}

/// The lockout rule, from configuration.
#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    /// Wrong passwords in a row before the account locks.
    pub max_failures: u32,
    /// How long it stays locked.
    pub lock_minutes: i64,
}

/// What a wrong password does to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterFailure {
    /// Failures counted so far (reset to 0 when the account locks).
    pub failures: u32,
    /// Set when this failure locked the account.
    pub locked_until: Option<DateTime<Utc>>,
}

impl LockoutPolicy {
    /// Applies one more wrong password to `failures` so far.
    pub fn after_failure(&self, failures: u32, now: DateTime<Utc>) -> AfterFailure {
        let failures = failures.saturating_add(1);
        if failures >= self.max_failures.max(1) {
            AfterFailure {
                failures: 0,
                locked_until: Some(now + Duration::minutes(self.lock_minutes)),
            }
        } else {
            AfterFailure {
                failures,
                locked_until: None,
            }
        }
    }

    /// Attempts left before the lock.
    pub fn remaining(&self, failures: u32) -> u32 {
        self.max_failures.max(1).saturating_sub(failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifth_failure_locks_for_fifteen_minutes() {
        let p = LockoutPolicy {
            max_failures: 5,
            lock_minutes: 15,
        };
        let now = Utc::now();
        let mut f = 0;
        for i in 1..5 {
            let a = p.after_failure(f, now);
            assert_eq!(a.failures, i);
            assert_eq!(a.locked_until, None);
            f = a.failures;
        }
        let a = p.after_failure(f, now);
        assert_eq!(a.locked_until, Some(now + Duration::minutes(15)));
        assert_eq!(p.remaining(3), 2);
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("boss"), None);
    }
}
