//! The second-generation ID card reader through a stand-in of the
//! vendor's SDT library (a small C file compiled by the test with the same
//! C interface): a card laid on it fills the look-up as if typed and goes
//! on the customer's file with its validity; an unknown holder starts a
//! registration with the card's name and address; no card, a port that
//! does not open and a card read only in part are said, nothing is lost.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use counterdesk::domain::id_card::encode;
use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;

use crate::common::{self, keys, screen, sign_in, Scratch};

/// How the stand-in behaves.
#[derive(Clone, Copy)]
enum Mode {
    /// A card lies on the reader.
    Card,
    /// The reader is empty.
    NoCard,
    /// The port does not open.
    PortClosed,
    /// The card's text comes back cut short.
    CutShort,
}

/// Compiles the stand-in library for `card` and `mode`; its path.
fn stand_in(dir: &Path, card: &[&str; 9], mode: Mode) -> PathBuf {
    let bytes = encode(card);
    let array: Vec<String> = bytes.iter().map(|b| b.to_string()).collect();
    let mode = match mode {
        Mode::Card => 0,
        Mode::NoCard => 1,
        Mode::PortClosed => 2,
        Mode::CutShort => 3,
    };
    let src = format!(
        r#"#include <string.h>
static const unsigned char CARD[256] = {{{}}};
int SDT_OpenPort(int port) {{ return {mode} == 2 ? 0x01 : 0x90; }}
int SDT_ClosePort(int port) {{ return 0x90; }}
int SDT_StartFindIDCard(int port, unsigned char *mana, int open) {{ return {mode} == 1 ? 0x80 : 0x9f; }}
int SDT_SelectIDCard(int port, unsigned char *mana, int open) {{ return 0x90; }}
int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *text_len,
                    unsigned char *photo, unsigned int *photo_len, int open) {{
    memcpy(text, CARD, 256);
    *text_len = {mode} == 3 ? 100 : 256;
    *photo_len = 0;
    return 0x90;
}}
"#,
        array.join(",")
    );
    let c = dir.join(format!("sdtapi{mode}.c"));
    std::fs::write(&c, src).unwrap();
    let so = dir.join(format!("libsdtapi{mode}.so"));
    let out = std::process::Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&so)
        .arg(&c)
        .output()
        .expect("a C compiler (the Rust toolchain's linker)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    so
}

const WANG: [&str; 9] = [
    "王秀英",
    "2",
    "01",
    "19491231",
    "北京市朝阳区人民路1号",
    "11010519491231002X",
    "北京市公安局朝阳分局",
    "20161201",
    "20361201",
];

fn app_with_reader(s: &Scratch, library: &Path) -> App {
    let mut cfg = common::config();
    cfg.id_reader.library = library.to_path_buf();
    cfg.id_reader.poll_ms = 50;
    let mut desk = common::desk_with_config(&s.db(), common::clock(), cfg);
    desk.start_reader();
    App::new(desk, Lang::Zh)
}

/// Ticks the app until the screen shows `want`.
fn tick_until(a: &mut App, want: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        a.tick();
        let text = screen(a);
        if text.contains(want) {
            return text;
        }
        assert!(Instant::now() < deadline, "never showed {want}:\n{text}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_card_on_the_reader_fills_the_look_up_and_its_validity_goes_on_file() {
    let s = Scratch::new();
    // A holder nobody registered: the registration starts from the card.
    let lib = stand_in(s.path(), &WANG, Mode::Card);
    let mut a = app_with_reader(&s, &lib);
    sign_in(&mut a, "1001", "counter1001");
    let text = tick_until(&mut a, "北京市朝阳区人民路1号");
    assert!(
        text.contains("王秀英") && text.contains("11010519491231002X"),
        "{text}"
    );
    // The phone is asked; name and address came from the card.
    keys(&mut a, "13800138000<Enter><Enter>");
    assert!(screen(&a).contains("客户已登记"), "{}", screen(&a));
    drop(a);
    // Laid on the reader again: found, and the ID card on file.
    let mut a = app_with_reader(&s, &lib);
    sign_in(&mut a, "1001", "counter1001");
    let text = tick_until(&mut a, "已从读卡器读取身份证：王秀英，有效期至 2036-12-01");
    assert!(text.contains("档案材料"), "{text}");
    assert!(
        text.contains("居民身份证：有效期至 2036-12-01，2026-11-24 收于 身份证读卡器"),
        "{text}"
    );
    let c = rusqlite::Connection::open(s.db()).unwrap();
    let (source, until, authority): (String, String, String) = c
        .query_row(
            "SELECT source, valid_until, authority FROM material_file",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (source.as_str(), until.as_str(), authority.as_str()),
        ("reader", "2036-12-01", "北京市公安局朝阳分局")
    );
    // The card lying there is read once, not at every poll.
    for _ in 0..10 {
        a.tick();
        std::thread::sleep(Duration::from_millis(30));
    }
    let n: i64 = c
        .query_row("SELECT count(*) FROM material_file", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    // The checklist of a new application takes the ID card from the file.
    keys(
        &mut a,
        "<F3>验表<Enter>0591000777<Enter><Enter><Enter>电量偏高<Enter><F10>",
    );
    assert!(
        screen(&a).contains("已在档（2026-11-24 收于 身份证读卡器）"),
        "{}",
        screen(&a)
    );
}

#[test]
fn no_card_a_closed_port_and_a_card_read_in_part_are_said_and_typing_still_works() {
    let s = Scratch::new();
    // No card: nothing happens, and the ID can be typed as ever.
    let lib = stand_in(s.path(), &WANG, Mode::NoCard);
    let mut a = app_with_reader(&s, &lib);
    sign_in(&mut a, "1001", "counter1001");
    for _ in 0..10 {
        a.tick();
        std::thread::sleep(Duration::from_millis(30));
    }
    keys(&mut a, "11010519491231002X<Enter>");
    assert!(
        screen(&a).contains("未找到该客户，请登记"),
        "{}",
        screen(&a)
    );
    drop(a);
    let lib = stand_in(s.path(), &WANG, Mode::PortClosed);
    let mut a = app_with_reader(&s, &lib);
    sign_in(&mut a, "1001", "counter1001");
    tick_until(&mut a, "身份证读卡器端口 1001 打不开（返回 0x01）");
    drop(a);
    let lib = stand_in(s.path(), &WANG, Mode::CutShort);
    let mut a = app_with_reader(&s, &lib);
    sign_in(&mut a, "1001", "counter1001");
    keys(&mut a, "1101");
    tick_until(&mut a, "身份证信息读取不完整");
    assert!(
        screen(&a).contains("1101"),
        "the typing stays: {}",
        screen(&a)
    );
    drop(a);
    // A library that is not there: said once, the counter works on.
    let mut a = app_with_reader(&s, &s.path().join("missing.so"));
    sign_in(&mut a, "1001", "counter1001");
    tick_until(&mut a, "无法加载");
}
