//! Customers: how to reach them, what was promised to them (individual
//! agreements), notes, tags and a timeline. Vault data: sealed with the vault
//! key, invisible while locked.

use chrono::{DateTime, NaiveDate, Utc};
use noren_base::messages::Message;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use noren_base::error::{Error, Result};
use noren_base::normalize;
use noren_base::validate::{check_text, opt_text, MAX_NOTES, MAX_SHORT};
use noren_store::store::{new_id, Store};

// snake_case: the one-word kinds are as they always were ("line"), the
// others read as their CLI names ("google_review").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContactKind {
    Line,
    Email,
    Phone,
    Instagram,
    Facebook,
    /// X (Twitter).
    X,
    /// A Google review (Googleビジネスプロフィールの口コミ).
    GoogleReview,
    /// A ホットペッパー review.
    HotpepperReview,
    Other,
}

impl ContactKind {
    pub const ALL: [ContactKind; 9] = [
        ContactKind::Line,
        ContactKind::Email,
        ContactKind::Phone,
        ContactKind::Instagram,
        ContactKind::Facebook,
        ContactKind::X,
        ContactKind::GoogleReview,
        ContactKind::HotpepperReview,
        ContactKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Line => "line",
            ContactKind::Email => "email",
            ContactKind::Phone => "phone",
            ContactKind::Instagram => "instagram",
            ContactKind::Facebook => "facebook",
            ContactKind::X => "x",
            ContactKind::GoogleReview => "google_review",
            ContactKind::HotpepperReview => "hotpepper_review",
            ContactKind::Other => "other",
        }
    }
}

impl std::str::FromStr for ContactKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        ContactKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            Error::invalid(
                "channel",
                format!("{s:?} is not a channel (line, email, phone, instagram, facebook, x, google_review, hotpepper_review, other)"),
            )
        })
    }
}

#[cfg(test)]
mod kind_names {
    use super::ContactKind;

    #[test]
    fn the_stored_name_is_the_cli_name() {
        for k in ContactKind::ALL {
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::Value::String(k.as_str().into())));
            assert_eq!(k.as_str().parse::<ContactKind>().ok(), Some(k));
        }
    }
}

impl std::fmt::Display for ContactKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One way to reach the customer: a LINE display name or ID, an address, a number, a handle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contact {
    pub kind: ContactKind,
    pub value: String,
    #[serde(default)]
    pub note: String,
}

/// Something promised to this customer ("毎月第2土曜に予約確保", a discount, an allergy).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Agreement {
    pub text: String,
    #[serde(default)]
    pub since: Option<NaiveDate>,
    #[serde(default)]
    pub until: Option<NaiveDate>,
}

/// A dated line in the customer's history.
pub type TimelineEntry = crate::history::HistoryLine;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Customer {
    pub id: String,
    pub name: String,
    /// Furigana, for sorting and search.
    #[serde(default)]
    pub kana: String,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub agreements: Vec<Agreement>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub updated_at: DateTime<Utc>,
}

impl Customer {
    /// `Invalid` unless every field is as Noren stores it (what `Record::validate` checks).
    pub fn check_fields(&self) -> Result<()> {
        use noren_base::validate as v;
        v::required("name", &self.name, 200)?;
        v::line("kana", &self.kana, 200)?;
        v::entries("contacts", &self.contacts)?;
        for c in &self.contacts {
            v::line("contacts", &c.value, MAX_SHORT)?;
            v::line("contacts", &c.note, MAX_SHORT)?;
        }
        v::text("notes", &self.notes)?;
        v::entries("agreements", &self.agreements)?;
        for a in &self.agreements {
            check_text("agreements", &a.text, MAX_SHORT * 4, true)?;
            v::opt_date("agreements", &a.since)?;
            v::opt_date("agreements", &a.until)?;
        }
        v::tags(&self.tags)?;
        v::entries("timeline", &self.timeline)?;
        for e in &self.timeline {
            e.validate("timeline")?;
        }
        v::instant("created_at", &self.created_at)?;
        v::instant("updated_at", &self.updated_at)
    }
}

