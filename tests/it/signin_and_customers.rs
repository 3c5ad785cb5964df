//! The real App driven by key scripts on ratatui's TestBackend, with the
//! whole screen snapshotted at 100×30 and the database checked afterwards.

use crate::common::{app, keys, screen, sign_in, Scratch};
use counterdesk::domain::msg::Lang;
use crossterm::event::Event;
use rusqlite::Connection;

const ID_F: &str = "11010519491231002X"; // female, born 1949: green channel
const ID_M: &str = "350102199003071234";

fn db(s: &Scratch) -> Connection {
    Connection::open(s.db()).expect("db")
}

fn audit_actions(s: &Scratch) -> Vec<String> {
    let c = db(s);
    let mut st = c
        .prepare("SELECT action FROM audit_log ORDER BY seq")
        .expect("prep");
    let rows = st.query_map([], |r| r.get::<_, String>(0)).expect("q");
    rows.map(|r| r.expect("row")).collect()
}

#[test]
fn sign_in_screen() {
    let s = Scratch::new();
    let a = app(&s, Lang::Zh);
    insta::assert_snapshot!("sign_in_zh", screen(&a));
}

#[test]
fn sign_in_screen_in_english() {
    let s = Scratch::new();
    let a = app(&s, Lang::En);
    insta::assert_snapshot!("sign_in_en", screen(&a));
}

#[test]
fn wrong_password_keeps_staff_number_and_says_how_many_tries_are_left() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    keys(&mut a, "1001<Enter>wrongpass<Enter>");
    assert!(a.session.is_none());
    let text = screen(&a);
    assert!(text.contains("再错 4 次账号将被锁定"), "{text}");
    assert!(text.contains("1001"), "staff number kept:\n{text}");
    insta::assert_snapshot!("sign_in_wrong_password", text);
}

#[test]
fn five_wrong_passwords_lock_for_fifteen_minutes() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::En);
    keys(&mut a, "1001<Enter>");
    for _ in 0..5 {
        keys(&mut a, "nope-nope<Enter>");
    }
    assert!(screen(&a).contains("locked until"), "{}", screen(&a));
    // Even the right password is refused while locked.
    keys(&mut a, "counter1001<Enter>");
    assert!(a.session.is_none());
    a.desk.clock().advance(chrono::Duration::minutes(16));
    keys(&mut a, "counter1001<Enter>");
    assert!(a.session.is_some(), "{}", screen(&a));
    let actions = audit_actions(&s);
    assert_eq!(
        actions.iter().filter(|x| *x == "auth.failed").count(),
        5,
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|x| *x == "auth.locked").count(),
        1,
        "{actions:?}"
    );
    assert!(
        actions.ends_with(&["auth.failures_cleared".into(), "auth.sign_in".into()]),
        "{actions:?}"
    );
}

#[test]
fn customers_screen_after_sign_in() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    insta::assert_snapshot!("customers_empty", screen(&a));
}

#[test]
fn invalid_id_is_refused_with_reason_and_text_stays() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "110105194912310021<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("110105194912310021"),
        "typed text stays:\n{text}"
    );
    assert!(text.contains("校验位应为 X"), "{text}");
    insta::assert_snapshot!("customers_invalid_id", text);
    // Correct the last character in place and look up again.
    keys(&mut a, "<Backspace>X<Enter>");
    assert!(a
        .screen
        .get::<counterdesk::tui::customers::Customers>()
        .is_some_and(|c| c.mode == counterdesk::tui::customers::Mode::Register));
}

