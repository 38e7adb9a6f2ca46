//! Vendors (制作会社, 保守, hosting, registrar, SNS運用代行) and their contracts:
//! whom to call when something breaks, whether they answer right now, and what
//! it costs. Vault data. A contract's end date is mirrored as a `contract`
//! renewal in the calendar compartment so it is announced even while locked.

use noren_base::messages::{Lang, Message};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::customers::business::ShopHours;
use crate::vendors::renewal::{self, Renewal, RenewalKind};
use noren_base::error::{Error, Result};
use noren_base::validate::{check_text, normalize_url, opt_text, MAX_NOTES, MAX_SHORT};
use noren_store::store::{new_id, resolve_by, Compartment, Record, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum VendorRole {
    /// 制作: built the site.
    Production,
    /// 保守: maintains it.
    Maintenance,
    Hosting,
    Registrar,
    /// SNS運用代行.
    Sns,
    Other,
}

impl VendorRole {
    pub const ALL: [VendorRole; 6] =
        [VendorRole::Production, VendorRole::Maintenance, VendorRole::Hosting, VendorRole::Registrar, VendorRole::Sns, VendorRole::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            VendorRole::Production => "production",
            VendorRole::Maintenance => "maintenance",
            VendorRole::Hosting => "hosting",
            VendorRole::Registrar => "registrar",
            VendorRole::Sns => "sns",
            VendorRole::Other => "other",
        }
    }

    /// Its name as the owner reads it, from the catalogue (`vnd-role-<value>`).
    pub fn label(self, lang: Lang) -> String {
        Message::of_enum("vnd-role", &self).text(lang)
    }
}

