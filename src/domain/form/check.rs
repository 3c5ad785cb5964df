//! Semantic checks on a form that parsed, and the conversion into [`Form`].
//!
//! Checks run over the whole raw form and collect every problem, so an
//! administrator fixes a file in one pass instead of one error per reload.
//! Only a form with no problem at all is converted.

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;

use super::schema::{effective_date, RawFee, RawField, RawForm, RawMaterial, RawNumber, RawWhen};
use super::{ApplicantKind, Decimal2, FieldKind, Form, Party, StepStart, Text};
use crate::domain::msg::Msg;
use crate::domain::problem::{line_at, starts_with_key, top_key_line, Problem};
use crate::msg;

/// Checks `raw` (parsed from `text`) and converts it when nothing is wrong.
pub(super) fn build(file: &str, text: &str, raw: RawForm) -> Result<Form, Vec<Problem>> {
    let mut c = Checker {
        file,
        text,
        code_line: line_at(text.as_bytes(), raw.code.span().start),
        problems: Vec::new(),
    };
    c.header(&raw);
    c.fields(&raw.fields);
    c.materials(&raw);
    c.steps(&raw);
    c.fees(&raw.fees);
    c.rest(&raw);
    if c.problems.is_empty() {
        Ok(super::convert::convert(raw))
    } else {
        // Report in file order, which is the order an administrator fixes them.
        let mut problems = c.problems;
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    /// Fallback line for problems about something missing from the file.
    code_line: usize,
    problems: Vec<Problem>,
}

/// Ids seen so far in one section, to report duplicates with the first line.
struct Ids {
    section: &'static str,
    seen: HashMap<String, usize>,
}

impl Ids {
    fn new(section: &'static str) -> Ids {
        Ids {
            section,
            seen: HashMap::new(),
        }
    }
}

impl Checker<'_> {
    fn push(&mut self, line: usize, msg: Msg) {
        self.problems.push(Problem::new(self.file, Some(line), msg));
    }

    fn line(&self, offset: usize) -> usize {
        line_at(self.text.as_bytes(), offset)
    }

    /// The line of `key` inside an item, or the item's first line when the
    /// key is not on a line of its own (inline tables).
    fn key_line(&self, span: &Range<usize>, key: &str) -> usize {
        let start = self.line(span.start);
        self.text
            .get(span.clone())
            .and_then(|item| {
                item.lines()
                    .position(|l| starts_with_key(l.trim_start(), key))
            })
            .map_or(start, |i| start + i)
    }

    /// The line of a top-level key, or of `code` when the key is absent.
    fn root_line(&self, key: &str) -> usize {
        top_key_line(self.text, key).unwrap_or(self.code_line)
    }

    /// Records an id: reports a malformed or repeated one.
    fn id(&mut self, ids: &mut Ids, id: &Spanned<String>) {
        let line = self.line(id.span().start);
        let value = id.get_ref();
        if !is_snake_id(value) {
            self.push(line, msg!("form.bad_id", section = ids.section, id = value));
        } else if let Some(first) = ids.seen.get(value) {
            self.push(
                line,
                msg!(
                    "form.duplicate_id",
                    section = ids.section,
                    id = value,
                    first_line = first
                ),
            );
        } else {
            ids.seen.insert(value.clone(), line);
        }
    }

    /// Reports an empty half of a bilingual text.
    fn text(&mut self, t: &Text, path: &str, line: usize) {
        if t.zh.trim().is_empty() {
            self.push(line, msg!("form.empty_zh", path = path));
        }
        if t.en.trim().is_empty() {
            self.push(line, msg!("form.empty_en", path = path));
        }
    }

    /// Checks the text under `key` of the item at `span`, pointing at the key's line.
    fn item_text(&mut self, span: &Range<usize>, key: &str, t: &Text, prefix: &str) {
        let line = self.key_line(span, key);
        self.text(t, &format!("{prefix}.{key}"), line);
    }

    fn item_opt_text(&mut self, span: &Range<usize>, key: &str, t: &Option<Text>, prefix: &str) {
        if let Some(t) = t {
            self.item_text(span, key, t, prefix);
        }
    }

    fn header(&mut self, raw: &RawForm) {
        let code = raw.code.get_ref();
        let stem = file_stem(self.file);
        if !is_snake_id(code) {
            self.push(self.code_line, msg!("form.bad_code", code = code));
        } else if code != stem {
            self.push(
                self.code_line,
                msg!("form.code_not_stem", code = code, stem = stem),
            );
        }
        self.text(&raw.name, "name", self.root_line("name"));
        if raw.pinyin.is_empty() || !raw.pinyin.bytes().all(|b| b.is_ascii_lowercase()) {
            self.push(
                self.root_line("pinyin"),
                msg!("form.bad_pinyin", pinyin = raw.pinyin),
            );
        }
        if raw.aliases.iter().any(|a| a.trim().is_empty()) {
            self.push(self.root_line("aliases"), msg!("form.empty_alias"));
        }
        if raw.applicant.is_empty() {
            self.push(self.root_line("applicant"), msg!("form.applicant_empty"));
        }
        if raw.version.trim().is_empty() {
            self.push(self.root_line("version"), msg!("form.version_empty"));
        }
        if effective_date(&raw.effective).is_none() {
            self.push(
                self.root_line("effective"),
                msg!("form.effective_not_date", value = raw.effective),
            );
        }
    }

    fn fields(&mut self, fields: &[Spanned<RawField>]) {
        let mut ids = Ids::new("[[fields]]");
        for item in fields {
            let (span, f) = (item.span(), item.get_ref());
            let fid = f.id.get_ref().as_str();
            self.id(&mut ids, &f.id);
            let prefix = format!("fields.{fid}");
            self.item_text(&span, "label", &f.label, &prefix);
            self.item_opt_text(&span, "help", &f.help, &prefix);
            match (&f.choices, f.kind) {
                (Some(choices), FieldKind::Choice) if !choices.is_empty() => {
                    let mut choice_ids = Ids::new("choices");
                    for ch in choices {
                        let ch_line = self.line(ch.span().start);
                        let ch = ch.get_ref();
                        self.id(&mut choice_ids, &ch.id);
                        let path = format!("fields.{fid}.choices.{}.label", ch.id.get_ref());
                        self.text(&ch.label, &path, ch_line);
                    }
                }
                (_, FieldKind::Choice) => {
                    let l = self.key_line(&span, "choices");
                    self.push(l, msg!("form.choices_missing", field = fid));
                }
                (Some(_), kind) => {
                    let l = self.key_line(&span, "choices");
                    self.push(
                        l,
                        msg!("form.choices_unexpected", field = fid, kind = kind.as_str()),
                    );
                }
                (None, _) => {}
            }
            let min = self.bound(&span, f, "min", f.min);
            let max = self.bound(&span, f, "max", f.max);
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    let l = self.key_line(&span, "min");
                    self.push(l, msg!("form.min_gt_max", field = fid, min = lo, max = hi));
                }
            }
            if let Some(n) = f.max_len {
                let l = self.key_line(&span, "max_len");
                if !f.kind.takes_max_len() {
                    let kind = f.kind.as_str();
                    self.push(
                        l,
                        msg!("form.max_len_unsupported", field = fid, kind = kind),
                    );
                } else if n == 0 {
                    self.push(l, msg!("form.max_len_zero", field = fid));
                }
            }
            if let Some(d) = &f.default {
                if !default_fits(f, d, min, max) {
                    let l = self.key_line(&span, "default");
                    let kind = f.kind.as_str();
                    self.push(
                        l,
                        msg!(
                            "form.default_invalid",
                            field = fid,
                            default = d,
                            kind = kind
                        ),
                    );
                }
            }
        }
    }

    /// Checks one of `min`/`max` and returns it when usable.
    fn bound(
        &mut self,
        span: &Range<usize>,
        f: &RawField,
        key: &'static str,
        n: Option<RawNumber>,
    ) -> Option<Decimal2> {
        let n = n?;
        let fid = f.id.get_ref().as_str();
        let line = self.key_line(span, key);
        if !f.kind.is_numeric() {
            let kind = f.kind.as_str();
            self.push(
                line,
                msg!(
                    "form.min_max_unsupported",
                    field = fid,
                    key = key,
                    kind = kind
                ),
            );
            return None;
        }
        let Some(d) = n.to_decimal() else {
            self.push(
                line,
                msg!("form.too_many_decimals", field = fid, key = key, value = n),
            );
            return None;
        };
        if f.kind == FieldKind::Integer && !d.is_whole() {
            self.push(
                line,
                msg!("form.not_integer", field = fid, key = key, value = d),
            );
            return None;
        }
        Some(d)
    }

    fn materials(&mut self, raw: &RawForm) {
        // Alternatives share the materials' id space: an owed-material record
        // names either, and must not be ambiguous.
        let mut ids = Ids::new("[[materials]]");
        for item in &raw.materials {
            let (span, m) = (item.span(), item.get_ref());
            let mid = m.id.get_ref().as_str();
            let prefix = format!("materials.{mid}");
            self.id(&mut ids, &m.id);
            self.item_text(&span, "name", &m.name, &prefix);
            self.item_opt_text(&span, "note", &m.note, &prefix);
            self.material_due(&span, m);
            if let Some(alts) = &m.any_of {
                if alts.is_empty() {
                    let l = self.key_line(&span, "any_of");
                    self.push(l, msg!("form.any_of_empty", material = mid));
                }
                for alt in alts {
                    let alt_line = self.line(alt.span().start);
                    let alt = alt.get_ref();
                    self.id(&mut ids, &alt.id);
                    let path = format!("materials.{mid}.any_of.{}.name", alt.id.get_ref());
                    self.text(&alt.name, &path, alt_line);
                }
            }
            if let Some(parties) = &m.applies_to {
                let l = self.key_line(&span, "applies_to");
                if parties.is_empty() {
                    self.push(l, msg!("form.applies_to_empty", material = mid));
                }
                for p in parties {
                    let kind = match p {
                        Party::Person => ApplicantKind::Person,
                        Party::Organisation => ApplicantKind::Organisation,
                        Party::Agent => continue,
                    };
                    if !raw.applicant.contains(&kind) {
                        let party = p.as_str();
                        self.push(l, msg!("form.applies_never", material = mid, party = party));
                    }
                }
            }
        }
        let at_acceptance = raw
            .materials
            .iter()
            .any(|m| m.get_ref().when == RawWhen::AtAcceptance);
        if raw.single_id && !at_acceptance {
            self.push(self.root_line("single_id"), msg!("form.single_id_needs_id"));
        }
    }

    fn material_due(&mut self, span: &Range<usize>, m: &RawMaterial) {
        let mid = m.id.get_ref().as_str();
        let key = "follow_within_working_days";
        match (m.when, m.follow_within_working_days) {
            (RawWhen::MayFollow, None) => {
                let l = self.key_line(span, "when");
                self.push(l, msg!("form.follow_days_missing", material = mid));
            }
            (RawWhen::MayFollow, Some(0)) => {
                let l = self.key_line(span, key);
                self.push(l, msg!("form.follow_days_zero", material = mid));
            }
            (RawWhen::AtAcceptance, Some(_)) => {
                let l = self.key_line(span, key);
                self.push(l, msg!("form.follow_days_unexpected", material = mid));
            }
            _ => {}
        }
    }

    fn steps(&mut self, raw: &RawForm) {
        if raw.steps.is_empty() {
            self.push(self.root_line("steps"), msg!("form.no_steps"));
        }
        let mut ids = Ids::new("[[steps]]");
        for (i, item) in raw.steps.iter().enumerate() {
            let (span, s) = (item.span(), item.get_ref());
            let sid = s.id.get_ref().as_str();
            let prefix = format!("steps.{sid}");
            self.id(&mut ids, &s.id);
            self.item_text(&span, "name", &s.name, &prefix);
            self.item_text(&span, "description", &s.description, &prefix);
            self.item_opt_text(&span, "who", &s.who, &prefix);
            if s.limit_working_days == 0 {
                let l = self.key_line(&span, "limit_working_days");
                self.push(l, msg!("form.step_limit_zero", step = sid));
            }
            if i == 0 && s.starts_from == StepStart::PreviousStep {
                let l = self.key_line(&span, "starts_from");
                self.push(l, msg!("form.first_step_previous", step = sid));
            }
        }
        match raw.total_limit_working_days {
            Some(0) => {
                let l = self.root_line("total_limit_working_days");
                self.push(l, msg!("form.total_zero"));
            }
            Some(total) => {
                let sum: u64 = raw
                    .steps
                    .iter()
                    .map(|s| u64::from(s.get_ref().limit_working_days))
                    .sum();
                if sum > u64::from(total) {
                    let l = self.root_line("total_limit_working_days");
                    self.push(l, msg!("form.steps_exceed_total", sum = sum, total = total));
                }
            }
            None => {}
        }
    }

    fn fees(&mut self, fees: &[Spanned<RawFee>]) {
        let mut ids = Ids::new("[[fees]]");
        for item in fees {
            let (span, f) = (item.span(), item.get_ref());
            let fid = f.id.get_ref().as_str();
            let line = self.line(span.start);
            self.id(&mut ids, &f.id);
            let prefix = format!("fees.{fid}");
            self.item_text(&span, "name", &f.name, &prefix);
            self.item_opt_text(&span, "payer", &f.payer, &prefix);
            match (f.amount_fen, &f.amount_text) {
                (None, None) => self.push(line, msg!("form.fee_no_amount", fee = fid)),
                (Some(_), Some(_)) => {
                    let l = self.key_line(&span, "amount_text");
                    self.push(l, msg!("form.fee_both_amounts", fee = fid));
                }
                (Some(fen), None) if fen < 0 => {
                    let l = self.key_line(&span, "amount_fen");
                    self.push(l, msg!("form.fee_negative", fee = fid, amount = fen));
                }
                (None, Some(t)) => self.item_text(&span, "amount_text", t, &prefix),
                (Some(_), None) => {}
            }
            if f.basis.zh.trim().is_empty() || f.basis.en.trim().is_empty() {
                let l = self.key_line(&span, "basis");
                self.push(l, msg!("form.fee_basis_empty", fee = fid));
            }
        }
    }

    /// Rights, contacts, duties and slips.
    fn rest(&mut self, raw: &RawForm) {
        if raw.rights.is_empty() {
            self.push(self.root_line("rights"), msg!("form.no_rights"));
        }
        let mut ids = Ids::new("[[rights]]");
        for item in &raw.rights {
            let r = item.get_ref();
            self.id(&mut ids, &r.id);
            let prefix = format!("rights.{}", r.id.get_ref());
            self.item_text(&item.span(), "text", &r.text, &prefix);
        }
        if raw.contacts.is_empty() {
            self.push(self.root_line("contacts"), msg!("form.no_contacts"));
        }
        let mut ids = Ids::new("[[contacts]]");
        for item in &raw.contacts {
            let (span, ct) = (item.span(), item.get_ref());
            let cid = ct.id.get_ref().as_str();
            self.id(&mut ids, &ct.id);
            self.item_text(&span, "name", &ct.name, &format!("contacts.{cid}"));
            if !is_phone(&ct.phone) {
                let l = self.key_line(&span, "phone");
                self.push(l, msg!("form.bad_phone", contact = cid, phone = ct.phone));
            }
        }
        let mut ids = Ids::new("[[duties]]");
        for item in &raw.duties {
            let d = item.get_ref();
            self.id(&mut ids, &d.id);
            let prefix = format!("duties.{}", d.id.get_ref());
            self.item_text(&item.span(), "text", &d.text, &prefix);
        }
        for (i, slip) in raw.slips.iter().enumerate() {
            if raw.slips[..i].contains(slip) {
                let l = self.root_line("slips");
                self.push(l, msg!("form.slip_duplicate", slip = slip.as_str()));
            }
        }
    }
}

