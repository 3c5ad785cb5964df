//! The customer card: who the customer is, their accounts, open
//! applications and unfinished acceptances.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::DraftNote;
use crate::desk::customers::CustomerCard;
use crate::domain::customer;
use crate::domain::id::{Gender, IdCheck};
use crate::domain::msg::{Lang, Msg};
use crate::domain::states::MaterialStatus;
use crate::msg;
use crate::store::applications::ApplicationRow;
use crate::tui::answer::Answer;
use crate::tui::lines::{current_step, local_day, overdue, step_line};
use crate::tui::screen::Ctx;
use crate::tui::text::{t, text};
use crate::tui::theme;

pub(crate) fn person_line(check: &IdCheck, lang: Lang) -> String {
    let Some(p) = &check.person else {
        return String::new();
    };
    let gender = match p.gender {
        Gender::Male => t("id.male", lang),
        Gender::Female => t("id.female", lang),
    };
    let province = p
        .province
        .as_ref()
        .map(|pr| match lang {
            Lang::Zh => pr.zh.to_string(),
            Lang::En => pr.en.to_string(),
        })
        .unwrap_or_default();
    text(
        &msg!(
            "customers.person",
            birth = p.birth_date.format("%Y-%m-%d"),
            age = p.age,
            gender = gender,
            province = province
        ),
        lang,
    )
}

fn flag_label(code: &str, ctx: &Ctx) -> String {
    if code == customer::GREEN_CHANNEL {
        return t("flag.green_channel", ctx.lang);
    }
    ctx.config
        .customers
        .flags
        .iter()
        .find(|f| f.code == code)
        .map(|f| f.label(ctx.lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub(super) fn render_card(
    card: &CustomerCard,
    drafts: &[DraftNote],
    area: Rect,
    buf: &mut Buffer,
    ctx: &Ctx,
) {
    let mut lines = who(card, ctx);
    lines.extend(accounts(card, ctx));
    if let Some(g) = &card.grid {
        let m = msg!(
            "customers.grid",
            grid = g.name,
            manager = g.manager,
            phone = g.phone
        );
        lines.push(Line::from(Span::styled(text(&m, ctx.lang), theme::dim())));
    }
    lines.extend(applications(card, ctx));
    lines.extend(file(card, ctx));
    let lang = ctx.lang;
    for d in drafts.iter().filter(|d| d.customer_id == card.customer.id) {
        let m = msg!(
            "customers.draft_line",
            business = ctx.form_name(&d.form_code),
            saved = d.saved
        );
        lines.push(Line::from(Span::styled(text(&m, lang), theme::warn())));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

fn label(k: &'static str, lang: Lang) -> Span<'static> {
    Span::styled(format!("{}: ", t(k, lang)), theme::label())
}

fn none(lang: Lang) -> Span<'static> {
    Span::styled(t("customers.none", lang), theme::dim())
}

/// Name, masked ID, person, flags, phone, address, any sign-off.
fn who(card: &CustomerCard, ctx: &Ctx) -> Vec<Line<'static>> {
    let lang = ctx.lang;
    let c = &card.customer;
    let kind = card
        .check
        .kind
        .map(|k| text(&k.name_msg(), lang))
        .unwrap_or_default();
    // The name the slips print, when it is not the name itself.
    let latin = c
        .name_latin
        .as_deref()
        .map(|l| format!("（{}：{l}）", t("customers.name_latin", lang)))
        .unwrap_or_default();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(c.name.clone(), theme::title().add_modifier(Modifier::BOLD)),
            Span::raw(latin),
            Span::raw("  "),
            Span::raw(card.masked_id.clone()),
            Span::styled(format!("  {kind}"), theme::dim()),
        ]),
        Line::from(Span::styled(person_line(&card.check, lang), theme::dim())),
    ];
    let mut flags = vec![label("customers.flags", lang)];
    if card.flags.is_empty() {
        flags.push(none(lang));
    }
    for f in &card.flags {
        flags.push(Span::styled(
            format!(" {} ", flag_label(f, ctx)),
            theme::flag(),
        ));
        flags.push(Span::raw(" "));
    }
    lines.push(Line::from(flags));
    lines.push(Line::from(vec![
        label("customers.phone", lang),
        card.masked_phone
            .clone()
            .map(Span::raw)
            .unwrap_or_else(|| none(lang)),
    ]));
    lines.push(Line::from(vec![
        label("customers.told_in", lang),
        Span::raw(t(lang_name(c.lang), lang)),
    ]));
    lines.push(Line::from(vec![
        label("customers.address", lang),
        c.address
            .clone()
            .map(Span::raw)
            .unwrap_or_else(|| none(lang)),
    ]));
    if let Some(reason) = &c.id_signoff_reason {
        lines.push(Line::from(Span::styled(
            text(&msg!("customers.signed_off_before", reason = reason), lang),
            theme::warn(),
        )));
    }
    lines.push(Line::from(""));
    lines
}

/// The customer's electricity accounts.
fn accounts(card: &CustomerCard, ctx: &Ctx) -> Vec<Line<'static>> {
    let lang = ctx.lang;
    let mut lines = vec![Line::from(Span::styled(
        text(
            &msg!(
                "customers.accounts",
                n = card.accounts.len()
                    + card
                        .hq_accounts
                        .iter()
                        .filter(|h| !card.accounts.iter().any(|l| l.account_no == h.account_no))
                        .count()
            ),
            lang,
        ),
        theme::title(),
    ))];
    if card.accounts.is_empty() && card.hq_accounts.is_empty() {
        lines.push(Line::from(vec![Span::raw("  "), none(lang)]));
    }
    for a in &card.accounts {
        lines.push(Line::from(vec![
            Span::raw(format!("  {}  ", a.account_no)),
            Span::styled(
                format!("{}  ", text(&tariff_msg(&a.tariff), lang)),
                theme::dim(),
            ),
            Span::raw(a.address.clone()),
        ]));
    }
    // The accounts HQ lists for this ID, with whether they are supplied.
    for a in card
        .hq_accounts
        .iter()
        .filter(|h| !card.accounts.iter().any(|l| l.account_no == h.account_no))
    {
        let state = text(&crate::tui::lines::supply_state(a.state), lang);
        let style = if a.state == crate::domain::states::SupplyState::Normal {
            theme::dim()
        } else {
            theme::warn()
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {}  ", a.account_no)),
            Span::styled(format!("{state}  "), style),
            Span::raw(a.address.clone()),
        ]));
    }
    lines
}

