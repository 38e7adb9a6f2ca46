//! The window's hold on the application layer: the vault (`noren_core::vault`:
//! which store, set up, locked or unlocked — the same state machine the CLI uses),
//! the window's own settings, idle tracking for auto-lock, and what follows a change.
//! Tauri commands are one-line wrappers around these methods, so everything here is
//! tested without a window.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use noren_core::backup::{self, AutoReport, Report, Unlock};
use noren_core::credential::{Category, CredentialDetail, CredentialInput, CredentialSummary, HistoryEntry, TemplateField};
use noren_core::generator::{self, GeneratorSpec, Strength};
use noren_core::reminders::DueItem;
use noren_core::session::Session;
use noren_core::{credential, Error, SecretString, Store};
use serde::Serialize;
use ts_rs::TS;

use crate::settings::{self, AppSettings};

pub use noren_core::vault::Phase;
use noren_core::vault::Vault;

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub phase: Phase,
    pub demo: bool,
    pub store_dir: String,
    pub settings: AppSettings,
    pub version: String,
    /// The store is an older copy than the one this computer last opened.
    pub rollback: Option<noren_core::store::Rollback>,
    /// The shop's time zone (IANA name): the window reads and shows every
    /// local date and time in it (Asia/Tokyo until a store is open).
    pub shop_zone: String,
}

