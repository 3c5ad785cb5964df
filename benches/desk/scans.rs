//! Attaching a scan: a 5 MB file from the scanner's folder taken on the
//! checklist with Enter — read, checked, hashed, kept (written and synced)
//! under its sha256, recorded, and the draft saved — and the screen drawn.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use counterdesk::domain::msg::Lang;
use counterdesk::tui::key_script;
use counterdesk::tui::App;
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use crate::{config, key, open_desk_with, report};

const FIVE_MB: usize = 5 * 1024 * 1024;

fn script(app: &mut App, s: &str) {
    for k in key_script::parse(s) {
        app.handle_key(&k);
    }
}

pub fn bench_scans(quick: bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/scans");
    let _ = std::fs::remove_dir_all(&root);
    let folder = root.join("gaopaiyi");
    std::fs::create_dir_all(&folder).expect("folder");
    let mut cfg = config(&root.join("scans.db"));
    cfg.scanner.folder = folder.clone();
    cfg.scanner.settle_ms = 50;
    let mut app = App::new(open_desk_with(cfg), Lang::Zh);
    crate::sign_in(&mut app);
    script(
        &mut app,
        "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>\
         <F3>jmxz<Enter><Enter><Enter>8<Enter><F10><Down>",
    );
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let mut samples: Vec<Duration> = Vec::new();
    let n = if quick { 3 } else { 40 };
    let mut jpeg = vec![0u8; FIVE_MB];
    jpeg[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    for i in 0..n {
        // Another photo each time: every one is new to the scans folder.
        for (k, b) in jpeg[4..].iter_mut().enumerate() {
            *b = (k as u32).wrapping_mul(2_654_435_761).wrapping_add(i) as u8;
        }
        let file = folder.join(format!("IMG_{i:04}.jpg"));
        std::fs::write(&file, &jpeg).expect("scan");
        let f = std::fs::File::options()
            .write(true)
            .open(&file)
            .expect("open");
        f.set_modified(SystemTime::now() - Duration::from_secs(2))
            .expect("mtime");
        drop(f);
        app.handle_key(&key(KeyCode::Char('i')));
        let start = Instant::now();
        app.handle_key(&key(KeyCode::Enter));
        terminal.draw(|f| app.draw(f)).expect("draw");
        samples.push(start.elapsed());
        let shown = format!("{:?}", terminal.backend().buffer());
        assert!(shown.contains("IMG_"), "attached");
    }
    let kept = std::fs::read_dir(root.join("scans"))
        .map(|d| d.flatten().count())
        .unwrap_or(0);
    assert!(kept > 0, "scans kept");
    report("Enter: attach a 5 MB scan", samples, "< 100 ms");
}
