//! A practice scenario as the lab uses it, once its file has been read and
//! checked (`raw.rs` reads, `check.rs` checks and converts): the customer
//! and what they say, the sandbox's starting data, the traps and faults,
//! and what a correct piece of work leaves on record.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::domain::form::Text;
use crate::domain::money::{Fen, Method};

/// How hard a scenario is, in the order a course runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// First week at the window.
    Easy,
    /// Everyday work.
    Standard,
    /// Traps and faults.
    Hard,
    /// Contest level: long, timed, several traps.
    Contest,
}

impl Level {
    /// Catalogue key of the level's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Level::Easy => "lab.level_easy",
            Level::Standard => "lab.level_standard",
            Level::Hard => "lab.level_hard",
            Level::Contest => "lab.level_contest",
        }
    }
}

/// What a trainer grades: every expectation and question tests one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skill {
    /// Taking an application on the right form with the right values.
    Acceptance,
    /// Telling the customer everything once (一次性告知).
    Disclosure,
    /// ID numbers: refusing a wrong one, the duty manager for a suspicious one.
    IdCheck,
    /// Taking money: amount, tender, change, receipt.
    Money,
    /// Closing the shift: count, over/short.
    Settlement,
    /// Rules and calculations, answered in the exam.
    Theory,
}

impl Skill {
    /// Every skill, in report order.
    pub const ALL: [Skill; 6] = [
        Skill::Acceptance,
        Skill::Disclosure,
        Skill::IdCheck,
        Skill::Money,
        Skill::Settlement,
        Skill::Theory,
    ];

    /// The code stored in lab.db and CSV files.
    pub fn code(self) -> &'static str {
        match self {
            Skill::Acceptance => "acceptance",
            Skill::Disclosure => "disclosure",
            Skill::IdCheck => "id_check",
            Skill::Money => "money",
            Skill::Settlement => "settlement",
            Skill::Theory => "theory",
        }
    }

    /// The skill for a stored code.
    pub fn from_code(code: &str) -> Option<Skill> {
        Skill::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Catalogue key of the skill's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Skill::Acceptance => "lab.skill_acceptance",
            Skill::Disclosure => "lab.skill_disclosure",
            Skill::IdCheck => "lab.skill_id_check",
            Skill::Money => "lab.skill_money",
            Skill::Settlement => "lab.skill_settlement",
            Skill::Theory => "lab.skill_theory",
        }
    }
}

/// Where a practice run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunState {
    /// Under way (or its program is still running).
    Running,
    /// Ended by the trainee and scored.
    Finished,
    /// Its program ended without the trainee ending it (killed, power cut).
    Interrupted,
}

impl RunState {
    /// Catalogue key of the state's name.
    pub fn label_key(self) -> &'static str {
        match self {
            RunState::Running => "lab.state_running",
            RunState::Finished => "lab.state_finished",
            RunState::Interrupted => "lab.state_interrupted",
        }
    }
}

/// A fault the sandbox injects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// The first slip handed to the printer jams: the screen says it did
    /// not print, as a real printer failure does; a reprint works.
    PrinterJam,
    /// Headquarters cannot be reached: the header shows the link offline
    /// with records waiting, as a real outage does.
    HqDown,
    /// The note counter finds a counterfeit note among the customer's
    /// cash: the panel says which, and only the genuine notes may be taken.
    CounterfeitNote,
}

/// The simulated customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// Who they are and how they behave.
    pub persona: Text,
    pub name: String,
    /// The ID number on the document they hand over (may be wrong on purpose).
    pub id_number: String,
    /// Mobile number.
    pub phone: String,
    pub address: String,
    /// Materials (or alternatives) they brought, by id.
    pub documents: Vec<String>,
    /// What they say, each line once the named expectation is met
    /// (`None`: from the start).
    pub says: Vec<Line>,
    /// What they answer when asked.
    pub answers: Vec<Answer>,
    /// Their ID card is on the panel only once the trainee asks for it
    /// (the number is what the trainee must find).
    pub card_on_request: bool,
}

/// One thing the customer says.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Shown once this expectation is met; from the start when `None`.
    pub after: Option<String>,
    /// The words.
    pub text: Text,
}

/// A question the customer can be asked and their answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// A name an expectation may require the question by.
    pub id: Option<String>,
    /// The question.
    pub ask: Text,
    pub answer: Text,
}

impl Customer {
    /// How the run records that question `i` (0-based) was asked: its id,
    /// or its number.
    pub fn answer_key(&self, i: usize) -> String {
        self.answers
            .get(i)
            .and_then(|a| a.id.clone())
            .unwrap_or_else(|| format!("#{}", i + 1))
    }
}

/// A customer already on record in the sandbox.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedCustomer {
    pub name: String,
    /// ID number (valid).
    pub id_number: String,
    /// Mobile number.
    pub phone: String,
    pub address: String,
}

/// An account as headquarters reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedAccount {
    /// Account number.
    pub number: String,
    /// The holder's ID number.
    pub holder: String,
    /// Holder's name.
    pub holder_name: String,
    /// Supply address.
    pub address: String,
    /// Supply state code as HQ sends it (`normal`, `cut_off_arrears`...).
    pub state: String,
}

/// A bill as headquarters publishes it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedBill {
    pub account: String,
    /// Period, `YYYY-MM`.
    pub period: String,
    /// Amount due.
    pub amount: Fen,
    pub due_date: chrono::NaiveDate,
}

