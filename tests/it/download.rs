//! Down the wire: what HQ publishes (accounts with holders and state, the
//! day's bills, case steps) reaches the counter's own tables with HQ's
//! sequence, once, even when sent twice; on both HQ stores.

use crate::common::hq::{fresh_store, issue_token, publish, Counter, Hq, BOTH};
use crate::common::Scratch;

const FEED: &str = r#"[
 {"kind":"account","account_no":"0591000001","holder_name":"张三","holder_id":"11010519491231002X","address":"示范市人民路 2 号","state":"normal"},
 {"kind":"account","account_no":"0591000002","holder_name":"张三","holder_id":"11010519491231002X","state":"cut_off"},
 {"kind":"bill","account_no":"0591000001","period":"2026-11","holder_name":"张三","class":"residential","arrears_fen":12850,"due_date":"2026-12-15"},
 {"kind":"case_step","ticket":"A-20261130-0001","step":"accept","state":"done","at":"2026-11-30T02:00:00Z","note":"现场勘查完成"}
]"#;

fn count(db: &std::path::Path, table: &str) -> i64 {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

#[test]
fn a_bill_list_and_an_account_holder_are_applied_once_even_when_sent_twice() {
    for kind in BOTH {
        let s = Scratch::new();
        let store = fresh_store(kind, &s);
        let token = issue_token(&store, "C-DOWN-1");
        let hq = Hq::start(&store);
        publish(&store, &s, FEED);
        // HQ sends the same account and bill again (a re-run at HQ).
        publish(&store, &s, FEED);
        let c = Counter::new(&s, "C-DOWN-1", &hq.url(), &token);
        let mut desk = c.desk();
        assert_eq!(desk.pull_from_hq().expect("pull"), 8, "{kind:?}");
        assert_eq!(
            desk.pull_from_hq().expect("again"),
            0,
            "nothing new the second time"
        );
        assert_eq!(count(&c.db, "hq_account"), 2);
        assert_eq!(count(&c.db, "hq_bill"), 1);
        assert_eq!(count(&c.db, "hq_case_step"), 1);
        let a = desk
            .read()
            .hq_account("0591000002")
            .expect("lookup")
            .expect("account");
        assert_eq!(
            (a.holder_name.as_str(), a.state),
            ("张三", counterdesk::domain::states::SupplyState::CutOff)
        );
        assert_eq!(
            desk.read()
                .hq_accounts_of("11010519491231002X")
                .expect("holder")
                .len(),
            2
        );
        // A later change of state comes down once more, in order.
        publish(
            &store,
            &s,
            r#"[{"kind":"account","account_no":"0591000002","holder_name":"张三","holder_id":"11010519491231002X","state":"normal"}]"#,
        );
        assert_eq!(desk.pull_from_hq().expect("pull"), 1);
        let a = desk
            .read()
            .hq_account("0591000002")
            .expect("lookup")
            .expect("account");
        assert_eq!(a.state, counterdesk::domain::states::SupplyState::Normal);
        // Local writes never touch HQ's tables; HQ's mark is kept in meta.
        let mark: String = rusqlite::Connection::open(&c.db)
            .expect("open")
            .query_row(
                "SELECT value FROM meta WHERE key = 'hq_feed_seq'",
                [],
                |r| r.get(0),
            )
            .expect("mark");
        assert_eq!(mark, "9");
    }
}

#[test]
fn the_feed_applies_items_in_one_transaction_with_the_mark() {
    use counterdesk::domain::upload::{FeedData, FeedItem};
    let s = Scratch::new();
    let desk = crate::common::desk_at(&s.db(), crate::common::clock());
    drop(desk);
    let mut store =
        counterdesk::store::Store::open(&s.db(), crate::common::clock()).expect("store");
    let item = |seq, state: &str| FeedItem {
        hq_seq: seq,
        data: FeedData::Account {
            account_no: "0591000009".into(),
            holder_name: "李四".into(),
            holder_id: "110105194912310029".into(),
            address: String::new(),
            state: state.into(),
        },
    };
    let items = vec![item(1, "normal"), item(2, "cut_off")];
    let n = counterdesk::store::hq_feed::apply_page(&mut store, &items, None).expect("apply");
    assert_eq!(n, 2);
    // The same page again (a lost answer re-fetched) changes nothing.
    let again =
        counterdesk::store::hq_feed::apply_page(&mut store, &items, None).expect("apply again");
    assert_eq!(again, 0);
    let acc = counterdesk::store::hq_feed::account(store.conn(), "0591000009")
        .expect("lookup")
        .expect("row");
    assert_eq!(acc.state, counterdesk::domain::states::SupplyState::CutOff);
    assert_eq!(
        counterdesk::store::hq_feed::high_water(store.conn()).expect("mark"),
        2
    );
}

/// A step the back office finished comes down and moves the case accepted
/// here: done with HQ's note, the next step current, the queue showing it.
#[test]
fn a_step_done_at_hq_moves_the_case_here_and_the_queue_shows_it() {
    for kind in BOTH {
        let s = Scratch::new();
        let store = fresh_store(kind, &s);
        let token = issue_token(&store, "C-DOWN-2");
        let hq = Hq::start(&store);
        let c = Counter::new(&s, "C-DOWN-2", &hq.url(), &token);
        let mut desk = c.desk();
        let session = desk.sign_in("1001", "counter1001").expect("sign in");
        let ticket = crate::common::accept_meter_verification(&mut desk, &session);
        let queued = |desk: &counterdesk::desk::Desk| {
            desk.queue(&Default::default())
                .expect("queue")
                .into_iter()
                .find(|q| q.row.ticket == ticket)
                .and_then(|q| q.row.step.map(|s| s.0))
        };
        let before = queued(&desk).expect("in the queue");
        publish(
            &store,
            &s,
            &format!(
                r#"[{{"kind":"case_step","ticket":"{ticket}","step":"accept","state":"done","at":"2026-11-30T02:00:00Z","note":"已派工"}}]"#
            ),
        );
        assert_eq!(desk.pull_from_hq().expect("pull"), 1, "{kind:?}");
        let after = queued(&desk).expect("still open");
        assert_ne!(before, after, "{kind:?}");
        let records = desk.case_record(&ticket).expect("record").steps;
        assert_eq!(records[0].note.as_deref(), Some("总部 / HQ：已派工"));
        assert!(records[0].done_by.is_none(), "done at HQ, by nobody here");
        // The last step done at HQ completes the case: it leaves the queue.
        publish(
            &store,
            &s,
            &format!(
                r#"[{{"kind":"case_step","ticket":"{ticket}","step":"test_and_result","state":"done","at":"2026-11-30T03:00:00Z","note":""}}]"#
            ),
        );
        desk.pull_from_hq().expect("pull");
        assert!(queued(&desk).is_none(), "{kind:?}");
    }
}

/// A case HQ sends down for this hall shows in the hall's queue by its due
/// date, and leaves it when HQ reports it closed.
#[test]
fn a_case_sent_down_for_this_hall_shows_in_the_queue_until_closed() {
    for kind in BOTH {
        let s = Scratch::new();
        let store = fresh_store(kind, &s);
        let token = issue_token(&store, "C-DOWN-3");
        let hq = Hq::start(&store);
        let c = Counter::new(&s, "C-DOWN-3", &hq.url(), &token);
        let mut desk = c.desk();
        let case = |open: bool| {
            format!(
                r#"[{{"kind":"case","ticket":"HQ-20261130-0042","holder_name":"赵六","holder_id":"110105194912310021","form":"complaint","step":"联系客户","due_date":"2026-12-01","owner":"1001","open":{open}}}]"#
            )
        };
        publish(&store, &s, &case(true));
        assert_eq!(desk.pull_from_hq().expect("pull"), 1, "{kind:?}");
        let queued = desk.queue(&Default::default()).expect("queue");
        let row = queued
            .iter()
            .find(|q| q.row.ticket == "HQ-20261130-0042")
            .expect("sent-down case in the queue");
        assert_eq!(
            row.row.step.as_ref().map(|s| s.0.as_str()),
            Some("联系客户")
        );
        assert_eq!(
            row.row.owner.1, "张敏",
            "the owner named from the clerk list"
        );
        publish(&store, &s, &case(false));
        desk.pull_from_hq().expect("pull");
        let queued = desk.queue(&Default::default()).expect("queue");
        assert!(
            queued.iter().all(|q| q.row.ticket != "HQ-20261130-0042"),
            "{kind:?}"
        );
    }
}
