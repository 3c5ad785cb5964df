//! What a clerk committed whose receipt or slip never printed — the
//! workstation died between the commit and the printer, or the print
//! failed and nobody printed again — shown first at sign-in and at the
//! cashier, so a customer is never charged twice for a payment that went
//! through. Each stays until it prints or is dismissed with a reason.

use chrono::{DateTime, Local, Utc};
use serde_json::json;

use super::slips::{Printed, SlipOrder};
use super::{Desk, DeskError, Session};
use crate::domain::money::Fen;
use crate::domain::msg::{Input, Msg};
use crate::domain::states::SlipKind;
use crate::msg;
use crate::store::codes::Code;
use crate::store::unprinted::{self, UnprintedRow};
use crate::store::Event;

/// A record whose slip never printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unprinted {
    /// The slip it lacks.
    pub kind: SlipKind,
    /// Receipt, refund or ticket number.
    pub number: String,
    /// Money it moved.
    pub amount: Option<Fen>,
    /// Account number, fee or business type.
    pub about: Option<String>,
    /// When it was committed.
    pub at: DateTime<Utc>,
}

impl Unprinted {
    /// The line the clerk reads: `R1-00000039 128.50 元 户号 … 已于 19:21
    /// 入账，收据未打印`; the day is named when it was not `today`.
    pub fn line(&self, today: chrono::NaiveDate) -> Msg {
        let local = self.at.with_timezone(&Local);
        let when = if local.date_naive() == today {
            local.format("%H:%M").to_string()
        } else {
            local.format("%m-%d %H:%M").to_string()
        };
        let key = match self.kind {
            SlipKind::PaymentReceipt => "unprinted.payment",
            SlipKind::ReversalSlip => "unprinted.reversal",
            SlipKind::RefundSlip => "unprinted.refund",
            _ => "unprinted.acceptance",
        };
        Msg::new(key)
            .arg("number", &self.number)
            .arg("amount", self.amount.unwrap_or(Fen(0)))
            .arg("about", self.about.as_deref().unwrap_or("—"))
            .arg("when", when)
    }
}

impl Desk {
    /// What `session`'s clerk committed since their last shift began (or
    /// since today began, whichever is earlier) that never printed, newest
    /// first. Practice runs have none: their sandboxes are seeded anew.
    pub fn unprinted(&mut self, session: &Session) -> Result<Vec<Unprinted>, DeskError> {
        if self.training {
            return Ok(Vec::new());
        }
        let conn = self.store.conn();
        let midnight = crate::clock::local_midnight(self.clock().today());
        let since = match unprinted::last_shift_opened(conn, session.clerk_id())? {
            Some(opened) => opened.min(midnight),
            None => midnight,
        };
        let rows = unprinted::of_clerk(conn, session.clerk_id(), since)?;
        let mut out = Vec::new();
        for r in rows {
            // An acceptance lacks its receipt only if its form prints one.
            if r.kind == SlipKind::AcceptanceReceipt
                && !self
                    .slip_kinds(&r.number)
                    .is_ok_and(|k| k.contains(&SlipKind::AcceptanceReceipt))
            {
                continue;
            }
            out.push(row(r));
        }
        Ok(out)
    }

    /// Prints the slip a record lacks.
    pub fn print_unprinted(
        &mut self,
        session: &Session,
        item: &Unprinted,
    ) -> Result<Printed, DeskError> {
        let n = item.number.as_str();
        let order = match item.kind {
            SlipKind::PaymentReceipt => SlipOrder::Receipt(n),
            SlipKind::ReversalSlip => SlipOrder::Reversal(n),
            SlipKind::RefundSlip => SlipOrder::Refund(n),
            _ => SlipOrder::Application(n),
        };
        self.print(session, order)
    }

    /// Records that a record's slip will not be printed, and why (the
    /// customer left, the receipt was written by hand): audited, and it
    /// is no longer shown.
    pub fn dismiss_unprinted(
        &mut self,
        session: &Session,
        item: &Unprinted,
        reason: &str,
    ) -> Result<(), DeskError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DeskError::at(
                msg!("unprinted.reason_needed"),
                Input::Reason,
            ));
        }
        let clerk = session.clerk_id();
        self.store.write(Some(clerk), |tx, now| {
            unprinted::dismiss(tx, item.kind, &item.number, clerk, reason, now)?;
            let detail = json!({"kind": item.kind.code(), "reason": reason});
            Ok(((), Event::new("slip.dismissed", &item.number, detail)))
        })?;
        Ok(())
    }
}

fn row(r: UnprintedRow) -> Unprinted {
    Unprinted {
        kind: r.kind,
        number: r.number,
        amount: r.amount_fen.map(Fen),
        about: r.about,
        at: r.at,
    }
}
