//! `counterdesk forms check [DIR]`: every problem with file, line and fix.

use std::path::Path;

use crate::config::Config;
use crate::i18n::text;
use crate::load::{calendar, forms, startup};
use crate::msg;

use super::EXIT_PROBLEMS;

/// Exit 0 when every form loads and so do the holiday tables beside them
/// (`DIR/calendar`, which the workstation reads with the forms), 1 otherwise.
pub fn run(config: &Config, dir: Option<&Path>) -> u8 {
    let lang = config.language;
    let (result, calendar) = match dir {
        Some(d) => (forms::load_dir(d), calendar::load_dir(&d.join("calendar"))),
        None => (startup::load_forms(config), startup::load_calendar(config)),
    };
    let mut problems = result.as_ref().err().cloned().unwrap_or_default();
    problems.extend(calendar.as_ref().err().cloned().unwrap_or_default());
    match (result, calendar) {
        (Ok(forms), Ok(cal)) => {
            out!("{}", text(&msg!("forms.all_ok", n = forms.len()), lang));
            out!("{}", text(&cal.all_ok(), lang));
            0
        }
        _ => {
            for p in &problems {
                out!("{}", crate::i18n::problem_line(p, lang));
            }
            err!(
                "{}",
                text(&msg!("forms.problems", n = problems.len()), lang)
            );
            EXIT_PROBLEMS
        }
    }
}
