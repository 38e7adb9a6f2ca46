//! People, departures, the account audit and the emergency kit as the app
//! offers them. Thin: every rule is in `noren_core::{people, kit}`.

use chrono::{NaiveDate, Utc};
use noren_core::kit::{self, KitShare};
use noren_core::people::{self, Departure, Finding, Person, PersonRole};
use noren_core::reminders::Settings;
use noren_core::{credential, departures, renewal};
use serde::Serialize;
use ts_rs::TS;

use crate::core::{shop_zone, AppCore, IpcResult};

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct PeopleView {
    pub people: Vec<Person>,
    pub departures: Vec<Departure>,
}

pub fn overview(c: &mut AppCore) -> IpcResult<PeopleView> {
    let store = c.store_unlocked()?;
    let list = people::list(store)?;
    let departures = departures::all(store, shop_zone(store)?)?;
    Ok(PeopleView { people: list, departures })
}

pub fn add(c: &mut AppCore, name: &str, role: PersonRole, email: &str) -> IpcResult<Person> {
    let p = people::add(c.store_unlocked()?, name, role, email, Utc::now())?;
    Ok(p)
}

pub fn depart(c: &mut AppCore, id: &str, on: Option<NaiveDate>) -> IpcResult<Person> {
    let p = people::depart(c.store_unlocked()?, id, on, Utc::now())?;
    Ok(p)
}

/// The owner's answer for a login nobody is recorded as knowing.
pub fn review(c: &mut AppCore, id: &str, credential_id: &str, knew: bool) -> IpcResult<Person> {
    let p = people::review(c.store_unlocked()?, id, credential_id, knew, Utc::now())?;
    Ok(p)
}

/// The owner's answer for one of the shop's laptops on a departure's checklist: was it theirs?
pub fn review_laptop(c: &mut AppCore, id: &str, device: &str, theirs: bool) -> IpcResult<Person> {
    let p = departures::review_laptop(c.store_unlocked()?, id, device, theirs)?;
    Ok(p)
}

/// "They knew none of the rest"; returns how many logins were cleared.
pub fn clear_unreviewed(c: &mut AppCore, id: &str) -> IpcResult<usize> {
    let store = c.store_unlocked()?;
    let (_, n) = people::clear_unreviewed(store, id, shop_zone(store)?)?;
    Ok(n)
}

pub fn remove(c: &mut AppCore, id: &str) -> IpcResult<Person> {
    let p = people::remove(c.store_unlocked()?, id)?;
    Ok(p)
}

/// The first-week guide's progress, read from the store.
pub fn guide(c: &mut AppCore) -> IpcResult<noren_core::guide::Guide> {
    Ok(noren_core::guide::progress(c.store_unlocked()?)?)
}

pub fn audit(c: &mut AppCore) -> IpcResult<Vec<Finding>> {
    let store = c.store_unlocked()?;
    Ok(people::audit(
        &credential::list(store)?,
        &people::list(store)?,
        &renewal::list(store)?,
        Utc::now(),
        Settings::default().rotation_days,
    ))
}

/// The handover sheet (HTML body, no secrets) for the print preview.
pub fn sheet(c: &mut AppCore) -> IpcResult<String> {
    let store = c.store_unlocked()?;
    Ok(kit::sheet_body(store, None, Utc::now(), shop_zone(store)?)?)
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct KitView {
    /// The handover sheet (HTML body, no secrets).
    pub sheet: String,
    /// The key shares: shown once, for printing.
    pub shares: Vec<KitShare>,
}

/// Makes a new kit (earlier shares stop working) for the print preview.
pub fn make(c: &mut AppCore, shares: u8, threshold: u8, holders: &[String]) -> IpcResult<KitView> {
    let holders: Vec<String> = holders.iter().map(|h| h.trim().to_string()).collect();
    let home = c.config_home();
    let store = c.store_unlocked_mut()?;
    let now = Utc::now();
    let made = kit::make(store, shares, threshold, &holders, now)?;
    noren_core::rekeyed::follow(store, Some(&home), now)?;
    let sheet = kit::sheet_body(store, Some((shares, threshold, &holders)), now, shop_zone(store)?)?;
    Ok(KitView { sheet, shares: made })
}
