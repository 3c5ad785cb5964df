//! `counterdesk clerk add|list|reset-password|disable`, for administrators.

use crate::clock::Clock;
use crate::config::Config;
use crate::desk::{Desk, Session};
use crate::domain::clerk::Role;
use crate::i18n::{t, text};
use crate::load::startup;
use crate::msg;

use super::{
    open, refused, say_err, secret, sign_in_as, ClerkCommand, EXIT_BAD_INPUT, EXIT_FAILED,
    EXIT_REFUSED,
};

/// Runs one clerk command; the administrator signs in first (except to
/// create the very first administrator of an empty database).
pub fn run(config: &Config, admin: Option<&str>, command: &ClerkCommand) -> u8 {
    let lang = config.language;
    // Only the first administrator of a new hall creates its database: it
    // is the set-up step before anyone can sign in.
    let first_admin =
        admin.is_none() && matches!(command, ClerkCommand::Add { role, .. } if role == "admin");
    let missing = startup::database_path(config).is_ok_and(|p| !p.exists());
    if admin.is_none() && missing && matches!(command, ClerkCommand::Add { .. }) && !first_admin {
        say_err(&msg!("clerk.first_must_be_admin"), lang);
        return EXIT_REFUSED;
    }
    let desk = if first_admin {
        super::opened(config, startup::open_desk(config, Clock::system()))
    } else {
        open(config)
    };
    let Some(mut desk) = desk else {
        return EXIT_FAILED;
    };
    let session = match admin {
        Some(staff_no) => {
            match sign_in_as(&mut desk, staff_no, "cli.admin_password_prompt", lang) {
                Ok(s) => Some(s),
                Err(code) => return code,
            }
        }
        None => None,
    };
    let code = execute(&mut desk, session.as_ref(), command, config);
    if let Some(s) = &session {
        let _ = desk.sign_out(s, crate::desk::auth::SignOutReason::SignOut);
    }
    code
}

fn new_password(config: &Config) -> Option<String> {
    let lang = config.language;
    let var = "COUNTERDESK_NEW_PASSWORD";
    let Some(first) = secret(var, &t("cli.new_password_prompt", lang)) else {
        say_err(&msg!("cli.no_password", var = var), lang);
        return None;
    };
    if std::env::var("COUNTERDESK_NEW_PASSWORD").is_err()
        && std::io::IsTerminal::is_terminal(&std::io::stdin())
    {
        let again = rpassword::prompt_password(t("cli.new_password_again", lang)).ok()?;
        if again != first {
            say_err(&msg!("cli.passwords_differ"), lang);
            return None;
        }
    }
    Some(first)
}

fn execute(
    desk: &mut Desk,
    session: Option<&Session>,
    command: &ClerkCommand,
    config: &Config,
) -> u8 {
    let lang = config.language;
    let need_session = || {
        if session.is_none() {
            say_err(&msg!("cli.need_admin"), lang);
        }
        session
    };
    let result = match command {
        ClerkCommand::Add {
            staff_no,
            name,
            role,
        } => {
            let Some(role) = Role::from_code(role) else {
                say_err(&msg!("cli.bad_role", role = role), lang);
                return EXIT_BAD_INPUT;
            };
            let empty = match desk.read().has_no_clerks() {
                Ok(empty) => empty,
                Err(e) => return refused(&e, lang),
            };
            if session.is_none() && !empty {
                say_err(&msg!("cli.need_admin"), lang);
                return EXIT_REFUSED;
            }
            let Some(pw) = new_password(config) else {
                return EXIT_BAD_INPUT;
            };
            desk.add_clerk(session, staff_no, name, role, &pw).map(|_| {
                out!(
                    "{}",
                    text(&msg!("cli.clerk_added", staff_no = staff_no.trim()), lang)
                )
            })
        }
        ClerkCommand::List => {
            let Some(s) = need_session() else {
                return EXIT_REFUSED;
            };
            desk.list_clerks(s).map(|list| {
                for c in list {
                    let role = Role::from_code(&c.role)
                        .map(|r| text(&r.name(), lang))
                        .unwrap_or(c.role);
                    let mut state = Vec::new();
                    if c.disabled {
                        state.push(t("cli.state_disabled", lang));
                    }
                    if c.locked {
                        state.push(t("cli.state_locked", lang));
                    }
                    out!("{}\t{}\t{}\t{}", c.staff_no, c.name, role, state.join(","));
                }
            })
        }
        ClerkCommand::ResetPassword { staff_no } => {
            let Some(s) = need_session() else {
                return EXIT_REFUSED;
            };
            let Some(pw) = new_password(config) else {
                return EXIT_BAD_INPUT;
            };
            desk.reset_password(s, staff_no, &pw).map(|_| {
                out!(
                    "{}",
                    text(&msg!("cli.password_reset", staff_no = staff_no), lang)
                )
            })
        }
        ClerkCommand::Disable { staff_no } => {
            let Some(s) = need_session() else {
                return EXIT_REFUSED;
            };
            desk.disable_clerk(s, staff_no).map(|_| {
                out!(
                    "{}",
                    text(&msg!("cli.clerk_disabled", staff_no = staff_no), lang)
                )
            })
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) => refused(&e, lang),
    }
}
