//! Configuration in one place: embedded defaults, then the site file, then
//! the environment, then the command line (`load`). Passed down as `&Config`.

mod backup;
mod load;
mod queue;
mod scanner;
pub mod site;

pub use backup::Backup;
pub use load::{check_text, defaults, load, ConfigError, Overrides};
pub use queue::{HallService, HallWindow, QueueLink, TicketGroup};
pub use scanner::Scanner;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::msg::{Lang, Msg};
use crate::domain::states::Paper;
use crate::msg;

/// The defaults, printed by `--print-default-config`.
pub const DEFAULT_TOML: &str = include_str!("../../assets/default-config.toml");

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
    /// The log's size in MiB at which it is rotated.
    pub log_max_mb: u64,
    /// Rotated logs kept.
    pub log_keep: usize,
    /// The hall's own service grid table, for when HQ has sent none;
    /// empty means none.
    pub service_grid: PathBuf,
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
    /// Headquarters: upload and download.
    pub hq: HqLink,
    /// The practice lab.
    pub lab: Lab,
    /// Cases after the window.
    pub cases: Cases,
    /// The customer display turned to the customer.
    pub display: Display,
    /// The customer's rating after every transaction.
    pub ratings: Ratings,
    /// How long each kind of service should take (for the report only).
    pub service_norms: ServiceNorms,
    /// This window's link to the hall's queue.
    pub queue: QueueLink,
    /// The hall's queue service, where this PC runs it.
    pub hall_service: HallService,
    /// The second-generation ID card reader, where the counter has one.
    pub id_reader: IdReader,
    /// The document camera or scanner whose files are attached to materials.
    pub scanner: Scanner,
    /// Backups of the database.
    pub backup: Backup,
    /// The site file these settings come from, or would be written to.
    #[serde(skip)]
    pub site_file: Option<PathBuf>,
    /// Whether the site file sets the hall: until it does, the hall is the
    /// demonstration one and an administrator is asked to set it up.
    #[serde(skip)]
    pub hall_made: bool,
}

/// The ID card reader (二代证读卡器): the vendor's SDT library, loaded at
/// run time; none configured, IDs are typed.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct IdReader {
    /// Path of the vendor's library (`libsdtapi.so`); empty: no reader.
    pub library: PathBuf,
    /// The reader's port: 1001 for the first USB reader, 1 to 16 for a
    /// serial one.
    pub port: i32,
    /// How often a card is looked for, in milliseconds.
    pub poll_ms: u64,
}

impl Default for IdReader {
    fn default() -> Self {
        IdReader {
            library: PathBuf::new(),
            port: 1001,
            poll_ms: 300,
        }
    }
}

/// The customer display: a page served by the workstation for a screen
/// or tablet turned to the customer.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Display {
    /// Serve the page at all.
    pub enabled: bool,
    /// Where it listens: loopback for a screen on this PC, the counter's
    /// LAN address for a tablet.
    pub address: String,
    /// The hall's notices, shown while nobody is served (办事公开).
    pub notices: Vec<String>,
    /// The same notices in English, for a customer who reads English.
    pub notices_en: Vec<String>,
}

impl Default for Display {
    fn default() -> Self {
        Display {
            enabled: true,
            address: "127.0.0.1:8731".into(),
            notices: vec![
                "居民新装增容 5 个工作日内完成。".into(),
                "办电“一证受理”：带身份证即可受理，其余材料可后补。".into(),
            ],
            notices_en: vec![
                "New residential connections within 5 working days.".into(),
                "One ID is enough to apply; other papers may follow later.".into(),
            ],
        }
    }
}

/// The customer's rating (好差评).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Ratings {
    /// Seconds the display asks for a rating before it counts as not rated.
    pub valid_seconds: u32,
    /// Working days to pay the return visit after a poor rating.
    pub return_visit_working_days: u32,
    /// Working days to put a poor rating right.
    pub rectify_working_days: u32,
}

impl Default for Ratings {
    fn default() -> Self {
        Ratings {
            valid_seconds: 60,
            return_visit_working_days: 1,
            rectify_working_days: 5,
        }
    }
}

