//! The command line: the workstation by default, and tools for support
//! staff, administrators and scripts. Every command goes through the desk.

/// A line to standard output (as `println!`), quiet once the reader has
/// closed the pipe (`counterdesk id check … | head -1`).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*), true)
    };
}

/// A line to standard error (as `eprintln!`), quiet if it is closed.
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::cli::write_err(format_args!($($arg)*))
    };
}

/// Text to standard output without a line end (as `print!`).
macro_rules! out_raw {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*), false)
    };
}

mod backup;
mod calendar;
mod case;
mod clerk;
mod demo;
mod doctor;
mod forms;
mod hall;
mod hq;
mod id;
mod import;
pub mod lab;
mod report;
mod slip;
mod sync;
mod verify;
mod workstation;

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::clock::Clock;
use crate::config::{self, Config, Overrides};
use crate::domain::msg::{Lang, Msg};
use crate::i18n;
use crate::load::startup::{self, StartError};

/// Exit code when something checked has problems (verify, forms check, a
/// refused bill file, a slip that did not print).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code when what was typed on the command line cannot be used (a bad
/// date, an invalid ID, no password given).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when a command could not run at all (configuration, database...).
pub const EXIT_FAILED: u8 = 3;
/// Exit code when the desk refused the request: a wrong password, a staff
/// number already taken, an unknown ticket, no duty manager's authority.
pub const EXIT_REFUSED: u8 = 4;

/// counterdesk — counter workstation of a power-supply business hall.
#[derive(Parser, Debug)]
#[command(name = "counterdesk", version, about)]
pub struct Cli {
    /// Database file (default: counterdesk.db in the user's data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Configuration file (default: the platform's config directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Interface language: zh or en.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Folder of business forms.
    #[arg(long, global = true, value_name = "DIR")]
    pub forms: Option<PathBuf>,
    /// Print the default configuration file and exit.
    #[arg(long)]
    pub print_default_config: bool,
    /// Print where the configuration file is read from and exit.
    #[arg(long)]
    pub print_config_path: bool,
    /// A tool instead of the workstation.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Tools.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database as the workstation's first start does (migrated,
    /// its upload identity, demo clerks when configured), or say it is
    /// ready. The only command besides the workstation that creates one.
    Init,
    /// Check the database, read-only: SQLite integrity, the audit chain,
    /// the business rows against their audit entries, and the file against
    /// its seal. Exit 0 all pass, 1 a problem found, 3 no database.
    Verify,
    /// Acknowledge, as an administrator, that the database lost records
    /// its seal names (emptied, or an older copy restored), so the
    /// workstation may go on (password from COUNTERDESK_PASSWORD or a prompt).
    Recover {
        /// The administrator's staff number.
        #[arg(long = "as", value_name = "STAFF_NO")]
        admin: String,
        /// Why the workstation goes on without the records.
        #[arg(long)]
        reason: String,
        /// For an emptied file, which has no clerks to check a password
        /// against: the seal's EPOCH:SEQ, as the refusal printed it.
        #[arg(long, value_name = "EPOCH:SEQ")]
        confirm: Option<String>,
    },
    /// Take a backup of the database now, beside a running workstation:
    /// copied, synced, checked (integrity, audit chain), named by date and
    /// time with a .sha256 beside it; older ones rotated as configured.
    Backup {
        /// The folder (default: the configured backup folder).
        dir: Option<PathBuf>,
    },
    /// Check the counter's health, a line each: configuration, forms,
    /// calendar, database, disk space, backups, audit chain, font, printer,
    /// HQ and the hall service with their tokens, the clock. Read-only.
    /// Exit 0 all ok, 1 something to look at, 3 something broken.
    Doctor,
    /// The hall's set-up, by an administrator: hall, window, duty manager,
    /// printer, HQ and the hall service with their tokens (each tried on
    /// the spot), the practice-room switch; written to the configuration
    /// file with its comments kept.
    Setup,
    /// Put a backup in the database's place: checked first, the current
    /// database kept aside, a new upload epoch opened. The workstation must
    /// be closed (password from COUNTERDESK_PASSWORD or a prompt).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// An administrator's staff number (in the backup).
        #[arg(long = "as", value_name = "STAFF_NO")]
        admin: String,
        /// Why (default: "restored from FILE").
        #[arg(long, default_value = "")]
        reason: String,
        /// Only check the file, as a restore would, and change nothing.
        #[arg(long)]
        check: bool,
    },
    /// Manage clerks (administrators).
    Clerk {
        /// Administrator's staff number (password from COUNTERDESK_PASSWORD or a prompt).
        #[arg(long = "as", value_name = "STAFF_NO", global = true)]
        admin: Option<String>,
        #[command(subcommand)]
        command: ClerkCommand,
    },
    /// Check an ID number as the counter would (resident ID, credit code, others).
    Id {
        #[command(subcommand)]
        command: IdCommand,
    },
    /// Business forms.
    Forms {
        #[command(subcommand)]
        command: FormsCommand,
    },
    /// Printed slips.
    Slip {
        #[command(subcommand)]
        command: SlipCommand,
    },
    /// Working days: due dates and the holiday tables.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Fill the database with realistic demo customers.
    DemoData {
        /// How many customers to add.
        #[arg(long, default_value_t = 0)]
        customers: u64,
        /// How many accepted applications to add for random customers.
        #[arg(long, default_value_t = 0)]
        applications: u64,
        /// Random seed (same seed, same customers).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Import files from headquarters.
    Import {
        #[command(subcommand)]
        command: import::ImportCommand,
    },
    /// Reports over the counter's payments.
    Report {
        #[command(subcommand)]
        command: report::ReportCommand,
    },
    /// Send waiting records to HQ once (with a progress bar) and take what HQ
    /// published. Exit 0 sent, 1 some quarantined or days differ, 3 HQ not
    /// reached, 4 refused (token, certificate, clock, fork).
    Sync {
        /// Compare the counter's days with HQ's instead, narrowing every
        /// difference to the sequences that differ.
        #[arg(long)]
        check: bool,
        /// With --check: only this day (YYYY-MM-DD).
        #[arg(requires = "check")]
        date: Option<String>,
        /// Show this counter's ID, epoch and queue.
        #[arg(long, conflicts_with = "check")]
        status: bool,
    },
    /// The hall's queue service and its tools.
    Hall {
        #[command(subcommand)]
        command: hall::HallCommand,
    },
    /// The reference HQ receiver.
    Hq {
        #[command(subcommand)]
        command: hq::HqCommand,
    },
    /// Cases after the window: one case as it stands, and the overdue list.
    Case {
        #[command(subcommand)]
        command: case::CaseCommand,
    },
    /// The practice lab: the workstation on sandboxes, with scenarios,
    /// scores, replay and exams. Without a tool, the lab's interface.
    Lab {
        #[command(subcommand)]
        command: Option<lab::LabCommand>,
    },
}

