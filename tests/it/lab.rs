//! The practice lab driven as a trainee drives it: the lab app with key
//! scripts, scores from what the sandbox recorded, replay, isolation from
//! the production database and HQ, and `lab check` on good and broken files.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use counterdesk::domain::lab::RunState;
use counterdesk::domain::msg::Lang;
use counterdesk::tui::lab::{buffer_text, LabApp, Mode};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::common::lab::{config_in, lab_in, lab_with, play, render, TRAINING};

fn signed_in_lab(dir: &Path) -> LabApp {
    crate::common::lab::signed_in(lab_in(dir), "S101", "trainee101")
}

/// Every shipped scenario's model answer, played in a sandbox, scores full marks.
#[test]
fn every_shipped_scenario_is_done_to_full_marks_by_its_model_answer() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lab = lab_in(tmp.path());
    assert!(!lab.catalog.scenarios.is_empty());
    for s in &lab.catalog.scenarios {
        let sheet =
            counterdesk::cli::lab::play_model(&lab, s, &tmp.path().join("models"), Lang::Zh)
                .expect("played");
        let missed: Vec<_> = sheet
            .lines
            .iter()
            .filter(|l| !l.met())
            .map(|l| l.id.clone())
            .collect();
        assert_eq!(
            (sheet.total, sheet.max),
            (s.max_points(), s.max_points()),
            "{}: missed {missed:?}",
            s.id
        );
    }
}

/// The residential install without printing the slips loses exactly the
/// receipt's points, with the reason in the trainee's language; a hint
/// costs its points too.
#[test]
fn a_run_played_wrongly_loses_exactly_the_expected_points_with_reasons() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in_lab(tmp.path());
    let mut at = 1000;
    play(&mut app, "<Enter>", &mut at);
    assert!(app.exercise().is_some(), "exercise started");
    play(&mut app, "<C-t>", &mut at);
    play(
        &mut app,
        "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter><F3>5<Enter><Enter><Enter>8<Enter><F10>      c<F10>",
        &mut at,
    );
    let screen = render(&app);
    assert!(screen.contains("实训 PRACTICE"), "{screen}");
    assert!(screen.contains("LAB-SL20261124-1-0001"), "{screen}");
    assert!(
        screen.contains("房产证还在银行抵押"),
        "the customer's words move on: {screen}"
    );
    play(&mut app, "<C-e>", &mut at);
    let Mode::Sheet { sheet, .. } = &app.mode else {
        panic!("no sheet: {}", render(&app))
    };
    assert_eq!(sheet.max, 100);
    assert_eq!(sheet.hints, 1);
    assert_eq!(sheet.total, 100 - 40 - 5, "{sheet:?}");
    let text = render(&app);
    assert!(text.contains("✗   0/40  打印受理回执"), "{text}");
    assert!(text.contains("只打印了 0 次，应至少 1 次。"), "{text}");
    assert!(text.contains("提示 1 次，每次扣 5 分"), "{text}");
    // Recorded in lab.db as finished with the same score.
    let runs = app.lab.store.runs(None).expect("runs");
    assert_eq!(runs[0].state, counterdesk::domain::lab::RunState::Finished);
    assert_eq!(runs[0].total, Some(55));
}

/// A replay rebuilds the sandbox and applies the recorded keys at their
/// recorded moments: its last frame is the screen the trainee last saw.
#[test]
fn replay_reproduces_the_final_screen_exactly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in_lab(tmp.path());
    let mut at = 1000;
    play(&mut app, "<Enter>", &mut at);
    play(
        &mut app,
        "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter><F3>5<Enter><Enter><Enter>8<Enter><F10>      c<F10>P",
        &mut at,
    );
    let area = Rect::new(0, 0, 118, 40);
    let mut seen = Buffer::empty(area);
    app.exercise().expect("running").app.render(area, &mut seen);
    let seen = buffer_text(&seen);
    play(&mut app, "<C-e>", &mut at);
    let run = app.lab.store.runs(None).expect("runs")[0].clone();
    let mut replay =
        counterdesk::tui::lab::replay::Replay::open(&app.lab, &run, Lang::Zh).expect("replay");
    let mut again = Buffer::empty(area);
    replay.exercise.app.render(area, &mut again);
    assert_eq!(buffer_text(&again), seen);
    // The top of the screen (below it the slip paths name the temporary folder).
    let top: String = buffer_text(&again)
        .lines()
        .take(14)
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("lab_replay_final", top);
    // Step back to the start and forward again: the same screen.
    replay.go_to(&app.lab, 0).expect("start");
    assert!(buffer_text(&{
        let mut b = Buffer::empty(area);
        replay.exercise.app.render(area, &mut b);
        b
    })
    .contains("客户"));
    let last = replay.frame_count() - 1;
    replay.go_to(&app.lab, last).expect("end");
    let mut end = Buffer::empty(area);
    replay.exercise.app.render(area, &mut end);
    assert_eq!(buffer_text(&end), seen);
}

