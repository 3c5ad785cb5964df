//! Popups over a screen: help, a duty manager's sign-off, customer flags.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::domain::customer::GREEN_CHANNEL;
use crate::domain::msg::Msg;
use crate::i18n::{t, text};
use crate::tui::field::Field;
use crate::tui::keymap::{self, Binding, Cmd};
use crate::tui::{theme, Action, Ctx};

/// An open popup; it takes every key until closed.
pub enum Popup {
    /// The help overlay for the screen below.
    Help(Help),
    /// A duty manager signs off on the spot.
    SignOff(Box<SignOffPopup>),
    /// Customer flags (duty managers).
    Flags(FlagsPopup),
    /// A slip previewed as text.
    Preview(Preview),
}

/// What a popup did with a key.
pub enum PopupResult {
    /// Stay open.
    Stay,
    /// Close.
    Close,
    /// Stay open and run this action.
    Act(Action),
}

impl Popup {
    /// Bindings in force.
    pub fn bindings(&self) -> &'static [Binding] {
        match self {
            Popup::Help(_) => keymap::HELP,
            Popup::SignOff(_) => keymap::SIGNOFF,
            Popup::Flags(_) => keymap::FLAGS,
            Popup::Preview(_) => keymap::HELP,
        }
    }

    /// Routes a key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> PopupResult {
        let cmd = keymap::lookup(self.bindings(), key, |_| true);
        match self {
            Popup::Help(h) => match cmd {
                Some(Cmd::Back) => PopupResult::Close,
                Some(Cmd::Up) => {
                    h.scroll = h.scroll.saturating_sub(1);
                    PopupResult::Stay
                }
                Some(Cmd::Down) => {
                    h.scroll = h.scroll.saturating_add(1);
                    PopupResult::Stay
                }
                _ => PopupResult::Stay,
            },
            Popup::SignOff(s) => s.handle(cmd, key),
            Popup::Preview(p) => match cmd {
                Some(Cmd::Back) => PopupResult::Close,
                Some(Cmd::Up) => {
                    p.scroll = p.scroll.saturating_sub(1);
                    PopupResult::Stay
                }
                Some(Cmd::Down) => {
                    p.scroll = p.scroll.saturating_add(1);
                    PopupResult::Stay
                }
                _ => PopupResult::Stay,
            },
            Popup::Flags(_) => match (cmd, key.code) {
                (Some(Cmd::Back), _) => PopupResult::Close,
                (Some(Cmd::Toggle), KeyCode::Char(c)) => {
                    let index = c.to_digit(10).unwrap_or(0) as usize;
                    if index == 0 {
                        PopupResult::Stay
                    } else {
                        PopupResult::Act(Action::ToggleFlag(index - 1))
                    }
                }
                _ => PopupResult::Stay,
            },
        }
    }

    /// Pasted text (sign-off fields only).
    pub fn paste(&mut self, pasted: &str) {
        if let Popup::SignOff(s) = self {
            let _ = s.fields[s.focus].paste(pasted);
        }
    }

    /// Draws the popup centred on `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        match self {
            Popup::Help(h) => h.render(area, buf, ctx),
            Popup::SignOff(s) => s.render(area, buf, ctx),
            Popup::Flags(f) => f.render(area, buf, ctx),
            Popup::Preview(p) => p.render(area, buf, ctx),
        }
    }
}

fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn frame(area: Rect, buf: &mut Buffer, title: String) -> Rect {
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::title())
        .title(Span::styled(format!(" {title} "), theme::title()));
    let inner = block.inner(area);
    block.render(area, buf);
    Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// The help overlay: every key of the screen below and the global keys.
pub struct Help {
    /// The screen's own bindings.
    pub screen: &'static [Binding],
    /// Catalogue key of the screen's name.
    pub screen_name: &'static str,
    scroll: u16,
}

impl Help {
    /// Help for a screen.
    pub fn new(screen: &'static [Binding], screen_name: &'static str) -> Help {
        Help {
            screen,
            screen_name,
            scroll: 0,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let inner = frame(centred(area, 70, 22), buf, t("help.title", lang));
        let mut lines = vec![Line::from(Span::styled(
            t(self.screen_name, lang),
            theme::title(),
        ))];
        let row = |bd: &Binding| {
            Line::from(vec![
                Span::styled(
                    format!("  {:<18}", keymap::binding_label(bd)),
                    theme::bar_key(),
                ),
                Span::raw(format!(" {}", t(bd.desc, lang))),
            ])
        };
        lines.extend(self.screen.iter().map(row));
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            t("help.global", lang),
            theme::title(),
        )));
        lines.extend(keymap::GLOBAL.iter().map(row));
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            t("help.fields", lang),
            theme::dim(),
        )));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }
}

/// A duty manager's staff number, password and the reason, entered on the spot.
pub struct SignOffPopup {
    fields: [Field; 3],
    focus: usize,
    /// What is being signed off, shown on top.
    pub about: Msg,
    /// Why the last attempt failed.
    pub error: Option<Msg>,
}

