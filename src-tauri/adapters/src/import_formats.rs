//! Bitwarden's unencrypted JSON export and the CSV exports of Chrome/Edge,
//! Firefox, Bitwarden, KeePassXC and 1Password (auto-detected by their header
//! lines), plus any CSV with a column mapping. UTF-8 or Shift_JIS.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::import::{guess_category, Candidate, SkippedItem};
use noren_base::error::{Error, Result};
use noren_base::normalize;
use noren_base::secret::SecretString;
use noren_domain::credentials::credential::{Category, CredentialInput};

pub const MAX_BYTES: usize = 64 * 1024 * 1024;
pub const MAX_ITEMS: usize = 200_000;

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_string())
    }
}

fn skip(origin: String, code: &str, reason: impl Into<String>) -> SkippedItem {
    SkippedItem { origin, code: code.into(), field: None, reason: reason.into() }
}

#[derive(Deserialize)]
struct BwExport {
    #[serde(default)]
    encrypted: bool,
    #[serde(default)]
    folders: Vec<BwFolder>,
    #[serde(default)]
    items: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct BwFolder {
    id: String,
    name: String,
}

fn s(v: &serde_json::Value, path: &[&str]) -> String {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(n) => cur = n,
            None => return String::new(),
        }
    }
    match cur {
        serde_json::Value::String(x) => x.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn time(v: &serde_json::Value, key: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&s(v, &[key])).ok().map(|d| d.with_timezone(&Utc))
}

/// `time`, and a note when the field is there but is no date (`2026-02-30…`).
fn time_noted(v: &serde_json::Value, key: &str, notes: &mut Vec<String>) -> Option<DateTime<Utc>> {
    let raw = s(v, &[key]);
    let t = time(v, key);
    if t.is_none() && !raw.trim().is_empty() {
        let shown: String = raw.chars().take(40).collect();
        notes.push(format!("{key} {shown:?} is not a date: left out"));
    }
    t
}

