//! What trainers see and print: the score sheet on paper, classes by
//! skill with the class report, whose runs may be replayed, replay at
//! speed, an exam's time limit, and a practice-room PC that starts the lab.

use crate::common::lab::{lab_in, play, render, signed_in, start};
use counterdesk::tui::lab::Mode;
use counterdesk::tui::Program;

#[test]
fn the_score_sheet_prints_as_a_practice_pdf_that_reads_back() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "02_cash_bill", &mut at);
    play(
        &mut app,
        "<F6>1101000012345<Enter>300<Enter>p<C-e><F4>",
        &mut at,
    );
    let Mode::Sheet { run, .. } = &app.mode else {
        panic!("no sheet")
    };
    let pdf = run.folder.join("score-sheet.pdf");
    assert!(render(&app).contains("评分单已写入"), "{}", render(&app));
    let text = crate::common::pdf_text(&pdf);
    for want in [
        "实训评分单",
        "刘洋",
        "实收应为 ¥200.00，记录的是 ¥300.00。",
        "培训师签字",
        "TRAINING",
    ] {
        assert!(text.contains(want), "{want} missing from:\n{text}");
    }
}

#[test]
fn a_trainer_sees_classes_by_skill_and_writes_the_class_report() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "02_cash_bill", &mut at);
    play(
        &mut app,
        "<F6>1101000012345<Enter>300<Enter>p<C-e><Esc>",
        &mut at,
    );
    start(&mut app, "01_residential_new", &mut at);
    let model = app.exercise().expect("ex").scenario.model.clone();
    play(&mut app, &format!("{model}<C-e><Esc><F12>"), &mut at);
    // A trainee has no class view.
    let lab = app.lab;
    let mut app = signed_in(lab, "S102", "trainee102");
    play(&mut app, "<F8>", &mut at);
    assert!(matches!(app.mode, Mode::Home { .. }));
    play(&mut app, "<F5>", &mut at);
    let Mode::Runs { runs, .. } = &app.mode else {
        panic!("runs")
    };
    assert!(runs.is_empty(), "a trainee sees only their own runs");
    play(&mut app, "<Esc><F12>", &mut at);
    let lab = app.lab;
    let mut app = signed_in(lab, "T001", "trainer001");
    play(&mut app, "<F8>", &mut at);
    let screen = render(&app);
    assert!(screen.contains("班级：2026春季班"), "{screen}");
    assert!(screen.contains("最弱：收费"), "{screen}");
    assert!(
        screen.contains("居民新装（一证受理）：平均 100%（1 次）"),
        "{screen}"
    );
    play(&mut app, "<F4>", &mut at);
    let csv = std::fs::read_to_string(app.lab.dir().join("classes.csv")).expect("csv");
    assert!(
        csv.starts_with("class,skill,points,possible,percent\n"),
        "{csv}"
    );
    assert!(csv.contains("2026春季班,acceptance,40,40,100"), "{csv}");
    let text = crate::common::pdf_text(&app.lab.dir().join("classes.pdf"));
    assert!(
        text.contains("实训班级报告") && text.contains("2026春季班"),
        "{text}"
    );
    // The trainer sees everyone's runs and replays one.
    play(&mut app, "<Esc><F5>", &mut at);
    let Mode::Runs { runs, .. } = &app.mode else {
        panic!("runs")
    };
    assert_eq!(runs.len(), 2);
    play(&mut app, "<F6>", &mut at);
    assert!(matches!(app.mode, Mode::Replay(_)), "{}", render(&app));
}

#[test]
fn a_replay_plays_at_speed_from_the_start() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "01_residential_new", &mut at);
    let model = app.exercise().expect("ex").scenario.model.clone();
    play(&mut app, &format!("{model}<C-e><F6>"), &mut at);
    let Mode::Replay(r) = &app.mode else {
        panic!("replay")
    };
    let last = r.frame_count() - 1;
    assert_eq!(r.frame, last);
    play(&mut app, "a", &mut at);
    let Mode::Replay(r) = &app.mode else {
        panic!("replay")
    };
    assert_eq!(r.frame, 0, "at the end, A starts from the beginning");
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert!(app.tick(), "frames moved on");
    let Mode::Replay(r) = &app.mode else {
        panic!("replay")
    };
    // 0.6 s at 8× is 4.8 s of the run: four keys a second apart.
    assert!((3..=6).contains(&r.frame), "frame {}", r.frame);
    assert!(r.playing());
}

