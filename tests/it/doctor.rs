//! `counterdesk doctor` on a healthy counter (a real HQ on loopback with
//! its token, the CUPS test printer, a backup, next year's holidays) and on
//! each part broken in turn: a line each, the exit code by the worst.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::hq::{fresh_store, issue_token, Hq, Kind};
use crate::common::Scratch;

struct Counter {
    s: Scratch,
    db: PathBuf,
    forms: PathBuf,
    token: PathBuf,
}

impl Counter {
    /// A counter with its database, a backup and a forms folder that has
    /// next year's holiday table.
    fn new() -> Counter {
        let s = Scratch::new();
        let db = s.path().join("counter.db");
        let forms = s.path().join("forms");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("forms"), &forms);
        let cal = forms.join("calendar");
        let last = std::fs::read_dir(&cal)
            .unwrap()
            .filter_map(|e| {
                e.ok()?
                    .file_name()
                    .to_str()?
                    .strip_suffix(".toml")?
                    .parse::<i32>()
                    .ok()
            })
            .max()
            .unwrap();
        let this_year = chrono::Local::now().date_naive().format("%Y").to_string();
        let this_year: i32 = this_year.parse().unwrap();
        for year in last + 1..=this_year + 1 {
            std::fs::write(
                cal.join(format!("{year}.toml")),
                format!(
                    "year = {year}\nsource = {{ title = \"test table\", published = {}-11-01 }}\n\n\
                     [[holidays]]\nname = {{ zh = \"元旦\", en = \"New Year's Day\" }}\n\
                     from = {year}-01-01\nto = {year}-01-01\n",
                    year - 1
                ),
            )
            .unwrap();
        }
        let token = s.path().join("hq.token");
        let c = Counter {
            s,
            db,
            forms,
            token,
        };
        let o = c.run(&c.config(""), &["init"]);
        assert!(o.status.success(), "{}", text(&o));
        let o = c.run(&c.config(""), &["backup"]);
        assert!(o.status.success(), "{}", text(&o));
        c
    }

    /// A configuration file with the forms folder and `extra`.
    fn config(&self, extra: &str) -> PathBuf {
        let path = self.s.path().join("config.toml");
        std::fs::write(
            &path,
            format!("forms_dir = \"{}\"\n{extra}\n", self.forms.display()),
        )
        .unwrap();
        path
    }

    /// On a PC in Beijing time, as a hall's is (a POSIX zone: no zone
    /// files needed).
    fn run(&self, config: &Path, args: &[&str]) -> Output {
        self.run_in(config, args, "CST-8")
    }

    fn run_in(&self, config: &Path, args: &[&str], tz: &str) -> Output {
        Command::new(env!("CARGO_BIN_EXE_counterdesk"))
            .env("HOME", self.s.path())
            .env("TZ", tz)
            .env_remove("COUNTERDESK_HQ_TOKEN")
            .env_remove("COUNTERDESK_CONFIG")
            .arg("--lang")
            .arg("en")
            .arg("--config")
            .arg(config)
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .expect("counterdesk")
    }

    fn doctor(&self, extra: &str) -> (Option<i32>, String) {
        let o = self.run(&self.config(extra), &["doctor"]);
        (o.status.code(), text(&o))
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().filter_map(|e| e.ok()) {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The line that starts with `mark` and holds `words`.
fn has(out: &str, mark: &str, words: &str) -> bool {
    out.lines()
        .any(|l| l.starts_with(mark) && l.contains(words))
}

#[test]
fn a_healthy_counter_is_all_ok_and_each_broken_part_gets_its_line() {
    let c = Counter::new();
    let store = fresh_store(Kind::Sqlite, &c.s);
    std::fs::write(&c.token, issue_token(&store, "CD-DOCTOR")).unwrap();
    let mut hq = Hq::start(&store);
    let hq_conf = format!(
        "[hq]\nurl = \"{}\"\ntoken_file = \"{}\"\nconnect_timeout_seconds = 2\nread_timeout_seconds = 3\n",
        hq.url(),
        c.token.display()
    );
    let printer = "[slips]\nprinter = \"counterdesk-pdf\"\n";
    let healthy = format!("{printer}{hq_conf}");

    let (code, out) = c.doctor(&healthy);
    assert_eq!(code, Some(0), "{out}");
    for words in [
        "Configuration:",
        "Business forms: 18",
        "holiday tables up to",
        "quick check passed",
        "Audit chain:",
        "The database's disk:",
        "Backups: the last good one was taken 0 hours ago",
        "Slip font: the built-in font loads",
        "Printer counterdesk-pdf",
        "the token is accepted",
        "from HQ's",
        "Hall queue: not set",
        "Time zone: Beijing time (UTC+08:00)",
    ] {
        assert!(has(&out, "[ ok ]", words), "{words}: {out}");
    }
    assert!(!out.contains("[warn]") && !out.contains("[FAIL]"), "{out}");

    // The same PC left in UTC (a fresh install): its days are 8 hours off.
    let o = c.run_in(&c.config(&healthy), &["doctor"], "UTC0");
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        has(&out, "[warn]", "this PC is at UTC+00:00")
            && out.contains("8 hours off")
            && out.contains("timedatectl set-timezone Asia/Shanghai"),
        "{out}"
    );

    // A stopped printer.
    let (code, out) = c.doctor(&format!(
        "[slips]\nprinter = \"counterdesk-stopped\"\n{hq_conf}"
    ));
    assert_eq!(code, Some(3), "{out}");
    assert!(
        has(&out, "[FAIL]", "counterdesk-stopped cannot print"),
        "{out}"
    );
    assert!(out.contains("cupsenable counterdesk-stopped"), "{out}");

    // A font file that is not there.
    let (code, out) = c.doctor(&format!(
        "{hq_conf}[slips]\nprinter = \"counterdesk-pdf\"\nfont = \"/nonexistent/font.otf\"\n"
    ));
    assert_eq!(code, Some(3), "{out}");
    assert!(
        has(
            &out,
            "[FAIL]",
            "The slip font /nonexistent/font.otf cannot be used"
        ),
        "{out}"
    );

    // A wrong token, then HQ down.
    std::fs::write(&c.token, "not-the-token").unwrap();
    let (code, out) = c.doctor(&healthy);
    assert_eq!(code, Some(3), "{out}");
    assert!(has(&out, "[FAIL]", "cannot be reached"), "{out}");
    std::fs::write(&c.token, issue_token(&store, "CD-DOCTOR2")).unwrap();
    hq.kill();
    let (code, out) = c.doctor(&healthy);
    assert_eq!(code, Some(3), "{out}");
    assert!(has(&out, "[FAIL]", "cannot be reached"), "{out}");
    assert!(out.contains("Records wait on this PC"), "{out}");
    // Everything else still said, and ok.
    assert!(has(&out, "[ ok ]", "Audit chain:"), "{out}");

    // No HQ at all, no backup yet: things to look at, not failures.
    let (code, out) = c.doctor(&format!(
        "{printer}[backup]\nfolder = \"{}\"\n",
        c.s.path().join("empty-backups").display()
    ));
    assert_eq!(code, Some(1), "{out}");
    assert!(has(&out, "[warn]", "HQ: no address set"), "{out}");
    assert!(has(&out, "[warn]", "there is no good backup"), "{out}");

    // A broken form.
    std::fs::write(c.forms.join("zz_broken.toml"), "code = [\n").unwrap();
    let (code, out) = c.doctor(printer);
    assert_eq!(code, Some(3), "{out}");
    assert!(has(&out, "[FAIL]", "The business forms have"), "{out}");
    std::fs::remove_file(c.forms.join("zz_broken.toml")).unwrap();

    // The audit chain edited.
    rusqlite::Connection::open(&c.db)
        .unwrap()
        .execute(
            "UPDATE audit_log SET detail = '{}' WHERE seq = (SELECT max(seq) FROM audit_log)",
            [],
        )
        .unwrap();
    let (code, out) = c.doctor(printer);
    assert_eq!(code, Some(3), "{out}");
    assert!(
        has(&out, "[FAIL]", "The audit chain breaks at entry"),
        "{out}"
    );

    // No database.
    std::fs::remove_file(&c.db).unwrap();
    let _ = std::fs::remove_file(c.db.with_extension("db.seal"));
    let (code, out) = c.doctor(printer);
    assert_eq!(code, Some(3), "{out}");
    assert!(has(&out, "[FAIL]", "does not exist"), "{out}");
    assert!(out.contains("counterdesk restore"), "{out}");
}

#[test]
fn a_damaged_database_file_is_a_failure_with_what_to_do() {
    let c = Counter::new();
    let mut bytes = std::fs::read(&c.db).unwrap();
    // Page 2 onwards overwritten: the header still says SQLite.
    for b in bytes.iter_mut().skip(4096).take(8192) {
        *b = 0x5a;
    }
    std::fs::write(&c.db, bytes).unwrap();
    let _ = std::fs::remove_file(c.db.with_extension("db-wal"));
    let (code, out) = c.doctor("");
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("[FAIL]"), "{out}");
    assert!(
        out.contains("counterdesk restore") || out.contains("damaged"),
        "{out}"
    );
}
