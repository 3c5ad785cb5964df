//! The working-day calendar: which days count when a time limit is given in
//! working days (工作日), and the due date of such a limit.
//!
//! Statutory holidays are not working days; the Saturdays and Sundays that the
//! State Council declares make-up working days (调休上班) are. The schedule
//! changes every year and is published each November, so it is data: one TOML
//! file per year, `forms/calendar/YEAR.toml`, that an administrator adds when
//! the notice comes out. A date past the last year on file cannot be known;
//! it is counted Monday to Friday and every answer that relied on such a day
//! says it is an estimate instead of pretending to know.
//!
//! This module is pure: it turns text into a [`YearTable`] or a list of
//! [`Problem`]s, builds a [`Calendar`] from the tables and counts days.
//! Reading files is `crate::load::calendar`'s job.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::domain::form::Text;
use crate::domain::msg::Msg;
use crate::domain::problem::Problem;
use crate::msg;

/// The largest number of working days [`Calendar::due`] counts (about 14
/// years): no time limit at the counter comes near it, so a bigger number is
/// a typing mistake, and refusing it keeps the day-by-day walk short.
pub const MAX_WORKING_DAYS: u32 = 3650;

/// The longest holiday range, in days, a year file may give. The longest real
/// one is eight or nine days; a longer range is almost always a typo in a
/// month (2026-02-15 to 2026-03-23), which would silently stop the clock.
pub const MAX_HOLIDAY_DAYS: i64 = 15;

/// The file named in problems about the set of years itself, when no file is to blame.
const NO_FILE: &str = "calendar";

/// Years a calendar file may be for: anything else is a typo (20266) and
/// would also put dates out of chrono's range.
pub(super) const YEARS: std::ops::RangeInclusive<i64> = 2000..=2999;

/// The notice a year's schedule is copied from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Its title, e.g. 国务院办公厅关于2026年部分节假日安排的通知.
    pub title: String,
    /// The day it was published.
    pub published: NaiveDate,
}

/// A statutory holiday: every day from `from` to `to` (both included) is a day off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// The holiday's name, e.g. 春节 / Spring Festival.
    pub name: Text,
    /// First day off.
    pub from: NaiveDate,
    /// Last day off.
    pub to: NaiveDate,
}

/// A Saturday or Sunday that is a working day (调休上班).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workday {
    /// The day.
    pub date: NaiveDate,
    /// The holiday it makes up for.
    pub name: Text,
}

/// One year's schedule, checked. Only [`parse_year`] makes one, so a
/// [`Calendar`] can rely on its dates lying in its year and never repeating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearTable {
    year: i32,
    source: Source,
    holidays: Vec<Holiday>,
    workdays: Vec<Workday>,
    /// Kept so that problems across years (duplicate, gap) can name the file.
    file: String,
    /// The line of `year`, where those problems point.
    year_line: usize,
}

impl YearTable {
    /// The year the table is for.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The notice it was copied from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The holidays, in file order.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// The make-up working days, in file order.
    pub fn workdays(&self) -> &[Workday] {
        &self.workdays
    }

    /// The file it was read from, as named to [`parse_year`].
    pub fn file(&self) -> &str {
        &self.file
    }
}

mod year;

pub use year::parse_year;

pub(super) fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

// --- The calendar ------------------------------------------------------------

/// What a listed day is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Special {
    /// A day off, with the holiday's name.
    Holiday(Text),
    /// A make-up working day, with the holiday it makes up for.
    Workday(Text),
}

/// Working days over a run of consecutive years, each from its checked table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The tables, one per year, in year order without gaps.
    years: Vec<YearTable>,
    /// Every holiday and make-up working day of every year.
    special: HashMap<NaiveDate, Special>,
}

/// A due date and whether it is only an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The last day of the limit.
    pub date: NaiveDate,
    /// Some day counted lies outside the known years and was taken as
    /// Monday–Friday: the date must be shown as an estimate.
    pub estimated: bool,
}