impl fmt::Display for VendorRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for VendorRole {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim();
        let by_label = VendorRole::ALL.into_iter().find(|r| r.label(Lang::Ja) == t || (t == "保守" && *r == VendorRole::Maintenance));
        let lower = t.to_ascii_lowercase();
        VendorRole::ALL
            .into_iter()
            .find(|r| r.as_str() == lower)
            .or(by_label)
            .ok_or_else(|| Error::invalid("role", format!("{t:?} is not a role (production, maintenance, hosting, registrar, sns, other)")))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VendorContact {
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FeeKind {
    Monthly,
    PerIncident,
    Hourly,
    Yearly,
    None,
}

impl FromStr for FeeKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "monthly" => FeeKind::Monthly,
            "per_incident" | "incident" => FeeKind::PerIncident,
            "hourly" => FeeKind::Hourly,
            "yearly" => FeeKind::Yearly,
            "none" | "" => FeeKind::None,
            other => {
                return Err(Error::invalid(
                    "fee_kind",
                    format!("{other:?} is not a fee kind (monthly, per_incident, hourly, yearly, none)"),
                ))
            }
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contract {
    /// What the fee covers.
    #[serde(default)]
    pub included: String,
    /// What costs extra.
    #[serde(default)]
    pub extra: String,
    /// Support days and hours (the business-day calendar: weekdays, holidays, closed periods).
    pub hours: ShopHours,
    /// Emergency support outside hours and its surcharge ("夜間・休日は緊急対応 +22,000円").
    #[serde(default)]
    pub emergency: String,
    pub fee_kind: FeeKind,
    /// Yen per fee period (tax included, as the invoice says).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub fee_yen: Option<u64>,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub end: Option<NaiveDate>,
    #[serde(default)]
    pub auto_renew: bool,
    /// Days before the end by which a cancellation must be announced.
    #[serde(default)]
    pub notice_days: Option<u32>,
    /// Promised first response, in business days.
    #[serde(default)]
    pub response_days: Option<u32>,
}

impl Default for Contract {
    fn default() -> Self {
        Contract {
            included: String::new(),
            extra: String::new(),
            hours: ShopHours { closed_periods: Vec::new(), ..ShopHours::default() },
            emergency: String::new(),
            fee_kind: FeeKind::None,
            fee_yen: None,
            start: None,
            end: None,
            auto_renew: false,
            notice_days: None,
            response_days: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Vendor {
    pub id: String,
    pub company: String,
    pub role: VendorRole,
    #[serde(default)]
    pub contacts: Vec<VendorContact>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub form_url: Option<String>,
    /// What they look after: credential/channel ids or plain words ("ホームページ", "example.jp").
    #[serde(default)]
    pub assets: Vec<String>,
    #[serde(default)]
    pub contract: Option<Contract>,
    #[serde(default)]
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Record for Vendor {
    const TREE: &'static str = "vendors";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "vendor";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::required("company", &self.company, MAX_SHORT)?;
        v::entries("contacts", &self.contacts)?;
        for c in &self.contacts {
            v::line("contacts", &c.name, MAX_SHORT)?;
            v::line("contacts", &c.phone, 64)?;
            v::line("contacts", &c.email, MAX_SHORT)?;
            v::line("contacts", &c.note, MAX_SHORT)?;
        }
        v::line("phone", &self.phone, 64)?;
        v::line("email", &self.email, MAX_SHORT)?;
        v::stored_address("form_url", &self.form_url, normalize_url)?;
        v::lines("assets", &self.assets, 200, MAX_SHORT)?;
        if let Some(c) = &self.contract {
            v::text("included", &c.included)?;
            v::text("extra", &c.extra)?;
            v::text("emergency", &c.emergency)?;
            v::opt_date("start", &c.start)?;
            v::opt_date("end", &c.end)?;
        }
        v::text("note", &self.note)?;
        v::instant("created_at", &self.created_at)?;
        v::instant("updated_at", &self.updated_at)
    }
}

/// What the user types (patch semantics on edit: `None` keeps, `Some("")` clears).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct VendorInput {
    pub company: Option<String>,
    pub role: Option<VendorRole>,
    pub contacts: Option<Vec<VendorContact>>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub form_url: Option<String>,
    pub assets: Option<Vec<String>>,
    /// Replaces the contract (`None` keeps it).
    pub contract: Option<Contract>,
    /// Removes the contract.
    pub no_contract: bool,
    pub note: Option<String>,
}

fn check_email(field: &'static str, v: &str) -> Result<String> {
    let v = v.trim();
    if !v.is_empty() && !v.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.')) {
        return Err(Error::invalid(field, format!("{v:?} is not an email address")));
    }
    check_text(field, v, MAX_SHORT, false)?;
    Ok(v.to_string())
}

fn check_phone(field: &'static str, v: &str) -> Result<String> {
    let v = v.trim();
    check_text(field, v, 64, false)?;
    if !v.is_empty() && !v.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        return Err(Error::invalid(field, format!("{v:?} is not a phone number")));
    }
    Ok(v.to_string())
}

fn check_contract(c: &Contract) -> Result<Contract> {
    c.hours.validate()?;
    check_text("included", &c.included, MAX_NOTES, true)?;
    check_text("extra", &c.extra, MAX_NOTES, true)?;
    check_text("emergency", &c.emergency, MAX_NOTES, true)?;
    if let (Some(s), Some(e)) = (c.start, c.end) {
        if e < s {
            return Err(Error::invalid("end", format!("the contract ends ({e}) before it starts ({s})")));
        }
    }
    if c.notice_days.is_some_and(|n| n > 730) {
        return Err(Error::invalid("notice_days", "at most 730 days"));
    }
    if c.response_days.is_some_and(|n| n > 90) {
        return Err(Error::invalid("response_days", "at most 90 business days"));
    }
    let mut c = c.clone();
    c.included = c.included.trim_end().to_string();
    c.extra = c.extra.trim_end().to_string();
    c.emergency = c.emergency.trim_end().to_string();
    c.hours.id = "support".into();
    Ok(c)
}

impl Vendor {
    fn apply(&mut self, input: &VendorInput, now: DateTime<Utc>) -> Result<()> {
        if let Some(n) = &input.company {
            self.company = opt_text("company", n, MAX_SHORT)?.ok_or_else(|| Error::invalid("company", "must not be empty"))?;
        }
        if let Some(r) = input.role {
            self.role = r;
        }
        if let Some(list) = &input.contacts {
            if list.len() > 50 {
                return Err(Error::invalid("contacts", "at most 50 people"));
            }
            let mut out = Vec::new();
            for p in list {
                let name = p.name.trim();
                if name.is_empty() && p.phone.trim().is_empty() && p.email.trim().is_empty() {
                    continue;
                }
                check_text("contacts", name, MAX_SHORT, false)?;
                check_text("contacts", &p.note, MAX_SHORT, false)?;
                out.push(VendorContact {
                    name: name.to_string(),
                    phone: check_phone("contacts", &p.phone)?,
                    email: check_email("contacts", &p.email)?,
                    note: p.note.trim().to_string(),
                });
            }
            self.contacts = out;
        }
        if let Some(p) = &input.phone {
            self.phone = check_phone("phone", p)?;
        }
        if let Some(e) = &input.email {
            self.email = check_email("email", e)?;
        }
        if let Some(u) = &input.form_url {
            self.form_url = normalize_url(u)?;
        }
        if let Some(a) = &input.assets {
            let mut out: Vec<String> = Vec::new();
            for x in a.iter().map(|x| x.trim()).filter(|x| !x.is_empty()) {
                check_text("assets", x, MAX_SHORT, false)?;
                if !out.iter().any(|o| o == x) {
                    out.push(x.to_string());
                }
            }
            if out.len() > 100 {
                return Err(Error::invalid("assets", "at most 100 entries"));
            }
            self.assets = out;
        }
        if input.no_contract {
            self.contract = None;
        } else if let Some(c) = &input.contract {
            self.contract = Some(check_contract(c)?);
        }
        if let Some(n) = &input.note {
            check_text("note", n, MAX_NOTES, true)?;
            self.note = n.trim_end().to_string();
        }
        self.updated_at = now;
        Ok(())
    }
}

fn contract_target(v: &Vendor) -> String {
    format!("vendor:{}", v.id)
}

/// Keeps the `contract` renewal mirroring the vendor's contract end in step.
fn sync_contract_renewal(store: &Store, v: &Vendor, now: DateTime<Utc>) -> Result<()> {
    let target = contract_target(v);
    let existing = store.all::<Renewal>()?.into_iter().find(|r| r.check_target.as_deref() == Some(target.as_str()));
    match (v.contract.as_ref().and_then(|c| c.end.map(|e| (c, e))), existing) {
        (Some((c, end)), existing) => {
            let notice = c.notice_days.map(|n| Message::new("ren-contract-notice").with("days", n));
            let mut r = match existing {
                Some(r) => r,
                None => Renewal {
                    id: new_id()?,
                    kind: RenewalKind::Contract,
                    name: String::new(),
                    due: end,
                    auto_renew: false,
                    card_id: None,
                    links: Vec::new(),
                    period_months: 0,
                    note: String::new(),
                    notice: None,
                    check_target: Some(target),
                    last_check: None,
                    last_renewed: None,
                    created_at: now,
                    updated_at: now,
                },
            };
            r.name = Message::new("ren-contract-name").with("company", &v.company).text(Lang::Ja);
            r.due = end;
            r.auto_renew = c.auto_renew;
            // The line earlier versions wrote into the owner's note gives way to `notice`.
            if let Some(n) = c.notice_days {
                if r.note == format!("解約・変更の連絡は終了の{n}日前まで / Notice {n} days before the end") {
                    r.note.clear();
                }
            }
            r.notice = notice;
            r.updated_at = now;
            store.put(&r)
        }
        (None, Some(r)) => store.remove::<Renewal>(&r.id).map(|_| ()),
        (None, None) => Ok(()),
    }
}

pub fn add(store: &Store, input: &VendorInput, now: DateTime<Utc>) -> Result<Vendor> {
    if input.company.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::invalid("company", "must not be empty"));
    }
    let mut v = Vendor {
        id: new_id()?,
        company: String::new(),
        role: input.role.unwrap_or(VendorRole::Other),
        contacts: Vec::new(),
        phone: String::new(),
        email: String::new(),
        form_url: None,
        assets: Vec::new(),
        contract: None,
        note: String::new(),
        created_at: now,
        updated_at: now,
    };
    v.apply(input, now)?;
    store.put(&v)?;
    sync_contract_renewal(store, &v, now)?;
    Ok(v)
}

