//! The scan panel: the scanner folder's newest file shown by name, time
//! and size before it is taken, looked at again on every tick so the clerk
//! sees the scanner finish writing; Enter takes it once it has settled.
//! The checklist and the applications screen open it on a material.

use chrono::{DateTime, Local};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::desk::Desk;
use crate::domain::msg::{Lang, Msg};
use crate::domain::scan::size_text;
use crate::msg;
use crate::scanner::Seen;
use crate::tui::keymap::{self, b, Binding, ENTER, ESC};
use crate::tui::popup;
use crate::tui::text::{t, text};
use crate::tui::theme;

/// The panel's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKey {
    /// Take the file shown.
    Attach,
    Cancel,
}

/// Its keys.
pub const SCAN: &[Binding<ScanKey>] = &[
    b(&[ENTER], ScanKey::Attach, "key.attach_scan"),
    b(&[ESC], ScanKey::Cancel, "key.cancel"),
];

/// What a key did.
pub enum Step {
    /// Take this file.
    Attach(Seen),
    /// Closed without taking anything.
    Cancel,
    /// Handled here.
    Used,
}

/// What the clerk is told once a scan is attached to `material`.
pub fn scan_attached(material: &str, scan: &crate::domain::scan::ScanRef) -> Msg {
    msg!(
        "scan.attached",
        material = material,
        file = scan.file_name,
        kind = scan.kind.label(),
        size = size_text(scan.bytes)
    )
}

/// The panel over one material.
pub struct ScanPanel {
    /// The material's id and name.
    pub material: (String, String),
    /// The newest file, or why there is none.
    pub seen: Result<Seen, Msg>,
    /// What the last Enter was told.
    pub problem: Option<Msg>,
}

impl ScanPanel {
    /// Opens over a material with the folder as it stands.
    pub fn open(material_id: &str, name: &str, desk: &Desk) -> ScanPanel {
        ScanPanel {
            material: (material_id.to_string(), name.to_string()),
            seen: desk.newest_scan().map_err(|e| e.into_msg()),
            problem: None,
        }
    }

    /// Looks at the folder again; true when what is shown changed.
    pub fn refresh(&mut self, desk: &Desk) -> bool {
        let now = desk.newest_scan().map_err(|e| e.into_msg());
        if now == self.seen {
            return false;
        }
        // What the last Enter was told was about the file as it stood.
        self.problem = None;
        self.seen = now;
        true
    }

    /// A key while the panel is open.
    pub fn on_key(&mut self, key: &KeyEvent, desk: &Desk) -> Step {
        match keymap::lookup(SCAN, key) {
            Some(ScanKey::Cancel) => Step::Cancel,
            Some(ScanKey::Attach) => {
                self.refresh(desk);
                match &self.seen {
                    Ok(s) if s.admitted.is_err() => Step::Used,
                    Ok(s) if s.settled => Step::Attach(s.clone()),
                    Ok(s) => {
                        self.problem = Some(msg!("scan.still_writing", file = s.name));
                        Step::Used
                    }
                    Err(_) => Step::Used,
                }
            }
            None => Step::Used,
        }
    }

    /// The lines the panel shows.
    fn lines(&self, lang: Lang) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        match &self.seen {
            Ok(s) => {
                let at: DateTime<Local> = s.modified.into();
                let file = msg!("scan.panel_file", file = s.name);
                out.push(Line::raw(text(&file, lang)));
                let when = msg!(
                    "scan.panel_time_size",
                    time = at.format("%Y-%m-%d %H:%M:%S"),
                    size = size_text(s.bytes)
                );
                out.push(Line::raw(text(&when, lang)));
                out.push(Line::raw(""));
                if let Err(m) = &s.admitted {
                    out.push(Line::styled(text(m, lang), theme::error()));
                } else if s.settled {
                    out.push(Line::styled(t("scan.panel_ready", lang), theme::ok()));
                } else {
                    out.push(Line::styled(t("scan.panel_waiting", lang), theme::warn()));
                }
            }
            Err(m) => out.push(Line::styled(text(m, lang), theme::error())),
        }
        if let Some(p) = &self.problem {
            out.push(Line::styled(text(p, lang), theme::error()));
        }
        out
    }

    /// Draws the panel centred over `area`.
    pub fn draw(&self, area: Rect, buf: &mut Buffer, lang: Lang) {
        let name = crate::tui::lines::short_name(&self.material.1);
        let heading = msg!("scan.panel_heading", material = name);
        let boxed = popup::centred(area, 72, 10);
        let inner = popup::frame(boxed, buf, text(&heading, lang));
        Paragraph::new(self.lines(lang))
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
