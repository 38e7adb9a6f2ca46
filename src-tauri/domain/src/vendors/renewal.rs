//! Renewals that must not lapse: domain, SSL certificate, hosting, contracts,
//! the card that pays for them, licences. Calendar compartment: the reminders
//! keep firing while the vault is locked, and nothing here is a secret.

use noren_base::messages::{Lang, Message};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use noren_base::error::{Error, Result};
use noren_base::validate::{check_text, opt_text, parse_date, MAX_NOTES, MAX_SHORT};
use noren_store::store::{new_id, resolve_by, Compartment, Record, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum RenewalKind {
    Domain,
    Ssl,
    Hosting,
    Contract,
    Card,
    License,
    Other,
}

impl RenewalKind {
    pub const ALL: [RenewalKind; 7] = [
        RenewalKind::Domain,
        RenewalKind::Ssl,
        RenewalKind::Hosting,
        RenewalKind::Contract,
        RenewalKind::Card,
        RenewalKind::License,
        RenewalKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RenewalKind::Domain => "domain",
            RenewalKind::Ssl => "ssl",
            RenewalKind::Hosting => "hosting",
            RenewalKind::Contract => "contract",
            RenewalKind::Card => "card",
            RenewalKind::License => "license",
            RenewalKind::Other => "other",
        }
    }

    /// Its name as the owner reads it, from the catalogue (`ren-kind-<value>`).
    pub fn label(self, lang: Lang) -> String {
        Message::of_enum("ren-kind", &self).text(lang)
    }

    /// How far "renewed" moves the date when the renewal has no period of its own.
    pub fn default_months(self) -> u32 {
        match self {
            RenewalKind::Ssl => 3,
            RenewalKind::Card => 60,
            _ => 12,
        }
    }
}

impl fmt::Display for RenewalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RenewalKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        RenewalKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            Error::invalid("kind", format!("{s:?} is not a renewal kind (domain, ssl, hosting, contract, card, license, other)"))
        })
    }
}

/// The last automatic check (certificate or RDAP) of this renewal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckInfo {
    pub at: DateTime<Utc>,
    pub ok: bool,
    #[serde(default)]
    pub code: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Renewal {
    pub id: String,
    pub kind: RenewalKind,
    pub name: String,
    /// The day it lapses (for a card: its expiry, the last day of the month printed on it).
    pub due: NaiveDate,
    #[serde(default)]
    pub auto_renew: bool,
    /// The id of the `card` renewal this one is charged to.
    #[serde(default)]
    pub card_id: Option<String>,
    /// What depends on it: record ids or plain words ("ホームページ", "メール").
    #[serde(default)]
    pub links: Vec<String>,
    /// "Renewed" moves the date by this many months (0: the kind's default).
    #[serde(default)]
    pub period_months: u32,
    #[serde(default)]
    pub note: String,
    /// What Noren keeps in step from a vendor's contract (the notice period), as a catalogue
    /// message; the owner's own `note` is left alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub notice: Option<Message>,
    /// Host or domain an automatic check reads the date from.
    #[serde(default)]
    pub check_target: Option<String>,
    #[serde(default)]
    pub last_check: Option<CheckInfo>,
    #[serde(default)]
    pub last_renewed: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Record for Renewal {
    const TREE: &'static str = "renewals";
    const COMPARTMENT: Compartment = Compartment::Calendar;
    const WHAT: &'static str = "renewal";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::required("name", &self.name, MAX_SHORT)?;
        v::date("due", &self.due)?;
        v::opt_id("card_id", &self.card_id)?;
        v::lines("links", &self.links, 200, MAX_SHORT)?;
        v::text("note", &self.note)?;
        v::opt_line("check_target", &self.check_target, MAX_SHORT)?;
        if let Some(c) = &self.last_check {
            v::instant("last_check", &c.at)?;
            v::text("last_check", &c.message)?;
        }
        v::opt_date("last_renewed", &self.last_renewed)?;
        v::instant("created_at", &self.created_at)?;
        v::instant("updated_at", &self.updated_at)
    }
}

/// What the user types (patch semantics on edit: `None` keeps, `Some("")` clears).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct RenewalInput {
    pub kind: Option<RenewalKind>,
    pub name: Option<String>,
    /// YYYY-MM-DD; for a card also YYYY-MM or MM/YY (the end of that month).
    pub due: Option<String>,
    pub auto_renew: Option<bool>,
    /// A card renewal's id or name; "" charges nothing.
    pub card: Option<String>,
    pub links: Option<Vec<String>>,
    pub period_months: Option<u32>,
    pub note: Option<String>,
    pub check_target: Option<String>,
}

