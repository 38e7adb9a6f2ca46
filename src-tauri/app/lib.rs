//! The Noren desktop shell. It only wires: every decision lives in
//! `noren_core` (domain) and `core.rs` (app state machine).

mod clipboard;
pub mod core;
pub mod settings;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use noren_core::credential::{CredentialDetail, CredentialInput, CredentialSummary, HistoryEntry};
use noren_core::generator::{GeneratorSpec, Strength};
use noren_core::reminders::DueItem;
use noren_core::SecretString;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, State, WindowEvent};

use crate::core::{AppCore, AppStatus, BackupInfo, CategoryInfo, Generated, IpcError, IpcResult};
use crate::settings::AppSettings;
use noren_core::backup::{AutoReport, Report};

struct App {
    core: Mutex<AppCore>,
    clipboard: clipboard::Clipboard,
}

fn with<T>(app: &State<'_, App>, f: impl FnOnce(&mut AppCore) -> IpcResult<T>) -> IpcResult<T> {
    let mut core = app.core.lock().map_err(|_| IpcError { code: "internal".into(), message: "state poisoned".into(), field: None })?;
    f(&mut core)
}

#[tauri::command]
fn status(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| Ok(c.status()))
}

#[tauri::command]
fn setup_store(app: State<'_, App>, passphrase: String) -> IpcResult<AppStatus> {
    let pass = SecretString::new(passphrase);
    with(&app, |c| c.setup(&pass))
}

#[tauri::command]
fn unlock(app: State<'_, App>, passphrase: String) -> IpcResult<AppStatus> {
    let pass = SecretString::new(passphrase);
    with(&app, |c| c.unlock(&pass))
}

#[tauri::command]
fn lock(app: State<'_, App>) -> IpcResult<AppStatus> {
    app.clipboard.clear_if(None);
    with(&app, |c| {
        c.lock();
        Ok(c.status())
    })
}

#[tauri::command]
fn open_demo(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| c.open_demo())
}

#[tauri::command]
fn leave_demo(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| Ok(c.leave_demo()))
}

#[tauri::command]
fn activity(app: State<'_, App>) -> IpcResult<()> {
    with(&app, |c| {
        c.touch();
        Ok(())
    })
}

#[tauri::command]
fn save_settings(app: State<'_, App>, handle: AppHandle, settings: AppSettings) -> IpcResult<AppSettings> {
    let saved = with(&app, |c| c.save_settings(settings))?;
    rebuild_tray_menu(&handle, &saved.language);
    Ok(saved)
}

#[tauri::command]
fn password_strength(passphrase: String) -> Strength {
    core::strength(&SecretString::new(passphrase))
}

#[tauri::command]
fn generate_password(spec: GeneratorSpec) -> IpcResult<Generated> {
    core::generate(&spec)
}

#[tauri::command]
fn categories() -> Vec<CategoryInfo> {
    core::categories()
}

#[tauri::command]
fn cred_search(app: State<'_, App>, query: String) -> IpcResult<Vec<CredentialSummary>> {
    with(&app, |c| c.search(&query))
}

#[tauri::command]
fn cred_get(app: State<'_, App>, id: String) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.get(&id))
}

#[tauri::command]
fn cred_reveal(app: State<'_, App>, id: String) -> IpcResult<String> {
    with(&app, |c| Ok(c.secret(&id, "password")?.expose().to_string()))
}

#[tauri::command]
fn cred_add(app: State<'_, App>, input: CredentialInput) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.add(&input))
}

#[tauri::command]
fn cred_update(app: State<'_, App>, id: String, input: CredentialInput) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.update(&id, &input))
}

#[tauri::command]
fn cred_delete(app: State<'_, App>, id: String) -> IpcResult<CredentialSummary> {
    with(&app, |c| c.delete(&id))
}

#[tauri::command]
fn cred_history(app: State<'_, App>, id: String, reveal: bool) -> IpcResult<Vec<HistoryEntry>> {
    with(&app, |c| c.history(&id, reveal))
}

#[tauri::command]
fn cred_restore(app: State<'_, App>, id: String, index: usize) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.restore(&id, index))
}

/// Copies login, password or the current TOTP code; returns seconds until cleared.
#[tauri::command]
fn cred_copy(app: State<'_, App>, id: String, what: String) -> IpcResult<u64> {
    let secret = with(&app, |c| c.secret(&id, &what))?;
    app.clipboard.copy(secret).map_err(|e| IpcError { code: "clipboard".into(), message: e, field: None })
}

/// Startup probe for benchmarks: with `NOREN_STARTUP_PROBE` set, prints the
/// wall-clock time at which the UI reports its first screen painted.
#[tauri::command]
fn ui_ready() {
    if std::env::var_os("NOREN_STARTUP_PROBE").is_some() {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        eprintln!("noren: ui ready at {ms}");
    }
}

#[tauri::command]
fn backup_info(app: State<'_, App>) -> IpcResult<BackupInfo> {
    with(&app, |c| c.backup_info())
}

#[tauri::command]
fn backup_configure(app: State<'_, App>, auto_dir: Option<String>, keep: u32, recipients: Vec<String>) -> IpcResult<BackupInfo> {
    with(&app, |c| c.backup_configure(auto_dir, keep, recipients))
}

#[tauri::command]
fn backup_now(app: State<'_, App>) -> IpcResult<AutoReport> {
    with(&app, |c| c.backup_now())
}

