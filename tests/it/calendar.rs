//! Working-day calendar: the shipped year files, the broken fixtures, and
//! loading from disk and from embedded copies.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use counterdesk::domain::calendar::{parse_year, Calendar, MAX_WORKING_DAYS};
use counterdesk::domain::msg::Lang;
use counterdesk::domain::problem::Problem;
use counterdesk::i18n::text;
use counterdesk::load::calendar::{load_dir, load_embedded};

const SHIPPED: &str = "forms/calendar";
const BROKEN: &str = "tests/fixtures/calendar/broken";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn shipped() -> Calendar {
    load_dir(Path::new(SHIPPED)).unwrap()
}

fn shipped_text(year: i32) -> String {
    fs::read_to_string(format!("{SHIPPED}/{year}.toml")).unwrap()
}

fn arg<'a>(p: &'a Problem, name: &str) -> &'a str {
    &p.msg.args.iter().find(|(n, _)| *n == name).unwrap().1
}

/// (catalogue key, line) of each problem.
fn keys_lines(ps: &[Problem]) -> Vec<(&'static str, Option<usize>)> {
    ps.iter().map(|p| (p.msg.key, p.line)).collect()
}

/// One problem as a line of a report: `file:line: text`.
fn render(p: &Problem, lang: Lang) -> String {
    match p.line {
        Some(line) => format!("{}:{}: {}", p.file, line, text(&p.msg, lang)),
        None => format!("{}: {}", p.file, text(&p.msg, lang)),
    }
}

// --- The shipped files --------------------------------------------------------

#[test]
fn shipped_years_load_from_disk_and_embedded_alike() {
    let cal = shipped();
    assert_eq!(cal.first_known_year(), Some(2025));
    assert_eq!(cal.last_known_year(), Some(2026));
    let (a, b) = (shipped_text(2025), shipped_text(2026));
    // Given in reverse order: the loader sorts by file name.
    let embedded = load_embedded(&[("2026.toml", &b), ("2025.toml", &a)]).unwrap();
    assert_eq!(embedded.years().len(), 2);
    for (x, y) in embedded.years().iter().zip(cal.years()) {
        assert_eq!(x.year(), y.year());
        assert_eq!(x.holidays(), y.holidays());
        assert_eq!(x.workdays(), y.workdays());
        assert_eq!(x.source(), y.source());
    }
    assert_eq!(
        cal.years()[0].source().title,
        "国务院办公厅关于2025年部分节假日安排的通知"
    );
    assert_eq!(cal.years()[0].source().published, d("2024-11-12"));
    assert!(cal.years()[1].file().ends_with("2026.toml"));
}

#[test]
fn the_copy_built_into_the_binary_is_the_shipped_one() {
    let embedded = load_embedded(counterdesk::embedded::CALENDAR).unwrap();
    let cal = shipped();
    assert_eq!(embedded.years().len(), cal.years().len());
    for (x, y) in embedded.years().iter().zip(cal.years()) {
        assert_eq!(x.year(), y.year());
        assert_eq!(x.holidays(), y.holidays());
        assert_eq!(x.workdays(), y.workdays());
    }
}

#[test]
fn shipped_years_hold_exactly_the_notices() {
    let cal = shipped();
    let spans = |year: i32| -> Vec<(String, String, String)> {
        cal.years()
            .iter()
            .find(|t| t.year() == year)
            .unwrap()
            .holidays()
            .iter()
            .map(|h| (h.name.zh.clone(), h.from.to_string(), h.to.to_string()))
            .collect()
    };
    let own = |v: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        v.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    };
    assert_eq!(
        spans(2025),
        own(&[
            ("元旦", "2025-01-01", "2025-01-01"),
            ("春节", "2025-01-28", "2025-02-04"),
            ("清明节", "2025-04-04", "2025-04-06"),
            ("劳动节", "2025-05-01", "2025-05-05"),
            ("端午节", "2025-05-31", "2025-06-02"),
            ("国庆节、中秋节", "2025-10-01", "2025-10-08"),
        ])
    );
    assert_eq!(
        spans(2026),
        own(&[
            ("元旦", "2026-01-01", "2026-01-03"),
            ("春节", "2026-02-15", "2026-02-23"),
            ("清明节", "2026-04-04", "2026-04-06"),
            ("劳动节", "2026-05-01", "2026-05-05"),
            ("端午节", "2026-06-19", "2026-06-21"),
            ("中秋节", "2026-09-25", "2026-09-27"),
            ("国庆节", "2026-10-01", "2026-10-07"),
        ])
    );
    let mut workdays: Vec<String> = cal
        .years()
        .iter()
        .flat_map(|t| t.workdays().iter().map(|w| w.date.to_string()))
        .collect();
    workdays.sort();
    assert_eq!(
        workdays,
        [
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10"
        ]
    );
}

