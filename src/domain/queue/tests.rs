use chrono::{DateTime, Duration, Utc};

use super::figures::{estimated_wait_minutes, figures, per_ticket, percentile, Row};
use super::pick::{next, Caller, Waiting};
use super::*;

fn standing(state: TicketState, window: Option<&str>, calls: u32) -> Standing {
    Standing {
        state,
        window: window.map(str::to_string),
        calls,
        started: false,
    }
}

#[test]
fn a_ticket_called_by_one_window_is_refused_to_another() {
    let t = standing(TicketState::Called, Some("1"), 1);
    assert_eq!(act(&t, &Action::Call, "2", 2), Err(Refusal::OtherWindow));
    assert_eq!(act(&t, &Action::Recall, "2", 2), Err(Refusal::OtherWindow));
    assert_eq!(
        act(&t, &Action::Recall, "1", 2),
        Ok((TicketState::Called, EventKind::Recalled))
    );
}

#[test]
fn no_show_needs_the_configured_calls() {
    let once = standing(TicketState::Called, Some("1"), 1);
    assert_eq!(
        act(&once, &Action::NoShow, "1", 2),
        Err(Refusal::TooFewCalls)
    );
    let twice = standing(TicketState::Called, Some("1"), 2);
    assert_eq!(
        act(&twice, &Action::NoShow, "1", 2),
        Ok((TicketState::NoShow, EventKind::NoShow))
    );
}

#[test]
fn a_call_back_from_hold_resumes_a_started_service() {
    let mut t = standing(TicketState::Held, Some("1"), 1);
    assert_eq!(
        act(&t, &Action::Call, "1", 2),
        Ok((TicketState::Called, EventKind::Called))
    );
    t.started = true;
    assert_eq!(
        act(&t, &Action::Call, "1", 2),
        Ok((TicketState::Serving, EventKind::Called))
    );
    assert_eq!(act(&t, &Action::Call, "2", 2), Err(Refusal::OtherWindow));
}

#[test]
fn served_tickets_take_nothing_more() {
    let t = standing(TicketState::Served, Some("1"), 1);
    for a in [Action::Call, Action::Recall, Action::Serve, Action::Hold] {
        assert_eq!(act(&t, &a, "1", 2), Err(Refusal::NotNow));
    }
}

fn w(id: i64, group: &str, green: bool, at: &str) -> Waiting {
    Waiting {
        id,
        group: group.into(),
        green,
        issued_at: at.into(),
        for_window: None,
    }
}

#[test]
fn green_first_then_oldest_and_one_normal_after_a_run_of_green() {
    let groups = vec!["A".to_string()];
    let q = vec![
        w(1, "A", false, "2026-12-07T01:00:00Z"),
        w(2, "A", true, "2026-12-07T01:05:00Z"),
        w(3, "A", false, "2026-12-07T00:59:00Z"),
        w(4, "B", true, "2026-12-07T00:00:00Z"),
    ];
    let c = |run| Caller {
        window: "1",
        groups: &groups,
        green_in_a_row: run,
    };
    assert_eq!(next(&q, &c(0), 3).map(|t| t.id), Some(2));
    assert_eq!(next(&q, &c(2), 3).map(|t| t.id), Some(2));
    // Three green in a row: the oldest normal one now.
    assert_eq!(next(&q, &c(3), 3).map(|t| t.id), Some(3));
    // Strict green channel.
    assert_eq!(next(&q, &c(9), 0).map(|t| t.id), Some(2));
    // Group B is not this window's.
    let only_b = vec![w(4, "B", true, "2026-12-07T00:00:00Z")];
    assert_eq!(next(&only_b, &c(0), 3), None);
}

#[test]
fn a_ticket_transferred_to_a_window_waits_for_that_window_only() {
    let groups = vec!["A".to_string()];
    let mut t = w(1, "B", false, "2026-12-07T01:00:00Z");
    t.for_window = Some("2".into());
    let q = vec![t, w(2, "A", false, "2026-12-07T02:00:00Z")];
    let one = Caller {
        window: "1",
        groups: &groups,
        green_in_a_row: 0,
    };
    let two = Caller {
        window: "2",
        groups: &groups,
        green_in_a_row: 0,
    };
    assert_eq!(next(&q, &one, 3).map(|t| t.id), Some(2));
    assert_eq!(next(&q, &two, 3).map(|t| t.id), Some(1));
}

