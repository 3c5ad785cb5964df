//! Reading HQ's bill files: every rule, good and bad.
use super::*;

const HEADER: &str = "account_no,period,arrears,due_date,class\n";

/// The cashier's default limit: 1,000,000.00 yuan.
const LIMIT: Fen = Fen(100_000_000);

/// Every file here is read against the default limit.
fn parse(file_name: &str, bytes: &[u8]) -> Result<Vec<BillLine>, Vec<Problem>> {
    super::parse(file_name, bytes, LIMIT)
}

#[test]
fn amounts_beyond_the_cashiers_limit_are_refused_with_their_line() {
    let p = only(csv(
        "0591000001,2026-10,99999999999999.99,2026-11-15,residential\n",
    ));
    assert_eq!(p.place, Place::Line(2));
    assert_eq!(p.column.as_deref(), Some("arrears"));
    assert_eq!(p.msg.key, "money.above_limit");
    let json = format!(
        r#"[{{"account_no":"0591000001","period":"2026-10","arrears_fen":{},"due_date":"2026-11-15","class":"other"}}]"#,
        i64::MAX
    );
    let p = only(parse("bills.json", json.as_bytes()));
    // Items are counted from 0, as the file's array is.
    assert_eq!(p.place, Place::Item(0));
    assert_eq!(p.column.as_deref(), Some(ARREARS_FEN));
    assert_eq!(p.msg.key, "money.above_limit");
    // The limit itself is a bill the cashier can take.
    let ok = csv("0591000001,2026-10,1000000.00,2026-11-15,residential\n").expect("at the limit");
    assert_eq!(ok[0].arrears, LIMIT);
}

fn csv(body: &str) -> Result<Vec<BillLine>, Vec<Problem>> {
    parse("bills.csv", format!("{HEADER}{body}").as_bytes())
}

fn only(r: Result<Vec<BillLine>, Vec<Problem>>) -> Problem {
    match r {
        Ok(b) => panic!("parsed: {b:?}"),
        Err(mut p) => {
            assert_eq!(p.len(), 1, "{p:?}");
            p.remove(0)
        }
    }
}

#[test]
fn a_good_csv_with_bom_crlf_quotes_and_no_final_newline() {
    let text = "\u{FEFF}account_no,period,arrears,due_date,class\r\n\
                0591234567,2026-10,128.50,2026-11-15,residential\r\n\
                \"0591234568\", 2026-10 ,\"¥1,280.50\",2026-11-15,Other\r\n\
                \r\n\
                0591234569,2026-09,0,2026-10-15,other";
    let bills = parse("hq.csv", text.as_bytes()).expect("parse");
    assert_eq!(bills.len(), 3);
    assert_eq!(bills[0].account_no, "0591234567");
    assert_eq!(bills[0].arrears, Fen(12850));
    assert_eq!(bills[0].place, Place::Line(2));
    assert_eq!(bills[1].arrears, Fen(128_050));
    assert_eq!(bills[1].period, "2026-10");
    assert_eq!(bills[1].class, CustomerClass::Other);
    assert_eq!(bills[2].place, Place::Line(5));
    assert_eq!(
        bills[2].due_date,
        NaiveDate::from_ymd_opt(2026, 10, 15).expect("d")
    );
}

#[test]
fn columns_may_come_in_any_order() {
    let text = "class,due_date,arrears,period,account_no\nresidential,2026-11-15,5,2026-10,42\n";
    let bills = parse("x.csv", text.as_bytes()).expect("parse");
    assert_eq!(
        (bills[0].account_no.as_str(), bills[0].arrears),
        ("42", Fen(500))
    );
}

#[test]
fn a_bad_amount_names_line_column_and_the_money_message() {
    let p = only(csv(
        "1,2026-10,1.00,2026-11-15,residential\n2,2026-10,2.00,2026-11-15,residential\n3,2026-10,12a.50,2026-11-15,residential\n",
    ));
    assert_eq!(p.place, Place::Line(4));
    assert_eq!(p.column.as_deref(), Some("arrears"));
    assert_eq!(p.msg.key, "money.bad_char");
}

