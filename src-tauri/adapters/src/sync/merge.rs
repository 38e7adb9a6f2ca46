//! Which collections are shared, in which part, and how their records are read
//! for a batch and written from one. The collections are typed here; the
//! folder and the merge above them see tree names, ids and JSON only.

use noren_base::error::{Error, Result};
use noren_base::secret::with_secrets_exposed;
use noren_domain::credentials::credential::Credential;
use noren_domain::customers::business::ShopHours;
use noren_domain::customers::customer::Customer;
use noren_domain::customers::inquiry::{Inquiry, Template};
use noren_domain::people::Person;
use noren_domain::posting::calendar::{Channel, Post};
use noren_domain::vendors::{incident::Incident, renewal::Renewal, vendor::Vendor};
use noren_store::store::{Record, Store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::model::{Hlc, Part};

/// What this device knows of one shared record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The stamp of the version held here.
    pub hlc: Hlc,
    /// The stamp of the version it was made from.
    #[serde(default)]
    pub parent: Option<Hlc>,
    /// Of the record's JSON as stored here (hex; empty for a deletion): what tells a local edit.
    pub digest: String,
    #[serde(default)]
    pub deleted: bool,
    /// Stamped here and not yet in the folder.
    #[serde(default)]
    pub pending: bool,
}

/// One record as this device holds it.
pub struct Local {
    pub id: String,
    pub digest: String,
    pub json: Zeroizing<Vec<u8>>,
}

/// A shared collection.
pub struct Collection {
    pub tree: &'static str,
    pub part: Part,
    /// Every record, with its JSON.
    pub list: fn(&Store) -> Result<Vec<Local>>,
    /// Writes records given as `(id, JSON)` and removes ids; answers the digest of each written one.
    pub apply: Apply,
}

/// `(store, records as (id, JSON), ids to remove) → (id, digest)` of each record written.
pub type Apply = fn(&Store, &[(&str, &[u8])], &[&str]) -> Result<Vec<(String, String)>>;

/// The shared collections. What is not here stays on its laptop: backup and
/// notification settings, which reminders were shown, the store's own keys.
pub fn collections() -> [Collection; 11] {
    [
        of::<Customer>(Part::Shop),
        of::<Inquiry>(Part::Shop),
        of::<Template>(Part::Shop),
        of::<Channel>(Part::Shop),
        of::<Post>(Part::Shop),
        Collection { tree: ShopHours::TREE, part: Part::Shop, list: list_shop_hours, apply: apply_shop_hours },
        of::<Credential>(Part::Secrets),
        of::<Vendor>(Part::Secrets),
        of::<Renewal>(Part::Secrets),
        of::<Incident>(Part::Secrets),
        of::<Person>(Part::Secrets),
    ]
}

fn of<T: Record>(part: Part) -> Collection {
    Collection { tree: T::TREE, part, list: list::<T>, apply: apply::<T> }
}

/// The record's JSON as this device would write it, secrets included (it is sealed next).
pub fn encode<T: Record>(rec: &T) -> Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(Vec::with_capacity(1024));
    with_secrets_exposed(|| serde_json::to_writer(&mut *buf, rec))
        .map_err(|e| Error::Storage(format!("cannot encode {}: {e}", T::WHAT)))?;
    Ok(buf)
}

pub fn digest(json: &[u8]) -> String {
    Sha256::digest(json).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn local<T: Record>(r: &T) -> Result<Local> {
    let json = encode(r)?;
    Ok(Local { id: r.id().to_string(), digest: digest(&json), json })
}

fn list<T: Record>(store: &Store) -> Result<Vec<Local>> {
    store.all_shared::<T>()?.iter().map(local).collect()
}

fn decode<T: Record>(id: &str, json: &[u8]) -> Result<T> {
    let rec: T = serde_json::from_slice(json).map_err(|e| Error::Corrupt(format!("a shared {} ({id}) cannot be read: {e}", T::WHAT)))?;
    if rec.id() != id {
        return Err(Error::Tampered(format!("a shared {} {id} carries id {}", T::WHAT, rec.id())));
    }
    Ok(rec)
}

fn apply<T: Record>(store: &Store, puts: &[(&str, &[u8])], removes: &[&str]) -> Result<Vec<(String, String)>> {
    let recs = puts.iter().map(|(id, json)| decode::<T>(id, json)).collect::<Result<Vec<T>>>()?;
    // One batch: validated like every other way in, all or nothing.
    store.put_many(&recs)?;
    for id in removes {
        store.remove::<T>(id)?;
    }
    recs.iter().map(|r| local(r).map(|l| (l.id, l.digest))).collect()
}

/// The shop's hours are one record ("shop") of the settings tree, whose other
/// records (backup and notification settings) stay on each laptop.
const SHOP_HOURS_ID: &str = "shop";

fn list_shop_hours(store: &Store) -> Result<Vec<Local>> {
    store.get::<ShopHours>(SHOP_HOURS_ID)?.iter().map(local).collect()
}

fn apply_shop_hours(store: &Store, puts: &[(&str, &[u8])], removes: &[&str]) -> Result<Vec<(String, String)>> {
    if let Some(id) = puts.iter().map(|(id, _)| *id).chain(removes.iter().copied()).find(|id| *id != SHOP_HOURS_ID) {
        return Err(Error::Tampered(format!("a shared settings record {} is not the shop's hours", noren_base::validate::printable(id))));
    }
    apply::<ShopHours>(store, puts, &[])
}
