//! The words of sharing: hybrid logical clocks, the parts of a store a person
//! may be given, and what one change says about itself.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A hybrid logical clock stamp: wall-clock milliseconds, a counter for
/// changes within one millisecond (or while the clock stands behind the
/// newest stamp seen), and the device, which breaks ties. Ordered by
/// `(ms, n, dev)`: every device picks the same winner for two versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    pub ms: i64,
    pub n: u32,
    pub dev: String,
}

impl Hlc {
    /// The next stamp of device `dev`, after `self` (the newest seen here) at wall time `now`.
    pub fn tick(&self, dev: &str, now: DateTime<Utc>) -> Hlc {
        let ms = now.timestamp_millis();
        if ms > self.ms {
            Hlc { ms, n: 0, dev: dev.to_string() }
        } else {
            Hlc { ms: self.ms, n: self.n.saturating_add(1), dev: dev.to_string() }
        }
    }

    /// Moves this clock past a stamp received from another device.
    pub fn observe(&mut self, other: &Hlc) {
        if (other.ms, other.n) > (self.ms, self.n) {
            self.ms = other.ms;
            self.n = other.n;
        }
    }
}

/// What a key of the folder opens. Front desk people get `Shop` only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, rename = "SyncPart")]
pub enum Part {
    /// Customers, inquiries, reply templates, the posting calendar, shop hours.
    Shop,
    /// Logins, vendors and contracts, renewals, incidents, people.
    Secrets,
}

impl Part {
    pub const ALL: [Part; 2] = [Part::Shop, Part::Secrets];

    pub fn as_str(self) -> &'static str {
        match self {
            Part::Shop => "shop",
            Part::Secrets => "secrets",
        }
    }

    pub fn parse(s: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// What a person's laptop may open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Scope {
    /// Everything, logins included.
    Everything,
    /// Customers, inquiries and the posting calendar; no passwords.
    FrontDesk,
}

impl Scope {
    pub fn parts(self) -> &'static [Part] {
        match self {
            Scope::Everything => &Part::ALL,
            Scope::FrontDesk => &[Part::Shop],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Everything => "everything",
            Scope::FrontDesk => "front-desk",
        }
    }
}

impl std::str::FromStr for Scope {
    type Err = noren_base::error::Error;
    fn from_str(s: &str) -> noren_base::error::Result<Scope> {
        match s.trim() {
            "everything" => Ok(Scope::Everything),
            "front-desk" | "frontdesk" => Ok(Scope::FrontDesk),
            other => Err(noren_base::error::Error::invalid(
                "scope",
                format!("{:?} is not a scope (everything or front-desk)", noren_base::validate::printable(other)),
            )),
        }
    }
}

/// What one change in a batch says about itself; the record follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpHead {
    /// The collection (a store tree name).
    pub tree: String,
    pub id: String,
    pub hlc: Hlc,
    /// The version this one was made from, as the writer had it (none for a new record).
    pub parent: Option<Hlc>,
    /// A deletion (a tombstone): no record follows.
    pub deleted: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn stamps_are_ordered_by_time_then_counter_then_device() {
        let t = Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).single().unwrap_or_default();
        let a = Hlc::default().tick("a", t);
        let a2 = a.tick("a", t);
        assert!(a2 > a, "a second change in the same millisecond comes after the first");
        // A clock behind the newest stamp seen still moves forward.
        let mut seen = a2.clone();
        seen.observe(&Hlc { ms: a2.ms + 5_000, n: 3, dev: "b".into() });
        let next = seen.tick("a", t);
        assert!(next > Hlc { ms: a2.ms + 5_000, n: 3, dev: "b".into() });
        // Equal time and counter: the device decides, the same way everywhere.
        assert!(Hlc { ms: 1, n: 0, dev: "b".into() } > Hlc { ms: 1, n: 0, dev: "a".into() });
    }

    #[test]
    fn scopes_name_their_parts() {
        assert_eq!(Scope::FrontDesk.parts(), &[Part::Shop]);
        assert_eq!("front-desk".parse::<Scope>().ok(), Some(Scope::FrontDesk));
        assert!("admin".parse::<Scope>().is_err());
    }
}
