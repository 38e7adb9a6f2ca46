//! People who know the shop's accounts, departure mode (the rotation checklist
//! when someone leaves) and the account health audit. Vault data.

use noren_base::messages::Message;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::credentials::credential::{Category, Credential};
use crate::credentials::facts::AccountFacts;
use noren_base::error::{Error, Result};
use noren_base::validate::{check_text, opt_text, MAX_NAME};
use noren_store::store::{new_id, resolve_by, Compartment, Record, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PersonRole {
    Owner,
    Staff,
    /// The web person (ホームページ担当).
    Web,
    /// A vendor's staff member.
    Vendor,
    Other,
}

impl std::str::FromStr for PersonRole {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "owner" => PersonRole::Owner,
            "staff" => PersonRole::Staff,
            "web" => PersonRole::Web,
            "vendor" => PersonRole::Vendor,
            "other" => PersonRole::Other,
            other => return Err(Error::invalid("role", format!("{other:?} is not a role (owner, staff, web, vendor, other)"))),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: PersonRole,
    /// Their own address (a recovery email pointing here is theirs).
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub departed_on: Option<NaiveDate>,
    /// When the departure was recorded: passwords set before it were known to them.
    #[serde(default)]
    pub departure_recorded_at: Option<DateTime<Utc>>,
    /// The logins on their checklist when the departure was recorded: they
    /// stay on it, ticked once safe, whatever is edited later.
    #[serde(default)]
    pub departure_logins: Vec<String>,
    /// Logins without a "who knows it" entry that the owner confirmed they did not know.
    #[serde(default)]
    pub cleared: Vec<String>,
    /// The shop's laptops (sharing device ids) the owner said were theirs: taken out of the
    /// sharing on their departure.
    #[serde(default)]
    pub laptops: Vec<String>,
    /// Laptops the owner confirmed were not theirs.
    #[serde(default)]
    pub cleared_laptops: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl Record for Person {
    const TREE: &'static str = "people";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "person";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::required("name", &self.name, MAX_NAME)?;
        v::line("email", &self.email, 254)?;
        v::opt_date("departed_on", &self.departed_on)?;
        v::opt_instant("departure_recorded_at", &self.departure_recorded_at)?;
        for id in self.departure_logins.iter().chain(&self.cleared) {
            v::line("departure_logins", id, 64)?;
        }
        for id in self.laptops.iter().chain(&self.cleared_laptops) {
            v::line("laptops", id, 64)?;
        }
        v::instant("created_at", &self.created_at)
    }
}

pub fn add(store: &Store, name: &str, role: PersonRole, email: &str, now: DateTime<Utc>) -> Result<Person> {
    let name = opt_text("name", name, MAX_NAME)?.ok_or_else(|| Error::invalid("name", "must not be empty"))?;
    if store.all::<Person>()?.iter().any(|p| p.name == name) {
        return Err(Error::invalid("name", format!("{name} is already in the list")));
    }
    let email = email.trim();
    check_text("email", email, 254, false)?;
    if !email.is_empty() && !email.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.')) {
        return Err(Error::invalid("email", format!("{email:?} is not an email address")));
    }
    let p = Person {
        id: new_id()?,
        name,
        role,
        email: email.to_string(),
        departed_on: None,
        departure_recorded_at: None,
        departure_logins: Vec::new(),
        cleared: Vec::new(),
        laptops: Vec::new(),
        cleared_laptops: Vec::new(),
        created_at: now,
    };
    store.put(&p)?;
    Ok(p)
}

pub fn resolve(store: &Store, key: &str) -> Result<Person> {
    resolve_by(store, key, |p: &Person, k| p.name == k, |p| format!("{} ({})", p.id, p.name))
}

pub fn list(store: &Store) -> Result<Vec<Person>> {
    let mut all = store.all::<Person>()?;
    all.sort_by(|a, b| a.departed_on.is_some().cmp(&b.departed_on.is_some()).then(a.name.cmp(&b.name)));
    Ok(all)
}

