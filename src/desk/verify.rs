//! Checking a database file: SQLite's own integrity check, the audit hash
//! chain, the business rows against the entries that bound them, and the
//! file against its seal. It opens the file read-only and changes nothing,
//! so it may run beside a working workstation.

use std::path::Path;

use super::recovery::{self, HqHolds};
use super::DeskError;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::audit::Break;
use crate::domain::msg::Msg;
use crate::domain::upload::sha256_hex;
use crate::msg;
use crate::store::bound::{self, RowFinding, RowProblem};
use crate::store::snapshot::Bound;
use crate::store::{audit, integrity_check, migrate, scans, Behind, Store};

/// What the checks found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// SQLite's findings; `["ok"]` when healthy.
    pub integrity: Vec<String>,
    /// The audit entries checked, or the first break in the chain; `None`
    /// for a file with no tables at all (empty).
    pub chain: Option<Result<i64, Break>>,
    /// The schema version found and the one this program writes.
    pub schema: (i64, i64),
    /// Aggregates checked and those whose rows do not match the log; `None`
    /// when the schema is too old to bind rows.
    pub rows: Option<(usize, Vec<RowFinding>)>,
    /// The file holds less than its seal names, and what HQ holds of it.
    pub behind: Option<(Behind, HqHolds)>,
    /// Scans checked, and those whose file is missing or holds other bytes.
    pub scans: (usize, Vec<String>),
}

impl Verification {
    /// Whether every check passed (an older schema is not a failure: it is
    /// upgraded at the workstation's next start).
    pub fn passed(&self) -> bool {
        self.integrity == ["ok"]
            && self.chain.as_ref().is_some_and(Result::is_ok)
            && self.rows.as_ref().is_none_or(|(_, f)| f.is_empty())
            && self.behind.is_none()
            && self.scans.1.is_empty()
    }

    /// One line per check for people.
    pub fn lines(&self) -> Vec<Msg> {
        let mut out = Vec::new();
        if let Some((b, hq)) = &self.behind {
            out.extend(recovery::describe(b, hq));
        }
        out.push(if self.integrity == ["ok"] {
            msg!("verify.integrity_ok")
        } else {
            msg!("verify.integrity_bad", detail = self.integrity.join("; "))
        });
        let Some(chain) = &self.chain else {
            out.push(msg!("verify.empty_file"));
            return out;
        };
        out.push(match *chain {
            Ok(n) => msg!("verify.chain_ok", n = n),
            Err(Break::Edited { seq }) => msg!("verify.chain_edited", seq = seq),
            Err(Break::Missing { expected, found }) => {
                msg!("verify.chain_missing", seq = expected, found = found)
            }
            Err(Break::Unlinked { seq }) => msg!("verify.chain_unlinked", seq = seq),
            Err(Break::Truncated { last, head }) => {
                msg!("verify.chain_truncated", last = last, head = head)
            }
        });
        match &self.rows {
            None => out.push(msg!(
                "verify.needs_upgrade",
                found = self.schema.0,
                latest = self.schema.1
            )),
            Some((n, findings)) if findings.is_empty() => out.push(msg!("verify.rows_ok", n = n)),
            Some((_, findings)) => out.extend(findings.iter().map(finding)),
        }
        match &self.scans {
            (0, _) => {}
            (n, bad) if bad.is_empty() => out.push(msg!("verify.scans_ok", n = n)),
            (_, bad) => out.extend(bad.iter().map(|sha| msg!("verify.scan_bad", sha256 = sha))),
        }
        out
    }
}

fn finding(f: &RowFinding) -> Msg {
    let kind = match f.kind {
        Bound::Customer => msg!("verify.kind_customer"),
        Bound::Application => msg!("verify.kind_application"),
        Bound::Payment => msg!("verify.kind_payment"),
        Bound::Shift => msg!("verify.kind_shift"),
        Bound::Refund => msg!("verify.kind_refund"),
        Bound::Rating => msg!("verify.kind_rating"),
        Bound::Material => msg!("verify.kind_material"),
    };
    let key = match f.problem {
        RowProblem::Changed => "verify.row_changed",
        RowProblem::NotAudited => "verify.row_not_audited",
        RowProblem::Gone => "verify.row_gone",
    };
    Msg::new(key)
        .arg("label", &f.label)
        .arg("id", f.id)
        .part("kind", kind)
}

/// Checks the database at `path` read-only; a missing file is reported,
/// never created. `config` names HQ, asked what it holds when the file is
/// behind its seal.
pub fn verify_database(config: &Config, path: &Path) -> Result<Verification, DeskError> {
    if !path.exists() {
        if let Some(b) = recovery::gone(path) {
            let hq = recovery::hq_holds(config, b.seal.epoch);
            return Ok(Verification {
                integrity: vec!["ok".into()],
                chain: None,
                schema: (0, migrate::latest()),
                rows: None,
                behind: Some((b, hq)),
                scans: (0, Vec::new()),
            });
        }
        return Err(msg!("verify.no_database", path = path.display()).into());
    }
    let store = Store::open_read_only(path, Clock::system())?;
    let schema = (store.schema(), migrate::latest());
    let integrity = integrity_check(store.conn())?;
    let current = schema.0 == schema.1;
    let chain = match schema.0 {
        0 => None,
        _ => Some(audit::verify(store.conn())?),
    };
    let rows = if current {
        Some(bound::check(store.conn())?)
    } else {
        None
    };
    let behind = store.behind().cloned().map(|b| {
        let hq = recovery::hq_holds(config, b.seal.epoch);
        (b, hq)
    });
    let scans = if current {
        check_scans(&store)?
    } else {
        (0, Vec::new())
    };
    Ok(Verification {
        integrity,
        chain,
        schema,
        rows,
        behind,
        scans,
    })
}

/// Every recorded scan's file is there and hashes to its name.
fn check_scans(store: &Store) -> Result<(usize, Vec<String>), DeskError> {
    let folder = scans::folder(store.path());
    let all = scans::all(store.conn())?;
    let bad = all
        .iter()
        .filter(|s| {
            std::fs::read(scans::path_of(&folder, &s.sha256))
                .map_or(true, |b| sha256_hex(&b) != s.sha256)
        })
        .map(|s| s.sha256.clone())
        .collect();
    Ok((all.len(), bad))
}
