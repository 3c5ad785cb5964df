//! The health check: each part the counter needs, one line each, ok or
//! what to do. Read-only: nothing is written to the database, HQ or the
//! hall service, so it may run beside a working workstation.

use std::path::Path;

use chrono::{Datelike, FixedOffset, Local, Offset, Utc};

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::audit::Break;
use crate::domain::backup::{self, Age};
use crate::domain::calendar::Calendar;
use crate::domain::form::Form;
use crate::domain::msg::Msg;
use crate::domain::problem::Problem;
use crate::msg;
use crate::store::{audit, migrate, Store};

/// How a line stands; a health check's exit code is its worst line's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    /// Works today, but someone should look soon.
    Warn,
    /// Broken: the counter cannot do part of its work.
    Fail,
}

/// One line of the health check.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub level: Level,
    pub msg: Msg,
}

fn line(level: Level, msg: Msg) -> Finding {
    Finding { level, msg }
}

/// Free space under this on the database's or the backups' disk is a
/// warning; under the smaller figure, a failure (SQLite refuses writes).
const WARN_FREE_BYTES: u64 = 2 << 30;
const FAIL_FREE_BYTES: u64 = 200 << 20;
/// HQ refuses records whose time is off by more than this.
const CLOCK_WARN_SECONDS: i64 = 60;

/// The site's files as loading them found them (the command loads them:
/// the desk never reads its own start-up files).
pub struct Loaded {
    pub forms: Result<Vec<Form>, Vec<Problem>>,
    pub calendar: Result<Calendar, Vec<Problem>>,
}

/// Every check, in the order they are shown.
pub fn check(config: &Config, config_file: Option<&Path>, loaded: &Loaded) -> Vec<Finding> {
    let mut out = vec![config_line(config_file)];
    out.push(forms_line(&loaded.forms));
    out.push(calendar_line(&loaded.calendar, Local::now().date_naive()));
    let db = match config.database_path() {
        Ok(db) => db,
        Err(m) => {
            out.push(line(Level::Fail, m));
            return out;
        }
    };
    out.extend(database_lines(&db));
    out.push(disk_line("doctor.disk_database", &db));
    let folder = config.backup.folder_for(&db);
    out.push(backup_line(&folder, &crate::store::backup::counter_of(&db)));
    if folder.is_dir() {
        out.push(disk_line("doctor.disk_backup", &folder.join("x")));
    }
    out.push(time_zone_line(Local::now().offset().fix()));
    out.push(font_line(config));
    out.push(printer_line(config));
    out.extend(hq_lines(config));
    out.push(hall_line(config));
    out
}

/// The worst level found.
pub fn worst(findings: &[Finding]) -> Level {
    findings.iter().map(|f| f.level).max().unwrap_or(Level::Ok)
}

fn config_line(file: Option<&Path>) -> Finding {
    match file {
        Some(p) if p.is_file() => line(Level::Ok, msg!("doctor.config_ok", path = p.display())),
        Some(p) => line(
            Level::Ok,
            msg!("doctor.config_defaults", path = p.display()),
        ),
        None => line(Level::Ok, msg!("doctor.config_defaults", path = "-")),
    }
}

fn forms_line(forms: &Result<Vec<Form>, Vec<Problem>>) -> Finding {
    match forms {
        Ok(forms) => line(Level::Ok, msg!("doctor.forms_ok", n = forms.len())),
        Err(problems) => line(Level::Fail, first_problem("doctor.forms_bad", problems)),
    }
}

/// How many problems a file set has, and the first in its own words.
fn first_problem(key: &'static str, problems: &[Problem]) -> Msg {
    let file = problems.first().map(|p| p.file.as_str()).unwrap_or("-");
    let first = problems
        .first()
        .map(|p| p.msg.clone())
        .unwrap_or_else(|| Msg::words("", ""));
    Msg::new(key)
        .arg("n", problems.len())
        .arg("file", file)
        .part("first", first)
}

/// From November, next year's holiday table should be there: the State
/// Council publishes it in the autumn and due dates run into January.
fn calendar_line(calendar: &Result<Calendar, Vec<Problem>>, today: chrono::NaiveDate) -> Finding {
    let calendar = match calendar {
        Ok(c) => c,
        Err(problems) => return line(Level::Fail, first_problem("doctor.calendar_bad", problems)),
    };
    let last = calendar.last_known_year().unwrap_or(0);
    let year = today.year();
    if last < year {
        line(Level::Fail, msg!("doctor.calendar_this_year", year = year))
    } else if today.month() >= 11 && last < year + 1 {
        line(
            Level::Warn,
            msg!("doctor.calendar_next_year", year = year + 1),
        )
    } else {
        line(Level::Ok, msg!("doctor.calendar_ok", last = last))
    }
}

