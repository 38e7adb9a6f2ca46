//! The window's commands: backups: the automatic folder, a backup now, export, verify, restore; recovery from a snapshot.

#[allow(unused_imports)]
use crate::*;

/// The database files are damaged: put the newest automatic snapshot in their place.
#[tauri::command]
pub fn recover_snapshot(app: State<'_, App>, passphrase: String) -> IpcResult<noren_core::backup::SnapshotRecovery> {
    let pass = noren_core::SecretString::new(passphrase);
    changing(&app, |c| c.recover_from_snapshot(&pass))
}

#[tauri::command]
pub fn backup_info(app: State<'_, App>) -> IpcResult<BackupInfo> {
    with_backup(&app, |c| c.backup_info())
}

#[tauri::command]
pub fn backup_configure(app: State<'_, App>, auto_dir: Option<String>, keep: u32, recipients: Vec<String>) -> IpcResult<BackupInfo> {
    with_backup(&app, |c| c.backup_configure(auto_dir, keep, recipients))
}

#[tauri::command]
pub fn backup_now(app: State<'_, App>) -> IpcResult<AutoReport> {
    with_backup(&app, |c| c.backup_now())
}

#[tauri::command]
pub fn backup_export(app: State<'_, App>, file: String) -> IpcResult<Report> {
    with_backup(&app, |c| c.backup_export(&file))
}

#[tauri::command]
pub fn backup_verify(app: State<'_, App>, file: String, passphrase: Option<String>, identity: Option<String>) -> IpcResult<Report> {
    with_backup(&app, |c| c.backup_verify(&file, passphrase.as_deref(), identity.as_deref()))
}

#[tauri::command]
pub fn backup_restore(
    app: State<'_, App>,
    file: String,
    passphrase: Option<String>,
    identity: Option<String>,
    into: String,
    new_passphrase: Option<String>,
) -> IpcResult<AppStatus> {
    with_backup(&app, |c| c.backup_restore(&file, passphrase.as_deref(), identity.as_deref(), &into, new_passphrase.as_deref()))
}
