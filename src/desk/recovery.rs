//! A database that holds less than its seal names: what is missing, what
//! HQ holds of it, and an administrator's acknowledgement that lets the
//! workstation go on (audited, sent up, the old seal kept).

use std::path::{Path, PathBuf};

use super::{password, DeskError};
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::clerk::Role;
use crate::domain::msg::{Input, Msg};
use crate::msg;
use crate::store::{behind_msg, clerks, seal, Acknowledgement, Behind, Store, StoreError};
use crate::sync::link::Link;

/// What HQ holds of the seal's epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HqHolds {
    /// No HQ address configured: nobody can say.
    NotConfigured,
    /// HQ could not be asked.
    Unreachable(Msg),
    /// HQ's records of the epoch: how many, up to which sequence.
    Holds {
        /// Records.
        count: i64,
        /// The highest sequence.
        last_seq: i64,
    },
}

/// Asks HQ what it holds of `epoch` for this counter (the token names it).
pub fn hq_holds(config: &Config, epoch: i64) -> HqHolds {
    let link = match Link::from_config(&config.hq) {
        Ok(Some(l)) => l,
        Ok(None) => return HqHolds::NotConfigured,
        Err(e) => return HqHolds::Unreachable(e.msg()),
    };
    match link.days() {
        Ok(days) => {
            let mine = days.iter().filter(|d| d.epoch == epoch);
            HqHolds::Holds {
                count: mine.clone().map(|d| d.digest.count).sum(),
                last_seq: mine.map(|d| d.digest.last_seq).max().unwrap_or(0),
            }
        }
        Err(e) => HqHolds::Unreachable(e.msg()),
    }
}

/// A database file that is gone while its seal names records.
pub fn gone(path: &Path) -> Option<Behind> {
    let seal = seal::read(path).filter(|s| s.seq > 0)?;
    (!path.exists()).then(|| Behind {
        path: path.to_path_buf(),
        seal,
        local: None,
    })
}

/// Every line an administrator needs: what is missing, what HQ holds.
pub fn describe(b: &Behind, hq: &HqHolds) -> Vec<Msg> {
    let (from, to) = b.missing();
    let hq = match hq {
        HqHolds::NotConfigured => msg!("recover.hq_not_configured"),
        HqHolds::Unreachable(why) => msg!("recover.hq_unreachable").part("why", why.clone()),
        HqHolds::Holds { count, last_seq } if *last_seq >= to => msg!(
            "recover.hq_holds_all",
            epoch = b.seal.epoch,
            count = count,
            last = last_seq
        ),
        HqHolds::Holds { count, last_seq } => msg!(
            "recover.hq_holds_part",
            epoch = b.seal.epoch,
            count = count,
            last = last_seq,
            from = (*last_seq + 1).max(from),
            to = to
        ),
    };
    vec![behind_msg(b), hq]
}

/// What the acknowledgement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledged {
    /// Where the file stood.
    pub behind: Behind,
    /// Where the old seal was kept.
    pub kept: PathBuf,
}

/// An administrator acknowledges that the database lost records so the
/// workstation may go on: on a file that still has clerks (a restored
/// copy) their staff number and password are checked against it; on an
/// emptied file, which has none, they confirm by typing the seal's
/// `epoch:seq`. The reason is required; all of it is audited.
pub fn acknowledge(
    config: &Config,
    clock: Clock,
    staff_no: &str,
    password: Option<&str>,
    confirm: Option<&str>,
    reason: &str,
) -> Result<Acknowledged, DeskError> {
    let path = config.database_path()?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DeskError::at(msg!("recover.reason_needed"), Input::Reason));
    }
    let (behind, has_clerks) = match Store::open_read_only(&path, clock.clone()) {
        Ok(store) => {
            let Some(b) = store.behind().cloned() else {
                return Err(msg!("recover.not_behind", path = path.display()).into());
            };
            let clerks = store.schema() > 0 && clerks::count(store.conn()).unwrap_or(0) > 0;
            if clerks {
                check_admin(&store, staff_no, password)?;
            }
            (b, clerks)
        }
        Err(StoreError::Missing { .. }) => match gone(&path) {
            Some(b) => (b, false),
            None => return Err(msg!("recover.not_behind", path = path.display()).into()),
        },
        Err(e) => return Err(e.into()),
    };
    if !has_clerks {
        let wanted = format!("{}:{}", behind.seal.epoch, behind.seal.seq);
        if confirm.map(str::trim) != Some(wanted.as_str()) {
            return Err(msg!("recover.confirm_needed", confirm = wanted).into());
        }
    }
    let ack = Acknowledgement {
        staff_no: staff_no.trim().to_string(),
        verified: has_clerks,
        reason: reason.to_string(),
        restored_from: None,
    };
    let (_store, kept) = Store::open_acknowledging(&path, clock, &ack)?;
    Ok(Acknowledged { behind, kept })
}

pub(super) fn check_admin(
    store: &Store,
    staff_no: &str,
    pw: Option<&str>,
) -> Result<(), DeskError> {
    let row = clerks::by_staff_no(store.conn(), staff_no.trim())?;
    let ok = match (row, pw) {
        (Some(row), Some(pw)) => {
            row.role == Some(Role::Admin)
                && !row.disabled
                && password::verify(pw, &row.password_hash)
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(DeskError::at(msg!("recover.not_admin"), Input::Password))
    }
}
