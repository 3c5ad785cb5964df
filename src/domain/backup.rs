//! Backups of the counter's database: how one is named, which are kept
//! (the newest of each of the last days, weeks and months), when the daily
//! one is due, and how old the last good one is.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime};

/// Every backup's file name starts so; the time it was taken follows.
const PREFIX: &str = "counterdesk-";
/// The file name's time, local: sorts as it reads.
const STAMP: &str = "%Y%m%d-%H%M%S";

/// The stamp's length: `20261207-123000`.
const STAMP_LEN: usize = 15;

/// A backup's file name: the counter it is of (several counters may share
/// one backup folder, a hall's network disk) and the local time it was
/// taken. Characters a file name should not hold are left out of the ID.
pub fn file_name(counter: &str, taken: NaiveDateTime) -> String {
    let counter: String = counter
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    format!("{PREFIX}{counter}-{}.db", taken.format(STAMP))
}

/// The counter and the time of a backup file of that name; `None` for any
/// other file.
pub fn parse_name(file_name: &str) -> Option<(String, NaiveDateTime)> {
    let rest = file_name.strip_prefix(PREFIX)?.strip_suffix(".db")?;
    let cut = rest.len().checked_sub(STAMP_LEN)?;
    let (head, stamp) = (rest.get(..cut)?, rest.get(cut..)?);
    let counter = head.strip_suffix('-')?;
    if counter.is_empty() {
        return None;
    }
    let taken = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
    Some((counter.to_string(), taken))
}

/// Backups dated further ahead than this are taken to come from a wrong
/// clock (or another PC): never counted as the last good one, never named
/// after, never rotated away.
pub fn from_the_future(taken: NaiveDateTime, now: NaiveDateTime) -> bool {
    taken > now + Duration::minutes(5)
}

/// The file beside a backup naming its sha256, as `sha256sum` writes it.
pub fn checksum_name(file_name: &str) -> String {
    format!("{file_name}.sha256")
}

/// The checksum file's text (`sha256sum -c` reads it).
pub fn checksum_text(sha256: &str, file_name: &str) -> String {
    format!("{sha256}  {file_name}\n")
}

/// The sha256 a checksum file names, if it is one.
pub fn checksum_of(text: &str) -> Option<&str> {
    let hash = text.split_whitespace().next()?;
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hash)
}

/// How many backups are kept: the newest of each of the last `daily`
/// days that have one, of each of the last `weekly` weeks and of each of
/// the last `monthly` months. The newest of all is always kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    pub daily: u32,
    pub weekly: u32,
    pub monthly: u32,
}

/// The backups (by the time each was taken) that `rotation` keeps.
pub fn kept(taken: &[NaiveDateTime], rotation: Rotation) -> BTreeSet<NaiveDateTime> {
    let mut newest_first: Vec<NaiveDateTime> = taken.to_vec();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    newest_first.dedup();
    let mut keep = BTreeSet::new();
    if let Some(newest) = newest_first.first() {
        keep.insert(*newest);
    }
    let day = |t: &NaiveDateTime| (t.year(), t.ordinal());
    let week = |t: &NaiveDateTime| {
        let w = t.iso_week();
        (w.year(), w.week())
    };
    let month = |t: &NaiveDateTime| (t.year(), t.month());
    keep_newest_per(&newest_first, rotation.daily, day, &mut keep);
    keep_newest_per(&newest_first, rotation.weekly, week, &mut keep);
    keep_newest_per(&newest_first, rotation.monthly, month, &mut keep);
    keep
}

/// Walks newest first and keeps the first backup of each new period, up
/// to `count` periods.
fn keep_newest_per<K: PartialEq>(
    newest_first: &[NaiveDateTime],
    count: u32,
    period: impl Fn(&NaiveDateTime) -> K,
    keep: &mut BTreeSet<NaiveDateTime>,
) {
    let mut last: Option<K> = None;
    let mut periods = 0;
    for t in newest_first {
        if periods >= count {
            break;
        }
        let p = period(t);
        if last.as_ref() != Some(&p) {
            keep.insert(*t);
            periods += 1;
            last = Some(p);
        }
    }
}

/// Whether the daily backup is due at `now`: its time today has passed
/// and no good backup was taken since (a workstation that was off at the
/// time takes it at its first start after).
pub fn daily_due(at: NaiveTime, last_good: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    let today = now.date().and_time(at);
    let slot = if now >= today {
        today
    } else {
        today - Duration::days(1)
    };
    last_good.is_none_or(|t| t < slot)
}

/// How the last good backup stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    /// None was ever taken into the backup folder.
    Never,
    /// Taken this many minutes ago, within a day.
    Fresh(i64),
    /// Older than a day: someone must look.
    Stale(i64),
}

