//! Shared test helpers: a desk on a temporary database with a fixed clock,
//! key scripts for the App, and plain-text screen dumps.
#![allow(dead_code)]

pub mod bills;
pub mod browser;
pub mod cli;
pub mod hq;
pub mod lab;
pub mod pdf;
pub mod slips;
pub mod term;

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use counterdesk::clock::Clock;
use counterdesk::config::{self, Config};
use counterdesk::desk::Desk;
use counterdesk::domain::msg::Lang;
use counterdesk::store::Store;
use counterdesk::tui::App;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

/// Screen size every snapshot uses.
pub const WIDTH: u16 = 100;
/// Screen height every snapshot uses.
pub const HEIGHT: u16 = 30;

/// 2026-11-24 10:00 in Beijing.
pub fn clock() -> Clock {
    Clock::fixed(
        Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0)
            .single()
            .expect("time"),
    )
}

/// The embedded default configuration.
pub fn config() -> Config {
    config::defaults().expect("defaults")
}

/// A temporary folder that lives as long as the test.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("counterdesk.db")
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A desk on `db` with demo clerks and the shipped forms.
pub fn desk_at(db: &Path, clock: Clock) -> Desk {
    desk_with_config(db, clock, config())
}

/// Where every log line the suite writes goes: the test command then
/// checks all of it for personal data (`scripts/check-logs.sh`).
pub fn log_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-logs")
}

static LOGS: std::sync::Once = std::sync::Once::new();

/// Sends this test process's own log lines, at every level, to a file in
/// [`log_dir`] (once; the desks the tests open then log as the workstation
/// does).
pub fn capture_logs() {
    LOGS.call_once(|| {
        let dir = log_dir();
        std::fs::create_dir_all(&dir).expect("test log folder");
        let file = std::fs::File::create(dir.join(format!("it-{}.log", std::process::id())))
            .expect("test log");
        let _ = tracing_subscriber::fmt()
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .with_max_level(tracing::Level::TRACE)
            .try_init();
    });
}

/// A log file of its own in [`log_dir`] for a binary a test starts.
pub fn log_file_for_binary() -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = log_dir();
    std::fs::create_dir_all(&dir).expect("test log folder");
    dir.join(format!("bin-{}-{n}.log", std::process::id()))
}

/// A desk on `db` with the given configuration.
pub fn desk_with_config(db: &Path, clock: Clock, config: Config) -> Desk {
    capture_logs();
    let forms = counterdesk::load::startup::load_forms(&Config {
        forms_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/forms")),
        ..config.clone()
    })
    .expect("forms");
    let calendar = counterdesk::load::calendar::load_dir(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/forms/calendar"
    )))
    .expect("calendar");
    let store = Store::open(db, clock).expect("store");
    Desk::new(store, config, forms, calendar).expect("desk")
}

/// An app on a fresh database.
pub fn app(scratch: &Scratch, lang: Lang) -> App {
    App::new(desk_at(&scratch.db(), clock()), lang)
}

/// Sends a key script: plain characters, and <Enter>, <Esc>, <Tab>,
/// <BackTab>, <F1>..<F12>, <Up>, <Down>, <Left>, <Right>, <Backspace>,
/// <C-q> style control keys.
pub fn keys(app: &mut App, script: &str) {
    for key in counterdesk::tui::key_script::parse(script) {
        app.handle_key(&key);
    }
}

/// Draws the app on a TestBackend and returns the screen as text, wide
/// characters kept whole, trailing spaces trimmed, the clock masked.
pub fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    terminal.draw(|f| app.draw(f)).expect("draw");
    dump(terminal.backend().buffer())
}

