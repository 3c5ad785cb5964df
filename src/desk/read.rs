//! What the desk reads as the store keeps it: one borrowed view, so the
//! desk's own functions are the ones that decide, check or write.
//! Reads that need a decision (who may see what, what a lookup means)
//! stay on the desk.

use rusqlite::Connection;

use super::{Desk, DeskError, Session};
use crate::domain::lab::facts::Facts;
use crate::domain::money::Fen;
use crate::store::bills::BillRow;
use crate::store::cheques::HeldCheque;
use crate::store::hq_feed::{HeldItem, HqAccount};
use crate::store::money::{PaymentRow, ShiftRow};
use crate::store::outbox::{Identity, Listed, Status};
use crate::store::refunds::RefundRow;
use crate::store::{bills, cases, cheques, clerks, hq_feed, lab_facts, money, outbox, refunds};

/// The store as read through the desk: borrowed for one call or a few.
pub struct Read<'a> {
    conn: &'a Connection,
}

impl Desk {
    /// Reads that need nothing but the store.
    pub fn read(&self) -> Read<'_> {
        Read {
            conn: self.store.conn(),
        }
    }
}

impl Read<'_> {
    /// Whether the database has no clerks yet (then `init` makes the first).
    pub fn has_no_clerks(&self) -> Result<bool, DeskError> {
        Ok(clerks::count(self.conn)? == 0)
    }

    /// The unpaid bills of an account, oldest period first.
    pub fn open_bills(&self, account_no: &str) -> Result<Vec<BillRow>, DeskError> {
        Ok(bills::open_bills(self.conn, account_no.trim())?)
    }

    /// How many open cases belong to a clerk who was disabled.
    pub fn orphaned_cases(&self) -> Result<i64, DeskError> {
        Ok(cases::orphaned(self.conn)?)
    }

    /// Every cheque still waiting for its funds, oldest first.
    pub fn held_cheques(&self) -> Result<Vec<HeldCheque>, DeskError> {
        Ok(cheques::held(self.conn)?)
    }

    /// The signed-in clerk's open shift, if they have one.
    pub fn open_shift(&self, session: &Session) -> Result<Option<ShiftRow>, DeskError> {
        Ok(money::open_shift_of(self.conn, session.clerk_id)?)
    }

    /// Any shift, open or closed, by its row id.
    pub fn shift(&self, id: i64) -> Result<Option<ShiftRow>, DeskError> {
        Ok(money::shift(self.conn, id)?)
    }

    /// Every receipt of a shift with its state, for the settlement report.
    pub fn shift_receipts(&self, shift: i64) -> Result<Vec<PaymentRow>, DeskError> {
        Ok(money::payments_of_shift(self.conn, shift)?)
    }

    /// What an account has paid in advance and not yet used.
    pub fn prepaid_balance(&self, account: &str) -> Result<Fen, DeskError> {
        Ok(money::prepaid(self.conn, account)?)
    }

    /// What a practice run has left on record since its seed.
    pub fn practice_facts(&self) -> Result<Facts, DeskError> {
        Ok(lab_facts::read(self.conn)?)
    }

    /// A refund by its number as printed on the slip.
    pub fn refund_by_number(&self, number: &str) -> Result<Option<RefundRow>, DeskError> {
        Ok(refunds::by_number(self.conn, number.trim())?)
    }

    /// Who this database's records belong to at HQ.
    pub fn upload_identity(&self) -> Result<Identity, DeskError> {
        Ok(outbox::identity(self.conn)?)
    }

    /// The upload queue: waiting, oldest, quarantined, forked.
    pub fn upload_queue(&self) -> Result<Status, DeskError> {
        Ok(outbox::status(self.conn)?)
    }

    /// What HQ sent down that this counter could not apply: newest first,
    /// at most `limit`, and how many there are.
    pub fn feed_held(&self, limit: i64) -> Result<(Vec<HeldItem>, i64), DeskError> {
        Ok(hq_feed::held(self.conn, limit)?)
    }

    /// Held (quarantined, forked) and the first waiting records.
    pub fn upload_list(&self, limit: i64) -> Result<Vec<Listed>, DeskError> {
        Ok(outbox::list(self.conn, limit)?)
    }

    /// An account as HQ last sent it down.
    pub fn hq_account(&self, account_no: &str) -> Result<Option<HqAccount>, DeskError> {
        Ok(hq_feed::account(self.conn, account_no.trim())?)
    }

    /// Every account HQ lists for a holder's ID number.
    pub fn hq_accounts_of(&self, holder_id: &str) -> Result<Vec<HqAccount>, DeskError> {
        Ok(hq_feed::accounts_of(self.conn, holder_id)?)
    }
}
