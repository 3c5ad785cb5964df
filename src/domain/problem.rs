//! Problems in the site's TOML files (forms, holiday tables, configuration):
//! where each is — file and line — and what to do about it, as a message.
//! Reading TOML errors into problems happens once, here, for every file kind.

use crate::domain::msg::Msg;
use crate::msg;

/// Something wrong in a file, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as named to the loader, e.g. `forms/lv_residential_new.toml`.
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub msg: Msg,
}

impl Problem {
    /// A problem at a line (or the whole file).
    pub fn new(file: &str, line: Option<usize>, msg: Msg) -> Problem {
        Problem {
            file: file.to_string(),
            line,
            msg,
        }
    }
}

/// One problem as a line of a report: `forms/x.toml:12: <text>`, or
/// `forms/x.toml: <text>` when it has no line. `text` renders the message.
pub fn render_problem(p: &Problem, text: impl Fn(&Msg) -> String) -> String {
    match p.line {
        Some(line) => format!("{}:{}: {}", p.file, line, text(&p.msg)),
        None => format!("{}: {}", p.file, text(&p.msg)),
    }
}

/// Which kind of file a problem is in: the words its messages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A business form.
    Form,
    /// A year of the holiday calendar.
    Calendar,
    /// The site configuration.
    Config,
    /// A practice-lab scenario or question bank.
    Scenario,
}

impl FileKind {
    fn syntax(self, detail: String) -> Msg {
        match self {
            FileKind::Form => msg!("form.syntax", detail = detail),
            FileKind::Calendar => msg!("calendar.syntax", detail = detail),
            FileKind::Config => msg!("config.syntax", detail = detail),
            FileKind::Scenario => msg!("lab.syntax", detail = detail),
        }
    }

    fn duplicate_key(self, key: &str) -> Msg {
        match self {
            FileKind::Form => msg!("form.duplicate_key", key = key),
            FileKind::Calendar => msg!("calendar.duplicate_key", key = key),
            FileKind::Config => msg!("config.duplicate_key", key = key),
            FileKind::Scenario => msg!("lab.duplicate_key", key = key),
        }
    }

    fn unknown_key(self, key: &str, allowed: &[String]) -> Msg {
        let allowed = allowed.join(", ");
        match (self, allowed.is_empty()) {
            (FileKind::Form, false) => msg!("form.unknown_key", key = key, allowed = allowed),
            (FileKind::Form, true) => msg!("form.unknown_key_no_list", key = key),
            (FileKind::Calendar, false) => {
                msg!("calendar.unknown_key", key = key, allowed = allowed)
            }
            (FileKind::Calendar, true) => msg!("calendar.unknown_key_no_list", key = key),
            (FileKind::Config, false) => msg!("config.unknown_key", key = key, allowed = allowed),
            (FileKind::Config, true) => msg!("config.unknown_key_no_list", key = key),
            (FileKind::Scenario, false) => msg!("lab.unknown_key", key = key, allowed = allowed),
            (FileKind::Scenario, true) => msg!("lab.unknown_key_no_list", key = key),
        }
    }

    fn missing_key(self, key: &str) -> Msg {
        match self {
            FileKind::Form => msg!("form.missing_key", key = key),
            FileKind::Calendar => msg!("calendar.missing_key", key = key),
            FileKind::Config => msg!("config.missing_key", key = key),
            FileKind::Scenario => msg!("lab.missing_key", key = key),
        }
    }

    fn unknown_value(self, value: &str, allowed: &[String]) -> Msg {
        let allowed = allowed.join(", ");
        match self {
            FileKind::Form => msg!("form.unknown_value", value = value, allowed = allowed),
            FileKind::Calendar => msg!("calendar.unknown_value", value = value, allowed = allowed),
            FileKind::Config => msg!("config.unknown_value", value = value, allowed = allowed),
            FileKind::Scenario => msg!("lab.unknown_value", value = value, allowed = allowed),
        }
    }

