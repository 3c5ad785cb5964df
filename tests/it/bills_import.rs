//! Headquarters' bill list imported through the real binary: CSV and JSON,
//! a bad row named by line and column, the same file twice, and what is
//! not a refusal.

use crate::common::bills::{all, count, import, run, stdout, write, GOOD_CSV, HEADER};
use crate::common::Scratch;
use chrono::Local;

#[test]
fn good_csv_then_json_import_new_updated_and_unchanged_bills() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let csv = write(&s, "bills-2026-11-23.csv", GOOD_CSV);
    let o = import(&s, &csv, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(
        stdout(&o).contains("共 3 笔账单，新增 3，更新 0，未变 0，已缴清 0"),
        "{}",
        all(&o)
    );
    assert_eq!(count(&s, "SELECT count(*) FROM bill"), 3);
    assert_eq!(
        count(
            &s,
            "SELECT arrears_fen FROM bill WHERE account_no = '0591000002'"
        ),
        128_050
    );
    // The nightly job needs nobody signed in and is recorded as nobody.
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM bill_import WHERE imported_by IS NULL AND rows = 3"
        ),
        1
    );

    // The next day's list in JSON: one bill changed, one resent as it was,
    // one new (in fen), and a clerk records who ran it.
    let json = write(
        &s,
        "bills-2026-11-24.json",
        r#"[
  {"account_no": "0591000001", "period": "2026-10", "arrears": "130.00", "due_date": "2026-11-15", "class": "residential"},
  {"account_no": "0591000002", "period": "2026-10", "arrears": "¥1,280.50", "due_date": "2026-11-15", "class": "other"},
  {"account_no": "0591000004", "period": "2026-10", "arrears_fen": 9900, "due_date": "2026-11-20", "class": "other"}
]"#,
    );
    let path = json.to_string_lossy().into_owned();
    let o = run(
        &s,
        &["--lang", "en", "import", "bills", &path, "--as", "1001"],
        &[("COUNTERDESK_PASSWORD", "counter1001")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(
        stdout(&o).contains("3 bills, 1 new, 1 updated, 1 unchanged, 0 already paid"),
        "{}",
        all(&o)
    );
    assert_eq!(count(&s, "SELECT count(*) FROM bill"), 4);
    assert_eq!(
        count(
            &s,
            "SELECT arrears_fen FROM bill WHERE account_no = '0591000001'"
        ),
        13_000
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM bill_import i JOIN clerk c ON c.id = i.imported_by WHERE c.staff_no = '1001'"
        ),
        1
    );
    // One audit entry and one outbox entry per import, with the counts.
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM audit_log WHERE action = 'bill.import'"
        ),
        2
    );
    assert_eq!(
        count(&s, "SELECT count(*) FROM outbox WHERE kind = 'bill.import'"),
        2
    );
    assert_eq!(
        count(
            &s,
            "SELECT json_extract(detail, '$.updated') FROM audit_log WHERE action = 'bill.import' ORDER BY seq DESC LIMIT 1"
        ),
        1
    );
    let verify = run(&s, &["verify"], &[]);
    assert_eq!(verify.status.code(), Some(0), "{}", all(&verify));
}

#[test]
fn a_malformed_row_on_line_4_names_line_and_column_and_imports_nothing() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let text = format!(
        "{HEADER}0591000001,2026-10,128.50,2026-11-15,residential\n\
         0591000002,2026-10,99.00,2026-11-15,residential\n\
         0591000003,2026-10,12a.50,2026-11-15,residential\n\
         0591000004,2026-10,1.00,2026-11-15,residential\n"
    );
    let file = write(&s, "bad.csv", &text);
    let o = import(&s, &file, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    let err = all(&o);
    assert!(
        err.contains("第 4 行“arrears”列") && err.contains("金额第 3 位的“a”不能用在金额里"),
        "{err}"
    );
    assert!(err.contains("未导入任何账单"), "{err}");
    assert_eq!(count(&s, "SELECT count(*) FROM bill"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM bill_import"), 0);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM audit_log WHERE action = 'bill.import'"
        ),
        0
    );
    let path = file.to_string_lossy().into_owned();
    let en = run(&s, &["--lang", "en", "import", "bills", &path], &[]);
    assert_eq!(en.status.code(), Some(1));
    assert!(
        all(&en).contains("line 4, column \"arrears\": Character \"a\" at position 3"),
        "{}",
        all(&en)
    );

    // Several problems: the first is named and all are counted.
    let text = format!(
        "{HEADER}0591000001,2026-10,1.00,2026-11-31,residential\n\
         05910000x2,2026-10,1.00,2026-11-15,farm\n\
         0591000001,2026-10,1.00,2026-11-15,residential\n"
    );
    let file = write(&s, "worse.csv", &text);
    let o = import(&s, &file, &["--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        all(&o).contains("has 3 problem(s)") && all(&o).contains("line 2, column \"due_date\""),
        "{}",
        all(&o)
    );
}

