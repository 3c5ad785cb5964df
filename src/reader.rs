//! The second-generation ID card reader (二代证读卡器): the vendor's
//! library (`libsdtapi.so`, the SDT interface) is loaded at run time from
//! the configured path — never shipped, never required — and polled on a
//! thread of its own, so a card laid on the reader reaches the screen as
//! if its number had been typed. Without the library the field works as
//! typed input only.

use std::os::raw::{c_int, c_uchar, c_uint};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use crate::domain::id_card::{self, CardText, BASE_LEN};
use crate::domain::msg::Msg;
use crate::msg;

/// The SDT interface's "done" and "card found" answers.
const OK: c_int = 0x90;
const FOUND: c_int = 0x9f;

type OpenPort = unsafe extern "C" fn(c_int) -> c_int;
type ClosePort = unsafe extern "C" fn(c_int) -> c_int;
type Find = unsafe extern "C" fn(c_int, *mut c_uchar, c_int) -> c_int;
type ReadBase = unsafe extern "C" fn(
    c_int,
    *mut c_uchar,
    *mut c_uint,
    *mut c_uchar,
    *mut c_uint,
    c_int,
) -> c_int;

/// What the reader thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEvent {
    /// A card was read.
    Card(CardText),
    /// Something the clerk should know (no library, the port, a card read
    /// only in part); said once until it changes.
    Trouble(Msg),
}

/// The polling reader; stops when dropped.
pub struct Reader {
    rx: mpsc::Receiver<ReaderEvent>,
    stop: Arc<AtomicBool>,
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Reader {
    /// Starts polling the reader on `port` through the library at `library`.
    pub fn start(library: &Path, port: i32, every: Duration) -> Reader {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let library = library.to_path_buf();
        let halt = Arc::clone(&stop);
        let _ = std::thread::Builder::new()
            .name("id-card-reader".into())
            .spawn(move || poll(&library, port, every, &tx, &halt));
        Reader { rx, stop }
    }

    /// The next report, if one waits.
    pub fn take(&self) -> Option<ReaderEvent> {
        self.rx.try_recv().ok()
    }
}

/// The library's four calls, resolved once.
struct Sdt {
    _lib: libloading::Library,
    open: OpenPort,
    close: ClosePort,
    find: Find,
    select: Find,
    read: ReadBase,
}

fn load(path: &PathBuf) -> Result<Sdt, String> {
    // SAFETY: the vendor's library is loaded from the path the site
    // configured; its initialisers run as those of any system library.
    let lib = unsafe { libloading::Library::new(path) }.map_err(|e| e.to_string())?;
    // SAFETY: each symbol is looked up with the SDT interface's C
    // signature; a missing one is an error, not a call.
    unsafe {
        let open = *lib
            .get::<OpenPort>(b"SDT_OpenPort\0")
            .map_err(|e| e.to_string())?;
        let close = *lib
            .get::<ClosePort>(b"SDT_ClosePort\0")
            .map_err(|e| e.to_string())?;
        let find = *lib
            .get::<Find>(b"SDT_StartFindIDCard\0")
            .map_err(|e| e.to_string())?;
        let select = *lib
            .get::<Find>(b"SDT_SelectIDCard\0")
            .map_err(|e| e.to_string())?;
        let read = *lib
            .get::<ReadBase>(b"SDT_ReadBaseMsg\0")
            .map_err(|e| e.to_string())?;
        Ok(Sdt {
            _lib: lib,
            open,
            close,
            find,
            select,
            read,
        })
    }
}

/// One card read off the reader, if one lies on it.
fn read_card(sdt: &Sdt, port: c_int) -> Option<Result<CardText, Msg>> {
    let mut mana = [0u8; 8];
    // SAFETY: the buffers are as large as the SDT interface writes
    // (8 bytes of management data, 256 of text, 1024 of photo), and the
    // lengths it reports are checked before any byte is used.
    unsafe {
        if (sdt.find)(port, mana.as_mut_ptr(), 0) != FOUND {
            return None;
        }
        if (sdt.select)(port, mana.as_mut_ptr(), 0) != OK {
            return None;
        }
        let mut text = [0u8; BASE_LEN];
        let mut photo = vec![0u8; 1024];
        let (mut text_len, mut photo_len): (c_uint, c_uint) = (0, 0);
        let code = (sdt.read)(
            port,
            text.as_mut_ptr(),
            &mut text_len,
            photo.as_mut_ptr(),
            &mut photo_len,
            0,
        );
        if code != OK {
            return Some(Err(msg!(
                "reader.read_failed",
                code = format!("0x{code:02x}")
            )));
        }
        let len = (text_len as usize).min(BASE_LEN);
        Some(id_card::decode(&text, len))
    }
}

fn poll(
    library: &PathBuf,
    port: i32,
    every: Duration,
    tx: &mpsc::Sender<ReaderEvent>,
    stop: &AtomicBool,
) {
    let sdt = match load(library) {
        Ok(s) => s,
        Err(detail) => {
            let m = msg!(
                "reader.no_library",
                path = library.display(),
                detail = detail
            );
            let _ = tx.send(ReaderEvent::Trouble(m));
            return;
        }
    };
    let mut open = false;
    let mut said: Option<Msg> = None;
    // The card lying on the reader is read once, not at every poll.
    let mut lying: Option<String> = None;
    while !stop.load(Ordering::Relaxed) {
        if !open {
            // SAFETY: a plain C call with an integer.
            let code = unsafe { (sdt.open)(port) };
            open = code == OK;
            if !open {
                let m = msg!(
                    "reader.port_closed",
                    port = port,
                    code = format!("0x{code:02x}")
                );
                if said.as_ref() != Some(&m) {
                    let _ = tx.send(ReaderEvent::Trouble(m.clone()));
                    said = Some(m);
                }
                std::thread::sleep(every * 5);
                continue;
            }
            said = None;
        }
        match read_card(&sdt, port) {
            None => lying = None,
            Some(Ok(card)) => {
                if lying.as_deref() != Some(card.id_no.as_str()) {
                    lying = Some(card.id_no.clone());
                    if tx.send(ReaderEvent::Card(card)).is_err() {
                        break;
                    }
                }
            }
            Some(Err(m)) => {
                if said.as_ref() != Some(&m) {
                    let _ = tx.send(ReaderEvent::Trouble(m.clone()));
                    said = Some(m);
                }
            }
        }
        std::thread::sleep(every);
    }
    if open {
        // SAFETY: a plain C call with an integer.
        unsafe { (sdt.close)(port) };
    }
}
