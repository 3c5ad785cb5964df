//! One year file of the holiday calendar, as written and as checked: every
//! problem with its line, or the year's table.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use toml::Spanned;

use super::{is_weekend, Holiday, Source, Workday, YearTable, MAX_HOLIDAY_DAYS, YEARS};
use crate::domain::form::Text;
use crate::domain::msg::Msg;
use crate::domain::problem::{deserialize_all, line_at, top_key_line, FileKind, Problem};
use crate::msg;

/// The whole file. Dates are taken as any TOML value so that a quoted date
/// ("2026-01-01"), the commonest slip, becomes a problem with its line
/// instead of a bare serde error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: Spanned<i64>,
    source: RawSource,
    #[serde(default)]
    holidays: Vec<Spanned<RawHoliday>>,
    #[serde(default)]
    workdays: Vec<Spanned<RawWorkday>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: Spanned<String>,
    published: Spanned<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: Spanned<Text>,
    from: Spanned<toml::Value>,
    to: Spanned<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkday {
    date: Spanned<toml::Value>,
    name: Spanned<Text>,
}

/// Parses and checks one year file. `file_name` is used in problems and its
/// stem must be the year (`2026.toml` holds `year = 2026`). Every problem
/// found is returned, each with its line, sorted by line: every schema
/// problem of the file, or, when the schema holds, every check.
pub fn parse_year(file_name: &str, text: &str) -> Result<YearTable, Vec<Problem>> {
    // Windows editors may save UTF-8 with a byte-order mark; it is not content.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = deserialize_all::<RawYear>(FileKind::Calendar, file_name, text)?;
    let mut c = Checker {
        file: file_name,
        text,
        problems: Vec::new(),
        seen: BTreeMap::new(),
    };
    let table = c.check(raw);
    match table {
        Some(table) if c.problems.is_empty() => Ok(table),
        _ => {
            // File order is the order an administrator fixes them in.
            let mut problems = c.problems;
            problems.sort_by_key(|p| p.line);
            Err(problems)
        }
    }
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    problems: Vec<Problem>,
    /// Every date given so far, with the line that gave it, to catch repeats.
    seen: BTreeMap<NaiveDate, usize>,
}

