//! The cashier screen beyond bill payments, driven by key scripts: a
//! business fee by ticket, a cheque held and cleared, the reversal slip, a
//! duty manager's refund after the close, and the day report with its charts.

use std::path::{Path, PathBuf};

use crate::common::{keys, screen, sign_in, Scratch};
use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;
use rusqlite::Connection;

/// An App printing to a spool folder in the scratch directory (no printer).
fn app(s: &Scratch) -> App {
    let mut config = crate::common::config();
    config.slips.spool_dir = s.path().join("spool");
    let desk = crate::common::desk_with_config(&s.db(), crate::common::clock(), config.clone());
    let mut a = App::new(desk, Lang::Zh);
    a.desk.load_font_now().ok();
    a
}

/// A meter verification accepted for 张伟 by another clerk, who signs out.
fn meter_verification(a: &mut App) -> String {
    let session = a.desk.sign_in("1002", "counter1002").expect("sign in");
    let ticket = crate::common::accept_meter_verification(&mut a.desk, &session);
    a.desk
        .sign_out(&session, counterdesk::desk::auth::SignOutReason::SignOut)
        .expect("sign out");
    ticket
}

fn count(s: &Scratch, sql: &str) -> i64 {
    Connection::open(s.db())
        .expect("db")
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

fn spooled(s: &Scratch, part: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    walk(&s.path().join("spool"), &mut all);
    all.retain(|p| p.to_string_lossy().contains(part));
    all
}

#[test]
fn a_business_fee_is_taken_by_its_ticket_with_change() {
    let s = Scratch::new();
    let mut a = app(&s);
    let ticket = meter_verification(&mut a);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>200<Enter>");
    keys(&mut a, &format!("{}<Enter>", ticket.to_lowercase()));
    let text = screen(&a);
    assert!(
        text.contains("电能表校验") && text.contains("验表费") && text.contains("张伟"),
        "{text}"
    );
    // The price list sets it: the clerk types 30, the customer hands over 50.
    keys(&mut a, "30<Enter>50<Enter>");
    let text = screen(&a);
    assert!(text.contains("应收 30.00 元，找零 20.00 元"), "{text}");
    assert_eq!(
        count(&s, "SELECT count(*) FROM payment WHERE kind = 'fee' AND fee_id = 'verification' AND due_fen = 3000 AND late_fee_fen = 0"),
        1
    );
    keys(&mut a, "p");
    assert!(screen(&a).contains("已生成 1 份单据"), "{}", screen(&a));
    assert_eq!(spooled(&s, "R1-00000001").len(), 1);
    // The same fee again is refused with the earlier receipt.
    keys(&mut a, &format!("<Enter>{ticket}<Enter>"));
    assert!(
        screen(&a).contains("已缴清，收据号 R1-00000001"),
        "{}",
        screen(&a)
    );
}

#[test]
fn a_cheque_is_held_until_its_funds_are_confirmed_then_its_receipt_prints() {
    let s = Scratch::new();
    let mut a = app(&s);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>0<Enter>");
    keys(
        &mut a,
        "0591000888<Enter>12500<Enter><Down><C-u>4<Up>12500<Down><Down>ZP778899<Enter>",
    );
    let text = screen(&a);
    assert!(text.contains("支票待到账"), "{text}");
    insta::assert_snapshot!("cashier_cheque_held", text);
    keys(&mut a, "p");
    assert!(screen(&a).contains("尚未到账"), "{}", screen(&a));
    assert!(spooled(&s, "R1-00000001").is_empty());
    keys(&mut a, "<Enter><F4>");
    let text = screen(&a);
    assert!(
        text.contains("R1-00000001") && text.contains("ZP778899"),
        "{text}"
    );
    keys(&mut a, "<Enter>");
    assert!(
        screen(&a).contains("请输入银行到账凭证号"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "CR-2026-001<Enter>");
    assert!(screen(&a).contains("已到账"), "{}", screen(&a));
    keys(&mut a, "p");
    assert_eq!(spooled(&s, "R1-00000001").len(), 1, "{}", screen(&a));
    keys(&mut a, "<Enter>");
    assert_eq!(
        count(&s, "SELECT count(*) FROM cheque_hold WHERE bank_ref = 'CR-2026-001' AND confirmed_at IS NOT NULL"),
        1
    );
    keys(&mut a, "<F4>");
    assert!(screen(&a).contains("没有待到账的支票"), "{}", screen(&a));
}

#[test]
fn a_cheque_returned_unpaid_is_recorded_from_the_list_with_a_duty_manager() {
    let s = Scratch::new();
    let mut a = app(&s);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>0<Enter>");
    keys(
        &mut a,
        "0591000888<Enter>5000<Enter><Down><C-u>4<Up>5000<Down><Down>ZP1<Enter><Enter>",
    );
    // Close blind with the cheque counted, then record the return.
    keys(&mut a, "<F9>");
    for _ in 0..13 {
        keys(&mut a, "<Enter>");
    }
    keys(&mut a, "5000<Enter>");
    assert!(screen(&a).contains("已日结"), "{}", screen(&a));
    keys(
        &mut a,
        "<F4><F8>1001<Enter>counter1001<Enter>存款不足<Enter>",
    );
    assert!(screen(&a).contains("不能由本人签认"), "{}", screen(&a));
    keys(&mut a, "2001<Enter>manager2001<Enter><Enter>");
    let text = screen(&a);
    assert!(text.contains("已登记收据 R1-00000001 的支票退票"), "{text}");
    insta::assert_snapshot!("cashier_cheque_returned", text);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM payment WHERE dishonoured_at IS NOT NULL"
        ),
        1
    );
}

