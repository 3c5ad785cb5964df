//! Lays a [`SlipDoc`] out on pages and writes it as a PDF with the CJK font
//! embedded as a subset.
//!
//! Layout runs in two passes: the first places every block and starts new pages
//! as needed; the second knows the page count and adds "第 x / n 页" and the
//! footer. Coordinates inside this module are points measured down from the top
//! of the page; they are flipped to PDF's bottom-up space only when emitting ops.

mod draw;
mod item;
mod layout;
mod preview;
mod table;
mod wrap;

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::doc::{Paper, SlipDoc};
use super::error::SlipError;
use super::font::SlipFont;
use draw::write_pdf;
use layout::Layout;

const MM: f32 = 72.0 / 25.4;
/// Line height as a multiple of the font size; CJK text needs more air than Latin.
const LEADING: f32 = 1.45;
/// Text printed on and across every practice-lab slip.
const TRAINING_TEXT: &str = "实训 — 无效 / TRAINING — NOT VALID";
const CONTINUED: &str = "（续）";
/// Table cell padding and the gap above a table, in multiples of the body size.
const CELL_PAD_X: f32 = 0.3;
const CELL_PAD_Y: f32 = 0.2;
const TABLE_GAP: f32 = 0.2;
/// Signature block: blank space above a signing line (in line heights) and the
/// gap between the signature and date lines (in multiples of the body size).
const SIGN_SPACE: f32 = 1.8;
const SIGN_GAP: f32 = 1.5;
/// Hanging indent of bullet text, in multiples of the body size.
const BULLET_INDENT: f32 = 1.2;
const SIGN_DATE: &str = "日期";

/// Renders `doc` on `paper` and returns the PDF bytes.
///
/// Refuses with [`SlipError::MissingGlyphs`] before drawing anything if the font
/// cannot draw every character: a slip with a blank where part of a customer's
/// name should be must never be printed.
pub fn render(doc: &SlipDoc, font: &SlipFont, paper: Paper) -> Result<Vec<u8>, SlipError> {
    // The engine's own fixed strings are checked too, in case the font is swapped.
    let text = format!(
        "{}\n{TRAINING_TEXT}{CONTINUED}{SIGN_DATE}第页：/0123456789",
        doc.all_text()
    );
    let missing = font.missing_chars(&text);
    if !missing.is_empty() {
        return Err(SlipError::MissingGlyphs(missing));
    }
    let geometry = Geometry::of(paper);
    let pages = Layout::run(doc, font, geometry);
    // printpdf is third-party code; a panic in it must become a message, not take
    // the workstation down.
    catch_unwind(AssertUnwindSafe(|| write_pdf(doc, font, geometry, &pages)))
        .map_err(|_| SlipError::Render("the PDF writer panicked".into()))?
}

/// The slip as lines of text, broken exactly where the printed slip breaks
/// them (the same layout), for the preview before printing.
pub fn preview(doc: &SlipDoc, font: &SlipFont, paper: Paper) -> Vec<String> {
    preview::lines(doc, font, Geometry::of(paper))
}

/// Page size, margins and type sizes of one paper, in points.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    page_w: f32,
    page_h: f32,
    margin: f32,
    body: f32,
}

impl Geometry {
    fn of(paper: Paper) -> Geometry {
        match paper {
            Paper::A4 => Geometry {
                page_w: 210.0 * MM,
                page_h: 297.0 * MM,
                margin: 15.0 * MM,
                body: 10.5,
            },
            // Fixed-length pages keep pagination identical to A4; the roll printer
            // cuts after the last page anyway.
            Paper::Roll80 => Geometry {
                page_w: 80.0 * MM,
                page_h: 297.0 * MM,
                margin: 4.0 * MM,
                body: 8.0,
            },
            Paper::Ticket80 => Geometry {
                page_w: 80.0 * MM,
                page_h: 100.0 * MM,
                margin: 4.0 * MM,
                body: 8.0,
            },
        }
    }
    fn width(&self) -> f32 {
        self.page_w - 2.0 * self.margin
    }
    fn title(&self) -> f32 {
        self.body * 1.6
    }
    fn heading(&self) -> f32 {
        self.body * 1.25
    }
    fn small(&self) -> f32 {
        self.body * 0.85
    }
    fn lh(&self, size: f32) -> f32 {
        size * LEADING
    }
}