impl Checker<'_> {
    fn push(&mut self, line: usize, msg: Msg) {
        self.problems.push(Problem::new(self.file, Some(line), msg));
    }

    fn line(&self, offset: usize) -> usize {
        line_at(self.text.as_bytes(), offset)
    }

    /// Runs every check; `None` when a value is unusable (the problem is recorded).
    fn check(&mut self, raw: RawYear) -> Option<YearTable> {
        let year_line = self.line(raw.year.span().start);
        let year = self.year(&raw.year, year_line);
        let source = self.source(&raw.source);
        if raw.holidays.is_empty() {
            let line = top_key_line(self.text, "holidays").unwrap_or(year_line);
            self.push(
                line,
                msg!("calendar.no_holidays", year = raw.year.get_ref()),
            );
        }
        let mut holidays = Vec::new();
        for h in &raw.holidays {
            if let Some(h) = self.holiday(h, year) {
                holidays.push(h);
            }
        }
        let mut workdays = Vec::new();
        for w in &raw.workdays {
            if let Some(w) = self.workday(w, year) {
                workdays.push(w);
            }
        }
        Some(YearTable {
            year: year?,
            source: source?,
            holidays,
            workdays,
            file: self.file.to_string(),
            year_line,
        })
    }

    /// The year, if sensible and equal to the file's stem. `None` when it is
    /// out of range: no date check against it would mean anything.
    fn year(&mut self, year: &Spanned<i64>, line: usize) -> Option<i32> {
        let value = *year.get_ref();
        let Some(y) = i32::try_from(value).ok().filter(|_| YEARS.contains(&value)) else {
            self.push(line, msg!("calendar.year_out_of_range", year = value));
            return None;
        };
        let stem = file_stem(self.file);
        match stem.parse::<i32>() {
            Ok(s) if s == y => {}
            Ok(_) => self.push(line, msg!("calendar.year_not_stem", year = y, stem = stem)),
            Err(_) => self.push(line, msg!("calendar.bad_file_name", stem = stem, year = y)),
        }
        Some(y)
    }

    fn source(&mut self, s: &RawSource) -> Option<Source> {
        if s.title.get_ref().trim().is_empty() {
            let line = self.line(s.title.span().start);
            self.push(line, msg!("calendar.source_empty"));
        }
        let published = self.date(&s.published, "published")?;
        Some(Source {
            title: s.title.get_ref().trim().to_string(),
            published,
        })
    }

    /// A plain TOML date (no time, no quotes), or a problem on its line.
    fn date(&mut self, v: &Spanned<toml::Value>, key: &str) -> Option<NaiveDate> {
        let date = match v.get_ref() {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                }
                _ => None,
            },
            _ => None,
        };
        if date.is_none() {
            let line = self.line(v.span().start);
            let value = match v.get_ref() {
                // A quoted date keeps its quotes here: they are what is wrong.
                toml::Value::String(s) => format!("\"{s}\""),
                other => other.to_string(),
            };
            self.push(line, msg!("calendar.not_date", key = key, value = value));
        }
        date
    }

    /// A date of the file's year, or a problem on its line.
    fn in_year(
        &mut self,
        v: &Spanned<toml::Value>,
        key: &str,
        year: Option<i32>,
    ) -> Option<NaiveDate> {
        let d = self.date(v, key)?;
        if let Some(y) = year {
            if d.year() != y {
                let line = self.line(v.span().start);
                self.push(line, msg!("calendar.outside_year", date = d, year = y));
                return None;
            }
        }
        Some(d)
    }

    fn name(&mut self, name: &Spanned<Text>) {
        let line = self.line(name.span().start);
        if name.get_ref().zh.trim().is_empty() {
            self.push(line, msg!("calendar.empty_zh"));
        }
        if name.get_ref().en.trim().is_empty() {
            self.push(line, msg!("calendar.empty_en"));
        }
    }

    /// Records `d` as given on `line`, or reports it as given before.
    fn claim(&mut self, d: NaiveDate, line: usize) {
        match self.seen.get(&d) {
            Some(&first_line) => {
                let m = msg!("calendar.date_twice", date = d, first_line = first_line);
                self.push(line, m);
            }
            None => {
                self.seen.insert(d, line);
            }
        }
    }

    fn holiday(&mut self, item: &Spanned<RawHoliday>, year: Option<i32>) -> Option<Holiday> {
        let h = item.get_ref();
        self.name(&h.name);
        let from = self.in_year(&h.from, "from", year);
        let to = self.in_year(&h.to, "to", year);
        let (from, to) = (from?, to?);
        let to_line = self.line(h.to.span().start);
        if from > to {
            self.push(
                to_line,
                msg!("calendar.from_after_to", from = from, to = to),
            );
            return None;
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_HOLIDAY_DAYS {
            let m = msg!(
                "calendar.holiday_too_long",
                from = from,
                to = to,
                days = days,
                max = MAX_HOLIDAY_DAYS
            );
            self.push(to_line, m);
            return None;
        }
        // Every day is claimed, so that a make-up day later in the file is
        // still caught inside the range; but one report per holiday is enough
        // to find an overlap, the rest would repeat it day by day.
        let from_line = self.line(h.from.span().start);
        let mut reported = false;
        for d in from.iter_days().take_while(|d| *d <= to) {
            match self.seen.get(&d) {
                Some(&first_line) if !reported => {
                    reported = true;
                    let m = msg!("calendar.date_twice", date = d, first_line = first_line);
                    self.push(from_line, m);
                }
                Some(_) => {}
                None => {
                    self.seen.insert(d, from_line);
                }
            }
        }
        Some(Holiday {
            name: h.name.get_ref().clone(),
            from,
            to,
        })
    }

    fn workday(&mut self, item: &Spanned<RawWorkday>, year: Option<i32>) -> Option<Workday> {
        let w = item.get_ref();
        self.name(&w.name);
        let date = self.in_year(&w.date, "date", year)?;
        let line = self.line(w.date.span().start);
        // A weekday is a working day anyway: listing one means the date was
        // mistyped, and the real make-up Saturday would be missed.
        if !is_weekend(date) {
            self.push(line, msg!("calendar.not_weekend", date = date));
        }
        self.claim(date, line);
        Some(Workday {
            date,
            name: w.name.get_ref().clone(),
        })
    }
}

/// The file's name without directories and without `.toml`.
pub(super) fn file_stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.strip_suffix(".toml").unwrap_or(name)
}
