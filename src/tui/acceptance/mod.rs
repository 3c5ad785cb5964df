//! Single-ID acceptance (一证受理) for the customer on screen: choose the
//! business, type its fields, disclose everything once (一次性告知), accept.
//! Every step saves the draft, and Esc steps back without losing anything.

pub mod checklist;
pub mod fields;
pub mod menu;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::desk::acceptance::Draft;
use crate::desk::customers::CustomerCard;
use crate::domain::disclosure::Item;
use crate::domain::form::Form;
use crate::domain::msg::{Lang, Msg};
use crate::domain::plan::Plan;
use crate::i18n::{t, text};
use crate::msg;
use crate::store::applications::ApplicationRow;
use crate::tui::field::Field;
use crate::tui::keymap::{self, Binding, Cmd};
use crate::tui::wrap::wrap;
use crate::tui::{theme, Action, Ctx};

use checklist::Checklist;
use fields::Fields;
use menu::{Entry, Menu};

/// Where in the acceptance the clerk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Choosing the business type.
    Menu,
    /// An open application of the same type exists: a reason is needed.
    Duplicate,
    /// Typing the fields.
    Fields,
    /// Explaining and ticking every item.
    Checklist,
    /// Accepted.
    Done,
}

/// The acceptance screen.
pub struct Acceptance {
    /// The customer.
    pub card: CustomerCard,
    /// Current stage.
    pub stage: Stage,
    menu: Menu,
    /// The chosen form.
    pub form: Option<Form>,
    /// Everything done so far; saved as the draft.
    pub draft: Draft,
    duplicates: Vec<ApplicationRow>,
    reason: Field,
    fields: Option<Fields>,
    checklist: Option<Checklist>,
    /// The accepted application.
    pub accepted: Option<ApplicationRow>,
    /// A message for the clerk on this screen.
    pub notice: Option<Msg>,
    drafts: Vec<Draft>,
}

impl Acceptance {
    /// Starts at the menu; `drafts` are this clerk's drafts for the customer.
    pub fn new(card: CustomerCard, forms: Vec<Form>, drafts: Vec<Draft>) -> Acceptance {
        let entries = forms
            .into_iter()
            .map(|form| Entry {
                has_draft: drafts.iter().any(|d| d.form_code == form.code),
                form,
            })
            .collect();
        let mut reason = Field::new("acceptance.duplicate_reason", 200).free_text();
        reason.set_focus(true);
        Acceptance {
            card,
            stage: Stage::Menu,
            menu: Menu::new(entries),
            form: None,
            draft: Draft::default(),
            duplicates: Vec::new(),
            reason,
            fields: None,
            checklist: None,
            accepted: None,
            notice: None,
            drafts,
        }
    }

