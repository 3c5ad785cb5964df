//! The scanner's folder (高拍仪): the newest file in it, whether the scanner
//! has finished writing it, and its bytes once it has. Hidden files and the
//! partial files scanners write first (`.part`, `.tmp`, `~`) are passed by.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::config::Scanner;
use crate::domain::msg::Msg;
use crate::domain::scan::{self, ScanKind};
use crate::msg;

/// The newest file, as it stood when looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub path: PathBuf,
    /// Its name in the folder.
    pub name: String,
    pub bytes: u64,
    pub modified: SystemTime,
    /// It has not changed for the configured time.
    pub settled: bool,
    /// Its kind, or why it cannot be taken (too big, another kind), told
    /// from its size and first bytes before the clerk presses Enter.
    pub admitted: Result<ScanKind, Msg>,
}

fn partial(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.ends_with('~')
        || [".part", ".tmp", ".crdownload", ".partial"]
            .iter()
            .any(|s| lower.ends_with(s))
}

/// The newest file of the folder, or what is wrong with the folder.
pub fn newest(cfg: &Scanner) -> Result<Seen, Msg> {
    let folder = &cfg.folder;
    if folder.as_os_str().is_empty() {
        return Err(msg!("scan.no_folder"));
    }
    let folder_text = folder.display().to_string();
    let entries = std::fs::read_dir(folder).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => msg!("scan.folder_missing", folder = folder_text),
        _ => msg!("scan.folder_unreadable", folder = folder_text, detail = e),
    })?;
    let mut best: Option<(SystemTime, PathBuf, String, u64)> = None;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if partial(&name) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let newer = best
            .as_ref()
            .is_none_or(|(t, _, n, _)| (modified, &name) > (*t, n));
        if newer {
            best = Some((modified, entry.path(), name, meta.len()));
        }
    }
    let (modified, path, name, bytes) =
        best.ok_or_else(|| msg!("scan.folder_empty", folder = folder_text))?;
    let settled = settled_at(modified, cfg.settle_ms, SystemTime::now());
    let mut head = [0u8; 8];
    let admitted = match read_head(&path, &mut head) {
        Ok(n) => scan::admit(&name, bytes, &head[..n], cfg.max_bytes(), &cfg.kinds()),
        Err(e) => Err(msg!("scan.unreadable", file = name, detail = e)),
    };
    Ok(Seen {
        path,
        name,
        bytes,
        modified,
        settled,
        admitted,
    })
}

fn settled_at(modified: SystemTime, settle_ms: u64, now: SystemTime) -> bool {
    now.duration_since(modified)
        .is_ok_and(|age| age >= Duration::from_millis(settle_ms))
}

/// The bytes of the file the clerk was shown, once the scanner has done
/// with it: still the same size and time as shown, unchanged for the
/// settle time, under the limit and of an allowed kind.
pub fn take(cfg: &Scanner, seen: &Seen) -> Result<(Vec<u8>, ScanKind), Msg> {
    let meta = std::fs::metadata(&seen.path).map_err(|_| msg!("scan.gone", file = seen.name))?;
    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    if meta.len() != seen.bytes || modified != seen.modified {
        return Err(msg!("scan.changed", file = seen.name));
    }
    if !settled_at(modified, cfg.settle_ms, SystemTime::now()) {
        return Err(msg!("scan.still_writing", file = seen.name));
    }
    let mut head = [0u8; 8];
    let head_len = read_head(&seen.path, &mut head)
        .map_err(|e| msg!("scan.unreadable", file = seen.name, detail = e))?;
    let kind = scan::admit(
        &seen.name,
        meta.len(),
        &head[..head_len],
        cfg.max_bytes(),
        &cfg.kinds(),
    )?;
    let bytes = std::fs::read(&seen.path)
        .map_err(|e| msg!("scan.unreadable", file = seen.name, detail = e))?;
    // Written to while it was read: not the file the clerk was shown.
    if bytes.len() as u64 != seen.bytes {
        return Err(msg!("scan.changed", file = seen.name));
    }
    Ok((bytes, kind))
}

fn read_head(path: &Path, head: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_files_are_passed_by() {
        for name in [
            ".hidden.jpg",
            "scan.jpg.part",
            "a.TMP",
            "b.pdf~",
            "c.crdownload",
        ] {
            assert!(partial(name), "{name}");
        }
        for name in ["IMG_0001.jpg", "scan.pdf", "part.png"] {
            assert!(!partial(name), "{name}");
        }
    }

    #[test]
    fn a_file_settles_once_unchanged_for_the_settle_time() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        assert!(!settled_at(t, 1000, t + Duration::from_millis(999)));
        assert!(settled_at(t, 1000, t + Duration::from_millis(1000)));
        // A time in the future (a wrong clock on a network share) has not.
        assert!(!settled_at(t + Duration::from_secs(5), 1000, t));
    }
}
