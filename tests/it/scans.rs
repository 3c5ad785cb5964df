//! Scans of materials (高拍仪): the newest file of the scanner's folder is
//! shown, then attached to a material received; it is kept once by its
//! sha256 beside the database, listed on the card and the slips, and goes
//! to HQ as one object however many records name it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use counterdesk::config::Config;
use counterdesk::domain::msg::Lang;
use counterdesk::domain::upload::sha256_hex;
use counterdesk::tui::App;

use crate::common::hq::{fresh_store, issue_token, Counter, Hq, Kind};
use crate::common::slips::spooled;
use crate::common::{self, keys, screen, sign_in, tick_all_and_accept, Scratch};

const WANG: &str =
    "11010519491231002X<Enter>王秀英<Enter>13800138000<Enter>北京市朝阳区人民路1号<Enter>";

/// A scanner's PDF: a real header and some body, a few KB.
fn pdf_bytes(seed: u8) -> Vec<u8> {
    let mut b = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    b.extend((0..3000u32).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    b.extend_from_slice(b"\n%%EOF\n");
    b
}

/// Writes a file into the scanner's folder and waits out the settle time.
fn scanned(folder: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    std::fs::create_dir_all(folder).expect("folder");
    let p = folder.join(name);
    std::fs::write(&p, bytes).expect("scan");
    std::thread::sleep(Duration::from_millis(120));
    p
}

fn with_scanner(mut config: Config, folder: &Path) -> Config {
    config.scanner.folder = folder.to_path_buf();
    config.scanner.settle_ms = 50;
    config
}

fn count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).expect("db");
    c.query_row(sql, [], |r| r.get(0)).expect(sql)
}

