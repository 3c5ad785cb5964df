//! The rating after every transaction (一次一评) and what a poor one sets
//! in motion. A rating is asked for inside the transaction's own commit
//! ([`Desk::rating_asked`]); the customer rates on the display or a rating
//! device (never the clerk); the time running out records "not rated". A
//! poor rating opens a case for the duty manager, closed only with the
//! return visit's verdict; the clerk may appeal, a duty manager decides.

use chrono::{DateTime, Utc};
use rusqlite::Transaction;
use serde_json::json;

use super::{Desk, DeskError, Session};
use crate::domain::clerk::Role;
use crate::domain::msg::Input;
use crate::domain::rating::{self, AppealVerdict, Figures, Level, Refusal, Service};
use crate::msg;
use crate::store::ratings::{self, Ask, PoorCase, RatingRow};
use crate::store::{Aggregate, Event, StoreError};

/// What the clerk's screen may know of the last transaction's rating:
/// never the level (the rater stays confidential).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClerkSees {
    /// The display asks the customer now.
    Waiting,
    /// The customer rated.
    Rated,
    /// Nobody rated in time.
    NotRated,
}

/// A rating to ask for in the commit of a transaction about to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingPlan {
    service: Service,
    clerk_id: i64,
    customer_id: Option<i64>,
    started: Option<DateTime<Utc>>,
    seconds: u32,
}

impl RatingPlan {
    /// Writes the waiting rating inside the transaction's commit; the
    /// aggregate to bind to the transaction's audit entry.
    pub fn ask(
        &self,
        tx: &Transaction,
        reference: &str,
        now: DateTime<Utc>,
    ) -> Result<Aggregate, StoreError> {
        let id = ratings::ask(
            tx,
            &Ask {
                service: self.service,
                reference,
                clerk_id: self.clerk_id,
                customer_id: self.customer_id,
                service_started_at: self.started.unwrap_or(now).min(now),
                valid_until: rating::valid_until(now, self.seconds),
            },
            now,
        )?;
        Ok(Aggregate::Rating(id))
    }
}

/// The figures of a day, per clerk and for the hall, with handling times.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RatingReport {
    pub hall: Figures,
    /// (staff name, figures, transactions over their norm, mean seconds).
    pub clerks: Vec<(String, Figures, u32, i64)>,
    pub open_cases: usize,
}

impl Desk {
    /// The rating to ask for when `session` ends a transaction of this
    /// kind: none without a customer display (nobody could rate it) or in
    /// the practice lab.
    pub fn rating_plan(
        &self,
        session: &Session,
        service: Service,
        customer_id: Option<i64>,
    ) -> Option<RatingPlan> {
        if !self.config.display.enabled || self.training {
            return None;
        }
        Some(RatingPlan {
            service,
            clerk_id: session.clerk_id,
            customer_id,
            started: self.window.started(),
            seconds: self.config.ratings.valid_seconds,
        })
    }

    /// After a transaction's commit: the display asks for its rating now
    /// (until about when the stored row says: the row decides); with no
    /// rating to ask for, the service ends here.
    pub(super) fn transaction_done(&mut self, reference: &str, plan: Option<&RatingPlan>) {
        self.ticket_transaction(reference);
        match plan {
            Some(plan) => {
                let until = rating::valid_until(self.clock().now(), plan.seconds);
                self.window.asked(reference, until);
            }
            None => self.window.served(),
        }
        self.reshow();
    }

    /// The customer's rating of `reference` from the display or a rating
    /// device. One per transaction, within its time, for a transaction of
    /// this counter; a poor rating opens its case in the same commit.
    pub fn rate(
        &mut self,
        reference: &str,
        level: &str,
        reasons: &[String],
        channel: &str,
    ) -> Result<(), Refusal> {
        let (level, reasons) = rating::parse_rating(level, reasons)?;
        let row = ratings::by_reference(self.store.conn(), reference.trim())
            .ok()
            .flatten()
            .ok_or(Refusal::Unknown)?;
        let now = self.clock().now();
        rating::may_rate(&row.state, now)?;
        let visit_due = self.working_days_from(now, self.config.ratings.return_visit_working_days);
        let rectify_due = self.working_days_from(now, self.config.ratings.rectify_working_days);
        let channel = if channel == "device" {
            "device"
        } else {
            "display"
        };
        let written = self.store.write(None, |tx, now| {
            ratings::rate(tx, row.id, level, &reasons, channel, now)?;
            if level.is_poor() {
                ratings::open_case(tx, row.id, visit_due, rectify_due, now)?;
            }
            let detail = json!({
                "service": row.service.code(),
                "clerk_id": row.clerk_id,
                "channel": channel,
                "handling_seconds": (now - row.service_started_at).num_seconds(),
                "poor": level.is_poor(),
            });
            Ok((
                (),
                Event::new("rating.rated", &row.reference, detail).about(Aggregate::Rating(row.id)),
            ))
        });
        match written {
            Ok(()) => {
                self.window.rated(&row.reference, ClerkSees::Rated, now);
                self.reshow();
                Ok(())
            }
            Err(e) => {
                tracing::error!("rating not recorded: {e}");
                Err(Refusal::Unknown)
            }
        }
    }

