//! The slip as text for the preview on screen, taken from the same layout
//! the PDF is drawn from: every line breaks where the printed line breaks.

use super::item::Item;
use super::layout::Layout;
use super::Geometry;
use crate::slips::doc::SlipDoc;
use crate::slips::font::SlipFont;

/// The text items of a page as rows, top to bottom, each row left to right,
/// placed at columns half a body size wide (a Chinese character takes two).
/// Latin letters and digits are wider in the font than half a Chinese
/// character, so text set flush right is moved left until it ends within
/// `width` columns, as it ends within the margin on paper.
fn rows(items: &[Item], g: Geometry, width: usize) -> Vec<String> {
    let mut texts: Vec<(f32, f32, &str)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Text { x, top, text, .. } => Some((*top, *x, text.as_str())),
            _ => None,
        })
        .collect();
    texts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    // Half a body size, or narrower so a full A4 line fits 96 columns.
    let column = (g.body / 2.0).max(g.width() / 96.0);
    let mut out: Vec<String> = Vec::new();
    let mut row_top = f32::NAN;
    for (top, x, text) in texts {
        // Items of one line share their top to within a fraction of a point.
        if (top - row_top).abs() > 0.5 || out.is_empty() {
            out.push(String::new());
            row_top = top;
        }
        let line = out.last_mut().map(|l| l as &mut String);
        let Some(line) = line else { continue };
        let text = text.trim_end();
        let wide = unicode_width::UnicodeWidthStr::width(text);
        let want =
            (((x - g.margin) / column).round().max(0.0) as usize).min(width.saturating_sub(wide));
        let have = unicode_width::UnicodeWidthStr::width(line.as_str());
        let pad = if have == 0 {
            want
        } else {
            want.saturating_sub(have).max(1)
        };
        line.push_str(&" ".repeat(pad));
        line.push_str(text);
    }
    out
}

/// The whole slip as lines: each page as printed, pages apart by a rule.
pub(super) fn lines(doc: &SlipDoc, font: &SlipFont, g: Geometry) -> Vec<String> {
    let pages = Layout::run(doc, font, g);
    let width = ((g.width() / (g.body / 2.0).max(g.width() / 96.0)) as usize).min(96);
    let mut out = Vec::new();
    for (index, items) in pages.iter().enumerate() {
        if index > 0 {
            out.push("─".repeat(width));
        }
        out.extend(rows(items, g, width));
    }
    out
}
