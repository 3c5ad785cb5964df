//! Building the configuration from its layers — built-in defaults, the site
//! file, the environment, the command line — and checking it. Every problem
//! names the file and the line, in the language the site asked for.

use std::path::PathBuf;

use super::{default_config_path, Config, DEFAULT_TOML};
use crate::domain::money::{parse_amount, Fen};
use crate::domain::msg::{Lang, Msg};
use crate::domain::problem::{
    deserialize_all, deserialize_repaired, table_key_line, FileKind, Problem,
};
use crate::{i18n, msg};

/// Overrides from the environment or the command line (highest wins).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Site file to read instead of the platform default.
    pub config_file: Option<PathBuf>,
    pub language: Option<String>,
    pub database: Option<PathBuf>,
    /// Forms folder.
    pub forms_dir: Option<PathBuf>,
    pub log_file: Option<PathBuf>,
    /// The customer display's address, or "off".
    pub display: Option<String>,
}

impl Overrides {
    /// Reads `COUNTERDESK_*` variables.
    pub fn from_env() -> Overrides {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        Overrides {
            config_file: var("COUNTERDESK_CONFIG").map(PathBuf::from),
            language: var("COUNTERDESK_LANG").map(|v| v.to_string_lossy().into_owned()),
            database: var("COUNTERDESK_DB").map(PathBuf::from),
            forms_dir: var("COUNTERDESK_FORMS").map(PathBuf::from),
            log_file: var("COUNTERDESK_LOG").map(PathBuf::from),
            display: var("COUNTERDESK_DISPLAY").map(|v| v.to_string_lossy().into_owned()),
        }
    }

    /// `other` wins where it has a value.
    pub fn then(self, other: Overrides) -> Overrides {
        Overrides {
            config_file: other.config_file.or(self.config_file),
            language: other.language.or(self.language),
            database: other.database.or(self.database),
            forms_dir: other.forms_dir.or(self.forms_dir),
            log_file: other.log_file.or(self.log_file),
            display: other.display.or(self.display),
        }
    }
}

/// A configuration problem, naming the file and the line, with any
/// further problems found in the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file at fault, or the setting's source.
    pub source: String,
    /// Line, when known.
    pub line: Option<usize>,
    /// What is wrong and what to write instead, in `lang`.
    pub detail: String,
    /// The same as a message.
    pub problem: Msg,
    /// The language the site asked for, as far as it could be read.
    pub lang: Lang,
    /// Further problems in the same file.
    pub more: Vec<Problem>,
}

impl ConfigError {
    fn new(mut problems: Vec<Problem>, lang: Lang) -> Box<ConfigError> {
        problems.sort_by_key(|p| p.line);
        let first = problems.remove(0);
        Box::new(ConfigError {
            source: first.file.clone(),
            line: first.line,
            detail: i18n::text(&first.msg, lang),
            problem: first.msg,
            lang,
            more: problems,
        })
    }

    /// The message for people: file, line, what to fix.
    pub fn msg(&self) -> Msg {
        match self.line {
            Some(line) => msg!("config.bad_line", file = self.source, line = line),
            None => msg!("config.bad", file = self.source),
        }
        .part("detail", self.problem.clone())
    }

    /// Every problem as lines of text in the language the site asked for.
    pub fn render(&self) -> String {
        let mut out = i18n::text(&self.msg(), self.lang);
        for p in &self.more {
            out.push('\n');
            out.push_str(&crate::i18n::problem_line(p, self.lang));
        }
        out
    }
}

/// The embedded defaults alone, for tests and tools that ignore site files.
pub fn defaults() -> Result<Config, Box<ConfigError>> {
    deserialize_all(FileKind::Config, "default-config.toml", DEFAULT_TOML)
        .map_err(|p| ConfigError::new(p, Lang::default()))
}