    /// Ratings whose time ran out are recorded as not rated; with no
    /// display connected, none is waited for. True when something changed.
    pub fn expire_ratings(&mut self, display_gone: bool) -> Result<bool, DeskError> {
        let now = self.clock().now();
        let ids = if display_gone {
            ratings::all_waiting(self.store.conn())?
        } else {
            ratings::timed_out(self.store.conn(), now)?
        };
        for id in &ids {
            let Some(row) = ratings::by_id(self.store.conn(), *id)? else {
                continue;
            };
            let why = if display_gone {
                "display_gone"
            } else {
                "timed_out"
            };
            self.store.write(None, |tx, now| {
                ratings::not_rated(tx, row.id, now)?;
                let detail = json!({
                    "service": row.service.code(),
                    "clerk_id": row.clerk_id,
                    "why": why,
                    "handling_seconds": (now - row.service_started_at).num_seconds(),
                });
                Ok((
                    (),
                    Event::new("rating.not_rated", &row.reference, detail)
                        .about(Aggregate::Rating(row.id)),
                ))
            })?;
            self.window.rated(&row.reference, ClerkSees::NotRated, now);
        }
        if !ids.is_empty() {
            self.reshow();
        }
        Ok(!ids.is_empty())
    }

    /// The clerk appeals a poor rating of their own (申诉复核): the
    /// customer pressed by mistake, or the rating was malicious.
    pub fn appeal_rating(
        &mut self,
        session: &Session,
        reference: &str,
        reason: &str,
    ) -> Result<(), DeskError> {
        let row = self.poor_rating(reference)?;
        if row.clerk_id != session.clerk_id {
            return Err(DeskError::at(msg!("rating.not_yours"), Input::Reference));
        }
        if row.appeal.is_some() {
            return Err(DeskError::at(
                msg!("rating.appealed_already", reference = row.reference),
                Input::Reference,
            ));
        }
        let reason = reason.trim();
        if reason.chars().count() < 4 {
            return Err(DeskError::at(msg!("rating.appeal_reason"), Input::Reason));
        }
        self.store.write(Some(session.clerk_id), |tx, now| {
            ratings::appeal(tx, row.id, reason, now)?;
            Ok((
                (),
                Event::new(
                    "rating.appeal",
                    &row.reference,
                    json!({"reason": reason, "clerk_id": row.clerk_id}),
                )
                .about(Aggregate::Rating(row.id)),
            ))
        })?;
        Ok(())
    }

    /// A duty manager decides an appeal with a reason; never the clerk who
    /// was rated. The rating stays on record, marked with the verdict.
    pub fn decide_appeal(
        &mut self,
        session: &Session,
        reference: &str,
        verdict: AppealVerdict,
        note: &str,
    ) -> Result<(), DeskError> {
        if session.role != Role::DutyManager {
            return Err(DeskError::new(msg!("rating.duty_manager_only")));
        }
        let row = self.poor_rating(reference)?;
        if row.clerk_id == session.clerk_id {
            return Err(DeskError::new(msg!("rating.not_own_appeal")));
        }
        match &row.appeal {
            None => {
                return Err(DeskError::at(
                    msg!("rating.no_appeal", reference = row.reference),
                    Input::Reference,
                ))
            }
            Some(a) if a.verdict.is_some() => {
                return Err(DeskError::at(
                    msg!("rating.appeal_decided", reference = row.reference),
                    Input::Reference,
                ))
            }
            Some(_) => {}
        }
        let note = note.trim();
        if note.chars().count() < 4 {
            return Err(DeskError::at(msg!("rating.verdict_reason"), Input::Reason));
        }
        self.store.write(Some(session.clerk_id), |tx, now| {
            ratings::decide_appeal(tx, row.id, verdict, note, session.clerk_id, now)?;
            Ok((
                (),
                Event::new(
                    "rating.appeal_decided",
                    &row.reference,
                    json!({"verdict": verdict.code(), "note": note}),
                )
                .about(Aggregate::Rating(row.id)),
            ))
        })?;
        Ok(())
    }

