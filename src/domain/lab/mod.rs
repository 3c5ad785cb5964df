//! The practice lab's pure side: scenarios and their checks, the facts a
//! run leaves, scoring, and the theory question bank.

pub mod check;
mod check_expect;
pub mod facts;
pub mod question;
mod raw;
pub mod scenario;
pub mod score;

pub use check::{check_set, parse};
pub use facts::{Facts, RunStats};
pub use scenario::{Expect, Expectation, Fault, Level, RunState, Scenario, Skill};
pub use score::{score, ScoreSheet};
