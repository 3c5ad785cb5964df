//! The one-time disclosure checklist: every item on one scrollable screen,
//! ticked as it is explained, section by section or item by item.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::desk::acceptance::Draft;
use crate::desk::material_file::OnFile;
use crate::domain::disclosure::{self, Item, Section};
use crate::domain::material_file::Keep;
use crate::domain::msg::Lang;
use crate::domain::plan::Plan;
use crate::msg;
use crate::tui::text::{t, text};
use crate::tui::theme;
use crate::tui::wrap::wrap;

use crate::tui::lines::local_day;

/// Where an entry came from, for people: a ticket number, or the reader.
pub fn source_name(source: &str, lang: Lang) -> String {
    if source == crate::domain::material_file::READER {
        t("file.reader", lang)
    } else {
        source.to_string()
    }
}

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
    /// What the customer's file holds per material.
    pub on_file: BTreeMap<String, OnFile>,
}

impl Checklist {
    /// A checklist over `items`.
    pub fn new(
        plan: Plan,
        items: Vec<Item>,
        single_id: bool,
        on_file: BTreeMap<String, OnFile>,
    ) -> Checklist {
        let mut c = Checklist {
            plan,
            items,
            rows: Vec::new(),
            cursor: 0,
            single_id,
            on_file,
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

    /// The material under the cursor, if it is received at the counter now
    /// (a scan may be attached to it).
    pub fn material_in_hand(&self, draft: &Draft) -> Option<&crate::domain::plan::PlannedMaterial> {
        let Some(Row::Item(n)) = self.rows.get(self.cursor) else {
            return None;
        };
        let item = &self.items[*n];
        if item.section != Section::Materials
            || !draft.received.contains(&item.id)
            || draft.from_file.contains(&item.id)
        {
            return None;
        }
        self.plan.materials.iter().find(|m| m.id == item.id)
    }

    /// The material under the cursor whose details go on file (one kept
    /// for its own application only takes none).
    pub fn material_for_file(&self) -> Option<&crate::domain::plan::PlannedMaterial> {
        let Some(Row::Item(n)) = self.rows.get(self.cursor) else {
            return None;
        };
        let item = &self.items[*n];
        if item.section != Section::Materials {
            return None;
        }
        self.plan
            .materials
            .iter()
            .find(|m| m.id == item.id && m.keep != Keep::ThisApplication)
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
            if item.section != Section::Materials {
                return;
            }
            // One taken from the file is asked for after all: owed, until
            // handed in (a second R).
            if draft.from_file.remove(&item.id) {
                draft.received.remove(&item.id);
            } else if !draft.received.remove(&item.id) {
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
    pub fn replace(&mut self, plan: Plan, items: Vec<Item>, on_file: BTreeMap<String, OnFile>) {
        self.plan = plan;
        self.items = items;
        self.on_file = on_file;
        self.rebuild();
    }

    /// What the file says under a material: where it is on file from, or
    /// why it is asked for again; and the details typed for it.
    fn file_lines(&self, draft: &Draft, id: &str, lang: Lang) -> Vec<(String, Style)> {
        let mut out = Vec::new();
        if let Some(f) = self.on_file.get(id) {
            if draft.from_file.contains(id) {
                let m = msg!(
                    "file.on_file",
                    date = local_day(f.filed.received_at),
                    source = source_name(&f.filed.source, lang)
                );
                out.push((text(&m, lang), theme::ok()));
            } else if let Some(reason) = f.standing.reason() {
                out.push((text(&reason, lang), theme::warn()));
            }
        }
        if let Some(typed) = draft.details.get(id) {
            // A document number is masked like an ID number on screen.
            let labelled = [
                ("file.doc_no", crate::domain::id::mask(typed.doc_no.trim())),
                ("file.authority", typed.authority.trim().to_string()),
                ("file.issued_on", typed.issued_on.trim().to_string()),
                (
                    "file.valid_until_field",
                    typed.valid_until.trim().to_string(),
                ),
            ];
            let parts: Vec<String> = labelled
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{} {v}", t(k, lang)))
                .collect();
            if !parts.is_empty() {
                out.push((parts.join(" · "), theme::dim()));
            }
        }
        if let Some(scan) = draft.scans.get(id).filter(|_| draft.received.contains(id)) {
            let m = msg!(
                "scan.on_checklist",
                file = scan.file_name,
                kind = scan.kind.label(),
                size = crate::domain::scan::size_text(scan.bytes)
            );
            out.push((text(&m, lang), theme::ok()));
        }
        out
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
                        let mark = if draft.from_file.contains(&item.id) {
                            t("acceptance.on_file", lang)
                        } else if draft.received.contains(&item.id) {
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
                    if item.section == Section::Materials {
                        for (said, style) in self.file_lines(draft, &item.id, lang) {
                            let width = area.width.saturating_sub(indent + 2);
                            for part in wrap(&said, width, lang) {
                                lines.push(Line::from(vec![
                                    Span::raw(" ".repeat(indent as usize + 2)),
                                    Span::styled(part, style),
                                ]));
                            }
                        }
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
