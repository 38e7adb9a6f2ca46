//! The window's commands: opening, locking and unlocking the store, the demo, the app settings and the passphrase; the day's items.

#[allow(unused_imports)]
use crate::*;

/// Changes Noren's own passphrase (the store is re-keyed).
#[tauri::command]
pub fn change_passphrase(app: State<'_, App>, current: String, new: String) -> IpcResult<noren_core::rekeyed::Rekeyed> {
    let (current, new) = (noren_core::SecretString::new(current), noren_core::SecretString::new(new));
    with(&app, |c| c.change_passphrase(&current, &new))
}

#[tauri::command]
pub fn status(app: State<'_, App>) -> IpcResult<AppStatus> {
    static FIRST: std::sync::Once = std::sync::Once::new();
    FIRST.call_once(|| crate::probe("first ipc"));
    with(&app, |c| Ok(c.status()))
}

#[tauri::command]
pub fn dismiss_rollback(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| Ok(c.dismiss_rollback()))
}

#[tauri::command]
pub fn setup_store(app: State<'_, App>, passphrase: String) -> IpcResult<AppStatus> {
    let pass = SecretString::new(passphrase);
    with(&app, |c| c.setup(&pass))
}

#[tauri::command]
pub fn unlock(app: State<'_, App>, passphrase: String) -> IpcResult<AppStatus> {
    let pass = SecretString::new(passphrase);
    with(&app, |c| c.unlock(&pass))
}

#[tauri::command]
pub fn lock(app: State<'_, App>) -> IpcResult<AppStatus> {
    app.clipboard.clear_if(None);
    with(&app, |c| {
        c.lock();
        Ok(c.status())
    })
}

#[tauri::command]
pub fn open_demo(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| c.open_demo())
}

#[tauri::command]
pub fn leave_demo(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| Ok(c.leave_demo()))
}

#[tauri::command]
pub fn activity(app: State<'_, App>) -> IpcResult<()> {
    with(&app, |c| {
        c.touch();
        Ok(())
    })
}

#[tauri::command]
pub fn save_settings(app: State<'_, App>, handle: AppHandle, settings: AppSettings) -> IpcResult<AppSettings> {
    let saved = with(&app, |c| c.save_settings(settings))?;
    rebuild_tray_menu(&handle, &saved.language);
    Ok(saved)
}

/// Startup probe for benchmarks (scripts/bench-window.sh): with `NOREN_STARTUP_PROBE`
/// set, prints the wall-clock time at which the UI reports its first screen painted,
/// and the page's own marks (ms since the epoch, from `performance.timeOrigin`): when
/// navigation started, when the bundle began to run, when the first IPC call answered.
#[tauri::command]
pub fn ui_ready(navigation: Option<f64>, script: Option<f64>, answered: Option<f64>) {
    for (what, at) in [("navigation", navigation), ("script", script), ("answered", answered)] {
        if let Some(at) = at.filter(|t| t.is_finite() && *t > 0.0) {
            crate::probe_at(what, at as u128);
        }
    }
    crate::probe("ui ready");
}

#[tauri::command]
pub fn due_items(app: State<'_, App>) -> IpcResult<Vec<DueItem>> {
    with(&app, |c| c.due())
}
