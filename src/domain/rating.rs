//! The customer's rating of the service at the window (好差评): one per
//! transaction (一次一评), five levels, reasons after a poor one, and the
//! figures a hall reports. Pure: the store keeps these as text codes.

use chrono::{DateTime, Duration, Utc};

/// The five levels of GB/T 39734-2020, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    VerySatisfied,
    Satisfied,
    FairlySatisfied,
    Dissatisfied,
    VeryDissatisfied,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::VerySatisfied,
        Level::Satisfied,
        Level::FairlySatisfied,
        Level::Dissatisfied,
        Level::VeryDissatisfied,
    ];

    /// The code kept in the database, sent to HQ and taken by the API.
    pub fn code(self) -> &'static str {
        match self {
            Level::VerySatisfied => "very_satisfied",
            Level::Satisfied => "satisfied",
            Level::FairlySatisfied => "fairly_satisfied",
            Level::Dissatisfied => "dissatisfied",
            Level::VeryDissatisfied => "very_dissatisfied",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }

    /// 不满意 and worse: a poor rating (差评) that sets a return visit in motion.
    pub fn is_poor(self) -> bool {
        matches!(self, Level::Dissatisfied | Level::VeryDissatisfied)
    }

    /// 基本满意 and better count towards satisfaction.
    pub fn is_satisfied(self) -> bool {
        !self.is_poor()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Level::VerySatisfied => "非常满意",
            Level::Satisfied => "满意",
            Level::FairlySatisfied => "基本满意",
            Level::Dissatisfied => "不满意",
            Level::VeryDissatisfied => "非常不满意",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Level::VerySatisfied => "Very satisfied",
            Level::Satisfied => "Satisfied",
            Level::FairlySatisfied => "Fairly satisfied",
            Level::Dissatisfied => "Dissatisfied",
            Level::VeryDissatisfied => "Very dissatisfied",
        }
    }
}

/// What the customer may add after a poor rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    Slow,
    Attitude,
    ToldToComeBack,
    Unclear,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::Slow,
        Reason::Attitude,
        Reason::ToldToComeBack,
        Reason::Unclear,
        Reason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::Slow => "slow",
            Reason::Attitude => "attitude",
            Reason::ToldToComeBack => "come_back",
            Reason::Unclear => "unclear",
            Reason::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Reason::Slow => "办理慢",
            Reason::Attitude => "服务态度",
            Reason::ToldToComeBack => "让我再跑一趟",
            Reason::Unclear => "没讲清楚",
            Reason::Other => "其他",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Reason::Slow => "Slow",
            Reason::Attitude => "Attitude",
            Reason::ToldToComeBack => "Told to come back",
            Reason::Unclear => "Not explained clearly",
            Reason::Other => "Other",
        }
    }
}

/// The kinds of transaction that end in a rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// An application accepted (its ticket).
    Acceptance,
    /// A payment taken (its receipt).
    Payment,
    /// A refund paid out (its refund slip).
    Refund,
    /// A consultation answered (咨询).
    Consultation,
    /// A complaint or opinion recorded (its ticket).
    Complaint,
}

impl Service {
    pub const ALL: [Service; 5] = [
        Service::Acceptance,
        Service::Payment,
        Service::Refund,
        Service::Consultation,
        Service::Complaint,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Service::Acceptance => "acceptance",
            Service::Payment => "payment",
            Service::Refund => "refund",
            Service::Consultation => "consultation",
            Service::Complaint => "complaint",
        }
    }

    pub fn from_code(code: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Where a transaction's rating stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatingState {
    /// The display asks until then.
    Waiting { until: DateTime<Utc> },
    /// The customer rated.
    Rated {
        level: Level,
        reasons: Vec<Reason>,
        at: DateTime<Utc>,
    },
    /// The time ran out, or the display was gone: counted as not rated so
    /// the rating rate stays honest.
    NotRated { at: DateTime<Utc> },
}

impl RatingState {
    /// The state code kept in the database.
    pub fn code(&self) -> &'static str {
        match self {
            RatingState::Waiting { .. } => "waiting",
            RatingState::Rated { .. } => "rated",
            RatingState::NotRated { .. } => "not_rated",
        }
    }
}

/// Why a rating offered by the display or a rating device is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such transaction on this counter.
    Unknown,
    /// The transaction was rated already (一次一评).
    AlreadyRated,
    /// The time to rate ran out.
    Expired,
    /// A level or reason code not in the list.
    BadLevel,
    /// Reasons go only with a poor rating.
    ReasonsNotAsked,
}

impl Refusal {
    /// Short code for the API's answer.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Unknown => "unknown_transaction",
            Refusal::AlreadyRated => "already_rated",
            Refusal::Expired => "expired",
            Refusal::BadLevel => "bad_level",
            Refusal::ReasonsNotAsked => "reasons_only_after_poor",
        }
    }
}

/// A level and reasons as the API receives them, checked: reasons only
/// after a poor rating, each once.
pub fn parse_rating(level: &str, reasons: &[String]) -> Result<(Level, Vec<Reason>), Refusal> {
    let level = Level::from_code(level.trim()).ok_or(Refusal::BadLevel)?;
    let mut out = Vec::new();
    for r in reasons {
        let r = Reason::from_code(r.trim()).ok_or(Refusal::BadLevel)?;
        if !out.contains(&r) {
            out.push(r);
        }
    }
    if !out.is_empty() && !level.is_poor() {
        return Err(Refusal::ReasonsNotAsked);
    }
    out.sort();
    Ok((level, out))
}

