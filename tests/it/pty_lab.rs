//! The practice lab from the built binary in a pseudo-terminal: a trainee
//! signs in, runs a scenario, sees the score; a run killed mid-exercise is
//! listed as interrupted with what it recorded.

use crate::common::term::Term;

const ENTER: &str = "\r";
const CTRL_E: &str = "\x05";
const F3: &str = "\x1bOR";
const F5: &str = "\x1b[15~";
const F10: &str = "\x1b[21~";

fn config(dir: &std::path::Path) -> String {
    let cfg = dir.join("lab.toml");
    std::fs::write(
        &cfg,
        format!(
            "database = \"{}\"\n[lab]\ndir = \"{}\"\n",
            dir.join("production.db").display(),
            dir.join("lab").display()
        ),
    )
    .expect("config");
    cfg.to_string_lossy().into_owned()
}

fn sign_in(t: &mut Term) {
    t.wait_for("实训室");
    t.send("S101");
    t.send(ENTER);
    t.send("trainee101");
    t.send(ENTER);
    t.wait_for("欢迎来到实训室");
}

#[test]
fn a_trainee_signs_in_runs_a_scenario_and_sees_the_score() {
    let dir = tempfile::tempdir().expect("tmp");
    let cfg = config(dir.path());
    let mut t = Term::start(&["--config", &cfg, "--lang", "zh", "lab"]);
    sign_in(&mut t);
    t.send(ENTER);
    t.wait_for("实训开始");
    for (text, wait) in [
        ("11010519491231002X", None),
        (ENTER, Some("未找到")),
        ("王秀英", None),
        (ENTER, None),
        ("13800138000", None),
        (ENTER, None),
        ("北京市朝阳区人民路1号", None),
        (ENTER, Some("客户已登记")),
        (F3, Some("业务类型")),
        ("5", None),
        (ENTER, None),
        (ENTER, None),
        (ENTER, None),
        ("8", None),
        (ENTER, None),
        (F10, None),
        ("      c", None),
        (F10, Some("LAB-SL20261124-1-0001")),
        ("P", Some("已生成")),
    ] {
        t.send(text);
        if let Some(w) = wait {
            t.wait_for(w);
        }
    }
    t.send(CTRL_E);
    let screen = t.wait_for("得分 100 / 100");
    assert!(screen.contains("打印受理回执"), "{screen}");
    t.send("\x11");
    let _ = t.child.wait();
    // The production database was never created by the lab.
    assert!(!dir.path().join("production.db").exists());
}

#[test]
fn a_run_killed_mid_exercise_is_listed_as_interrupted_with_its_keys() {
    let dir = tempfile::tempdir().expect("tmp");
    let cfg = config(dir.path());
    let mut t = Term::start(&["--config", &cfg, "--lang", "zh", "lab"]);
    sign_in(&mut t);
    t.send(ENTER);
    t.wait_for("实训开始");
    t.send("11010519491231002X");
    t.send(ENTER);
    t.wait_for("未找到");
    t.child.kill().expect("kill");
    let _ = t.child.wait();

    let mut t = Term::start(&["--config", &cfg, "--lang", "zh", "lab"]);
    sign_in(&mut t);
    t.send(F5);
    let screen = t.wait_for("中断");
    assert!(screen.contains("01_residential_new"), "{screen}");
    // What it recorded: the 19 keys typed before the kill.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--config", &cfg, "lab", "export", "--out"])
        .arg(dir.path().join("csv"))
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("export");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.path().join("csv/runs.csv")).expect("csv");
    let row = csv.lines().nth(1).expect("a run");
    assert!(row.contains(",interrupted,"), "{csv}");
    assert!(row.ends_with(",19"), "{csv}");
    t.send("\x11");
    let _ = t.child.wait();
}

/// A trainer sets an exam on the screen of the built binary; the trainee
/// who signs in next is taken to its first station by F7.
#[test]
fn a_trainer_sets_an_exam_that_the_trainee_then_sits() {
    const F2: &str = "\x1bOQ";
    const F7: &str = "\x1b[18~";
    const F9: &str = "\x1b[20~";
    const F12: &str = "\x1b[24~";
    const DOWN: &str = "\x1b[B";
    let dir = tempfile::tempdir().expect("tmp");
    let cfg = config(dir.path());
    let mut t = Term::start(&["--config", &cfg, "--lang", "zh", "lab"]);
    t.wait_for("实训室");
    for s in ["T001", ENTER, "trainer001", ENTER] {
        t.send(s);
    }
    t.wait_for("欢迎来到实训室");
    t.send(F9);
    t.wait_for("还没有考试");
    t.send("n");
    t.wait_for("新建考试");
    // Name, the class suggested, 20 minutes, then the second scenario
    // (cash bill) as the one station.
    for s in ["日结小考", ENTER, ENTER, "20", DOWN, DOWN, DOWN, " "] {
        t.send(s);
    }
    t.wait_for("[1]");
    t.send(F2);
    t.wait_for("已设置考试 1：日结小考");
    t.send("\x1b");
    t.wait_for("F9 考试");
    t.send(F12);
    t.wait_for("登录");
    sign_in(&mut t);
    t.send(F7);
    let screen = t.wait_for("实训开始");
    assert!(screen.contains("现金缴电费"), "{screen}");
    t.send(CTRL_E);
    t.wait_for("得分");
    t.send("\x11");
    let _ = t.child.wait();
}
