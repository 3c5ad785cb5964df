//! Scans of materials (高拍仪): the newest file of the scanner's folder,
//! shown to the clerk before it is taken, kept once by its sha256 beside
//! the database and named by the material it copies — on the draft at the
//! checklist (filed with the material at acceptance), or on the file
//! straight away for a material of a case.

use serde_json::json;

use super::draft::Draft;
use super::{Desk, DeskError, Session};
use crate::domain::msg::Input;
use crate::domain::scan::ScanRef;
use crate::domain::upload::sha256_hex;
use crate::msg;
use crate::scanner::{self, Seen};
use crate::store::applications::ApplicationRow;
use crate::store::scans;
use crate::store::snapshot::Aggregate;
use crate::store::{Event, StoreError};

impl Desk {
    /// Whether this window has a scanner folder configured.
    pub fn has_scanner(&self) -> bool {
        !self.config.scanner.folder.as_os_str().is_empty()
    }

    /// The scanner folder's newest file as it stands now, or why there is
    /// none to take.
    pub fn newest_scan(&self) -> Result<Seen, DeskError> {
        scanner::newest(&self.config.scanner).map_err(DeskError::new)
    }

    /// Takes the file the clerk was shown and keeps it: the file first,
    /// then its row, so a row never names bytes that are not there.
    fn keep_scan(&mut self, session: &Session, seen: &Seen) -> Result<ScanRef, DeskError> {
        let (bytes, kind) = scanner::take(&self.config.scanner, seen).map_err(DeskError::new)?;
        let sha256 = sha256_hex(&bytes);
        let folder = scans::folder(self.store.path());
        scans::keep(&folder, &sha256, &bytes).map_err(|e| {
            let where_ = folder.display().to_string();
            DeskError::new(msg!("scan.not_kept", folder = where_, detail = e))
        })?;
        let scan = ScanRef {
            sha256,
            kind,
            bytes: bytes.len() as u64,
            file_name: seen.name.clone(),
        };
        let clerk = session.clerk_id;
        self.store
            .scratch(|tx, now| scans::record(tx, &scan, clerk, now))?;
        Ok(scan)
    }

    /// Attaches the shown file to a material received on the draft; the
    /// draft as saved. The material goes on file with it at acceptance.
    pub fn attach_scan(
        &mut self,
        session: &Session,
        draft: &Draft,
        material_id: &str,
        seen: &Seen,
    ) -> Result<(Draft, ScanRef), DeskError> {
        if !draft.received.contains(material_id) || draft.from_file.contains(material_id) {
            return Err(DeskError::at(msg!("scan.not_received"), Input::Material));
        }
        let scan = self.keep_scan(session, seen)?;
        let mut draft = draft.clone();
        draft.scans.insert(material_id.to_string(), scan.clone());
        self.save_draft(session, &draft)?;
        Ok((draft, scan))
    }

    /// Attaches the shown file to a material of a case already on the
    /// customer's file (received at acceptance or later): audited, and
    /// sent to HQ with the entry.
    pub fn attach_case_scan(
        &mut self,
        session: &Session,
        ticket_no: &str,
        material_id: &str,
        seen: &Seen,
    ) -> Result<(ApplicationRow, ScanRef), DeskError> {
        let app = self.application(ticket_no)?;
        if !app
            .materials
            .iter()
            .any(|m| m.material_id == material_id && m.received_at.is_some())
        {
            return Err(DeskError::at(msg!("scan.not_received"), Input::Material));
        }
        let scan = self.keep_scan(session, seen)?;
        let sha = scan.sha256.clone();
        let clerk = session.clerk_id;
        self.store.write(Some(clerk), |tx, _| {
            let Some(id) = scans::attach(tx, app.id, material_id, &sha)? else {
                return Err(StoreError::Refused(msg!("scan.not_on_file")));
            };
            let detail = json!({"material": material_id, "scan": sha});
            let event = Event::new("material.scan_attached", &app.ticket_no, detail)
                .about(Aggregate::Material(id));
            Ok(((), event))
        })?;
        Ok((self.application(ticket_no)?, scan))
    }
}
