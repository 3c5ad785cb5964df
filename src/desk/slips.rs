//! Printed slips: produced from what is stored, after the commit; the file
//! goes to the spool by date, then to the CUPS queue if one is configured.
//! A failed print is shown and recorded, the file stays to print again, and
//! nothing is rolled back.

use std::path::{Path, PathBuf};

use chrono::Local;
use serde_json::json;

use super::{Authoriser, Desk, DeskError, Session};
use crate::domain::id;
use crate::msg;
use crate::slips::content::{self, ApplicationSlip};
use crate::slips::doc::{Marks, Paper, SlipDoc};
use crate::slips::font::SlipFont;
use crate::slips::kind::Kind;
use crate::slips::{pdf, printer, spool};
use crate::store::slips::{self as rows, NewSlip};
use crate::store::{applications, customers, Event};

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
    /// Kind.
    pub kind: Kind,
    /// Number.
    pub number: String,
    /// 0 original, n reprint.
    pub copy: i64,
    /// The file.
    pub file: PathBuf,
    /// Size in bytes.
    pub bytes: usize,
    /// The printer's answer.
    pub printed: PrintOutcome,
}

impl Desk {
    /// Marks practice-lab work: every slip then carries the training mark.
    pub fn set_training(&mut self, on: bool) {
        self.training = on;
    }

    /// The slip documents of an application, built from what is stored.
    pub fn application_slip(
        &self,
        ticket: &str,
        kind: Kind,
        marks: Marks,
    ) -> Result<SlipDoc, DeskError> {
        let app = self.application(ticket)?;
        let customer = customers::by_row_id(self.store.conn(), app.customer_id)?
            .ok_or_else(|| DeskError(msg!("customer.vanished")))?;
        let masked = id::mask(&customer.id_no);
        let business = self
            .forms
            .iter()
            .find(|f| f.code == app.form_code)
            .map(|f| f.name.zh.clone())
            .unwrap_or_else(|| app.form_code.clone());
        let disclosures = applications::disclosures(self.store.conn(), app.id)?;
        let s = ApplicationSlip {
            app: &app,
            customer: &customer.name,
            masked_id: &masked,
            business: &business,
            disclosures: &disclosures,
            hall: &self.config.hall,
        };
        Ok(match kind {
            Kind::AcceptanceReceipt => content::acceptance_receipt(&s, marks),
            Kind::DisclosureNotice => content::disclosure_notice(&s, marks),
            Kind::ProgressSlip => content::progress_slip(&s, marks, self.clock().today()),
            other => return Err(msg!("slips.not_for_applications", kind = other.code()).into()),
        })
    }

    /// The slip kinds the form of an application prints at the end of acceptance.
    pub fn slip_kinds(&self, ticket: &str) -> Result<Vec<Kind>, DeskError> {
        let app = self.application(ticket)?;
        Ok(self
            .forms
            .iter()
            .find(|f| f.code == app.form_code)
            .map(|f| f.slips.iter().map(|s| Kind::from(*s)).collect())
            .unwrap_or_else(|| vec![Kind::AcceptanceReceipt]))
    }

