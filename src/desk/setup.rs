//! The hall's set-up, by an administrator: hall, window, duty manager,
//! printer, HQ and the hall service with their tokens, the practice-room
//! switch. Each answer is checked as the configuration checks it, the links
//! can be tried on the spot, and the site file is written with its comments
//! kept; the change is audited (never the tokens).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use super::{DeskError, Session};
use crate::config::site::{self, SiteAnswers};
use crate::config::{self, HqLink, QueueLink};
use crate::domain::clerk::Role;
use crate::domain::customer::{validate_address, validate_phone};
use crate::domain::msg::{Input, Msg, SiteField};
use crate::msg;
use crate::store::Event;

/// Where the settings were written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSaved {
    pub path: PathBuf,
}

fn at(field: SiteField, m: Msg) -> DeskError {
    DeskError::at(m, Input::Site(field))
}

/// An address of HQ or the hall service as the links take it.
fn check_url(field: SiteField, url: &str) -> Result<(), DeskError> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(());
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(at(field, msg!("setup.url_scheme", url = url)));
    }
    if !config::plain_http_allowed(url) {
        return Err(at(field, msg!("setup.url_plain", url = url)));
    }
    Ok(())
}

/// Every answer checked on its own, the first problem at its field.
pub fn check_answers(a: &SiteAnswers) -> Result<(), DeskError> {
    use SiteField as F;
    for (field, text) in [
        (F::HallName, &a.hall_name),
        (F::Window, &a.window),
        (F::DutyManager, &a.duty_manager),
    ] {
        if text.trim().is_empty() {
            return Err(at(field, msg!("setup.required")));
        }
    }
    validate_address(&a.address).map_err(|m| at(F::Address, m))?;
    for (field, phone) in [
        (F::Phone, &a.phone),
        (F::DutyManagerPhone, &a.duty_manager_phone),
    ] {
        validate_phone(phone).map_err(|m| at(field, m))?;
    }
    if a.window.trim().chars().count() > 8 {
        return Err(at(F::Window, msg!("setup.window_long")));
    }
    check_url(F::HqUrl, &a.hq_url)?;
    check_url(F::QueueUrl, &a.queue_url)?;
    for (field, token) in [(F::HqToken, &a.hq_token), (F::QueueToken, &a.queue_token)] {
        if token
            .trim()
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(at(field, msg!("setup.token_bad")));
        }
    }
    Ok(())
}

