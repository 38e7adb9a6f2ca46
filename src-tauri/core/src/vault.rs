//! The vault as both front ends hold it: which store is active (the shop's or the demo
//! shop's), whether it is set up, locked or unlocked, the passphrase while unlocked (for
//! the snapshots that follow a change), and what this computer saw of the store before
//! (an older copy put in place is reported once). Opening, unlocking, locking, re-keying,
//! recovering and switching stores happen here, once: the window and the CLI differ only
//! in how they ask for the passphrase and how they show the result.
//!
//! No environment, no clock: the front ends hand in the directories and `now`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::backup::{self, AutoReport};
use crate::error::{Error, Result};
use crate::session::Session;
use crate::store::{Rollback, Store};
use crate::SecretString;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Phase {
    /// No store yet: first-run setup.
    Setup,
    /// A store exists; the vault is locked.
    Locked,
    Unlocked,
}

pub struct Vault {
    real_dir: PathBuf,
    demo_dir: PathBuf,
    demo: bool,
    /// Where this computer remembers how far each store got (rollback detection); none: not watched.
    seen_file: Option<PathBuf>,
    session: Option<Session>,
    /// The passphrase, held only while the vault is unlocked (like the vault key), so
    /// snapshots can be written after changes. Dropped on lock.
    pass: Option<SecretString>,
    rollback: Option<Rollback>,
}

