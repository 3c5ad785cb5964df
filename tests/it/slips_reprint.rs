//! Slips printed again and from the command line: `slip reprint` and the
//! test page, a returning customer's progress slip, receipts that need a
//! duty manager for a second copy, and the settlement report.

use std::process::Command;

use crate::common::cli::{out, run};
use crate::common::slips::{accept, app_with, pdftotext, spooled};
use crate::common::{keys, screen, sign_in, Scratch};
use counterdesk::domain::msg::Lang;

#[test]
fn command_line_reprint_and_test_page() {
    let s = Scratch::new();
    {
        let mut a = app_with(&s, |_| {});
        accept(&mut a, "黄丽华");
    }
    let out = s.path().join("reprint.pdf");
    let spool = s.path().join("spool");
    let cfg = s.path().join("site.toml");
    std::fs::write(
        &cfg,
        format!("[slips]\nspool_dir = \"{}\"\n", spool.display()),
    )
    .expect("cfg");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_counterdesk"))
            .arg("--db")
            .arg(s.db())
            .arg("--config")
            .arg(&cfg)
            .args(args)
            .env("HOME", s.path())
            .env("COUNTERDESK_PASSWORD", "counter1001")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run")
    };
    let o = run(&[
        "slip",
        "reprint",
        "SL20261124-1-0001",
        "--as",
        "1001",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // Never printed before: this is the first copy, so no reprint mark.
    assert!(pdftotext(&out).contains("SL20261124-1-0001"));
    let o = run(&[
        "slip",
        "reprint",
        "SL20261124-1-0001",
        "--as",
        "1001",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(o.status.success());
    assert!(pdftotext(&out).contains("重打 / REPRINT 1"));
    let page = s.path().join("test.pdf");
    let o = run(&["slip", "test", "--out", &page.to_string_lossy()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = pdftotext(&page);
    assert!(
        t.contains("打印测试页") && t.contains("王䶮") && t.contains("𠮷野家"),
        "{t}"
    );
    let o = run(&[
        "slip",
        "test",
        "--printer",
        "no-such-printer-here",
        "--out",
        &page.to_string_lossy(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("打印失败"));
}

#[test]
fn returning_customer_gets_a_progress_slip_and_reprints_from_history() {
    let s = Scratch::new();
    let mut a = app_with(&s, |_| {});
    accept(&mut a, "黄丽华");
    keys(&mut a, "p<Enter><F4>");
    assert!(screen(&a).contains("P 打印进度单"), "{}", screen(&a));
    keys(&mut a, "p");
    assert!(screen(&a).contains("已生成 1 份单据"), "{}", screen(&a));
    let progress = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("progress_slip"))
        .expect("progress slip");
    let t = pdftotext(&progress);
    assert!(
        t.contains("业务办理进度单")
            && t.contains("受理签约")
            && t.contains("进行中")
            && t.contains("用电地址物权证明"),
        "{t}"
    );
    assert!(!t.contains("REPRINT"));
    // A second progress slip is not a reprint: it shows the state of its day.
    keys(&mut a, "p");
    let second = spooled(&s)
        .into_iter()
        .find(|f| {
            f.to_string_lossy().contains("progress_slip")
                && f.to_string_lossy().contains("reprint1")
        })
        .expect("second");
    assert!(!pdftotext(&second).contains("REPRINT"));
    // B reprints the acceptance slips from the history, marked.
    keys(&mut a, "b");
    let reprint = spooled(&s)
        .into_iter()
        .find(|f| {
            f.to_string_lossy().contains("acceptance_receipt")
                && f.to_string_lossy().contains("reprint1")
        })
        .expect("reprint");
    assert!(pdftotext(&reprint).contains("重打 / REPRINT 1"));
}

#[test]
fn a_payment_receipt_prints_after_the_commit_and_a_reprint_needs_a_duty_manager() {
    let s = Scratch::new();
    let mut a = app_with(&s, |_| {});
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "<F6>1000<Enter>0591234567<Enter>128.5<Enter>200<Enter>p",
    );
    let text = screen(&a);
    assert!(text.contains("已生成 1 份单据"), "{text}");
    let receipt = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("payment_receipt-R1-00000001"))
        .expect("receipt");
    let t = pdftotext(&receipt);
    for expected in [
        "电费收据",
        "R1-00000001",
        "0591234567",
        "128.50",
        "违约金",
        "200.00",
        "71.50",
        "张敏",
        "95598",
    ] {
        assert!(t.contains(expected), "receipt lacks {expected}:\n{t}");
    }
    keys(&mut a, "p");
    assert!(
        screen(&a).contains("补打收据须经值班经理授权"),
        "{}",
        screen(&a)
    );
    assert_eq!(spooled(&s).len(), 1);
}

#[test]
fn command_line_receipt_reprint_needs_a_duty_manager() {
    let s = Scratch::new();
    {
        let mut a = app_with(&s, |_| {});
        sign_in(&mut a, "1001", "counter1001");
        keys(
            &mut a,
            "<F6>1000<Enter>0591234567<Enter>128.5<Enter>200<Enter>p",
        );
        assert!(screen(&a).contains("已生成 1 份单据"), "{}", screen(&a));
    }
    let cfg = s.path().join("site.toml");
    std::fs::write(
        &cfg,
        format!(
            "[slips]\nspool_dir = \"{}\"\n",
            s.path().join("spool").display()
        ),
    )
    .expect("cfg");
    let out = s.path().join("copy.pdf");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_counterdesk"))
            .arg("--db")
            .arg(s.db())
            .arg("--config")
            .arg(&cfg)
            .args(["slip", "reprint", "R1-00000001", "--as", "1001", "--out"])
            .arg(&out)
            .args(extra)
            .env("HOME", s.path())
            .env("COUNTERDESK_PASSWORD", "counter1001")
            .env("COUNTERDESK_MANAGER_PASSWORD", "manager2001")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run")
    };
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("补打收据须经值班经理授权"));
    let ok = run(&["--manager", "2001"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let t = pdftotext(&out);
    assert!(
        t.contains("重打 / REPRINT 1") && t.contains("R1-00000001"),
        "{t}"
    );
}

#[test]
fn the_settlement_report_lists_every_receipt_with_its_state() {
    let s = Scratch::new();
    let mut a = app_with(&s, |_| {});
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "<F6>100<Enter>0591234567<Enter>128.5<Enter>200<Enter><Enter>",
    );
    keys(&mut a, "0591234568<Enter>20<Enter>20<Enter><Enter>");
    keys(
        &mut a,
        "<F8>R1-00000002<Enter>2001<Enter>manager2001<Enter>收错户号<Enter>",
    );
    assert!(screen(&a).contains("已冲正"), "{}", screen(&a));
    // P would print the reversal slip; Enter goes on.
    keys(&mut a, "<Enter>");
    // Expected cash: 100 + 200 − 71.50 = 228.50 → 2×100, 1×20, 1×5, 3×1, 1×0.5.
    keys(
        &mut a,
        "<F9>2<Enter><Enter>1<Enter><Enter>1<Enter>3<Enter>1<Enter>",
    );
    for _ in 0..7 {
        keys(&mut a, "<Enter>");
    }
    assert!(screen(&a).contains("已日结"), "{}", screen(&a));
    keys(&mut a, "p");
    assert!(screen(&a).contains("已生成 1 份单据"), "{}", screen(&a));
    let report = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("settlement_report"))
        .expect("report");
    let t = pdftotext(&report);
    for expected in [
        "收费日结单",
        "R1-00000001",
        "有效",
        "R1-00000002",
        "已冲正",
        "228.50",
        "备用金",
        "收款员签名",
    ] {
        assert!(t.contains(expected), "settlement lacks {expected}:\n{t}");
    }
}

/// A paid receipt, a closed shift and its settlement printed once, through the screens.
fn a_closed_shift(s: &Scratch) -> String {
    let mut config = crate::common::config();
    config.slips.spool_dir = s.path().join("spool");
    let desk = crate::common::desk_with_config(&s.db(), crate::common::clock(), config);
    let mut a = counterdesk::tui::App::new(desk, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    // 128.50 by card, the receipt printed; then the blind close with no
    // cash and the card total, and its settlement report printed.
    keys(
        &mut a,
        "<F6>0<Enter>0591234567<Enter>128.5<Enter><Down><C-u>2<Up><Enter>POS 1<Enter>p<Enter>",
    );
    keys(&mut a, "<F9>");
    for _ in 0..11 {
        keys(&mut a, "<Enter>");
    }
    keys(&mut a, "128.5<Enter><Enter><Enter>");
    assert!(
        crate::common::screen(&a).contains("已日结"),
        "{}",
        crate::common::screen(&a)
    );
    keys(&mut a, "p");
    let cfg = s.path().join("site.toml");
    std::fs::write(
        &cfg,
        format!(
            "[slips]\nspool_dir = \"{}\"\n",
            s.path().join("spool").display()
        ),
    )
    .expect("cfg");
    cfg.to_string_lossy().into_owned()
}

#[test]
fn slip_reprint_writes_money_slips_and_the_settlement_where_out_says() {
    let s = Scratch::new();
    let cfg = a_closed_shift(&s);
    let receipt = s.path().join("receipt-copy.pdf");
    let env = [
        ("COUNTERDESK_PASSWORD", "counter1001"),
        ("COUNTERDESK_MANAGER_PASSWORD", "manager2001"),
    ];
    let o = run(
        &s,
        &[
            "--config",
            &cfg,
            "slip",
            "reprint",
            "R1-00000001",
            "--as",
            "1001",
            "--manager",
            "2001",
            "--out",
            &receipt.to_string_lossy(),
        ],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(receipt.exists());
    // The path printed is the file written, not a copy in the spool.
    assert!(out(&o).contains("receipt-copy.pdf"), "{}", out(&o));
    assert!(!out(&o).contains("spool"), "{}", out(&o));
    let settlement = s.path().join("settlement-copy.pdf");
    let o = run(
        &s,
        &[
            "--config",
            &cfg,
            "slip",
            "reprint",
            "SETTLE-1",
            "--as",
            "1001",
            "--out",
            &settlement.to_string_lossy(),
        ],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    let text = Command::new("pdftotext")
        .arg(&settlement)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("日结单") && text.contains("重打 / REPRINT 1"),
        "{text}"
    );
}
