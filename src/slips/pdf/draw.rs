//! Second half of rendering: laid-out items become printpdf operations, and
//! the document is serialised with the font subset.

use printpdf::{
    Color, DictItem, FontId, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point, Polygon, PolygonRing, Pt,
    Rect, Rgb, TextItem, TextMatrix, WindingOrder,
};

use super::item::Item;
use super::{Geometry, LEADING, MM, TRAINING_TEXT};
use crate::slips::doc::SlipDoc;
use crate::slips::error::SlipError;
use crate::slips::font::{needs_glyph, SlipFont};

fn grey(level: f32) -> Color {
    Color::Rgb(Rgb {
        r: level,
        g: level,
        b: level,
        icc_profile: None,
    })
}

fn pt_point(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(y) }
}

/// Turns the finished pages into PDF operations and serialises the document.
pub(super) fn write_pdf(
    doc: &SlipDoc,
    font: &SlipFont,
    g: Geometry,
    pages: &[Vec<Item>],
) -> Result<Vec<u8>, SlipError> {
    let mut pdf = PdfDocument::new(&doc.title);
    let font_id = pdf.add_font(font.face());
    let count = pages.len();
    let mut out = Vec::with_capacity(count);
    for items in pages {
        let mut ops = Vec::new();
        if doc.marks.training {
            // Drawn first so the slip's own text stays readable on top of it.
            watermark(&mut ops, font, &font_id, g);
        }
        for item in items {
            item_ops(&mut ops, item, &font_id, g.page_h);
        }
        out.push(PdfPage::new(Mm(g.page_w / MM), Mm(g.page_h / MM), ops));
    }
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let bytes = pdf.with_pages(out).save(&options, &mut warnings);
    // printpdf falls back to embedding the whole 16 MB font when subsetting fails;
    // such a slip would choke the spool, so treat it as a failure.
    let errors: Vec<String> = warnings
        .into_iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| w.msg)
        .collect();
    if !errors.is_empty() {
        return Err(SlipError::Render(errors.join("; ")));
    }
    Ok(bytes)
}

/// The diagonal training mark, corner to corner through the page centre.
fn watermark(ops: &mut Vec<Op>, font: &SlipFont, font_id: &FontId, g: Geometry) {
    let angle = g.page_h.atan2(g.page_w);
    let diagonal = g.page_w.hypot(g.page_h);
    let unit = font.width_pt(TRAINING_TEXT, 1.0).max(1.0);
    let size = (diagonal * 0.75 / unit).min(g.body * 4.5);
    let w = unit * size;
    let (s, c) = angle.sin_cos();
    // Start so that the middle of the text (horizontally and at half cap height)
    // lands on the page centre.
    let (cx, cy) = (g.page_w / 2.0, g.page_h / 2.0);
    let rise = size * 0.35;
    let x = cx - c * w / 2.0 + s * rise;
    let y = cy - s * w / 2.0 - c * rise;
    // A watermark artifact wrapping a span with an empty /ActualText: text
    // extraction and copy-paste then skip the big diagonal letters instead of
    // scattering them between the slip's lines (poppler honours /ActualText only on
    // /Span). The banner at the top of the page carries the same words as text.
    let dict = |entries: Vec<(&str, DictItem)>| DictItem::Dict {
        map: entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    };
    let artifact = dict(vec![
        ("Type", DictItem::Name(b"Pagination".to_vec())),
        ("Subtype", DictItem::Name(b"Watermark".to_vec())),
    ]);
    let span = dict(vec![(
        "ActualText",
        DictItem::String {
            data: Vec::new(),
            literal: true,
        },
    )]);
    ops.extend([
        Op::BeginMarkedContentWithProperties {
            tag: "Artifact".into(),
            properties: artifact,
        },
        Op::BeginMarkedContentWithProperties {
            tag: "Span".into(),
            properties: span,
        },
        Op::SaveGraphicsState,
        Op::SetFillColor { col: grey(0.82) },
        Op::StartTextSection,
        Op::SetTextMatrix {
            matrix: TextMatrix::Raw([c, s, -s, c, x, y]),
        },
        Op::SetFont {
            font: PdfFontHandle::External(font_id.clone()),
            size: Pt(size),
        },
        Op::ShowText {
            items: vec![TextItem::Text(TRAINING_TEXT.to_string())],
        },
        Op::EndTextSection,
        Op::RestoreGraphicsState,
        Op::EndMarkedContentWithProperties,
        Op::EndMarkedContentWithProperties,
    ]);
}

