//! The message catalogue: `assets/messages/<prefix>.toml`, one table per key
//! with exactly `zh` and `en`, embedded in the binary.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::domain::msg::{Lang, Msg};
use crate::embedded::MESSAGES;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    zh: String,
    en: String,
}

/// All messages, by key.
pub struct Catalog {
    entries: HashMap<String, Entry>,
}

impl Catalog {
    /// Parses catalogue files given as (file name, contents); errors name the file.
    pub fn parse(files: &[(&str, &str)]) -> Result<Catalog, String> {
        let mut entries = HashMap::new();
        for (file, text) in files {
            let prefix = file.trim_end_matches(".toml");
            let table: HashMap<String, Entry> =
                toml::from_str(text).map_err(|e| format!("assets/messages/{file}: {e}"))?;
            for (k, v) in table {
                entries.insert(format!("{prefix}.{k}"), v);
            }
        }
        Ok(Catalog { entries })
    }

    /// Whether a key exists.
    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The raw template of `key` in `lang`.
    pub fn template(&self, key: &str, lang: Lang) -> Option<&str> {
        self.entries.get(key).map(|e| match lang {
            Lang::Zh => e.zh.as_str(),
            Lang::En => e.en.as_str(),
        })
    }

    /// Renders a message; a missing key shows the key itself rather than nothing.
    pub fn render(&self, m: &Msg, lang: Lang) -> String {
        if m.key == crate::domain::msg::WORDS {
            let want = match lang {
                Lang::Zh => "zh",
                Lang::En => "en",
            };
            return m.get(want).unwrap_or_default().to_string();
        }
        let Some(template) = self.template(m.key, lang) else {
            let args: Vec<String> = m.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
            return format!("{} {}", m.key, args.join(" "));
        };
        let mut out = template.to_string();
        for (name, value) in &m.args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        for (name, part) in &m.parts {
            out = out.replace(&format!("{{{name}}}"), &self.render(part, lang));
        }
        out
    }
}

/// The embedded catalogue, parsed once.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::parse(MESSAGES).unwrap_or_else(|e| {
            tracing::error!("message catalogue: {e}");
            Catalog {
                entries: HashMap::new(),
            }
        })
    })
}

/// Renders `m` in `lang`.
pub fn text(m: &Msg, lang: Lang) -> String {
    catalog().render(m, lang)
}

/// A message as a log line says it: in English, never a debug dump.
pub fn for_log(m: &Msg) -> String {
    text(m, Lang::En)
}

/// Renders an argument-less key in `lang`.
pub fn t(key: &'static str, lang: Lang) -> String {
    catalog().render(&Msg::new(key), lang)
}

/// One problem in a site file as a line of a report, in `lang`: the one
/// way such problems are shown, for forms, holiday tables and
/// configuration.
pub fn problem_line(p: &crate::domain::problem::Problem, lang: Lang) -> String {
    crate::domain::problem::render_problem(p, |m| text(m, lang))
}

/// A heading and every problem under it, one per line.
pub fn problems(head: &Msg, problems: &[crate::domain::problem::Problem], lang: Lang) -> String {
    let mut out = text(head, lang);
    for p in problems {
        out.push('\n');
        out.push_str(&problem_line(p, lang));
    }
    out
}