/// A practice session with the production database configured and HQ's
/// address pointing at a live loopback listener: the production file is
/// byte-for-byte unchanged and nothing ever connected.
#[test]
fn practice_never_reaches_the_production_database_or_hq() {
    let tmp = tempfile::tempdir().expect("tmp");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&connections);
    listener.set_nonblocking(false).expect("blocking");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut s = stream;
            let mut buf = [0u8; 64];
            let _ = s.read(&mut buf);
        }
    });
    // The production database exists with its own records.
    let mut c = config_in(tmp.path());
    {
        let store =
            counterdesk::store::Store::open(&c.database, counterdesk::clock::Clock::system())
                .expect("prod");
        drop(store);
    }
    let before = std::fs::read(&c.database).expect("prod bytes");
    c.hq.url = format!("http://127.0.0.1:{port}");
    c.hq.interval_seconds = 1;
    let mut app = LabApp::new(lab_with(&c), Lang::Zh);
    let mut at = 0;
    play(&mut app, "S101<Enter>trainee101<Enter><Enter>", &mut at);
    play(
        &mut app,
        "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter><F3>5<Enter><Enter><Enter>8<Enter><F10>      c<F10>P<C-e>",
        &mut at,
    );
    assert!(matches!(app.mode, Mode::Sheet { .. }));
    std::thread::sleep(std::time::Duration::from_millis(1500));
    drop(app);
    assert_eq!(
        std::fs::read(&c.database).expect("prod bytes"),
        before,
        "production database changed"
    );
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "something connected to HQ"
    );
    // The sandbox holds the run's work, with no outbox records.
    let run_dir = std::fs::read_dir(c.lab.dir.join("runs"))
        .expect("runs")
        .flatten()
        .next()
        .expect("run")
        .path();
    let sandbox = rusqlite::Connection::open(run_dir.join("sandbox.db")).expect("sandbox");
    let apps: i64 = sandbox
        .query_row("SELECT count(*) FROM application", [], |r| r.get(0))
        .expect("n");
    let outbox: i64 = sandbox
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .expect("n");
    assert_eq!((apps, outbox), (1, 0));
    let slips: Vec<String> = std::fs::read_dir(run_dir.join("slips/2026-11-24"))
        .expect("slips")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        slips.iter().any(|f| f.contains("LAB-SL20261124-1-0001")),
        "{slips:?}"
    );
}

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_counterdesk"))
}

/// `lab check` on the shipped folder passes; on a broken file it names
/// file, line and fix for every problem, and exits 1.
#[test]
fn lab_check_reports_every_problem_with_file_line_and_fix() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cfg = tmp.path().join("c.toml");
    std::fs::write(
        &cfg,
        format!("[lab]\ndir = \"{}\"\n", tmp.path().join("lab").display()),
    )
    .expect("cfg");
    let good = Command::new(bin())
        .args([
            "--config",
            cfg.to_str().expect("p"),
            "lab",
            "check",
            TRAINING,
        ])
        .output()
        .expect("run");
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
    let broken = tmp.path().join("broken");
    std::fs::create_dir_all(&broken).expect("dir");
    let text =
        std::fs::read_to_string(Path::new(TRAINING).join("01_residential_new.toml")).expect("read");
    let text = text
        .replace(
            "form = \"lv_residential_new\"",
            "form = \"lv_residential_nwe\"",
        )
        .replace(
            "documents = [\"applicant_id\"]",
            "documents = [\"passport_copy\"]",
        )
        .replace(
            "kind = \"acceptance_receipt\"",
            "kind = \"acceptance_slip\"",
        );
    std::fs::write(broken.join("01_residential_new.toml"), text).expect("write");
    let out = Command::new(bin())
        .args([
            "--config",
            cfg.to_str().expect("p"),
            "lab",
            "check",
            broken.to_str().expect("p"),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stdout).replace(broken.to_str().expect("p"), "<dir>");
    insta::assert_snapshot!("lab_check_broken", report);
}