/// Handling-time norms per kind of service, in minutes: kept for the
/// report, never shown to the customer.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceNorms {
    pub payment_minutes: u32,
    pub acceptance_minutes: u32,
    pub refund_minutes: u32,
    pub consultation_minutes: u32,
    pub complaint_minutes: u32,
}

impl Default for ServiceNorms {
    fn default() -> Self {
        ServiceNorms {
            payment_minutes: 5,
            acceptance_minutes: 20,
            refund_minutes: 10,
            consultation_minutes: 10,
            complaint_minutes: 20,
        }
    }
}

impl ServiceNorms {
    /// The norm for one kind of service, in minutes.
    pub fn minutes(&self, s: crate::domain::rating::Service) -> u32 {
        use crate::domain::rating::Service;
        match s {
            Service::Payment => self.payment_minutes,
            Service::Acceptance => self.acceptance_minutes,
            Service::Refund => self.refund_minutes,
            Service::Consultation => self.consultation_minutes,
            Service::Complaint => self.complaint_minutes,
        }
    }
}

/// Cases after the window: return visits.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cases {
    /// Working days after the last step to pay the return visit.
    pub visit_within_working_days: u32,
    /// Share of completed new connections that get a return visit, in percent.
    pub new_install_visit_percent: u32,
    /// Hours to reconnect a residential customer who cleared their arrears.
    pub reconnect_residential_hours: u32,
    /// Working days to reconnect any other customer who cleared theirs.
    pub reconnect_other_working_days: u32,
}

impl Default for Cases {
    fn default() -> Self {
        Cases {
            visit_within_working_days: 3,
            new_install_visit_percent: 30,
            reconnect_residential_hours: 24,
            reconnect_other_working_days: 2,
        }
    }
}

/// The practice lab (`counterdesk lab`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Lab {
    /// Folder of lab.db and the runs; empty means `lab/` in the data directory.
    pub dir: PathBuf,
    /// Folder of scenarios (and `questions/`); empty means `<forms>/training`
    /// or the built-in ones.
    pub scenarios_dir: PathBuf,
    /// A practice-room PC: `counterdesk` starts the lab, and only lab
    /// sign-in is possible.
    pub only: bool,
}

/// The link to headquarters. Without a URL, records wait in the outbox.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HqLink {
    /// HQ's address, `https://host:port`; empty: no upload.
    pub url: String,
    /// This counter's ID at HQ; empty: the ID the database was given.
    pub counter_id: String,
    /// PEM file of the private CA HQ's certificate chains to; empty: the
    /// public roots.
    pub ca_file: PathBuf,
    /// File holding the bearer token (COUNTERDESK_HQ_TOKEN wins).
    pub token_file: PathBuf,
    /// Seconds to wait for a connection.
    pub connect_timeout_seconds: u64,
    /// Seconds to wait for HQ's answer.
    pub read_timeout_seconds: u64,
    /// Records per batch.
    pub batch_size: u32,
    /// Seconds between uploads when nothing wakes the uploader sooner.
    pub interval_seconds: u64,
    /// Longest wait between retries, in seconds.
    pub max_backoff_seconds: u64,
    /// Days a reconciled day's records stay on the counter before they are
    /// pruned (their day-close record stays for good).
    pub keep_days: u32,
}

impl Default for HqLink {
    fn default() -> Self {
        HqLink {
            url: String::new(),
            counter_id: String::new(),
            ca_file: PathBuf::new(),
            token_file: PathBuf::new(),
            connect_timeout_seconds: 5,
            read_timeout_seconds: 30,
            batch_size: 500,
            interval_seconds: 30,
            max_backoff_seconds: 300,
            keep_days: 90,
        }
    }
}

