//! The practice lab for tests: a lab in a temporary folder with the
//! shipped forms and scenarios, the lab app driven by key scripts with the
//! moment of each key given, and its screen as text.

use std::path::{Path, PathBuf};

use counterdesk::config::{self, Config};
use counterdesk::domain::msg::Lang;
use counterdesk::lab::{catalog, Lab};
use counterdesk::tui::key_script;
use counterdesk::tui::lab::{buffer_text, LabApp, Mode};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

pub const FORMS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/forms");
pub const TRAINING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/forms/training");

/// The defaults with the shipped forms, lab.db and a production database in `dir`.
pub fn config_in(dir: &Path) -> Config {
    let mut c = config::defaults().expect("defaults");
    c.forms_dir = PathBuf::from(FORMS);
    c.lab.dir = dir.join("lab");
    c.database = dir.join("production.db");
    c
}

/// The lab on a configuration.
pub fn lab_with(c: &Config) -> Lab {
    super::capture_logs();
    let forms = counterdesk::load::startup::load_forms(c).expect("forms");
    let calendar = counterdesk::load::startup::load_calendar(c).expect("calendar");
    let cat = catalog::load_dir(Path::new(TRAINING), &forms).expect("scenarios");
    Lab::open(c, &c.lab.dir, forms, calendar, cat).expect("lab")
}

/// The lab in `dir`.
pub fn lab_in(dir: &Path) -> Lab {
    lab_with(&config_in(dir))
}

/// Types a script into the lab app, one key a second after `at`.
pub fn play(app: &mut LabApp, script: &str, at: &mut u64) {
    for k in key_script::parse(script) {
        *at += 1000;
        app.handle_key_at(&k, *at);
    }
}

/// The lab app with `staff_no` signed in.
pub fn signed_in(lab: Lab, staff_no: &str, password: &str) -> LabApp {
    let mut app = LabApp::new(lab, Lang::Zh);
    let mut at = 0;
    play(
        &mut app,
        &format!("{staff_no}<Enter>{password}<Enter>"),
        &mut at,
    );
    assert!(matches!(app.mode, Mode::Home { .. }), "signed in");
    app
}

/// The whole lab screen at 160×45 as text.
pub fn render(app: &LabApp) -> String {
    let mut t = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    t.draw(|f| app.draw(f)).expect("draw");
    buffer_text(t.backend().buffer())
}

/// Selects scenario `id` on the list and starts it; `at` then counts from
/// the exercise's start.
pub fn start(app: &mut LabApp, id: &str, at: &mut u64) {
    let i = app
        .lab
        .catalog
        .scenarios
        .iter()
        .position(|s| s.id == id)
        .expect("scenario");
    play(app, &format!("{}<Enter>", "<Down>".repeat(i)), at);
    assert!(
        app.exercise().is_some(),
        "exercise {id} started: {}",
        render(app)
    );
}

/// Sets an exam for 2026春季班 as trainer T001: items as (kind, id).
pub fn exam(lab: &mut Lab, name: &str, minutes: i64, relay: bool, items: &[(&str, &str)]) -> i64 {
    let trainer = lab.store.person("T001").expect("db").expect("trainer");
    let items: Vec<(String, String)> = items
        .iter()
        .map(|(k, i)| (k.to_string(), i.to_string()))
        .collect();
    lab.store
        .add_exam(
            name,
            "2026春季班",
            minutes,
            relay,
            &items,
            trainer.id,
            chrono::Utc::now(),
        )
        .expect("exam")
}
