//! Backups of the database: where they go, when the daily one is taken,
//! and how many are kept.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::backup::Rotation;

/// The backup settings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Backup {
    /// The backup folder; empty: `backups/` next to the database. Best on
    /// another disk, which outlives the database's.
    pub folder: PathBuf,
    /// The daily backup's local time, "HH:MM"; empty: no daily one. A
    /// workstation that was off then takes it at its next start.
    pub daily_at: String,
    /// Take one after every shift close as well.
    pub at_shift_close: bool,
    /// Days whose newest backup is kept.
    pub keep_daily: u32,
    /// Weeks whose newest backup is kept.
    pub keep_weekly: u32,
    /// Months whose newest backup is kept.
    pub keep_monthly: u32,
}

impl Default for Backup {
    fn default() -> Self {
        Backup {
            folder: PathBuf::new(),
            daily_at: "12:30".into(),
            at_shift_close: true,
            keep_daily: 7,
            keep_weekly: 4,
            keep_monthly: 12,
        }
    }
}

impl Backup {
    /// The backup folder for the database at `db`.
    pub fn folder_for(&self, db: &Path) -> PathBuf {
        if !self.folder.as_os_str().is_empty() {
            return self.folder.clone();
        }
        db.parent().unwrap_or(Path::new(".")).join("backups")
    }

    /// The daily backup's time (validated at load); `None`: no daily one.
    pub fn daily_time(&self) -> Option<chrono::NaiveTime> {
        let t = self.daily_at.trim();
        if t.is_empty() {
            return None;
        }
        chrono::NaiveTime::parse_from_str(t, "%H:%M").ok()
    }

    /// How many are kept.
    pub fn rotation(&self) -> Rotation {
        Rotation {
            daily: self.keep_daily,
            weekly: self.keep_weekly,
            monthly: self.keep_monthly,
        }
    }
}
