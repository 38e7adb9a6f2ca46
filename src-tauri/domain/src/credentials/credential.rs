//! Credentials: the vault's first collection, with everything a handover needs.

use noren_base::messages::{Lang, Message};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::credentials::totp;
use noren_base::error::{Error, Result};
use noren_base::normalize;
use noren_base::secret::SecretString;
use noren_store::store::{new_id, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Category {
    Website,
    Sns,
    Portal,
    Email,
    Domain,
    Server,
    Other,
}

impl Category {
    pub const ALL: [Category; 7] =
        [Category::Website, Category::Sns, Category::Portal, Category::Email, Category::Domain, Category::Server, Category::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Website => "website",
            Category::Sns => "sns",
            Category::Portal => "portal",
            Category::Email => "email",
            Category::Domain => "domain",
            Category::Server => "server",
            Category::Other => "other",
        }
    }

    /// Its name as the owner reads it, from the catalogue (`cat-<value>`).
    pub fn label(self, lang: Lang) -> String {
        Message::of_enum("cat", &self).text(lang)
    }

    /// Suggested extra fields for this kind of account.
    pub fn template(self) -> &'static [TemplateField] {
        match self {
            Category::Website => &[
                TemplateField { key: "cms", label: "tpl-website-cms", hint: "tpl-website-cms-hint" },
                TemplateField { key: "admin_url", label: "tpl-website-admin_url", hint: "tpl-website-admin_url-hint" },
            ],
            Category::Sns => &[
                TemplateField { key: "handle", label: "tpl-sns-handle", hint: "tpl-sns-handle-hint" },
                TemplateField { key: "admins", label: "tpl-sns-admins", hint: "tpl-sns-admins-hint" },
            ],
            Category::Portal => &[
                TemplateField { key: "listing_url", label: "tpl-portal-listing_url", hint: "tpl-portal-listing_url-hint" },
                TemplateField { key: "plan", label: "tpl-portal-plan", hint: "tpl-portal-plan-hint" },
            ],
            Category::Email => &[
                TemplateField { key: "imap_host", label: "tpl-email-imap_host", hint: "tpl-email-imap_host-hint" },
                TemplateField { key: "imap_port", label: "tpl-email-imap_port", hint: "tpl-email-imap_port-hint" },
                TemplateField { key: "imap_security", label: "tpl-email-imap_security", hint: "tpl-email-imap_security-hint" },
                TemplateField { key: "smtp_host", label: "tpl-email-smtp_host", hint: "tpl-email-smtp_host-hint" },
                TemplateField { key: "smtp_port", label: "tpl-email-smtp_port", hint: "tpl-email-smtp_port-hint" },
                TemplateField { key: "smtp_security", label: "tpl-email-smtp_security", hint: "tpl-email-smtp_security-hint" },
                TemplateField { key: "webmail_url", label: "tpl-email-webmail_url", hint: "tpl-email-webmail_url-hint" },
            ],
            Category::Domain => &[
                TemplateField { key: "domain", label: "tpl-domain-domain", hint: "tpl-domain-domain-hint" },
                TemplateField { key: "registrar", label: "tpl-domain-registrar", hint: "tpl-domain-registrar-hint" },
                TemplateField { key: "nameservers", label: "tpl-domain-nameservers", hint: "tpl-domain-nameservers-hint" },
            ],
            Category::Server => &[
                TemplateField { key: "host", label: "tpl-server-host", hint: "tpl-server-host-hint" },
                TemplateField { key: "control_panel", label: "tpl-server-control_panel", hint: "tpl-server-control_panel-hint" },
                TemplateField { key: "ftp_host", label: "tpl-server-ftp_host", hint: "tpl-server-ftp_host-hint" },
                TemplateField { key: "plan", label: "tpl-server-plan", hint: "tpl-server-plan-hint" },
            ],
            Category::Other => &[],
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Category::ALL.into_iter().find(|c| c.as_str() == s.trim().to_ascii_lowercase()).ok_or_else(|| {
            Error::invalid("category", format!("unknown category {s:?} (use website, sns, portal, email, domain, server or other)"))
        })
    }
}