/// The open applications, each with its current step and what is owed.
fn applications(card: &CustomerCard, ctx: &Ctx) -> Vec<Line<'static>> {
    let lang = ctx.lang;
    let n = card.open_applications.len();
    let mut lines = vec![Line::from(Span::styled(
        text(&msg!("customers.open_applications", n = n), lang),
        theme::title(),
    ))];
    if card.open_applications.is_empty() {
        lines.push(Line::from(vec![Span::raw("  "), none(lang)]));
    }
    let today = local_day(ctx.now);
    for app in &card.open_applications {
        lines.extend(application(app, today, ctx));
    }
    lines
}

/// The customer's file: the newest entry of each material, what it is
/// good for, and a mark on what has run out or soon will.
fn file(card: &CustomerCard, ctx: &Ctx) -> Vec<Line<'static>> {
    use crate::domain::material_file::{expiry, Expiry, Keep, Validity};
    let lang = ctx.lang;
    let mut lines = vec![Line::from(Span::styled(
        t("file.card_heading", lang),
        theme::title(),
    ))];
    if card.file.is_empty() {
        lines.push(Line::from(vec![Span::raw("  "), none(lang)]));
    }
    let today = local_day(ctx.now);
    let mut newest: Vec<&crate::domain::material_file::Filed> = Vec::new();
    for f in card.file.iter().rev() {
        if !newest.iter().any(|n| n.material_id == f.material_id) {
            newest.push(f);
        }
    }
    newest.reverse();
    for f in newest {
        let validity = match (f.keep, f.validity) {
            (Keep::ThisApplication, _) => t("file.one_application", lang),
            (Keep::SameAddress, Validity::Unknown) => t("file.same_address", lang),
            (_, Validity::Until(d)) => text(&msg!("file.valid_until", date = d), lang),
            (_, Validity::LongTerm) => t("file.long_term", lang),
            (Keep::UntilExpiry, Validity::Unknown) => t("file.unknown_validity", lang),
            (_, Validity::Unknown) => t("file.no_expiry", lang),
        };
        let m = msg!(
            "file.card_line",
            name = crate::tui::lines::short_name(f.name.get(lang)),
            validity = validity,
            date = local_day(f.received_at),
            source = crate::tui::acceptance::checklist::source_name(&f.source, lang)
        );
        let mut spans = vec![Span::raw("  "), Span::raw(text(&m, lang) + " ")];
        if let Some(scan) = &f.scan {
            let m = msg!(
                "scan.on_card",
                kind = scan.kind.label(),
                size = crate::domain::scan::size_text(scan.bytes)
            );
            spans.push(Span::styled(format!("〔{}〕", text(&m, lang)), theme::ok()));
        }
        match expiry(f, today) {
            Some(Expiry::Expired(_)) => {
                spans.push(Span::styled(t("file.mark_expired", lang), theme::error()))
            }
            Some(Expiry::Soon(_)) => {
                spans.push(Span::styled(t("file.mark_soon", lang), theme::warn()))
            }
            None => {}
        }
        lines.push(Line::from(spans));
    }
    lines
}