/// Marks someone as departed on `on` (`None`: undo, they are back). The
/// logins their checklist holds now are kept with the person, so an item
/// is ticked when it is made safe instead of dropping off the list.
pub fn depart(store: &Store, key: &str, on: Option<NaiveDate>, now: DateTime<Utc>) -> Result<Person> {
    let mut p = resolve(store, key)?;
    p.departed_on = on;
    p.departure_recorded_at = on.map(|_| now);
    p.departure_logins = match on {
        Some(_) => {
            let accounts = store.derived::<crate::credentials::facts::Accounts>()?;
            accounts.0.iter().filter(|c| involvement(&p, c).any()).map(|c| c.id.clone()).collect()
        }
        None => Vec::new(),
    };
    store.put(&p)?;
    Ok(p)
}

/// The owner's answer for a login nobody is recorded as knowing: did the
/// person who left know its password? Yes: they are added to the login's
/// "who knows it" (so it must be changed); no: the login is cleared for them.
pub fn review(store: &Store, key: &str, credential: &str, knew: bool, now: DateTime<Utc>) -> Result<Person> {
    let mut p = resolve(store, key)?;
    let c = crate::credentials::credential::resolve(store, credential)?;
    if knew {
        let mut known_by = c.known_by.clone();
        if !known_by.contains(&p.name) {
            known_by.push(p.name.clone());
        }
        let input = crate::credentials::credential::CredentialInput { known_by: Some(known_by), ..Default::default() };
        crate::credentials::credential::edit(store, &c.id, &input, now)?;
        if p.cleared.contains(&c.id) {
            p.cleared.retain(|id| id != &c.id);
            store.put(&p)?;
        }
    } else if !p.cleared.contains(&c.id) {
        p.cleared.push(c.id.clone());
        store.put(&p)?;
    }
    Ok(p)
}

/// The owner's answer for one of the shop's laptops on a departure checklist: was it theirs?
/// Yes: it stays on their checklist until it is taken out of the sharing; no: it is cleared.
pub fn review_laptop(store: &Store, key: &str, device: &str, theirs: bool) -> Result<Person> {
    let mut p = resolve(store, key)?;
    noren_base::validate::line("laptops", device, 64)?;
    if device.trim().is_empty() {
        return Err(Error::invalid("laptops", "name the laptop"));
    }
    p.laptops.retain(|d| d != device);
    p.cleared_laptops.retain(|d| d != device);
    if theirs {
        p.laptops.push(device.to_string());
    } else {
        p.cleared_laptops.push(device.to_string());
    }
    store.put(&p)?;
    Ok(p)
}

/// "They knew none of the rest": every login still waiting for review is cleared at once.
pub fn clear_unreviewed(store: &Store, key: &str, tz: Tz) -> Result<(Person, usize)> {
    let mut p = resolve(store, key)?;
    let accounts = store.derived::<crate::credentials::facts::Accounts>()?;
    let waiting: Vec<String> = checklist(&p, &accounts.0, tz)
        .map(|d| d.items.into_iter().filter(|i| i.needs_review).map(|i| i.credential_id).collect())
        .unwrap_or_default();
    let n = waiting.len();
    if n > 0 {
        p.cleared.extend(waiting);
        store.put(&p)?;
    }
    Ok((p, n))
}

/// How a login touches a person.
struct Involvement {
    knew: bool,
    holds: bool,
    recovery: bool,
    /// A password nobody is recorded as knowing: they may have known it.
    unknown: bool,
}

impl Involvement {
    fn any(&self) -> bool {
        self.knew || self.holds || self.recovery || self.unknown
    }
}

fn involvement(person: &Person, c: &AccountFacts) -> Involvement {
    Involvement {
        knew: c.known_by.iter().any(|n| n == &person.name),
        holds: c.two_factor_holder.as_deref() == Some(person.name.as_str()),
        recovery: c.registered_email.as_deref().is_some_and(|e| same_email(e, &person.email)),
        unknown: c.has_password && c.known_by.is_empty(),
    }
}

pub fn remove(store: &Store, key: &str) -> Result<Person> {
    let p = resolve(store, key)?;
    store.remove::<Person>(&p.id)?;
    Ok(p)
}

/// Domain, server and email first: they recover everything else.
pub fn risk_rank(c: Category) -> u8 {
    match c {
        Category::Domain => 0,
        Category::Server => 1,
        Category::Email => 2,
        Category::Website => 3,
        Category::Sns => 4,
        Category::Portal => 5,
        Category::Other => 6,
    }
}

