//! What the cashier says under the entry once a payment is taken: the
//! receipt, what was handed over, the change, and a reconnection arranged.

use ratatui::text::{Line, Span};

use crate::desk::money::Paid;
use crate::domain::money::Fen;
use crate::domain::msg::Lang;
use crate::msg;
use crate::tui::text::text;
use crate::tui::theme;

/// The lines about a payment just taken.
pub(super) fn paid_lines(p: &Paid, tendered: Fen, lang: Lang) -> Vec<Line<'static>> {
    let m = msg!(
        "cashier.paid_line",
        receipt = p.receipt_no,
        tendered = tendered,
        total = p.due.saturating_add(p.late_fee),
        change = p.change
    );
    let mut lines = vec![Line::from(Span::styled(text(&m, lang), theme::ok()))];
    if let Some(by) = p.reconnect_by {
        let by = by.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M");
        let m = msg!("cashier.reconnect_line", by = by);
        lines.push(Line::from(Span::styled(text(&m, lang), theme::warn())));
    }
    lines
}