#[test]
fn a_malformed_json_item_names_its_index_and_key() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let file = write(
        &s,
        "hq.json",
        r#"[
  {"account_no": "0591000001", "period": "2026-10", "arrears": "1.00", "due_date": "2026-11-15", "class": "other"},
  {"account_no": "0591000002", "period": "2026-10", "arrears": 128.5, "due_date": "2026-11-15", "class": "other"}
]"#,
    );
    let o = import(&s, &file, &["--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(
        all(&o).contains("item at index 1, key \"arrears\"") && all(&o).contains("arrears_fen"),
        "{}",
        all(&o)
    );
    assert_eq!(count(&s, "SELECT count(*) FROM bill"), 0);
}

#[test]
fn the_same_file_twice_is_recognised_whatever_its_name() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let first = write(&s, "bills-2026-11-23.csv", GOOD_CSV);
    assert_eq!(import(&s, &first, &[]).status.code(), Some(0));
    let again = write(&s, "copy of bills.csv", GOOD_CSV);
    let o = import(&s, &again, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    let err = all(&o);
    let today = Local::now().format("%Y-%m-%d").to_string();
    assert!(
        err.contains("已于") && err.contains(&today) && err.contains("bills-2026-11-23.csv"),
        "{err}"
    );
    assert_eq!(count(&s, "SELECT count(*) FROM bill_import"), 1);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM audit_log WHERE action = 'bill.import'"
        ),
        1
    );
}

#[test]
fn files_that_cannot_be_read_and_bad_dates_are_not_refusals() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let missing = s.path().join("no-such-file.csv");
    let o = import(&s, &missing, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", all(&o));
    assert!(all(&o).contains("no-such-file.csv"), "{}", all(&o));
    let file = write(&s, "b.csv", GOOD_CSV);
    let path = file.to_string_lossy().into_owned();
    let o = run(
        &s,
        &["import", "bills", &path, "--as", "1001"],
        &[("COUNTERDESK_PASSWORD", "wrong")],
    );
    assert_eq!(o.status.code(), Some(4), "{}", all(&o));
    assert_eq!(count(&s, "SELECT count(*) FROM bill"), 0);
    let o = run(&s, &["report", "day", "2026-02-30"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", all(&o));
}

#[test]
fn a_bill_beyond_the_cashiers_limit_is_refused_with_its_file_and_line() {
    let s = Scratch::new();
    crate::common::cli::init(&s);
    let text = format!(
        "{HEADER}0591000001,2026-10,128.50,2026-11-15,residential\n\
         0591000002,2026-10,\"99,999,999,999,999.99\",2026-11-15,residential\n"
    );
    let file = write(&s, "huge.csv", &text);
    let o = import(&s, &file, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    let err = all(&o);
    assert!(err.contains("huge.csv"), "{err}");
    assert!(err.contains("第 3 行“arrears”列"), "{err}");
    assert!(err.contains("1,000,000.00"), "the limit is named: {err}");
    assert_eq!(count(&s, "SELECT count(*) FROM bill"), 0);
    let json = format!(
        r#"[{{"account_no":"0591000003","period":"2026-10","arrears_fen":{},"due_date":"2026-11-15","class":"other"}}]"#,
        i64::MAX
    );
    let file = write(&s, "huge.json", &json);
    let o = import(&s, &file, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(all(&o).contains("arrears_fen"), "{}", all(&o));
    assert_eq!(count(&s, "SELECT count(*) FROM bill"), 0);
}
