//! Sharing the store with the shop's other laptops, as the window offers it (Settings → 共有).
//! Thin: every rule is in `noren_core::sync`.

use std::time::{Duration, Instant};

use chrono::Utc;
use noren_core::sync::{self, Invitation, MergeReport, Scope, SyncStatus};
use noren_core::Error;

use crate::core::{AppCore, IpcResult};

fn folder(text: &str) -> IpcResult<std::path::PathBuf> {
    Ok(crate::typed(text).ok_or_else(|| Error::invalid("sync_folder", "choose the shared folder"))?)
}

pub fn status(c: &mut AppCore) -> IpcResult<SyncStatus> {
    Ok(sync::status(c.store_unlocked()?)?)
}

pub fn setup(c: &mut AppCore, dir: &str, name: &str) -> IpcResult<SyncStatus> {
    let dir = folder(dir)?;
    sync::setup(c.store_unlocked()?, &dir, name, Utc::now())?;
    status(c)
}

pub fn join(c: &mut AppCore, dir: &str, code: &str, name: &str) -> IpcResult<SyncStatus> {
    let dir = folder(dir)?;
    sync::join(c.store_unlocked()?, &dir, code, name, Utc::now())?;
    status(c)
}

pub fn invite(c: &mut AppCore, scope: Scope) -> IpcResult<Invitation> {
    Ok(sync::invite(c.store_unlocked()?, scope, Utc::now())?)
}

pub fn now(c: &mut AppCore) -> IpcResult<MergeReport> {
    Ok(sync::sync_now(c.store_unlocked()?, Utc::now())?)
}

/// How often the reminder loop merges the other laptops' changes while the vault is unlocked.
pub const EVERY: Duration = Duration::from_secs(60);

/// The reminder loop's turn: when the vault is unlocked, the store shared, the folder there and
/// `EVERY` has passed since `last`, merge. Says how many changes arrived (the page refreshes).
pub fn tick(c: &mut AppCore, last: &mut Option<Instant>) -> usize {
    if last.is_some_and(|t| t.elapsed() < EVERY) {
        return 0;
    }
    let Ok(store) = c.store_unlocked() else { return 0 };
    if !matches!(sync::settings(store), Ok(Some(_))) {
        return 0;
    }
    *last = Some(Instant::now());
    match sync::sync_now(store, Utc::now()) {
        Ok(r) => r.applied,
        // The folder away is the sidebar's to say, not an error to log every minute.
        Err(Error::Invalid { field: "sync_folder", .. }) => 0,
        Err(e) => {
            eprintln!("noren: merging the shared folder failed: {}", e.code());
            0
        }
    }
}