/// A vendor by id or exact company name.
pub fn resolve(store: &Store, key: &str) -> Result<Vendor> {
    resolve_by(store, key, |v: &Vendor, k| v.company == k, |v| format!("{} ({})", v.id, v.role))
}

pub fn edit(store: &Store, key: &str, input: &VendorInput, now: DateTime<Utc>) -> Result<Vendor> {
    let mut v = resolve(store, key)?;
    v.apply(input, now)?;
    store.put(&v)?;
    sync_contract_renewal(store, &v, now)?;
    Ok(v)
}

pub fn remove(store: &Store, key: &str, now: DateTime<Utc>) -> Result<Vendor> {
    let mut v = resolve(store, key)?;
    store.remove::<Vendor>(&v.id)?;
    v.contract = None;
    sync_contract_renewal(store, &v, now)?;
    Ok(v)
}

pub fn list(store: &Store) -> Result<Vec<Vendor>> {
    let mut all = store.all::<Vendor>()?;
    all.sort_by(|a, b| a.role.cmp(&b.role).then(a.company.cmp(&b.company)));
    Ok(all)
}

/// One answer to "who do I call about this, right now?".
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CallAdvice {
    pub vendor: Vendor,
    /// What of theirs matched the question.
    pub matched: String,
    /// Inside their support hours now (`None`: no contract, hours unknown).
    pub inside_hours: Option<bool>,
    /// When they are next available, when not now.
    pub next_open: Option<DateTime<Utc>>,
    /// What a call costs, as a catalogue message.
    pub cost: Message,
}

