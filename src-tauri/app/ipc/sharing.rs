//! The window's commands: sharing the store with the shop's other laptops through a synced folder.

#[allow(unused_imports)]
use crate::*;

#[tauri::command]
pub fn share_status(app: State<'_, App>) -> IpcResult<noren_core::sync::SyncStatus> {
    with(&app, sharing::status)
}

#[tauri::command]
pub fn share_setup(app: State<'_, App>, folder: String, name: String) -> IpcResult<noren_core::sync::SyncStatus> {
    with(&app, |c| sharing::setup(c, &folder, &name))
}

#[tauri::command]
pub fn share_join(app: State<'_, App>, folder: String, code: String, name: String) -> IpcResult<noren_core::sync::SyncStatus> {
    let code = noren_core::SecretString::new(code);
    with(&app, |c| sharing::join(c, &folder, code.expose(), &name))
}

#[tauri::command]
pub fn share_invite(app: State<'_, App>, scope: noren_core::sync::Scope) -> IpcResult<noren_core::sync::Invitation> {
    with(&app, |c| sharing::invite(c, scope))
}

#[tauri::command]
pub fn share_now(app: State<'_, App>) -> IpcResult<noren_core::sync::MergeReport> {
    with(&app, sharing::now)
}

#[tauri::command]
pub fn share_conflicts(app: State<'_, App>) -> IpcResult<Vec<noren_core::sync::ConflictView>> {
    with(&app, sharing::conflicts)
}

#[tauri::command]
pub fn share_resolve(app: State<'_, App>, id: String) -> IpcResult<Vec<noren_core::sync::ConflictView>> {
    with(&app, |c| sharing::resolve(c, &id))
}

#[tauri::command]
pub fn share_remove(app: State<'_, App>, device: String) -> IpcResult<noren_core::sync::SyncStatus> {
    with(&app, |c| sharing::remove(c, &device))
}
