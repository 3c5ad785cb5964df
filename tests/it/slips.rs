//! Slips end to end: accepted through the App, printed with one key, read
//! back with poppler, sent through a real CUPS server, reprinted, and every
//! failure (stopped printer, unwritable spool, missing font, a character the
//! font lacks) leaving the record committed and saying so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{keys, screen, sign_in, Scratch};
use counterdesk::domain::msg::Lang;
use counterdesk::slips::font::SlipFont;

use crate::common::slips::{accept, app_with, db, pages, pdftotext, spooled};

#[test]
fn acceptance_slips_print_with_one_key_and_say_everything() {
    let s = Scratch::new();
    let mut a = app_with(&s, |_| {});
    accept(&mut a, "王䶮");
    keys(&mut a, "p");
    let text = screen(&a);
    assert!(text.contains("已生成 2 份单据"), "{text}");
    let files = spooled(&s);
    assert_eq!(files.len(), 2, "{files:?}");
    let receipt = files
        .iter()
        .find(|f| {
            f.to_string_lossy()
                .contains("acceptance_receipt-SL20261124-1-0001")
        })
        .expect("receipt");
    let r = pdftotext(receipt);
    for expected in [
        "用电业务受理回执",
        "SL20261124-1-0001",
        "低压居民新装（增容）",
        "王䶮",
        "110105********002X",
        "2026-11-25",
        "2026-12-01",
        "用电地址物权证明",
        "张敏",
        "1001",
        "1 号窗口",
        "李强",
        "0591-12345679",
        "95598",
        "12398",
        "12345",
        "三不指定",
        "客户签名",
        "国网示范供电营业厅",
    ] {
        assert!(r.contains(expected), "receipt lacks {expected}:\n{r}");
    }
    let notice = files
        .iter()
        .find(|f| f.to_string_lossy().contains("disclosure_notice"))
        .expect("notice");
    let n = pdftotext(notice);
    for expected in [
        "用电业务办理告知书",
        "一、申请材料",
        "二、办理环节与时限",
        "三、收费项目及依据",
        "国办函〔2020〕129号",
        "存根",
        "一证受理承诺",
    ] {
        assert!(n.contains(expected), "notice lacks {expected}:\n{n}");
    }
    for f in &files {
        let fonts = Command::new("pdffonts").arg(f).output().expect("pdffonts");
        let listing = String::from_utf8_lossy(&fonts.stdout);
        assert!(
            listing.contains('+') && listing.contains("yes yes"),
            "font not an embedded subset:\n{listing}"
        );
        let check = Command::new("qpdf")
            .arg("--check")
            .arg(f)
            .output()
            .expect("qpdf");
        assert!(
            check.status.success(),
            "qpdf --check {}: {}",
            f.display(),
            String::from_utf8_lossy(&check.stdout)
        );
    }
    let c = db(&s);
    let rows: i64 = c
        .query_row(
            "SELECT count(*) FROM slip WHERE copy = 0 AND print_status = 'spooled'",
            [],
            |r| r.get(0),
        )
        .expect("rows");
    assert_eq!(rows, 2);
    let produced: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'slip.produce'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(produced, 2);

    // A second P is a reprint, marked with who and when.
    keys(&mut a, "p");
    let again = spooled(&s);
    assert_eq!(again.len(), 4, "{again:?}");
    let reprint = again
        .iter()
        .find(|f| {
            f.to_string_lossy()
                .contains("acceptance_receipt-SL20261124-1-0001-reprint1")
        })
        .expect("reprint");
    let rt = pdftotext(reprint);
    assert!(
        rt.contains("重打 / REPRINT 1") && rt.contains("1001 张敏"),
        "{rt}"
    );
    let reprints: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'slip.reprint'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(reprints, 2);
}

#[test]
fn preview_shows_the_slip_as_text() {
    let s = Scratch::new();
    let mut a = app_with(&s, |_| {});
    accept(&mut a, "王秀英");
    keys(&mut a, "v");
    let text = screen(&a);
    assert!(
        text.contains("单据预览")
            && text.contains("用电业务受理回执")
            && text.contains("SL20261124-1-0001"),
        "{text}"
    );
    assert!(spooled(&s).is_empty(), "a preview prints nothing");
}