fn yen(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the contract says a call costs, as a catalogue message.
pub fn cost_text(c: Option<&Contract>, inside: Option<bool>) -> Message {
    let Some(c) = c else {
        return Message::new("vnd-cost-none");
    };
    let amount = c.fee_yen.map(yen);
    let mut cost = match (c.fee_kind, amount) {
        (FeeKind::Monthly, Some(a)) => Message::new("vnd-cost-monthly").with("amount", a),
        (FeeKind::Yearly, Some(a)) => Message::new("vnd-cost-yearly").with("amount", a),
        (FeeKind::Monthly | FeeKind::Yearly, None) => Message::new("vnd-cost-fixed"),
        (FeeKind::PerIncident, Some(a)) => Message::new("vnd-cost-per-incident").with("amount", a),
        (FeeKind::Hourly, Some(a)) => Message::new("vnd-cost-hourly").with("amount", a),
        (FeeKind::PerIncident | FeeKind::Hourly, None) => Message::new("vnd-cost-quoted"),
        (FeeKind::None, _) => Message::new("vnd-cost-no-fee"),
    };
    if !c.extra.is_empty() {
        cost = Message::new("vnd-cost-extra").with_message("cost", cost).with("extra", c.extra.lines().next().unwrap_or(""));
    }
    if inside == Some(false) && !c.emergency.is_empty() {
        cost = Message::new("vnd-cost-emergency").with_message("cost", cost).with("emergency", c.emergency.lines().next().unwrap_or(""));
    }
    cost
}

/// Vendors responsible for `asset` (a word like "ホームページ", a domain, or a record
/// id), with whether they are inside support hours at `now`. Available ones first.
pub fn who_to_call(vendors: &[Vendor], asset: &str, extra_names: &[(String, String)], now: DateTime<Utc>, tz: Tz) -> Vec<CallAdvice> {
    let q = asset.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    // A record id in `assets` matches by the record's name too (extra_names: id → name).
    let names = |a: &str| -> Option<String> { extra_names.iter().find(|(id, _)| id == a).map(|(_, n)| n.to_lowercase()) };
    let mut out: Vec<CallAdvice> = Vec::new();
    for v in vendors {
        let hit = v.assets.iter().find(|a| {
            let a_l = a.to_lowercase();
            a_l.contains(&q) || q.contains(&a_l) || names(a).is_some_and(|n| n.contains(&q) || q.contains(&n))
        });
        let Some(hit) = hit else { continue };
        let contract = v.contract.as_ref();
        let inside = contract.map(|c| c.hours.is_open_at(now, tz));
        let next_open = match (contract, inside) {
            (Some(c), Some(false)) => c.hours.next_open(now, tz),
            _ => None,
        };
        let cost = cost_text(contract, inside);
        let matched = extra_names.iter().find(|(id, _)| id == hit).map(|(_, n)| n.clone()).unwrap_or_else(|| hit.clone());
        out.push(CallAdvice { vendor: v.clone(), matched, inside_hours: inside, next_open, cost });
    }
    let rank = |a: &CallAdvice| match a.inside_hours {
        Some(true) => 0,
        None => 1,
        Some(false) => 2,
    };
    out.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.vendor.role.cmp(&b.vendor.role)).then(a.vendor.company.cmp(&b.vendor.company)));
    out
}

