//! First pass: places blocks on pages, and the page furniture (title, marks,
//! number, footer) around them.

use super::item::Item;
use super::wrap::wrap;
use super::{
    Geometry, BULLET_INDENT, CONTINUED, MM, SIGN_DATE, SIGN_GAP, SIGN_SPACE, TRAINING_TEXT,
};
use crate::slips::doc::{Block, SlipDoc};
use crate::slips::font::SlipFont;

/// Arrangement of a signature block, worked out before placing it.
#[derive(Debug)]
struct SignaturePlan {
    label_lines: Vec<String>,
    /// Label, signing line, date and date line all on one row.
    one_row: bool,
    /// The signing line goes under the (long) label instead of after it.
    rule_below: bool,
    date_line: f32,
    height: f32,
}

/// First pass: places the blocks, starting pages as they fill.
pub(super) struct Layout<'a> {
    pub(super) doc: &'a SlipDoc,
    pub(super) font: &'a SlipFont,
    pub(super) g: Geometry,
    pub(super) pages: Vec<Vec<Item>>,
    /// Where the next block goes on the current page.
    pub(super) y: f32,
    /// Where the body starts on the current page (below title and marks).
    pub(super) top: f32,
    /// Lowest point the body may reach (above footer and page number).
    pub(super) bottom: f32,
}

impl<'a> Layout<'a> {
    pub(super) fn run(doc: &'a SlipDoc, font: &'a SlipFont, g: Geometry) -> Vec<Vec<Item>> {
        let mut layout = Layout {
            doc,
            font,
            g,
            pages: Vec::new(),
            y: 0.0,
            top: 0.0,
            bottom: g.page_h - g.margin - footer_height(doc, font, g),
        };
        layout.new_page();
        for (i, block) in doc.blocks.iter().enumerate() {
            layout.block(block, doc.blocks.get(i + 1));
        }
        // Second pass: now that the page count is known, every page gets
        // its footer, number and marks.
        let mut pages = layout.pages;
        let count = pages.len();
        for (index, items) in pages.iter_mut().enumerate() {
            finish_page(doc, font, g, items, index, count);
        }
        pages
    }

    pub(super) fn items(&mut self) -> &mut Vec<Item> {
        // `new_page` runs before any block, so there is always a page; the
        // fallback only keeps this free of a panic path.
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub(super) fn text(&mut self, x: f32, top: f32, size: f32, text: &str) {
        if !text.trim().is_empty() {
            self.items().push(Item::Text {
                x,
                top,
                size,
                text: text.to_string(),
            });
        }
    }

    fn centred(&mut self, top: f32, size: f32, text: &str) {
        let w = self.font.width_pt(text.trim_end(), size);
        let x = (self.g.page_w - w) / 2.0;
        self.text(x.max(self.g.margin), top, size, text);
    }

    fn hline(&mut self, x1: f32, x2: f32, y: f32, width: f32, dashed: bool) {
        self.items().push(Item::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            dashed,
        });
    }

    /// Starts a page and draws its top frame: marks, number, title, header.
    pub(super) fn new_page(&mut self) {
        let g = self.g;
        let first = self.pages.is_empty();
        self.pages.push(Vec::new());
        let left = g.margin;
        let width = g.width();
        let mut y = g.margin;

        let mut banners: Vec<(&str, Option<f32>)> = Vec::new();
        if let Some(reprint) = &self.doc.marks.reprint {
            banners.push((reprint, None));
        }
        if self.doc.marks.training {
            banners.push((TRAINING_TEXT, Some(0.88)));
        }
        for (text, grey) in banners {
            // Boxed and larger than body text so nobody mistakes the copy for
            // the original or a practice slip for a real one.
            // Shrink a long mark (down to the small size) rather than wrap it,
            // so on the narrow roll it still reads as one line.
            let pad = g.body * 0.35;
            let inner = width - 2.0 * pad;
            let fit = inner / self.font.width_pt(text, 1.0).max(1.0);
            let size = (g.body * 1.1).min(fit).max(g.small());
            let lines = wrap(self.font, text, size, inner, inner);
            let h = lines.len() as f32 * g.lh(size) + 2.0 * pad;
            self.items().push(Item::Rect {
                x: left,
                y,
                w: width,
                h,
                grey,
                border: Some(1.2),
            });
            let mut top = y + pad;
            for line in &lines {
                self.centred(top, size, line);
                top += g.lh(size);
            }
            y += h + g.body * 0.4;
        }

        // The slip number sits alone at the top right: on an 80 mm roll there is
        // no room beside the title.
        let small = g.small();
        for line in wrap(self.font, &self.doc.number, small, width, width) {
            let w = self.font.width_pt(line.trim_end(), small);
            self.text(left + width - w, y, small, &line);
            y += g.lh(small);
        }

        let title = if first {
            self.doc.title.clone()
        } else {
            format!("{}{CONTINUED}", self.doc.title)
        };
        let size = g.title();
        for line in wrap(self.font, &title, size, width, width) {
            self.centred(y, size, &line);
            y += g.lh(size);
        }
        if first {
            for header in &self.doc.header {
                for line in wrap(self.font, header, small, width, width) {
                    self.centred(y, small, &line);
                    y += g.lh(small);
                }
            }
        }
        y += g.body * 0.3;
        self.hline(left, left + width, y, 0.8, false);
        y += g.body * 0.6;
        self.top = y;
        self.y = y;
    }

