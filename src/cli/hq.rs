//! `counterdesk hq ...`: the reference HQ receiver and its tools.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Subcommand;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::money::Fen;
use crate::domain::upload::FeedData;
use crate::hq::{self, server, tokens, Rules, TokenOwner};
use crate::i18n::text;
use crate::msg;

use super::{say_err, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_PROBLEMS};

/// HQ tools.
#[derive(Subcommand, Debug)]
pub enum HqCommand {
    /// Receive counters' batches, publish the feed and serve the status page.
    /// HTTPS with --cert and --key; plain HTTP only with --plain on loopback.
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8443 (port 0 picks a free one).
        #[arg(long)]
        listen: SocketAddr,
        /// Store: a SQLite file (default hq.db) or postgres://user@host/db.
        #[arg(long, default_value = "hq.db")]
        store: String,
        /// Certificate chain (PEM).
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        /// Private key (PEM).
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
        /// Serve plain HTTP (loopback addresses only).
        #[arg(long, conflicts_with = "cert")]
        plain: bool,
        /// Store connections (PostgreSQL; SQLite always uses one).
        #[arg(long, default_value_t = 8)]
        workers: usize,
        /// Forms HQ knows: applications on other form versions are quarantined.
        #[arg(long)]
        forms_dir: Option<PathBuf>,
        /// Status page user (password from COUNTERDESK_HQ_WEB_PASSWORD).
        #[arg(long)]
        web_user: Option<String>,
        /// Largest clock difference accepted from a counter, in seconds.
        #[arg(long, default_value_t = 300)]
        clock_tolerance: i64,
        /// Largest request body taken, in MiB: a counter's largest batch
        /// (hq.batch_size records) fits well within the default.
        #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1024))]
        max_body_mib: u32,
        /// Request bodies read at once; more wait their turn.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=256))]
        max_bodies: u32,
        /// Public progress look-ups taken per minute from one address.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10000))]
        progress_per_minute: u32,
    },
    /// Issue a bearer token for a counter; printed once, stored only as its hash.
    Token {
        /// Store URL.
        #[arg(long, default_value = "hq.db")]
        store: String,
        /// The counter's ID.
        #[arg(long)]
        counter: String,
        /// The counter's hall.
        #[arg(long, default_value = "")]
        hall: String,
        /// Days the token is valid.
        #[arg(long, default_value_t = 365)]
        days: i64,
    },
    /// Publish what counters need from a JSON file: an array of items, each
    /// with "kind": "account" | "bill" | "case" | "case_step" | "clerk" |
    /// "grid". Every item is checked against the forms first (states,
    /// dates, business types, step ids or names); one bad item and nothing
    /// is published, each named with its line (exit 2).
    Publish {
        /// Store URL.
        #[arg(long, default_value = "hq.db")]
        store: String,
        /// The forms counters use (default: the configured forms folder, or
        /// the built-in forms).
        #[arg(long)]
        forms_dir: Option<PathBuf>,
        /// The JSON file.
        file: PathBuf,
    },
    /// Per counter and day: records, amounts and whether the day reconciles.
    /// Exit 1 when a closed day does not reconcile.
    Report {
        /// Store URL.
        #[arg(long, default_value = "hq.db")]
        store: String,
    },
}

/// HTTPS with both --cert and --key, plain with --plain; otherwise the
/// exit code after saying what is missing.
pub(super) fn tls_of(
    cert: &Option<PathBuf>,
    key: &Option<PathBuf>,
    plain: bool,
    lang: crate::domain::msg::Lang,
) -> Result<Option<(PathBuf, PathBuf)>, u8> {
    match (cert, key, plain) {
        (Some(c), Some(k), _) => Ok(Some((c.clone(), k.clone()))),
        (_, _, true) => Ok(None),
        _ => {
            say_err(&msg!("hq.tls_needed"), lang);
            Err(EXIT_BAD_INPUT)
        }
    }
}

