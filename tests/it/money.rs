//! Money at the window through the desk on a real database: shifts, cash
//! with change, split tender, gap-free receipts, the duplicate-bill guard,
//! reversals authorised by someone else, and the blind close that freezes.

use std::collections::BTreeMap;

use crate::common::{clock, desk_at, Scratch};
use chrono::NaiveDate;
use counterdesk::desk::money::{BillPayment, Close, CloseNote, TenderInput};
use counterdesk::desk::{Credentials, Desk};
use counterdesk::domain::money::{Counted, CustomerClass, Fen, Method};
use counterdesk::domain::states::PaymentStatus;
use rusqlite::Connection;

fn bill(account: &str, period: &str, arrears: i64, tenders: Vec<TenderInput>) -> BillPayment {
    BillPayment {
        account_no: account.into(),
        period: period.into(),
        arrears: Fen(arrears),
        due_date: NaiveDate::from_ymd_opt(2026, 12, 15).expect("date"),
        class: CustomerClass::Residential,
        tenders,
        keep_excess_as_prepaid: false,
        quoted: None,
    }
}

fn cash(fen: i64) -> TenderInput {
    TenderInput {
        method: Method::Cash,
        amount: Fen(fen),
        reference: None,
    }
}

fn setup(s: &Scratch) -> (Desk, counterdesk::desk::Session) {
    let mut desk = desk_at(&s.db(), clock());
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    (desk, session)
}

#[test]
fn no_money_without_an_open_shift_and_one_shift_per_clerk() {
    let s = Scratch::new();
    let (mut desk, session) = setup(&s);
    let err = desk
        .pay_bill(
            &session,
            &bill("0591234567", "2026-11", 12850, vec![cash(20000)]),
        )
        .expect_err("no shift");
    assert_eq!(err.key(), "shift.none_open");
    desk.start_shift(&session, "¥1,000.00").expect("open");
    assert_eq!(
        desk.start_shift(&session, "500").expect_err("twice").key(),
        "shift.already_open"
    );
    assert_eq!(
        desk.start_shift(&session, "-5")
            .expect_err("negative")
            .key(),
        "money.negative"
    );
}

#[test]
fn cash_with_change_card_and_split_tender_with_gap_free_receipts() {
    let s = Scratch::new();
    let (mut desk, session) = setup(&s);
    desk.start_shift(&session, "1000").expect("open");
    let a = desk
        .pay_bill(
            &session,
            &bill("0591234567", "2026-11", 12850, vec![cash(20000)]),
        )
        .expect("cash");
    assert_eq!((a.change, a.late_fee), (Fen(7150), Fen(0)));
    let card = TenderInput {
        method: Method::Card,
        amount: Fen(30000),
        reference: Some("POS 000123".into()),
    };
    let b = desk
        .pay_bill(&session, &bill("0591234568", "2026-11", 30000, vec![card]))
        .expect("card");
    let split = vec![
        TenderInput {
            method: Method::Qr,
            amount: Fen(10000),
            reference: Some("WX 42".into()),
        },
        cash(5000),
    ];
    let c = desk
        .pay_bill(&session, &bill("0591234569", "2026-11", 14520, split))
        .expect("split");
    assert_eq!(c.change, Fen(480));
    assert_eq!(
        [
            a.receipt_no.as_str(),
            b.receipt_no.as_str(),
            c.receipt_no.as_str()
        ],
        ["R1-00000001", "R1-00000002", "R1-00000003"]
    );
    // The same bill twice is refused and names the earlier receipt.
    let again = desk
        .pay_bill(
            &session,
            &bill("0591234567", "2026-11", 12850, vec![cash(12850)]),
        )
        .expect_err("twice");
    assert_eq!(again.msg().key, "payment.already_paid");
    assert!(again.msg().args.iter().any(|(_, v)| v == "R1-00000001"));
    // A tender below what is due is refused, and takes no receipt number.
    let short = desk
        .pay_bill(
            &session,
            &bill("0591234570", "2026-11", 10000, vec![cash(9999)]),
        )
        .expect_err("short");
    assert_eq!(short.key(), "money.split_short");
    let d = desk
        .pay_bill(
            &session,
            &bill("0591234570", "2026-11", 10000, vec![cash(10000)]),
        )
        .expect("exact");
    assert_eq!(d.receipt_no, "R1-00000004", "no number skipped");
    let c2 = Connection::open(s.db()).expect("db");
    let audited: i64 = c2
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'payment.bill'",
            [],
            |r| r.get(0),
        )
        .expect("a");
    let queued: i64 = c2
        .query_row(
            "SELECT count(*) FROM outbox WHERE kind = 'payment.bill'",
            [],
            |r| r.get(0),
        )
        .expect("o");
    assert_eq!((audited, queued), (4, 4));
}

