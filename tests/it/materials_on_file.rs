//! Materials never asked for twice (一次报送、不复报): what a customer
//! handed in for one application goes on their file with its details, and
//! the next application takes it from there while it is valid for that
//! purpose — and asks again, saying why, when it is not.

use chrono::{TimeZone, Utc};
use counterdesk::clock::Clock;
use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;

use crate::common::cli::{out, run};
use crate::common::slips::spooled;
use crate::common::{self, keys, screen, sign_in, tick_all_and_accept, Scratch};

const WANG: &str =
    "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>";
const ID: &str = "11010519491231002X";

fn app_on(s: &Scratch, month: u32, day: u32) -> App {
    let clock = Clock::fixed(
        Utc.with_ymd_and_hms(2026, month, day, 2, 0, 0)
            .single()
            .expect("time"),
    );
    App::new(common::desk_at(&s.db(), clock), Lang::Zh)
}

/// The cursor to the first row of the checklist.
fn top(a: &mut App) {
    for _ in 0..60 {
        keys(a, "<Up>");
    }
}

fn count(s: &Scratch, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(s.db()).expect("db");
    c.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// A line of the screen holding `want`, for messages that say which row.
fn line_with<'a>(text: &'a str, want: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(want))
        .unwrap_or_else(|| panic!("no line with {want} in:\n{text}"))
}

#[test]
fn an_id_card_on_file_is_not_asked_for_again_until_it_expires() {
    let s = Scratch::new();
    let mut a = app_on(&s, 11, 24);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, WANG);
    // A new connection: the ID card's details typed from the card in hand,
    // the title deed handed in too.
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>");
    keys(&mut a, "<Down>d");
    assert!(
        screen(&a).contains("证件信息（用于档案，可留空）"),
        "{}",
        screen(&a)
    );
    keys(
        &mut a,
        &format!("{ID}<Enter>北京市公安局朝阳分局<Enter>2016-12-01<Enter>2026-12-01<Enter>"),
    );
    let text = screen(&a);
    assert!(
        text.contains("已登记“用电人有效身份证明”的证件信息"),
        "{text}"
    );
    assert!(
        text.contains("证件号码 110105********002X · 发证机关 北京市公安局朝阳分局"),
        "the number is masked on screen: {text}"
    );
    keys(&mut a, "<Down>r");
    tick_all_and_accept(&mut a);
    keys(&mut a, "<Enter>");
    // The card lists the file; the ID card runs out within the month.
    let card = screen(&a);
    assert!(card.contains("档案材料"), "{card}");
    assert!(
        line_with(&card, "用电人有效身份证明").contains("有效期至 2026-12-01")
            && line_with(&card, "用电人有效身份证明").contains("【即将到期】"),
        "{card}"
    );
    assert!(
        line_with(&card, "用电地址物权证明：限同一用电地址")
            .contains("2026-11-24 收于 SL20261124-1-0001"),
        "{card}"
    );

    // Meter verification the same week: the ID card is on file.
    keys(
        &mut a,
        "<F3>验表<Enter>0591000777<Enter><Enter><Enter>电量比去年同期高一倍<Enter><F10>",
    );
    let text = screen(&a);
    let row = line_with(&text, "户主有效身份证明");
    assert!(row.contains("◆已在档"), "{text}");
    assert!(
        text.contains("已在档（2026-11-24 收于 SL20261124-1-0001）"),
        "{text}"
    );
    tick_all_and_accept(&mut a);
    keys(&mut a, "p");
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM application_material WHERE status = 'on_file'"
        ),
        1
    );
    // Taken from the file, it is not filed a second time.
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM material_file WHERE material_id = 'applicant_id'"
        ),
        1
    );
    let pdf = spooled(&s)
        .into_iter()
        .filter(|f| f.to_string_lossy().contains("acceptance_receipt"))
        .max()
        .expect("receipt spooled");
    let pdf_text = common::pdf_text(&pdf);
    assert!(
        pdf_text.contains("（已在档）"),
        "the receipt says the ID card is on file:\n{pdf_text}"
    );
    drop(a);

    // After the card's last valid day it is asked for again, and why.
    let mut a = app_on(&s, 12, 2);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, &format!("{ID}<Enter>"));
    assert!(
        line_with(&screen(&a), "用电人有效身份证明").contains("【已过期】"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<F3>验表<Enter>");
    keys(
        &mut a,
        "<Enter>复核<Enter>0591000777<Enter><Enter><Enter>电量仍然偏高<Enter><F10>",
    );
    let text = screen(&a);
    assert!(
        text.contains("已过期 2026-12-01，请重新提供"),
        "an expired ID card is asked again with the reason:\n{text}"
    );
    assert!(!text.contains("◆已在档"), "{text}");
    // The audit binds every filed row: verify passes.
    drop(a);
    let v = run(&s, &["verify"], &[]);
    assert_eq!(v.status.code(), Some(0), "{}", out(&v));
}

#[test]
fn a_power_of_attorney_is_never_reused_and_a_title_deed_serves_its_own_address_only() {
    let s = Scratch::new();
    let mut a = app_on(&s, 11, 24);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, WANG);
    // Through an agent: the title deed, the power of attorney and the
    // agent's ID all handed in.
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>a");
    let text = screen(&a);
    assert!(text.contains("授权委托书"), "{text}");
    top(&mut a);
    keys(&mut a, "<Down><Down>r<Down>r<Down>r");
    assert!(!screen(&a).contains("○待补"), "{}", screen(&a));
    tick_all_and_accept(&mut a);
    keys(&mut a, "<Enter>");
    assert_eq!(count(&s, "SELECT count(*) FROM material_file"), 4);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM material_file WHERE keep = 'this_application'"
        ),
        2,
        "the power of attorney and the agent's ID serve their own application"
    );

    // The same address again (another application, a reason given): the
    // title deed is on file, the power of attorney asked for again.
    keys(
        &mut a,
        "<F3>jmxz<Enter><Enter>再次申请增容<Enter><Enter><Enter>12<Enter><F10>a",
    );
    let text = screen(&a);
    assert!(
        line_with(&text, "用电地址物权证明").contains("◆已在档"),
        "{text}"
    );
    assert!(line_with(&text, "授权委托书").contains("○待补"), "{text}");
    assert!(text.contains("仅限当次申请使用，请重新提供"), "{text}");
    tick_all_and_accept(&mut a);
    keys(&mut a, "<Enter>");
    // Another supply address: the deed on file is for the first one.
    keys(
        &mut a,
        "<F3>jmxz<Enter><Enter>另一处房屋<Enter><Enter>北京市海淀区中关村大街9号<Enter>8<Enter><F10>",
    );
    let text = screen(&a);
    assert!(
        line_with(&text, "用电地址物权证明").contains("○待补"),
        "{text}"
    );
    assert!(
        text.contains("在档材料用于另一用电地址（北京市朝阳区人民路1号），请重新提供"),
        "{text}"
    );
}

