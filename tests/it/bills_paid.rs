//! Bills from the list paid at the counter: a paid bill left as paid on a
//! new import, a reversal that reopens it, late fees from the list's due
//! dates, and the day report over those payments.

use crate::common::bills::{all, import, run, stdout, write, GOOD_CSV, HEADER};
use crate::common::{clock, desk_at, Scratch};
use chrono::{Duration, Local, NaiveDate};
use counterdesk::desk::money::{BillPayment, Paid, TenderInput};
use counterdesk::desk::Credentials;
use counterdesk::desk::{Desk, Session};
use counterdesk::domain::money::{CustomerClass, Fen, Method};

fn cash(fen: i64) -> TenderInput {
    TenderInput {
        method: Method::Cash,
        amount: Fen(fen),
        reference: None,
    }
}

fn by(method: Method, fen: i64, reference: &str) -> TenderInput {
    TenderInput {
        method,
        amount: Fen(fen),
        reference: Some(reference.into()),
    }
}

fn pay(
    desk: &mut Desk,
    session: &Session,
    account: &str,
    arrears: i64,
    due: NaiveDate,
    tenders: Vec<TenderInput>,
) -> Paid {
    desk.pay_bill(
        session,
        &BillPayment {
            account_no: account.into(),
            period: "2026-10".into(),
            arrears: Fen(arrears),
            due_date: due,
            class: CustomerClass::Residential,
            tenders,
            keep_excess_as_prepaid: false,
            quoted: None,
        },
    )
    .expect("pay")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

#[test]
fn an_already_paid_bill_is_reported_and_left_as_paid() {
    let s = Scratch::new();
    {
        let mut desk = desk_at(&s.db(), clock());
        let session = desk.sign_in("1001", "counter1001").expect("sign in");
        desk.start_shift(&session, "500").expect("shift");
        let paid = pay(
            &mut desk,
            &session,
            "0591000001",
            12850,
            date(2026, 12, 15),
            vec![cash(20000)],
        );
        assert_eq!(paid.receipt_no, "R1-00000001");
    }
    let file = write(&s, "b.csv", GOOD_CSV);
    let o = import(&s, &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let text = stdout(&o);
    assert!(
        text.contains("新增 2") && text.contains("已缴清 1"),
        "{text}"
    );
    assert!(
        text.contains("户号 0591000001 账期 2026-10，收据 R1-00000001"),
        "{text}"
    );

    // Through the desk: a paid bill is not reopened by a later list with
    // another amount, and is not among the open bills.
    let mut desk = desk_at(&s.db(), clock());
    let later = format!(
        "{HEADER}0591000001,2026-10,999.00,2026-11-15,residential\n\
         0591000001,2026-09,50.00,2026-10-15,residential\n\
         0591000001,2026-11,60.00,2026-12-15,residential\n"
    );
    let summary = desk
        .import_bills("later.csv", later.as_bytes(), None)
        .expect("import");
    assert_eq!((summary.new, summary.already_paid.len()), (2, 1));
    assert_eq!(summary.already_paid[0].receipt_no, "R1-00000001");
    let bill = desk
        .bill("0591000001", "2026-10")
        .expect("bill")
        .expect("some");
    assert_eq!(bill.arrears, Fen(12850), "a paid bill keeps its amount");
    assert!(bill.is_paid());
    let open: Vec<String> = desk
        .read()
        .open_bills("0591000001")
        .expect("open")
        .into_iter()
        .map(|b| b.period)
        .collect();
    assert_eq!(open, ["2026-09", "2026-11"], "unpaid, oldest first");
    assert!(desk.bill("0591000001", "2025-01").expect("none").is_none());
    assert!(desk.read().open_bills("0000").expect("none").is_empty());
}

#[test]
fn a_reversal_reopens_a_bill_and_a_refusal_names_the_place() {
    let s = Scratch::new();
    let mut desk = desk_at(&s.db(), clock());
    desk.import_bills("b.csv", GOOD_CSV.as_bytes(), None)
        .expect("import");
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&session, "0").expect("shift");
    let bill = desk
        .bill("0591000003", "2026-10")
        .expect("b")
        .expect("some");
    let paid = pay(
        &mut desk,
        &session,
        &bill.account_no,
        bill.arrears.0,
        bill.due_date,
        vec![cash(10000)],
    );
    assert_eq!(desk.read().open_bills("0591000003").expect("open").len(), 0);
    let manager = Credentials::new("2001", "manager2001");
    desk.reverse_payment(&session, &paid.receipt_no, &manager, "收错户号")
        .expect("reverse");
    assert_eq!(desk.read().open_bills("0591000003").expect("open").len(), 1);

    let err = desk
        .import_bills("b.csv", GOOD_CSV.as_bytes(), Some(&session))
        .expect_err("twice");
    assert_eq!(err.key(), "bills.already_imported");
    assert!(counterdesk::desk::bills::is_file_refusal(&err));
    let bad = format!("{HEADER}1,2026-10,1,2026-11-15\n");
    let err = desk
        .import_bills("x.csv", bad.as_bytes(), None)
        .expect_err("bad");
    assert_eq!(err.key(), "bills.bad_line_row");
    assert!(err.msg().args.contains(&("line", "2".to_string())));
}

/// A day of two clerks: cash with change, card, a QR + cash split, a late
/// bill paid card + cash, a reversed payment, a cheque; then one payment on
/// the next day that the report must leave out.
struct Day {
    scratch: Scratch,
    date: NaiveDate,
    late_fee: Fen,
}

fn a_day_of_payments() -> Day {
    let scratch = Scratch::new();
    let clock = clock();
    let mut desk = desk_at(&scratch.db(), clock.clone());
    let zhang = desk.sign_in("1001", "counter1001").expect("1001");
    let chen = desk.sign_in("1002", "counter1002").expect("1002");
    desk.start_shift(&zhang, "1000").expect("shift");
    desk.start_shift(&chen, "1000").expect("shift");
    let due = date(2026, 12, 15);
    let a = pay(
        &mut desk,
        &zhang,
        "0591000001",
        12850,
        due,
        vec![cash(20000)],
    );
    assert_eq!(a.change, Fen(7150));
    pay(
        &mut desk,
        &zhang,
        "0591000002",
        30000,
        due,
        vec![by(Method::Card, 30000, "POS 1")],
    );
    let c = pay(
        &mut desk,
        &zhang,
        "0591000003",
        14520,
        due,
        vec![by(Method::Qr, 10000, "WX 42"), cash(5000)],
    );
    assert_eq!(c.change, Fen(480));
    // Overdue: the late fee is paid too; card first, cash for the rest.
    let e = pay(
        &mut desk,
        &zhang,
        "0591000004",
        20000,
        date(2026, 11, 4),
        vec![by(Method::Card, 15000, "POS 2"), cash(6000)],
    );
    assert!(e.late_fee.0 > 0 && e.late_fee.0 < 1000, "{e:?}");
    let d = pay(
        &mut desk,
        &zhang,
        "0591000005",
        10000,
        due,
        vec![cash(10000)],
    );
    let manager = Credentials::new("2001", "manager2001");
    desk.reverse_payment(&zhang, &d.receipt_no, &manager, "收错户号")
        .expect("reverse");
    pay(
        &mut desk,
        &chen,
        "0591000006",
        50000,
        due,
        vec![by(Method::Cheque, 50000, "CHQ 7")],
    );
    let date = clock.now().with_timezone(&Local).date_naive();
    clock.advance(Duration::days(1));
    pay(&mut desk, &chen, "0591000007", 7000, due, vec![cash(7000)]);
    Day {
        scratch,
        date,
        late_fee: e.late_fee,
    }
}

fn plain(fen: i64) -> String {
    Fen(fen).plain()
}

#[test]
fn the_day_report_csv_has_one_row_per_clerk_and_method_summed_to_the_fen() {
    let day = a_day_of_payments();
    let s = &day.scratch;
    let fee = day.late_fee.0;
    let date = day.date.format("%Y-%m-%d").to_string();
    let o = run(s, &["report", "day", &date, "--csv"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(!o.stdout.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    // Cash: 128.50 of 200 (change 71.50), 45.20 of the split's 50 (change
    // 4.80), and the rest of the late bill: 200 + fee − 150 by card, with
    // its change; the fee falls on cash, which settled the bill last.
    let cash_amount = 12850 + 4520 + (20000 + fee - 15000);
    let cash_change = 7150 + 480 + (6000 - (20000 + fee - 15000));
    let expected = [
        "date,staff_no,name,method,payments,amount,reversed,late_fees,change".to_string(),
        format!(
            "{date},1001,张敏,cash,3,{},1,{},{}",
            plain(cash_amount),
            plain(fee),
            plain(cash_change)
        ),
        format!("{date},1001,张敏,card,2,450.00,0,0.00,0.00"),
        format!("{date},1001,张敏,qr,1,100.00,0,0.00,0.00"),
        format!("{date},1001,张敏,cheque,0,0.00,0,0.00,0.00"),
        format!("{date},1002,陈立,cash,0,0.00,0,0.00,0.00"),
        format!("{date},1002,陈立,card,0,0.00,0,0.00,0.00"),
        format!("{date},1002,陈立,qr,0,0.00,0,0.00,0.00"),
        format!("{date},1002,陈立,cheque,1,500.00,0,0.00,0.00"),
    ];
    let got: Vec<&str> = std::str::from_utf8(&o.stdout)
        .expect("utf8")
        .lines()
        .collect();
    assert_eq!(got, expected);

    // The next day holds only the 70.00 paid after midnight.
    let next = (day.date + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let o = run(s, &["report", "day", &next, "--csv"], &[]);
    let text = stdout(&o);
    assert!(
        text.contains("1002,陈立,cash,1,70.00,0,0.00,0.00"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 5, "{text}");
}

#[test]
fn the_day_report_table_in_chinese_names_methods_and_the_total() {
    let day = a_day_of_payments();
    let date = day.date.format("%Y-%m-%d").to_string();
    let o = run(&day.scratch, &["report", "day", &date], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let text = stdout(&o);
    let total = Fen(12850 + 30000 + 14520 + 20000 + day.late_fee.0 + 50000);
    for needle in ["现金", "银行卡", "支票", "张敏", "陈立", "总计", "小计"] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
    let total_line = text
        .lines()
        .find(|l| l.starts_with("总计"))
        .expect("total line");
    assert!(total_line.contains(&total.to_string()), "{total_line}");
    let en = run(&day.scratch, &["--lang", "en", "report", "day", &date], &[]);
    assert!(
        stdout(&en).contains("Cash") && stdout(&en).contains("Total"),
        "{}",
        all(&en)
    );
    let empty = run(&day.scratch, &["report", "day", "2020-01-01"], &[]);
    assert_eq!(empty.status.code(), Some(0));
    assert!(stdout(&empty).contains("没有收款"), "{}", all(&empty));
}

#[test]
fn the_day_report_struct_counts_a_split_once_and_adds_up() {
    let day = a_day_of_payments();
    let desk = desk_at(&day.scratch.db(), clock());
    let r = desk.day_report(day.date).expect("report");
    assert_eq!(r.clerks.len(), 2);
    let zhang = &r.clerks[0];
    assert_eq!(zhang.staff_no, "1001");
    // Four payments stand (a split is one payment), one was reversed.
    assert_eq!((zhang.total.payments, zhang.total.reversed), (4, 1));
    let by_method: i64 = zhang.methods.iter().map(|m| m.figures.payments).sum();
    assert_eq!(by_method, 6, "the two splits count under each method");
    assert_eq!(zhang.total.late_fees, day.late_fee);
    assert_eq!(
        zhang
            .methods
            .iter()
            .map(|m| m.figures.late_fees)
            .sum::<Fen>(),
        day.late_fee
    );
    assert_eq!(
        zhang.total.change,
        Fen(7150 + 480 + 6000 - (5000 + day.late_fee.0))
    );
    assert_eq!(r.total.payments, 5);
    assert_eq!(r.total.reversed, 1);
    assert_eq!(
        r.total.amount,
        Fen(12850 + 30000 + 14520 + 20000 + day.late_fee.0 + 50000)
    );
    assert_eq!(
        r.methods.iter().map(|m| m.figures.amount).sum::<Fen>(),
        r.total.amount
    );
    let cheque = r
        .methods
        .iter()
        .find(|m| m.method == Method::Cheque)
        .expect("cheque");
    assert_eq!(cheque.figures.amount, Fen(50000));
    assert!(desk.day_report(date(2020, 1, 1)).expect("empty").is_empty());
}
