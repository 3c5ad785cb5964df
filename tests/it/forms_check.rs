//! Business-form schema: the shipped forms and the broken fixtures.

use std::fs;
use std::path::Path;

use counterdesk::domain::form::{
    parse_form, ApplicantKind, FeeAmount, FieldKind, Form, MaterialDue, MaterialForm, SlipKind,
    StepStart,
};
use counterdesk::domain::msg::{Lang, Msg};
use counterdesk::domain::problem::{render_problem, Problem};
use counterdesk::load::forms::{load_dir, load_embedded};

const SHIPPED: &str = "forms/lv_residential_new.toml";
const BROKEN: &str = "tests/fixtures/forms/broken";
const GOOD: &str = "tests/fixtures/forms/good";

fn shipped() -> Form {
    let text = fs::read_to_string(SHIPPED).unwrap();
    parse_form(SHIPPED, &text).unwrap()
}

/// (catalogue key, line) of each problem of a text, in order.
fn problems_of(file: &str, text: &str) -> Vec<(&'static str, Option<usize>)> {
    parse_form(file, text)
        .unwrap_err()
        .into_iter()
        .map(|p| (p.msg.key, p.line))
        .collect()
}

fn arg<'a>(p: &'a Problem, name: &str) -> &'a str {
    &p.msg.args.iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn shipped_form_parses_with_the_promised_content() {
    let form = shipped();
    assert_eq!(form.code, "lv_residential_new");
    assert_eq!(form.name.get(Lang::Zh), "低压居民新装（增容）");
    assert_eq!(form.applicant, vec![ApplicantKind::Person]);
    assert!(form.single_id);
    assert_eq!(form.version, "2025.1");
    assert_eq!(form.effective.to_string(), "2025-01-01");
    assert_eq!(form.total_limit_working_days, Some(5));

    // The applicant's name comes from the customer record, not a field.
    let ids: Vec<_> = form.fields.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "contact_mobile",
            "supply_address",
            "requested_capacity_kw",
            "application_kind",
            "remarks"
        ]
    );
    let cap = form.field("requested_capacity_kw").unwrap();
    assert_eq!(cap.kind, FieldKind::CapacityKw);
    assert_eq!(cap.min.unwrap().hundredths(), 100);
    assert_eq!(cap.max.unwrap().hundredths(), 10_000);
    assert_eq!(form.field("application_kind").unwrap().choices.len(), 2);
    assert!(!form.field("remarks").unwrap().required);

    let id = form.material("applicant_id").unwrap();
    assert_eq!(id.due, MaterialDue::AtAcceptance);
    assert_eq!(id.form, MaterialForm::Original);
    let rights = form.material("address_rights").unwrap();
    assert_eq!(
        rights.due,
        MaterialDue::MayFollow {
            within_working_days: 5
        }
    );
    assert_eq!(rights.any_of.len(), 5);
    assert!(rights.any_of.iter().all(|a| a.form == MaterialForm::Copy));
    let poa = form.material("agent_authorisation").unwrap();
    assert!(!poa.applies(ApplicantKind::Person, false));
    assert!(poa.applies(ApplicantKind::Person, true));
    assert!(rights.applies(ApplicantKind::Person, false));

    let limits: Vec<_> = form
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.limit_working_days, s.starts_from))
        .collect();
    assert_eq!(
        limits,
        [
            ("accept_and_sign", 1, StepStart::Acceptance),
            ("build_and_connect", 4, StepStart::PreviousStep)
        ]
    );
    assert_eq!(form.fees.len(), 1);
    assert_eq!(form.fees[0].amount, FeeAmount::Fen(0));
    assert!(form.fees[0].basis.zh.contains("国办函〔2020〕129号"));
    assert!(form.rights.iter().any(|r| r.text.zh.contains("三不指定")));
    let phones: Vec<_> = form.contacts.iter().map(|c| c.phone.as_str()).collect();
    assert_eq!(phones, ["95598", "12398", "12345"]);
    assert!(form.duties.iter().any(|d| d.text.zh.contains("漏电保护器")));
    assert_eq!(
        form.slips,
        [SlipKind::AcceptanceReceipt, SlipKind::DisclosureNotice]
    );
}

#[test]
fn good_fixture_is_the_shipped_form_and_subdirectories_are_skipped() {
    assert_eq!(
        fs::read(SHIPPED).unwrap(),
        fs::read(format!("{GOOD}/lv_residential_new.toml")).unwrap()
    );
    // good/calendar/2026.toml is not a form; loading must not look at it.
    let forms = load_dir(Path::new(GOOD)).unwrap();
    assert_eq!(forms, vec![shipped()]);
    // The shipped folder holds calendar/ too, and every business type.
    let shipped_all = load_dir(Path::new("forms")).unwrap();
    assert!(shipped_all.contains(&shipped()));
    assert!(shipped_all.iter().all(|f| f.code != "2026"));
}

