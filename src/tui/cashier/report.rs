//! The day report on screen: per clerk what was taken, reversed and
//! handed back, the day's totals, refunds, and bar charts by method and by
//! clerk. ←/→ step through the days.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use chrono::NaiveDate;

use super::keys::ReportKey;
use super::Command;
use crate::desk::report::{DayReport, Figures};
use crate::domain::msg::Lang;
use crate::msg;
use crate::tui::text::{t, text};
use crate::tui::theme;

fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.width()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

fn figures(a: &str, b: &str, f: &Figures) -> Vec<String> {
    vec![
        a.to_string(),
        b.to_string(),
        f.payments.to_string(),
        f.amount.to_string(),
        f.reversed.to_string(),
        f.late_fees.to_string(),
        f.change.to_string(),
    ]
}

/// Lays rows out in columns as wide as their widest cell (by display
/// width: a Chinese character takes two), the figures right-aligned.
fn columns(rows: &[Vec<String>]) -> Vec<String> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(c, s)| pad(s, widths[c], c >= 2))
                .collect::<Vec<_>>()
                .join("   ")
                .trim_end()
                .to_string()
        })
        .collect()
}

/// Whole yuan for a bar's height; the exact amount is the bar's text.
fn bar(label: String, fen: i64, style: Style) -> Bar<'static> {
    Bar::default()
        .value(u64::try_from(fen / 100).unwrap_or(0))
        .label(Line::from(label))
        .text_value(crate::domain::money::Fen(fen).to_string())
        .style(style)
}

/// The day report of one day, ←/→ to the days around it.
pub(super) struct Report {
    pub(super) date: NaiveDate,
    pub(super) report: Option<DayReport>,
}

impl Report {
    pub(super) fn new(date: NaiveDate) -> Report {
        Report { date, report: None }
    }

    pub(super) fn key(&mut self, cmd: ReportKey) -> Option<Command> {
        let next = match cmd {
            ReportKey::Back => return Some(Command::ToBase),
            ReportKey::Next => self.date.succ_opt()?,
            ReportKey::Previous => self.date.pred_opt()?,
        };
        self.date = next;
        Some(Command::DayReport(next))
    }

    /// The report of the chosen day arrived.
    pub(super) fn found(&mut self, report: DayReport) {
        self.date = report.date;
        self.report = Some(report);
    }

    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let date = self.date.format("%Y-%m-%d").to_string();
        let Some(r) = self.report.as_ref().filter(|r| r.date == self.date) else {
            Paragraph::new(text(&msg!("report.title", date = date), lang)).render(area, buf);
            return;
        };
        let mut lines = vec![Line::from(Span::styled(
            text(&msg!("report.screen_title", date = date), lang),
            theme::title(),
        ))];
        if r.is_empty() {
            lines.push(Line::from(text(
                &msg!("report.no_payments", date = date),
                lang,
            )));
            Paragraph::new(lines).render(area, buf);
            return;
        }
        let mut rows = vec![vec![
            t("report.col_staff_no", lang),
            t("report.col_name", lang),
            t("report.col_payments", lang),
            t("report.col_amount", lang),
            t("report.col_reversed", lang),
            t("report.col_late_fees", lang),
            t("report.col_change", lang),
        ]];
        rows.extend(
            r.clerks
                .iter()
                .map(|c| figures(&c.staff_no, &c.name, &c.total)),
        );
        rows.push(figures(&t("report.grand_total", lang), "", &r.total));
        let laid = columns(&rows);
        let last = laid.len() - 1;
        for (i, l) in laid.into_iter().enumerate() {
            let style = match i {
                0 => theme::label(),
                i if i == last => theme::ok(),
                _ => Style::default(),
            };
            lines.push(Line::from(Span::styled(l, style)));
        }
        for m in r.after_the_close() {
            lines.push(Line::from(text(&m, lang)));
        }
        let table_height = (lines.len() as u16).min(area.height / 2);
        let [top, charts] =
            Layout::vertical([Constraint::Length(table_height + 1), Constraint::Min(0)])
                .areas(area);
        Paragraph::new(lines).render(top, buf);
        if charts.height < 6 {
            return;
        }
        let [by_method, by_clerk] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(charts);
        let method_bars: Vec<Bar> = r
            .methods
            .iter()
            .map(|m| {
                bar(
                    text(&m.method.label(), lang),
                    m.figures.amount.0,
                    theme::focus(),
                )
            })
            .collect();
        BarChart::default()
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(t("report.chart_title", lang)),
            )
            .bar_width(9)
            .bar_gap(2)
            .data(BarGroup::default().bars(&method_bars))
            .render(by_method, buf);
        let clerk_bars: Vec<Bar> = r
            .clerks
            .iter()
            .map(|c| bar(c.name.clone(), c.total.amount.0, theme::label()))
            .collect();
        BarChart::default()
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(t("report.clerk_chart_title", lang)),
            )
            .bar_width(9)
            .bar_gap(2)
            .data(BarGroup::default().bars(&clerk_bars))
            .render(by_clerk, buf);
    }
}
