//! Drawing the ratings screen. Reads state only. The level of a poor
//! rating is shown to the duty manager, who handles it; the clerk's appeal
//! form shows none.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Open, Ratings};
use crate::domain::msg::Lang;
use crate::domain::rating::Service;
use crate::msg;
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;

fn service_name(s: Service, lang: Lang) -> String {
    t(
        match s {
            Service::Acceptance => "ratings.service_acceptance",
            Service::Payment => "ratings.service_payment",
            Service::Refund => "ratings.service_refund",
            Service::Consultation => "ratings.service_consultation",
            Service::Complaint => "ratings.service_complaint",
        },
        lang,
    )
}

pub(super) fn screen(s: &Ratings, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let title = t("ratings.title", lang);
    let inner = crate::tui::frame::titled_box(area, buf, &title, Style::default());
    let mut lines: Vec<Line> = Vec::new();
    if s.manages() {
        let url = match &s.display_url {
            Some(u) => text(&msg!("ratings.display_at", url = u), lang),
            None => t("display.off", lang),
        };
        lines.push(Line::styled(url, theme::dim()));
        lines.push(Line::from(""));
        if s.cases.is_empty() {
            lines.push(Line::styled(t("ratings.none_open", lang), theme::ok()));
        }
        for (i, c) in s.cases.iter().enumerate() {
            let here = i == s.cursor;
            let reasons: Vec<&str> = c
                .reasons
                .iter()
                .map(|r| match lang {
                    Lang::Zh => r.zh(),
                    Lang::En => r.en(),
                })
                .collect();
            let m = msg!(
                "ratings.case_line",
                reference = c.reference,
                service = service_name(c.service, lang),
                clerk = c.clerk_name,
                level = match lang {
                    Lang::Zh => c.level.zh(),
                    Lang::En => c.level.en(),
                },
                reasons = if reasons.is_empty() {
                    "—".to_string()
                } else {
                    reasons.join("、")
                },
                visit = c.visit_due,
                fix = c.rectify_due
            );
            let mut line = text(&m, lang);
            if c.appealed {
                line.push_str(&t("ratings.appealed_mark", lang));
            }
            let overdue = c.visit_due < ctx.now.with_timezone(&chrono::Local).date_naive();
            let style = match (here, overdue) {
                (true, _) => theme::focus(),
                (false, true) => theme::warn(),
                _ => Style::default(),
            };
            lines.push(Line::from(vec![
                Span::styled(if here { "▶ " } else { "  " }, theme::focus()),
                Span::styled(line, style),
            ]));
        }
    } else {
        lines.push(Line::styled(
            t("ratings.appeal_explain", lang),
            theme::dim(),
        ));
    }
    let used = lines.len() as u16;
    Paragraph::new(lines)
        .wrap(ratatui::widgets::Wrap { trim: false })
        .render(inner, buf);
    if let Some(open) = &s.open {
        let (form, head) = match open {
            Open::Visit(f) => (f, "ratings.visit_head"),
            Open::Decide(f) => (f, "ratings.decide_head"),
            Open::Appeal(f) => (f, "ratings.appeal_head"),
        };
        crate::tui::form_screen::draw(form, head, inner, used, buf, lang);
    }
    notice::draw_bottom(s.notice.as_ref(), inner, buf, lang, 3);
}
