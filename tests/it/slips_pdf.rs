//! Renders real slips with the shipped CJK font and checks them with the tools a
//! person would trust: poppler's pdftotext and pdffonts, and qpdf.

use std::path::PathBuf;
use std::time::Instant;

use counterdesk::slips::doc::{Block, Marks, Paper, SlipDoc};
use counterdesk::slips::error::SlipError;
use counterdesk::slips::font::{self, SlipFont};
use counterdesk::slips::pdf::render;

use crate::common::pdf::*;

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
