//! The cashier screen driven by key scripts: open a shift, a cash bill
//! payment counted in keystrokes, split tender, a reversal with a duty
//! manager, and the blind close with an over/short note.

use crate::common::{app, keys, screen, sign_in, Scratch};
use counterdesk::domain::msg::Lang;
use rusqlite::Connection;

fn count(s: &Scratch, sql: &str) -> i64 {
    Connection::open(s.db())
        .expect("db")
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

#[test]
fn a_cash_bill_payment_with_change_in_few_keystrokes() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>");
    assert!(screen(&a).contains("开班：录入备用金"), "{}", screen(&a));
    keys(&mut a, "1000<Enter>");
    assert!(screen(&a).contains("已开班"), "{}", screen(&a));
    insta::assert_snapshot!("cashier_entry", screen(&a));
    // Keystrokes beyond the data typed (account, amount due, amount handed over).
    let mut control = 0;
    for (data, key) in [
        ("0591234567", "<Enter>"),
        ("128.5", "<Enter>"),
        ("200", "<Enter>"),
    ] {
        keys(&mut a, data);
        keys(&mut a, key);
        control += 1;
    }
    let text = screen(&a);
    assert!(
        text.contains("收据 R1-00000001：收您 200.00 元，应收 128.50 元，找零 71.50 元"),
        "{text}"
    );
    insta::assert_snapshot!("cashier_paid", text);
    let with_f6 = control + 1;
    assert!(
        with_f6 <= 6,
        "{with_f6} keystrokes beyond the amounts typed"
    );
    keys(&mut a, "<Enter>");
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM payment WHERE status = 'paid' AND change_fen = 7150"
        ),
        1
    );
}

#[test]
fn split_tender_reversal_and_blind_close_through_the_screen() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>500<Enter>");
    // 145.20 due: 100.00 by QR (reference), the rest in cash with change.
    keys(
        &mut a,
        "0591234569<Enter>145.2<Enter><Down><C-u>3<Up>100<Down><Down>WX 42<F7>",
    );
    keys(&mut a, "<Up>50<Enter>");
    let text = screen(&a);
    assert!(text.contains("找零 4.80 元"), "{text}");
    keys(&mut a, "<Enter>");
    // Reversal: the clerk cannot authorise it; the duty manager can.
    keys(
        &mut a,
        "<F8>R1-00000001<Enter>1001<Enter>counter1001<Enter>自己授权<Enter>",
    );
    assert!(screen(&a).contains("不能由本人签认"), "{}", screen(&a));
    keys(
        &mut a,
        "<Esc><F8>R1-00000001<Enter>2001<Enter>manager2001<Enter>客户要求改刷卡<Enter>",
    );
    assert!(screen(&a).contains("已冲正"), "{}", screen(&a));
    // Enter goes on (P would print the reversal slip).
    keys(&mut a, "<Enter>");
    // Pay again by cash, then close blind: 5×100 + 2×50 + 2×20 = 640.00 counted against 500 + 145.20 = 645.20.
    keys(&mut a, "0591234569<Enter>145.2<Enter>145.2<Enter><Enter>");
    keys(&mut a, "<F9>5<Enter>2<Enter>2<Enter>");
    for _ in 0..11 {
        keys(&mut a, "<Enter>");
    }
    let text = screen(&a);
    assert!(text.contains("实点 640.00 元，长短款 -5.20 元"), "{text}");
    insta::assert_snapshot!("cashier_close_short", text);
    keys(&mut a, "2001<Enter>manager2001<Enter>点钞有误已复核<Enter>");
    assert!(screen(&a).contains("已日结"), "{}", screen(&a));
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM shift WHERE status = 'closed' AND note = '点钞有误已复核'"
        ),
        1
    );
    assert_eq!(
        count(&s, "SELECT count(*) FROM payment WHERE status = 'reversed'"),
        1
    );
}

#[test]
fn with_hq_bill_list_loaded_a_cash_payment_is_account_enter_amount_enter() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    let csv = "account_no,period,arrears,due_date,class\n0591234567,2026-10,128.50,2026-12-15,residential\n";
    a.desk
        .import_bills("bills-20261124.csv", csv.as_bytes(), None)
        .expect("import");
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>1000<Enter>");
    let mut control = 1; // F6
    keys(&mut a, "0591234567");
    keys(&mut a, "<Enter>");
    control += 1;
    let text = screen(&a);
    assert!(
        text.contains("已调出 2026-10 期电费") && text.contains("128.50"),
        "{text}"
    );
    keys(&mut a, "200");
    keys(&mut a, "<Enter>");
    control += 1;
    let text = screen(&a);
    assert!(
        text.contains("收您 200.00 元，应收 128.50 元，找零 71.50 元"),
        "{text}"
    );
    keys(&mut a, "p");
    control += 1;
    assert!(
        control <= 6,
        "{control} keystrokes beyond the amounts, receipt included"
    );
    // The bill is now paid: the next look-up finds nothing open.
    assert!(a
        .desk
        .read()
        .open_bills("0591234567")
        .expect("bills")
        .is_empty());
}

#[test]
fn an_account_without_a_bill_from_hq_is_said_so_with_what_to_do() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>1000<Enter>0591999999<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("户号 0591999999 没有总部下发的未缴账单") && text.contains("应收"),
        "{text}"
    );
    // The clerk may still type what is due: the cursor is on it.
    keys(&mut a, "50<Enter>50<Enter>");
    assert!(screen(&a).contains("找零 0.00 元"), "{}", screen(&a));
}
