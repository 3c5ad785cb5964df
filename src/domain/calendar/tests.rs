//! Working-day arithmetic against the real 2025 and 2026 tables.
use super::year::file_stem;
use super::*;

const Y2025: &str = include_str!("../../../forms/calendar/2025.toml");
const Y2026: &str = include_str!("../../../forms/calendar/2026.toml");

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn real() -> Calendar {
    let a = parse_year("forms/calendar/2025.toml", Y2025).unwrap();
    let b = parse_year("forms/calendar/2026.toml", Y2026).unwrap();
    // Given out of order on purpose: new sorts.
    Calendar::new(vec![b, a]).unwrap()
}

fn due(cal: &Calendar, start: &str, n: u32) -> (NaiveDate, bool) {
    let due = cal.due(d(start), n).unwrap();
    (due.date, due.estimated)
}

#[test]
fn real_tables_hold_the_notices() {
    let cal = real();
    assert_eq!(
        (cal.first_known_year(), cal.last_known_year()),
        (Some(2025), Some(2026))
    );
    let y26 = &cal.years()[1];
    assert_eq!(
        y26.source().title,
        "国务院办公厅关于2026年部分节假日安排的通知"
    );
    assert_eq!(y26.source().published, d("2025-11-04"));
    assert_eq!(y26.holidays().len(), 7);
    assert_eq!(y26.workdays().len(), 6);
    assert_eq!(cal.years()[0].holidays().len(), 6);
    assert_eq!(cal.years()[0].workdays().len(), 5);
}

#[test]
fn make_up_days_are_working_days() {
    let cal = real();
    for s in [
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
        "2026-10-10",
    ] {
        assert!(is_weekend(d(s)), "{s} is a weekend day");
        assert_eq!(cal.is_working_day(d(s)), (true, true), "{s}");
        assert!(cal.workday_name(d(s)).is_some(), "{s}");
    }
    assert_eq!(cal.workday_name(d("2026-02-28")).unwrap().zh, "春节");
}

#[test]
fn holidays_are_not_working_days() {
    let cal = real();
    for t in cal.years() {
        for h in t.holidays() {
            for day in h.from.iter_days().take_while(|x| *x <= h.to) {
                assert_eq!(cal.is_working_day(day), (false, true), "{day}");
                assert_eq!(cal.holiday_name(day), Some(&h.name));
            }
        }
    }
    assert_eq!(
        cal.holiday_name(d("2026-02-18")).unwrap().en,
        "Spring Festival"
    );
    assert_eq!(
        cal.holiday_name(d("2025-10-08")).unwrap().zh,
        "国庆节、中秋节"
    );
    // An ordinary Wednesday and an ordinary Saturday.
    assert_eq!(cal.is_working_day(d("2026-03-04")), (true, true));
    assert_eq!(cal.is_working_day(d("2026-03-07")), (false, true));
    assert_eq!(cal.holiday_name(d("2026-03-04")), None);
    assert_eq!(cal.workday_name(d("2026-01-01")), None);
}

#[test]
fn working_days_per_year_match_a_count_by_hand() {
    // 261 weekdays each year; 2025: 18 of them off, 5 make-up days;
    // 2026: 19 off, 6 make-up days.
    let cal = real();
    for (year, want) in [(2025, 248), (2026, 248)] {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let n = first
            .iter_days()
            .take_while(|x| x.year() == year)
            .filter(|x| cal.is_working_day(*x).0)
            .count();
        assert_eq!(n, want, "{year}");
    }
}

#[test]
fn due_across_the_year_end() {
    let cal = real();
    // 12-31 (Wed) is the 1st; 1/1–1/3 are off; Sunday 1/4 is a make-up day.
    assert_eq!(due(&cal, "2025-12-30", 2), (d("2026-01-04"), false));
    assert_eq!(due(&cal, "2025-12-30", 3), (d("2026-01-05"), false));
    // 2025's New Year is one day: Thursday 1/2 counts.
    assert_eq!(due(&cal, "2025-01-01", 1), (d("2025-01-02"), false));
}

