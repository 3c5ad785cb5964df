//! What the cashier takes as typed: a long paste refused with the field
//! kept, amounts due fixed by a bill or a split tender, the late fee shown
//! as charged across midnight, the bottom bar, and a database error named.

use crate::common::{app, keys, screen, sign_in, Scratch};
use chrono::Duration;
use counterdesk::domain::msg::Lang;
use crossterm::event::Event;

fn cashier_open(s: &Scratch) -> counterdesk::tui::App {
    let mut a = app(s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>1000<Enter>");
    assert!(screen(&a).contains("已开班"), "{}", screen(&a));
    a
}

#[test]
fn ten_kilobytes_pasted_into_a_cashier_field_are_refused_and_the_field_kept() {
    let s = Scratch::new();
    let mut a = cashier_open(&s);
    keys(&mut a, "0591234567");
    a.handle_event(Event::Paste("8".repeat(10 * 1024)));
    let text = screen(&a);
    assert!(text.contains("粘贴的内容太长（10240 个字符）"), "{text}");
    assert!(text.contains("0591234567"), "{text}");
    assert!(!text.contains("05912345678"), "{text}");
}

#[test]
fn a_split_tender_fixes_the_amount_due_and_nothing_is_suggested_below_zero() {
    let s = Scratch::new();
    let mut a = cashier_open(&s);
    // 1,000.00 due; 1,000.00 by QR first.
    keys(
        &mut a,
        "0591234567<Enter>1000<Enter><Down><C-u>3<Up>1000<Down><Down>微信 4200001234567<F7>",
    );
    assert!(
        screen(&a).contains("扫码支付 1,000.00 元"),
        "{}",
        screen(&a)
    );
    // The amount due cannot be changed now: typing over it is refused.
    keys(&mut a, "<Up><Up><C-u>400");
    let text = screen(&a);
    assert!(text.contains("应收金额不能再改"), "{text}");
    assert!(!text.contains("-592.00"), "{text}");
    let due_line = text.lines().find(|l| l.contains("应收金额")).expect("due");
    assert!(due_line.contains("1000"), "{text}");
    let handed = text
        .lines()
        .find(|l| l.contains("收款金额"))
        .expect("amount");
    assert!(!handed.contains('-'), "{text}");
}

#[test]
fn a_bill_from_the_list_is_paid_as_listed_and_typing_over_it_is_refused() {
    let s = Scratch::new();
    let mut a = cashier_open(&s);
    a.desk
        .import_bills(
            "bills.csv",
            b"account_no,period,arrears,due_date,class\n0591000003,2026-10,128.50,2026-11-20,residential\n",
            None,
        )
        .expect("import");
    keys(&mut a, "0591000003<Enter>");
    assert!(
        screen(&a).contains("已调出 2026-10 期电费"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<Up>9");
    let text = screen(&a);
    assert!(text.contains("以总部 2026-10 期账单为准"), "{text}");
    let due_line = text.lines().find(|l| l.contains("应收金额")).expect("due");
    assert!(
        due_line.contains("128.50") && !due_line.contains("128.509"),
        "{text}"
    );
    // What the screen shows is what the desk charges, late fee included.
    keys(&mut a, "<Down>200<Enter>");
    let text = screen(&a);
    assert!(text.contains("收据 R1-00000001"), "{text}");
}

#[test]
fn the_late_fee_shown_is_the_one_charged_even_across_midnight() {
    let s = Scratch::new();
    let mut a = cashier_open(&s);
    // 1,000.00 of other-class arrears due 2026-11-20: four days late today.
    keys(
        &mut a,
        "0591234567<Enter>1000<Enter><Down><Down><Down><Down>",
    );
    keys(&mut a, "<C-u>2026-11-20<Enter><C-u>2<Enter>");
    let shown = screen(&a);
    assert!(shown.contains("违约金 8.00 元 = 1,008.00 元"), "{shown}");
    // Midnight passes before the customer hands the money over.
    a.desk.clock().advance(Duration::hours(22));
    keys(&mut a, "2000<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("应收金额已变化：刚才显示 1,008.00 元"),
        "{text}"
    );
    assert!(!text.contains("收据 R1-"), "{text}");
    // Told, the clerk presses Enter again and the new total is taken.
    keys(&mut a, "<C-u>2000<Enter>");
    assert!(screen(&a).contains("收据 R1-00000001"), "{}", screen(&a));
}

#[test]
fn the_bar_shows_every_key_that_works_in_the_cashier() {
    let s = Scratch::new();
    let a = cashier_open(&s);
    let text = screen(&a);
    let bar: String = text.lines().rev().take(2).collect::<Vec<_>>().join("\n");
    for key in [
        "F2 日报",
        "F4 支票到账",
        "F5 退费",
        "F3 转预收",
        "F11 换人",
        "Ctrl+Q 退出",
    ] {
        assert!(bar.contains(key), "{key} missing from the bar:\n{bar}");
    }
}

#[test]
fn a_database_error_looking_for_the_shift_is_said_not_taken_for_no_shift() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    rusqlite::Connection::open(s.db())
        .expect("db")
        .execute_batch("ALTER TABLE shift RENAME TO shift_elsewhere")
        .expect("rename");
    keys(&mut a, "<F6>");
    let text = screen(&a);
    assert!(text.contains("数据库出错"), "{text}");
    assert!(!text.contains("开班：录入备用金"), "{text}");
}