/// One credential to make safe after a departure.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct RotationItem {
    pub credential_id: String,
    pub credential_name: String,
    pub category: Category,
    /// They knew the password; done once it is changed on or after the departure date.
    pub knew_password: bool,
    pub password_changed: bool,
    /// They hold the 2FA device.
    pub holds_two_factor: bool,
    /// The registered (recovery) email is theirs.
    pub recovery_is_theirs: bool,
    /// Nobody is recorded as knowing the password: the owner is asked whether they did.
    pub needs_review: bool,
    /// The owner confirmed they did not know it.
    pub cleared: bool,
    pub done: bool,
    /// What to do, in order, as catalogue messages.
    pub steps: Vec<Message>,
}

/// One of the shop's laptops, as the sharing knows it (the facts a departure checklist needs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaptopFacts {
    pub device: String,
    pub name: String,
    pub joined_at: Option<DateTime<Utc>>,
    /// Taken out of the sharing: nothing written since opens for it.
    pub removed: bool,
    /// The laptop this checklist is shown on (it cannot take itself out).
    pub this: bool,
}

/// One laptop to take out of the shop's sharing after a departure.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct LaptopItem {
    pub device: String,
    pub name: String,
    /// The owner said it was theirs.
    pub theirs: bool,
    pub removed: bool,
    /// Nobody said whose it is: the owner is asked.
    pub needs_review: bool,
    /// The owner said it was not theirs.
    pub cleared: bool,
    pub done: bool,
    pub steps: Vec<Message>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Departure {
    pub person: Person,
    pub items: Vec<RotationItem>,
    /// The shop's laptops that were or may have been theirs (a shared store only).
    pub laptops: Vec<LaptopItem>,
    /// Logins and laptops made safe, of all on the list.
    pub done: usize,
    pub total: usize,
}

fn same_email(a: &str, b: &str) -> bool {
    !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim())
}

/// The rotation checklist of one departed person, riskiest first (logins only: a store that is
/// not shared, or a caller that does not look at the laptops).
pub fn checklist(person: &Person, creds: &[AccountFacts], tz: Tz) -> Option<Departure> {
    departure(person, creds, &[], tz)
}

/// The whole checklist of one departed person: their logins, riskiest first, then the shop's
/// laptops that were theirs or may have been (a laptop that joined after they left is not asked
/// about; one the owner said was theirs is done once taken out of the sharing).
pub fn departure(person: &Person, creds: &[AccountFacts], laptops: &[LaptopFacts], tz: Tz) -> Option<Departure> {
    let left = person.departed_on?;
    // A password counts as changed when it was set after they left: after the end of
    // their last day, or after the departure was recorded when that is earlier (the
    // same day, say).
    let end_of_day = noren_base::time::local_midnight_utc(left.succ_opt().unwrap_or(left), tz);
    let threshold = person.departure_recorded_at.map_or(end_of_day, |r| r.min(end_of_day));
    let mut items = Vec::new();
    for c in creds {
        let Involvement { knew, holds, recovery, unknown } = involvement(person, c);
        let frozen = person.departure_logins.contains(&c.id);
        let changed = c.last_rotated > threshold;
        let cleared = unknown && person.cleared.contains(&c.id);
        // A login set up after they left, with nothing of theirs, is not theirs to review.
        let relevant = knew || holds || recovery || frozen || (unknown && (!changed || cleared));
        if !relevant {
            continue;
        }
        let needs_review = unknown && !knew && !cleared && !changed;
        let done = (!knew || changed) && !holds && !recovery && !needs_review;
        let step = |key: &str| Message::new(key).with("login", &c.name).with("person", &person.name).with("email", &person.email);
        let mut steps = Vec::new();
        if needs_review {
            steps.push(step("step-review"));
        }
        if knew && !changed {
            steps.push(step("step-change-password"));
        }
        if holds {
            steps.push(step("step-move-two-factor"));
        }
        if recovery {
            steps.push(step("step-change-recovery"));
        }
        if !done && matches!(c.category, Category::Sns | Category::Portal | Category::Website) {
            steps.push(step("step-remove-admin"));
        }
        items.push(RotationItem {
            credential_id: c.id.clone(),
            credential_name: c.name.clone(),
            category: c.category,
            knew_password: knew,
            password_changed: changed,
            holds_two_factor: holds,
            recovery_is_theirs: recovery,
            needs_review,
            cleared,
            done,
            steps,
        });
    }
    items.sort_by(|a, b| {
        a.done.cmp(&b.done).then(risk_rank(a.category).cmp(&risk_rank(b.category))).then(a.credential_name.cmp(&b.credential_name))
    });
    let laptops = laptop_items(person, laptops, threshold);
    let done = items.iter().filter(|i| i.done).count() + laptops.iter().filter(|l| l.done).count();
    Some(Departure { person: person.clone(), total: items.len() + laptops.len(), done, items, laptops })
}