impl SignOffPopup {
    /// A sign-off of `about`; the duty manager writes the reason.
    pub fn new(about: Msg) -> SignOffPopup {
        let mut fields = [
            Field::new("signoff.staff_no", 20),
            Field::new("signoff.password", 128).secret(),
            Field::new("signoff.reason", 200).free_text(),
        ];
        fields[0].set_focus(true);
        SignOffPopup {
            fields,
            focus: 0,
            about,
            error: None,
        }
    }

    fn refocus(&mut self) {
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.set_focus(i == self.focus);
        }
    }

    /// The attempt was refused: clear the password, keep the rest.
    pub fn failed(&mut self, why: Msg) {
        self.fields[1].clear();
        self.error = Some(why);
        self.focus = 1;
        self.refocus();
    }

    fn handle(&mut self, cmd: Option<Cmd>, key: &KeyEvent) -> PopupResult {
        match cmd {
            Some(Cmd::Back) => return PopupResult::Close,
            Some(Cmd::Next) => self.focus = (self.focus + 1) % 3,
            Some(Cmd::Prev) => self.focus = (self.focus + 2) % 3,
            Some(Cmd::Enter) if self.focus < 2 => self.focus += 1,
            Some(Cmd::Enter) => {
                if self.fields[2].text().trim().is_empty() {
                    self.fields[2].error = Some(crate::msg!("customer.signoff_reason_empty"));
                    return PopupResult::Stay;
                }
                return PopupResult::Act(Action::SignOffSubmit {
                    staff_no: self.fields[0].text().trim().to_string(),
                    password: self.fields[1].text(),
                    reason: self.fields[2].text().trim().to_string(),
                });
            }
            _ => {
                self.fields[self.focus].input(key);
            }
        }
        self.refocus();
        PopupResult::Stay
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let inner = frame(centred(area, 76, 16), buf, t("signoff.title", lang));
        let about: Vec<Line> = crate::tui::wrap::wrap(&text(&self.about, lang), inner.width, lang)
            .into_iter()
            .take(4)
            .map(|l| Line::from(Span::styled(l, theme::warn())))
            .collect();
        Paragraph::new(about).render(
            Rect {
                height: 4.min(inner.height),
                ..inner
            },
            buf,
        );
        for (i, f) in self.fields.iter().enumerate() {
            let y = inner.y + 5 + 2 * i as u16;
            if y + 1 < inner.bottom() {
                f.render(
                    Rect {
                        y,
                        height: 2,
                        ..inner
                    },
                    buf,
                    lang,
                    12,
                );
            }
        }
        let y = inner.y + 12;
        if y < inner.bottom() {
            if let Some(e) = &self.error {
                Paragraph::new(Span::styled(text(e, lang), theme::error())).render(
                    Rect {
                        y,
                        height: 1,
                        ..inner
                    },
                    buf,
                );
            }
        }
    }
}

/// Flags of the customer on screen, toggled by number.
pub struct FlagsPopup {
    /// The customer's flags right now.
    pub current: Vec<String>,
    /// Why the last toggle failed.
    pub error: Option<Msg>,
}

impl FlagsPopup {
    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let lang = ctx.lang;
        let defs = &ctx.config.customers.flags;
        let inner = frame(
            centred(area, 56, defs.len() as u16 + 7),
            buf,
            t("flags.title", lang),
        );
        let mut lines = Vec::new();
        let green = self.current.iter().any(|f| f == GREEN_CHANNEL);
        lines.push(Line::from(Span::styled(
            format!(
                "    [{}] {} ({})",
                if green { "x" } else { " " },
                t("flag.green_channel", lang),
                t("flags.automatic", lang)
            ),
            theme::dim(),
        )));
        for (i, d) in defs.iter().enumerate() {
            let on = self.current.contains(&d.code);
            lines.push(Line::from(vec![
                Span::styled(format!(" {} ", i + 1), theme::bar_key()),
                Span::raw(format!(
                    " [{}] {}",
                    if on { "x" } else { " " },
                    d.label(lang)
                )),
            ]));
        }
        lines.push(Line::from(""));
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(text(e, lang), theme::error())));
        } else {
            lines.push(Line::from(Span::styled(
                t("flags.hint", lang),
                theme::dim(),
            )));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

/// A slip shown as text before printing.
pub struct Preview {
    /// The lines.
    pub lines: Vec<String>,
    /// Scroll offset.
    pub scroll: u16,
}

impl Preview {
    /// Draws the preview.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let inner = frame(
            centred(area, 96, area.height),
            buf,
            t("slips.preview_title", ctx.lang),
        );
        let lines: Vec<Line> = self.lines.iter().map(|l| Line::from(l.clone())).collect();
        Paragraph::new(lines)
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }
}