impl Calendar {
    /// Builds a calendar from year tables in any order. The years must be
    /// consecutive and each given once: a missing year in between would be
    /// counted Monday to Friday without anyone noticing, so it is a problem,
    /// as is an empty list. Every problem is returned, pointing at the `year`
    /// line of the file concerned.
    pub fn new(mut years: Vec<YearTable>) -> Result<Calendar, Vec<Problem>> {
        if years.is_empty() {
            return Err(vec![Problem {
                file: NO_FILE.to_string(),
                line: None,
                msg: msg!("calendar.no_years"),
            }]);
        }
        // Stable sort by year then file, so a duplicate is reported against
        // the later file name, as the form loader does.
        years.sort_by(|a, b| (a.year, &a.file).cmp(&(b.year, &b.file)));
        let mut problems = Vec::new();
        let mut kept: Vec<YearTable> = Vec::with_capacity(years.len());
        for t in years {
            if let Some(prev) = kept.last() {
                let problem = |msg| Problem {
                    file: t.file.clone(),
                    line: Some(t.year_line),
                    msg,
                };
                if prev.year == t.year {
                    let m = msg!(
                        "calendar.duplicate_year",
                        year = t.year,
                        first_file = prev.file
                    );
                    problems.push(problem(m));
                    continue;
                }
                if t.year > prev.year + 1 {
                    let missing = if t.year == prev.year + 2 {
                        (prev.year + 1).to_string()
                    } else {
                        format!("{}–{}", prev.year + 1, t.year - 1)
                    };
                    let m = msg!(
                        "calendar.missing_year",
                        missing = missing,
                        before = prev.year,
                        after = t.year
                    );
                    problems.push(problem(m));
                }
            }
            kept.push(t);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut special = HashMap::new();
        for t in &kept {
            for h in &t.holidays {
                // parse_year bounds each range to its year and MAX_HOLIDAY_DAYS.
                for d in h.from.iter_days().take_while(|d| *d <= h.to) {
                    special.insert(d, Special::Holiday(h.name.clone()));
                }
            }
            for w in &t.workdays {
                special.insert(w.date, Special::Workday(w.name.clone()));
            }
        }
        Ok(Calendar {
            years: kept,
            special,
        })
    }

    /// The year tables, in year order.
    pub fn years(&self) -> &[YearTable] {
        &self.years
    }

    /// The first year on file. Always `Some` for a calendar from [`Calendar::new`].
    pub fn first_known_year(&self) -> Option<i32> {
        self.years.first().map(|t| t.year)
    }

    /// The last year on file. Always `Some` for a calendar from [`Calendar::new`].
    pub fn last_known_year(&self) -> Option<i32> {
        self.years.last().map(|t| t.year)
    }

    /// Whether `d` lies in a year on file (the years have no gaps).
    pub fn knows(&self, d: NaiveDate) -> bool {
        match (self.first_known_year(), self.last_known_year()) {
            (Some(first), Some(last)) => (first..=last).contains(&d.year()),
            _ => false,
        }
    }

    /// Whether `d` is a working day, and whether that is known (`true`) or
    /// assumed Monday to Friday because `d` lies outside the years on file.
    pub fn is_working_day(&self, d: NaiveDate) -> (bool, bool) {
        if !self.knows(d) {
            return (!is_weekend(d), false);
        }
        match self.special.get(&d) {
            Some(Special::Holiday(_)) => (false, true),
            Some(Special::Workday(_)) => (true, true),
            None => (!is_weekend(d), true),
        }
    }

    /// The name of the holiday `d` falls in, if it is a holiday.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&Text> {
        match self.special.get(&d) {
            Some(Special::Holiday(name)) => Some(name),
            _ => None,
        }
    }

    /// The holiday a make-up working day makes up for, if `d` is one.
    pub fn workday_name(&self, d: NaiveDate) -> Option<&Text> {
        match self.special.get(&d) {
            Some(Special::Workday(name)) => Some(name),
            _ => None,
        }
    }

    /// The last day of a limit of `working_days` counted from `start`.
    ///
    /// `start` itself never counts (a limit from acceptance starts the next
    /// working day), so the due date is the `working_days`-th working day
    /// after `start`; with 0 days it is `start`. The result is an estimate
    /// when a day walked over (or `start`, for 0 days) lies outside the years
    /// on file. More than [`MAX_WORKING_DAYS`], or a count that runs past the
    /// last date chrono can hold, gives a message instead of a date.
    pub fn due(&self, start: NaiveDate, working_days: u32) -> Result<Due, Msg> {
        if working_days > MAX_WORKING_DAYS {
            return Err(msg!(
                "calendar.too_far",
                days = working_days,
                max = MAX_WORKING_DAYS
            ));
        }
        let mut date = start;
        let mut estimated = working_days == 0 && !self.knows(start);
        let mut left = working_days;
        while left > 0 {
            date = date.succ_opt().ok_or_else(|| {
                msg!(
                    "calendar.date_out_of_range",
                    start = start,
                    days = working_days
                )
            })?;
            let (working, known) = self.is_working_day(date);
            estimated |= !known;
            if working {
                left -= 1;
            }
        }
        Ok(Due { date, estimated })
    }

    /// The note to print beside an estimated due date (`None` when `due` is
    /// known), saying which side of the years on file was guessed.
    pub fn estimate_note(&self, start: NaiveDate, due: &Due) -> Option<Msg> {
        if !due.estimated {
            return None;
        }
        let (first, last) = (self.first_known_year()?, self.last_known_year()?);
        // The first day looked at: `start` itself only when nothing was counted.
        let first_day = match start.succ_opt() {
            Some(next) if due.date > start => next,
            _ => start,
        };
        let before = first_day.year() < first;
        let after = due.date.year() > last;
        Some(match (before, after) {
            (true, true) => msg!("calendar.estimated_outside", first = first, last = last),
            (true, false) => msg!("calendar.estimated_before", first = first),
            _ => msg!("calendar.estimated", last = last),
        })
    }

    /// The line `calendar check` prints when every file is fine.
    pub fn all_ok(&self) -> Msg {
        let first = self.first_known_year().unwrap_or_default();
        let last = self.last_known_year().unwrap_or_default();
        msg!("calendar.all_ok", first = first, last = last)
    }
}

/// The name of `d`'s day of the week, as a message (`calendar.weekday_1` is Monday).
pub fn weekday_msg(d: NaiveDate) -> Msg {
    match d.weekday() {
        Weekday::Mon => msg!("calendar.weekday_1"),
        Weekday::Tue => msg!("calendar.weekday_2"),
        Weekday::Wed => msg!("calendar.weekday_3"),
        Weekday::Thu => msg!("calendar.weekday_4"),
        Weekday::Fri => msg!("calendar.weekday_5"),
        Weekday::Sat => msg!("calendar.weekday_6"),
        Weekday::Sun => msg!("calendar.weekday_7"),
    }
}

/// The line stating a due date: "{from} 起 {days} 个工作日：{date}（{weekday}）".
/// `weekday` is [`weekday_msg`] of the due date, already rendered, since a
/// message argument is plain text.
pub fn due_line(start: NaiveDate, working_days: u32, due: &Due, weekday: &str) -> Msg {
    msg!(
        "calendar.due_line",
        from = start,
        days = working_days,
        date = due.date,
        weekday = weekday
    )
}

#[cfg(test)]
mod tests;
