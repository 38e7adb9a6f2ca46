//! The app's state machine over `noren_core`: which store is active (real or
//! demo), whether it is set up, locked or unlocked, and idle tracking for
//! auto-lock. Tauri commands are one-line wrappers around these methods, so
//! everything here is tested without a window.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use noren_core::credential::{
    Category, CredentialDetail, CredentialInput, CredentialSummary, HistoryEntry, TemplateField,
};
use noren_core::generator::{self, GeneratorSpec, Strength};
use noren_core::reminders::{DueItem, Settings};
use noren_core::session::Session;
use noren_core::{credential, demo, Error, SecretString, Store};
use serde::Serialize;
use ts_rs::TS;

use crate::settings::{self, AppSettings};

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

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub phase: Phase,
    pub demo: bool,
    pub store_dir: String,
    pub settings: AppSettings,
    pub version: String,
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
        IpcError {
            code: e.code().to_string(),
            message: e.to_string(),
            field,
        }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

pub struct AppCore {
    real_dir: PathBuf,
    demo_dir: PathBuf,
    settings_path: PathBuf,
    settings: AppSettings,
    demo: bool,
    session: Option<Session>,
    last_activity: Instant,
}

impl AppCore {
    pub fn new(real_dir: PathBuf, settings_path: PathBuf) -> AppCore {
        let name = real_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "noren".into());
        let demo_dir = real_dir.with_file_name(format!("{name}-demo"));
        let settings = settings::load(&settings_path);
        AppCore {
            real_dir,
            demo_dir,
            settings_path,
            settings,
            demo: false,
            session: None,
            last_activity: Instant::now(),
        }
    }

    fn dir(&self) -> &Path {
        if self.demo {
            &self.demo_dir
        } else {
            &self.real_dir
        }
    }

    pub fn touch(&mut self) {
        self.last_activity = Instant::now();
    }

    pub fn status(&self) -> AppStatus {
        let phase = match &self.session {
            Some(s) if s.is_unlocked() => Phase::Unlocked,
            Some(_) => Phase::Locked,
            None if Store::exists(self.dir()) => Phase::Locked,
            None => Phase::Setup,
        };
        AppStatus {
            phase,
            demo: self.demo,
            store_dir: self.dir().display().to_string(),
            settings: self.settings.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    pub fn setup(&mut self, pass: &SecretString) -> IpcResult<AppStatus> {
        let store = Store::init(self.dir(), pass)?;
        self.session = Some(Session::new(store));
        self.touch();
        Ok(self.status())
    }

    pub fn unlock(&mut self, pass: &SecretString) -> IpcResult<AppStatus> {
        match &mut self.session {
            Some(s) => s.unlock(pass)?,
            None => self.session = Some(Session::new(Store::open(self.dir(), pass)?)),
        }
        self.touch();
        Ok(self.status())
    }

    /// Locks the vault. Returns whether it was unlocked.
    pub fn lock(&mut self) -> bool {
        match &mut self.session {
            Some(s) if s.is_unlocked() => {
                s.lock();
                true
            }
            _ => false,
        }
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
        self.session = None;
        self.demo = true;
        match demo::open_or_create(&self.demo_dir, Utc::now()) {
            Ok(store) => self.session = Some(Session::new(store)),
            Err(e) => {
                self.demo = false;
                return Err(e.into());
            }
        }
        self.touch();
        Ok(self.status())
    }

    pub fn leave_demo(&mut self) -> AppStatus {
        if self.demo {
            self.session = None;
            self.demo = false;
        }
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
        self.session
            .as_mut()
            .filter(|s| s.is_unlocked())
            .ok_or_else(|| Error::Locked.into())
    }

    pub fn search(&mut self, query: &str) -> IpcResult<Vec<CredentialSummary>> {
        Ok(self.session()?.search(query)?)
    }

    pub fn get(&mut self, id: &str) -> IpcResult<CredentialDetail> {
        Ok(CredentialDetail::new(
            &self.session()?.credential(id)?,
            false,
        ))
    }

    /// The plaintext of one secret field of a credential, on explicit request.
    pub fn secret(&mut self, id: &str, what: &str) -> IpcResult<SecretString> {
        let c = self.session()?.credential(id)?;
        match what {
            "password" => Ok(c.password.clone()),
            "login" => Ok(SecretString::new(c.login.clone().unwrap_or_default())),
            "totp" => {
                let seed = c
                    .totp
                    .as_ref()
                    .ok_or_else(|| Error::invalid("totp", "no TOTP secret"))?;
                let (code, _) = noren_core::totp::code_at(seed.expose(), Utc::now())?;
                Ok(SecretString::new(code))
            }
            _ => Err(Error::invalid("field", format!("cannot copy {what:?}")).into()),
        }
    }

    pub fn add(&mut self, input: &CredentialInput) -> IpcResult<CredentialDetail> {
        Ok(CredentialDetail::new(
            &self.session()?.add(input, Utc::now())?,
            false,
        ))
    }

    pub fn update(&mut self, id: &str, input: &CredentialInput) -> IpcResult<CredentialDetail> {
        Ok(CredentialDetail::new(
            &self.session()?.edit(id, input, Utc::now())?,
            false,
        ))
    }

    pub fn delete(&mut self, id: &str) -> IpcResult<CredentialSummary> {
        Ok(CredentialSummary::from(&self.session()?.remove(id)?))
    }

    pub fn history(&mut self, id: &str, reveal: bool) -> IpcResult<Vec<HistoryEntry>> {
        Ok(credential::history(
            &self.session()?.credential(id)?,
            reveal,
        ))
    }

    pub fn restore(&mut self, id: &str, index: usize) -> IpcResult<CredentialDetail> {
        Ok(CredentialDetail::new(
            &self.session()?.restore_version(id, index, Utc::now())?,
            false,
        ))
    }

    /// Due items for the dashboard (calendar kinds even while locked).
    pub fn due(&mut self) -> IpcResult<Vec<DueItem>> {
        match &mut self.session {
            Some(s) => Ok(s.due_items(Utc::now(), &Settings::default())?),
            None => Ok(Vec::new()),
        }
    }
}

pub fn categories() -> Vec<CategoryInfo> {
    Category::ALL
        .iter()
        .map(|c| CategoryInfo {
            category: *c,
            template: c.template().to_vec(),
        })
        .collect()
}

pub fn generate(spec: &GeneratorSpec) -> IpcResult<Generated> {
    let (pw, bits) = generator::generate(spec)?;
    Ok(Generated {
        password: pw.expose().to_string(),
        entropy_bits: (bits * 10.0).round() / 10.0,
    })
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
        assert_eq!(
            c.setup(&SecretString::new("short")).unwrap_err().code,
            "invalid_input"
        );
        assert_eq!(
            c.setup(&SecretString::new("shop passphrase"))
                .unwrap()
                .phase,
            Phase::Unlocked
        );
        let added = c.add(&input("エキテン")).unwrap();
        assert!(added.password.is_none());
        assert!(c.lock());
        assert_eq!(c.status().phase, Phase::Locked);
        assert_eq!(c.search("").unwrap_err().code, "locked");
        let err = c
            .unlock(&SecretString::new("wrong passphrase"))
            .unwrap_err();
        assert_eq!(err.code, "wrong_passphrase");
        assert_eq!(c.status().phase, Phase::Locked);
        c.unlock(&SecretString::new("shop passphrase")).unwrap();
        let hits = c.search("ｴｷﾃﾝ").unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(
            c.secret(&hits[0].id, "password").unwrap().expose(),
            "pw-エキテン-1"
        );
    }

    #[test]
    fn edit_history_restore_delete() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = core(tmp.path());
        c.setup(&SecretString::new("shop passphrase")).unwrap();
        let a = c.add(&input("Instagram")).unwrap();
        let upd = CredentialInput {
            password: Some(SecretString::new("second")),
            notes: Some("メモ".into()),
            ..Default::default()
        };
        let b = c.update(&a.id, &upd).unwrap();
        assert_eq!(b.history_len, 1);
        assert_eq!(b.notes, "メモ");
        let h = c.history(&a.id, true).unwrap();
        assert_eq!(h[0].password.as_deref(), Some("pw-エキテン-1"));
        assert!(c.history(&a.id, false).unwrap()[0].password.is_none());
        c.restore(&a.id, 0).unwrap();
        assert_eq!(
            c.secret(&a.id, "password").unwrap().expose(),
            "pw-エキテン-1"
        );
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
        let err = c
            .add(&CredentialInput {
                url: Some("not a url".into()),
                ..input("x")
            })
            .unwrap_err();
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
        assert!(
            !c.due().unwrap().is_empty(),
            "the demo shop has reminders to show"
        );
        let st = c.leave_demo();
        assert!(!st.demo);
        assert_eq!(st.phase, Phase::Setup, "the real store was never created");
        // Reopening the demo reuses it.
        c.open_demo().unwrap();
        assert_eq!(c.search("").unwrap().len(), all.len());
    }

    #[test]
    fn second_app_on_same_store_gets_in_use() {
        let tmp = tempfile::tempdir().unwrap();
        let mut a = core(tmp.path());
        a.setup(&SecretString::new("shop passphrase")).unwrap();
        let mut b = core(tmp.path());
        assert_eq!(
            b.unlock(&SecretString::new("shop passphrase"))
                .unwrap_err()
                .code,
            "store_in_use"
        );
    }
}
