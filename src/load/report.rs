//! The one way a problem in a site file is shown: `file:line: what to do`,
//! in the reader's language, for forms, holiday tables and configuration.

use crate::domain::msg::{Lang, Msg};
use crate::domain::problem::Problem;
use crate::i18n;

/// One problem as a line of a report: `forms/x.toml:12: <text>`, or
/// `forms/x.toml: <text>` when it has no line. `text` renders the message.
pub fn render_problem(p: &Problem, text: impl Fn(&Msg) -> String) -> String {
    match p.line {
        Some(line) => format!("{}:{}: {}", p.file, line, text(&p.msg)),
        None => format!("{}: {}", p.file, text(&p.msg)),
    }
}

/// One problem as a line of a report, in `lang`.
pub fn problem_line(p: &Problem, lang: Lang) -> String {
    render_problem(p, |m| i18n::text(m, lang))
}

/// A heading and every problem under it, one per line.
pub fn problems(head: &Msg, problems: &[Problem], lang: Lang) -> String {
    let mut out = i18n::text(head, lang);
    for p in problems {
        out.push('\n');
        out.push_str(&problem_line(p, lang));
    }
    out
}
