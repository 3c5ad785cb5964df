//! The theory question bank: single choice, multiple choice, true/false and
//! calculations with a numeric answer, each naming the rule or document it
//! tests; checked like forms, marked at once.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::scenario::Skill;
use crate::domain::form::Text;
use crate::domain::money::{parse_amount, Fen};
use crate::domain::problem::{deserialize_all, line_at, FileKind, Problem};
use crate::msg;

/// The kind of question, and what a right answer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// One choice is right (1-based).
    Single(usize),
    /// These choices, and only these, are right (1-based, ascending).
    Multiple(Vec<usize>),
    /// A statement that is true or false.
    TrueFalse(bool),
    /// An amount in yuan, within a tolerance.
    Number {
        /// The right amount.
        value: Fen,
        /// How far off still counts as right.
        tolerance: Fen,
    },
}

/// One checked question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Stable id, unique in the bank.
    pub id: String,
    /// The skill it tests.
    pub skill: Skill,
    /// Points for a right answer.
    pub points: i64,
    /// The question.
    pub text: Text,
    /// Choices (single and multiple choice).
    pub choices: Vec<Text>,
    /// The right answer.
    pub kind: Kind,
    /// The rule or document it tests.
    pub tests: Text,
}

/// How an answer was marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marked {
    /// Right: full points.
    Right,
    /// Wrong: no points.
    Wrong,
    /// Not an answer to this kind of question; nothing is recorded.
    Unreadable,
}

impl Question {
    /// Marks an answer as typed: "2", "1,3" or "13", "对"/"错"/"t"/"f", "12.34".
    pub fn mark(&self, typed: &str) -> Marked {
        let t = typed.trim();
        match &self.kind {
            Kind::Single(right) => match t.parse::<usize>() {
                Ok(n) if (1..=self.choices.len()).contains(&n) => right_if(n == *right),
                _ => Marked::Unreadable,
            },
            Kind::Multiple(right) => match choice_list(t, self.choices.len()) {
                Some(given) => right_if(&given == right),
                None => Marked::Unreadable,
            },
            Kind::TrueFalse(right) => match truth(t) {
                Some(v) => right_if(v == *right),
                None => Marked::Unreadable,
            },
            Kind::Number { value, tolerance } => match parse_amount(t, Fen(10_000_000_000)) {
                Ok(v) => right_if((v.0 - value.0).abs() <= tolerance.0),
                Err(_) => Marked::Unreadable,
            },
        }
    }

    /// The right answer as a trainee would type it.
    pub fn answer_text(&self) -> String {
        match &self.kind {
            Kind::Single(n) => n.to_string(),
            Kind::Multiple(v) => v
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(","),
            Kind::TrueFalse(true) => "对 / true".into(),
            Kind::TrueFalse(false) => "错 / false".into(),
            Kind::Number { value, .. } => value.plain(),
        }
    }

    /// Catalogue key of the question kind's name.
    pub fn kind_key(&self) -> &'static str {
        match self.kind {
            Kind::Single(_) => "lab.q_single",
            Kind::Multiple(_) => "lab.q_multiple",
            Kind::TrueFalse(_) => "lab.q_true_false",
            Kind::Number { .. } => "lab.q_number",
        }
    }
}

fn right_if(ok: bool) -> Marked {
    if ok {
        Marked::Right
    } else {
        Marked::Wrong
    }
}

fn choice_list(t: &str, n: usize) -> Option<Vec<usize>> {
    let mut out: Vec<usize> = Vec::new();
    for c in t.chars() {
        if c == ',' || c == '，' || c == ' ' {
            continue;
        }
        let d = c.to_digit(10)? as usize;
        if d == 0 || d > n {
            return None;
        }
        out.push(d);
    }
    out.sort_unstable();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

fn truth(t: &str) -> Option<bool> {
    match t.to_lowercase().as_str() {
        "对" | "是" | "√" | "t" | "true" | "y" | "yes" | "1" => Some(true),
        "错" | "否" | "×" | "f" | "false" | "n" | "no" | "0" => Some(false),
        _ => None,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    question: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    Single,
    Multiple,
    TrueFalse,
    Number,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    kind: RawKind,
    skill: Skill,
    points: i64,
    text: Text,
    #[serde(default)]
    choices: Vec<Text>,
    correct: Option<Vec<usize>>,
    truth: Option<bool>,
    value: Option<String>,
    tolerance: Option<String>,
    tests: Text,
}

/// Reads and checks one question-bank file.
pub fn parse_bank(file: &str, text: &str) -> Result<Vec<Question>, Vec<Problem>> {
    let raw = deserialize_all::<RawBank>(FileKind::Scenario, file, text)?;
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for q in raw.question {
        let line = line_at(text.as_bytes(), q.span().start);
        let q = q.into_inner();
        let mut bad = |m| problems.push(Problem::new(file, Some(line), m));
        if !seen.insert(q.id.clone()) {
            bad(msg!("lab.duplicate_id", id = q.id));
        }
        if q.points <= 0 {
            bad(msg!("lab.negative_points"));
        }
        let n = q.choices.len();
        let kind = match q.kind {
            RawKind::Single | RawKind::Multiple => {
                let correct = q.correct.clone().unwrap_or_default();
                if n < 2 {
                    bad(msg!("lab.q_needs_choices"));
                }
                if correct.is_empty() || correct.iter().any(|c| *c == 0 || *c > n) {
                    bad(msg!("lab.q_bad_correct", n = n));
                }
                if q.kind == RawKind::Single {
                    if correct.len() != 1 {
                        bad(msg!("lab.q_single_one"));
                    }
                    Kind::Single(correct.first().copied().unwrap_or(1))
                } else {
                    let mut c = correct;
                    c.sort_unstable();
                    c.dedup();
                    Kind::Multiple(c)
                }
            }
            RawKind::TrueFalse => match q.truth {
                Some(v) => Kind::TrueFalse(v),
                None => {
                    bad(msg!("lab.missing_key", key = "truth"));
                    Kind::TrueFalse(true)
                }
            },
            RawKind::Number => {
                let amount =
                    |s: &Option<String>| s.as_deref().map(|v| parse_amount(v, Fen(10_000_000_000)));
                let value = match amount(&q.value) {
                    Some(Ok(v)) => v,
                    Some(Err(_)) => {
                        bad(msg!(
                            "lab.bad_amount",
                            key = "value",
                            value = q.value.clone().unwrap_or_default()
                        ));
                        Fen(0)
                    }
                    None => {
                        bad(msg!("lab.missing_key", key = "value"));
                        Fen(0)
                    }
                };
                let tolerance = match amount(&q.tolerance) {
                    Some(Ok(v)) => v,
                    Some(Err(_)) => {
                        bad(msg!(
                            "lab.bad_amount",
                            key = "tolerance",
                            value = q.tolerance.clone().unwrap_or_default()
                        ));
                        Fen(0)
                    }
                    None => Fen(0),
                };
                Kind::Number { value, tolerance }
            }
        };
        out.push(Question {
            id: q.id,
            skill: q.skill,
            points: q.points,
            text: q.text,
            choices: q.choices,
            kind,
            tests: q.tests,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
