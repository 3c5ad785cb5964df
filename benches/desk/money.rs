//! The money figures: a durable payment commit against one fsync, and the
//! settlement of a shift among millions of payments.

use super::*;

pub fn bench_payment_commit(quick: bool) {
    use counterdesk::desk::money::{BillPayment, TenderInput};
    use counterdesk::domain::money::{CustomerClass, Fen, Method};
    use std::io::Write;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let db = dir.join("payments.db");
    for ext in ["", "-wal", "-shm", ".lock", ".seal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    // BENCH_COMMITS=N takes more samples of each (interleaved) in one run.
    let n = std::env::var("BENCH_COMMITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 20 } else { 300 });
    // One fsync of a small write, in the same folder (same disk).
    let probe = dir.join("fsync.probe");
    let mut file = std::fs::File::create(&probe).expect("probe");
    let mut fsyncs = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        file.write_all(b"0123456789abcdef").expect("write");
        file.sync_all().expect("sync");
        fsyncs.push(t.elapsed());
    }
    // Two counters on the same disk, paying alternately with the fsync
    // probe so all three meet the same noise: one writes the standalone
    // outbox record with every payment (as a counter does), the other is
    // in practice mode (audit only, no outbox record: the write without
    // the upload's share).
    let db_plain = dir.join("payments-no-outbox.db");
    for ext in ["", "-wal", "-shm", ".lock", ".seal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db_plain.display()));
    }
    let mut desk = open_desk(&db);
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&session, "1000").expect("shift");
    // A third counter whose SQLite writes its log frame by frame, as
    // without the store's one-write layer.
    let db_frames = dir.join("payments-frame-by-frame.db");
    for ext in ["", "-wal", "-shm", ".lock", ".seal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db_frames.display()));
    }
    std::env::set_var(counterdesk::store::one_write::SWITCH, "per-frame");
    let mut by_frame = open_desk(&db_frames);
    std::env::remove_var(counterdesk::store::one_write::SWITCH);
    let frame_session = by_frame.sign_in("1001", "counter1001").expect("sign in");
    by_frame.start_shift(&frame_session, "1000").expect("shift");
    let mut plain = open_desk(&db_plain);
    plain.set_training(true);
    let plain_session = plain.sign_in("1001", "counter1001").expect("sign in");
    plain.start_shift(&plain_session, "1000").expect("shift");
    let due = chrono::Local::now().date_naive();
    let bill_of = |i: usize| BillPayment {
        account_no: format!("05910{i:06}"),
        period: "2026-10".into(),
        arrears: Fen(12850),
        due_date: due,
        class: CustomerClass::Residential,
        tenders: vec![TenderInput {
            method: Method::Cash,
            amount: Fen(20000),
            reference: None,
        }],
        keep_excess_as_prepaid: false,
        quoted: None,
    };
    // The first payments on a fresh database grow the write-ahead log (a
    // file append costs the disk more than an overwrite); after the first
    // automatic checkpoint the log is reused in place, as it is all day at
    // the counter. Both phases are reported; the target is the steady one.
    let warm_up = if quick { 10 } else { 250 };
    let mut growing = Vec::new();
    let mut commits = Vec::new();
    let mut without_outbox = Vec::new();
    let mut per_frame = Vec::new();
    let mut probe_file = std::fs::OpenOptions::new()
        .write(true)
        .open(&probe)
        .expect("probe");
    let mut fsyncs_mixed = Vec::new();
    // How many log frames one payment writes, read off the growing log
    // (a commit that a checkpoint followed shrinks nothing: the log is
    // reused in place, never truncated).
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    let wal_len = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let mut frames_per_payment = Vec::new();
    let mut log_writes = 0;
    for i in 0..warm_up + n {
        let writes_before = counterdesk::store::one_write::log_writes();
        let before = wal_len();
        let t = Instant::now();
        desk.pay_bill(&session, &bill_of(i)).expect("pay");
        let with = t.elapsed();
        let after = wal_len();
        if after > before {
            frames_per_payment.push((after - before) / FRAME);
        }
        let writes = counterdesk::store::one_write::log_writes() - writes_before;
        let t = Instant::now();
        plain.pay_bill(&plain_session, &bill_of(i)).expect("pay");
        let without = t.elapsed();
        let t = Instant::now();
        by_frame.pay_bill(&frame_session, &bill_of(i)).expect("pay");
        let frame_by_frame = t.elapsed();
        if i < warm_up {
            growing.push(with);
        } else {
            log_writes += writes;
            commits.push(with);
            without_outbox.push(without);
            per_frame.push(frame_by_frame);
            let t = Instant::now();
            probe_file.write_all(b"0123456789abcdef").expect("write");
            probe_file.sync_all().expect("sync");
            fsyncs_mixed.push(t.elapsed());
        }
    }
    fsyncs.extend(fsyncs_mixed);
    // The disk's share alone: the same number of frames written in place
    // and synced as the log does, with no SQL and no hashing. What no work
    // on the CPU side can go below on this disk.
    frames_per_payment.sort_unstable();
    let frames = frames_per_payment
        .get(frames_per_payment.len() / 2)
        .copied()
        .unwrap_or(12)
        .max(1);
    let frames_probe = dir.join("frames.probe");
    let mut file = std::fs::File::create(&frames_probe).expect("frames probe");
    // In one write, as the store's layer hands a commit to the file.
    let commit = vec![7u8; (FRAME * frames) as usize];
    let mut frames_alone = Vec::new();
    for _ in 0..n {
        use std::io::Seek;
        file.seek(std::io::SeekFrom::Start(0)).expect("seek");
        let t = Instant::now();
        file.write_all(&commit).expect("write");
        file.sync_data().expect("sync");
        frames_alone.push(t.elapsed());
    }
    // The same payments on a memory file system (where an fsync costs
    // nothing) show the CPU side of the commit.
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        for (name, practice, rating) in [
            ("the same commit in memory (CPU side)", false, true),
            ("... in memory without the rating asked", false, false),
            ("... in memory without the outbox record", true, false),
        ] {
            let mem_db = shm.join(format!(
                "counterdesk-bench-{}-{practice}-{rating}.db",
                std::process::id()
            ));
            let mut cfg = config(&mem_db);
            cfg.display.enabled = rating;
            let mut desk = open_desk_with(cfg);
            desk.set_training(practice);
            let session = desk.sign_in("1001", "counter1001").expect("sign in");
            desk.start_shift(&session, "1000").expect("shift");
            let mut cpu = Vec::new();
            for i in 0..n {
                let t = Instant::now();
                desk.pay_bill(&session, &bill_of(i)).expect("pay");
                cpu.push(t.elapsed());
            }
            drop(desk);
            for ext in ["", "-wal", "-shm", ".lock", ".log", ".seal"] {
                let _ = std::fs::remove_file(format!("{}{ext}", mem_db.display()));
            }
            report(name, cpu, "diagnostic");
        }
    }
    fsyncs.sort();
    commits.sort();
    without_outbox.sort();
    let f = percentile(&fsyncs, 0.5);
    let c = percentile(&commits, 0.5);
    let w = percentile(&without_outbox, 0.5);
    report("fsync of a small write (same disk)", fsyncs, "reference");
    frames_alone.sort();
    let floor = percentile(&frames_alone, 0.5);
    report(
        &format!("{frames} log frames in one write + sync"),
        frames_alone,
        "disk floor",
    );
    report(
        "payment commit, fresh db (log growing)",
        growing,
        "diagnostic",
    );
    report(
        "durable cash payment commit (pay_bill)",
        commits,
        "<= 1.5x one fsync",
    );
    report(
        "the same commit without the outbox record",
        without_outbox,
        "comparison",
    );
    per_frame.sort();
    let by_frame_median = percentile(&per_frame, 0.5);
    report(
        "the same commit, log written frame by frame",
        per_frame,
        "comparison",
    );
    println!(
        "{:<44} {:.2}x",
        "payment commit / fsync (medians)",
        c.as_secs_f64() / f.as_secs_f64().max(1e-9)
    );
    println!(
        "{:<44} {:.2}x",
        "without the outbox record / fsync (medians)",
        w.as_secs_f64() / f.as_secs_f64().max(1e-9)
    );
    println!(
        "{:<44} {:.2}x",
        "frame by frame / fsync (medians)",
        by_frame_median.as_secs_f64() / f.as_secs_f64().max(1e-9)
    );
    println!(
        "{:<44} {:.2}x",
        "the payment's frames alone / fsync (medians)",
        floor.as_secs_f64() / f.as_secs_f64().max(1e-9)
    );
    // SQLite writes a frame in two system calls; the store hands each
    // commit's frames to the file at once (checkpoints add their own).
    println!(
        "{:<44} {:.2} (of {frames} frames)",
        "writes to the log per payment",
        log_writes as f64 / n.max(1) as f64
    );
}

