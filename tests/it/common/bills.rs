//! Helpers for the bill-list tests: the binary run on a scratch database,
//! files written, rows counted, and a good bill list.

use std::path::{Path, PathBuf};
use std::process::Output;

use rusqlite::Connection;

use super::Scratch;

pub use super::cli::run;

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn all(o: &Output) -> String {
    format!("{}{}", stdout(o), String::from_utf8_lossy(&o.stderr))
}

pub fn write(s: &Scratch, name: &str, text: &str) -> PathBuf {
    let p = s.path().join(name);
    std::fs::write(&p, text).expect("write");
    p
}

pub fn count(s: &Scratch, sql: &str) -> i64 {
    Connection::open(s.db())
        .expect("db")
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

pub fn import(s: &Scratch, file: &Path, extra: &[&str]) -> Output {
    let path = file.to_string_lossy().into_owned();
    let mut args = vec!["import", "bills", path.as_str()];
    args.extend_from_slice(extra);
    run(s, &args, &[])
}

pub const HEADER: &str = "account_no,period,arrears,due_date,class\n";

pub const GOOD_CSV: &str = "\u{FEFF}account_no,period,arrears,due_date,class\r\n\
0591000001,2026-10,128.50,2026-11-15,residential\r\n\
0591000002,2026-10,\"1,280.50\",2026-11-15,other\r\n\
0591000003,2026-10,0.35,2026-11-15,residential\r\n";
