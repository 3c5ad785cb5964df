//! Records booked whose receipt or slip never printed are shown first, at
//! sign-in and at the cashier, until printed or dismissed with a reason:
//! on the App with key scripts; the real binary killed right after a
//! payment's commit is in `pty_money`.

use crate::common::{app, clock, desk_at, keys, screen, sign_in, Scratch};
use counterdesk::desk::money::{BillPayment, TenderInput};
use counterdesk::domain::money::{CustomerClass, Fen, Method};
use counterdesk::domain::msg::Lang;
use rusqlite::Connection;

fn pay(s: &Scratch, account: &str) -> String {
    let mut desk = desk_at(&s.db(), clock());
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    if desk.read().open_shift(&session).expect("shift").is_none() {
        desk.start_shift(&session, "500").expect("open");
    }
    let bill = BillPayment {
        account_no: account.into(),
        period: "2026-11".into(),
        arrears: Fen(12_850),
        due_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 15).expect("date"),
        class: CustomerClass::Residential,
        tenders: vec![TenderInput {
            method: Method::Cash,
            amount: Fen(20_000),
            reference: None,
        }],
        keep_excess_as_prepaid: false,
        quoted: None,
    };
    desk.pay_bill(&session, &bill).expect("pay").receipt_no
}

#[test]
fn an_unprinted_receipt_comes_first_at_sign_in_and_p_prints_it() {
    let s = Scratch::new();
    let first = pay(&s, "0591000001");
    let second = pay(&s, "0591000002");
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    assert!(a.screen.is::<counterdesk::tui::unprinted::UnprintedSlips>());
    let shown = screen(&a);
    assert!(shown.contains("欢迎"), "the welcome stays: {shown}");
    let booked = clock()
        .now()
        .with_timezone(&chrono::Local)
        .format("%H:%M")
        .to_string();
    assert!(
        shown.contains(&format!(
            "{second} 128.50 元 户号 0591000002 已于 {booked} 入账，收据未打印"
        )),
        "{shown}"
    );
    // Newest first: the one a crash would have left.
    let at = |r: &str| shown.find(r).expect("listed");
    assert!(at(&second) < at(&first), "{shown}");
    assert!(shown.contains("请勿重复收费"), "{shown}");
    insta::assert_snapshot!("unprinted_at_sign_in", shown.replace(&booked, "HH:MM"));
    // P prints the selected (newest) one; it leaves the list.
    keys(&mut a, "p");
    let after = screen(&a);
    assert!(after.contains("份单据"), "{after}");
    assert!(!after.contains(&format!("{second} 128.50")), "{after}");
    assert!(after.contains(&first), "{after}");
    let c = Connection::open(s.db()).expect("db");
    let printed: i64 = c
        .query_row(
            "SELECT count(*) FROM slip WHERE kind = 'payment_receipt' AND number = ?1",
            [&second],
            |r| r.get(0),
        )
        .expect("slip");
    assert_eq!(printed, 1);
    keys(&mut a, "p");
    assert!(
        screen(&a).contains("未打印的凭证都已处理"),
        "{}",
        screen(&a)
    );
    // Esc to work; the cashier then opens straight on its entry.
    keys(&mut a, "<Esc><F6>");
    assert!(
        a.screen.is::<counterdesk::tui::cashier::Cashier>(),
        "{}",
        screen(&a)
    );
}

#[test]
fn a_dismissal_needs_a_reason_is_audited_and_ends_the_reminder() {
    let s = Scratch::new();
    let receipt = pay(&s, "0591000003");
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "d<Enter>");
    assert!(screen(&a).contains("请写明不打印的原因"), "{}", screen(&a));
    // A reason is a note: a pasted reason keeps its lines.
    a.handle_event(crossterm::event::Event::Paste(
        "客户已离开\n已手写收据".into(),
    ));
    keys(&mut a, "<Enter>");
    assert!(
        screen(&a).contains(&format!("{receipt} 不再提示")),
        "{}",
        screen(&a)
    );
    let c = Connection::open(s.db()).expect("db");
    let (subject, detail): (String, String) = c
        .query_row(
            "SELECT subject, detail FROM audit_log WHERE action = 'slip.dismissed'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("audited");
    assert_eq!(subject, receipt);
    let detail: serde_json::Value = serde_json::from_str(&detail).expect("json");
    assert_eq!(detail["reason"], "客户已离开\n已手写收据");
    // Signed in again: straight to the customers screen.
    keys(&mut a, "<Esc><F12>");
    sign_in(&mut a, "1001", "counter1001");
    assert!(
        a.screen.is::<counterdesk::tui::customers::Customers>(),
        "{}",
        screen(&a)
    );
}

#[test]
fn esc_leaves_them_for_later_and_the_cashier_shows_them_again() {
    let s = Scratch::new();
    let receipt = pay(&s, "0591000004");
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<Esc>");
    assert!(a.screen.is::<counterdesk::tui::customers::Customers>());
    keys(&mut a, "<F6>");
    assert!(
        a.screen.is::<counterdesk::tui::unprinted::UnprintedSlips>(),
        "{}",
        screen(&a)
    );
    assert!(screen(&a).contains(&receipt), "{}", screen(&a));
    // Leaving it there goes on to the cashier underneath.
    keys(&mut a, "<Esc>");
    assert!(
        a.screen.is::<counterdesk::tui::cashier::Cashier>(),
        "{}",
        screen(&a)
    );
    // Another clerk has nothing of theirs to print.
    keys(&mut a, "<Esc><F12>");
    sign_in(&mut a, "1002", "counter1002");
    assert!(
        a.screen.is::<counterdesk::tui::customers::Customers>(),
        "{}",
        screen(&a)
    );
}
