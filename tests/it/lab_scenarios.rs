//! Shipped scenarios played wrongly, faults as a trainee meets them, a
//! relay exam across two trainees, and theory questions.

use crate::common::lab::{lab_in, play, render, signed_in, start};
use counterdesk::domain::lab::Expect;
use counterdesk::domain::msg::Lang;
use counterdesk::i18n;
use counterdesk::tui::lab::Mode;

/// What a run that does nothing leaves: every expectation that needs work
/// is missed with its own reason; those that forbid something are met.
fn missed_reason(e: &Expect) -> Option<&'static str> {
    Some(match e {
        Expect::NoCustomer { .. } | Expect::NoApplication { .. } | Expect::NoPayment { .. } => {
            return None
        }
        Expect::Customer { .. } => "没有登记这位客户。",
        Expect::Application { .. } => "没有受理这项业务。",
        Expect::Payment { .. } => "没有这个户号的收费记录。",
        Expect::FeePaid { .. } => "没有收取这项业务费。",
        Expect::Reversal { .. } => "没有冲正这笔收费。",
        Expect::Slip { .. } => "只打印了 0 次",
        Expect::Refused { .. } => "没有出现这个拒绝：陷阱没有被识别出来。",
        Expect::ShiftClosed { .. } => "没有日终扎账。",
        Expect::Asked { .. } => "没有问：需要的事实没有向客户核实。",
    })
}

/// Before anything happens, no scenario's panel gives away what the
/// trainee must find: no answer before its question is asked, nothing the
/// customer says only later, and no card's number where the number is the
/// trap.
#[test]
fn no_scenario_panel_shows_what_the_trainee_must_find_before_its_time() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let scenarios = app.lab.catalog.scenarios.clone();
    let mut at = 0;
    for s in &scenarios {
        start(&mut app, &s.id, &mut at);
        let panel = render(&app);
        let c = &s.customer;
        // (The brief is the task as the trainer wrote it; what the
        // customer says and answers is marked on the panel.)
        for a in &c.answers {
            let answer = a.answer.zh.chars().take(8).collect::<String>();
            assert!(
                !panel.contains(&format!("— {answer}")),
                "{}: answer {answer:?} shown unasked:\n{panel}",
                s.id
            );
            let ask = a.ask.zh.chars().take(8).collect::<String>();
            assert!(
                panel.contains(&ask),
                "{}: the question is offered:\n{panel}",
                s.id
            );
        }
        for l in c.says.iter().filter(|l| l.after.is_some()) {
            let later = l.text.zh.chars().take(8).collect::<String>();
            assert!(
                !panel.contains(&format!("» {later}")),
                "{}: {later:?} said too early",
                s.id
            );
        }
        if c.card_on_request {
            assert!(
                !panel.contains(&c.id_number),
                "{}: the card's number shown unasked",
                s.id
            );
        }
        play(&mut app, "<C-e><Esc>", &mut at);
    }
}

/// The wrong check character: the card's number shows only once asked
/// for, typing it without asking costs the check, and asking shows it.
#[test]
fn the_card_behind_a_wrong_check_character_shows_only_when_asked_for() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "10_wrong_check_char", &mut at);
    let card = "510107199202290087";
    assert!(!render(&app).contains(card), "{}", render(&app));
    // Typing the right number without asking for the card: registered,
    // but the check with the customer is missed.
    play(
        &mut app,
        &format!("510107199202290081<Enter><C-u>{card}<Enter>黄静<Enter>13880001234<Enter>成都市武侯区科华北路65号2栋1单元801<Enter>"),
        &mut at,
    );
    play(&mut app, "<C-e>", &mut at);
    let Mode::Sheet { sheet, .. } = &app.mode else {
        panic!("no sheet")
    };
    let line = |id: &str| sheet.lines.iter().find(|l| l.id == id).expect("line");
    assert!(line("registered").met());
    assert!(!line("checked_card").met(), "not asked for the card");
    assert!(sheet.total < sheet.max);
    play(&mut app, "<Esc>", &mut at);
    // Asked for: the card is shown, with its number.
    start(&mut app, "10_wrong_check_char", &mut at);
    play(&mut app, "<C-a>", &mut at);
    assert!(render(&app).contains("问哪一个"), "{}", render(&app));
    play(&mut app, "1", &mut at);
    let shown = render(&app);
    assert!(shown.contains(card), "{shown}");
}