/// The renewal mirroring a vendor's contract, if any (for links in the UI).
pub fn contract_renewal(store: &Store, vendor_id: &str) -> Result<Option<Renewal>> {
    let target = format!("vendor:{vendor_id}");
    Ok(renewal::list(store)?.into_iter().find(|r| r.check_target.as_deref() == Some(target.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn vendor(assets: &[&str], contract: Option<Contract>) -> Vendor {
        let now = utc("2026-11-01T00:00:00Z");
        Vendor {
            id: "v1".into(),
            company: "ウェブ工房".into(),
            role: VendorRole::Maintenance,
            contacts: Vec::new(),
            phone: "03-1234-5678".into(),
            email: String::new(),
            form_url: None,
            assets: assets.iter().map(|s| s.to_string()).collect(),
            contract,
            note: String::new(),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn support_hours_across_weekends_and_holidays() {
        let tz = chrono_tz::Asia::Tokyo;
        let c =
            Contract {
                fee_kind: FeeKind::Monthly, fee_yen: Some(11000), emergency: "緊急対応 +22,000円".into(), ..Contract::default()
            };
        let vs = [vendor(&["ホームページ"], Some(c))];
        let ask = |t: &str| who_to_call(&vs, "ホームページ", &[], utc(t), tz).remove(0);
        // Friday 2026-11-20 10:00 JST: inside.
        let a = ask("2026-11-20T10:00:00+09:00");
        assert_eq!(a.inside_hours, Some(true));
        assert!(a.cost.text(Lang::Ja).contains("月額11,000円"), "{}", a.cost.text(Lang::Ja));
        // Friday 18:00 exactly: closed; next opening skips the weekend and
        // Monday 11-23 (勤労感謝の日) → Tuesday 09:00.
        let a = ask("2026-11-20T18:00:00+09:00");
        assert_eq!(a.inside_hours, Some(false));
        assert_eq!(a.next_open, Some(utc("2026-11-24T09:00:00+09:00")));
        assert!(a.cost.text(Lang::Ja).contains("時間外: 緊急対応"), "{}", a.cost.text(Lang::Ja));
        // The holiday itself, at noon: closed.
        assert_eq!(ask("2026-11-23T12:00:00+09:00").inside_hours, Some(false));
        // Early Tuesday morning UTC is still Tuesday in Tokyo: 01:00Z = 10:00 JST.
        assert_eq!(ask("2026-11-24T01:00:00Z").inside_hours, Some(true));
        // Before opening: next opening is today 09:00.
        let a = ask("2026-11-24T08:30:00+09:00");
        assert_eq!(a.next_open, Some(utc("2026-11-24T09:00:00+09:00")));
    }

    #[test]
    fn who_matches_by_word_domain_or_linked_record_name() {
        let tz = chrono_tz::Asia::Tokyo;
        let now = utc("2026-11-20T10:00:00+09:00");
        let vs = [vendor(&["cred123", "example.jp"], None)];
        assert_eq!(who_to_call(&vs, "example.jp", &[], now, tz).len(), 1);
        // A pasted address finds the vendor of its domain.
        assert_eq!(who_to_call(&vs, "https://www.example.jp/", &[], now, tz).len(), 1);
        let names = [("cred123".to_string(), "WordPress 管理画面".to_string())];
        let a = who_to_call(&vs, "wordpress", &names, now, tz);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].inside_hours, None);
        assert_eq!(a[0].matched, "WordPress 管理画面");
        assert!(a[0].cost.text(Lang::Ja).contains("契約の登録がありません"));
        assert!(who_to_call(&vs, "instagram", &names, now, tz).is_empty());
        assert!(who_to_call(&vs, "  ", &names, now, tz).is_empty());
    }

    #[test]
    fn roles_parse_in_both_languages() {
        assert_eq!("保守".parse::<VendorRole>().unwrap(), VendorRole::Maintenance);
        assert_eq!("Hosting".parse::<VendorRole>().unwrap(), VendorRole::Hosting);
        assert!("plumber".parse::<VendorRole>().is_err());
        assert_eq!(yen(1234567), "1,234,567");
        assert_eq!(yen(999), "999");
    }
}