/// Clerk administration.
#[derive(Subcommand, Debug)]
pub enum ClerkCommand {
    /// Add a clerk (password from COUNTERDESK_NEW_PASSWORD or a prompt).
    Add {
        /// The new clerk's staff number, what they sign in with.
        #[arg(long)]
        staff_no: String,
        /// Their name as slips and screens show it.
        #[arg(long)]
        name: String,
        /// clerk | duty_manager | trainer | admin
        #[arg(long)]
        role: String,
    },
    /// List clerks.
    List,
    /// Set a new password and lift any lock.
    ResetPassword {
        /// The staff number of the clerk whose password is reset.
        staff_no: String,
    },
    /// Disable a clerk.
    Disable {
        /// The staff number of the clerk who may no longer sign in.
        staff_no: String,
    },
}

/// ID number tools.
#[derive(Subcommand, Debug)]
pub enum IdCommand {
    /// Check ID numbers: verdict, reason and derived facts. Exit 0 valid, 1 suspicious, 2 invalid.
    Check {
        /// One or more numbers.
        #[arg(required = true)]
        numbers: Vec<String>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
}

/// Forms tools.
#[derive(Subcommand, Debug)]
pub enum FormsCommand {
    /// Check every form in DIR (default: the configured forms folder).
    Check {
        /// Folder to check.
        dir: Option<PathBuf>,
    },
}

/// Slip tools.
#[derive(Subcommand, Debug)]
pub enum SlipCommand {
    /// Reprint the slips of a ticket, marked "重打 / REPRINT n" with who and when
    /// (clerk password from COUNTERDESK_PASSWORD or a prompt).
    Reprint {
        /// Ticket or receipt number.
        number: String,
        /// The reprinting clerk's staff number.
        #[arg(long = "as", value_name = "STAFF_NO")]
        staff_no: String,
        /// Duty manager authorising a receipt reprint (password from COUNTERDESK_MANAGER_PASSWORD).
        #[arg(long, value_name = "STAFF_NO")]
        manager: Option<String>,
        /// Write the PDF here instead of the spool.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a test page with every slip element and rare characters.
    Test {
        /// CUPS queue (default: the configured printer).
        #[arg(long)]
        printer: Option<String>,
        /// Write the PDF here instead of the spool.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Working-day tools.
#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// The due date FROM + WORKING_DAYS (counting starts the first working day after FROM).
    Due {
        /// Start date, e.g. 2026-09-30.
        from: String,
        /// How many working days, e.g. 5 (weekends and holidays do not count).
        working_days: String,
    },
    /// Check the holiday and make-up-workday tables in DIR (default: <forms>/calendar).
    Check {
        /// Folder to check.
        dir: Option<PathBuf>,
    },
}

fn overrides(cli: &Cli) -> Overrides {
    Overrides::from_env().then(Overrides {
        config_file: cli.config.clone(),
        language: cli.lang.clone(),
        database: cli.db.clone(),
        forms_dir: cli.forms.clone(),
        log_file: None,
        display: None,
    })
}

/// The language to speak before the configuration is known to be good.
fn fallback_lang(cli: &Cli) -> Lang {
    cli.lang
        .as_deref()
        .or(std::env::var("COUNTERDESK_LANG").ok().as_deref())
        .and_then(Lang::parse)
        .unwrap_or_default()
}

// Set once a write to standard output found the pipe closed.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes to standard output. A reader that closed the pipe (`| head`) is
/// not an error: the rest of the output is dropped and the command ends
/// as it would have (signing out, closing files), never with a panic.
pub fn write_out(args: std::fmt::Arguments, newline: bool) {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut o = std::io::stdout().lock();
    let written = o
        .write_fmt(args)
        .and_then(|()| if newline { o.write_all(b"\n") } else { Ok(()) })
        .and_then(|()| o.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
    }
}

/// Writes a line to standard error; a closed one is ignored (its reader
/// left, as with `2>&1 | head`).
pub fn write_err(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut e = std::io::stderr().lock();
    let _ = e.write_fmt(args).and_then(|()| e.write_all(b"\n"));
}

/// Prints a message to stderr in `lang`.
pub fn say_err(m: &Msg, lang: Lang) {
    err!("{}", crate::tui::text::text(m, lang));
}

/// Prints a desk error and returns its exit code: a database that cannot be
/// used could not run; anything else the desk refused.
pub fn refused(e: &crate::desk::DeskError, lang: Lang) -> u8 {
    say_err(e.msg(), lang);
    if e.key().starts_with("store.") {
        EXIT_FAILED
    } else {
        EXIT_REFUSED
    }
}

/// Runs the program; returns the process exit code.
pub fn main(cli: Cli) -> u8 {
    // Messages printed here may name keys as the screens bind them.
    crate::tui::key_names::register(crate::tui::app::KEY_NAMES);
    if cli.print_default_config {
        out_raw!("{}", config::DEFAULT_TOML);
        return 0;
    }
    let over = overrides(&cli);
    if cli.print_config_path {
        match over
            .config_file
            .clone()
            .or_else(config::default_config_path)
        {
            Some(p) => out!("{}", p.display()),
            None => say_err(&crate::msg!("config.no_data_dir"), fallback_lang(&cli)),
        }
        return 0;
    }
    let config = match config::load(&over) {
        Ok(c) => c,
        Err(e) => {
            err!("{}", e.render());
            return EXIT_FAILED;
        }
    };
    let lang = config.language;
    if config.lab.only && opens_the_counter_database(&cli.command) {
        // A practice-room PC never opens or creates a production database.
        say_err(&crate::msg!("lab.only_pc"), lang);
        return EXIT_REFUSED;
    }
    match &cli.command {
        None => workstation::workstation(&config),
        Some(Command::Init) => workstation::init(&config),
        Some(Command::Verify) => verify::run(&config),
        Some(Command::Recover {
            admin,
            reason,
            confirm,
        }) => verify::recover(&config, admin, reason, confirm.as_deref()),
        Some(Command::Doctor) => {
            let file = over
                .config_file
                .clone()
                .or_else(config::default_config_path);
            doctor::run(&config, file.as_deref())
        }
        Some(Command::Setup) => workstation::setup(&config),
        Some(Command::Backup { dir }) => backup::take(&config, dir.as_deref()),
        Some(Command::Restore {
            file,
            admin,
            reason,
            check,
        }) => backup::restore(&config, file, admin, reason, *check),
        Some(Command::Clerk { admin, command }) => clerk::run(&config, admin.as_deref(), command),
        Some(Command::Id {
            command: IdCommand::Check { numbers, json },
        }) => id::run(lang, numbers, *json),
        Some(Command::Forms {
            command: FormsCommand::Check { dir },
        }) => forms::run(&config, dir.as_deref()),
        Some(Command::Slip {
            command:
                SlipCommand::Reprint {
                    number,
                    staff_no,
                    manager,
                    out,
                },
        }) => slip::reprint(
            &config,
            staff_no,
            manager.as_deref(),
            number,
            out.as_deref(),
        ),
        Some(Command::Slip {
            command: SlipCommand::Test { printer, out },
        }) => slip::test(&config, printer.as_deref(), out.as_deref()),
        Some(Command::Calendar {
            command: CalendarCommand::Due { from, working_days },
        }) => calendar::due(&config, from, working_days),
        Some(Command::Calendar {
            command: CalendarCommand::Check { dir },
        }) => calendar::check(&config, dir.as_deref()),
        Some(Command::DemoData {
            customers,
            applications,
            seed,
        }) => demo::run(&config, *customers, *applications, *seed),
        Some(Command::Import { command }) => import::run(&config, command),
        Some(Command::Report { command }) => report::run(&config, command),
        Some(Command::Sync {
            check,
            date,
            status,
        }) => sync::run(
            &config,
            &sync::SyncArgs {
                check: *check,
                date: date.clone(),
                status: *status,
            },
        ),
        Some(Command::Hall { command }) => hall::run(&config, command),
        Some(Command::Hq { command }) => hq::run(&config, command),
        Some(Command::Case { command }) => case::run(&config, command),
        Some(Command::Lab { command: None }) => lab::interface(&config),
        Some(Command::Lab {
            command: Some(command),
        }) => lab::run(&config, command),
    }
}

/// Opens the desk on the existing database for a command that writes,
/// printing the reason on failure (a missing database is not created).
fn open(config: &Config) -> Option<crate::desk::Desk> {
    opened(config, startup::open_desk_existing(config, Clock::system()))
}

/// Opens the desk read-only for a command that only reads, beside a
/// running workstation if need be.
fn open_reading(config: &Config) -> Option<crate::desk::Desk> {
    opened(config, startup::open_desk_for_reading(config))
}

fn opened(
    config: &Config,
    desk: Result<crate::desk::Desk, StartError>,
) -> Option<crate::desk::Desk> {
    desk.map_err(|e| err!("{}", e.render(config.language))).ok()
}

/// Signs a staff member in for a command: the password from
/// COUNTERDESK_PASSWORD or a hidden prompt (`prompt_key` names it). On
/// failure the reason is printed and the exit code returned.
fn sign_in_as(
    desk: &mut crate::desk::Desk,
    staff_no: &str,
    prompt_key: &'static str,
    lang: Lang,
) -> Result<crate::desk::Session, u8> {
    let Some(pw) = secret("COUNTERDESK_PASSWORD", &i18n::t(prompt_key, lang)) else {
        say_err(
            &crate::msg!("cli.no_password", var = "COUNTERDESK_PASSWORD"),
            lang,
        );
        return Err(EXIT_BAD_INPUT);
    };
    desk.sign_in(staff_no, &pw).map_err(|e| refused(&e, lang))
}

/// A duty manager's staff number with the password from
/// COUNTERDESK_MANAGER_PASSWORD or a hidden prompt.
fn manager(staff_no: &str, lang: Lang) -> Result<crate::desk::Credentials, u8> {
    let var = "COUNTERDESK_MANAGER_PASSWORD";
    match secret(var, &i18n::t("cli.manager_password_prompt", lang)) {
        Some(pw) => Ok(crate::desk::Credentials::new(staff_no, pw)),
        None => {
            say_err(&crate::msg!("cli.no_password", var = var), lang);
            Err(EXIT_BAD_INPUT)
        }
    }
}

/// Reads a secret: from the environment variable, a hidden prompt on a
/// terminal, or one line of standard input in scripts. Nothing given (an
/// empty variable, an empty line, no input at all) is `None`: it is never
/// sent on as a password, so it cannot count as a wrong one.
fn secret(env: &str, prompt: &str) -> Option<String> {
    let typed = if let Ok(v) = std::env::var(env) {
        v
    } else if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt).ok()?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).ok()?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    (!typed.is_empty()).then_some(typed)
}

/// Whether a command reads or writes the workstation's own database.
fn opens_the_counter_database(command: &Option<Command>) -> bool {
    matches!(
        command,
        Some(
            Command::Verify
                | Command::Backup { .. }
                | Command::Doctor
                | Command::Setup
                | Command::Restore { .. }
                | Command::Init
                | Command::Clerk { .. }
                | Command::Slip { .. }
                | Command::DemoData { .. }
                | Command::Import { .. }
                | Command::Report { .. }
                | Command::Sync { .. }
                | Command::Case { .. }
                | Command::Recover { .. }
        )
    )
}
