//! The bill list as JSON: an array of objects with the same keys as the
//! CSV's columns; an amount as a string of yuan or whole fen.

use serde_json::{Map, Value};

use super::{file_problem, row_problem, Arrears, Place, Problem, RawRow, RawValues, ARREARS_FEN};
use crate::domain::money::Fen;
use crate::domain::msg::Msg;
use crate::msg;

pub(super) fn rows(file: &str, text: &str) -> Result<Vec<RawRow>, Vec<Problem>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![file_problem(msg!(
            "bills.json_syntax",
            file = file,
            line = e.line(),
            col = e.column()
        ))]
    })?;
    let Value::Array(items) = value else {
        return Err(vec![file_problem(msg!(
            "bills.json_not_array",
            file = file
        ))]);
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let place = Place::Item(i);
            RawRow {
                place,
                values: match item {
                    Value::Object(map) => json_values(place, map),
                    _ => Err(vec![row_problem(
                        place,
                        None,
                        msg!("bills.json_not_object"),
                    )]),
                },
            }
        })
        .collect())
}

/// The values of one JSON item. Unknown keys are refused (a misspelt key
/// would otherwise look like a missing value); a key given as `null` counts
/// as missing.
fn json_values(place: Place, map: Map<String, Value>) -> Result<RawValues, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut v = RawValues::default();
    let mut typed_arrears = None;
    let mut fen_arrears = None;
    for (key, value) in map {
        if value.is_null() {
            continue;
        }
        let text = |problems: &mut Vec<Problem>| match &value {
            Value::String(s) => Some(s.clone()),
            _ => {
                problems.push(row_problem(
                    place,
                    Some(&key),
                    msg!("bills.json_want_string"),
                ));
                None
            }
        };
        match key.as_str() {
            "account_no" => {
                if value.is_number() {
                    // A number loses leading zeros (0591... becomes 591...),
                    // so it is refused rather than turned back into text.
                    problems.push(row_problem(
                        place,
                        Some(&key),
                        msg!("bills.json_account_number"),
                    ));
                } else {
                    v.account_no = text(&mut problems);
                }
            }
            "period" => v.period = text(&mut problems),
            "due_date" => v.due_date = text(&mut problems),
            "class" => v.class = text(&mut problems),
            "arrears" => {
                if value.is_number() {
                    // A JSON number is a binary fraction: 128.1 is not
                    // exactly 128.10, so yuan must come as text.
                    problems.push(row_problem(
                        place,
                        Some(&key),
                        msg!("bills.json_arrears_number"),
                    ));
                } else {
                    typed_arrears = text(&mut problems);
                }
            }
            ARREARS_FEN => match fen_of(&value) {
                Ok(f) => fen_arrears = Some(f),
                Err(m) => problems.push(row_problem(place, Some(&key), m)),
            },
            _ => problems.push(row_problem(
                place,
                Some(&key),
                msg!("bills.json_unknown_key"),
            )),
        }
    }
    v.arrears = match (typed_arrears, fen_arrears) {
        (Some(_), Some(_)) => {
            problems.push(row_problem(
                place,
                Some(ARREARS_FEN),
                msg!("bills.json_both_arrears"),
            ));
            None
        }
        (Some(s), None) => Some(Arrears::Typed(s)),
        (None, Some(f)) => Some(Arrears::Fen(f)),
        (None, None) => None,
    };
    if problems.is_empty() {
        Ok(v)
    } else {
        Err(problems)
    }
}

/// `arrears_fen`: a whole, non-negative number of fen.
fn fen_of(value: &Value) -> Result<Fen, Msg> {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                if i < 0 {
                    Err(msg!("money.negative"))
                } else {
                    Ok(Fen(i))
                }
            } else if n.as_u64().is_some() {
                Err(msg!("money.too_large"))
            } else {
                Err(msg!("bills.json_want_fen"))
            }
        }
        _ => Err(msg!("bills.json_want_fen")),
    }
}
