//! The frame around every screen: the header (hall, window, clerk, clock),
//! the status line, the bottom bar of the keys that work right now, and
//! the titled box a screen or popup draws itself in.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use crate::desk::Session;
use crate::domain::msg::{Lang, Notice};
use crate::msg;
use crate::tui::keymap::{self, Hint, Keys};
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;

/// Draws a box titled `title` with a border in `border`, and returns its
/// inside with a column of padding on each side.
pub fn titled_box(area: Rect, buf: &mut Buffer, title: &str, border: Style) -> Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(format!(" {title} "), theme::title()));
    let inner = block.inner(area);
    block.render(area, buf);
    Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// Draws the header: hall, window and clerk on the left, the clock right.
pub fn header(area: Rect, buf: &mut Buffer, ctx: &Ctx, session: Option<&Session>) {
    let style = if ctx.practice {
        theme::practice()
    } else {
        theme::bar()
    };
    buf.set_style(area, style);
    let lang = ctx.lang;
    let hall = match lang {
        Lang::Zh => &ctx.config.hall.name,
        Lang::En => &ctx.config.hall.name_en,
    };
    let (who, role) = match session {
        Some(s) => (
            format!("{} {}", s.staff_no(), s.name()),
            format!(" ({})", text(&s.role().name(), lang)),
        ),
        None => (t("header.nobody", lang), String::new()),
    };
    let local = ctx.now.with_timezone(&chrono::Local);
    let window = text(
        &msg!("header.window", window = ctx.config.hall.window),
        lang,
    );
    // On every practice screen, so nobody mistakes it for the real counter.
    let banner = if ctx.practice {
        format!(" {} │", t("lab.banner", lang))
    } else {
        String::new()
    };
    let clock = format!(" {} ", local.format("%Y-%m-%d %H:%M"));
    let link = link_summary(ctx, false);
    let (backup, stale) = backup_summary(ctx).unwrap_or_default();
    let with_link = match (link.is_empty(), backup.is_empty()) {
        (true, true) => clock.clone(),
        (true, false) => format!(" {backup} │{clock}"),
        (false, true) => format!(" {link} │{clock}"),
        (false, false) => format!(" {backup} │ {link} │{clock}"),
    };
    // Narrow (the lab's exercise beside its panel): the least needed parts
    // go first — the role, the hall's name, then the link — never half a word.
    let fits = |l: &str, r: &str| l.width() + r.width() <= area.width as usize;
    let service = service_summary(ctx);
    let with_service = |r: &str| {
        if service.is_empty() {
            r.to_string()
        } else {
            format!(" {service} │{r}")
        }
    };
    let choices = [
        (
            format!("{banner} {hall} │ {window} │ {who}{role}"),
            with_service(&with_link),
        ),
        (
            format!("{banner} {window} │ {who}"),
            with_service(&with_link),
        ),
        (format!("{banner} {who}"), with_service(&clock)),
        (
            format!("{banner} {hall} │ {window} │ {who}{role}"),
            with_link.clone(),
        ),
        (
            format!("{banner} {hall} │ {window} │ {who}"),
            with_link.clone(),
        ),
        (format!("{banner} {window} │ {who}"), with_link.clone()),
        (format!("{banner} {window} │ {who}"), clock.clone()),
        (format!("{banner} {who}"), clock.clone()),
    ];
    let (left, right) = choices
        .iter()
        .find(|(l, r)| fits(l, r))
        .cloned()
        .unwrap_or_else(|| choices[choices.len() - 1].clone());
    let w = right.width() as u16;
    // The clock keeps its place; a long hall name is cut instead.
    Paragraph::new(Line::from(left)).style(style).render(
        Rect {
            width: area.width.saturating_sub(w),
            ..area
        },
        buf,
    );
    if area.width > w {
        // A backup older than a day stands out in red, wherever it sits.
        let backup_part = format!(" {backup} ");
        let right = match right.find(&backup_part) {
            Some(at) if stale && !backup.is_empty() => Line::from(vec![
                Span::raw(right[..at].to_string()),
                Span::styled(backup_part.clone(), theme::bar_alarm()),
                Span::raw(right[at + backup_part.len()..].to_string()),
            ]),
            _ => Line::from(right),
        };
        Paragraph::new(right).style(style).render(
            Rect {
                x: area.right() - w,
                width: w,
                ..area
            },
            buf,
        );
    }
}

