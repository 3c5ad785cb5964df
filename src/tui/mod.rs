//! The terminal interface: an event loop around [`App`], one module per
//! screen, shared widgets, the keymap and the theme. Each screen turns its
//! keys into its own commands and runs them against the desk (see
//! [`screen::View`]); the app routes keys and navigates. Drawing only reads
//! state.

pub mod acceptance;
pub mod answer;
pub mod app;
pub mod applications;
pub mod calling;
pub mod cashier;
pub mod customers;
pub mod field;
pub mod form;
pub mod form_screen;
mod frame;
pub mod help;
pub mod key_names;
pub mod key_script;
pub mod keymap;
pub mod lab;
pub mod lines;
pub mod notice;
pub mod popup;
pub mod queue;
pub mod ratings;
pub mod scan_panel;
pub mod screen;
pub mod setup;
pub mod signin;
pub mod text;
pub mod theme;
pub mod unprinted;
pub mod upload;
pub mod wrap;

use std::io;
use std::time::Duration;

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::execute;

pub use app::App;

// Bracketed paste makes a scanner's or clipboard's text arrive as one
// event, so a pasted newline cannot submit half an ID. The guard turns it
// off on every exit path; its Drop never panics.
struct PasteGuard;

impl PasteGuard {
    fn on() -> PasteGuard {
        if let Err(e) = execute!(io::stdout(), EnableBracketedPaste) {
            tracing::warn!("bracketed paste unavailable: {e}");
        }
        PasteGuard
    }
}

impl Drop for PasteGuard {
    fn drop(&mut self) {
        if let Err(e) = execute!(io::stdout(), DisableBracketedPaste) {
            tracing::warn!("could not disable bracketed paste: {e}");
        }
    }
}

/// A program the event loop runs: the workstation or the practice lab.
pub trait Program {
    /// Draws everything; reads state only.
    fn draw(&self, f: &mut ratatui::Frame);
    /// Handles one terminal event.
    fn handle_event(&mut self, ev: Event);
    /// Periodic wake-up; true when the screen should be redrawn.
    fn tick(&mut self) -> bool;
    /// Whether the program should end.
    fn quit(&self) -> bool;
}

impl Program for App {
    fn draw(&self, f: &mut ratatui::Frame) {
        App::draw(self, f)
    }
    fn handle_event(&mut self, ev: Event) {
        App::handle_event(self, ev)
    }
    fn tick(&mut self) -> bool {
        App::tick(self)
    }
    fn quit(&self) -> bool {
        self.quit
    }
}

/// Runs the workstation (or the lab) until it quits, and gives it back
/// (what it has to say once the terminal is the shell's again). The
/// terminal is restored on every exit; `ratatui::init` also restores it on
/// a panic.
pub fn run<P: Program>(mut app: P) -> io::Result<P> {
    let mut terminal = ratatui::init();
    let guard = PasteGuard::on();
    let result = (|| -> io::Result<()> {
        terminal.draw(|f| app.draw(f))?;
        while !app.quit() {
            // A tenth of a second: a rating tapped on the customer display is
            // recorded and answered within it.
            if event::poll(Duration::from_millis(100))? {
                let ev = event::read()?;
                app.handle_event(ev);
                // Drain what is already queued (a scanner types fast) before drawing.
                while !app.quit() && event::poll(Duration::ZERO)? {
                    app.handle_event(event::read()?);
                }
                terminal.draw(|f| app.draw(f))?;
            } else if app.tick() {
                terminal.draw(|f| app.draw(f))?;
            }
        }
        Ok(())
    })();
    drop(guard);
    ratatui::restore();
    result.map(|()| app)
}

/// Whether an event is a key press we act on (Windows also reports releases).
pub fn is_press(ev: &Event) -> bool {
    matches!(ev, Event::Key(k) if k.kind == event::KeyEventKind::Press)
}
