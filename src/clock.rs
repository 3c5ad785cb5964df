//! The one source of "now", injectable so tests can fix and advance time.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Local, NaiveDate, Utc};

/// System time, or a fixed instant that tests move by hand.
#[derive(Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    /// The machine's clock.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock standing still at `at` until advanced.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock {
            fixed: Some(Arc::new(Mutex::new(at))),
        }
    }

    /// Now, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.fixed {
            Some(t) => t.lock().map(|t| *t).unwrap_or_else(|p| *p.into_inner()),
            None => Utc::now(),
        }
    }

    /// Today's date where the hall is (the machine's local time zone).
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&Local).date_naive()
    }

    /// Moves a fixed clock forward; no effect on the system clock.
    pub fn advance(&self, by: Duration) {
        if let Some(t) = &self.fixed {
            match t.lock() {
                Ok(mut g) => *g += by,
                Err(p) => *p.into_inner() += by,
            }
        }
    }
}

/// The instant a local day begins (the hall's day, not UTC's: a day's
/// figures never spill across midnight by the time zone).
pub fn local_midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(Local).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| {
            DateTime::<Utc>::from_naive_utc_and_offset(day.and_time(chrono::NaiveTime::MIN), Utc)
        })
}