impl HqLink {
    /// The bearer token: COUNTERDESK_HQ_TOKEN, else the token file.
    pub fn token(&self) -> Result<String, crate::domain::msg::Msg> {
        if let Some(t) = std::env::var("COUNTERDESK_HQ_TOKEN")
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
        {
            return Ok(t);
        }
        if self.token_file.as_os_str().is_empty() {
            return Err(crate::msg!("sync.no_token"));
        }
        // A file named but not there, or empty, is said as such: the
        // setting is made, the file is what is missing.
        match std::fs::read_to_string(&self.token_file) {
            Ok(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
            Ok(_) => Err(crate::msg!(
                "sync.token_file_empty",
                path = self.token_file.display()
            )),
            Err(e) => Err(crate::msg!(
                "sync.token_file_unreadable",
                path = self.token_file.display(),
                detail = e
            )),
        }
    }
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
    pub acceptance_receipt: Paper,
    /// One-time disclosure notice (customer copy and stub).
    pub disclosure_notice: Paper,
    /// Progress slip for a returning customer.
    pub progress_slip: Paper,
    pub payment_receipt: Paper,
    pub reversal_slip: Paper,
    /// Refund slip (after the shift is closed).
    pub refund_slip: Paper,
    /// Shift settlement report.
    pub settlement_report: Paper,
    /// Record of an application that cannot be or is put off being handled.
    pub refusal_record: Paper,
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
        SlipPaper {
            acceptance_receipt: Paper::A4,
            disclosure_notice: Paper::A4,
            progress_slip: Paper::Roll80,
            payment_receipt: Paper::Roll80,
            reversal_slip: Paper::Roll80,
            refund_slip: Paper::A4,
            settlement_report: Paper::A4,
            refusal_record: Paper::A4,
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
    pub address: String,
    pub phone: String,
    /// This workstation's window number.
    pub window: String,
    /// The duty manager on shift, printed on slips.
    pub duty_manager: String,
    /// The duty manager's phone.
    pub duty_manager_phone: String,
    /// HQ's public progress page (`https://…/progress`), printed with a QR
    /// code on the acceptance slip; empty prints none.
    pub progress_url: String,
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

impl Default for Config {
    // Must equal assets/default-config.toml; a test holds them together.
    fn default() -> Self {
        Config {
            language: Lang::Zh,
            database: PathBuf::new(),
            forms_dir: PathBuf::new(),
            log_file: PathBuf::new(),
            log_max_mb: 10,
            log_keep: 5,
            service_grid: PathBuf::new(),
            id_reader: IdReader::default(),
            scanner: Scanner::default(),
            backup: Backup::default(),
            site_file: None,
            hall_made: false,
            seed_demo_clerks: true,
            hall: Hall::default(),
            security: Security::default(),
            customers: Customers::default(),
            slips: Slips::default(),
            money: Money::default(),
            hq: HqLink::default(),
            lab: Lab::default(),
            cases: Cases::default(),
            display: Display::default(),
            ratings: Ratings::default(),
            service_norms: ServiceNorms::default(),
            queue: QueueLink::default(),
            hall_service: HallService::default(),
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
            progress_url: String::new(),
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

    /// The lab's folder (lab.db and the runs).
    pub fn lab_path(&self) -> Result<PathBuf, Msg> {
        if !self.lab.dir.as_os_str().is_empty() {
            return Ok(self.lab.dir.clone());
        }
        project_dirs()
            .map(|d| d.data_dir().join("lab"))
            .ok_or_else(|| msg!("config.no_data_dir"))
    }

    /// The scenarios folder, or None to use the built-in scenarios.
    pub fn scenarios_path(&self) -> Option<PathBuf> {
        if !self.lab.scenarios_dir.as_os_str().is_empty() {
            return Some(self.lab.scenarios_dir.clone());
        }
        self.forms_path()
            .map(|f| f.join("training"))
            .filter(|p| p.is_dir())
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

/// Whether `url` may be used as it is: HTTPS always; plain HTTP only to
/// this machine itself (a test HQ, a local proxy), since the counter's
/// bearer token and every record would cross the hall's network in clear.
pub fn plain_http_allowed(url: &str) -> bool {
    let Some(rest) = url.trim().strip_prefix("http://") else {
        return true;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod plain_http_tests {
    use super::plain_http_allowed;

    #[test]
    fn plain_http_only_to_this_machine() {
        for ok in [
            "https://hq.example/",
            "http://127.0.0.1:8080",
            "http://127.9.9.9/x",
            "http://localhost:9",
            "http://[::1]:8443/",
            "",
        ] {
            assert!(plain_http_allowed(ok), "{ok}");
        }
        for bad in [
            "http://hq.example",
            "http://10.0.0.5:8080",
            "http://127.0.0.1.evil.example/",
            "http://user@192.168.1.2/",
            "http://[2001:db8::1]/",
        ] {
            assert!(!plain_http_allowed(bad), "{bad}");
        }
    }
}
