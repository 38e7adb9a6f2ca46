//! Vendors, renewals, internet checks and incidents as the app offers them.
//! Thin: every rule is in `noren_core::{vendor, renewal, tls_check, incident}`.

use std::time::Duration as StdDuration;

use chrono::Utc;
use noren_core::incident::{self, ActionItem, Audience, Incident, IncidentInput, ReportFormat};
use noren_core::renewal::{self, CardConflict, Renewal, RenewalInput, RenewalKind};
use noren_core::tls_check;
use noren_core::vendor::{self, CallAdvice, Vendor, VendorInput};
use noren_core::Error;
use serde::Serialize;
use ts_rs::TS;

use crate::core::{shop_zone, AppCore, IpcResult};

const CHECK_TIMEOUT: StdDuration = StdDuration::from_secs(15);

pub fn vendors(c: &mut AppCore) -> IpcResult<Vec<Vendor>> {
    Ok(vendor::list(c.store_unlocked()?)?)
}

pub fn vendor_save(c: &mut AppCore, id: Option<&str>, input: &VendorInput) -> IpcResult<Vendor> {
    let store = c.store_unlocked()?;
    let v = match id {
        Some(id) => vendor::edit(store, id, input, Utc::now())?,
        None => vendor::add(store, input, Utc::now())?,
    };
    c.changed();
    Ok(v)
}

pub fn vendor_delete(c: &mut AppCore, id: &str) -> IpcResult<Vendor> {
    let v = vendor::remove(c.store_unlocked()?, id, Utc::now())?;
    c.changed();
    Ok(v)
}

