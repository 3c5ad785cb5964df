//! The hall's set-up (营业厅设置), by an administrator: the hall, this
//! window, the duty manager, the printer (the CUPS queues found, a test
//! page), HQ and the hall service with their tokens (each tried on the
//! spot), the practice-room switch. Opened at an administrator's sign-in
//! while the site file does not set the hall, and by `counterdesk setup`.
//! F2 checks every answer as the configuration checks it and writes the
//! site file with its comments kept.

mod draw;
pub mod keys;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::config::site::SiteAnswers;
use crate::desk::{Desk, Session};
use crate::domain::msg::{Input, Notice, SiteField};
use crate::msg;
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::keymap::{self, Keys};
use crate::tui::screen::{Ctx, Flow, Nav, View};
use keys::SetupKey;

/// The screen.
pub struct Setup {
    session: Session,
    form: Form,
    /// The CUPS queues found when the screen opened.
    pub printers: Vec<String>,
    /// What the last key did.
    pub notice: Option<Notice>,
    /// Where the settings were written, once saved.
    pub saved: Option<std::path::PathBuf>,
}

/// The label and the longest answer of each field.
fn field_of(f: SiteField) -> Field {
    let (label, max) = match f {
        SiteField::HallName => ("setup.f_hall_name", 40),
        SiteField::HallNameEn => ("setup.f_hall_name_en", 80),
        SiteField::Address => ("setup.f_address", 80),
        SiteField::Phone => ("setup.f_phone", 20),
        SiteField::Window => ("setup.f_window", 8),
        SiteField::DutyManager => ("setup.f_duty_manager", 20),
        SiteField::DutyManagerPhone => ("setup.f_duty_manager_phone", 20),
        SiteField::Printer => ("setup.f_printer", 60),
        SiteField::HqUrl => ("setup.f_hq_url", 120),
        SiteField::HqToken => ("setup.f_hq_token", 200),
        SiteField::QueueUrl => ("setup.f_queue_url", 120),
        SiteField::QueueToken => ("setup.f_queue_token", 200),
        SiteField::PracticeRoom => ("setup.f_practice_room", 3),
    };
    let field = Field::new(label, max).free_text();
    match f {
        SiteField::HqToken | SiteField::QueueToken => field.token(),
        _ => field,
    }
}

fn answer_of(a: &SiteAnswers, f: SiteField) -> String {
    match f {
        SiteField::HallName => a.hall_name.clone(),
        SiteField::HallNameEn => a.hall_name_en.clone(),
        SiteField::Address => a.address.clone(),
        SiteField::Phone => a.phone.clone(),
        SiteField::Window => a.window.clone(),
        SiteField::DutyManager => a.duty_manager.clone(),
        SiteField::DutyManagerPhone => a.duty_manager_phone.clone(),
        SiteField::Printer => a.printer.clone(),
        SiteField::HqUrl => a.hq_url.clone(),
        SiteField::HqToken => a.hq_token.clone(),
        SiteField::QueueUrl => a.queue_url.clone(),
        SiteField::QueueToken => a.queue_token.clone(),
        SiteField::PracticeRoom => if a.practice_room { "是" } else { "否" }.into(),
    }
}

/// "是", "y", "yes", "1" and the like: yes; anything else no.
fn yes(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "是" | "y" | "yes" | "1" | "true" => Some(true),
        "否" | "n" | "no" | "0" | "false" | "" => Some(false),
        _ => None,
    }
}

impl Setup {
    /// The form filled with the settings as they stand.
    pub fn start(session: &Session, desk: &Desk) -> Setup {
        let answers = desk.site_answers();
        let mut form = Form::new(
            SiteField::ALL
                .iter()
                .map(|f| (field_of(*f), Some(Input::Site(*f))))
                .collect(),
        );
        for (i, f) in SiteField::ALL.iter().enumerate() {
            if let Some(field) = form.field_mut(i) {
                field.set_text(&answer_of(&answers, *f));
            }
        }
        Setup {
            session: session.clone(),
            form,
            printers: crate::desk::setup::printers(),
            notice: Some(Notice::info(msg!("setup.intro"))),
            saved: None,
        }
    }

