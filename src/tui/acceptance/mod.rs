//! Single-ID acceptance (一证受理) for the customer on screen: choose the
//! business, type its fields, disclose everything once (一次性告知), accept.
//! Every step saves the draft, and Esc steps back without losing anything.

pub mod checklist;
mod draw;
pub mod fields;
mod inputs;
pub mod keys;
pub mod menu;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::desk::acceptance::{self, Draft, NotYet, Start};
use crate::desk::customers::CustomerCard;
use crate::desk::managers::Chosen;
use crate::desk::slips::SlipOrder;
use crate::desk::{Desk, Session};
use crate::domain::facing::{Moment, Named};
use crate::domain::form::{FieldKind, Form};
use crate::domain::material_file::Typed;
use crate::domain::msg::Notice;
use crate::msg;
use crate::store::applications::ApplicationRow;
use crate::tui::answer::{self, Answer};
use crate::tui::field::Field;
use crate::tui::form::Form as Inputs;
use crate::tui::form_screen::{self, Step};
use crate::tui::keymap::{self, Keys};
use crate::tui::popup::{Preview, PREVIEW};
use crate::tui::scan_panel::{self, scan_attached, ScanPanel};
use crate::tui::screen::{Ctx, Flow, KeyOutcome, Nav, View};

use checklist::Checklist;
use fields::Fields;
use inputs::{details_form, manager_form, Typing};
use keys::{ChecklistKey, DoneKey, DuplicateKey, FieldsKey, MenuKey};
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

/// What the acceptance screen does, each one desk call.
enum Command {
    /// Save the draft as it stands.
    SaveDraft,
    /// Check the fields and open (or refresh) the disclosure checklist.
    OpenChecklist,
    /// Accept the application.
    Accept,
    /// Print the accepted application's slips.
    Print,
    /// Preview them.
    Preview,
    /// Throw away the clerk's draft of this business (code, name) for the
    /// customer.
    DiscardDraft(String, String),
    /// Print a business's one-time notice for a customer who only asks.
    Consult(String),
    /// Record the document details typed for a material (its id).
    SaveDetails(String, Typed),
    /// Give the case another customer manager than the grid's.
    ChooseManager(Chosen),
    /// Attach the file shown to the material the panel is open over.
    AttachScan(crate::scanner::Seen),
    /// Back to the customer.
    Leave,
}

/// The acceptance screen.
pub struct Acceptance {
    session: Session,
    /// The customer.
    pub card: CustomerCard,
    pub stage: Stage,
    /// When this customer was told this business's notice before.
    pub told: Option<crate::desk::consultations::ToldBefore>,
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
    pub notice: Option<Notice>,
    drafts: Vec<Draft>,
    /// The business whose draft F8 was pressed for once: a second press
    /// throws it away.
    discard_armed: Option<String>,
    preview: Option<Preview>,
    /// A small form being typed under the checklist.
    details: Option<(Typing, Inputs)>,
    /// The customer manager the case will get.
    pub manager: Option<crate::domain::grid::Manager>,
    /// The scanner's newest file, shown before it is attached.
    pub scan: Option<ScanPanel>,
    /// A scanner is configured (I is offered).
    scanner: bool,
}

impl Acceptance {
    /// Starts at the menu the desk offered, with the clerk's drafts.
    pub fn new(session: Session, card: CustomerCard, start: Start) -> Acceptance {
        let entries = start
            .menu
            .into_iter()
            .map(|form| Entry {
                has_draft: start.drafts.iter().any(|d| d.form_code == form.code),
                form,
            })
            .collect();
        let mut reason = Field::new("acceptance.duplicate_reason", 200).lines();
        reason.set_focus(true);
        Acceptance {
            session,
            card,
            told: None,
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
            drafts: start.drafts,
            discard_armed: None,
            preview: None,
            details: None,
            manager: None,
            scan: None,
            scanner: start.scanner,
        }
    }

    /// Which checklist keys apply where the cursor stands.
    fn checklist_active(&self) -> impl Fn(ChecklistKey) -> bool {
        let c = self.checklist.as_ref();
        let on_material = c.is_some_and(Checklist::on_material);
        let for_file = c.is_some_and(|c| c.material_for_file().is_some());
        let in_hand = self.scanner && c.is_some_and(|c| c.material_in_hand(&self.draft).is_some());
        move |k| match k {
            ChecklistKey::Received => on_material,
            ChecklistKey::Details => for_file,
            ChecklistKey::Scan => in_hand,
            _ => true,
        }
    }