    /// The duty manager records the return visit of a poor rating: its
    /// verdict and what was done. That closes the case.
    pub fn close_poor_rating(
        &mut self,
        session: &Session,
        reference: &str,
        verdict: &str,
        action: &str,
    ) -> Result<(), DeskError> {
        if session.role != Role::DutyManager {
            return Err(DeskError::new(msg!("rating.duty_manager_only")));
        }
        let row = self.poor_rating(reference)?;
        let case = ratings::case_of(self.store.conn(), row.id)?
            .ok_or_else(|| DeskError::new(msg!("rating.not_poor", reference = row.reference)))?;
        if case.closed.is_some() {
            return Err(DeskError::at(
                msg!("rating.case_closed", reference = row.reference),
                Input::Reference,
            ));
        }
        let (verdict, action) = (verdict.trim(), action.trim());
        if verdict.chars().count() < 2 {
            return Err(DeskError::at(msg!("rating.visit_verdict"), Input::Reason));
        }
        if action.chars().count() < 2 {
            return Err(DeskError::at(msg!("rating.visit_action"), Input::Reason));
        }
        self.store.write(Some(session.clerk_id), |tx, now| {
            ratings::close_case(tx, row.id, verdict, action, session.clerk_id, now)?;
            Ok((
                (),
                Event::new(
                    "rating.case_closed",
                    &row.reference,
                    json!({"verdict": verdict, "action": action}),
                )
                .about(Aggregate::Rating(row.id)),
            ))
        })?;
        Ok(())
    }

    /// What a duty manager is told at sign-in: the poor ratings waiting
    /// for their return visit, and the first one's due date.
    pub fn poor_ratings_waiting(&self, session: &Session) -> Option<crate::domain::msg::Msg> {
        if session.role != Role::DutyManager || self.training {
            return None;
        }
        let open = ratings::open_cases(self.store.conn()).ok()?;
        let first = open.first()?;
        Some(msg!(
            "rating.poor_open",
            n = open.len(),
            due = first.visit_due
        ))
    }

    /// Poor-rating cases still open, the earliest visit first.
    pub fn poor_ratings_open(&self) -> Result<Vec<PoorCase>, DeskError> {
        Ok(ratings::open_cases(self.store.conn())?)
    }

    /// One poor-rating case, open or closed.
    pub fn poor_rating_case(&self, reference: &str) -> Result<PoorCase, DeskError> {
        let row = self.poor_rating(reference)?;
        ratings::case_of(self.store.conn(), row.id)?
            .ok_or_else(|| DeskError::new(msg!("rating.not_poor", reference = row.reference)))
    }

    /// A rating for the duty manager (level included) or a report.
    pub fn rating_of(&self, reference: &str) -> Result<RatingRow, DeskError> {
        ratings::by_reference(self.store.conn(), reference.trim())?.ok_or_else(|| {
            DeskError::at(
                msg!("rating.unknown", reference = reference.trim()),
                Input::Reference,
            )
        })
    }

    fn poor_rating(&self, reference: &str) -> Result<RatingRow, DeskError> {
        let row = self.rating_of(reference)?;
        if !row.level().is_some_and(Level::is_poor) {
            return Err(DeskError::at(
                msg!("rating.not_poor", reference = row.reference),
                Input::Reference,
            ));
        }
        Ok(row)
    }

    /// The day's ratings per clerk and for the hall, with handling times
    /// against the configured norms.
    pub fn rating_report(&self, day: chrono::NaiveDate) -> Result<RatingReport, DeskError> {
        let from = crate::clock::local_midnight(day);
        let to = crate::clock::local_midnight(day.succ_opt().unwrap_or(day));
        let rows = ratings::asked_between(self.store.conn(), from, to)?;
        let mut report = RatingReport::default();
        let mut per: std::collections::BTreeMap<String, (Figures, u32, i64, i64)> =
            Default::default();
        for r in rows
            .iter()
            .filter(|r| !matches!(r.state, rating::RatingState::Waiting { .. }))
        {
            report.hall.count(r.level(), r.upheld());
            let e = per.entry(r.clerk_name.clone()).or_default();
            e.0.count(r.level(), r.upheld());
            let ended = match &r.state {
                rating::RatingState::Rated { at, .. } | rating::RatingState::NotRated { at } => *at,
                rating::RatingState::Waiting { .. } => r.asked_at,
            };
            let secs = (ended - r.service_started_at).num_seconds().max(0);
            if secs > i64::from(self.config.service_norms.minutes(r.service)) * 60 {
                e.1 += 1;
            }
            e.2 += secs;
            e.3 += 1;
        }
        report.clerks = per
            .into_iter()
            .map(|(name, (f, over, total, n))| (name, f, over, if n > 0 { total / n } else { 0 }))
            .collect();
        report.open_cases = ratings::open_cases(self.store.conn())?.len();
        Ok(report)
    }

    fn working_days_from(&self, now: DateTime<Utc>, days: u32) -> chrono::NaiveDate {
        let today = now.with_timezone(&chrono::Local).date_naive();
        self.calendar
            .due(today, days)
            .map(|d| d.date)
            .unwrap_or(today + chrono::Duration::days(i64::from(days)))
    }

    /// What the clerk's screen may say of the last transaction's rating.
    pub fn rating_seen(&self) -> Option<ClerkSees> {
        self.window.seen()
    }
}
