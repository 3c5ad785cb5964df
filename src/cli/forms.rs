//! `counterdesk forms check [DIR]`: every problem with file, line and fix.

use std::path::Path;

use crate::config::Config;
use crate::i18n::text;
use crate::load::{forms, startup};
use crate::msg;

use super::EXIT_PROBLEMS;

/// Exit 0 when every form loads, 1 otherwise.
pub fn run(config: &Config, dir: Option<&Path>) -> u8 {
    let lang = config.language;
    let result = match dir {
        Some(d) => forms::load_dir(d),
        None => startup::load_forms(config),
    };
    match result {
        Ok(forms) => {
            out!("{}", text(&msg!("forms.all_ok", n = forms.len()), lang));
            0
        }
        Err(problems) => {
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
