//! The customers screen: one ID in, the customer out, or a registration.
//! From a customer's card the clerk goes on to an acceptance, the open
//! applications or the cashier.

mod card;
mod draw;
mod flags;
pub mod keys;
mod signoff;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::desk::customers::{CustomerCard, Lookup, NewCustomer, SignOff};
use crate::desk::{Credentials, Desk, Session};
use crate::domain::customer;
use crate::domain::id::{self, IdCheck};
use crate::domain::msg::{Input, Msg, Notice};
use crate::msg;
use crate::tui::acceptance::Acceptance;
use crate::tui::answer::{Answer, InForm};
use crate::tui::applications::Applications;
use crate::tui::cashier::Cashier;
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::keymap::{self, Keys};
use crate::tui::screen::{Ctx, Flow, Nav, Screen, View};
use flags::FlagsPopup;
use keys::{LookupKey, RegisterKey, LOOKUP, REGISTER};
use signoff::SignOffPopup;

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

/// An unfinished acceptance, as the customers screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftNote {
    pub customer_id: i64,
    /// Customer's name and masked ID.
    pub customer: String,
    /// Business type.
    pub form_code: String,
    /// When last saved (local time).
    pub saved: String,
}

/// A popup of this screen, taking every key while open.
enum Popup {
    SignOff(Box<SignOffPopup>),
    Flags(FlagsPopup),
}

/// What the customers screen does, each one desk call.
enum Command {
    Lookup(String),
    /// A card laid on the reader: looked up as if typed.
    CardRead(crate::domain::id_card::CardText),
    Register(NewCustomer),
    SignOff(Credentials, String),
    OpenFlags,
    ToggleFlag(String),
    ToggleLanguage,
    StartAcceptance,
    OpenApplications,
    OpenCashier,
    OpenUpload,
    OpenQueue,
}

const NAME: usize = 0;
const PHONE: usize = 1;
const ADDRESS: usize = 2;
/// Shown only when the desk says the name cannot be printed.
const NAME_LATIN: usize = 3;

/// State of the customers screen.
pub struct Customers {
    session: Session,
    id: Field,
    live: Option<IdCheck>,
    today: NaiveDate,
    pub mode: Mode,
    /// Last outcome.
    pub outcome: Outcome,
    registering: Option<IdCheck>,
    register: Form,
    signoff: Option<SignOff>,
    popup: Option<Popup>,
    /// A one-line note ("registered").
    pub notice: Option<Notice>,
    /// This clerk's unfinished acceptances.
    pub drafts: Vec<DraftNote>,
    /// Drafts that could not be read, one message each.
    unreadable: Vec<Msg>,
}

impl Customers {
    /// The screen a clerk starts on, with their drafts listed.
    pub fn start(session: Session, desk: &mut Desk) -> Customers {
        let mut id = Field::new("customers.id", 64);
        id.set_focus(true);
        let mut register = Form::new(vec![
            (
                Field::new("customers.name", customer::NAME_MAX),
                Some(Input::Name),
            ),
            (Field::new("customers.phone", 20), Some(Input::Phone)),
            (
                Field::new("customers.address", customer::ADDRESS_MAX).free_text(),
                Some(Input::Address),
            ),
            (
                Field::new("customers.name_latin", customer::LATIN_NAME_MAX),
                Some(Input::NameLatin),
            ),
        ]);
        register.set_hidden(NAME_LATIN, true);
        register.set_active(false);
        let mut c = Customers {
            session,
            id,
            live: None,
            today: desk.clock().today(),
            mode: Mode::Lookup,
            outcome: Outcome::Empty,
            registering: None,
            register,
            signoff: None,
            popup: None,
            notice: None,
            drafts: Vec::new(),
            unreadable: Vec::new(),
        };
        c.refresh_drafts(desk);
        c
    }

    /// The customer on screen, if any.
    pub fn card(&self) -> Option<&CustomerCard> {
        match &self.outcome {
            Outcome::Found(c) => Some(c),
            _ => None,
        }
    }

