//! One write per commit to the write-ahead log.
//!
//! SQLite appends a commit to its log frame by frame, each frame in two
//! writes (a 24-byte header, then the page): a payment is some 24 system
//! calls before its one sync, and on ext4 each of them costs several
//! microseconds of journal and page-cache work — together as much as the
//! sync itself. This thin layer over SQLite's own file system layer keeps
//! the log's contiguous writes in memory and hands them to the file in one
//! write: when the page of a commit frame arrives (so a commit is on the
//! file before SQLite publishes it to other connections, whatever the
//! synchronous setting), and before any read, sync, size, truncate,
//! control or close of the log. Every other file (the database, its shared
//! index) goes straight to SQLite's default layer, untouched.
//!
//! Nothing is held past a commit: a crash loses only frames of a
//! transaction that had not committed, exactly as without this layer.

use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr;
use std::sync::OnceLock;

use rusqlite::ffi;

/// The name connections open the database with.
pub const NAME: &str = "counterdesk-one-write";
const NAME_C: &CStr = c"counterdesk-one-write";

/// A log frame's header: page number, commit size (non-zero on a
/// commit's last frame), salts and checksums.
const FRAME_HEADER: c_int = 24;
/// Past this much held, the writes go out anyway (a very large
/// transaction spilling pages before its commit).
const HOLD_LIMIT: usize = 4 << 20;
/// The default layer takes at most 128 KiB less one byte per write.
const WRITE_LIMIT: usize = 124 << 10;

thread_local! {
    /// Writes that reached a log's file from this thread (SQLite works on
    /// the thread that runs the statement), for the tests and the benchmark.
    static FILE_WRITES: Cell<u64> = const { Cell::new(0) };
}

/// How many writes this thread's connections made to their logs' files.
pub fn log_writes() -> u64 {
    FILE_WRITES.with(Cell::get)
}

/// The environment variable that, set to `per-frame`, opens databases
/// without this layer (SQLite's own writes, frame by frame): a way out
/// should a file system ever disagree with it, and the benchmark's
/// comparison.
pub const SWITCH: &str = "COUNTERDESK_LOG_WRITES";

/// Whether connections opened now take the layer: registered, and not
/// switched off by [`SWITCH`].
pub fn wanted() -> bool {
    std::env::var(SWITCH).map_or(true, |v| v.trim() != "per-frame") && available()
}

/// Registers the layer (once) and says whether it is there: when SQLite
/// has no default layer to stand on, connections open without it.
pub fn available() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(register)
}

struct Base(*mut ffi::sqlite3_vfs);
// SAFETY: the default layer is a static object inside SQLite, valid and
// thread-safe for the life of the process.
unsafe impl Send for Base {}
unsafe impl Sync for Base {}
static BASE: OnceLock<Base> = OnceLock::new();

fn base() -> *mut ffi::sqlite3_vfs {
    BASE.get().map_or(ptr::null_mut(), |b| b.0)
}

fn register() -> bool {
    // SAFETY: sqlite3_vfs_find with NULL returns the default layer, a
    // static object; the copy made here is leaked, so it outlives every
    // connection that names it.
    unsafe {
        if ffi::sqlite3_initialize() != ffi::SQLITE_OK {
            return false;
        }
        let parent = ffi::sqlite3_vfs_find(ptr::null());
        if parent.is_null() {
            return false;
        }
        let _ = BASE.set(Base(parent));
        let mut vfs: ffi::sqlite3_vfs = ptr::read(parent);
        vfs.zName = NAME_C.as_ptr();
        vfs.pNext = ptr::null_mut();
        vfs.szOsFile = HEADER as c_int + (*parent).szOsFile;
        vfs.xOpen = Some(open);
        let vfs = Box::leak(Box::new(vfs));
        ffi::sqlite3_vfs_register(vfs, 0) == ffi::SQLITE_OK
    }
}

/// The log file as this layer holds it; the default layer's file follows
/// at `HEADER` bytes in the same allocation.
#[repr(C)]
struct LogFile {
    base: ffi::sqlite3_file,
    real: *mut ffi::sqlite3_file,
    held: Vec<u8>,
    held_at: i64,
    /// The last write was a commit frame's header: its page ends the commit.
    commit_page_next: bool,
}

const HEADER: usize = (std::mem::size_of::<LogFile>() + 15) & !15;

unsafe extern "C" fn open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let parent = base();
    let Some(parent_open) = (*parent).xOpen else {
        return ffi::SQLITE_CANTOPEN;
    };
    if flags & ffi::SQLITE_OPEN_WAL == 0 {
        // Not the log: the default layer's file sits at the start and
        // answers SQLite itself.
        return parent_open(parent, name, file, flags, out_flags);
    }
    let real = (file as *mut u8).add(HEADER) as *mut ffi::sqlite3_file;
    let rc = parent_open(parent, name, real, flags, out_flags);
    if rc != ffi::SQLITE_OK {
        (*file).pMethods = ptr::null();
        return rc;
    }
    ptr::write(
        file as *mut LogFile,
        LogFile {
            base: ffi::sqlite3_file {
                pMethods: &LOG_METHODS,
            },
            real,
            held: Vec::new(),
            held_at: 0,
            commit_page_next: false,
        },
    );
    ffi::SQLITE_OK
}