/// A due date; cards also take the printed forms "2027-05" and "05/27" (end of that month).
pub fn parse_due(value: &str, kind: RenewalKind) -> Result<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid("due", "enter the date it lapses (YYYY-MM-DD)"));
    }
    let as_date = parse_date("due", v);
    if let Ok(Some(d)) = as_date {
        return Ok(d);
    }
    if kind == RenewalKind::Card {
        let ym = if let Some((m, y)) = v.split_once('/') {
            y.trim().parse::<i32>().ok().zip(m.trim().parse::<u32>().ok()).map(|(y, m)| (if y < 100 { 2000 + y } else { y }, m))
        } else if let Some((y, m)) = v.split_once('-') {
            y.trim().parse::<i32>().ok().zip(m.trim().parse::<u32>().ok())
        } else {
            None
        };
        if let Some((y, m)) = ym {
            if let Some(first) = NaiveDate::from_ymd_opt(y, m, 1) {
                if let Some(last) = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()) {
                    return Ok(last);
                }
            }
        }
        return Err(Error::invalid("due", format!("{v:?} is not an expiry date (use 2027-05 or 05/27 as printed on the card)")));
    }
    // The one way dates are explained everywhere.
    as_date.and_then(|_| Err(Error::invalid("due", format!("{v:?} is not a date"))))
}

const MAX_LINKS: usize = 50;

fn check_links(links: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for l in links {
        let l = l.trim();
        if l.is_empty() || out.iter().any(|x| x == l) {
            continue;
        }
        check_text("links", l, MAX_SHORT, false)?;
        out.push(l.to_string());
    }
    if out.len() > MAX_LINKS {
        return Err(Error::invalid("links", format!("at most {MAX_LINKS} links")));
    }
    Ok(out)
}

impl Renewal {
    fn apply(&mut self, store: &Store, input: &RenewalInput, now: DateTime<Utc>) -> Result<()> {
        if let Some(k) = input.kind {
            self.kind = k;
        }
        if let Some(n) = &input.name {
            self.name = opt_text("name", n, MAX_SHORT)?.ok_or_else(|| Error::invalid("name", "must not be empty"))?;
        }
        if let Some(d) = &input.due {
            self.due = parse_due(d, self.kind)?;
        }
        if let Some(a) = input.auto_renew {
            self.auto_renew = a;
        }
        if let Some(c) = &input.card {
            self.card_id = if c.trim().is_empty() {
                None
            } else {
                let card = resolve(store, c)?;
                if card.kind != RenewalKind::Card {
                    return Err(Error::invalid("card", format!("{:?} is a {} renewal, not a card", card.name, card.kind)));
                }
                if card.id == self.id {
                    return Err(Error::invalid("card", "a card cannot pay for itself"));
                }
                Some(card.id)
            };
        }
        if let Some(l) = &input.links {
            self.links = check_links(l)?;
        }
        if let Some(p) = input.period_months {
            if p > 120 {
                return Err(Error::invalid("period_months", "at most 120 months"));
            }
            self.period_months = p;
        }
        if let Some(n) = &input.note {
            check_text("note", n, MAX_NOTES, true)?;
            self.note = n.trim_end().to_string();
        }
        if let Some(t) = &input.check_target {
            self.check_target = opt_text("check_target", t, MAX_SHORT)?;
        }
        self.updated_at = now;
        Ok(())
    }

    pub fn months(&self) -> u32 {
        if self.period_months == 0 {
            self.kind.default_months()
        } else {
            self.period_months
        }
    }
}

pub fn add(store: &Store, input: &RenewalInput, now: DateTime<Utc>) -> Result<Renewal> {
    let kind = input.kind.ok_or_else(|| Error::invalid("kind", "choose what kind of renewal this is"))?;
    if input.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::invalid("name", "must not be empty"));
    }
    let due = parse_due(input.due.as_deref().unwrap_or(""), kind)?;
    let mut r = Renewal {
        id: new_id()?,
        kind,
        name: String::new(),
        due,
        auto_renew: false,
        card_id: None,
        links: Vec::new(),
        period_months: 0,
        note: String::new(),
        notice: None,
        check_target: None,
        last_check: None,
        last_renewed: None,
        created_at: now,
        updated_at: now,
    };
    r.apply(store, input, now)?;
    store.put(&r)?;
    Ok(r)
}

/// A renewal by id or exact name.
pub fn resolve(store: &Store, key: &str) -> Result<Renewal> {
    resolve_by(store, key, |r: &Renewal, k| r.name == k, |r| format!("{} ({}, {})", r.id, r.kind, r.due))
}

pub fn edit(store: &Store, key: &str, input: &RenewalInput, now: DateTime<Utc>) -> Result<Renewal> {
    let mut r = resolve(store, key)?;
    r.apply(store, input, now)?;
    store.put(&r)?;
    Ok(r)
}

