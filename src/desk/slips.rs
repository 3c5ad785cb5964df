//! Printed slips: produced from what is stored, after the commit; the file
//! goes to the spool by date, then to the CUPS queue if one is configured.
//! A failed print is shown and recorded, the file stays to print again, and
//! nothing is rolled back. The desk owns the slip font: screens and commands
//! ask for a slip and get back what happened.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Local;
use serde_json::json;

use super::{Authoriser, Credentials, Desk, DeskError, Session};
use crate::domain::id;
use crate::domain::msg::Notice;
use crate::domain::slip_number::SlipNumber;
use crate::domain::states::{PrintStatus, SlipKind};
use crate::msg;
use crate::slips::content::{self, ApplicationSlip};
use crate::slips::doc::{Marks, SlipDoc};
use crate::slips::font::{FontLoader, SlipFont};
use crate::slips::kind::paper;
use crate::slips::{pdf, printer, source, spool};
use crate::store::slips::{self, NewSlip};
use crate::store::{applications, customers, Aggregate, Event};

/// What happened when the file was handed to the printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintOutcome {
    /// No printer configured: the file is in the spool.
    FileOnly,
    /// Sent to the queue.
    Sent(String),
    /// The printer refused or is not there; the file stays in the spool.
    Failed(String),
}

/// One produced copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Produced {
    pub kind: SlipKind,
    pub number: String,
    /// 0 original, n reprint.
    pub copy: i64,
    pub file: PathBuf,
    /// Size in bytes.
    pub bytes: usize,
    /// The printer's answer.
    pub printed: PrintOutcome,
}

/// The slips one print asked for, as produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// Every copy, in order.
    pub produced: Vec<Produced>,
}

impl Printed {
    /// What to tell the clerk: printed, saved only, or which one failed and
    /// where its file is.
    pub fn notice(&self) -> Notice {
        let files: Vec<String> = self
            .produced
            .iter()
            .map(|p| p.file.display().to_string())
            .collect();
        let failed = self.produced.iter().find_map(|p| match &p.printed {
            PrintOutcome::Failed(why) => Some((p, why)),
            _ => None,
        });
        if let Some((p, why)) = failed {
            return Notice::refusal(msg!(
                "slips.print_failed",
                detail = why,
                file = p.file.display()
            ));
        }
        let n = self.produced.len();
        if self
            .produced
            .iter()
            .all(|p| p.printed == PrintOutcome::FileOnly)
        {
            Notice::done(msg!("slips.saved_only", n = n, files = files.join(", ")))
        } else {
            Notice::done(msg!("slips.printed", n = n, files = files.join(", ")))
        }
    }
}