/// Ids are stored in records and typed in files: lower-case ASCII, digits and
/// underscores, starting with a letter.
fn is_snake_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Digits with the usual separators; at least three digits (short codes such as 95598 count).
fn is_phone(s: &str) -> bool {
    let s = s.trim();
    s.bytes().filter(u8::is_ascii_digit).count() >= 3
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '+' | '(' | ')'))
}

/// The file name without directories and without `.toml`.
fn file_stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.strip_suffix(".toml").unwrap_or(name)
}

/// Whether a field's `default` is a value the field itself would accept.
fn default_fits(f: &RawField, d: &str, min: Option<Decimal2>, max: Option<Decimal2>) -> bool {
    match f.kind {
        FieldKind::Choice => f
            .choices
            .iter()
            .flatten()
            .any(|c| c.get_ref().id.get_ref() == d),
        FieldKind::CapacityKw | FieldKind::Integer | FieldKind::Money => Decimal2::parse(d)
            .is_some_and(|v| {
                (f.kind != FieldKind::Integer || v.is_whole())
                    && min.is_none_or(|lo| v >= lo)
                    && max.is_none_or(|hi| v <= hi)
            }),
        FieldKind::Date => NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok(),
        _ => f.max_len.is_none_or(|n| d.chars().count() <= n as usize),
    }
}
