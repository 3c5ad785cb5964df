//! `counterdesk hall ...`: the hall's queue service and its tools.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Subcommand;

use crate::clock::Clock;
use crate::config::Config;
use crate::hall::core::Core;
use crate::hall::server::{self, HallServeOptions};
use crate::hall::store::HallStore;
use crate::hq::tokens;
use crate::i18n::text;
use crate::msg;

use super::hq::tls_of;
use super::{say_err, EXIT_BAD_INPUT, EXIT_FAILED};

/// The hall's queue.
#[derive(Subcommand, Debug)]
pub enum HallCommand {
    /// Run the hall's queue service: the kiosk, the windows' API, the hall
    /// display and the figures. HTTPS with --cert and --key; plain HTTP
    /// only with --plain on loopback.
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8740 (port 0 picks a free one).
        #[arg(long)]
        listen: SocketAddr,
        /// The hall's file (default: [hall_service] store).
        #[arg(long)]
        store: Option<PathBuf>,
        /// Certificate chain (PEM).
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        /// Private key (PEM).
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
        /// Serve plain HTTP (loopback addresses only).
        #[arg(long, conflicts_with = "cert")]
        plain: bool,
    },
    /// Issue a window's token; printed once, kept only as its hash.
    Token {
        /// The hall's file (default: [hall_service] store).
        #[arg(long)]
        store: Option<PathBuf>,
        /// The window's number, as configured in [[hall_service.window]].
        #[arg(long)]
        window: String,
    },
    /// The addresses of the kiosk, the hall display and the figures page
    /// (each with its secret: keep them off public screens).
    Urls {
        /// The hall's file (default: [hall_service] store).
        #[arg(long)]
        store: Option<PathBuf>,
        /// How the pages are reached, e.g. https://10.0.0.5:8740.
        #[arg(long)]
        base: String,
    },
    /// Put a customer into the green channel by ID number (kept only as a
    /// salted hash).
    Flag {
        /// The hall's file (default: [hall_service] store).
        #[arg(long)]
        store: Option<PathBuf>,
        /// The ID number.
        #[arg(long)]
        id: String,
        /// Why (重点关注, 残疾人...).
        #[arg(long)]
        reason: String,
    },
}

fn store_path(config: &Config, store: &Option<PathBuf>) -> PathBuf {
    store
        .clone()
        .unwrap_or_else(|| config.hall_service.store.clone())
}

fn core(config: &Config, store: &Option<PathBuf>) -> Result<Core, crate::domain::msg::Msg> {
    let path = store_path(config, store);
    let s = HallStore::open(&path)
        .map_err(|e| msg!("queue.store_failed", path = path.display(), detail = e))?;
    Core::new(
        config.hall_service.clone(),
        config.hall.clone(),
        s,
        Clock::system(),
    )
    .map_err(|e| msg!("queue.config_bad", detail = e))
}

/// The core, or the exit code after saying why not.
fn open_core(config: &Config, store: &Option<PathBuf>, code: u8) -> Result<Core, u8> {
    core(config, store).map_err(|m| {
        say_err(&m, config.language);
        code
    })
}

/// Says the hall's file failed; the exit code.
fn store_failed(config: &Config, store: &Option<PathBuf>, e: impl std::fmt::Display) -> u8 {
    let path = store_path(config, store);
    say_err(
        &msg!("queue.store_failed", path = path.display(), detail = e),
        config.language,
    );
    EXIT_FAILED
}

/// Runs a hall command; returns the exit code.
pub fn run(config: &Config, command: &HallCommand) -> u8 {
    let lang = config.language;
    match command {
        HallCommand::Serve {
            listen,
            store,
            cert,
            key,
            plain,
        } => {
            let tls = match tls_of(cert, key, *plain, lang) {
                Ok(t) => t,
                Err(code) => return code,
            };
            let mut core = match open_core(config, store, EXIT_BAD_INPUT) {
                Ok(c) => c,
                Err(code) => return code,
            };
            // The service's log goes to standard error for the service
            // manager; tokens, secrets and ID numbers never reach it.
            let _ = tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_ansi(false)
                .try_init();
            // The tickets go up to HQ under the hall's own counter ID (said
            // after the address, which comes first for scripts).
            let mut upload_note = None;
            if !config.hq.url.trim().is_empty() {
                let counter = match core.store().counter_id(&config.hq.counter_id) {
                    Ok(c) => c,
                    Err(e) => return store_failed(config, store, e),
                };
                let path = store_path(config, store);
                match crate::hall::upload::start(
                    path,
                    counter.clone(),
                    config.hq.clone(),
                    Clock::system(),
                ) {
                    Ok(_) => upload_note = Some(msg!("queue.uploading", counter = counter)),
                    Err(e) => say_err(&msg!("queue.upload_off", detail = e), lang),
                }
            }
            let opts = HallServeOptions {
                listen: *listen,
                tls,
                core,
                font: crate::slips::source::start_loading(config),
            };
            let served = server::serve(opts, |addr| {
                out!("{}", text(&msg!("queue.listening", addr = addr), lang));
                if let Some(m) = &upload_note {
                    out!("{}", text(m, lang));
                }
            });
            match served {
                Ok(()) => 0,
                Err(e) => {
                    say_err(&msg!("queue.serve_failed", detail = e), lang);
                    EXIT_FAILED
                }
            }
        }
        HallCommand::Token { store, window } => {
            if config.hall_service.window(window).is_none() {
                say_err(&msg!("queue.no_such_window", window = window), lang);
                return EXIT_BAD_INPUT;
            }
            let mut c = match open_core(config, store, EXIT_FAILED) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let token = match tokens::new_token() {
                Ok(t) => t,
                Err(e) => {
                    say_err(&msg!("queue.serve_failed", detail = e), lang);
                    return EXIT_FAILED;
                }
            };
            match c
                .store()
                .add_token(&tokens::token_sha(&token), window, Clock::system().now())
            {
                Ok(()) => {
                    out!("{token}");
                    0
                }
                Err(e) => store_failed(config, store, e),
            }
        }
        HallCommand::Urls { store, base } => {
            let mut c = match open_core(config, store, EXIT_FAILED) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let base = base.trim_end_matches('/');
            for (page, prefix, key) in [
                ("kiosk", "k", msg!("queue.url_kiosk")),
                ("board", "h", msg!("queue.url_board")),
                ("manager", "m", msg!("queue.url_manager")),
            ] {
                match c.store().page_secret(page) {
                    Ok(s) => out!("{}\t{base}/{prefix}/{s}/", text(&key, lang)),
                    Err(e) => return store_failed(config, store, e),
                }
            }
            0
        }
        HallCommand::Flag { store, id, reason } => {
            let today = Clock::system().today();
            let check = crate::domain::id::check(id, today);
            if check.verdict.is_invalid() {
                say_err(&msg!("queue.flag_bad_id"), lang);
                return EXIT_BAD_INPUT;
            }
            let mut c = match open_core(config, store, EXIT_FAILED) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let sha = c.id_sha(&check.normalized);
            match c
                .store()
                .add_flag(&sha, reason.trim(), Clock::system().now())
            {
                Ok(()) => {
                    out!(
                        "{}",
                        text(&msg!("queue.flagged", id = check.masked()), lang)
                    );
                    0
                }
                Err(e) => store_failed(config, store, e),
            }
        }
    }
}
