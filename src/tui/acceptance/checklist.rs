//! The one-time disclosure checklist: every item on one scrollable screen,
//! ticked as it is explained, section by section or item by item.

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::desk::acceptance::Draft;
use crate::domain::disclosure::{self, Item, Section};
use crate::domain::msg::Lang;
use crate::domain::plan::Plan;
use crate::msg;
use crate::tui::text::{t, text};
use crate::tui::theme;
use crate::tui::wrap::wrap;

/// A row the cursor can stand on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A section heading: ticking it ticks the whole section.
    Heading(Section),
    /// One item (index into `items`).
    Item(usize),
    /// The single-ID commitment letter.
    Commitment,
}

/// The checklist state (ticks live in the draft).
pub struct Checklist {
    /// The plan the dates come from.
    pub plan: Plan,
    pub items: Vec<Item>,
    /// Rows in display order.
    pub rows: Vec<Row>,
    pub cursor: usize,
    /// Whether the form takes single-ID acceptance (and so the commitment letter).
    pub single_id: bool,
}

impl Checklist {
    /// A checklist over `items`.
    pub fn new(plan: Plan, items: Vec<Item>, single_id: bool) -> Checklist {
        let mut c = Checklist {
            plan,
            items,
            rows: Vec::new(),
            cursor: 0,
            single_id,
        };
        c.rebuild();
        c
    }

    fn rebuild(&mut self) {
        self.rows.clear();
        for s in Section::ALL {
            if self.items.iter().any(|i| i.section == s) {
                self.rows.push(Row::Heading(s));
                for (n, _) in self
                    .items
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.section == s)
                {
                    self.rows.push(Row::Item(n));
                }
            }
        }
        if self.single_id {
            self.rows.push(Row::Commitment);
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    /// Whether the cursor stands on a material (R marks it received or owed).
    pub fn on_material(&self) -> bool {
        matches!(
            self.rows.get(self.cursor),
            Some(Row::Item(n)) if self.items[*n].section == Section::Materials
        )
    }

    /// Materials not handed over (they become owed).
    pub fn owed(&self, draft: &Draft) -> usize {
        self.plan
            .materials
            .iter()
            .filter(|m| !draft.received.contains(&m.id))
            .count()
    }

    fn item_key(&self, n: usize) -> String {
        let i = &self.items[n];
        disclosure::key(i.section, &i.id)
    }

    fn section_done(&self, s: Section, draft: &Draft) -> bool {
        self.items.iter().filter(|i| i.section == s).all(|i| {
            draft
                .ticked
                .contains_key(&disclosure::key(i.section, &i.id))
        })
    }

    /// Space: ticks (or unticks) the row under the cursor and moves on.
    pub fn tick(&mut self, draft: &mut Draft, now: DateTime<Utc>) {
        match self.rows.get(self.cursor).cloned() {
            Some(Row::Heading(s)) => {
                let done = self.section_done(s, draft);
                for n in 0..self.items.len() {
                    if self.items[n].section == s {
                        let k = self.item_key(n);
                        if done {
                            draft.ticked.remove(&k);
                        } else {
                            draft.ticked.entry(k).or_insert(now);
                        }
                    }
                }
                if !done {
                    // On to the next heading (or the commitment row).
                    self.cursor = (self.cursor + 1..self.rows.len())
                        .find(|r| !matches!(self.rows[*r], Row::Item(_)))
                        .unwrap_or(self.cursor);
                }
            }
            Some(Row::Item(n)) => {
                let k = self.item_key(n);
                if draft.ticked.remove(&k).is_none() {
                    draft.ticked.insert(k, now);
                    self.cursor = (self.cursor + 1).min(self.rows.len() - 1);
                }
            }
            Some(Row::Commitment) => draft.commitment_signed = !draft.commitment_signed,
            None => {}
        }
    }

    /// R: toggles "received" on the material under the cursor.
    pub fn toggle_received(&mut self, draft: &mut Draft) {
        if let Some(Row::Item(n)) = self.rows.get(self.cursor) {
            let item = &self.items[*n];
            if item.section == Section::Materials && !draft.received.remove(&item.id) {
                draft.received.insert(item.id.clone());
            }
        }
    }

    /// Moves the cursor.
    pub fn step(&mut self, down: bool) {
        self.cursor = if down {
            (self.cursor + 1).min(self.rows.len() - 1)
        } else {
            self.cursor.saturating_sub(1)
        };
    }

    /// Replaces plan and items (an agent toggled), keeping the cursor near.
    pub fn replace(&mut self, plan: Plan, items: Vec<Item>) {
        self.plan = plan;
        self.items = items;
        self.rebuild();
    }

    /// Draws the rows, keeping the cursor in view.
    pub fn render(&self, draft: &Draft, area: Rect, buf: &mut Buffer, lang: Lang) {
        let mut lines: Vec<Line> = Vec::new();
        let mut cursor_line = 0usize;
        let box_of = |on: bool| if on { "[✓]" } else { "[ ]" };
        for (r, row) in self.rows.iter().enumerate() {
            let here = r == self.cursor;
            if here {
                cursor_line = lines.len();
            }
            let pointer = if here { "▶" } else { " " };
            match row {
                Row::Heading(s) => {
                    let done = self.section_done(*s, draft);
                    let style = if here { theme::focus() } else { theme::title() };
                    lines.push(Line::from(vec![
                        Span::styled(pointer, theme::focus()),
                        Span::styled(
                            format!("{} {}", box_of(done), text(&s.title(), lang)),
                            style,
                        ),
                    ]));
                }
                Row::Item(n) => {
                    let item = &self.items[*n];
                    let on = draft
                        .ticked
                        .contains_key(&disclosure::key(item.section, &item.id));
                    let mut head = format!("   {} ", box_of(on));
                    if item.section == Section::Materials {
                        let mark = if draft.received.contains(&item.id) {
                            t("acceptance.received", lang)
                        } else {
                            t("acceptance.owed", lang)
                        };
                        head.push_str(&format!("{mark} "));
                    }
                    let style = if here {
                        theme::focus()
                    } else {
                        Style::default()
                    };
                    let indent = unicode_width::UnicodeWidthStr::width(head.as_str()) as u16 + 1;
                    let body = wrap(item.text.get(lang), area.width.saturating_sub(indent), lang);
                    for (k, part) in body.into_iter().enumerate() {
                        let lead = if k == 0 {
                            format!("{pointer}{head}")
                        } else {
                            " ".repeat(indent as usize)
                        };
                        lines.push(Line::from(vec![
                            Span::styled(lead, style),
                            Span::styled(part, style),
                        ]));
                    }
                }
                Row::Commitment => {
                    let owed = self.owed(draft);
                    let style = if owed == 0 {
                        theme::dim()
                    } else if here {
                        theme::focus()
                    } else {
                        theme::warn()
                    };
                    let line = if owed == 0 {
                        t("acceptance.no_commitment_needed", lang)
                    } else {
                        format!(
                            "{} {}",
                            box_of(draft.commitment_signed),
                            text(&msg!("disclosure.commitment", n = owed), lang)
                        )
                    };
                    lines.push(Line::from(vec![
                        Span::styled(pointer, theme::focus()),
                        Span::styled(line, style),
                    ]));
                }
            }
        }
        let skip = cursor_line.saturating_sub(area.height as usize / 2) as u16;
        Paragraph::new(lines).scroll((skip, 0)).render(area, buf);
    }
}
