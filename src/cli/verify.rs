//! `counterdesk verify`: SQLite's integrity check and the audit chain.

use crate::config::Config;
use crate::desk::verify::verify_database;
use crate::i18n::text;
use crate::load::startup;

use super::{say_err, EXIT_FAILED, EXIT_PROBLEMS};

/// Runs both checks; exit 0 when both pass, 1 when either fails.
pub fn run(config: &Config) -> u8 {
    let lang = config.language;
    let path = match startup::database_path(config) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", e.render(lang));
            return EXIT_FAILED;
        }
    };
    match verify_database(&path) {
        Ok(v) => {
            for line in v.lines() {
                println!("{}", text(&line, lang));
            }
            if v.passed() {
                0
            } else {
                EXIT_PROBLEMS
            }
        }
        Err(e) => {
            say_err(&e.0, lang);
            EXIT_FAILED
        }
    }
}
