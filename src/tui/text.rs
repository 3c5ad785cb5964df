//! Messages as the clerk reads them: the catalogue's text in the clerk's
//! language, with the names of keys (`{key_reverse}`) filled in from the
//! keymap, so a hint always names the key that does it.

use crate::domain::msg::{Lang, Msg};
use crate::i18n;
use crate::tui::key_names;

/// Renders `m` in `lang`, naming keys as bound.
pub fn text(m: &Msg, lang: Lang) -> String {
    let filled = with_keys(m, lang);
    i18n::text(filled.as_ref().unwrap_or(m), lang)
}

/// Renders an argument-less key in `lang`, naming keys as bound.
pub fn t(key: &'static str, lang: Lang) -> String {
    text(&Msg::new(key), lang)
}

/// `m` with a value for every key placeholder its template has and it
/// lacks; `None` when there is none to fill (the message as it is).
fn with_keys(m: &Msg, lang: Lang) -> Option<Msg> {
    let template = i18n::catalog().template(m.key, lang)?;
    let mut out: Option<Msg> = None;
    let mut rest = template;
    while let Some(i) = rest.find("{key_") {
        rest = &rest[i + 1..];
        let Some(end) = rest.find('}') else { break };
        let name = &rest[..end];
        let given = m.get(name).is_some() || out.as_ref().is_some_and(|o| o.get(name).is_some());
        if !given {
            if let Some((static_name, label)) = key_names::named(name) {
                out.get_or_insert_with(|| m.clone())
                    .args
                    .push((static_name, label));
            }
        }
        rest = &rest[end..];
    }
    out
}