fn item_ops(ops: &mut Vec<Op>, item: &Item, font_id: &FontId, page_h: f32) {
    match item {
        Item::Text { x, top, size, text } => {
            let lh = size * LEADING;
            // Centre the em box in the line box; 0.88 em is Noto CJK's ascent.
            let baseline = top + (lh - size) / 2.0 + size * 0.88;
            ops.extend([
                Op::StartTextSection,
                Op::SetFont {
                    font: PdfFontHandle::External(font_id.clone()),
                    size: Pt(*size),
                },
                Op::SetTextCursor {
                    pos: pt_point(*x, page_h - baseline),
                },
                Op::ShowText {
                    items: vec![TextItem::Text(printable(text))],
                },
                Op::EndTextSection,
            ]);
        }
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            dashed,
        } => {
            let dash = if *dashed {
                LineDashPattern::new(0.0, &[4.0, 2.5])
            } else {
                LineDashPattern::solid()
            };
            ops.extend([
                Op::SetOutlineColor { col: grey(0.0) },
                Op::SetOutlineThickness { pt: Pt(*width) },
                Op::SetLineDashPattern { dash },
                Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: pt_point(*x1, page_h - y1),
                                bezier: false,
                            },
                            LinePoint {
                                p: pt_point(*x2, page_h - y2),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                },
            ]);
        }
        Item::Rect {
            x,
            y,
            w,
            h,
            grey: fill,
            border,
        } => {
            let mode = match (fill, border) {
                (Some(_), Some(_)) => PaintMode::FillStroke,
                (Some(_), None) => PaintMode::Fill,
                _ => PaintMode::Stroke,
            };
            if let Some(level) = fill {
                ops.push(Op::SetFillColor { col: grey(*level) });
            }
            if let Some(width) = border {
                ops.extend([
                    Op::SetOutlineColor { col: grey(0.0) },
                    Op::SetOutlineThickness { pt: Pt(*width) },
                    Op::SetLineDashPattern {
                        dash: LineDashPattern::solid(),
                    },
                ]);
            }
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(*x),
                    y: Pt(page_h - y - h),
                    width: Pt(*w),
                    height: Pt(*h),
                    mode: Some(mode),
                    winding_order: Some(WindingOrder::NonZero),
                },
            });
            // Text after a filled box must be black again.
            ops.push(Op::SetFillColor { col: grey(0.0) });
        }
        Item::Dot { cx, cy, r } => {
            // A circle from four Bézier quarter arcs (k = 0.5523 is the standard
            // control-point distance).
            let k = 0.5523 * r;
            let (x, y) = (*cx, page_h - cy);
            let pts = [
                (x + r, y, false),
                (x + r, y + k, true),
                (x + k, y + r, true),
                (x, y + r, false),
                (x - k, y + r, true),
                (x - r, y + k, true),
                (x - r, y, false),
                (x - r, y - k, true),
                (x - k, y - r, true),
                (x, y - r, false),
                (x + k, y - r, true),
                (x + r, y - k, true),
            ];
            ops.extend([
                Op::SetFillColor { col: grey(0.0) },
                Op::DrawPolygon {
                    polygon: Polygon {
                        rings: vec![PolygonRing {
                            points: pts
                                .iter()
                                .map(|&(px, py, bezier)| LinePoint {
                                    p: pt_point(px, py),
                                    bezier,
                                })
                                .collect(),
                        }],
                        mode: PaintMode::Fill,
                        winding_order: WindingOrder::NonZero,
                    },
                },
            ]);
        }
    }
}

/// The characters of a laid-out line as they are drawn: whitespace the font
/// lacks (tabs, odd spaces) becomes a plain space; invisible characters are dropped
/// rather than drawn as .notdef boxes.
fn printable(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if needs_glyph(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}
