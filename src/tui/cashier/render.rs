//! Drawing the cashier screen: reads state only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::{Cashier, Mode, ENTRY_LABELS};
use crate::domain::money::DENOMINATIONS;
use crate::i18n::{t, text};
use crate::msg;
use crate::tui::field::Field;
use crate::tui::{theme, Ctx};

/// One held cheque as the list shows it.
fn cheque_line(c: &crate::store::cheques::HeldCheque, lang: crate::domain::msg::Lang) -> String {
    text(
        &msg!(
            "cheque.line",
            receipt = c.receipt_no,
            cheque = c.cheque_no.as_deref().unwrap_or("-"),
            amount = c.amount,
            what = c.for_what,
            at = crate::slips::content::local(&c.paid_at, "%m-%d %H:%M")
        ),
        lang,
    )
}

impl Cashier {
    /// Draws the screen.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let title = t(
            match self.mode {
                Mode::Open => "cashier.title_open",
                Mode::Close | Mode::CloseNote | Mode::Closed => "cashier.title_close",
                Mode::Reverse => "cashier.title_reverse",
                Mode::Refund => "refund.title",
                Mode::Cheques => "cheque.title",
                Mode::Dishonour => "cheque.title_dishonour",
                Mode::Report => "key.day_report",
                _ => "cashier.title",
            },
            lang,
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {title} "), theme::title()));
        let inner = block.inner(area);
        block.render(area, buf);
        let inner = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        let mut y = inner.y;
        let row = |f: &Field, label: String, y: &mut u16, buf: &mut Buffer| {
            if *y + 1 >= inner.bottom() {
                return;
            }
            Paragraph::new(Span::styled(
                label,
                if f.focused() {
                    theme::focus()
                } else {
                    theme::label()
                },
            ))
            .render(
                Rect {
                    y: *y,
                    height: 1,
                    width: 16.min(inner.width),
                    ..inner
                },
                buf,
            );
            f.render(
                Rect {
                    x: inner.x + 16,
                    y: *y,
                    width: inner.width.saturating_sub(16),
                    height: 2,
                },
                buf,
                lang,
                0,
            );
            *y += 2;
        };
        match self.mode {
            Mode::Open => row(&self.float, t("cashier.float", lang), &mut y, buf),
            Mode::Entry | Mode::Paid => {
                for (i, f) in self.entry.iter().enumerate() {
                    row(f, t(ENTRY_LABELS[i], lang), &mut y, buf);
                }
                let mut lines = vec![Line::from(Span::styled(
                    t("cashier.hint", lang),
                    theme::dim(),
                ))];
                if let Some(f) = self.fee() {
                    lines.push(Line::from(Span::styled(
                        text(
                            &msg!(
                                "cashier.fee_line",
                                ticket = f.ticket_no,
                                business = f.business.get(lang),
                                fee = f.name.get(lang)
                            ),
                            lang,
                        ),
                        theme::focus(),
                    )));
                }
                match (self.due_now(), self.fee()) {
                    (Some((a, _)), Some(f)) => lines.push(Line::from(text(
                        &msg!("cashier.fee_due_line", fee = f.name.get(lang), amount = a),
                        lang,
                    ))),
                    (Some((a, fee)), None) => lines.push(Line::from(text(
                        &msg!(
                            "cashier.due_line",
                            arrears = a,
                            fee = fee,
                            total = a.saturating_add(fee)
                        ),
                        lang,
                    ))),
                    _ => {}
                }
                for tnd in &self.tenders {
                    lines.push(Line::from(Span::styled(
                        text(
                            &msg!(
                                "cashier.tender_line",
                                method = text(&tnd.method.label(), lang),
                                amount = tnd.amount
                            ),
                            lang,
                        ),
                        theme::dim(),
                    )));
                }
                if let Some(p) = &self.paid {
                    lines.push(Line::from(Span::styled(
                        text(
                            &msg!(
                                "cashier.paid_line",
                                receipt = p.receipt_no,
                                tendered = self.tendered_total,
                                total = p.due.saturating_add(p.late_fee),
                                change = p.change
                            ),
                            lang,
                        ),
                        theme::ok(),
                    )));
                }
                Paragraph::new(lines).render(
                    Rect {
                        y,
                        height: inner.bottom().saturating_sub(y),
                        ..inner
                    },
                    buf,
                );
            }
            Mode::Refund => {
                for (i, f) in self.refund.iter().enumerate() {
                    row(
                        f,
                        t(
                            [
                                "refund.receipt",
                                "refund.amount",
                                "refund.bank_account",
                                "refund.holder",
                                "refund.reason",
                            ][i],
                            lang,
                        ),
                        &mut y,
                        buf,
                    );
                }
            }
            Mode::Cheques => {
                let (list, sel) = self.cheque_list();
                let mut lines = Vec::new();
                for (i, c) in list.iter().enumerate() {
                    let line = cheque_line(c, lang);
                    lines.push(Line::from(Span::styled(
                        format!("{} {line}", if i == sel { "▶" } else { " " }),
                        if i == sel {
                            theme::focus()
                        } else {
                            theme::label()
                        },
                    )));
                }
                let n = (lines.len() as u16).min(inner.height.saturating_sub(4));
                Paragraph::new(lines).render(Rect { height: n, ..inner }, buf);
                y += n + 1;
                if !list.is_empty() {
                    row(&self.bank_ref[0], t("cheque.bank_ref", lang), &mut y, buf);
                }
            }
            Mode::Dishonour => {
                let (list, sel) = self.cheque_list();
                if let Some(c) = list.get(sel) {
                    let line = cheque_line(c, lang);
                    Paragraph::new(Span::styled(line, theme::focus()))
                        .render(Rect { height: 1, ..inner }, buf);
                    y += 2;
                }
                for (i, f) in self.dishonour.iter().enumerate() {
                    row(
                        f,
                        t(
                            [
                                "signoff.staff_no",
                                "signoff.password",
                                "cheque.dishonour_reason",
                            ][i],
                            lang,
                        ),
                        &mut y,
                        buf,
                    );
                }
            }
            Mode::Done => {
                if let Some((what, _)) = &self.done {
                    Paragraph::new(Span::styled(text(what, lang), theme::ok()))
                        .render(Rect { height: 1, ..inner }, buf);
                }
            }
            Mode::Report => self.render_report(
                Rect {
                    height: inner.height.saturating_sub(1),
                    ..inner
                },
                buf,
                lang,
            ),
            Mode::Reverse => {
                for (i, f) in self.reverse.iter().enumerate() {
                    row(
                        f,
                        t(
                            [
                                "cashier.receipt",
                                "signoff.staff_no",
                                "signoff.password",
                                "signoff.reason",
                            ][i],
                            lang,
                        ),
                        &mut y,
                        buf,
                    );
                }
            }
            Mode::Close => {
                let half = DENOMINATIONS.len();
                for (i, f) in self.counts.iter().enumerate() {
                    let label = if i < half {
                        text(
                            &msg!("cashier.count_of", denomination = DENOMINATIONS[i]),
                            lang,
                        )
                    } else {
                        t(
                            [
                                "cashier.card_total",
                                "cashier.qr_total",
                                "cashier.cheque_total",
                            ][i - half],
                            lang,
                        )
                    };
                    if y + 1 >= inner.bottom() {
                        break;
                    }
                    Paragraph::new(Span::styled(
                        label,
                        if f.focused() {
                            theme::focus()
                        } else {
                            theme::label()
                        },
                    ))
                    .render(
                        Rect {
                            y,
                            height: 1,
                            width: 16.min(inner.width),
                            ..inner
                        },
                        buf,
                    );
                    f.render(
                        Rect {
                            x: inner.x + 16,
                            y,
                            width: inner.width.saturating_sub(16),
                            height: 1,
                        },
                        buf,
                        lang,
                        0,
                    );
                    y += 1;
                }
            }
            Mode::CloseNote | Mode::Closed => {
                let mut lines = vec![Line::from(Span::styled(
                    t("cashier.settlement_head", lang),
                    theme::title(),
                ))];
                for l in &self.lines {
                    let style = if l.over_short.0 == 0 {
                        theme::ok()
                    } else {
                        theme::error()
                    };
                    lines.push(Line::from(Span::styled(
                        text(
                            &msg!(
                                "cashier.settlement_line",
                                method = text(&l.method.label(), lang),
                                expected = l.expected,
                                counted = l.counted,
                                over_short = l.over_short
                            ),
                            lang,
                        ),
                        style,
                    )));
                }
                let n = lines.len() as u16 + 1;
                Paragraph::new(lines).render(
                    Rect {
                        height: n.min(inner.height),
                        ..inner
                    },
                    buf,
                );
                y += n;
                if self.mode == Mode::CloseNote {
                    for (i, f) in self.note.iter().enumerate() {
                        row(
                            f,
                            t(
                                ["signoff.staff_no", "signoff.password", "cashier.note"][i],
                                lang,
                            ),
                            &mut y,
                            buf,
                        );
                    }
                }
            }
        }
        if let Some(m) = &self.notice {
            let ok = [
                "cashier.bill_found",
                "cashier.opened",
                "cashier.closed",
                "cashier.reversed",
                "cashier.prepaid_kept",
                "fee.found",
                "fee.found_price_list",
                "cheque.confirmed",
                "cheque.dishonoured",
                "refund.done",
                "slips.printed",
                "slips.saved_only",
            ]
            .contains(&m.key);
            let style = if ok {
                theme::ok()
            } else if m.key == "cashier.paid_held" {
                theme::warn()
            } else {
                theme::error()
            };
            // A long message (a disk failure says what to do) wraps upwards
            // instead of being cut off.
            let lines: Vec<Line> = crate::tui::wrap::wrap(&text(m, lang), inner.width, lang)
                .into_iter()
                .take(3)
                .map(|l| Line::from(Span::styled(l, style)))
                .collect();
            let rows = lines.len() as u16;
            let area = Rect {
                y: inner.bottom().saturating_sub(rows),
                height: rows,
                ..inner
            };
            Clear.render(area, buf);
            Paragraph::new(lines).render(area, buf);
        }
    }
}
