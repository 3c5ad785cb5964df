use super::*;

// ---- messages ------------------------------------------------------

/// One sample of every reason; the match below fails to compile when a
/// variant is added without a sample here.
fn sample_reasons() -> Vec<Reason> {
    let all = vec![
        Reason::Empty,
        Reason::TooLong { len: 100 },
        Reason::WrongLength {
            len: 17,
            expected: "18",
        },
        Reason::BadChar { ch: 'O', pos: 3 },
        Reason::BadCheck {
            expected: 'X',
            found: '1',
        },
        Reason::BadDate {
            date: "1990-02-30".into(),
        },
        Reason::FutureDate {
            date: "2030-01-01".into(),
        },
        Reason::TooOld { year: 1899 },
        Reason::BadArea {
            code: "990101".into(),
        },
        Reason::AgeOver { age: 125 },
        Reason::PilotChecksum {
            expected: '3',
            found: '4',
        },
        Reason::BadAuthority { ch: 'B' },
        Reason::UnknownFormat,
    ];
    for r in &all {
        match r {
            Reason::Empty
            | Reason::TooLong { .. }
            | Reason::WrongLength { .. }
            | Reason::BadChar { .. }
            | Reason::BadCheck { .. }
            | Reason::BadDate { .. }
            | Reason::FutureDate { .. }
            | Reason::TooOld { .. }
            | Reason::BadArea { .. }
            | Reason::AgeOver { .. }
            | Reason::PilotChecksum { .. }
            | Reason::BadAuthority { .. }
            | Reason::UnknownFormat => {}
        }
    }
    all
}

/// The catalogue as (key, zh, en), read with a parser just big enough
/// for its fixed format.
fn catalogue() -> Vec<(String, String, String)> {
    let src = include_str!("../../../../assets/messages/id.toml");
    let mut out: Vec<(String, String, String)> = Vec::new();
    for line in src.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push((format!("id.{name}"), String::new(), String::new()));
        } else if let Some((k, v)) = line.split_once(" = ") {
            let v = v.trim_matches('"').to_string();
            let entry = out.last_mut().expect("value before any table");
            match k {
                "zh" => entry.1 = v,
                "en" => entry.2 = v,
                other => panic!("unexpected field {other}"),
            }
        } else {
            assert!(line.is_empty() || line.starts_with('#'), "odd line {line}");
        }
    }
    out
}

fn placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(n, _)| n.to_string()))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn every_message_is_in_the_catalogue_with_matching_placeholders() {
    let cat = catalogue();
    let mut msgs: Vec<Msg> = sample_reasons().iter().map(Reason::msg).collect();
    msgs.extend(DocKind::ALL.iter().map(DocKind::name_msg));
    msgs.push(Verdict::Valid.label_msg());
    msgs.push(Verdict::Suspicious(Reason::Empty).label_msg());
    msgs.push(Verdict::Invalid(Reason::Empty).label_msg());
    msgs.push(Gender::Male.msg());
    msgs.push(Gender::Female.msg());
    for m in &msgs {
        let (_, zh, en) = cat
            .iter()
            .find(|(k, _, _)| k == m.key)
            .unwrap_or_else(|| panic!("missing catalogue key {}", m.key));
        assert!(!zh.is_empty() && !en.is_empty(), "{}", m.key);
        let mut args: Vec<String> = m.args.iter().map(|(n, _)| n.to_string()).collect();
        args.sort();
        assert_eq!(placeholders(zh), args, "zh {}", m.key);
        assert_eq!(placeholders(en), args, "en {}", m.key);
    }
    // No orphan entries either; "id.years" is the age unit the edges
    // print after `PersonFacts::age`.
    for (k, _, _) in &cat {
        assert!(
            msgs.iter().any(|m| m.key == k) || k == "id.years",
            "unused key {k}"
        );
    }
    let mut keys: Vec<&String> = cat.iter().map(|(k, _, _)| k).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), cat.len(), "duplicate keys");
}

#[test]
fn reason_messages_carry_their_values() {
    let m = Reason::BadCheck {
        expected: 'X',
        found: '1',
    }
    .msg();
    assert_eq!(m.key, "id.bad_check");
    assert_eq!(
        m.args,
        vec![("expected", "X".to_string()), ("found", "1".to_string())]
    );
    let t = Reason::TooLong { len: 10240 }.msg();
    assert!(t.args.contains(&("max", "64".to_string())));
    assert_eq!(Verdict::Valid.reason(), None);
    assert!(Verdict::Invalid(Reason::Empty).is_invalid());
}