#[test]
fn a_scan_is_shown_attached_kept_once_listed_and_uploaded_once() {
    let s = Scratch::new();
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-SCAN");
    let hq = Hq::start(&store);
    let mut counter = Counter::new(&s, "C-SCAN", &hq.url(), &token);
    let folder = s.path().join("gaopaiyi");
    counter.config = with_scanner(counter.config.clone(), &folder);
    let mut a = App::new(counter.desk(), Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, WANG);
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>");
    // The ID card (received at the counter): its scan, one PDF of both
    // papers, shown by name, time and size before it is taken.
    let bytes = pdf_bytes(7);
    let source = scanned(&folder, "IMG_0042.pdf", &bytes);
    keys(&mut a, "<Down>i");
    let panel = screen(&a);
    assert!(panel.contains("附扫描件：用电人有效身份证明"), "{panel}");
    assert!(panel.contains("高拍仪最新文件：IMG_0042.pdf"), "{panel}");
    assert!(panel.contains("大小 3 KB"), "{panel}");
    assert!(panel.contains("可以附上"), "{panel}");
    keys(&mut a, "<Enter>");
    let text = screen(&a);
    assert!(
        text.contains("已为“用电人有效身份证明”附上扫描件 IMG_0042.pdf（PDF，3 KB）"),
        "{text}"
    );
    assert!(
        text.contains("已附扫描件 IMG_0042.pdf（PDF，3 KB）"),
        "{text}"
    );
    // The title deed is handed over too, and is on the same scan.
    keys(&mut a, "<Down>ri<Enter>");
    assert!(
        screen(&a).contains("已为“用电地址物权证明"),
        "{}",
        screen(&a)
    );
    tick_all_and_accept(&mut a);
    keys(&mut a, "p");
    let receipt = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("acceptance_receipt"))
        .expect("receipt");
    let sha = sha256_hex(&bytes);
    let receipt_text: String = common::pdf_text(&receipt)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        receipt_text.contains(&format!(
            "用电人有效身份证明（扫描件PDF3KB·{}）",
            &sha[..12]
        )) && receipt_text.contains(&format!("（扫描件PDF3KB·{}）", &sha[..12])),
        "{receipt_text}"
    );
    keys(&mut a, "<Enter>");
    let card = screen(&a);
    assert!(card.contains("〔扫描件 PDF 3 KB〕"), "{card}");

    // Kept once, by its hash, byte for byte, beside the database.
    let db = counter.db.clone();
    assert_eq!(count(&db, "SELECT count(*) FROM scan"), 1);
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM material_file WHERE scan_sha256 = '{sha}'")
        ),
        2,
        "two materials name the one scan"
    );
    let kept = s.path().join("scans").join(&sha[..2]).join(&sha);
    assert_eq!(std::fs::read(&kept).expect("kept"), bytes);
    assert_eq!(std::fs::read(&source).expect("source"), bytes);

    // A clearer copy of the ID card scanned later goes on the case: the
    // progress slip lists it.
    let letter = pdf_bytes(99);
    scanned(&folder, "IMG_0043.pdf", &letter);
    keys(&mut a, "<F4>i");
    assert!(screen(&a).contains(" 1 "), "{}", screen(&a));
    keys(&mut a, "1");
    assert!(
        screen(&a).contains("高拍仪最新文件：IMG_0043.pdf"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<Enter>");
    assert!(
        screen(&a).contains("附上扫描件 IMG_0043.pdf"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "p");
    let progress = spooled(&s)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("progress_slip"))
        .expect("progress slip");
    // Lines wrap where they will: compared without the breaks.
    let progress_text: String = common::pdf_text(&progress)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let letter_sha = sha256_hex(&letter);
    assert!(
        progress_text.contains(&format!(
            "用电人有效身份证明（扫描件PDF3KB·{}）",
            &letter_sha[..12]
        )),
        "the case's newest scan is on the progress slip:\n{progress_text}"
    );
    drop(a);

    // Up to HQ: the records, then the two objects they name, each once.
    let first = counter.run(&["sync"]);
    let said = String::from_utf8_lossy(&first.stdout).to_string();
    assert!(first.status.success(), "{said}");
    assert!(said.contains("Sent 2 scans"), "{said}");
    let hq_db = rusqlite::Connection::open(&store).expect("hq db");
    let held: Vec<(String, Vec<u8>)> = hq_db
        .prepare("SELECT sha256, data FROM object ORDER BY received_at, sha256")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("objects")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(held.len(), 2, "two scans");
    let deed_scan = held.iter().find(|(h, _)| *h == sha).expect("held");
    assert_eq!(deed_scan.1, bytes, "HQ holds the same bytes");
    // HQ's records name the hash the object is kept under.
    let naming: i64 = hq_db
        .query_row(
            "SELECT count(*) FROM record WHERE kind LIKE 'material%' AND payload LIKE ?1",
            [format!("%{sha}%")],
            |r| r.get(0),
        )
        .expect("records");
    assert!(naming >= 2, "records naming the scan: {naming}");
    let again = counter.run(&["sync"]);
    let said = String::from_utf8_lossy(&again.stdout).to_string();
    assert!(again.status.success(), "{said}");
    assert!(!said.contains("scans"), "nothing sent twice: {said}");
    assert_eq!(
        count(&db, "SELECT count(*) FROM scan WHERE sent_at IS NULL"),
        0
    );
    // The folder checks out.
    let v = counter.run(&["verify"]);
    let said = String::from_utf8_lossy(&v.stdout).to_string();
    assert!(v.status.success(), "{said}");
    assert!(said.contains("Scans: all 2 files are there"), "{said}");
    // A scan file changed behind the program's back is found.
    std::fs::write(&kept, b"%PDF-1.4 something else").expect("tamper");
    let v = counter.run(&["verify"]);
    assert!(!v.status.success());
    assert!(
        String::from_utf8_lossy(&v.stdout).contains(&sha),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
}

#[test]
fn a_bad_scanner_folder_or_file_is_said_and_nothing_typed_is_lost() {
    let s = Scratch::new();
    let folder = s.path().join("gaopaiyi");
    let mut config = with_scanner(common::config(), &folder);
    config.scanner.max_mb = 1;
    config.scanner.types = vec!["pdf".into(), "jpeg".into()];
    let desk = common::desk_with_config(&s.db(), common::clock(), config);
    let mut a = App::new(desk, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, WANG);
    keys(&mut a, "<F3>jmxz<Enter><Enter><Enter>8<Enter><F10>");
    keys(&mut a, "<Down>i");
    assert!(screen(&a).contains("高拍仪文件夹"), "{}", screen(&a));
    assert!(screen(&a).contains("不存在"), "{}", screen(&a));
    // Enter looks again: the folder is there now, but empty.
    std::fs::create_dir_all(&folder).expect("folder");
    keys(&mut a, "<Enter>");
    assert!(screen(&a).contains("里还没有文件"), "{}", screen(&a));
    // Another kind of file, whatever its name says.
    scanned(&folder, "photo.pdf", b"\x89PNG\r\n\x1a\n0000000000");
    keys(&mut a, "<Enter>");
    assert!(screen(&a).contains("不是可接收的扫描件"), "{}", screen(&a));
    assert!(screen(&a).contains("PDF/JPEG"), "{}", screen(&a));
    // Over the limit.
    let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0];
    big.resize(1024 * 1024 + 10, 7);
    scanned(&folder, "big.jpg", &big);
    keys(&mut a, "<Enter>");
    assert!(screen(&a).contains("超过上限 1.0 MB"), "{}", screen(&a));
    // A file the scanner is still writing: the panel waits for it.
    drop(a);
    let mut config = with_scanner(common::config(), &folder);
    config.scanner.settle_ms = 1500;
    let desk = common::desk_with_config(&s.db(), common::clock(), config);
    let mut a = App::new(desk, Lang::Zh);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "11010519491231002X<Enter><F3>jmxz<Enter>");
    assert!(
        screen(&a).contains("草稿"),
        "the draft is resumed: {}",
        screen(&a)
    );
    keys(&mut a, "<F10>");
    std::fs::write(
        folder.join("IMG_0050.jpg"),
        [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
    )
    .expect("scan");
    keys(&mut a, "<Down>i");
    assert!(
        screen(&a).contains("正在等待文件大小稳定"),
        "{}",
        screen(&a)
    );
    keys(&mut a, "<Enter>");
    assert!(
        screen(&a).contains("仍在写入文件 IMG_0050.jpg"),
        "{}",
        screen(&a)
    );
    assert_eq!(
        count(&s.db(), "SELECT count(*) FROM scan"),
        0,
        "nothing taken"
    );
    std::thread::sleep(Duration::from_millis(1600));
    a.tick();
    assert!(screen(&a).contains("可以附上"), "{}", screen(&a));
    keys(&mut a, "<Enter>");
    assert!(
        screen(&a).contains("附上扫描件 IMG_0050.jpg（JPEG"),
        "{}",
        screen(&a)
    );
    // The checklist as it was: the fields and the materials kept.
    assert!(screen(&a).contains("已附扫描件"), "{}", screen(&a));
    assert_eq!(count(&s.db(), "SELECT count(*) FROM scan"), 1);
}

/// HQ's object API on both stores: it says what it lacks, keeps each
/// object once whoever sends it, and takes nothing whose bytes do not hash
/// to its name.
#[test]
fn hq_keeps_each_object_once_and_checks_its_hash() {
    for kind in crate::common::hq::BOTH {
        let s = Scratch::new();
        let store = fresh_store(kind, &s);
        let token = issue_token(&store, "C-OBJ");
        let hq = Hq::start(&store);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let bearer = format!("Bearer {token}");
        let bytes = pdf_bytes(3);
        let sha = sha256_hex(&bytes);
        let other = "0".repeat(64);
        let missing = |agent: &ureq::Agent| -> serde_json::Value {
            let body = serde_json::json!({"sha256": [sha, other]}).to_string();
            let mut r = agent
                .post(&format!("{}/v1/objects/missing", hq.url()))
                .header("Authorization", &bearer)
                .header("Content-Type", "application/json")
                .send(body.as_bytes())
                .expect("missing");
            assert_eq!(r.status().as_u16(), 200, "{kind:?}");
            serde_json::from_str(&r.body_mut().read_to_string().expect("body")).expect("json")
        };
        assert_eq!(missing(&agent)["sha256"].as_array().expect("list").len(), 2);
        let put = |name: &str, body: &[u8]| -> u16 {
            agent
                .put(&format!("{}/v1/objects/{name}", hq.url()))
                .header("Authorization", &bearer)
                .header("Content-Type", "application/pdf")
                .send(body)
                .expect("put")
                .status()
                .as_u16()
        };
        assert_eq!(put(&sha, &bytes), 201, "{kind:?}: new");
        assert_eq!(put(&sha, &bytes), 200, "{kind:?}: held already, kept once");
        assert_eq!(put(&other, &bytes), 422, "{kind:?}: bytes of another hash");
        assert_eq!(put("..%2F..%2Fetc", &bytes), 400, "{kind:?}: not a hash");
        let left = missing(&agent);
        assert_eq!(left["sha256"], serde_json::json!([other]), "{kind:?}");
        // Without the token, nothing.
        let r = agent
            .put(&format!("{}/v1/objects/{sha}", hq.url()))
            .send(&bytes[..])
            .expect("put");
        assert_eq!(r.status().as_u16(), 401, "{kind:?}");
        let mut totals = counterdesk::hq::open(&store).expect("store");
        assert_eq!(
            totals.object_totals().expect("totals"),
            (1, bytes.len() as i64),
            "{kind:?}"
        );
    }
}
