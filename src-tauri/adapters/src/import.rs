//! Moving logins in from other password managers: a source parser produces
//! candidates, the user sees a preview (duplicates marked), and the import is
//! written in one batch or not at all, with a report of what was skipped and why.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use noren_base::error::Result;
use noren_base::normalize;
use noren_base::secret::SecretString;
use noren_domain::credentials::credential::{self, Category, Credential, CredentialInput, PasswordVersion};
use noren_store::store::Store;

/// One login read from another manager, not yet validated or stored.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub input: CredentialInput,
    /// Older passwords, oldest first: (password, when it was set, when it was replaced).
    pub history: Vec<(SecretString, DateTime<Utc>, DateTime<Utc>)>,
    pub created: Option<DateTime<Utc>>,
    pub modified: Option<DateTime<Utc>>,
    /// Where it came from, for the report ("Group/Sub/Title", "line 12").
    pub origin: String,
    /// What the reader could not take as it was (a date that is no date),
    /// said with the entry's other changes.
    pub notes: Vec<String>,
}

/// What to do with a candidate that matches an existing login (same host and login).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OnDuplicate {
    Skip,
    KeepBoth,
    /// Replace the existing login's fields (its old password goes to its history).
    Update,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ImportRow {
    pub origin: String,
    pub name: String,
    #[ts(type = "string")]
    pub category: Category,
    pub url: Option<String>,
    pub login: Option<String>,
    pub has_password: bool,
    pub has_totp: bool,
    pub history: usize,
    /// The existing login this one matches.
    pub duplicate_of: Option<String>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SkippedItem {
    pub origin: String,
    pub code: String,
    pub field: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub source: String,
    pub rows: Vec<ImportRow>,
    pub skipped: Vec<SkippedItem>,
    /// Entries imported with something moved to fit (an address that is not
    /// one kept as a field, a name cut short with the whole of it in the notes).
    pub changed: Vec<SkippedItem>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub imported: usize,
    pub updated: usize,
    pub duplicates_skipped: usize,
    pub skipped: Vec<SkippedItem>,
    pub changed: Vec<SkippedItem>,
}

/// A field name not yet used in `fields` ("URL", else "URL 2", …).
fn free_key(fields: &std::collections::BTreeMap<String, String>, base: &str) -> String {
    (1..).map(|n| if n == 1 { base.to_string() } else { format!("{base} {n}") }).find(|k| !fields.contains_key(k)).unwrap_or_default()
}

/// Without control characters (a stray tab or escape in another manager's field).
fn without_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}

/// The candidate as a credential, made to fit Noren's rules without losing
/// what it carries: what cannot stay where it was (an address that is no
/// address, a login too long for its field, a name too long) is kept as an
/// extra field or in the notes, and said once. Only what cannot be kept at all
/// (a password with a line break) leaves the entry out.
struct Fitted {
    /// The input as it fits (what `Update` applies to an existing login).
    input: CredentialInput,
    credential: Credential,
    change: Option<SkippedItem>,
}

