//! Business fees against their application, cheques held until the funds
//! are confirmed, refunds after the close by a duty manager to the
//! customer's own account, and the reversal and refund slips read back.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::common::slips::pdftotext;
use crate::common::{clock, Scratch};
use counterdesk::desk::fees::FeePayment;
use counterdesk::desk::money::{BillPayment, Close, TenderInput};
use counterdesk::desk::refunds::RefundRequest;
use counterdesk::desk::slips::{Printed, Produced, SlipOrder};
use counterdesk::desk::{Credentials, Desk};
use counterdesk::domain::money::{Counted, CustomerClass, Fen, Method};

/// The one slip a print produced.
fn one(p: Printed) -> Produced {
    p.produced.into_iter().next().expect("a slip")
}

const FONT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/NotoSansCJKsc-Regular.otf"
);

fn desk(s: &Scratch) -> Desk {
    let mut config = crate::common::config();
    config.slips.spool_dir = s.path().join("spool");
    config.slips.font = PathBuf::from(FONT);
    crate::common::desk_with_config(&s.db(), clock(), config)
}

fn tender(method: Method, fen: i64, reference: Option<&str>) -> TenderInput {
    TenderInput {
        method,
        amount: Fen(fen),
        reference: reference.map(str::to_string),
    }
}

/// The 2026-10 bill of `account`, due 2026-12-31.
fn bill(
    account: &str,
    arrears: i64,
    class: CustomerClass,
    tenders: Vec<TenderInput>,
) -> BillPayment {
    BillPayment {
        account_no: account.into(),
        period: "2026-10".into(),
        arrears: Fen(arrears),
        due_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("d"),
        class,
        tenders,
        keep_excess_as_prepaid: false,
        quoted: None,
    }
}