/// Bitwarden's "JSON" export (not the encrypted one): logins, secure notes, cards as notes; folders as tags.
pub fn bitwarden_json(bytes: &[u8]) -> Result<(Vec<Candidate>, Vec<SkippedItem>)> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::invalid("file", "larger than 64 MiB"));
    }
    let text = std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes))
        .map_err(|_| Error::invalid("file", "not UTF-8 JSON"))?;
    let bw: BwExport = serde_json::from_str(text).map_err(|e| Error::invalid("file", format!("not a Bitwarden JSON export: {e}")))?;
    if bw.encrypted {
        return Err(Error::invalid("file", "this is an encrypted Bitwarden export; export again as \"JSON\" (not encrypted)"));
    }
    if bw.items.len() > MAX_ITEMS {
        return Err(Error::invalid("file", format!("more than {MAX_ITEMS} items")));
    }
    let folders: HashMap<String, String> = bw.folders.into_iter().map(|f| (f.id, f.name)).collect();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (i, item) in bw.items.iter().enumerate() {
        let name = s(item, &["name"]);
        let origin = format!("item {} ({name})", i + 1);
        let folder = item.get("folderId").and_then(|f| f.as_str()).and_then(|id| folders.get(id)).cloned();
        let mut tags: Vec<String> = folder.iter().cloned().collect();
        let mut notes = s(item, &["notes"]);
        let mut fields = BTreeMap::new();
        if let Some(list) = item.get("fields").and_then(|f| f.as_array()) {
            for f in list {
                let (k, v) = (s(f, &["name"]), s(f, &["value"]));
                if !k.trim().is_empty() && !v.is_empty() {
                    fields.insert(k, v);
                }
            }
        }
        let kind = item.get("type").and_then(|t| t.as_u64()).unwrap_or(0);
        let (url, login, password, totp, category) = match kind {
            1 => {
                let url = item
                    .get("login")
                    .and_then(|l| l.get("uris"))
                    .and_then(|u| u.as_array())
                    .and_then(|u| u.first())
                    .map(|u| s(u, &["uri"]))
                    .unwrap_or_default();
                let cat = guess_category(&tags, &name, &url);
                (url, s(item, &["login", "username"]), s(item, &["login", "password"]), s(item, &["login", "totp"]), cat)
            }
            2 => (String::new(), String::new(), String::new(), String::new(), Category::Other),
            3 => {
                let card: Vec<String> = [
                    ("名義", "cardholderName"),
                    ("ブランド", "brand"),
                    ("番号", "number"),
                    ("有効期限(月)", "expMonth"),
                    ("有効期限(年)", "expYear"),
                    ("セキュリティコード", "code"),
                ]
                .iter()
                .filter_map(|(label, key)| opt(&s(item, &["card", key])).map(|v| format!("{label}: {v}")))
                .collect();
                notes = if notes.is_empty() { card.join("\n") } else { format!("{}\n\n{notes}", card.join("\n")) };
                tags.push("カード".into());
                (String::new(), String::new(), String::new(), String::new(), Category::Other)
            }
            _ => {
                skipped.push(skip(origin, "unsupported", "identities and other item kinds are not imported"));
                continue;
            }
        };
        let mut notes_of_entry = Vec::new();
        let created = time_noted(item, "creationDate", &mut notes_of_entry);
        let modified = time_noted(item, "revisionDate", &mut notes_of_entry);
        // An old password whose date is no date is kept, dated by the entry.
        let fallback = modified.or(created);
        let mut undated = 0;
        let history: Vec<(SecretString, DateTime<Utc>, DateTime<Utc>)> = item
            .get("passwordHistory")
            .and_then(|h| h.as_array())
            .map(|h| {
                h.iter()
                    .filter_map(|p| {
                        let pw = opt(&s(p, &["password"]))?;
                        let when = time(p, "lastUsedDate").or_else(|| {
                            undated += 1;
                            fallback
                        })?;
                        Some((SecretString::new(pw), when, when))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if undated > 0 {
            notes_of_entry.push(format!("{undated} old password(s) had no readable date: dated by the entry"));
        }
        out.push(Candidate {
            input: CredentialInput {
                category: Some(category),
                name: Some(if name.trim().is_empty() { "(名前なし)".into() } else { name }),
                url: opt(&url),
                login: opt(&login),
                password: opt(&password).map(SecretString::new),
                totp: opt(&totp).map(SecretString::new),
                notes: opt(&notes),
                tags: Some(tags),
                fields,
                ..Default::default()
            },
            history,
            created,
            modified,
            origin,
            notes: notes_of_entry,
        });
    }
    Ok((out, skipped))
}

/// Which column holds what, for a CSV (by header text).
#[derive(Clone, Debug, Default, Deserialize, ts_rs::TS)]
#[serde(default)]
#[ts(export)]
pub struct Mapping {
    pub name: Option<String>,
    pub url: Option<String>,
    pub login: Option<String>,
    pub password: Option<String>,
    pub notes: Option<String>,
    pub totp: Option<String>,
    pub group: Option<String>,
}

/// The header row of a CSV file (for choosing a mapping).
pub fn csv_headers(bytes: &[u8]) -> Result<Vec<String>> {
    let (text, _) = crate::customer_import::decode(bytes)?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    Ok(rdr.headers().map_err(|e| Error::invalid("file", format!("cannot read the header row: {e}")))?.iter().map(str::to_string).collect())
}

/// The known exports, by their header lines.
fn detect(headers: &[String]) -> Option<(&'static str, Mapping)> {
    let h: Vec<String> = headers.iter().map(|x| x.trim().to_ascii_lowercase()).collect();
    let has = |k: &str| h.iter().any(|x| x == k);
    let m = |name: &str, url: &str, login: &str, pw: &str, notes: &str, totp: &str, group: &str| Mapping {
        name: opt(name),
        url: opt(url),
        login: opt(login),
        password: opt(pw),
        notes: opt(notes),
        totp: opt(totp),
        group: opt(group),
    };
    if has("login_uri") && has("login_password") {
        return Some(("Bitwarden CSV", m("name", "login_uri", "login_username", "login_password", "notes", "login_totp", "folder")));
    }
    if has("httprealm") && has("formactionorigin") {
        return Some(("Firefox", m("", "url", "username", "password", "", "", "")));
    }
    if has("group") && has("title") && has("username") && has("password") {
        return Some(("KeePassXC CSV", m("title", "url", "username", "password", "notes", "totp", "group")));
    }
    if has("title") && has("website") && has("password") {
        return Some(("1Password", m("title", "website", "username", "password", "notes", "one-time password", "tags")));
    }
    if has("name") && has("url") && has("username") && has("password") {
        return Some(("Chrome / Edge", m("name", "url", "username", "password", "note", "", "")));
    }
    None
}

/// A password-manager CSV: a known flavour, or any CSV with `mapping`. Returns the flavour's name.
pub fn csv(bytes: &[u8], mapping: Option<&Mapping>) -> Result<(String, Vec<Candidate>, Vec<SkippedItem>)> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::invalid("file", "larger than 64 MiB"));
    }
    let (text, _) = crate::customer_import::decode(bytes)?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> =
        rdr.headers().map_err(|e| Error::invalid("file", format!("cannot read the header row: {e}")))?.iter().map(str::to_string).collect();
    let (flavour, map) = match mapping {
        Some(m) => ("CSV".to_string(), m.clone()),
        None => match detect(&headers) {
            Some((f, m)) => (f.to_string(), m),
            None => return Err(Error::invalid("mapping", "unknown CSV layout: choose which column is the name, URL, login and password")),
        },
    };
    let folded: Vec<String> = headers.iter().map(|x| normalize::fold(x)).collect();
    // A mapping the user chose must match; a detected flavour's optional columns may be absent
    // (older Chrome exports have no "note").
    let strict = mapping.is_some();
    let col = |name: &Option<String>| -> Result<Option<usize>> {
        match name {
            None => Ok(None),
            Some(n) => match folded.iter().position(|h| *h == normalize::fold(n)) {
                Some(i) => Ok(Some(i)),
                None if strict => Err(Error::invalid("mapping", format!("no column named {n:?}"))),
                None => Ok(None),
            },
        }
    };
    let (c_name, c_url, c_login, c_pw, c_notes, c_totp, c_group) =
        (col(&map.name)?, col(&map.url)?, col(&map.login)?, col(&map.password)?, col(&map.notes)?, col(&map.totp)?, col(&map.group)?);
    if c_name.is_none() && c_url.is_none() {
        return Err(Error::invalid("mapping", "map at least the name or the URL column"));
    }
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                skipped.push(skip(format!("line {line}"), "unreadable", format!("unreadable row: {e}")));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if out.len() + skipped.len() >= MAX_ITEMS {
            return Err(Error::invalid("file", format!("more than {MAX_ITEMS} rows")));
        }
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("").to_string();
        let url = get(c_url);
        let host = url::Url::parse(url.trim()).ok().and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_string()));
        let name = opt(&get(c_name)).or(host);
        let Some(name) = name else {
            skipped.push(skip(format!("line {line}"), "no_name", "no name and no URL"));
            continue;
        };
        let group = get(c_group);
        let groups: Vec<String> = opt(&group).into_iter().collect();
        out.push(Candidate {
            input: CredentialInput {
                category: Some(guess_category(&groups, &name, &url)),
                name: Some(name.clone()),
                url: opt(&url),
                login: opt(&get(c_login)),
                password: opt(&get(c_pw)).map(SecretString::new),
                totp: opt(&get(c_totp)).map(SecretString::new),
                notes: opt(&get(c_notes)),
                tags: Some(groups),
                ..Default::default()
            },
            history: Vec::new(),
            created: None,
            modified: None,
            notes: Vec::new(),
            origin: format!("line {line} ({name})"),
        });
    }
    Ok((flavour, out, skipped))
}