    /// What to say when the content does not fit the format: a value of
    /// the wrong type in plain words, anything rarer with serde's detail.
    fn parse(self, detail: String, written: Option<&str>, key: Option<&str>) -> Msg {
        if let Some(m) = type_mismatch(&detail, written, key) {
            return m;
        }
        if let Some(m) = out_of_range(&detail, written) {
            return m;
        }
        match self {
            FileKind::Form => msg!("form.parse", detail = detail),
            FileKind::Calendar => msg!("calendar.parse", detail = detail),
            FileKind::Config => msg!("config.parse", detail = detail),
            FileKind::Scenario => msg!("lab.parse", detail = detail),
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_at(text: &[u8], offset: usize) -> usize {
    let end = offset.min(text.len());
    text[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The line of a top-level key (`key = ...`, `key.x = ...` or `[key]`), if written.
pub fn top_key_line(text: &str, key: &str) -> Option<usize> {
    let mut in_root = true;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            let header = t.trim_start_matches('[').trim_start();
            if header
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with([']', '.']))
            {
                return Some(i + 1);
            }
            in_root = false;
            continue;
        }
        if in_root && starts_with_key(t, key) {
            return Some(i + 1);
        }
    }
    None
}

/// The line of `key` inside the table `[table]` (`""` for the root), if written.
pub fn table_key_line(text: &str, table: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if let Some(header) = t.strip_prefix('[') {
            current = header
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            continue;
        }
        if current == table && starts_with_key(t, key) {
            return Some(i + 1);
        }
        // A dotted key in the root: `money.amount_limit = ...`.
        if current.is_empty() && !table.is_empty() && starts_with_key(t, &format!("{table}.{key}"))
        {
            return Some(i + 1);
        }
    }
    None
}

/// Whether a trimmed line assigns `key` (`key =`, `key.sub =`).
pub fn starts_with_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with(['=', '.']))
}

/// Turns a TOML syntax error (`syntax`) or a schema error from serde into
/// one problem, in the words of the file's kind.
pub fn toml_problem(
    kind: FileKind,
    file: &str,
    text: &str,
    e: &toml::de::Error,
    syntax: bool,
) -> Problem {
    let line = e.span().map(|s| line_at(text.as_bytes(), s.start));
    // toml's messages can run over several lines ("invalid table header\nexpected ...").
    let detail = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let quoted = backticked(&detail);
    let first = quoted.first().cloned();
    let written = e.span().and_then(|span| written_at(text, span.clone()));
    let key = e.span().and_then(|span| key_at(text, span.start));
    let msg = match first {
        Some(key) if syntax && detail.starts_with("duplicate key") => kind.duplicate_key(&key),
        // A number the file's format cannot hold is too big, not a typo.
        _ if syntax && detail.contains("number too large") => {
            let whole = e.span().and_then(|s| value_on_line(text, s.start));
            let found = whole.or(written.clone()).unwrap_or_else(|| "?".into());
            msg!("toml.number_too_large", found = found)
        }
        _ if syntax => kind.syntax(detail),
        Some(key) if detail.starts_with("unknown field") => kind.unknown_key(&key, &quoted[1..]),
        Some(key) if detail.starts_with("missing field") => kind.missing_key(&key),
        Some(value) if detail.starts_with("unknown variant") => {
            kind.unknown_value(&value, &quoted[1..])
        }
        _ => kind.parse(detail, written.as_deref(), key.as_deref()),
    };
    Problem::new(file, line, msg)
}

/// The value written after `=` on the line that holds byte `offset` (a
/// syntax error's span covers only where reading stopped).
fn value_on_line(text: &str, offset: usize) -> Option<String> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (_, value) = line.split_once('=')?;
    let value: String = value.trim().chars().take(40).collect();
    (!value.is_empty()).then_some(value)
}

