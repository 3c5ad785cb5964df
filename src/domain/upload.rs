//! Upload records and the wire between a counter and HQ: identity, the hash
//! chain, the per-day digest and the answers HQ gives. Pure: no IO.
//!
//! A record's identity is (counter, epoch, seq). Its payload is canonical
//! JSON bytes fixed at enqueue; HQ hashes exactly those bytes, so the two
//! sides never disagree over how a number or a date was rendered.

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// The payload layout version written today.
pub const SCHEMA: i64 = 1;

/// The chain value before the first record of an epoch.
pub const CHAIN_GENESIS: &str = crate::domain::audit::GENESIS;

pub use super::hex::{hex, sha256_hex};

/// The chain value of record `seq` with payload hash `sha256`, chained on
/// the previous record's chain value.
pub fn chain_next(prev: &str, seq: i64, sha256: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(seq.to_be_bytes());
    h.update(sha256.as_bytes());
    hex(&h.finalize())
}

/// An order-independent sum over payload hashes: the first eight bytes of
/// each sha256 added as a wrapping u64. Equal sets give equal sums whatever
/// order they were read in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HashSum(pub u64);

impl HashSum {
    /// Adds one payload hash (hex); a malformed hash adds nothing.
    pub fn add(&mut self, sha256: &str) {
        if let Some(v) = sha256
            .get(..16)
            .and_then(|h| u64::from_str_radix(h, 16).ok())
        {
            self.0 = self.0.wrapping_add(v);
        }
    }

    /// As 16 hex digits.
    pub fn to_hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// A list of content-addressed objects (scans) by their sha256: what a
/// counter asks HQ about, and the part of it HQ lacks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objects {
    pub sha256: Vec<String>,
}

/// Count, sequence range, amount sum and hash sum over a set of records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// How many records.
    pub count: i64,
    /// Lowest sequence (0 when empty).
    pub first_seq: i64,
    /// Highest sequence (0 when empty).
    pub last_seq: i64,
    /// Sum of the records' amounts, in fen.
    pub amount_fen: i64,
    /// Order-independent hash sum, hex.
    pub hash_sum: String,
}

/// The digest of a set of records, built one record at a time.
#[derive(Debug, Clone, Default)]
pub struct DigestBuilder {
    count: i64,
    first: Option<i64>,
    last: i64,
    amount: i64,
    sum: HashSum,
}

impl DigestBuilder {
    /// Adds one record.
    pub fn add(&mut self, seq: i64, amount_fen: i64, sha256: &str) {
        self.count += 1;
        self.first = Some(self.first.map_or(seq, |f| f.min(seq)));
        self.last = self.last.max(seq);
        self.amount += amount_fen;
        self.sum.add(sha256);
    }

    /// The digest so far.
    pub fn finish(&self) -> Digest {
        Digest {
            count: self.count,
            first_seq: self.first.unwrap_or(0),
            last_seq: self.last,
            amount_fen: self.amount,
            hash_sum: self.sum.to_hex(),
        }
    }
}

fn one() -> i64 {
    1
}

/// One record on the wire. `payload` is the canonical JSON as a string, so
/// HQ can hash the exact bytes the counter hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireRecord {
    /// Sequence within the epoch, from 1 with no gaps.
    pub seq: i64,
    /// The business day (YYYY-MM-DD, the hall's local date).
    pub day: String,
    /// Amount moved, in fen (0 for records that move no money).
    pub amount_fen: i64,
    /// sha256 of the payload bytes, hex.
    pub sha256: String,
    /// Chain value after this record.
    pub chain: String,
    /// The canonical payload.
    pub payload: String,
}

/// A batch: contiguous records of one counter and epoch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The counter's ID.
    pub counter: String,
    /// The counter's epoch.
    pub epoch: i64,
    /// Chain value before the first record (the previous record's chain).
    pub prev_chain: String,
    /// The epoch's first sequence (a new epoch after a restore goes on
    /// from where the restored file ended).
    #[serde(default = "one")]
    pub epoch_first: i64,
    /// The records, in sequence order with no gaps.
    pub records: Vec<WireRecord>,
    /// Records the counter still has waiting, this batch included.
    pub waiting: i64,
    /// When the oldest waiting record was written (RFC 3339), if any.
    pub oldest_waiting_at: Option<String>,
    /// The counter's clock when it sent the batch (RFC 3339).
    pub sent_at: String,
}

/// HQ's verdict on one record it stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    /// Stored and taken into HQ's business tables.
    Accepted,
    /// Stored, but HQ cannot use it (unknown form version, malformed): the
    /// counter quarantines it and keeps sending the rest.
    Rejected {
        /// Why, in words for the duty manager.
        reason: String,
    },
}

/// The verdict for one sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordVerdict {
    /// The record's sequence.
    pub seq: i64,
    /// What HQ decided.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// HQ's acknowledgement of a committed batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    /// Whose records these are.
    pub counter: String,
    /// Which epoch.
    pub epoch: i64,
    /// The highest sequence HQ holds for this counter and epoch.
    pub through: i64,
    /// One verdict per record of the batch, stored or replayed.
    pub verdicts: Vec<RecordVerdict>,
    /// HQ's clock (RFC 3339).
    pub hq_time: String,
}