/// An application already open in the sandbox.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedApplication {
    /// The customer's ID number (a seeded customer).
    pub customer: String,
    /// Business type.
    pub form: String,
    /// Field values by id.
    pub fields: BTreeMap<String, String>,
}

/// A payment already taken in the open shift.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedPayment {
    pub account: String,
    pub period: String,
    /// Cash handed over.
    pub tendered: Fen,
}

/// What the sandbox holds when the exercise starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seed {
    /// An open shift with this float, or none.
    pub shift_float: Option<Fen>,
    /// Customers on record.
    pub customers: Vec<SeedCustomer>,
    /// Accounts from HQ.
    pub accounts: Vec<SeedAccount>,
    /// Bills from HQ.
    pub bills: Vec<SeedBill>,
    /// Open applications.
    pub applications: Vec<SeedApplication>,
    /// Payments already taken.
    pub payments: Vec<SeedPayment>,
}

/// Points lost beside the expectations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    /// Per hint asked for.
    pub hint: i64,
    /// Per started minute over the time target.
    pub per_minute_over: i64,
    /// At most this much for time.
    pub max_time_penalty: i64,
    /// Per input the workstation refused (beyond those the scenario expects).
    pub refused_input: i64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            hint: 5,
            per_minute_over: 2,
            max_time_penalty: 10,
            refused_input: 0,
        }
    }
}

/// What correct work leaves on record, one scored item.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// Name the customer's lines refer to.
    pub id: String,
    /// Points when met.
    pub points: i64,
    /// The skill it tests.
    pub skill: Skill,
    /// How the score sheet names it, when the generated words would not do.
    pub label: Option<Text>,
    /// What must be on record.
    pub what: Expect,
}

/// The kinds of thing a scenario expects.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// The customer is on record (registered now or before).
    Customer {
        id_number: String,
        /// Accepted on a duty manager's sign-off (a suspicious ID).
        signed_off: bool,
    },
    /// No customer with this number was registered (a wrong ID refused).
    NoCustomer { id_number: String },
    /// An application accepted on this form.
    Application {
        /// Business type.
        form: String,
        /// Field values that must be recorded.
        fields: BTreeMap<String, String>,
        /// Materials recorded as received.
        received: Vec<String>,
        /// Materials recorded as owed.
        owed: Vec<String>,
        /// Accepted as a duplicate with a reason.
        duplicate: bool,
    },
    /// No application on this form was accepted.
    NoApplication {
        /// Business type.
        form: String,
    },
    /// A bill paid.
    Payment {
        account: String,
        /// Period, when it matters.
        period: Option<String>,
        /// Amount due plus late fee.
        total: Option<Fen>,
        late_fee: Option<Fen>,
        /// Handed over.
        tendered: Option<Fen>,
        change: Option<Fen>,
        /// Tender method.
        method: Option<Method>,
    },
    /// A business fee paid for an application on this form.
    FeePaid {
        /// Business type.
        form: String,
        amount: Option<Fen>,
    },
    /// No payment on this account (a bill already paid is not taken twice).
    NoPayment { account: String },
    /// A payment reversed (on a duty manager's authority).
    Reversal {
        /// Account of the reversed payment.
        account: String,
    },
    /// A slip of this kind produced.
    Slip {
        /// Slip kind code (`payment_receipt`, `acceptance_receipt`...).
        kind: String,
        /// Produced at least this many times (a reprint after a jam: 2).
        at_least: u32,
    },
    /// The workstation refused an input with this message (the trap was
    /// met and the refusal read).
    Refused {
        /// Catalogue key, or its prefix ending in `.`.
        key: String,
    },
    /// The shift closed with this over/short in total.
    ShiftClosed {
        /// Over (+) or short (−) in total.
        over_short: Fen,
    },
    /// The trainee asked the customer this question (the ID card, say).
    Asked {
        /// The question's id.
        ask: String,
        /// The question, for the score sheet.
        question: Text,
    },
}

/// A checked scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Stable id, the file stem.
    pub id: String,
    pub title: Text,
    /// What the trainee is asked to do.
    pub brief: Text,
    /// Difficulty.
    pub level: Level,
    /// The sandbox clock starts here (hall time).
    pub start: NaiveDateTime,
    /// Seconds the work should take.
    pub time_target_seconds: u32,
    /// A relay station starts from the sandbox the previous station left.
    pub relay_from: Option<String>,
    pub customer: Customer,
    /// Starting data.
    pub seed: Seed,
    /// Injected faults.
    pub faults: Vec<Fault>,
    /// What the panel says when a fault strikes (the counterfeit note...).
    pub fault_notes: Vec<Text>,
    /// Hints, given in order, each costing points.
    pub hints: Vec<Text>,
    /// Scored items.
    pub expect: Vec<Expectation>,
    /// Points lost beside the expectations.
    pub weights: Weights,
    /// A model answer in key-script notation (`<F3>1<Enter>...`), played by
    /// `lab check` to prove the scenario can be done to full marks, and by a
    /// trainer to demonstrate it.
    pub model: String,
}

impl Scenario {
    /// Most points a run can score.
    pub fn max_points(&self) -> i64 {
        self.expect.iter().map(|e| e.points).sum()
    }

    /// The skills the scenario grades.
    pub fn skills(&self) -> Vec<Skill> {
        let mut s: Vec<Skill> = self.expect.iter().map(|e| e.skill).collect();
        s.sort();
        s.dedup();
        s
    }
}