/// Whether a rating offered at `now` is taken for a transaction in `state`.
pub fn may_rate(state: &RatingState, now: DateTime<Utc>) -> Result<(), Refusal> {
    match state {
        RatingState::Waiting { until } if now <= *until => Ok(()),
        RatingState::Waiting { .. } | RatingState::NotRated { .. } => Err(Refusal::Expired),
        RatingState::Rated { .. } => Err(Refusal::AlreadyRated),
    }
}

/// Until when a rating asked at `asked` is taken.
pub fn valid_until(asked: DateTime<Utc>, seconds: u32) -> DateTime<Utc> {
    asked + Duration::seconds(i64::from(seconds.max(1)))
}

/// How an appeal (申诉复核) of a rating was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppealVerdict {
    /// Upheld: the rating was a mistake or malicious; the month's figures
    /// leave it out of satisfaction (it stays on record, marked).
    Upheld,
    /// Rejected: the rating stands and counts.
    Rejected,
}

impl AppealVerdict {
    pub fn code(self) -> &'static str {
        match self {
            AppealVerdict::Upheld => "upheld",
            AppealVerdict::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<AppealVerdict> {
        [AppealVerdict::Upheld, AppealVerdict::Rejected]
            .into_iter()
            .find(|v| v.code() == code)
    }
}

/// The figures of a set of transactions (a day, a month, one clerk).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Transactions that asked for a rating and are no longer waiting.
    pub rateable: u32,
    /// Of them, rated.
    pub rated: u32,
    /// Rated 基本满意 or better.
    pub satisfied: u32,
    /// Rated 不满意 or worse.
    pub poor: u32,
    /// Poor ratings whose appeal was upheld: left out of satisfaction.
    pub appeal_upheld: u32,
}

impl Figures {
    /// Counts one transaction; `upheld` when its appeal was upheld.
    pub fn count(&mut self, level: Option<Level>, upheld: bool) {
        self.rateable += 1;
        let Some(level) = level else {
            return;
        };
        self.rated += 1;
        if upheld {
            self.appeal_upheld += 1;
        } else if level.is_satisfied() {
            self.satisfied += 1;
        } else {
            self.poor += 1;
        }
    }

    /// Rating rate = rated ÷ rateable, in tenths of a percent.
    pub fn rating_rate_permille(&self) -> Option<u32> {
        (self.rateable > 0).then(|| self.rated * 1000 / self.rateable)
    }

    /// Satisfaction = (非常满意 + 满意 + 基本满意) ÷ ratings, in tenths of a
    /// percent; an upheld appeal's rating is left out of both.
    pub fn satisfaction_permille(&self) -> Option<u32> {
        let counted = self.rated - self.appeal_upheld;
        (counted > 0).then(|| self.satisfied * 1000 / counted)
    }
}

/// Tenths of a percent as "98.5%".
pub fn percent(permille: Option<u32>) -> String {
    match permille {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    #[test]
    fn every_code_reads_back_and_only_the_two_worst_are_poor() {
        for l in Level::ALL {
            assert_eq!(Level::from_code(l.code()), Some(l));
        }
        for r in Reason::ALL {
            assert_eq!(Reason::from_code(r.code()), Some(r));
        }
        for s in Service::ALL {
            assert_eq!(Service::from_code(s.code()), Some(s));
        }
        let poor: Vec<_> = Level::ALL.into_iter().filter(|l| l.is_poor()).collect();
        assert_eq!(poor, [Level::Dissatisfied, Level::VeryDissatisfied]);
        assert_eq!(Level::from_code("5"), None);
    }

    #[test]
    fn reasons_go_only_with_a_poor_rating() {
        let r = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_rating("dissatisfied", &r(&["slow", "slow", "attitude"])),
            Ok((Level::Dissatisfied, vec![Reason::Slow, Reason::Attitude]))
        );
        assert_eq!(
            parse_rating("satisfied", &r(&["slow"])),
            Err(Refusal::ReasonsNotAsked)
        );
        assert_eq!(parse_rating("great", &[]), Err(Refusal::BadLevel));
        assert_eq!(
            parse_rating("very_dissatisfied", &r(&["lazy"])),
            Err(Refusal::BadLevel)
        );
    }

    #[test]
    fn one_rating_within_its_time() {
        let waiting = RatingState::Waiting {
            until: valid_until(at(0), 60),
        };
        assert_eq!(may_rate(&waiting, at(60)), Ok(()));
        assert_eq!(may_rate(&waiting, at(61)), Err(Refusal::Expired));
        let rated = RatingState::Rated {
            level: Level::Satisfied,
            reasons: vec![],
            at: at(5),
        };
        assert_eq!(may_rate(&rated, at(6)), Err(Refusal::AlreadyRated));
        let gone = RatingState::NotRated { at: at(61) };
        assert_eq!(may_rate(&gone, at(62)), Err(Refusal::Expired));
    }

    #[test]
    fn satisfaction_counts_ratings_and_leaves_upheld_appeals_out() {
        let mut f = Figures::default();
        for _ in 0..97 {
            f.count(Some(Level::Satisfied), false);
        }
        f.count(Some(Level::FairlySatisfied), false);
        f.count(Some(Level::Dissatisfied), false);
        f.count(Some(Level::VeryDissatisfied), true);
        f.count(None, false);
        f.count(None, false);
        assert_eq!(f.rateable, 102);
        assert_eq!(f.rated, 100);
        assert_eq!(f.rating_rate_permille(), Some(980));
        // 98 satisfied of 99 counted (the upheld appeal is left out).
        assert_eq!(f.satisfaction_permille(), Some(989));
        assert_eq!(percent(f.satisfaction_permille()), "98.9%");
        assert_eq!(percent(Figures::default().satisfaction_permille()), "—");
    }
}
