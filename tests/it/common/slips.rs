//! Helpers for the printing tests: an App whose desk prints to a spool of
//! its own, an accepted application, and the slips read back with poppler.

use std::path::{Path, PathBuf};
use std::process::Command;

use counterdesk::config::Config;
use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;
use rusqlite::Connection;

use super::{keys, screen, sign_in, Scratch};

pub const FONT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/NotoSansCJKsc-Regular.otf"
);

/// An App whose desk uses `config` (spool, printer, font) on a fresh database.
pub fn app_with(s: &Scratch, edit: impl FnOnce(&mut Config)) -> App {
    let mut config = super::config();
    config.slips.spool_dir = s.path().join("spool");
    config.slips.font = PathBuf::from(FONT);
    edit(&mut config);
    let desk = super::desk_with_config(&s.db(), super::clock(), config.clone());
    let mut a = App::new(desk, Lang::Zh);
    a.desk.load_font_now().ok();
    a
}

pub fn accept(a: &mut App, name: &str) {
    sign_in(a, "1001", "counter1001");
    keys(
        a,
        &format!(
            "11010519491231002X<Enter>{name}<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>"
        ),
    );
    keys(a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>      c<F10>");
    assert!(screen(a).contains("已受理"), "{}", screen(a));
}

pub fn pdftotext(p: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(p)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) installed by scripts/test.sh");
    assert!(out.status.success(), "pdftotext failed on {}", p.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn pages(p: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(p).output().expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

pub fn spooled(s: &Scratch) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let root = s.path().join("spool");
    if let Ok(days) = std::fs::read_dir(&root) {
        for d in days.flatten() {
            for f in std::fs::read_dir(d.path()).expect("day").flatten() {
                files.push(f.path());
            }
        }
    }
    files.sort();
    files
}

pub fn db(s: &Scratch) -> Connection {
    Connection::open(s.db()).expect("db")
}