impl Vault {
    /// The vault of the store at `real_dir` (the demo shop lives beside it, in `<name>-demo`).
    pub fn new(real_dir: PathBuf, seen_file: Option<PathBuf>) -> Vault {
        let name = real_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "noren".into());
        let demo_dir = real_dir.with_file_name(format!("{name}-demo"));
        Vault { real_dir, demo_dir, demo: false, seen_file, session: None, pass: None, rollback: None }
    }

    /// The active store's directory.
    pub fn dir(&self) -> &Path {
        if self.demo {
            &self.demo_dir
        } else {
            &self.real_dir
        }
    }

    pub fn is_demo(&self) -> bool {
        self.demo
    }

    pub fn phase(&self) -> Phase {
        match &self.session {
            Some(s) if s.is_unlocked() => Phase::Unlocked,
            Some(_) => Phase::Locked,
            None if Store::exists(self.dir()) => Phase::Locked,
            None => Phase::Setup,
        }
    }

    /// An older copy of the store than this computer last opened, if the last unlock found one.
    pub fn rollback(&self) -> Option<&Rollback> {
        self.rollback.as_ref()
    }

    /// The owner has read the rollback warning.
    pub fn dismiss_rollback(&mut self) {
        self.rollback = None;
    }

    /// The shop's time zone (the default until a store is open).
    pub fn shop_zone(&self) -> chrono_tz::Tz {
        self.store_any().and_then(|s| crate::shop::zone(s, None).ok()).unwrap_or(crate::business::DEFAULT_ZONE)
    }

    /// Opens the calendar compartment with the reminder timer's key file, the vault staying
    /// locked: reminders work before anyone unlocks.
    pub fn open_calendar(&mut self, key: &Path, now: DateTime<Utc>) -> Result<()> {
        let store = Store::open_locked(self.dir())?.unlock_calendar(key, crate::CALENDAR_PROOF_TREES)?;
        self.session = Some(Session::new(store));
        self.watch(now);
        Ok(())
    }

    /// Creates the store and unlocks it (first run).
    pub fn setup(&mut self, pass: &SecretString, now: DateTime<Utc>) -> Result<()> {
        let store = Store::init(self.dir(), pass, now)?;
        self.session = Some(Session::new(store));
        self.pass = Some(pass.clone());
        Ok(())
    }

    /// Unlocks the vault (opening the store first when it is not open), and compares the
    /// store with what this computer saw of it before.
    pub fn unlock(&mut self, pass: &SecretString, now: DateTime<Utc>) -> Result<()> {
        self.unlock_asking(|| Ok::<_, Error>(pass.clone()), now).map(|_| ())
    }

    /// As `unlock`, asking for the passphrase only once the store is found and free (a
    /// store in use or missing is said before anyone types): the CLI's prompt.
    pub fn unlock_asking<E: From<Error>>(
        &mut self,
        ask: impl FnOnce() -> std::result::Result<SecretString, E>,
        now: DateTime<Utc>,
    ) -> std::result::Result<SecretString, E> {
        let pass = match &mut self.session {
            Some(s) => {
                let pass = ask()?;
                s.unlock(&pass)?;
                pass
            }
            None => {
                let locked = Store::open_locked(self.dir())?;
                let pass = ask()?;
                self.session = Some(Session::new(locked.unlock(&pass)?));
                pass
            }
        };
        self.watch(now);
        self.pass = Some(pass.clone());
        Ok(pass)
    }

    fn watch(&mut self, now: DateTime<Utc>) {
        if self.demo {
            return;
        }
        if let (Some(file), Some(s)) = (&self.seen_file, self.session.as_mut()) {
            if let Ok(Some(r)) = s.store_mut().watch_rollback(file, now) {
                self.rollback = Some(r);
            }
        }
    }

    /// Locks the vault. Returns whether it was unlocked.
    pub fn lock(&mut self) -> bool {
        match &mut self.session {
            Some(s) if s.is_unlocked() => {
                s.lock();
                self.pass = None;
                true
            }
            _ => false,
        }
    }

    /// Changes the passphrase (someone who knew it left): `current` must be the one in use.
    /// The store is re-keyed, the snapshots' store key and the timer's key follow.
    pub fn change_passphrase(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        config_home: Option<&Path>,
        now: DateTime<Utc>,
    ) -> Result<crate::rekeyed::Rekeyed> {
        if self.demo {
            return Err(Error::invalid("passphrase", "the demo shop keeps its passphrase"));
        }
        let held = self.pass.as_ref().ok_or(Error::Locked)?;
        if !crate::crypto::constant_time_eq(held.expose().as_bytes(), current.expose().as_bytes()) {
            return Err(Error::WrongPassphrase);
        }
        if new.expose() == current.expose() {
            return Err(Error::invalid("passphrase", "the new passphrase is the one in use"));
        }
        let done = crate::rekeyed::change_passphrase(self.session()?.store_mut(), new, config_home, now)?;
        self.pass = Some(new.clone());
        Ok(done)
    }

    /// The store's database files are damaged (unlock failed with `corrupt`): restores the
    /// newest automatic snapshot in its place, then unlocks it.
    pub fn recover_from_snapshot(&mut self, pass: &SecretString, now: DateTime<Utc>) -> Result<backup::SnapshotRecovery> {
        if self.session.is_some() {
            return Err(Error::invalid("store", "the store is open; lock and quit first"));
        }
        let r = backup::recover_from_newest_snapshot(self.dir(), pass, now)?;
        self.unlock(pass, now)?;
        Ok(r)
    }

    /// Opens the store with emergency-kit shares and sets a new passphrase (the passphrase
    /// was lost). Unlocked afterwards.
    pub fn recover_with_kit(&mut self, shares: &[String], new_pass: &SecretString) -> Result<()> {
        crate::store::check_new_passphrase(new_pass)?;
        // The open (locked) store holds the lock: let it go first.
        self.session = None;
        let store = crate::kit::recover(self.dir(), shares, new_pass)?;
        self.session = Some(Session::new(store));
        self.pass = Some(new_pass.clone());
        Ok(())
    }

    /// Opens the demo shop (created on first use), unlocked.
    pub fn open_demo(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.session = None;
        self.demo = true;
        match crate::demo::open_or_create(&self.demo_dir, now) {
            Ok(store) => {
                self.session = Some(Session::new(store));
                self.pass = Some(SecretString::new(crate::demo::DEMO_PASSPHRASE));
                Ok(())
            }
            Err(e) => {
                self.demo = false;
                Err(e)
            }
        }
    }

    pub fn leave_demo(&mut self) {
        if self.demo {
            self.session = None;
            self.pass = None;
            self.demo = false;
        }
    }

    /// Makes `dir` the shop's store (after a restore), closed.
    pub fn switch_to(&mut self, dir: &Path) -> Result<()> {
        if !Store::exists(dir) {
            return Err(Error::StoreNotFound(dir.to_path_buf()));
        }
        self.session = None;
        self.pass = None;
        self.demo = false;
        self.real_dir = dir.to_path_buf();
        Ok(())
    }

    /// The session while the vault is unlocked.
    pub fn session(&mut self) -> Result<&mut Session> {
        self.session.as_mut().filter(|s| s.is_unlocked()).ok_or(Error::Locked)
    }

    /// The session even while the vault is locked (reminders, notifications).
    pub fn session_any(&mut self) -> Option<&mut Session> {
        self.session.as_mut()
    }

    /// The open store even while the vault is locked.
    pub fn store_any(&self) -> Option<&Store> {
        self.session.as_ref().map(Session::store)
    }

    /// The passphrase in use while unlocked (backups protected with it).
    pub fn passphrase(&self) -> Option<&SecretString> {
        self.pass.as_ref()
    }

    /// The open store's write count (`Store::writes`): a command changed a record when it moved.
    pub fn writes(&self) -> Option<(u64, u64)> {
        self.store_any().map(Store::writes)
    }

    /// Where the open store's writes stand now: what `follow` compares with after a command.
    pub fn mark(&self) -> Mark {
        Mark(self.writes())
    }

    /// What follows a command, the one mechanism both front ends use (the window after
    /// every IPC command, the CLI after every command): when the open store's records
    /// changed since `mark` (the same handle, more writes), the day's automatic snapshot
    /// follows (`snapshot`: false for the backup's own bookkeeping, and never for a locked
    /// store, whose snapshot could not hold every compartment). Says what changed and what
    /// followed; a failed snapshot never fails the change (今日やること shows
    /// `backup_overdue` instead).
    pub fn follow(&mut self, mark: Mark, snapshot: bool, now: DateTime<Utc>) -> Followed {
        let wrote = match (mark.0, self.writes()) {
            (Some((h1, n1)), Some((h2, n2))) => h1 == h2 && n2 > n1,
            _ => false,
        };
        let unlocked = self.phase() == Phase::Unlocked;
        let snapshot = if wrote && snapshot && unlocked { self.after_change(now) } else { Ok(None) };
        // A shared store's change is stamped and, when the shared folder is there, written to
        // it, whatever `snapshot` says (what is not shared, the backup's bookkeeping included,
        // stamps nothing).
        let shared = match self.store_any() {
            Some(store) if wrote && unlocked => noren_adapters::sync::after_change(store, now),
            _ => Ok(0),
        };
        Followed { wrote, snapshot, shared }
    }

    /// What follows any change of the shop's records: the day's automatic snapshot, if a
    /// folder is set and the newest one is older than a day (`Ok(None)`: no folder, or no store).
    /// The caller reports an error; it never fails the change itself (今日やること shows
    /// `backup_overdue` instead).
    fn after_change(&mut self, now: DateTime<Utc>) -> Result<Option<AutoReport>> {
        let pass = self.pass.clone();
        let Some(store) = self.store_any() else { return Ok(None) };
        let settings = backup::load_settings(store)?;
        let Some(dir) = settings.auto_dir.clone().map(PathBuf::from) else { return Ok(None) };
        let protection = backup::protection_with_store_key(store, &settings, pass.as_ref(), now)?;
        backup::auto(store, &dir, settings.keep, &protection, now, false).map(Some)
    }
}