fn fit(cand: &Candidate, set_at: DateTime<Utc>) -> std::result::Result<Fitted, SkippedItem> {
    let mut input = cand.input.clone();
    let mut notes: Vec<String> = Vec::new();
    let mut moved: Vec<String> = cand.notes.clone();
    for _ in 0..12 {
        let e = match credential::build(&input, set_at) {
            Ok(mut c) => {
                if !notes.is_empty() {
                    let mut text = c.notes.clone();
                    for n in &notes {
                        if !text.is_empty() {
                            text.push('\n');
                        }
                        text.push_str(n);
                    }
                    input.notes = Some(text.clone());
                    c.notes = text;
                }
                let change = (!moved.is_empty()).then(|| SkippedItem {
                    origin: cand.origin.clone(),
                    code: "kept_elsewhere".into(),
                    field: None,
                    reason: moved.join("; "),
                });
                return Ok(Fitted { input, credential: c, change });
            }
            Err(e) => e,
        };
        let noren_base::Error::Invalid { field, reason } = &e else { return Err(skipped_from(&cand.origin, &e)) };
        match *field {
            "url" => {
                let v = input.url.take().unwrap_or_default();
                let key = free_key(&input.fields, "URL");
                moved.push(format!("URL kept as the field {key:?} ({reason})"));
                input.fields.insert(key, without_controls(&v));
            }
            "login" => {
                let v = input.login.take().unwrap_or_default();
                let key = free_key(&input.fields, "UserName");
                moved.push(format!("login kept as the field {key:?} ({reason})"));
                input.fields.insert(key, without_controls(&v));
            }
            "name" => {
                let original = input.name.clone().unwrap_or_default();
                let name = without_controls(original.trim());
                let short: String = if name.trim().is_empty() {
                    let from_url =
                        input.url.as_deref().and_then(|u| url::Url::parse(u).ok()).and_then(|u| u.host_str().map(str::to_string));
                    from_url.or_else(|| input.login.clone()).unwrap_or_else(|| cand.origin.clone())
                } else {
                    name.chars().take(credential::MAX_NAME).collect()
                };
                let short: String = without_controls(short.trim()).chars().take(credential::MAX_NAME).collect();
                if short.trim().is_empty() || short == original.trim() {
                    return Err(skipped_from(&cand.origin, &e));
                }
                if name.chars().count() > credential::MAX_NAME {
                    notes.push(format!("名前 (Name): {name}"));
                    moved.push(format!("name cut to {} characters, the whole of it is in the notes", credential::MAX_NAME));
                } else if name.trim().is_empty() {
                    moved.push("no name: named after its address".into());
                } else {
                    moved.push("control characters removed from the name".into());
                }
                input.name = Some(short);
            }
            "tags" => {
                let tags = input.tags.take().unwrap_or_default();
                notes.push(format!("タグ (Tags): {}", without_controls(&tags.join(", "))));
                moved.push(format!("tags kept in the notes ({reason})"));
            }
            "totp" => {
                let v = input.totp.take().map(|t| t.expose().to_string()).unwrap_or_default();
                let key = free_key(&input.fields, "otp");
                moved.push(format!("2FA secret not understood, kept as the field {key:?}"));
                input.fields.insert(key, without_controls(&v));
            }
            "fields" => {
                let fields = std::mem::take(&mut input.fields);
                for (k, v) in fields {
                    let k: String = without_controls(&k).chars().filter(|c| *c != '\n').take(64).collect();
                    let k = if k.trim().is_empty() { free_key(&input.fields, "field") } else { k };
                    let v = without_controls(&v);
                    if v.chars().count() > 4096 {
                        notes.push(format!("{k}: {v}"));
                    } else {
                        input.fields.insert(k, v);
                    }
                }
                moved.push(format!("extra fields tidied ({reason})"));
            }
            "notes" => {
                let n = input.notes.take().unwrap_or_default();
                let cleaned = without_controls(&n);
                if cleaned.chars().count() > credential::MAX_NOTES || cleaned == n {
                    return Err(skipped_from(&cand.origin, &e));
                }
                input.notes = Some(cleaned);
                moved.push("control characters removed from the notes".into());
            }
            _ => return Err(skipped_from(&cand.origin, &e)),
        }
    }
    Err(SkippedItem { origin: cand.origin.clone(), code: "invalid_input".into(), field: None, reason: "could not be made to fit".into() })
}

/// A category from group names, title and URL (Japanese and English words).
pub fn guess_category(groups: &[String], title: &str, url: &str) -> Category {
    let rules: [(Category, &[&str]); 6] = [
        (Category::Email, &["mail", "メール", "gmail", "imap", "smtp", "outlook"]),
        (Category::Domain, &["domain", "ドメイン", "registrar", "お名前.com", "onamae", "ムームー", "muumuu"]),
        (Category::Server, &["server", "サーバ", "hosting", "ssh", "ftp", "vps", "xserver", "sakura", "lolipop", "ロリポップ", "cpanel"]),
        (Category::Sns, &["sns", "instagram", "twitter", "facebook", "line", "tiktok", "youtube", "x.com", "インスタ"]),
        (
            Category::Portal,
            &[
                "portal",
                "ポータル",
                "掲載",
                "予約サイト",
                "hotpepper",
                "ホットペッパー",
                "ekiten",
                "エキテン",
                "google business",
                "食べログ",
                "epark",
            ],
        ),
        (Category::Website, &["web", "site", "ホームページ", "サイト", "cms", "wordpress", "wix", "jimdo", "ペライチ"]),
    ];
    // Folded once: imports call this for every entry.
    static FOLDED: std::sync::OnceLock<Vec<(Category, Vec<String>)>> = std::sync::OnceLock::new();
    let folded = FOLDED.get_or_init(|| rules.iter().map(|(c, ws)| (*c, ws.iter().map(|w| normalize::fold(w)).collect())).collect());
    // Group names decide first (the shop sorted them), then the entry itself.
    for hay in [groups.join(" "), format!("{title} {url}")] {
        let h = normalize::fold(&hay);
        for (cat, words) in folded {
            if words.iter().any(|w| h.contains(w.as_str())) {
                return *cat;
            }
        }
    }
    Category::Other
}