/// What the user types (patch semantics on edit: `None` keeps, `Some("")` clears).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CustomerInput {
    pub name: Option<String>,
    pub kana: Option<String>,
    pub contacts: Option<Vec<Contact>>,
    pub notes: Option<String>,
    pub agreements: Option<Vec<Agreement>>,
    pub tags: Option<Vec<String>>,
    /// A line to add to the timeline.
    pub log: Option<String>,
}

const MAX_CONTACTS: usize = 50;
const MAX_AGREEMENTS: usize = 100;
const MAX_TIMELINE: usize = 2000;

fn check_contacts(contacts: &[Contact]) -> Result<Vec<Contact>> {
    if contacts.len() > MAX_CONTACTS {
        return Err(Error::invalid("contacts", format!("at most {MAX_CONTACTS} contacts")));
    }
    let mut out = Vec::new();
    for c in contacts {
        let value = c.value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        check_text("contacts", &value, MAX_SHORT, false)?;
        check_text("contacts", &c.note, MAX_SHORT, false)?;
        if c.kind == ContactKind::Email && !value.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.')) {
            return Err(Error::invalid("contacts", format!("{value:?} is not an email address")));
        }
        if c.kind == ContactKind::Phone && !value.chars().any(|ch| ch.is_ascii_digit() || ('０'..='９').contains(&ch)) {
            return Err(Error::invalid("contacts", format!("{value:?} is not a phone number")));
        }
        out.push(Contact { kind: c.kind, value, note: c.note.trim().to_string() });
    }
    Ok(out)
}

fn check_agreements(list: &[Agreement]) -> Result<Vec<Agreement>> {
    if list.len() > MAX_AGREEMENTS {
        return Err(Error::invalid("agreements", format!("at most {MAX_AGREEMENTS} agreements")));
    }
    let mut out = Vec::new();
    for a in list {
        let text = a.text.trim().to_string();
        if text.is_empty() {
            continue;
        }
        check_text("agreements", &text, MAX_SHORT * 4, true)?;
        if let (Some(s), Some(u)) = (a.since, a.until) {
            if u < s {
                return Err(Error::invalid("agreements", format!("{text:?} ends ({u}) before it starts ({s})")));
            }
        }
        out.push(Agreement { text, since: a.since, until: a.until });
    }
    Ok(out)
}

impl Customer {
    fn apply(&mut self, input: &CustomerInput, now: DateTime<Utc>) -> Result<()> {
        if let Some(n) = &input.name {
            self.name = opt_text("name", n, 200)?.ok_or_else(|| Error::invalid("name", "must not be empty"))?;
        }
        if let Some(k) = &input.kana {
            self.kana = opt_text("kana", k, 200)?.unwrap_or_default();
        }
        if let Some(c) = &input.contacts {
            self.contacts = check_contacts(c)?;
        }
        if let Some(n) = &input.notes {
            check_text("notes", n, MAX_NOTES, true)?;
            self.notes = n.trim_end().to_string();
        }
        if let Some(a) = &input.agreements {
            let new = check_agreements(a)?;
            for ag in new.iter().filter(|ag| !self.agreements.contains(ag)) {
                self.timeline.push(TimelineEntry::noted(now, Message::new("tl-agreement").with("text", &ag.text)));
            }
            self.agreements = new;
        }
        if let Some(t) = &input.tags {
            self.tags = noren_base::validate::clean_tags(t)?;
        }
        if let Some(l) = &input.log {
            let l = l.trim();
            if !l.is_empty() {
                check_text("log", l, MAX_NOTES, true)?;
                self.timeline.push(TimelineEntry::said(now, l));
            }
        }
        self.timeline.sort_by_key(|t| t.at);
        if self.timeline.len() > MAX_TIMELINE {
            let drop = self.timeline.len() - MAX_TIMELINE;
            self.timeline.drain(..drop);
        }
        self.updated_at = now;
        Ok(())
    }

