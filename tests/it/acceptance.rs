//! One-window acceptance driven through the real App with key scripts:
//! the keystroke budget, the disclosure rule, the duplicate guard, drafts
//! surviving interruptions, returning customers, and the database holding
//! exactly what the screens showed.

use crate::common::{app, keys, screen, sign_in, Scratch};
use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;
use rusqlite::Connection;

const ID: &str = "11010519491231002X";

fn db(s: &Scratch) -> Connection {
    Connection::open(s.db()).expect("db")
}

fn count(s: &Scratch, sql: &str) -> i64 {
    db(s).query_row(sql, [], |r| r.get(0)).expect("count")
}

/// Signs in 1001 and registers 王秀英 with phone and address.
fn customer_on_screen(s: &Scratch) -> App {
    let mut a = app(s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        &format!("{ID}<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>"),
    );
    assert!(screen(&a).contains("客户已登记"), "{}", screen(&a));
    a
}

/// The menu number of a business type for the customer on screen.
fn menu_number(a: &App, code: &str) -> usize {
    let Some(c) = a.screen.get::<counterdesk::tui::customers::Customers>() else {
        panic!("not on customers")
    };
    let card = c.card().expect("card");
    a.desk
        .business_menu(card)
        .iter()
        .position(|f| f.code == code)
        .expect("offered")
        + 1
}

/// Sends keys one by one, counting them.
fn counted(a: &mut App, script: &str, n: &mut usize) {
    let mut rest = script;
    while !rest.is_empty() {
        let len = if rest.starts_with('<') {
            rest.find('>').map(|i| i + 1).unwrap_or(1)
        } else {
            rest.chars().next().map(char::len_utf8).unwrap_or(1)
        };
        keys(a, &rest[..len]);
        *n += 1;
        rest = &rest[len..];
    }
}

#[test]
fn residential_new_install_in_at_most_fifteen_keystrokes_beyond_the_data() {
    let s = Scratch::new();
    let mut a = customer_on_screen(&s);
    let number = menu_number(&a, "lv_residential_new").to_string();
    let mut control = 0usize;
    let mut data = 0usize;
    counted(&mut a, "<F3>", &mut control);
    counted(&mut a, &format!("{number}<Enter>"), &mut control);
    // Phone and address come from the customer record: Enter confirms each.
    counted(&mut a, "<Enter><Enter>", &mut control);
    counted(&mut a, "8", &mut data); // capacity, kW
    counted(&mut a, "<Enter>", &mut control);
    // Application type defaults to new install; F10 goes to disclosure.
    counted(&mut a, "<F10>", &mut control);
    insta::assert_snapshot!("checklist_residential", screen(&a));
    // Explain section by section, the commitment letter signed, accept.
    counted(&mut a, "      ", &mut control);
    counted(&mut a, "c<F10>", &mut control);
    let text = screen(&a);
    assert!(
        text.contains("已受理，受理编号 SL20261124-1-0001"),
        "{text}"
    );
    insta::assert_snapshot!("accepted_residential", text);
    assert!(control <= 15, "{control} keystrokes beyond the data");
    println!("residential new install: {control} keystrokes beyond {data} typed");

    // The database holds exactly what the screens showed.
    let c = db(&s);
    let (ticket, owner, accepted_by, fields, signed, version): (String, String, String, String, i64, String) = c
        .query_row(
            "SELECT a.ticket_no, o.staff_no, b.staff_no, a.fields, a.commitment_signed, a.form_version
             FROM application a JOIN clerk o ON o.id = a.owner JOIN clerk b ON b.id = a.accepted_by",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .expect("application");
    assert_eq!(ticket, "SL20261124-1-0001");
    assert_eq!((owner.as_str(), accepted_by.as_str()), ("1001", "1001"));
    let fields: serde_json::Value = serde_json::from_str(&fields).expect("json");
    assert_eq!(fields["requested_capacity_kw"], "8");
    assert_eq!(fields["contact_mobile"], "13800138000");
    assert_eq!(fields["application_kind"], "new_install");
    assert_eq!(signed, 1);
    assert_eq!(version, "2025.1");
    let steps: Vec<(String, Option<String>, String)> = {
        let mut st = c
            .prepare("SELECT step_id, due_date, status FROM application_step ORDER BY seq")
            .expect("p");
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("q");
        rows.map(|r| r.expect("r")).collect()
    };
    assert_eq!(
        steps,
        vec![
            (
                "accept_and_sign".into(),
                Some("2026-11-25".into()),
                "current".into()
            ),
            (
                "build_and_connect".into(),
                Some("2026-12-01".into()),
                "pending".into()
            ),
        ]
    );
    let materials: Vec<(String, String, Option<String>)> = {
        let mut st = c
            .prepare("SELECT material_id, status, due_date FROM application_material ORDER BY seq")
            .expect("p");
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("q");
        rows.map(|r| r.expect("r")).collect()
    };
    assert_eq!(materials[0].1, "received", "{materials:?}");
    assert_eq!(
        materials[1],
        (
            "address_rights".into(),
            "owed".into(),
            Some("2026-12-01".into())
        ),
        "{materials:?}"
    );
    let disclosed = count(&s, "SELECT count(*) FROM disclosure");
    assert!(disclosed >= 10, "{disclosed}");
    assert_eq!(
        count(&s, "SELECT count(DISTINCT disclosed_by) FROM disclosure"),
        1
    );
    assert_eq!(count(&s, "SELECT count(*) FROM form_snapshot"), 1);
    assert_eq!(
        count(&s, "SELECT count(*) FROM draft"),
        0,
        "the draft goes with the acceptance"
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM audit_log WHERE action = 'application.accept'"
        ),
        1
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM outbox WHERE kind = 'application.accept'"
        ),
        1
    );

    // Back on the card: the open application with its step and what is owed.
    keys(&mut a, "<Enter>");
    let card = screen(&a);
    assert!(
        card.contains("SL20261124-1-0001") && card.contains("待补材料 1 项（最近截止 2026-12-01）"),
        "{card}"
    );
}

