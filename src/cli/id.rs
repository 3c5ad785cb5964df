//! `counterdesk id check NUMBER... [--json]` for support staff and scripts.

use chrono::Local;
use serde_json::json;

use crate::domain::id::{self, Gender, IdCheck, Verdict};
use crate::domain::msg::Lang;
use crate::i18n::{t, text};

/// Prints each verdict; exit 0 if all valid, 1 if any suspicious, 2 if any invalid.
pub fn run(lang: Lang, numbers: &[String], as_json: bool) -> u8 {
    let today = Local::now().date_naive();
    let mut worst = 0u8;
    let mut out = Vec::new();
    for n in numbers {
        let c = id::check(n, today);
        worst = worst.max(match c.verdict {
            Verdict::Valid => 0,
            Verdict::Suspicious(_) => 1,
            Verdict::Invalid(_) => 2,
        });
        if as_json {
            out.push(to_json(&c, lang));
        } else {
            out!("{}", to_line(&c, lang));
        }
    }
    if as_json {
        out!("{}", serde_json::Value::Array(out));
    }
    worst
}

fn verdict_parts(c: &IdCheck, lang: Lang) -> (&'static str, Option<String>) {
    match &c.verdict {
        Verdict::Valid => ("valid", None),
        Verdict::Suspicious(r) => ("suspicious", Some(text(&r.msg(), lang))),
        Verdict::Invalid(r) => ("invalid", Some(text(&r.msg(), lang))),
    }
}

fn to_line(c: &IdCheck, lang: Lang) -> String {
    let (verdict, reason) = verdict_parts(c, lang);
    let mut parts = vec![
        c.input.trim().to_string(),
        t(
            match verdict {
                "valid" => "id.valid",
                "suspicious" => "id.suspicious",
                _ => "id.invalid",
            },
            lang,
        ),
    ];
    if let Some(k) = c.kind {
        parts.push(text(&k.name_msg(), lang));
    }
    if c.converted_from_15 {
        parts.push(format!("→ {}", c.normalized));
    }
    if let Some(r) = reason {
        parts.push(r);
    }
    if let Some(p) = &c.person {
        let gender = match p.gender {
            Gender::Male => t("id.male", lang),
            Gender::Female => t("id.female", lang),
        };
        parts.push(p.birth_date.format("%Y-%m-%d").to_string());
        parts.push(format!("{} {}", p.age, t("id.years", lang)));
        parts.push(gender);
        if let Some(pr) = &p.province {
            parts.push(match lang {
                Lang::Zh => pr.zh.to_string(),
                Lang::En => pr.en.to_string(),
            });
        }
    }
    parts.join("\t")
}

fn to_json(c: &IdCheck, lang: Lang) -> serde_json::Value {
    let (verdict, reason) = verdict_parts(c, lang);
    json!({
        "input": c.input,
        "normalized": c.normalized,
        "kind": c.kind.map(|k| k.code()),
        "converted_from_15": c.converted_from_15,
        "verdict": verdict,
        "reason": reason,
        "birth_date": c.person.as_ref().map(|p| p.birth_date.format("%Y-%m-%d").to_string()),
        "age": c.person.as_ref().map(|p| p.age),
        "gender": c.person.as_ref().map(|p| match p.gender { Gender::Male => "male", Gender::Female => "female" }),
        "province": c.person.as_ref().and_then(|p| p.province.as_ref().map(|pr| pr.code)),
    })
}
