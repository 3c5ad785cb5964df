//! Upload and download through the desk: the queue's state, one flush, the
//! per-day check, what HQ sent down, and a duty manager's look at a held
//! record. The background worker runs here too, woken after each commit.

use super::{Desk, DeskError, Session};
use crate::msg;
use crate::store::outbox;
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
}

fn duty_manager_only(session: &Session) -> Result<(), DeskError> {
    if session.role().supervises() {
        Ok(())
    } else {
        Err(DeskError::new(msg!("upload.duty_manager_only")))
    }
}
