//! Signing in to the status page: a form (user and password) that locks
//! a user name after too many wrong passwords in a row, as the counter's
//! own sign-in does; every attempt is recorded in HQ's store.

use chrono::{DateTime, Duration, Utc};

/// Wrong passwords in a row that lock the user name.
pub const MAX_FAILURES: u32 = 5;
/// How long a lock lasts.
pub const LOCK_MINUTES: i64 = 15;

/// One user name's recent wrong passwords.
#[derive(Debug, Clone, Default)]
pub struct LoginFailures {
    count: u32,
    locked_until: Option<DateTime<Utc>>,
}

/// What a sign-in attempt comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Signed in; the count starts again.
    Ok,
    /// Wrong, with this many tries left before the lock.
    Wrong(u32),
    /// Locked until then: even the right password is refused.
    Locked(DateTime<Utc>),
}

impl Attempt {
    /// The word HQ's store records.
    pub fn code(self) -> &'static str {
        match self {
            Attempt::Ok => "ok",
            Attempt::Wrong(_) => "wrong",
            Attempt::Locked(_) => "locked",
        }
    }
}

impl LoginFailures {
    /// Judges one attempt at `now` whose password was `right` or not.
    pub fn attempt(&mut self, right: bool, now: DateTime<Utc>) -> Attempt {
        if let Some(until) = self.locked_until {
            if now < until {
                return Attempt::Locked(until);
            }
            *self = LoginFailures::default();
        }
        if right {
            *self = LoginFailures::default();
            return Attempt::Ok;
        }
        self.count += 1;
        if self.count >= MAX_FAILURES {
            let until = now + Duration::minutes(LOCK_MINUTES);
            self.locked_until = Some(until);
            return Attempt::Locked(until);
        }
        Attempt::Wrong(MAX_FAILURES - self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_wrong_lock_even_the_right_one_until_the_time_is_up() {
        let t0 = Utc::now();
        let mut f = LoginFailures::default();
        for left in (1..MAX_FAILURES).rev() {
            assert_eq!(f.attempt(false, t0), Attempt::Wrong(left));
        }
        let until = t0 + Duration::minutes(LOCK_MINUTES);
        assert_eq!(f.attempt(false, t0), Attempt::Locked(until));
        assert_eq!(
            f.attempt(true, t0 + Duration::minutes(1)),
            Attempt::Locked(until)
        );
        assert_eq!(f.attempt(true, until), Attempt::Ok);
        assert_eq!(f.attempt(false, until), Attempt::Wrong(MAX_FAILURES - 1));
    }
}