    /// The small form being typed, with its heading, if any.
    pub(super) fn details_inputs(&self) -> Option<(&'static str, &Inputs)> {
        self.details.as_ref().map(|(typing, f)| {
            let head = match typing {
                Typing::Material(_) => "file.details_heading",
                Typing::Manager => "grid.choose_heading",
            };
            (head, f)
        })
    }

    fn highlighted_has_draft(&self) -> bool {
        self.menu.chosen().is_some_and(|e| e.has_draft)
    }

    /// A key its stage's keymap took: the last notice goes before it acts.
    fn on_bound<K>(
        &mut self,
        bound: Option<K>,
        act: impl FnOnce(&mut Self, K) -> Option<Command>,
    ) -> KeyOutcome<Command> {
        KeyOutcome::of(bound, |k| {
            self.notice = None;
            act(self, k)
        })
    }

    fn menu_key(&mut self, cmd: MenuKey) -> Option<Command> {
        let armed = self.discard_armed.take();
        match cmd {
            MenuKey::DiscardDraft => {
                let form = self.menu.chosen().filter(|e| e.has_draft)?.form.clone();
                if armed.as_deref() == Some(form.code.as_str()) {
                    return Some(Command::DiscardDraft(form.code, form.name.zh));
                }
                self.notice = Some(Notice::warning(msg!(
                    "acceptance.discard_confirm",
                    business = form.name.zh
                )));
                self.discard_armed = Some(form.code);
            }
            MenuKey::Up => self.menu.step(false),
            MenuKey::Down => self.menu.step(true),
            MenuKey::Choose => match self.menu.chosen() {
                Some(e) => {
                    let form = e.form.clone();
                    self.choose(form);
                }
                None => self.notice = Some(Notice::refusal(msg!("acceptance.menu_none"))),
            },
            MenuKey::Consult => match self.menu.chosen() {
                Some(e) => return Some(Command::Consult(e.form.code.clone())),
                None => self.notice = Some(Notice::refusal(msg!("acceptance.menu_none"))),
            },
            MenuKey::Leave => return Some(Command::Leave),
        }
        None
    }

    fn duplicate_key(&mut self, cmd: DuplicateKey) -> Option<Command> {
        match cmd {
            DuplicateKey::Continue if self.reason.text().trim().is_empty() => {
                self.reason.error = Some(msg!("acceptance.duplicate_needs_reason"));
                None
            }
            DuplicateKey::Continue => {
                self.draft.duplicate_reason = Some(self.reason.text().trim().to_string());
                self.stage = Stage::Fields;
                Some(Command::SaveDraft)
            }
            DuplicateKey::Back => {
                self.stage = Stage::Menu;
                None
            }
        }
    }

    fn fields_key(&mut self, cmd: FieldsKey) -> Option<Command> {
        let form = self.form.clone()?;
        let f = self.fields.as_mut()?;
        match cmd {
            FieldsKey::Enter => {
                if f.check_focused(&form) {
                    if f.focus + 1 < f.inputs.len() {
                        f.focus += 1;
                        f.refocus();
                    } else {
                        return Some(Command::OpenChecklist);
                    }
                }
            }
            FieldsKey::Disclose => return Some(Command::OpenChecklist),
            FieldsKey::Next | FieldsKey::Prev => {
                let n = f.inputs.len().max(1);
                f.focus = if cmd == FieldsKey::Next {
                    (f.focus + 1) % n
                } else {
                    (f.focus + n - 1) % n
                };
                f.refocus();
            }
            FieldsKey::Back => {
                let dup = !self.duplicates.is_empty();
                self.stage = if dup { Stage::Duplicate } else { Stage::Menu };
            }
        }
        Some(Command::SaveDraft)
    }