fn laptop_items(person: &Person, laptops: &[LaptopFacts], left: DateTime<Utc>) -> Vec<LaptopItem> {
    let mut items: Vec<LaptopItem> = laptops
        .iter()
        .filter(|l| !l.this)
        .filter_map(|l| {
            let theirs = person.laptops.contains(&l.device);
            let cleared = !theirs && person.cleared_laptops.contains(&l.device);
            let later = l.joined_at.is_some_and(|j| j > left);
            // Not theirs to review: taken out already without being theirs, or joined after they left.
            if !theirs && !cleared && (l.removed || later) {
                return None;
            }
            let needs_review = !theirs && !cleared;
            let done = cleared || (theirs && l.removed);
            let step = |key: &str| Message::new(key).with("laptop", &l.name).with("person", &person.name);
            let steps = match (needs_review, done) {
                (true, _) => vec![step("step-review-laptop")],
                (false, false) => vec![step("step-remove-laptop")],
                (false, true) => Vec::new(),
            };
            Some(LaptopItem {
                device: l.device.clone(),
                name: l.name.clone(),
                theirs,
                removed: l.removed,
                needs_review,
                cleared,
                done,
                steps,
            })
        })
        .collect();
    items.sort_by(|a, b| a.done.cmp(&b.done).then(a.name.cmp(&b.name)));
    items
}

pub fn departures(people: &[Person], creds: &[AccountFacts], tz: Tz) -> Vec<Departure> {
    people.iter().filter_map(|p| checklist(p, creds, tz)).collect()
}

