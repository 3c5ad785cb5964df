//! The workstation itself, its set-up alone, and `init`: the three ways
//! the counter's own database is opened for the screens or made ready.

use crate::clock::Clock;
use crate::config::Config;
use crate::load::startup;
use crate::tui::App;

use super::{lab, opened, refused, say_err, EXIT_FAILED};

/// The workstation: the screens on the counter's database, with its
/// background work started.
pub(super) fn workstation(config: &Config) -> u8 {
    // A practice-room PC signs into the lab only.
    if config.lab.only {
        return lab::interface(config);
    }
    let lang = config.language;
    let Some(desk) = opened(config, startup::open_desk(config, Clock::system())) else {
        return EXIT_FAILED;
    };
    let log_problem = startup::init_logging(
        &config.log_path(desk.database_path()),
        config.log_max_mb,
        config.log_keep,
    );
    tracing::info!(db = %desk.database_path().display(), "workstation started");
    let mut desk = desk;
    // The CJK font is large: parse it in the background while the clerk signs in.
    desk.load_font_in_background();
    // Records go up to HQ (and HQ's data comes down) on threads of their own.
    desk.start_sync();
    // The ID card reader, where the counter has one.
    desk.start_reader();
    // The daily backup and one after each shift close, on a thread of their own.
    desk.start_backups();
    // The customer display; without it the workstation works all the same.
    let display_problem = desk.start_display().err();
    if let Some(m) = &display_problem {
        tracing::warn!("{}", crate::i18n::for_log(m));
    }
    // The hall's queue; a window that cannot reach it works on without it.
    let queue_problem = desk.start_queue().err();
    if let Some(m) = &queue_problem {
        tracing::warn!("{}", crate::i18n::for_log(m));
    }
    let mut app = App::new(desk, lang);
    if let Some(m) = log_problem.or(display_problem).or(queue_problem) {
        app.say(crate::domain::msg::Notice::warning(m));
    }
    match crate::tui::run(app) {
        Ok(app) => {
            // Said on the terminal, where the clerk looks after closing.
            if let Some(m) = &app.farewell {
                say_err(m, lang);
            }
            0
        }
        Err(e) => {
            say_err(&crate::msg!("tui.terminal_failed", detail = e), lang);
            EXIT_FAILED
        }
    }
}

/// `counterdesk setup`: the workstation's sign-in for an administrator,
/// then the hall's set-up alone.
pub(super) fn setup(config: &Config) -> u8 {
    let lang = config.language;
    let Some(mut desk) = opened(config, startup::open_desk(config, Clock::system())) else {
        return EXIT_FAILED;
    };
    desk.load_font_in_background();
    match crate::tui::run(App::for_setup(desk, lang)) {
        Ok(_) => 0,
        Err(e) => {
            say_err(&crate::msg!("tui.terminal_failed", detail = e), lang);
            EXIT_FAILED
        }
    }
}

/// `counterdesk init`: the database made ready without the screens.
pub(super) fn init(config: &Config) -> u8 {
    let Some(desk) = opened(config, startup::open_desk(config, Clock::system())) else {
        return EXIT_FAILED;
    };
    let lang = config.language;
    match desk.read().upload_identity() {
        Ok(id) => {
            let m = crate::msg!(
                "cli.init_done",
                path = desk.database_path().display(),
                counter = id.counter,
                epoch = id.epoch
            );
            out!("{}", crate::i18n::text(&m, lang));
            0
        }
        Err(e) => refused(&e, lang),
    }
}