#[test]
fn every_scenario_ended_at_once_loses_exactly_the_work_it_asks_for() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let scenarios = app.lab.catalog.scenarios.clone();
    assert!(scenarios.len() >= 15, "{} scenarios", scenarios.len());
    let mut at = 0;
    for s in &scenarios {
        start(&mut app, &s.id, &mut at);
        play(&mut app, "<C-e>", &mut at);
        let Mode::Sheet { sheet, .. } = &app.mode else {
            panic!("{}: no sheet", s.id)
        };
        let kept: i64 = s
            .expect
            .iter()
            .filter(|e| missed_reason(&e.what).is_none())
            .map(|e| e.points)
            .sum();
        assert_eq!(sheet.total, kept, "{}", s.id);
        for (e, line) in s.expect.iter().zip(&sheet.lines) {
            let why = i18n::text(&line.why, Lang::Zh);
            match missed_reason(&e.what) {
                Some(reason) => assert!(
                    !line.met() && why.contains(reason),
                    "{} {}: {why}",
                    s.id,
                    e.id
                ),
                None => assert!(line.met(), "{} {}", s.id, e.id),
            }
        }
        play(&mut app, "<Esc>", &mut at);
    }
}

#[test]
fn the_wrong_cash_tendered_costs_the_payment_with_the_amounts_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "02_cash_bill", &mut at);
    play(
        &mut app,
        "<F6>1101000012345<Enter>300<Enter>p<C-e>",
        &mut at,
    );
    let Mode::Sheet { sheet, .. } = &app.mode else {
        panic!("no sheet")
    };
    let missed: Vec<String> = sheet
        .lines
        .iter()
        .filter(|l| !l.met())
        .map(|l| i18n::text(&l.why, Lang::Zh))
        .collect();
    assert_eq!(
        missed,
        vec!["实收应为 ¥200.00，记录的是 ¥300.00。".to_string()],
        "{}",
        render(&app)
    );
    let lost: i64 = sheet
        .lines
        .iter()
        .filter(|l| !l.met())
        .map(|l| l.points)
        .sum();
    assert_eq!(sheet.total, sheet.max - lost);
}

#[test]
fn the_printer_jams_as_a_real_printer_fails_and_only_a_reprint_counts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "13_opinion_printer_jam", &mut at);
    let model = app.exercise().expect("ex").scenario.model.clone();
    // The model without its reprint.
    let once = model.strip_suffix('p').expect("ends in a reprint");
    play(&mut app, once, &mut at);
    let screen = render(&app);
    assert!(screen.contains("打印失败：打印机卡纸"), "{screen}");
    assert!(screen.contains("打印机恢复后可补打"), "{screen}");
    play(&mut app, "<C-e>", &mut at);
    let Mode::Sheet { sheet, .. } = &app.mode else {
        panic!("no sheet")
    };
    let receipt = sheet
        .lines
        .iter()
        .find(|l| l.id == "reprinted")
        .expect("line");
    assert!(!receipt.met());
    assert_eq!(
        i18n::text(&receipt.why, Lang::Zh),
        "只打印了 0 次，应至少 1 次。"
    );
    assert_eq!(sheet.total, sheet.max - receipt.points);
}

#[test]
fn with_hq_down_the_header_shows_the_link_offline_with_the_runs_records_waiting() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "14_suspension_hq_down", &mut at);
    let model = app.exercise().expect("ex").scenario.model.clone();
    play(&mut app, &model, &mut at);
    let screen = render(&app);
    let header = screen.lines().next().expect("header");
    assert!(
        header.contains("总部:离线") || header.contains("总部：离线"),
        "{header}"
    );
    assert!(header.contains("待传"), "{header}");
}

#[test]
fn a_relay_exam_chains_stations_across_trainees_and_ranks_them() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lab = lab_in(tmp.path());
    let exam = crate::common::lab::exam(
        &mut lab,
        "收费接力",
        30,
        true,
        &[
            ("scenario", "16_relay_payments"),
            ("scenario", "17_relay_close"),
            ("question", "change_simple"),
        ],
    );
    // Station 1: S101 takes the two payments.
    let mut app = signed_in(lab, "S101", "trainee101");
    let mut at = 0;
    play(&mut app, "<F7>", &mut at);
    let model = app.exercise().expect("station 1").scenario.model.clone();
    assert_eq!(app.exercise().expect("ex").scenario.id, "16_relay_payments");
    play(&mut app, &format!("{model}<C-e>"), &mut at);
    let Mode::Sheet { sheet, .. } = &app.mode else {
        panic!("no sheet")
    };
    assert_eq!(sheet.total, sheet.max);
    // Station 2: S102 closes the shift S101 left: the same drawer.
    let lab = app.lab;
    let mut app = signed_in(lab, "S102", "trainee102");
    play(&mut app, "<F7>", &mut at);
    let ex = app.exercise().expect("station 2");
    assert_eq!(ex.scenario.id, "17_relay_close");
    let model = ex.scenario.model.clone();
    play(&mut app, &format!("{model}<C-e>"), &mut at);
    let Mode::Sheet { sheet, run } = &app.mode else {
        panic!("no sheet")
    };
    assert_eq!(sheet.total, sheet.max, "{}", render(&app));
    assert!(run.relay_of.is_some(), "station 2 went on from station 1");
    // Then the exam's question, marked at once.
    play(&mut app, "<Esc><F7>13.60<Enter>", &mut at);
    let screen = render(&app);
    assert!(screen.contains("✓ 正确"), "{screen}");
    let ranking = app.lab.store.ranking(exam).expect("ranking");
    assert_eq!(ranking.len(), 2, "{ranking:?}");
    assert!(ranking[0].2 >= ranking[1].2, "{ranking:?}");
    let s102 = ranking.iter().find(|r| r.0 == "孙丽").expect("孙丽 ranked");
    assert_eq!(s102.2, sheet_total_17(&app) + 10, "{ranking:?}");
}