/// Text of a buffer.
pub fn dump(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for row in buffer.content.chunks(buffer.area.width as usize) {
        let mut line = String::new();
        let mut skip = 0usize;
        for cell in row {
            if skip == 0 {
                line.push_str(cell.symbol());
            }
            skip = std::cmp::max(skip, cell.symbol().width()).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    mask_clock(&out)
}

fn mask_clock(s: &str) -> String {
    let re_len = "2026-11-24 10:00".len();
    let mut out = String::new();
    for line in s.lines() {
        let mut l = line.to_string();
        if let Some(pos) = find_timestamp(&l) {
            l.replace_range(pos..pos + re_len, "[date time]     ");
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn find_timestamp(l: &str) -> Option<usize> {
    let b = l.as_bytes();
    (0..b.len().saturating_sub(15)).find(|&i| {
        let s = &b[i..i + 16];
        s[4] == b'-'
            && s[7] == b'-'
            && s[10] == b' '
            && s[13] == b':'
            && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
                .iter()
                .all(|&j| s[j].is_ascii_digit())
    })
}

/// Signs in as a demo clerk.
pub fn sign_in(app: &mut App, staff_no: &str, password: &str) {
    keys(app, &format!("{staff_no}<Enter>{password}<Enter>"));
    assert!(app.session.is_some(), "sign-in failed:\n{}", screen(app));
}

/// Registers 张伟 and accepts a meter verification for him through the
/// desk, every item ticked and every material received; returns the
/// ticket. Its fee (验表费) follows the approved price list.
pub fn accept_meter_verification(desk: &mut Desk, session: &counterdesk::desk::Session) -> String {
    let zhang = counterdesk::desk::customers::NewCustomer {
        id_input: "11010519491231002X".into(),
        name: "张伟".into(),
        name_latin: String::new(),
        phone: "13800138000".into(),
        address: "北京市朝阳区人民路1号".into(),
    };
    accept_meter_verification_of(desk, session, &zhang)
}

/// As [`accept_meter_verification`], for the customer `new` registered first.
pub fn accept_meter_verification_of(
    desk: &mut Desk,
    session: &counterdesk::desk::Session,
    new: &counterdesk::desk::customers::NewCustomer,
) -> String {
    use counterdesk::desk::acceptance::Draft;
    use counterdesk::domain::disclosure;
    let card = desk.register(session, new, None).expect("register");
    let (plan, items) = desk
        .disclosure(&card, "meter_verification", false)
        .expect("plan");
    let now = chrono::Utc::now();
    let draft = Draft {
        customer_id: card.customer.id,
        form_code: "meter_verification".into(),
        fields: std::collections::BTreeMap::from([
            ("account_no".into(), "0591000777".into()),
            ("contact_mobile".into(), "13800138000".into()),
            ("objection".into(), "电量比去年同期高一倍".into()),
        ]),
        via_agent: false,
        ticked: items
            .iter()
            .map(|i| (disclosure::key(i.section, &i.id), now))
            .collect(),
        received: plan.materials.iter().map(|m| m.id.clone()).collect(),
        commitment_signed: false,
        duplicate_reason: None,
        ..Draft::default()
    };
    desk.accept(session, &card, &draft)
        .expect("accept")
        .application
        .ticket_no
}

/// A PDF's text as pdftotext (poppler-utils) reads it, the layout kept.
pub fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// On the customers screen: registers 吴强 and accepts his complaint about
/// a meter reader's conduct; returns the ticket (the acceptance's last
/// screen is left open).
pub fn accept_complaint(a: &mut App) -> String {
    keys(
        a,
        "110101198512030072<Enter>吴强<Enter>13699887766<Enter>北京市东城区东四十条22号<Enter>",
    );
    keys(
        a,
        "<F3>ts<Enter><Enter>1101000099321<Enter>1<Enter>2026-11-28<Enter>家中<Enter>抄表员上门时态度恶劣<Enter>要求道歉<Enter><Backspace>2<Enter>     <F10>",
    );
    screen(a)
        .split("受理编号 ")
        .nth(1)
        .and_then(|r| r.split('。').next())
        .expect("accepted")
        .to_string()
}

/// `n` cash bill payments by clerk 1001 (a shift opened if need be),
/// accounts `0591<from…>`: one outbox record each, with amounts.
pub fn pay_bills(desk: &mut Desk, from: usize, n: usize) {
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    if desk.read().open_shift(&session).ok().flatten().is_none() {
        desk.start_shift(&session, "1000").expect("shift");
    }
    let due = chrono::Local::now().date_naive();
    for i in from..from + n {
        let bill = counterdesk::desk::money::BillPayment {
            account_no: format!("0591{i:07}"),
            period: "2026-10".into(),
            arrears: counterdesk::domain::money::Fen(10_000 + i as i64),
            due_date: due,
            class: counterdesk::domain::money::CustomerClass::Residential,
            tenders: vec![counterdesk::desk::money::TenderInput {
                method: counterdesk::domain::money::Method::Cash,
                amount: counterdesk::domain::money::Fen(20_000 + i as i64),
                reference: None,
            }],
            keep_excess_as_prepaid: false,
            quoted: None,
        };
        desk.pay_bill(&session, &bill).expect("pay");
    }
}

/// On the disclosure checklist: ticks every section from the top, signs
/// the commitment letter if one is needed, and accepts.
pub fn tick_all_and_accept(a: &mut App) {
    for _ in 0..60 {
        keys(a, "<Up>");
    }
    keys(a, "      <F10>");
    if !screen(a).contains("已受理") {
        keys(a, "c<F10>");
    }
    assert!(screen(a).contains("已受理"), "{}", screen(a));
}
