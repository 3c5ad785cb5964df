//! The display's one message: the whole [`Facing`] as JSON, sent on every
//! change. It carries only what the customer may see; a test reads every
//! one of them for ID numbers, phones and addresses.

use serde_json::{json, Value};

use crate::domain::facing::{Asking, Facing, Moment, Named};
use crate::domain::msg::Lang;
use crate::domain::rating::{Level, Reason};

fn named(n: &Named) -> Value {
    json!({"zh": n.zh, "en": n.en})
}

fn moment(m: &Moment) -> Value {
    match m {
        Moment::Idle => json!({"kind": "idle"}),
        Moment::Serving {
            customer,
            business,
            owed,
        } => json!({
            "kind": "serving",
            "customer": customer,
            "business": business.as_ref().map(named),
            "owed": owed.iter().map(named).collect::<Vec<_>>(),
        }),
        Moment::Paying {
            what,
            due,
            late_fee,
            handed,
            change,
        } => json!({
            "kind": "paying",
            "what": what.as_ref().map(named),
            "due": due.map(|d| d.plain()),
            "late_fee": late_fee.plain(),
            "handed": handed.iter().map(|h| json!({
                "method": h.method.code(),
                "label": {
                    "zh": crate::i18n::text(&h.method.label(), Lang::Zh),
                    "en": crate::i18n::text(&h.method.label(), Lang::En),
                },
                "amount": h.amount.plain(),
            })).collect::<Vec<_>>(),
            "change": change.plain(),
        }),
        Moment::Done { reference, change } => json!({
            "kind": "done",
            "reference": reference,
            "change": change.map(|c| c.plain()),
        }),
    }
}

fn asking(a: &Asking) -> Value {
    match a {
        Asking::Nothing => json!({"kind": "nothing"}),
        Asking::Rate {
            reference,
            seconds_left,
        } => json!({"kind": "rate", "reference": reference, "seconds_left": seconds_left}),
        Asking::Thanks => json!({"kind": "thanks"}),
    }
}

/// The display's state as its page (or a rating device) reads it.
pub fn facing_json(f: &Facing) -> String {
    let lang = match f.lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    json!({
        "lang": lang,
        "hall": named(&f.hall),
        "window": f.window,
        "ticket": f.ticket,
        "clerk": f.clerk.as_ref().map(|c| json!({"name": c.name, "staff_no": c.staff_no})),
        "moment": moment(&f.moment),
        "asking": asking(&f.asking),
        "notices": f.notices,
        "duty_manager": {"name": f.duty_manager, "phone": f.duty_manager_phone},
        "levels": Level::ALL.iter().map(|l| json!({
            "code": l.code(), "zh": l.zh(), "en": l.en(), "poor": l.is_poor(),
        })).collect::<Vec<_>>(),
        "reasons": Reason::ALL.iter().map(|r| json!({
            "code": r.code(), "zh": r.zh(), "en": r.en(),
        })).collect::<Vec<_>>(),
    })
    .to_string()
}