/// The service at the window in a few words: how long the customer has
/// been served, and whether their rating is awaited — never its level.
pub fn service_summary(ctx: &Ctx) -> String {
    use crate::desk::ratings::ClerkSees;
    let lang = ctx.lang;
    let mut parts = Vec::new();
    if let Some(q) = &ctx.service.queue {
        use crate::desk::calling::QueueState;
        parts.push(match (q.state, &q.ticket) {
            (QueueState::Online, Some(ticket)) => {
                text(&msg!("header.queue_ticket", ticket = ticket), lang)
            }
            (QueueState::Online, None) => t("header.queue_online", lang),
            (QueueState::Offline, _) => t("header.queue_offline", lang),
            (QueueState::Refused, _) => t("header.queue_refused", lang),
        });
    }
    if let Some(e) = ctx.service.elapsed {
        let secs = e.num_seconds().max(0);
        let time = if secs >= 3600 {
            format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
        } else {
            format!("{:02}:{:02}", secs / 60, secs % 60)
        };
        parts.push(text(&msg!("rating.elapsed", time = time), lang));
    }
    if let Some(seen) = ctx.service.rating {
        parts.push(t(
            match seen {
                ClerkSees::Waiting => "rating.waiting",
                ClerkSees::Rated => "rating.rated",
                ClerkSees::NotRated => "rating.not_rated",
            },
            lang,
        ));
    }
    parts.join(" · ")
}

/// The last good backup in a few words, and whether it is stale (more
/// than a day old, none at all, or the last attempt failed). `None` when
/// no backup thread runs (the practice lab, tests).
pub fn backup_summary(ctx: &Ctx) -> Option<(String, bool)> {
    use crate::domain::backup::{age as backup_age, Age};
    let b = ctx.backup.as_ref()?;
    let lang = ctx.lang;
    if b.running {
        return Some((t("header.backup_running", lang), false));
    }
    if b.failed.is_some() {
        return Some((t("header.backup_failed", lang), true));
    }
    let now = ctx.now.with_timezone(&chrono::Local).naive_local();
    let (m, stale) = match backup_age(b.last_good, now) {
        Age::Never => (msg!("header.backup_never"), true),
        Age::Fresh(min) => (msg!("header.backup_age", age = age(min, lang)), false),
        Age::Stale(min) => (msg!("header.backup_age", age = age(min, lang)), true),
    };
    Some((text(&m, lang), stale))
}

/// The link to HQ in a few words: state, records waiting, age of the
/// oldest, last success (`long` adds the counts HQ holds back). Empty when
/// no uploader runs.
pub fn link_summary(ctx: &Ctx, long: bool) -> String {
    use crate::sync::worker::HqState;
    let Some(l) = &ctx.link else {
        return String::new();
    };
    let lang = ctx.lang;
    let state = t(
        match l.state {
            HqState::Off => "header.hq_off",
            HqState::Starting => "header.hq_starting",
            HqState::Online => "header.hq_online",
            HqState::Offline => "header.hq_offline",
            HqState::Alarm => "header.hq_alarm",
        },
        lang,
    );
    let mut s = text(&msg!("header.hq", state = state, waiting = l.waiting), lang);
    if let Some(oldest) = l.oldest_waiting_at {
        let minutes = (ctx.now - oldest).num_minutes().max(0);
        s.push_str(&text(
            &msg!("header.hq_oldest", age = age(minutes, lang)),
            lang,
        ));
    }
    if let Some(ok) = l.last_success {
        let at = ok.with_timezone(&chrono::Local).format("%H:%M").to_string();
        s.push_str(&text(&msg!("header.hq_last", at = at), lang));
    }
    if long || l.quarantined + l.forked > 0 {
        let held = msg!(
            "header.hq_held",
            quarantined = l.quarantined,
            forked = l.forked
        );
        s.push_str(&text(&held, lang));
    }
    s
}

fn age(minutes: i64, lang: Lang) -> String {
    match (minutes, lang) {
        (m, Lang::Zh) if m < 60 => format!("{m}分钟"),
        (m, Lang::Zh) if m < 48 * 60 => format!("{}小时", m / 60),
        (m, Lang::Zh) => format!("{}天", m / (24 * 60)),
        (m, Lang::En) if m < 60 => format!("{m} min"),
        (m, Lang::En) if m < 48 * 60 => format!("{} h", m / 60),
        (m, Lang::En) => format!("{} d", m / (24 * 60)),
    }
}

