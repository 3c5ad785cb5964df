//! The one-time disclosure (一次性告知): every item the clerk must explain,
//! in sections, and the rule that nothing is accepted until all are ticked.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::domain::calendar::Due;
use crate::domain::form::{FeeAmount, Form, MaterialForm, StepStart, Text};
use crate::domain::msg::Msg;
use crate::domain::plan::Plan;
use crate::msg;

/// A part of the disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// What to bring.
    Materials,
    /// The steps and their time limits.
    Steps,
    /// Fees and their legal basis.
    Fees,
    /// The customer's rights.
    Rights,
    /// The customer's own duties.
    Duties,
    /// Service and supervision numbers.
    Contacts,
}

impl Section {
    /// Every section in the order they are explained.
    pub const ALL: [Section; 6] = [
        Section::Materials,
        Section::Steps,
        Section::Fees,
        Section::Rights,
        Section::Duties,
        Section::Contacts,
    ];

    /// Stable code stored with each disclosed item.
    pub fn code(self) -> &'static str {
        match self {
            Section::Materials => "material",
            Section::Steps => "step",
            Section::Fees => "fee",
            Section::Rights => "right",
            Section::Duties => "duty",
            Section::Contacts => "contact",
        }
    }

    /// Heading for people.
    pub fn title(self) -> Msg {
        match self {
            Section::Materials => msg!("disclosure.materials"),
            Section::Steps => msg!("disclosure.steps"),
            Section::Fees => msg!("disclosure.fees"),
            Section::Rights => msg!("disclosure.rights"),
            Section::Duties => msg!("disclosure.duties"),
            Section::Contacts => msg!("disclosure.contacts"),
        }
    }
}

/// One item to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub section: Section,
    /// Its id in the form.
    pub id: String,
    /// What is said, in both languages, dates included.
    pub text: Text,
}

/// The key of an item in the ticked set: "section:id".
pub fn key(section: Section, id: &str) -> String {
    format!("{}:{id}", section.code())
}

fn form_text(f: MaterialForm) -> Text {
    match f {
        MaterialForm::Original => Text {
            zh: "原件".into(),
            en: "original".into(),
        },
        MaterialForm::Copy => Text {
            zh: "复印件".into(),
            en: "copy".into(),
        },
        MaterialForm::OriginalAndCopy => Text {
            zh: "原件及复印件".into(),
            en: "original and copy".into(),
        },
    }
}

fn due_text(d: &Due) -> Text {
    let date = d.date.format("%Y-%m-%d").to_string();
    if d.estimated {
        Text {
            zh: format!("{date}（估算）"),
            en: format!("{date} (estimate)"),
        }
    } else {
        Text {
            zh: date.clone(),
            en: date,
        }
    }
}

/// Formats fen as yuan with two decimals: 12800 → "128.00".
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Every item of the disclosure, in section order.
pub fn items(form: &Form, plan: &Plan) -> Vec<Item> {
    let mut out = Vec::new();
    for m in &plan.materials {
        let f = form_text(m.form);
        let when = match (&m.due, m.within) {
            (Some(d), Some(n)) => {
                let d = due_text(d);
                Text {
                    zh: format!("可后补：{n} 个工作日内交齐，截止 {}", d.zh),
                    en: format!("may follow within {n} working days, by {}", d.en),
                }
            }
            _ => Text {
                zh: "受理时提供".into(),
                en: "needed at acceptance".into(),
            },
        };
        out.push(Item {
            section: Section::Materials,
            id: m.id.clone(),
            text: Text {
                zh: format!("{}（{}）— {}", m.name.zh, f.zh, when.zh),
                en: format!("{} ({}) — {}", m.name.en, f.en, when.en),
            },
        });
    }
    for s in &plan.steps {
        let due = match (&s.due, s.starts_from) {
            (Some(d), _) => {
                let d = due_text(d);
                Text {
                    zh: format!("，{} 前完成", d.zh),
                    en: format!(", done by {}", d.en),
                }
            }
            (None, StepStart::CustomerRequest) => Text {
                zh: "，自客户提出申请之日起计算".into(),
                en: ", counted from the customer's request".into(),
            },
            (None, StepStart::InspectionPassed) => Text {
                zh: "，自验收合格之日起计算".into(),
                en: ", counted from passing inspection".into(),
            },
            (None, _) => Text {
                zh: String::new(),
                en: String::new(),
            },
        };
        let description = form
            .steps
            .iter()
            .find(|x| x.id == s.id)
            .map(|x| x.description.clone())
            .unwrap_or(Text {
                zh: String::new(),
                en: String::new(),
            });
        out.push(Item {
            section: Section::Steps,
            id: s.id.clone(),
            text: Text {
                zh: format!(
                    "{}：{} 个工作日{}。{}",
                    s.name.zh, s.limit, due.zh, description.zh
                ),
                en: format!(
                    "{}: {} working days{}. {}",
                    s.name.en, s.limit, due.en, description.en
                ),
            },
        });
    }
    for fee in &form.fees {
        let amount = match &fee.amount {
            FeeAmount::Fen(0) => Text {
                zh: "免费".into(),
                en: "free of charge".into(),
            },
            FeeAmount::Fen(n) => Text {
                zh: format!("¥{}", yuan(*n)),
                en: format!("CNY {}", yuan(*n)),
            },
            FeeAmount::PerPriceList(t) => t.clone(),
        };
        out.push(Item {
            section: Section::Fees,
            id: fee.id.clone(),
            text: Text {
                zh: format!("{}：{}。依据：{}", fee.name.zh, amount.zh, fee.basis.zh),
                en: format!("{}: {}. Basis: {}", fee.name.en, amount.en, fee.basis.en),
            },
        });
    }
    for r in &form.rights {
        out.push(Item {
            section: Section::Rights,
            id: r.id.clone(),
            text: r.text.clone(),
        });
    }
    for d in &form.duties {
        out.push(Item {
            section: Section::Duties,
            id: d.id.clone(),
            text: d.text.clone(),
        });
    }
    for c in &form.contacts {
        out.push(Item {
            section: Section::Contacts,
            id: c.id.clone(),
            text: Text {
                zh: format!("{}：{}", c.name.zh, c.phone),
                en: format!("{}: {}", c.name.en, c.phone),
            },
        });
    }
    out
}