#[test]
fn an_exam_refuses_work_once_its_time_is_up() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lab = lab_in(tmp.path());
    crate::common::lab::exam(
        &mut lab,
        "理论小测",
        1,
        false,
        &[("question", "change_simple"), ("question", "id_check_char")],
    );
    let mut app = signed_in(lab, "S101", "trainee101");
    let mut at = 0;
    play(&mut app, "<F7>13.60<Enter>", &mut at);
    assert!(render(&app).contains("✓ 正确"));
    // Two minutes later by the answer's own record.
    let db = rusqlite::Connection::open(app.lab.dir().join("lab.db")).expect("lab.db");
    db.execute("UPDATE answer SET at = '2000-01-01T00:00:00.000Z'", [])
        .expect("update");
    play(&mut app, "<Enter>对<Enter>", &mut at);
    let screen = render(&app);
    assert!(screen.contains("1 分钟已经用完"), "{screen}");
    let n: i64 = db
        .query_row("SELECT count(*) FROM answer", [], |r| r.get(0))
        .expect("n");
    assert_eq!(n, 1, "the late answer is not recorded");
    play(&mut app, "<Esc><F7>", &mut at);
    assert!(render(&app).contains("1 分钟已经用完"));
}

#[test]
fn a_practice_room_pc_starts_the_lab_and_only_the_lab() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cfg = tmp.path().join("room.toml");
    std::fs::write(
        &cfg,
        format!(
            "database = \"{}\"\n[lab]\nonly = true\ndir = \"{}\"\n",
            tmp.path().join("production.db").display(),
            tmp.path().join("lab").display()
        ),
    )
    .expect("cfg");
    let mut t =
        crate::common::term::Term::start(&["--config", cfg.to_str().expect("p"), "--lang", "zh"]);
    let screen = t.wait_for("实训室");
    assert!(!screen.contains("柜员登录"), "{screen}");
    // A counter clerk's account is not a lab account.
    t.send("1001\rcounter1001\r");
    t.wait_for("工号或密码不对");
    t.send("\x11");
    let _ = t.child.wait();
    // The counter's own commands are refused there too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args([
            "--config",
            cfg.to_str().expect("p"),
            "--lang",
            "zh",
            "case",
            "overdue",
        ])
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("这台电脑是实训室电脑"));
    assert!(!tmp.path().join("production.db").exists());
}

/// A trainer sets an exam on the screen: every mistake is said with what to
/// do and nothing typed or ticked is lost; the draft survives a look at the
/// list; stations take the order they were ticked in.
#[test]
fn a_trainer_sets_a_relay_exam_on_the_screen() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "T001", "trainer001");
    let mut at = 0;
    play(&mut app, "<F9>", &mut at);
    assert!(render(&app).contains("还没有考试"), "{}", render(&app));
    // Nothing named: refused, and said how.
    play(&mut app, "n<F2>", &mut at);
    assert!(
        render(&app).contains("请给考试起个名字"),
        "{}",
        render(&app)
    );
    // A class nobody is in (typing replaces the suggested one): refused
    // with the classes on record.
    play(&mut app, "收费接力赛<Enter>2026秋季班<Enter><F2>", &mut at);
    let screen = render(&app);
    assert!(
        screen.contains("没有学员在班级“2026秋季班”。已有班级：2026春季班"),
        "{screen}"
    );
    assert!(screen.contains("收费接力赛"), "the name stays: {screen}");
    // Minutes that are no number; nothing ticked; a relay of one station.
    let back = |n: usize| "<Backspace>".repeat(n);
    let steps = [
        (
            format!("<Up>{}2026春季班<Down>abc<F2>", back(7)),
            "时限请填 1 到 480 之间的分钟数",
        ),
        (
            format!("{}30<Down><Space><Down><F2>", back(3)),
            "考试至少要有一个场景或一道理论题",
        ),
        (
            format!("{}<Space><F2>", "<Down>".repeat(15)),
            "接力考试至少要有两个场景站",
        ),
    ];
    for (script, said) in steps {
        play(&mut app, &script, &mut at);
        let screen = render(&app);
        assert!(screen.contains(said), "{said}: {screen}");
    }
    // A look at the list keeps the draft, ticks and all.
    play(&mut app, "<Esc>", &mut at);
    assert!(render(&app).contains("考试草稿已保留"), "{}", render(&app));
    play(&mut app, "n", &mut at);
    let screen = render(&app);
    assert!(screen.contains("收费接力赛"), "{screen}");
    assert!(screen.contains("[1]  场景 [竞赛] 接力（一）"), "{screen}");
    // The second station, then set.
    play(&mut app, "<Down><Space><F2>", &mut at);
    let screen = render(&app);
    assert!(screen.contains("已设置考试 1：收费接力赛"), "{screen}");
    let exams = app.lab.store.exams(Some("2026春季班")).expect("exams");
    assert_eq!(exams.len(), 1);
    let e = &exams[0];
    assert_eq!((e.minutes, e.relay), (30, true));
    let items: Vec<&str> = e.items.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(items, ["16_relay_payments", "17_relay_close"]);
    assert!(screen.contains("1. 接力（一）：收两笔电费"), "{screen}");
    assert!(screen.contains("还没有人参加"), "{screen}");
    // The trainee's F7 now starts station 1.
    play(&mut app, "<Esc><F12>", &mut at);
    let mut app = signed_in(app.lab, "S101", "trainee101");
    play(&mut app, "<F7>", &mut at);
    let ex = app.exercise().expect("station 1 started");
    assert_eq!(ex.scenario.id, "16_relay_payments");
}