    /// The keys that work now, as the bar shows them. Flags are offered to
    /// duty managers; anyone else pressing F5 is told who sets them.
    fn lookup_active(&self, cmd: LookupKey) -> bool {
        match cmd {
            LookupKey::Flags => self.answers(cmd) && self.session.role().supervises(),
            other => self.answers(other),
        }
    }

    /// The keys the screen answers now.
    fn answers(&self, cmd: LookupKey) -> bool {
        match cmd {
            LookupKey::SignOff => matches!(self.outcome, Outcome::NeedsSignOff(_)),
            LookupKey::Flags | LookupKey::Accept | LookupKey::Language => {
                matches!(self.outcome, Outcome::Found(_))
            }
            LookupKey::Back => !self.id.text().is_empty() || self.outcome != Outcome::Empty,
            LookupKey::Applications => self.card().is_some_and(|c| !c.open_applications.is_empty()),
            LookupKey::Lookup
            | LookupKey::Cashier
            | LookupKey::Clear
            | LookupKey::Upload
            | LookupKey::Queue => true,
        }
    }

    fn refocus(&mut self) {
        self.id
            .set_focus(self.mode == Mode::Lookup && self.popup.is_none());
        self.register
            .set_active(self.mode == Mode::Register && self.popup.is_none());
    }

    fn relive(&mut self) {
        // Editing the ID starts a new look-up: the previous answer (and any
        // previous customer's card) leaves the screen.
        self.outcome = Outcome::Empty;
        let typed = self.id.text();
        self.live = (!typed.trim().is_empty()).then(|| id::check(&typed, self.today));
        self.notice = None;
    }

    /// The keys of the look-up mode turned into the screen's own commands.
    fn on_lookup_key(&mut self, cmd: LookupKey) -> Option<Command> {
        match cmd {
            LookupKey::Lookup => {
                let typed = self.id.text();
                if typed.trim().is_empty() {
                    self.id.error = Some(msg!("customers.id_empty"));
                    return None;
                }
                return Some(Command::Lookup(typed));
            }
            LookupKey::SignOff => {
                if let Outcome::NeedsSignOff(reason) = &self.outcome {
                    let popup = SignOffPopup::new(reason.clone());
                    self.popup = Some(Popup::SignOff(Box::new(popup)));
                }
            }
            LookupKey::Flags => return Some(Command::OpenFlags),
            LookupKey::Language => return Some(Command::ToggleLanguage),
            LookupKey::Accept => return Some(Command::StartAcceptance),
            LookupKey::Cashier => return Some(Command::OpenCashier),
            LookupKey::Upload => return Some(Command::OpenUpload),
            LookupKey::Queue => return Some(Command::OpenQueue),
            LookupKey::Applications => return Some(Command::OpenApplications),
            LookupKey::Clear => self.reset(),
            LookupKey::Back => {
                if self.outcome != Outcome::Empty {
                    self.outcome = Outcome::Empty;
                } else {
                    self.id.clear();
                    self.live = None;
                }
            }
        }
        None
    }

    fn on_register_key(&mut self, cmd: RegisterKey) -> Option<Command> {
        match cmd {
            RegisterKey::Enter if !self.register.at_last() => self.register.next(),
            RegisterKey::Enter => return self.registration(),
            RegisterKey::Next => self.register.next(),
            RegisterKey::Prev => self.register.prev(),
            // Back to the ID; what was typed for the registration stays.
            RegisterKey::Back => self.mode = Mode::Lookup,
        }
        None
    }

    fn on_popup_key(&mut self, key: &KeyEvent) -> Option<Command> {
        match self.popup.as_mut()? {
            Popup::SignOff(p) => match p.on_key(key) {
                signoff::Asked::Nothing => None,
                signoff::Asked::Close => {
                    self.popup = None;
                    None
                }
                signoff::Asked::SignOff(who, reason) => Some(Command::SignOff(who, reason)),
            },
            Popup::Flags(p) => match p.on_key(key) {
                flags::Asked::Nothing => None,
                flags::Asked::Close => {
                    self.popup = None;
                    None
                }
                flags::Asked::Toggle(code) => Some(Command::ToggleFlag(code)),
            },
        }
    }

