//! Headquarters' daily bill list: the all-or-nothing import, and looking up
//! the bills of an account.
//!
//! A bill is paid when a payment of kind `bill` for the same account and
//! period stands (status `paid`); the bill table itself never says so, so a
//! reversal at the counter reopens the bill with no second write.

use chrono::Local;
use serde_json::json;

use super::{Desk, DeskError, Session};
use crate::domain::bills::{sha256_hex, Place, Problem};
use crate::domain::msg::Msg;
use crate::store::bills::{self, ImportRow, Upsert};
use crate::store::{Aggregate, Event, StoreError};
use crate::{i18n, msg};

pub use crate::store::bills::BillRow;

/// A bill of the file that was already paid at the counter: counted and
/// reported, left as it was paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidBill {
    pub account_no: String,
    /// Billing period.
    pub period: String,
    /// The receipt that paid it.
    pub receipt_no: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// The file's name as given.
    pub file_name: String,
    /// The import's row id.
    pub import_id: i64,
    /// Bills in the file.
    pub rows: usize,
    /// Bills not seen before.
    pub new: usize,
    /// Unpaid bills whose amount, due date or class changed.
    pub updated: usize,
    /// Unpaid bills sent again as they were.
    pub unchanged: usize,
    /// Bills already paid, in file order.
    pub already_paid: Vec<PaidBill>,
}

/// Whether an import error is a refusal of the file (its content, or the
/// same file again), as opposed to a failure to run (database, sign-in).
/// Every refusal is a `bills.*` message, so the key tells them apart.
pub fn is_file_refusal(e: &DeskError) -> bool {
    e.key().starts_with("bills.")
}

/// An account's unpaid bills and its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountBills {
    /// Unpaid bills, oldest period first.
    pub bills: Vec<BillRow>,
    /// The holder and supply state, from HQ.
    pub holder: Option<crate::store::hq_feed::HqAccount>,
}

impl Desk {
    /// Imports headquarters' bill list (CSV or JSON, see the README): all
    /// or nothing, in one transaction with one audit entry (`bill.import`,
    /// with the counts) and one outbox entry.
    ///
    /// Refused with nothing written: a file with the same bytes as one
    /// imported before (`bills.already_imported`, naming when), and a file
    /// with any malformed row (the first problem with its line or index and
    /// column, and how many problems there are). A bill already stored for
    /// the same account and period is updated while unpaid; a paid one is
    /// left alone and listed in [`ImportSummary::already_paid`].
    ///
    /// No clerk needs to be signed in (the nightly job runs it); `by`
    /// records who did when someone did.
    pub fn import_bills(
        &mut self,
        file_name: &str,
        bytes: &[u8],
        by: Option<&Session>,
    ) -> Result<ImportSummary, DeskError> {
        let sha = sha256_hex(bytes);
        // Before parsing: a second copy of a big file is refused at once.
        if let Some(earlier) = bills::import_by_sha(self.store.conn(), &sha)? {
            return Err(already_imported(file_name, &earlier).into());
        }
        let limit = self.config.money.limit();
        let lines = crate::domain::bills::parse(file_name, bytes, limit)
            .map_err(|p| self.refusal(file_name, &p))?;
        let actor = by.map(|s| s.clerk_id);
        let staff_no = by.map(|s| s.staff_no.clone());
        let summary = self.store.write(actor, |tx, now| {
            // Again inside the transaction: another run may have imported
            // the same file since the check above.
            if let Some(earlier) = bills::import_by_sha(tx, &sha)? {
                return Err(StoreError::Refused(already_imported(file_name, &earlier)));
            }
            let import_id = bills::insert_import(tx, file_name, &sha, lines.len(), actor, now)?;
            let mut s = ImportSummary {
                file_name: file_name.to_string(),
                import_id,
                rows: lines.len(),
                new: 0,
                updated: 0,
                unchanged: 0,
                already_paid: Vec::new(),
            };
            for line in &lines {
                match bills::upsert(tx, line, import_id)? {
                    Upsert::New => s.new += 1,
                    Upsert::Updated => s.updated += 1,
                    Upsert::Unchanged => s.unchanged += 1,
                    Upsert::AlreadyPaid(receipt_no) => s.already_paid.push(PaidBill {
                        account_no: line.account_no.clone(),
                        period: line.period.clone(),
                        receipt_no,
                    }),
                }
            }
            let detail = json!({
                "file": file_name,
                "sha256": sha,
                "import_id": import_id,
                "rows": s.rows,
                "new": s.new,
                "updated": s.updated,
                "unchanged": s.unchanged,
                "already_paid": s.already_paid.len(),
                "by": staff_no,
            });
            Ok((
                s,
                Event::new("bill.import", file_name, detail)
                    .about(Aggregate::BillImport(import_id)),
            ))
        })?;
        Ok(summary)
    }

    /// The bill of an account for a period, paid or not.
    pub fn bill(&self, account_no: &str, period: &str) -> Result<Option<BillRow>, DeskError> {
        Ok(bills::bill(
            self.store.conn(),
            account_no.trim(),
            period.trim(),
        )?)
    }

    /// The unpaid bills of an account and whose account it is, as HQ sent
    /// it down (when it has).
    pub fn account_bills(&self, account_no: &str) -> Result<AccountBills, DeskError> {
        let account_no = account_no.trim();
        Ok(AccountBills {
            bills: bills::open_bills(self.store.conn(), account_no)?,
            holder: crate::store::hq_feed::account(self.store.conn(), account_no)?,
        })
    }

    /// One message for a refused file: the first problem, where it is, and
    /// how many there are.
    ///
    /// A row problem is two messages (the place, and what is wrong with the
    /// value, e.g. a money message) but a [`DeskError`] carries one, and a
    /// message's arguments are text: so the inner message is rendered here
    /// in the configured language, the one the command line and the
    /// workstation speak.
    fn refusal(&self, file: &str, problems: &[Problem]) -> DeskError {
        let Some(first) = problems.first() else {
            return msg!("bills.no_rows", file = file).into();
        };
        let count = problems.len();
        let problem = || i18n::text(&first.msg, self.config.language);
        let m: Msg = match (first.place, first.column.as_deref()) {
            (Place::File, _) => first.msg.clone(),
            (Place::Line(line), Some(column)) => msg!(
                "bills.bad_line",
                file = file,
                count = count,
                line = line,
                column = column,
                problem = problem()
            ),
            (Place::Line(line), None) => msg!(
                "bills.bad_line_row",
                file = file,
                count = count,
                line = line,
                problem = problem()
            ),
            (Place::Item(index), Some(column)) => msg!(
                "bills.bad_item",
                file = file,
                count = count,
                index = index,
                column = column,
                problem = problem()
            ),
            (Place::Item(index), None) => msg!(
                "bills.bad_item_row",
                file = file,
                count = count,
                index = index,
                problem = problem()
            ),
        };
        // The log keeps more than the one message, for support staff; a
        // wholly wrong file would otherwise flood it.
        for p in problems.iter().take(100) {
            tracing::info!(file, place = ?p.place, column = ?p.column, key = p.msg.key, "bill file problem");
        }
        m.into()
    }
}

/// The refusal of a file imported before, with when (local time) and under
/// which name.
fn already_imported(file: &str, earlier: &ImportRow) -> Msg {
    let at = earlier
        .imported_at
        .with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    msg!(
        "bills.already_imported",
        file = file,
        earlier = earlier.file_name,
        at = at,
        rows = earlier.rows
    )
}
