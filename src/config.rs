//! Configuration in one place: embedded defaults, then the site file, then
//! the environment, then the command line. Passed down as `&Config`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::msg::{Lang, Msg};
use crate::msg;

/// The defaults, printed by `--print-default-config`.
pub const DEFAULT_TOML: &str = include_str!("../assets/default-config.toml");

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Interface language.
    pub language: Lang,
    /// Database file; empty means the data directory.
    pub database: PathBuf,
    /// Forms folder; empty means ./forms or the built-in forms.
    pub forms_dir: PathBuf,
    /// Log file; empty means next to the database.
    pub log_file: PathBuf,
    /// Seed demo clerks into a new database.
    pub seed_demo_clerks: bool,
    /// The hall, as printed on slips.
    pub hall: Hall,
    /// Sign-in rules.
    pub security: Security,
    /// Customer rules.
    pub customers: Customers,
    /// Printed slips.
    pub slips: Slips,
    /// Money at the window.
    pub money: Money,
}

/// Money at the window: the typing-slip guard and the late-fee rule.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Money {
    /// The largest amount taken in one entry, in yuan as typed ("1000000.00").
    pub amount_limit: String,
    /// Late fee per day on residential arrears, per mille.
    pub late_fee_residential_per_mille: i64,
    /// Late fee per day on other arrears of the current year, per mille.
    pub late_fee_other_current_year_per_mille: i64,
    /// Late fee per day on other arrears of earlier years, per mille.
    pub late_fee_other_earlier_years_per_mille: i64,
    /// The least late fee charged when any is due, in yuan ("1.00").
    pub late_fee_minimum: String,
}

impl Default for Money {
    fn default() -> Self {
        Money {
            amount_limit: "1000000.00".into(),
            late_fee_residential_per_mille: 1,
            late_fee_other_current_year_per_mille: 2,
            late_fee_other_earlier_years_per_mille: 3,
            late_fee_minimum: "1.00".into(),
        }
    }
}

impl Money {
    /// The amount limit in fen (validated at load; the default if unreadable).
    pub fn limit(&self) -> crate::domain::money::Fen {
        use crate::domain::money::{parse_amount, Fen};
        parse_amount(&self.amount_limit, Fen(i64::MAX / 4)).unwrap_or(Fen(100_000_000))
    }

    /// The late-fee rule (validated at load).
    pub fn late_fee_rule(&self) -> crate::domain::money::LateFeeRule {
        use crate::domain::money::{parse_amount, Fen, LateFeeRule};
        LateFeeRule {
            residential_per_mille_per_day: self.late_fee_residential_per_mille,
            other_current_year_per_mille: self.late_fee_other_current_year_per_mille,
            other_earlier_years_per_mille: self.late_fee_other_earlier_years_per_mille,
            minimum: parse_amount(&self.late_fee_minimum, Fen(i64::MAX / 4)).unwrap_or(Fen(100)),
        }
    }
}

/// Printed slips: where files go, which printer, which paper.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Slips {
    /// Spool folder; empty means `spool/` next to the database.
    pub spool_dir: PathBuf,
    /// CUPS queue name for `lp -d`; empty means files only.
    pub printer: String,
    /// CJK font file; empty means the font built into the program.
    pub font: PathBuf,
    /// Paper per slip kind: "a4" or "roll80".
    pub paper: SlipPaper,
}

/// Paper per slip kind.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlipPaper {
    /// Acceptance receipt.
    pub acceptance_receipt: String,
    /// One-time disclosure notice (customer copy and stub).
    pub disclosure_notice: String,
    /// Progress slip for a returning customer.
    pub progress_slip: String,
    /// Payment receipt.
    pub payment_receipt: String,
    /// Reversal slip.
    pub reversal_slip: String,
    /// Refund slip (after the shift is closed).
    pub refund_slip: String,
    /// Shift settlement report.
    pub settlement_report: String,
}

impl Default for Slips {
    fn default() -> Self {
        Slips {
            spool_dir: PathBuf::new(),
            printer: String::new(),
            font: PathBuf::new(),
            paper: SlipPaper::default(),
        }
    }
}

impl Default for SlipPaper {
    fn default() -> Self {
        let a4 = || "a4".to_string();
        let roll = || "roll80".to_string();
        SlipPaper {
            acceptance_receipt: a4(),
            disclosure_notice: a4(),
            progress_slip: roll(),
            payment_receipt: roll(),
            reversal_slip: roll(),
            refund_slip: a4(),
            settlement_report: a4(),
        }
    }
}