/// A slip (or the slips) to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipOrder<'a> {
    /// The slips an application's form prints at acceptance; a second time
    /// they are reprints (a receipt among them needs a duty manager).
    Application(&'a str),
    /// A progress slip for a returning customer.
    Progress(&'a str),
    /// The receipt of a payment, by receipt number.
    Receipt(&'a str),
    /// The reversal slip of a reversed payment, by receipt number.
    Reversal(&'a str),
    /// A refund slip, by refund number.
    Refund(&'a str),
    /// The settlement report of the clerk's last closed shift.
    Settlement,
    /// The record of a refused application, for the customer to sign.
    Refusal(&'a str),
}

impl Desk {
    /// Marks practice-lab work: every slip then carries the training mark.
    pub fn set_training(&mut self, on: bool) {
        self.training = on;
        if on {
            // Practice never reaches HQ: no outbox records, no uploader.
            self.store.set_practice();
            self.sync = None;
        }
    }

    /// Starts parsing the slip font in the background, so that the first
    /// print does not wait (the workstation does this at start-up).
    pub fn load_font_in_background(&mut self) {
        if self.font.is_none() {
            self.font = Some(source::start_loading(&self.config));
        }
    }

    /// Uses a font another desk is loading (the lab's sandboxes share one).
    pub fn share_font(&mut self, loader: &crate::slips::font::FontLoader) {
        self.font = Some(loader.clone());
    }

    /// Loads the slip font now if it is not loaded yet, waiting for it (the
    /// command line, before it signs anyone in).
    pub fn load_font_now(&mut self) -> Result<(), DeskError> {
        let loader = self
            .font
            .get_or_insert_with(|| source::start_loading(&self.config));
        loader
            .wait()
            .map(|_| ())
            .map_err(|e| DeskError::new(msg!("slips.font_problem", detail = e)))
    }

    /// The slip font: still loading in the background is a refusal the
    /// clerk can retry in a moment; never started, it is loaded now.
    pub(super) fn font(&mut self) -> Result<Arc<SlipFont>, DeskError> {
        let outcome = match &self.font {
            Some(loader) => loader.get(),
            None => {
                let loader: FontLoader = source::start_loading(&self.config);
                let loaded = loader.wait();
                self.font = Some(loader);
                Some(loaded)
            }
        };
        match outcome {
            None => Err(msg!("slips.font_loading").into()),
            Some(Err(e)) => Err(msg!("slips.font_problem", detail = e).into()),
            Some(Ok(f)) => Ok(f),
        }
    }

    /// The characters of `text` the slip font cannot draw, waiting for the
    /// font if it is still loading; none when the font itself cannot be
    /// loaded (printing then says what is wrong with it).
    pub(super) fn unprintable(&mut self, text: &str) -> Vec<char> {
        let loader = self
            .font
            .get_or_insert_with(|| source::start_loading(&self.config));
        match loader.wait() {
            Ok(font) => font.missing_chars(text),
            Err(e) => {
                tracing::warn!(error = %e, "slip font unavailable: names not checked");
                Vec::new()
            }
        }
    }

    /// Prints what was asked for and says what happened.
    pub fn print(&mut self, session: &Session, order: SlipOrder) -> Result<Printed, DeskError> {
        let produced = match order {
            SlipOrder::Application(ticket) => {
                let kinds = self.slip_kinds(ticket)?;
                self.produce_application_slips(session, ticket, &kinds, None, None)?
            }
            SlipOrder::Progress(ticket) => self.produce_application_slips(
                session,
                ticket,
                &[SlipKind::ProgressSlip],
                None,
                None,
            )?,
            SlipOrder::Refusal(ticket) => self.produce_application_slips(
                session,
                ticket,
                &[SlipKind::RefusalRecord],
                None,
                None,
            )?,
            SlipOrder::Receipt(r) => vec![self.produce_receipt(session, r, None, None)?],
            SlipOrder::Reversal(r) => vec![self.produce_reversal(session, r, None, None)?],
            SlipOrder::Refund(n) => vec![self.produce_refund(session, n, None, None)?],
            SlipOrder::Settlement => vec![self.produce_settlement(session, None, None, None)?],
        };
        Ok(Printed { produced })
    }

    /// The slips of an application as text, broken into lines where the
    /// printed slip breaks them.
    pub fn preview(&mut self, ticket: &str) -> Result<Vec<String>, DeskError> {
        let font = self.font()?;
        let mut lines = Vec::new();
        for kind in self.slip_kinds(ticket)? {
            let doc = self.application_slip(ticket, kind, Marks::default())?;
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(pdf::preview(&doc, &font, paper(kind, &self.config)));
        }
        Ok(lines)
    }

    /// The slip documents of an application, built from what is stored.
    pub fn application_slip(
        &self,
        ticket: &str,
        kind: SlipKind,
        marks: Marks,
    ) -> Result<SlipDoc, DeskError> {
        let app = self.application(ticket)?;
        let customer = customers::by_row_id(self.store.conn(), app.customer_id)?
            .ok_or_else(|| DeskError::new(msg!("customer.vanished")))?;
        let masked = id::mask(&customer.id_no);
        let business = self
            .forms
            .iter()
            .find(|f| f.code == app.form_code)
            .map(|f| f.name.zh.clone())
            .unwrap_or_else(|| app.form_code.clone());
        let disclosures = applications::disclosures(self.store.conn(), app.id)?;
        let trail = crate::store::cases::CaseTrail {
            records: crate::store::cases::step_records(self.store.conn(), app.id)?,
            pauses: crate::store::cases::pauses(self.store.conn(), app.id)?,
            visits: crate::store::cases::visits(self.store.conn(), app.id)?,
            ended: crate::store::cases::ending(self.store.conn(), app.id)?,
        };
        let s = ApplicationSlip {
            app: &app,
            customer: customer.printed_name(),
            masked_id: &masked,
            business: &business,
            disclosures: &disclosures,
            hall: &self.config.hall,
            trail: &trail,
        };
        Ok(match kind {
            SlipKind::AcceptanceReceipt => content::acceptance_receipt(&s, marks),
            SlipKind::DisclosureNotice => content::disclosure_notice(&s, marks),
            SlipKind::ProgressSlip => {
                crate::slips::case::progress_slip(&s, marks, self.clock().today())
            }
            SlipKind::RefusalRecord => crate::slips::case::refusal_record(&s, marks),
            SlipKind::PaymentReceipt
            | SlipKind::ReversalSlip
            | SlipKind::RefundSlip
            | SlipKind::SettlementReport
            | SlipKind::TestPage
            | SlipKind::ConsultationNotice => {
                return Err(msg!("slips.not_for_applications").into());
            }
        })
    }

    /// The slip kinds the form of an application prints at the end of
    /// acceptance; an application whose form is no longer loaded is refused.
    pub fn slip_kinds(&self, ticket: &str) -> Result<Vec<SlipKind>, DeskError> {
        let app = self.application(ticket)?;
        let form = self.form(&app.form_code)?;
        Ok(form.slips.iter().map(|s| SlipKind::from(*s)).collect())
    }

    pub(super) fn marks(&self, session: Option<&Session>, kind: SlipKind, copy: i64) -> Marks {
        // A progress slip shows the state of the day it is printed: a new
        // one is not a reprint of the last.
        let reprint = (copy > 0 && kind != SlipKind::ProgressSlip).then(|| {
            let who = session
                .map(|s| format!("{} {}", s.staff_no, s.name))
                .unwrap_or_default();
            let at = self
                .clock()
                .now()
                .with_timezone(&Local)
                .format("%Y-%m-%d %H:%M");
            format!("重打 / REPRINT {copy} · {who} · {at}")
        });
        Marks {
            reprint,
            training: self.training,
        }
    }

    /// Produces (and prints, if a printer is configured) the given slips of
    /// an application. A second production of the same slip is a reprint,
    /// marked as such; reprinting a receipt needs a duty manager. With
    /// `out`, the first slip goes there and the rest beside it.
    pub(super) fn produce_application_slips(
        &mut self,
        session: &Session,
        ticket: &str,
        kinds: &[SlipKind],
        authoriser: Option<&Authoriser>,
        out: Option<&Path>,
    ) -> Result<Vec<Produced>, DeskError> {
        let app_id = self.application(ticket)?.id;
        let mut produced = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            let copy = slips::next_copy(self.store.conn(), *kind, ticket)?;
            if copy > 0 && kind.is_receipt() && authoriser.is_none() {
                return Err(msg!("slips.reprint_needs_manager").into());
            }
            let doc =
                self.application_slip(ticket, *kind, self.marks(Some(session), *kind, copy))?;
            let target = out.map(|o| beside(o, i, *kind));
            produced.push(self.produce(
                Some(session),
                *kind,
                ticket,
                copy,
                Some(app_id),
                &doc,
                authoriser,
                target.as_deref(),
            )?);
        }
        Ok(produced)
    }

    /// The printer set-up page, to `out` or the spool, and to `printer` (or the configured one).
    pub fn print_test_page(
        &mut self,
        printer_name: Option<&str>,
        out: Option<&Path>,
    ) -> Result<Produced, DeskError> {
        let number = format!(
            "TEST-{}",
            self.clock()
                .now()
                .with_timezone(&Local)
                .format("%Y%m%d%H%M%S")
        );
        let doc = content::test_page(
            &self.config.hall,
            &number,
            Marks {
                reprint: None,
                training: self.training,
            },
        );
        let saved =
            printer_name.map(|p| std::mem::replace(&mut self.config.slips.printer, p.to_string()));
        let copy = slips::next_copy(self.store.conn(), SlipKind::TestPage, &number)?;
        let result = self.produce(
            None,
            SlipKind::TestPage,
            &number,
            copy,
            None,
            &doc,
            None,
            out,
        );
        if let Some(p) = saved {
            self.config.slips.printer = p;
        }
        result
    }

    /// Reprints every slip of a document number (`counterdesk slip
    /// reprint`): a ticket's slips, a receipt, a reversal slip
    /// (`R…-REV`), a refund slip (`T…`) or a settlement report
    /// (`SETTLE-<shift>`). A receipt's reprint needs a duty manager, whose
    /// staff number and password are checked here. With `out` the file goes
    /// there instead of the spool.
    pub fn reprint(
        &mut self,
        session: &Session,
        number: &str,
        manager: Option<&Credentials>,
        out: Option<&Path>,
    ) -> Result<Printed, DeskError> {
        let number = number.trim();
        let authoriser = match manager {
            Some(m) => Some(self.authorise(session, m, "slip.reprint")?),
            None => None,
        };
        let by = authoriser.as_ref();
        let conn = self.store.conn();
        let receipt = |n: &str| crate::store::money::by_receipt(conn, n);
        let produced = match SlipNumber::parse(number) {
            SlipNumber::Settlement(shift) => {
                vec![self.produce_settlement(session, Some(shift), by, out)?]
            }
            SlipNumber::Reversal(r) if receipt(&r)?.is_some() => {
                vec![self.produce_reversal(session, &r, by, out)?]
            }
            SlipNumber::Record(n) if receipt(&n)?.is_some() => {
                vec![self.produce_receipt(session, &n, by, out)?]
            }
            SlipNumber::Record(n) if self.read().refund_by_number(&n)?.is_some() => {
                vec![self.produce_refund(session, &n, by, out)?]
            }
            SlipNumber::Reversal(_) | SlipNumber::Record(_) => {
                let printed = slips::by_number(self.store.conn(), number)?;
                let mut kinds: Vec<SlipKind> = printed.iter().map(|r| r.kind).collect();
                kinds.dedup();
                if kinds.is_empty() {
                    // Never printed yet: print what the form prints.
                    kinds = self.slip_kinds(number)?;
                }
                self.produce_application_slips(session, number, &kinds, by, out)?
            }
        };
        Ok(Printed { produced })
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn produce(
        &mut self,
        session: Option<&Session>,
        kind: SlipKind,
        number: &str,
        copy: i64,
        application_id: Option<i64>,
        doc: &SlipDoc,
        authoriser: Option<&Authoriser>,
        out: Option<&Path>,
    ) -> Result<Produced, DeskError> {
        let font = self.font()?;
        let missing = font.missing_chars(&doc.all_text());
        if !missing.is_empty() {
            let chars: String = missing
                .iter()
                .map(|c| format!("{c}(U+{:04X}) ", *c as u32))
                .collect();
            return Err(msg!("slips.missing_glyphs", chars = chars.trim()).into());
        }
        let paper = paper(kind, &self.config);
        let bytes = pdf::render(doc, &font, paper)
            .map_err(|e| DeskError::new(msg!("slips.render_failed", detail = e)))?;
        let spool_root = self.config.spool_path(self.store.path());
        let file = match out {
            Some(p) => p.to_path_buf(),
            None => spool::path_for(&spool_root, self.clock().today(), kind, number, copy),
        };
        spool::write(&file, &bytes).map_err(|e| {
            DeskError::new(msg!(
                "slips.spool_unwritable",
                path = file.display(),
                detail = e
            ))
        })?;
        let actor = session.map(|s| s.clerk_id);
        let file_text = file.display().to_string();
        let training = self.training;
        let slip_id = self.store.write(actor, |tx, now| {
            let id = slips::insert(
                tx,
                &NewSlip {
                    kind,
                    number,
                    copy,
                    application_id,
                    file: &file_text,
                    paper,
                    produced_by: actor,
                    authorised_by: authoriser.map(|a| a.clerk_id),
                    training,
                },
                now,
            )?;
            let detail = json!({"kind": crate::slips::kind::file_stem(kind), "copy": copy, "file": file_text, "authorised_by": authoriser.map(|a| a.staff_no.clone()), "training": training});
            let action = if copy > 0 { "slip.reprint" } else { "slip.produce" };
            Ok((id, Event::new(action, number, detail).about(Aggregate::Slip(id))))
        })?;
        let printer_name = self.config.slips.printer.clone();
        // In practice the printer is the run's folder, and may jam on purpose.
        let sent = if self.training {
            self.practice
                .jam_now()
                .then(|| Err(super::practice::JAM.to_string()))
        } else if printer_name.trim().is_empty() {
            None
        } else {
            Some(printer::send(&printer_name, &file))
        };
        let printed = if let Some(sent) = sent {
            let (status, error, outcome) = match sent {
                Ok(job) => (PrintStatus::Sent, None, PrintOutcome::Sent(job)),
                Err(e) => (
                    PrintStatus::Failed,
                    Some(e.clone()),
                    PrintOutcome::Failed(e),
                ),
            };
            self.store.write(actor, |tx, _| {
                slips::set_print_status(tx, slip_id, status, error.as_deref())?;
                let action = if status == PrintStatus::Sent { "slip.print" } else { "slip.print_failed" };
                Ok(((), Event::new(action, number, json!({"kind": crate::slips::kind::file_stem(kind), "copy": copy, "printer": printer_name, "error": error}))))
            })?;
            outcome
        } else {
            PrintOutcome::FileOnly
        };
        Ok(Produced {
            kind,
            number: number.to_string(),
            copy,
            file,
            bytes: bytes.len(),
            printed,
        })
    }
}

/// Where the `i`-th of several slips written for `--out` goes: the first
/// to `out` itself, the rest beside it named by their kind.
fn beside(out: &Path, i: usize, kind: SlipKind) -> PathBuf {
    if i == 0 {
        return out.to_path_buf();
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!("{}-{name}", crate::slips::kind::file_stem(kind)))
}