/// One write-ahead log frame: its 24-byte header and a 4 KB page.
const FRAME: u64 = 4096 + 24;

/// Fills a database with `total` bill payments in closed shifts of
/// `per_shift` payments each (fixture data written straight in SQL, fast),
/// once; later runs reuse it.
fn prepare_payments(total: i64, per_shift: i64) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let db = dir.join(format!("payments-{total}.db"));
    if !fresh_fixture(&db, total) {
        return db;
    }
    drop(open_desk(&db)); // schema and demo clerks
    let start = Instant::now();
    fill_payments(&db, total, per_shift);
    println!(
        "{:<44} {total} payments in {:.1} s",
        "fixture: payments for the settlement",
        start.elapsed().as_secs_f64()
    );
    db
}

/// Whether the payments fixture at `db` must be made again: it does not
/// hold exactly `total` of the fixture's own payments (the bench's real
/// closes add some of theirs). When it must, the old files are gone.
pub fn fresh_fixture(db: &Path, total: i64) -> bool {
    let have = rusqlite::Connection::open(db)
        .and_then(|c| {
            c.query_row(
                "SELECT count(*) FROM payment WHERE receipt_no LIKE 'RB-%'",
                [],
                |r| r.get::<_, i64>(0),
            )
        })
        .unwrap_or(0);
    if have == total {
        return false;
    }
    for ext in ["", "-wal", "-shm", ".lock", ".seal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    true
}

/// Adds `total` bill payments in closed shifts of `per_shift` each to the
/// database at `db` (fixture data written straight in SQL, fast).
pub fn fill_payments(db: &Path, total: i64, per_shift: i64) {
    let mut c = rusqlite::Connection::open(db).expect("db");
    // Fixture speed: no log, no syncs, a large cache; the file is thrown
    // away and rebuilt if anything goes wrong.
    c.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000;",
    )
    .expect("pragmas");
    let tx = c.transaction().expect("tx");
    {
        let clerk: i64 = tx
            .query_row("SELECT id FROM clerk WHERE staff_no = '1002'", [], |r| {
                r.get(0)
            })
            .expect("clerk");
        let mut shift = tx
            .prepare("INSERT INTO shift (clerk_id, window, float_fen, opened_at) VALUES (?1, '1', 100000, ?2)")
            .expect("shift");
        let mut pay = tx
            .prepare(
                "INSERT INTO payment (receipt_no, shift_id, clerk_id, kind, account_no, period, due_fen, change_fen, paid_at)
                 VALUES (?1, ?2, ?3, 'bill', ?4, '2026-10', ?5, ?6, ?7)",
            )
            .expect("payment");
        let mut tender = tx
            .prepare(
                "INSERT INTO payment_tender (payment_id, seq, method, applied_fen, tendered_fen, reference)
                 VALUES (?1, 1, ?2, ?3, ?4, ?5)",
            )
            .expect("tender");
        let mut close = tx
            .prepare("UPDATE shift SET status = 'closed', closed_at = opened_at, settlement = '[]' WHERE id = ?1")
            .expect("close");
        let base = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").expect("t");
        let mut shift_id = 0;
        for i in 0..total {
            let at = (base + chrono::Duration::seconds(i * 10))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            if i % per_shift == 0 {
                // One open shift per clerk: close the last before the next.
                close.execute([shift_id]).expect("close");
                shift
                    .execute(rusqlite::params![clerk, at])
                    .expect("shift row");
                shift_id = tx.last_insert_rowid();
            }
            let due = 5_000 + (i * 7919) % 50_000;
            let cash = i % 3 != 0;
            let tendered = if cash {
                (due / 10_000 + 1) * 10_000
            } else {
                due
            };
            pay.execute(rusqlite::params![
                format!("RB-{:08}", i + 1),
                shift_id,
                clerk,
                format!("{:010}", i),
                due,
                tendered - due,
                at
            ])
            .expect("payment row");
            let id = tx.last_insert_rowid();
            tender
                .execute(rusqlite::params![
                    id,
                    if cash { "cash" } else { "card" },
                    due,
                    tendered,
                    (!cash).then(|| format!("POS{i}"))
                ])
                .expect("tender row");
        }
        close.execute([shift_id]).expect("close the last");
    }
    tx.commit().expect("commit");
    // Back to the workstation's journal for those who open it next.
    c.execute_batch("PRAGMA journal_mode = WAL;").expect("wal");
}

