//! Drawing the set-up form: the fields one under the other, the printers
//! found, what the last key did. Reads state only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::Setup;
use crate::msg;
use crate::tui::notice;
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;

pub(super) fn screen(s: &Setup, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let lang = ctx.lang;
    let inner = crate::tui::frame::titled_box(area, buf, &t("setup.title", lang), theme::title());
    let notice_rows = 2;
    let printers = if s.printers.is_empty() {
        t("setup.printers_none", lang)
    } else {
        text(
            &msg!("setup.printers_found", list = s.printers.join("、")),
            lang,
        )
    };
    Paragraph::new(Line::styled(printers, theme::dim())).render(Rect { height: 1, ..inner }, buf);
    let form_area = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1 + notice_rows),
        ..inner
    };
    s.form().draw(form_area, buf, lang, 22, 1);
    if let Some(n) = &s.notice {
        let at = Rect {
            y: inner.bottom().saturating_sub(notice_rows),
            height: notice_rows,
            ..inner
        };
        notice::draw_top(Some(n), at, buf, lang, notice_rows as usize);
    }
}
