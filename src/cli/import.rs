//! `counterdesk import bills FILE [--as STAFF_NO]`: headquarters' daily
//! bill list into the database, all or nothing.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::config::Config;
use crate::desk::auth::SignOutReason;
use crate::desk::bills::{is_file_refusal, ImportSummary};
use crate::i18n::text;
use crate::msg;

use super::{open, say_err, sign_in_as, EXIT_FAILED};

/// Files from headquarters.
#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import the daily bill list (CSV or JSON; see "Bills file" in the README).
    /// Exit 0 imported, 1 file refused (nothing imported), 2 no password given,
    /// 3 could not run, 4 the clerk's sign-in refused.
    Bills {
        /// The bill list as HQ sent it: a .csv or .json file.
        file: PathBuf,
        /// Record this clerk as the importer (password from COUNTERDESK_PASSWORD
        /// or a prompt); without it the import is recorded as the nightly job's.
        #[arg(long = "as", value_name = "STAFF_NO")]
        staff_no: Option<String>,
    },
}

/// Runs an import command; returns the exit code.
pub fn run(config: &Config, command: &ImportCommand) -> u8 {
    match command {
        ImportCommand::Bills { file, staff_no } => bills(config, file, staff_no.as_deref()),
    }
}

fn bills(config: &Config, file: &Path, staff_no: Option<&str>) -> u8 {
    let lang = config.language;
    // Read before opening the database: a wrong path touches nothing.
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            say_err(
                &msg!("bills.cannot_read", path = file.display(), detail = e),
                lang,
            );
            return EXIT_FAILED;
        }
    };
    let Some(mut desk) = open(config) else {
        return EXIT_FAILED;
    };
    let session = match staff_no {
        Some(staff_no) => {
            match sign_in_as(&mut desk, staff_no, "cli.clerk_password_prompt", lang) {
                Ok(s) => Some(s),
                Err(code) => return code,
            }
        }
        None => None,
    };
    // The name, not the path, is recorded: the same file may be imported
    // from a download folder on one day and a share on another.
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    let result = desk.import_bills(&name, &bytes, session.as_ref());
    if let Some(s) = &session {
        let _ = desk.sign_out(s, SignOutReason::SignOut);
    }
    match result {
        Ok(summary) => {
            print_summary(&summary, config);
            0
        }
        Err(e) if is_file_refusal(&e) => {
            say_err(e.msg(), lang);
            super::EXIT_PROBLEMS
        }
        Err(e) => super::refused(&e, lang),
    }
}

fn print_summary(s: &ImportSummary, config: &Config) {
    let lang = config.language;
    out!(
        "{}",
        text(
            &msg!(
                "bills.summary",
                file = s.file_name,
                rows = s.rows,
                new = s.new,
                updated = s.updated,
                unchanged = s.unchanged,
                paid = s.already_paid.len()
            ),
            lang
        )
    );
    for p in &s.already_paid {
        out!(
            "{}",
            text(
                &msg!(
                    "bills.paid_line",
                    account = p.account_no,
                    period = p.period,
                    receipt = p.receipt_no
                ),
                lang
            )
        );
    }
}
