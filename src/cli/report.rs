//! `counterdesk report day DATE [--csv]`: the day report across clerks, by
//! method, as a table for people or CSV for programs.

use clap::Subcommand;
use unicode_width::UnicodeWidthStr;

use crate::config::Config;
use crate::desk::report::{DayReport, Figures};
use crate::domain::field_value;
use crate::domain::msg::Lang;
use crate::i18n::{t, text};
use crate::load::startup;
use crate::msg;

use super::{say_err, EXIT_BAD_INPUT, EXIT_FAILED};

/// The day's money and business, as the duty manager reads them.
#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Payments of one day per clerk and method: count, amount, reversed,
    /// late fees, change. Exit 0, 2 on a bad date, 3 if it could not run.
    Day {
        /// The day, e.g. 2026-11-24 (the hall's local day).
        date: String,
        /// CSV (UTF-8, no BOM) with a header row, one row per clerk and method.
        #[arg(long)]
        csv: bool,
    },
    /// The day's ratings per clerk: transactions asked, rated, rating rate,
    /// satisfaction (an upheld appeal left out), poor ratings, handling time
    /// against the norms, and the poor-rating cases still open.
    Ratings {
        /// The day, e.g. 2026-11-24 (the hall's local day).
        date: String,
    },
}

/// The stable CSV header; programs read these names.
pub const CSV_HEADER: &str = "date,staff_no,name,method,payments,amount,reversed,late_fees,change";

/// Runs a report command; returns the exit code.
pub fn run(config: &Config, command: &ReportCommand) -> u8 {
    match command {
        ReportCommand::Day { date, csv } => day(config, date, *csv),
        ReportCommand::Ratings { date } => ratings(config, date),
    }
}

/// The day asked for and the desk opened read-only, or the exit code
/// (the reason said).
fn day_and_desk(config: &Config, date: &str) -> Result<(chrono::NaiveDate, crate::desk::Desk), u8> {
    let lang = config.language;
    let date = field_value::date(date.trim()).map_err(|m| {
        say_err(&m, lang);
        EXIT_BAD_INPUT
    })?;
    let desk = startup::open_desk_for_reading(config).map_err(|e| {
        err!("{}", e.render(lang));
        EXIT_FAILED
    })?;
    Ok((date, desk))
}

fn day(config: &Config, date: &str, csv: bool) -> u8 {
    let lang = config.language;
    let (date, desk) = match day_and_desk(config, date) {
        Ok(v) => v,
        Err(code) => return code,
    };
    match desk.day_report(date) {
        Ok(report) => {
            if csv {
                match to_csv(&report) {
                    Ok(text) => out_raw!("{text}"),
                    Err(detail) => {
                        say_err(&msg!("report.csv_failed", detail = detail), lang);
                        return EXIT_FAILED;
                    }
                }
            } else {
                out_raw!("{}", to_table(&report, lang));
            }
            0
        }
        Err(e) => {
            say_err(e.msg(), lang);
            EXIT_FAILED
        }
    }
}

fn ratings(config: &Config, date: &str) -> u8 {
    use crate::domain::rating::percent;
    let lang = config.language;
    let (date, desk) = match day_and_desk(config, date) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let report = match desk.rating_report(date) {
        Ok(r) => r,
        Err(e) => {
            say_err(e.msg(), lang);
            return EXIT_FAILED;
        }
    };
    out!("{}", text(&msg!("report.ratings_head", date = date), lang));
    let line = |who: &str, f: &crate::domain::rating::Figures, over: u32, mean: i64| {
        text(
            &msg!(
                "report.ratings_line",
                who = who,
                asked = f.rateable,
                rated = f.rated,
                rate = percent(f.rating_rate_permille()),
                satisfaction = percent(f.satisfaction_permille()),
                poor = f.poor,
                upheld = f.appeal_upheld,
                over = over,
                mean = format!("{}:{:02}", mean / 60, mean % 60)
            ),
            lang,
        )
    };
    for (name, f, over, mean) in &report.clerks {
        out!("{}", line(name, f, *over, *mean));
    }
    let over: u32 = report.clerks.iter().map(|c| c.2).sum();
    let n: u32 = report.clerks.iter().map(|c| c.1.rateable).sum();
    let mean = if n > 0 {
        report
            .clerks
            .iter()
            .map(|c| c.3 * i64::from(c.1.rateable))
            .sum::<i64>()
            / i64::from(n)
    } else {
        0
    };
    out!(
        "{}",
        line(&t("report.ratings_hall", lang), &report.hall, over, mean)
    );
    out!(
        "{}",
        text(&msg!("report.ratings_open", n = report.open_cases), lang)
    );
    0
}

