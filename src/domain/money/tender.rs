//! Taking payment: change for cash, and a bill paid with several
//! instruments at once (split tender).

use serde::{Deserialize, Serialize};

use super::Fen;
use crate::domain::msg::Msg;
use crate::msg;

/// How the customer pays at the window. The order (cash first) is the
/// order of the day-end report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Banknotes and coins; must always be accepted.
    Cash,
    /// Bank card on the POS terminal.
    Card,
    /// QR code (Alipay, WeChat Pay, the utility app).
    Qr,
    /// Cheque; its invoice waits until the funds arrive.
    Cheque,
}

impl Method {
    /// Every method, cash first.
    pub const ALL: [Method; 4] = [Method::Cash, Method::Card, Method::Qr, Method::Cheque];

    /// The stable code stored in the database and files.
    pub fn code(self) -> &'static str {
        match self {
            Method::Cash => "cash",
            Method::Card => "card",
            Method::Qr => "qr",
            Method::Cheque => "cheque",
        }
    }

    /// The method for a stored code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The method's name for the clerk.
    pub fn label(self) -> Msg {
        match self {
            Method::Cash => msg!("money.method_cash"),
            Method::Card => msg!("money.method_card"),
            Method::Qr => msg!("money.method_qr"),
            Method::Cheque => msg!("money.method_cheque"),
        }
    }
}

/// One instrument handed over: so much by this method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tender {
    /// How it is paid.
    pub method: Method,
    /// How much was handed over (for cash) or charged (for the others).
    pub amount: Fen,
}

/// Where the money of a settled payment goes.
///
/// Always: the `applied` amounts add up to the amount due, and `applied` +
/// `change` + `prepaid` add up to what was tendered, to the fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitOutcome {
    /// What each tender pays toward the bill, one entry per tender in the
    /// order given (so a POS reference can stay with its line).
    pub applied: Vec<(Method, Fen)>,
    /// Cash handed back to the customer.
    pub change: Fen,
    /// Excess kept on the account as prepaid electricity (预收电费).
    pub prepaid: Fen,
}

/// The change for a cash payment: `tendered − due`.
///
/// Refused when less is tendered than is due (`money.tendered_short` with
/// the shortfall) or when either amount is negative (`money.negative`).
pub fn change(due: Fen, tendered: Fen) -> Result<Fen, Msg> {
    if due.is_negative() || tendered.is_negative() {
        return Err(msg!("money.negative"));
    }
    if tendered < due {
        return Err(msg!("money.tendered_short", short = due - tendered));
    }
    Ok(tendered - due)
}

/// Settles a bill paid with several instruments; any excess is cash change.
///
/// Card, QR and cheque amounts are taken at face value (they have already
/// been charged) and applied first; cash covers what remains and only cash
/// may exceed it, the excess being the change. Refused: a negative amount
/// (`money.negative`), non-cash instruments adding up to more than is due
/// (`money.noncash_over`: change would turn a card charge into cash in
/// hand), and tenders adding up to less than is due (`money.split_short`).
pub fn settle_split(due: Fen, tenders: &[Tender]) -> Result<SplitOutcome, Msg> {
    settle_with_prepay(due, tenders, false)
}

