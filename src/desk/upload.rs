//! Upload and download through the desk: the queue's state, one flush, the
//! per-day check, what HQ sent down, and a duty manager's look at a held
//! record. The background worker runs here too, woken after each commit.

use super::{Desk, DeskError, Session};
use crate::msg;
use crate::store::hq_feed::{self, HqAccount};
use crate::store::outbox::{self, Identity, Listed, Status};
use crate::sync::check::{self, DayCheck};
use crate::sync::link::Link;
use crate::sync::upload::{self, Flushed};
use crate::sync::worker::{LinkStatus, Worker};
use crate::sync::{down, SyncError};

impl From<SyncError> for DeskError {
    fn from(e: SyncError) -> Self {
        DeskError::new(e.msg())
    }
}

impl Desk {
    fn link(&self) -> Result<Link, DeskError> {
        Link::from_config(&self.config.hq)?.ok_or_else(|| SyncError::NotConfigured.into())
    }

    /// Who this database's records belong to.
    pub fn upload_identity(&self) -> Result<Identity, DeskError> {
        Ok(outbox::identity(self.store.conn())?)
    }

    /// The queue: waiting, oldest, quarantined, forked.
    pub fn upload_queue(&self) -> Result<Status, DeskError> {
        Ok(outbox::status(self.store.conn())?)
    }

    /// Sends everything waiting once; `progress` hears (sent, total).
    pub fn flush_upload(
        &mut self,
        progress: &mut dyn FnMut(i64, i64),
    ) -> Result<Flushed, DeskError> {
        if self.training {
            return Err(DeskError::new(msg!("upload.practice")));
        }
        let link = self.link()?;
        crate::sync::day_close::close_past_days(&mut self.store)?;
        let batch = self.config.hq.batch_size as i64;
        let sent = upload::flush(&mut self.store, &link, batch, progress)?;
        crate::sync::prune::prune(&mut self.store, &link, self.config.hq.keep_days)?;
        Ok(sent)
    }

    /// Pulls what HQ published; returns how many items were new.
    pub fn pull_from_hq(&mut self) -> Result<i64, DeskError> {
        let link = self.link()?;
        let plan = self.case_rules();
        Ok(down::pull(&mut self.store, &link, &plan)?)
    }

    /// Compares the counter's days (or one day) with HQ's.
    pub fn check_days(&self, day: Option<&str>) -> Result<Vec<DayCheck>, DeskError> {
        let link = self.link()?;
        Ok(check::check(&self.store, &link, day)?)
    }

    /// Starts the background uploader and downloader (once).
    pub fn start_sync(&mut self) {
        if self.sync.is_some() || self.training {
            return;
        }
        let worker = Worker::start(
            self.store.path(),
            self.store.clock().clone(),
            self.config.hq.clone(),
            self.case_rules(),
        );
        let wake = worker.waker();
        self.store.on_commit(Box::new(wake));
        self.sync = Some(worker);
    }

    /// The link's state, when the worker runs.
    pub fn link_status(&self) -> Option<LinkStatus> {
        if self.training {
            return self.practice_link();
        }
        self.sync.as_ref().map(Worker::status)
    }

    /// What HQ sent down that this counter could not apply: newest first,
    /// at most `limit`, and how many there are.
    pub fn feed_held(&self, limit: i64) -> Result<(Vec<hq_feed::HeldItem>, i64), DeskError> {
        Ok(hq_feed::held(self.store.conn(), limit)?)
    }

    /// Held (quarantined, forked) and the first waiting records.
    pub fn upload_list(&self, limit: i64) -> Result<Vec<Listed>, DeskError> {
        Ok(outbox::list(self.store.conn(), limit)?)
    }

    /// A held record's whole payload, for a duty manager.
    pub fn held_record(
        &self,
        session: &Session,
        epoch: i64,
        seq: i64,
    ) -> Result<String, DeskError> {
        duty_manager_only(session)?;
        let text = outbox::payload(self.store.conn(), epoch, seq)?
            .ok_or_else(|| DeskError::new(msg!("upload.no_record", epoch = epoch, seq = seq)))?;
        // Pretty-printed for reading; the stored bytes are untouched.
        Ok(serde_json::from_str::<serde_json::Value>(&text)
            .and_then(|v| serde_json::to_string_pretty(&v))
            .unwrap_or(text))
    }

    /// Queues a quarantined record to be sent again (duty managers only).
    pub fn send_again(&mut self, session: &Session, epoch: i64, seq: i64) -> Result<(), DeskError> {
        duty_manager_only(session)?;
        let queued = self
            .store
            .scratch(|tx, _| outbox::send_again(tx, epoch, seq))?;
        if !queued {
            return Err(DeskError::new(msg!(
                "upload.not_quarantined",
                epoch = epoch,
                seq = seq
            )));
        }
        tracing::info!(
            epoch,
            seq,
            by = session.staff_no(),
            "quarantined record sent again"
        );
        if let Some(w) = &self.sync {
            w.wake();
        }
        Ok(())
    }

    /// An account as HQ sent it down.
    pub fn hq_account(&self, account_no: &str) -> Result<Option<HqAccount>, DeskError> {
        Ok(hq_feed::account(self.store.conn(), account_no.trim())?)
    }

    /// Every account HQ lists for a holder's ID number.
    pub fn hq_accounts_of(&self, holder_id: &str) -> Result<Vec<HqAccount>, DeskError> {
        Ok(hq_feed::accounts_of(self.store.conn(), holder_id)?)
    }
}

fn duty_manager_only(session: &Session) -> Result<(), DeskError> {
    if session.role().supervises() {
        Ok(())
    } else {
        Err(DeskError::new(msg!("upload.duty_manager_only")))
    }
}