#[derive(Clone, Copy, Debug, Serialize, TS)]
#[ts(export)]
pub struct TemplateField {
    #[ts(type = "string")]
    pub key: &'static str,
    /// Catalogue keys of its label and of the example shown in the empty field.
    #[ts(type = "string")]
    pub label: &'static str,
    #[ts(type = "string")]
    pub hint: &'static str,
}

/// A password that was replaced, kept so it can be restored.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PasswordVersion {
    pub password: SecretString,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub set_at: DateTime<Utc>,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub replaced_at: DateTime<Utc>,
}

/// One login. `Serialize` refuses to run outside sealed storage (secret fields).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Credential {
    pub id: String,
    pub category: Category,
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub login: Option<String>,
    pub password: SecretString,
    #[serde(default)]
    pub registered_email: Option<String>,
    #[serde(default)]
    pub recovery_phone: Option<String>,
    #[serde(default)]
    pub two_factor_holder: Option<String>,
    /// People (names, see `people`) who know this password. Not written when
    /// empty: backups checksum each collection as re-serialized, and records of
    /// earlier versions must keep their exact form (tests/golden guards this).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known_by: Vec<String>,
    #[serde(default)]
    pub totp: Option<SecretString>,
    #[serde(default)]
    pub payment_card: Option<String>,
    #[serde(default)]
    pub contract_holder: Option<String>,
    #[serde(default)]
    pub renewal_date: Option<NaiveDate>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub updated_at: DateTime<Utc>,
    /// When the current password was set.
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub last_rotated: DateTime<Utc>,
    #[serde(default)]
    pub history: Vec<PasswordVersion>,
}

impl Credential {
    /// `Invalid` unless every field is as Noren stores it (what `Record::validate` checks).
    pub fn check_fields(&self) -> Result<()> {
        use noren_base::validate as v;
        v::required("name", &self.name, MAX_NAME)?;
        v::stored_address("url", &self.url, normalize_address)?;
        v::opt_line("login", &self.login, MAX_SHORT)?;
        check_password(&self.password)?;
        v::opt_line("registered_email", &self.registered_email, MAX_SHORT)?;
        v::opt_line("recovery_phone", &self.recovery_phone, 64)?;
        v::opt_line("two_factor_holder", &self.two_factor_holder, MAX_NAME)?;
        v::lines("known_by", &self.known_by, 50, MAX_NAME)?;
        if let Some(t) = &self.totp {
            check_text("totp", t.expose(), MAX_SHORT, false)?;
        }
        v::opt_line("payment_card", &self.payment_card, MAX_NAME)?;
        v::opt_line("contract_holder", &self.contract_holder, MAX_NAME)?;
        v::opt_date("renewal_date", &self.renewal_date)?;
        v::text("notes", &self.notes)?;
        v::tags(&self.tags)?;
        if self.fields.len() > MAX_FIELDS {
            return Err(Error::invalid("fields", format!("at most {MAX_FIELDS} fields")));
        }
        for (k, val) in &self.fields {
            v::required("fields", k, 64)?;
            check_text("fields", val, 4096, true)?;
        }
        v::instant("created_at", &self.created_at)?;
        v::instant("updated_at", &self.updated_at)?;
        v::instant("last_rotated", &self.last_rotated)?;
        v::entries("history", &self.history)?;
        for h in &self.history {
            check_password(&h.password)?;
            v::instant("history", &h.set_at)?;
            v::instant("history", &h.replaced_at)?;
        }
        Ok(())
    }
}

/// Everything the user may set on a credential. For `edit`, `None` keeps the
/// current value and `Some("")` clears it.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
#[ts(export, optional_fields)]
pub struct CredentialInput {
    pub category: Option<Category>,
    pub name: Option<String>,
    pub url: Option<String>,
    pub login: Option<String>,
    #[ts(optional, type = "string")]
    pub password: Option<SecretString>,
    pub registered_email: Option<String>,
    pub recovery_phone: Option<String>,
    pub two_factor_holder: Option<String>,
    /// Replaces the list of people who know the password.
    pub known_by: Option<Vec<String>>,
    #[ts(optional, type = "string")]
    pub totp: Option<SecretString>,
    pub payment_card: Option<String>,
    pub contract_holder: Option<String>,
    pub renewal_date: Option<String>,
    pub notes: Option<String>,
    pub tags: Option<Vec<String>>,
    /// Field values; an empty value removes the field.
    #[ts(optional = false)]
    pub fields: BTreeMap<String, String>,
}