#[test]
fn a_fee_is_taken_only_as_disclosed_once_and_its_receipt_names_the_business() {
    let s = Scratch::new();
    let mut desk = desk(&s);
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let ticket = crate::common::accept_meter_verification(&mut desk, &clerk);
    desk.start_shift(&clerk, "500").expect("open");

    let due = desk.fees_due(&ticket.to_lowercase()).expect("fees");
    assert_eq!(due.ticket_no, ticket);
    assert_eq!(due.customer, "张伟");
    assert_eq!(due.business.zh, "电能表校验");
    assert_eq!(due.fees.len(), 1, "{:?}", due.fees);
    assert_eq!(
        (due.fees[0].id.as_str(), due.fees[0].fixed),
        ("verification", None)
    );

    let pay = |amount: i64, fee: &str, tenders: Vec<TenderInput>| FeePayment {
        ticket_no: ticket.clone(),
        fee_id: fee.into(),
        amount: Fen(amount),
        tenders,
    };
    // A fee the form did not disclose, and a price-list fee without its amount.
    assert_eq!(
        desk.pay_fee(
            &clerk,
            &pay(5000, "connection", vec![tender(Method::Cash, 5000, None)])
        )
        .expect_err("not disclosed")
        .key(),
        "fee.not_chargeable"
    );
    assert_eq!(
        desk.pay_fee(
            &clerk,
            &pay(0, "verification", vec![tender(Method::Cash, 0, None)])
        )
        .expect_err("no amount")
        .key(),
        "fee.amount_needed"
    );
    let paid = desk
        .pay_fee(
            &clerk,
            &pay(3000, "verification", vec![tender(Method::Cash, 5000, None)]),
        )
        .expect("fee");
    assert_eq!((paid.change, paid.held), (Fen(2000), false));
    let again = desk
        .pay_fee(
            &clerk,
            &pay(3000, "verification", vec![tender(Method::Cash, 3000, None)]),
        )
        .expect_err("twice");
    assert_eq!(again.key(), "fee.already_paid");
    assert_eq!(
        desk.fees_due(&ticket).expect("fees").fees[0]
            .paid
            .as_deref(),
        Some(paid.receipt_no.as_str())
    );
    // Residential new installs carry no charge: nothing is offered.
    let p = desk
        .print(&clerk, SlipOrder::Receipt(&paid.receipt_no))
        .map(one)
        .expect("receipt");
    let text = pdftotext(&p.file);
    for want in [
        "业务费收据",
        &ticket,
        "电能表校验",
        "验表费",
        "张伟",
        "30.00",
        "找零",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    assert!(!text.contains("违约金"), "{text}");
    let c = rusqlite::Connection::open(s.db()).expect("db");
    let (kind, fee, audit): (String, String, i64) = c
        .query_row(
            "SELECT p.kind, p.fee_id, (SELECT count(*) FROM audit_log WHERE action = 'payment.fee' AND subject = p.receipt_no)
             FROM payment p WHERE p.receipt_no = ?1",
            [&paid.receipt_no],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("row");
    assert_eq!(
        (kind.as_str(), fee.as_str(), audit),
        ("fee", "verification", 1)
    );
}

#[test]
fn a_cheque_holds_the_receipt_until_the_funds_are_confirmed() {
    let s = Scratch::new();
    let mut desk = desk(&s);
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&clerk, "0").expect("open");
    let paid = desk
        .pay_bill(
            &clerk,
            &bill(
                "0591000888",
                1_250_000,
                CustomerClass::Other,
                vec![tender(Method::Cheque, 1_250_000, Some("支票 10203040"))],
            ),
        )
        .expect("cheque");
    assert!(paid.held);
    assert_eq!(
        desk.print(&clerk, SlipOrder::Receipt(&paid.receipt_no))
            .map(one)
            .expect_err("held")
            .key(),
        "cheque.receipt_held"
    );
    let held = desk.read().held_cheques().expect("held");
    assert_eq!(held.len(), 1);
    assert_eq!(
        (
            held[0].receipt_no.as_str(),
            held[0].amount,
            held[0].cheque_no.as_deref()
        ),
        (
            paid.receipt_no.as_str(),
            Fen(1_250_000),
            Some("支票 10203040")
        )
    );
    assert_eq!(
        desk.confirm_cheque(&clerk, &paid.receipt_no, " ")
            .expect_err("no ref")
            .key(),
        "cheque.bank_ref_needed"
    );
    // The bill counts as paid while the cheque waits: no second payment.
    assert!(desk
        .pay_bill(
            &clerk,
            &bill(
                "0591000888",
                1_250_000,
                CustomerClass::Other,
                vec![tender(Method::Cash, 1_250_000, None)]
            ),
        )
        .is_err());
    // Close the shift first: confirmation usually comes after it.
    let counted = Counted {
        cash: Fen(0),
        by_method: BTreeMap::from([(Method::Cheque, Fen(1_250_000))]),
    };
    assert!(matches!(
        desk.close_shift(&clerk, &counted, None).expect("close"),
        Close::Closed(_)
    ));
    // Nothing is refunded on a cheque that has not cleared.
    let manager = desk.sign_in("2001", "manager2001").expect("manager");
    let refund = RefundRequest {
        receipt: paid.receipt_no.clone(),
        amount: "100".into(),
        bank_account: "6222020200012345678".into(),
        holder: "某某".into(),
        reason: "多缴".into(),
    };
    assert_eq!(
        desk.refund(&manager, &refund)
            .expect_err("not cleared")
            .key(),
        "refund.cheque_not_cleared"
    );
    desk.confirm_cheque(&clerk, &paid.receipt_no, "BANK-CR-778899")
        .expect("confirm");
    assert!(
        desk.refund(&manager, &refund).is_ok(),
        "cleared: refundable"
    );
    assert!(desk.read().held_cheques().expect("held").is_empty());
    assert_eq!(
        desk.confirm_cheque(&clerk, &paid.receipt_no, "again")
            .expect_err("twice")
            .key(),
        "cheque.not_held"
    );
    let p = desk
        .print(&clerk, SlipOrder::Receipt(&paid.receipt_no))
        .map(one)
        .expect("receipt now");
    let text = pdftotext(&p.file);
    assert!(
        text.contains("支票") && text.contains("12,500.00"),
        "{text}"
    );
}

#[test]
fn refunds_after_the_close_only_by_a_duty_manager_to_the_customers_own_account() {
    let s = Scratch::new();
    let mut desk = desk(&s);
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let ticket = crate::common::accept_meter_verification(&mut desk, &clerk);
    desk.start_shift(&clerk, "100").expect("open");
    let paid = desk
        .pay_fee(
            &clerk,
            &FeePayment {
                ticket_no: ticket.clone(),
                fee_id: "verification".into(),
                amount: Fen(3000),
                tenders: vec![tender(Method::Card, 3000, Some("POS 5566"))],
            },
        )
        .expect("fee");
    let request = |amount: &str, account: &str, holder: &str| RefundRequest {
        receipt: paid.receipt_no.clone(),
        amount: amount.into(),
        bank_account: account.into(),
        holder: holder.into(),
        reason: "校验误差超差，退还验表费".into(),
    };
    let good = request("30", "6222 0202 0001 2345 678", "张伟");
    // A clerk cannot refund at all; a duty manager not while the shift is open.
    assert_eq!(
        desk.refund(&clerk, &good).expect_err("clerk").key(),
        "refund.duty_manager_only"
    );
    let manager = desk.sign_in("2001", "manager2001").expect("manager");
    assert_eq!(
        desk.refund(&manager, &good).expect_err("open").key(),
        "refund.shift_open"
    );
    let counted = Counted {
        cash: Fen(10000),
        by_method: BTreeMap::from([(Method::Card, Fen(3000))]),
    };
    assert!(matches!(
        desk.close_shift(&clerk, &counted, None).expect("close"),
        Close::Closed(_)
    ));
    for (bad, key) in [
        (
            request("30", "6222 0202 0001 2345 678", "李四"),
            "refund.not_own_account",
        ),
        (
            request("30.01", "6222020200012345678", "张伟"),
            "refund.too_much",
        ),
        (request("30", "12345", "张伟"), "refund.bank_account_bad"),
        (
            request("-1", "6222020200012345678", "张伟"),
            "money.negative",
        ),
        (
            RefundRequest {
                reason: " ".into(),
                ..good.clone()
            },
            "refund.reason_needed",
        ),
    ] {
        assert_eq!(desk.refund(&manager, &bad).expect_err(key).key(), key);
    }
    let first = desk
        .refund(&manager, &request("10", "6222 0202 0001 2345 678", "张伟"))
        .expect("part");
    assert_eq!(
        (first.refund_no.as_str(), first.amount),
        ("T1-00000001", Fen(1000))
    );
    assert_eq!(desk.refundable(&paid.receipt_no).expect("left"), Fen(2000));
    let second = desk
        .refund(&manager, &request("20", "6222020200012345678", "张伟"))
        .expect("rest");
    assert_eq!(second.refund_no, "T1-00000002");
    assert_eq!(
        desk.refund(&manager, &request("0.01", "6222020200012345678", "张伟"))
            .expect_err("nothing left")
            .key(),
        "refund.too_much"
    );
    // The frozen shift is untouched; the refunds stand beside it, final.
    let c = rusqlite::Connection::open(s.db()).expect("db");
    let status: String = c
        .query_row(
            "SELECT status FROM payment WHERE receipt_no = ?1",
            [&paid.receipt_no],
            |r| r.get(0),
        )
        .expect("status");
    assert_eq!(status, "paid");
    assert!(
        c.execute("DELETE FROM refund", []).is_err(),
        "refunds are final"
    );
    assert!(c.execute("UPDATE refund SET amount_fen = 1", []).is_err());
    let audited: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'payment.refund'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 2);
    let detail: String = c
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'payment.refund' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("detail");
    assert!(
        !detail.contains("6222020200012345678"),
        "full bank account in the audit: {detail}"
    );
    let slip = desk
        .print(&manager, SlipOrder::Refund(&first.refund_no))
        .map(one)
        .expect("refund slip");
    let text = pdftotext(&slip.file);
    for want in [
        "退费凭证",
        "T1-00000001",
        &paid.receipt_no,
        "10.00",
        "张伟",
        "6222 **** 5678",
        "校验误差超差",
        "值班经理",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    assert_eq!(
        desk.print(&manager, SlipOrder::Refund(&first.refund_no))
            .map(one)
            .expect_err("second copy")
            .key(),
        "slips.reprint_needs_manager"
    );
}

#[test]
fn a_reversal_slip_says_what_went_back_who_authorised_it_and_why() {
    let s = Scratch::new();
    let mut desk = desk(&s);
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&clerk, "100").expect("open");
    let paid = desk
        .pay_bill(
            &clerk,
            &bill(
                "0591000999",
                12850,
                CustomerClass::Residential,
                vec![tender(Method::Cash, 20000, None)],
            ),
        )
        .expect("pay");
    assert_eq!(
        desk.print(&clerk, SlipOrder::Reversal(&paid.receipt_no))
            .map(one)
            .expect_err("not reversed")
            .key(),
        "payment.not_reversed"
    );
    let by = Credentials::new("2001", "manager2001");
    desk.reverse_payment(&clerk, &paid.receipt_no, &by, "户号输错")
        .expect("reverse");
    let slip = desk
        .print(&clerk, SlipOrder::Reversal(&paid.receipt_no))
        .map(one)
        .expect("slip");
    assert!(slip.file.to_string_lossy().contains("-REV"));
    let text = pdftotext(&slip.file);
    for want in [
        "冲正单",
        &paid.receipt_no,
        "128.50",
        "户号输错",
        "工号 2001",
        "已冲正",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // The reprint path knows the reversal slip by its number, and wants a duty manager.
    assert_eq!(
        desk.reprint(&clerk, &format!("{}-REV", paid.receipt_no), None, None)
            .expect_err("reprint")
            .key(),
        "slips.reprint_needs_manager"
    );
    let again = desk
        .reprint(&clerk, &format!("{}-REV", paid.receipt_no), Some(&by), None)
        .expect("reprint with manager");
    assert!(pdftotext(&again.produced[0].file).contains("REPRINT"));
}

#[test]
fn a_cheque_returned_unpaid_after_the_close_reopens_the_bill_and_voids_the_receipt() {
    let s = Scratch::new();
    let mut desk = desk(&s);
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&clerk, "0").expect("open");
    let bill = |tenders| bill("0591000888", 500_000, CustomerClass::Other, tenders);
    let paid = desk
        .pay_bill(
            &clerk,
            &bill(vec![tender(Method::Cheque, 500_000, Some("ZP 1"))]),
        )
        .expect("cheque");
    let manager = Credentials::new("2001", "manager2001");
    // Within the shift the payment is reversed instead.
    assert_eq!(
        desk.dishonour_cheque(&clerk, &paid.receipt_no, &manager, "存款不足")
            .expect_err("open shift")
            .key(),
        "cheque.reverse_in_shift"
    );
    let counted = Counted {
        cash: Fen(0),
        by_method: BTreeMap::from([(Method::Cheque, Fen(500_000))]),
    };
    assert!(matches!(
        desk.close_shift(&clerk, &counted, None).expect("close"),
        Close::Closed(_)
    ));
    assert_eq!(
        desk.dishonour_cheque(&clerk, &paid.receipt_no, &manager, " ")
            .expect_err("no reason")
            .key(),
        "cheque.reason_needed"
    );
    // A fee opens no reconnection, so none is called off.
    assert!(!desk
        .dishonour_cheque(&clerk, &paid.receipt_no, &manager, "存款不足")
        .expect("dishonour"));
    assert!(desk.read().held_cheques().expect("held").is_empty());
    for again in [
        desk.dishonour_cheque(&clerk, &paid.receipt_no, &manager, "再次")
            .map(|_| ()),
        desk.confirm_cheque(&clerk, &paid.receipt_no, "CR-1"),
    ] {
        assert_eq!(again.expect_err("nothing waits").key(), "cheque.not_held");
    }
    assert_eq!(
        desk.print(&clerk, SlipOrder::Receipt(&paid.receipt_no))
            .map(one)
            .expect_err("void")
            .key(),
        "cheque.receipt_dishonoured"
    );
    // The frozen shift still lists it, as returned; the bill is open again.
    let shift = desk
        .read()
        .shift_receipts(1)
        .expect("receipts")
        .into_iter()
        .find(|r| r.receipt_no == paid.receipt_no)
        .expect("listed");
    assert!(shift.dishonoured && !shift.held);
    assert_eq!(
        desk.read().open_bills("0591000888").expect("bills").len(),
        0,
        "no HQ list here"
    );
    desk.start_shift(&clerk, "0").expect("next shift");
    let again = desk
        .pay_bill(&clerk, &bill(vec![tender(Method::Cash, 500_000, None)]))
        .expect("paid again in cash");
    assert_ne!(again.receipt_no, paid.receipt_no);
    let c = rusqlite::Connection::open(s.db()).expect("db");
    let audited: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'cheque.dishonour' AND subject = ?1",
            [&paid.receipt_no],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 1);
    let day = desk.day_report(desk.clock().today()).expect("report");
    assert_eq!(day.dishonoured, (1, Fen(500_000)));
    assert!(day
        .after_the_close()
        .iter()
        .any(|m| m.key == "report.dishonoured"));
    // Nothing else in the closed shift can change.
    assert!(c
        .execute(
            "UPDATE payment SET due_fen = 1 WHERE receipt_no = ?1",
            [&paid.receipt_no]
        )
        .is_err());
    assert!(c
        .execute(
            "UPDATE payment SET dishonoured_at = NULL WHERE receipt_no = ?1",
            [&paid.receipt_no]
        )
        .is_err());
}