/// The backup screen's view of things.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    pub auto_dir: Option<String>,
    pub keep: u32,
    pub recipients: Vec<String>,
    /// Newest automatic snapshot (UTC), if any.
    pub newest: Option<chrono::DateTime<Utc>>,
    pub folder_available: bool,
    /// A sensible file name for a manual export.
    pub suggested_file: String,
    /// This store's own age public key (backups for successors include it).
    pub store_public_key: String,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CategoryInfo {
    pub category: Category,
    pub template: Vec<TemplateField>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Generated {
    pub password: String,
    pub entropy_bits: f64,
}

/// An error as the UI receives it: a stable code and an English message.
#[derive(Clone, Debug, Serialize, TS, thiserror::Error)]
#[error("{code}: {message}")]
#[ts(export)]
pub struct IpcError {
    pub code: String,
    pub message: String,
    /// The input field at fault, for `invalid_input`.
    pub field: Option<String>,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        let field = match &e {
            Error::Invalid { field, .. } => Some(field.to_string()),
            _ => None,
        };
        IpcError { code: e.code().to_string(), message: e.to_string(), field }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

pub struct AppCore {
    vault: Vault,
    settings_path: PathBuf,
    settings: AppSettings,
    last_activity: Instant,
}

/// The shop's time zone, from its settings in the store (`noren_core::shop`).
pub(crate) fn shop_zone(store: &Store) -> IpcResult<chrono_tz::Tz> {
    Ok(noren_core::shop::zone(store, None)?)
}

impl AppCore {
    pub fn new(real_dir: PathBuf, settings_path: PathBuf) -> AppCore {
        let settings = settings::load(&settings_path);
        let seen = settings_path.parent().and_then(Path::parent).map(|home| home.join("noren/seen-stores.json"));
        let mut core = AppCore { vault: Vault::new(real_dir, seen), settings_path, settings, last_activity: Instant::now() };
        core.open_calendar_with_key_file();
        core
    }

    /// The directory the timer's units and key file live under ($XDG_CONFIG_HOME).
    pub(crate) fn config_home(&self) -> PathBuf {
        self.settings_path.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_else(std::env::temp_dir)
    }

    /// With the reminder timer installed, its calendar key opens the calendar
    /// compartment at start-up: reminders fire before anyone unlocks the vault.
    fn open_calendar_with_key_file(&mut self) {
        let key = noren_core::timer::status(&self.config_home(), false).key_path;
        if !key.exists() || !Store::exists(self.vault.dir()) {
            return;
        }
        if let Err(e) = self.vault.open_calendar(&key, Utc::now()) {
            eprintln!("noren: calendar key not used: {}", e.code());
        }
    }

    /// The store while the vault is unlocked (every screen needs that).
    pub(crate) fn store_unlocked(&mut self) -> IpcResult<&Store> {
        Ok(self.session()?.store())
    }

    /// The open store even while the vault is locked (reminders, notifications).
    pub(crate) fn store_any(&self) -> Option<&Store> {
        self.vault.store_any()
    }

    /// After a bulk write of credentials (import): the search index is rebuilt on next use.
    pub(crate) fn reload_index(&mut self) {
        if let Some(s) = self.vault.session_any() {
            s.invalidate_index();
        }
    }

    /// Runs one command; when it changed a record of the open store
    /// (`Store::writes` moved), what follows every change comes after it: the
    /// day's automatic snapshot. Says whether it changed something, so that the
    /// shell wakes the reminder loop. One mechanism for every command: none
    /// picks its side effects by hand.
    pub fn run<T>(&mut self, f: impl FnOnce(&mut AppCore) -> IpcResult<T>) -> (IpcResult<T>, bool) {
        self.run_then(f, true)
    }

    /// As `run`, for the backup's own commands: what they write (the folder,
    /// the store's backup key) is the backup's bookkeeping, not the shop's
    /// data, so no snapshot follows it; a change is still reported.
    pub fn run_backup<T>(&mut self, f: impl FnOnce(&mut AppCore) -> IpcResult<T>) -> (IpcResult<T>, bool) {
        self.run_then(f, false)
    }

    fn run_then<T>(&mut self, f: impl FnOnce(&mut AppCore) -> IpcResult<T>, snapshot: bool) -> (IpcResult<T>, bool) {
        let mark = self.vault.mark();
        let r = f(self);
        let followed = self.vault.follow(mark, snapshot, Utc::now());
        if let Err(e) = &followed.snapshot {
            eprintln!("noren: automatic snapshot failed: {}", e.code());
        }
        if let Err(e) = &followed.shared {
            eprintln!("noren: writing to the shared folder failed: {}", e.code());
        }
        (r, followed.wrote)
    }

    pub fn touch(&mut self) {
        self.last_activity = Instant::now();
    }

    pub fn status(&self) -> AppStatus {
        AppStatus {
            phase: self.vault.phase(),
            demo: self.vault.is_demo(),
            store_dir: self.vault.dir().display().to_string(),
            settings: self.settings.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            rollback: self.vault.rollback().cloned(),
            shop_zone: self.vault.shop_zone().name().to_string(),
        }
    }

    /// The owner has read the rollback warning.
    pub fn dismiss_rollback(&mut self) -> AppStatus {
        self.vault.dismiss_rollback();
        self.status()
    }

    pub fn setup(&mut self, pass: &SecretString) -> IpcResult<AppStatus> {
        self.vault.setup(pass, Utc::now())?;
        self.touch();
        Ok(self.status())
    }

    pub fn unlock(&mut self, pass: &SecretString) -> IpcResult<AppStatus> {
        self.vault.unlock(pass, Utc::now())?;
        self.touch();
        Ok(self.status())
    }

    /// Changes Noren's own passphrase from the window (someone who knew it
    /// left). The store is re-keyed: the old passphrase, and any copy of the
    /// header made before, open nothing written from now on; the snapshots'
    /// store key and the reminder timer's key follow.
    pub fn change_passphrase(&mut self, current: &SecretString, new: &SecretString) -> IpcResult<noren_core::rekeyed::Rekeyed> {
        self.touch();
        let home = self.config_home();
        self.vault.change_passphrase(current, new, Some(&home), Utc::now()).map_err(|e| match e {
            // The window shows it next to the field for the current passphrase.
            Error::WrongPassphrase => IpcError { field: Some("current".into()), ..Error::WrongPassphrase.into() },
            e => e.into(),
        })
    }

    /// The unlocked store, mutable (emergency kit: it rewrites the header).
    pub(crate) fn store_unlocked_mut(&mut self) -> IpcResult<&mut Store> {
        Ok(self.session()?.store_mut())
    }

    /// The store's database files are damaged (unlock failed with `corrupt`):
    /// restores the newest automatic snapshot in its place, then unlocks it.
    pub fn recover_from_snapshot(&mut self, pass: &SecretString) -> IpcResult<noren_core::backup::SnapshotRecovery> {
        let r = self.vault.recover_from_snapshot(pass, Utc::now())?;
        self.touch();
        Ok(r)
    }

    /// Opens the store with emergency-kit shares and sets a new passphrase
    /// (the passphrase was lost). The window is unlocked afterwards.
    pub fn recover_with_kit(&mut self, shares: &[String], new_pass: &SecretString) -> IpcResult<AppStatus> {
        self.vault.recover_with_kit(shares, new_pass)?;
        self.touch();
        Ok(self.status())
    }

    /// Locks the vault. Returns whether it was unlocked.
    pub fn lock(&mut self) -> bool {
        self.vault.lock()
    }

    /// Locks when idle longer than the configured minutes. Returns whether it locked.
    pub fn lock_if_idle(&mut self, now: Instant) -> bool {
        let limit = Duration::from_secs(u64::from(self.settings.auto_lock_minutes) * 60);
        if now.saturating_duration_since(self.last_activity) >= limit {
            return self.lock();
        }
        false
    }

    pub fn open_demo(&mut self) -> IpcResult<AppStatus> {
        self.vault.open_demo(Utc::now())?;
        self.touch();
        Ok(self.status())
    }

    pub fn leave_demo(&mut self) -> AppStatus {
        self.vault.leave_demo();
        self.status()
    }

    pub fn save_settings(&mut self, s: AppSettings) -> IpcResult<AppSettings> {
        settings::save(&self.settings_path, &s)?;
        if s.start_at_login != self.settings.start_at_login {
            settings::set_autostart(s.start_at_login)?;
        }
        self.settings = s;
        Ok(self.settings.clone())
    }

    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }

    fn session(&mut self) -> IpcResult<&mut Session> {
        self.touch();
        Ok(self.vault.session()?)
    }

    pub fn search(&mut self, query: &str) -> IpcResult<Vec<CredentialSummary>> {
        Ok(self.session()?.search(query)?)
    }

    pub fn get(&mut self, id: &str) -> IpcResult<CredentialDetail> {
        Ok(CredentialDetail::new(&self.session()?.credential(id)?, false))
    }

    /// The plaintext of one secret field of a credential, on explicit request.
    pub fn secret(&mut self, id: &str, what: &str) -> IpcResult<SecretString> {
        let c = self.session()?.credential(id)?;
        match what {
            "password" => Ok(c.password.clone()),
            "login" => Ok(SecretString::new(c.login.clone().unwrap_or_default())),
            "totp" => {
                let seed = c.totp.as_ref().ok_or_else(|| Error::invalid("totp", "no TOTP secret"))?;
                let (code, _) = noren_core::totp::code_at(seed.expose(), Utc::now())?;
                Ok(SecretString::new(code))
            }
            _ => Err(Error::invalid("field", format!("cannot copy {what:?}")).into()),
        }
    }

    pub fn add(&mut self, input: &CredentialInput) -> IpcResult<CredentialDetail> {
        let d = CredentialDetail::new(&self.session()?.add(input, Utc::now())?, false);
        Ok(d)
    }

    pub fn update(&mut self, id: &str, input: &CredentialInput) -> IpcResult<CredentialDetail> {
        let d = CredentialDetail::new(&self.session()?.edit(id, input, Utc::now())?, false);
        Ok(d)
    }

    pub fn delete(&mut self, id: &str) -> IpcResult<CredentialSummary> {
        let c = CredentialSummary::from(&self.session()?.remove(id)?);
        Ok(c)
    }

    pub fn backup_info(&mut self) -> IpcResult<BackupInfo> {
        let store = self.session()?.store();
        let settings = backup::load_settings(store)?;
        let state = backup::state(&settings, Utc::now());
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
        let suggested = home.join(format!("noren-backup-{}.age", Utc::now().format("%Y%m%d")));
        Ok(BackupInfo {
            auto_dir: settings.auto_dir,
            keep: settings.keep,
            recipients: settings.recipients,
            newest: state.as_ref().and_then(|s| s.newest),
            folder_available: state.as_ref().is_some_and(|s| s.available),
            suggested_file: suggested.display().to_string(),
            store_public_key: backup::store_key(store, Utc::now())?.public,
        })
    }

    pub fn backup_configure(&mut self, auto_dir: Option<String>, keep: u32, recipients: Vec<String>) -> IpcResult<BackupInfo> {
        let dir = auto_dir.as_deref().and_then(crate::typed);
        backup::choose_folder(self.session()?.store(), dir.as_deref(), keep, recipients)?;
        self.backup_info()
    }

    /// Writes a snapshot into the configured folder now.
    pub fn backup_now(&mut self) -> IpcResult<AutoReport> {
        let pass = self.vault.passphrase().cloned();
        let store = self.session()?.store();
        let settings = backup::load_settings(store)?;
        let dir = settings.auto_dir.clone().ok_or_else(|| Error::invalid("auto_dir", "choose a backup folder first"))?;
        let protection = backup::protection_with_store_key(store, &settings, pass.as_ref(), Utc::now())?;
        Ok(backup::auto(store, Path::new(&dir), settings.keep, &protection, Utc::now(), true)?)
    }

    pub fn backup_export(&mut self, file: &str) -> IpcResult<Report> {
        let Some(path) = crate::typed(file) else {
            return Err(Error::invalid("file", "choose where to save the backup").into());
        };
        if path.exists() {
            return Err(Error::invalid("file", format!("{} already exists", path.display())).into());
        }
        let pass = self.vault.passphrase().cloned();
        let store = self.session()?.store();
        let protection = backup::protection_with_store_key(store, &backup::load_settings(store)?, pass.as_ref(), Utc::now())?;
        Ok(backup::export(store, &path, &protection, Utc::now())?)
    }

    fn unlock_for(&self, passphrase: Option<&str>, identity: Option<&str>) -> IpcResult<Unlock> {
        if let Some(id) = identity.and_then(crate::typed) {
            return Ok(Unlock::IdentityFile(id));
        }
        match passphrase.filter(|p| !p.is_empty()) {
            Some(p) => Ok(Unlock::Passphrase(SecretString::new(p))),
            None => self.vault.passphrase().cloned().map(Unlock::Passphrase).ok_or_else(|| Error::Locked.into()),
        }
    }

    /// Checks a backup without touching any store.
    pub fn backup_verify(&mut self, file: &str, passphrase: Option<&str>, identity: Option<&str>) -> IpcResult<Report> {
        self.touch();
        let unlock = self.unlock_for(passphrase, identity)?;
        let file = crate::typed(file).ok_or_else(|| Error::invalid("file", "choose the backup file"))?;
        Ok(backup::verify(&file, &unlock)?)
    }

    /// Restores into a new store at `into` (protected by `new_pass`, default:
    /// the backup's passphrase) and switches the app to it, locked. The old
    /// store stays where it was.
    pub fn backup_restore(
        &mut self,
        file: &str,
        passphrase: Option<&str>,
        identity: Option<&str>,
        into: &str,
        new_pass: Option<&str>,
    ) -> IpcResult<AppStatus> {
        self.touch();
        let unlock = self.unlock_for(passphrase, identity)?;
        let new_pass = match (new_pass.filter(|p| !p.is_empty()), &unlock) {
            (Some(p), _) => SecretString::new(p),
            (None, Unlock::Passphrase(p)) => p.clone(),
            (None, Unlock::IdentityFile(_)) => {
                return Err(Error::invalid("passphrase", "choose a passphrase for the restored store").into())
            }
        };
        let Some(into) = crate::typed(into) else {
            return Err(Error::invalid("into", "choose a folder for the restored store").into());
        };
        let file = crate::typed(file).ok_or_else(|| Error::invalid("file", "choose the backup file"))?;
        backup::restore(&file, &unlock, &into, &new_pass, chrono::Utc::now())?;
        self.switch_store(&into)
    }

    /// Makes `dir` the store the app opens (remembered in the settings).
    pub fn switch_store(&mut self, dir: &Path) -> IpcResult<AppStatus> {
        if !Store::exists(dir) {
            return Err(Error::StoreNotFound(dir.to_path_buf()).into());
        }
        let mut s = self.settings.clone();
        s.store_dir = Some(dir.display().to_string());
        settings::save(&self.settings_path, &s)?;
        self.settings = s;
        self.vault.switch_to(dir)?;
        Ok(self.status())
    }

    pub fn history(&mut self, id: &str, reveal: bool) -> IpcResult<Vec<HistoryEntry>> {
        Ok(credential::history(&self.session()?.credential(id)?, reveal))
    }

    pub fn restore(&mut self, id: &str, index: usize) -> IpcResult<CredentialDetail> {
        Ok(CredentialDetail::new(&self.session()?.restore_version(id, index, Utc::now())?, false))
    }

    /// Due items for the dashboard (calendar kinds even while locked).
    pub fn due(&mut self) -> IpcResult<Vec<DueItem>> {
        self.due_at(Utc::now())
    }

    pub fn due_at(&mut self, now: chrono::DateTime<Utc>) -> IpcResult<Vec<DueItem>> {
        match self.vault.session_any() {
            Some(s) => Ok(s.due_items(now, &noren_core::shop::reminder_settings(s.store(), None)?)?),
            None => Ok(Vec::new()),
        }
    }
}

pub fn categories() -> Vec<CategoryInfo> {
    Category::ALL.iter().map(|c| CategoryInfo { category: *c, template: c.template().to_vec() }).collect()
}

pub fn generate(spec: &GeneratorSpec) -> IpcResult<Generated> {
    let (pw, bits) = generator::generate(spec)?;
    Ok(Generated { password: pw.expose().to_string(), entropy_bits: (bits * 10.0).round() / 10.0 })
}

pub fn strength(pass: &SecretString) -> Strength {
    generator::strength(pass, &["noren", "sakura", "password", "shop"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(tmp: &Path) -> AppCore {
        AppCore::new(tmp.join("store"), tmp.join("config/settings.json"))
    }

    fn input(name: &str) -> CredentialInput {
        CredentialInput {
            category: Some(Category::Portal),
            name: Some(name.into()),
            password: Some(SecretString::new("pw-エキテン-1")),
            ..Default::default()
        }
    }

    #[test]
    fn setup_lock_unlock_cycle() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = core(tmp.path());
        assert_eq!(c.status().phase, Phase::Setup);
        assert_eq!(c.setup(&SecretString::new("short")).unwrap_err().code, "invalid_input");
        assert_eq!(c.setup(&SecretString::new("shop passphrase")).unwrap().phase, Phase::Unlocked);
        let added = c.add(&input("エキテン")).unwrap();
        assert!(added.password.is_none());
        assert!(c.lock());
        assert_eq!(c.status().phase, Phase::Locked);
        assert_eq!(c.search("").unwrap_err().code, "locked");
        let err = c.unlock(&SecretString::new("wrong passphrase")).unwrap_err();
        assert_eq!(err.code, "wrong_passphrase");
        assert_eq!(c.status().phase, Phase::Locked);
        c.unlock(&SecretString::new("shop passphrase")).unwrap();
        let hits = c.search("ｴｷﾃﾝ").unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(c.secret(&hits[0].id, "password").unwrap().expose(), "pw-エキテン-1");
    }

    /// An older copy of the store folder put back: the window says so once the
    /// store is unlocked, and the owner can dismiss it.
    #[test]
    fn an_older_copy_of_the_store_is_reported_after_unlock() {
        let tmp = tempfile::tempdir().unwrap();
        let pass = SecretString::new("shop passphrase");
        let copy = tmp.path().join("copy");
        {
            let mut c = core(tmp.path());
            c.setup(&pass).unwrap();
            c.add(&input("ホームページ")).unwrap();
        }
        {
            let mut c = core(tmp.path());
            assert!(c.unlock(&pass).unwrap().rollback.is_none());
            std::process::Command::new("cp").arg("-a").arg(tmp.path().join("store")).arg(&copy).status().unwrap();
            c.add(&input("Instagram")).unwrap();
        }
        std::fs::remove_dir_all(tmp.path().join("store")).unwrap();
        std::fs::rename(&copy, tmp.path().join("store")).unwrap();
        let mut c = core(tmp.path());
        let st = c.unlock(&pass).unwrap();
        let r = st.rollback.expect("the older copy is noticed");
        assert!(r.writes < r.seen_writes, "{r:?}");
        assert!(c.dismiss_rollback().rollback.is_none());
    }

    #[test]
    fn the_window_changes_the_passphrase_and_the_old_one_stops_working() {
        let tmp = tempfile::tempdir().unwrap();
        let old = SecretString::new("shop passphrase");
        let new = SecretString::new("new shop passphrase");
        let mut c = core(tmp.path());
        c.setup(&old).unwrap();
        c.add(&input("ホームページ")).unwrap();
        let wrong = c.change_passphrase(&SecretString::new("not the passphrase"), &new).unwrap_err();
        assert_eq!((wrong.code.as_str(), wrong.field.as_deref()), ("wrong_passphrase", Some("current")));
        assert_eq!(c.change_passphrase(&old, &SecretString::new("short")).unwrap_err().code, "invalid_input");
        assert_eq!(c.change_passphrase(&old, &old).unwrap_err().code, "invalid_input");
        let done = c.change_passphrase(&old, &new).unwrap();
        assert!(done.epoch >= 1, "re-keyed: {done:?}");
        // A change right after uses the new one as the current passphrase.
        assert!(c.lock());
        assert_eq!(c.unlock(&old).unwrap_err().code, "wrong_passphrase");
        c.unlock(&new).unwrap();
        assert_eq!(c.search("").unwrap().len(), 1);
        c.lock();
        assert_eq!(c.change_passphrase(&new, &old).unwrap_err().code, "locked");
    }

    #[test]
    fn edit_history_restore_delete() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = core(tmp.path());
        c.setup(&SecretString::new("shop passphrase")).unwrap();
        let a = c.add(&input("Instagram")).unwrap();
        let upd = CredentialInput { password: Some(SecretString::new("second")), notes: Some("メモ".into()), ..Default::default() };
        let b = c.update(&a.id, &upd).unwrap();
        assert_eq!(b.history_len, 1);
        assert_eq!(b.notes, "メモ");
        let h = c.history(&a.id, true).unwrap();
        assert_eq!(h[0].password.as_deref(), Some("pw-エキテン-1"));
        assert!(c.history(&a.id, false).unwrap()[0].password.is_none());
        c.restore(&a.id, 0).unwrap();
        assert_eq!(c.secret(&a.id, "password").unwrap().expose(), "pw-エキテン-1");
        // Search sees the edit immediately (index kept in step).
        assert_eq!(c.search("メモ").unwrap().len(), 1);
        c.delete(&a.id).unwrap();
        assert!(c.search("").unwrap().is_empty());
        assert_eq!(c.get(&a.id).unwrap_err().code, "not_found");
        assert_eq!(c.update(&a.id, &upd).unwrap_err().code, "not_found");
    }

    #[test]
    fn invalid_input_reports_the_field() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = core(tmp.path());
        c.setup(&SecretString::new("shop passphrase")).unwrap();
        let err = c.add(&CredentialInput { url: Some("not a url".into()), ..input("x") }).unwrap_err();
        assert_eq!(err.code, "invalid_input");
        assert_eq!(err.field.as_deref(), Some("url"));
        assert!(c.search("").unwrap().is_empty());
    }

    #[test]
    fn idle_auto_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = core(tmp.path());
        c.setup(&SecretString::new("shop passphrase")).unwrap();
        let t = Instant::now();
        assert!(!c.lock_if_idle(t));
        assert!(c.lock_if_idle(t + Duration::from_secs(10 * 60 + 1)));
        assert_eq!(c.status().phase, Phase::Locked);
    }

    #[test]
    fn demo_store_is_separate_and_labelled() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = core(tmp.path());
        let st = c.open_demo().unwrap();
        assert!(st.demo);
        assert_eq!(st.phase, Phase::Unlocked);
        assert!(st.store_dir.ends_with("store-demo"));
        let all = c.search("").unwrap();
        assert!(all.len() >= 8);
        assert!(c.search("エキテン").unwrap().len() == 1);
        assert!(!c.due().unwrap().is_empty(), "the demo shop has reminders to show");
        let lapses: Vec<String> = c
            .due()
            .unwrap()
            .into_iter()
            .filter(|i| i.kind == noren_core::reminders::Kind::PostingLapse)
            .map(|i| i.title.text(noren_core::messages::Lang::Ja))
            .collect();
        assert_eq!(lapses.len(), 1, "only the quiet Instagram, not the healthy blog or the paused LINE: {lapses:?}");
        assert!(lapses[0].contains("Instagram"));
        let views = crate::calendar::overview(&mut c).unwrap();
        assert_eq!(views.len(), 3);
        let kinds: Vec<_> = c.due().unwrap().into_iter().map(|i| i.kind).collect();
        assert!(kinds.contains(&noren_core::reminders::Kind::ReplyOverdue), "the demo has a LINE message to answer: {kinds:?}");
        assert_eq!(crate::customers::list(&mut c, "").unwrap().len(), 3);
        let st = c.leave_demo();
        assert!(!st.demo);
        assert_eq!(st.phase, Phase::Setup, "the real store was never created");
        // Reopening the demo reuses it.
        c.open_demo().unwrap();
        assert_eq!(c.search("").unwrap().len(), all.len());
    }

    /// Every command that changes a record says so (the shell then wakes the
    /// reminder loop) and is followed by the snapshot, whichever feature it is;
    /// reads say nothing. Logins used to wake nothing (issue 19).
    #[test]
    fn any_change_is_reported_and_followed_by_the_snapshot_reads_are_not() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = core(tmp.path());
        c.setup(&SecretString::new("shop passphrase")).unwrap();
        let usb = tmp.path().join("usb");
        std::fs::create_dir(&usb).unwrap();
        let (configured, wrote) = c.run_backup(|c| c.backup_configure(Some(usb.display().to_string()), 14, vec![]));
        configured.unwrap();
        assert!(wrote, "choosing the folder is a change");
        assert!(noren_core::backup::snapshots(&usb, Utc::now()).unwrap().is_empty(), "but the backup's own: no snapshot follows it");
        let (added, wrote) = c.run(|c| c.add(&input("エキテン")));
        assert!(wrote, "adding a login is a change");
        assert_eq!(noren_core::backup::snapshots(&usb, Utc::now()).unwrap().len(), 1, "and is followed by the snapshot");
        let id = added.unwrap().id;
        assert!(!c.run(|c| c.search("")).1, "a search changes nothing");
        assert!(!c.run(|c| c.get(&id)).1, "nor does reading one");
        assert!(c.run(|c| c.update(&id, &input("エキテン（本店）"))).1);
        let ch = noren_core::calendar::ChannelInput {
            kind: Some(noren_core::calendar::ChannelKind::Blog),
            name: Some("ブログ".into()),
            ..Default::default()
        };
        assert!(c.run(|c| crate::calendar::channel_add(c, &ch)).1, "a calendar change, the same way");
        assert!(!c.run(crate::calendar::overview).1);
        assert!(c.run(|c| c.delete(&id)).1);
        let (failed, wrote) = c.run(|c| c.delete("nosuchid"));
        assert!(failed.is_err() && !wrote, "a refused command changed nothing");
    }

    #[test]
    fn snapshots_after_changes_and_restore_switches_store() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = core(tmp.path());
        c.setup(&SecretString::new("shop passphrase")).unwrap();
        let usb = tmp.path().join("usb");
        std::fs::create_dir(&usb).unwrap();
        assert_eq!(c.backup_configure(Some("/nonexistent/usb".into()), 14, vec![]).unwrap_err().field.as_deref(), Some("auto_dir"));
        assert_eq!(c.backup_configure(None, 14, vec!["not-a-key".into()]).unwrap_err().field.as_deref(), Some("recipient"));
        let info = c.backup_configure(Some(usb.display().to_string()), 14, vec![]).unwrap();
        assert!(info.folder_available && info.newest.is_none());
        // Through `run`, as every command of the window: the snapshot follows any change.
        c.run(|c| c.add(&input("エキテン"))).0.unwrap();
        let snaps = noren_core::backup::snapshots(&usb, Utc::now()).unwrap();
        assert_eq!(snaps.len(), 1, "a change writes the day's snapshot");
        c.run(|c| c.add(&input("Instagram"))).0.unwrap();
        assert_eq!(noren_core::backup::snapshots(&usb, Utc::now()).unwrap().len(), 1, "at most daily");
        let file = snaps[0].1.display().to_string();
        let r = c.backup_verify(&file, None, None).unwrap();
        assert_eq!(r.counts["credentials"], 1);
        assert_eq!(c.backup_verify(&file, Some("wrong passphrase"), None).unwrap_err().code, "wrong_passphrase");

        let into = tmp.path().join("restored");
        let st = c.backup_restore(&file, None, None, &into.display().to_string(), None).unwrap();
        assert_eq!(st.phase, Phase::Locked);
        assert_eq!(st.store_dir, into.display().to_string());
        c.unlock(&SecretString::new("shop passphrase")).unwrap();
        assert_eq!(c.search("").unwrap().len(), 1);
        assert!(Store::exists(&tmp.path().join("store")), "the old store is kept");
        let again = core(tmp.path());
        assert_eq!(again.settings().store_dir.as_deref(), Some(into.display().to_string().as_str()), "the switch is remembered");
        c.lock();
        let err = c.backup_restore(&file, Some("shop passphrase"), None, &into.display().to_string(), None).unwrap_err();
        assert_eq!(err.code, "store_exists");
    }

    #[test]
    fn second_app_on_same_store_gets_in_use() {
        let tmp = tempfile::tempdir().unwrap();
        let mut a = core(tmp.path());
        a.setup(&SecretString::new("shop passphrase")).unwrap();
        let mut b = core(tmp.path());
        assert_eq!(b.unlock(&SecretString::new("shop passphrase")).unwrap_err().code, "store_in_use");
    }
}
