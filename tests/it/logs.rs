//! The workstation's log: rotated by size with a configured number of old
//! files kept. (Every log line of the whole suite is checked for personal
//! data by `scripts/check-logs.sh`, which the test command runs after it.)

use crate::common::term::Term;

#[test]
fn the_log_is_rotated_by_size_keeping_the_configured_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let log = dir.path().join("c.db.log");
    let conf = dir.path().join("c.toml");
    std::fs::write(&conf, "log_max_mb = 1\nlog_keep = 2\n").unwrap();
    // A log past its size and two old ones already there.
    std::fs::write(&log, "x".repeat(1_200_000)).unwrap();
    std::fs::write(dir.path().join("c.db.log.1"), "older\n").unwrap();
    std::fs::write(dir.path().join("c.db.log.2"), "oldest\n").unwrap();
    let (db_arg, conf_arg, log_arg) = (
        db.to_string_lossy().into_owned(),
        conf.to_string_lossy().into_owned(),
        log.to_string_lossy().into_owned(),
    );
    let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_counterdesk"));
    for a in ["--lang", "zh", "--config", &conf_arg, "--db", &db_arg] {
        cmd.arg(a);
    }
    cmd.env("COUNTERDESK_LOG", &log_arg);
    let mut t = Term::spawn(cmd);
    t.wait_for("柜员登录");
    t.send("1001\r");
    t.send("counter1001\r");
    t.wait_for("欢迎");
    t.send("\x11");
    let _ = t.child.wait();
    let now = std::fs::read_to_string(&log).unwrap();
    assert!(now.contains("workstation started"), "{now}");
    assert!(now.len() < 100_000, "the new log starts small");
    // The full one is now .1, the older .2; the oldest is gone (keep 2).
    let one = std::fs::read_to_string(dir.path().join("c.db.log.1")).unwrap();
    assert!(one.starts_with("xxxx") && one.len() == 1_200_000);
    let two = std::fs::read_to_string(dir.path().join("c.db.log.2")).unwrap();
    assert_eq!(two, "older\n");
    assert!(!dir.path().join("c.db.log.3").exists());
    // No personal data: the sign-in is logged by staff number, never the password.
    assert!(!now.contains("counter1001"), "{now}");
}
