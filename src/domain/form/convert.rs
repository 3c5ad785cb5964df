//! A form that passed every check, turned from the file as written into
//! the [`Form`] the counter works with.

use super::schema::{effective_date, RawForm, RawWhen};
use super::*;

/// Converts a form that passed every check.
pub(super) fn convert(raw: RawForm) -> Form {
    Form {
        code: raw.code.into_inner(),
        name: raw.name,
        pinyin: raw.pinyin,
        aliases: raw.aliases,
        applicant: raw.applicant,
        category: raw.category,
        version: raw.version,
        // Checked above; the fallback is never reached.
        effective: effective_date(&raw.effective).unwrap_or_default(),
        total_limit_working_days: raw.total_limit_working_days,
        single_id: raw.single_id,
        fields: raw
            .fields
            .into_iter()
            .map(|f| {
                let f = f.into_inner();
                Field {
                    id: f.id.into_inner(),
                    label: f.label,
                    kind: f.kind,
                    required: f.required,
                    min: f.min.and_then(super::schema::RawNumber::to_decimal),
                    max: f.max.and_then(super::schema::RawNumber::to_decimal),
                    max_len: f.max_len,
                    choices: f
                        .choices
                        .unwrap_or_default()
                        .into_iter()
                        .map(|c| {
                            let c = c.into_inner();
                            Choice {
                                id: c.id.into_inner(),
                                label: c.label,
                            }
                        })
                        .collect(),
                    help: f.help,
                    default: f.default,
                }
            })
            .collect(),
        materials: raw
            .materials
            .into_iter()
            .map(|m| {
                let m = m.into_inner();
                let form = m.form;
                Material {
                    id: m.id.into_inner(),
                    name: m.name,
                    form,
                    due: match m.when {
                        RawWhen::AtAcceptance => MaterialDue::AtAcceptance,
                        RawWhen::MayFollow => MaterialDue::MayFollow {
                            // Checked above: a may_follow material has its days.
                            within_working_days: m.follow_within_working_days.unwrap_or(1),
                        },
                    },
                    any_of: m
                        .any_of
                        .unwrap_or_default()
                        .into_iter()
                        .map(|a| {
                            let a = a.into_inner();
                            Alternative {
                                id: a.id.into_inner(),
                                name: a.name,
                                form: a.form.unwrap_or(form),
                            }
                        })
                        .collect(),
                    note: m.note,
                    applies_to: m.applies_to,
                    keep: m.keep.unwrap_or_default(),
                }
            })
            .collect(),
        steps: raw
            .steps
            .into_iter()
            .map(|s| {
                let s = s.into_inner();
                Step {
                    id: s.id.into_inner(),
                    name: s.name,
                    limit_working_days: s.limit_working_days,
                    starts_from: s.starts_from,
                    description: s.description,
                    who: s.who,
                }
            })
            .collect(),
        fees: raw
            .fees
            .into_iter()
            .map(|f| {
                let f = f.into_inner();
                Fee {
                    id: f.id.into_inner(),
                    name: f.name,
                    amount: match (f.amount_fen, f.amount_text) {
                        (Some(fen), _) => FeeAmount::Fen(fen),
                        // Checked above: without an amount there is a text.
                        (None, text) => FeeAmount::PerPriceList(text.unwrap_or(Text {
                            zh: String::new(),
                            en: String::new(),
                        })),
                    },
                    basis: f.basis,
                    payer: f.payer,
                }
            })
            .collect(),
        rights: raw
            .rights
            .into_iter()
            .map(|r| {
                let r = r.into_inner();
                Right {
                    id: r.id.into_inner(),
                    text: r.text,
                }
            })
            .collect(),
        contacts: raw
            .contacts
            .into_iter()
            .map(|c| {
                let c = c.into_inner();
                Contact {
                    id: c.id.into_inner(),
                    name: c.name,
                    phone: c.phone.trim().to_string(),
                }
            })
            .collect(),
        duties: raw
            .duties
            .into_iter()
            .map(|d| {
                let d = d.into_inner();
                Duty {
                    id: d.id.into_inner(),
                    text: d.text,
                }
            })
            .collect(),
        slips: raw.slips,
    }
}