/// Why HQ refused a whole batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "refused")]
pub enum Refusal {
    /// The batch does not start where HQ's records end: send from `expected`.
    Gap {
        /// The sequence HQ expects next.
        expected: i64,
    },
    /// HQ holds another record under the same identity: an alarm is raised.
    Fork {
        /// The first sequence that differs.
        seq: i64,
    },
    /// The counter's clock is too far from HQ's.
    Clock {
        /// HQ's clock (RFC 3339).
        hq_time: String,
        /// How far apart, in seconds (counter minus HQ).
        skew_seconds: i64,
    },
    /// The batch itself cannot be read.
    Malformed {
        /// What is wrong.
        detail: String,
    },
    /// The token is missing, wrong or expired.
    Token,
}

/// What the counter does with a batch's outcome, checked against what it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AckCheck {
    /// The acknowledgement is for this batch: mark through `through`.
    Good,
    /// The acknowledgement names another counter or epoch: nothing is marked.
    Foreign {
        /// The counter it names.
        counter: String,
        /// The epoch it names.
        epoch: i64,
    },
    /// HQ acknowledged less than the batch, or verdicts for records not sent.
    Short,
}

/// Checks that `ack` answers `batch`.
pub fn check_ack(batch: &Batch, ack: &Ack) -> AckCheck {
    if ack.counter != batch.counter || ack.epoch != batch.epoch {
        return AckCheck::Foreign {
            counter: ack.counter.clone(),
            epoch: ack.epoch,
        };
    }
    let last = batch.records.last().map_or(0, |r| r.seq);
    let first = batch.records.first().map_or(0, |r| r.seq);
    let verdicts_fit = ack.verdicts.iter().all(|v| v.seq >= first && v.seq <= last);
    if ack.through < last || !verdicts_fit {
        return AckCheck::Short;
    }
    AckCheck::Good
}

/// One item HQ publishes for counters, with HQ's own sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    /// HQ's sequence for the feed, increasing.
    pub hq_seq: i64,
    /// What it is.
    #[serde(flatten)]
    pub data: FeedData,
}

/// The kinds of data HQ publishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FeedData {
    /// An account with its holder and state.
    Account {
        account_no: String,
        /// Holder's name.
        holder_name: String,
        /// Holder's ID number (resident ID or credit code).
        holder_id: String,
        /// Supply address.
        #[serde(default)]
        address: String,
        /// "normal", "cut_off" (for arrears), "closed"...
        state: String,
    },
    /// A bill of the day's list.
    Bill {
        account_no: String,
        /// Billing period YYYY-MM.
        period: String,
        /// Holder's name.
        holder_name: String,
        /// "residential", "commercial", "industrial"...
        class: String,
        arrears_fen: i64,
        /// Due date YYYY-MM-DD.
        due_date: String,
    },
    /// A clerk on HQ's list, and the hall they work at.
    Clerk {
        staff_no: String,
        name: String,
        /// Role, in HQ's words.
        role: String,
        hall: String,
    },
    /// A service grid: its customer manager and the streets it covers.
    Grid {
        /// Grid code.
        grid: String,
        /// Grid name.
        name: String,
        /// The grid's customer manager.
        manager: String,
        /// The manager's phone.
        phone: String,
        /// Street names an address is matched against.
        streets: Vec<String>,
    },
    /// A case HQ sends down for this hall (accepted by the hotline, online
    /// or at another hall), for the hall's queue.
    Case {
        ticket: String,
        /// The customer's name.
        holder_name: String,
        /// The customer's ID number.
        holder_id: String,
        /// Business type (form code).
        form: String,
        /// The current step's name.
        step: String,
        /// Its due date YYYY-MM-DD, when it has one.
        #[serde(default)]
        due_date: Option<String>,
        /// The owner's staff number, when the hall has one.
        #[serde(default)]
        owner: String,
        /// Still open (false: closed, it leaves the queue).
        open: bool,
    },
    /// A case step recorded by the back office.
    CaseStep {
        /// The acceptance ticket.
        ticket: String,
        /// Step code.
        step: String,
        /// "done", "in_progress"...
        state: String,
        /// When (RFC 3339).
        at: String,
        /// Back-office note.
        #[serde(default)]
        note: String,
    },
}

/// A page of the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feed {
    /// Items after the counter's high-water mark, in order.
    pub items: Vec<FeedItem>,
    /// HQ's newest sequence (more may follow when `items` was cut short).
    pub last: i64,
}

/// HQ's summary of one counter's day, for `sync --check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySummary {
    /// The counter's epoch.
    pub epoch: i64,
    /// The business day.
    pub day: String,
    /// What HQ holds for it.
    pub digest: Digest,
}