/// A catalogue key and the line it is reported on.
type Expected = (&'static str, Option<usize>);

#[test]
fn each_broken_fixture_gives_its_problem_on_its_line() {
    let expected: &[(&str, &[Expected])] = &[
        ("bad_syntax", &[("form.syntax", Some(13))]),
        (
            "choice_without_choices",
            &[("form.choices_missing", Some(11))],
        ),
        ("code_mismatch", &[("form.code_not_stem", Some(1))]),
        ("duplicate_id", &[("form.duplicate_id", Some(17))]),
        ("missing_step_limit", &[("form.missing_key", Some(11))]),
        ("unknown_key", &[("form.unknown_key", Some(15))]),
        ("unknown_slip", &[("form.unknown_value", Some(9))]),
        (
            "many_problems",
            &[
                ("form.empty_en", Some(13)),
                ("form.min_gt_max", Some(15)),
                ("form.bad_id", Some(19)),
                ("form.choices_unexpected", Some(22)),
                ("form.follow_days_missing", Some(28)),
                ("form.any_of_empty", Some(29)),
                ("form.step_limit_zero", Some(34)),
                ("form.first_step_previous", Some(35)),
                ("form.fee_no_amount", Some(38)),
                ("form.fee_basis_empty", Some(41)),
                ("form.no_rights", Some(1)),
            ],
        ),
    ];
    for (name, want) in expected {
        let file = format!("{BROKEN}/{name}.toml");
        let text = fs::read_to_string(&file).unwrap();
        let mut got = problems_of(&file, &text);
        // "no rights" has no line of its own and falls back to the code line;
        // sort the same way the checker does (by line, stable).
        got.sort_by_key(|(_, l)| *l);
        let mut want = want.to_vec();
        want.sort_by_key(|(_, l)| *l);
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn problem_arguments_name_the_culprit() {
    let file = format!("{BROKEN}/unknown_key.toml");
    let ps = parse_form(&file, &fs::read_to_string(&file).unwrap()).unwrap_err();
    assert_eq!(arg(&ps[0], "key"), "colour");
    assert!(arg(&ps[0], "allowed").starts_with("id, label, kind, required"));

    let file = format!("{BROKEN}/duplicate_id.toml");
    let ps = parse_form(&file, &fs::read_to_string(&file).unwrap()).unwrap_err();
    assert_eq!(arg(&ps[0], "id"), "mobile");
    assert_eq!(arg(&ps[0], "first_line"), "12");
    assert_eq!(arg(&ps[0], "section"), "[[fields]]");

    let file = format!("{BROKEN}/code_mismatch.toml");
    let ps = parse_form(&file, &fs::read_to_string(&file).unwrap()).unwrap_err();
    assert_eq!(arg(&ps[0], "stem"), "code_mismatch");
    assert_eq!(arg(&ps[0], "code"), "lv_residential_new");
}

#[test]
fn non_utf8_file_is_reported_with_its_line() {
    let ps = load_dir(Path::new(BROKEN)).unwrap_err();
    let p = ps
        .iter()
        .find(|p| p.file.ends_with("not_utf8.toml"))
        .unwrap();
    assert_eq!((p.msg.key, p.line), ("form.not_utf8", Some(3)));
}

#[test]
fn broken_dir_report_snapshot() {
    let ps = load_dir(Path::new(BROKEN)).unwrap_err();
    assert!(
        ps.iter().all(|p| p.line.is_some()),
        "every problem has a line"
    );
    let mut report = String::new();
    for lang in [Lang::Zh, Lang::En] {
        for p in &ps {
            let line = render_problem(p, |m| counterdesk::i18n::text(m, lang));
            assert!(!line.contains('{'), "unsubstituted placeholder: {line}");
            report.push_str(&line);
            report.push('\n');
        }
        report.push('\n');
    }
    insta::assert_snapshot!("broken_dir_report", report);
}

#[test]
fn search_finds_by_pinyin_chinese_english_code_and_alias() {
    let form = shipped();
    for q in [
        "jmxz",
        "dyjm",
        "居民",
        "新装",
        "new install",
        "NEW INSTALL",
        "lv_residential",
        "居民报装",
        "jmzr",
        "  jmxz  ",
        "",
    ] {
        assert!(form.search_matches(q), "{q:?} should match");
    }
    for q in ["光伏", "pv", "xyz", "charging"] {
        assert!(!form.search_matches(q), "{q:?} should not match");
    }
}

/// The shipped form with one substitution, which must apply.
fn variant(from: &str, to: &str) -> String {
    let text = fs::read_to_string(SHIPPED).unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

/// The line of the last line containing `needle` (for duplicates: the repeat).
fn line_of(text: &str, needle: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .iter()
        .rposition(|l| l.contains(needle))
        .map(|i| i + 1)
}

#[test]
fn semantic_checks_on_variants_of_the_shipped_form() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (replace, with, expected key, the text on the expected line)
        (
            "limit_working_days = 4",
            "limit_working_days = 5",
            "form.steps_exceed_total",
            "total_limit_working_days",
        ),
        (
            "max = 100\n",
            "max = 100.125\n",
            "form.too_many_decimals",
            "max = 100.125",
        ),
        (
            "kind = \"capacity_kw\"",
            "kind = \"integer\"\nmax_len = 3",
            "form.max_len_unsupported",
            "max_len = 3",
        ),
        (
            "kind = \"mobile\"",
            "kind = \"mobile\"\nmin = 7",
            "form.min_max_unsupported",
            "min = 7",
        ),
        (
            "max_len = 200",
            "max_len = 0",
            "form.max_len_zero",
            "max_len = 0",
        ),
        (
            "default = \"new_install\"",
            "default = \"relocation\"",
            "form.default_invalid",
            "default = \"relocation\"",
        ),
        (
            "when = \"at_acceptance\"",
            "when = \"at_acceptance\"\nfollow_within_working_days = 3",
            "form.follow_days_unexpected",
            "follow_within_working_days = 3",
        ),
        (
            "follow_within_working_days = 5\nnote",
            "follow_within_working_days = 0\nnote",
            "form.follow_days_zero",
            "follow_within_working_days = 0",
        ),
        (
            "applies_to = [\"agent\"]",
            "applies_to = [\"organisation\"]",
            "form.applies_never",
            "applies_to = [\"organisation\"]",
        ),
        (
            "applies_to = [\"agent\"]",
            "applies_to = []",
            "form.applies_to_empty",
            "applies_to = []",
        ),
        (
            "when = \"at_acceptance\"",
            "when = \"may_follow\"\nfollow_within_working_days = 1",
            "form.single_id_needs_id",
            "single_id = true",
        ),
        (
            "amount_fen = 0",
            "amount_fen = -100",
            "form.fee_negative",
            "amount_fen = -100",
        ),
        (
            "amount_fen = 0",
            "amount_fen = 0\namount_text = { zh = \"免收\", en = \"Free\" }",
            "form.fee_both_amounts",
            "amount_text",
        ),
        (
            "phone = \"12345\"",
            "phone = \"call us\"",
            "form.bad_phone",
            "phone = \"call us\"",
        ),
        (
            "pinyin = \"dyjmxz\"",
            "pinyin = \"DYJMXZ\"",
            "form.bad_pinyin",
            "pinyin = ",
        ),
        (
            "version = \"2025.1\"",
            "version = \" \"",
            "form.version_empty",
            "version = ",
        ),
        (
            "applicant = [\"person\"]",
            "applicant = []",
            "form.applicant_empty",
            "applicant = []",
        ),
        (
            "effective = 2025-01-01",
            "effective = 2025-01-01T08:00:00",
            "form.effective_not_date",
            "effective = ",
        ),
        (
            "total_limit_working_days = 5",
            "total_limit_working_days = 0",
            "form.total_zero",
            "total_limit_working_days",
        ),
        (
            "\"disclosure_notice\"]",
            "\"disclosure_notice\", \"acceptance_receipt\"]",
            "form.slip_duplicate",
            "slips = ",
        ),
        ("\"jmbz\",", "\"\",", "form.empty_alias", "aliases = "),
        (
            "id = \"progress\"",
            "id = \"free_choice\"",
            "form.duplicate_id",
            "id = \"free_choice\"",
        ),
        (
            "id = \"court_ruling\"",
            "id = \"title_deed\"",
            "form.duplicate_id",
            "{ id = \"title_deed\"",
        ),
        (
            "id = \"capacity_increase\"",
            "id = \"new_install\"",
            "form.duplicate_id",
            "{ id = \"new_install\"",
        ),
        (
            "{ zh = \"备注\", en = \"Remarks\" }",
            "{ zh = \"\", en = \"Remarks\" }",
            "form.empty_zh",
            "{ zh = \"\", en = \"Remarks\" }",
        ),
        (
            "who = { zh = \"供电公司客户经理\"",
            "who = { zh = \" \"",
            "form.empty_zh",
            "who = { zh = \" \"",
        ),
        (
            "[\"person\"]",
            "[\"person\", \"robot\"]",
            "form.unknown_value",
            "applicant = ",
        ),
        (
            "single_id = true",
            "single_id = \"yes\"",
            "toml.wrong_type",
            "single_id = ",
        ),
        (
            "limit_working_days = 1\n",
            "limit_working_days = 1\nlimit_working_days = 2\n",
            "form.duplicate_key",
            "limit_working_days = 2",
        ),
    ];
    for (from, to, key, on) in cases {
        let text = variant(from, to);
        let got = problems_of(SHIPPED, &text);
        assert_eq!(got, vec![(*key, line_of(&text, on))], "{from} -> {to}");
    }
    let text = variant(
        "kind = \"capacity_kw\"\nmin = 1",
        "kind = \"integer\"\nmin = 1.5",
    );
    let got = problems_of(SHIPPED, &text);
    assert_eq!(got, vec![("form.not_integer", line_of(&text, "min = 1.5"))]);
}

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let text = variant("limit_working_days = 4", "limit_working_days = 0");
    let text = text.replacen("phone = \"95598\"", "phone = \"\"", 1);
    let keys: Vec<_> = problems_of(SHIPPED, &text)
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(keys, ["form.step_limit_zero", "form.bad_phone"]);
}

#[test]
fn missing_required_sections_are_problems() {
    let text = fs::read_to_string(SHIPPED).unwrap();
    let cut = |text: &str, header: &str| -> String {
        // Drops every [[header]] table (up to the next table header of another kind).
        let mut out = String::new();
        let mut skipping = false;
        for line in text.lines() {
            if line.starts_with("[[") {
                skipping = line == format!("[[{header}]]");
            }
            if !skipping {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    };
    for (header, key) in [
        ("steps", "form.no_steps"),
        ("rights", "form.no_rights"),
        ("contacts", "form.no_contacts"),
    ] {
        let got = problems_of(SHIPPED, &cut(&text, header));
        // Nothing to point at: the line of `code`, the head of the form.
        let mut want = vec![(key, Some(5))];
        if header == "steps" {
            // Also nothing to add up: the promise of 5 days still stands alone.
            want.truncate(1);
        }
        assert_eq!(got, want, "{header}");
    }
}

#[test]
fn loading_problems_from_the_directory_itself() {
    let ps = load_dir(Path::new("tests/fixtures/forms/does_not_exist")).unwrap_err();
    assert_eq!(ps.len(), 1);
    assert_eq!(ps[0].msg.key, "form.dir_missing");
    assert_eq!(ps[0].file, "tests/fixtures/forms/does_not_exist");
    assert_eq!(ps[0].line, None);

    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("calendar")).unwrap();
    fs::write(dir.path().join("notes.txt"), "not a form").unwrap();
    let ps = load_dir(dir.path()).unwrap_err();
    assert_eq!(ps.len(), 1);
    assert_eq!(ps[0].msg.key, "form.dir_empty");
    assert_eq!(ps[0].file, dir.path().display().to_string());

    // A dangling link is listed but cannot be read.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("x.toml")).unwrap();
        let ps = load_dir(dir.path()).unwrap_err();
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].msg.key, "form.unreadable");
        assert!(ps[0].file.ends_with("x.toml"));
    }
}

