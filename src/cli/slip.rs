//! `counterdesk slip reprint NUMBER` and `counterdesk slip test`.

use std::path::Path;

use crate::config::Config;
use crate::desk::slips::{PrintOutcome, Produced};
use crate::i18n::{t, text};
use crate::msg;
use crate::slips::source;

use super::{open, say_err, secret, sign_in_as, EXIT_FAILED};

fn report(produced: &[Produced], config: &Config) -> u8 {
    let lang = config.language;
    let mut failed = false;
    for p in produced {
        println!("{}\t{}\t{} B", p.kind.code(), p.file.display(), p.bytes);
        if let PrintOutcome::Failed(why) = &p.printed {
            failed = true;
            say_err(
                &msg!("slips.print_failed", detail = why, file = p.file.display()),
                lang,
            );
        }
    }
    if failed {
        1
    } else {
        0
    }
}

/// Reprints the slips of a ticket, marked as a reprint with who and when.
pub fn reprint(
    config: &Config,
    staff_no: &str,
    manager: Option<&str>,
    number: &str,
    out: Option<&Path>,
) -> u8 {
    let lang = config.language;
    let Some(mut desk) = open(config) else {
        return EXIT_FAILED;
    };
    let session = match sign_in_as(&mut desk, staff_no, "cli.clerk_password_prompt", lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let authoriser = match manager {
        Some(m) => {
            let mpw = secret(
                "COUNTERDESK_MANAGER_PASSWORD",
                &t("cli.manager_password_prompt", lang),
            )
            .unwrap_or_default();
            match desk.authorise(&session, m, &mpw, "slip.reprint") {
                Ok(a) => Some(a),
                Err(e) => {
                    say_err(&e.0, lang);
                    return EXIT_FAILED;
                }
            }
        }
        None => None,
    };
    let font = match source::load_now(config) {
        Ok(f) => f,
        Err(e) => {
            say_err(&msg!("slips.font_problem", detail = e), lang);
            return EXIT_FAILED;
        }
    };
    let result = desk.reprint(&session, number, authoriser.as_ref(), &font, out);
    let _ = desk.sign_out(&session, crate::desk::auth::SignOutReason::SignOut);
    match result {
        Ok(p) => report(&p, config),
        Err(e) => {
            say_err(&e.0, lang);
            EXIT_FAILED
        }
    }
}

/// The printer set-up page.
pub fn test(config: &Config, printer: Option<&str>, out: Option<&Path>) -> u8 {
    let lang = config.language;
    let Some(mut desk) = open(config) else {
        return EXIT_FAILED;
    };
    let font = match source::load_now(config) {
        Ok(f) => f,
        Err(e) => {
            say_err(&msg!("slips.font_problem", detail = e), lang);
            return EXIT_FAILED;
        }
    };
    match desk.produce_test_page(&font, printer, out) {
        Ok(p) => {
            let code = report(std::slice::from_ref(&p), config);
            if code == 0 {
                println!("{}", text(&msg!("slips.test_done"), lang));
            }
            code
        }
        Err(e) => {
            say_err(&e.0, lang);
            EXIT_FAILED
        }
    }
}
