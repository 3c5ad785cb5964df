//! The service grid (网格): which customer manager serves which streets.
//! HQ sends its table down; a hall without it keeps its own in a file.
//! An address goes to the grid whose street it names, the longest match
//! winning, so "人民路北段" is not taken by the grid of "人民路". A street
//! named by two grids would make the choice arbitrary, so the file is
//! refused at that line.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::domain::problem::{deserialize_all, line_at, FileKind, Problem};
use crate::msg;

/// One grid and its customer manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub code: String,
    pub name: String,
    pub manager: String,
    pub phone: String,
    /// Street names an address is matched against.
    pub streets: Vec<String>,
}

/// Where a case's customer manager came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// HQ's service grid table.
    Hq,
    /// The hall's own table.
    Local,
    /// Chosen by the clerk, with a reason.
    Chosen,
}

/// A case's customer manager (客户经理).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manager {
    pub name: String,
    pub phone: String,
    /// The grid's name, when from a grid.
    pub grid: Option<String>,
    pub source: Source,
}

/// Another manager chosen by the clerk, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen {
    pub name: String,
    pub phone: String,
    pub reason: String,
}

impl Chosen {
    /// The manager it names.
    pub fn manager(&self) -> Manager {
        Manager {
            name: self.name.trim().to_string(),
            phone: self.phone.trim().to_string(),
            grid: None,
            source: Source::Chosen,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    grid: Vec<RawGrid>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrid {
    code: Spanned<String>,
    name: String,
    manager: Spanned<String>,
    phone: Spanned<String>,
    streets: Vec<Spanned<String>>,
}

fn phone_ok(p: &str) -> bool {
    let digits: String = p.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (7..=12).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Reads a grid file: every problem, each at its line.
pub fn parse(file: &str, text: &str) -> Result<Vec<Grid>, Vec<Problem>> {
    let raw: RawFile = deserialize_all(FileKind::Config, file, text)?;
    let line = |offset: usize| Some(line_at(text.as_bytes(), offset));
    let mut problems = Vec::new();
    let mut seen_codes: Vec<String> = Vec::new();
    // Street → (grid code) of the first grid that named it.
    let mut seen_streets: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for g in raw.grid {
        let code = g.code.get_ref().trim().to_string();
        if code.is_empty() || seen_codes.contains(&code) {
            let m = msg!("grid.code_bad", code = code);
            problems.push(Problem::new(file, line(g.code.span().start), m));
        }
        seen_codes.push(code.clone());
        if g.manager.get_ref().trim().is_empty() {
            let m = msg!("grid.manager_empty", grid = code);
            problems.push(Problem::new(file, line(g.manager.span().start), m));
        }
        if !phone_ok(g.phone.get_ref()) {
            let m = msg!("grid.phone_bad", grid = code, phone = g.phone.get_ref());
            problems.push(Problem::new(file, line(g.phone.span().start), m));
        }
        let mut streets = Vec::new();
        for s in &g.streets {
            let street = s.get_ref().trim().to_string();
            let at = line(s.span().start);
            if street.is_empty() {
                problems.push(Problem::new(
                    file,
                    at,
                    msg!("grid.street_empty", grid = code),
                ));
                continue;
            }
            match seen_streets.iter().find(|(known, _)| *known == street) {
                Some((_, other)) => {
                    let m = msg!(
                        "grid.street_twice",
                        street = street,
                        grid = code,
                        other = other
                    );
                    problems.push(Problem::new(file, at, m));
                }
                None => seen_streets.push((street.clone(), code.clone())),
            }
            streets.push(street);
        }
        out.push(Grid {
            code,
            name: g.name.trim().to_string(),
            manager: g.manager.get_ref().trim().to_string(),
            phone: g.phone.get_ref().trim().to_string(),
            streets,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The grid whose street `address` names, the longest street winning.
pub fn find<'a>(grids: &'a [Grid], address: &str) -> Option<&'a Grid> {
    grids
        .iter()
        .flat_map(|g| g.streets.iter().map(move |s| (g, s)))
        .filter(|(_, s)| address.contains(s.as_str()))
        .max_by_key(|(_, s)| s.chars().count())
        .map(|(g, _)| g)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[grid]]
code = "G01"
name = "人民路网格"
manager = "李娜"
phone = "13900001111"
streets = ["人民路", "解放路"]

[[grid]]
code = "G02"
name = "人民路北段网格"
manager = "王强"
phone = "010-6500 1234"
streets = ["人民路北段"]
"#;

    #[test]
    fn the_longest_street_named_wins() {
        let grids = parse("grid.toml", FILE).unwrap();
        assert_eq!(
            find(&grids, "北京市朝阳区人民路1号").unwrap().manager,
            "李娜"
        );
        assert_eq!(
            find(&grids, "北京市朝阳区人民路北段8号").unwrap().manager,
            "王强"
        );
        assert!(find(&grids, "北京市海淀区中关村大街9号").is_none());
    }

    #[test]
    fn a_street_in_two_grids_is_refused_at_its_line() {
        let text = FILE.replace(
            r#"streets = ["人民路北段"]"#,
            r#"streets = ["人民路北段", "解放路"]"#,
        );
        let problems = parse("grid.toml", &text).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(14));
        assert_eq!(problems[0].msg.key, "grid.street_twice");
        assert!(problems[0]
            .msg
            .args
            .iter()
            .any(|(k, v)| *k == "other" && v == "G01"));
    }

    #[test]
    fn a_bad_phone_and_an_unknown_key_are_named() {
        let text = FILE.replace("13900001111", "call me");
        let problems = parse("grid.toml", &text).unwrap_err();
        assert_eq!(problems[0].msg.key, "grid.phone_bad");
        assert_eq!(problems[0].line, Some(6));
        let text = FILE.replace("manager = \"王强\"", "manger = \"王强\"");
        assert!(parse("grid.toml", &text).is_err());
    }
}