    /// Bindings in force.
    pub fn bindings(&self) -> &'static [Binding] {
        match self.stage {
            Stage::Menu => keymap::MENU,
            Stage::Duplicate => keymap::DUPLICATE,
            Stage::Fields => keymap::FIELDS,
            Stage::Checklist => keymap::CHECKLIST,
            Stage::Done => keymap::DONE,
        }
    }

    /// Whether a command works now.
    pub fn active(&self, cmd: Cmd) -> bool {
        match (self.stage, cmd) {
            (Stage::Checklist, Cmd::Received) => self.on_material(),
            _ => true,
        }
    }

    fn on_material(&self) -> bool {
        self.checklist.as_ref().is_some_and(|c| {
            matches!(c.rows.get(c.cursor), Some(checklist::Row::Item(n)) if c.items[*n].section == crate::domain::disclosure::Section::Materials)
        })
    }

    /// Routes a key.
    pub fn handle_key(
        &mut self,
        key: &KeyEvent,
        now: chrono::DateTime<chrono::Utc>,
    ) -> (bool, Option<Action>) {
        if let Some(cmd) = keymap::lookup(self.bindings(), key, |c| self.active(c)) {
            return (true, self.command(cmd, now));
        }
        let used = match self.stage {
            Stage::Menu => {
                let used = self.menu.filter.input(key);
                if used {
                    self.menu.cursor = 0;
                }
                used
            }
            Stage::Duplicate => self.reason.input(key),
            Stage::Fields => match &mut self.fields {
                Some(f) => {
                    let i = f.focus;
                    f.inputs[i].input(key)
                }
                None => false,
            },
            _ => false,
        };
        (used, None)
    }

    /// Pasted text goes to the focused input.
    pub fn paste(&mut self, pasted: &str) {
        let _ = match self.stage {
            Stage::Menu => self.menu.filter.paste(pasted),
            Stage::Duplicate => self.reason.paste(pasted),
            Stage::Fields => match &mut self.fields {
                Some(f) => {
                    let i = f.focus;
                    f.inputs[i].paste(pasted)
                }
                None => Ok(()),
            },
            _ => Ok(()),
        };
    }

    fn save(&mut self) -> Option<Action> {
        if let Some(f) = &self.fields {
            self.draft.fields = f.typed();
        }
        Some(Action::SaveDraft(Box::new(self.draft.clone())))
    }

    fn command(&mut self, cmd: Cmd, now: chrono::DateTime<chrono::Utc>) -> Option<Action> {
        self.notice = None;
        match (self.stage, cmd) {
            (Stage::Menu, Cmd::Up) => self.menu.step(false),
            (Stage::Menu, Cmd::Down) => self.menu.step(true),
            (Stage::Menu, Cmd::Enter) => match self.menu.chosen() {
                Some(e) => {
                    let form = e.form.clone();
                    self.choose(form);
                }
                None => self.notice = Some(msg!("acceptance.menu_none")),
            },
            (Stage::Menu, Cmd::Back) => return Some(Action::LeaveAcceptance),
            (Stage::Duplicate, Cmd::Enter) => {
                if self.reason.text().trim().is_empty() {
                    self.reason.error = Some(msg!("acceptance.duplicate_needs_reason"));
                } else {
                    self.draft.duplicate_reason = Some(self.reason.text().trim().to_string());
                    self.stage = Stage::Fields;
                    return self.save();
                }
            }
            (Stage::Duplicate, Cmd::Back) => self.stage = Stage::Menu,
            (Stage::Fields, Cmd::Enter) => {
                let form = self.form.clone()?;
                let f = self.fields.as_mut()?;
                if f.check_focused(&form) {
                    if f.focus + 1 < f.inputs.len() {
                        f.focus += 1;
                        f.refocus();
                    } else {
                        self.draft.fields = f.typed();
                        return Some(Action::OpenChecklist(Box::new(self.draft.clone())));
                    }
                }
                return self.save();
            }
            (Stage::Fields, Cmd::Submit) => {
                self.draft.fields = self.fields.as_ref()?.typed();
                return Some(Action::OpenChecklist(Box::new(self.draft.clone())));
            }
            (Stage::Fields, Cmd::Next | Cmd::Prev) => {
                let f = self.fields.as_mut()?;
                let n = f.inputs.len().max(1);
                f.focus = if cmd == Cmd::Next {
                    (f.focus + 1) % n
                } else {
                    (f.focus + n - 1) % n
                };
                f.refocus();
                return self.save();
            }
            (Stage::Fields, Cmd::Back) => {
                let dup = !self.duplicates.is_empty();
                self.stage = if dup { Stage::Duplicate } else { Stage::Menu };
                return self.save();
            }
            (Stage::Checklist, Cmd::Toggle) => {
                let c = self.checklist.as_mut()?;
                c.tick(&mut self.draft, now);
                return self.save();
            }
            (Stage::Checklist, Cmd::Received) => {
                let c = self.checklist.as_mut()?;
                c.toggle_received(&mut self.draft);
                return self.save();
            }
            (Stage::Checklist, Cmd::Commitment) => {
                self.draft.commitment_signed = !self.draft.commitment_signed;
                return self.save();
            }
            (Stage::Checklist, Cmd::Agent) => {
                self.draft.via_agent = !self.draft.via_agent;
                return Some(Action::OpenChecklist(Box::new(self.draft.clone())));
            }
            (Stage::Checklist, Cmd::Up) => self.checklist.as_mut()?.step(false),
            (Stage::Checklist, Cmd::Down) => self.checklist.as_mut()?.step(true),
            (Stage::Checklist, Cmd::Submit) => {
                return Some(Action::Accept(Box::new(self.draft.clone())))
            }
            (Stage::Checklist, Cmd::Back) => {
                self.stage = Stage::Fields;
                return self.save();
            }
            (Stage::Done, Cmd::Back | Cmd::Enter) => return Some(Action::LeaveAcceptance),
            (Stage::Done, Cmd::Print) => {
                return self
                    .accepted
                    .as_ref()
                    .map(|a| Action::PrintSlips(a.ticket_no.clone()))
            }
            (Stage::Done, Cmd::Preview) => {
                return self
                    .accepted
                    .as_ref()
                    .map(|a| Action::PreviewSlips(a.ticket_no.clone()))
            }
            _ => {}
        }
        None
    }

    fn choose(&mut self, form: Form) {
        let resumed = self
            .drafts
            .iter()
            .find(|d| d.form_code == form.code)
            .cloned();
        self.draft = resumed.clone().unwrap_or(Draft {
            customer_id: self.card.customer.id,
            form_code: form.code.clone(),
            ..Draft::default()
        });
        if resumed.is_none() {
            self.prefill(&form);
        }
        self.fields = Some(Fields::new(&form, &self.draft.fields));
        self.duplicates = self
            .card
            .open_applications
            .iter()
            .filter(|a| a.form_code == form.code)
            .cloned()
            .collect();
        if let Some(r) = &self.draft.duplicate_reason {
            self.reason.set_text(r);
        }
        self.stage = if self.duplicates.is_empty() {
            Stage::Fields
        } else {
            Stage::Duplicate
        };
        if resumed.is_some() {
            self.notice = Some(msg!("acceptance.draft_resumed"));
        }
        self.form = Some(form);
    }

    // What the customer record already knows need not be typed again.
    fn prefill(&mut self, form: &Form) {
        use crate::domain::form::FieldKind;
        for f in &form.fields {
            let known = match f.kind {
                FieldKind::Mobile => self
                    .card
                    .customer
                    .phone
                    .clone()
                    .filter(|p| p.len() == 11 && p.starts_with('1')),
                FieldKind::Phone => self.card.customer.phone.clone(),
                FieldKind::Address => self.card.customer.address.clone(),
                _ => None,
            };
            if let Some(v) = known {
                self.draft.fields.insert(f.id.clone(), v);
            }
        }
    }

    /// The fields were refused: show each error beside its field.
    pub fn field_errors(&mut self, errors: &std::collections::BTreeMap<String, Msg>) {
        self.stage = Stage::Fields;
        if let Some(f) = &mut self.fields {
            f.show_errors(errors);
        }
    }

    /// The plan and items arrived: show (or refresh) the checklist.
    pub fn show_checklist(&mut self, plan: Plan, items: Vec<Item>) {
        if self.draft.received.is_empty() {
            // The ID in the clerk's hand is the single ID; anything needed
            // at acceptance starts as received, the rest as owed.
            self.draft.received = plan
                .materials
                .iter()
                .filter(|m| m.at_acceptance)
                .map(|m| m.id.clone())
                .collect();
        }
        match &mut self.checklist {
            Some(c) => c.replace(plan, items),
            None => {
                let single_id = self.form.as_ref().is_some_and(|f| f.single_id);
                self.checklist = Some(Checklist::new(plan, items, single_id));
            }
        }
        self.stage = Stage::Checklist;
    }

    /// Accepted: show the result.
    pub fn done(&mut self, app: ApplicationRow) {
        self.accepted = Some(app);
        self.stage = Stage::Done;
    }

    /// Draws the screen.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let [top, body, note] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        let title = match &self.form {
            Some(f) => format!(" {} · {} ", t("acceptance.title", lang), f.name.get(lang)),
            None => format!(" {} ", t("acceptance.title", lang)),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme::title()));
        let inner = block.inner(top);
        block.render(top, buf);
        let steps = [
            "acceptance.stage_menu",
            "acceptance.stage_fields",
            "acceptance.stage_checklist",
            "acceptance.stage_done",
        ];
        let current = match self.stage {
            Stage::Menu | Stage::Duplicate => 0,
            Stage::Fields => 1,
            Stage::Checklist => 2,
            Stage::Done => 3,
        };
        let mut spans = vec![Span::styled(
            format!("{}  {}  ", self.card.customer.name, self.card.masked_id),
            theme::label(),
        )];
        for (i, s) in steps.iter().enumerate() {
            let style = if i == current {
                theme::focus()
            } else {
                theme::dim()
            };
            spans.push(Span::styled(
                format!("{} {}  ", ["①", "②", "③", "④"][i], t(s, lang)),
                style,
            ));
        }
        Paragraph::new(Line::from(spans)).render(inner, buf);
        let body = Rect {
            x: body.x + 1,
            width: body.width.saturating_sub(2),
            ..body
        };
        match self.stage {
            Stage::Menu => self.menu.render(body, buf, lang),
            Stage::Duplicate => self.render_duplicate(body, buf, lang),
            Stage::Fields => {
                if let (Some(f), Some(form)) = (&self.fields, &self.form) {
                    f.render(form, body, buf, lang);
                }
            }
            Stage::Checklist => {
                if let Some(c) = &self.checklist {
                    c.render(&self.draft, body, buf, lang);
                }
            }
            Stage::Done => self.render_done(body, buf, ctx),
        }
        if let Some(n) = &self.notice {
            let good = [
                "acceptance.accepted",
                "acceptance.draft_resumed",
                "slips.printed",
                "slips.saved_only",
            ];
            let style = if good.contains(&n.key) {
                theme::ok()
            } else {
                theme::error()
            };
            Paragraph::new(Span::styled(text(n, lang), style)).render(note, buf);
        } else if self.stage == Stage::Checklist {
            if let Some(c) = &self.checklist {
                let ticked = c
                    .items
                    .iter()
                    .filter(|i| {
                        self.draft
                            .ticked
                            .contains_key(&crate::domain::disclosure::key(i.section, &i.id))
                    })
                    .count();
                let m = msg!(
                    "acceptance.progress",
                    done = ticked,
                    all = c.items.len(),
                    owed = c.owed(&self.draft)
                );
                Paragraph::new(Span::styled(text(&m, lang), theme::dim())).render(note, buf);
            }
        }
    }

    fn render_duplicate(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let mut lines = vec![Line::from(Span::styled(
            t("acceptance.duplicate_title", lang),
            theme::warn(),
        ))];
        for a in &self.duplicates {
            lines.push(Line::from(format!(
                "  {}  {}",
                a.ticket_no,
                a.accepted_at.get(..10).unwrap_or_default()
            )));
        }
        lines.push(Line::from(""));
        let n = lines.len() as u16;
        Paragraph::new(lines).render(area, buf);
        if n < area.height {
            self.reason.render(
                Rect {
                    y: area.y + n,
                    height: 2,
                    ..area
                },
                buf,
                lang,
                14,
            );
        }
    }

    fn render_done(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let Some(app) = &self.accepted else { return };
        let mut lines = vec![
            Line::from(Span::styled(
                text(&msg!("acceptance.accepted", ticket = app.ticket_no), lang),
                theme::ok(),
            )),
            Line::from(text(
                &msg!(
                    "acceptance.owner_line",
                    staff_no = app.owner.1,
                    name = app.owner.2
                ),
                lang,
            )),
            Line::from(""),
            Line::from(Span::styled(t("disclosure.steps", lang), theme::title())),
        ];
        for s in &app.steps {
            lines.push(Line::from(format!(
                "  {}",
                crate::tui::applications::step_line(s, lang)
            )));
        }
        let owed: Vec<_> = app
            .materials
            .iter()
            .filter(|m| m.status == "owed")
            .collect();
        lines.push(Line::from(Span::styled(
            text(&msg!("acceptance.owed_title", n = owed.len()), lang),
            theme::title(),
        )));
        for m in owed {
            for (k, l) in wrap(
                &crate::tui::applications::material_line(m, lang),
                area.width.saturating_sub(4),
                lang,
            )
            .into_iter()
            .enumerate()
            {
                lines.push(Line::from(format!(
                    "{}{l}",
                    if k == 0 { "  " } else { "    " }
                )));
            }
        }
        Paragraph::new(lines).render(area, buf);
    }
}
