//! What popups share: a box centred over the screen, and the slip preview
//! that the acceptance and the applications screens open.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget};

use unicode_width::UnicodeWidthStr;

use crate::domain::msg::Lang;
use crate::tui::keymap::{self, b, Binding, DOWN, ESC, UP};
use crate::tui::text::t;
use crate::tui::theme;

/// A `w` × `h` box centred on `area`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears `area`, draws a titled border, returns the inside (padded).
pub fn frame(area: Rect, buf: &mut Buffer, title: String) -> Rect {
    Clear.render(area, buf);
    blank_wide_left(area, buf);
    crate::tui::frame::titled_box(area, buf, &title, theme::title())
}

// A wide (Chinese) character in the column just left of the box reaches
// into the box's first column, and the terminal would paint it over the
// left border: it is blanked.
fn blank_wide_left(area: Rect, buf: &mut Buffer) {
    let Some(x) = area.x.checked_sub(1) else {
        return;
    };
    for y in area.top()..area.bottom() {
        if let Some(cell) = buf.cell_mut((x, y)) {
            if cell.symbol().width() > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

/// The preview's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewKey {
    Close,
    /// Scroll up.
    Up,
    /// Scroll down.
    Down,
}

/// Its keys.
pub const PREVIEW: &[Binding<PreviewKey>] = &[
    b(&[ESC], PreviewKey::Close, "key.close"),
    b(&[UP], PreviewKey::Up, "key.scroll_up"),
    b(&[DOWN], PreviewKey::Down, "key.scroll_down"),
];

/// The keys here that messages name (`{key_…}`).
pub const KEY_NAMES: crate::tui::key_names::Names = &[
    ("key_scroll_up", || {
        keymap::label_of(PREVIEW, PreviewKey::Up)
    }),
    ("key_scroll_down", || {
        keymap::label_of(PREVIEW, PreviewKey::Down)
    }),
];

/// Slips shown as text before printing, line for line as they print.
pub struct Preview {
    lines: Vec<String>,
    scroll: u16,
}

impl Preview {
    /// A preview of `lines`.
    pub fn new(lines: Vec<String>) -> Preview {
        Preview { lines, scroll: 0 }
    }

    /// Handles a key; true when the preview should close.
    pub fn on_key(&mut self, key: &KeyEvent) -> bool {
        match keymap::lookup(PREVIEW, key) {
            Some(PreviewKey::Close) => return true,
            Some(PreviewKey::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(PreviewKey::Down) => self.scroll = self.scroll.saturating_add(1),
            None => {}
        }
        false
    }

    /// Draws the preview over `area`.
    pub fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let inner = frame(
            centred(area, 100, area.height),
            buf,
            t("slips.preview_title", lang),
        );
        let lines: Vec<Line> = self.lines.iter().map(|l| Line::from(l.clone())).collect();
        Paragraph::new(lines)
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }
}
