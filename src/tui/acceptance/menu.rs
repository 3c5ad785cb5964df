//! Choosing the business type: by number, by part of the Chinese name, by
//! pinyin initials (jmxz finds 居民新装), or with the arrow keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::form::Form;
use crate::domain::msg::Lang;
use crate::tui::field::Field;
use crate::tui::text::t;
use crate::tui::theme;

/// One entry of the menu.
#[derive(Debug, Clone)]
pub struct Entry {
    pub form: Form,
    /// A draft of this type is waiting.
    pub has_draft: bool,
}

/// The menu state.
pub struct Menu {
    /// Entries in menu order.
    pub entries: Vec<Entry>,
    /// What the clerk typed.
    pub filter: Field,
    /// Highlighted row among the matches.
    pub cursor: usize,
}

impl Menu {
    /// A menu over `entries`.
    pub fn new(entries: Vec<Entry>) -> Menu {
        let mut filter = Field::new("acceptance.menu_filter", 20);
        filter.set_focus(true);
        Menu {
            entries,
            filter,
            cursor: 0,
        }
    }

    /// Indexes (into `entries`) of the entries matching the filter; a
    /// number matches the entry with that number.
    pub fn matches(&self) -> Vec<usize> {
        let q = self.filter.text();
        let q = q.trim();
        if q.is_empty() {
            return (0..self.entries.len()).collect();
        }
        if let Ok(n) = q.parse::<usize>() {
            return n
                .checked_sub(1)
                .filter(|i| *i < self.entries.len())
                .into_iter()
                .collect();
        }
        let mut found: Vec<usize> = (0..self.entries.len())
            .filter(|i| self.entries[*i].form.search_matches(q))
            .collect();
        // The closest match first: "jmxz" means 居民新装 (dyjmxz) before
        // 非居民新装 (dyfjmxz).
        found.sort_by_key(|i| rank(&self.entries[*i].form, q));
        found
    }

    /// The entry Enter would choose.
    pub fn chosen(&self) -> Option<&Entry> {
        let m = self.matches();
        m.get(self.cursor.min(m.len().saturating_sub(1)))
            .map(|i| &self.entries[*i])
    }

    /// The draft of `code` is gone.
    pub fn forget_draft(&mut self, code: &str) {
        for e in self.entries.iter_mut().filter(|e| e.form.code == code) {
            e.has_draft = false;
        }
    }

    /// Moves the highlight.
    pub fn step(&mut self, down: bool) {
        let n = self.matches().len();
        if n == 0 {
            self.cursor = 0;
        } else if down {
            self.cursor = (self.cursor + 1).min(n - 1);
        } else {
            self.cursor = self.cursor.saturating_sub(1);
        }
    }

    /// Draws the filter and the list.
    pub fn render(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        if area.height == 0 {
            return;
        }
        self.filter
            .render(Rect { height: 1, ..area }, buf, lang, 30);
        let matches = self.matches();
        let chosen = self.cursor.min(matches.len().saturating_sub(1));
        let mut lines = Vec::new();
        if matches.is_empty() {
            lines.push(Line::from(Span::styled(
                t("acceptance.menu_none", lang),
                theme::warn(),
            )));
        }
        for (row, i) in matches.iter().enumerate() {
            let e = &self.entries[*i];
            let style = if row == chosen {
                theme::focus()
            } else {
                ratatui::style::Style::default()
            };
            let mut spans = vec![
                Span::styled(format!("{:>3}  ", i + 1), theme::bar_key()),
                Span::styled(e.form.name.get(lang).to_string(), style),
                Span::styled(format!("  {}", e.form.pinyin), theme::dim()),
            ];
            if e.has_draft {
                spans.push(Span::styled(
                    format!("  {}", t("acceptance.menu_draft", lang)),
                    theme::warn(),
                ));
            }
            lines.push(Line::from(spans));
        }
        let list = Rect {
            y: area.y + 2,
            height: area.height.saturating_sub(2),
            ..area
        };
        // Keep the highlighted row in view on short screens.
        let skip = (chosen + 1).saturating_sub(list.height as usize) as u16;
        Paragraph::new(lines).scroll((skip, 0)).render(list, buf);
    }
}

fn rank(form: &Form, q: &str) -> (u8, usize) {
    let q = q.to_lowercase();
    let tier = if form.pinyin == q || form.code == q || form.name.zh == q {
        0
    } else if form.pinyin.starts_with(&q) || form.name.zh.starts_with(&q) {
        1
    } else {
        2
    };
    (tier, form.pinyin.len())
}