#[test]
fn register_then_find_again() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, &format!("{ID_F}<Enter>"));
    insta::assert_snapshot!("customers_register_form", screen(&a));
    keys(
        &mut a,
        "王秀英<Enter>13800138000<Enter>北京市朝阳区人民路 1 号<Enter>",
    );
    let text = screen(&a);
    assert!(text.contains("客户已登记"), "{text}");
    assert!(text.contains("110105********002X"), "masked id:\n{text}");
    assert!(text.contains("138****8000"), "masked phone:\n{text}");
    assert!(
        text.contains("绿色通道"),
        "age 76 sets green channel:\n{text}"
    );
    assert!(!text.contains("13800138000"), "full phone never shown");
    insta::assert_snapshot!("customers_registered_card", text);

    // The database holds exactly what the screen showed.
    let c = db(&s);
    let (name, phone, addr, kind): (String, String, String, String) = c
        .query_row(
            "SELECT name, phone, address, id_kind FROM customer WHERE id_no = ?1",
            [ID_F],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("row");
    assert_eq!(
        (name.as_str(), phone.as_str(), addr.as_str(), kind.as_str()),
        (
            "王秀英",
            "13800138000",
            "北京市朝阳区人民路 1 号",
            "resident_id"
        )
    );
    let flag: String = c
        .query_row("SELECT flag FROM customer_flag", [], |r| r.get(0))
        .expect("flag");
    assert_eq!(flag, "green_channel");
    assert!(audit_actions(&s).contains(&"customer.register".to_string()));

    // New look-up: lower-case x, full-width digits and spaces all find her.
    keys(&mut a, "<F2>");
    a.handle_event(Event::Paste(
        " １１０１０５１９４９１２３１００２ｘ \n".into(),
    ));
    keys(&mut a, "<Enter>");
    let again = screen(&a);
    assert!(
        again.contains("王秀英") && again.contains("110105********002X"),
        "{again}"
    );
}

#[test]
fn registration_errors_sit_next_to_their_field_and_keep_what_was_typed() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::En);
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        &format!("{ID_M}<Enter>Li Lei<Enter>12345<Enter>Somewhere<Enter>"),
    );
    let text = screen(&a);
    assert!(text.contains("Not a phone number (5 digits)"), "{text}");
    assert!(
        text.contains("Li Lei") && text.contains("12345") && text.contains("Somewhere"),
        "{text}"
    );
    insta::assert_snapshot!("register_bad_phone_en", text);
    // Esc back to the ID and forward again keeps the typing.
    keys(&mut a, "<Esc><Enter>");
    assert!(screen(&a).contains("Li Lei"));
    let n: i64 = db(&s)
        .query_row("SELECT count(*) FROM customer", [], |r| r.get(0))
        .expect("n");
    assert_eq!(n, 0);
}

#[test]
fn suspicious_code_needs_a_duty_manager_who_is_not_the_clerk() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "2001", "manager2001");
    // A credit code with a valid alphabet but the wrong check: pilot-area code.
    let code = "91350100M000100Y42";
    keys(&mut a, &format!("{code}<Enter>"));
    let text = screen(&a);
    assert!(text.contains("证件号码存疑"), "{text}");
    insta::assert_snapshot!("customers_suspicious", text);
    keys(&mut a, "<F8>");
    insta::assert_snapshot!("signoff_popup", screen(&a));
    // The duty manager signed in cannot sign off their own work.
    keys(&mut a, "2001<Enter>manager2001<Enter>本人试签<Enter>");
    assert!(screen(&a).contains("不能由本人签认"), "{}", screen(&a));
    a.handle_key(&crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Esc,
        crossterm::event::KeyModifiers::NONE,
    ));
    let actions = audit_actions(&s);
    assert!(
        actions.contains(&"auth.signoff_refused".to_string()),
        "{actions:?}"
    );
}

#[test]
fn suspicious_code_registered_on_a_duty_managers_signoff() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    let code = "91350100M000100Y42";
    keys(&mut a, &format!("{code}<Enter><F8>"));
    // A plain clerk is not a duty manager.
    keys(&mut a, "<Enter><Enter><Enter>");
    assert!(screen(&a).contains("请写明签认理由"), "{}", screen(&a));
    keys(
        &mut a,
        "<Tab>1002<Enter>counter1002<Enter>早期试点地区代码，已核对营业执照原件<Enter>",
    );
    assert!(screen(&a).contains("不是值班经理"), "{}", screen(&a));
    // The reason stays; only the credentials are typed again.
    keys(&mut a, "<BackTab><C-u>2001<Enter>manager2001<Enter><Enter>");
    let text = screen(&a);
    assert!(text.contains("值班经理已签认"), "{text}");
    keys(&mut a, "示范电子科技有限公司<Enter><Enter><Enter>");
    let text = screen(&a);
    assert!(text.contains("客户已登记"), "{text}");
    assert!(text.contains("经值班经理签认"), "{text}");
    let (by, reason): (i64, String) = db(&s)
        .query_row(
            "SELECT id_signoff_by, id_signoff_reason FROM customer WHERE id_no = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row");
    let manager: i64 = db(&s)
        .query_row("SELECT id FROM clerk WHERE staff_no = '2001'", [], |r| {
            r.get(0)
        })
        .expect("m");
    assert_eq!(by, manager);
    assert_eq!(reason, "早期试点地区代码，已核对营业执照原件");
    let detail: String = db(&s)
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'customer.register'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert!(detail.contains("\"signoff_by\":\"2001\""), "{detail}");
}