/// Rows the status line takes: one, or up to three when a long message wraps.
pub fn status_rows(n: Option<&Notice>, width: u16, lang: Lang) -> u16 {
    n.map(|n| notice::lines(n, width, lang, 3).len() as u16)
        .unwrap_or(1)
        .max(1)
}

/// Draws the status line.
pub fn status(n: Option<&Notice>, area: Rect, buf: &mut Buffer, lang: Lang) {
    notice::draw_top(n, area, buf, lang, area.height as usize);
}

/// The bottom bar as lines: every key of the screen that works right now,
/// then the keys that work everywhere (only quitting while a popup has the
/// keys). A bar too long for one row takes a second.
pub fn bar_lines(keys: &Keys, globals: &[Hint], width: u16, lang: Lang) -> Vec<Line<'static>> {
    let globals = globals
        .iter()
        .filter(|g| g.active && (!keys.modal || g.desc == "key.quit"));
    let items: Vec<(String, String)> = keys
        .hints
        .iter()
        .filter(|h| h.active)
        .chain(globals)
        .map(|h| (keymap::short_label(h.keys), bar_desc(h.desc, lang)))
        .collect();
    let width = width as usize;
    let mut lines: Vec<Vec<Span<'static>>> = vec![vec![Span::raw(" ")]];
    let mut used = 1;
    for (key, desc) in items {
        let desc = format!(" {desc}  ");
        let w = key.width() + desc.width();
        if used + w > width && used > 1 && lines.len() < 2 {
            lines.push(vec![Span::raw(" ")]);
            used = 1;
        }
        if let Some(line) = lines.last_mut() {
            line.push(Span::styled(key, theme::bar_key()));
            line.push(Span::styled(desc, theme::bar()));
        }
        used += w;
    }
    lines.into_iter().map(Line::from).collect()
}

/// What a key does, as the bar says it: the short form when the help's
/// description is long (`key.split_bar` beside `key.split`).
fn bar_desc(desc: &'static str, lang: Lang) -> String {
    let short = format!("{desc}_bar");
    match crate::i18n::catalog().template(&short, lang) {
        Some(text) => text.to_string(),
        None => t(desc, lang),
    }
}

/// Draws the bar's lines.
pub fn bar(lines: Vec<Line<'static>>, area: Rect, buf: &mut Buffer) {
    buf.set_style(area, theme::bar());
    Paragraph::new(lines).style(theme::bar()).render(area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::window::ServiceLine;
    use crate::desk::BackupStatus;
    use chrono::TimeZone;

    fn summary(status: Option<BackupStatus>, lang: Lang) -> Option<(String, bool)> {
        let config = crate::config::Config::default();
        let now = chrono::Local
            .with_ymd_and_hms(2026, 12, 7, 15, 0, 0)
            .single()
            .expect("time")
            .with_timezone(&chrono::Utc);
        let ctx = Ctx {
            lang,
            config: &config,
            forms: &[],
            now,
            link: None,
            practice: false,
            service: ServiceLine {
                elapsed: None,
                rating: None,
                queue: None,
            },
            backup: status,
        };
        backup_summary(&ctx)
    }

    fn at(d: u32, h: u32) -> Option<chrono::NaiveDateTime> {
        chrono::NaiveDate::from_ymd_opt(2026, 12, d)?.and_hms_opt(h, 0, 0)
    }

    #[test]
    fn the_backup_turns_red_past_a_day_never_taken_or_failed() {
        assert_eq!(
            summary(None, Lang::Zh),
            None,
            "no backup thread, nothing said"
        );
        let fresh = BackupStatus {
            last_good: at(7, 12),
            ..BackupStatus::default()
        };
        assert_eq!(
            summary(Some(fresh.clone()), Lang::Zh),
            Some(("备份:3小时前".into(), false))
        );
        assert_eq!(
            summary(Some(fresh.clone()), Lang::En),
            Some(("Backup: 3 h ago".into(), false))
        );
        let old = BackupStatus {
            last_good: at(5, 12),
            ..BackupStatus::default()
        };
        assert_eq!(
            summary(Some(old), Lang::Zh),
            Some(("备份:2天前".into(), true))
        );
        assert_eq!(
            summary(Some(BackupStatus::default()), Lang::Zh),
            Some(("备份:从未".into(), true))
        );
        let failed = BackupStatus {
            failed: Some(crate::msg!("backup.disk_full", path = "/mnt/usb")),
            ..fresh
        };
        assert_eq!(
            summary(Some(failed), Lang::Zh),
            Some(("备份失败".into(), true))
        );
    }
}
