//! Materials on file: a customer with 50 materials among the prepared
//! customers — the look-up that loads the card with its file, and the key
//! that opens the disclosure checklist judging each material against it.

use std::path::Path;
use std::time::{Duration, Instant};

use counterdesk::domain::msg::Lang;
use counterdesk::tui::App;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use crate::{key, open_desk, report};

/// Gives each customer of `ids` 50 materials on file (once: a rerun finds
/// them there), the ID card among them valid.
fn file_materials(db: &Path, ids: &[String]) {
    let mut c = rusqlite::Connection::open(db).expect("db");
    let tx = c.transaction().expect("tx");
    for id in ids {
        let cid: i64 = tx
            .query_row("SELECT id FROM customer WHERE id_no = ?1", [id], |r| {
                r.get(0)
            })
            .expect("customer");
        let have: i64 = tx
            .query_row(
                "SELECT count(*) FROM material_file WHERE customer_id = ?1",
                [cid],
                |r| r.get(0),
            )
            .expect("count");
        for n in have..50 {
            let (material, keep, until) = match n % 5 {
                0 => ("applicant_id", "until_expiry", Some("2036-01-01")),
                1 => ("address_rights", "same_address", None),
                2 => ("agent_authorisation", "this_application", None),
                3 => ("applicant_id", "until_expiry", Some("2020-01-01")),
                _ => ("agent_id", "this_application", None),
            };
            tx.execute(
                "INSERT INTO material_file (customer_id, material_id, name_zh, name_en, keep, valid_until,
                                            address, source, received_by, received_at)
                 VALUES (?1, ?2, '材料', 'material', ?3, ?4, '北京市朝阳区人民路1号', 'SL-BENCH', 1,
                         '2026-01-01T02:00:00.000Z')",
                rusqlite::params![cid, material, keep, until],
            )
            .expect("insert");
        }
    }
    tx.commit().expect("commit");
}

pub fn bench_materials(db: &Path, ids: &[String]) {
    // Customers with an open residential connection meet the duplicate
    // guard instead of the checklist: leave them out.
    let c = rusqlite::Connection::open(db).expect("db");
    let ids: Vec<String> = ids
        .iter()
        .filter(|id| {
            c.query_row(
                "SELECT count(*) FROM application a JOIN customer c ON c.id = a.customer_id
                 WHERE c.id_no = ?1 AND a.form_code = 'lv_residential_new' AND a.status = 'open'",
                [id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n == 0)
            .unwrap_or(false)
        })
        .take(200)
        .cloned()
        .collect();
    drop(c);
    crate::clear_drafts(db);
    file_materials(db, &ids);
    let mut app = App::new(open_desk(db), Lang::Zh);
    crate::sign_in(&mut app);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let mut press = |app: &mut App, k: KeyEvent| {
        let start = Instant::now();
        app.handle_key(&k);
        terminal.draw(|f| app.draw(f)).expect("draw");
        start.elapsed()
    };
    let mut lookups: Vec<Duration> = Vec::new();
    let mut checklists: Vec<Duration> = Vec::new();
    for id in &ids {
        for c in id.chars() {
            press(&mut app, key(KeyCode::Char(c)));
        }
        lookups.push(press(&mut app, key(KeyCode::Enter)));
        for k in [KeyCode::F(3), KeyCode::Char('j'), KeyCode::Char('m')] {
            press(&mut app, key(k));
        }
        for k in [KeyCode::Char('x'), KeyCode::Char('z'), KeyCode::Enter] {
            press(&mut app, key(k));
        }
        for k in [
            KeyCode::Enter,
            KeyCode::Enter,
            KeyCode::Char('8'),
            KeyCode::Enter,
        ] {
            press(&mut app, key(k));
        }
        checklists.push(press(&mut app, key(KeyCode::F(10))));
        for k in [
            KeyCode::Esc,
            KeyCode::Esc,
            KeyCode::Esc,
            KeyCode::Esc,
            KeyCode::F(2),
        ] {
            press(&mut app, key(k));
        }
    }
    report(
        "look-up + card with 50 materials on file",
        lookups,
        "p99 < 4 ms",
    );
    report(
        "F10: checklist judged against the file",
        checklists,
        "p99 < 4 ms",
    );
}