pub use noren_base::validate::{check_text, clean_tags, opt_text, MAX_NAME, MAX_NOTES, MAX_PASSWORD, MAX_SHORT, MAX_URL};
const MAX_FIELDS: usize = 100;

use noren_base::validate::check_email;
pub use noren_base::validate::{is_web_address, normalize_address, normalize_url, parse_date};

fn check_password(p: &SecretString) -> Result<()> {
    if p.len() > MAX_PASSWORD {
        return Err(Error::invalid("password", format!("too long (at most {MAX_PASSWORD} bytes)")));
    }
    if p.expose().contains(['\0', '\n', '\r']) {
        return Err(Error::invalid("password", "contains a line break or NUL"));
    }
    Ok(())
}

impl Credential {
    /// Applies `input` on top of `self`. Validates everything before changing anything.
    fn apply(&mut self, input: &CredentialInput, now: DateTime<Utc>) -> Result<()> {
        let mut next = self.clone();
        if let Some(c) = input.category {
            next.category = c;
        }
        if let Some(n) = &input.name {
            let n = n.trim();
            if n.is_empty() {
                return Err(Error::invalid("name", "must not be empty"));
            }
            check_text("name", n, MAX_NAME, false)?;
            next.name = n.to_string();
        }
        if let Some(u) = &input.url {
            next.url = normalize_address(u)?;
        }
        if let Some(v) = &input.login {
            next.login = opt_text("login", v, MAX_SHORT)?;
        }
        if let Some(v) = &input.registered_email {
            next.registered_email = check_email(v)?;
        }
        if let Some(v) = &input.recovery_phone {
            next.recovery_phone = opt_text("recovery_phone", v, 64)?;
        }
        if let Some(v) = &input.two_factor_holder {
            next.two_factor_holder = opt_text("two_factor_holder", v, MAX_NAME)?;
        }
        if let Some(list) = &input.known_by {
            let mut out: Vec<String> = Vec::new();
            for n in list.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
                check_text("known_by", n, MAX_NAME, false)?;
                if !out.iter().any(|o| o == n) {
                    out.push(n.to_string());
                }
            }
            if out.len() > 50 {
                return Err(Error::invalid("known_by", "at most 50 people"));
            }
            next.known_by = out;
        }
        if let Some(v) = &input.payment_card {
            next.payment_card = opt_text("payment_card", v, MAX_NAME)?;
        }
        if let Some(v) = &input.contract_holder {
            next.contract_holder = opt_text("contract_holder", v, MAX_NAME)?;
        }
        if let Some(v) = &input.renewal_date {
            next.renewal_date = parse_date("renewal_date", v)?;
        }
        if let Some(v) = &input.notes {
            check_text("notes", v, MAX_NOTES, true)?;
            next.notes = v.trim_end().to_string();
        }
        if let Some(t) = &input.tags {
            next.tags = clean_tags(t)?;
        }
        for (k, v) in &input.fields {
            let k = k.trim();
            if k.is_empty() {
                return Err(Error::invalid("fields", "a field needs a name"));
            }
            check_text("fields", k, 64, false)?;
            check_text("fields", v, 4096, true)?;
            if v.trim().is_empty() {
                next.fields.remove(k);
            } else {
                next.fields.insert(k.to_string(), v.trim().to_string());
            }
        }
        if next.fields.len() > MAX_FIELDS {
            return Err(Error::invalid("fields", format!("at most {MAX_FIELDS} fields")));
        }
        if let Some(t) = &input.totp {
            if t.expose().trim().is_empty() {
                next.totp = None;
            } else {
                totp::validate(t.expose())?;
                next.totp = Some(SecretString::new(t.expose().trim()));
            }
        }
        if let Some(p) = &input.password {
            check_password(p)?;
            next.set_password(p.clone(), now);
        }
        next.updated_at = now;
        *self = next;
        Ok(())
    }

    /// Replaces the password, keeping the old one in the history.
    fn set_password(&mut self, new: SecretString, now: DateTime<Utc>) {
        if new == self.password {
            return;
        }
        let old = std::mem::replace(&mut self.password, new);
        if !old.is_empty() {
            self.history.push(PasswordVersion { password: old, set_at: self.last_rotated, replaced_at: now });
        }
        self.last_rotated = now;
    }

    /// Folded text searched by `search` (never the password or TOTP seed).
    pub fn search_text(&self) -> String {
        let mut s = String::with_capacity(256);
        for part in [
            Some(self.name.as_str()),
            self.url.as_deref(),
            self.login.as_deref(),
            self.registered_email.as_deref(),
            Some(self.notes.as_str()),
        ]
        .into_iter()
        .flatten()
        {
            s.push_str(part);
            s.push('\u{1F}');
        }
        s.push_str(self.category.as_str());
        s.push('\u{1F}');
        s.push_str(&self.category.label(Lang::Ja));
        for t in &self.tags {
            s.push('\u{1F}');
            s.push_str(t);
        }
        for v in self.fields.values() {
            s.push('\u{1F}');
            s.push_str(v);
        }
        normalize::fold(&s)
    }
}