#[test]
fn embedded_forms_load_sorted_and_codes_stay_unique() {
    let text = fs::read_to_string(SHIPPED).unwrap();
    let other = text
        .replace("code = \"lv_residential_new\"", "code = \"a_first\"")
        .replace("pinyin = \"dyjmxz\"", "pinyin = \"af\"");
    let forms = load_embedded(&[
        ("forms/lv_residential_new.toml", &text),
        ("forms/a_first.toml", &other),
    ])
    .unwrap();
    let codes: Vec<_> = forms.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["a_first", "lv_residential_new"]);

    let ps = load_embedded(&[
        ("forms/lv_residential_new.toml", &text),
        ("old/lv_residential_new.toml", &text),
    ])
    .unwrap_err();
    assert_eq!(ps.len(), 1);
    assert_eq!(ps[0].msg.key, "form.duplicate_code");
    assert_eq!(ps[0].file, "old/lv_residential_new.toml");
    assert_eq!(ps[0].line, Some(5));
    assert_eq!(arg(&ps[0], "first_file"), "forms/lv_residential_new.toml");

    let ps = load_embedded(&[]).unwrap_err();
    assert_eq!(ps[0].msg.key, "form.dir_empty");
}

#[test]
fn a_byte_order_mark_is_not_content() {
    let text = format!("\u{feff}{}", fs::read_to_string(SHIPPED).unwrap());
    assert_eq!(parse_form(SHIPPED, &text).unwrap(), shipped());
}

#[test]
fn render_problem_with_and_without_line() {
    let mut p = Problem {
        file: "forms/x.toml".into(),
        line: Some(12),
        msg: Msg::new("form.no_steps"),
    };
    assert_eq!(
        render_problem(&p, |m| m.key.to_string()),
        "forms/x.toml:12: form.no_steps"
    );
    p.line = None;
    assert_eq!(
        render_problem(&p, |m| m.key.to_string()),
        "forms/x.toml: form.no_steps"
    );
}
