//! The day report across clerks: for one local day, per clerk and per
//! method, what was taken, reversed, charged as late fees and handed back.

use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};

use super::{Desk, DeskError};
use crate::domain::money::{Fen, Method};
use crate::msg;
use crate::store::report;

/// The figures of one line of the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Payments still standing (not reversed).
    pub payments: i64,
    /// Amount applied to bills and fees (`payment_tender.applied_fen`):
    /// neither change nor prepaid excess, reversed payments excluded.
    pub amount: Fen,
    /// Payments of the day reversed since.
    pub reversed: i64,
    /// Late fees within the amount.
    pub late_fees: Fen,
    /// Cash handed back as change.
    pub change: Fen,
}

/// One method's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodFigures {
    pub method: Method,
    pub figures: Figures,
}

/// One clerk's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkDay {
    pub staff_no: String,
    pub name: String,
    /// Every method, in [`Method::ALL`] order, zeros included, so each
    /// clerk has the same lines.
    pub methods: Vec<MethodFigures>,
    /// The clerk's total. A payment split over two methods is one payment
    /// here, so `payments` may be less than the sum over methods.
    pub total: Figures,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayReport {
    /// The local day.
    pub date: NaiveDate,
    /// Clerks who took or reversed a payment that day, by staff number.
    pub clerks: Vec<ClerkDay>,
    /// Totals per method over all clerks, in [`Method::ALL`] order.
    pub methods: Vec<MethodFigures>,
    /// The day's total (payments counted once each).
    pub total: Figures,
    /// Refunds made that day (of earlier, closed shifts): how many, how much.
    pub refunds: (i64, Fen),
    /// Cheques recorded that day as returned unpaid: how many, how much.
    pub dishonoured: (i64, Fen),
}

impl DayReport {
    /// The lines about money that moved after a close: refunds and
    /// cheques returned unpaid that day.
    pub fn after_the_close(&self) -> Vec<crate::domain::msg::Msg> {
        let mut lines = Vec::new();
        if self.refunds.0 > 0 {
            lines.push(msg!(
                "report.refunds",
                n = self.refunds.0,
                amount = self.refunds.1
            ));
        }
        if self.dishonoured.0 > 0 {
            lines.push(msg!(
                "report.dishonoured",
                n = self.dishonoured.0,
                amount = self.dishonoured.1
            ));
        }
        lines
    }

    /// Whether nothing was taken, reversed, refunded or returned that day.
    pub fn is_empty(&self) -> bool {
        self.clerks.is_empty() && self.refunds.0 == 0 && self.dishonoured.0 == 0
    }
}

/// Adds `b` into `a`; the counts and fen of one day cannot overflow `i64`
/// in practice, and saturating keeps a corrupt row from panicking.
fn add(a: &mut Figures, b: &Figures) {
    a.payments = a.payments.saturating_add(b.payments);
    a.amount = a.amount.saturating_add(b.amount);
    a.reversed = a.reversed.saturating_add(b.reversed);
    a.late_fees = a.late_fees.saturating_add(b.late_fees);
    a.change = a.change.saturating_add(b.change);
}

/// The first instant of `date` in the hall's time zone, in UTC. Where a
/// time-zone change skips midnight, the day starts at the first hour that
/// exists.
fn day_start(date: NaiveDate) -> Option<DateTime<Utc>> {
    (0..3).find_map(|h| {
        let naive = date.and_hms_opt(h, 0, 0)?;
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

impl Desk {
    /// The day report for `date`, a day of the hall's local calendar
    /// (payments whose `paid_at` falls in it), summed in SQL.
    pub fn day_report(&self, date: NaiveDate) -> Result<DayReport, DeskError> {
        let bad = || DeskError::new(msg!("report.bad_date", date = date));
        let from = day_start(date).ok_or_else(bad)?;
        let to = date.succ_opt().and_then(day_start).ok_or_else(bad)?;
        let conn = self.store.conn();
        let clerk_rows = report::clerk_rows(conn, from, to)?;
        let method_rows = report::method_rows(conn, from, to)?;
        let mut methods: Vec<MethodFigures> = Method::ALL
            .iter()
            .map(|m| MethodFigures {
                method: *m,
                figures: Figures::default(),
            })
            .collect();
        let mut total = Figures::default();
        let mut clerks = Vec::with_capacity(clerk_rows.len());
        for c in clerk_rows {
            let mut mine = methods.clone();
            for r in method_rows.iter().filter(|r| r.clerk_id == c.clerk_id) {
                if let Some(slot) = mine.iter_mut().find(|m| m.method == r.method) {
                    slot.figures = Figures {
                        payments: r.payments,
                        amount: r.amount,
                        reversed: r.reversed,
                        late_fees: r.late_fees,
                        change: r.change,
                    };
                }
            }
            // Counts, late fees and change come from the payments (a split
            // is one payment); the amount is the sum of what the tenders
            // applied.
            let clerk_total = Figures {
                payments: c.payments,
                amount: mine.iter().map(|m| m.figures.amount).sum(),
                reversed: c.reversed,
                late_fees: c.late_fees,
                change: c.change,
            };
            add(&mut total, &clerk_total);
            clerks.push(ClerkDay {
                staff_no: c.staff_no,
                name: c.name,
                methods: mine,
                total: clerk_total,
            });
        }
        // `methods` still holds zeros here (it was the template above).
        for clerk in &clerks {
            for (sum, m) in methods.iter_mut().zip(&clerk.methods) {
                add(&mut sum.figures, &m.figures);
            }
        }
        let refunds = crate::store::refunds::day_totals(conn, from, to)?;
        let dishonoured = crate::store::cheques::dishonoured_day_totals(conn, from, to)?;
        Ok(DayReport {
            date,
            clerks,
            methods,
            total,
            refunds,
            dishonoured,
        })
    }
}