/// Creates a credential from `input` (category and name required).
pub fn add(store: &Store, input: &CredentialInput, now: DateTime<Utc>) -> Result<Credential> {
    let c = build(input, now)?;
    store.put(&c)?;
    Ok(c)
}

/// Validates `input` and makes a new credential without writing it
/// (bulk writers validate everything first, then write one batch).
pub fn build(input: &CredentialInput, now: DateTime<Utc>) -> Result<Credential> {
    let category = input.category.ok_or_else(|| Error::invalid("category", "is required"))?;
    if input.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::invalid("name", "must not be empty"));
    }
    let mut c = Credential {
        id: new_id()?,
        category,
        name: String::new(),
        url: None,
        login: None,
        password: SecretString::default(),
        registered_email: None,
        recovery_phone: None,
        two_factor_holder: None,
        known_by: Vec::new(),
        totp: None,
        payment_card: None,
        contract_holder: None,
        renewal_date: None,
        notes: String::new(),
        tags: Vec::new(),
        fields: BTreeMap::new(),
        created_at: now,
        updated_at: now,
        last_rotated: now,
        history: Vec::new(),
    };
    c.apply(input, now)?;
    Ok(c)
}

/// Finds a credential by id, else by exact name (ambiguous names are an error).
pub fn resolve(store: &Store, key: &str) -> Result<Credential> {
    let key = key.trim();
    if let Some(c) = store.get::<Credential>(key)? {
        return Ok(c);
    }
    let mut hits: Vec<Credential> = store.all::<Credential>()?.into_iter().filter(|c| c.name == key).collect();
    match hits.len() {
        0 => Err(Error::NotFound { what: "credential", key: key.to_string() }),
        1 => Ok(hits.remove(0)),
        _ => Err(Error::Ambiguous {
            what: "credentials",
            key: key.to_string(),
            candidates: hits.iter().map(|c| format!("{} ({})", c.id, c.category)).collect(),
        }),
    }
}

/// Applies `input` to a credential held in memory (imports write many in one batch).
pub fn edit_in_memory(c: &mut Credential, input: &CredentialInput, now: DateTime<Utc>) -> Result<Credential> {
    c.apply(input, now)?;
    Ok(c.clone())
}

pub fn edit(store: &Store, key: &str, input: &CredentialInput, now: DateTime<Utc>) -> Result<Credential> {
    let mut c = resolve(store, key)?;
    c.apply(input, now)?;
    store.put(&c)?;
    Ok(c)
}

/// Sets a new password (the old one goes to the history).
pub fn rotate(store: &Store, key: &str, password: SecretString, now: DateTime<Utc>) -> Result<Credential> {
    if password.is_empty() {
        return Err(Error::invalid("password", "must not be empty"));
    }
    edit(store, key, &CredentialInput { password: Some(password), ..Default::default() }, now)
}