static LOG_METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 1,
    xClose: Some(close),
    xRead: Some(read),
    xWrite: Some(write),
    xTruncate: Some(truncate),
    xSync: Some(sync),
    xFileSize: Some(file_size),
    xLock: Some(lock),
    xUnlock: Some(unlock),
    xCheckReservedLock: Some(check_reserved_lock),
    xFileControl: Some(file_control),
    xSectorSize: Some(sector_size),
    xDeviceCharacteristics: Some(device_characteristics),
    xShmMap: None,
    xShmLock: None,
    xShmBarrier: None,
    xShmUnmap: None,
    xFetch: None,
    xUnfetch: None,
};

unsafe fn log<'a>(file: *mut ffi::sqlite3_file) -> &'a mut LogFile {
    &mut *(file as *mut LogFile)
}

unsafe fn real_methods(f: &LogFile) -> &ffi::sqlite3_io_methods {
    &*(*f.real).pMethods
}

/// Hands what is held to the file in one write (a long run in writes of
/// at most `WRITE_LIMIT` bytes). What failed to go out is dropped: it
/// belonged to a commit that now fails, never to one SQLite published.
unsafe fn flush(f: &mut LogFile) -> c_int {
    if f.held.is_empty() {
        return ffi::SQLITE_OK;
    }
    let Some(write) = real_methods(f).xWrite else {
        f.held.clear();
        return ffi::SQLITE_IOERR_WRITE;
    };
    let mut rc = ffi::SQLITE_OK;
    let mut at = f.held_at;
    for chunk in f.held.chunks(WRITE_LIMIT) {
        // A chunk is at most WRITE_LIMIT bytes, well inside c_int.
        let len = chunk.len() as c_int;
        rc = write(f.real, chunk.as_ptr() as *const c_void, len, at);
        FILE_WRITES.with(|n| n.set(n.get() + 1));
        if rc != ffi::SQLITE_OK {
            break;
        }
        at += i64::from(len);
    }
    f.held.clear();
    rc
}

unsafe extern "C" fn write(
    file: *mut ffi::sqlite3_file,
    data: *const c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    let f = log(file);
    let Ok(len) = usize::try_from(amount) else {
        return ffi::SQLITE_IOERR_WRITE;
    };
    if !f.held.is_empty() && offset != f.held_at + f.held.len() as i64 {
        let rc = flush(f);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
    }
    if f.held.is_empty() {
        f.held_at = offset;
    }
    let bytes = std::slice::from_raw_parts(data as *const u8, len);
    f.held.extend_from_slice(bytes);
    let ends_commit = f.commit_page_next && amount != FRAME_HEADER;
    f.commit_page_next = amount == FRAME_HEADER && bytes[4..8] != [0, 0, 0, 0];
    if ends_commit || f.held.len() >= HOLD_LIMIT {
        return flush(f);
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn close(file: *mut ffi::sqlite3_file) -> c_int {
    let f = log(file);
    let flushed = flush(f);
    let closed = match real_methods(f).xClose {
        Some(close) => close(f.real),
        None => ffi::SQLITE_OK,
    };
    ptr::drop_in_place(&mut f.held);
    f.base.pMethods = ptr::null();
    if flushed != ffi::SQLITE_OK {
        flushed
    } else {
        closed
    }
}

/// Runs `op` on the default layer's file after what is held went out.
macro_rules! after_flush {
    ($file:expr, $method:ident, $($arg:expr),*) => {{
        let f = log($file);
        let rc = flush(f);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        match real_methods(f).$method {
            Some(m) => m(f.real, $($arg),*),
            None => ffi::SQLITE_IOERR,
        }
    }};
}

unsafe extern "C" fn read(
    file: *mut ffi::sqlite3_file,
    data: *mut c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    after_flush!(file, xRead, data, amount, offset)
}

unsafe extern "C" fn truncate(file: *mut ffi::sqlite3_file, size: i64) -> c_int {
    after_flush!(file, xTruncate, size)
}

unsafe extern "C" fn sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    after_flush!(file, xSync, flags)
}

unsafe extern "C" fn file_size(file: *mut ffi::sqlite3_file, size: *mut i64) -> c_int {
    after_flush!(file, xFileSize, size)
}

unsafe extern "C" fn file_control(
    file: *mut ffi::sqlite3_file,
    op: c_int,
    arg: *mut c_void,
) -> c_int {
    after_flush!(file, xFileControl, op, arg)
}

unsafe extern "C" fn lock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    let f = log(file);
    match real_methods(f).xLock {
        Some(m) => m(f.real, level),
        None => ffi::SQLITE_OK,
    }
}

unsafe extern "C" fn unlock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    let f = log(file);
    match real_methods(f).xUnlock {
        Some(m) => m(f.real, level),
        None => ffi::SQLITE_OK,
    }
}

