//! The kinds of slip the counter prints.

use crate::config::Config;
use crate::domain::form::SlipKind as FormSlip;
use crate::slips::doc::Paper;

/// A kind of slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 受理回执.
    AcceptanceReceipt,
    /// 一次性告知书, customer copy and the stub for the file.
    DisclosureNotice,
    /// 进度单 for a returning customer.
    ProgressSlip,
    /// 收费收据.
    PaymentReceipt,
    /// 冲正单.
    ReversalSlip,
    /// 退费凭证.
    RefundSlip,
    /// 日结单.
    SettlementReport,
    /// The printer set-up page.
    TestPage,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 8] = [
        Kind::AcceptanceReceipt,
        Kind::DisclosureNotice,
        Kind::ProgressSlip,
        Kind::PaymentReceipt,
        Kind::ReversalSlip,
        Kind::RefundSlip,
        Kind::SettlementReport,
        Kind::TestPage,
    ];

    /// Stable code, used in file names and the database.
    pub fn code(self) -> &'static str {
        match self {
            Kind::AcceptanceReceipt => "acceptance_receipt",
            Kind::DisclosureNotice => "disclosure_notice",
            Kind::ProgressSlip => "progress_slip",
            Kind::PaymentReceipt => "payment_receipt",
            Kind::ReversalSlip => "reversal_slip",
            Kind::RefundSlip => "refund_slip",
            Kind::SettlementReport => "settlement_report",
            Kind::TestPage => "test_page",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Receipts are money documents: reprinting one needs a duty manager.
    pub fn is_receipt(self) -> bool {
        matches!(
            self,
            Kind::PaymentReceipt | Kind::ReversalSlip | Kind::RefundSlip
        )
    }

    /// The paper configured for this kind.
    pub fn paper(self, config: &Config) -> Paper {
        let p = &config.slips.paper;
        let chosen = match self {
            Kind::AcceptanceReceipt => &p.acceptance_receipt,
            Kind::DisclosureNotice => &p.disclosure_notice,
            Kind::ProgressSlip => &p.progress_slip,
            Kind::PaymentReceipt => &p.payment_receipt,
            Kind::ReversalSlip => &p.reversal_slip,
            Kind::RefundSlip => &p.refund_slip,
            Kind::SettlementReport => &p.settlement_report,
            Kind::TestPage => "a4",
        };
        if chosen == "roll80" {
            Paper::Roll80
        } else {
            Paper::A4
        }
    }
}

impl From<FormSlip> for Kind {
    fn from(s: FormSlip) -> Kind {
        match s {
            FormSlip::AcceptanceReceipt => Kind::AcceptanceReceipt,
            FormSlip::DisclosureNotice => Kind::DisclosureNotice,
            FormSlip::ProgressSlip => Kind::ProgressSlip,
            FormSlip::PaymentReceipt => Kind::PaymentReceipt,
        }
    }
}
