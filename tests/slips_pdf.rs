//! Renders real slips with the shipped CJK font and checks them with the tools a
//! person would trust: poppler's pdftotext and pdffonts, and qpdf.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use counterdesk::slips::doc::{Block, Marks, Paper, SlipDoc};
use counterdesk::slips::error::SlipError;
use counterdesk::slips::font::{self, SlipFont};
use counterdesk::slips::pdf::render;

const FONT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/NotoSansCJKsc-Regular.otf"
);
const FOOTER: &str = "供电服务热线 95598 · 能源监管 12398 · 政务服务 12345";
const REPRINT: &str = "重打 / REPRINT 2 · 1001 张敏 · 2026-11-24 10:05";
const TRAINING: &str = "实训 — 无效 / TRAINING — NOT VALID";

/// The font, parsed once for the whole test binary (as the workstation does).
fn slip_font() -> Arc<SlipFont> {
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

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Where PDFs go: a fresh temporary directory, or `SLIPS_PDF_OUT` when set so a
/// person can look at the pages.
fn out_dir() -> (Option<tempfile::TempDir>, PathBuf) {
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

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

fn run(cmd: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed (poppler-utils, qpdf): {e}"));
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn pdftotext(path: &Path) -> String {
    let p = path.to_str().expect("utf-8 path");
    let (ok, text) = run("pdftotext", &["-layout", "-enc", "UTF-8", p, "-"]);
    assert!(ok, "pdftotext failed: {text}");
    text
}

/// pdftotext of one page.
fn page_text(path: &Path, page: usize) -> String {
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
fn check_pdf(path: &Path) {
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

fn assert_contains(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "missing {e:?} in extracted text:\n{text}");
    }
}

fn page_count(text: &str) -> usize {
    // "第 1 / N 页" on every page; N is the count.
    let start = text.find("第 1 / ").expect("page number on page 1") + "第 1 / ".len();
    let rest = &text[start..];
    let end = rest.find(" 页").expect("page number ends with 页");
    rest[..end].parse().expect("page count is a number")
}

fn acceptance_receipt(name: &str, marks: Marks) -> SlipDoc {
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

const RECEIPT_STRINGS: &[&str] = &[
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

#[test]
fn one_page_receipt_on_a4_and_roll() {
    let font = slip_font();
    let (_keep, dir) = out_dir();
    let doc = acceptance_receipt("王䶮", Marks::default());
    for (paper, name) in [
        (Paper::A4, "receipt-a4.pdf"),
        (Paper::Roll80, "receipt-roll80.pdf"),
    ] {
        let started = Instant::now();
        let bytes = render(&doc, &font, paper).expect("renders");
        let first = ms(started);
        let started = Instant::now();
        let runs = 10;
        for _ in 0..runs {
            render(&doc, &font, paper).expect("renders");
        }
        eprintln!(
            "timing: {name} first render {first:.1} ms, average of {runs} {:.1} ms, {} bytes",
            ms(started) / f64::from(runs),
            bytes.len()
        );
        let path = write(&dir, name, &bytes);
        check_pdf(&path);
        let text = pdftotext(&path);
        assert_contains(&text, RECEIPT_STRINGS);
        assert_contains(&text, &["王䶮", "第 1 / 1 页"]);
        assert!(
            bytes.len() < 40 * 1024,
            "{name}: one-page slip is {} bytes",
            bytes.len()
        );
    }
}

#[test]
fn rare_name_characters_extract_exactly() {
    let font = slip_font();
    let (_keep, dir) = out_dir();
    let mut doc = acceptance_receipt("𠮷野家 王䶮", Marks::default());
    doc.blocks.push(Block::Field {
        label: "代办人".into(),
        value: "𠮷野家".into(),
    });
    let bytes = render(&doc, &font, Paper::A4).expect("renders");
    let path = write(&dir, "rare-names.pdf", &bytes);
    check_pdf(&path);
    let text = pdftotext(&path);
    assert_contains(
        &text,
        &["客户名称：𠮷野家 王䶮", "代办人：𠮷野家", "王䶮", "𠮷"],
    );
}

#[test]
fn long_slip_paginates_with_numbers_and_repeated_table_header() {
    let font = slip_font();
    let (_keep, dir) = out_dir();
    let mut blocks = vec![Block::Heading("办理须知".into())];
    for i in 1..=200 {
        blocks.push(Block::Bullet(format!(
            "事项{i:03}：请携带有效证件原件，于 2026-12-{:02} 前到营业厅办理。",
            i % 28 + 1
        )));
    }
    blocks.push(Block::Heading("历史缴费记录".into()));
    let rows = (1..=60)
        .map(|i| {
            vec![
                format!("{i}"),
                format!("2026-{:02}-15", i % 12 + 1),
                format!("电费第{i}期（含峰谷分时电价调整及代征基金）"),
                format!("{}.{:02} 元", 100 + i * 7, i % 100),
            ]
        })
        .collect();
    blocks.push(Block::Table {
        headers: vec!["序号".into(), "日期".into(), "摘要".into(), "金额".into()],
        rows,
        widths: vec![1, 2, 5, 2],
    });
    blocks.push(Block::Signature("客户签名".into()));
    let doc = SlipDoc {
        title: "业务办理告知书".into(),
        header: vec!["城东供电营业厅".into()],
        blocks,
        footer: FOOTER.into(),
        number: "GZ20261124-1-0002".into(),
        marks: Marks::default(),
    };
    for (paper, name) in [
        (Paper::A4, "long-a4.pdf"),
        (Paper::Roll80, "long-roll80.pdf"),
    ] {
        let bytes = render(&doc, &font, paper).expect("renders");
        let path = write(&dir, name, &bytes);
        check_pdf(&path);
        let text = pdftotext(&path);
        let pages = page_count(&text);
        eprintln!("size: {name} {pages} pages, {} bytes", bytes.len());
        assert!(
            pages >= 3,
            "{name}: 200 bullets and 60 rows need pages, got {pages}"
        );
        for p in 1..=pages {
            let page = page_text(&path, p);
            assert_contains(
                &page,
                &[&format!("第 {p} / {pages} 页"), "GZ20261124-1-0002", FOOTER],
            );
            if page.contains("历史缴费记录") {
                // A heading is kept with the start of its table.
                assert_contains(&page, &["摘要", "电费第1期"]);
            }
            if p > 1 {
                assert_contains(&page, &["业务办理告知书（续）"]);
            }
        }
        for i in 1..=200 {
            assert_contains(&text, &[&format!("事项{i:03}：")]);
        }
        for i in 1..=60 {
            assert_contains(&text, &[&format!("{}.{:02} 元", 100 + i * 7, i % 100)]);
        }
        // The table spans pages, so its header must appear more than once.
        assert!(
            text.matches("摘要").count() >= 2,
            "{name}: table header not repeated"
        );
    }
}

#[test]
fn reprint_and_training_marks_on_every_page() {
    let font = slip_font();
    let (_keep, dir) = out_dir();
    let mut doc = acceptance_receipt(
        "王䶮",
        Marks {
            reprint: Some(REPRINT.into()),
            training: true,
        },
    );
    // Enough extra text for a second A4 page.
    for i in 1..=40 {
        doc.blocks.push(Block::Paragraph(format!(
            "第 {i} 条：实训场景中的告知内容，仅用于练习，不产生任何业务效力。"
        )));
    }
    for (paper, name) in [
        (Paper::A4, "marks-a4.pdf"),
        (Paper::Roll80, "marks-roll80.pdf"),
    ] {
        let bytes = render(&doc, &font, paper).expect("renders");
        let path = write(&dir, name, &bytes);
        check_pdf(&path);
        let text = pdftotext(&path);
        let pages = page_count(&text);
        assert!(pages >= 2, "{name}: expected several pages, got {pages}");
        for p in 1..=pages {
            let page = page_text(&path, p);
            assert_contains(&page, &[REPRINT, TRAINING]);
            // The diagonal watermark is hidden from extraction; only the banner
            // reads as text, so its letters are not scattered between lines.
            assert_eq!(page.matches("TRAINING").count(), 1, "{name} p{p}:\n{page}");
            let scattered = page
                .lines()
                .map(str::trim)
                .any(|l| !l.is_empty() && l != TRAINING && TRAINING.contains(l));
            assert!(
                !scattered,
                "{name} p{p}: watermark letters in the text:\n{page}"
            );
        }
    }
}

#[test]
fn no_character_is_lost_when_wrapping() {
    let font = slip_font();
    let (_keep, dir) = out_dir();
    let paragraph =
        "根据《供电营业规则》，居民客户申请新装用电，供电企业应在受理之日起 3 个工作日内\
        完成现场勘查。Customer reference SL20261124-1-0001 and meter 3301021234567890123456789 \
        (a 25-digit id) must not be split unless a line cannot hold it；日期 2026-11-24 10:05、\
        金额 1,234.56 元。“引号”（括号）【方括号】不应出现在行首的标点：，。、；！？"
            .repeat(3);
    let doc = SlipDoc {
        title: "换行检查".into(),
        header: vec![],
        blocks: vec![Block::Paragraph(paragraph.clone())],
        footer: String::new(),
        number: "T-1".into(),
        marks: Marks::default(),
    };
    for (paper, name) in [
        (Paper::A4, "wrap-a4.pdf"),
        (Paper::Roll80, "wrap-roll80.pdf"),
    ] {
        let bytes = render(&doc, &font, paper).expect("renders");
        let path = write(&dir, name, &bytes);
        let text: String = pdftotext(&path).split_whitespace().collect();
        let want: String = paragraph.split_whitespace().collect();
        assert!(
            text.contains(&want),
            "{name}: text lost or reordered:\n{text}"
        );
        // Dates and ids stay on one line.
        let lines = pdftotext(&path);
        assert_contains(&lines, &["2026-11-24", "SL20261124-1-0001", "1,234.56"]);
        let no_line_start: Vec<&str> = lines
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with(['，', '。', '、', '；', '）', '】', '”']))
            .collect();
        assert!(no_line_start.is_empty(), "{name}: {no_line_start:?}");
    }
}

#[test]
fn missing_glyphs_are_refused_before_rendering() {
    let font = slip_font();
    // U+E000 is private use, U+2A6F0 is unassigned (between CJK Extensions B and C),
    // U+20000 is a real Extension B ideograph this font does not cover.
    let mut doc = acceptance_receipt("王\u{E000}", Marks::default());
    doc.blocks
        .push(Block::Paragraph("\u{2A6F0}家 \u{20000} \u{E000}".into()));
    match render(&doc, &font, Paper::A4) {
        Err(SlipError::MissingGlyphs(chars)) => {
            assert_eq!(chars, vec!['\u{E000}', '\u{2A6F0}', '\u{20000}'])
        }
        other => panic!("expected MissingGlyphs, got {other:?}"),
    }
    assert_eq!(
        font.missing_chars("王䶮 𠮷\u{200D}\u{FE0F}\t\n"),
        Vec::<char>::new()
    );
    let message = SlipError::MissingGlyphs(vec!['\u{E000}']).to_string();
    assert!(message.contains("U+E000"), "{message}");
}

#[test]
fn width_comes_from_the_font() {
    let font = slip_font();
    // Noto Sans CJK ideographs are one em wide; Latin is proportional.
    assert!((font.width_pt("营业厅", 10.0) - 30.0).abs() < 0.01);
    assert!(font.width_pt("iiii", 10.0) < font.width_pt("MMMM", 10.0));
    assert_eq!(font.width_pt("", 10.0), 0.0);
}

#[test]
fn font_errors_name_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nope.otf");
    match SlipFont::load(&missing) {
        Err(SlipError::FontMissing { path }) => assert_eq!(path, missing),
        other => panic!("expected FontMissing, got {other:?}"),
    }
    // A directory exists but cannot be read as a file.
    match SlipFont::load(dir.path()) {
        Err(SlipError::FontUnreadable { path, detail }) => {
            assert_eq!(path, dir.path());
            assert!(!detail.is_empty());
        }
        other => panic!("expected FontUnreadable, got {other:?}"),
    }
    let junk = dir.path().join("junk.otf");
    std::fs::write(&junk, b"this is not a font at all, just text").expect("write");
    match SlipFont::load(&junk) {
        Err(SlipError::FontInvalid { path }) => {
            assert_eq!(path, junk);
            let message = SlipError::FontInvalid { path }.to_string();
            assert!(message.contains("junk.otf"), "{message}");
        }
        other => panic!("expected FontInvalid, got {other:?}"),
    }
    assert!(matches!(
        SlipFont::from_bytes(Vec::new()),
        Err(SlipError::FontInvalid { .. })
    ));
}

#[test]
fn loader_runs_in_the_background() {
    let started = Instant::now();
    let loader = font::loader(PathBuf::from(FONT));
    let font = loader.wait().expect("font loads");
    eprintln!("timing: background font load {:.1} ms", ms(started));
    assert!(font.missing_chars("䶮𠮷").is_empty());
    assert!(matches!(loader.get(), Some(Ok(_))));

    let bad = font::loader(PathBuf::from("/nonexistent/slip-font.otf"));
    assert!(matches!(bad.wait(), Err(SlipError::FontMissing { .. })));
    assert!(matches!(
        bad.get(),
        Some(Err(SlipError::FontMissing { .. }))
    ));
}

#[test]
fn awkward_content_still_lays_out() {
    let font = slip_font();
    let (_keep, dir) = out_dir();
    // A cell taller than a whole page, a header-less table, a ragged row, an
    // unbreakable 300-character id, a long signature label and empty strings.
    let tall_cell = (1..=500)
        .map(|i| format!("第{i}行"))
        .collect::<Vec<_>>()
        .join("，");
    let long_id = "X".repeat(150) + &"7".repeat(150);
    let doc = SlipDoc {
        title: String::new(),
        header: vec![String::new()],
        blocks: vec![
            Block::Paragraph(String::new()),
            Block::Field {
                label: String::new(),
                value: String::new(),
            },
            Block::Field {
                label: "一个非常非常长的字段标签，长到超过了半行的宽度，因此值只好另起一行".into(),
                value: "值在标签下方缩进排列".into(),
            },
            Block::Paragraph(long_id.clone()),
            Block::Table {
                headers: vec![],
                rows: vec![
                    vec!["无表头".into()],
                    vec!["甲".into(), "乙".into(), "丙".into()],
                ],
                widths: vec![0],
            },
            Block::Table {
                headers: vec!["说明".into()],
                rows: vec![vec![tall_cell.clone()], vec!["尾".into()]],
                widths: vec![],
            },
            Block::Signature("客户或其委托代理人签名（请用正楷书写，并按手印）".into()),
            Block::Cut(String::new()),
            Block::Spacer,
            Block::Heading("末尾标题".into()),
        ],
        footer: String::new(),
        number: String::new(),
        marks: Marks::default(),
    };
    for (paper, name) in [
        (Paper::A4, "awkward-a4.pdf"),
        (Paper::Roll80, "awkward-roll80.pdf"),
    ] {
        let bytes = render(&doc, &font, paper).expect("renders");
        let path = write(&dir, name, &bytes);
        check_pdf(&path);
        let text = pdftotext(&path);
        // Drop the page furniture so text running over a page break reads on.
        let flat: String = text
            .lines()
            .map(str::trim)
            .filter(|l| {
                *l != "说明" && *l != "（续）" && !(l.starts_with("第 ") && l.ends_with(" 页"))
            })
            .flat_map(str::split_whitespace)
            .collect();
        assert!(flat.contains(&long_id), "{name}: long id lost");
        for i in 1..=500 {
            assert!(flat.contains(&format!("第{i}行")), "{name}: 第{i}行 lost");
        }
        assert_contains(
            &text,
            &[
                "无表头",
                "丙",
                "值在标签下方缩进排列",
                "末尾标题",
                "日期：",
                "尾",
            ],
        );
        // The header repeats on every page the tall cell runs over.
        assert!(
            text.matches("说明").count() >= 2,
            "{name}: header not repeated"
        );
        assert!(page_count(&text) >= 2, "{name}: the tall cell spans pages");
    }
    // An empty slip is still a valid one-page PDF.
    let empty = SlipDoc {
        title: String::new(),
        header: vec![],
        blocks: vec![],
        footer: String::new(),
        number: String::new(),
        marks: Marks::default(),
    };
    let bytes = render(&empty, &font, Paper::A4).expect("renders");
    let path = write(&dir, "empty.pdf", &bytes);
    check_pdf(&path);
    assert_contains(&pdftotext(&path), &["第 1 / 1 页"]);
}

#[test]
fn loader_from_runs_any_load_and_survives_a_panic() {
    let bytes = std::fs::read(FONT).expect("font file");
    let from_bytes = font::loader_from(move || SlipFont::from_bytes(bytes));
    assert!(from_bytes.wait().is_ok());

    // The panic message this prints on stderr is expected.
    let panicking = font::loader_from(|| panic!("parser bug"));
    assert!(matches!(panicking.wait(), Err(SlipError::Render(_))));
}