unsafe extern "C" fn check_reserved_lock(file: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    let f = log(file);
    match real_methods(f).xCheckReservedLock {
        Some(m) => m(f.real, out),
        None => {
            *out = 0;
            ffi::SQLITE_OK
        }
    }
}

unsafe extern "C" fn sector_size(file: *mut ffi::sqlite3_file) -> c_int {
    let f = log(file);
    real_methods(f).xSectorSize.map_or(4096, |m| m(f.real))
}

unsafe extern "C" fn device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
    let f = log(file);
    real_methods(f)
        .xDeviceCharacteristics
        .map_or(0, |m| m(f.real))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::{Connection, OpenFlags};

    fn open_ours(path: &std::path::Path) -> Connection {
        assert!(available());
        let c = Connection::open_with_flags_and_vfs(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            NAME,
        )
        .expect("open");
        let mode: String = c
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .expect("wal");
        assert_eq!(mode, "wal");
        c
    }

    fn rows(c: &Connection) -> Vec<(i64, String)> {
        let mut st = c
            .prepare("SELECT id, body FROM t ORDER BY id")
            .expect("prepare");
        let v = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows");
        v
    }

    fn integrity(c: &Connection) -> String {
        c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("check")
    }

    #[test]
    fn a_commit_of_many_pages_reaches_the_log_in_one_write() {
        let dir = tempfile::tempdir().expect("dir");
        let c = open_ours(&dir.path().join("one.db"));
        c.execute_batch(
            "PRAGMA synchronous = FULL;
             CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);
             CREATE TABLE u (id INTEGER PRIMARY KEY, body TEXT);
             CREATE INDEX t_body ON t(body);
             CREATE INDEX u_body ON u(body);",
        )
        .expect("schema");
        for i in 0..50 {
            let before = log_writes();
            let tx = c.unchecked_transaction().expect("begin");
            // Long rows in two tables and their indexes: several pages.
            let body = format!("{i:04}").repeat(500);
            tx.execute("INSERT INTO t (body) VALUES (?1)", [&body])
                .expect("t");
            tx.execute("INSERT INTO u (body) VALUES (?1)", [&body])
                .expect("u");
            tx.commit().expect("commit");
            assert_eq!(log_writes() - before, 1, "commit {i}");
        }
        assert_eq!(rows(&c).len(), 50);
    }

    #[test]
    fn another_connection_sees_every_commit_at_once_even_unsynced() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("seen.db");
        let c = open_ours(&path);
        // NORMAL: no sync at commit, so only the commit frame's own page
        // sends the held writes out before SQLite publishes the commit.
        c.execute_batch(
            "PRAGMA synchronous = NORMAL;
             CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);",
        )
        .expect("schema");
        // The other side opens through SQLite's default layer and reads
        // the file as any other program would.
        let other = Connection::open(&path).expect("other");
        for i in 0..40i64 {
            c.execute(
                "INSERT INTO t (id, body) VALUES (?1, ?2)",
                rusqlite::params![i, format!("row {i} ").repeat(300)],
            )
            .expect("insert");
            let seen = rows(&other);
            assert_eq!(seen.len() as i64, i + 1);
            assert_eq!(seen[i as usize].1, format!("row {i} ").repeat(300));
        }
        // The other side copies the log into the file: what it copies is
        // what was committed.
        let (_, _, done): (i64, i64, i64) = other
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("checkpoint");
        assert!(done >= 0);
        assert_eq!(integrity(&other), "ok");
        assert_eq!(rows(&c).len(), 40);
    }

    #[test]
    fn a_transaction_larger_than_the_hold_spills_rolls_back_and_commits() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("big.db");
        let c = open_ours(&path);
        // A small page cache makes SQLite spill pages to the log before
        // the commit, and read some of them back.
        c.execute_batch(
            "PRAGMA cache_size = 20;
             CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);",
        )
        .expect("schema");
        let body = "x".repeat(3000);
        let tx = c.unchecked_transaction().expect("begin");
        for i in 0..3000i64 {
            tx.execute(
                "INSERT INTO t (id, body) VALUES (?1, ?2)",
                rusqlite::params![i, body],
            )
            .expect("insert");
        }
        tx.rollback().expect("rollback");
        assert!(rows(&c).is_empty());
        let tx = c.unchecked_transaction().expect("begin");
        for i in 0..3000i64 {
            tx.execute(
                "INSERT INTO t (id, body) VALUES (?1, ?2)",
                rusqlite::params![i, body],
            )
            .expect("insert");
        }
        tx.execute("UPDATE t SET body = 'changed' WHERE id % 7 = 0", [])
            .expect("update");
        tx.commit().expect("commit");
        drop(c);
        let other = Connection::open(&path).expect("other");
        assert_eq!(integrity(&other), "ok");
        let seen = rows(&other);
        assert_eq!(seen.len(), 3000);
        assert_eq!(seen[14].1, "changed");
        assert_eq!(seen[15].1, body);
    }
}