/// A trainer opens one trainee's history from the class view: their runs
/// and their points per skill; a trainee's own runs show the same head.
#[test]
fn a_trainees_history_shows_their_runs_and_skills() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "02_cash_bill", &mut at);
    play(
        &mut app,
        "<F6>1101000012345<Enter>300<Enter>p<C-e><Esc><F5>",
        &mut at,
    );
    let own = render(&app);
    assert!(own.contains("刘洋 的各项技能得分率"), "{own}");
    assert!(own.contains("收费"), "{own}");
    play(&mut app, "<Esc><F12>", &mut at);
    let mut app = signed_in(app.lab, "T001", "trainer001");
    play(&mut app, "<F8><Enter>", &mut at);
    let list = render(&app);
    let liu = list
        .lines()
        .find(|l| l.contains("S101"))
        .unwrap_or_default();
    assert!(liu.contains("完成 1 次 中断 0 次"), "{list}");
    let sun = list
        .lines()
        .find(|l| l.contains("S102"))
        .unwrap_or_default();
    // No run yet is said as such, not as a score of nothing.
    assert!(
        sun.contains("尚无练习记录") && !sun.contains("得分率 0%"),
        "{list}"
    );
    play(&mut app, "<Enter>", &mut at);
    let Mode::Runs { runs, history, .. } = &app.mode else {
        panic!("history: {}", render(&app))
    };
    assert_eq!(runs.len(), 1);
    let h = history.as_ref().expect("history head");
    assert_eq!(h.name, "刘洋");
    let money = h
        .skills
        .iter()
        .find(|(s, _, _)| s == "money")
        .expect("money skill");
    assert!(
        money.1 < money.2,
        "the wrong tender lost money points: {money:?}"
    );
    // Esc goes back to the trainee list, then to the classes.
    play(&mut app, "<Esc>", &mut at);
    assert!(matches!(app.mode, Mode::Trainees { .. }));
    play(&mut app, "<Esc>", &mut at);
    assert!(matches!(app.mode, Mode::Classes { .. }));
}

