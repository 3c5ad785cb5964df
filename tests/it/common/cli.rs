//! The built binary run on a scratch database, as scripts run it: no
//! language, configuration or password from the caller's environment
//! unless a test gives one.

use std::process::{Command, Output};

use super::Scratch;

pub fn run(s: &Scratch, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_counterdesk"));
    c.arg("--db").arg(s.db()).args(args);
    c.env("HOME", s.path());
    for var in [
        "COUNTERDESK_LANG",
        "COUNTERDESK_CONFIG",
        "COUNTERDESK_PASSWORD",
        "COUNTERDESK_MANAGER_PASSWORD",
        "COUNTERDESK_NEW_PASSWORD",
    ] {
        c.env_remove(var);
    }
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in env {
        c.env(k, v);
    }
    // `output` gives the child no standard input, as in a nightly job.
    c.output().expect("run")
}

/// Standard output then standard error.
pub fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The hall's set-up step: the database created as the workstation's
/// first start creates it (no other command creates one).
pub fn init(s: &Scratch) {
    let o = run(s, &["init"], &[]);
    assert!(o.status.success(), "init: {}", out(&o));
}