/// Makes history entry `index` (0 = oldest) the current password again.
pub fn restore_version(store: &Store, key: &str, index: usize, now: DateTime<Utc>) -> Result<Credential> {
    let c = resolve(store, key)?;
    let old = c
        .history
        .get(index)
        .ok_or_else(|| Error::invalid("version", format!("no history entry {index} (there are {})", c.history.len())))?
        .password
        .clone();
    rotate(store, &c.id, old, now)
}

pub fn remove(store: &Store, key: &str) -> Result<Credential> {
    let c = resolve(store, key)?;
    store.remove::<Credential>(&c.id)?;
    Ok(c)
}

/// All credentials, grouped by category then sorted by name.
pub fn list(store: &Store) -> Result<Vec<Credential>> {
    let mut all = store.all::<Credential>()?;
    sort(&mut all);
    Ok(all)
}

pub fn sort(all: &mut [Credential]) {
    all.sort_by_cached_key(|c| (c.category, normalize::fold(&c.name), c.id.clone()));
}

/// What lists and search results show: no secrets.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CredentialSummary {
    pub id: String,
    pub category: Category,
    pub name: String,
    pub url: Option<String>,
    pub login: Option<String>,
    pub tags: Vec<String>,
    pub has_totp: bool,
    pub renewal_date: Option<NaiveDate>,
    pub last_rotated: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Credential> for CredentialSummary {
    fn from(c: &Credential) -> Self {
        CredentialSummary {
            id: c.id.clone(),
            category: c.category,
            name: c.name.clone(),
            url: c.url.clone(),
            login: c.login.clone(),
            tags: c.tags.clone(),
            has_totp: c.totp.is_some(),
            renewal_date: c.renewal_date,
            last_rotated: c.last_rotated,
            updated_at: c.updated_at,
        }
    }
}

/// The detail view. `password` is present only when the caller asked to reveal it.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CredentialDetail {
    pub id: String,
    pub category: Category,
    pub name: String,
    pub url: Option<String>,
    pub login: Option<String>,
    pub password: Option<String>,
    pub has_password: bool,
    pub registered_email: Option<String>,
    pub recovery_phone: Option<String>,
    pub two_factor_holder: Option<String>,
    pub known_by: Vec<String>,
    pub has_totp: bool,
    pub payment_card: Option<String>,
    pub contract_holder: Option<String>,
    pub renewal_date: Option<NaiveDate>,
    pub notes: String,
    pub tags: Vec<String>,
    pub fields: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_rotated: DateTime<Utc>,
    pub history_len: usize,
}

impl CredentialDetail {
    pub fn new(c: &Credential, reveal: bool) -> Self {
        CredentialDetail {
            id: c.id.clone(),
            category: c.category,
            name: c.name.clone(),
            url: c.url.clone(),
            login: c.login.clone(),
            password: reveal.then(|| c.password.expose().to_string()),
            has_password: !c.password.is_empty(),
            registered_email: c.registered_email.clone(),
            recovery_phone: c.recovery_phone.clone(),
            two_factor_holder: c.two_factor_holder.clone(),
            known_by: c.known_by.clone(),
            has_totp: c.totp.is_some(),
            payment_card: c.payment_card.clone(),
            contract_holder: c.contract_holder.clone(),
            renewal_date: c.renewal_date,
            notes: c.notes.clone(),
            tags: c.tags.clone(),
            fields: c.fields.clone(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            last_rotated: c.last_rotated,
            history_len: c.history.len(),
        }
    }
}

/// One history entry as shown to the user.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    pub index: usize,
    pub set_at: DateTime<Utc>,
    pub replaced_at: DateTime<Utc>,
    pub password: Option<String>,
}