/// The key written on the line that holds byte `offset` (`spool_dir` of
/// `spool_dir = 12`, the last part of a dotted key).
fn key_at(text: &str, offset: usize) -> Option<String> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().rsplit('.').next()?.trim().trim_matches('"');
    (!key.is_empty()).then(|| key.to_string())
}

/// The value as written in the file at `span`, on one line and short
/// enough to quote back to whoever fixes it.
fn written_at(text: &str, span: std::ops::Range<usize>) -> Option<String> {
    let value = text.get(span)?.trim();
    if value.is_empty() || value.contains('\n') {
        return None;
    }
    let mut shown: String = value.chars().take(40).collect();
    if shown.len() < value.len() {
        shown.push('…');
    }
    Some(shown)
}

/// Deserialises `text` into `T`, reporting every schema problem of the
/// file rather than only the first: after each error the offending line is
/// set aside (an unknown key) or its value replaced by a stand-in of the
/// expected shape, and reading goes on. Line numbers stay those of the
/// file. A syntax error, or a missing key, ends the search.
pub fn deserialize_all<T: serde::de::DeserializeOwned>(
    kind: FileKind,
    file: &str,
    text: &str,
) -> Result<T, Vec<Problem>> {
    match deserialize_repaired(kind, file, text) {
        (Some(v), problems) if problems.is_empty() => Ok(v),
        (_, problems) => Err(problems),
    }
}

/// As [`deserialize_all`], and also the value read once every problem was
/// set aside, when there is one: checks that need the whole value (ranges,
/// cross-references) can then report their problems beside the schema's.
pub fn deserialize_repaired<T: serde::de::DeserializeOwned>(
    kind: FileKind,
    file: &str,
    text: &str,
) -> (Option<T>, Vec<Problem>) {
    if let Err(e) = text.parse::<toml::Table>() {
        return (None, vec![toml_problem(kind, file, text, &e, true)]);
    }
    let mut work = text.to_string();
    let mut problems: Vec<Problem> = Vec::new();
    let mut set_aside = false;
    for _ in 0..64 {
        let e = match toml::from_str::<T>(&work) {
            Ok(v) => return (Some(v), problems),
            Err(e) => e,
        };
        // A choice given as a number or list: quoted, it comes back as an
        // unknown value with the list of what is allowed, which says more.
        if e.message().contains("wanted string or table") {
            if let Some(span) = e.span() {
                if quote_value(&mut work, span) {
                    continue;
                }
            }
        }
        // A key missing once a misspelled one was set aside is most likely
        // that same key: it is reported once, as unknown.
        let missing = e.message().starts_with("missing field");
        if missing && set_aside {
            break;
        }
        let p = toml_problem(kind, file, &work, &e, false);
        if problems.contains(&p) {
            break;
        }
        // A key missing from a stand-in put on the line just reported is
        // that line's problem again: the whole line is set aside instead,
        // and reading goes on if the file still reads without it.
        // Any other second problem on a line already reported is the
        // stand-in not fitting: one bad value is one problem, so the line
        // is set aside rather than reported again.
        if !missing && p.line.is_some() && problems.iter().any(|q| q.line == p.line) {
            match e.span() {
                Some(span) if set_aside_line(&mut work, span.start) => {
                    set_aside = true;
                    continue;
                }
                _ => break,
            }
        }
        if missing && problems.last().is_some_and(|q| q.line == p.line) {
            match e.span() {
                Some(span) if set_aside_line(&mut work, span.start) => {
                    set_aside = true;
                    continue;
                }
                _ => break,
            }
        }
        problems.push(p);
        let Some(span) = e.span() else { break };
        if missing || !repair(&mut work, span, e.message()) {
            break;
        }
        set_aside |= e.message().starts_with("unknown field");
    }
    (None, problems)
}