#[tauri::command]
fn backup_export(app: State<'_, App>, file: String) -> IpcResult<Report> {
    with(&app, |c| c.backup_export(&file))
}

#[tauri::command]
fn backup_verify(app: State<'_, App>, file: String, passphrase: Option<String>, identity: Option<String>) -> IpcResult<Report> {
    with(&app, |c| c.backup_verify(&file, passphrase.as_deref(), identity.as_deref()))
}

#[tauri::command]
fn backup_restore(
    app: State<'_, App>,
    file: String,
    passphrase: Option<String>,
    identity: Option<String>,
    into: String,
    new_passphrase: Option<String>,
) -> IpcResult<AppStatus> {
    with(&app, |c| c.backup_restore(&file, passphrase.as_deref(), identity.as_deref(), &into, new_passphrase.as_deref()))
}

#[tauri::command]
fn due_items(app: State<'_, App>) -> IpcResult<Vec<DueItem>> {
    with(&app, |c| c.due())
}

fn tray_labels(lang: &str) -> [&'static str; 3] {
    if lang == "en" {
        ["Open Noren", "Lock", "Quit"]
    } else {
        ["Noren を開く", "ロックする", "終了"]
    }
}

fn tray_menu(handle: &AppHandle, lang: &str) -> tauri::Result<Menu<tauri::Wry>> {
    let [open, lock, quit] = tray_labels(lang);
    Menu::with_items(
        handle,
        &[
            &MenuItem::with_id(handle, "open", open, true, None::<&str>)?,
            &MenuItem::with_id(handle, "lock", lock, true, None::<&str>)?,
            &MenuItem::with_id(handle, "quit", quit, true, None::<&str>)?,
        ],
    )
}

fn rebuild_tray_menu(handle: &AppHandle, lang: &str) {
    if let (Some(tray), Ok(menu)) = (handle.tray_by_id("main"), tray_menu(handle, lang)) {
        let _ = tray.set_menu(Some(menu));
    }
}

fn show_window(handle: &AppHandle) {
    if let Some(w) = handle.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

fn lock_and_notify(handle: &AppHandle) {
    let app = handle.state::<App>();
    app.clipboard.clear_if(None);
    let locked = app.core.lock().map(|mut c| c.lock()).unwrap_or(false);
    if locked {
        let _ = handle.emit("noren://locked", ());
    }
}

fn setup_tray(handle: &AppHandle, lang: &str) -> tauri::Result<()> {
    let menu = tray_menu(handle, lang)?;
    let mut builder = TrayIconBuilder::with_id("main").menu(&menu).tooltip("Noren").on_menu_event(|h, ev| match ev.id.as_ref() {
        "open" => show_window(h),
        "lock" => lock_and_notify(h),
        "quit" => {
            lock_and_notify(h);
            h.exit(0);
        }
        _ => {}
    });
    if let Some(icon) = handle.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(handle)?;
    Ok(())
}

/// Starts the window. Returns the process exit code.
pub fn run() -> i32 {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("error: no graphical display (DISPLAY/WAYLAND_DISPLAY unset); use noren-cli, or run under a desktop session or xvfb-run");
        return 1;
    }
    let settings_path = settings::config_dir().join("settings.json");
    // NOREN_STORE wins, then a store the user switched to, then the default.
    let chosen =
        settings::load(&settings_path).store_dir.filter(|_| std::env::var_os("NOREN_STORE").is_none()).map(std::path::PathBuf::from);
    let store_dir = match chosen.map(Ok).unwrap_or_else(|| noren_core::paths::resolve_store_dir(None)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let minimized = std::env::args().any(|a| a == "--minimized");
    let core = AppCore::new(store_dir, settings_path);
    let lang = core.settings().language.clone();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| show_window(app)))
        .manage(App { core: Mutex::new(core), clipboard: clipboard::Clipboard::default() })
        .invoke_handler(tauri::generate_handler![
            status,
            setup_store,
            unlock,
            lock,
            open_demo,
            leave_demo,
            activity,
            save_settings,
            password_strength,
            generate_password,
            categories,
            cred_search,
            cred_get,
            cred_reveal,
            cred_add,
            cred_update,
            cred_delete,
            cred_history,
            cred_restore,
            cred_copy,
            due_items,
            ui_ready,
            backup_info,
            backup_configure,
            backup_now,
            backup_export,
            backup_verify,
            backup_restore
        ])
        .setup(move |app| {
            let handle = app.handle().clone();
            let has_tray = match setup_tray(&handle, &lang) {
                Ok(()) => true,
                Err(e) => {
                    eprintln!("noren: no tray icon ({e}); closing the window quits");
                    false
                }
            };
            if let Some(w) = app.get_webview_window("main") {
                if minimized && has_tray {
                    let _ = w.hide();
                }
                let wh = w.clone();
                w.on_window_event(move |ev| {
                    if let WindowEvent::CloseRequested { api, .. } = ev {
                        if has_tray {
                            api.prevent_close();
                            let _ = wh.hide();
                        }
                    }
                });
            }
            // Auto-lock: check idleness every few seconds.
            std::thread::spawn(move || loop {
                std::thread::sleep(Duration::from_secs(5));
                let app = handle.state::<App>();
                let locked = app.core.lock().map(|mut c| c.lock_if_idle(Instant::now())).unwrap_or(false);
                if locked {
                    app.clipboard.clear_if(None);
                    let _ = handle.emit("noren://locked", ());
                }
            });
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
