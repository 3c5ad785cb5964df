//! The practice-lab figures: a fresh sandbox for a scenario ready (seeded,
//! trainee signed in); scoring a run from its sandbox; a 20-minute run
//! (1,200 keys a second apart) replayed at speed, every frame rendered.

use std::path::Path;
use std::time::{Duration, Instant};

use counterdesk::config;
use counterdesk::domain::msg::Lang;
use counterdesk::lab::{catalog, Lab};
use counterdesk::tui::key_script;
use counterdesk::tui::lab::exercise::Exercise;
use counterdesk::tui::lab::replay::Replay;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::report;

fn lab(dir: &Path) -> Lab {
    let mut c = config::defaults().expect("defaults");
    c.forms_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("forms");
    c.seed_demo_clerks = false;
    let forms = counterdesk::load::startup::load_forms(&c).expect("forms");
    let calendar = counterdesk::load::startup::load_calendar(&c).expect("calendar");
    let cat = catalog::load_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/training"),
        &forms,
    )
    .expect("scenarios");
    Lab::open(&c, dir, forms, calendar, cat).expect("lab")
}

pub fn bench_lab(quick: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/lab");
    let _ = std::fs::remove_dir_all(&dir);
    let lab = lab(&dir);
    let s = lab.catalog.scenarios[0].clone();
    let n = if quick { 3 } else { 30 };
    let mut ready = Vec::new();
    let mut scoring = Vec::new();
    for i in 0..n {
        let folder = dir.join(format!("run{i}"));
        std::fs::create_dir_all(&folder).expect("folder");
        let t = Instant::now();
        let sb = lab
            .sandbox(&folder, &folder.join("slips"), &s, "S101", "刘洋")
            .expect("sandbox");
        ready.push(t.elapsed());
        let mut ex = Exercise::new(i, s.clone(), sb.desk, sb.session, Lang::Zh);
        let mut at = 0;
        for k in key_script::parse(&s.model) {
            at += 1000;
            ex.key(at, &k);
        }
        let t = Instant::now();
        let sheet = lab.score(&s, &ex.app.desk, &ex.stats).expect("score");
        scoring.push(t.elapsed());
        assert_eq!(sheet.total, sheet.max);
    }
    report("lab: fresh sandbox ready", ready, "< 100 ms");
    report("lab: scoring a run", scoring, "< 50 ms");
    // A 20-minute run recorded in lab.db (the model answer, then arrow
    // keys on the card, one a second: 1,200 keys), replayed at speed: the
    // sandbox rebuilt, then every frame from the first stepped to and
    // rendered at 120×36, as the replay screen does.
    let person = lab.store.person("B1").expect("db").unwrap_or_else(|| {
        lab.store
            .add_person("B1", "测试", false, "bench", "x", chrono::Utc::now())
            .expect("person");
        lab.store.person("B1").expect("db").expect("person")
    });
    let (run_id, folder) = lab.new_run(&person, &s, None, None).expect("run");
    let sb = lab
        .sandbox(
            &folder,
            &folder.join("slips"),
            &s,
            &person.staff_no,
            &person.name,
        )
        .expect("sandbox");
    let mut ex = Exercise::new(run_id, s.clone(), sb.desk, sb.session, Lang::Zh);
    let mut keys = key_script::parse(&s.model);
    while keys.len() < 1200 {
        keys.extend(key_script::parse("<Down><Up>"));
    }
    let mut n = 0;
    for (i, k) in keys.iter().enumerate() {
        let at = (i as u64 + 1) * 1000;
        for r in ex.key(at, k) {
            lab.store
                .record(run_id, n, at as i64, r.kind(), r.value())
                .expect("record");
            n += 1;
        }
    }
    let sheet = lab.score(&s, &ex.app.desk, &ex.stats).expect("score");
    drop(ex);
    let mut lab = lab;
    lab.finish(run_id, &sheet).expect("finish");
    let run = lab.store.run(run_id).expect("db").expect("run");
    let area = Rect::new(0, 0, 120, 36);
    let t = Instant::now();
    let mut replay = Replay::open(&lab, &run, Lang::Zh).expect("replay");
    replay.go_to(&lab, 0).expect("start");
    let frames = replay.frame_count();
    for f in 0..frames {
        replay.go_to(&lab, f).expect("frame");
        let mut buf = Buffer::empty(area);
        replay.exercise.app.render(area, &mut buf);
    }
    let whole = t.elapsed();
    println!(
        "{:<44} frames={} total={:>9.3} ms  ratio to limit={:.3}  target: < 2 s",
        "lab: replay of a 20-minute run at speed",
        frames,
        whole.as_secs_f64() * 1e3,
        whole.as_secs_f64() / Duration::from_secs(2).as_secs_f64()
    );
}
