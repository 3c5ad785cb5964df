//! A returning customer's open applications: current step, due dates
//! (overdue in red), what is still owed, when it was disclosed; recording a
//! material handed in later; handing a case to a named colleague.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::desk::customers::CustomerCard;
use crate::domain::msg::{Lang, Msg};
use crate::i18n::{t, text};
use crate::msg;
use crate::store::applications::{ApplicationRow, MaterialRow, StepRow};
use crate::tui::field::Field;
use crate::tui::keymap::{self, Binding, Cmd};
use crate::tui::wrap::wrap;
use crate::tui::{theme, Action, Ctx};

/// A step as one line: name, limit, due date, state.
pub fn step_line(s: &StepRow, lang: Lang) -> String {
    let due = match s.due_date {
        Some(d) if s.due_estimated => text(&msg!("applications.due_estimated", date = d), lang),
        Some(d) => text(&msg!("applications.due", date = d), lang),
        None => t("applications.due_later", lang),
    };
    let name = if lang == Lang::Zh {
        &s.name_zh
    } else {
        &s.name_en
    };
    let state = match s.status.as_str() {
        "current" => t("applications.step_current", lang),
        "done" => t("applications.step_done", lang),
        _ => t("applications.step_pending", lang),
    };
    text(
        &msg!(
            "applications.step_line",
            name = name,
            limit = s.limit_wd,
            due = due,
            state = state
        ),
        lang,
    )
}

/// A material as one line: name, form, received or owed by when.
pub fn material_line(m: &MaterialRow, lang: Lang) -> String {
    let name = if lang == Lang::Zh {
        &m.name_zh
    } else {
        &m.name_en
    };
    match (m.status.as_str(), m.due_date) {
        ("owed", Some(d)) => text(&msg!("applications.owed_by", name = name, date = d), lang),
        ("owed", None) => text(&msg!("applications.owed", name = name), lang),
        _ => text(
            &msg!(
                "applications.received",
                name = name,
                at = m
                    .received_at
                    .as_deref()
                    .and_then(|s| s.get(..10))
                    .unwrap_or("")
            ),
            lang,
        ),
    }
}

/// Whether a due date has passed.
pub fn overdue(due: Option<NaiveDate>, today: NaiveDate) -> bool {
    due.is_some_and(|d| d < today)
}

/// The current step of an application (the first not done).
pub fn current_step(a: &ApplicationRow) -> Option<&StepRow> {
    a.steps.iter().find(|s| s.status != "done")
}

/// What the screen is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Browsing.
    List,
    /// Choosing the owed material handed in.
    Receive,
    /// Typing the colleague and the reason.
    HandOver,
}

/// The applications screen.
pub struct Applications {
    /// The customer.
    pub card: CustomerCard,
    /// Selected application.
    pub cursor: usize,
    /// Mode.
    pub mode: Mode,
    to: Field,
    reason: Field,
    focus: usize,
    /// A message for the clerk.
    pub notice: Option<Msg>,
    today: NaiveDate,
}

impl Applications {
    /// The screen over the card's open applications.
    pub fn new(card: CustomerCard, today: NaiveDate) -> Applications {
        Applications {
            card,
            cursor: 0,
            mode: Mode::List,
            to: Field::new("applications.to_staff_no", 20),
            reason: Field::new("applications.reason", 200).free_text(),
            focus: 0,
            notice: None,
            today,
        }
    }