#[test]
fn the_preview_keeps_inside_its_box_and_nothing_hides_its_border() {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use unicode_width::UnicodeWidthStr;

    let s = Scratch::new();
    let mut a = app_with(&s, |_| {});
    accept(&mut a, "王秀英");
    // The slip's number is set flush right: all of it shows, and no line is
    // wider than the box holds.
    let lines = a.desk.preview("SL20261124-1-0001").expect("preview");
    assert!(
        lines
            .iter()
            .any(|l| l.trim_end().ends_with("SL20261124-1-0001")),
        "{lines:#?}"
    );
    for l in &lines {
        assert!(l.width() <= 96, "{} columns: {l}", l.width());
    }
    // On a terminal wider than the box, the popup starts beside Chinese text
    // of the screen below: no wide character may reach over its border.
    keys(&mut a, "v");
    let mut terminal = Terminal::new(TestBackend::new(111, 34)).expect("terminal");
    terminal.draw(|f| a.draw(f)).expect("draw");
    let buf = terminal.backend().buffer();
    let mut popups = 0;
    for y in 0..buf.area.height {
        for x in 0..buf.area.width - 1 {
            let here = buf[(x, y)].symbol();
            let next = buf[(x + 1, y)].symbol();
            if here.width() > 1 {
                assert!(
                    next.trim().is_empty(),
                    "{here} at ({x}, {y}) covers {next}:\n{}",
                    crate::common::dump(buf)
                );
            }
            popups += usize::from(next == "┌" && x > 0);
        }
    }
    assert!(
        popups > 0,
        "the popup's corner is lost beside a wide character:\n{}",
        crate::common::dump(buf)
    );
}

pub(crate) fn wait_for_cups_output(
    title_part: &str,
    since: std::time::SystemTime,
) -> Option<PathBuf> {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        for dir in [
            PathBuf::from(&home).join("PDF"),
            PathBuf::from("/var/spool/cups-pdf/ANONYMOUS"),
        ] {
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let fresh = e
                        .metadata()
                        .and_then(|m| m.modified())
                        .map(|t| t >= since)
                        .unwrap_or(false);
                    if fresh && name.contains(title_part) && finished(&e.path()) {
                        return Some(e.path());
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    None
}

/// cups-pdf writes the file in place: it is finished once its size holds
/// still for a moment and it ends with the PDF trailer.
fn finished(path: &Path) -> bool {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let before = size(path);
    std::thread::sleep(Duration::from_millis(300));
    let ends_whole = std::fs::read(path)
        .map(|b| b.len() > 16 && b[b.len() - 16..].windows(5).any(|w| w == b"%%EOF"))
        .unwrap_or(false);
    before > 0 && before == size(path) && ends_whole
}

pub(crate) fn require_printer(name: &str) {
    let ok = Command::new("lpstat")
        .args(["-p", name])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(ok, "CUPS printer {name} is missing: run the tests with ./scripts/test.sh, which starts CUPS and adds it");
}

#[test]
fn printing_through_a_real_cups_pdf_printer() {
    require_printer("counterdesk-pdf");
    let s = Scratch::new();
    let mut a = app_with(&s, |c| c.slips.printer = "counterdesk-pdf".into());
    accept(&mut a, "黄丽华");
    let since = std::time::SystemTime::now() - Duration::from_secs(1);
    keys(&mut a, "p");
    let text = screen(&a);
    assert!(text.contains("已打印 2 份单据"), "{text}");
    let printed = wait_for_cups_output("acceptance_receipt-SL20261124-1-0001", since)
        .expect("cups-pdf produced no output within 30 s");
    // cups-pdf re-renders the job through Ghostscript, which drops the text
    // layer of CID fonts; compare what survives: a valid PDF of the same pages.
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&printed)
        .output()
        .expect("qpdf");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let spooled_receipt = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("acceptance_receipt"))
        .expect("spooled");
    assert_eq!(pages(&printed), pages(&spooled_receipt));
    let sent: i64 = db(&s)
        .query_row(
            "SELECT count(*) FROM slip WHERE print_status = 'sent'",
            [],
            |r| r.get(0),
        )
        .expect("sent");
    assert_eq!(sent, 2);
}

#[test]
fn a_stopped_printer_leaves_the_slip_in_the_spool_and_says_so() {
    require_printer("counterdesk-stopped");
    let s = Scratch::new();
    let mut a = app_with(&s, |c| c.slips.printer = "counterdesk-stopped".into());
    accept(&mut a, "黄丽华");
    keys(&mut a, "p");
    let text = screen(&a);
    assert!(text.contains("打印失败"), "{text}");
    assert_eq!(spooled(&s).len(), 2);
    let c = db(&s);
    let failed: i64 = c
        .query_row(
            "SELECT count(*) FROM slip WHERE print_status = 'failed'",
            [],
            |r| r.get(0),
        )
        .expect("failed");
    assert!(failed >= 1);
    let apps: i64 = c
        .query_row("SELECT count(*) FROM application", [], |r| r.get(0))
        .expect("apps");
    assert_eq!(apps, 1, "nothing rolled back");
}

#[test]
fn a_printer_that_does_not_exist_gets_one_clear_message() {
    let s = Scratch::new();
    let mut a = app_with(&s, |c| c.slips.printer = "no-such-printer-here".into());
    accept(&mut a, "黄丽华");
    keys(&mut a, "p");
    assert!(screen(&a).contains("打印失败"), "{}", screen(&a));
    assert_eq!(spooled(&s).len(), 2, "the files stay to print again");
}

