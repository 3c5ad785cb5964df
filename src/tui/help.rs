//! The help overlay: every key of the screen below, and the keys that work
//! everywhere, from the same tables the keys are looked up in.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::msg::Lang;
use crate::tui::keymap::{self, HelpKey, Hint, HELP};
use crate::tui::popup::{centred, frame};
use crate::tui::text::t;
use crate::tui::theme;

/// The open help overlay.
pub struct Help {
    title: &'static str,
    screen: Vec<Hint>,
    globals: Vec<Hint>,
    scroll: u16,
}

impl Help {
    /// Help for a screen: its keys in their current mode, and the global ones.
    pub fn new(title: &'static str, screen: Vec<Hint>, globals: Vec<Hint>) -> Help {
        Help {
            title,
            screen,
            globals,
            scroll: 0,
        }
    }

    /// Handles a key; true when the overlay should close.
    pub fn on_key(&mut self, key: &KeyEvent) -> bool {
        match keymap::lookup(HELP, key) {
            Some(HelpKey::Close) => return true,
            Some(HelpKey::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(HelpKey::Down) => self.scroll = self.scroll.saturating_add(1),
            None => {}
        }
        false
    }

    /// The overlay's own keys, for the bar.
    pub fn hints() -> Vec<Hint> {
        keymap::hints(HELP, |_| true)
    }

    /// Draws the overlay centred on `area`.
    pub fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let inner = frame(centred(area, 70, 22), buf, t("help.title", lang));
        let mut lines = vec![Line::from(Span::styled(
            t(self.title, lang),
            theme::title(),
        ))];
        let row = |h: &Hint| {
            Line::from(vec![
                Span::styled(
                    format!("  {:<18}", keymap::keys_label(h.keys)),
                    theme::bar_key(),
                ),
                Span::raw(format!(" {}", t(h.desc, lang))),
            ])
        };
        lines.extend(self.screen.iter().map(row));
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            t("help.global", lang),
            theme::title(),
        )));
        lines.extend(self.globals.iter().map(row));
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            t("help.fields", lang),
            theme::dim(),
        )));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }
}
