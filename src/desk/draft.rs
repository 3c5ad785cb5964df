//! The acceptance as the clerk has it so far, saved after every field and
//! tick (a draft), read by the acceptance and by what fills parts of it
//! (the materials on file, the customer manager).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Everything the clerk has done towards one acceptance; saved as a draft
/// after every field and tick, so little is ever lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub customer_id: i64,
    /// Business type.
    pub form_code: String,
    /// Raw typed text per field id.
    pub fields: BTreeMap<String, String>,
    /// An agent applies for the customer.
    pub via_agent: bool,
    /// Disclosed items ("section:id") with when each was ticked.
    pub ticked: BTreeMap<String, DateTime<Utc>>,
    /// Materials handed over at the counter.
    pub received: BTreeSet<String>,
    /// The single-ID commitment letter is signed.
    pub commitment_signed: bool,
    /// Why a second open application of the same type is accepted.
    pub duplicate_reason: Option<String>,
    /// Materials taken from the customer's file, not handed in again (a
    /// subset of `received`).
    #[serde(default)]
    pub from_file: BTreeSet<String>,
    /// The document details typed per material, for the file.
    #[serde(default)]
    pub details: BTreeMap<String, crate::domain::material_file::Typed>,
    /// Another customer manager than the grid's, chosen with a reason.
    #[serde(default)]
    pub manager: Option<crate::domain::grid::Chosen>,
    /// The scan attached per material (kept already; named on file at
    /// acceptance).
    #[serde(default)]
    pub scans: BTreeMap<String, crate::domain::scan::ScanRef>,
}