    fn text(&self, f: SiteField) -> String {
        let i = SiteField::ALL.iter().position(|x| *x == f).unwrap_or(0);
        self.form.trimmed(i)
    }

    /// The form's answers; the practice-room answer must be yes or no.
    fn answers(&mut self) -> Option<SiteAnswers> {
        use SiteField as F;
        let Some(practice_room) = yes(&self.text(F::PracticeRoom)) else {
            let e =
                crate::desk::DeskError::at(msg!("setup.yes_or_no"), Input::Site(F::PracticeRoom));
            self.form.refused(&e);
            self.notice = Some(e.notice());
            return None;
        };
        Some(SiteAnswers {
            hall_name: self.text(F::HallName),
            hall_name_en: self.text(F::HallNameEn),
            address: self.text(F::Address),
            phone: self.text(F::Phone),
            window: self.text(F::Window),
            duty_manager: self.text(F::DutyManager),
            duty_manager_phone: self.text(F::DutyManagerPhone),
            printer: self.text(F::Printer),
            hq_url: self.text(F::HqUrl),
            hq_token: self.text(F::HqToken),
            queue_url: self.text(F::QueueUrl),
            queue_token: self.text(F::QueueToken),
            practice_room,
        })
    }

    /// What a desk call answered: done, or refused beside its field.
    fn answered(&mut self, r: Result<Notice, crate::desk::DeskError>) {
        match r {
            Ok(n) => self.notice = Some(n),
            Err(e) => {
                self.form.refused(&e);
                self.notice = Some(e.notice());
            }
        }
    }

    fn clear_errors(&mut self) {
        for i in 0..self.form.len() {
            if let Some(f) = self.form.field_mut(i) {
                f.error = None;
            }
        }
    }

    /// The form, for drawing and tests.
    pub fn form(&self) -> &Form {
        &self.form
    }
}

impl View for Setup {
    fn refusal(&self) -> Option<crate::domain::msg::Msg> {
        crate::tui::notice::refusal(&self.notice)
    }

    fn on_key(&mut self, key: &KeyEvent, desk: &mut Desk) -> Flow {
        let Some(cmd) = keymap::lookup(keys::FORM, key) else {
            return if self.form.input(key) {
                Flow::Used
            } else {
                Flow::Unused
            };
        };
        match cmd {
            SetupKey::Next => self.form.next(),
            SetupKey::Prev => self.form.prev(),
            SetupKey::Leave => return Flow::Go(Nav::Back),
            SetupKey::TryPrinter => {
                self.clear_errors();
                let queue = self.text(SiteField::Printer);
                let r = desk.try_printer(&queue).map(Notice::done);
                self.answered(r);
            }
            SetupKey::TryHq => {
                self.clear_errors();
                let (url, token) = (self.text(SiteField::HqUrl), self.text(SiteField::HqToken));
                let r = desk.try_hq(&url, &token).map(Notice::done);
                self.answered(r);
            }
            SetupKey::TryHall => {
                self.clear_errors();
                let (url, token) = (
                    self.text(SiteField::QueueUrl),
                    self.text(SiteField::QueueToken),
                );
                let r = desk.try_hall(&url, &token).map(Notice::done);
                self.answered(r);
            }
            SetupKey::Save => {
                self.clear_errors();
                let Some(answers) = self.answers() else {
                    return Flow::Used;
                };
                let r = desk.save_site(&self.session, &answers).map(|saved| {
                    let m = msg!("setup.saved", path = saved.path.display());
                    self.saved = Some(saved.path);
                    Notice::done(m)
                });
                self.answered(r);
            }
        }
        Flow::Used
    }

    fn on_paste(&mut self, text: &str, _desk: &mut Desk) {
        self.form.paste(text);
    }

    fn keys(&self) -> Keys {
        Keys::all(keys::FORM)
    }

    fn help_title(&self) -> &'static str {
        "help.screen_setup"
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        draw::screen(self, area, buf, ctx);
    }
}
