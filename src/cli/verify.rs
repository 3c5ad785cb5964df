//! `counterdesk verify`: the read-only checks of a database file; and
//! `counterdesk recover`: an administrator's acknowledgement of records lost.

use crate::clock::Clock;
use crate::config::Config;
use crate::desk::recovery;
use crate::desk::verify::verify_database;
use crate::i18n::{t, text};
use crate::load::startup;
use crate::msg;

use super::{refused, say_err, secret, EXIT_FAILED, EXIT_PROBLEMS};

/// Runs every check; exit 0 when all pass, 1 when one fails.
pub fn run(config: &Config) -> u8 {
    let lang = config.language;
    let path = match startup::database_path(config) {
        Ok(p) => p,
        Err(e) => {
            err!("{}", e.render(lang));
            return EXIT_FAILED;
        }
    };
    match verify_database(config, &path) {
        Ok(v) => {
            for line in v.lines() {
                out!("{}", text(&line, lang));
            }
            if v.passed() {
                0
            } else {
                EXIT_PROBLEMS
            }
        }
        Err(e) => {
            say_err(e.msg(), lang);
            EXIT_FAILED
        }
    }
}

/// Acknowledges records lost; the password is asked only when the file
/// still has clerks to check it against.
pub fn recover(config: &Config, admin: &str, reason: &str, confirm: Option<&str>) -> u8 {
    let lang = config.language;
    let password = if confirm.is_some() {
        None
    } else {
        secret(
            "COUNTERDESK_PASSWORD",
            &t("cli.admin_password_prompt", lang),
        )
    };
    match recovery::acknowledge(
        config,
        Clock::system(),
        admin,
        password.as_deref(),
        confirm,
        reason,
    ) {
        Ok(done) => {
            let (from, to) = done.behind.missing();
            let m = msg!(
                "recover.done",
                epoch = done.behind.seal.epoch,
                from = from,
                to = to,
                kept = done.kept.display()
            );
            out!("{}", text(&m, lang));
            0
        }
        Err(e) => refused(&e, lang),
    }
}
