//! Scanned copies of materials (高拍仪): which kinds of file are taken, how
//! a file is recognised by its first bytes (never by its name), and the
//! reference a material keeps to its scan.

use serde::{Deserialize, Serialize};

use crate::domain::msg::Msg;
use crate::msg;

/// The kinds of file a scan may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScanKind {
    Pdf,
    Jpeg,
    Png,
}

impl ScanKind {
    /// Every kind, in the order they are named to the clerk.
    pub const ALL: [ScanKind; 3] = [ScanKind::Pdf, ScanKind::Jpeg, ScanKind::Png];

    /// The kind the file's first bytes say it is, if any of ours.
    pub fn sniff(head: &[u8]) -> Option<ScanKind> {
        if head.starts_with(b"%PDF-") {
            Some(ScanKind::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ScanKind::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ScanKind::Png)
        } else {
            None
        }
    }

    /// Its name in the configuration and the database.
    pub fn code(self) -> &'static str {
        match self {
            ScanKind::Pdf => "pdf",
            ScanKind::Jpeg => "jpeg",
            ScanKind::Png => "png",
        }
    }

    /// The kind a configuration or database name gives.
    pub fn from_code(code: &str) -> Option<ScanKind> {
        ScanKind::ALL.into_iter().find(|k| {
            k.code().eq_ignore_ascii_case(code) || (code == "jpg" && *k == ScanKind::Jpeg)
        })
    }

    /// What HTTP calls it.
    pub fn media_type(self) -> &'static str {
        match self {
            ScanKind::Pdf => "application/pdf",
            ScanKind::Jpeg => "image/jpeg",
            ScanKind::Png => "image/png",
        }
    }

    /// As the clerk reads it.
    pub fn label(self) -> &'static str {
        match self {
            ScanKind::Pdf => "PDF",
            ScanKind::Jpeg => "JPEG",
            ScanKind::Png => "PNG",
        }
    }
}

/// A scan attached to a material: what the checklist and the card show,
/// and the hash the material keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanRef {
    pub sha256: String,
    pub kind: ScanKind,
    pub bytes: u64,
    /// The scanner's name for the file.
    pub file_name: String,
}

/// Whether `s` can be a sha256 as this program writes it (64 lowercase hex
/// digits): the only names HQ and the scans folder take.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A size as the clerk reads it: "860 KB", "4.8 MB".
pub fn size_text(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < MB {
        format!("{} KB", bytes.div_ceil(KB))
    } else if bytes < 1024 * MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{:.1} GB", bytes as f64 / (1024 * MB) as f64)
    }
}

/// The checks a file passes before it is taken: its size under the limit
/// and its kind among those allowed. `head` is its first bytes.
pub fn admit(
    name: &str,
    bytes: u64,
    head: &[u8],
    max_bytes: u64,
    allowed: &[ScanKind],
) -> Result<ScanKind, Msg> {
    if bytes == 0 {
        return Err(msg!("scan.empty_file", file = name));
    }
    if bytes > max_bytes {
        return Err(msg!(
            "scan.too_big",
            file = name,
            size = size_text(bytes),
            limit = size_text(max_bytes)
        ));
    }
    let kinds = allowed
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("/");
    match ScanKind::sniff(head) {
        Some(k) if allowed.contains(&k) => Ok(k),
        _ => Err(msg!("scan.wrong_type", file = name, kinds = kinds)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_their_first_bytes() {
        assert_eq!(ScanKind::sniff(b"%PDF-1.7\n"), Some(ScanKind::Pdf));
        assert_eq!(
            ScanKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(ScanKind::Jpeg)
        );
        assert_eq!(
            ScanKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(ScanKind::Png)
        );
        assert_eq!(ScanKind::sniff(b"GIF89a"), None);
        assert_eq!(ScanKind::sniff(b"%PD"), None);
        assert_eq!(ScanKind::from_code("JPG"), None);
        assert_eq!(ScanKind::from_code("jpg"), Some(ScanKind::Jpeg));
        assert_eq!(ScanKind::from_code("PNG"), Some(ScanKind::Png));
    }

    #[test]
    fn a_file_is_admitted_under_the_limit_and_of_an_allowed_kind() {
        let all = ScanKind::ALL;
        assert_eq!(
            admit("A.pdf", 10, b"%PDF-1.4", 100, &all),
            Ok(ScanKind::Pdf)
        );
        let big = admit("A.pdf", 101, b"%PDF-1.4", 100, &all).unwrap_err();
        assert_eq!(big.key, "scan.too_big");
        // Named .pdf, but a PNG where only PDF is allowed.
        let wrong = admit("A.pdf", 10, b"\x89PNG\r\n\x1a\n", 100, &[ScanKind::Pdf]).unwrap_err();
        assert_eq!(wrong.key, "scan.wrong_type");
        let text = admit("Notes.txt", 10, b"hello", 100, &all).unwrap_err();
        assert_eq!(text.key, "scan.wrong_type");
        assert_eq!(
            admit("A.pdf", 0, b"", 100, &all).unwrap_err().key,
            "scan.empty_file"
        );
    }

    #[test]
    fn hashes_and_sizes() {
        assert!(is_sha256(&"a".repeat(64)));
        assert!(!is_sha256(&"A".repeat(64)));
        assert!(!is_sha256("../../etc/passwd"));
        assert!(!is_sha256(&"a".repeat(63)));
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(1500), "2 KB");
        assert_eq!(size_text(5 * 1024 * 1024), "5.0 MB");
    }
}
