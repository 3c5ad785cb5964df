//! What a new user found on the screens, each fixed: credit codes made of
//! digits, a choice's label, a long paste into the cashier, amounts due that
//! a bill or a split tender fixes, messages that wrap instead of being cut,
//! F5 for a clerk, and a bottom bar that shows every key that works.

mod common;

use chrono::Duration;
use common::{app, keys, screen, sign_in, Scratch};
use counterdesk::domain::id::{check, DocKind, Verdict};
use counterdesk::domain::msg::Lang;
use crossterm::event::Event;

/// All-digit codes: a public institution registered by a staffing office
/// (authority 1, a Tianjin hospital) and two published enterprise codes
/// (authority 9, Shenzhen and Foshan); and a social organisation
/// registered by civil affairs (authority 5, Leshan), written the way those
/// codes are, with its GB 32100 check character.
const CREDIT_CODES: [&str; 4] = [
    "121200004013590816",
    "914403001922038216",
    "914406060621766268",
    "511100005000000071",
];

#[test]
fn all_digit_credit_codes_are_credit_codes_not_broken_resident_ids() {
    let today = common::clock().today();
    for code in CREDIT_CODES {
        let c = check(code, today);
        assert_eq!(c.kind, Some(DocKind::CreditCode), "{code}: {c:?}");
        assert_eq!(c.verdict, Verdict::Valid, "{code}: {c:?}");
    }
    // A resident ID is still a resident ID, and a wrong check character in
    // one is still reported as such.
    let id = check("11010519491231002X", today);
    assert_eq!(id.kind, Some(DocKind::ResidentId));
    let typo = check("110105194912310021", today);
    assert!(typo.verdict.is_invalid(), "{typo:?}");
    assert_eq!(typo.kind, Some(DocKind::ResidentId));
}

#[test]
fn a_public_institution_is_found_or_registered_by_its_digit_code() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "121200004013590816");
    let live = screen(&a);
    assert!(live.contains("✓ 统一社会信用代码"), "{live}");
    assert!(!live.contains("不是有效日期"), "{live}");
    keys(&mut a, "<Enter>天津市第一中心医院<Enter><Enter><Enter>");
    assert!(screen(&a).contains("客户已登记"), "{}", screen(&a));
}

#[test]
fn a_choice_shows_its_label_beside_its_number_focused_or_not() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>",
    );
    // The cursor stays on the phone number: the choice below is not focused.
    keys(&mut a, "<F3>jmxz<Enter>");
    let text = screen(&a);
    let line = text
        .lines()
        .find(|l| l.contains("申请类别"))
        .expect("the choice field");
    assert!(line.contains("1  = 新装"), "{text}");
    // A different choice typed shows its own label.
    keys(&mut a, "<Down><Down><Down><C-u>2");
    let text = screen(&a);
    let line = text
        .lines()
        .find(|l| l.contains("申请类别"))
        .expect("the choice field");
    assert!(!line.contains("= 新装"), "{text}");
    assert!(line.contains("2  = "), "{text}");
}

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
fn a_lockout_at_sign_in_is_shown_whole() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    for _ in 0..5 {
        keys(&mut a, "1001<Enter>guess<Enter><Esc>");
    }
    keys(&mut a, "1001<Enter>guess<Enter>");
    let text = screen(&a);
    assert!(text.contains("账号已锁定至"), "{text}");
    // The end of the message, past the card's width, is there too.
    assert!(text.contains("重置密码。"), "{text}");
}

#[test]
fn f5_by_a_clerk_says_only_a_duty_manager_sets_flags() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "350102199003071234<Enter>林晓东<Enter><Enter><Enter><F5>",
    );
    let text = screen(&a);
    assert!(text.contains("只有值班经理可以设置客户标记"), "{text}");
    assert!(!a.popup_open());
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
fn a_draft_whose_time_cannot_be_read_is_named_not_redated() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>",
    );
    keys(&mut a, "<F3>jmxz<Enter><Enter><Esc><Esc>");
    assert!(screen(&a).contains("未完成的受理"), "{}", screen(&a));
    rusqlite::Connection::open(s.db())
        .expect("db")
        .execute("UPDATE draft SET updated_at = 'yesterday'", [])
        .expect("update");
    // The next look-up reads the drafts again.
    keys(&mut a, "<F2>11010519491231002X<Enter><Esc>");
    let text = screen(&a);
    assert!(text.contains("保存时间无法读取（yesterday）"), "{text}");
    assert!(text.contains("王秀英"), "{text}");
}

#[test]
fn a_draft_of_a_business_no_longer_offered_is_refused_with_its_code() {
    let s = Scratch::new();
    let mut desk = common::desk_at(&s.db(), common::clock());
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    let draft = counterdesk::desk::acceptance::Draft {
        form_code: "retired_business".into(),
        ..Default::default()
    };
    match desk.check_fields(&draft) {
        Err(counterdesk::desk::acceptance::NotYet::Refused(e)) => {
            assert_eq!(e.key(), "acceptance.unknown_form");
            assert!(format!("{:?}", e.0).contains("retired_business"));
        }
        other => panic!("not refused by name: {other:?}"),
    }
    let _ = session;
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

#[test]
fn a_long_spool_path_in_the_print_message_is_shown_whole() {
    let s = Scratch::new();
    let mut config = common::config();
    let deep = s
        .path()
        .join("a-rather-long-folder-for-the-slips-of-this-hall")
        .join("and-another-level-of-it");
    config.slips.spool_dir = deep.clone();
    let desk = common::desk_with_config(&s.db(), common::clock(), config);
    let mut a = counterdesk::tui::App::new(desk, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>",
    );
    keys(
        &mut a,
        "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>      c<F10>p",
    );
    let text = screen(&a);
    // The whole message is there, wrapped: both file names, to their end.
    let flat: String = text
        .lines()
        .map(|l| l.trim_end_matches('│').trim())
        .collect();
    assert!(flat.contains("已生成 2 份单据"), "{text}");
    assert!(
        flat.contains("disclosure_notice-SL20261124-1-0001.pdf"),
        "{text}"
    );
    assert!(deep.join("2026-11-24").is_dir());
}
