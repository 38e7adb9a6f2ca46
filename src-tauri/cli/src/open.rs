//! How a command gets what it works on: the store (with the passphrase, or
//! the calendar key file for unattended reminders), compared with what this
//! computer saw of it; the instant it runs at; the shop's time zone. Shared by
//! every noun's file; imports none of them.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use noren_core::reminders::Settings;
use noren_core::vault::Vault;
use noren_core::{paths, Error, SecretString, Store};

use crate::io::{self, CliResult};

/// The vault of the store the command works on (`--store`, `$NOREN_STORE`, the default):
/// the application layer's, as the window holds it.
pub(crate) fn vault(cli_store: &Option<PathBuf>) -> CliResult<Vault> {
    let dir = paths::resolve_store_dir(cli_store.clone(), &crate::open::env())?;
    Ok(Vault::new(dir, seen_file()))
}

/// The vault unlocked with the passphrase ($NOREN_PASSPHRASE_FILE, $NOREN_PASSPHRASE or a
/// prompt, asked only once the store is found and free), and the passphrase.
pub(crate) fn unlocked(cli_store: &Option<PathBuf>) -> CliResult<(Vault, SecretString)> {
    let mut v = vault(cli_store)?;
    let pass = v.unlock_asking(|| io::passphrase("NOREN_PASSPHRASE", "Noren passphrase: ", false), now())?;
    warn_rollback(&v);
    Ok((v, pass))
}

pub(crate) fn open_store(cli_store: &Option<PathBuf>) -> CliResult<Opened> {
    Ok(open_store_with_pass(cli_store)?.0)
}

pub(crate) fn open_store_with_pass(cli_store: &Option<PathBuf>) -> CliResult<(Opened, SecretString)> {
    let (v, pass) = unlocked(cli_store)?;
    Ok((Opened::new(v, true)?, pass))
}

/// As `open_store_with_pass`, for the backup's own commands: what they write (the folder,
/// the store's backup key) is the backup's bookkeeping, so no snapshot follows it.
pub(crate) fn open_store_for_backup(cli_store: &Option<PathBuf>) -> CliResult<(Opened, SecretString)> {
    let (v, pass) = unlocked(cli_store)?;
    Ok((Opened::new(v, false)?, pass))
}

/// The store a command works on, in its vault. When the command is done (dropped),
/// what follows every change follows, as after each of the window's commands
/// (`Vault::follow`): the day's automatic snapshot when a record changed. A failed
/// snapshot is one `warning:` line; the command's own result stands.
pub(crate) struct Opened {
    vault: Vault,
    mark: noren_core::vault::Mark,
    snapshot: bool,
}

impl Opened {
    fn new(vault: Vault, snapshot: bool) -> CliResult<Opened> {
        if vault.store_any().is_none() {
            return Err(Error::Locked.into());
        }
        Ok(Opened { mark: vault.mark(), vault, snapshot })
    }

    /// The open store's session (its credentials' index), even while the vault is locked.
    pub(crate) fn session(&mut self) -> &mut noren_core::session::Session {
        self.vault.session_any().unwrap_or_else(|| unreachable!("an opened vault holds its store"))
    }

    /// What this command writes is bookkeeping (which reminders were shown), not the
    /// shop's records: no snapshot follows it, as none follows the window's reminder loop.
    pub(crate) fn without_snapshot(mut self) -> Opened {
        self.snapshot = false;
        self
    }
}

impl std::ops::DerefMut for Opened {
    fn deref_mut(&mut self) -> &mut Store {
        self.session().store_mut()
    }
}

impl std::ops::Deref for Opened {
    type Target = Store;
    fn deref(&self) -> &Store {
        // `new` refused a vault without a store, and nothing takes it out.
        self.vault.store_any().unwrap_or_else(|| unreachable!("an opened vault holds its store"))
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        let followed = self.vault.follow(self.mark, self.snapshot, now());
        if let Err(e) = followed.snapshot {
            esay!("warning: the automatic snapshot failed: {}", io::one_line(&e.to_string()));
        }
        if let Err(e) = followed.shared {
            esay!("warning: the change is kept here but could not be written to the shared folder: {}", io::one_line(&e.to_string()));
        }
    }
}

/// What the command read of the environment (the CLI is where it is read).
pub(crate) fn env() -> paths::Env {
    paths::Env::from_vars(|k| std::env::var_os(k))
}

/// The instant the command runs at (`--now`, `$NOREN_NOW` or the clock), set once by `run`.
static NOW: std::sync::OnceLock<DateTime<Utc>> = std::sync::OnceLock::new();

/// Sets the instant the command runs at (once, by `cmd::run`).
pub(crate) fn set_now(now: DateTime<Utc>) {
    let _ = NOW.set(now);
}

/// The instant the command runs at.
fn now() -> DateTime<Utc> {
    NOW.get().copied().unwrap_or_else(Utc::now)
}

/// Where this computer remembers how far each store got (rollback detection).
fn seen_file() -> Option<PathBuf> {
    noren_core::paths::config_home(&crate::open::env()).ok().map(|h| h.join("noren/seen-stores.json"))
}

/// An older copy of the store than this computer last opened is said on stderr (one
/// `warning:` line) and the command goes on.
fn warn_rollback(v: &Vault) {
    if let Some(r) = v.rollback() {
        esay!("warning: {}", io::one_line(&r.to_string()));
    }
}

/// `$NOREN_TZ` (IANA name) when set: this run's time zone, above the shop's.
pub fn tz_override() -> CliResult<Option<chrono_tz::Tz>> {
    match std::env::var("NOREN_TZ").ok().filter(|v| !v.trim().is_empty()) {
        Some(tz) => Ok(Some(
            tz.trim().parse().map_err(|_| Error::invalid("NOREN_TZ", format!("{tz:?} is not a time zone name (e.g. Asia/Tokyo)")))?,
        )),
        None => Ok(None),
    }
}

/// The reminder settings in the shop's time zone: `$NOREN_TZ` when set, else
/// the shop profile's (`noren-cli shop --timezone`), else Asia/Tokyo.
pub fn settings(store: &Store) -> CliResult<Settings> {
    Ok(noren_core::shop::reminder_settings(store, tz_override()?)?)
}

/// Opens the store for calendar work: with the passphrase when one is given
/// ($NOREN_PASSPHRASE_FILE / $NOREN_PASSPHRASE), else with
/// $NOREN_CALENDAR_KEY_FILE (vault stays locked), else a prompt.
pub fn open_calendar_store(cli_store: &Option<PathBuf>) -> CliResult<Opened> {
    let has_pass = ["NOREN_PASSPHRASE_FILE", "NOREN_PASSPHRASE"].iter().any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
    let key = std::env::var_os("NOREN_CALENDAR_KEY_FILE").filter(|v| !v.is_empty() && !has_pass);
    let Some(key) = key else { return open_store(cli_store) };
    let mut v = vault(cli_store)?;
    v.open_calendar(std::path::Path::new(&key), now())?;
    warn_rollback(&v);
    Opened::new(v, true)
}
