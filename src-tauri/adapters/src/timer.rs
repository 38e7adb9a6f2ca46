//! A systemd user timer that runs `noren-cli check --notify` every hour in the
//! daytime, so reminders reach the desktop when the app is closed. It opens
//! only the calendar compartment (a key file next to the app's settings); the
//! vault and its passphrase are never involved.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;
use ts_rs::TS;

use noren_base::error::{Error, Result};
use noren_store::store::Store;

pub const UNIT: &str = "noren-check";

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct TimerStatus {
    pub installed: bool,
    /// `systemctl --user is-enabled` said enabled (None when systemctl could not tell).
    pub enabled: Option<bool>,
    #[ts(type = "string")]
    pub service_path: PathBuf,
    #[ts(type = "string")]
    pub timer_path: PathBuf,
    #[ts(type = "string")]
    pub key_path: PathBuf,
    /// What systemctl said when enabling failed (files are still written).
    pub note: String,
}

fn paths(config_home: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let units = config_home.join("systemd/user");
    (units.join(format!("{UNIT}.service")), units.join(format!("{UNIT}.timer")), config_home.join("noren/calendar.key"))
}

/// Quotes one ExecStart argument for systemd.
fn quote(p: &Path) -> String {
    let s = p.to_string_lossy();
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('%', "%%"))
}

/// The unit files' text.
pub fn units(cli: &Path, store_dir: &Path, key_path: &Path, lang: &str) -> (String, String) {
    let service = format!(
        "[Unit]\nDescription=Noren reminders (posting lapses, missed plans, backups)\n\n[Service]\nType=oneshot\n\
         Environment=NOREN_CALENDAR_KEY_FILE={key}\nEnvironment=NOREN_LANG={lang}\n\
         ExecStart={cli} --store {store} check --notify\n\
         # 10: something was due (and shown); 4: the app has the store open and notifies by itself.\n\
         SuccessExitStatus=4 10\n",
        key = key_path.display(),
        cli = quote(cli),
        store = quote(store_dir),
    );
    let timer = "[Unit]\nDescription=Run Noren reminders every hour in the daytime\n\n[Timer]\nOnCalendar=*-*-* 08..20:05:00\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n".to_string();
    (service, timer)
}

fn systemctl(args: &[&str]) -> std::result::Result<String, String> {
    match Command::new("systemctl").arg("--user").args(args).output() {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).trim().to_string()),
        Ok(o) => Err(format!("{}{}", String::from_utf8_lossy(&o.stdout).trim(), String::from_utf8_lossy(&o.stderr).trim())),
        Err(e) => Err(format!("systemctl is not available ({e})")),
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).map_err(|e| Error::io(format!("cannot create {}", d.display()), e))?;
    }
    noren_base::files::write(path, text.as_bytes(), noren_base::files::Existing::Replace).map(|_| ())
}

/// Writes the key file and the units, then enables the timer with systemctl
/// when `enable` (a missing or failing systemctl is reported in `note`).
pub fn install(store: &Store, cli: &Path, config_home: &Path, lang: &str, enable: bool) -> Result<TimerStatus> {
    if !cli.is_absolute() || !cli.exists() {
        return Err(Error::invalid("cli", format!("{} is not an installed noren-cli", cli.display())));
    }
    let (service_path, timer_path, key_path) = paths(config_home);
    store.export_calendar_key(&key_path)?;
    let lang = if lang.starts_with("en") { "en" } else { "ja" };
    let (service, timer) = units(cli, store.dir(), &key_path, lang);
    write(&service_path, &service)?;
    write(&timer_path, &timer)?;
    let mut st = TimerStatus { installed: true, enabled: None, service_path, timer_path, key_path, note: String::new() };
    if enable {
        match systemctl(&["daemon-reload"]).and_then(|_| systemctl(&["enable", "--now", &format!("{UNIT}.timer")])) {
            Ok(_) => st.enabled = Some(true),
            Err(e) => st.note = e,
        }
    }
    Ok(st)
}

/// Disables the timer and deletes its files and the calendar key file.
pub fn remove(config_home: &Path, disable: bool) -> Result<TimerStatus> {
    let (service_path, timer_path, key_path) = paths(config_home);
    let mut note = String::new();
    if disable && timer_path.exists() {
        if let Err(e) = systemctl(&["disable", "--now", &format!("{UNIT}.timer")]) {
            note = e;
        }
    }
    for p in [&timer_path, &service_path, &key_path] {
        match std::fs::remove_file(p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(format!("cannot remove {}", p.display()), e)),
        }
    }
    if disable {
        let _ = systemctl(&["daemon-reload"]);
    }
    Ok(TimerStatus { installed: false, enabled: Some(false), service_path, timer_path, key_path, note })
}

pub fn status(config_home: &Path, ask_systemctl: bool) -> TimerStatus {
    let (service_path, timer_path, key_path) = paths(config_home);
    let installed = timer_path.exists() && service_path.exists() && key_path.exists();
    let enabled =
        if ask_systemctl && installed { systemctl(&["is-enabled", &format!("{UNIT}.timer")]).ok().map(|s| s == "enabled") } else { None };
    TimerStatus { installed, enabled, service_path, timer_path, key_path, note: String::new() }
}

/// Writes the calendar key file again after a re-key, when the timer's key
/// file is this store's (the old one no longer opens it). Returns whether it did.
pub fn refresh_key(store: &Store, config_home: &Path) -> Result<bool> {
    let (_, _, key_path) = paths(config_home);
    let Ok(text) = std::fs::read_to_string(&key_path) else { return Ok(false) };
    let ours = text.lines().nth(1).and_then(|l| l.strip_prefix("store ")) == Some(store.fingerprint().as_str());
    if !ours {
        return Ok(false);
    }
    store.export_calendar_key(&key_path)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_quote_paths_and_accept_both_exit_codes() {
        let (service, timer) = units(Path::new("/opt/my apps/noren-cli"), Path::new("/home/a/50% off"), Path::new("/k"), "ja");
        assert!(service.contains("ExecStart=\"/opt/my apps/noren-cli\" --store \"/home/a/50%% off\" check --notify"), "{service}");
        assert!(service.contains("SuccessExitStatus=4 10"));
        assert!(service.contains("Environment=NOREN_CALENDAR_KEY_FILE=/k"));
        assert!(timer.contains("OnCalendar=") && timer.contains("Persistent=true"));
    }
}