fn write_config(dir: &Path, extra: &str) -> PathBuf {
    let cfg = dir.join("c.toml");
    std::fs::write(
        &cfg,
        format!(
            "database = \"{}\"\n[lab]\ndir = \"{}\"\n{extra}",
            dir.join("production.db").display(),
            dir.join("lab").display()
        ),
    )
    .expect("cfg");
    cfg
}

/// `lab replay RUN --to-frame N` renders the frame a trainee saw after N keys.
#[test]
fn lab_replay_renders_a_frame_for_scripts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in_lab(tmp.path());
    let mut at = 1000;
    play(&mut app, "<Enter>", &mut at);
    play(
        &mut app,
        "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter><F3>5<Enter><Enter><Enter>8<Enter><F10>      c<F10><C-e>",
        &mut at,
    );
    let run = app.lab.store.runs(None).expect("runs")[0].id.to_string();
    drop(app);
    let cfg = write_config(tmp.path(), "");
    let frame = |n: &str| {
        let out = Command::new(bin())
            .args([
                "--config",
                cfg.to_str().expect("p"),
                "--lang",
                "zh",
                "lab",
                "replay",
                &run,
                "--to-frame",
                n,
            ])
            .env("HOME", std::env::temp_dir())
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = frame("0");
    assert!(
        first.contains("实训 PRACTICE") && !first.contains("王秀英"),
        "{first}"
    );
    let name_typed = frame("22");
    assert!(name_typed.contains("王秀英"), "{name_typed}");
    let last = frame("9999");
    assert!(last.contains("LAB-SL20261124-1-0001"), "{last}");
    let unknown = Command::new(bin())
        .args([
            "--config",
            cfg.to_str().expect("p"),
            "--lang",
            "zh",
            "lab",
            "replay",
            "77",
        ])
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("run");
    assert_eq!(unknown.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("没有第 77 次练习记录"));
}

/// A broken scenario file keeps the lab from starting, with file, line and
/// fix, and no run is started.
#[test]
fn a_broken_scenario_never_starts_the_lab() {
    let tmp = tempfile::tempdir().expect("tmp");
    let broken = tmp.path().join("training");
    std::fs::create_dir_all(&broken).expect("dir");
    let text =
        std::fs::read_to_string(Path::new(TRAINING).join("01_residential_new.toml")).expect("read");
    std::fs::write(
        broken.join("01_residential_new.toml"),
        text.replace("level = \"easy\"", "level = \"very easy\""),
    )
    .expect("write");
    let cfg = write_config(
        tmp.path(),
        &format!("scenarios_dir = \"{}\"\n", broken.display()),
    );
    let out = Command::new(bin())
        .args(["--config", cfg.to_str().expect("p"), "--lang", "zh", "lab"])
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("实训场景有 1 个问题，实训室无法启动"), "{err}");
    assert!(err.contains("01_residential_new.toml:4: 不认识的值 “very easy”。可以写：easy, standard, hard, contest。"), "{err}");
    assert!(!tmp.path().join("lab/runs").exists());
}

/// `lab add-exam` and `lab ranking` from the command line go through the
/// same checks as the trainer's screen: a class nobody is in is refused
/// with the classes on record (exit 2), a good exam is set and ranked.
#[test]
fn lab_add_exam_checks_like_the_screen_and_ranking_lists_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cfg = write_config(tmp.path(), "");
    let run = |args: &[&str]| {
        let mut all = vec!["--config", cfg.to_str().expect("p"), "--lang", "zh", "lab"];
        all.extend_from_slice(args);
        Command::new(bin())
            .args(&all)
            .env("HOME", std::env::temp_dir())
            .env("COUNTERDESK_PASSWORD", "trainer001")
            .output()
            .expect("run")
    };
    let exam = |class: &str| {
        run(&[
            "add-exam",
            "--as",
            "T001",
            "--name",
            "日结小考",
            "--class",
            class,
            "--minutes",
            "20",
            "--scenario",
            "12_shift_close",
            "--question",
            "change_simple",
        ])
    };
    let wrong = exam("2026秋季班");
    assert_eq!(wrong.status.code(), Some(2));
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        err.contains("没有学员在班级“2026秋季班”。已有班级：2026春季班"),
        "{err}"
    );
    let relay_of_one = run(&[
        "add-exam",
        "--as",
        "T001",
        "--name",
        "x",
        "--class",
        "2026春季班",
        "--minutes",
        "20",
        "--relay",
        "--scenario",
        "16_relay_payments",
    ]);
    assert_eq!(relay_of_one.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&relay_of_one.stderr).contains("接力考试至少要有两个场景站"));
    let good = exam("2026春季班");
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(String::from_utf8_lossy(&good.stdout).contains("已设置考试 1：日结小考"));
    let ranking = run(&["ranking", "1"]);
    assert_eq!(ranking.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ranking.stdout).contains("还没有人参加"));
    let unknown = run(&["ranking", "7"]);
    assert_eq!(unknown.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("没有第 7 号考试"));
    // By the name it was set with, as a trainer remembers it.
    let by_name = run(&["ranking", "日结小考"]);
    assert_eq!(
        by_name.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&by_name.stderr)
    );
    assert!(String::from_utf8_lossy(&by_name.stdout).contains("还没有人参加"));
    let no_such = run(&["ranking", "十二月小测"]);
    assert_eq!(no_such.status.code(), Some(4));
    let err = String::from_utf8_lossy(&no_such.stderr);
    assert!(
        err.contains("没有名为“十二月小测”的考试") && !err.contains("invalid digit"),
        "{err}"
    );
}