    fn reset(&mut self) {
        self.id.clear();
        self.live = None;
        self.outcome = Outcome::Empty;
        self.registering = None;
        self.signoff = None;
        self.clear_registration();
        self.mode = Mode::Lookup;
        self.notice = None;
    }

    /// Empties the registration; the Latin name hides again until asked.
    fn clear_registration(&mut self) {
        self.register.clear();
        self.register.set_hidden(NAME_LATIN, true);
    }

    /// Checks the registration fields; the command when they are fine.
    fn registration(&mut self) -> Option<Command> {
        type Check = fn(&str) -> Result<String, Msg>;
        let checks: [(usize, Check); 4] = [
            (NAME, customer::validate_name),
            (PHONE, customer::validate_phone),
            (ADDRESS, customer::validate_address),
            (NAME_LATIN, customer::validate_latin_name),
        ];
        let mut first_bad = None;
        for (i, check) in checks {
            let typed = self.register.text(i);
            let optional = (i != NAME && typed.trim().is_empty()) || !self.register.shown(i);
            let error = if optional { None } else { check(&typed).err() };
            if error.is_some() && first_bad.is_none() {
                first_bad = Some(i);
            }
            if let Some(f) = self.register.field_mut(i) {
                f.error = error;
            }
        }
        if let Some(i) = first_bad {
            self.register.focus_on(i);
            return None;
        }
        let check = self.registering.as_ref()?;
        Some(Command::Register(NewCustomer {
            id_input: check.normalized.clone(),
            name: self.register.text(NAME),
            name_latin: self.register.text(NAME_LATIN),
            phone: self.register.text(PHONE),
            address: self.register.text(ADDRESS),
        }))
    }

    /// Runs a command against the desk: one call, its answer shown here.
    fn run(&mut self, cmd: Command, desk: &mut Desk) -> Flow {
        match cmd {
            Command::Lookup(typed) => {
                match desk.lookup(&typed) {
                    Ok(found) => self.show(found),
                    Err(e) => self.outcome = Outcome::Failed(e.into_msg()),
                }
                self.refresh_drafts(desk);
            }
            Command::CardRead(card) => {
                self.id.set_text(&card.id_no);
                match desk.look_up_card(&self.session, &card) {
                    Ok(found) => {
                        let new = matches!(found, Lookup::NotFound(_));
                        self.show(found);
                        // Registration starts with what the card says.
                        if new {
                            self.prefill_from_card(&card);
                        }
                        let until = match card.valid_until {
                            crate::domain::material_file::Validity::Until(d) => d.to_string(),
                            _ => "长期".to_string(),
                        };
                        if !new {
                            let m = msg!("reader.read", name = card.name, until = until);
                            self.notice = Some(Notice::done(m));
                        }
                    }
                    Err(e) => self.outcome = Outcome::Failed(e.into_msg()),
                }
                self.refresh_drafts(desk);
            }
            Command::Register(new) => {
                let registered = desk.register(&self.session, &new, self.signoff.as_ref());
                let mut shown = InForm(&mut self.register, &mut self.notice);
                if let Some(card) = registered.or_refused(&mut shown) {
                    self.registered(card);
                }
            }
            Command::SignOff(who, reason) => {
                let Some(check) = self.registering.clone() else {
                    return Flow::Used;
                };
                match desk.sign_off_id(&self.session, &check, &who, &reason) {
                    Ok(s) => {
                        self.popup = None;
                        self.start_registration(check);
                        self.signoff = Some(s);
                        self.notice = Some(Notice::done(msg!("customers.signed_off")));
                    }
                    Err(e) => {
                        if let Some(Popup::SignOff(p)) = &mut self.popup {
                            p.refused(&e);
                        }
                    }
                }
            }
            Command::OpenFlags => {
                let Some(flags) = self.card().map(|c| c.flags.clone()) else {
                    return Flow::Used;
                };
                if let Some(choices) = desk
                    .flag_choices(&self.session)
                    .or_refused(&mut self.notice)
                {
                    self.popup = Some(Popup::Flags(FlagsPopup::new(choices, flags)));
                }
            }
            Command::ToggleFlag(code) => self.toggle_flag(&code, desk),
            Command::ToggleLanguage => self.toggle_language(desk),
            Command::StartAcceptance => {
                let Some(card) = self.card().cloned() else {
                    return Flow::Used;
                };
                return match desk.start_acceptance(&self.session, &card) {
                    Ok(start) => {
                        let a = Acceptance::new(self.session.clone(), card, start);
                        Flow::Go(Nav::Open(Screen::new(a)))
                    }
                    Err(e) => {
                        self.notice = Some(e.notice());
                        Flow::Used
                    }
                };
            }
            Command::OpenApplications => {
                let Some(card) = self.card().cloned() else {
                    return Flow::Used;
                };
                let a = Applications::new(self.session.clone(), card, desk);
                return Flow::Go(Nav::Open(Screen::new(a)));
            }
            Command::OpenQueue => {
                let q = crate::tui::queue::Queue::start(self.session.clone(), desk);
                return Flow::Go(Nav::Open(Screen::new(q)));
            }
            Command::OpenUpload => {
                let u = crate::tui::upload::Upload::start(self.session.clone(), desk);
                return Flow::Go(Nav::Open(Screen::new(u)));
            }
            Command::OpenCashier => {
                return match desk.cashier_opening(&self.session) {
                    Ok(start) => {
                        let c = Screen::new(Cashier::new(self.session.clone(), start));
                        // What was booked but never printed is seen first.
                        match crate::tui::unprinted::UnprintedSlips::start(&self.session, desk) {
                            Some(u) => Flow::Go(Nav::OpenBoth(c, Screen::new(u))),
                            None => Flow::Go(Nav::Open(c)),
                        }
                    }
                    // The shift could not be looked up: say so, never "no shift".
                    Err(e) => {
                        self.notice = Some(e.notice());
                        Flow::Used
                    }
                };
            }
        }
        Flow::Used
    }