#[test]
fn nothing_is_accepted_until_every_item_is_ticked() {
    let s = Scratch::new();
    let mut a = customer_on_screen(&s);
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>");
    keys(&mut a, "<F10>");
    assert!(screen(&a).contains("项未告知"), "{}", screen(&a));
    keys(&mut a, "     ");
    keys(&mut a, "<F10>");
    assert!(
        screen(&a).contains("还有 1 项未告知") || screen(&a).contains("项未告知"),
        "{}",
        screen(&a)
    );
    keys(&mut a, " <F10>");
    assert!(
        screen(&a).contains("请客户签署《一证受理承诺书》"),
        "{}",
        screen(&a)
    );
    assert_eq!(count(&s, "SELECT count(*) FROM application"), 0);
    // Marking the owed material as received removes the need for the letter.
    keys(&mut a, "<Up>"); // commitment row → last contact; walk up to the material
    for _ in 0..40 {
        keys(&mut a, "<Up>");
    }
    keys(&mut a, "<Down><Down>r<F10>");
    assert!(screen(&a).contains("已受理"), "{}", screen(&a));
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM application_material WHERE status = 'owed'"
        ),
        0
    );
    assert_eq!(count(&s, "SELECT commitment_signed FROM application"), 0);
}

#[test]
fn field_errors_sit_beside_their_field_and_keep_the_typing() {
    let s = Scratch::new();
    let mut a = customer_on_screen(&s);
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>500<Enter>");
    let text = screen(&a);
    assert!(text.contains("不能大于 100"), "{text}");
    assert!(text.contains("500"), "{text}");
    insta::assert_snapshot!("fields_error", text);
    keys(&mut a, "<Backspace><Backspace>");
    a.handle_event(crossterm::event::Event::Paste("9".repeat(10 * 1024)));
    assert!(screen(&a).contains("粘贴的内容太长"), "{}", screen(&a));
    keys(&mut a, "<Enter>");
    assert!(!screen(&a).contains("不能大于"), "{}", screen(&a));
}

#[test]
fn duplicate_guard_shows_the_open_application_and_records_the_reason() {
    let s = Scratch::new();
    let mut a = customer_on_screen(&s);
    let accept = "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>      c<F10>";
    keys(&mut a, accept);
    keys(&mut a, "<Enter><F3>jmxz<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("该客户已有同类在办业务") && text.contains("SL20261124-1-0001"),
        "{text}"
    );
    keys(&mut a, "<Enter>");
    assert!(
        screen(&a).contains("如确需再次受理，请填写原因"),
        "{}",
        screen(&a)
    );
    keys(
        &mut a,
        "另一处房屋同时报装<Enter><Enter><Enter>6<Enter><F10>      c<F10>",
    );
    assert!(screen(&a).contains("SL20261124-1-0002"), "{}", screen(&a));
    let reason: String = db(&s)
        .query_row(
            "SELECT duplicate_reason FROM application WHERE ticket_no = 'SL20261124-1-0002'",
            [],
            |r| r.get(0),
        )
        .expect("reason");
    assert_eq!(reason, "另一处房屋同时报装");
}