/// The business hall.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Hall {
    /// Name in Chinese.
    pub name: String,
    /// Name in English.
    pub name_en: String,
    /// Address.
    pub address: String,
    /// Phone.
    pub phone: String,
    /// This workstation's window number.
    pub window: String,
    /// The duty manager on shift, printed on slips.
    pub duty_manager: String,
    /// The duty manager's phone.
    pub duty_manager_phone: String,
}

/// Sign-in rules.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Security {
    /// Wrong passwords before lock.
    pub max_failed_sign_ins: u32,
    /// Lock duration in minutes.
    pub lockout_minutes: i64,
}

/// Customer rules.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Customers {
    /// Age that sets the green channel.
    pub green_channel_age: u32,
    /// Flags a duty manager may set.
    pub flags: Vec<FlagDef>,
}

/// One settable customer flag.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FlagDef {
    /// Stored code.
    pub code: String,
    /// Chinese label.
    pub zh: String,
    /// English label.
    pub en: String,
}

impl FlagDef {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Overrides from the environment or the command line (highest wins).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Site file to read instead of the platform default.
    pub config_file: Option<PathBuf>,
    /// Language.
    pub language: Option<String>,
    /// Database.
    pub database: Option<PathBuf>,
    /// Forms folder.
    pub forms_dir: Option<PathBuf>,
    /// Log file.
    pub log_file: Option<PathBuf>,
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
        }
    }
}

/// A configuration problem, naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file at fault, or the setting's source.
    pub source: String,
    /// Line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub detail: String,
}

impl ConfigError {
    /// The message for people.
    pub fn msg(&self) -> Msg {
        match self.line {
            Some(line) => msg!(
                "config.bad_line",
                file = self.source,
                line = line,
                detail = self.detail
            ),
            None => msg!("config.bad", file = self.source, detail = self.detail),
        }
    }
}

/// The embedded defaults alone, for tests and tools that ignore site files.
pub fn defaults() -> Result<Config, ConfigError> {
    toml::from_str(DEFAULT_TOML).map_err(|e| ConfigError {
        source: "default-config.toml".into(),
        line: None,
        detail: e.to_string(),
    })
}

impl Default for Config {
    // Must equal assets/default-config.toml; a test holds them together.
    fn default() -> Self {
        Config {
            language: Lang::Zh,
            database: PathBuf::new(),
            forms_dir: PathBuf::new(),
            log_file: PathBuf::new(),
            seed_demo_clerks: true,
            hall: Hall::default(),
            security: Security::default(),
            customers: Customers::default(),
            slips: Slips::default(),
            money: Money::default(),
        }
    }
}

impl Default for Hall {
    fn default() -> Self {
        Hall {
            name: "国网示范供电营业厅".into(),
            name_en: "Demonstration Power Supply Business Hall".into(),
            address: "示范市人民路 1 号".into(),
            phone: "0591-12345678".into(),
            window: "1".into(),
            duty_manager: "李强".into(),
            duty_manager_phone: "0591-12345679".into(),
        }
    }
}

impl Default for Security {
    fn default() -> Self {
        Security {
            max_failed_sign_ins: 5,
            lockout_minutes: 15,
        }
    }
}

impl Default for Customers {
    fn default() -> Self {
        let flag = |code: &str, zh: &str, en: &str| FlagDef {
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
        };
        Customers {
            green_channel_age: 70,
            flags: vec![
                flag("important", "重要客户", "Important customer"),
                flag("special_care", "特殊关爱户", "Special-care household"),
                flag("frequent_repairs", "频繁报修", "Frequent repairs"),
                flag("complaint_history", "有投诉记录", "Complaint history"),
            ],
        }
    }
}

/// The platform's folders for this program.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "counterdesk")
}

/// Where the site file lives unless overridden.
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Builds the configuration from all layers. Every struct takes its
/// missing keys from `Default`, so the site file is deserialised on its own
/// and every error carries the line in that file.
pub fn load(over: &Overrides) -> Result<Config, ConfigError> {
    let (site_path, explicit) = match &over.config_file {
        Some(p) => (Some(p.clone()), true),
        None => (default_config_path(), false),
    };
    if let Some(path) = site_path {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let config: Config =
                    toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?;
                return finish(config, over, &path.display().to_string());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {}
            Err(e) => {
                return Err(ConfigError {
                    source: path.display().to_string(),
                    line: None,
                    detail: e.to_string(),
                })
            }
        }
    }
    finish(Config::default(), over, "default-config.toml")
}