    fn toggle_flag(&mut self, code: &str, desk: &mut Desk) {
        let Some(card) = self.card().cloned() else {
            return;
        };
        let on = !card.flags.iter().any(|f| f == code);
        match desk.set_flag(&self.session, &card, code, on) {
            Ok(updated) => {
                if let Some(Popup::Flags(p)) = &mut self.popup {
                    p.current = updated.flags.clone();
                    p.notice = None;
                }
                self.outcome = Outcome::Found(Box::new(updated));
            }
            Err(e) => {
                if let Some(Popup::Flags(p)) = &mut self.popup {
                    p.notice = Some(e.notice());
                }
            }
        }
    }

    /// Shows what a look-up found.
    fn show(&mut self, result: Lookup) {
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
    }

    fn start_registration(&mut self, check: IdCheck) {
        if self.registering.as_ref().map(|c| &c.normalized) != Some(&check.normalized) {
            self.clear_registration();
            self.signoff = None;
        }
        self.registering = Some(check);
        self.outcome = Outcome::Empty;
        self.mode = Mode::Register;
        self.register.focus_on(NAME);
        self.notice = Some(Notice::warning(msg!("customers.not_found")));
    }

    /// The name and address as the card gives them; the phone is asked.
    fn prefill_from_card(&mut self, card: &crate::domain::id_card::CardText) {
        if let Some(f) = self.register.field_mut(NAME) {
            f.set_text(&card.name);
        }
        if let Some(f) = self.register.field_mut(ADDRESS) {
            f.set_text(&card.address);
        }
        self.register.focus_on(PHONE);
    }

    fn registered(&mut self, card: CustomerCard) {
        self.registering = None;
        self.signoff = None;
        self.clear_registration();
        self.outcome = Outcome::Found(Box::new(card));
        self.mode = Mode::Lookup;
        self.notice = Some(Notice::done(msg!("customers.registered")));
    }

