//! The customer display in a real browser (Debian's chromium, headless,
//! over its DevTools protocol): it follows a cash payment as the clerk
//! types it, the customer clicks a rating that is stored against the
//! receipt, and after the workstation restarts the page comes back by
//! itself and takes a poor rating with its reasons.

use crate::common::browser::Browser;
use crate::common::{clock, config, desk_with_config, keys, screen, sign_in, Scratch};
use counterdesk::domain::msg::Lang;
use counterdesk::tui::app::App;

fn workstation(s: &Scratch, address: &str) -> App {
    let mut cfg = config();
    cfg.display.address = address.into();
    let desk = desk_with_config(&s.db(), clock(), cfg);
    let mut a = App::new(desk, Lang::Zh);
    a.desk.start_display().expect("display");
    a
}

fn one(s: &Scratch, sql: &str) -> String {
    let c = rusqlite::Connection::open(s.db()).expect("db");
    c.query_row(sql, [], |r| r.get(0)).expect(sql)
}

#[test]
fn the_customer_sees_the_payment_as_typed_rates_it_and_the_page_survives_a_restart() {
    let s = Scratch::new();
    // A fixed port, so the page finds the workstation again after its restart.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let address = format!("127.0.0.1:{port}");
    let mut a = workstation(&s, &address);
    let secret = one(&s, "SELECT secret FROM display_secret");
    let url = format!("http://{address}/d/{secret}/");
    let mut page = Browser::open(s.path(), &url);
    page.wait_for("本窗口暂停服务", || {});
    sign_in(&mut a, "1001", "counter1001");
    let t = page.wait_for("欢迎光临", || {});
    assert!(t.contains("张敏") && t.contains("工号 1001"), "{t}");
    assert!(t.contains("今日值班经理") && t.contains("李强"), "{t}");

    keys(&mut a, "<F6>1000<Enter>0591234567<Enter>86.5<Enter>");
    page.wait_for("¥ 86.50", || {});
    // Each keystroke of the amount handed over reaches the page.
    keys(&mut a, "1");
    page.wait_for("¥ 1.00", || {});
    keys(&mut a, "00");
    let t = page.wait_for("¥ 100.00", || {});
    assert!(t.contains("找零") && t.contains("¥ 13.50"), "{t}");
    page.screenshot("display-paying");
    keys(&mut a, "<Enter>");
    let t = page.wait_for("请您对本次服务进行评价", || {});
    assert!(t.contains("非常满意") && t.contains("非常不满意"), "{t}");
    page.screenshot("display-rate");
    // The clerk's screen waits, with no key to rate for the customer.
    let clerk = screen(&a);
    assert!(clerk.contains("等待客户评价"), "{clerk}");
    let clicked = page.eval(
        "(() => { const b = document.querySelector('[data-level=very_satisfied]'); \
         if (!b) return false; b.click(); return true; })()",
    );
    assert_eq!(clicked, serde_json::json!(true));
    page.wait_for("感谢您的评价", || {
        a.tick();
    });
    assert_eq!(
        one(&s, "SELECT reference || ' ' || level FROM rating"),
        "R1-00000001 very_satisfied"
    );
    a.tick();
    let clerk = screen(&a);
    assert!(clerk.contains("客户已评价"), "{clerk}");
    assert!(
        !clerk.contains("非常满意"),
        "the level is the customer's: {clerk}"
    );

    // The workstation restarts; the page reconnects by itself.
    drop(a);
    page.wait_for("正在连接", || {});
    let mut a = workstation(&s, &address);
    sign_in(&mut a, "1002", "counter1002");
    page.wait_for("陈立", || {});
    keys(&mut a, "<F6>1000<Enter>0591234568<Enter>50<Enter>50<Enter>");
    page.wait_for("请您对本次服务进行评价", || {});
    page.eval("document.querySelector('[data-level=dissatisfied]').click()");
    page.wait_for("请选择不满意的原因", || {});
    page.eval("document.querySelector('[data-reason=come_back]').click()");
    page.eval("document.querySelector('[data-reason=unclear]').click()");
    page.screenshot("display-poor");
    page.eval("document.getElementById('send').click()");
    page.wait_for("感谢您的评价", || {
        a.tick();
    });
    assert_eq!(
        one(
            &s,
            "SELECT level || ' ' || reasons FROM rating WHERE reference = 'R1-00000002'"
        ),
        "dissatisfied come_back,unclear"
    );
    assert_eq!(
        one(
            &s,
            "SELECT count(*) || '' FROM poor_rating p JOIN rating r ON r.id = p.rating_id \
             WHERE r.reference = 'R1-00000002' AND p.closed_at IS NULL"
        ),
        "1"
    );
}
