//! The customers screen: one ID in, the customer out, or a registration.

mod card;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::desk::customers::{CustomerCard, Lookup, NewCustomer, SignOff};
use crate::domain::customer;
use crate::domain::id::{self, IdCheck, Verdict};
use crate::domain::msg::{Lang, Msg};
use crate::i18n::{t, text};
use crate::msg;
use crate::tui::field::Field;
use crate::tui::keymap::{self, Binding, Cmd};
use crate::tui::wrap::wrap;
use crate::tui::{theme, Action, Ctx};

/// Which part of the screen has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Typing or scanning an ID; a found customer shows below.
    Lookup,
    /// Registering the customer whose ID was not found.
    Register,
}

/// What the last look-up gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing yet.
    Empty,
    /// A customer card.
    Found(Box<CustomerCard>),
    /// A suspicious ID waiting for a duty manager.
    NeedsSignOff(Msg),
    /// The ID was refused.
    Invalid(Msg),
    /// The look-up itself failed (database busy...).
    Failed(Msg),
}

/// State of the customers screen.
pub struct Customers {
    id: Field,
    live: Option<IdCheck>,
    today: NaiveDate,
    supervisor: bool,
    /// Current mode.
    pub mode: Mode,
    /// Last outcome.
    pub outcome: Outcome,
    registering: Option<IdCheck>,
    fields: [Field; 3],
    reg_focus: usize,
    signoff: Option<SignOff>,
    /// A one-line note ("registered").
    pub notice: Option<Msg>,
    /// This clerk's unfinished acceptances.
    pub drafts: Vec<DraftNote>,
}

/// An unfinished acceptance, as the customers screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftNote {
    /// Customer row id.
    pub customer_id: i64,
    /// Customer's name and masked ID.
    pub customer: String,
    /// Business type.
    pub form_code: String,
    /// When last saved (local time).
    pub saved: String,
}

type Validator = fn(&str) -> Result<String, Msg>;

const NAME: usize = 0;
const PHONE: usize = 1;
const ADDRESS: usize = 2;

impl Customers {
    /// A fresh screen; `supervisor` enables the flag key.
    pub fn new(today: NaiveDate, supervisor: bool) -> Customers {
        let mut id = Field::new("customers.id", 64);
        id.set_focus(true);
        Customers {
            id,
            live: None,
            today,
            supervisor,
            mode: Mode::Lookup,
            outcome: Outcome::Empty,
            registering: None,
            fields: [
                Field::new("customers.name", customer::NAME_MAX),
                Field::new("customers.phone", 20),
                Field::new("customers.address", customer::ADDRESS_MAX).free_text(),
            ],
            reg_focus: NAME,
            signoff: None,
            notice: None,
            drafts: Vec::new(),
        }
    }

