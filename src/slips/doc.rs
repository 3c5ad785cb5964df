//! The content of a slip, independent of paper and PDF library.

pub use crate::domain::states::Paper;

/// One block of a slip, laid out top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading, printed larger than body text.
    Heading(String),
    /// "label：value"; a long value wraps aligned after the label.
    Field {
        /// Printed before the value, followed by a full-width colon.
        label: String,
        /// The value; wraps under itself, not under the label.
        value: String,
    },
    /// Wrapped body text.
    Paragraph(String),
    /// A bullet point with a hanging indent.
    Bullet(String),
    /// A ruled table whose cells wrap; the header row repeats on each new page.
    Table {
        /// Column headings.
        headers: Vec<String>,
        /// Rows of cells; a short row leaves its last cells empty.
        rows: Vec<Vec<String>>,
        /// Relative column widths (weights); missing or zero weights count as 1.
        widths: Vec<u16>,
    },
    /// A labelled line to sign on plus a date line; never split across pages.
    Signature(String),
    /// A dashed cut line across the page with a centred caption.
    Cut(String),
    /// One short line in large type, centred: a queue ticket's number.
    Big(String),
    /// A QR code of this text (an address), at the left margin; the text
    /// itself is printed by the block before it, so it is never only a code.
    Qr(String),
    /// One blank line.
    Spacer,
}

/// Marks over the whole slip.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Printed prominently at the top of every page of a reprinted slip,
    /// e.g. "重打 / REPRINT 2 · 1001 张敏 · 2026-11-24 10:05".
    pub reprint: Option<String>,
    /// Practice-lab slip: a diagonal "实训 — 无效 / TRAINING — NOT VALID" across
    /// every page (and a banner at the top), so it can never pass as a real slip.
    pub training: bool,
}

/// A whole slip, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipDoc {
    /// Printed centred at the top of every page.
    pub title: String,
    /// Small lines under the title on the first page: hall name, address, phone.
    pub header: Vec<String>,
    /// The body, top to bottom.
    pub blocks: Vec<Block>,
    /// Small line at the bottom of every page, e.g. the service hotlines.
    pub footer: String,
    /// Slip number, printed at the top right of every page.
    pub number: String,
    /// Reprint and training marks.
    pub marks: Marks,
}

impl SlipDoc {
    /// Every string in the slip, newline-separated, so the font can be checked for
    /// missing glyphs before anything is printed.
    pub fn all_text(&self) -> String {
        let mut parts: Vec<&str> = vec![&self.title, &self.footer, &self.number];
        parts.extend(self.header.iter().map(String::as_str));
        if let Some(reprint) = &self.marks.reprint {
            parts.push(reprint);
        }
        for block in &self.blocks {
            match block {
                Block::Heading(text)
                | Block::Paragraph(text)
                | Block::Bullet(text)
                | Block::Signature(text)
                | Block::Cut(text)
                | Block::Big(text) => parts.push(text),
                Block::Field { label, value } => {
                    parts.push(label);
                    parts.push(value);
                }
                Block::Table { headers, rows, .. } => {
                    parts.extend(headers.iter().map(String::as_str));
                    for row in rows {
                        parts.extend(row.iter().map(String::as_str));
                    }
                }
                Block::Spacer | Block::Qr(_) => {}
            }
        }
        parts.join("\n")
    }
}
