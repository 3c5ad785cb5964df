//! A one-line text field on top of tui-textarea, with a length limit, paste
//! handling and an error shown beside it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use tui_textarea::TextArea;

use crate::domain::msg::{Lang, Msg};
use crate::msg;
use crate::tui::text;
use crate::tui::theme;

/// A labelled single-line input.
pub struct Field {
    /// Catalogue key of the label.
    pub label: &'static str,
    area: TextArea<'static>,
    max_chars: usize,
    secret: bool,
    // A token: hidden as a password is, but kept when the form is refused
    // (it is pasted once from what HQ issued, not typed from memory).
    kept: bool,
    free_text: bool,
    // A note or reason: a pasted text keeps its lines.
    lines: bool,
    focused: bool,
    /// The problem with what was typed, shown next to the field.
    pub error: Option<Msg>,
    // Text the program suggested: the first character typed replaces it.
    suggested: bool,
    // Why the text is fixed (a bill's amount, a disclosed fee), if it is:
    // typing is refused with this reason and the text stays.
    locked: Option<Msg>,
}

impl Field {
    /// A field holding at most `max_chars` characters.
    pub fn new(label: &'static str, max_chars: usize) -> Field {
        let mut area = TextArea::default();
        area.set_cursor_line_style(Style::default());
        area.set_cursor_style(Style::default());
        Field {
            label,
            area,
            max_chars,
            secret: false,
            kept: false,
            free_text: false,
            lines: false,
            focused: false,
            error: None,
            suggested: false,
            locked: None,
        }
    }

    /// Whether the field hides what is typed.
    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// Fixes the text: whatever is typed or pasted is refused with `why`.
    pub fn lock(&mut self, why: Msg) {
        self.locked = Some(why);
    }

    /// Lets the clerk type again.
    pub fn unlock(&mut self) {
        self.locked = None;
    }

    /// Whether the text is fixed.
    pub fn is_locked(&self) -> bool {
        self.locked.is_some()
    }

    // A key that would change a fixed text: say why, change nothing.
    fn refuse_if_locked(&mut self) -> bool {
        match &self.locked {
            Some(why) => {
                self.error = Some(why.clone());
                true
            }
            None => false,
        }
    }

    /// Hides what is typed (passwords).
    pub fn secret(mut self) -> Field {
        self.secret = true;
        self.free_text = true;
        self.area.set_mask_char('●');
        self
    }

    /// Hides what is typed, as a password, but keeps it through a refusal
    /// of the form (tokens).
    pub fn token(mut self) -> Field {
        self = self.secret();
        self.kept = true;
        self
    }

    /// Whether a refusal of the form clears it (passwords, not tokens).
    pub fn clears_on_refusal(&self) -> bool {
        self.secret && !self.kept
    }

    /// Accepts any printable character, '?' included (otherwise '?' opens help).
    pub fn free_text(mut self) -> Field {
        self.free_text = true;
        self
    }

    /// A note or reason of several lines: free text, and a pasted text of
    /// several lines keeps them (one-line fields refuse such a paste).
    pub fn lines(mut self) -> Field {
        self.free_text = true;
        self.lines = true;
        self
    }

    /// The text as typed (a note's lines joined by line breaks).
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// Replaces the text, cursor at the end.
    pub fn set_text(&mut self, text: &str) {
        let mut area = TextArea::new(vec![text.to_string()]);
        area.set_cursor_line_style(Style::default());
        if self.secret {
            area.set_mask_char('●');
        }
        area.move_cursor(tui_textarea::CursorMove::End);
        self.area = area;
        self.set_focus(self.focused);
    }

    /// Fills in a suggestion (say, the amount due): Enter accepts it, and
    /// the first character typed replaces it.
    pub fn suggest(&mut self, text: &str) {
        self.set_text(text);
        self.suggested = true;
    }

    /// Empties the field and its error, and lets the clerk type again.
    pub fn clear(&mut self) {
        self.set_text("");
        self.error = None;
        self.locked = None;
    }

    /// Shows or hides the cursor.
    pub fn set_focus(&mut self, focused: bool) {
        self.focused = focused;
        let style = if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        self.area.set_cursor_style(style);
    }

    /// Whether the field has the cursor.
    pub fn focused(&self) -> bool {
        self.focused
    }

    fn len(&self) -> usize {
        self.area.lines().iter().map(|l| l.chars().count()).sum()
    }