#[test]
fn an_unfinished_acceptance_survives_esc_sign_out_and_a_power_cut() {
    let s = Scratch::new();
    {
        let mut a = customer_on_screen(&s);
        keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>12.5<Enter>");
        keys(&mut a, "<Esc><Esc>");
        assert!(a.screen.is::<counterdesk::tui::customers::Customers>());
        assert!(screen(&a).contains("未完成的受理"), "{}", screen(&a));
        // The power goes: the App is dropped without signing out.
    }
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let text = screen(&a);
    assert!(
        text.contains("未完成的受理：王秀英 110105********002X"),
        "{text}"
    );
    keys(&mut a, &format!("{ID}<Enter><F3>"));
    assert!(screen(&a).contains("（有草稿）"), "{}", screen(&a));
    keys(&mut a, "jmxz<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("12.5") && text.contains("已恢复未完成的受理草稿"),
        "{text}"
    );
    // Another clerk does not see it.
    keys(&mut a, "<F12>");
    sign_in(&mut a, "1002", "counter1002");
    assert!(!screen(&a).contains("未完成的受理"));
}

#[test]
fn organisations_are_offered_organisation_business_only() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "91350100M000100Y43<Enter>示范电子科技有限公司<Enter><Enter><Enter><F3>",
    );
    let menu = screen(&a);
    assert!(!menu.contains("低压居民新装"), "{menu}");
    assert!(
        menu.contains("高压新装") && menu.contains("低压非居民新装"),
        "{menu}"
    );
    keys(&mut a, "zzzz");
    assert!(screen(&a).contains("没有匹配的业务类型"), "{}", screen(&a));
}

#[test]
fn returning_customer_hands_in_material_and_the_case_is_handed_over() {
    let s = Scratch::new();
    let mut a = customer_on_screen(&s);
    keys(
        &mut a,
        "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>      c<F10><Enter>",
    );
    keys(&mut a, "<F4>");
    let text = screen(&a);
    assert!(
        text.contains("待补交：用电地址物权证明") && text.contains("首问负责人 1001 张敏"),
        "{text}"
    );
    insta::assert_snapshot!("applications_open", text);
    keys(&mut a, "r1");
    assert!(screen(&a).contains("已登记补交材料"), "{}", screen(&a));
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM application_material WHERE status = 'owed'"
        ),
        0
    );
    keys(&mut a, "h9999<Enter>调岗<Enter>");
    assert!(
        screen(&a).contains("没有工号为 9999 的柜员"),
        "{}",
        screen(&a)
    );
    // A trainer or an administrator cannot work a case.
    for (staff_no, name) in [("3001", "王芳"), ("9001", "赵磊")] {
        keys(&mut a, &format!("<Esc>h{staff_no}<Enter>调岗<Enter>"));
        let shown = screen(&a);
        assert!(
            shown.contains(&format!("{staff_no} {name} 不是柜员或值班经理")),
            "{shown}"
        );
        assert!(!shown.contains("已移交给"), "{shown}");
    }
    keys(&mut a, "<Esc>h1002<Enter>现场勘查由陈立跟进<Enter>");
    assert!(screen(&a).contains("已移交给 1002 陈立"), "{}", screen(&a));
    let (owner, reason): (String, String) = db(&s)
        .query_row(
            "SELECT c.staff_no, h.reason FROM application a JOIN clerk c ON c.id = a.owner JOIN application_handover h ON h.application_id = a.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("handover");
    assert_eq!(
        (owner.as_str(), reason.as_str()),
        ("1002", "现场勘查由陈立跟进")
    );
    keys(&mut a, "<Esc>");
    assert!(screen(&a).contains("待补材料 0 项"), "{}", screen(&a));
    for action in ["application.material_received", "application.hand_over"] {
        assert_eq!(
            count(
                &s,
                &format!("SELECT count(*) FROM audit_log WHERE action = '{action}'")
            ),
            1,
            "{action}"
        );
    }
}

