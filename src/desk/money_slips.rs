//! Producing the money slips, each after its record is committed: the
//! payment receipt (held while a cheque waits for its funds), the reversal
//! slip, the refund slip and the shift settlement report.

use std::path::Path;

use super::slips::Produced;
use super::{Authoriser, Desk, DeskError, Session};
use crate::domain::msg::Input;
use crate::domain::slip_number::SlipNumber;
use crate::domain::states::{PaymentStatus, SlipKind};
use crate::msg;
use crate::slips::money::{self as content, FeeLabel};
use crate::store::money::ReceiptRow;
use crate::store::slips;

impl Desk {
    /// The fee a fee receipt names, from the application's form as told.
    fn fee_label(&self, row: &ReceiptRow) -> Result<Option<FeeLabel>, DeskError> {
        let Some((ticket, fee_id)) = &row.payment.fee else {
            return Ok(None);
        };
        let due = self.fees_due(ticket)?;
        let fee = due
            .fees
            .iter()
            .find(|f| &f.id == fee_id)
            .map(|f| f.name.zh.clone())
            .unwrap_or_else(|| fee_id.clone());
        let manager = crate::store::applications::by_ticket(self.store.conn(), &due.ticket_no)?
            .and_then(|a| a.manager)
            .map(|m| (m.name, m.phone));
        Ok(Some(FeeLabel {
            manager,
            ticket_no: due.ticket_no,
            business: due.business.zh,
            fee,
            customer: due.customer,
        }))
    }

    fn receipt_row(&self, receipt: &str) -> Result<ReceiptRow, DeskError> {
        crate::store::money::receipt(self.store.conn(), receipt.trim())?.ok_or_else(|| {
            DeskError::at(
                msg!("payment.no_such_receipt", receipt = receipt.trim()),
                Input::Receipt,
            )
        })
    }

    /// Produces a money document: its copy number, a duty manager for any
    /// copy after the first, the marks, the file and the print.
    #[allow(clippy::too_many_arguments)]
    fn money_slip(
        &mut self,
        session: &Session,
        kind: SlipKind,
        number: &str,
        authoriser: Option<&Authoriser>,
        out: Option<&Path>,
        doc: impl FnOnce(&crate::config::Hall, crate::slips::doc::Marks) -> crate::slips::doc::SlipDoc,
    ) -> Result<Produced, DeskError> {
        let copy = slips::next_copy(self.store.conn(), kind, number)?;
        if copy > 0 && kind.is_receipt() && authoriser.is_none() {
            return Err(msg!("slips.reprint_needs_manager").into());
        }
        let doc = doc(&self.config.hall, self.marks(Some(session), kind, copy));
        self.produce(
            Some(session),
            kind,
            number,
            copy,
            None,
            &doc,
            authoriser,
            out,
        )
    }

    /// Produces (and prints) the receipt of a payment, after its commit. A
    /// second copy is a reprint and needs a duty manager; a receipt paid by
    /// a cheque still waiting for its funds is not given out.
    pub(super) fn produce_receipt(
        &mut self,
        session: &Session,
        receipt: &str,
        authoriser: Option<&Authoriser>,
        out: Option<&Path>,
    ) -> Result<Produced, DeskError> {
        let row = self.receipt_row(receipt)?;
        let number = row.payment.receipt_no.clone();
        if row.payment.dishonoured {
            return Err(msg!("cheque.receipt_dishonoured", receipt = number).into());
        }
        if row.payment.held && row.payment.status == PaymentStatus::Paid {
            return Err(msg!("cheque.receipt_held", receipt = number).into());
        }
        let fee = self.fee_label(&row)?;
        self.money_slip(
            session,
            SlipKind::PaymentReceipt,
            &number,
            authoriser,
            out,
            |hall, marks| content::payment_receipt(&row, fee.as_ref(), hall, marks),
        )
    }

    /// Produces (and prints) the reversal slip of a reversed payment; a
    /// second copy needs a duty manager.
    pub(super) fn produce_reversal(
        &mut self,
        session: &Session,
        receipt: &str,
        authoriser: Option<&Authoriser>,
        out: Option<&Path>,
    ) -> Result<Produced, DeskError> {
        let row = self.receipt_row(receipt)?;
        if row.reversal.is_none() {
            return Err(msg!("payment.not_reversed", receipt = row.payment.receipt_no).into());
        }
        let number = SlipNumber::Reversal(row.payment.receipt_no.clone()).to_string();
        let fee = self.fee_label(&row)?;
        self.money_slip(
            session,
            SlipKind::ReversalSlip,
            &number,
            authoriser,
            out,
            |hall, marks| content::reversal_slip(&row, fee.as_ref(), hall, marks),
        )
    }

    /// Produces (and prints) a refund slip; a second copy needs a duty manager.
    pub(super) fn produce_refund(
        &mut self,
        session: &Session,
        refund_no: &str,
        authoriser: Option<&Authoriser>,
        out: Option<&Path>,
    ) -> Result<Produced, DeskError> {
        let row = self
            .read()
            .refund_by_number(refund_no)?
            .ok_or_else(|| DeskError::new(msg!("refund.no_such", number = refund_no.trim())))?;
        let number = row.refund_no.clone();
        self.money_slip(
            session,
            SlipKind::RefundSlip,
            &number,
            authoriser,
            out,
            |hall, marks| content::refund_slip(&row, hall, marks),
        )
    }

    /// Produces (and prints) the settlement report of a closed shift: the
    /// clerk's last one, or the one named (a reprint from the command line).
    pub(super) fn produce_settlement(
        &mut self,
        session: &Session,
        shift: Option<i64>,
        authoriser: Option<&Authoriser>,
        out: Option<&Path>,
    ) -> Result<Produced, DeskError> {
        let conn = self.store.conn();
        let closed = match shift {
            Some(id) => crate::store::money::closed_shift(conn, id)?,
            None => crate::store::money::last_closed(conn, session.clerk_id)?,
        }
        .ok_or_else(|| DeskError::new(msg!("shift.none_closed")))?;
        let receipts = crate::store::money::payments_of_shift(conn, closed.shift.id)?;
        let number = SlipNumber::Settlement(closed.shift.id).to_string();
        self.money_slip(
            session,
            SlipKind::SettlementReport,
            &number,
            authoriser,
            out,
            |hall, marks| content::settlement_report(&closed, &receipts, hall, marks),
        )
    }
}