/// Whether the acceptance may be confirmed: every item ticked, and the
/// single-ID commitment letter signed when anything is still owed.
pub fn ready(
    items: &[Item],
    ticked: &BTreeSet<String>,
    owed: usize,
    commitment_signed: bool,
) -> Result<(), Msg> {
    let missing = items
        .iter()
        .filter(|i| !ticked.contains(&key(i.section, &i.id)))
        .count();
    if missing > 0 {
        return Err(msg!("disclosure.not_all_ticked", n = missing));
    }
    if owed > 0 && !commitment_signed {
        return Err(msg!("disclosure.commitment_needed", n = owed));
    }
    Ok(())
}

/// What a form now tells that a notice told earlier did not, and what it
/// told that the form no longer does, as (added, removed) texts in Chinese.
/// `told` holds (section code, item id, text) as it was told; items are
/// compared by section and id, since their texts carry the day's dates.
pub fn changed_since(
    told: &[(String, String, String)],
    now: &[Item],
) -> (Vec<String>, Vec<String>) {
    let was = |section: &str, id: &str| told.iter().any(|(s, i, _)| s == section && i == id);
    let added = now
        .iter()
        .filter(|i| !was(i.section.code(), &i.id))
        .map(|i| i.text.zh.clone())
        .collect();
    let removed = told
        .iter()
        .filter(|(s, i, _)| !now.iter().any(|n| n.section.code() == s && &n.id == i))
        .map(|(_, _, t)| t.clone())
        .collect();
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_formats_fen_exactly() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(12850), "128.50");
        assert_eq!(yuan(-100), "-1.00");
    }

    #[test]
    fn nothing_is_ready_until_every_item_is_ticked_and_the_letter_signed() {
        let items = vec![
            Item {
                section: Section::Rights,
                id: "choose".into(),
                text: Text {
                    zh: "a".into(),
                    en: "a".into(),
                },
            },
            Item {
                section: Section::Contacts,
                id: "hotline".into(),
                text: Text {
                    zh: "b".into(),
                    en: "b".into(),
                },
            },
        ];
        let mut ticked = BTreeSet::new();
        assert_eq!(
            ready(&items, &ticked, 0, false).unwrap_err().key,
            "disclosure.not_all_ticked"
        );
        ticked.insert(key(Section::Rights, "choose"));
        assert!(ready(&items, &ticked, 0, false).is_err());
        ticked.insert(key(Section::Contacts, "hotline"));
        assert_eq!(ready(&items, &ticked, 0, false), Ok(()));
        assert_eq!(
            ready(&items, &ticked, 1, false).unwrap_err().key,
            "disclosure.commitment_needed"
        );
        assert_eq!(ready(&items, &ticked, 1, true), Ok(()));
    }

    #[test]
    fn changed_since_names_items_added_and_removed_by_key_not_by_dated_text() {
        let told = vec![
            (
                "material".to_string(),
                "id_card".to_string(),
                "身份证".to_string(),
            ),
            (
                "step".to_string(),
                "visit".to_string(),
                "上门 2026-12-01 前".to_string(),
            ),
            (
                "material".to_string(),
                "old".to_string(),
                "旧材料".to_string(),
            ),
        ];
        let item = |section, id: &str, zh: &str| Item {
            section,
            id: id.into(),
            text: crate::domain::form::Text {
                zh: zh.into(),
                en: String::new(),
            },
        };
        let now = vec![
            item(Section::Materials, "id_card", "身份证"),
            item(Section::Steps, "visit", "上门 2026-12-09 前"),
            item(Section::Materials, "bill", "电费账单"),
        ];
        let (added, removed) = changed_since(&told, &now);
        assert_eq!(added, vec!["电费账单".to_string()]);
        assert_eq!(removed, vec!["旧材料".to_string()]);
    }
}