/// Header, then one row per clerk and method; amounts in plain yuan.
pub fn to_csv(report: &DayReport) -> Result<String, String> {
    // Quoting only where a cell needs it (RFC 4180), so plain values stay
    // plain for simple readers; LF line ends, UTF-8 without a byte-order mark.
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let date = report.date.format("%Y-%m-%d").to_string();
    let header: Vec<&str> = CSV_HEADER.split(',').collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for clerk in &report.clerks {
        for m in &clerk.methods {
            let f = &m.figures;
            rows.push(vec![
                date.clone(),
                clerk.staff_no.clone(),
                clerk.name.clone(),
                m.method.code().to_string(),
                f.payments.to_string(),
                f.amount.plain(),
                f.reversed.to_string(),
                f.late_fees.plain(),
                f.change.plain(),
            ]);
        }
    }
    w.write_record(&header)
        .and_then(|_| rows.iter().try_for_each(|r| w.write_record(r)))
        .map_err(|e| e.to_string())?;
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A cell: text is aligned left, numbers right.
enum Cell {
    Text(String),
    Num(String),
}

fn figures(f: &Figures) -> [Cell; 5] {
    [
        Cell::Num(f.payments.to_string()),
        Cell::Num(f.amount.to_string()),
        Cell::Num(f.reversed.to_string()),
        Cell::Num(f.late_fees.to_string()),
        Cell::Num(f.change.to_string()),
    ]
}

/// The readable table in the clerk's language: per clerk one line per
/// method and a subtotal, then the totals per method and the day's total.
pub fn to_table(report: &DayReport, lang: Lang) -> String {
    let date = report.date.format("%Y-%m-%d").to_string();
    let mut out = text(&msg!("report.title", date = date), lang);
    out.push('\n');
    if report.is_empty() {
        out.push_str(&text(&msg!("report.no_payments", date = date), lang));
        out.push('\n');
        return out;
    }
    // Written out with `t(` so the catalogue test sees every key.
    let head = [
        t("report.col_staff_no", lang),
        t("report.col_name", lang),
        t("report.col_method", lang),
        t("report.col_payments", lang),
        t("report.col_amount", lang),
        t("report.col_reversed", lang),
        t("report.col_late_fees", lang),
        t("report.col_change", lang),
    ];
    let mut rows: Vec<Vec<Cell>> = vec![head
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            if i < 3 {
                Cell::Text(label)
            } else {
                Cell::Num(label)
            }
        })
        .collect()];
    let line = |a: String, b: String, c: String, f: &Figures| {
        let mut row = vec![Cell::Text(a), Cell::Text(b), Cell::Text(c)];
        row.extend(figures(f));
        row
    };
    for clerk in &report.clerks {
        for (i, m) in clerk.methods.iter().enumerate() {
            let (staff, name) = if i == 0 {
                (clerk.staff_no.clone(), clerk.name.clone())
            } else {
                (String::new(), String::new())
            };
            rows.push(line(staff, name, text(&m.method.label(), lang), &m.figures));
        }
        rows.push(line(
            String::new(),
            String::new(),
            t("report.subtotal", lang),
            &clerk.total,
        ));
    }
    for (i, m) in report.methods.iter().enumerate() {
        let label = if i == 0 {
            t("report.method_total", lang)
        } else {
            String::new()
        };
        rows.push(line(
            label,
            String::new(),
            text(&m.method.label(), lang),
            &m.figures,
        ));
    }
    rows.push(line(
        t("report.grand_total", lang),
        String::new(),
        String::new(),
        &report.total,
    ));
    out.push_str(&layout(&rows));
    for line in report.after_the_close() {
        out.push_str(&text(&line, lang));
        out.push('\n');
    }
    out.push_str(&t("report.note", lang));
    out.push('\n');
    out
}

/// Pads every column to its widest cell, by display width (a Chinese
/// character takes two columns), two spaces apart, no trailing spaces.
fn layout(rows: &[Vec<Cell>]) -> String {
    let width = |c: &Cell| match c {
        Cell::Text(s) | Cell::Num(s) => s.width(),
    };
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(width)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_sub(width(cell));
            if i > 0 {
                line.push_str("  ");
            }
            match cell {
                Cell::Text(s) => {
                    line.push_str(s);
                    line.push_str(&" ".repeat(pad));
                }
                Cell::Num(s) => {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(s);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
