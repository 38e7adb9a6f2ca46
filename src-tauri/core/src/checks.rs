//! Internet checks of a renewal's date, as both front ends run them: a
//! certificate's last day from a TLS handshake, a domain's expiry from RDAP,
//! each kept on the matching renewal. The target is resolved first (no network),
//! the check runs without the store (the window holds no lock meanwhile), and
//! the outcome is recorded, a failure noted on an existing renewal.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Result};
use crate::renewal::{self, Renewal, RenewalKind};
use crate::store::Store;
use crate::tls_check::{self, CertInfo};

/// How long a check may take before it is given up.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// What a check asks for, resolved before the network is touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `target`: `host` or `host:port`, the name the renewal is kept under.
    Cert {
        url: String,
        target: String,
    },
    Domain {
        domain: String,
    },
}

impl Target {
    /// A certificate check of an https address.
    pub fn cert(url: &str) -> Result<Target> {
        let (host, port) = tls_check::https_target(url)?;
        let target = if port == 443 { host } else { format!("{host}:{port}") };
        Ok(Target::Cert { url: url.trim().to_string(), target })
    }

    /// An expiry check of a registered domain.
    pub fn domain(domain: &str) -> Target {
        Target::Domain { domain: domain.trim().trim_end_matches('.').to_ascii_lowercase() }
    }

    /// By the renewal kind's name: "ssl" or "domain".
    pub fn parse(kind: &str, what: &str) -> Result<Target> {
        match kind {
            "ssl" => Target::cert(what),
            "domain" => Ok(Target::domain(what)),
            other => Err(Error::invalid("kind", format!("{other:?} cannot be checked from the internet (ssl, domain)"))),
        }
    }

    /// The renewal kind and the name it is kept under.
    pub fn renewal(&self) -> (RenewalKind, &str) {
        match self {
            Target::Cert { target, .. } => (RenewalKind::Ssl, target),
            Target::Domain { domain } => (RenewalKind::Domain, domain),
        }
    }
}

/// What a check found.
#[derive(Clone, Debug)]
pub enum Found {
    Cert(CertInfo),
    /// The domain's registration expiry.
    Domain(NaiveDate),
}

impl Found {
    /// The last day, in the shop's time zone.
    pub fn last_day(&self, zone: Tz) -> NaiveDate {
        match self {
            Found::Cert(info) => info.not_after.with_timezone(&zone).date_naive(),
            Found::Domain(day) => *day,
        }
    }
}

/// Runs the check (network; no store). `rdap_base`: the RDAP server the front
/// end was told (`$NOREN_RDAP_BASE`), else `tls_check::RDAP_BASE`.
pub fn run(t: &Target, rdap_base: Option<&str>) -> Result<Found> {
    match t {
        Target::Cert { url, .. } => tls_check::check_certificate(url, TIMEOUT).map(Found::Cert),
        Target::Domain { domain } => {
            let base = rdap_base.map(str::trim).filter(|b| !b.is_empty()).unwrap_or(tls_check::RDAP_BASE);
            tls_check::rdap_expiry(domain, base, TIMEOUT).map(Found::Domain)
        }
    }
}

/// Keeps the outcome on the renewal of that kind and name (made when the check
/// succeeded and there was none); a failure is noted on an existing one.
pub fn record(store: &Store, t: &Target, found: &Result<Found>, zone: Tz, now: DateTime<Utc>) -> Result<Option<Renewal>> {
    let (kind, name) = t.renewal();
    let day = found.as_ref().map(|f| f.last_day(zone));
    renewal::record_check(store, kind, name, day, now)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn targets_are_resolved_before_the_network_and_days_read_in_the_shop_zone() {
        assert_eq!(Target::parse("ssl", " https://salon.example.jp/ ").unwrap().renewal(), (RenewalKind::Ssl, "salon.example.jp"));
        assert_eq!(Target::parse("ssl", "https://salon.example.jp:8443").unwrap().renewal(), (RenewalKind::Ssl, "salon.example.jp:8443"));
        assert_eq!(Target::parse("domain", " Salon.Example.JP. ").unwrap().renewal(), (RenewalKind::Domain, "salon.example.jp"));
        assert_eq!(Target::parse("card", "x").unwrap_err().to_string(), "kind: \"card\" cannot be checked from the internet (ssl, domain)");
        let not_after = DateTime::parse_from_rfc3339("2027-03-31T20:00:00Z").unwrap().with_timezone(&Utc);
        let cert = Found::Cert(CertInfo { host: "salon.example.jp".into(), port: 443, not_after, trusted: true, problem: None });
        assert_eq!(cert.last_day(chrono_tz::Asia::Tokyo), NaiveDate::from_ymd_opt(2027, 4, 1).unwrap(), "05:00 the next day in Tokyo");
        assert_eq!(cert.last_day(chrono_tz::Europe::Berlin), NaiveDate::from_ymd_opt(2027, 3, 31).unwrap());
    }
}