#[test]
fn late_fee_is_its_own_line_and_overpayment_becomes_prepaid() {
    let s = Scratch::new();
    let mut desk = desk_at(
        &s.db(),
        counterdesk::clock::Clock::fixed(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 25, 2, 0, 0)
                .single()
                .expect("t"),
        ),
    );
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&session, "0").expect("open");
    // Residential, 100,000.00 fen due 12-15, paid 12-25: 10 days × 1‰.
    let mut b = bill("0591234567", "2026-11", 10_000_000, vec![cash(20_000_000)]);
    b.keep_excess_as_prepaid = true;
    let paid = desk.pay_bill(&session, &b).expect("pay");
    assert_eq!(paid.late_fee, Fen(100_000));
    assert_eq!(paid.change, Fen(0));
    assert_eq!(paid.prepaid, Fen(20_000_000 - 10_000_000 - 100_000));
    assert_eq!(
        desk.read().prepaid_balance("0591234567").expect("bal"),
        paid.prepaid
    );
}

#[test]
fn the_amount_limit_and_the_late_fee_rule_come_from_configuration() {
    let s = Scratch::new();
    let mut config = crate::common::config();
    config.money.amount_limit = "500".into();
    config.money.late_fee_residential_per_mille = 2;
    config.money.late_fee_minimum = "5.00".into();
    let mut desk = crate::common::desk_with_config(
        &s.db(),
        counterdesk::clock::Clock::fixed(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 17, 2, 0, 0)
                .single()
                .expect("t"),
        ),
        config,
    );
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    assert_eq!(
        desk.start_shift(&session, "600").expect_err("float").key(),
        "money.above_limit"
    );
    desk.start_shift(&session, "100").expect("open");
    assert_eq!(
        desk.pay_bill(
            &session,
            &bill("0591234567", "2026-11", 10_000, vec![cash(60_000)])
        )
        .expect_err("tender above the limit")
        .key(),
        "money.above_limit"
    );
    // 100.00 due 12-15, paid 12-17: 2 days × 2‰ = 0.40, raised to the 5.00 minimum.
    let paid = desk
        .pay_bill(
            &session,
            &bill("0591234567", "2026-11", 10_000, vec![cash(20_000)]),
        )
        .expect("pay");
    assert_eq!(paid.late_fee, Fen(500));
    assert_eq!(paid.change, Fen(20_000 - 10_500));
}

#[test]
fn a_bad_money_setting_is_refused_with_the_key_and_an_example() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("site.toml");
    std::fs::write(&file, "[money]\namount_limit = \"lots\"\n").expect("write");
    let err = counterdesk::config::load(&counterdesk::config::Overrides {
        config_file: Some(file),
        ..Default::default()
    })
    .expect_err("refused");
    let text = format!("{} {}", err.source, err.detail);
    assert!(
        text.contains("money.amount_limit") && text.contains("1000000.00"),
        "{text}"
    );
}

