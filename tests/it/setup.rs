//! The hall's set-up: an administrator signing in to a hall not yet set up
//! is walked through the form; each answer is checked at its field, HQ and
//! the printer are tried on the spot, and the site file is written with its
//! comments kept and the token in a file of its own. `counterdesk setup`
//! in a real terminal takes administrators only.

use std::os::unix::fs::PermissionsExt;

use counterdesk::config::{self, Overrides};
use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;

use crate::common::hq::{fresh_store, issue_token, Hq, Kind};
use crate::common::term::Term;
use crate::common::{clock, desk_with_config, keys, screen, sign_in, Scratch};

/// An app whose site file (not there yet) is in the scratch folder.
fn app(s: &Scratch) -> App {
    let mut c = crate::common::config();
    c.site_file = Some(s.path().join("config.toml"));
    c.hall_made = false;
    App::new(desk_with_config(&s.db(), clock(), c), Lang::Zh)
}

/// Replaces the focused field's text.
fn retype(a: &mut App, text: &str) {
    keys(a, &format!("<End><C-u>{text}"));
}

#[test]
fn a_clerk_is_never_asked_but_an_administrator_is_walked_through_the_set_up() {
    let s = Scratch::new();
    let mut a = app(&s);
    sign_in(&mut a, "1001", "counter1001");
    assert!(!screen(&a).contains("营业厅设置"), "{}", screen(&a));
    keys(&mut a, "<F12>");

    sign_in(&mut a, "9001", "admin9001");
    let shown = screen(&a);
    assert!(shown.contains("营业厅设置"), "{shown}");
    assert!(shown.contains("营业厅名称"), "{shown}");
    assert!(
        shown.contains("国网示范供电营业厅"),
        "the settings as they stand: {shown}"
    );
    // Esc: later, back to work, nothing written.
    keys(&mut a, "<Esc>");
    assert!(!screen(&a).contains("营业厅名称"), "{}", screen(&a));
    assert!(!s.path().join("config.toml").exists());
}

#[test]
fn answers_are_checked_tried_on_the_spot_and_written_with_comments_kept() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "CD-SETUP");
    let hq = Hq::start(&store);
    let mut a = app(&s);
    sign_in(&mut a, "9001", "admin9001");
    // Hall name, English name, address, phone.
    retype(&mut a, "福州鼓楼供电营业厅");
    keys(&mut a, "<Tab>");
    retype(&mut a, "Gulou Power Supply Hall");
    keys(&mut a, "<Tab>");
    retype(&mut a, "福州市鼓楼区五四路 100 号");
    keys(&mut a, "<Tab>");
    retype(&mut a, "12345");
    keys(&mut a, "<F2>");
    let shown = screen(&a);
    assert!(shown.contains("电话") && shown.contains("5"), "{shown}");
    assert!(
        !s.path().join("config.toml").exists(),
        "a refused answer writes nothing"
    );
    // The cursor is on the phone: what was typed elsewhere is still there.
    assert!(shown.contains("福州鼓楼供电营业厅"), "{shown}");
    retype(&mut a, "0591-87000000");
    // Window, duty manager and their phone.
    keys(&mut a, "<Tab>");
    retype(&mut a, "3");
    keys(&mut a, "<Tab>");
    retype(&mut a, "林芳");
    keys(&mut a, "<Tab>");
    retype(&mut a, "13900000000");
    // The printer, tried with a test page on the CUPS test queue.
    keys(&mut a, "<Tab>");
    retype(&mut a, "counterdesk-pdf");
    keys(&mut a, "<F5>");
    assert!(
        screen(&a).contains("测试页已发送到 counterdesk-pdf"),
        "{}",
        screen(&a)
    );
    // HQ: a wrong token is said, the right one accepted.
    keys(&mut a, "<Tab>");
    retype(&mut a, &hq.url());
    keys(&mut a, "<Tab>");
    retype(&mut a, "not-the-token");
    keys(&mut a, "<F6>");
    assert!(screen(&a).contains("测试未通过"), "{}", screen(&a));
    // The cursor waits on the token, the one refused.
    retype(&mut a, &token);
    keys(&mut a, "<F6>");
    assert!(screen(&a).contains("已连通，令牌有效"), "{}", screen(&a));
    // The practice-room switch wants yes or no.
    keys(&mut a, "<Tab><Tab><Tab>");
    retype(&mut a, "也许");
    keys(&mut a, "<F2>");
    assert!(screen(&a).contains("请写“是”或“否”"), "{}", screen(&a));
    retype(&mut a, "否");
    keys(&mut a, "<F2>");
    let shown = screen(&a);
    assert!(shown.contains("已保存到"), "{shown}");

    // The file: the shipped comments kept, the answers in, the token apart.
    let file = s.path().join("config.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("# The hall, as printed on slips") || text.contains("# Database file."),
        "{text}"
    );
    assert!(text.contains("name = \"福州鼓楼供电营业厅\""), "{text}");
    assert!(
        !text.contains(&token),
        "the token is not in the configuration file"
    );
    let token_file = s.path().join("hq.token");
    assert_eq!(std::fs::read_to_string(&token_file).unwrap().trim(), token);
    let mode = std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // It loads as a start loads it, and says the hall is set.
    let loaded = config::load(&Overrides {
        config_file: Some(file.clone()),
        ..Overrides::default()
    })
    .expect("the written file loads");
    assert!(loaded.hall_made);
    assert_eq!(loaded.hall.window, "3");
    assert_eq!(loaded.hall.duty_manager_phone, "13900000000");
    assert_eq!(loaded.slips.printer, "counterdesk-pdf");
    assert_eq!(loaded.hq.url, hq.url());
    assert_eq!(loaded.hq.token().unwrap(), token);
    assert!(!loaded.lab.only);
    // Audited, without the token.
    let detail: String = rusqlite::Connection::open(s.db())
        .unwrap()
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'config.setup'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        detail.contains("hq_token_changed") && !detail.contains(&token),
        "{detail}"
    );
}

#[test]
fn counterdesk_setup_takes_an_administrator_only_and_ends_when_left() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("setup.db");
    let conf = dir.path().join("config.toml");
    std::fs::write(&conf, "# ours\nlanguage = \"zh\"\n").unwrap();
    let (db_arg, conf_arg) = (
        db.to_string_lossy().into_owned(),
        conf.to_string_lossy().into_owned(),
    );
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--db", &db_arg, "--config", &conf_arg, "init"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let mut t = Term::start(&[
        "--lang", "zh", "--db", &db_arg, "--config", &conf_arg, "setup",
    ]);
    t.wait_for("请以系统管理员登录");
    t.send("1001\r");
    t.send("counter1001\r");
    t.wait_for("不是系统管理员");
    t.send("9001\r");
    t.send("admin9001\r");
    t.wait_for("营业厅名称");
    t.send("\x1b");
    let status = t.child.wait().expect("exit");
    assert!(status.success());
    assert_eq!(
        std::fs::read_to_string(&conf).unwrap(),
        "# ours\nlanguage = \"zh\"\n",
        "left without saving: nothing written"
    );
}