    /// Offers a key to the field; true if the field used it. Enter, Tab,
    /// Esc and function keys are left for the screen.
    pub fn input(&mut self, key: &KeyEvent) -> bool {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(c) if plain => {
                if c == '?' && !self.free_text {
                    return false;
                }
                if c.is_control() {
                    return true;
                }
                if self.refuse_if_locked() {
                    return true;
                }
                if self.suggested {
                    self.set_text("");
                    self.suggested = false;
                }
                if self.len() >= self.max_chars {
                    self.error = Some(msg!("field.full", max = self.max_chars));
                    return true;
                }
                self.area.insert_char(c);
                self.error = None;
                true
            }
            KeyCode::Char('u') if key.modifiers == KeyModifiers::CONTROL => {
                if !self.refuse_if_locked() {
                    self.clear();
                }
                true
            }
            KeyCode::Backspace | KeyCode::Delete if self.refuse_if_locked() => true,
            KeyCode::Backspace => {
                self.suggested = false;
                self.area.delete_char();
                self.error = None;
                true
            }
            KeyCode::Delete => {
                self.area.delete_next_char();
                true
            }
            KeyCode::Left => {
                self.area.move_cursor(tui_textarea::CursorMove::Back);
                true
            }
            KeyCode::Right => {
                self.area.move_cursor(tui_textarea::CursorMove::Forward);
                true
            }
            KeyCode::Home => {
                self.area.move_cursor(tui_textarea::CursorMove::Head);
                true
            }
            KeyCode::End => {
                self.area.move_cursor(tui_textarea::CursorMove::End);
                true
            }
            _ => false,
        }
    }

    /// Inserts pasted text. A paste of several lines goes only into a
    /// note (which keeps them): a one-line field such as a name refuses it
    /// whole, since "王\n秀\n英" joined would register "王 秀 英". A line
    /// break at the ends (a scanner's Enter) is dropped. Tabs become
    /// spaces, other control characters vanish, and a paste that would
    /// overflow the field is refused whole, keeping what was there.
    pub fn paste(&mut self, pasted: &str) -> Result<(), Msg> {
        if let Some(why) = &self.locked {
            self.error = Some(why.clone());
            return Err(why.clone());
        }
        let rows: Vec<String> = pasted
            .split(['\n', '\r'])
            .map(|row| {
                row.chars()
                    .map(|c| if c == '\t' { ' ' } else { c })
                    .filter(|c| !c.is_control())
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
            .filter(|row| !row.is_empty())
            .collect();
        if rows.len() > 1 && !self.lines {
            let m = msg!("field.paste_lines", n = rows.len()).part("field", Msg::new(self.label));
            self.error = Some(m.clone());
            return Err(m);
        }
        let flat = rows.join("\n");
        let flat = flat.trim();
        let n = flat.chars().filter(|c| *c != '\n').count();
        // A paste replaces a suggestion, as typing does.
        let kept = if self.suggested { 0 } else { self.len() };
        if kept + n > self.max_chars {
            let m = msg!(
                "field.paste_too_long",
                len = pasted.chars().count(),
                max = self.max_chars
            );
            self.error = Some(m.clone());
            return Err(m);
        }
        if self.suggested {
            self.set_text("");
            self.suggested = false;
        }
        self.area.insert_str(flat);
        self.error = None;
        Ok(())
    }

    /// The width of the input box in an area `width` wide after a label.
    pub fn box_width(&self, width: u16, label_width: u16) -> u16 {
        width
            .saturating_sub(label_width)
            .min(self.max_chars.clamp(8, 48) as u16 + 1)
    }

    /// Draws label, box content and error on one or two lines of `area`:
    /// `label: [text]  error`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, lang: Lang, label_width: u16) {
        if area.height == 0 {
            return;
        }
        let label = text::t(self.label, lang);
        let label_style = if self.focused {
            theme::focus()
        } else {
            theme::label()
        };
        Line::from(Span::styled(format!("{label}:"), label_style)).render(
            Rect {
                width: label_width.min(area.width),
                height: 1,
                ..area
            },
            buf,
        );
        let input_x = area.x + label_width.min(area.width);
        let input_w = self.box_width(area.width, label_width);
        let input = Rect {
            x: input_x,
            y: area.y,
            width: input_w,
            height: 1,
        };
        buf.set_style(input, theme::input(self.focused));
        if self.area.lines().len() > 1 {
            // A note of several lines in a one-row box: every line, the
            // breaks marked, the end (where the cursor is) in view.
            let joined = self.area.lines().join(" ⏎ ");
            let tail = crate::tui::wrap::tail_fitting(&joined, input_w.saturating_sub(1) as usize);
            let mut spans = vec![Span::raw(tail)];
            if self.focused {
                spans.push(Span::styled(
                    " ",
                    Style::default().add_modifier(Modifier::REVERSED),
                ));
            }
            Line::from(spans).render(input, buf);
        } else {
            (&self.area).render(input, buf);
        }
        if let Some(err) = &self.error {
            let text = format!("✗ {}", text::text(err, lang));
            let right = input_x + input_w + 1;
            let fits_right = right < area.right()
                && unicode_width::UnicodeWidthStr::width(text.as_str())
                    <= (area.right() - right) as usize;
            let spot = if area.height >= 2 && !fits_right {
                Rect {
                    x: area.x + 2,
                    y: area.y + 1,
                    width: area.width.saturating_sub(2),
                    height: 1,
                }
            } else if right < area.right() {
                Rect {
                    x: right,
                    y: area.y,
                    width: area.right() - right,
                    height: 1,
                }
            } else {
                return;
            };
            Line::from(Span::styled(text, theme::error())).render(spot, buf);
        }
    }
}