fn application(app: &ApplicationRow, today: chrono::NaiveDate, ctx: &Ctx) -> Vec<Line<'static>> {
    let lang = ctx.lang;
    let step = current_step(app);
    let late = step.is_some_and(|s| overdue(s.due_date, today));
    let step_text = step.map(|s| step_line(s, lang)).unwrap_or_default();
    let owed: Vec<_> = app
        .materials
        .iter()
        .filter(|m| m.status == MaterialStatus::Owed)
        .collect();
    let owed_late = owed.iter().any(|m| overdue(m.due_date, today));
    let next_due = owed.iter().filter_map(|m| m.due_date).min();
    let summary = msg!(
        "customers.app_summary",
        owed = owed.len(),
        due = next_due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into()),
        disclosed = app
            .disclosed_at
            .map(|d| local_day(d).to_string())
            .unwrap_or_else(|| "-".into()),
        n = app.disclosed_items
    );
    let mut lines = vec![
        Line::from(vec![
            Span::raw(format!("  {}  ", app.ticket_no)),
            Span::styled(
                format!("{}  ", ctx.form_name(&app.form_code)),
                theme::title(),
            ),
            Span::styled(
                step_text,
                if late {
                    theme::error()
                } else {
                    ratatui::style::Style::default()
                },
            ),
        ]),
        Line::from(Span::styled(
            format!("      {}", text(&summary, lang)),
            if owed_late {
                theme::error()
            } else {
                theme::dim()
            },
        )),
    ];
    if let Some(m) = &app.manager {
        let said = msg!("grid.manager_line", name = m.name, phone = m.phone);
        lines.push(Line::from(Span::styled(
            format!("      {}", text(&said, lang)),
            theme::dim(),
        )));
    }
    lines
}

fn tariff_msg(code: &str) -> Msg {
    match code {
        "residential" => msg!("tariff.residential"),
        "commercial" => msg!("tariff.commercial"),
        "industrial" => msg!("tariff.industrial"),
        "agricultural" => msg!("tariff.agricultural"),
        other => msg!("tariff.other", code = other),
    }
}

/// The catalogue key naming a customer's language.
fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Zh => "customers.lang_zh",
        Lang::En => "customers.lang_en",
    }
}

impl super::Customers {
    /// F10: the customer is told in the other language from now on.
    pub(super) fn toggle_language(&mut self, desk: &mut crate::desk::Desk) {
        let Some(card) = self.card().cloned() else {
            return;
        };
        let to = match card.customer.lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        if let Some(updated) = desk
            .set_customer_lang(&self.session, &card, to)
            .or_refused(&mut self.notice)
        {
            let m = msg!("customers.lang_set").part("lang", Msg::new(lang_name(to)));
            self.notice = Some(crate::domain::msg::Notice::done(m));
            self.outcome = super::Outcome::Found(Box::new(updated));
        }
    }
}
