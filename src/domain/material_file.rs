//! The customer's file (一次报送、不复报): a material handed in once stays
//! on record with what the document says of itself, and a later
//! application does not ask for it again while it is still valid for that
//! purpose. Which materials may be reused, and how, is the form's rule.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::form::Text;
use crate::domain::msg::Msg;
use crate::msg;

/// The source of an entry read from the ID card reader.
pub const READER: &str = "reader";

pub use crate::domain::form::Keep;

/// What the document says its validity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Validity {
    /// Nothing recorded.
    Unknown,
    /// Valid up to and including this day.
    Until(NaiveDate),
    /// Printed 长期 (long-term): it does not expire.
    LongTerm,
}

/// One material on a customer's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    pub id: i64,
    /// The form's material id (the kind of material).
    pub material_id: String,
    pub name: Text,
    pub keep: Keep,
    /// The document's own number, where it has one.
    pub doc_no: Option<String>,
    /// Who issued it.
    pub authority: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub validity: Validity,
    /// The supply address it is for (kept for `SameAddress`).
    pub address: Option<String>,
    /// Where it came from: the application's ticket number, or the ID card
    /// reader.
    pub source: String,
    pub received_at: DateTime<Utc>,
    /// The scanned copy, if one was attached.
    pub scan: Option<crate::domain::scan::ScanRef>,
}

/// Whether a material on file serves a new application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// On file and valid: not asked for again (已在档).
    Valid,
    /// Expired on that day: asked for again.
    Expired(NaiveDate),
    /// It served its own application only.
    ThisApplicationOnly,
    /// It is for another supply address.
    OtherAddress(String),
    /// Its expiry was never recorded, so it cannot be relied on.
    ValidityUnknown,
}

impl Standing {
    /// Why it is asked for again, for the checklist and the slip.
    pub fn reason(&self) -> Option<Msg> {
        match self {
            Standing::Valid => None,
            Standing::Expired(d) => Some(msg!("file.expired", date = d)),
            Standing::ThisApplicationOnly => Some(msg!("file.this_application_only")),
            Standing::OtherAddress(a) => Some(msg!("file.other_address", address = a)),
            Standing::ValidityUnknown => Some(msg!("file.validity_unknown")),
        }
    }
}

/// Supply addresses compare without their spaces.
fn same_address(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    squeeze(a) == squeeze(b)
}

/// Whether `f` serves an application today at `address`. A document valid
/// until a day is valid on that day.
pub fn standing(f: &Filed, today: NaiveDate, address: Option<&str>) -> Standing {
    if let Validity::Until(d) = f.validity {
        if d < today {
            return Standing::Expired(d);
        }
    }
    match f.keep {
        Keep::ThisApplication => Standing::ThisApplicationOnly,
        Keep::UntilExpiry if f.validity == Validity::Unknown => Standing::ValidityUnknown,
        Keep::UntilExpiry | Keep::NoExpiry => Standing::Valid,
        Keep::SameAddress => match (&f.address, address) {
            (Some(on_file), Some(here)) if same_address(on_file, here) => Standing::Valid,
            (Some(on_file), _) => Standing::OtherAddress(on_file.clone()),
            (None, _) => Standing::OtherAddress(String::new()),
        },
    }
}

/// The entry of `material_id` to go by: the newest valid one, else the
/// newest of any standing (so the checklist can say why it is asked again).
pub fn pick<'a>(
    file: &'a [Filed],
    material_id: &str,
    today: NaiveDate,
    address: Option<&str>,
) -> Option<(&'a Filed, Standing)> {
    let mut of_kind: Vec<&Filed> = file
        .iter()
        .filter(|f| f.material_id == material_id)
        .collect();
    of_kind.sort_by_key(|f| std::cmp::Reverse((f.received_at, f.id)));
    let valid = of_kind
        .iter()
        .find(|f| standing(f, today, address) == Standing::Valid);
    match valid {
        Some(f) => Some((f, Standing::Valid)),
        None => of_kind.first().map(|f| (*f, standing(f, today, address))),
    }
}

/// How the card marks an entry whose validity runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// Expired on that day.
    Expired(NaiveDate),
    /// Expires within [`SOON_DAYS`].
    Soon(NaiveDate),
}