#[test]
fn due_dates_printed_at_the_counter() {
    let cal = shipped();
    // (start, working days, due, estimated), each counted by hand.
    let cases = [
        ("2025-12-30", 2, "2026-01-04", false),
        ("2026-02-12", 3, "2026-02-24", false),
        ("2025-09-26", 5, "2025-10-10", false),
        ("2026-12-28", 10, "2027-01-11", true),
        ("2024-12-30", 2, "2025-01-02", true),
        ("2026-06-18", 0, "2026-06-18", false),
    ];
    for (start, n, want, estimated) in cases {
        let due = cal.due(d(start), n).unwrap();
        assert_eq!(
            (due.date, due.estimated),
            (d(want), estimated),
            "{start} + {n}"
        );
    }
    let e = cal.due(d("2026-01-05"), MAX_WORKING_DAYS + 1).unwrap_err();
    assert!(text(&e, Lang::Zh).contains("3650"));
}

#[test]
fn due_line_and_estimate_note_render_in_both_languages() {
    use counterdesk::domain::calendar::{due_line, weekday_msg};
    let cal = shipped();
    let start = d("2025-12-30");
    let due = cal.due(start, 2).unwrap();
    let weekday = text(&weekday_msg(due.date), Lang::Zh);
    let line = text(&due_line(start, 2, &due, &weekday), Lang::Zh);
    assert_eq!(line, "2025-12-30 起 2 个工作日：2026-01-04（星期日）");
    let weekday = text(&weekday_msg(due.date), Lang::En);
    let line = text(&due_line(start, 2, &due, &weekday), Lang::En);
    assert_eq!(line, "2 working days from 2025-12-30: 2026-01-04 (Sunday)");

    let start = d("2026-12-28");
    let due = cal.due(start, 10).unwrap();
    let note = cal.estimate_note(start, &due).unwrap();
    assert_eq!(
        text(&note, Lang::Zh),
        "（估算：超出已知节假日安排，2026 年以后按周一至周五计算）"
    );
    assert_eq!(
        text(&cal.all_ok(), Lang::Zh),
        "节假日表检查通过：2025–2026 年"
    );
}

// --- Broken files ---------------------------------------------------------------

