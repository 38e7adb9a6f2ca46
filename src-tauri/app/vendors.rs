//! Vendors, renewals, internet checks and incidents as the app offers them.
//! Thin: every rule is in `noren_core::{vendor, renewal, tls_check, incident}`.

use chrono::Utc;
use noren_core::checks;
use noren_core::incident::{self, ActionItem, Audience, Incident, IncidentInput, ReportFormat};
use noren_core::renewal::{self, CardConflict, Renewal, RenewalInput};
use noren_core::vendor::{self, CallAdvice, Vendor, VendorInput};
use noren_core::Error;
use serde::Serialize;
use ts_rs::TS;

use crate::core::{shop_zone, AppCore, IpcResult};

pub fn vendors(c: &mut AppCore) -> IpcResult<Vec<Vendor>> {
    Ok(vendor::list(c.store_unlocked()?)?)
}

pub fn vendor_save(c: &mut AppCore, id: Option<&str>, input: &VendorInput) -> IpcResult<Vendor> {
    let store = c.store_unlocked()?;
    let v = match id {
        Some(id) => vendor::edit(store, id, input, Utc::now())?,
        None => vendor::add(store, input, Utc::now())?,
    };
    Ok(v)
}

pub fn vendor_delete(c: &mut AppCore, id: &str) -> IpcResult<Vendor> {
    let v = vendor::remove(c.store_unlocked()?, id, Utc::now())?;
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
    Ok(r)
}

pub fn renewal_done(c: &mut AppCore, id: &str, due: Option<&str>) -> IpcResult<Renewal> {
    let now = Utc::now();
    let store = c.store_unlocked()?;
    let r = renewal::done(store, id, due, now.with_timezone(&shop_zone(store)?).date_naive(), now)?;
    Ok(r)
}

pub fn renewal_delete(c: &mut AppCore, id: &str) -> IpcResult<Renewal> {
    let r = renewal::remove(c.store_unlocked()?, id, Utc::now())?;
    Ok(r)
}

pub fn renewal_stages(c: &mut AppCore, stages: Vec<i64>) -> IpcResult<Vec<i64>> {
    let store = c.store_unlocked()?;
    let mut s = noren_core::notify::load_settings(store)?;
    s.renewal_stages = stages;
    noren_core::notify::save_settings(store, &s)?;
    Ok(noren_core::notify::load_settings(c.store_unlocked()?)?.renewal_stages)
}

/// Records an internet check's outcome (`noren_core::checks`); a failure is
/// returned as the error after being noted on an existing renewal.
pub fn record_check(
    c: &mut AppCore,
    t: &checks::Target,
    found: noren_core::Result<checks::Found>,
    zone: chrono_tz::Tz,
) -> IpcResult<Renewal> {
    let store = c.store_unlocked()?;
    let saved = checks::record(store, t, &found, zone, Utc::now())?;
    let day = found?.last_day(zone);
    saved.ok_or_else(|| Error::NotFound { what: "renewal", key: format!("{} {day}", t.renewal().1) }.into())
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
    Ok(i)
}

pub fn incident_log(c: &mut AppCore, id: &str, text: &str, at: Option<chrono::DateTime<Utc>>) -> IpcResult<Incident> {
    let i = incident::log(c.store_unlocked()?, id, text, at, Utc::now())?;
    Ok(i)
}

pub fn incident_action(c: &mut AppCore, id: &str, text: &str, owner: &str, due: Option<chrono::NaiveDate>) -> IpcResult<ActionItem> {
    let (_, a) = incident::add_action(c.store_unlocked()?, id, text, owner, due, Utc::now())?;
    Ok(a)
}

pub fn incident_action_done(c: &mut AppCore, action_id: &str, done: bool) -> IpcResult<Incident> {
    let i = incident::set_action_done(c.store_unlocked()?, action_id, done, Utc::now())?;
    Ok(i)
}

pub fn incident_close(c: &mut AppCore, id: &str, note: &str, reopen: bool, at: Option<chrono::DateTime<Utc>>) -> IpcResult<Incident> {
    let store = c.store_unlocked()?;
    let i = if reopen { incident::reopen(store, id, Utc::now())? } else { incident::close_at(store, id, Some(note), at, Utc::now())? };
    Ok(i)
}

pub fn incident_delete(c: &mut AppCore, id: &str) -> IpcResult<Incident> {
    let i = incident::remove(c.store_unlocked()?, id)?;
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
    let dir = crate::typed(dir).unwrap_or_else(default_report_dir);
    if !dir.is_dir() {
        return Err(Error::invalid("dir", format!("{} is not a folder", dir.display())).into());
    }
    let path = dir.join(&r.file_name);
    noren_core::backup::write_file_atomically(&path, r.text.as_bytes())?;
    Ok(path.display().to_string())
}