/// The CUPS queues this PC has (`lpstat -e`); none when CUPS is not there.
pub fn printers() -> Vec<String> {
    Command::new("lpstat")
        .arg("-e")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// A token typed on the form, in a file only this user may read, as the
/// links read their tokens; removed when dropped.
struct TypedToken(PathBuf);

impl TypedToken {
    fn new(token: &str) -> Result<TypedToken, Msg> {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!(".counterdesk-try-{}-{n}.token", std::process::id()));
        // A new file only (never one someone put there first), readable by
        // this user alone from the moment it exists.
        let written = {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .and_then(|mut f| f.write_all(token.trim().as_bytes()))
        };
        written.map_err(|e| msg!("setup.write_failed", path = path.display(), detail = e))?;
        Ok(TypedToken(path))
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TypedToken {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The token to try: the one typed, else the one on file.
fn token_file(typed: &str, on_file: &Path) -> Result<(Option<TypedToken>, PathBuf), Msg> {
    if typed.trim().is_empty() {
        return Ok((None, on_file.to_path_buf()));
    }
    let t = TypedToken::new(typed)?;
    let p = t.path().to_path_buf();
    Ok((Some(t), p))
}

impl super::Desk {
    /// Whether an administrator should be walked through the set-up: the
    /// site file does not set the hall yet (never on a practice sandbox).
    pub fn hall_needs_setup(&self) -> bool {
        !self.config.hall_made && !self.training
    }

    /// The answers as the configuration stands (tokens never shown).
    pub fn site_answers(&self) -> SiteAnswers {
        SiteAnswers::from_config(&self.config)
    }

    /// Tries HQ at `url` with `token` (or the one on file): reached, the
    /// token taken, and the clock's difference.
    pub fn try_hq(&self, url: &str, token: &str) -> Result<Msg, DeskError> {
        check_url(SiteField::HqUrl, url)?;
        if url.trim().is_empty() {
            return Err(at(SiteField::HqUrl, msg!("setup.url_empty")));
        }
        let (_keep, file) =
            token_file(token, &self.config.hq.token_file).map_err(|m| at(SiteField::HqToken, m))?;
        let cfg = HqLink {
            url: url.trim().to_string(),
            token_file: file,
            connect_timeout_seconds: 3,
            read_timeout_seconds: 5,
            ..self.config.hq.clone()
        };
        let link = crate::sync::link::Link::from_config(&cfg)
            .map_err(|e| at(SiteField::HqToken, e.msg()))?
            .ok_or_else(|| at(SiteField::HqUrl, msg!("setup.url_empty")))?;
        let sent = chrono::Utc::now();
        match link.probe() {
            Ok(Some(hq)) => Ok(msg!(
                "setup.hq_ok",
                url = url.trim(),
                seconds = (hq - sent).num_seconds()
            )),
            Ok(None) => Ok(msg!("setup.hq_ok", url = url.trim(), seconds = "?")),
            Err(e) => {
                // A refused token is the token's field; anything else the address's.
                let field = match e {
                    crate::sync::SyncError::Token => SiteField::HqToken,
                    _ => SiteField::HqUrl,
                };
                Err(at(
                    field,
                    msg!("setup.hq_failed", url = url.trim()).part("why", e.msg()),
                ))
            }
        }
    }

    /// Tries the hall service at `url` with this window's `token`.
    pub fn try_hall(&self, url: &str, token: &str) -> Result<Msg, DeskError> {
        check_url(SiteField::QueueUrl, url)?;
        if url.trim().is_empty() {
            return Err(at(SiteField::QueueUrl, msg!("setup.url_empty")));
        }
        let (_keep, file) = token_file(token, &self.config.queue.token_file)
            .map_err(|m| at(SiteField::QueueToken, m))?;
        let cfg = QueueLink {
            url: url.trim().to_string(),
            token_file: file,
            ..self.config.queue.clone()
        };
        let link = crate::hall::link::from_config(&cfg)
            .map_err(|m| at(SiteField::QueueToken, m))?
            .ok_or_else(|| at(SiteField::QueueUrl, msg!("setup.url_empty")))?;
        match link.whoami() {
            Ok(_) => Ok(msg!("setup.hall_ok", url = url.trim())),
            Err(e) => {
                let field = match e {
                    crate::hall::link::LinkError::Token => SiteField::QueueToken,
                    _ => SiteField::QueueUrl,
                };
                Err(at(
                    field,
                    msg!("setup.hall_failed", url = url.trim()).part("why", e.msg()),
                ))
            }
        }
    }

    /// Prints the set-up page on `queue`; what the printer said.
    pub fn try_printer(&mut self, queue: &str) -> Result<Msg, DeskError> {
        let queue = queue.trim();
        if queue.is_empty() {
            return Err(at(SiteField::Printer, msg!("setup.printer_empty")));
        }
        self.load_font_now()?;
        let p = self.print_test_page(Some(queue), None)?;
        match p.printed {
            super::slips::PrintOutcome::Sent(_) => Ok(msg!("setup.printer_ok", queue = queue)),
            super::slips::PrintOutcome::Failed(why) => Err(at(
                SiteField::Printer,
                msg!(
                    "setup.printer_failed",
                    queue = queue,
                    detail = why.lines().next().unwrap_or_default().trim()
                ),
            )),
            super::slips::PrintOutcome::FileOnly => Ok(msg!("setup.printer_ok", queue = queue)),
        }
    }

    /// Writes the answers to the site file, an administrator only, after
    /// every check; the new settings take effect at the next start.
    pub fn save_site(
        &mut self,
        session: &Session,
        a: &SiteAnswers,
    ) -> Result<SiteSaved, DeskError> {
        if session.role() != Role::Admin {
            return Err(msg!("setup.admin_only").into());
        }
        check_answers(a)?;
        let path = self
            .config
            .site_file
            .clone()
            .or_else(config::default_config_path)
            .ok_or_else(|| DeskError::new(msg!("config.no_data_dir")))?;
        let existing = std::fs::read_to_string(&path).ok();
        let text = site::updated_text(existing.as_deref(), a, &path)?;
        // What is written must load as a start loads it.
        config::check_text(&path.display().to_string(), &text)
            .map_err(|e| DeskError::new(msg!("setup.check_failed", detail = e.render())))?;
        site::write(&path, &text, a)?;
        let event = Event::new(
            "config.setup",
            &session.staff_no,
            json!({
                "file": path.display().to_string(),
                "hall": a.hall_name.trim(), "window": a.window.trim(),
                "printer": a.printer.trim(), "hq_url": a.hq_url.trim(),
                "hq_token_changed": !a.hq_token.trim().is_empty(),
                "queue_url": a.queue_url.trim(),
                "queue_token_changed": !a.queue_token.trim().is_empty(),
                "practice_room": a.practice_room,
            }),
        );
        self.store
            .write(Some(session.clerk_id), |_tx, _now| Ok(((), event)))?;
        self.config.hall_made = true;
        Ok(SiteSaved { path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> SiteAnswers {
        SiteAnswers {
            hall_name: "鼓楼供电营业厅".into(),
            address: "五四路 1 号".into(),
            phone: "0591-87654321".into(),
            window: "2".into(),
            duty_manager: "林芳".into(),
            duty_manager_phone: "13800000000".into(),
            ..SiteAnswers::default()
        }
    }

    #[test]
    fn each_answer_is_checked_at_its_field() {
        assert!(check_answers(&good()).is_ok());
        let cases: Vec<(SiteAnswers, SiteField)> = vec![
            (
                SiteAnswers {
                    hall_name: " ".into(),
                    ..good()
                },
                SiteField::HallName,
            ),
            (
                SiteAnswers {
                    phone: "12345".into(),
                    ..good()
                },
                SiteField::Phone,
            ),
            (
                SiteAnswers {
                    duty_manager_phone: "abc".into(),
                    ..good()
                },
                SiteField::DutyManagerPhone,
            ),
            (
                SiteAnswers {
                    window: "".into(),
                    ..good()
                },
                SiteField::Window,
            ),
            (
                SiteAnswers {
                    hq_url: "ftp://hq".into(),
                    ..good()
                },
                SiteField::HqUrl,
            ),
            (
                SiteAnswers {
                    hq_url: "http://10.0.0.5:8443".into(),
                    ..good()
                },
                SiteField::HqUrl,
            ),
            (
                SiteAnswers {
                    queue_url: "hall.local".into(),
                    ..good()
                },
                SiteField::QueueUrl,
            ),
            (
                SiteAnswers {
                    hq_token: "a b".into(),
                    ..good()
                },
                SiteField::HqToken,
            ),
        ];
        for (a, field) in cases {
            let e = check_answers(&a).expect_err("refused");
            assert_eq!(e.input(), Some(Input::Site(field)), "{a:?}");
        }
    }
}