    /// Folded text searched by [`search`]: name, kana, contacts, tags, notes, agreements.
    pub fn search_text(&self) -> String {
        let mut s = String::new();
        for part in [self.name.as_str(), self.kana.as_str(), self.notes.as_str()] {
            s.push_str(part);
            s.push('\n');
        }
        for c in &self.contacts {
            s.push_str(&c.value);
            // Phone numbers match with or without hyphens.
            s.push('\n');
            s.push_str(&c.value.replace(['-', '‐', '－', '(', ')', ' '], ""));
            s.push('\n');
        }
        for t in &self.tags {
            s.push_str(t);
            s.push('\n');
        }
        for a in &self.agreements {
            s.push_str(&a.text);
            s.push('\n');
        }
        normalize::fold(&s)
    }

    /// The key the list is sorted by: kana when known (五十音順), else the name.
    pub fn sort_key(&self) -> String {
        normalize::fold(if self.kana.is_empty() { &self.name } else { &self.kana })
    }
}

pub fn add(store: &Store, input: &CustomerInput, now: DateTime<Utc>) -> Result<Customer> {
    let c = build(input, now)?;
    store.put(&c)?;
    Ok(c)
}

/// A customer from input without storing it (imports check all rows first).
pub fn build(input: &CustomerInput, now: DateTime<Utc>) -> Result<Customer> {
    if input.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::invalid("name", "must not be empty"));
    }
    let mut c = Customer {
        id: new_id()?,
        name: String::new(),
        kana: String::new(),
        contacts: Vec::new(),
        notes: String::new(),
        agreements: Vec::new(),
        tags: Vec::new(),
        timeline: Vec::new(),
        created_at: now,
        updated_at: now,
    };
    c.apply(input, now)?;
    Ok(c)
}

/// A customer by id, or by exact name (or kana).
pub fn resolve(store: &Store, key: &str) -> Result<Customer> {
    let key = key.trim();
    if let Some(c) = store.get::<Customer>(key)? {
        return Ok(c);
    }
    let mut hits: Vec<Customer> =
        store.all::<Customer>()?.into_iter().filter(|c| c.name == key || (!c.kana.is_empty() && c.kana == key)).collect();
    if hits.is_empty() && !key.is_empty() {
        // Not an exact name: a search that finds exactly one customer will do ("山田").
        hits = search(store, key)?;
        if hits.len() > 1 {
            return Err(Error::Ambiguous {
                what: "customers",
                key: key.to_string(),
                candidates: hits.iter().map(|c| format!("{} ({})", c.id, c.name)).collect(),
            });
        }
    }
    match hits.len() {
        0 => Err(Error::NotFound { what: "customer", key: key.to_string() }),
        1 => Ok(hits.remove(0)),
        _ => Err(Error::Ambiguous {
            what: "customers",
            key: key.to_string(),
            candidates: hits.iter().map(|c| format!("{} ({})", c.id, c.name)).collect(),
        }),
    }
}

pub fn edit(store: &Store, key: &str, input: &CustomerInput, now: DateTime<Utc>) -> Result<Customer> {
    let mut c = resolve(store, key)?;
    c.apply(input, now)?;
    store.put(&c)?;
    Ok(c)
}

pub fn remove(store: &Store, key: &str) -> Result<Customer> {
    let c = resolve(store, key)?;
    store.remove::<Customer>(&c.id)?;
    Ok(c)
}

/// All customers in 五十音 order (kana, else name).
pub fn list(store: &Store) -> Result<Vec<Customer>> {
    let mut v = store.all::<Customer>()?;
    v.sort_by_cached_key(|c| (c.sort_key(), c.id.clone()));
    Ok(v)
}

/// Customers matching every word of `query` (Japanese-aware: width, kana, case).
pub fn search(store: &Store, query: &str) -> Result<Vec<Customer>> {
    if query.chars().count() > 1000 {
        return Err(Error::invalid("query", "too long (at most 1000 characters)"));
    }
    let folded: Vec<String> = query.split_whitespace().map(|w| normalize::fold(&w.replace(['-', '‐', '－'], ""))).collect();
    Ok(list(store)?
        .into_iter()
        .filter(|c| {
            let hay = c.search_text();
            folded.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect())
}
