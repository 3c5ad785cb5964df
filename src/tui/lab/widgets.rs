//! Small pieces the lab's lists share: a titled list that says when it is
//! empty, and a skill's score rate as a coloured bar.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::domain::lab::Skill;
use crate::domain::msg::Lang;
use crate::tui::text::t;
use crate::tui::theme;

/// A bordered list under its title; `empty` is said when it has no lines.
/// The list scrolls so that the `selected` row stays in sight.
pub fn titled_list(
    mut lines: Vec<Line>,
    selected: Option<usize>,
    empty: &'static str,
    title: &'static str,
    area: Rect,
    buf: &mut Buffer,
    lang: Lang,
) {
    if lines.is_empty() {
        lines.push(Line::raw(t(empty, lang)));
    }
    let first = selected.map_or(0, |s| first_in_sight(s, area.height.saturating_sub(2)));
    Paragraph::new(lines)
        .scroll((first, 0))
        .block(Block::default().borders(Borders::ALL).title(t(title, lang)))
        .render(area, buf);
}

/// The first row to show of a list `rows_shown` high so that row
/// `selected` is in sight.
pub fn first_in_sight(selected: usize, rows_shown: u16) -> u16 {
    let rows = usize::from(rows_shown.max(1));
    u16::try_from((selected + 1).saturating_sub(rows)).unwrap_or(u16::MAX)
}

/// Points as a whole percentage (0 when nothing was possible).
pub fn percent(got: i64, max: i64) -> i64 {
    if max > 0 {
        got * 100 / max
    } else {
        0
    }
}

/// One skill as a bar: red under 60 %, amber under 80 %, green above.
pub fn skill_bar(skill: &str, got: i64, max: i64, lang: Lang) -> Line<'static> {
    let pct = percent(got, max);
    let name = Skill::from_code(skill)
        .map(|k| t(k.label_key(), lang))
        .unwrap_or_else(|| skill.to_string());
    let bar = "█".repeat((pct / 5) as usize);
    let style = if pct < 60 {
        theme::error()
    } else if pct < 80 {
        theme::warn()
    } else {
        theme::ok()
    };
    // Padded by display width: bars line up under names of any script.
    Line::from(vec![
        Span::raw(format!("  {} ", crate::tui::wrap::cell(&name, 12))),
        Span::styled(format!("{bar:<20}"), style),
        Span::raw(format!(" {pct:>3}%  ({got}/{max})")),
    ])
}