    /// Bindings in force.
    pub fn bindings(&self) -> &'static [Binding] {
        match self.mode {
            Mode::List => keymap::APPLICATIONS,
            Mode::Receive => keymap::RECEIVE,
            Mode::HandOver => keymap::HAND_OVER,
        }
    }

    fn selected(&self) -> Option<&ApplicationRow> {
        self.card.open_applications.get(self.cursor)
    }

    fn owed(&self) -> Vec<&MaterialRow> {
        self.selected()
            .map(|a| a.materials.iter().filter(|m| m.status == "owed").collect())
            .unwrap_or_default()
    }

    /// Routes a key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> (bool, Option<Action>) {
        if let Some(cmd) = keymap::lookup(self.bindings(), key, |_| true) {
            return (true, self.command(cmd, key));
        }
        if self.mode == Mode::HandOver {
            let f = if self.focus == 0 {
                &mut self.to
            } else {
                &mut self.reason
            };
            return (f.input(key), None);
        }
        (false, None)
    }

    /// Pasted text goes into the focused hand-over field.
    pub fn paste(&mut self, pasted: &str) {
        if self.mode == Mode::HandOver {
            let f = if self.focus == 0 {
                &mut self.to
            } else {
                &mut self.reason
            };
            let _ = f.paste(pasted);
        }
    }

    fn command(&mut self, cmd: Cmd, key: &KeyEvent) -> Option<Action> {
        self.notice = None;
        let n = self.card.open_applications.len();
        match (self.mode, cmd) {
            (Mode::List, Cmd::Up) => self.cursor = self.cursor.saturating_sub(1),
            (Mode::List, Cmd::Down) => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            (Mode::List, Cmd::Received) => {
                if self.owed().is_empty() {
                    self.notice = Some(msg!("applications.nothing_owed"));
                } else {
                    self.mode = Mode::Receive;
                }
            }
            (Mode::List, Cmd::HandOver) if n > 0 => {
                self.mode = Mode::HandOver;
                self.focus = 0;
                self.to.clear();
                self.reason.clear();
                self.to.set_focus(true);
                self.reason.set_focus(false);
            }
            (Mode::List, Cmd::Back) => return Some(Action::LeaveApplications),
            (Mode::List, Cmd::Print) => {
                return self
                    .selected()
                    .map(|a| Action::PrintProgress(a.ticket_no.clone()))
            }
            (Mode::List, Cmd::Reprint) => {
                return self
                    .selected()
                    .map(|a| Action::PrintSlips(a.ticket_no.clone()))
            }
            (Mode::List, Cmd::Preview) => {
                return self
                    .selected()
                    .map(|a| Action::PreviewSlips(a.ticket_no.clone()))
            }
            (Mode::Receive, Cmd::Toggle) => {
                let digit = match key.code {
                    crossterm::event::KeyCode::Char(c) => c.to_digit(10).unwrap_or(0) as usize,
                    _ => 0,
                };
                let owed = self.owed();
                let (Some(app), Some(m)) = (
                    self.selected(),
                    digit.checked_sub(1).and_then(|i| owed.get(i)),
                ) else {
                    return None;
                };
                return Some(Action::ReceiveMaterial {
                    ticket: app.ticket_no.clone(),
                    material: m.material_id.clone(),
                });
            }
            (Mode::HandOver, Cmd::Next) => self.focus = 1 - self.focus,
            (Mode::HandOver, Cmd::Enter) if self.focus == 0 => self.focus = 1,
            (Mode::HandOver, Cmd::Enter) => {
                let app = self.selected()?;
                return Some(Action::HandOver {
                    ticket: app.ticket_no.clone(),
                    to: self.to.text().trim().to_string(),
                    reason: self.reason.text().trim().to_string(),
                });
            }
            (_, Cmd::Back) => self.mode = Mode::List,
            _ => {}
        }
        self.to
            .set_focus(self.mode == Mode::HandOver && self.focus == 0);
        self.reason
            .set_focus(self.mode == Mode::HandOver && self.focus == 1);
        None
    }

    /// An application changed: show it and go back to the list.
    pub fn updated(&mut self, app: ApplicationRow, notice: Msg) {
        if let Some(slot) = self
            .card
            .open_applications
            .iter_mut()
            .find(|a| a.id == app.id)
        {
            *slot = app;
        }
        self.mode = Mode::List;
        self.notice = Some(notice);
    }

    /// An action failed: say why, stay in the mode.
    pub fn failed(&mut self, why: Msg) {
        self.notice = Some(why);
    }

    /// Draws the list and the selected application.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let title = text(
            &msg!(
                "applications.title",
                name = self.card.customer.name,
                n = self.card.open_applications.len()
            ),
            lang,
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {title} "), theme::title()));
        let inner = block.inner(area);
        block.render(area, buf);
        let inner = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        let mut lines = Vec::new();
        for (i, a) in self.card.open_applications.iter().enumerate() {
            let here = i == self.cursor;
            let style = if here {
                theme::focus()
            } else {
                Style::default()
            };
            lines.push(Line::from(vec![
                Span::styled(if here { "▶ " } else { "  " }, theme::focus()),
                Span::styled(
                    format!("{}  {}", a.ticket_no, ctx.form_name(&a.form_code)),
                    style,
                ),
            ]));
        }
        if let Some(a) = self.selected() {
            lines.push(Line::from(""));
            lines.push(Line::from(text(
                &msg!(
                    "applications.head",
                    accepted = a.accepted_at.get(..10).unwrap_or_default(),
                    version = a.form_version,
                    owner = format!("{} {}", a.owner.1, a.owner.2),
                    disclosed = a
                        .disclosed_at
                        .as_deref()
                        .and_then(|d| d.get(..10))
                        .unwrap_or("-"),
                    n = a.disclosed_items
                ),
                lang,
            )));
            for s in &a.steps {
                let late = s.status != "done" && overdue(s.due_date, self.today);
                let style = if late {
                    theme::error()
                } else {
                    Style::default()
                };
                lines.push(Line::from(Span::styled(
                    format!("  {}", step_line(s, lang)),
                    style,
                )));
            }
            for (k, m) in a.materials.iter().enumerate() {
                let late = m.status == "owed" && overdue(m.due_date, self.today);
                let style = if late {
                    theme::error()
                } else if m.status == "owed" {
                    theme::warn()
                } else {
                    theme::dim()
                };
                let owed_no = a
                    .materials
                    .iter()
                    .take(k + 1)
                    .filter(|x| x.status == "owed")
                    .count();
                let lead = if self.mode == Mode::Receive && m.status == "owed" {
                    format!(" {owed_no} ")
                } else {
                    "   ".into()
                };
                for (j, l) in wrap(&material_line(m, lang), inner.width.saturating_sub(4), lang)
                    .into_iter()
                    .enumerate()
                {
                    let l = if j == 0 {
                        format!("{lead}{l}")
                    } else {
                        format!("    {l}")
                    };
                    lines.push(Line::from(Span::styled(l, style)));
                }
            }
        }
        let n = lines.len() as u16;
        Paragraph::new(lines).render(inner, buf);
        let mut y = inner.y + n + 1;
        if self.mode == Mode::HandOver && y + 3 < inner.bottom() {
            self.to.render(
                Rect {
                    y,
                    height: 2,
                    ..inner
                },
                buf,
                lang,
                16,
            );
            self.reason.render(
                Rect {
                    y: y + 2,
                    height: 2,
                    ..inner
                },
                buf,
                lang,
                16,
            );
            y += 4;
        }
        if let Some(m) = &self.notice {
            if y < inner.bottom() {
                let good = m.key.starts_with("applications.done")
                    || m.key == "slips.printed"
                    || m.key == "slips.saved_only";
                let style = if good { theme::ok() } else { theme::error() };
                Paragraph::new(Span::styled(text(m, lang), style)).render(
                    Rect {
                        y,
                        height: 1,
                        ..inner
                    },
                    buf,
                );
            }
        }
    }
}
