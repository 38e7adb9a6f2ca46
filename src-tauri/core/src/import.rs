//! Moving logins in from other password managers: a source parser produces
//! candidates, the user sees a preview (duplicates marked), and the import is
//! written in one batch or not at all, with a report of what was skipped and why.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::credential::{self, Category, Credential, CredentialInput, PasswordVersion};
use crate::error::Result;
use crate::normalize;
use crate::secret::SecretString;
use crate::store::Store;

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
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub imported: usize,
    pub updated: usize,
    pub duplicates_skipped: usize,
    pub skipped: Vec<SkippedItem>,
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
    for cand in candidates {
        match credential::build(&cand.input, now) {
            Ok(c) => rows.push(ImportRow {
                origin: cand.origin.clone(),
                duplicate_of: host_login_key(c.url.as_deref(), c.login.as_deref()).and_then(|k| existing.get(&k).cloned()),
                name: c.name,
                category: c.category,
                url: c.url,
                login: c.login,
                has_password: !c.password.is_empty(),
                has_totp: c.totp.is_some(),
                history: cand.history.len(),
            }),
            Err(e) => skipped.push(skipped_from(&cand.origin, &e)),
        }
    }
    Ok(ImportPreview { source: source.to_string(), rows, skipped })
}

pub fn skipped_from(origin: &str, e: &crate::Error) -> SkippedItem {
    let field = match e {
        crate::Error::Invalid { field, .. } => Some(field.to_string()),
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
    let mut report = ImportReport { imported: 0, updated: 0, duplicates_skipped: 0, skipped: Vec::new() };
    let mut batch: Vec<Credential> = Vec::new();
    for cand in candidates {
        let set_at = cand.modified.or(cand.created).unwrap_or(now).min(now);
        let mut c = match credential::build(&cand.input, set_at) {
            Ok(c) => c,
            Err(e) => {
                report.skipped.push(skipped_from(&cand.origin, &e));
                continue;
            }
        };
        c.created_at = cand.created.unwrap_or(set_at).min(now);
        c.history = cand.history.iter().map(|(p, s, r)| PasswordVersion { password: p.clone(), set_at: *s, replaced_at: *r }).collect();
        let key = host_login_key(c.url.as_deref(), c.login.as_deref());
        match (key.as_ref().and_then(|k| existing.get_mut(k)), on_duplicate) {
            (Some(_), OnDuplicate::Skip) => report.duplicates_skipped += 1,
            (Some(old), OnDuplicate::Update) => {
                let updated = credential::edit_in_memory(old, &cand.input, now)?;
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