fn finish(mut config: Config, over: &Overrides, source: &str) -> Result<Config, ConfigError> {
    if let Some(lang) = &over.language {
        config.language = Lang::parse(lang).ok_or_else(|| ConfigError {
            source: "COUNTERDESK_LANG / --lang".into(),
            line: None,
            detail: format!("\"{lang}\": zh | en"),
        })?;
    }
    if let Some(db) = &over.database {
        config.database = db.clone();
    }
    if let Some(f) = &over.forms_dir {
        config.forms_dir = f.clone();
    }
    if let Some(l) = &over.log_file {
        config.log_file = l.clone();
    }
    validate(&config).map_err(|detail| ConfigError {
        source: source.to_string(),
        line: None,
        detail,
    })?;
    Ok(config)
}

fn validate(c: &Config) -> Result<(), String> {
    let m = &c.money;
    let big = crate::domain::money::Fen(i64::MAX / 4);
    match crate::domain::money::parse_amount(&m.amount_limit, big) {
        Ok(v) if v.0 > 0 => {}
        _ => {
            return Err(format!(
            "money.amount_limit = \"{}\": write an amount in yuan above zero, e.g. \"1000000.00\"",
            m.amount_limit
        ))
        }
    }
    if crate::domain::money::parse_amount(&m.late_fee_minimum, big).is_err() {
        return Err(format!(
            "money.late_fee_minimum = \"{}\": write an amount in yuan, e.g. \"1.00\"",
            m.late_fee_minimum
        ));
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
            return Err(format!(
                "money.{key} = {v}: use a whole number of per mille from 0 to 100"
            ));
        }
    }
    if c.security.max_failed_sign_ins == 0 {
        return Err("security.max_failed_sign_ins must be at least 1".into());
    }
    if c.security.lockout_minutes < 1 {
        return Err("security.lockout_minutes must be at least 1".into());
    }
    if !(1..=150).contains(&c.customers.green_channel_age) {
        return Err("customers.green_channel_age must be between 1 and 150".into());
    }
    let p = &c.slips.paper;
    for (key, value) in [
        ("acceptance_receipt", &p.acceptance_receipt),
        ("disclosure_notice", &p.disclosure_notice),
        ("progress_slip", &p.progress_slip),
        ("payment_receipt", &p.payment_receipt),
        ("reversal_slip", &p.reversal_slip),
        ("refund_slip", &p.refund_slip),
        ("settlement_report", &p.settlement_report),
    ] {
        if value != "a4" && value != "roll80" {
            return Err(format!(
                "slips.paper.{key} = \"{value}\": use \"a4\" or \"roll80\""
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for f in &c.customers.flags {
        if f.code.trim().is_empty() || f.zh.trim().is_empty() || f.en.trim().is_empty() {
            return Err("customers.flags: every flag needs code, zh and en".into());
        }
        if !seen.insert(f.code.as_str()) || f.code == crate::domain::customer::GREEN_CHANNEL {
            return Err(format!(
                "customers.flags: flag code \"{}\" is used twice",
                f.code
            ));
        }
    }
    Ok(())
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map(|t| t.matches('\n').count() + 1)
        .unwrap_or(1)
}

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    ConfigError {
        source: path.display().to_string(),
        line: e.span().map(|s| line_of(text, s.start)),
        detail: e.message().to_string(),
    }
}

impl Config {
    /// The database file to open.
    pub fn database_path(&self) -> Result<PathBuf, Msg> {
        if !self.database.as_os_str().is_empty() {
            return Ok(self.database.clone());
        }
        project_dirs()
            .map(|d| d.data_dir().join("counterdesk.db"))
            .ok_or_else(|| msg!("config.no_data_dir"))
    }

    /// The log file to write.
    pub fn log_path(&self, db: &Path) -> PathBuf {
        if !self.log_file.as_os_str().is_empty() {
            return self.log_file.clone();
        }
        let mut p = db.as_os_str().to_owned();
        p.push(".log");
        PathBuf::from(p)
    }

    /// The spool folder for slip files.
    pub fn spool_path(&self, db: &Path) -> PathBuf {
        if !self.slips.spool_dir.as_os_str().is_empty() {
            return self.slips.spool_dir.clone();
        }
        db.parent().unwrap_or(Path::new(".")).join("spool")
    }

    /// The forms folder, or None to use the built-in forms.
    pub fn forms_path(&self) -> Option<PathBuf> {
        if !self.forms_dir.as_os_str().is_empty() {
            return Some(self.forms_dir.clone());
        }
        let local = PathBuf::from("forms");
        local.is_dir().then_some(local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_file(text: &str) -> Result<Config, ConfigError> {
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