#[test]
fn an_unwritable_spool_keeps_the_record_and_says_where() {
    let s = Scratch::new();
    let blocker = s.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").expect("w");
    let mut a = app_with(&s, |c| c.slips.spool_dir = blocker.join("spool"));
    accept(&mut a, "黄丽华");
    keys(&mut a, "p");
    let text = screen(&a);
    assert!(text.contains("单据文件无法写入"), "{text}");
    let c = db(&s);
    let apps: i64 = c
        .query_row("SELECT count(*) FROM application", [], |r| r.get(0))
        .expect("apps");
    let slips: i64 = c
        .query_row("SELECT count(*) FROM slip", [], |r| r.get(0))
        .expect("slips");
    assert_eq!((apps, slips), (1, 0));
}

#[test]
fn a_missing_or_corrupt_font_gets_one_message_and_the_record_stays() {
    let s = Scratch::new();
    let missing = s.path().join("no-font.otf");
    let mut a = app_with(&s, |c| c.slips.font = missing.clone());
    accept(&mut a, "黄丽华");
    keys(&mut a, "p");
    let text = screen(&a);
    assert!(text.contains("无法使用打印字体"), "{text}");
    let corrupt = s.path().join("corrupt.otf");
    std::fs::write(&corrupt, b"OTTO not really a font").expect("w");
    let err = SlipFont::load(&corrupt).expect_err("refused");
    assert!(format!("{err}").contains("corrupt.otf"), "{err}");
}

#[test]
fn a_character_the_font_lacks_is_reported_before_printing() {
    let s = Scratch::new();
    let mut a = app_with(&s, |_| {});
    // U+30000 (CJK Extension G) is a valid name character the font does not
    // have: registration says so at once and asks for the Latin line.
    sign_in(&mut a, "1001", "counter1001");
    keys(
        &mut a,
        "11010519491231002X<Enter>王\u{30000}<Enter><Enter><Enter>",
    );
    assert!(screen(&a).contains("无法打印在单据上"), "{}", screen(&a));
    keys(&mut a, "<F12>");
    // A record written before that check still never prints with a blank.
    accept(&mut a, "王五");
    db(&s)
        .execute("UPDATE customer SET name = '王\u{30000}'", [])
        .expect("an older record");
    keys(&mut a, "p");
    let text = screen(&a);
    assert!(
        text.contains("打印字体缺少以下字符") && text.contains("U+30000"),
        "{text}"
    );
    assert!(spooled(&s).is_empty(), "nothing printed as a blank");
}

#[test]
fn rare_name_characters_come_out_in_the_text() {
    let s = Scratch::new();
    let mut a = app_with(&s, |_| {});
    accept(&mut a, "𠮷野家");
    keys(&mut a, "p");
    let receipt = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("acceptance_receipt"))
        .expect("receipt");
    assert!(pdftotext(&receipt).contains("𠮷野家"));
}

#[test]
fn training_slips_say_so_across_the_page() {
    let s = Scratch::new();
    let mut a = app_with(&s, |_| {});
    a.desk.set_training(true);
    accept(&mut a, "黄丽华");
    keys(&mut a, "p");
    let receipt = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("acceptance_receipt"))
        .expect("receipt");
    let t = pdftotext(&receipt);
    assert!(t.contains("实训") && t.contains("TRAINING"), "{t}");
}

#[test]
fn a_long_spool_path_in_the_print_message_is_shown_whole() {
    let s = Scratch::new();
    let mut config = crate::common::config();
    let deep = s
        .path()
        .join("a-rather-long-folder-for-the-slips-of-this-hall")
        .join("and-another-level-of-it");
    config.slips.spool_dir = deep.clone();
    let desk = crate::common::desk_with_config(&s.db(), crate::common::clock(), config);
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

#[test]
fn a_customer_registered_with_a_latin_name_gets_slips_that_print() {
    let s = Scratch::new();
    let mut desk = crate::common::desk_at(&s.db(), crate::common::clock());
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let new = counterdesk::desk::customers::NewCustomer {
        id_input: "EA1234567".into(),
        name: "محمد علي".into(),
        name_latin: "MOHAMMED ALI".into(),
        phone: "13800138000".into(),
        address: "北京市朝阳区人民路1号".into(),
    };
    let ticket = crate::common::accept_meter_verification_of(&mut desk, &clerk, &new);
    let printed = desk
        .print(
            &clerk,
            counterdesk::desk::slips::SlipOrder::Application(&ticket),
        )
        .expect("prints");
    let receipt = printed
        .produced
        .iter()
        .find(|p| p.file.to_string_lossy().contains("acceptance_receipt"))
        .expect("receipt");
    let text = pdftotext(&receipt.file);
    assert!(text.contains("MOHAMMED ALI"), "{text}");
}
