//! `counterdesk sync`: flush the outbox to HQ once with a progress bar and
//! pull what HQ published; `--check [DATE]` compares days with HQ;
//! `--status` shows the counter's identity and queue.

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::desk::Desk;
use crate::domain::field_value;
use crate::domain::money::Fen;
use crate::domain::upload::DayDifference;
use crate::i18n::{t, text};
use crate::msg;

use super::{open, open_reading, refused, say_err, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_PROBLEMS};

/// What `sync` does.
#[derive(Debug, Clone, Default)]
pub struct SyncArgs {
    /// Compare days with HQ instead of sending.
    pub check: bool,
    /// Only this day.
    pub date: Option<String>,
    /// Show identity and queue only.
    pub status: bool,
}

/// Runs `sync`; returns the exit code.
pub fn run(config: &Config, args: &SyncArgs) -> u8 {
    let lang = config.language;
    let day = match args.date.as_deref().map(|d| field_value::date(d.trim())) {
        None => None,
        Some(Ok(d)) => Some(d.format("%Y-%m-%d").to_string()),
        Some(Err(m)) => {
            say_err(&m, lang);
            return EXIT_BAD_INPUT;
        }
    };
    if args.status || args.check {
        // Both only read here: they run beside a working workstation.
        let Some(desk) = open_reading(config) else {
            return EXIT_FAILED;
        };
        return if args.status {
            status(&desk, config)
        } else {
            check(&desk, config, day.as_deref())
        };
    }
    let Some(mut desk) = open(config) else {
        return EXIT_FAILED;
    };
    flush(&mut desk, config)
}

fn status(desk: &Desk, config: &Config) -> u8 {
    let lang = config.language;
    let (id, q, held) = match (
        desk.read().upload_identity(),
        desk.read().upload_queue(),
        desk.read().feed_held(5),
    ) {
        (Ok(id), Ok(q), Ok(held)) => (id, q, held),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return refused(&e, lang),
    };
    let m = msg!(
        "cli.sync_status",
        counter = id.counter,
        epoch = id.epoch,
        waiting = q.waiting,
        oldest = q.oldest_waiting_at.unwrap_or_else(|| "—".into()),
        quarantined = q.quarantined,
        forked = q.forked,
        held = held.1
    );
    out!("{}", text(&m, lang));
    // The newest items HQ sent that could not be applied, and why.
    for h in &held.0 {
        out!(
            "  #{} {}: {}",
            h.hq_seq,
            h.kind,
            text(&h.reason.msg(), lang)
        );
    }
    0
}

fn flush(desk: &mut Desk, config: &Config) -> u8 {
    let lang = config.language;
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} {eta}") {
        bar.set_style(style);
    }
    let sent = desk.flush_upload(&mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    let sent = match sent {
        Ok(s) => s,
        Err(e) => {
            say_err(e.msg(), lang);
            return match e.key() {
                "sync.token"
                | "sync.fork"
                | "sync.foreign"
                | "sync.clock"
                | "sync.no_token"
                | "sync.token_file_unreadable"
                | "sync.token_file_empty"
                | "sync.bad_url"
                | "sync.certificate" => super::EXIT_REFUSED,
                _ => EXIT_FAILED,
            };
        }
    };
    let pulled = desk.pull_from_hq();
    let q = match desk.read().upload_queue() {
        Ok(q) => q,
        Err(e) => return refused(&e, lang),
    };
    let m = msg!(
        "sync.flushed",
        sent = sent.sent,
        waiting = q.waiting,
        quarantined = q.quarantined
    );
    out!("{}", text(&m, lang));
    if sent.objects > 0 {
        let m = msg!("sync.objects_sent", objects = sent.objects);
        out!("{}", text(&m, lang));
    }
    match pulled {
        Ok(n) => out!("{}", text(&msg!("cli.sync_pulled", items = n), lang)),
        // What HQ published did not come down: the run did not finish.
        Err(e) => {
            say_err(e.msg(), lang);
            return EXIT_FAILED;
        }
    }
    if q.quarantined > 0 {
        EXIT_PROBLEMS
    } else {
        0
    }
}

fn check(desk: &Desk, config: &Config, day: Option<&str>) -> u8 {
    let lang = config.language;
    let days = match desk.check_days(day) {
        Ok(d) => d,
        Err(e) => {
            say_err(e.msg(), lang);
            return EXIT_FAILED;
        }
    };
    let mut differ = 0;
    for d in &days {
        let count = |x: &Option<crate::domain::upload::Digest>| x.as_ref().map_or(0, |x| x.count);
        let sum = |x: &Option<crate::domain::upload::Digest>| {
            Fen(x.as_ref().map_or(0, |x| x.amount_fen)).to_string()
        };
        let verdict = match d.difference {
            DayDifference::Agree => t("cli.check_agree", lang),
            _ if d.settled() => t("cli.check_lost_only", lang),
            DayDifference::MissingAtHq => t("cli.check_missing_at_hq", lang),
            DayDifference::MissingAtCounter => t("cli.check_missing_here", lang),
            DayDifference::Differ => t("cli.check_differ", lang),
        };
        if !d.settled() {
            differ += 1;
        }
        let m = msg!(
            "cli.check_line",
            day = d.day,
            epoch = d.epoch,
            here = count(&d.counter),
            hq = count(&d.hq),
            here_sum = sum(&d.counter),
            hq_sum = sum(&d.hq),
            verdict = verdict
        );
        out!("{}", text(&m, lang));
        for (lo, hi) in &d.ranges {
            out!(
                "    {}",
                text(&msg!("cli.check_range", lo = lo, hi = hi), lang)
            );
        }
        for (lo, hi, loss) in &d.acknowledged {
            let how = match loss.restore {
                true => t("cli.check_loss_restore", lang),
                false => t("cli.check_loss_acknowledged", lang),
            };
            let at = chrono::DateTime::parse_from_rfc3339(&loss.at)
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_else(|_| loss.at.clone());
            let m = msg!("cli.check_range_lost", lo = lo, hi = hi, how = how, at = at);
            out!("    {}", text(&m, lang));
        }
    }
    if days.is_empty() {
        out!("{}", t("cli.check_nothing", lang));
    }
    if differ > 0 {
        EXIT_PROBLEMS
    } else {
        0
    }
}
