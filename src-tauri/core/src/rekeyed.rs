//! What follows a re-key (a new passphrase, a new emergency kit) outside the
//! store's own records, so that nothing the old secret could open keeps
//! working: the snapshots get a new store key, and the reminder timer's
//! calendar key file (if it is this store's) is written again.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::store::Store;
use crate::SecretString;

/// What a passphrase change did beyond the store.
#[derive(Clone, Debug, Default, Serialize, TS)]
#[ts(export)]
pub struct Rekeyed {
    /// Re-keys so far.
    #[ts(type = "number")]
    pub epoch: u64,
    /// An emergency kit from before kits could follow a re-key no longer
    /// opens the store: make a new one.
    pub kit_dropped: bool,
    /// The snapshots' store key was replaced: a key file exported earlier
    /// opens only the snapshots made before now.
    pub store_key_rotated: bool,
    /// The reminder timer's key file was written again.
    pub timer_key_refreshed: bool,
}

/// The store key and the timer's key file, after the store was re-keyed.
pub fn follow(store: &Store, config_home: Option<&Path>, now: DateTime<Utc>) -> Result<Rekeyed> {
    let store_key_rotated = crate::backup::rotate_store_key(store, now)?;
    let timer_key_refreshed = match config_home {
        Some(home) => crate::timer::refresh_key(store, home)?,
        None => false,
    };
    Ok(Rekeyed { epoch: store.key_epoch(), kit_dropped: false, store_key_rotated, timer_key_refreshed })
}

/// Changes the passphrase (new data keys, every record sealed again) and what follows it.
pub fn change_passphrase(store: &mut Store, new: &SecretString, config_home: Option<&Path>, now: DateTime<Utc>) -> Result<Rekeyed> {
    let report = store.change_passphrase(new)?;
    let mut r = follow(store, config_home, now)?;
    r.kit_dropped = report.kit_dropped;
    Ok(r)
}
