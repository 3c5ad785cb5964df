//! The hall's own settings as the set-up form writes them: into the site
//! file with every comment and every other setting kept (toml_edit), the
//! tokens into files of their own beside it, readable by its owner only.

use std::path::{Path, PathBuf};

use toml_edit::{value, DocumentMut, Item, Table, TableLike};

use super::{Config, DEFAULT_TOML};
use crate::domain::msg::Msg;
use crate::msg;

/// What the set-up form asks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteAnswers {
    pub hall_name: String,
    pub hall_name_en: String,
    pub address: String,
    pub phone: String,
    pub window: String,
    pub duty_manager: String,
    pub duty_manager_phone: String,
    /// The CUPS queue; empty: slips as files only.
    pub printer: String,
    pub hq_url: String,
    /// A new token; empty keeps the one on file.
    pub hq_token: String,
    pub queue_url: String,
    /// A new token; empty keeps the one on file.
    pub queue_token: String,
    /// A practice-room PC.
    pub practice_room: bool,
}

impl SiteAnswers {
    /// The answers the configuration gives now (no token: those are never
    /// shown again).
    pub fn from_config(c: &Config) -> SiteAnswers {
        SiteAnswers {
            hall_name: c.hall.name.clone(),
            hall_name_en: c.hall.name_en.clone(),
            address: c.hall.address.clone(),
            phone: c.hall.phone.clone(),
            window: c.hall.window.clone(),
            duty_manager: c.hall.duty_manager.clone(),
            duty_manager_phone: c.hall.duty_manager_phone.clone(),
            printer: c.slips.printer.clone(),
            hq_url: c.hq.url.clone(),
            hq_token: String::new(),
            queue_url: c.queue.url.clone(),
            queue_token: String::new(),
            practice_room: c.lab.only,
        }
    }
}

/// Whether a site file's text sets the hall (its `[hall]` has a name).
pub fn hall_made(text: &str) -> bool {
    text.parse::<DocumentMut>()
        .ok()
        .and_then(|d| {
            d.get("hall")?
                .get("name")?
                .as_str()
                .map(|n| !n.trim().is_empty())
        })
        .unwrap_or(false)
}

/// The token file a site file at `config_file` keeps a token of `kind` in.
pub fn token_path(config_file: &Path, kind: &str) -> PathBuf {
    config_file
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("{kind}.token"))
}

/// The site file's text with `answers` set: the existing file's (or, for a
/// new one, the shipped defaults with all their comments), every other key
/// and comment as it was.
pub fn updated_text(
    existing: Option<&str>,
    answers: &SiteAnswers,
    config_file: &Path,
) -> Result<String, Msg> {
    let base = existing.unwrap_or(DEFAULT_TOML);
    let mut doc = base.parse::<DocumentMut>().map_err(|e| {
        msg!(
            "setup.file_unreadable",
            path = config_file.display(),
            detail = e
        )
    })?;
    let a = answers;
    set(&mut doc, "hall", "name", &a.hall_name);
    set(&mut doc, "hall", "name_en", &a.hall_name_en);
    set(&mut doc, "hall", "address", &a.address);
    set(&mut doc, "hall", "phone", &a.phone);
    set(&mut doc, "hall", "window", &a.window);
    set(&mut doc, "hall", "duty_manager", &a.duty_manager);
    set(
        &mut doc,
        "hall",
        "duty_manager_phone",
        &a.duty_manager_phone,
    );
    set(&mut doc, "slips", "printer", &a.printer);
    set(&mut doc, "hq", "url", &a.hq_url);
    if !a.hq_token.trim().is_empty() {
        let path = token_path(config_file, "hq");
        set(&mut doc, "hq", "token_file", &path.display().to_string());
    }
    set(&mut doc, "queue", "url", &a.queue_url);
    if !a.queue_token.trim().is_empty() {
        let path = token_path(config_file, "queue");
        set(&mut doc, "queue", "token_file", &path.display().to_string());
    }
    set_value(&mut doc, "lab", "only", a.practice_room.into());
    Ok(doc.to_string())
}