/// Days ahead in which an expiry is pointed out on the card.
pub const SOON_DAYS: i64 = 30;

/// The card's mark for `f`, if its validity runs out soon or has.
pub fn expiry(f: &Filed, today: NaiveDate) -> Option<Expiry> {
    match f.validity {
        Validity::Until(d) if d < today => Some(Expiry::Expired(d)),
        Validity::Until(d) if (d - today).num_days() <= SOON_DAYS => Some(Expiry::Soon(d)),
        _ => None,
    }
}

/// What the clerk typed about a document, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typed {
    pub doc_no: String,
    pub authority: String,
    pub issued_on: String,
    pub valid_until: String,
}

/// What the clerk typed about a document, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub doc_no: Option<String>,
    pub authority: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub validity: Validity,
}

impl Default for Details {
    fn default() -> Self {
        Details {
            doc_no: None,
            authority: None,
            issued_on: None,
            validity: Validity::Unknown,
        }
    }
}

/// Which typed detail a problem is with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailField {
    DocNo,
    Authority,
    IssuedOn,
    ValidUntil,
}

const MAX_DOC_NO: usize = 40;
const MAX_AUTHORITY: usize = 60;

fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    ["%Y-%m-%d", "%Y.%m.%d", "%Y%m%d", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// Checks what was typed: dates readable, issued no later than today, an
/// expiry neither before the issue date nor already past (an expired
/// document is not received as valid). 长期 or "long-term" for a document
/// that does not expire.
pub fn check(t: &Typed, today: NaiveDate) -> Result<Details, (DetailField, Msg)> {
    let doc_no = Some(t.doc_no.trim().to_string()).filter(|s| !s.is_empty());
    if doc_no
        .as_ref()
        .is_some_and(|s| s.chars().count() > MAX_DOC_NO)
    {
        return Err((
            DetailField::DocNo,
            msg!("file.doc_no_long", max = MAX_DOC_NO),
        ));
    }
    let authority = Some(t.authority.trim().to_string()).filter(|s| !s.is_empty());
    if authority
        .as_ref()
        .is_some_and(|s| s.chars().count() > MAX_AUTHORITY)
    {
        return Err((
            DetailField::Authority,
            msg!("file.authority_long", max = MAX_AUTHORITY),
        ));
    }
    let issued_on = match t.issued_on.trim() {
        "" => None,
        s => Some(date(s).ok_or((DetailField::IssuedOn, msg!("file.bad_date", typed = s)))?),
    };
    if let Some(d) = issued_on.filter(|d| *d > today) {
        return Err((
            DetailField::IssuedOn,
            msg!("file.issued_in_future", date = d),
        ));
    }
    let validity = match t.valid_until.trim() {
        "" => Validity::Unknown,
        s if s == "长期"
            || s.eq_ignore_ascii_case("long-term")
            || s.eq_ignore_ascii_case("long term") =>
        {
            Validity::LongTerm
        }
        s => Validity::Until(
            date(s).ok_or((DetailField::ValidUntil, msg!("file.bad_date", typed = s)))?,
        ),
    };
    if let (Validity::Until(until), Some(issued)) = (validity, issued_on) {
        if until < issued {
            return Err((
                DetailField::ValidUntil,
                msg!("file.expires_before_issue", until = until, issued = issued),
            ));
        }
    }
    if let Validity::Until(until) = validity {
        if until < today {
            return Err((
                DetailField::ValidUntil,
                msg!("file.already_expired", date = until),
            ));
        }
    }
    Ok(Details {
        doc_no,
        authority,
        issued_on,
        validity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn filed(keep: Keep, validity: Validity, at: &str) -> Filed {
        Filed {
            id: 1,
            material_id: "applicant_id".into(),
            name: Text {
                zh: "身份证".into(),
                en: "ID".into(),
            },
            keep,
            doc_no: None,
            authority: None,
            issued_on: None,
            validity,
            address: Some("人民路 1 号".into()),
            source: "SL1".into(),
            received_at: format!("{at}T02:00:00Z").parse().unwrap(),
            scan: None,
        }
    }

    #[test]
    fn a_document_is_valid_on_its_last_day_and_expired_the_next() {
        let f = filed(
            Keep::UntilExpiry,
            Validity::Until(d("2027-03-01")),
            "2026-01-01",
        );
        assert_eq!(standing(&f, d("2027-03-01"), None), Standing::Valid);
        assert_eq!(
            standing(&f, d("2027-03-02"), None),
            Standing::Expired(d("2027-03-01"))
        );
    }

    #[test]
    fn a_power_of_attorney_is_never_reused_and_an_unknown_expiry_is_not_trusted() {
        let poa = filed(Keep::ThisApplication, Validity::LongTerm, "2026-01-01");
        assert_eq!(
            standing(&poa, d("2026-02-01"), None),
            Standing::ThisApplicationOnly
        );
        let id = filed(Keep::UntilExpiry, Validity::Unknown, "2026-01-01");
        assert_eq!(
            standing(&id, d("2026-02-01"), None),
            Standing::ValidityUnknown
        );
        let id = filed(Keep::UntilExpiry, Validity::LongTerm, "2026-01-01");
        assert_eq!(standing(&id, d("2046-02-01"), None), Standing::Valid);
    }

    #[test]
    fn a_property_certificate_serves_the_same_address_only() {
        let f = filed(Keep::SameAddress, Validity::Unknown, "2026-01-01");
        assert_eq!(
            standing(&f, d("2026-02-01"), Some("人民路1号")),
            Standing::Valid
        );
        assert_eq!(
            standing(&f, d("2026-02-01"), Some("解放路 9 号")),
            Standing::OtherAddress("人民路 1 号".into())
        );
    }

    #[test]
    fn the_newest_valid_entry_wins_over_a_newer_expired_one() {
        let mut old = filed(
            Keep::UntilExpiry,
            Validity::Until(d("2030-01-01")),
            "2025-01-01",
        );
        old.id = 1;
        let mut new = filed(
            Keep::UntilExpiry,
            Validity::Until(d("2026-01-01")),
            "2025-06-01",
        );
        new.id = 2;
        let file = [old.clone(), new.clone()];
        let (f, s) = pick(&file, "applicant_id", d("2026-06-01"), None).unwrap();
        assert_eq!((f.id, s), (1, Standing::Valid));
        let file = [new];
        let (f, s) = pick(&file, "applicant_id", d("2026-06-01"), None).unwrap();
        assert_eq!((f.id, s), (2, Standing::Expired(d("2026-01-01"))));
        assert!(pick(&file, "agent_id", d("2026-06-01"), None).is_none());
    }

    #[test]
    fn typed_details_are_checked_against_each_other_and_today() {
        let today = d("2026-12-07");
        let typed = |issued: &str, until: &str| Typed {
            issued_on: issued.into(),
            valid_until: until.into(),
            ..Typed::default()
        };
        let ok = check(&typed("2016-03-01", "2036-03-01"), today).unwrap();
        assert_eq!(ok.validity, Validity::Until(d("2036-03-01")));
        assert_eq!(
            check(&typed("", "长期"), today).unwrap().validity,
            Validity::LongTerm
        );
        let (field, m) = check(&typed("2016-03-01", "2015-03-01"), today).unwrap_err();
        assert_eq!(field, DetailField::ValidUntil);
        assert_eq!(m.key, "file.expires_before_issue");
        let (_, m) = check(&typed("", "2026-03-01"), today).unwrap_err();
        assert_eq!(m.key, "file.already_expired");
        let (field, m) = check(&typed("2016-13-01", ""), today).unwrap_err();
        assert_eq!((field, m.key), (DetailField::IssuedOn, "file.bad_date"));
        let (_, m) = check(&typed("2027-01-01", ""), today).unwrap_err();
        assert_eq!(m.key, "file.issued_in_future");
    }

    #[test]
    fn the_card_marks_what_runs_out_within_a_month() {
        let today = d("2026-12-07");
        let f = filed(
            Keep::UntilExpiry,
            Validity::Until(d("2026-12-20")),
            "2026-01-01",
        );
        assert_eq!(expiry(&f, today), Some(Expiry::Soon(d("2026-12-20"))));
        let f = filed(
            Keep::UntilExpiry,
            Validity::Until(d("2027-12-20")),
            "2026-01-01",
        );
        assert_eq!(expiry(&f, today), None);
    }
}