/// Removes a renewal; renewals charged to it (when it is a card) are charged to nothing.
pub fn remove(store: &Store, key: &str, now: DateTime<Utc>) -> Result<Renewal> {
    let r = resolve(store, key)?;
    store.remove::<Renewal>(&r.id)?;
    for mut other in store.all::<Renewal>()?.into_iter().filter(|o| o.card_id.as_deref() == Some(r.id.as_str())) {
        other.card_id = None;
        other.updated_at = now;
        store.put(&other)?;
    }
    Ok(r)
}

/// Marks it renewed: the due date moves to `new_due`, or forward by its period
/// (repeatedly, until it lies after today, for one renewed late).
pub fn done(store: &Store, key: &str, new_due: Option<&str>, today: NaiveDate, now: DateTime<Utc>) -> Result<Renewal> {
    let mut r = resolve(store, key)?;
    let next = match new_due.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse_due(s, r.kind)?,
        None => {
            let mut d = r.due;
            loop {
                d = d.checked_add_months(Months::new(r.months())).ok_or_else(|| Error::invalid("due", "the next date is out of range"))?;
                if d > today {
                    break d;
                }
            }
        }
    };
    if next <= r.due && new_due.is_some() {
        return Err(Error::invalid("due", format!("the new date {next} must be after the current one ({})", r.due)));
    }
    r.due = next;
    r.last_renewed = Some(today);
    r.updated_at = now;
    store.put(&r)?;
    Ok(r)
}

/// All renewals, soonest first.
pub fn list(store: &Store) -> Result<Vec<Renewal>> {
    let mut all = store.all::<Renewal>()?;
    all.sort_by(|a, b| a.due.cmp(&b.due).then(a.name.cmp(&b.name)));
    Ok(all)
}

/// A renewal that will be charged after the card paying for it has expired.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CardConflict {
    pub renewal_id: String,
    pub renewal_name: String,
    pub due: NaiveDate,
    pub card_id: String,
    pub card_name: String,
    pub card_expires: NaiveDate,
}

pub fn card_conflicts(renewals: &[Renewal]) -> Vec<CardConflict> {
    let mut out = Vec::new();
    for r in renewals {
        let Some(card) = r.card_id.as_deref().and_then(|id| renewals.iter().find(|c| c.id == id)) else { continue };
        if r.due > card.due {
            out.push(CardConflict {
                renewal_id: r.id.clone(),
                renewal_name: r.name.clone(),
                due: r.due,
                card_id: card.id.clone(),
                card_name: card.name.clone(),
                card_expires: card.due,
            });
        }
    }
    out
}

/// Creates or updates the renewal an automatic check found (e.g. the `ssl` renewal of a host).
pub fn record_check(
    store: &Store,
    kind: RenewalKind,
    target: &str,
    found: std::result::Result<NaiveDate, &Error>,
    now: DateTime<Utc>,
) -> Result<Option<Renewal>> {
    let existing = store.all::<Renewal>()?.into_iter().find(|r| r.kind == kind && r.check_target.as_deref() == Some(target));
    let info = match &found {
        Ok(d) => CheckInfo { at: now, ok: true, code: None, message: format!("{d}") },
        Err(e) => CheckInfo { at: now, ok: false, code: Some(e.code().to_string()), message: e.to_string() },
    };
    let mut r = match (existing, found) {
        (Some(mut r), Ok(d)) => {
            r.due = d;
            r
        }
        (Some(r), Err(_)) => r,
        (None, Ok(d)) => Renewal {
            id: new_id()?,
            kind,
            name: target.to_string(),
            due: d,
            auto_renew: false,
            card_id: None,
            links: Vec::new(),
            period_months: 0,
            note: String::new(),
            notice: None,
            check_target: Some(target.to_string()),
            last_check: None,
            last_renewed: None,
            created_at: now,
            updated_at: now,
        },
        // A failed first check creates nothing.
        (None, Err(_)) => return Ok(None),
    };
    r.last_check = Some(info);
    r.updated_at = now;
    store.put(&r)?;
    Ok(Some(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn card_dates_as_printed() {
        assert_eq!(parse_due("2027-05", RenewalKind::Card).unwrap(), d("2027-05-31"));
        assert_eq!(parse_due("02/28", RenewalKind::Card).unwrap(), d("2028-02-29"));
        assert_eq!(parse_due("2027-05-10", RenewalKind::Card).unwrap(), d("2027-05-10"));
        assert!(parse_due("2027-05", RenewalKind::Domain).is_err());
        assert!(parse_due("13/27", RenewalKind::Card).is_err());
        assert!(parse_due("", RenewalKind::Card).is_err());
        assert!(parse_due("31/03/2027", RenewalKind::Domain).unwrap_err().to_string().contains("YYYY-MM-DD"));
    }
}
