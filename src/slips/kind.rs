//! What the slip layer knows about each kind of slip: its paper and the
//! name its files carry in the spool.

use crate::config::Config;
use crate::domain::states::SlipKind;
use crate::slips::doc::Paper;

/// The paper configured for a kind.
pub fn paper(kind: SlipKind, config: &Config) -> Paper {
    let p = &config.slips.paper;
    let chosen = match kind {
        SlipKind::AcceptanceReceipt => &p.acceptance_receipt,
        SlipKind::DisclosureNotice => &p.disclosure_notice,
        SlipKind::ProgressSlip => &p.progress_slip,
        SlipKind::PaymentReceipt => &p.payment_receipt,
        SlipKind::ReversalSlip => &p.reversal_slip,
        SlipKind::RefundSlip => &p.refund_slip,
        SlipKind::SettlementReport => &p.settlement_report,
        SlipKind::RefusalRecord => &p.refusal_record,
        SlipKind::ConsultationNotice => &p.disclosure_notice,
        SlipKind::TestPage => return Paper::A4,
    };
    *chosen
}

/// How a kind names its files in the spool.
pub fn file_stem(kind: SlipKind) -> &'static str {
    match kind {
        SlipKind::AcceptanceReceipt => "acceptance_receipt",
        SlipKind::DisclosureNotice => "disclosure_notice",
        SlipKind::ProgressSlip => "progress_slip",
        SlipKind::PaymentReceipt => "payment_receipt",
        SlipKind::ReversalSlip => "reversal_slip",
        SlipKind::RefundSlip => "refund_slip",
        SlipKind::SettlementReport => "settlement_report",
        SlipKind::RefusalRecord => "refusal_record",
        SlipKind::ConsultationNotice => "consultation_notice",
        SlipKind::TestPage => "test_page",
    }
}