#[test]
fn duty_manager_sets_flags_and_clerks_cannot() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, &format!("{ID_M}<Enter>林晓东<Enter><Enter><Enter>"));
    keys(&mut a, "<F5>");
    assert!(!a.popup_open(), "clerks have no flag key");
    assert!(
        !screen(&a).contains("F5"),
        "bar does not offer F5 to a clerk"
    );
    keys(&mut a, "<F12>");
    sign_in(&mut a, "2001", "manager2001");
    keys(&mut a, &format!("{ID_M}<Enter><F5>"));
    keys(&mut a, "14");
    insta::assert_snapshot!("flags_popup", screen(&a));
    keys(&mut a, "1<Esc>");
    let text = screen(&a);
    assert!(
        text.contains("有投诉记录") && !text.contains("重要客户"),
        "{text}"
    );
    let flags: Vec<String> = {
        let c = db(&s);
        let mut st = c
            .prepare("SELECT flag FROM customer_flag ORDER BY flag")
            .expect("p");
        let rows = st.query_map([], |r| r.get(0)).expect("q");
        rows.map(|r| r.expect("r")).collect()
    };
    assert_eq!(flags, vec!["complaint_history".to_string()]);
    let actions = audit_actions(&s);
    assert_eq!(
        actions.iter().filter(|x| *x == "customer.flag_set").count(),
        2
    );
    assert_eq!(
        actions
            .iter()
            .filter(|x| *x == "customer.flag_cleared")
            .count(),
        1
    );
}

#[test]
fn help_overlay_lists_the_screens_keys_from_the_keymap() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "?");
    let text = screen(&a);
    for key in ["Enter", "F2", "F8", "F1 / ?", "F12", "F11", "Ctrl+Q"] {
        assert!(text.contains(key), "{key} missing from help:\n{text}");
    }
    insta::assert_snapshot!("help_customers", text);
    keys(&mut a, "<Esc>");
    assert!(!a.popup_open());
}

#[test]
fn ten_kilobytes_pasted_are_refused_kindly() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "1101");
    a.handle_event(Event::Paste("8".repeat(10 * 1024)));
    let text = screen(&a);
    assert!(text.contains("粘贴的内容太长"), "{text}");
    assert!(text.contains("1101"), "what was typed stays:\n{text}");
    // Typed, not pasted: the field stops at its limit with a message.
    for _ in 0..100 {
        keys(&mut a, "9");
    }
    assert!(screen(&a).contains("本栏最多 64 个字符"));
    keys(&mut a, "<Enter>");
    assert!(screen(&a).contains("证件号码无效"));
}

#[test]
fn pasted_newlines_do_not_submit_and_control_characters_vanish() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    a.handle_event(Event::Paste(format!("{ID_M}\r\n")));
    // Not submitted by the pasted newline: still in look-up with the live check.
    assert!(a
        .screen
        .get::<counterdesk::tui::customers::Customers>()
        .is_some_and(|c| c.mode == counterdesk::tui::customers::Mode::Lookup
            && c.outcome == counterdesk::tui::customers::Outcome::Empty));
    assert!(screen(&a).contains("✓"), "{}", screen(&a));
}

#[test]
fn a_paste_of_several_lines_is_refused_by_a_one_line_field_and_kept_by_a_note() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, &format!("{ID_M}<Enter>"));
    a.handle_event(Event::Paste("王\n秀\n英".into()));
    let shown = screen(&a);
    assert!(
        shown.contains("粘贴的内容有 3 行，而“姓名”只能写一行"),
        "{shown}"
    );
    assert!(
        !shown.contains("王 秀 英") && !shown.contains("王秀英"),
        "{shown}"
    );
    // What a scanner sends, one line and its Enter, goes in.
    a.handle_event(Event::Paste("王秀英\r\n".into()));
    keys(&mut a, "<Enter><Enter><Enter>");
    let name: String = db(&s)
        .query_row("SELECT name FROM customer", [], |r| r.get(0))
        .expect("registered");
    assert_eq!(name, "王秀英");
}