/// Builds the configuration from all layers. Every struct takes its
/// missing keys from `Default`, so the site file is deserialised on its own
/// and every error carries the line in that file.
pub fn load(over: &Overrides) -> Result<Config, Box<ConfigError>> {
    let (site_path, explicit) = match &over.config_file {
        Some(p) => (Some(p.clone()), true),
        None => (default_config_path(), false),
    };
    let fallback = over
        .language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default();
    if let Some(path) = &site_path {
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let lang = over
                    .language
                    .as_deref()
                    .and_then(Lang::parse)
                    .or_else(|| language_in(&text))
                    .unwrap_or_default();
                return match deserialize_repaired::<Config>(FileKind::Config, &name, &text) {
                    (Some(mut config), problems) if problems.is_empty() => {
                        config.site_file = Some(path.clone());
                        config.hall_made = super::site::hall_made(&text);
                        finish(config, over, &name, &text)
                    }
                    (repaired, mut problems) => {
                        // The range checks too, on what could be read, so
                        // the site fixes every problem in one go.
                        if let Some(config) = repaired {
                            for p in range_problems(&config, &name, &text) {
                                if !problems
                                    .iter()
                                    .any(|q| q.line.is_some() && q.line == p.line)
                                {
                                    problems.push(p);
                                }
                            }
                        }
                        Err(ConfigError::new(problems, lang))
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {}
            Err(e) => {
                let m = msg!("config.unreadable", detail = e);
                return Err(ConfigError::new(
                    vec![Problem::new(&name, None, m)],
                    fallback,
                ));
            }
        }
    }
    let config = Config {
        site_file: site_path,
        ..Config::default()
    };
    finish(config, over, "default-config.toml", "")
}

/// A site file's text checked as a start checks it (types, unknown keys,
/// ranges), every problem at its line: what the set-up form writes must
/// load.
pub fn check_text(name: &str, text: &str) -> Result<Config, Box<ConfigError>> {
    let lang = language_in(text).unwrap_or_default();
    let config = deserialize_all::<Config>(FileKind::Config, name, text)
        .map_err(|p| ConfigError::new(p, lang))?;
    let problems = range_problems(&config, name, text);
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(ConfigError::new(problems, config.language))
    }
}

/// The language a site file asks for, read leniently so that even a file
/// with problems is reported in its own language.
fn language_in(text: &str) -> Option<Lang> {
    text.lines().find_map(|l| {
        let (key, value) = l.split_once('=')?;
        (key.trim() == "language").then(|| Lang::parse(value.trim().trim_matches('"')))?
    })
}

fn finish(
    mut config: Config,
    over: &Overrides,
    source: &str,
    text: &str,
) -> Result<Config, Box<ConfigError>> {
    if let Some(lang) = &over.language {
        config.language = Lang::parse(lang).ok_or_else(|| {
            let m = msg!("config.language_bad", value = lang);
            ConfigError::new(
                vec![Problem::new("COUNTERDESK_LANG / --lang", None, m)],
                config.language,
            )
        })?;
    }
    if let Some(db) = &over.database {
        config.database = db.clone();
    }
    if let Some(f) = &over.forms_dir {
        config.forms_dir = f.clone();
    }
    if let Some(d) = &over.display {
        if d.trim() == "off" {
            config.display.enabled = false;
        } else {
            config.display.enabled = true;
            config.display.address = d.trim().to_string();
        }
    }
    if let Some(l) = &over.log_file {
        config.log_file = l.clone();
    }
    let problems = range_problems(&config, source, text);
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(ConfigError::new(problems, config.language))
    }
}

/// The range checks' problems, each at its line in `text`.
fn range_problems(config: &Config, source: &str, text: &str) -> Vec<Problem> {
    validate(config)
        .into_iter()
        .map(|(table, key, m)| Problem::new(source, table_key_line(text, table, key), m))
        .collect()
}