#[test]
fn english_checklist() {
    let s = Scratch::new();
    let mut a = customer_on_screen(&s);
    a.lang = Lang::En;
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>");
    let text = screen(&a);
    assert!(
        text.contains("1. Materials")
            && text.contains("may follow within 5 working days, by 2026-12-01"),
        "{text}"
    );
}

/// Ticks every section (Space on each heading) until all items are explained.
fn tick_everything(a: &mut App) {
    for _ in 0..12 {
        let text = screen(a);
        if let Some(pos) = text.find("已告知 ") {
            let rest = &text[pos + "已告知 ".len()..];
            let (done, all) = rest
                .split_once('/')
                .map(|(d, r)| (d.to_string(), r.split(' ').next().unwrap_or("").to_string()))
                .unwrap_or_default();
            if !done.is_empty() && done == all {
                return;
            }
        }
        keys(a, " ");
    }
    panic!("could not tick everything:\n{}", screen(a));
}

#[test]
fn high_voltage_new_install_for_an_organisation() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "91350100M000100Y43<Enter>示范电子科技有限公司<Enter><Enter><Enter>",
    );
    keys(&mut a, "<F3>gyxz<Enter>");
    assert!(screen(&a).contains("高压新装"), "{}", screen(&a));
    keys(&mut a, "陈工<Enter>13912345678<Enter>福州市鼓楼区软件大道89号<Enter><C-u>1<Enter><Enter><Enter>800<Enter><Enter>软件和信息技术服务业<Enter><F10>");
    assert!(screen(&a).contains("一、申请材料"), "{}", screen(&a));
    insta::assert_snapshot!("checklist_hv_new", screen(&a));
    tick_everything(&mut a);
    keys(&mut a, "c<F10>");
    let text = screen(&a);
    assert!(text.contains("已受理，受理编号"), "{text}");
    insta::assert_snapshot!("accepted_hv_new", text);
    let c = db(&s);
    let (code, fields): (String, String) = c
        .query_row("SELECT form_code, fields FROM application", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("app");
    assert_eq!(code, "hv_new");
    let fields: serde_json::Value = serde_json::from_str(&fields).expect("json");
    assert_eq!(fields["requested_capacity_kva"], "800");
    assert_eq!(fields["voltage_level"], "kv10");
    assert_eq!(fields["supply_sources"], "single");
    // Steps that start from a later event (the customer's request, a passed
    // inspection) have no date yet; the screen says so.
    let undated = count(
        &s,
        "SELECT count(*) FROM application_step WHERE due_date IS NULL",
    );
    assert!(undated >= 1, "{undated}");
    assert!(text.contains("时限自后续环节起算"), "{text}");
}

#[test]
fn suspension_for_a_person_with_an_account() {
    let s = Scratch::new();
    let mut a = customer_on_screen(&s);
    keys(&mut a, "<F3>暂停<Enter>");
    assert!(screen(&a).contains("暂停"), "{}", screen(&a));
    keys(&mut a, "0591 2345 6789<Enter><Enter>空调机组<Enter>50<Enter>2026年12月1日<Enter>2027-03-01<Enter>1<Enter><F10>");
    assert!(screen(&a).contains("一、申请材料"), "{}", screen(&a));
    tick_everything(&mut a);
    keys(&mut a, "c<F10>");
    let text = screen(&a);
    assert!(text.contains("已受理，受理编号"), "{text}");
    insta::assert_snapshot!("accepted_suspension", text);
    let fields: String = db(&s)
        .query_row("SELECT fields FROM application", [], |r| r.get(0))
        .expect("fields");
    let fields: serde_json::Value = serde_json::from_str(&fields).expect("json");
    assert_eq!(fields["account_no"], "059123456789");
    assert_eq!(fields["start_date"], "2026-12-01");
    assert_eq!(fields["contact_mobile"], "13800138000");
}

