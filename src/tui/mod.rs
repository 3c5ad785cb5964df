//! The terminal interface: an event loop around [`App`], one module per
//! screen, shared widgets, the keymap and the theme. Screens turn keys into
//! [`Action`]s; the app runs them against the desk. Drawing only reads state.

pub mod acceptance;
pub mod app;
pub mod applications;
pub mod cashier;
pub mod customers;
pub mod field;
mod flows;
mod flows_money;
pub mod keymap;
pub mod popup;
pub mod signin;
pub mod theme;
pub mod wrap;

use std::io;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::execute;

use crate::config::Config;
use crate::desk::acceptance::Draft;
use crate::desk::customers::{NewCustomer, SignOff};
use crate::domain::form::Form;
use crate::domain::msg::{Lang, Msg};

pub use app::App;

/// A money slip to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneySlip {
    /// The receipt of a payment.
    Receipt(String),
    /// The reversal slip of a reversed payment (by receipt number).
    Reversal(String),
    /// A refund slip (by refund number).
    Refund(String),
}

/// What a key asks the app to do beyond the screen's own state.
#[derive(Debug, Clone)]
pub enum Action {
    /// Check staff number and password.
    SignIn {
        /// Staff number.
        staff_no: String,
        /// Password.
        password: String,
    },
    /// Look a customer up by the ID typed.
    Lookup(String),
    /// Register a new customer.
    Register(NewCustomer, Option<SignOff>),
    /// Ask a duty manager to sign off (the reason shown).
    OpenSignOff(Msg),
    /// The duty manager's credentials and reason.
    SignOffSubmit {
        /// Staff number.
        staff_no: String,
        /// Password.
        password: String,
        /// Reason recorded.
        reason: String,
    },
    /// Open the flags popup.
    OpenFlags,
    /// Toggle the n-th configured flag.
    ToggleFlag(usize),
    /// Start an acceptance for the customer on screen.
    StartAcceptance,
    /// Show the customer's open applications.
    OpenApplications,
    /// Save the acceptance draft.
    SaveDraft(Box<Draft>),
    /// Check the fields and show the disclosure checklist.
    OpenChecklist(Box<Draft>),
    /// Accept the application.
    Accept(Box<Draft>),
    /// Back from the acceptance to the customer.
    LeaveAcceptance,
    /// Back from the applications to the customer.
    LeaveApplications,
    /// A material owed was handed in.
    ReceiveMaterial {
        /// Ticket number.
        ticket: String,
        /// Material id.
        material: String,
    },
    /// Print (or reprint) the slips of an application.
    PrintSlips(String),
    /// Print a progress slip for a returning customer.
    PrintProgress(String),
    /// Preview the slips of an application as text.
    PreviewSlips(String),
    /// Open the cashier screen.
    OpenCashier,
    /// Open a shift with this float as typed.
    OpenShift(String),
    /// Take a bill payment.
    PayBill(Box<crate::desk::money::BillPayment>),
    /// Reverse a payment with a duty manager's authorisation.
    ReversePayment {
        /// Receipt number.
        receipt: String,
        /// Duty manager's staff number.
        staff_no: String,
        /// Duty manager's password.
        password: String,
        /// Why.
        reason: String,
    },
    /// Close the shift with the counted figures (and a duty manager's note).
    CloseShift(
        Box<crate::domain::money::Counted>,
        Option<(String, String, String)>,
    ),
    /// Back from the cashier screen.
    LeaveCashier,
    /// Print a money slip: a receipt, a reversal slip or a refund slip.
    PrintMoneySlip(MoneySlip),
    /// Take a business fee against its application.
    PayFee(Box<crate::desk::fees::FeePayment>),
    /// Find an application's chargeable fees.
    LookupFees(String),
    /// A duty manager's refund after the close.
    Refund(Box<crate::desk::refunds::RefundRequest>),
    /// List the cheques waiting for their funds.
    ListCheques,
    /// Record that a held cheque's funds arrived.
    ConfirmCheque {
        /// The held receipt.
        receipt: String,
        /// The bank's credit reference.
        bank_ref: String,
    },
    /// Record a held cheque returned unpaid, on a duty manager's authority.
    DishonourCheque {
        /// The held receipt.
        receipt: String,
        /// Duty manager's staff number.
        staff_no: String,
        /// Duty manager's password.
        password: String,
        /// The bank's reason.
        reason: String,
    },
    /// Show the day report of a date.
    DayReport(chrono::NaiveDate),
    /// Print the settlement report of the shift just closed.
    PrintSettlement,
    /// Find the account's unpaid bills from HQ's list.
    LookupBills(String),
    /// Hand an application to a colleague.
    HandOver {
        /// Ticket number.
        ticket: String,
        /// Colleague's staff number.
        to: String,
        /// Why.
        reason: String,
    },
}

/// What drawing may read besides the screen's own state.
pub struct Ctx<'a> {
    /// Interface language.
    pub lang: Lang,
    /// Configuration.
    pub config: &'a Config,
    /// Loaded forms, for business-type names.
    pub forms: &'a [Form],
    /// Now, for the header clock.
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    /// The business type's name in the clerk's language, or its code.
    pub fn form_name(&self, code: &str) -> String {
        self.forms
            .iter()
            .find(|f| f.code() == code)
            .map(|f| f.name.get(self.lang).to_string())
            .unwrap_or_else(|| code.to_string())
    }
}

// Bracketed paste makes a scanner's or clipboard's text arrive as one
// event, so a pasted newline cannot submit half an ID. The guard turns it
// off on every exit path; its Drop never panics.
struct PasteGuard;

impl PasteGuard {
    fn on() -> PasteGuard {
        if let Err(e) = execute!(io::stdout(), EnableBracketedPaste) {
            tracing::warn!("bracketed paste unavailable: {e}");
        }
        PasteGuard
    }
}

impl Drop for PasteGuard {
    fn drop(&mut self) {
        if let Err(e) = execute!(io::stdout(), DisableBracketedPaste) {
            tracing::warn!("could not disable bracketed paste: {e}");
        }
    }
}

/// Runs the workstation until the clerk quits. The terminal is restored on
/// every exit; `ratatui::init` also restores it on a panic.
pub fn run(mut app: App) -> io::Result<()> {
    let mut terminal = ratatui::init();
    let guard = PasteGuard::on();
    let result = (|| -> io::Result<()> {
        terminal.draw(|f| app.draw(f))?;
        while !app.quit {
            if event::poll(Duration::from_millis(500))? {
                let ev = event::read()?;
                app.handle_event(ev);
                // Drain what is already queued (a scanner types fast) before drawing.
                while !app.quit && event::poll(Duration::ZERO)? {
                    app.handle_event(event::read()?);
                }
                terminal.draw(|f| app.draw(f))?;
            } else if app.tick() {
                terminal.draw(|f| app.draw(f))?;
            }
        }
        Ok(())
    })();
    drop(guard);
    ratatui::restore();
    result
}

/// Whether an event is a key press we act on (Windows also reports releases).
pub fn is_press(ev: &Event) -> bool {
    matches!(ev, Event::Key(k) if k.kind == event::KeyEventKind::Press)
}