/// On an 80×24 terminal the scenario list scrolls with the selection: the
/// last scenario can be seen when chosen.
#[test]
fn the_scenario_list_scrolls_on_a_small_terminal() {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let n = app.lab.catalog.scenarios.len();
    let last = app.lab.catalog.scenarios[n - 1].title.zh.clone();
    let small = |app: &counterdesk::tui::lab::LabApp| {
        let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        t.draw(|f| app.draw(f)).expect("draw");
        counterdesk::tui::lab::buffer_text(t.backend().buffer())
    };
    let list_side = |screen: &str| {
        screen
            .lines()
            .map(|l| l.chars().take(40).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let first = small(&app);
    assert!(!list_side(&first).contains(&format!("{n}.")), "{first}");
    let mut at = 0;
    play(&mut app, &"<Down>".repeat(n - 1), &mut at);
    let screen = small(&app);
    assert!(list_side(&screen).contains(&format!("{n}.")), "{screen}");
    assert!(screen.contains(&last), "{screen}");
}

/// An exam's question is marked once: leaving and pressing F7 again goes
/// on with the questions not yet answered, and the ranking counts each once.
#[test]
fn an_exam_question_cannot_be_answered_again() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lab = lab_in(tmp.path());
    // An older exam of the class, still to sit once the newer one is done.
    crate::common::lab::exam(
        &mut lab,
        "证件小测",
        30,
        false,
        &[("question", "id_check_char")],
    );
    let exam = crate::common::lab::exam(
        &mut lab,
        "计算小测",
        30,
        false,
        &[
            ("question", "late_fee_residential"),
            ("question", "change_simple"),
        ],
    );
    let mut app = signed_in(lab, "S101", "trainee101");
    let mut at = 0;
    play(&mut app, "<F7>3<Enter>", &mut at);
    assert!(render(&app).contains("✗ 不对"), "{}", render(&app));
    play(&mut app, "<Esc><F7>", &mut at);
    let screen = render(&app);
    assert!(screen.contains("应收 86.40 元"), "{screen}");
    assert!(!screen.contains("居民客户电费 200.00 元"), "{screen}");
    play(&mut app, "13.6<Enter><Esc><F7>", &mut at);
    // The newer exam is done: F7 goes on with the older one.
    assert!(
        render(&app).contains("校验码可以是字母 X"),
        "{}",
        render(&app)
    );
    play(&mut app, "对<Enter><Esc><F7>", &mut at);
    assert!(render(&app).contains("各项已经做完"), "{}", render(&app));
    let ranking = app.lab.store.ranking(exam).expect("ranking");
    assert_eq!(ranking.len(), 1);
    assert_eq!((ranking[0].2, ranking[0].3), (10, 20));
}

/// Ctrl+Q in an exercise asks first; a second press ends and scores it.
/// An exam station whose exam's time runs out ends itself.
#[test]
fn a_run_ends_on_a_second_ctrl_q_and_an_exam_station_when_time_is_up() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "02_cash_bill", &mut at);
    play(&mut app, "<C-q>", &mut at);
    assert!(app.exercise().is_some());
    assert!(render(&app).contains("再按一次 Ctrl+Q"), "{}", render(&app));
    play(&mut app, "<F6><C-q><C-q>", &mut at);
    assert!(matches!(app.mode, Mode::Sheet { .. }), "{}", render(&app));

    crate::common::lab::exam(
        &mut app.lab,
        "收费",
        5,
        false,
        &[("scenario", "02_cash_bill")],
    );
    play(&mut app, "<Esc><F7>", &mut at);
    assert!(app.exercise().is_some(), "{}", render(&app));
    // The station's deadline is the exam's five minutes from its start.
    let Mode::Exercise(e, _) = &mut app.mode else {
        panic!("station")
    };
    let left = e.deadline.expect("deadline") - chrono::Utc::now();
    assert!(
        left > chrono::Duration::minutes(4) && left <= chrono::Duration::minutes(5),
        "{left:?}"
    );
    // Five minutes on (the deadline moved back rather than the clock on).
    e.deadline = Some(chrono::Utc::now() - chrono::Duration::seconds(1));
    assert!(app.tick());
    assert!(matches!(app.mode, Mode::Sheet { .. }), "{}", render(&app));
    assert!(render(&app).contains("考试时间到"), "{}", render(&app));
}

/// The exercise's header is never cut mid-word beside the panel, and the
/// score sheet's time is the time the panel showed when the run ended.
#[test]
fn the_exercise_header_is_whole_and_the_sheet_keeps_the_panels_clock() {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "02_cash_bill", &mut at);
    for width in [100u16, 120, 160] {
        let mut t = Terminal::new(TestBackend::new(width, 36)).expect("terminal");
        t.draw(|f| app.draw(f)).expect("draw");
        let screen = counterdesk::tui::lab::buffer_text(t.backend().buffer());
        let header = screen.lines().next().unwrap_or_default().to_string();
        assert!(header.contains("实训 PRACTICE"), "{width}: {header}");
        assert!(header.contains("S101 刘洋"), "{width}: {header}");
        // A role is shown whole or not at all.
        assert_eq!(
            header.matches('(').count(),
            header.matches(')').count(),
            "{width}: {header}"
        );
    }
    // Keys until 5 s, then 17 s of talking, then the end: 0:22 as the
    // panel said, not 0:05.
    play(&mut app, "<F6>", &mut at);
    let ended = at + 17_000;
    let k = counterdesk::tui::key_script::parse("<C-e>");
    app.handle_key_at(&k[0], ended);
    let Mode::Sheet { sheet, .. } = &app.mode else {
        panic!("no sheet")
    };
    assert_eq!(sheet.elapsed_ms, ended);
}

/// Skill bars line up under names of any width, and a class whose skills
/// all stand level has no weakest one named.
#[test]
fn skill_bars_line_up_and_no_weakest_skill_is_named_when_all_are_level() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "01_residential_new", &mut at);
    let model = app.exercise().expect("ex").scenario.model.clone();
    play(&mut app, &format!("{model}<C-e><Esc><F12>"), &mut at);
    let lab = app.lab;
    let mut app = signed_in(lab, "T001", "trainer001");
    play(&mut app, "<F8>", &mut at);
    let screen = render(&app);
    assert!(!screen.contains("最弱"), "all at 100 %: {screen}");
    let bar_columns: Vec<usize> = screen
        .lines()
        .filter(|l| l.contains('█'))
        .map(|l| {
            let before = &l[..l.find('█').expect("bar")];
            unicode_width::UnicodeWidthStr::width(before)
        })
        .collect();
    assert!(bar_columns.len() >= 2, "{screen}");
    assert!(
        bar_columns.windows(2).all(|w| w[0] == w[1]),
        "{bar_columns:?}\n{screen}"
    );
}