fn database_lines(db: &Path) -> Vec<Finding> {
    if !db.exists() {
        return vec![line(
            Level::Fail,
            msg!("doctor.db_missing", path = db.display()),
        )];
    }
    let store = match Store::open_read_only(db, Clock::system()) {
        Ok(s) => s,
        Err(e) => return vec![line(Level::Fail, e.msg())],
    };
    let mut out = Vec::new();
    let (found, latest) = (store.schema(), migrate::latest());
    let quick: Vec<String> = store
        .conn()
        .prepare("PRAGMA quick_check")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap_or_else(|e| vec![e.to_string()]);
    out.push(if quick == ["ok"] {
        let level = if found < latest {
            Level::Warn
        } else {
            Level::Ok
        };
        let m = if found < latest {
            msg!(
                "doctor.db_old",
                path = db.display(),
                found = found,
                latest = latest
            )
        } else {
            msg!("doctor.db_ok", path = db.display(), version = found)
        };
        line(level, m)
    } else {
        line(
            Level::Fail,
            msg!(
                "doctor.db_damaged",
                path = db.display(),
                detail = quick.join("; ")
            ),
        )
    });
    if let Some(b) = store.behind() {
        out.push(line(Level::Fail, crate::store::behind_msg(b)));
    }
    out.push(match audit::verify(store.conn()) {
        Ok(Ok(n)) => line(Level::Ok, msg!("doctor.chain_ok", n = n)),
        Ok(Err(b)) => line(Level::Fail, msg!("doctor.chain_bad", seq = break_seq(&b))),
        Err(e) => line(Level::Fail, e.msg()),
    });
    out
}

fn break_seq(b: &Break) -> i64 {
    match *b {
        Break::Edited { seq } | Break::Unlinked { seq } => seq,
        Break::Missing { expected, .. } => expected,
        Break::Truncated { last, .. } => last,
    }
}

/// Free space on the disk holding `path` (the file need not exist: its
/// folder is asked).
fn free_bytes(path: &Path) -> Option<u64> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    let st = rustix::fs::statvfs(dir).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

fn disk_line(key: &'static str, path: &Path) -> Finding {
    let Some(free) = free_bytes(path) else {
        return line(Level::Warn, Msg::new(key).arg("free", "?"));
    };
    let level = if free < FAIL_FREE_BYTES {
        Level::Fail
    } else if free < WARN_FREE_BYTES {
        Level::Warn
    } else {
        Level::Ok
    };
    let free = crate::domain::scan::size_text(free);
    let m = Msg::new(key).arg("free", &free);
    match level {
        Level::Ok => line(level, m),
        _ => line(level, msg!("doctor.disk_low", free = free).part("where", m)),
    }
}

fn backup_line(folder: &Path, counter: &str) -> Finding {
    let now = Local::now().naive_local();
    let last = super::backup::last_good(folder, counter, now);
    match backup::age(last, now) {
        Age::Never => line(
            Level::Warn,
            msg!("doctor.backup_never", folder = folder.display()),
        ),
        Age::Fresh(m) => line(
            Level::Ok,
            msg!(
                "doctor.backup_ok",
                hours = m / 60,
                folder = folder.display()
            ),
        ),
        Age::Stale(m) => line(
            Level::Warn,
            msg!(
                "doctor.backup_stale",
                days = m / (24 * 60),
                folder = folder.display()
            ),
        ),
    }
}

fn font_line(config: &Config) -> Finding {
    match crate::slips::source::start_loading(config).wait() {
        Ok(_) if config.slips.font.as_os_str().is_empty() => {
            line(Level::Ok, msg!("doctor.font_builtin"))
        }
        Ok(_) => line(
            Level::Ok,
            msg!("doctor.font_ok", path = config.slips.font.display()),
        ),
        Err(e) => line(
            Level::Fail,
            msg!(
                "doctor.font_bad",
                path = config.slips.font.display(),
                detail = e
            ),
        ),
    }
}