/// The age of a backup taken at `taken`, at `now` (local times).
pub fn age(taken: Option<NaiveDateTime>, now: NaiveDateTime) -> Age {
    match taken {
        None => Age::Never,
        Some(t) => {
            let minutes = (now - t).num_minutes().max(0);
            if minutes > 24 * 60 {
                Age::Stale(minutes)
            } else {
                Age::Fresh(minutes)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn names_read_back_and_others_are_not_backups() {
        let t = at(2026, 12, 7, 18);
        assert_eq!(
            file_name("CD-77684497", t),
            "counterdesk-CD-77684497-20261207-180000.db"
        );
        assert_eq!(
            parse_name(&file_name("CD-77684497", t)),
            Some(("CD-77684497".to_string(), t))
        );
        assert_eq!(
            file_name("CD/../x y", t),
            "counterdesk-CDxy-20261207-180000.db"
        );
        for other in [
            "counterdesk-CD-1-20261207-180000.db.sha256",
            "counterdesk-20261207-180000.db",
            "counterdesk-2026.db",
            "notes.db",
            "counterdesk-CD-1-20261307-180000.db",
            "counterdesk--20261207-180000.db",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
        assert!(from_the_future(at(2026, 12, 8, 9), at(2026, 12, 7, 18)));
        assert!(!from_the_future(at(2026, 12, 7, 18), at(2026, 12, 7, 18)));
        let text = checksum_text(&"ab".repeat(32), "x.db");
        assert_eq!(checksum_of(&text), Some("ab".repeat(32).as_str()));
        assert_eq!(checksum_of("nothing here"), None);
    }

    #[test]
    fn rotation_keeps_the_newest_of_each_day_week_and_month() {
        // Two backups a day (the daily one and a shift close) for 100 days.
        let mut taken = Vec::new();
        let start = at(2026, 9, 1, 12);
        for d in 0..100 {
            taken.push(start + Duration::days(d));
            taken.push(start + Duration::days(d) + Duration::hours(6));
        }
        let r = Rotation {
            daily: 7,
            weekly: 4,
            monthly: 12,
        };
        let keep = kept(&taken, r);
        let newest = *taken.iter().max().unwrap();
        assert!(keep.contains(&newest));
        // The last 7 days' evening backups, never their noon ones.
        for d in 0..7 {
            let evening = newest - Duration::days(d);
            assert!(keep.contains(&evening), "{evening}");
            assert!(!keep.contains(&(evening - Duration::hours(6))));
        }
        // Four months touched (Sept to Dec), each with its newest.
        let months: BTreeSet<_> = keep.iter().map(|t| t.month()).collect();
        assert_eq!(months, [9, 10, 11, 12].into_iter().collect());
        assert!(keep.contains(&at(2026, 9, 30, 18)));
        // 7 days + up to 4 weeks + 4 months, overlapping: far fewer than 200.
        assert!(keep.len() <= 15, "{}", keep.len());
        // Nothing kept that was not taken.
        assert!(keep.iter().all(|t| taken.contains(t)));
    }

    #[test]
    fn rotation_of_zero_keeps_the_newest_only() {
        let taken = [at(2026, 12, 1, 9), at(2026, 12, 2, 9)];
        let none = Rotation {
            daily: 0,
            weekly: 0,
            monthly: 0,
        };
        assert_eq!(
            kept(&taken, none).into_iter().collect::<Vec<_>>(),
            [taken[1]]
        );
        assert!(kept(&[], none).is_empty());
    }

    #[test]
    fn the_daily_backup_is_due_once_its_time_has_passed() {
        let six = NaiveTime::from_hms_opt(18, 0, 0).unwrap();
        // Before 18:00 with yesterday's evening backup: not due.
        assert!(!daily_due(
            six,
            Some(at(2026, 12, 6, 19)),
            at(2026, 12, 7, 17)
        ));
        // After 18:00 with only yesterday's: due.
        assert!(daily_due(
            six,
            Some(at(2026, 12, 6, 19)),
            at(2026, 12, 7, 18)
        ));
        // Taken at 18:00 today: not due again.
        assert!(!daily_due(
            six,
            Some(at(2026, 12, 7, 18)),
            at(2026, 12, 7, 23)
        ));
        // Off yesterday evening, started this morning: yesterday's is due.
        assert!(daily_due(six, Some(at(2026, 12, 6, 9)), at(2026, 12, 7, 8)));
        // Never one: due.
        assert!(daily_due(six, None, at(2026, 12, 7, 8)));
    }

    #[test]
    fn age_turns_stale_past_a_day() {
        let now = at(2026, 12, 7, 12);
        assert_eq!(age(None, now), Age::Never);
        assert_eq!(age(Some(at(2026, 12, 7, 9)), now), Age::Fresh(180));
        assert_eq!(age(Some(at(2026, 12, 6, 12)), now), Age::Fresh(1440));
        assert_eq!(age(Some(at(2026, 12, 6, 11)), now), Age::Stale(1500));
    }
}