#[test]
fn a_name_the_slips_cannot_print_asks_for_the_passports_latin_line() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "EA1234567<Enter>");
    a.handle_event(Event::Paste("محمد علي".into()));
    keys(&mut a, "<Enter><Enter><Enter>");
    let shown = screen(&a);
    assert!(shown.contains("无法打印在单据上"), "{shown}");
    assert!(shown.contains("护照姓名:"), "the field appears: {shown}");
    let n: i64 = db(&s)
        .query_row("SELECT count(*) FROM customer", [], |r| r.get(0))
        .expect("n");
    assert_eq!(n, 0, "not registered without it");
    keys(&mut a, "MOHAMMED ALI<Enter>");
    let (name, latin): (String, String) = db(&s)
        .query_row("SELECT name, name_latin FROM customer", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("registered");
    assert_eq!(
        (name.as_str(), latin.as_str()),
        ("محمد علي", "MOHAMMED ALI")
    );
    assert!(
        screen(&a).contains("护照姓名：MOHAMMED ALI"),
        "on the card: {}",
        screen(&a)
    );
    // A name the font draws needs no Latin line: the field hides again.
    keys(&mut a, &format!("<F2>{ID_M}<Enter>"));
    assert!(!screen(&a).contains("护照姓名:"), "{}", screen(&a));
}

#[test]
fn sign_out_and_switch_clerk_from_anywhere() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, &format!("{ID_M}<Enter>半截"));
    keys(&mut a, "<F11>");
    assert!(a.session.is_none());
    assert!(screen(&a).contains("张敏 已交班"), "{}", screen(&a));
    sign_in(&mut a, "1002", "counter1002");
    keys(&mut a, "<F12>");
    assert!(screen(&a).contains("陈立 已签退"));
    let actions = audit_actions(&s);
    assert_eq!(actions.iter().filter(|x| *x == "auth.sign_out").count(), 2);
    keys(&mut a, "<C-q>");
    assert!(a.quit);
}

#[test]
fn tiny_and_odd_terminal_sizes_never_panic() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::En);
    type Step = Box<dyn Fn(&mut counterdesk::tui::App)>;
    let states: Vec<Step> = vec![
        Box::new(|_| {}),
        Box::new(|a| sign_in(a, "2001", "manager2001")),
        Box::new(|a| keys(a, &format!("{ID_M}<Enter>"))),
        Box::new(|a| keys(a, "王<Enter>1<Enter>")),
        Box::new(|a| keys(a, "<Esc><F2>91350100M000100Y42<Enter><F8>")),
        Box::new(|a| keys(a, "<Esc><F1>")),
    ];
    for state in states {
        state(&mut a);
        for (w, h) in [(1, 1), (10, 5), (20, 8), (40, 12), (61, 15), (200, 60)] {
            let mut terminal =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("terminal");
            terminal.draw(|f| a.draw(f)).expect("draw");
        }
    }
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

/// Every sign-out is audited; when that write fails (a full disk), the
/// clerk is still signed out and told only the record is missing.
fn fail_sign_out_writes(s: &Scratch) {
    db(s)
        .execute_batch(
            "CREATE TRIGGER no_room BEFORE INSERT ON audit_log WHEN NEW.action = 'auth.sign_out'
             BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;",
        )
        .expect("trigger");
}

#[test]
fn a_sign_out_that_cannot_be_recorded_signs_out_and_says_only_the_record_failed() {
    let s = Scratch::new();
    let mut a = app(&s, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    fail_sign_out_writes(&s);
    keys(&mut a, "<F12>");
    assert!(a.session.is_none(), "signed out all the same");
    let shown = screen(&a);
    assert!(shown.contains("张敏 已签退，但签退记录未能保存"), "{shown}");
    // Closing the program the same way: said on the terminal afterwards.
    sign_in(&mut a, "1002", "counter1002");
    keys(&mut a, "<C-q>");
    assert!(a.quit);
    let farewell = a.farewell.as_ref().expect("something to say");
    let said = counterdesk::i18n::text(farewell, Lang::Zh);
    assert!(said.contains("陈立 已签退，但签退记录未能保存"), "{said}");
}