/// A catalogue key and the line it is reported on.
type Expected = (&'static str, Option<usize>);

#[test]
fn each_broken_fixture_gives_its_problem_on_its_line() {
    let expected: &[(&str, &[Expected])] = &[
        ("bad_syntax", &[("calendar.syntax", Some(6))]),
        (
            "date_twice",
            &[
                ("calendar.date_twice", Some(12)),
                ("calendar.date_twice", Some(16)),
            ],
        ),
        ("from_after_to", &[("calendar.from_after_to", Some(8))]),
        (
            "holiday_too_long",
            &[("calendar.holiday_too_long", Some(8))],
        ),
        ("missing_year", &[("calendar.missing_year", Some(3))]),
        ("not_weekend", &[("calendar.not_weekend", Some(11))]),
        ("outside_year", &[("calendar.outside_year", Some(11))]),
        ("quoted_date", &[("calendar.not_date", Some(7))]),
        ("unknown_key", &[("calendar.unknown_key", Some(8))]),
        ("year_not_stem", &[("calendar.year_not_stem", Some(2))]),
    ];
    let mut dirs: Vec<String> = fs::read_dir(BROKEN)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let names: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
    assert_eq!(dirs, names, "every fixture has its expectation");
    for (name, want) in expected {
        let ps = load_dir(&Path::new(BROKEN).join(name)).unwrap_err();
        assert_eq!(keys_lines(&ps), want.to_vec(), "{name}");
    }
}

#[test]
fn problem_arguments_name_the_culprit() {
    let load = |name: &str| load_dir(&Path::new(BROKEN).join(name)).unwrap_err();

    let ps = load("date_twice");
    assert_eq!(arg(&ps[0], "date"), "2026-09-27");
    assert_eq!(arg(&ps[0], "first_line"), "7");
    assert_eq!(arg(&ps[1], "date"), "2026-10-04");
    assert_eq!(arg(&ps[1], "first_line"), "12");
    assert!(ps[0].file.ends_with("date_twice/2026.toml"));

    let ps = load("missing_year");
    assert_eq!(arg(&ps[0], "missing"), "2026");
    assert_eq!(arg(&ps[0], "before"), "2025");
    assert_eq!(arg(&ps[0], "after"), "2027");
    assert!(ps[0].file.ends_with("2027.toml"));

    let ps = load("not_weekend");
    assert_eq!(arg(&ps[0], "date"), "2026-05-06");

    let ps = load("outside_year");
    assert_eq!(
        (arg(&ps[0], "date"), arg(&ps[0], "year")),
        ("2025-01-04", "2026")
    );

    let ps = load("unknown_key");
    assert_eq!(arg(&ps[0], "key"), "until");
    assert_eq!(arg(&ps[0], "allowed"), "name, from, to");

    let ps = load("year_not_stem");
    assert_eq!((arg(&ps[0], "year"), arg(&ps[0], "stem")), ("2025", "2026"));

    let ps = load("quoted_date");
    assert_eq!(
        (arg(&ps[0], "key"), arg(&ps[0], "value")),
        ("from", "\"2026-04-04\"")
    );

    let ps = load("holiday_too_long");
    assert_eq!((arg(&ps[0], "days"), arg(&ps[0], "max")), ("37", "15"));
}

#[test]
fn broken_report_snapshot() {
    let mut dirs: Vec<_> = fs::read_dir(BROKEN)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut report = String::new();
    for dir in dirs {
        for p in load_dir(&dir).unwrap_err() {
            assert!(p.line.is_some(), "every problem has a line: {p:?}");
            let line = render(&p, Lang::Zh);
            assert!(!line.contains('{'), "unsubstituted placeholder: {line}");
            assert!(!render(&p, Lang::En).contains('{'));
            report.push_str(&line);
            report.push('\n');
        }
    }
    insta::assert_snapshot!("broken_report_zh", report);
}

/// The shipped 2026 file with one substitution, which must apply.
fn variant(from: &str, to: &str) -> String {
    let text = shipped_text(2026);
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

/// The first line containing `needle`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}
#[test]
fn checks_on_variants_of_the_shipped_file() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (replace, with, expected key, the text on the expected line)
        (
            "year = 2026",
            "year = 20266",
            "calendar.year_out_of_range",
            "year = ",
        ),
        (
            "year = 2026",
            "year = -1",
            "calendar.year_out_of_range",
            "year = ",
        ),
        (
            "title = \"国务院办公厅关于2026年部分节假日安排的通知\"",
            "title = \" \"",
            "calendar.source_empty",
            "source = ",
        ),
        (
            "published = 2025-11-04",
            "published = 2025-11-04T09:00:00",
            "calendar.not_date",
            "source = ",
        ),
        (
            "to = 2026-01-03",
            "to = 2026-13-03",
            "calendar.syntax",
            "to = 2026-13-03",
        ),
        ("to = 2026-01-03", "to = 3", "calendar.not_date", "to = 3"),
        (
            "zh = \"元旦\", en = \"New Year's Day\" }\nfrom",
            "zh = \"\", en = \"New Year's Day\" }\nfrom",
            "calendar.empty_zh",
            "zh = \"\"",
        ),
        (
            "zh = \"元旦\", en = \"New Year's Day\" }\nfrom",
            "zh = \"元旦\", en = \" \" }\nfrom",
            "calendar.empty_en",
            "en = \" \"",
        ),
        (
            "to = 2026-01-03",
            "to = 2027-01-03",
            "calendar.outside_year",
            "to = 2027-01-03",
        ),
        (
            "date = 2026-02-28",
            "date = 2026-02-14",
            "calendar.date_twice",
            "date = 2026-02-14",
        ),
        (
            "date = 2026-02-28",
            "date = 2026-02-27",
            "calendar.not_weekend",
            "date = 2026-02-27",
        ),
        (
            "source = {",
            "year = 2026\nsource = {",
            "calendar.duplicate_key",
            "year = 2026",
        ),
        (
            "zh = \"端午节\", en = \"Dragon Boat Festival\" }",
            "zh = \"端午节\", en = \"Dragon Boat Festival\", fr = \"\" }",
            "calendar.unknown_key",
            "fr = ",
        ),
    ];
    for (from, to, key, needle) in cases {
        let text = variant(from, to);
        let ps = parse_year("forms/calendar/2026.toml", &text).unwrap_err();
        // The last line with the needle: for a repeat, the repeat.
        let lines: Vec<&str> = text.lines().collect();
        let want = lines
            .iter()
            .rposition(|l| l.contains(needle))
            .map(|i| i + 1);
        assert_eq!(keys_lines(&ps), vec![(*key, want)], "{from} -> {to}");
    }
}