fn at(min: i64) -> DateTime<Utc> {
    "2026-12-07T01:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(min)
}

fn row(ticket: i64, kind: EventKind, min: i64, window: Option<&str>) -> Row {
    Row {
        ticket,
        group: "A".into(),
        kind,
        at: at(min),
        window: window.map(str::to_string),
    }
}

#[test]
fn a_repeated_call_and_a_call_back_from_hold_never_restart_a_service() {
    use EventKind::*;
    let rows = vec![
        row(1, Issued, 0, None),
        row(1, Called, 10, Some("1")),
        row(1, Recalled, 12, Some("1")),
        row(1, Started, 13, Some("1")),
        row(1, Started, 15, Some("1")),
        row(1, Held, 18, Some("1")),
        row(1, Called, 30, Some("1")),
        row(1, Recalled, 31, Some("1")),
        row(1, Served, 32, Some("1")),
    ];
    let t = &per_ticket(&rows)[&1];
    assert_eq!(t.wait, Some(600));
    // 13..18 and 30..32: seven minutes, the hold and the second start left out.
    assert_eq!(t.service, Some(7 * 60));
    assert!(t.served);
    assert_eq!(t.window.as_deref(), Some("1"));
}

#[test]
fn a_transfer_adds_the_second_wait_to_the_first() {
    use EventKind::*;
    let rows = vec![
        row(1, Issued, 0, None),
        row(1, Called, 5, Some("1")),
        row(1, Started, 6, Some("1")),
        row(1, Transferred, 9, Some("1")),
        row(1, Called, 20, Some("2")),
        row(1, Started, 21, Some("2")),
        row(1, Served, 25, Some("2")),
    ];
    let t = &per_ticket(&rows)[&1];
    assert_eq!(t.wait, Some((5 + 11) * 60));
    assert_eq!(t.service, Some((3 + 4) * 60));
    assert_eq!(t.window.as_deref(), Some("2"));
}

#[test]
fn figures_count_per_group_and_window_with_percentiles() {
    use EventKind::*;
    let mut rows = Vec::new();
    for i in 0..10 {
        rows.push(row(i, Issued, 0, None));
        rows.push(row(i, Called, i + 1, Some("1")));
        if i == 9 {
            rows.push(row(i, Recalled, i + 2, Some("1")));
            rows.push(row(i, NoShow, i + 3, Some("1")));
        } else {
            rows.push(row(i, Started, i + 1, Some("1")));
            rows.push(row(i, Served, i + 3, Some("1")));
        }
    }
    rows.sort_by_key(|r| r.at);
    let f = figures(&rows);
    assert_eq!(f.hall.tickets, 10);
    assert_eq!(f.hall.served, 9);
    assert_eq!(f.hall.no_shows, 1);
    assert_eq!(f.groups["A"].wait_p50, Some(5 * 60));
    assert_eq!(f.groups["A"].wait_p90, Some(9 * 60));
    assert_eq!(f.windows["1"].service_p50, Some(120));
    assert_eq!(percentile(&[], 0.5), None);
}

#[test]
fn estimated_wait_uses_the_day_service_time_shared_by_windows() {
    assert_eq!(estimated_wait_minutes(4, Some(180), 2, 5), 6);
    assert_eq!(estimated_wait_minutes(4, None, 1, 5), 20);
    assert_eq!(estimated_wait_minutes(0, Some(180), 0, 5), 0);
}

#[test]
fn labels_and_announcements_name_the_number_and_the_window() {
    assert_eq!(label("A", 23), "A023");
    assert_eq!(label("B", 1234), "B1234");
    assert_eq!(announce::zh("A023", "3"), "请 A023 号到 3 号窗口办理");
    assert!(announce::en("A023", "3").contains("window 3"));
}
