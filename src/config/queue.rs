//! The hall's queue: the window's link to the hall service (`[queue]`) and
//! the hall service's own rules (`[hall_service]`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A window's link to the hall service. Without a URL the window works
/// without a queue.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct QueueLink {
    /// The hall service, `https://host:port` (plain `http://` on loopback).
    pub url: String,
    /// File holding this window's token (COUNTERDESK_QUEUE_TOKEN wins).
    pub token_file: PathBuf,
    /// PEM file of the private CA the hall service's certificate chains
    /// to; empty: the public roots.
    pub ca_file: PathBuf,
    /// Milliseconds a call may take before the window says the hall
    /// service cannot be reached and works on without it.
    pub timeout_ms: u64,
}

impl Default for QueueLink {
    fn default() -> Self {
        QueueLink {
            url: String::new(),
            token_file: PathBuf::new(),
            ca_file: PathBuf::new(),
            timeout_ms: 1500,
        }
    }
}

/// One business group of tickets (缴费, 业扩, 投诉咨询...).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TicketGroup {
    /// The letter its numbers begin with, "A".
    pub code: String,
    /// Its name on the kiosk, the ticket and the display.
    pub name: String,
    /// The same in English.
    #[serde(default)]
    pub name_en: String,
    /// The forms (business codes) it covers, for the window's own record.
    #[serde(default)]
    pub forms: Vec<String>,
}

/// One window of the hall and the groups it calls.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HallWindow {
    /// Its number, as the display and the voice say it.
    pub number: String,
    /// The group codes it calls.
    pub groups: Vec<String>,
}

/// `counterdesk hall serve`: the queue of one hall.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HallService {
    /// Its own SQLite file.
    pub store: PathBuf,
    /// The hall's offset from UTC: ticket numbers restart at its midnight.
    pub utc_offset: String,
    /// Age from which a customer giving an ID number at the kiosk goes
    /// into the green channel.
    pub green_channel_age: u32,
    /// Green-channel tickets a window calls in a row before one normal
    /// ticket waiting (0: the green channel strictly first).
    pub green_run: u32,
    /// Calls before a ticket may be marked a no-show.
    pub no_show_after_calls: u32,
    /// Tickets the kiosks issue per minute at most.
    pub kiosk_per_minute: u32,
    /// Minutes per customer ahead before the day has service times of its own.
    pub default_service_minutes: u32,
    /// The CUPS queue of the ticket printer; empty: tickets are shown, and
    /// their PDF kept in the spool folder, but not printed.
    pub ticket_printer: String,
    /// Where ticket PDFs are kept.
    pub spool_dir: PathBuf,
    /// Announce each call in English too.
    pub speak_english: bool,
    /// The groups.
    #[serde(rename = "group")]
    pub groups: Vec<TicketGroup>,
    /// The windows.
    #[serde(rename = "window")]
    pub windows: Vec<HallWindow>,
}

impl Default for HallService {
    fn default() -> Self {
        let group = |code: &str, name: &str, name_en: &str, forms: &[&str]| TicketGroup {
            code: code.into(),
            name: name.into(),
            name_en: name_en.into(),
            forms: forms.iter().map(|s| s.to_string()).collect(),
        };
        HallService {
            store: PathBuf::from("hall.db"),
            utc_offset: "+08:00".into(),
            green_channel_age: 70,
            green_run: 3,
            no_show_after_calls: 2,
            kiosk_per_minute: 30,
            default_service_minutes: 5,
            ticket_printer: String::new(),
            spool_dir: PathBuf::from("hall-tickets"),
            speak_english: true,
            groups: vec![
                group("A", "电费缴纳", "Payments", &["payment"]),
                group(
                    "B",
                    "新装增容及变更",
                    "New connections and changes",
                    &[
                        "lv_residential_new",
                        "lv_nonresidential_new",
                        "hv_new",
                        "hv_temporary",
                        "pv_connection",
                        "ev_charging",
                        "capacity_reduction",
                        "suspension",
                        "resumption",
                        "closure",
                        "rename",
                        "transfer",
                        "tariff_change",
                        "household_size_tariff",
                        "meter_relocation",
                        "meter_verification",
                    ],
                ),
                group(
                    "C",
                    "投诉咨询",
                    "Complaints and questions",
                    &["complaint", "opinion"],
                ),
            ],
            windows: vec![
                HallWindow {
                    number: "1".into(),
                    groups: vec!["A".into(), "B".into(), "C".into()],
                },
                HallWindow {
                    number: "2".into(),
                    groups: vec!["A".into(), "B".into()],
                },
                HallWindow {
                    number: "3".into(),
                    groups: vec!["A".into(), "C".into()],
                },
            ],
        }
    }
}

impl HallService {
    /// The configured offset, or why it cannot be read.
    pub fn offset(&self) -> Result<chrono::FixedOffset, String> {
        self.utc_offset
            .parse::<chrono::FixedOffset>()
            .map_err(|_| format!("\"{}\"", self.utc_offset))
    }

    /// A group by its code.
    pub fn group(&self, code: &str) -> Option<&TicketGroup> {
        self.groups.iter().find(|g| g.code == code)
    }

    /// A window by its number.
    pub fn window(&self, number: &str) -> Option<&HallWindow> {
        self.windows.iter().find(|w| w.number == number)
    }
}