#[test]
fn every_bad_value_of_a_row_is_named() {
    let p = match csv(" ,2026-13,-5,2026-02-30,farm\n") {
        Err(p) => p,
        Ok(b) => panic!("{b:?}"),
    };
    let got: Vec<(&str, &str)> = p
        .iter()
        .map(|p| (p.column.as_deref().unwrap_or(""), p.msg.key))
        .collect();
    assert_eq!(
        got,
        vec![
            ("account_no", "bills.account_empty"),
            ("period", "bills.bad_period"),
            ("arrears", "money.negative"),
            ("due_date", "bills.bad_date"),
            ("class", "bills.bad_class"),
        ]
    );
    assert!(p.iter().all(|p| p.place == Place::Line(2)));
}

#[test]
fn accounts_are_ascii_digits_of_any_length() {
    assert!(csv("1,2026-10,1,2026-11-15,other\n").is_ok());
    assert!(csv("1234567890123,2026-10,1,2026-11-15,other\n").is_ok());
    for bad in ["'0591", "０５９１", "0591-1", "A123"] {
        let p = only(csv(&format!("{bad},2026-10,1,2026-11-15,other\n")));
        assert_eq!(p.msg.key, "bills.account_not_digits", "{bad}");
    }
}

#[test]
fn dates_and_periods_are_strict() {
    for bad in ["2026-1-5", "2026/11/15", "15.11.2026", "2026-11-31"] {
        let p = only(csv(&format!("1,2026-10,1,{bad},other\n")));
        assert_eq!(
            (p.column.as_deref(), p.msg.key),
            (Some("due_date"), "bills.bad_date"),
            "{bad}"
        );
    }
    for bad in ["2026-00", "202610", "2026-1", "26-10"] {
        let p = only(csv(&format!("1,{bad},1,2026-11-15,other\n")));
        assert_eq!(p.msg.key, "bills.bad_period", "{bad}");
    }
}

#[test]
fn a_duplicate_names_the_first_line() {
    let p = only(csv(
        "1,2026-10,1,2026-11-15,other\n2,2026-10,1,2026-11-15,other\n1,2026-10,3,2026-11-15,other\n",
    ));
    assert_eq!(p.place, Place::Line(4));
    assert_eq!(p.msg.key, "bills.duplicate_line");
    assert_eq!(p.msg.args, vec![("first", "2".to_string())]);
    // The same account in another period is another bill.
    assert!(csv("1,2026-10,1,2026-11-15,other\n1,2026-09,1,2026-10-15,other\n").is_ok());
}

#[test]
fn wrong_field_counts_and_quotes() {
    let p = only(csv("1,2026-10,1,2026-11-15\n"));
    assert_eq!(
        (p.place, p.column, p.msg.key),
        (Place::Line(2), None, "bills.field_count")
    );
    // A comma inside an unquoted amount splits it into two fields.
    let p = only(csv("1,2026-10,1,280.50,2026-11-15,other\n"));
    assert_eq!(p.msg.key, "bills.field_count");
    let p = only(csv("1,2026-10,\"1,280.50,2026-11-15,other\n"));
    assert_eq!(
        (p.place, p.msg.key),
        (Place::File, "bills.csv_unclosed_quote")
    );
    let p = only(csv("1,2026-10,\"1\"x,2026-11-15,other\n"));
    assert_eq!(p.msg.key, "bills.csv_bad_quote");
    // A quoted field keeps its comma and an escaped quote is one quote.
    let ok = csv("\"1\",\"2026-10\",\"1,280.50\",2026-11-15,\"other\"\n").expect("ok");
    assert_eq!(ok[0].arrears, Fen(128_050));
}

#[test]
fn header_problems_stop_the_reading() {
    let p = only(parse(
        "b.csv",
        b"account_no,period,arrears,due_date\n1,2026-10,1,2026-11-15\n",
    ));
    assert_eq!((p.place, p.msg.key), (Place::File, "bills.header_missing"));
    let p = only(parse("b.csv", b"account_no,period,amount,due_date,class\n"));
    assert_eq!(p.msg.key, "bills.header_unknown");
    let p = only(parse(
        "b.csv",
        b"account_no,period,arrears,due_date,class,class\n",
    ));
    assert_eq!(p.msg.key, "bills.header_duplicate");
    // Data where the header should be is an unknown column.
    let p = only(parse("b.csv", b"1,2026-10,1,2026-11-15,other\n"));
    assert_eq!(p.msg.key, "bills.header_unknown");
}