    /// The bindings in force.
    pub fn bindings(&self) -> &'static [Binding] {
        match self.mode {
            Mode::Lookup => keymap::LOOKUP,
            Mode::Register => keymap::REGISTER,
        }
    }

    /// Whether a command does anything right now (keys and bar agree).
    pub fn active(&self, cmd: Cmd) -> bool {
        match (self.mode, cmd) {
            (Mode::Lookup, Cmd::SignOff) => matches!(self.outcome, Outcome::NeedsSignOff(_)),
            (Mode::Lookup, Cmd::Flags) => {
                self.supervisor && matches!(self.outcome, Outcome::Found(_))
            }
            (Mode::Lookup, Cmd::Back) => {
                !self.id.text().is_empty() || self.outcome != Outcome::Empty
            }
            (Mode::Lookup, Cmd::Accept) => matches!(self.outcome, Outcome::Found(_)),
            (Mode::Lookup, Cmd::Applications) => {
                self.card().is_some_and(|c| !c.open_applications.is_empty())
            }
            _ => true,
        }
    }

    /// The customer on screen, if any.
    pub fn card(&self) -> Option<&CustomerCard> {
        match &self.outcome {
            Outcome::Found(c) => Some(c),
            _ => None,
        }
    }

    fn refocus(&mut self) {
        self.id.set_focus(self.mode == Mode::Lookup);
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.set_focus(self.mode == Mode::Register && i == self.reg_focus);
        }
    }

    fn focused(&mut self) -> &mut Field {
        match self.mode {
            Mode::Lookup => &mut self.id,
            Mode::Register => &mut self.fields[self.reg_focus],
        }
    }

    /// Routes a key: the screen's keymap, then the focused field.
    pub fn handle_key(&mut self, key: &KeyEvent) -> (bool, Option<Action>) {
        if let Some(cmd) = keymap::lookup(self.bindings(), key, |c| self.active(c)) {
            let action = self.command(cmd);
            self.refocus();
            return (true, action);
        }
        let used = self.focused().input(key);
        if used && self.mode == Mode::Lookup {
            self.relive();
        }
        (used, None)
    }

    /// Pasted or scanned text goes into the focused field.
    pub fn paste(&mut self, pasted: &str) {
        if self.focused().paste(pasted).is_ok() && self.mode == Mode::Lookup {
            self.relive();
        }
    }

    fn relive(&mut self) {
        // Editing the ID starts a new look-up: the previous answer (and any
        // previous customer's card) leaves the screen.
        self.outcome = Outcome::Empty;
        let typed = self.id.text();
        self.live = (!typed.trim().is_empty()).then(|| id::check(&typed, self.today));
        self.notice = None;
    }

    fn command(&mut self, cmd: Cmd) -> Option<Action> {
        match (self.mode, cmd) {
            (Mode::Lookup, Cmd::Enter) => {
                let typed = self.id.text();
                if typed.trim().is_empty() {
                    self.id.error = Some(msg!("customers.id_empty"));
                    return None;
                }
                Some(Action::Lookup(typed))
            }
            (Mode::Lookup, Cmd::SignOff) => match &self.outcome {
                Outcome::NeedsSignOff(reason) => Some(Action::OpenSignOff(reason.clone())),
                _ => None,
            },
            (Mode::Lookup, Cmd::Flags) => Some(Action::OpenFlags),
            (Mode::Lookup, Cmd::Accept) => Some(Action::StartAcceptance),
            (Mode::Lookup, Cmd::Cashier) => Some(Action::OpenCashier),
            (Mode::Lookup, Cmd::Applications) => Some(Action::OpenApplications),
            (Mode::Lookup, Cmd::Clear) => {
                self.reset();
                None
            }
            (Mode::Lookup, Cmd::Back) => {
                if self.outcome != Outcome::Empty {
                    self.outcome = Outcome::Empty;
                } else {
                    self.id.clear();
                    self.live = None;
                }
                None
            }
            (Mode::Register, Cmd::Enter) if self.reg_focus < ADDRESS => {
                self.reg_focus += 1;
                None
            }
            (Mode::Register, Cmd::Enter) => self.submit(),
            (Mode::Register, Cmd::Next) => {
                self.reg_focus = (self.reg_focus + 1) % 3;
                None
            }
            (Mode::Register, Cmd::Prev) => {
                self.reg_focus = (self.reg_focus + 2) % 3;
                None
            }
            (Mode::Register, Cmd::Back) => {
                // Back to the ID; what was typed for the registration stays.
                self.mode = Mode::Lookup;
                None
            }
            _ => None,
        }
    }

    fn reset(&mut self) {
        self.id.clear();
        self.live = None;
        self.outcome = Outcome::Empty;
        self.registering = None;
        self.signoff = None;
        for f in &mut self.fields {
            f.clear();
        }
        self.mode = Mode::Lookup;
        self.notice = None;
    }

    fn submit(&mut self) -> Option<Action> {
        let checks: [(usize, Validator); 3] = [
            (NAME, customer::validate_name),
            (PHONE, customer::validate_phone),
            (ADDRESS, customer::validate_address),
        ];
        let mut first_bad = None;
        for (i, check) in checks {
            let typed = self.fields[i].text();
            let optional = i != NAME && typed.trim().is_empty();
            self.fields[i].error = if optional { None } else { check(&typed).err() };
            if self.fields[i].error.is_some() && first_bad.is_none() {
                first_bad = Some(i);
            }
        }
        if let Some(i) = first_bad {
            self.reg_focus = i;
            return None;
        }
        let check = self.registering.as_ref()?;
        Some(Action::Register(
            NewCustomer {
                id_input: check.normalized.clone(),
                name: self.fields[NAME].text(),
                phone: self.fields[PHONE].text(),
                address: self.fields[ADDRESS].text(),
            },
            self.signoff.clone(),
        ))
    }

    /// Shows what a look-up found.
    pub fn show(&mut self, result: Lookup) {
        self.notice = None;
        match result {
            Lookup::Found(card) => {
                self.outcome = Outcome::Found(card);
                self.mode = Mode::Lookup;
            }
            Lookup::NotFound(check) => self.start_registration(*check),
            Lookup::NeedsSignOff(check, reason) => {
                self.outcome = Outcome::NeedsSignOff(reason);
                self.registering = Some(*check);
            }
            Lookup::Invalid(reason) => self.outcome = Outcome::Invalid(reason),
        }
        self.refocus();
    }

    fn start_registration(&mut self, check: IdCheck) {
        if self.registering.as_ref().map(|c| &c.normalized) != Some(&check.normalized) {
            for f in &mut self.fields {
                f.clear();
            }
            self.signoff = None;
        }
        self.registering = Some(check);
        self.outcome = Outcome::Empty;
        self.mode = Mode::Register;
        self.reg_focus = NAME;
        self.notice = Some(msg!("customers.not_found"));
        self.refocus();
    }

    /// A duty manager signed off the suspicious ID: go on to register it.
    pub fn signed_off(&mut self, s: SignOff) {
        if let Some(check) = self.registering.clone() {
            self.start_registration(check);
            self.signoff = Some(s);
            self.notice = Some(msg!("customers.signed_off"));
        }
    }

    /// The look-up failed for a reason outside the ID.
    pub fn failed(&mut self, why: Msg) {
        self.outcome = Outcome::Failed(why);
    }

    /// Registration went through: show the new customer.
    pub fn registered(&mut self, card: CustomerCard) {
        self.registering = None;
        self.signoff = None;
        for f in &mut self.fields {
            f.clear();
        }
        self.outcome = Outcome::Found(Box::new(card));
        self.mode = Mode::Lookup;
        self.notice = Some(msg!("customers.registered"));
        self.refocus();
    }

    /// Registration was refused: the message goes next to its field.
    pub fn register_failed(&mut self, why: Msg) {
        let target = if why.key.starts_with("customer.name") {
            Some(NAME)
        } else if why.key.starts_with("customer.phone") {
            Some(PHONE)
        } else if why.key.starts_with("customer.address") {
            Some(ADDRESS)
        } else {
            None
        };
        match target {
            Some(i) => {
                self.fields[i].error = Some(why);
                self.reg_focus = i;
            }
            None => self.notice = Some(why),
        }
        self.refocus();
    }

    /// The card after a change (flags).
    pub fn update_card(&mut self, card: CustomerCard) {
        self.outcome = Outcome::Found(Box::new(card));
    }

    /// Draws the screen.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let [top, body] = Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(area);
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" {} ", t("customers.title", lang)),
            theme::title(),
        ));
        let inner = block.inner(top);
        block.render(top, buf);
        self.id.render(Rect { height: 1, ..inner }, buf, lang, 12);
        let live_row = Rect {
            y: inner.y + 1,
            height: 1,
            ..inner
        };
        Paragraph::new(self.live_line(lang)).render(live_row, buf);
        match self.mode {
            Mode::Register => self.render_register(body, buf, ctx),
            Mode::Lookup => self.render_outcome(body, buf, ctx),
        }
    }

    fn live_line(&self, lang: Lang) -> Line<'static> {
        if let Some(n) = &self.notice {
            let style = if n.key == "customers.not_found" {
                theme::warn()
            } else {
                theme::ok()
            };
            return Line::from(Span::styled(text(n, lang), style));
        }
        let Some(check) = self
            .live
            .as_ref()
            .filter(|_| self.outcome == Outcome::Empty)
        else {
            return Line::from(Span::styled(t("customers.id_hint", lang), theme::dim()));
        };
        let kind = check
            .kind
            .map(|k| text(&k.name_msg(), lang))
            .unwrap_or_default();
        match &check.verdict {
            Verdict::Valid => Line::from(vec![
                Span::styled("✓ ", theme::ok()),
                Span::styled(kind, theme::ok()),
                Span::styled(format!("  {}", person_line(check, lang)), theme::dim()),
            ]),
            Verdict::Suspicious(r) => Line::from(Span::styled(
                format!("! {}", text(&r.msg(), lang)),
                theme::warn(),
            )),
            Verdict::Invalid(r) => Line::from(Span::styled(
                format!("✗ {}", text(&r.msg(), lang)),
                theme::dim(),
            )),
        }
    }

    fn render_outcome(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let area = pad(area);
        let (title, body, hint) = match &self.outcome {
            Outcome::Found(card) => return render_card(card, &self.drafts, area, buf, ctx),
            Outcome::Empty => {
                let mut body = t("customers.empty_hint", lang);
                for d in &self.drafts {
                    body.push('\n');
                    body.push_str(&text(
                        &msg!(
                            "customers.draft_any",
                            customer = d.customer,
                            business = ctx.form_name(&d.form_code),
                            saved = d.saved
                        ),
                        lang,
                    ));
                }
                (None, body, None)
            }
            Outcome::Invalid(m) => (
                Some(Span::styled(t("customers.invalid", lang), theme::error())),
                text(m, lang),
                Some("customers.correct_hint"),
            ),
            Outcome::Failed(m) => (
                Some(Span::styled(t("customers.failed", lang), theme::error())),
                text(m, lang),
                None,
            ),
            Outcome::NeedsSignOff(m) => (
                Some(Span::styled(t("customers.suspicious", lang), theme::warn())),
                text(m, lang),
                Some("customers.signoff_hint"),
            ),
        };
        let style = if title.is_some() {
            ratatui::style::Style::default()
        } else {
            theme::dim()
        };
        let mut lines = vec![title.map(Line::from).unwrap_or_default()];
        lines.extend(
            wrap(&body, area.width, lang)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style))),
        );
        if let Some(h) = hint {
            lines.extend(
                wrap(&t(h, lang), area.width, lang)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme::dim()))),
            );
        }
        Paragraph::new(lines).render(area, buf);
    }

    fn render_register(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" {} ", t("customers.register_title", lang)),
            theme::title(),
        ));
        let inner = pad(block.inner(area));
        block.render(area, buf);
        let mut lines = Vec::new();
        if let Some(check) = &self.registering {
            let kind = check
                .kind
                .map(|k| text(&k.name_msg(), lang))
                .unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", t("customers.id", lang)), theme::label()),
                Span::raw(id::mask(&check.normalized)),
                Span::styled(
                    format!("  {kind}  {}", person_line(check, lang)),
                    theme::dim(),
                ),
            ]));
        }
        if let Some(s) = &self.signoff {
            lines.push(Line::from(Span::styled(
                text(
                    &msg!(
                        "customers.signoff_line",
                        name = s.by.name,
                        staff_no = s.by.staff_no,
                        reason = s.reason
                    ),
                    lang,
                ),
                theme::warn(),
            )));
        }
        let n = lines.len() as u16;
        Paragraph::new(lines).render(
            Rect {
                height: n.min(inner.height),
                ..inner
            },
            buf,
        );
        // Two rows per field: the input, and below it any error that does not fit beside it.
        for (i, f) in self.fields.iter().enumerate() {
            let y = inner.y + n + 1 + 2 * i as u16;
            if y + 1 < inner.bottom() {
                f.render(
                    Rect {
                        y,
                        height: 2,
                        ..inner
                    },
                    buf,
                    lang,
                    12,
                );
            }
        }
        let y = inner.y + n + 7;
        if y < inner.bottom() {
            Paragraph::new(Span::styled(
                t("customers.register_hint", lang),
                theme::dim(),
            ))
            .wrap(Wrap { trim: false })
            .render(
                Rect {
                    y,
                    height: inner.bottom() - y,
                    ..inner
                },
                buf,
            );
        }
    }
}

fn pad(r: Rect) -> Rect {
    Rect {
        x: r.x + 1,
        width: r.width.saturating_sub(2),
        ..r
    }
}

use card::{person_line, render_card};