/// A cell that a spreadsheet would compute instead of showing (`=HYPERLINK(…)`,
/// `@SUM(…)`, `+cmd|…`): it starts like a formula.
fn starts_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A password is changed only when it could do something as a formula (calls a
/// function or a DDE link): a generated one starting with `-` is
/// written as it is, so that it still works when imported elsewhere.
fn password_acts_as_formula(s: &str) -> bool {
    starts_like_formula(s) && s.contains(['(', '|'])
}

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The logins as a Chrome-style CSV (`name,url,username,password,note`), for
/// another password manager. Cells that a spreadsheet would run as formulas
/// get a leading `'` (shown, never computed); passwords only when they act as
/// one. Returns the text and how many passwords were so marked.
pub fn to_csv(creds: &[noren_domain::credentials::credential::Credential]) -> (zeroize::Zeroizing<String>, usize) {
    let mut text = zeroize::Zeroizing::new(String::from("name,url,username,password,note\n"));
    let mut marked = 0;
    let safe = |s: &str| if starts_like_formula(s) { format!("'{s}") } else { s.to_string() };
    for c in creds {
        let pw = c.password.expose();
        let pw_cell = if password_acts_as_formula(pw) {
            marked += 1;
            zeroize::Zeroizing::new(format!("'{pw}"))
        } else {
            zeroize::Zeroizing::new(pw.to_string())
        };
        let cells = [
            safe(&c.name),
            safe(c.url.as_deref().unwrap_or("")),
            safe(c.login.as_deref().unwrap_or("")),
            pw_cell.to_string(),
            safe(&c.notes),
        ];
        let row = zeroize::Zeroizing::new(cells.iter().map(|f| csv_quote(f)).collect::<Vec<_>>().join(","));
        text.push_str(&row);
        text.push('\n');
    }
    (text, marked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_headers_are_detected() {
        let d = |h: &str| detect(&h.split(',').map(|s| s.trim_matches('"').to_string()).collect::<Vec<_>>()).map(|(f, _)| f);
        assert_eq!(d("name,url,username,password,note"), Some("Chrome / Edge"));
        assert_eq!(d("name,url,username,password"), Some("Chrome / Edge"));
        assert_eq!(
            d("\"url\",\"username\",\"password\",\"httpRealm\",\"formActionOrigin\",\"guid\",\"timeCreated\",\"timeLastUsed\",\"timePasswordChanged\""),
            Some("Firefox")
        );
        assert_eq!(
            d("folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp"),
            Some("Bitwarden CSV")
        );
        assert_eq!(
            d("\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\"Created\""),
            Some("KeePassXC CSV")
        );
        assert_eq!(d("Title,Website,Username,Password,One-time password,Favorite status,Archived status,Tags,Notes"), Some("1Password"));
        assert_eq!(d("サービス,ID,パス"), None);
    }
}