#[test]
fn reversal_needs_someone_else_and_a_reason() {
    let s = Scratch::new();
    let (mut desk, session) = setup(&s);
    desk.start_shift(&session, "100").expect("open");
    let paid = desk
        .pay_bill(
            &session,
            &bill("0591234567", "2026-11", 12850, vec![cash(12850)]),
        )
        .expect("pay");
    // The clerk cannot authorise their own reversal.
    let me = desk
        .reverse_payment(
            &session,
            &paid.receipt_no,
            &Credentials::new("1001", "counter1001"),
            "客户刷错卡",
        )
        .expect_err("self");
    assert_eq!(me.key(), "auth.self_signoff");
    let manager = Credentials::new("2001", "manager2001");
    assert_eq!(
        desk.reverse_payment(&session, &paid.receipt_no, &manager, " ")
            .expect_err("reason")
            .key(),
        "payment.reason_needed"
    );
    let reversed = desk
        .reverse_payment(&session, &paid.receipt_no, &manager, "客户刷错卡")
        .expect("reverse");
    assert_eq!(
        (
            reversed.payment.receipt_no.as_str(),
            reversed.payment.status
        ),
        ("R1-00000001", PaymentStatus::Reversed)
    );
    // The account was never cut off: no reconnection to call off.
    assert!(!reversed.reconnection_cancelled);
    assert_eq!(
        desk.reverse_payment(&session, &paid.receipt_no, &manager, "again")
            .expect_err("twice")
            .key(),
        "payment.already_reversed"
    );
    // The bill can now be paid again, under a new number.
    let again = desk
        .pay_bill(
            &session,
            &bill("0591234567", "2026-11", 12850, vec![cash(12850)]),
        )
        .expect("repay");
    assert_eq!(again.receipt_no, "R1-00000002");
}

#[test]
fn blind_close_with_over_short_needs_a_note_and_freezes_the_shift() {
    let s = Scratch::new();
    let (mut desk, session) = setup(&s);
    desk.start_shift(&session, "1000").expect("open");
    desk.pay_bill(
        &session,
        &bill("0591234567", "2026-11", 12850, vec![cash(20000)]),
    )
    .expect("cash");
    let card = TenderInput {
        method: Method::Card,
        amount: Fen(30000),
        reference: Some("POS 1".into()),
    };
    desk.pay_bill(&session, &bill("0591234568", "2026-11", 30000, vec![card]))
        .expect("card");
    let shift = desk
        .read()
        .open_shift(&session)
        .expect("q")
        .expect("open")
        .id;
    // Expected cash: 1000.00 float + 200.00 tendered − 71.50 change = 1128.50; counted 1128.00.
    let counted = Counted {
        cash: Fen(112800),
        by_method: BTreeMap::from([(Method::Card, Fen(30000))]),
    };
    let lines = match desk.close_shift(&session, &counted, None).expect("close") {
        Close::NeedsNote(lines) => lines,
        other => panic!("closed without a note: {other:?}"),
    };
    let cash_line = lines
        .iter()
        .find(|l| l.method == Method::Cash)
        .expect("cash line");
    assert_eq!(
        (cash_line.expected, cash_line.counted, cash_line.over_short),
        (Fen(112850), Fen(112800), Fen(-50))
    );
    assert_eq!(
        lines
            .iter()
            .find(|l| l.method == Method::Card)
            .expect("card")
            .over_short,
        Fen(0)
    );
    let note = CloseNote {
        manager: Credentials::new("2001", "manager2001"),
        text: "短款 0.50 元，已登记".into(),
    };
    match desk
        .close_shift(&session, &counted, Some(&note))
        .expect("close")
    {
        Close::Closed(_) => {}
        other => panic!("{other:?}"),
    }
    assert!(desk.read().open_shift(&session).expect("q").is_none());
    let receipts = desk.read().shift_receipts(shift).expect("receipts");
    assert_eq!(
        receipts
            .iter()
            .map(|r| (r.receipt_no.as_str(), r.status))
            .collect::<Vec<_>>(),
        [
            ("R1-00000001", PaymentStatus::Paid),
            ("R1-00000002", PaymentStatus::Paid)
        ]
    );
    // Frozen: not even plain SQL can change a payment or the shift now.
    let c = Connection::open(s.db()).expect("db");
    assert!(c
        .execute(
            "UPDATE payment SET status = 'reversed' WHERE shift_id = ?1",
            [shift]
        )
        .is_err());
    assert!(c
        .execute("UPDATE shift SET float_fen = 0 WHERE id = ?1", [shift])
        .is_err());
    assert!(c
        .execute("DELETE FROM payment WHERE shift_id = ?1", [shift])
        .is_err());
    // And a reversal after the close is refused with the reason.
    desk.start_shift(&session, "0").expect("next shift");
    let late = desk
        .reverse_payment(&session, "R1-00000001", &note.manager, "x")
        .expect_err("closed");
    assert_eq!(late.key(), "payment.not_in_open_shift");
}
