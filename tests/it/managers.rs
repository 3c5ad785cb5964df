//! The customer manager (客户经理制): every case gets the manager of the
//! service grid its supply address lies in — HQ's table first, else the
//! hall's own file — printed on the slips, shown on the card, the case and
//! the queue, kept through a hand-over, and changed only with a reason.

use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;

use crate::common::cli::{out, run};
use crate::common::hq::{fresh_store, issue_token, publish, Counter, Hq, Kind};
use crate::common::slips::spooled;
use crate::common::{self, keys, screen, sign_in, tick_all_and_accept, Scratch};

const WANG: &str =
    "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>";

const GRID_FILE: &str = r#"# The hall's own service grid table.
[[grid]]
code = "L-01"
name = "人民路网格"
manager = "李娜"
phone = "13900001111"
streets = ["人民路", "解放路"]

[[grid]]
code = "L-02"
name = "人民路北段网格"
manager = "王强"
phone = "010-65001234"
streets = ["人民路北段"]
"#;

fn one(db: &std::path::Path, sql: &str) -> (String, String, Option<String>) {
    let c = rusqlite::Connection::open(db).expect("db");
    c.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect(sql)
}

#[test]
fn the_case_gets_the_manager_of_hqs_grid_prints_it_and_keeps_it_through_a_hand_over() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-MGR");
    let hq = Hq::start(&store);
    publish(
        &store,
        &s,
        r#"[
 {"kind":"grid","grid":"G-07","name":"人民路网格","manager":"王五","phone":"0591-22223333","streets":["人民路","解放路"]},
 {"kind":"grid","grid":"G-08","name":"朝阳人民路网格","manager":"赵六","phone":"0591-44445555","streets":["朝阳区人民路"]}
]"#,
    );
    let c = Counter::new(&s, "C-MGR", &hq.url(), &token);
    let mut desk = c.desk();
    assert_eq!(desk.pull_from_hq().expect("pull"), 2);
    // HQ's table wins over the hall's own.
    let local = s.path().join("grid.toml");
    std::fs::write(&local, GRID_FILE).unwrap();
    let cfg = counterdesk::config::Config {
        service_grid: local,
        ..desk.config().clone()
    };
    let desk = desk.with_grids(counterdesk::load::grids::load(&cfg).expect("grids"));
    let mut a = App::new(desk, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, WANG);
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>");
    let text = screen(&a);
    assert!(
        text.contains("您的客户经理：赵六（0591-44445555）"),
        "the more specific street of HQ's grid: {text}"
    );
    keys(&mut a, "<Down><Down>r");
    tick_all_and_accept(&mut a);
    assert!(screen(&a).contains("您的客户经理：赵六"), "{}", screen(&a));
    keys(&mut a, "p");
    let pdf = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("acceptance_receipt"))
        .expect("receipt spooled");
    let pdf_text = common::pdf_text(&pdf);
    assert!(
        pdf_text.contains("您的客户经理") && pdf_text.contains("赵六 · 电话 0591-44445555"),
        "{pdf_text}"
    );
    keys(&mut a, "<Enter>");
    assert!(
        screen(&a).contains("您的客户经理：赵六（0591-44445555）"),
        "the card shows the case's manager: {}",
        screen(&a)
    );
    let (name, source, _) = one(&c.db, "SELECT name, source, reason FROM case_manager");
    assert_eq!((name.as_str(), source.as_str()), ("赵六", "hq"));
    // A hand-over to a colleague keeps the manager.
    let ticket: String = rusqlite::Connection::open(&c.db)
        .unwrap()
        .query_row("SELECT ticket_no FROM application", [], |r| r.get(0))
        .unwrap();
    let session = a.desk.sign_in("1001", "counter1001").expect("sign in");
    let app = a
        .desk
        .hand_over(&session, &ticket, "1002", "客户改在下午来")
        .expect("hand over");
    assert_eq!(app.owner.1, "1002");
    assert_eq!(app.manager.as_ref().map(|m| m.name.as_str()), Some("赵六"));
    // The queue names the manager beside the owner.
    keys(&mut a, "<F7>");
    let queue = screen(&a);
    assert!(
        queue.contains(&ticket) && queue.contains("陈立/赵六"),
        "{queue}"
    );
}

#[test]
fn without_hqs_table_the_halls_own_serves_and_another_is_chosen_only_with_a_reason() {
    let s = Scratch::new();
    let local = s.path().join("grid.toml");
    std::fs::write(&local, GRID_FILE).unwrap();
    let cfg = counterdesk::config::Config {
        service_grid: local,
        ..common::config()
    };
    let grids = counterdesk::load::grids::load(&cfg).expect("grids");
    let desk = common::desk_with_config(&s.db(), common::clock(), cfg).with_grids(grids);
    let mut a = App::new(desk, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, WANG);
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>");
    assert!(
        screen(&a).contains("您的客户经理：李娜（13900001111）"),
        "{}",
        screen(&a)
    );
    // Another manager: a phone that is none and no reason are refused.
    keys(&mut a, "m");
    assert!(
        screen(&a).contains("另选客户经理（须填写原因）"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "孙丽<Enter>12345<Enter><Enter>");
    let text = screen(&a);
    assert!(text.contains("12345"), "what was typed stays: {text}");
    assert!(!text.contains("客户经理改为"), "{text}");
    for _ in 0..5 {
        keys(&mut a, "<Backspace>");
    }
    keys(&mut a, "13700002222<Enter><Enter>");
    assert!(
        screen(&a).contains("另选客户经理须说明原因"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "客户要求由熟悉的经理跟进<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("客户经理改为 孙丽（13700002222），原因：客户要求由熟悉的经理跟进"),
        "{text}"
    );
    assert!(text.contains("您的客户经理：孙丽（13700002222）"), "{text}");
    keys(&mut a, "<Down><Down>r");
    tick_all_and_accept(&mut a);
    drop(a);
    let (name, source, reason) = one(&s.db(), "SELECT name, source, reason FROM case_manager");
    assert_eq!(
        (name.as_str(), source.as_str(), reason.as_deref()),
        ("孙丽", "chosen", Some("客户要求由熟悉的经理跟进"))
    );
    // The manager is bound with the application: verify passes.
    let v = run(&s, &["verify"], &[]);
    assert_eq!(v.status.code(), Some(0), "{}", out(&v));
}

#[test]
fn a_grid_table_naming_a_street_twice_stops_the_start_at_its_line() {
    let s = Scratch::new();
    let grid = s.path().join("grid.toml");
    std::fs::write(
        &grid,
        GRID_FILE.replace(r#"["人民路北段"]"#, r#"["人民路北段", "解放路"]"#),
    )
    .unwrap();
    let cfg = s.path().join("site.toml");
    std::fs::write(&cfg, format!("service_grid = \"{}\"\n", grid.display())).unwrap();
    let o = run(&s, &["--config", &cfg.to_string_lossy(), "init"], &[]);
    assert_ne!(o.status.code(), Some(0));
    let text = out(&o);
    assert!(text.contains("grid.toml:14:"), "{text}");
    assert!(
        text.contains("街道“解放路”同时划在网格 L-01 和 L-02"),
        "{text}"
    );
}
