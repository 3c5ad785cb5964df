//! The number a slip is printed under. A receipt, a refund and a ticket are
//! numbered by their own records; a reversal slip takes its receipt's
//! number with `-REV`, a settlement report `SETTLE-` and its shift. One
//! type writes and reads them, so a reprint finds what was printed.

use std::fmt;

const REVERSAL_SUFFIX: &str = "-REV";
const SETTLEMENT_PREFIX: &str = "SETTLE-";

/// A slip's number, by what it tells of the slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlipNumber {
    /// A reversal slip: the number of the receipt it reverses.
    Reversal(String),
    /// A shift's settlement report: the shift.
    Settlement(i64),
    /// A receipt, a refund or a ticket: only their records tell them apart.
    Record(String),
}

impl SlipNumber {
    /// Reads a number as typed (spaces around it dropped).
    pub fn parse(typed: &str) -> SlipNumber {
        let n = typed.trim();
        if let Some(shift) = n
            .strip_prefix(SETTLEMENT_PREFIX)
            .and_then(|s| s.parse().ok())
        {
            return SlipNumber::Settlement(shift);
        }
        match n.strip_suffix(REVERSAL_SUFFIX) {
            Some(receipt) if !receipt.is_empty() => SlipNumber::Reversal(receipt.to_string()),
            _ => SlipNumber::Record(n.to_string()),
        }
    }
}

impl fmt::Display for SlipNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlipNumber::Reversal(receipt) => write!(f, "{receipt}{REVERSAL_SUFFIX}"),
            SlipNumber::Settlement(shift) => write!(f, "{SETTLEMENT_PREFIX}{shift}"),
            SlipNumber::Record(n) => f.write_str(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_and_read_back_alike() {
        for n in [
            SlipNumber::Reversal("R1-00000007".into()),
            SlipNumber::Settlement(12),
            SlipNumber::Record("T1-00000002".into()),
            SlipNumber::Record("SL20261124-1-0001".into()),
        ] {
            assert_eq!(SlipNumber::parse(&n.to_string()), n);
        }
        assert_eq!(
            SlipNumber::parse(" R1-00000007-REV "),
            SlipNumber::Reversal("R1-00000007".into())
        );
        assert_eq!(
            SlipNumber::parse("SETTLE-x"),
            SlipNumber::Record("SETTLE-x".into())
        );
        assert_eq!(SlipNumber::parse("-REV"), SlipNumber::Record("-REV".into()));
    }
}