fn sheet_total_17(app: &counterdesk::tui::lab::LabApp) -> i64 {
    app.lab
        .catalog
        .scenario("17_relay_close")
        .expect("17")
        .max_points()
}

#[test]
fn theory_questions_are_marked_at_once_with_the_rule_they_test() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S102", "trainee102");
    let mut at = 0;
    play(&mut app, "<F6>", &mut at);
    let screen = render(&app);
    assert!(screen.contains("居民客户电费 200.00 元"), "{screen}");
    play(&mut app, "3<Enter>", &mut at);
    let screen = render(&app);
    assert!(screen.contains("✗ 不对，正确答案：2.00"), "{screen}");
    assert!(screen.contains("依据：《供电营业规则》"), "{screen}");
    play(&mut app, "<Enter>13.6<Enter>", &mut at);
    assert!(render(&app).contains("✓ 正确"));
    // An answer that is no answer is refused with how to write one, and not recorded.
    play(&mut app, "<Enter>abc<Enter>", &mut at);
    assert!(
        render(&app).contains("这不是单选题的答案"),
        "{}",
        render(&app)
    );
    // Answers count as the class's theory skill.
    let rows = app.lab.store.skill_totals().expect("totals");
    assert_eq!(
        rows,
        vec![("2026春季班".to_string(), "theory".to_string(), 10, 20)]
    );
}

/// A field typed wrong is explained by the form's own label, in the
/// trainee's language — never by its id.
#[test]
fn a_wrong_field_is_named_as_the_form_names_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "01_residential_new", &mut at);
    let model = app.exercise().expect("ex").scenario.model.clone();
    // The model answer with 6 kW typed for the 8 the customer asked.
    let wrong = model.replacen("<Enter>8<Enter>", "<Enter>6<Enter>", 1);
    assert_ne!(wrong, model, "the model types the capacity: {model}");
    play(&mut app, &format!("{wrong}<C-e>"), &mut at);
    let Mode::Sheet { sheet, .. } = &app.mode else {
        panic!("no sheet: {}", render(&app))
    };
    let why: Vec<(String, String)> = sheet
        .lines
        .iter()
        .filter(|l| !l.met())
        .map(|l| (i18n::text(&l.why, Lang::Zh), i18n::text(&l.why, Lang::En)))
        .collect();
    assert_eq!(
        why,
        vec![(
            "“申请容量（千瓦）” 应为 8，记录的是 “6”。".to_string(),
            "“Requested capacity (kW)” should be 8; recorded “6”.".to_string()
        )],
        "{}",
        render(&app)
    );
}

/// At the blind count the panel shows what the drawer holds, note by note,
/// as the trainee would see it — never the expected total.
#[test]
fn the_drawer_is_shown_note_by_note_for_the_blind_count() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "12_shift_close", &mut at);
    play(
        &mut app,
        "<F6>1101000012345<Enter>200<Enter>p<Enter><F9>",
        &mut at,
    );
    let screen = render(&app);
    assert!(
        screen.contains("钱箱里（清点时所见）：¥100.00×6"),
        "{screen}"
    );
    assert!(!screen.contains("686.40"), "{screen}");
    let drawer: Vec<(i64, i64)> = app
        .exercise()
        .expect("ex")
        .drawer
        .iter()
        .map(|(d, n)| (d.0, *n))
        .collect();
    // 500.00 float + 200.00 taken − 13.60 change = 686.40.
    assert_eq!(
        drawer,
        vec![
            (10_000, 6),
            (5_000, 1),
            (2_000, 1),
            (1_000, 1),
            (500, 1),
            (100, 1),
            (10, 4)
        ]
    );
}

/// The same wrong input submitted twice is refused twice, and counted so.
#[test]
fn a_refusal_submitted_again_counts_again() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = signed_in(lab_in(tmp.path()), "S101", "trainee101");
    let mut at = 0;
    start(&mut app, "10_wrong_check_char", &mut at);
    play(&mut app, "510107199202290081<Enter>", &mut at);
    let once = app.exercise().expect("ex").stats.refusals.clone();
    assert_eq!(once, vec!["id.bad_check".to_string()]);
    // Typing without submitting adds nothing; Enter again is a new refusal.
    play(&mut app, "<Left><Right>", &mut at);
    assert_eq!(app.exercise().expect("ex").stats.refusals.len(), 1);
    play(&mut app, "<Enter>", &mut at);
    assert_eq!(
        app.exercise().expect("ex").stats.refusals,
        vec!["id.bad_check".to_string(), "id.bad_check".to_string()]
    );
}
