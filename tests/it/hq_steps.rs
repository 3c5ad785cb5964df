//! HQ's steps for the counter's cases: `hq publish` checks every item
//! against the forms (a step by its Chinese name is given its id, a step
//! no form has is refused with its line), a step the case here lacks is
//! held for a person to see, and the next step falls due on the same day
//! whoever records the step before it.

use chrono::{TimeZone, Utc};

use crate::common::hq::{fresh_store, issue_token, Counter, Hq, Kind};
use crate::common::{accept_meter_verification, desk_at, Scratch};
use counterdesk::clock::Clock;
use counterdesk::domain::upload::{FeedData, FeedItem};

fn publish(store: &str, s: &Scratch, text: &str) -> std::process::Output {
    let file = s.path().join("feed.json");
    std::fs::write(&file, text).expect("feed");
    std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "zh", "hq", "publish", "--store", store])
        .arg(&file)
        .env_remove("COUNTERDESK_LANG")
        .output()
        .expect("publish")
}

fn all(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn step_status(db: &std::path::Path, ticket: &str, step: &str) -> String {
    rusqlite::Connection::open(db)
        .expect("db")
        .query_row(
            "SELECT s.status FROM application_step s JOIN application a ON a.id = s.application_id
             WHERE a.ticket_no = ?1 AND s.step_id = ?2",
            [ticket, step],
            |r| r.get(0),
        )
        .expect("step")
}

#[test]
fn a_step_published_by_its_chinese_name_moves_the_case_and_a_bad_file_publishes_nothing() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-NAME");
    let hq = Hq::start(&store);
    let c = Counter::new(&s, "C-NAME", &hq.url(), &token);
    let mut desk = c.desk();
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let ticket = accept_meter_verification(&mut desk, &clerk);

    // Every item is checked; one bad item and nothing is published.
    let bad = format!(
        r#"[
  {{"kind":"case_step","ticket":"{ticket}","step":"业务受理","state":"done","at":"2026-11-30T10:00:00+08:00"}},
  {{"kind":"case_step","ticket":"{ticket}","step":"不存在的步骤","state":"done","at":"2026-11-30T10:00:00+08:00"}},
  {{"kind":"account","account_no":"0591000001","holder_name":"张三","holder_id":"11010519491231002X","state":"frozen"}}
]"#
    );
    let o = publish(&store, &s, &bad);
    assert_eq!(o.status.code(), Some(2), "{}", all(&o));
    let text = all(&o);
    assert!(text.contains("有 2 项不能发布，全部未发布"), "{text}");
    assert!(
        text.contains("feed.json:3: 第 2 项的步骤“不存在的步骤”"),
        "{text}"
    );
    assert!(
        text.contains("feed.json:4: 第 3 项的 state 是“frozen”"),
        "{text}"
    );
    let feed = counterdesk::hq::open(&store)
        .and_then(|mut h| h.feed(0, 10))
        .expect("feed");
    assert!(feed.items.is_empty(), "nothing published");

    // The step by the name the form gives it: published as its id.
    let good = format!(
        r#"[{{"kind":"case_step","ticket":"{ticket}","step":"业务受理","state":"done","at":"2026-11-30T10:00:00+08:00"}}]"#
    );
    let o = publish(&store, &s, &good);
    assert!(o.status.success(), "{}", all(&o));
    assert!(all(&o).contains("已发布 1 项"), "{}", all(&o));
    let feed = counterdesk::hq::open(&store)
        .and_then(|mut h| h.feed(0, 10))
        .expect("feed");
    assert!(
        matches!(&feed.items[0].data, FeedData::CaseStep { step, .. } if step == "accept"),
        "{feed:?}"
    );
    assert_eq!(desk.pull_from_hq().expect("pull"), 1);
    assert_eq!(step_status(&c.db, &ticket, "accept"), "done");
    assert_eq!(step_status(&c.db, &ticket, "test_and_result"), "current");
}

#[test]
fn a_step_the_case_here_lacks_is_held_and_said_so_in_sync_status() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-HELD");
    let hq = Hq::start(&store);
    let c = Counter::new(&s, "C-HELD", &hq.url(), &token);
    let mut desk = c.desk();
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let ticket = accept_meter_verification(&mut desk, &clerk);
    // A step another form has, but not a meter verification.
    let text = format!(
        r#"[{{"kind":"case_step","ticket":"{ticket}","step":"supply_plan","state":"done","at":"2026-11-30T10:00:00+08:00"}}]"#
    );
    assert!(publish(&store, &s, &text).status.success());
    assert_eq!(desk.pull_from_hq().expect("pull"), 1);
    assert_eq!(
        step_status(&c.db, &ticket, "accept"),
        "current",
        "not applied"
    );
    drop(desk);
    let status = c.run(&["sync", "--status"]);
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(said.contains("1 from HQ not applied"), "{said}");
    assert!(
        said.contains(&format!(
            "step \"supply_plan\" of {ticket} done, but that case has no such step"
        )),
        "{said}"
    );
}

#[test]
fn the_next_steps_due_date_is_the_same_whoever_records_the_step_before_it() {
    // Sunday 2026-12-06, 10:00 in Beijing.
    let sunday = Utc
        .with_ymd_and_hms(2026, 12, 6, 2, 0, 0)
        .single()
        .expect("time");
    let due_of = |db: &std::path::Path, ticket: &str| -> String {
        rusqlite::Connection::open(db)
            .expect("db")
            .query_row(
                "SELECT s.due_date FROM application_step s JOIN application a ON a.id = s.application_id
                 WHERE a.ticket_no = ?1 AND s.step_id = 'test_and_result'",
                [ticket],
                |r| r.get(0),
            )
            .expect("due")
    };
    // At the counter: the clerk records the acceptance step done on Sunday.
    let here = Scratch::new();
    let mut desk = desk_at(&here.db(), Clock::fixed(sunday));
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let ticket = accept_meter_verification(&mut desk, &clerk);
    desk.record_step(&clerk, &ticket, "accept", "")
        .expect("step");
    let by_counter = due_of(&here.db(), &ticket);
    // Through HQ's feed: the back office records the same step, same day.
    let there = Scratch::new();
    let mut desk = desk_at(&there.db(), Clock::fixed(sunday));
    let clerk = desk.sign_in("1001", "counter1001").expect("sign in");
    let ticket_b = accept_meter_verification(&mut desk, &clerk);
    let rules = desk.case_rules();
    drop(desk);
    let mut store =
        counterdesk::store::Store::open(&there.db(), Clock::fixed(sunday)).expect("store");
    let item = FeedItem {
        hq_seq: 1,
        data: FeedData::CaseStep {
            ticket: ticket_b.clone(),
            step: "accept".into(),
            state: "done".into(),
            at: "2026-12-06T10:00:00+08:00".into(),
            note: String::new(),
        },
    };
    counterdesk::store::hq_feed::apply_page(&mut store, &[item], Some(&rules)).expect("feed");
    let by_hq = due_of(&there.db(), &ticket_b);
    // Four working days counted from the Sunday: Thursday 12-10.
    assert_eq!(by_counter, "2026-12-10");
    assert_eq!(by_hq, by_counter, "one rule for both");
}