pub fn history(c: &Credential, reveal: bool) -> Vec<HistoryEntry> {
    c.history
        .iter()
        .enumerate()
        .map(|(index, v)| HistoryEntry {
            index,
            set_at: v.set_at,
            replaced_at: v.replaced_at,
            password: reveal.then(|| v.password.expose().to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn dates_as_a_shop_owner_writes_them() {
        let d = |s: &str| super::parse_date("due", s).unwrap_or_else(|e| panic!("{s}: {e}"));
        let feb19 = chrono::NaiveDate::from_ymd_opt(2027, 2, 19);
        for s in [
            "2027-02-19",
            "2027/2/19",
            "2027.2.19",
            "2027年2月19日",
            "令和9年2月19日",
            "R9.2.19",
            "R9/2/19",
            "r9-2-19",
            "２０２７／２／１９",
            "令和９年２月１９日",
            " 2027 / 02 / 19 ",
        ] {
            assert_eq!(d(s), feb19, "{s}");
        }
        assert_eq!(d("令和元年5月1日"), chrono::NaiveDate::from_ymd_opt(2019, 5, 1));
        assert_eq!(d("平成31年4月30日"), chrono::NaiveDate::from_ymd_opt(2019, 4, 30));
        assert_eq!(d("H1.1.8"), chrono::NaiveDate::from_ymd_opt(1989, 1, 8));
        assert_eq!(d(""), None);
        for s in [
            "2027/2/30",
            "令和1年4月30日",
            "平成31年5月1日",
            "平成1年1月7日",
            "令和0年5月1日",
            "19/2/2027",
            "2/19",
            "tomorrow",
            "2027-02-19T10:00",
            "R9.2.19.1",
            "99999/1/1",
        ] {
            assert!(super::parse_date("due", s).is_err(), "{s} is refused");
        }
        let e = super::parse_date("due", "2027/2/30").unwrap_err().to_string();
        assert!(e.contains("令和9年3月31日"), "the message shows the ways to write it: {e}");
    }

    fn addr(v: &str) -> std::result::Result<Option<String>, String> {
        normalize_address(v).map_err(|e| e.to_string())
    }

    #[test]
    fn logins_of_every_kind_keep_their_address() {
        // Web, as before: https assumed, normalised.
        assert_eq!(addr("www.ekiten.jp/shop/login").unwrap().as_deref(), Some("https://www.ekiten.jp/shop/login"));
        assert_eq!(addr("HTTP://Example.jp").unwrap().as_deref(), Some("http://example.jp/"));
        assert_eq!(addr("example.jp:8443/admin").unwrap().as_deref(), Some("https://example.jp:8443/admin"));
        // Mail, SSH, FTP, a NAS: as typed.
        assert_eq!(addr("imap://mail.sakura.example.jp:993").unwrap().as_deref(), Some("imap://mail.sakura.example.jp:993"));
        assert_eq!(addr("ssh://root@sv1.example.jp:2222").unwrap().as_deref(), Some("ssh://root@sv1.example.jp:2222"));
        assert_eq!(addr("sftp://sv1.example.jp").unwrap().as_deref(), Some("sftp://sv1.example.jp"));
        assert_eq!(addr("smb://nas.local/shop").unwrap().as_deref(), Some("smb://nas.local/shop"));
        // A server as host:port is a server, not silently a web page.
        assert_eq!(addr("ftp.example.jp:21").unwrap().as_deref(), Some("ftp.example.jp:21"));
        assert_eq!(addr("192.168.1.1:8291").unwrap().as_deref(), Some("192.168.1.1:8291"));
        assert_eq!(addr("").unwrap(), None);
        assert!(is_web_address("https://x.jp") && !is_web_address("imap://x.jp") && !is_web_address("ftp.example.jp:21"));
    }

    #[test]
    fn addresses_that_run_code_are_refused_by_name() {
        for bad in ["javascript:alert(1)", "JavaScript://%0aalert(1)", "data:text/html,<b>", "file:///etc/passwd", "vbscript:x"] {
            let e = addr(bad).unwrap_err();
            assert!(e.contains("refused"), "{bad}: {e}");
            assert!(normalize_url(bad).unwrap_err().to_string().contains("refused"), "{bad}");
        }
        assert!(addr("mailto:info@example.jp").unwrap_err().contains("not an address of a login"));
        assert!(addr("imap://").is_err());
        assert!(addr("https://a b.jp").is_err());
        assert!(addr("https://x.jp/\u{1b}[31m").is_err());
        // Channels and vendors' forms stay web addresses.
        assert!(normalize_url("imap://mail.example.jp").is_err());
    }
}
