//! Checking a database file: SQLite's own integrity check and the audit
//! hash chain. It only reads, so it may run beside a working workstation.

use std::path::Path;

use super::DeskError;
use crate::clock::Clock;
use crate::domain::audit::Break;
use crate::domain::msg::Msg;
use crate::msg;
use crate::store::{audit, integrity_check, Store};

/// What the checks found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// SQLite's findings; `["ok"]` when healthy.
    pub integrity: Vec<String>,
    /// The audit entries checked, or the first break in the chain.
    pub chain: Result<i64, Break>,
}

impl Verification {
    /// Whether both checks passed.
    pub fn passed(&self) -> bool {
        self.integrity == ["ok"] && self.chain.is_ok()
    }

    /// One line per check for people.
    pub fn lines(&self) -> Vec<Msg> {
        let integrity = if self.integrity == ["ok"] {
            msg!("verify.integrity_ok")
        } else {
            msg!("verify.integrity_bad", detail = self.integrity.join("; "))
        };
        let chain = match self.chain {
            Ok(n) => msg!("verify.chain_ok", n = n),
            Err(Break::Edited { seq }) => msg!("verify.chain_edited", seq = seq),
            Err(Break::Missing { expected, found }) => {
                msg!("verify.chain_missing", seq = expected, found = found)
            }
            Err(Break::Unlinked { seq }) => msg!("verify.chain_unlinked", seq = seq),
            Err(Break::Truncated { last, head }) => {
                msg!("verify.chain_truncated", last = last, head = head)
            }
        };
        vec![integrity, chain]
    }
}

/// Checks the database at `path` without taking the workstation's lock; a
/// missing file is reported, never created.
pub fn verify_database(path: &Path) -> Result<Verification, DeskError> {
    if !path.exists() {
        return Err(msg!("verify.no_database", path = path.display()).into());
    }
    let store = Store::open_unlocked(path, Clock::system())?;
    let integrity = integrity_check(store.conn())?;
    let chain = audit::verify(store.conn())?;
    Ok(Verification { integrity, chain })
}
