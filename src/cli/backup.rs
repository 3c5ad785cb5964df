//! `counterdesk backup` and `counterdesk restore`.

use std::path::Path;

use crate::clock::Clock;
use crate::config::Config;
use crate::desk::backup;
use crate::i18n::{t, text};
use crate::load::startup;
use crate::msg;

use super::{refused, say_err, secret, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_PROBLEMS};

/// Takes one backup now; exit 0 taken and checked, 3 not taken.
pub fn take(config: &Config, dir: Option<&Path>) -> u8 {
    let lang = config.language;
    let db = match startup::database_path(config) {
        Ok(p) => p,
        Err(e) => {
            err!("{}", e.render(lang));
            return EXIT_FAILED;
        }
    };
    let folder = backup::folder(config, &db, dir);
    let now = chrono::Local::now().naive_local();
    match backup::take(config, &db, &folder, now) {
        Ok(b) => {
            let m = msg!(
                "backup.taken",
                path = b.path.display(),
                size = crate::domain::scan::size_text(b.bytes),
                copy_ms = b.copy_took.as_millis(),
                check_ms = b.check_took.as_millis(),
                records = b.checked.head.map_or(0, |h| h.1),
                chain = b.checked.chain.as_ref().map_or(0, |n| *n)
            );
            out!("{}", text(&m, lang));
            if b.pruned > 0 {
                out!("{}", text(&msg!("backup.pruned", n = b.pruned), lang));
            }
            if b.scans_copied > 0 {
                out!(
                    "{}",
                    text(&msg!("backup.scans_copied", n = b.scans_copied), lang)
                );
            }
            if !b.scans_missing.is_empty() {
                let m = msg!("backup.scans_missing", n = b.scans_missing.len());
                out!("{}", text(&m, lang));
                return EXIT_PROBLEMS;
            }
            0
        }
        Err(e) => {
            say_err(e.msg(), lang);
            EXIT_FAILED
        }
    }
}

/// Restores a backup (or with `check` only checks it); exit 0 done, 1 the
/// file refused, 2 no password, 4 refused otherwise.
pub fn restore(config: &Config, file: &Path, admin: &str, reason: &str, check: bool) -> u8 {
    let lang = config.language;
    if check {
        return match backup::check_backup(config, file) {
            Ok((c, checksum)) => {
                let m = msg!(
                    "backup.check_ok",
                    path = file.display(),
                    records = c.head.map_or(0, |h| h.1),
                    chain = c.chain.as_ref().map_or(0, |n| *n),
                    unsent = c.unsent
                );
                out!("{}", text(&m, lang));
                if !checksum {
                    out!("{}", text(&msg!("backup.no_checksum"), lang));
                }
                0
            }
            Err(e) => {
                say_err(e.msg(), lang);
                EXIT_PROBLEMS
            }
        };
    }
    let Some(pw) = secret(
        "COUNTERDESK_PASSWORD",
        &t("cli.admin_password_prompt", lang),
    ) else {
        say_err(&msg!("cli.no_password", var = "COUNTERDESK_PASSWORD"), lang);
        return EXIT_BAD_INPUT;
    };
    match backup::restore(config, Clock::system(), file, admin, Some(&pw), reason) {
        Ok(r) => {
            for line in backup::restored_lines(&r) {
                out!("{}", text(&line, lang));
            }
            0
        }
        Err(e) if e.key().starts_with("backup.") => {
            say_err(e.msg(), lang);
            EXIT_PROBLEMS
        }
        Err(e) => refused(&e, lang),
    }
}
