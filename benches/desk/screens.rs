//! The screens' figures: look-up, keystrokes with redraw, slips, start-up.

use super::*;
use crate::key;

pub fn bench_lookup(db: &Path, ids: &[String]) {
    let desk = open_desk(db);
    let mut samples = Vec::with_capacity(ids.len());
    for id in ids {
        let start = Instant::now();
        let found = desk.lookup(id).expect("lookup");
        samples.push(start.elapsed());
        assert!(matches!(
            found,
            counterdesk::desk::customers::Lookup::Found(_)
        ));
    }
    report(
        "look-up by ID (desk.lookup, card built)",
        samples,
        "median < 1 ms",
    );
}

pub fn bench_keystrokes(db: &Path, ids: &[String]) {
    crate::clear_drafts(db);
    let mut app = App::new(open_desk(db), Lang::Zh);
    crate::sign_in(&mut app);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let mut key_and_draw = Vec::new();
    let mut draw_only = Vec::new();
    let mut press = |app: &mut App, k: KeyEvent, key_and_draw: &mut Vec<Duration>| {
        let start = Instant::now();
        app.handle_key(&k);
        let drawn = Instant::now();
        terminal.draw(|f| app.draw(f)).expect("draw");
        draw_only.push(drawn.elapsed());
        key_and_draw.push(start.elapsed());
    };
    let mut acceptance = Vec::new();
    // A clerk's rhythm: type an ID, Enter (look-up and card), then either a
    // new look-up or, every tenth customer, an acceptance up to the
    // disclosure checklist and back out (the draft is kept).
    for (n, id) in ids.iter().take(300).enumerate() {
        for c in id.chars() {
            press(&mut app, key(KeyCode::Char(c)), &mut key_and_draw);
        }
        press(&mut app, key(KeyCode::Enter), &mut key_and_draw);
        if n % 10 == 0 {
            let script: Vec<KeyEvent> = [
                KeyCode::F(3),
                KeyCode::Char('j'),
                KeyCode::Char('m'),
                KeyCode::Char('x'),
                KeyCode::Char('z'),
                KeyCode::Enter,
                KeyCode::Enter,
                KeyCode::Enter,
                KeyCode::Char('8'),
                KeyCode::Enter,
                KeyCode::F(10),
            ]
            .into_iter()
            .chain(std::iter::repeat_n(KeyCode::Char(' '), 6))
            .chain(std::iter::repeat_n(KeyCode::Up, 10))
            .chain([KeyCode::Esc, KeyCode::Esc, KeyCode::Esc, KeyCode::Esc])
            .map(key)
            .collect();
            for k in script {
                press(&mut app, k, &mut acceptance);
            }
        }
        press(&mut app, key(KeyCode::F(2)), &mut key_and_draw);
    }
    report(
        "keystroke + customers screen redraw",
        key_and_draw,
        "p99 < 4 ms",
    );
    report(
        "keystroke + acceptance screens (drafts fsync'd)",
        acceptance,
        "information",
    );
    report("redraw only, every screen above", draw_only, "p99 < 4 ms");
}

pub fn bench_startup(db: &Path) {
    use portable_pty::{native_pty_system, CommandBuilder, PtySize};
    let mut samples = Vec::new();
    for _ in 0..15 {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_counterdesk"));
        cmd.args(["--lang", "zh", "--db"]);
        cmd.arg(db);
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        let start = Instant::now();
        let mut child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let mut writer = pty.master.take_writer().expect("writer");
        let mut parser = vt100::Parser::new(30, 100, 0);
        let mut buf = [0u8; 16384];
        loop {
            let n = reader.read(&mut buf).expect("read");
            assert!(n > 0, "binary exited before drawing");
            parser.process(&buf[..n]);
            if parser.screen().contents().contains("柜员登录") {
                break;
            }
        }
        samples.push(start.elapsed());
        std::io::Write::write_all(&mut writer, b"\x11").expect("quit");
        let _ = child.wait();
        // Drain so the pty closes cleanly.
        std::thread::spawn(move || while reader.read(&mut buf).map(|n| n > 0).unwrap_or(false) {});
    }
    report(
        "start-up to drawn sign-in screen (pty)",
        samples,
        "median < 200 ms",
    );
}

pub fn bench_slips(db: &Path) {
    use counterdesk::domain::states::SlipKind as Kind;
    use counterdesk::slips::{doc::Marks, doc::Paper, font::SlipFont, kind::file_stem, pdf};
    let start = Instant::now();
    let font =
        SlipFont::from_bytes(counterdesk::slips::source::EMBEDDED_FONT.to_vec()).expect("font");
    println!(
        "{:<44} {:.1} ms",
        "slip font load (parse, once, in background)",
        start.elapsed().as_secs_f64() * 1e3
    );
    let desk = open_desk(db);
    let ticket: String = rusqlite::Connection::open(db)
        .and_then(|c| {
            c.query_row("SELECT ticket_no FROM application LIMIT 1", [], |r| {
                r.get(0)
            })
        })
        .expect("an application");
    for (kind, paper) in [
        (Kind::AcceptanceReceipt, Paper::A4),
        (Kind::ProgressSlip, Paper::Roll80),
        (Kind::DisclosureNotice, Paper::A4),
    ] {
        let doc = desk
            .application_slip(&ticket, kind, Marks::default())
            .expect("doc");
        let mut samples = Vec::new();
        let mut size = 0;
        for _ in 0..20 {
            let t = Instant::now();
            let bytes = pdf::render(&doc, &font, paper).expect("render");
            samples.push(t.elapsed());
            size = bytes.len();
        }
        report(
            &format!("render {} ({size} bytes)", file_stem(kind)),
            samples,
            "one page < 20 ms, < 40 KB",
        );
    }
}