    /// Reloads the clerk's unfinished acceptances.
    fn refresh_drafts(&mut self, desk: &mut Desk) {
        match desk.drafts(&self.session) {
            Ok(d) => {
                self.drafts = d
                    .drafts
                    .into_iter()
                    .map(|s| DraftNote {
                        customer_id: s.draft.customer_id,
                        customer: s.customer,
                        form_code: s.draft.form_code,
                        saved: s
                            .updated_at
                            .with_timezone(&chrono::Local)
                            .format("%H:%M")
                            .to_string(),
                    })
                    .collect();
                self.unreadable = d.unreadable;
            }
            Err(e) => self.unreadable = vec![e.into_msg()],
        }
    }
}

impl View for Customers {
    fn on_card(&mut self, event: crate::reader::ReaderEvent, desk: &mut Desk) -> bool {
        // A popup (a duty manager's sign-off, the flags) keeps the screen.
        if self.popup.is_some() {
            return false;
        }
        match event {
            crate::reader::ReaderEvent::Card(card) => {
                let _ = self.run(Command::CardRead(card), desk);
            }
            crate::reader::ReaderEvent::Trouble(m) => self.notice = Some(Notice::warning(m)),
        }
        true
    }

    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        if let Outcome::Invalid(m) = &self.outcome {
            return Some(m.clone());
        }
        crate::tui::notice::refusal(&self.notice)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        let command = if self.popup.is_some() {
            self.on_popup_key(key)
        } else {
            match self.mode {
                Mode::Lookup => match keymap::lookup_if(LOOKUP, key, |c| self.answers(c)) {
                    Some(cmd) => self.on_lookup_key(cmd),
                    None if self.id.input(key) => {
                        self.relive();
                        None
                    }
                    None => return Flow::Unused,
                },
                Mode::Register => match keymap::lookup(REGISTER, key) {
                    Some(cmd) => self.on_register_key(cmd),
                    None if self.register.input(key) => None,
                    None => return Flow::Unused,
                },
            }
        };
        let flow = match command {
            Some(c) => self.run(c, desk),
            None => Flow::Used,
        };
        self.refocus();
        flow
    }

    fn on_paste(&mut self, pasted: &str, _desk: &mut Desk) {
        match (&mut self.popup, self.mode) {
            (Some(Popup::SignOff(p)), _) => p.on_paste(pasted),
            (Some(Popup::Flags(_)), _) => {}
            (None, Mode::Lookup) => {
                if self.id.paste(pasted).is_ok() {
                    self.relive();
                }
            }
            (None, Mode::Register) => self.register.paste(pasted),
        }
    }

    fn keys(&self) -> Keys {
        match (&self.popup, self.mode) {
            (Some(Popup::SignOff(_)), _) => Keys::modal(signoff::KEYS),
            (Some(Popup::Flags(_)), _) => Keys::modal(flags::KEYS),
            (None, Mode::Lookup) => Keys::of(LOOKUP, |c| self.lookup_active(c)),
            (None, Mode::Register) => Keys::all(REGISTER),
        }
    }

    fn facing(
        &self,
    ) -> Option<(
        crate::domain::facing::Moment,
        Option<crate::domain::msg::Lang>,
    )> {
        match &self.outcome {
            Outcome::Found(card) => Some((
                crate::domain::facing::Moment::Serving {
                    customer: crate::domain::customer::mask_name(&card.customer.name),
                    business: None,
                    owed: Vec::new(),
                },
                Some(card.customer.lang),
            )),
            _ => None,
        }
    }

    fn help_title(&self) -> &'static str {
        "help.screen_customers"
    }

    fn resume(&mut self, desk: &mut Desk) {
        // Back to the customer, with the card read again: a new
        // application, a material handed in or a hand-over shows at once.
        if let Some(card) = self.card().cloned() {
            if let Some(fresh) = desk.refresh(&card).or_refused(&mut self.notice) {
                self.outcome = Outcome::Found(Box::new(fresh));
            }
        }
        self.refresh_drafts(desk);
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        draw::screen(self, area, buf, ctx);
        match &self.popup {
            Some(Popup::SignOff(p)) => p.draw(area, buf, ctx.lang),
            Some(Popup::Flags(p)) => p.draw(area, buf, ctx.lang),
            None => {}
        }
    }
}
