//! The app's own settings (no secrets): language, auto-lock, start at login.
//! Kept in `$XDG_CONFIG_HOME/noren/settings.json`, readable before unlock.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct AppSettings {
    /// "ja" (default) or "en".
    pub language: String,
    /// Minutes of inactivity before the vault locks itself (1–240).
    pub auto_lock_minutes: u32,
    pub start_at_login: bool,
    /// The store the app opens when the user switched to another one
    /// (e.g. after a restore). `NOREN_STORE` still wins.
    pub store_dir: Option<String>,
    /// The first-week guide on 今日やること was closed (Settings shows it again).
    pub guide_dismissed: bool,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings { language: "ja".into(), auto_lock_minutes: 10, start_at_login: false, store_dir: None, guide_dismissed: false }
    }
}

impl AppSettings {
    pub fn validate(&self) -> Result<(), noren_core::Error> {
        if !matches!(self.language.as_str(), "ja" | "en") {
            return Err(noren_core::Error::invalid("language", "must be ja or en"));
        }
        if !(1..=240).contains(&self.auto_lock_minutes) {
            return Err(noren_core::Error::invalid("auto_lock_minutes", "must be between 1 and 240"));
        }
        Ok(())
    }
}

pub fn config_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(x).join("noren");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(h).join(".config/noren");
    }
    std::env::temp_dir().join("noren-config")
}

/// Reads settings; a missing or unreadable file gives the defaults.
pub fn load(path: &Path) -> AppSettings {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<AppSettings>(&b).ok())
        .filter(|s| s.validate().is_ok())
        .unwrap_or_default()
}

/// Writes settings atomically.
pub fn save(path: &Path, s: &AppSettings) -> Result<(), noren_core::Error> {
    s.validate()?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| noren_core::Error::io("settings", e))?;
    let json = serde_json::to_vec_pretty(s).map_err(|e| noren_core::Error::Storage(e.to_string()))?;
    noren_core::files::write(path, &json, noren_core::files::Existing::Replace).map(|_| ())
}

/// Creates or removes the XDG autostart entry.
pub fn set_autostart(enabled: bool) -> Result<(), noren_core::Error> {
    let dir = config_dir().parent().map(|p| p.join("autostart")).unwrap_or_else(|| PathBuf::from("autostart"));
    let file = dir.join("noren.desktop");
    if !enabled {
        return match std::fs::remove_file(&file) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(noren_core::Error::io("autostart", e)),
        };
    }
    let exe = std::env::current_exe().map_err(|e| noren_core::Error::io("autostart", e))?;
    std::fs::create_dir_all(&dir).map_err(|e| noren_core::Error::io("autostart", e))?;
    let entry = format!(
        "[Desktop Entry]\nType=Application\nName=Noren\nComment=Keeps the shop's web presence alive\nExec=\"{}\" --minimized\nIcon=noren\nX-GNOME-Autostart-enabled=true\n",
        exe.display()
    );
    noren_core::files::write(&file, entry.as_bytes(), noren_core::files::Existing::Replace).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_reject_bad_values() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("settings.json");
        assert_eq!(load(&p), AppSettings::default());
        let s = AppSettings { language: "en".into(), auto_lock_minutes: 3, start_at_login: false, store_dir: None, guide_dismissed: true };
        save(&p, &s).unwrap();
        assert_eq!(load(&p), s);
        assert!(save(&p, &AppSettings { auto_lock_minutes: 0, ..s.clone() }).is_err());
        assert!(save(&p, &AppSettings { language: "fr".into(), ..s.clone() }).is_err());
        std::fs::write(&p, "{ not json").unwrap();
        assert_eq!(load(&p), AppSettings::default());
    }
}