    /// Starts a new page unless `h` more points fit on this one (or this page's
    /// body is still empty, where breaking would not help).
    pub(super) fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom + 0.01 && self.y > self.top + 0.01 {
            self.new_page();
        }
    }

    /// Height the start of `block` needs on a page, so a heading is never left
    /// at the bottom of a page without the first lines of what it introduces.
    fn min_start(&self, block: Option<&Block>) -> f32 {
        let g = self.g;
        let lh = g.lh(g.body);
        let keep = |text: &str, width: f32| {
            let n = wrap(self.font, text, g.body, width, width).len();
            (if n <= 3 { n } else { 2 }) as f32 * lh
        };
        match block {
            None | Some(Block::Spacer) => 0.0,
            Some(Block::Heading(_)) => g.lh(g.heading()),
            Some(Block::Paragraph(text)) => keep(text, g.width()),
            Some(Block::Bullet(text)) => keep(text, g.width() - g.body * BULLET_INDENT),
            Some(Block::Field { label, value }) => {
                let label_w = self.font.width_pt(label, g.body) + g.body;
                keep(value, (g.width() - label_w).max(g.width() * 0.5))
            }
            Some(Block::Table {
                headers,
                rows,
                widths,
            }) => self.table_start(headers, rows, widths),
            Some(Block::Signature(label)) => self.signature_plan(label).height,
            Some(Block::Cut(_)) => 2.0 * lh,
            Some(Block::Big(_)) => g.lh(body_big(g.body)),
            Some(Block::Qr(_)) => QR_SIDE.min(g.width()),
        }
    }

    fn block(&mut self, block: &Block, next: Option<&Block>) {
        let g = self.g;
        let body = g.body;
        let lh = g.lh(body);
        match block {
            Block::Heading(text) => {
                let size = g.heading();
                let lines = wrap(self.font, text, size, g.width(), g.width());
                let gap = if self.y > self.top { body * 0.5 } else { 0.0 };
                let heading_h = lines.len() as f32 * g.lh(size) + body * 0.15;
                self.ensure(gap + heading_h + self.min_start(next));
                if self.y > self.top {
                    self.y += gap;
                }
                for line in lines {
                    self.ensure(g.lh(size));
                    self.text(g.margin, self.y, size, &line);
                    self.y += g.lh(size);
                }
                self.y += body * 0.15;
            }
            Block::Paragraph(text) => {
                self.lines(g.margin, &wrap(self.font, text, body, g.width(), g.width()));
                self.y += body * 0.35;
            }
            Block::Field { label, value } => self.field(label, value),
            Block::Bullet(text) => self.bullet(text),
            Block::Table {
                headers,
                rows,
                widths,
            } => self.table(headers, rows, widths),
            Block::Signature(label) => self.signature(label),
            Block::Cut(caption) => self.cut(caption),
            Block::Big(text) => {
                let size = body_big(body);
                self.ensure(g.lh(size) + self.min_start(next));
                let top = self.y;
                self.centred(top, size, text);
                self.y += g.lh(size);
            }
            Block::Spacer => {
                self.y += lh * 0.8;
            }
            Block::Qr(data) => self.qr(data),
        }
    }

    /// Dark modules as black squares, four modules of quiet zone around.
    fn qr(&mut self, data: &str) {
        let Ok(code) = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M) else {
            return;
        };
        let side = QR_SIDE.min(self.g.width());
        let n = code.width();
        let module = side / (n as f32 + 8.0);
        self.ensure(side);
        let (x0, y0) = (self.g.margin + 4.0 * module, self.y + 4.0 * module);
        for (i, c) in code.to_colors().iter().enumerate() {
            if *c == qrcode::Color::Dark {
                self.items().push(Item::Rect {
                    x: x0 + (i % n) as f32 * module,
                    y: y0 + (i / n) as f32 * module,
                    w: module,
                    h: module,
                    grey: Some(0.0),
                    border: None,
                });
            }
        }
        self.y += side;
    }

    /// Page break (if needed) before line `i` of a run of `n` body lines: up to
    /// three lines stay together, and a longer run leaves at least two lines on
    /// each page, so no page starts or ends with a lone line of a paragraph.
    fn ensure_line(&mut self, i: usize, n: usize) {
        let need = match (i, n) {
            (0, n) if n <= 3 => n,
            (0, _) => 2,
            (i, n) if n > 3 && i + 2 == n => 2,
            _ => 1,
        };
        self.ensure(need as f32 * self.g.lh(self.g.body));
    }

    /// Body-size lines at `x`, breaking pages between lines.
    fn lines(&mut self, x: f32, lines: &[String]) {
        let lh = self.g.lh(self.g.body);
        for (i, line) in lines.iter().enumerate() {
            self.ensure_line(i, lines.len());
            self.text(x, self.y, self.g.body, line);
            self.y += lh;
        }
    }

    fn field(&mut self, label: &str, value: &str) {
        let g = self.g;
        let body = g.body;
        let lh = g.lh(body);
        let label = if label.ends_with('：') || label.ends_with(':') || label.is_empty() {
            label.to_string()
        } else {
            format!("{label}：")
        };
        let label_w = self.font.width_pt(&label, body);
        if label_w <= g.width() * 0.45 {
            // Value lines hang under the value, so the label column stays clean.
            let vw = g.width() - label_w;
            let lines = wrap(self.font, value, body, vw, vw);
            for (i, line) in lines.iter().enumerate() {
                self.ensure_line(i, lines.len());
                if i == 0 {
                    self.text(g.margin, self.y, body, &label);
                }
                self.text(g.margin + label_w, self.y, body, line);
                self.y += lh;
            }
            if lines.is_empty() {
                self.ensure(lh);
                self.text(g.margin, self.y, body, &label);
                self.y += lh;
            }
        } else {
            // A label too long to hang a value after: label on its own, value
            // indented beneath it.
            self.lines(
                g.margin,
                &wrap(self.font, &label, body, g.width(), g.width()),
            );
            let indent = body * 2.0;
            let vw = g.width() - indent;
            self.lines(g.margin + indent, &wrap(self.font, value, body, vw, vw));
        }
        self.y += body * 0.12;
    }

    fn bullet(&mut self, text: &str) {
        let g = self.g;
        let body = g.body;
        let lh = g.lh(body);
        let indent = body * BULLET_INDENT;
        let tw = g.width() - indent;
        let lines = wrap(self.font, text, body, tw, tw);
        for (i, line) in lines.iter().enumerate() {
            self.ensure_line(i, lines.len());
            if i == 0 {
                // A drawn dot rather than "•": Noto CJK shares one glyph between
                // "•" and "·", so a "•" glyph would make every "·" on the slip
                // extract as "•" (and the other way round).
                let cy = self.y + (lh - body) / 2.0 + body * 0.5;
                self.items().push(Item::Dot {
                    cx: g.margin + body * 0.45,
                    cy,
                    r: body * 0.17,
                });
            }
            self.text(g.margin + indent, self.y, body, line);
            self.y += lh;
        }
        self.y += body * 0.1;
    }

    /// How a signature block is arranged, and its height.
    fn signature_plan(&self, label: &str) -> SignaturePlan {
        let g = self.g;
        let body = g.body;
        let lh = g.lh(body);
        let label = format!("{label}：");
        let label_w = self.font.width_pt(&label, body);
        let date_w = self.font.width_pt(&format!("{SIGN_DATE}："), body);
        let date_line = (g.width() * 0.25).min(32.0 * MM);
        // Label, at least 30 mm to sign on, a gap, then the date: one row on A4.
        let one_row = label_w + 30.0 * MM + body * SIGN_GAP + date_w + date_line <= g.width();
        let label_lines = wrap(self.font, &label, body, g.width(), g.width());
        let last_w = label_lines
            .last()
            .map_or(0.0, |l| self.font.width_pt(l.trim_end(), body));
        // A label too long to leave 25 mm after it gets its rule on a line below.
        let rule_below = !one_row && g.width() - last_w < 25.0 * MM;
        let rows = if one_row {
            1.0
        } else {
            label_lines.len() as f32 + f32::from(u8::from(rule_below)) + 1.0
        };
        // Room above each signing line to actually write on it.
        let space = lh * SIGN_SPACE;
        let writable = if one_row { 1.0 } else { 2.0 };
        SignaturePlan {
            label_lines,
            one_row,
            rule_below,
            date_line,
            height: writable * space + rows * lh + body * 0.3,
        }
    }

    fn signature(&mut self, label: &str) {
        let g = self.g;
        let body = g.body;
        let lh = g.lh(body);
        let plan = self.signature_plan(label);
        // Never split: a signature line alone on a page is useless.
        self.ensure(plan.height);
        let date = format!("{SIGN_DATE}：");
        let date_w = self.font.width_pt(&date, body);
        let right = g.margin + g.width();
        let rule = |top: f32| top + (lh - body) / 2.0 + body * 1.05;
        let mut top = self.y + lh * SIGN_SPACE;
        if plan.one_row {
            let label = plan.label_lines.concat();
            let label_w = self.font.width_pt(&label, body);
            let date_x = right - plan.date_line - date_w;
            self.text(g.margin, top, body, &label);
            self.hline(
                g.margin + label_w,
                date_x - body * SIGN_GAP,
                rule(top),
                0.6,
                false,
            );
            self.text(date_x, top, body, &date);
            self.hline(right - plan.date_line, right, rule(top), 0.6, false);
        } else {
            let n = plan.label_lines.len();
            for (i, line) in plan.label_lines.iter().enumerate() {
                self.text(g.margin, top, body, line);
                if i + 1 == n && !plan.rule_below {
                    let w = self.font.width_pt(line.trim_end(), body);
                    self.hline(g.margin + w, right, rule(top), 0.6, false);
                }
                top += lh;
            }
            if plan.rule_below {
                self.hline(g.margin, right, rule(top), 0.6, false);
                top += lh;
            }
            top += lh * SIGN_SPACE;
            self.text(g.margin, top, body, &date);
            self.hline(g.margin + date_w, right, rule(top), 0.6, false);
        }
        self.y += plan.height;
    }

    fn cut(&mut self, caption: &str) {
        let g = self.g;
        let small = g.small();
        let lh = g.lh(small);
        let lines = wrap(self.font, caption, small, g.width() * 0.7, g.width() * 0.7);
        let h = lines.len().max(1) as f32 * lh + g.body;
        self.ensure(h);
        let mid = self.y + h / 2.0;
        // The dashes reach into the margins so the line reads as "cut here" across
        // the sheet; both ends are symmetric so the caption stays centred.
        let x1 = g.margin * 0.4;
        let x2 = g.page_w - g.margin * 0.4;
        let cap_w = lines
            .iter()
            .map(|l| self.font.width_pt(l.trim_end(), small))
            .fold(0.0, f32::max);
        if cap_w > 0.0 {
            let gap = small * 0.5;
            let cx = g.page_w / 2.0;
            self.hline(x1, cx - cap_w / 2.0 - gap, mid, 0.6, true);
            self.hline(cx + cap_w / 2.0 + gap, x2, mid, 0.6, true);
            let mut top = mid - lines.len() as f32 * lh / 2.0;
            for line in &lines {
                self.centred(top, small, line);
                top += lh;
            }
        } else {
            self.hline(x1, x2, mid, 0.6, true);
        }
        self.y += h;
    }
}