#[test]
fn empty_files_and_files_without_rows_are_refused() {
    assert_eq!(only(parse("b.csv", b"")).msg.key, "bills.empty_file");
    assert_eq!(
        only(parse("b.csv", b"\xEF\xBB\xBF \n")).msg.key,
        "bills.empty_file"
    );
    assert_eq!(
        only(parse("b.csv", HEADER.as_bytes())).msg.key,
        "bills.no_rows"
    );
    assert_eq!(only(parse("b.json", b"[]")).msg.key, "bills.no_rows");
}

#[test]
fn bytes_that_are_not_utf8_name_their_line() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"1,2026-10,1,2026-11-15,other\n");
    bytes.extend_from_slice(b"2,2026-10,1,2026-11-15,\xC9\xFA\xBB\xEE\n");
    let p = only(parse("gbk.csv", &bytes));
    assert_eq!(p.msg.key, "bills.not_utf8");
    assert!(p.msg.args.contains(&("line", "3".to_string())));
}

#[test]
fn a_good_json_with_yuan_as_text_or_fen_as_integer() {
    let text = r#"[
        {"account_no": "0591234567", "period": "2026-10", "arrears": "128.50",
         "due_date": "2026-11-15", "class": "residential"},
        {"account_no": "0591234568", "period": "2026-10", "arrears_fen": 12850,
         "due_date": "2026-11-15", "class": "other"}
    ]"#;
    let bills = parse("bills.json", text.as_bytes()).expect("parse");
    assert_eq!(bills.len(), 2);
    assert_eq!(bills[0].arrears, bills[1].arrears);
    assert_eq!(bills[1].place, Place::Item(1));
}

#[test]
fn json_problems_name_the_index_and_key() {
    let item = |extra: &str| {
        format!(
            r#"[{{"account_no": "1", "period": "2026-10", "due_date": "2026-11-15", "class": "other"{extra}}}]"#
        )
    };
    let case = |extra: &str| only(parse("b.json", item(extra).as_bytes()));
    let p = case(r#", "arrears": 128.5"#);
    assert_eq!(
        (p.place, p.column.as_deref(), p.msg.key),
        (Place::Item(0), Some("arrears"), "bills.json_arrears_number")
    );
    assert_eq!(case("").msg.key, "bills.missing");
    assert_eq!(
        case(r#", "arrears": "1", "arrears_fen": 100"#).msg.key,
        "bills.json_both_arrears"
    );
    assert_eq!(
        case(r#", "arrears_fen": 1.5"#).msg.key,
        "bills.json_want_fen"
    );
    assert_eq!(case(r#", "arrears_fen": -1"#).msg.key, "money.negative");
    assert_eq!(
        case(r#", "arrears": "1", "note": "x""#).column.as_deref(),
        Some("note")
    );
    let p = only(parse(
        "b.json",
        br#"[{"account_no": 591234567, "period": "2026-10", "arrears": "1", "due_date": "2026-11-15", "class": "other"}]"#,
    ));
    assert_eq!(p.msg.key, "bills.json_account_number");
    let p = only(parse("b.json", b"[1]"));
    assert_eq!(
        (p.place, p.msg.key),
        (Place::Item(0), "bills.json_not_object")
    );
    assert_eq!(only(parse("b.json", b"{}")).msg.key, "bills.json_not_array");
    let p = only(parse("b.json", b"[\n{\"account_no\": }\n]"));
    assert_eq!(p.msg.key, "bills.json_syntax");
    assert!(p.msg.args.contains(&("line", "2".to_string())));
}

#[test]
fn the_format_is_chosen_by_extension_then_sniffed() {
    assert_eq!(format_of("A.CSV", b"[1]"), Format::Csv);
    assert_eq!(format_of("a.Json", b"x"), Format::Json);
    assert_eq!(format_of("bills.txt", b"\xEF\xBB\xBF  [ ]"), Format::Json);
    assert_eq!(format_of("bills", b"account_no,period"), Format::Csv);
    let text = format!("{HEADER}1,2026-10,1,2026-11-15,other\n");
    assert_eq!(parse("bills.dat", text.as_bytes()).map(|b| b.len()), Ok(1));
}

#[test]
fn the_digest_is_sha256() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn class_codes_round_trip() {
    for c in [CustomerClass::Residential, CustomerClass::Other] {
        assert_eq!(class_from_code(class_code(c)), Some(c));
    }
    assert_eq!(class_from_code("Other"), None);
}