    fn checklist_key(&mut self, cmd: ChecklistKey, desk: &Desk) -> Option<Command> {
        let c = self.checklist.as_mut()?;
        match cmd {
            ChecklistKey::Tick => c.tick(&mut self.draft, desk.clock().now()),
            ChecklistKey::Received => c.toggle_received(&mut self.draft),
            ChecklistKey::Details => {
                let m = c.material_for_file()?;
                let typed = self.draft.details.get(&m.id).cloned().unwrap_or_default();
                self.details = Some((Typing::Material(m.id.clone()), details_form(&typed)));
                return None;
            }
            ChecklistKey::Scan => {
                let m = c.material_in_hand(&self.draft)?;
                self.scan = Some(ScanPanel::open(&m.id, &m.name.zh, desk));
                return None;
            }
            ChecklistKey::Manager => {
                let chosen = self.draft.manager.clone().unwrap_or_default();
                self.details = Some((Typing::Manager, manager_form(&chosen)));
                return None;
            }
            ChecklistKey::Commitment => {
                self.draft.commitment_signed = !self.draft.commitment_signed
            }
            // With an agent the plan itself changes (the agent's papers).
            ChecklistKey::Agent => {
                self.draft.via_agent = !self.draft.via_agent;
                return Some(Command::OpenChecklist);
            }
            ChecklistKey::Up => {
                c.step(false);
                return None;
            }
            ChecklistKey::Down => {
                c.step(true);
                return None;
            }
            ChecklistKey::Accept => return Some(Command::Accept),
            ChecklistKey::Back => self.stage = Stage::Fields,
        }
        Some(Command::SaveDraft)
    }

    fn done_key(&mut self, cmd: DoneKey) -> Option<Command> {
        Some(match cmd {
            DoneKey::Print => Command::Print,
            DoneKey::Preview => Command::Preview,
            DoneKey::Leave => Command::Leave,
        })
    }

    /// Runs a command against the desk: one call, its answer shown here.
    fn run(&mut self, cmd: Command, desk: &mut Desk) -> Flow {
        if let Some(f) = &self.fields {
            self.draft.fields = f.typed();
        }
        match cmd {
            Command::SaveDraft => {
                if let Err(e) = desk.save_draft(&self.session, &self.draft) {
                    self.notice = Some(e.notice());
                }
            }
            Command::OpenChecklist => {
                match desk.open_checklist(&self.session, &self.card, &self.draft) {
                    Ok(c) => self.show_checklist(c),
                    Err(NotYet::Fields(errors)) => {
                        self.stage = Stage::Fields;
                        if let Some(f) = &mut self.fields {
                            f.show_errors(&errors);
                        }
                    }
                    Err(NotYet::Refused(e)) => self.notice = Some(e.notice()),
                }
            }
            Command::Accept => {
                if let Some(done) = desk
                    .accept(&self.session, &self.card, &self.draft)
                    .or_refused(&mut self.notice)
                {
                    self.accepted = Some(done.application);
                    self.stage = Stage::Done;
                }
            }
            Command::Print => {
                let Some(app) = &self.accepted else {
                    return Flow::Used;
                };
                let order = SlipOrder::Application(&app.ticket_no);
                self.notice = Some(answer::printed(desk.print(&self.session, order)));
            }
            Command::Preview => {
                let Some(app) = &self.accepted else {
                    return Flow::Used;
                };
                if let Some(lines) = desk.preview(&app.ticket_no).or_refused(&mut self.notice) {
                    self.preview = Some(Preview::new(lines));
                }
            }
            Command::DiscardDraft(code, business) => {
                let customer = self.card.customer.id;
                if desk
                    .discard_draft(&self.session, customer, &code)
                    .or_refused(&mut self.notice)
                    .is_some()
                {
                    self.drafts.retain(|d| d.form_code != code);
                    self.menu.forget_draft(&code);
                    self.notice = Some(Notice::done(msg!(
                        "acceptance.draft_discarded",
                        business = business
                    )));
                }
            }
            Command::Consult(code) => {
                if let Some(c) = desk
                    .consult(&self.session, &self.card, &code)
                    .or_refused(&mut self.notice)
                {
                    // Recorded either way; the slip's fate is said after it.
                    self.notice = Some(match c.printed {
                        Ok(p) => {
                            let n = p.notice();
                            Notice {
                                msg: msg!("acceptance.consulted", number = c.number)
                                    .part("printed", n.msg),
                                ..n
                            }
                        }
                        Err(e) => Notice::warning(
                            msg!("acceptance.consulted", number = c.number)
                                .part("printed", e.into_msg()),
                        ),
                    });
                }
            }
            Command::SaveDetails(id, typed) => {
                match desk.material_details(&self.session, &self.draft, &id, &typed) {
                    Ok(draft) => {
                        let name = self
                            .checklist
                            .as_ref()
                            .and_then(|c| c.plan.materials.iter().find(|m| m.id == id))
                            .map(|m| m.name.zh.clone())
                            .unwrap_or_default();
                        self.draft = draft;
                        self.details = None;
                        self.notice =
                            Some(Notice::done(msg!("file.details_saved", material = name)));
                    }
                    Err(e) => {
                        let beside = self.details.as_mut().is_some_and(|(_, f)| f.refused(&e));
                        if !beside {
                            self.notice = Some(e.notice());
                        }
                    }
                }
            }
            Command::ChooseManager(chosen) => {
                match desk.choose_manager(&self.session, &self.draft, &chosen) {
                    Ok(draft) => {
                        self.draft = draft;
                        self.details = None;
                        self.manager = self.draft.manager.as_ref().map(Chosen::manager);
                        let m = msg!(
                            "grid.chosen",
                            name = chosen.name.trim(),
                            phone = chosen.phone.trim(),
                            reason = chosen.reason.trim()
                        );
                        self.notice = Some(Notice::done(m));
                    }
                    Err(e) => {
                        let beside = self.details.as_mut().is_some_and(|(_, f)| f.refused(&e));
                        if !beside {
                            self.notice = Some(e.notice());
                        }
                    }
                }
            }
            Command::AttachScan(seen) => {
                let Some(panel) = &mut self.scan else {
                    return Flow::Used;
                };
                let (id, name) = panel.material.clone();
                match desk.attach_scan(&self.session, &self.draft, &id, &seen) {
                    Ok((draft, scan)) => {
                        self.draft = draft;
                        self.scan = None;
                        self.notice = Some(Notice::done(scan_attached(&name, &scan)));
                    }
                    // Said in the panel, which stays open to try again.
                    Err(e) => panel.problem = Some(e.into_msg()),
                }
            }
            Command::Leave => return Flow::Go(Nav::Back),
        }
        Flow::Used
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
            self.notice = Some(Notice::warning(msg!("acceptance.draft_resumed")));
        }
        self.form = Some(form);
    }

    // What the customer record already knows need not be typed again.
    fn prefill(&mut self, form: &Form) {
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

    /// The checklist the desk opened: show it (or refresh it) with the draft
    /// as saved.
    fn show_checklist(&mut self, c: acceptance::Checklist) {
        self.draft = c.draft;
        self.told = c.told;
        self.manager = c.manager;
        match &mut self.checklist {
            Some(list) => list.replace(c.plan, c.items, c.on_file),
            None => {
                let single_id = self.form.as_ref().is_some_and(|f| f.single_id);
                let list = Checklist::new(c.plan, c.items, single_id, c.on_file);
                self.checklist = Some(list);
            }
        }
        self.stage = Stage::Checklist;
    }
}

