//! `counterdesk calendar due FROM WORKING_DAYS` and `calendar check [DIR]`:
//! the same working-day computation the counter uses, for support staff.

use std::path::Path;

use crate::config::Config;
use crate::domain::calendar::{due_line, weekday_msg};
use crate::domain::field_value;
use crate::i18n::text;
use crate::load::{calendar, startup};

use super::{say_err, EXIT_BAD_INPUT, EXIT_PROBLEMS};

/// Prints the due date; exit 0, or 2 on bad input, 1 on a broken calendar.
pub fn due(config: &Config, from: &str, days: &str) -> u8 {
    let lang = config.language;
    let cal = match startup::load_calendar(config) {
        Ok(c) => c,
        Err(problems) => {
            for p in &problems {
                err!("{}", crate::i18n::problem_line(p, lang));
            }
            return EXIT_PROBLEMS;
        }
    };
    let start = match field_value::date(from) {
        Ok(d) => d,
        Err(m) => {
            say_err(&m, lang);
            return EXIT_BAD_INPUT;
        }
    };
    let Ok(n) = days.trim().parse::<u32>() else {
        say_err(&crate::msg!("field.integer_bad"), lang);
        return EXIT_BAD_INPUT;
    };
    match cal.due(start, n) {
        Ok(d) => {
            let weekday = text(&weekday_msg(d.date), lang);
            out!("{}", text(&due_line(start, n, &d, &weekday), lang));
            if let Some(note) = cal.estimate_note(start, &d) {
                out!("{}", text(&note, lang));
            }
            0
        }
        Err(m) => {
            say_err(&m, lang);
            EXIT_BAD_INPUT
        }
    }
}

/// Checks the holiday tables; exit 0 when fine, 1 with every problem.
pub fn check(config: &Config, dir: Option<&Path>) -> u8 {
    let lang = config.language;
    // A forms folder named by mistake: its holiday tables are in calendar/.
    let beside = dir.map(|d| d.join("calendar")).filter(|c| c.is_dir());
    if let Some(c) = &beside {
        out!(
            "{}",
            text(
                &crate::msg!("cli.calendar_checking_beside", dir = c.display()),
                lang
            )
        );
    }
    let result = match (beside.as_deref(), dir) {
        (Some(c), _) | (None, Some(c)) => calendar::load_dir(c),
        (None, None) => startup::load_calendar(config),
    };
    match result {
        Ok(cal) => {
            out!("{}", text(&cal.all_ok(), lang));
            0
        }
        Err(problems) => {
            for p in &problems {
                out!("{}", crate::i18n::problem_line(p, lang));
            }
            err!(
                "{}",
                text(&crate::msg!("forms.problems", n = problems.len()), lang)
            );
            EXIT_PROBLEMS
        }
    }
}