/// The table `name` (a `[name]` section or an inline table), made when the
/// file has none; a key of that name that is no table (which the
/// configuration would refuse anyway) is replaced by one.
fn table<'a>(doc: &'a mut DocumentMut, name: &str) -> &'a mut dyn TableLike {
    if doc.get(name).and_then(Item::as_table_like).is_none() {
        doc[name] = Item::Table(Table::new());
    }
    match doc[name].as_table_like_mut() {
        Some(t) => t,
        None => unreachable!("a table was just put there"),
    }
}

/// Sets `[t] key = "v"`, keeping the comment above and after the key.
fn set(doc: &mut DocumentMut, t: &str, key: &str, v: &str) {
    set_value(doc, t, key, v.trim().into());
}

fn set_value(doc: &mut DocumentMut, t: &str, key: &str, v: toml_edit::Value) {
    let tbl = table(doc, t);
    match tbl.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = v;
            *old.decor_mut() = decor;
        }
        None => {
            tbl.insert(key, value(v));
        }
    }
}

/// Writes the site file (a temporary file renamed over it, so a crash
/// leaves the old or the new one whole) and the tokens given, each in a
/// file only its owner may read.
pub fn write(config_file: &Path, text: &str, answers: &SiteAnswers) -> Result<(), Msg> {
    let fail =
        |p: &Path, e: std::io::Error| msg!("setup.write_failed", path = p.display(), detail = e);
    let dir = config_file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    for (kind, token) in [("hq", &answers.hq_token), ("queue", &answers.queue_token)] {
        if token.trim().is_empty() {
            continue;
        }
        let path = token_path(config_file, kind);
        write_private(&path, token.trim()).map_err(|e| fail(&path, e))?;
    }
    let tmp = config_file.with_extension("toml.part");
    // The new file keeps the old one's mode (it names the duty manager and
    // their phone), and is on disk before its name is.
    let mode = std::fs::metadata(config_file).ok().map(|m| m.permissions());
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        std::io::Write::write_all(&mut f, text.as_bytes())?;
        if let Some(mode) = mode {
            f.set_permissions(mode)?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, config_file)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(|e| fail(config_file, e))
}

/// Writes `text` to a file only its owner may read or write.
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    // A file that was there keeps its mode at open: narrowed here.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_written_with_every_comment_kept() {
        let answers = SiteAnswers {
            hall_name: "福州鼓楼供电营业厅".into(),
            hall_name_en: "Gulou Hall".into(),
            address: "福州市鼓楼区五四路 1 号".into(),
            phone: "0591-87654321".into(),
            window: "3".into(),
            duty_manager: "林芳".into(),
            duty_manager_phone: "13800000000".into(),
            printer: "counterdesk-pdf".into(),
            hq_url: "https://hq.example.cn:8443".into(),
            hq_token: "secret".into(),
            queue_url: String::new(),
            queue_token: String::new(),
            practice_room: false,
        };
        let file = Path::new("/etc/counterdesk/config.toml");
        let text = updated_text(None, &answers, file).unwrap();
        // Every comment line of the defaults is still there.
        for line in DEFAULT_TOML
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
        {
            assert!(text.contains(line), "lost: {line}");
        }
        let c: Config = toml::from_str(&text).unwrap();
        assert_eq!(c.hall.name, "福州鼓楼供电营业厅");
        assert_eq!(c.hall.window, "3");
        assert_eq!(c.slips.printer, "counterdesk-pdf");
        assert_eq!(c.hq.token_file, PathBuf::from("/etc/counterdesk/hq.token"));
        assert!(c.queue.token_file.as_os_str().is_empty());
        assert!(!c.lab.only);
        assert!(hall_made(&text));
        assert!(!hall_made("language = \"zh\"\n"));
        // An existing file keeps what the form does not ask.
        let mine = "# my note\nlanguage = \"en\"\n[money]\namount_limit = \"5000.00\" # ours\n";
        let text = updated_text(Some(mine), &answers, file).unwrap();
        assert!(text.starts_with("# my note\nlanguage = \"en\"\n"), "{text}");
        assert!(text.contains("amount_limit = \"5000.00\" # ours"), "{text}");
        assert!(
            text.contains("[hall]") && text.contains("window = \"3\""),
            "{text}"
        );
    }
}
