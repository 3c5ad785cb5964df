//! Colours and styles in one place.

use ratatui::style::{Color, Modifier, Style};

pub fn label() -> Style {
    Style::default().fg(Color::Gray)
}

/// The focused field's label.
pub fn focus() -> Style {
    Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

/// Input boxes.
pub fn input(focused: bool) -> Style {
    if focused {
        Style::default().bg(Color::DarkGray).fg(Color::White)
    } else {
        Style::default().bg(Color::Black).fg(Color::White)
    }
}

pub fn error() -> Style {
    Style::default()
        .fg(Color::LightRed)
        .add_modifier(Modifier::BOLD)
}

/// Warnings (suspicious IDs, overdue items).
pub fn warn() -> Style {
    Style::default().fg(Color::Yellow)
}

/// Good news.
pub fn ok() -> Style {
    Style::default().fg(Color::LightGreen)
}

/// Titles and headings.
pub fn title() -> Style {
    Style::default()
        .fg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}

/// The header and bottom bars.
pub fn bar() -> Style {
    Style::default().bg(Color::Blue).fg(Color::White)
}

/// A part of the header that needs someone to look (no backup for a day).
pub fn bar_alarm() -> Style {
    Style::default()
        .bg(Color::Red)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}

/// Key names in the bottom bar.
pub fn bar_key() -> Style {
    Style::default()
        .bg(Color::Blue)
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

/// Customer flags.
pub fn flag() -> Style {
    Style::default().bg(Color::Magenta).fg(Color::White)
}

/// Secondary text.
pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

/// The header of a practice sandbox: unmistakably not the real counter.
pub fn practice() -> Style {
    Style::default()
        .bg(Color::Red)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}
