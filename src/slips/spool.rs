//! The spool: every slip file, by date, named by kind, number and copy.
//! Files are written whole (temporary name, then rename) so a half-written
//! slip never sits in the spool.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::domain::states::SlipKind;
use crate::slips::kind::file_stem;

/// Where the file of a slip goes: `<spool>/<date>/<kind>-<number>[-copy<n>].pdf`.
pub fn path_for(spool: &Path, day: NaiveDate, kind: SlipKind, number: &str, copy: i64) -> PathBuf {
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = if copy == 0 {
        format!("{}-{safe}.pdf", file_stem(kind))
    } else {
        format!("{}-{safe}-reprint{copy}.pdf", file_stem(kind))
    };
    spool.join(day.format("%Y-%m-%d").to_string()).join(name)
}

/// Writes `bytes` to `path`, creating folders; the file appears whole or
/// not at all, and a failed write (a full disk) leaves no part behind.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("pdf.part");
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_no_part_behind() {
        let dir = tempfile::tempdir().expect("tmp");
        // The slip's own name is taken by a folder: the last step fails.
        let path = dir
            .path()
            .join("2026-11-24")
            .join("payment_receipt-R1-00000001.pdf");
        std::fs::create_dir_all(path.join("in-the-way")).expect("folder");
        assert!(write(&path, b"%PDF-1.7").is_err());
        let left: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from("payment_receipt-R1-00000001.pdf")]
        );
    }

    #[test]
    fn names_are_by_date_kind_number_and_copy() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
        let p = path_for(
            Path::new("/spool"),
            d,
            SlipKind::AcceptanceReceipt,
            "SL20261124-1-0001",
            0,
        );
        assert_eq!(
            p,
            Path::new("/spool/2026-11-24/acceptance_receipt-SL20261124-1-0001.pdf")
        );
        let r = path_for(
            Path::new("/spool"),
            d,
            SlipKind::PaymentReceipt,
            "R/01 2",
            3,
        );
        assert_eq!(
            r,
            Path::new("/spool/2026-11-24/payment_receipt-R_01_2-reprint3.pdf")
        );
    }

    #[test]
    fn write_is_whole_and_reports_unwritable_folders() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a/b/x.pdf");
        write(&p, b"%PDF-1.7").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"%PDF-1.7");
        assert!(!p.with_extension("pdf.part").exists());
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").expect("w");
        assert!(write(&blocker.join("x.pdf"), b"y").is_err());
    }
}
