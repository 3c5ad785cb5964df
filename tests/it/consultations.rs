//! A customer who only asks (咨询): the one-time notice printed without an
//! application, the consultation recorded and rated, and shown when they
//! come back to apply — with what a new form version changed.

use std::path::{Path, PathBuf};

use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;

use crate::common::slips::spooled;
use crate::common::{self, keys, screen, sign_in, Scratch};

const ZHANG: &str =
    "11010519491231002X<Enter>张伟<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>";

fn app_on(s: &Scratch, forms: &Path) -> App {
    let mut cfg = common::config();
    cfg.forms_dir = forms.to_path_buf();
    let forms_loaded = counterdesk::load::startup::load_forms(&cfg).expect("forms");
    let calendar =
        counterdesk::load::calendar::load_dir(&forms.join("calendar")).expect("calendar");
    let store = counterdesk::store::Store::open(&s.db(), common::clock()).expect("store");
    let desk = counterdesk::desk::Desk::new(store, cfg, forms_loaded, calendar).expect("desk");
    App::new(desk, Lang::Zh)
}

fn shipped_forms() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/forms"))
}

/// The shipped forms with meter verification at a new version that asks
/// for one material more.
fn changed_forms(s: &Scratch) -> PathBuf {
    let dir = s.path().join("forms2");
    std::fs::create_dir_all(dir.join("calendar")).unwrap();
    for e in std::fs::read_dir(shipped_forms()).unwrap().flatten() {
        let p = e.path();
        if p.is_file() {
            std::fs::copy(&p, dir.join(e.file_name())).unwrap();
        }
    }
    for e in std::fs::read_dir(shipped_forms().join("calendar"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(e.path(), dir.join("calendar").join(e.file_name())).unwrap();
    }
    let f = dir.join("meter_verification.toml");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("version = \"2025.1\"", "version = \"2026.1\"")
        + "\n[[materials]]\nid = \"recent_bill\"\nname = { zh = \"近三个月电费账单\", en = \"The last three months' bills\" }\nform = \"copy\"\nwhen = \"at_acceptance\"\napplies_to = [\"person\"]\n";
    std::fs::write(&f, text).unwrap();
    dir
}

#[test]
fn a_consultation_prints_the_notice_and_the_later_application_names_it_and_what_changed() {
    let s = Scratch::new();
    let mut a = app_on(&s, &shipped_forms());
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, ZHANG);
    keys(&mut a, "<F3>验表");
    assert!(
        screen(&a).contains("F4 只咨询：打印告知书"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<F4>");
    let text = screen(&a);
    assert!(
        text.contains("已记录咨询 ZX20261124-1-0001"),
        "the consultation is recorded:\n{text}"
    );
    // Nothing was applied for.
    let db = rusqlite::Connection::open(s.db()).unwrap();
    let apps: i64 = db
        .query_row("SELECT COUNT(*) FROM application", [], |r| r.get(0))
        .unwrap();
    assert_eq!(apps, 0);
    let (version, service): (String, String) = db
        .query_row(
            "SELECT c.form_version, r.service FROM consultation c JOIN rating r ON r.reference = c.number",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the consultation is rated like any transaction");
    assert_eq!(
        (version.as_str(), service.as_str()),
        ("2025.1", "consultation")
    );
    // The notice the customer takes home, read back.
    let pdf = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("consultation_notice"))
        .expect("notice spooled");
    let pdf_text = common::pdf_text(&pdf);
    for want in [
        "便携版",
        "电能表校验",
        "ZX20261124-1-0001",
        "表单版本 2025.1",
        "户主有效身份证明",
        "不是受理凭证",
    ] {
        assert!(pdf_text.contains(want), "{want} missing in:\n{pdf_text}");
    }
    drop(a);
    // The same day, same form: the checklist says when they were told.
    let mut a = app_on(&s, &shipped_forms());
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "11010519491231002X<Enter><F3>验表<Enter>0591000777<Enter><Enter><Enter>电量比去年同期高一倍<Enter><F10>");
    let text = screen(&a);
    assert!(
        text.contains("客户曾于 2026-11-24 咨询并取得告知书（ZX20261124-1-0001，表单版本 2025.1）"),
        "{text}"
    );
    assert!(!text.contains("表单已从"), "{text}");
    drop(a);
    // The form changed since: the new material is pointed out.
    let mut a = app_on(&s, &changed_forms(&s));
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "11010519491231002X<Enter><F3>验表<Enter>0591000777<Enter><Enter><Enter>电量比去年同期高一倍<Enter><F10>");
    let text = screen(&a);
    assert!(
        text.contains("表单已从 2025.1 更新为 2026.1：新增 1 项、删去 0 项"),
        "{text}"
    );
    assert!(text.contains("+ 近三个月电费账单"), "{text}");
}
