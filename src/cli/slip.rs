//! `counterdesk slip reprint NUMBER` and `counterdesk slip test`.

use std::path::Path;

use crate::config::Config;
use crate::desk::slips::{PrintOutcome, Produced};
use crate::i18n::text;
use crate::msg;

use super::{open, refused, say_err, sign_in_as, EXIT_FAILED, EXIT_PROBLEMS};

fn report(produced: &[Produced], config: &Config) -> u8 {
    let lang = config.language;
    let mut failed = false;
    for p in produced {
        out!(
            "{}\t{}\t{} B",
            crate::slips::kind::file_stem(p.kind),
            p.file.display(),
            p.bytes
        );
        if let PrintOutcome::Failed(why) = &p.printed {
            failed = true;
            say_err(
                &msg!("slips.print_failed", detail = why, file = p.file.display()),
                lang,
            );
        }
    }
    if failed {
        EXIT_PROBLEMS
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
    // The font first: a broken font is known before anyone signs in.
    if let Err(e) = desk.load_font_now() {
        say_err(e.msg(), lang);
        return EXIT_FAILED;
    }
    let session = match sign_in_as(&mut desk, staff_no, "cli.clerk_password_prompt", lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let manager = match manager.map(|m| super::manager(m, lang)).transpose() {
        Ok(m) => m,
        Err(code) => {
            let _ = desk.sign_out(&session, crate::desk::auth::SignOutReason::SignOut);
            return code;
        }
    };
    let result = desk.reprint(&session, number, manager.as_ref(), out);
    let _ = desk.sign_out(&session, crate::desk::auth::SignOutReason::SignOut);
    match result {
        Ok(p) => report(&p.produced, config),
        Err(e) => refused(&e, lang),
    }
}

/// The printer set-up page.
pub fn test(config: &Config, printer: Option<&str>, out: Option<&Path>) -> u8 {
    let lang = config.language;
    let Some(mut desk) = open(config) else {
        return EXIT_FAILED;
    };
    if let Err(e) = desk.load_font_now() {
        say_err(e.msg(), lang);
        return EXIT_FAILED;
    }
    match desk.print_test_page(printer, out) {
        Ok(p) => {
            let code = report(std::slice::from_ref(&p), config);
            if code == 0 {
                out!("{}", text(&msg!("slips.test_done"), lang));
            }
            code
        }
        Err(e) => {
            say_err(e.msg(), lang);
            EXIT_FAILED
        }
    }
}
