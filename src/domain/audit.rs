//! The audit chain: each entry's hash covers the previous entry's hash and
//! its own fields, so editing or deleting a row breaks the chain from there.
//! An entry may also bind the business rows its write left (their hashes),
//! so a row changed afterwards no longer matches its entry.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of one audit entry that the hash covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Position in the chain, from 1 with no gaps.
    pub seq: i64,
    /// UTC timestamp as stored.
    pub at: String,
    /// The acting clerk's row id, if any.
    pub clerk_id: Option<i64>,
    pub action: String,
    pub subject: String,
    /// JSON detail as stored.
    pub detail: String,
    /// The business rows the write left, `[[kind, id, sha256], ...]`
    /// (entries written before rows were bound have none).
    pub rows: Option<String>,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The fields of an entry that its hash covers, besides the previous hash.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    /// Position in the chain.
    pub seq: i64,
    /// UTC timestamp as stored.
    pub at: &'a str,
    /// The acting clerk's row id.
    pub clerk_id: Option<i64>,
    pub action: &'a str,
    pub subject: &'a str,
    /// JSON detail.
    pub detail: &'a str,
    /// Bound rows, if any.
    pub rows: Option<&'a str>,
}

impl Entry {
    /// The fields its hash covers.
    pub fn fields(&self) -> Fields<'_> {
        Fields {
            seq: self.seq,
            at: &self.at,
            clerk_id: self.clerk_id,
            action: &self.action,
            subject: &self.subject,
            detail: &self.detail,
            rows: self.rows.as_deref(),
        }
    }
}

/// Hash of an entry chained on `prev_hash`. Fields are length-prefixed so no
/// two different entries can produce the same byte stream; the bound rows
/// join only when present, so entries from before they existed keep their
/// hashes, and clearing an entry's rows breaks it.
pub fn chain_hash(prev_hash: &str, f: Fields) -> String {
    let mut h = Sha256::new();
    let clerk = f.clerk_id.map(|c| c.to_string()).unwrap_or_default();
    let seq = f.seq.to_string();
    let parts = [prev_hash, &seq, f.at, &clerk, f.action, f.subject, f.detail];
    for part in parts.into_iter().chain(f.rows) {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    super::hex::hex(&h.finalize())
}

/// The first place where a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The entry's contents no longer match its hash (edited).
    Edited { seq: i64 },
    /// Entries are missing before `seq` (deleted); `expected` is the missing one.
    Missing { expected: i64, found: i64 },
    /// The entry does not chain onto its predecessor (replaced or re-hashed).
    Unlinked { seq: i64 },
    /// The newest entries were removed: the recorded head is `head`, the log ends at `last`.
    Truncated { last: i64, head: i64 },
}

/// Walks a chain incrementally so huge logs need not be held in memory.
#[derive(Debug, Default)]
pub struct Verifier {
    last_seq: i64,
    last_hash: Option<String>,
    broken: Option<Break>,
}

impl Verifier {
    /// Feeds the next entry in `seq` order; returns false once broken.
    pub fn feed(&mut self, e: &Entry) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let expected = self.last_seq + 1;
        let prev = self.last_hash.as_deref().unwrap_or(GENESIS);
        let recomputed = chain_hash(&e.prev_hash, e.fields());
        self.broken = if e.seq != expected {
            Some(Break::Missing {
                expected,
                found: e.seq,
            })
        } else if recomputed != e.hash {
            Some(Break::Edited { seq: e.seq })
        } else if e.prev_hash != prev {
            Some(Break::Unlinked { seq: e.seq })
        } else {
            None
        };
        self.last_seq = e.seq;
        self.last_hash = Some(e.hash.clone());
        self.broken.is_none()
    }

    /// Ends the walk against the recorded head (`seq`, `hash`).
    pub fn finish(mut self, head: Option<(i64, String)>) -> Result<i64, Break> {
        if let Some(b) = self.broken.take() {
            return Err(b);
        }
        if let Some((head_seq, head_hash)) = head {
            if head_seq > self.last_seq {
                return Err(Break::Truncated {
                    last: self.last_seq,
                    head: head_seq,
                });
            }
            if head_seq == self.last_seq && self.last_hash.as_deref() != Some(head_hash.as_str()) {
                return Err(Break::Edited { seq: head_seq });
            }
        }
        Ok(self.last_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = Entry {
                    seq,
                    at: "t".into(),
                    clerk_id: Some(1),
                    action: "a".into(),
                    subject: "s".into(),
                    detail: "{}".into(),
                    rows: (seq % 2 == 0).then(|| format!("[[\"payment\",{seq},\"h\"]]")),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                let hash = chain_hash(&prev, e.fields());
                e.hash = hash.clone();
                prev = hash;
                e
            })
            .collect()
    }

    fn run(entries: &[Entry], head: Option<(i64, String)>) -> Result<i64, Break> {
        let mut v = Verifier::default();
        for e in entries {
            v.feed(e);
        }
        v.finish(head)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let head = Some((5, c[4].hash.clone()));
        assert_eq!(run(&c, head), Ok(5));
    }

    #[test]
    fn edited_detail_is_named() {
        let mut c = chain(5);
        c[2].detail = "{\"x\":1}".into();
        assert_eq!(run(&c, None), Err(Break::Edited { seq: 3 }));
    }

    #[test]
    fn cleared_or_changed_row_binding_is_named() {
        let mut c = chain(5);
        c[1].rows = None;
        assert_eq!(run(&c, None), Err(Break::Edited { seq: 2 }));
        let mut c = chain(5);
        c[3].rows = Some("[[\"payment\",4,\"forged\"]]".into());
        assert_eq!(run(&c, None), Err(Break::Edited { seq: 4 }));
    }

    #[test]
    fn deleted_middle_row_is_named() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(
            run(&c, None),
            Err(Break::Missing {
                expected: 2,
                found: 3
            })
        );
    }

    #[test]
    fn deleted_newest_row_is_caught_by_head() {
        let c = chain(5);
        let head = Some((5, c[4].hash.clone()));
        assert_eq!(
            run(&c[..4], head),
            Err(Break::Truncated { last: 4, head: 5 })
        );
    }

    #[test]
    fn rehashed_row_breaks_the_link() {
        let mut c = chain(4);
        c[1].detail = "{\"forged\":true}".into();
        c[1].hash = chain_hash(&c[1].prev_hash, c[1].fields());
        assert_eq!(run(&c, None), Err(Break::Unlinked { seq: 3 }));
    }
}
