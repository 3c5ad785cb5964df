//! `counterdesk doctor`: the health check, a line each.

use std::path::Path;

use crate::config::Config;
use crate::desk::doctor::{self, Level};
use crate::i18n::{t, text};
use crate::load::startup;

use super::{EXIT_FAILED, EXIT_PROBLEMS};

/// Prints every line; exit 0 all ok, 1 something to look at, 3 something
/// broken.
pub fn run(config: &Config, config_file: Option<&Path>) -> u8 {
    let lang = config.language;
    let loaded = doctor::Loaded {
        forms: startup::load_forms(config),
        calendar: startup::load_calendar(config),
    };
    let findings = doctor::check(config, config_file, &loaded);
    for f in &findings {
        let mark = t(
            match f.level {
                Level::Ok => "cli.doctor_ok",
                Level::Warn => "cli.doctor_warn",
                Level::Fail => "cli.doctor_fail",
            },
            lang,
        );
        out!("{mark} {}", text(&f.msg, lang));
    }
    match doctor::worst(&findings) {
        Level::Ok => 0,
        Level::Warn => EXIT_PROBLEMS,
        Level::Fail => EXIT_FAILED,
    }
}