/// The settlement of one shift of 2,000 payments among millions: what the
/// books expect per method (summed in SQL) reconciled against a count, and
/// every receipt with its state for the report.
pub fn bench_settlement(quick: bool) {
    use counterdesk::domain::money::{reconcile, Counted};
    let total = if quick { 20_000 } else { 5_000_000 };
    let per_shift = 2_000;
    let db = prepare_payments(total, per_shift);
    let mut desk = open_desk(&db);
    let shifts = total / per_shift;
    let mut rng = fastrand::Rng::with_seed(5);
    let mut samples = Vec::new();
    for _ in 0..if quick { 5 } else { 60 } {
        let id = rng.i64(1..=shifts);
        let t = Instant::now();
        let shift = desk.read().shift(id).expect("shift").expect("exists");
        let totals = desk.shift_totals(&shift).expect("totals");
        let lines = reconcile(&totals, &Counted::default());
        let receipts = desk.read().shift_receipts(id).expect("receipts");
        samples.push(t.elapsed());
        assert_eq!(receipts.len() as i64, per_shift);
        assert!(!lines.is_empty());
    }
    report(
        &format!("settlement, 2,000 of {total} payments"),
        samples,
        "< 50 ms",
    );
    // The real close, commit included: a clerk takes 2,000 payments through
    // the desk, then closes blind with the right count; timed from the
    // count handed in to the frozen shift and its receipt list.
    let mut closes = Vec::new();
    let run = chrono::Utc::now().timestamp();
    let clerks: &[(&str, &str)] = if quick {
        &[("1001", "counter1001")]
    } else {
        &[
            ("1001", "counter1001"),
            ("2001", "manager2001"),
            ("3001", "trainer3001"),
        ]
    };
    for (k, (staff, password)) in clerks.iter().enumerate() {
        use counterdesk::desk::money::{BillPayment, Close, TenderInput};
        use counterdesk::domain::money::{CustomerClass, Fen, Method};
        let session = desk.sign_in(staff, password).expect("sign in");
        if desk.read().open_shift(&session).expect("shift").is_none() {
            desk.start_shift(&session, "1000").expect("open");
        }
        let today = chrono::Local::now().date_naive();
        let n = if quick { 50 } else { per_shift };
        for i in 0..n {
            desk.pay_bill(
                &session,
                &BillPayment {
                    account_no: format!("9{run}{k}{i:05}"),
                    period: "2026-10".into(),
                    arrears: Fen(12850),
                    due_date: today,
                    class: CustomerClass::Residential,
                    tenders: vec![TenderInput {
                        method: Method::Cash,
                        amount: Fen(20000),
                        reference: None,
                    }],
                    keep_excess_as_prepaid: false,
                    quoted: None,
                },
            )
            .expect("pay");
        }
        let shift = desk.read().open_shift(&session).expect("q").expect("open");
        let totals = desk.shift_totals(&shift).expect("totals");
        let counted = Counted {
            cash: counterdesk::domain::money::expected_cash(&totals),
            by_method: Default::default(),
        };
        let t = Instant::now();
        let closed = desk.close_shift(&session, &counted, None).expect("close");
        let receipts = desk.read().shift_receipts(shift.id).expect("receipts");
        closes.push(t.elapsed());
        assert!(matches!(closed, Close::Closed(_)), "{closed:?}");
        assert_eq!(receipts.len() as i64, n);
    }
    report(
        &format!(
            "close of a {}-payment shift among {total}",
            if quick { 50 } else { per_shift }
        ),
        closes,
        "< 50 ms",
    );
}