/// A second lab on the same lab.db leaves a run another lab still has open
/// as running; once that lab is gone, the next start marks it interrupted.
#[test]
fn a_second_lab_leaves_a_run_still_open_elsewhere_running() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut first = signed_in_lab(tmp.path());
    let mut at = 0;
    crate::common::lab::start(&mut first, "02_cash_bill", &mut at);
    play(&mut first, "<F6>", &mut at);
    let second = lab_in(tmp.path());
    let runs = second.store.runs(None).expect("runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].state, RunState::Running);
    drop(second);
    drop(first);
    let third = lab_in(tmp.path());
    let runs = third.store.runs(None).expect("runs");
    assert_eq!(runs[0].state, RunState::Interrupted);
    assert_eq!(runs[0].keys, 1);
}

/// A run keeps a copy of its scenario: a later edit of the catalogue (more
/// points, say) changes neither its score sheet nor its replay.
#[test]
fn a_runs_sheet_stays_as_it_was_when_the_scenario_changes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in_lab(tmp.path());
    let mut at = 0;
    crate::common::lab::start(&mut app, "02_cash_bill", &mut at);
    play(
        &mut app,
        "<F6>1101000012345<Enter>300<Enter>p<C-e>",
        &mut at,
    );
    let run = app.lab.store.runs(None).expect("runs")[0].clone();
    let before = app.lab.sheet_of(&run).expect("sheet");
    assert_eq!(Some(before.total), run.total);
    assert!(run.folder.join("02_cash_bill.toml").exists());
    // The trainer doubles every expectation's points in the catalogue.
    let s = app
        .lab
        .catalog
        .scenarios
        .iter_mut()
        .find(|s| s.id == "02_cash_bill")
        .expect("scenario");
    for e in &mut s.expect {
        e.points *= 2;
    }
    let after = app.lab.sheet_of(&run).expect("sheet");
    assert_eq!(after.total, before.total);
    assert_eq!(after.max, before.max);
}

/// Lab sign-in locks after the configured wrong passwords in a row, even
/// against the right one; a trainer's `lab reset-password` lifts it.
#[test]
fn lab_sign_in_locks_and_a_trainer_resets_the_password() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lab = lab_in(tmp.path());
    // The lab's configuration is the defaults (`config_in`).
    let max = counterdesk::config::defaults()
        .expect("defaults")
        .security
        .max_failed_sign_ins;
    for _ in 0..max - 1 {
        assert_eq!(
            lab.sign_in("S101", "wrong").expect_err("wrong").key,
            "lab.wrong_sign_in"
        );
    }
    assert_eq!(
        lab.sign_in("S101", "wrong").expect_err("locks").key,
        "lab.locked"
    );
    assert_eq!(
        lab.sign_in("S101", "trainee101").expect_err("locked").key,
        "lab.locked"
    );
    drop(lab);
    let cfg = write_config(tmp.path(), "");
    let out = Command::new(bin())
        .args([
            "--config",
            cfg.to_str().expect("p"),
            "--lang",
            "zh",
            "lab",
            "reset-password",
            "--as",
            "T001",
            "--staff-no",
            "S101",
        ])
        .env("HOME", std::env::temp_dir())
        .env("COUNTERDESK_PASSWORD", "trainer001")
        .env("COUNTERDESK_NEW_PASSWORD", "practice-2026")
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lab = lab_in(tmp.path());
    let p = lab.sign_in("S101", "practice-2026").expect("signed in");
    assert_eq!(p.staff_no, "S101");
}
