//! Reconnection after arrears: a payment that clears the arrears of an
//! account HQ reports cut off opens a reconnection at once, residential
//! within so many hours, other customers within so many working days.

use chrono::{DateTime, Duration, Local, TimeZone, Utc};

use super::{Desk, DeskError};
use crate::domain::money::CustomerClass;
use crate::domain::states::SupplyState;
use crate::store::{hq_feed, reconnect};

impl Desk {
    /// When a payment of `period` on `account` must see the supply back,
    /// if it clears the arrears of an account cut off for them.
    pub(super) fn reconnection_due(
        &self,
        account: &str,
        period: &str,
        class: CustomerClass,
    ) -> Result<Option<(CustomerClass, DateTime<Utc>)>, DeskError> {
        let conn = self.store.conn();
        let cut_off =
            hq_feed::account(conn, account)?.is_some_and(|a| a.state == SupplyState::CutOff);
        if !cut_off
            || reconnect::open_for(conn, account)?
            || reconnect::arrears_left(conn, account, period)? > 0
        {
            return Ok(None);
        }
        let now = self.clock().now();
        let c = &self.config.cases;
        let due = match class {
            CustomerClass::Residential => {
                now + Duration::hours(i64::from(c.reconnect_residential_hours))
            }
            CustomerClass::Other => {
                // The end of the last working day of the limit, hall time.
                let day = self
                    .calendar
                    .due(self.clock().today(), c.reconnect_other_working_days)?
                    .date;
                let end = day.and_hms_opt(23, 59, 0).unwrap_or_default();
                Local
                    .from_local_datetime(&end)
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or(now)
            }
        };
        Ok(Some((class, due)))
    }

    /// The reconnection a held cheque's confirmed funds make due: the
    /// payment's bill was the last arrears of a cut-off account.
    pub(super) fn reconnection_on_funds(
        &self,
        receipt: &str,
    ) -> Result<Option<(CustomerClass, DateTime<Utc>)>, DeskError> {
        let conn = self.store.conn();
        let Some(r) = crate::store::money::receipt(conn, receipt)? else {
            return Ok(None);
        };
        let (Some(account), Some(period)) = (r.payment.account_no, r.period) else {
            return Ok(None);
        };
        match crate::store::bills::bill(conn, &account, &period)? {
            Some(b) => self.reconnection_due(&account, &period, b.class),
            None => Ok(None),
        }
    }
}