#[test]
fn due_across_spring_festival() {
    let cal = real();
    // 2026: Fri 2/13, make-up Sat 2/14, 2/15–2/23 off, Tue 2/24.
    assert_eq!(due(&cal, "2026-02-12", 3), (d("2026-02-24"), false));
    // ... and Sat 2/28 is the 5th after 2/24.
    assert_eq!(due(&cal, "2026-02-24", 4), (d("2026-02-28"), false));
    // 2025: make-up Sun 1/26, Mon 1/27, 1/28–2/4 off, Wed 2/5.
    assert_eq!(due(&cal, "2025-01-24", 3), (d("2025-02-05"), false));
    // 5 working days, the low-voltage residential limit, from the eve.
    // 2/5 Wed, 2/6 Thu, 2/7 Fri, make-up Sat 2/8, Mon 2/10.
    assert_eq!(due(&cal, "2025-01-28", 5), (d("2025-02-10"), false));
}

#[test]
fn due_across_national_day() {
    let cal = real();
    // 2025: Sun 9/28 (make-up), 9/29, 9/30, 10/1–10/8 off, 10/9, 10/10.
    assert_eq!(due(&cal, "2025-09-26", 5), (d("2025-10-10"), false));
    // ... and Saturday 10/11 is the next one.
    assert_eq!(due(&cal, "2025-09-26", 6), (d("2025-10-11"), false));
    // 2026: Mid-Autumn 9/25–9/27, then 9/28, 9/29, 9/30.
    assert_eq!(due(&cal, "2026-09-24", 3), (d("2026-09-30"), false));
    // 10/1–10/7 off: Thu 10/8, Fri 10/9, make-up Sat 10/10.
    assert_eq!(due(&cal, "2026-09-30", 3), (d("2026-10-10"), false));
    // Sunday 9/20 is a make-up day.
    assert_eq!(due(&cal, "2026-09-18", 1), (d("2026-09-20"), false));
}

#[test]
fn due_past_the_known_years_is_estimated_and_counts_monday_to_friday() {
    let cal = real();
    // Mon 2026-12-28: 12-29, 12-30, 12-31, Fri 2027-01-01 (unknown, so
    // counted), Mon 1/4 ... Fri 1/8, Mon 1/11.
    assert_eq!(due(&cal, "2026-12-28", 10), (d("2027-01-11"), true));
    // Within 2026 it is still known.
    assert_eq!(due(&cal, "2026-12-25", 4), (d("2026-12-31"), false));
    assert_eq!(due(&cal, "2026-12-25", 5), (d("2027-01-01"), true));
    assert_eq!(cal.is_working_day(d("2027-01-01")), (true, false));
    assert_eq!(cal.is_working_day(d("2027-01-02")), (false, false));
    let due = cal.due(d("2026-12-28"), 10).unwrap();
    let note = cal.estimate_note(d("2026-12-28"), &due).unwrap();
    assert_eq!(note, msg!("calendar.estimated", last = 2026));
}

#[test]
fn due_from_before_the_known_years_is_estimated() {
    let cal = real();
    // Tue 2024-12-31 unknown; 2025-01-01 off; Thu 1/2.
    assert_eq!(due(&cal, "2024-12-30", 2), (d("2025-01-02"), true));
    // The start itself is not walked over: only known days were counted.
    assert_eq!(due(&cal, "2024-12-31", 1), (d("2025-01-02"), false));
    let due = cal.due(d("2024-06-03"), 5).unwrap();
    assert_eq!(due.date, d("2024-06-10"));
    assert!(due.estimated);
    let note = cal.estimate_note(d("2024-06-03"), &due);
    assert_eq!(note, Some(msg!("calendar.estimated_before", first = 2025)));
    // Over both ends.
    let due = cal.due(d("2024-12-02"), 600).unwrap();
    assert!(due.estimated);
    let note = cal.estimate_note(d("2024-12-02"), &due);
    assert_eq!(
        note,
        Some(msg!(
            "calendar.estimated_outside",
            first = 2025,
            last = 2026
        ))
    );
    assert_eq!(
        cal.estimate_note(d("2025-03-03"), &cal.due(d("2025-03-03"), 5).unwrap()),
        None
    );
    // From the last day before the known years, only the far end is guessed.
    let due = cal.due(d("2024-12-31"), 600).unwrap();
    let note = cal.estimate_note(d("2024-12-31"), &due);
    assert_eq!(note, Some(msg!("calendar.estimated", last = 2026)));
}