#[test]
fn name_and_content_checks_without_a_fixture() {
    let text = shipped_text(2026);
    let ps = parse_year("forms/calendar/holidays.toml", &text).unwrap_err();
    assert_eq!(keys_lines(&ps), vec![("calendar.bad_file_name", Some(11))]);
    assert_eq!(
        (arg(&ps[0], "stem"), arg(&ps[0], "year")),
        ("holidays", "2026")
    );

    let head = "year = 2026\nsource = { title = \"x\", published = 2025-11-04 }\n";
    let ps = parse_year("2026.toml", head).unwrap_err();
    assert_eq!(keys_lines(&ps), vec![("calendar.no_holidays", Some(1))]);

    // A key missing from a table is reported on the table's header.
    let cut = variant("to = 2026-06-21\n", "");
    let ps = parse_year("2026.toml", &cut).unwrap_err();
    let header = line_of(&cut, "端午节").map(|l| l - 1);
    assert_eq!(keys_lines(&ps), vec![("calendar.missing_key", header)]);
    assert_eq!(arg(&ps[0], "key"), "to");

    let ps = parse_year("2026.toml", "year = 2026\n").unwrap_err();
    assert_eq!(keys_lines(&ps), vec![("calendar.missing_key", Some(1))]);
    assert_eq!(arg(&ps[0], "key"), "source");

    let ps = parse_year("2026.toml", &format!("{head}colour = 1\n")).unwrap_err();
    assert_eq!(keys_lines(&ps), vec![("calendar.unknown_key", Some(3))]);
    assert_eq!(arg(&ps[0], "allowed"), "year, source, holidays, workdays");

    // Several problems in one file all come back, in line order.
    let text = format!(
        "{head}[[holidays]]\nname = {{ zh = \"\", en = \"x\" }}\nfrom = 2026-02-10\nto = 2026-02-01\n\
         [[workdays]]\ndate = 2026-02-04\nname = {{ zh = \"y\", en = \"y\" }}\n\
         [[workdays]]\ndate = 2026-02-04\nname = {{ zh = \"y\", en = \"y\" }}\n"
    );
    let ps = parse_year("2026.toml", &text).unwrap_err();
    assert_eq!(
        keys_lines(&ps),
        vec![
            ("calendar.empty_zh", Some(4)),
            ("calendar.from_after_to", Some(6)),
            ("calendar.not_weekend", Some(8)),
            ("calendar.not_weekend", Some(11)),
            ("calendar.date_twice", Some(11)),
        ]
    );
    // Inline arrays work as well as [[tables]].
    let inline = format!(
        "{head}holidays = [{{ name = {{ zh = \"元旦\", en = \"New Year\" }}, from = 2026-01-01, to = 2026-01-03 }}]\n"
    );
    assert_eq!(
        parse_year("2026.toml", &inline).unwrap().holidays().len(),
        1
    );
}

