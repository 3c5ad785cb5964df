//! `counterdesk demo-data --customers N`, with a progress bar.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::i18n::text;
use crate::msg;

use super::{open, say_err, EXIT_FAILED};

/// Adds N demo customers, then M demo applications.
pub fn run(config: &Config, count: u64, applications: u64, seed: u64) -> u8 {
    let lang = config.language;
    let Some(mut desk) = open(config) else {
        return EXIT_FAILED;
    };
    let bar = ProgressBar::new(count);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} {eta}") {
        bar.set_style(style);
    }
    let started = Instant::now();
    let result = desk.demo_data(count, seed, |done| bar.set_position(done));
    bar.finish_and_clear();
    let result = result.and_then(|n| {
        if applications == 0 {
            return Ok(n);
        }
        let bar = ProgressBar::new(applications);
        let done = desk.demo_applications(applications, seed, |d| bar.set_position(d));
        bar.finish_and_clear();
        done.map(|m| {
            out!("{}", text(&msg!("cli.demo_applications_done", n = m), lang));
            n
        })
    });
    match result {
        Ok(n) => {
            out!(
                "{}",
                text(
                    &msg!(
                        "cli.demo_done",
                        n = n,
                        secs = format!("{:.1}", started.elapsed().as_secs_f64()),
                        path = desk.database_path().display()
                    ),
                    lang
                )
            );
            0
        }
        Err(e) => {
            say_err(e.msg(), lang);
            EXIT_FAILED
        }
    }
}