fn printer_line(config: &Config) -> Finding {
    let q = config.slips.printer.trim();
    if q.is_empty() {
        return line(Level::Ok, msg!("doctor.printer_none"));
    }
    match crate::slips::printer::queue_state(q) {
        Ok(state) => line(
            Level::Ok,
            msg!("doctor.printer_ok", queue = q, state = first_line(&state)),
        ),
        Err(why) => line(
            Level::Fail,
            msg!("doctor.printer_bad", queue = q, detail = first_line(&why)),
        ),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().trim().to_string()
}

fn hq_lines(config: &Config) -> Vec<Finding> {
    use crate::sync::link::Link;
    let link = match Link::from_config(&config.hq) {
        Ok(Some(l)) => l,
        Ok(None) => return vec![line(Level::Warn, msg!("doctor.hq_none"))],
        Err(e) => {
            return vec![line(
                Level::Fail,
                msg!("doctor.hq_bad").part("why", e.msg()),
            )]
        }
    };
    let url = config.hq.url.trim();
    let sent = Utc::now();
    match link.probe() {
        Ok(date) => {
            let mut out = vec![line(Level::Ok, msg!("doctor.hq_ok", url = url))];
            if let Some(hq) = date {
                // The Date header has whole seconds; the round trip is short.
                let skew = (hq - sent).num_seconds();
                out.push(if skew.abs() > CLOCK_WARN_SECONDS {
                    line(Level::Fail, msg!("doctor.clock_bad", seconds = skew))
                } else {
                    line(Level::Ok, msg!("doctor.clock_ok", seconds = skew))
                });
            }
            out
        }
        Err(e) => vec![line(
            Level::Fail,
            msg!("doctor.hq_unreachable", url = url).part("why", e.msg()),
        )],
    }
}

/// The counter stamps its records with this PC's local day; the hall
/// keeps Beijing time (the hall service's default offset). A PC left in
/// another time zone (a fresh install in UTC) puts the night's first
/// hours on the day before.
fn time_zone_line(local: FixedOffset) -> Finding {
    let Ok(hall) = crate::config::HallService::default().offset() else {
        return line(Level::Ok, msg!("doctor.time_zone_ok", offset = local));
    };
    if local == hall {
        return line(Level::Ok, msg!("doctor.time_zone_ok", offset = hall));
    }
    let hours = f64::from((hall.local_minus_utc() - local.local_minus_utc()).abs()) / 3600.0;
    line(
        Level::Warn,
        msg!(
            "doctor.time_zone_other",
            offset = local,
            hall = hall,
            hours = hours
        ),
    )
}

fn hall_line(config: &Config) -> Finding {
    let url = config.queue.url.trim();
    match crate::hall::link::from_config(&config.queue) {
        Ok(None) => line(Level::Ok, msg!("doctor.hall_none")),
        Err(m) => line(Level::Fail, msg!("doctor.hall_bad").part("why", m)),
        Ok(Some(link)) => match link.whoami() {
            Ok(_) => line(Level::Ok, msg!("doctor.hall_ok", url = url)),
            Err(e) => line(
                Level::Fail,
                msg!("doctor.hall_unreachable", url = url).part("why", e.msg()),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pc_off_beijing_time_is_told_how_far_its_days_are_off() {
        let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
        assert_eq!(time_zone_line(beijing).level, Level::Ok);
        let utc = time_zone_line(FixedOffset::east_opt(0).unwrap());
        assert_eq!(utc.level, Level::Warn);
        let said = crate::i18n::text(&utc.msg, crate::domain::msg::Lang::En);
        assert!(
            said.contains("+00:00") && said.contains("8 hours off"),
            "{said}"
        );
        assert!(
            said.contains("timedatectl set-timezone Asia/Shanghai"),
            "{said}"
        );
    }

    #[test]
    fn next_years_holidays_are_asked_for_from_november() {
        let years = crate::embedded::CALENDAR
            .iter()
            .map(|(file, text)| crate::domain::calendar::parse_year(file, text).expect("year"))
            .collect();
        let calendar = Calendar::new(years).expect("shipped calendar");
        let last = calendar.last_known_year().expect("a year");
        let first = calendar.first_known_year();
        let loaded = Ok(calendar);
        let day = |y, m| chrono::NaiveDate::from_ymd_opt(y, m, 15).unwrap();
        assert_eq!(calendar_line(&loaded, day(last, 10)).level, Level::Ok);
        assert_eq!(calendar_line(&loaded, day(last, 11)).level, Level::Warn);
        assert_eq!(calendar_line(&loaded, day(last + 1, 3)).level, Level::Fail);
        if first < Some(last) {
            assert_eq!(calendar_line(&loaded, day(last - 1, 12)).level, Level::Ok);
        }
        let broken = Err(vec![]);
        assert_eq!(calendar_line(&broken, day(last, 1)).level, Level::Fail);
    }

    #[test]
    fn the_worst_line_decides() {
        let ok = line(Level::Ok, msg!("doctor.forms_ok", n = 1));
        let warn = line(Level::Warn, msg!("doctor.hq_none"));
        assert_eq!(worst(&[]), Level::Ok);
        assert_eq!(worst(std::slice::from_ref(&ok)), Level::Ok);
        assert_eq!(worst(&[ok.clone(), warn.clone()]), Level::Warn);
        let fail = line(Level::Fail, msg!("doctor.printer_none"));
        assert_eq!(worst(&[warn, fail, ok]), Level::Fail);
    }
}