/// Settles a bill like [`settle_split`], optionally keeping the excess on
/// the account as prepaid electricity.
///
/// The rule: when `keep_excess_as_prepaid` is false this is exactly
/// [`settle_split`]. When it is true, the whole excess, whichever
/// instrument it came from, becomes `prepaid` and no change is given; a
/// non-cash overpayment is then allowed, because it only tops up the
/// balance and never turns into cash. Cash excess is therefore either
/// change or prepaid, as the customer chooses, never split between them:
/// a customer who wants part back is given change and pays the rest in as
/// a separate prepayment.
pub fn settle_with_prepay(
    due: Fen,
    tenders: &[Tender],
    keep_excess_as_prepaid: bool,
) -> Result<SplitOutcome, Msg> {
    if due.is_negative() || tenders.iter().any(|t| t.amount.is_negative()) {
        return Err(msg!("money.negative"));
    }
    let too_large = || msg!("money.too_large");
    let total_of = |cash: bool| {
        tenders
            .iter()
            .filter(|t| (t.method == Method::Cash) == cash)
            .try_fold(Fen::ZERO, |sum, t| sum.checked_add(t.amount))
    };
    let noncash = total_of(false).ok_or_else(too_large)?;
    let cash = total_of(true).ok_or_else(too_large)?;
    let total = noncash.checked_add(cash).ok_or_else(too_large)?;
    if total < due {
        return Err(msg!("money.split_short", short = due - total));
    }
    if !keep_excess_as_prepaid && noncash > due {
        return Err(msg!("money.noncash_over", noncash = noncash, due = due));
    }
    // Non-cash first, then cash, each up to what is still owed; a tender
    // that finds nothing owed applies zero and all of it is excess.
    let mut applied: Vec<(Method, Fen)> = tenders.iter().map(|t| (t.method, Fen::ZERO)).collect();
    let mut remaining = due;
    for cash_pass in [false, true] {
        for (slot, t) in applied.iter_mut().zip(tenders) {
            if (t.method == Method::Cash) == cash_pass {
                let part = t.amount.min(remaining);
                slot.1 = part;
                remaining -= part;
            }
        }
    }
    // total ≥ due was checked, so the excess is never negative; without
    // prepay, noncash ≤ due makes it at most the cash handed over.
    let excess = total - due;
    Ok(if keep_excess_as_prepaid {
        SplitOutcome {
            applied,
            change: Fen::ZERO,
            prepaid: excess,
        }
    } else {
        SplitOutcome {
            applied,
            change: excess,
            prepaid: Fen::ZERO,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(method: Method, yuan: i64) -> Tender {
        Tender {
            method,
            amount: Fen::from_yuan(yuan),
        }
    }

    #[test]
    fn codes_round_trip() {
        for m in Method::ALL {
            assert_eq!(Method::from_code(m.code()), Some(m));
        }
        assert_eq!(Method::from_code("CASH"), None);
        assert_eq!(Method::from_code(""), None);
    }

    #[test]
    fn change_is_tendered_minus_due() {
        assert_eq!(change(Fen(12850), Fen(20000)), Ok(Fen(7150)));
        assert_eq!(change(Fen(12850), Fen(12850)), Ok(Fen::ZERO));
        let e = change(Fen(12850), Fen(10000)).unwrap_err();
        assert_eq!(e.key, "money.tendered_short");
        assert_eq!(e.args, vec![("short", "28.50".into())]);
        assert_eq!(change(Fen(-1), Fen(0)).unwrap_err().key, "money.negative");
        assert_eq!(change(Fen(0), Fen(-1)).unwrap_err().key, "money.negative");
    }

    #[test]
    fn card_then_cash_with_change() {
        let out = settle_split(
            Fen::from_yuan(120),
            &[t(Method::Cash, 100), t(Method::Card, 50)],
        )
        .unwrap();
        assert_eq!(
            out.applied,
            vec![
                (Method::Cash, Fen::from_yuan(70)),
                (Method::Card, Fen::from_yuan(50))
            ]
        );
        assert_eq!(out.change, Fen::from_yuan(30));
        assert_eq!(out.prepaid, Fen::ZERO);
    }

    #[test]
    fn exact_split_gives_no_change() {
        let out = settle_split(
            Fen(30000),
            &[
                t(Method::Qr, 100),
                t(Method::Cheque, 150),
                t(Method::Cash, 50),
            ],
        )
        .unwrap();
        assert_eq!(out.change, Fen::ZERO);
        assert_eq!(out.applied.iter().map(|a| a.1).sum::<Fen>(), Fen(30000));
    }

    #[test]
    fn second_cash_tender_beyond_the_bill_is_all_change() {
        let out = settle_split(
            Fen::from_yuan(80),
            &[t(Method::Cash, 100), t(Method::Cash, 50)],
        )
        .unwrap();
        assert_eq!(
            out.applied,
            vec![
                (Method::Cash, Fen::from_yuan(80)),
                (Method::Cash, Fen::ZERO)
            ]
        );
        assert_eq!(out.change, Fen::from_yuan(70));
    }

    #[test]
    fn non_cash_may_not_exceed_the_bill() {
        let e = settle_split(
            Fen::from_yuan(100),
            &[t(Method::Card, 60), t(Method::Qr, 50)],
        )
        .unwrap_err();
        assert_eq!(e.key, "money.noncash_over");
        assert_eq!(
            e.args,
            vec![("noncash", "110.00".into()), ("due", "100.00".into())]
        );
    }

    #[test]
    fn too_little_is_refused_with_the_shortfall() {
        let e = settle_split(
            Fen::from_yuan(100),
            &[t(Method::Card, 60), t(Method::Cash, 30)],
        )
        .unwrap_err();
        assert_eq!(e.key, "money.split_short");
        assert_eq!(e.args, vec![("short", "10.00".into())]);
        assert_eq!(
            settle_split(Fen(1), &[]).unwrap_err().key,
            "money.split_short"
        );
    }

    #[test]
    fn negative_and_overflowing_tenders_are_refused() {
        let neg = Tender {
            method: Method::Cash,
            amount: Fen(-1),
        };
        assert_eq!(
            settle_split(Fen(0), &[neg]).unwrap_err().key,
            "money.negative"
        );
        assert_eq!(
            settle_split(Fen(-1), &[]).unwrap_err().key,
            "money.negative"
        );
        let huge = Tender {
            method: Method::Cash,
            amount: Fen::MAX,
        };
        assert_eq!(
            settle_split(Fen(0), &[huge, huge]).unwrap_err().key,
            "money.too_large"
        );
    }

    #[test]
    fn prepay_keeps_cash_excess_on_the_account() {
        let tenders = [t(Method::Card, 50), t(Method::Cash, 100)];
        let out = settle_with_prepay(Fen::from_yuan(120), &tenders, true).unwrap();
        assert_eq!(out.change, Fen::ZERO);
        assert_eq!(out.prepaid, Fen::from_yuan(30));
        let out = settle_with_prepay(Fen::from_yuan(120), &tenders, false).unwrap();
        assert_eq!(out.change, Fen::from_yuan(30));
        assert_eq!(out.prepaid, Fen::ZERO);
    }

    #[test]
    fn prepay_allows_a_card_overpayment() {
        let out = settle_with_prepay(Fen::from_yuan(100), &[t(Method::Card, 500)], true).unwrap();
        assert_eq!(out.applied, vec![(Method::Card, Fen::from_yuan(100))]);
        assert_eq!(out.prepaid, Fen::from_yuan(400));
        assert_eq!(out.change, Fen::ZERO);
        // Paying only toward the balance: nothing due.
        let out = settle_with_prepay(Fen::ZERO, &[t(Method::Qr, 200)], true).unwrap();
        assert_eq!(out.prepaid, Fen::from_yuan(200));
    }
}