/// Where a counter's and HQ's view of a day differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayDifference {
    /// Both hold the same records.
    Agree,
    /// Only the counter has records for the day.
    MissingAtHq,
    /// Only HQ has records for the day.
    MissingAtCounter,
    /// Both have records but they differ.
    Differ,
}

/// Compares two digests of the same day.
pub fn compare(counter: Option<&Digest>, hq: Option<&Digest>) -> DayDifference {
    match (counter, hq) {
        (Some(c), Some(h)) if c == h => DayDifference::Agree,
        (Some(_), Some(_)) => DayDifference::Differ,
        (Some(c), None) if c.count > 0 => DayDifference::MissingAtHq,
        (None, Some(h)) if h.count > 0 => DayDifference::MissingAtCounter,
        _ => DayDifference::Agree,
    }
}

/// Splits `lo..=hi` in two halves for narrowing a mismatch.
pub fn halves(lo: i64, hi: i64) -> Option<((i64, i64), (i64, i64))> {
    (hi > lo).then(|| {
        let mid = lo + (hi - lo) / 2;
        ((lo, mid), (mid + 1, hi))
    })
}

/// Inclusive sequence ranges.
pub type Ranges = Vec<(i64, i64)>;

/// Splits differing sequence ranges into those still unexplained and those
/// inside a loss this counter acknowledged (`losses`: inclusive ranges of
/// the same epoch, records HQ may hold that the file never will again).
pub fn set_aside(ranges: &[(i64, i64)], losses: &[(i64, i64)]) -> (Ranges, Ranges) {
    let mut open = Vec::new();
    let mut known = Vec::new();
    for &(lo, hi) in ranges {
        let mut left = vec![(lo, hi)];
        for &(from, to) in losses {
            let mut next = Vec::new();
            for (a, b) in left {
                let (x, y) = (a.max(from), b.min(to));
                if x > y {
                    next.push((a, b));
                    continue;
                }
                known.push((x, y));
                if a < x {
                    next.push((a, x - 1));
                }
                if y < b {
                    next.push((y + 1, b));
                }
            }
            left = next;
        }
        open.extend(left);
    }
    open.sort_unstable();
    known.sort_unstable();
    (open, known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_lies_inside_an_acknowledged_loss_is_set_aside() {
        // Wholly inside.
        assert_eq!(set_aside(&[(5, 9)], &[(3, 12)]), (vec![], vec![(5, 9)]));
        // Across both ends: the outer parts stay unexplained.
        assert_eq!(
            set_aside(&[(1, 20)], &[(5, 9)]),
            (vec![(1, 4), (10, 20)], vec![(5, 9)])
        );
        // Two losses inside one range, and a range no loss touches.
        assert_eq!(
            set_aside(&[(1, 10), (30, 31)], &[(2, 3), (6, 7)]),
            (
                vec![(1, 1), (4, 5), (8, 10), (30, 31)],
                vec![(2, 3), (6, 7)]
            )
        );
        // No loss: nothing set aside.
        assert_eq!(set_aside(&[(4, 4)], &[]), (vec![(4, 4)], vec![]));
    }

    #[test]
    fn hash_sum_is_order_independent() {
        let a = sha256_hex(b"a");
        let b = sha256_hex(b"b");
        let mut x = HashSum::default();
        x.add(&a);
        x.add(&b);
        let mut y = HashSum::default();
        y.add(&b);
        y.add(&a);
        assert_eq!(x, y);
        let mut z = HashSum::default();
        z.add(&a);
        assert_ne!(x, z);
    }

    #[test]
    fn chain_depends_on_order_and_sequence() {
        let h = sha256_hex(b"x");
        let one = chain_next(CHAIN_GENESIS, 1, &h);
        assert_ne!(one, chain_next(CHAIN_GENESIS, 2, &h));
        assert_ne!(chain_next(&one, 2, &h), chain_next(CHAIN_GENESIS, 2, &h));
    }

    #[test]
    fn a_foreign_or_short_ack_is_caught() {
        let batch = Batch {
            counter: "C1".into(),
            epoch: 7,
            prev_chain: CHAIN_GENESIS.into(),
            epoch_first: 1,
            records: vec![WireRecord {
                seq: 1,
                day: "2026-11-30".into(),
                amount_fen: 0,
                sha256: "00".into(),
                chain: "00".into(),
                payload: "{}".into(),
            }],
            waiting: 1,
            oldest_waiting_at: None,
            sent_at: String::new(),
        };
        let mut ack = Ack {
            counter: "C1".into(),
            epoch: 7,
            through: 1,
            verdicts: vec![],
            hq_time: String::new(),
        };
        assert_eq!(check_ack(&batch, &ack), AckCheck::Good);
        ack.through = 0;
        assert_eq!(check_ack(&batch, &ack), AckCheck::Short);
        ack.through = 1;
        ack.counter = "C2".into();
        assert!(matches!(check_ack(&batch, &ack), AckCheck::Foreign { .. }));
    }

    #[test]
    fn halves_cover_the_range() {
        assert_eq!(halves(1, 10), Some(((1, 5), (6, 10))));
        assert_eq!(halves(4, 4), None);
    }
}