/// Runs an HQ command; returns the exit code.
pub fn run(config: &Config, command: &HqCommand) -> u8 {
    let lang = config.language;
    match command {
        HqCommand::Serve {
            listen,
            store,
            cert,
            key,
            plain,
            workers,
            forms_dir,
            web_user,
            clock_tolerance,
            max_body_mib,
            max_bodies,
            progress_per_minute,
        } => {
            let tls = match tls_of(cert, key, *plain, lang) {
                Ok(t) => t,
                Err(code) => return code,
            };
            let rules = match forms_dir {
                None => Rules::default(),
                Some(dir) => match crate::load::forms::load_dir(dir) {
                    Ok(forms) => Rules {
                        forms: forms
                            .iter()
                            .map(|f| (f.code.clone(), f.version.clone()))
                            .collect(),
                    },
                    Err(_) => {
                        say_err(&msg!("hq.forms_bad", dir = dir.display()), lang);
                        return EXIT_BAD_INPUT;
                    }
                },
            };
            let web_login = web_user.as_ref().and_then(|u| {
                std::env::var("COUNTERDESK_HQ_WEB_PASSWORD")
                    .ok()
                    .filter(|p| !p.is_empty())
                    .map(|p| (u.clone(), p))
            });
            // HQ's log goes to standard error for the service manager to
            // keep; tokens and payloads never reach it.
            let _ = tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_ansi(false)
                .try_init();
            let sqlite = !(store.starts_with("postgres://") || store.starts_with("postgresql://"));
            let opts = server::ServeOptions {
                listen: *listen,
                store: store.clone(),
                tls,
                workers: if sqlite { 1 } else { *workers },
                rules,
                web_login,
                clock_tolerance_seconds: *clock_tolerance,
                max_body_bytes: *max_body_mib as usize * 1024 * 1024,
                max_bodies: *max_bodies as usize,
                clock: Clock::system(),
                progress_per_minute: *progress_per_minute,
                businesses: business_names(forms_dir.as_deref()),
            };
            let served = server::serve(opts, |addr| {
                out!("{}", text(&msg!("hq.listening", addr = addr), lang));
            });
            match served {
                Ok(()) => 0,
                Err(e) => {
                    say_err(&msg!("hq.serve_failed", detail = e), lang);
                    EXIT_FAILED
                }
            }
        }
        HqCommand::Token {
            store,
            counter,
            hall,
            days,
        } => {
            let token = match tokens::new_token() {
                Ok(t) => t,
                Err(e) => {
                    say_err(&msg!("hq.serve_failed", detail = e), lang);
                    return EXIT_FAILED;
                }
            };
            let expires =
                crate::store::stamp::ts(Clock::system().now() + chrono::Duration::days(*days));
            let owner = TokenOwner {
                counter: counter.clone(),
                hall: hall.clone(),
            };
            match hq::open(store)
                .and_then(|mut s| s.issue_token(&tokens::token_sha(&token), &owner, &expires))
            {
                Ok(()) => {
                    out!("{token}");
                    0
                }
                Err(e) => {
                    say_err(&msg!("hq.store_failed", detail = e), lang);
                    EXIT_FAILED
                }
            }
        }
        HqCommand::Publish {
            store,
            forms_dir,
            file,
        } => {
            let json = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) => {
                    say_err(
                        &msg!("hq.publish_bad", file = file.display(), detail = e),
                        lang,
                    );
                    return EXIT_BAD_INPUT;
                }
            };
            let forms = match forms_dir {
                Some(dir) => crate::load::forms::load_dir(dir),
                None => crate::load::startup::load_forms(config),
            };
            let Ok(forms) = forms else {
                let dir = forms_dir
                    .clone()
                    .or_else(|| config.forms_path())
                    .unwrap_or_default();
                say_err(&msg!("hq.forms_bad", dir = dir.display()), lang);
                return EXIT_BAD_INPUT;
            };
            let name = file.display().to_string();
            let items: Vec<FeedData> = match hq::publish::check(&name, &json, &forms) {
                Ok(items) => items,
                Err(problems) => {
                    let head = msg!("hq.publish_refused", file = name, n = problems.len());
                    err!("{}", crate::i18n::problems(&head, &problems, lang));
                    return EXIT_BAD_INPUT;
                }
            };
            match hq::open_existing(store).and_then(|mut s| s.publish(&items)) {
                Ok(last) => {
                    out!(
                        "{}",
                        text(
                            &msg!("hq.published", items = items.len(), last = last),
                            lang
                        )
                    );
                    0
                }
                Err(e) => {
                    say_err(&msg!("hq.store_failed", detail = e), lang);
                    EXIT_FAILED
                }
            }
        }
        HqCommand::Report { store } => {
            let overview = match hq::open_existing(store).and_then(|mut s| s.overview()) {
                Ok(o) => o,
                Err(e) => {
                    say_err(&msg!("hq.store_failed", detail = e), lang);
                    return EXIT_FAILED;
                }
            };
            out!(
                "day\tcounter\thall\tepoch\trecords\tfirst\tlast\tamount\tquarantined\treconciled"
            );
            let mut bad = false;
            for d in &overview.days {
                bad |= d.reconciled == Some(false);
                out!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    d.day,
                    d.counter,
                    d.hall,
                    d.epoch,
                    d.held.count,
                    d.held.first_seq,
                    d.held.last_seq,
                    Fen(d.held.amount_fen),
                    d.rejected,
                    hq::reconciles(d)
                );
            }
            if bad {
                EXIT_PROBLEMS
            } else {
                0
            }
        }
    }
}

/// Business names by form code for the public progress page: the forms
/// folder's when given, else the forms built into the program.
fn business_names(
    dir: Option<&std::path::Path>,
) -> std::collections::HashMap<String, (String, String)> {
    let forms = match dir {
        Some(d) => crate::load::forms::load_dir(d),
        None => crate::load::forms::load_embedded(crate::embedded::FORMS),
    };
    forms
        .unwrap_or_default()
        .into_iter()
        .map(|f| (f.code, (f.name.zh, f.name.en)))
        .collect()
}