/// Blanks the line holding byte `at`, when the file still reads as TOML
/// without it (a value spread over several lines cannot be cut this way).
fn set_aside_line(work: &mut String, at: usize) -> bool {
    let at = at.min(work.len());
    let start = work[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = work[at..].find('\n').map(|i| at + i).unwrap_or(work.len());
    let mut trial = work.clone();
    trial.replace_range(start..end, "");
    if trial.parse::<toml::Table>().is_err() {
        return false;
    }
    *work = trial;
    true
}

/// Puts the value at `span` in quotes, once: `4` becomes `"4"`.
fn quote_value(work: &mut String, span: std::ops::Range<usize>) -> bool {
    let Some(value) = work.get(span.clone()) else {
        return false;
    };
    if value.contains('\n') || value.trim_start().starts_with(['"', '\'']) {
        return false;
    }
    let quoted = format!("\"{}\"", value.trim().replace(['"', '\\'], "'"));
    work.replace_range(span, &quoted);
    true
}

/// Sets aside what an error points at, keeping every line where it was:
/// an unknown key's line (a whole table for an unknown table), or a value
/// replaced by a stand-in of the shape serde asked for.
fn repair(work: &mut String, span: std::ops::Range<usize>, message: &str) -> bool {
    let start = span.start.min(work.len());
    let line_start = work[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    if message.starts_with("unknown field") {
        let line_end = work[start..]
            .find('\n')
            .map(|i| start + i)
            .unwrap_or(work.len());
        let before = work[line_start..start].trim();
        if before.is_empty() || before == "[" || before == "[[" {
            let is_table = work[line_start..line_end].trim_start().starts_with('[');
            let end = if is_table {
                table_end(work, line_end)
            } else {
                line_end
            };
            blank(work, line_start, end);
        } else {
            // One pair of an inline table: `{ zh = "…", fr = "" }`.
            let mut end = pair_end(&work[start..line_end]) + start;
            let open = work[line_start..start]
                .rfind('{')
                .map(|i| line_start + i + 1)
                .unwrap_or(line_start);
            // The comma before it goes with it, or else the one after.
            let from = match work[open..start].rfind(',') {
                Some(i) => open + i,
                None => {
                    if work[end..].starts_with(',') {
                        end += 1;
                    }
                    start
                }
            };
            work.replace_range(from..end, "");
        }
        return true;
    }
    let end = span.end.min(work.len());
    let quoted = backticked(message);
    let stand_in = if message.starts_with("unknown variant") {
        quoted.get(1).map(|v| format!("\"{v}\""))
    } else {
        message.split(", expected ").nth(1).map(|expected| {
            if expected.contains("datetime") {
                "1970-01-01"
            } else if expected.contains("bool") {
                "false"
            } else if expected.starts_with('u') || expected.starts_with('i') {
                "0"
            } else if expected.contains("sequence") {
                "[]"
            } else if expected.contains("map") || expected.contains("struct") {
                "{}"
            } else {
                "\"\""
            }
            .to_string()
        })
    };
    let Some(stand_in) = stand_in else {
        return false;
    };
    if work[start..end].contains('\n') {
        return false;
    }
    work.replace_range(start..end, &stand_in);
    true
}

/// Where a table that starts on the line ending at `line_end` ends: at
/// the next header.
fn table_end(work: &str, line_end: usize) -> usize {
    let mut at = line_end;
    while at < work.len() {
        let next = work[at + 1..]
            .find('\n')
            .map(|i| at + 1 + i)
            .unwrap_or(work.len());
        if work[at + 1..next].trim_start().starts_with('[') {
            break;
        }
        at = next;
    }
    at
}

/// The length of `key = value` at the start of `s`, up to the comma or
/// brace that ends it (quotes and brackets inside the value respected).
fn pair_end(s: &str) -> usize {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') if depth == 0 => return i,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => return i,
            _ => {}
        }
    }
    s.len()
}

