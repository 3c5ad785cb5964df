//! Drawing the calling screen. Reads state only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Calling, Open};
use crate::domain::msg::Lang;
use crate::domain::queue::figures::{min_sec, Figures};
use crate::domain::queue::TicketState;
use crate::hall::wire::TicketView;
use crate::msg;
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;

fn state_name(s: TicketState, lang: Lang) -> String {
    t(
        match s {
            TicketState::Waiting => "calling.state_waiting",
            TicketState::Called => "calling.state_called",
            TicketState::Serving => "calling.state_serving",
            TicketState::Held => "calling.state_held",
            TicketState::Served => "calling.state_served",
            TicketState::NoShow => "calling.state_no_show",
        },
        lang,
    )
}

fn ticket_line(v: &TicketView, ctx: &Ctx) -> String {
    let waited = crate::store::stamp::parse_ts(&v.issued_at)
        .map(|at| (ctx.now - at).num_minutes().max(0))
        .unwrap_or(0);
    let mut s = text(
        &msg!(
            "calling.ticket_line",
            ticket = v.label,
            group = v.group_name,
            state = state_name(v.state, ctx.lang),
            minutes = waited
        ),
        ctx.lang,
    );
    if v.green {
        s.push_str(&t("calling.green_mark", ctx.lang));
    }
    s
}

pub(super) fn screen(s: &Calling, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let title = t("calling.title", lang);
    let inner = crate::tui::frame::titled_box(area, buf, &title, Style::default());
    let mut lines: Vec<Line> = Vec::new();
    match &s.queue {
        None => lines.push(Line::styled(t("queue.offline", lang), theme::warn())),
        Some(q) => {
            lines.push(Line::styled(
                text(
                    &msg!(
                        "calling.window_line",
                        window = q.window,
                        groups = q.groups.join(" ")
                    ),
                    lang,
                ),
                theme::dim(),
            ));
            match &q.current {
                Some(c) => lines.push(Line::styled(
                    text(&msg!("calling.current", line = ticket_line(c, ctx)), lang),
                    theme::focus(),
                )),
                None => lines.push(Line::from(t("calling.no_current", lang))),
            }
            lines.push(Line::from(""));
            let choices = s.choices();
            if choices.is_empty() {
                lines.push(Line::styled(t("calling.nobody", lang), theme::ok()));
            }
            let held = q.held.len();
            for (i, v) in choices.iter().enumerate() {
                if i == 0 && held > 0 {
                    lines.push(Line::styled(t("calling.held_head", lang), theme::dim()));
                }
                if i == held {
                    lines.push(Line::styled(t("calling.waiting_head", lang), theme::dim()));
                }
                let here = i == s.cursor;
                let style = if here {
                    theme::focus()
                } else if v.green {
                    theme::ok()
                } else {
                    Style::default()
                };
                lines.push(Line::from(vec![
                    Span::styled(if here { "▶ " } else { "  " }, theme::focus()),
                    Span::styled(ticket_line(v, ctx), style),
                ]));
            }
        }
    }
    if let Some((day, f)) = &s.figures {
        lines.push(Line::from(""));
        figure_lines(&mut lines, day, f, ctx);
    }
    let used = lines.len() as u16;
    Paragraph::new(lines).render(inner, buf);
    if let Some(open) = &s.open {
        let (form, head) = match open {
            Open::Transfer(f) => (f, "calling.transfer_head"),
            Open::OutOfOrder(f, _) => (f, "calling.out_of_order_head"),
        };
        crate::tui::form_screen::draw(form, head, inner, used, buf, lang);
    }
    notice::draw_bottom(s.notice.as_ref(), inner, buf, lang, 3);
}

fn figure_lines(lines: &mut Vec<Line>, day: &str, f: &Figures, ctx: &Ctx) {
    let lang = ctx.lang;
    lines.push(Line::styled(
        text(&msg!("calling.figures_head", day = day), lang),
        theme::focus(),
    ));
    let mut row = |name: String, l: &crate::domain::queue::figures::Line| {
        lines.push(Line::from(text(
            &msg!(
                "calling.figures_line",
                name = name,
                tickets = l.tickets,
                served = l.served,
                no_shows = l.no_shows,
                wait = min_sec(l.wait_p50),
                wait90 = min_sec(l.wait_p90),
                service = min_sec(l.service_p50),
                service90 = min_sec(l.service_p90)
            ),
            lang,
        )));
    };
    row(t("calling.figures_hall", lang), &f.hall);
    for (g, l) in &f.groups {
        let name = ctx
            .config
            .hall_service
            .group(g)
            .map(|x| format!("{g} {}", x.name))
            .unwrap_or_else(|| g.clone());
        row(name, l);
    }
    for (w, l) in &f.windows {
        row(text(&msg!("calling.figures_window", window = w), lang), l);
    }
}
