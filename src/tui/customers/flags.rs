//! The customer's flags, set by a duty manager with the number keys.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::config::FlagDef;
use crate::domain::customer::GREEN_CHANNEL;
use crate::domain::msg::{Lang, Notice};
use crate::tui::keymap::{self, b, Binding, DIGITS, ENTER, ESC};
use crate::tui::notice;
use crate::tui::popup::{centred, frame};
use crate::tui::text::t;
use crate::tui::theme;

/// The flags popup's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagsKey {
    /// Set or clear the numbered flag.
    Toggle,
    Close,
}

pub const KEYS: &[Binding<FlagsKey>] = &[
    b(DIGITS, FlagsKey::Toggle, "key.toggle_flag"),
    b(&[ESC, ENTER], FlagsKey::Close, "key.close"),
];

/// What the popup asks of its screen.
pub enum Asked {
    Nothing,
    Close,
    /// Toggle this flag.
    Toggle(String),
}

/// The flags a duty manager may set, and the customer's now.
pub struct FlagsPopup {
    choices: Vec<FlagDef>,
    /// The customer's flags right now.
    pub current: Vec<String>,
    /// Why the last toggle failed.
    pub notice: Option<Notice>,
}

impl FlagsPopup {
    /// The popup over `choices`, the customer holding `current`.
    pub fn new(choices: Vec<FlagDef>, current: Vec<String>) -> FlagsPopup {
        FlagsPopup {
            choices,
            current,
            notice: None,
        }
    }

    /// Handles a key.
    pub fn on_key(&mut self, key: &KeyEvent) -> Asked {
        match keymap::lookup(KEYS, key) {
            Some(FlagsKey::Close) => Asked::Close,
            Some(FlagsKey::Toggle) => keymap::digit(key)
                .and_then(|n| self.choices.get(n - 1))
                .map(|d| Asked::Toggle(d.code.clone()))
                .unwrap_or(Asked::Nothing),
            None => Asked::Nothing,
        }
    }

    /// Draws the popup centred on `area`.
    pub fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let inner = frame(
            centred(area, 56, self.choices.len() as u16 + 7),
            buf,
            t("flags.title", lang),
        );
        let green = self.current.iter().any(|f| f == GREEN_CHANNEL);
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "    [{}] {} ({})",
                if green { "x" } else { " " },
                t("flag.green_channel", lang),
                t("flags.automatic", lang)
            ),
            theme::dim(),
        ))];
        for (i, d) in self.choices.iter().enumerate() {
            let on = self.current.contains(&d.code);
            lines.push(Line::from(vec![
                Span::styled(format!(" {} ", i + 1), theme::bar_key()),
                Span::raw(format!(
                    " [{}] {}",
                    if on { "x" } else { " " },
                    d.label(lang)
                )),
            ]));
        }
        lines.push(Line::from(""));
        match &self.notice {
            Some(n) => lines.extend(notice::lines(n, inner.width, lang, 2)),
            None => lines.push(Line::from(Span::styled(
                t("flags.hint", lang),
                theme::dim(),
            ))),
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
