//! Helpers for the PDF tests: the font parsed once, where the PDFs go, and
//! poppler and qpdf run on them; and an acceptance receipt to render.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use counterdesk::slips::doc::{Block, Marks, SlipDoc};
use counterdesk::slips::font::SlipFont;

pub const FONT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/NotoSansCJKsc-Regular.otf"
);
pub const FOOTER: &str = "供电服务热线 95598 · 能源监管 12398 · 政务服务 12345";
pub const REPRINT: &str = "重打 / REPRINT 2 · 1001 张敏 · 2026-11-24 10:05";
pub const TRAINING: &str = "实训 — 无效 / TRAINING — NOT VALID";

/// The font, parsed once for the whole test binary (as the workstation does).
pub fn slip_font() -> Arc<SlipFont> {
    static FONT_CELL: OnceLock<Arc<SlipFont>> = OnceLock::new();
    FONT_CELL
        .get_or_init(|| {
            let started = Instant::now();
            let font = SlipFont::load(Path::new(FONT)).expect("shipped font loads");
            eprintln!("timing: font load {:.1} ms", ms(started));
            Arc::new(font)
        })
        .clone()
}

pub fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Where PDFs go: a fresh temporary directory, or `SLIPS_PDF_OUT` when set so a
/// person can look at the pages.
pub fn out_dir() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("SLIPS_PDF_OUT") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir).expect("create SLIPS_PDF_OUT");
            (None, dir)
        }
        None => {
            let tmp = tempfile::tempdir().expect("temp dir");
            let path = tmp.path().to_path_buf();
            (Some(tmp), path)
        }
    }
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

pub fn run(cmd: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed (poppler-utils, qpdf): {e}"));
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

pub fn pdftotext(path: &Path) -> String {
    let p = path.to_str().expect("utf-8 path");
    let (ok, text) = run("pdftotext", &["-layout", "-enc", "UTF-8", p, "-"]);
    assert!(ok, "pdftotext failed: {text}");
    text
}

/// pdftotext of one page.
pub fn page_text(path: &Path, page: usize) -> String {
    let p = path.to_str().expect("utf-8 path");
    let n = page.to_string();
    let (ok, text) = run(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", "-f", &n, "-l", &n, p, "-"],
    );
    assert!(ok, "pdftotext failed: {text}");
    text
}

/// The PDF is structurally sound and carries the font as a subset only.
pub fn check_pdf(path: &Path) {
    let p = path.to_str().expect("utf-8 path");
    let (ok, out) = run("qpdf", &["--check", p]);
    assert!(ok, "qpdf --check failed for {p}:\n{out}");
    let (ok, fonts) = run("pdffonts", &[p]);
    assert!(ok, "pdffonts failed: {fonts}");
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "exactly one font expected:\n{fonts}");
    let row = rows[0];
    let name = row.split_whitespace().next().unwrap_or("");
    let (tag, base) = name.split_once('+').unwrap_or(("", name));
    assert!(
        tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
        "font must carry a XXXXXX+ subset tag: {row}"
    );
    assert_eq!(base, "NotoSansCJKsc-Regular", "{row}");
    assert!(
        row.contains(" yes yes "),
        "font must be embedded (emb) and subset (sub):\n{fonts}"
    );
}

pub fn assert_contains(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "missing {e:?} in extracted text:\n{text}");
    }
}

pub fn page_count(text: &str) -> usize {
    // "第 1 / N 页" on every page; N is the count.
    let start = text.find("第 1 / ").expect("page number on page 1") + "第 1 / ".len();
    let rest = &text[start..];
    let end = rest.find(" 页").expect("page number ends with 页");
    rest[..end].parse().expect("page count is a number")
}

pub fn acceptance_receipt(name: &str, marks: Marks) -> SlipDoc {
    SlipDoc {
        title: "低压居民新装用电受理回执".into(),
        header: vec![
            "国网示范供电公司 城东供电营业厅".into(),
            "地址：示范市城东区解放路 88 号 · 电话：0571-8765 4321".into(),
        ],
        blocks: vec![
            Block::Field {
                label: "受理编号".into(),
                value: "SL20261124-1-0001".into(),
            },
            Block::Field {
                label: "客户名称".into(),
                value: name.into(),
            },
            Block::Field {
                label: "证件号码".into(),
                value: "330102********1234".into(),
            },
            Block::Field {
                label: "用电地址".into(),
                value: "示范市城东区解放路 88 号 3 幢 2 单元 1202 室（东侧入户，电表箱在楼道北墙）"
                    .into(),
            },
            Block::Field {
                label: "受理时间".into(),
                value: "2026-11-24 10:05".into(),
            },
            Block::Heading("一次性告知".into()),
            Block::Paragraph(
                "您的申请已受理。请按下列清单补齐资料；工作人员将在 3 个工作日内上门勘查，\
                 并于勘查后 5 个工作日内完成装表接电。"
                    .into(),
            ),
            Block::Bullet("户主身份证原件".into()),
            Block::Bullet("房屋产权证明或购房合同（复印件加盖公章亦可）".into()),
            Block::Table {
                headers: vec!["环节".into(), "时限".into(), "费用".into()],
                rows: vec![
                    vec!["现场勘查".into(), "3 个工作日".into(), "免费".into()],
                    vec!["装表接电".into(), "5 个工作日".into(), "0.00 元".into()],
                ],
                widths: vec![2, 2, 1],
            },
            Block::Signature("客户签名".into()),
            Block::Cut("存根（营业厅留存）".into()),
            Block::Field {
                label: "受理编号".into(),
                value: "SL20261124-1-0001".into(),
            },
            Block::Field {
                label: "综合柜员".into(),
                value: "1001 张敏".into(),
            },
        ],
        footer: FOOTER.into(),
        number: "SL20261124-1-0001".into(),
        marks,
    }
}

pub const RECEIPT_STRINGS: &[&str] = &[
    "低压居民新装用电受理回执",
    "国网示范供电公司 城东供电营业厅",
    "受理编号：SL20261124-1-0001",
    "客户名称：",
    "受理时间：2026-11-24 10:05",
    "一次性告知",
    "户主身份证原件",
    "现场勘查",
    "3 个工作日",
    "0.00 元",
    "客户签名：",
    "日期：",
    "存根（营业厅留存）",
    "综合柜员：1001 张敏",
    FOOTER,
];