#[test]
fn a_reversal_prints_its_slip_and_a_refund_after_the_close_prints_its_own() {
    let s = Scratch::new();
    let mut a = app(&s);
    let ticket = meter_verification(&mut a);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>100<Enter>");
    keys(&mut a, "0591234567<Enter>128.5<Enter>200<Enter>");
    keys(&mut a, "<F8>2001<Enter>manager2001<Enter>户号输错<Enter>");
    let text = screen(&a);
    assert!(text.contains("已冲正"), "{text}");
    keys(&mut a, "p");
    assert_eq!(spooled(&s, "R1-00000001-REV").len(), 1, "{}", screen(&a));
    keys(&mut a, "<Enter>");
    // A fee by card, then the blind close with everything matching.
    keys(
        &mut a,
        &format!("{ticket}<Enter>30<Enter><Down><C-u>2<Up>30<Down><Down>POS9<Enter><Enter>"),
    );
    // 1 × 100 yuan in the drawer (the float; the reversed cash went back),
    // 30.00 on card slips.
    keys(&mut a, "<F9>1<Enter>");
    for _ in 0..10 {
        keys(&mut a, "<Enter>");
    }
    keys(&mut a, "30<Enter><Enter><Enter>");
    assert!(screen(&a).contains("已日结"), "{}", screen(&a));
    // The clerk cannot refund; the duty manager can, to 张伟's own account.
    keys(&mut a, "<F5>R1-00000002<Enter>30<Enter>6222020200012345678<Enter>张伟<Enter>验表合格以外原因<Enter>");
    assert!(screen(&a).contains("只能由值班经理"), "{}", screen(&a));
    keys(&mut a, "<Esc><Esc><F12>");
    sign_in(&mut a, "2001", "manager2001");
    keys(&mut a, "<F6>");
    assert!(screen(&a).contains("开班"), "{}", screen(&a));
    keys(&mut a, "<F5>R1-00000002<Enter>30<Enter>6222 0202 0001 2345 678<Enter>李四<Enter>表计误差超差<Enter>");
    assert!(screen(&a).contains("户名应为“张伟”"), "{}", screen(&a));
    // The cursor is back on the holder's name.
    keys(&mut a, "<C-u>张伟<Enter><Enter>");
    let text = screen(&a);
    assert!(
        text.contains("已退费 30.00 元，退费单号 T1-00000001"),
        "{text}"
    );
    keys(&mut a, "p");
    assert_eq!(spooled(&s, "T1-00000001").len(), 1, "{}", screen(&a));
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM refund WHERE holder = '张伟' AND amount_fen = 3000"
        ),
        1
    );
}

#[test]
fn f3_keeps_the_excess_on_the_account_as_prepaid_instead_of_change() {
    let s = Scratch::new();
    let mut a = app(&s);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "<F6>100<Enter>0591234567<Enter>128.5<Enter>200<F3>");
    let text = screen(&a);
    assert!(text.contains("多付的 71.50 元已存为该户预收电费"), "{text}");
    assert_eq!(
        count(
            &s,
            "SELECT balance_fen FROM prepaid_balance WHERE account_no = '0591234567'"
        ),
        7150
    );
    assert_eq!(
        count(
            &s,
            "SELECT change_fen FROM payment WHERE receipt_no = 'R1-00000001'"
        ),
        0
    );
}

#[test]
fn the_day_report_shows_every_clerk_the_totals_and_charts() {
    let s = Scratch::new();
    let mut a = app(&s);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "<F6>100<Enter>0591234567<Enter>128.5<Enter>200<Enter><Enter>",
    );
    keys(
        &mut a,
        "0591234568<Enter>300<Enter><Down><C-u>2<Up>300<Down><Down>POS1<Enter><Enter>",
    );
    keys(&mut a, "<Esc><F12>");
    sign_in(&mut a, "1002", "counter1002");
    keys(
        &mut a,
        "<F6>100<Enter>0591234569<Enter>50<Enter>50<Enter><Enter><F2>",
    );
    let text = screen(&a);
    for want in [
        "收费日报",
        "1001",
        "1002",
        "428.50",
        "478.50",
        "各方式实收",
        "各柜员实收",
    ] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    insta::assert_snapshot!("cashier_day_report", text);
    keys(&mut a, "<Left>");
    assert!(screen(&a).contains("没有收款"), "{}", screen(&a));
    keys(&mut a, "<Right><Esc>");
    assert!(screen(&a).contains("户号/受理编号"), "{}", screen(&a));
}

#[test]
fn a_qr_payment_names_its_provider_and_transaction_number() {
    let s = Scratch::new();
    let mut a = app(&s);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "<F6>100<Enter>0591234567<Enter>88<Enter><Down><C-u>3<Up>88<Down><Down>4200001234<Enter>",
    );
    let text = screen(&a);
    assert!(text.contains("扫码须写渠道和交易号"), "{text}");
    assert_eq!(count(&s, "SELECT count(*) FROM payment"), 0);
    keys(&mut a, "<C-u>wx 4200001234<Enter>");
    assert!(screen(&a).contains("收据 R1-00000001"), "{}", screen(&a));
    assert_eq!(
        count(&s, "SELECT count(*) FROM payment_tender WHERE method = 'qr' AND reference = '微信 4200001234'"),
        1
    );
}