// --- Loading -----------------------------------------------------------------------

#[test]
fn loading_problems_from_the_directory_itself() {
    let ps = load_dir(Path::new("tests/fixtures/calendar/does_not_exist")).unwrap_err();
    assert_eq!(keys_lines(&ps), vec![("calendar.dir_missing", None)]);
    assert_eq!(ps[0].file, "tests/fixtures/calendar/does_not_exist");

    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("old.toml")).unwrap();
    fs::write(dir.path().join("notes.txt"), "not a calendar").unwrap();
    fs::write(dir.path().join(".#2026.toml"), "editor leftover").unwrap();
    let ps = load_dir(dir.path()).unwrap_err();
    assert_eq!(keys_lines(&ps), vec![("calendar.dir_empty", None)]);
    assert_eq!(ps[0].file, dir.path().display().to_string());

    fs::write(dir.path().join("2026.toml"), shipped_text(2026)).unwrap();
    let cal = load_dir(dir.path()).unwrap();
    assert_eq!(cal.first_known_year(), Some(2026));

    let mut bytes = shipped_text(2025).into_bytes();
    bytes.extend_from_slice(b"\n# \xff\n");
    fs::write(dir.path().join("2025.toml"), &bytes).unwrap();
    let ps = load_dir(dir.path()).unwrap_err();
    let lines = shipped_text(2025).lines().count();
    assert_eq!(
        keys_lines(&ps),
        vec![("calendar.not_utf8", Some(lines + 2))]
    );

    // A dangling link is listed but cannot be read.
    #[cfg(unix)]
    {
        fs::remove_file(dir.path().join("2025.toml")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("2027.toml")).unwrap();
        let ps = load_dir(dir.path()).unwrap_err();
        assert_eq!(keys_lines(&ps), vec![("calendar.unreadable", None)]);
        assert!(ps[0].file.ends_with("2027.toml"));
    }
}

#[test]
fn embedded_years_are_checked_together() {
    let (a, b) = (shipped_text(2025), shipped_text(2026));
    let ps = load_embedded(&[]).unwrap_err();
    assert_eq!(keys_lines(&ps), vec![("calendar.dir_empty", None)]);

    let ps = load_embedded(&[("a/2026.toml", &b), ("b/2026.toml", &b)]).unwrap_err();
    assert_eq!(keys_lines(&ps), vec![("calendar.duplicate_year", Some(11))]);
    assert_eq!(ps[0].file, "b/2026.toml");
    assert_eq!(arg(&ps[0], "first_file"), "a/2026.toml");

    let c = fs::read_to_string(format!("{BROKEN}/missing_year/2027.toml")).unwrap();
    let far = c.replace("2027", "2030");
    let ps = load_embedded(&[("2025.toml", &a), ("2030.toml", &far)]).unwrap_err();
    assert_eq!(arg(&ps[0], "missing"), "2026–2029");

    // A broken year is reported once, not also as missing from the run.
    let broken = b.replace("date = 2026-05-09", "date = 2026-05-06");
    let ps =
        load_embedded(&[("2025.toml", &a), ("2026.toml", &broken), ("2027.toml", &c)]).unwrap_err();
    let want = line_of(&broken, "date = 2026-05-06");
    assert_eq!(keys_lines(&ps), vec![("calendar.not_weekend", want)]);

    let three = load_embedded(&[("2025.toml", &a), ("2026.toml", &b), ("2027.toml", &c)]).unwrap();
    assert_eq!(three.last_known_year(), Some(2027));
    // 2027-01-01 is now known to be a holiday.
    assert_eq!(three.is_working_day(d("2027-01-01")), (false, true));
    assert_eq!(
        three.due(d("2026-12-28"), 10).unwrap().date,
        d("2027-01-12")
    );
}