    pub(super) fn marks(&self, session: Option<&Session>, kind: Kind, copy: i64) -> Marks {
        // A progress slip shows the state of the day it is printed: a new
        // one is not a reprint of the last.
        let reprint = (copy > 0 && kind != Kind::ProgressSlip).then(|| {
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
    /// marked as such; reprinting a receipt needs a duty manager.
    pub fn produce_application_slips(
        &mut self,
        session: &Session,
        ticket: &str,
        kinds: &[Kind],
        authoriser: Option<&Authoriser>,
        font: &SlipFont,
    ) -> Result<Vec<Produced>, DeskError> {
        let app_id = self.application(ticket)?.id;
        let mut out = Vec::new();
        for kind in kinds {
            let copy = rows::next_copy(self.store.conn(), kind.code(), ticket)?;
            if copy > 0 && kind.is_receipt() && authoriser.is_none() {
                return Err(msg!("slips.reprint_needs_manager").into());
            }
            let doc =
                self.application_slip(ticket, *kind, self.marks(Some(session), *kind, copy))?;
            out.push(self.produce(
                Some(session),
                *kind,
                ticket,
                copy,
                Some(app_id),
                &doc,
                authoriser,
                font,
                None,
            )?);
        }
        Ok(out)
    }

    /// The printer set-up page, to `out` or the spool, and to `printer` (or the configured one).
    pub fn produce_test_page(
        &mut self,
        font: &SlipFont,
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
        let copy = rows::next_copy(self.store.conn(), Kind::TestPage.code(), &number)?;
        let result = self.produce(
            None,
            Kind::TestPage,
            &number,
            copy,
            None,
            &doc,
            None,
            font,
            out,
        );
        if let Some(p) = saved {
            self.config.slips.printer = p;
        }
        result
    }

    /// Reprints every slip of a document number (`counterdesk slip reprint`).
    pub fn reprint(
        &mut self,
        session: &Session,
        number: &str,
        authoriser: Option<&Authoriser>,
        font: &SlipFont,
        out: Option<&Path>,
    ) -> Result<Vec<Produced>, DeskError> {
        let number = number.trim();
        let money_slip = if crate::store::money::by_receipt(self.store.conn(), number)?.is_some() {
            Some(Kind::PaymentReceipt)
        } else if let Some(receipt) = number.strip_suffix(super::money_slips::REVERSAL_SUFFIX) {
            crate::store::money::by_receipt(self.store.conn(), receipt)?.map(|_| Kind::ReversalSlip)
        } else if self.refund_by_number(number)?.is_some() {
            Some(Kind::RefundSlip)
        } else {
            None
        };
        if let Some(kind) = money_slip {
            // Money slips: their own builders, and a duty manager for any copy after the first.
            let p = match kind {
                Kind::PaymentReceipt => self.produce_receipt(session, number, authoriser, font)?,
                Kind::ReversalSlip => {
                    let receipt = number.trim_end_matches(super::money_slips::REVERSAL_SUFFIX);
                    self.produce_reversal(session, receipt, authoriser, font)?
                }
                _ => self.produce_refund(session, number, authoriser, font)?,
            };
            if let Some(out) = out {
                std::fs::copy(&p.file, out).map_err(|e| {
                    DeskError(msg!(
                        "slips.spool_unwritable",
                        path = out.display(),
                        detail = e
                    ))
                })?;
            }
            return Ok(vec![p]);
        }
        let produced = rows::by_number(self.store.conn(), number)?;
        let mut kinds: Vec<Kind> = produced
            .iter()
            .filter_map(|r| Kind::from_code(&r.kind))
            .collect();
        kinds.dedup();
        if kinds.is_empty() {
            // Never printed yet: print what the form prints.
            kinds = self.slip_kinds(number)?;
        }
        let app_id = self.application(number)?.id;
        let mut result = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            let copy = rows::next_copy(self.store.conn(), kind.code(), number)?;
            if copy > 0 && kind.is_receipt() && authoriser.is_none() {
                return Err(msg!("slips.reprint_needs_manager").into());
            }
            let doc =
                self.application_slip(number, *kind, self.marks(Some(session), *kind, copy))?;
            // With --out, the first slip goes there; the rest beside it.
            let target = out.map(|o| {
                if i == 0 {
                    o.to_path_buf()
                } else {
                    o.with_file_name(format!(
                        "{}-{}",
                        kind.code(),
                        o.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    ))
                }
            });
            result.push(self.produce(
                Some(session),
                *kind,
                number,
                copy,
                Some(app_id),
                &doc,
                authoriser,
                font,
                target.as_deref(),
            )?);
        }
        Ok(result)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn produce(
        &mut self,
        session: Option<&Session>,
        kind: Kind,
        number: &str,
        copy: i64,
        application_id: Option<i64>,
        doc: &SlipDoc,
        authoriser: Option<&Authoriser>,
        font: &SlipFont,
        out: Option<&Path>,
    ) -> Result<Produced, DeskError> {
        let missing = font.missing_chars(&doc.all_text());
        if !missing.is_empty() {
            let chars: String = missing
                .iter()
                .map(|c| format!("{c}(U+{:04X}) ", *c as u32))
                .collect();
            return Err(msg!("slips.missing_glyphs", chars = chars.trim()).into());
        }
        let paper = kind.paper(&self.config);
        let bytes = pdf::render(doc, font, paper)
            .map_err(|e| DeskError(msg!("slips.render_failed", detail = e)))?;
        let spool_root = self.config.spool_path(self.store.path());
        let file = match out {
            Some(p) => p.to_path_buf(),
            None => spool::path_for(&spool_root, self.clock().today(), kind, number, copy),
        };
        spool::write(&file, &bytes).map_err(|e| {
            DeskError(msg!(
                "slips.spool_unwritable",
                path = file.display(),
                detail = e
            ))
        })?;
        let paper_code = match paper {
            Paper::A4 => "a4",
            Paper::Roll80 => "roll80",
        };
        let actor = session.map(|s| s.clerk_id);
        let file_text = file.display().to_string();
        let training = self.training;
        let slip_id = self.store.write(actor, |tx, now| {
            let id = rows::insert(
                tx,
                &NewSlip {
                    kind: kind.code(),
                    number,
                    copy,
                    application_id,
                    file: &file_text,
                    paper: paper_code,
                    produced_by: actor,
                    authorised_by: authoriser.map(|a| a.clerk_id),
                    training,
                },
                now,
            )?;
            let detail = json!({"kind": kind.code(), "copy": copy, "file": file_text, "authorised_by": authoriser.map(|a| a.staff_no.clone()), "training": training});
            let action = if copy > 0 { "slip.reprint" } else { "slip.produce" };
            Ok((id, Event::new(action, number, detail)))
        })?;
        let printer_name = self.config.slips.printer.clone();
        let printed = if printer_name.trim().is_empty() {
            PrintOutcome::FileOnly
        } else {
            let result = printer::send(&printer_name, &file);
            let (status, error, outcome) = match result {
                Ok(job) => ("sent", None, PrintOutcome::Sent(job)),
                Err(e) => ("failed", Some(e.clone()), PrintOutcome::Failed(e)),
            };
            self.store.write(actor, |tx, _| {
                rows::set_print_status(tx, slip_id, status, error.as_deref())?;
                let action = if status == "sent" { "slip.print" } else { "slip.print_failed" };
                Ok(((), Event::new(action, number, json!({"kind": kind.code(), "copy": copy, "printer": printer_name, "error": error}))))
            })?;
            outcome
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
