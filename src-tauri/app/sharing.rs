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

/// Read every minute by the sidebar: not the owner's activity, so it does not hold off the
/// auto-lock (`store_any`, not `store_unlocked`); a locked vault answers `locked`.
pub fn status(c: &mut AppCore) -> IpcResult<SyncStatus> {
    Ok(sync::status(c.store_any().ok_or(Error::Locked)?)?)
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

pub fn remove(c: &mut AppCore, device: &str) -> IpcResult<SyncStatus> {
    sync::remove(c.store_unlocked()?, device, Utc::now())?;
    status(c)
}

pub fn conflicts(c: &mut AppCore) -> IpcResult<Vec<sync::ConflictView>> {
    Ok(noren_core::sharing::conflicts(c.store_unlocked()?)?)
}

pub fn resolve(c: &mut AppCore, id: &str) -> IpcResult<Vec<sync::ConflictView>> {
    sync::resolve(c.store_unlocked()?, id)?;
    conflicts(c)
}

/// How often the reminder loop merges the other laptops' changes while the vault is unlocked.
pub const EVERY: Duration = Duration::from_secs(60);

/// The reminder loop's turn: when the vault is unlocked, the store shared, the folder there and
/// `EVERY` has passed since `last`, merge. Says how many changes arrived (the page refreshes).
pub fn tick(c: &mut AppCore, last: &mut Option<Instant>) -> usize {
    if last.is_some_and(|t| t.elapsed() < EVERY) {
        return 0;
    }
    // Not the owner's activity either: the auto-lock still comes (a locked vault reads no
    // sync settings, so nothing is merged while locked).
    let Some(store) = c.store_any() else { return 0 };
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use noren_core::SecretString;

    /// The sidebar reads the sharing state every minute and the reminder loop merges every
    /// minute: neither is the owner at the keyboard, so neither holds off the auto-lock.
    #[test]
    fn reading_and_merging_the_shared_folder_do_not_hold_off_the_auto_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = AppCore::new(tmp.path().join("store"), tmp.path().join("config/settings.json"));
        c.setup(&SecretString::new("shop passphrase")).unwrap();
        let shared = tmp.path().join("shared");
        std::fs::create_dir_all(&shared).unwrap();
        setup(&mut c, &shared.to_string_lossy(), "店長のPC").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let quiet_since = Instant::now();
        assert!(status(&mut c).unwrap().shared);
        let mut last = None;
        tick(&mut c, &mut last);
        assert!(last.is_some(), "it merged");
        let limit = Duration::from_secs(u64::from(c.settings().auto_lock_minutes) * 60);
        assert!(c.lock_if_idle(quiet_since + limit), "still locks after the idle minutes");
        // Locked: the state says so and nothing is merged.
        assert_eq!(status(&mut c).unwrap_err().code, "locked");
        assert_eq!(tick(&mut c, &mut None), 0);
    }
}