pub fn who_to_call(c: &mut AppCore, asset: &str) -> IpcResult<Vec<CallAdvice>> {
    let store = c.store_unlocked()?;
    let names: Vec<(String, String)> = noren_core::credential::list(store)?.into_iter().map(|x| (x.id, x.name)).collect();
    Ok(vendor::who_to_call(&vendor::list(store)?, asset, &names, Utc::now(), shop_zone(store)?))
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct RenewalsView {
    pub renewals: Vec<Renewal>,
    pub card_conflicts: Vec<CardConflict>,
    /// Days before the date at which renewals are announced.
    pub stages: Vec<i64>,
}

pub fn renewals(c: &mut AppCore) -> IpcResult<RenewalsView> {
    let store = c.store_unlocked()?;
    let all = renewal::list(store)?;
    let card_conflicts = renewal::card_conflicts(&all);
    let stages = noren_core::notify::load_settings(store)?.renewal_stages;
    Ok(RenewalsView { renewals: all, card_conflicts, stages })
}

pub fn renewal_save(c: &mut AppCore, id: Option<&str>, input: &RenewalInput) -> IpcResult<Renewal> {
    let store = c.store_unlocked()?;
    let r = match id {
        Some(id) => renewal::edit(store, id, input, Utc::now())?,
        None => renewal::add(store, input, Utc::now())?,
    };
    c.changed();
    Ok(r)
}

pub fn renewal_done(c: &mut AppCore, id: &str, due: Option<&str>) -> IpcResult<Renewal> {
    let now = Utc::now();
    let store = c.store_unlocked()?;
    let r = renewal::done(store, id, due, now.with_timezone(&shop_zone(store)?).date_naive(), now)?;
    c.changed();
    Ok(r)
}

pub fn renewal_delete(c: &mut AppCore, id: &str) -> IpcResult<Renewal> {
    let r = renewal::remove(c.store_unlocked()?, id, Utc::now())?;
    c.changed();
    Ok(r)
}

pub fn renewal_stages(c: &mut AppCore, stages: Vec<i64>) -> IpcResult<Vec<i64>> {
    let store = c.store_unlocked()?;
    let mut s = noren_core::notify::load_settings(store)?;
    s.renewal_stages = stages;
    noren_core::notify::save_settings(store, &s)?;
    c.changed();
    Ok(noren_core::notify::load_settings(c.store_unlocked()?)?.renewal_stages)
}

/// What an internet check asks for, resolved before the network is touched.
pub enum CheckTarget {
    /// `zone`: the shop's, in which the certificate's last day is read.
    Cert {
        url: String,
        target: String,
        zone: chrono_tz::Tz,
    },
    Domain {
        domain: String,
    },
}

pub fn check_target(kind: &str, what: &str, zone: chrono_tz::Tz) -> IpcResult<CheckTarget> {
    match kind {
        "ssl" => {
            let (host, port) = tls_check::https_target(what)?;
            let target = if port == 443 { host } else { format!("{host}:{port}") };
            Ok(CheckTarget::Cert { url: what.trim().to_string(), target, zone })
        }
        "domain" => Ok(CheckTarget::Domain { domain: what.trim().trim_end_matches('.').to_ascii_lowercase() }),
        other => Err(Error::invalid("kind", format!("{other:?} cannot be checked from the internet (ssl, domain)")).into()),
    }
}

/// Runs the check (network, no lock held by the caller).
pub fn run_check(t: &CheckTarget) -> Result<chrono::NaiveDate, Error> {
    match t {
        CheckTarget::Cert { url, zone, .. } => {
            tls_check::check_certificate(url, CHECK_TIMEOUT).map(|i| i.not_after.with_timezone(zone).date_naive())
        }
        CheckTarget::Domain { domain } => {
            let base =
                std::env::var("NOREN_RDAP_BASE").ok().filter(|b| !b.trim().is_empty()).unwrap_or_else(|| tls_check::RDAP_BASE.into());
            tls_check::rdap_expiry(domain, &base, CHECK_TIMEOUT)
        }
    }
}

/// Records the outcome; a failure is returned as the error after being noted on an existing renewal.
pub fn record_check(c: &mut AppCore, t: &CheckTarget, found: Result<chrono::NaiveDate, Error>) -> IpcResult<Renewal> {
    let (kind, target) = match t {
        CheckTarget::Cert { target, .. } => (RenewalKind::Ssl, target.as_str()),
        CheckTarget::Domain { domain } => (RenewalKind::Domain, domain.as_str()),
    };
    let store = c.store_unlocked()?;
    let saved = renewal::record_check(store, kind, target, found.as_ref().copied(), Utc::now())?;
    c.changed();
    let date = found?;
    saved.ok_or_else(|| Error::NotFound { what: "renewal", key: format!("{target} {date}") }.into())
}

pub fn incidents(c: &mut AppCore) -> IpcResult<Vec<Incident>> {
    Ok(incident::list(c.store_unlocked()?)?)
}

pub fn incident_get(c: &mut AppCore, id: &str) -> IpcResult<Incident> {
    Ok(incident::resolve(c.store_unlocked()?, id)?)
}

pub fn incident_save(c: &mut AppCore, id: Option<&str>, input: &IncidentInput) -> IpcResult<Incident> {
    let store = c.store_unlocked()?;
    let i = match id {
        Some(id) => incident::edit(store, id, input, Utc::now())?,
        None => incident::add(store, input, Utc::now())?,
    };
    c.changed();
    Ok(i)
}

pub fn incident_log(c: &mut AppCore, id: &str, text: &str, at: Option<chrono::DateTime<Utc>>) -> IpcResult<Incident> {
    let i = incident::log(c.store_unlocked()?, id, text, at, Utc::now())?;
    c.changed();
    Ok(i)
}

pub fn incident_action(c: &mut AppCore, id: &str, text: &str, owner: &str, due: Option<chrono::NaiveDate>) -> IpcResult<ActionItem> {
    let (_, a) = incident::add_action(c.store_unlocked()?, id, text, owner, due, Utc::now())?;
    c.changed();
    Ok(a)
}

pub fn incident_action_done(c: &mut AppCore, action_id: &str, done: bool) -> IpcResult<Incident> {
    let i = incident::set_action_done(c.store_unlocked()?, action_id, done, Utc::now())?;
    c.changed();
    Ok(i)
}

pub fn incident_close(c: &mut AppCore, id: &str, note: &str, reopen: bool, at: Option<chrono::DateTime<Utc>>) -> IpcResult<Incident> {
    let store = c.store_unlocked()?;
    let i = if reopen { incident::reopen(store, id, Utc::now())? } else { incident::close_at(store, id, Some(note), at, Utc::now())? };
    c.changed();
    Ok(i)
}

pub fn incident_delete(c: &mut AppCore, id: &str) -> IpcResult<Incident> {
    let i = incident::remove(c.store_unlocked()?, id)?;
    c.changed();
    Ok(i)
}

/// A report as text (for preview and printing) and a suggested file name.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct IncidentReport {
    pub text: String,
    pub file_name: String,
}

pub fn incident_report(c: &mut AppCore, id: &str, format: ReportFormat, audience: Audience, shop: &str) -> IpcResult<IncidentReport> {
    let store = c.store_unlocked()?;
    let i = incident::resolve(store, id)?;
    let tz = shop_zone(store)?;
    Ok(IncidentReport {
        text: incident::report(&i, format, audience, shop.trim(), Utc::now(), tz),
        file_name: incident::report_file_name(&i, format, audience, tz),
    })
}

/// ~/Documents when it exists, else the home folder.
pub fn default_report_dir() -> std::path::PathBuf {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_else(|| ".".into());
    let docs = home.join("Documents");
    if docs.is_dir() {
        docs
    } else {
        home
    }
}

/// Writes the report into `dir` (empty: the default folder) atomically; returns the path.
pub fn incident_report_save(
    c: &mut AppCore,
    id: &str,
    format: ReportFormat,
    audience: Audience,
    shop: &str,
    dir: &str,
) -> IpcResult<String> {
    let r = incident_report(c, id, format, audience, shop)?;
    let dir = noren_core::paths::typed(dir).unwrap_or_else(default_report_dir);
    if !dir.is_dir() {
        return Err(Error::invalid("dir", format!("{} is not a folder", dir.display())).into());
    }
    let path = dir.join(&r.file_name);
    noren_core::backup::write_file_atomically(&path, r.text.as_bytes())?;
    Ok(path.display().to_string())
}