/// Replaces `work[from..to]` by as many empty lines.
fn blank(work: &mut String, from: usize, to: usize) {
    let newlines = work[from..to].matches('\n').count();
    work.replace_range(from..to, &"\n".repeat(newlines));
}

/// serde's "invalid type: string \"five\", expected u32" in plain words,
/// quoting the value as it is written in the file (serde's own words for
/// it, "string", "integer", are English).
fn type_mismatch(detail: &str, written: Option<&str>, key: Option<&str>) -> Option<Msg> {
    let rest = detail.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let wanted = if expected.contains("datetime") {
        msg!("toml.want_date")
    } else if expected.contains("bool") {
        msg!("toml.want_bool")
    } else if expected.starts_with('u') || expected.starts_with('i') {
        msg!("toml.want_integer")
    } else if expected.starts_with('f') {
        msg!("toml.want_number")
    } else if expected.contains("string") || expected.contains("path") {
        // The example fits the setting: a path for a folder or file, an
        // amount for money, plain text for the rest.
        let key = key.unwrap_or_default();
        if expected.contains("path")
            || key.ends_with("dir")
            || key.ends_with("file")
            || key.ends_with("path")
            || matches!(key, "database" | "font")
        {
            msg!("toml.want_path")
        } else if key.contains("amount") || key.contains("minimum") || key.contains("float") {
            msg!("toml.want_amount")
        } else {
            msg!("toml.want_text")
        }
    } else if expected.contains("sequence") {
        msg!("toml.want_list")
    } else if expected.contains("struct") || expected.contains("map") {
        msg!("toml.want_table")
    } else {
        return None;
    };
    let found = written.map(str::to_string).unwrap_or_else(|| {
        // Without the file's text, the literal inside serde's words.
        found
            .split_once(' ')
            .map(|(_, v)| v.trim_matches('`').to_string())
            .unwrap_or_default()
    });
    Some(msg!("toml.wrong_type", found = found).part("wanted", wanted))
}

/// serde's "invalid value: integer `-1`, expected u32": a number out of
/// the setting's range, in plain words.
fn out_of_range(detail: &str, written: Option<&str>) -> Option<Msg> {
    let rest = detail.strip_prefix("invalid value: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let found = written.map(str::to_string).unwrap_or_else(|| {
        found
            .split_once(' ')
            .map(|(_, v)| v.trim_matches('`').to_string())
            .unwrap_or_default()
    });
    if expected.starts_with('u') && found.trim_start().starts_with('-') {
        Some(msg!("toml.negative", found = found))
    } else if expected.starts_with('u') || expected.starts_with('i') {
        Some(msg!("toml.out_of_range", found = found))
    } else {
        None
    }
}

/// The `quoted` names in a serde message, in order.
fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_key_line_finds_root_keys_only() {
        let t = "code = \"a\"\nname.zh = \"x\"\n[[steps]]\nname = 1\n[slips]\n";
        assert_eq!(top_key_line(t, "code"), Some(1));
        assert_eq!(top_key_line(t, "name"), Some(2));
        assert_eq!(top_key_line(t, "steps"), Some(3));
        assert_eq!(top_key_line(t, "slips"), Some(5));
        assert_eq!(top_key_line(t, "fees"), None);
    }

    #[test]
    fn table_key_line_finds_keys_in_their_table() {
        let t = "language = \"zh\"\n[money]\namount_limit = \"abc\"\n[slips.paper]\npayment_receipt = \"a5\"\n";
        assert_eq!(table_key_line(t, "money", "amount_limit"), Some(3));
        assert_eq!(table_key_line(t, "slips.paper", "payment_receipt"), Some(5));
        assert_eq!(table_key_line(t, "", "language"), Some(1));
        assert_eq!(table_key_line(t, "security", "lockout_minutes"), None);
        let dotted = "money.amount_limit = \"abc\"\n";
        assert_eq!(table_key_line(dotted, "money", "amount_limit"), Some(1));
    }
}
