//! `counterdesk verify`: SQLite's integrity check and the audit chain.

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::audit::Break;
use crate::i18n::text;
use crate::msg;
use crate::startup;
use crate::store::{audit, integrity_check, Store};

use super::{say_err, EXIT_FAILED};

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
    if !path.exists() {
        say_err(&msg!("verify.no_database", path = path.display()), lang);
        return EXIT_FAILED;
    }
    // Verification reads only, so it may run beside a working workstation.
    let store = match Store::open_unlocked(&path, Clock::system()) {
        Ok(s) => s,
        Err(e) => {
            say_err(&e.msg(), lang);
            return EXIT_FAILED;
        }
    };
    let mut ok = true;
    match integrity_check(store.conn()) {
        Ok(lines) if lines == ["ok"] => println!("{}", text(&msg!("verify.integrity_ok"), lang)),
        Ok(lines) => {
            ok = false;
            println!(
                "{}",
                text(
                    &msg!("verify.integrity_bad", detail = lines.join("; ")),
                    lang
                )
            );
        }
        Err(e) => {
            say_err(&e.msg(), lang);
            return EXIT_FAILED;
        }
    }
    match audit::verify(store.conn()) {
        Ok(Ok(n)) => println!("{}", text(&msg!("verify.chain_ok", n = n), lang)),
        Ok(Err(b)) => {
            ok = false;
            let m = match b {
                Break::Edited { seq } => msg!("verify.chain_edited", seq = seq),
                Break::Missing { expected, found } => {
                    msg!("verify.chain_missing", seq = expected, found = found)
                }
                Break::Unlinked { seq } => msg!("verify.chain_unlinked", seq = seq),
                Break::Truncated { last, head } => {
                    msg!("verify.chain_truncated", last = last, head = head)
                }
            };
            println!("{}", text(&m, lang));
        }
        Err(e) => {
            say_err(&e.msg(), lang);
            return EXIT_FAILED;
        }
    }
    if ok {
        0
    } else {
        1
    }
}