#[test]
fn document_details_that_cannot_be_true_are_refused_beside_their_field_and_kept() {
    let s = Scratch::new();
    let mut a = app_on(&s, 11, 24);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, WANG);
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10><Down>d");
    keys(&mut a, "<Enter><Enter>2016-12-01<Enter>2015-12-01<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("有效期至 2015-12-01 早于签发日期 2016-12-01"),
        "{text}"
    );
    assert!(text.contains("2016-12-01"), "what was typed stays: {text}");
    // The cursor stands on the expiry: typed again, it is an expired card.
    for _ in 0..10 {
        keys(&mut a, "<Backspace>");
    }
    keys(&mut a, "2026-03-01<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("证件已于 2026-03-01 过期，不能作为有效材料收取"),
        "{text}"
    );
    for _ in 0..10 {
        keys(&mut a, "<Backspace>");
    }
    keys(&mut a, "2026/13/01<Enter>");
    assert!(
        screen(&a).contains("日期“2026/13/01”无法识别"),
        "{}",
        screen(&a)
    );
    for _ in 0..10 {
        keys(&mut a, "<Backspace>");
    }
    keys(&mut a, "长期<Enter>");
    assert!(
        screen(&a).contains("已登记“用电人有效身份证明”的证件信息"),
        "{}",
        screen(&a)
    );
    // The power of attorney takes no details: it serves this application.
    keys(&mut a, "a");
    top(&mut a);
    keys(&mut a, "<Down><Down><Down>");
    assert!(
        line_with(&screen(&a), "▶").contains("授权委托书"),
        "{}",
        screen(&a)
    );
    assert!(!screen(&a).contains("D 登记证件信息"), "{}", screen(&a));
    // Nothing reached the file before acceptance.
    assert_eq!(count(&s, "SELECT count(*) FROM material_file"), 0);
}
