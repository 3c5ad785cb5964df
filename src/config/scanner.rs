//! The document camera or scanner (高拍仪) that drops its files into a
//! folder the clerk attaches them from.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::domain::scan::ScanKind;

/// Where scans arrive and what is taken.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scanner {
    /// The folder the scanner writes into; empty: no scanner.
    pub folder: PathBuf,
    /// The largest file taken, in MiB.
    pub max_mb: u64,
    /// The kinds taken: "pdf", "jpeg", "png".
    pub types: Vec<String>,
    /// A file is taken only once it has not changed for this long (the
    /// scanner may still be writing it), in milliseconds.
    pub settle_ms: u64,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            folder: PathBuf::new(),
            max_mb: 10,
            types: vec!["pdf".into(), "jpeg".into(), "png".into()],
            settle_ms: 1000,
        }
    }
}

impl Scanner {
    /// The largest file taken, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_mb.saturating_mul(1024 * 1024)
    }

    /// The kinds taken (names the configuration check refused left out).
    pub fn kinds(&self) -> Vec<ScanKind> {
        self.types
            .iter()
            .filter_map(|t| ScanKind::from_code(t.trim()))
            .collect()
    }
}