#[test]
fn every_shipped_business_type_loads_and_plans_today() {
    let s = Scratch::new();
    let a = customer_on_screen(&s);
    let codes: Vec<&str> = a.desk.forms().iter().map(|f| f.code.as_str()).collect();
    for code in [
        "lv_residential_new",
        "lv_nonresidential_new",
        "hv_new",
        "hv_temporary",
        "capacity_reduction",
        "suspension",
        "resumption",
        "rename",
        "transfer",
        "closure",
        "tariff_change",
        "meter_relocation",
        "meter_verification",
        "pv_connection",
        "ev_charging",
        "household_size_tariff",
        "complaint",
        "opinion",
    ] {
        assert!(codes.contains(&code), "{code} is not shipped: {codes:?}");
    }
    let Some(c) = a.screen.get::<counterdesk::tui::customers::Customers>() else {
        panic!()
    };
    let card = c.card().expect("card");
    for f in a.desk.forms() {
        if f.applicant
            .contains(&counterdesk::domain::form::ApplicantKind::Person)
        {
            let (plan, items) = a.desk.disclosure(card, &f.code, false).expect("plan");
            assert!(!plan.steps.is_empty(), "{}", f.code);
            assert!(
                items
                    .iter()
                    .any(|i| i.section == counterdesk::domain::disclosure::Section::Rights),
                "{}",
                f.code
            );
        }
    }
}

#[test]
fn a_due_date_past_the_calendar_is_shown_as_an_estimate() {
    let s = Scratch::new();
    let late = counterdesk::clock::Clock::fixed(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 28, 2, 0, 0)
            .single()
            .expect("t"),
    );
    let mut a = App::new(crate::common::desk_at(&s.db(), late), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        &format!("{ID}<Enter>王秀英<Enter>13800138000<Enter>北京<Enter>"),
    );
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>");
    let text = screen(&a);
    assert!(text.contains("（估算）"), "{text}");
    keys(&mut a, "      c<F10>");
    assert!(screen(&a).contains("已受理"), "{}", screen(&a));
    assert!(
        count(
            &s,
            "SELECT count(*) FROM application_step WHERE due_estimated = 1"
        ) >= 1
    );
}

#[test]
fn a_draft_is_discarded_from_the_menu_only_on_a_second_f8() {
    let s = Scratch::new();
    let mut a = customer_on_screen(&s);
    // A draft of 居民新装: the first field typed, then back to the card.
    keys(&mut a, "<F3>jmxz<Enter><Enter><Esc><Esc>");
    assert_eq!(count(&s, "SELECT count(*) FROM draft"), 1);
    assert!(screen(&a).contains("未完成的受理"), "{}", screen(&a));

    keys(&mut a, "<F3>jmxz");
    let menu = screen(&a);
    assert!(menu.contains("（有草稿）"), "{menu}");
    assert!(menu.contains("F8 丢弃草稿"), "the bar offers F8:\n{menu}");
    // Once: asked, nothing gone; another key keeps it.
    keys(&mut a, "<F8>");
    assert!(screen(&a).contains("再按 F8 确认"), "{}", screen(&a));
    keys(&mut a, "<Down><Up><F8>");
    assert_eq!(
        count(&s, "SELECT count(*) FROM draft"),
        1,
        "kept without a second F8"
    );
    // Twice in a row: gone, and the menu says so.
    keys(&mut a, "<F8>");
    let text = screen(&a);
    assert!(
        text.contains("“低压居民新装（增容）”的草稿已丢弃"),
        "{text}"
    );
    assert!(!text.contains("（有草稿）"), "{text}");
    assert!(!text.contains("F8 丢弃草稿"), "no draft, no F8:\n{text}");
    assert_eq!(count(&s, "SELECT count(*) FROM draft"), 0);
    // The card lists no draft, and choosing the business starts afresh.
    keys(&mut a, "<Esc>");
    assert!(!screen(&a).contains("未完成的受理"), "{}", screen(&a));
    keys(&mut a, "<F3>jmxz<Enter>");
    assert!(!screen(&a).contains("已恢复"), "{}", screen(&a));
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
    let mut desk = crate::common::desk_at(&s.db(), crate::common::clock());
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    let draft = counterdesk::desk::acceptance::Draft {
        form_code: "retired_business".into(),
        ..Default::default()
    };
    match desk.check_fields(&draft) {
        Err(counterdesk::desk::acceptance::NotYet::Refused(e)) => {
            assert_eq!(e.key(), "acceptance.unknown_form");
            assert!(format!("{:?}", e.msg()).contains("retired_business"));
        }
        other => panic!("not refused by name: {other:?}"),
    }
    let _ = session;
}