#[test]
fn zero_days_is_the_start_itself() {
    let cal = real();
    assert_eq!(due(&cal, "2026-03-03", 0), (d("2026-03-03"), false));
    // Even a holiday: nothing is counted.
    assert_eq!(due(&cal, "2026-10-01", 0), (d("2026-10-01"), false));
    assert_eq!(due(&cal, "2027-03-03", 0), (d("2027-03-03"), true));
    assert_eq!(due(&cal, "2024-03-03", 0), (d("2024-03-03"), true));
}

#[test]
fn too_many_days_are_refused() {
    let cal = real();
    let e = cal.due(d("2026-03-03"), MAX_WORKING_DAYS + 1).unwrap_err();
    assert_eq!(e, msg!("calendar.too_far", days = 3651, max = 3650));
    let ok = cal.due(d("2026-03-03"), MAX_WORKING_DAYS).unwrap();
    assert!(ok.estimated);
    assert!(cal.due(d("2026-03-03"), u32::MAX).is_err());
}

#[test]
fn dates_at_the_ends_of_chrono_never_panic() {
    let cal = real();
    let max = NaiveDate::MAX;
    assert_eq!(
        cal.due(max, 0).unwrap(),
        Due {
            date: max,
            estimated: true
        }
    );
    let e = cal.due(max, 1).unwrap_err();
    assert_eq!(e.key, "calendar.date_out_of_range");
    let near = max - chrono::Days::new(10);
    assert!(cal.due(near, MAX_WORKING_DAYS).is_err());
    // Ten days hold at least six weekdays: still a date, an estimated one.
    assert!(cal.due(near, 3).unwrap().estimated);
    let _ = cal.is_working_day(max);
    let _ = cal.is_working_day(NaiveDate::MIN);
    let due = cal.due(NaiveDate::MIN, 5).unwrap();
    assert!(due.estimated && due.date > NaiveDate::MIN);
    let _ = weekday_msg(max);
}

#[test]
fn output_messages() {
    let cal = real();
    assert_eq!(
        cal.all_ok(),
        msg!("calendar.all_ok", first = 2025, last = 2026)
    );
    assert_eq!(weekday_msg(d("2026-01-04")).key, "calendar.weekday_7");
    assert_eq!(weekday_msg(d("2026-01-05")).key, "calendar.weekday_1");
    let due = cal.due(d("2025-12-30"), 2).unwrap();
    assert_eq!(
        due_line(d("2025-12-30"), 2, &due, "星期日"),
        msg!(
            "calendar.due_line",
            from = "2025-12-30",
            days = 2,
            date = "2026-01-04",
            weekday = "星期日"
        )
    );
}

#[test]
fn new_refuses_no_years() {
    let ps = Calendar::new(Vec::new()).unwrap_err();
    assert_eq!(ps.len(), 1);
    assert_eq!((ps[0].msg.key, ps[0].line), ("calendar.no_years", None));
}

#[test]
fn a_byte_order_mark_is_not_content() {
    let with_bom = format!("\u{feff}{Y2026}");
    assert_eq!(
        parse_year("2026.toml", &with_bom).unwrap().holidays(),
        parse_year("2026.toml", Y2026).unwrap().holidays()
    );
}

#[test]
fn file_stem_drops_directories_and_extension() {
    assert_eq!(file_stem("forms/calendar/2026.toml"), "2026");
    assert_eq!(file_stem("C:\\x\\2026.toml"), "2026");
    assert_eq!(file_stem("2026"), "2026");
}