/// Where a store's writes stood before a command (`Vault::mark`).
#[derive(Clone, Copy, Debug)]
pub struct Mark(Option<(u64, u64)>);

/// What a command changed and what followed it (`Vault::follow`).
#[derive(Debug)]
pub struct Followed {
    /// A record of the open store was written or removed: the reminder loop wakes.
    pub wrote: bool,
    /// The day's snapshot, when one was due and written (`Ok(None)`: none due or no folder).
    pub snapshot: Result<Option<AutoReport>>,
    /// The changes written to the shared folder (`Ok(0)`: the store is not shared, nothing
    /// changed, or the folder is away and they wait). An error never undoes the change.
    pub shared: Result<usize>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap()
    }

    #[test]
    fn setup_lock_unlock_and_the_demo_beside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let mut v = Vault::new(tmp.path().join("store"), Some(tmp.path().join("seen.json")));
        assert_eq!(v.phase(), Phase::Setup);
        let pass = SecretString::new("correct horse battery staple");
        v.setup(&pass, now()).unwrap();
        assert_eq!(v.phase(), Phase::Unlocked);
        assert!(v.lock() && !v.lock());
        assert_eq!(v.phase(), Phase::Locked);
        assert!(matches!(v.session(), Err(Error::Locked)));
        assert!(matches!(v.unlock(&SecretString::new("wrong passphrase here"), now()), Err(Error::WrongPassphrase)));
        v.unlock(&pass, now()).unwrap();
        assert!(v.passphrase().is_some() && v.rollback().is_none());
        v.open_demo(now()).unwrap();
        assert!(v.is_demo() && v.dir().ends_with("store-demo") && v.phase() == Phase::Unlocked);
        v.leave_demo();
        assert_eq!((v.is_demo(), v.phase()), (false, Phase::Locked));
    }

    /// Both front ends are told when the store is an older copy than this computer opened.
    #[test]
    fn an_older_copy_put_in_place_is_reported_on_unlock() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        let seen = tmp.path().join("seen.json");
        let pass = SecretString::new("correct horse battery staple");
        let copy = tmp.path().join("copy");
        let input = |name: &str| crate::credential::CredentialInput {
            category: Some(crate::credential::Category::Website),
            name: Some(name.into()),
            ..Default::default()
        };
        {
            let mut v = Vault::new(dir.clone(), Some(seen.clone()));
            v.setup(&pass, now()).unwrap();
            v.session().unwrap().add(&input("ホームページ"), now()).unwrap();
        }
        {
            let mut v = Vault::new(dir.clone(), Some(seen.clone()));
            v.unlock(&pass, now()).unwrap();
            assert!(v.rollback().is_none());
            std::process::Command::new("cp").arg("-a").arg(&dir).arg(&copy).status().unwrap();
            v.session().unwrap().add(&input("Instagram"), now()).unwrap();
        }
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::rename(&copy, &dir).unwrap();
        let mut v = Vault::new(dir, Some(seen));
        v.unlock(&pass, now()).unwrap();
        let r = v.rollback().expect("the older copy is reported");
        assert!(r.writes < r.seen_writes, "{r:?}");
        v.dismiss_rollback();
        assert!(v.rollback().is_none());
    }
}
