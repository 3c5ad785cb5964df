//! The blind close (日结): the clerk counts cash by denomination and types
//! the other instruments' totals before seeing anything; then expected
//! against counted per method, a duty manager's note when over or short,
//! and the closed shift.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keys::FormKey;
use super::{rows, Command};
use crate::desk::money::CloseNote;
use crate::desk::Credentials;
use crate::domain::money::{
    self, count_cash, Counted, Fen, Line as SettleLine, Method, DENOMINATIONS,
};
use crate::domain::msg::{Input, Lang};
use crate::msg;
use crate::tui::field::Field;
use crate::tui::form::Form;
use crate::tui::text::{t, text};
use crate::tui::theme;

const TOTALS: [&str; 3] = [
    "cashier.card_total",
    "cashier.qr_total",
    "cashier.cheque_total",
];

/// Counting: notes and coins by denomination, then card, QR and cheque totals.
pub(super) struct Count {
    pub(super) form: Form,
    limit: Fen,
}

impl Count {
    pub(super) fn new(limit: Fen) -> Count {
        let fields = DENOMINATIONS
            .iter()
            .map(|_| (Field::new("cashier.count", 6), None))
            .chain(
                TOTALS
                    .iter()
                    .map(|k| (Field::new(k, 20), Some(Input::Amount))),
            )
            .collect();
        Count {
            form: Form::new(fields),
            limit,
        }
    }

    pub(super) fn key(&mut self, cmd: FormKey) -> Option<Command> {
        match cmd {
            FormKey::Cancel => return Some(Command::ToBase),
            FormKey::Next => self.form.next(),
            FormKey::Prev => self.form.prev(),
            FormKey::Enter if !self.form.at_last() => self.form.next(),
            FormKey::Enter => {
                return self.counted().map(|counted| Command::Close {
                    counted,
                    note: None,
                })
            }
        }
        None
    }

    fn err(&mut self, i: usize, m: crate::domain::msg::Msg) {
        if let Some(f) = self.form.field_mut(i) {
            f.error = Some(m);
        }
        self.form.focus_on(i);
    }

    /// What was counted, or the first figure that cannot be read.
    fn counted(&mut self) -> Option<Counted> {
        let mut counts = Vec::new();
        for (i, d) in DENOMINATIONS.iter().enumerate() {
            let typed = self.form.trimmed(i);
            let n: u32 = if typed.is_empty() {
                0
            } else if let Ok(n) = typed.parse() {
                n
            } else {
                self.err(i, msg!("field.integer_bad"));
                return None;
            };
            counts.push((*d, n));
        }
        let cash = match count_cash(&counts) {
            Ok(c) => c,
            Err(m) => {
                self.err(0, m);
                return None;
            }
        };
        let mut by_method = std::collections::BTreeMap::new();
        for (k, m) in [Method::Card, Method::Qr, Method::Cheque]
            .into_iter()
            .enumerate()
        {
            let i = DENOMINATIONS.len() + k;
            let typed = self.form.text(i);
            let v = if typed.trim().is_empty() {
                Fen(0)
            } else {
                match money::parse_amount(&typed, self.limit) {
                    Ok(v) => v,
                    Err(e) => {
                        self.err(i, e);
                        return None;
                    }
                }
            };
            by_method.insert(m, v);
        }
        Some(Counted { cash, by_method })
    }

    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let labels: Vec<String> = DENOMINATIONS
            .iter()
            .map(|d| text(&msg!("cashier.count_of", denomination = d), lang))
            .chain(TOTALS.iter().map(|k| t(k, lang)))
            .collect();
        rows::draw(&self.form, &labels, area, buf, lang, 1);
    }
}

const NOTE: [&str; 3] = ["signoff.staff_no", "signoff.password", "cashier.note"];

/// Over or short: the lines shown, and the duty manager's note.
pub(super) struct Note {
    pub(super) lines: Vec<SettleLine>,
    counted: Counted,
    pub(super) form: Form,
}

impl Note {
    pub(super) fn new(lines: Vec<SettleLine>, counted: Counted) -> Note {
        Note {
            lines,
            counted,
            form: Form::new(vec![
                (Field::new(NOTE[0], 20), Some(Input::StaffNo)),
                (Field::new(NOTE[1], 128).secret(), Some(Input::Password)),
                (Field::new(NOTE[2], 200).lines(), Some(Input::Reason)),
            ]),
        }
    }

    pub(super) fn key(&mut self, cmd: FormKey) -> Option<Command> {
        match cmd {
            FormKey::Cancel => return Some(Command::ToBase),
            FormKey::Next => self.form.next(),
            FormKey::Prev => self.form.prev(),
            FormKey::Enter if !self.form.at_last() => self.form.next(),
            FormKey::Enter => {
                return Some(Command::Close {
                    counted: self.counted.clone(),
                    note: Some(CloseNote {
                        manager: Credentials::new(self.form.trimmed(0), self.form.text(1)),
                        text: self.form.trimmed(2),
                    }),
                })
            }
        }
        None
    }

    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let y = settlement(&self.lines, area, buf, lang);
        let labels: Vec<String> = NOTE.iter().map(|k| t(k, lang)).collect();
        let rest = Rect {
            y,
            height: area.bottom().saturating_sub(y),
            ..area
        };
        rows::draw(&self.form, &labels, rest, buf, lang, 2);
    }
}

/// Expected against counted per method, each line lit by whether it is
/// over or short; returns the next free row.
pub(super) fn settlement(lines: &[SettleLine], area: Rect, buf: &mut Buffer, lang: Lang) -> u16 {
    let mut out = vec![Line::from(Span::styled(
        t("cashier.settlement_head", lang),
        theme::title(),
    ))];
    for l in lines {
        let style = if l.over_short.0 == 0 {
            theme::ok()
        } else {
            theme::error()
        };
        let m = msg!(
            "cashier.settlement_line",
            method = text(&l.method.label(), lang),
            expected = l.expected,
            counted = l.counted,
            over_short = l.over_short
        );
        out.push(Line::from(Span::styled(text(&m, lang), style)));
    }
    let n = out.len() as u16 + 1;
    Paragraph::new(out).render(
        Rect {
            height: n.min(area.height),
            ..area
        },
        buf,
    );
    area.y + n
}