// ---------------------------------------------------------------- audit

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FindingKind {
    RecoveryLoop,
    RecoveryDeparted,
    ReusedPassword,
    WeakPassword,
    NoTwoFactor,
    RecoveryFreeAddress,
    OldPassword,
    CardExpiring,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Finding {
    pub kind: FindingKind,
    /// The credential (or renewal, for card findings) it is about.
    pub record_id: String,
    pub name: String,
    /// Why it matters and what to do, as catalogue messages (no prose in the domain).
    pub why: Message,
    pub what: Message,
}

/// Free mail services: fine for a person, risky as a shop's recovery address.
const FREE_MAIL: [&str; 14] = [
    "gmail.com",
    "yahoo.co.jp",
    "ymail.ne.jp",
    "icloud.com",
    "me.com",
    "outlook.com",
    "outlook.jp",
    "hotmail.com",
    "hotmail.co.jp",
    "live.jp",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
];

fn email_domain(e: &str) -> Option<String> {
    e.rsplit_once('@').map(|(_, d)| d.trim().trim_end_matches('.').to_ascii_lowercase())
}

/// The domain a `domain` credential is about: from its name, else its login.
fn registered_domain(c: &Credential) -> Option<String> {
    let looks = |s: &str| {
        let s = s.trim().trim_end_matches('.').to_ascii_lowercase();
        let s = s.strip_prefix("www.").unwrap_or(&s).to_string();
        (s.contains('.') && !s.contains(' ') && !s.contains('/') && !s.contains('@')).then_some(s)
    };
    c.name.split_whitespace().find_map(looks).or_else(|| c.fields.values().find_map(|v| looks(v)))
}

fn under(domain: &str, of: &str) -> bool {
    domain == of || domain.ends_with(&format!(".{of}"))
}

/// Every finding, worst kinds first.
pub fn audit(
    creds: &[Credential],
    people: &[Person],
    renewals: &[crate::vendors::renewal::Renewal],
    now: DateTime<Utc>,
    max_age_days: i64,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |kind: FindingKind, c: &Credential, why: Message| {
        let what = Message::new(format!("{}-what", Message::of_enum("finding", &kind).key));
        out.push(Finding { kind, record_id: c.id.clone(), name: c.name.clone(), why, what });
    };
    let domains: Vec<(String, &Credential)> =
        creds.iter().filter(|c| c.category == Category::Domain).filter_map(|c| registered_domain(c).map(|d| (d, c))).collect();
    let mut by_password: BTreeMap<&str, Vec<&Credential>> = BTreeMap::new();
    for c in creds.iter().filter(|c| !c.password.is_empty()) {
        by_password.entry(c.password.expose()).or_default().push(c);
    }
    for c in creds {
        let recovery = c.registered_email.as_deref().unwrap_or("");
        let rdomain = email_domain(recovery);
        // Recovery loop: the address that receives this account's notices lives on a
        // domain that this shop must keep renewing itself.
        if let Some(rd) = &rdomain {
            if let Some((d, dc)) = domains.iter().find(|(d, _)| under(rd, d)) {
                let key = if dc.id == c.id { "finding-recovery_loop-self-why" } else { "finding-recovery_loop-why" };
                push(FindingKind::RecoveryLoop, c, Message::new(key).with("name", &c.name).with("recovery", recovery).with("domain", d));
            }
            if FREE_MAIL.contains(&rd.as_str()) && !people.iter().any(|p| p.role == PersonRole::Owner && same_email(&p.email, recovery)) {
                push(FindingKind::RecoveryFreeAddress, c, Message::new("finding-recovery_free_address-why").with("recovery", recovery));
            }
        }
        for p in people.iter().filter(|p| p.departed_on.is_some()) {
            let theirs = same_email(recovery, &p.email) || c.two_factor_holder.as_deref() == Some(p.name.as_str());
            if theirs {
                push(
                    FindingKind::RecoveryDeparted,
                    c,
                    Message::new("finding-recovery_departed-why").with("name", &c.name).with("person", &p.name),
                );
            }
        }
        if let Some(group) = by_password.get(c.password.expose()).filter(|g| g.len() > 1 && !c.password.is_empty()) {
            let others = group.iter().filter(|o| o.id != c.id).map(|o| Message::new("finding-name").with("name", &o.name)).collect();
            push(FindingKind::ReusedPassword, c, Message::new("finding-reused_password-why").with_list("others", others));
        }
        if !c.password.is_empty() {
            let s = crate::credentials::generator::strength(&c.password, &[c.name.as_str()]);
            if s.score < 3 {
                push(FindingKind::WeakPassword, c, Message::new("finding-weak_password-why").with("level", s.score + 1));
            }
            let age = (now - c.last_rotated).num_days();
            if age > max_age_days {
                push(FindingKind::OldPassword, c, Message::new("finding-old_password-why").with("days", age));
            }
        }
        let important = matches!(c.category, Category::Email | Category::Domain | Category::Server | Category::Sns | Category::Website);
        if important && c.totp.is_none() && c.two_factor_holder.is_none() {
            push(FindingKind::NoTwoFactor, c, Message::new("finding-no_two_factor-why"));
        }
    }
    for cc in crate::vendors::renewal::card_conflicts(renewals) {
        out.push(Finding {
            kind: FindingKind::CardExpiring,
            record_id: cc.renewal_id.clone(),
            name: cc.renewal_name.clone(),
            why: Message::new("finding-card_expiring-why")
                .with("name", &cc.renewal_name)
                .with("due", cc.due)
                .with("card", &cc.card_name)
                .with("expires", cc.card_expires),
            what: Message::new("finding-card_expiring-what"),
        });
    }
    out.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_emails() {
        assert!(under("mail.salon.jp", "salon.jp"));
        assert!(!under("notsalon.jp", "salon.jp"));
        assert_eq!(email_domain("Info@Salon.JP").as_deref(), Some("salon.jp"));
    }
}