fn host_login_key(url: Option<&str>, login: Option<&str>) -> Option<String> {
    let url = url?.trim();
    let host = url::Url::parse(if url.contains("://") { url.to_string() } else { format!("https://{url}") }.as_str())
        .ok()?
        .host_str()?
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    Some(format!("{host}\u{0}{}", normalize::fold(login.unwrap_or(""))))
}

/// Validates every candidate and marks duplicates; nothing is written.
pub fn preview(
    store: &Store,
    source: &str,
    candidates: &[Candidate],
    mut skipped: Vec<SkippedItem>,
    now: DateTime<Utc>,
) -> Result<ImportPreview> {
    let existing: HashMap<String, String> = store
        .all::<Credential>()?
        .into_iter()
        .filter_map(|c| host_login_key(c.url.as_deref(), c.login.as_deref()).map(|k| (k, c.id)))
        .collect();
    let mut rows = Vec::new();
    let mut changed = Vec::new();
    for cand in candidates {
        match fit(cand, now) {
            Ok(Fitted { credential: c, change, .. }) => {
                changed.extend(change);
                rows.push(ImportRow {
                    origin: cand.origin.clone(),
                    duplicate_of: host_login_key(c.url.as_deref(), c.login.as_deref()).and_then(|k| existing.get(&k).cloned()),
                    name: c.name,
                    category: c.category,
                    url: c.url,
                    login: c.login,
                    has_password: !c.password.is_empty(),
                    has_totp: c.totp.is_some(),
                    history: cand.history.len(),
                })
            }
            Err(s) => skipped.push(s),
        }
    }
    Ok(ImportPreview { source: source.to_string(), rows, skipped, changed })
}

pub fn skipped_from(origin: &str, e: &noren_base::Error) -> SkippedItem {
    let field = match e {
        noren_base::Error::Invalid { field, .. } => Some(field.to_string()),
        _ => None,
    };
    SkippedItem { origin: origin.to_string(), code: e.code().to_string(), field, reason: e.to_string() }
}

/// Writes the candidates in one batch (all or nothing).
pub fn commit(store: &Store, candidates: &[Candidate], on_duplicate: OnDuplicate, now: DateTime<Utc>) -> Result<ImportReport> {
    let mut existing: HashMap<String, Credential> = store
        .all::<Credential>()?
        .into_iter()
        .filter_map(|c| host_login_key(c.url.as_deref(), c.login.as_deref()).map(|k| (k, c)))
        .collect();
    let mut report = ImportReport { imported: 0, updated: 0, duplicates_skipped: 0, skipped: Vec::new(), changed: Vec::new() };
    let mut batch: Vec<Credential> = Vec::new();
    for cand in candidates {
        let set_at = cand.modified.or(cand.created).unwrap_or(now).min(now);
        let (input, mut c) = match fit(cand, set_at) {
            Ok(f) => {
                report.changed.extend(f.change);
                (f.input, f.credential)
            }
            Err(s) => {
                report.skipped.push(s);
                continue;
            }
        };
        c.created_at = cand.created.unwrap_or(set_at).min(now);
        c.history = cand.history.iter().map(|(p, s, r)| PasswordVersion { password: p.clone(), set_at: *s, replaced_at: *r }).collect();
        let key = host_login_key(c.url.as_deref(), c.login.as_deref());
        match (key.as_ref().and_then(|k| existing.get_mut(k)), on_duplicate) {
            (Some(_), OnDuplicate::Skip) => report.duplicates_skipped += 1,
            (Some(old), OnDuplicate::Update) => {
                let updated = credential::edit_in_memory(old, &input, now)?;
                batch.push(updated);
                report.updated += 1;
            }
            _ => {
                if let Some(k) = key {
                    existing.entry(k).or_insert_with(|| c.clone());
                }
                batch.push(c);
                report.imported += 1;
            }
        }
    }
    store.put_many(&batch)?;
    Ok(report)
}