/// Range checks serde cannot make: (table, key, what to write instead).
fn validate(c: &Config) -> Vec<(&'static str, &'static str, Msg)> {
    let mut out = Vec::new();
    let m = &c.money;
    let big = Fen(i64::MAX / 4);
    if !matches!(parse_amount(&m.amount_limit, big), Ok(v) if v.0 > 0) {
        let bad = msg!("config.amount_limit_bad", value = m.amount_limit);
        out.push(("money", "amount_limit", bad));
    }
    if parse_amount(&m.late_fee_minimum, big).is_err() {
        let bad = msg!("config.late_fee_minimum_bad", value = m.late_fee_minimum);
        out.push(("money", "late_fee_minimum", bad));
    }
    for (key, v) in [
        (
            "late_fee_residential_per_mille",
            m.late_fee_residential_per_mille,
        ),
        (
            "late_fee_other_current_year_per_mille",
            m.late_fee_other_current_year_per_mille,
        ),
        (
            "late_fee_other_earlier_years_per_mille",
            m.late_fee_other_earlier_years_per_mille,
        ),
    ] {
        if !(0..=100).contains(&v) {
            out.push((
                "money",
                key,
                msg!("config.per_mille_bad", key = key, value = v),
            ));
        }
    }
    if c.security.max_failed_sign_ins == 0 {
        let bad = msg!("config.at_least_one", key = "security.max_failed_sign_ins");
        out.push(("security", "max_failed_sign_ins", bad));
    }
    if c.security.lockout_minutes < 1 {
        let bad = msg!("config.at_least_one", key = "security.lockout_minutes");
        out.push(("security", "lockout_minutes", bad));
    }
    if !(1..=150).contains(&c.customers.green_channel_age) {
        let bad = msg!(
            "config.green_age_bad",
            value = c.customers.green_channel_age
        );
        out.push(("customers", "green_channel_age", bad));
    }
    // The window number is part of every receipt and ticket number: two
    // windows must never share it, and it must be safe in a file name.
    let w = c.hall.window.trim();
    if w.is_empty() || w.chars().count() > 8 || !w.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        let bad = msg!("config.window_bad", value = c.hall.window);
        out.push(("hall", "window", bad));
    }
    if c.hall.name.trim().is_empty() {
        out.push(("hall", "name", msg!("config.hall_name_empty")));
    }
    let hq = &c.hq;
    let scheme_ok = hq.url.starts_with("https://") || hq.url.starts_with("http://");
    if !hq.url.is_empty() && !scheme_ok {
        out.push(("hq", "url", msg!("config.hq_url_bad", value = hq.url)));
    } else if !super::plain_http_allowed(&hq.url) {
        out.push(("hq", "url", msg!("config.hq_url_plain", value = hq.url)));
    }
    for (key, v) in [
        ("connect_timeout_seconds", hq.connect_timeout_seconds),
        ("read_timeout_seconds", hq.read_timeout_seconds),
        ("batch_size", hq.batch_size as u64),
        ("interval_seconds", hq.interval_seconds),
        ("max_backoff_seconds", hq.max_backoff_seconds),
    ] {
        if v == 0 {
            out.push((
                "hq",
                key,
                msg!("config.at_least_one", key = format!("hq.{key}")),
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for f in &c.customers.flags {
        if f.code.trim().is_empty() || f.zh.trim().is_empty() || f.en.trim().is_empty() {
            out.push(("customers", "flags", msg!("config.flag_incomplete")));
        } else if !seen.insert(f.code.as_str()) || f.code == crate::domain::customer::GREEN_CHANNEL
        {
            out.push((
                "customers",
                "flags",
                msg!("config.flag_twice", code = f.code),
            ));
        }
    }
    let r = &c.id_reader;
    if !matches!(r.port, 1..=16 | 1001..=1016) {
        let bad = msg!("config.reader_port_bad", value = r.port);
        out.push(("id_reader", "port", bad));
    }
    if !(50..=5000).contains(&r.poll_ms) {
        let bad = msg!("config.reader_poll_bad", value = r.poll_ms);
        out.push(("id_reader", "poll_ms", bad));
    }
    let sc = &c.scanner;
    if !(1..=1024).contains(&sc.max_mb) {
        let bad = msg!("config.scanner_max_bad", value = sc.max_mb);
        out.push(("scanner", "max_mb", bad));
    }
    let unknown: Vec<&str> = sc
        .types
        .iter()
        .map(|t| t.trim())
        .filter(|t| crate::domain::scan::ScanKind::from_code(t).is_none())
        .collect();
    if !unknown.is_empty() || sc.types.is_empty() {
        let bad = msg!("config.scanner_types_bad", value = unknown.join(", "));
        out.push(("scanner", "types", bad));
    }
    if !(50..=60_000).contains(&sc.settle_ms) {
        let bad = msg!("config.scanner_settle_bad", value = sc.settle_ms);
        out.push(("scanner", "settle_ms", bad));
    }
    if !(1..=1024).contains(&c.log_max_mb) {
        let bad = msg!("config.log_max_bad", value = c.log_max_mb);
        out.push(("", "log_max_mb", bad));
    }
    if !(1..=100).contains(&c.log_keep) {
        let bad = msg!("config.log_keep_bad", value = c.log_keep);
        out.push(("", "log_keep", bad));
    }
    let b = &c.backup;
    if !b.daily_at.trim().is_empty() && b.daily_time().is_none() {
        let bad = msg!("config.backup_time_bad", value = b.daily_at);
        out.push(("backup", "daily_at", bad));
    }
    for (key, n) in [
        ("keep_daily", b.keep_daily),
        ("keep_weekly", b.keep_weekly),
        ("keep_monthly", b.keep_monthly),
    ] {
        if n > 1000 {
            out.push(("backup", key, msg!("config.backup_keep_bad", value = n)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_file(text: &str) -> Result<Config, Box<ConfigError>> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).expect("write");
        load(&Overrides {
            config_file: Some(path),
            ..Overrides::default()
        })
    }

    #[test]
    fn printed_defaults_equal_built_in_defaults() {
        assert_eq!(defaults().expect("parse"), Config::default());
    }

    #[test]
    fn defaults_parse_and_validate() {
        let c = with_file("").expect("defaults");
        assert_eq!(c.language, Lang::Zh);
        assert_eq!(c.security.max_failed_sign_ins, 5);
        assert_eq!(c.customers.flags.len(), 4);
    }

    #[test]
    fn site_file_overrides_only_what_it_names() {
        let c = with_file("language = \"en\"\n[hall]\nwindow = \"7\"\n").expect("config");
        assert_eq!(c.language, Lang::En);
        assert_eq!(c.hall.window, "7");
        assert_eq!(c.security.lockout_minutes, 15);
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let e = with_file("language = \"zh\"\n\nlanguge = \"en\"\n").expect_err("typo");
        assert!(e.source.ends_with("config.toml"));
        assert_eq!(e.line, Some(3));
        assert!(e.detail.contains("languge"), "{}", e.detail);
    }

    #[test]
    fn bad_value_and_bad_syntax_are_reported() {
        let e = with_file("language = \"fr\"\n").expect_err("bad lang");
        assert_eq!(e.line, Some(1));
        let e = with_file("[security\n").expect_err("syntax");
        assert_eq!(e.line, Some(1));
        let e = with_file("[hall]\nname = \"x\"\n[customers]\ngreen_channel_age = \"old\"\n")
            .expect_err("type");
        assert_eq!(e.line, Some(4), "{e:?}");
        let e = with_file("[security]\nmax_failed_sign_ins = 0\n").expect_err("zero");
        assert!(e.detail.contains("max_failed_sign_ins"));
    }

    #[test]
    fn command_line_beats_environment_beats_file() {
        let env = Overrides {
            language: Some("en".into()),
            database: Some("/env.db".into()),
            ..Overrides::default()
        };
        let cli = Overrides {
            database: Some("/cli.db".into()),
            ..Overrides::default()
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "language = \"zh\"\ndatabase = \"/file.db\"\n").expect("write");
        let mut o = env.then(cli);
        o.config_file = Some(path);
        let c = load(&o).expect("config");
        assert_eq!(c.language, Lang::En);
        assert_eq!(c.database, PathBuf::from("/cli.db"));
    }

    #[test]
    fn missing_explicit_file_is_an_error() {
        let e = load(&Overrides {
            config_file: Some("/nonexistent/counterdesk.toml".into()),
            ..Overrides::default()
        })
        .expect_err("missing");
        assert!(e.source.contains("/nonexistent/"));
    }
}