/// Height reserved at the bottom of each page for the footer and page number.
pub(super) fn footer_height(doc: &SlipDoc, font: &SlipFont, g: Geometry) -> f32 {
    let small = g.small();
    let lines = wrap(font, &doc.footer, small, g.width(), g.width()).len();
    (lines + 1) as f32 * g.lh(small) + g.body * 0.8
}

/// Second pass: the footer, page numbers and training watermark of page `index`.
fn finish_page(
    doc: &SlipDoc,
    font: &SlipFont,
    g: Geometry,
    items: &mut Vec<Item>,
    index: usize,
    count: usize,
) {
    let small = g.small();
    let lh = g.lh(small);
    let mut y = g.page_h - g.margin - footer_height(doc, font, g) + g.body * 0.4;
    items.push(Item::Line {
        x1: g.margin,
        y1: y,
        x2: g.page_w - g.margin,
        y2: y,
        width: 0.4,
        dashed: false,
    });
    y += g.body * 0.4;
    let footer = wrap(font, &doc.footer, small, g.width(), g.width());
    for line in &footer {
        let w = font.width_pt(line.trim_end(), small);
        if !line.trim().is_empty() {
            items.push(Item::Text {
                x: ((g.page_w - w) / 2.0).max(g.margin),
                top: y,
                size: small,
                text: line.clone(),
            });
        }
        y += lh;
    }
    // "第 1 / 2 页" is set word by word with generous gaps: with the font's narrow
    // space, pdftotext -layout glues single digits to their neighbours ("第1/2页").
    let page = format!("第 {} / {count} 页", index + 1);
    let gap = small * 0.5;
    let words: Vec<&str> = page.split(' ').collect();
    let total = words.iter().map(|w| font.width_pt(w, small)).sum::<f32>()
        + gap * words.len().saturating_sub(1) as f32;
    let mut x = (g.page_w - total) / 2.0;
    for word in words {
        items.push(Item::Text {
            x,
            top: y,
            size: small,
            text: word.to_string(),
        });
        x += font.width_pt(word, small) + gap;
    }
}

/// The size of a big line: four times the body text.
/// A QR code's side with its quiet zone, in points (about 30 mm): big
/// enough for a phone camera across a counter.
const QR_SIDE: f32 = 85.0;

fn body_big(body: f32) -> f32 {
    body * 4.0
}