impl View for Acceptance {
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        let notice = crate::tui::notice::refusal(&self.notice);
        // An input refused where it was typed counts as much as a notice.
        let focused = self
            .fields
            .as_ref()
            .and_then(|f| f.inputs.get(f.focus))
            .and_then(|i| i.error.clone());
        notice.or_else(|| self.reason.error.clone()).or(focused)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        if let Some(p) = &mut self.preview {
            if p.on_key(key) {
                self.preview = None;
            }
            return Flow::Used;
        }
        if let (Stage::Checklist, Some(panel)) = (self.stage, &mut self.scan) {
            return match panel.on_key(key, desk) {
                scan_panel::Step::Attach(seen) => self.run(Command::AttachScan(seen), desk),
                scan_panel::Step::Cancel => {
                    self.scan = None;
                    Flow::Used
                }
                scan_panel::Step::Used => Flow::Used,
            };
        }
        if let (Stage::Checklist, Some((typing, form))) = (self.stage, &mut self.details) {
            return match form_screen::on_key(form, key) {
                Step::Used => Flow::Used,
                Step::Save => {
                    let cmd = match typing {
                        Typing::Material(id) => Command::SaveDetails(
                            id.clone(),
                            Typed {
                                doc_no: form.trimmed(0),
                                authority: form.trimmed(1),
                                issued_on: form.trimmed(2),
                                valid_until: form.trimmed(3),
                            },
                        ),
                        Typing::Manager => Command::ChooseManager(Chosen {
                            name: form.trimmed(0),
                            phone: form.trimmed(1),
                            reason: form.trimmed(2),
                        }),
                    };
                    self.notice = None;
                    self.run(cmd, desk)
                }
                Step::Cancel => {
                    self.details = None;
                    Flow::Used
                }
            };
        }
        let outcome = match self.stage {
            Stage::Menu => {
                let draft = self.highlighted_has_draft();
                let active = |c: MenuKey| c != MenuKey::DiscardDraft || draft;
                match keymap::lookup_if(keys::MENU, key, active) {
                    None if self.menu.filter.input(key) => {
                        self.discard_armed = None;
                        self.menu.cursor = 0;
                        KeyOutcome::Handled
                    }
                    bound => self.on_bound(bound, Self::menu_key),
                }
            }
            Stage::Duplicate => match keymap::lookup(keys::DUPLICATE, key) {
                None => KeyOutcome::typed(self.reason.input(key)),
                bound => self.on_bound(bound, Self::duplicate_key),
            },
            Stage::Fields => match keymap::lookup(keys::FIELDS, key) {
                None => KeyOutcome::typed(self.fields.as_mut().is_some_and(|f| f.input(key))),
                bound => self.on_bound(bound, Self::fields_key),
            },
            Stage::Checklist => {
                let active = self.checklist_active();
                let bound = keymap::lookup_if(keys::CHECKLIST, key, active);
                self.on_bound(bound, |s, cmd| s.checklist_key(cmd, desk))
            }
            Stage::Done => self.on_bound(keymap::lookup(keys::DONE, key), Self::done_key),
        };
        outcome.flow(|c| self.run(c, desk))
    }

    fn on_paste(&mut self, pasted: &str, _desk: &mut Desk) {
        match self.stage {
            Stage::Menu => {
                let _ = self.menu.filter.paste(pasted);
            }
            Stage::Duplicate => {
                let _ = self.reason.paste(pasted);
            }
            Stage::Fields => {
                if let Some(f) = &mut self.fields {
                    f.paste(pasted);
                }
            }
            Stage::Checklist => {
                if let Some((_, f)) = &mut self.details {
                    f.paste(pasted);
                }
            }
            Stage::Done => {}
        }
    }

    fn keys(&self) -> Keys {
        if self.preview.is_some() {
            return Keys::modal(PREVIEW);
        }
        match self.stage {
            Stage::Menu => {
                let draft = self.highlighted_has_draft();
                Keys::of(keys::MENU, |c| c != MenuKey::DiscardDraft || draft)
            }
            Stage::Duplicate => Keys::all(keys::DUPLICATE),
            Stage::Fields => Keys::all(keys::FIELDS),
            Stage::Checklist if self.scan.is_some() => Keys::modal(scan_panel::SCAN),
            Stage::Checklist if self.details.is_some() => Keys::all(form_screen::FORM),
            Stage::Checklist => Keys::of(keys::CHECKLIST, self.checklist_active()),
            Stage::Done => Keys::all(keys::DONE),
        }
    }

    fn facing(&self) -> Option<(Moment, Option<crate::domain::msg::Lang>)> {
        let lang = Some(self.card.customer.lang);
        if let Some(a) = &self.accepted {
            let done = Moment::Done {
                reference: a.ticket_no.clone(),
                change: None,
            };
            return Some((done, lang));
        }
        let business = self
            .form
            .as_ref()
            .map(|f| Named::new(&f.name.zh, &f.name.en));
        let owed = self
            .checklist
            .as_ref()
            .map(|c| {
                c.plan
                    .materials
                    .iter()
                    .filter(|m| !self.draft.received.contains(&m.id))
                    .map(|m| Named::new(&m.name.zh, &m.name.en))
                    .collect()
            })
            .unwrap_or_default();
        let serving = Moment::Serving {
            customer: crate::domain::customer::mask_name(&self.card.customer.name),
            business,
            owed,
        };
        Some((serving, lang))
    }

    fn help_title(&self) -> &'static str {
        "help.screen_acceptance"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        draw::screen(self, area, buf, ctx);
        if let Some(p) = &self.scan {
            p.draw(area, buf, ctx.lang);
        }
        if let Some(p) = &self.preview {
            p.draw(area, buf, ctx.lang);
        }
    }

    fn on_tick(&mut self, desk: &mut Desk) -> bool {
        self.scan.as_mut().is_some_and(|p| p.refresh(desk))
    }
}
