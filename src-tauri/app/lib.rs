//! The Noren desktop shell. It only wires: every decision lives in
//! `noren_core` (the application layer) and `core.rs` (the app's state
//! machine); the commands, one line each, are in `ipc/`, one file per feature.

pub mod calendar;
mod clipboard;
pub mod core;
pub mod customers;
pub mod files;
pub mod handover;
mod ipc;
#[cfg(test)]
mod ipc_table;
pub mod migrate;
pub mod settings;
pub mod sharing;
pub mod vendors;

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
use crate::customers::InquiryView;
use crate::settings::AppSettings;
use noren_core::backup::{AutoReport, Report};
use noren_core::business::ShopHours;
use noren_core::calendar::{Channel, ChannelInput, ChannelView, Post, PostInput};
use noren_core::customer::{Customer, CustomerInput};
use noren_core::customer_import::Preview;
use noren_core::inquiry::{ExceptionDecision, ExceptionTag, Inquiry, InquiryInput, PlaybookStep, Template};
use noren_core::notify::NotifySettings;
use noren_core::timer::TimerStatus;

/// What the window read of the environment (the shell is where it is read).
pub(crate) fn env() -> noren_core::paths::Env {
    noren_core::paths::Env::from_vars(|k| std::env::var_os(k))
}

/// A path as the owner typed it (`paths::typed`), `~` being this user's home.
pub(crate) fn typed(text: &str) -> Option<std::path::PathBuf> {
    noren_core::paths::typed(text, env().home.as_deref())
}

struct App {
    core: Mutex<AppCore>,
    clipboard: clipboard::Clipboard,
    /// Wakes the reminder thread after a change.
    wake: Mutex<std::sync::mpsc::Sender<()>>,
}

fn wake(app: &State<'_, App>) {
    if let Ok(tx) = app.wake.lock() {
        let _ = tx.send(());
    }
}

/// `with` for the backup's own commands (`AppCore::run_backup`: no snapshot
/// follows what they write).
fn with_backup<T>(app: &State<'_, App>, f: impl FnOnce(&mut AppCore) -> IpcResult<T>) -> IpcResult<T> {
    locked(app, |c| c.run_backup(f))
}

/// Runs `f` and wakes the reminder thread whatever it did: for what changes the
/// open store itself (setup, unlock, lock, restore, demo) rather than a record.
fn changing<T>(app: &State<'_, App>, f: impl FnOnce(&mut AppCore) -> IpcResult<T>) -> IpcResult<T> {
    let r = with(app, f);
    wake(app);
    r
}

fn sync_targets(handle: &AppHandle, targets: Vec<noren_core::feed::Target>) -> Vec<calendar::SyncOutcome> {
    let app = handle.state::<App>();
    let mut out = Vec::new();
    for t in targets {
        let fetched = calendar::fetch(&t);
        match app.core.lock() {
            // Through `run`: new posts are a change like any other (the snapshot follows).
            Ok(mut c) => match c.run(|c| Ok(calendar::feed_apply(c, &t.channel_id, fetched))).0 {
                Ok(o) => out.push(o),
                Err(_) => break,
            },
            Err(_) => break,
        }
    }
    out
}

/// What a clicked notification asks the window to open.
#[derive(Clone, serde::Serialize)]
struct OpenItem {
    collection: noren_core::reminders::Collection,
    id: String,
}

/// Evaluates reminders every minute and after each change, shows the new ones
/// as desktop notifications (even while the vault is locked), and syncs feeds
/// on their schedule.
fn reminder_loop(handle: AppHandle, rx: std::sync::mpsc::Receiver<()>) {
    let mut last_sync: Option<Instant> = None;
    let mut last_share: Option<Instant> = None;
    loop {
        let _ = rx.recv_timeout(Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(300)); // coalesce bursts of changes
        while rx.try_recv().is_ok() {}
        let app = handle.state::<App>();
        let hours = app.core.lock().map(|c| calendar::sync_hours(&c)).unwrap_or(0);
        if hours > 0 && last_sync.is_none_or(|t| t.elapsed() >= Duration::from_secs(u64::from(hours) * 3600)) {
            last_sync = Some(Instant::now());
            let targets = app.core.lock().ok().and_then(|mut c| calendar::feed_targets(&mut c, None, true).ok()).unwrap_or_default();
            if !targets.is_empty() {
                sync_targets(&handle, targets);
            }
        }
        // The other laptops' changes, through `run` like any change (stamps, the snapshot).
        let arrived = app.core.lock().map(|mut c| c.run(|c| Ok(sharing::tick(c, &mut last_share))).0.unwrap_or(0)).unwrap_or(0);
        if arrived > 0 {
            let _ = handle.emit("noren://shared", arrived);
        }
        let (items, lang) = match app.core.lock() {
            Ok(mut c) => (calendar::to_notify(&mut c, chrono::Utc::now()), c.settings().language.clone()),
            Err(_) => return,
        };
        if !items.is_empty() {
            let _ = handle.emit("noren://due-changed", ());
        }
        for item in items {
            let h = handle.clone();
            let lang = noren_core::notify::Lang::from_tag(&lang);
            std::thread::spawn(move || {
                let record = item.record.clone();
                let click = move |_key: &str| {
                    show_window(&h);
                    let _ = h.emit("noren://open", OpenItem { collection: record.collection, id: record.id.clone() });
                };
                if let Err(e) = noren_core::notify::show(&item, lang, Some(&click)) {
                    eprintln!("noren: {e}");
                }
            });
        }
    }
}

/// Runs one command on the app's state. When it changed a record (see
/// `AppCore::run`: the snapshot follows there), the reminder thread wakes: a
/// change may raise or clear items, whichever command made it.
fn with<T>(app: &State<'_, App>, f: impl FnOnce(&mut AppCore) -> IpcResult<T>) -> IpcResult<T> {
    locked(app, |c| c.run(f))
}

/// Runs `run` with the state locked, then wakes the reminder thread when it says a record changed.
fn locked<T>(app: &State<'_, App>, run: impl FnOnce(&mut AppCore) -> (IpcResult<T>, bool)) -> IpcResult<T> {
    let mut core = app.core.lock().map_err(|_| IpcError { code: "internal".into(), message: "state poisoned".into(), field: None })?;
    let (r, wrote) = run(&mut core);
    drop(core);
    if wrote {
        wake(app);
    }
    r
}

fn tray_labels(lang: &str) -> [String; 3] {
    let lang = noren_core::messages::Lang::from_tag(lang);
    ["tray-open", "tray-lock", "tray-quit"].map(|key| noren_core::messages::text(lang, key))
}

fn tray_menu(handle: &AppHandle, lang: &str) -> tauri::Result<Menu<tauri::Wry>> {
    let [open, lock, quit] = tray_labels(lang);
    Menu::with_items(
        handle,
        &[
            &MenuItem::with_id(handle, "open", &open, true, None::<&str>)?,
            &MenuItem::with_id(handle, "lock", &lock, true, None::<&str>)?,
            &MenuItem::with_id(handle, "quit", &quit, true, None::<&str>)?,
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

/// The startup probe (benchmarks only: `NOREN_STARTUP_PROBE` set): one stderr line
/// `noren: probe <what> at <ms since the epoch>`; `ui ready` keeps its old form.
pub(crate) fn probe(what: &str) {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    probe_at(what, ms);
}

pub(crate) fn probe_at(what: &str, ms: u128) {
    if std::env::var_os("NOREN_STARTUP_PROBE").is_some() {
        if what == "ui ready" {
            eprintln!("noren: ui ready at {ms}");
        } else {
            eprintln!("noren: probe {what} at {ms}");
        }
    }
}

/// Starts the window. Returns the process exit code.
/// WebKit's accelerated compositing holds about 70 MiB more in the web process, idle
/// (docs/performance.md, issue 22), and Noren's screens are forms and lists, drawn as well
/// without it. What the owner's environment already says wins (a value of its own, or
/// `NOREN_WEBKIT_COMPOSITING=1` to keep WebKit's default).
fn webkit_environment(get: impl Fn(&str) -> Option<std::ffi::OsString>) -> Vec<(&'static str, &'static str)> {
    let keep_default = get("NOREN_WEBKIT_COMPOSITING").is_some_and(|v| v == "1");
    if keep_default || get("WEBKIT_DISABLE_COMPOSITING_MODE").is_some() {
        return Vec::new();
    }
    vec![("WEBKIT_DISABLE_COMPOSITING_MODE", "1")]
}

pub fn run() -> i32 {
    probe("main");
    // Before any thread or web process starts: they read it once.
    for (k, v) in webkit_environment(|k| std::env::var_os(k)) {
        std::env::set_var(k, v);
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("error: no graphical display (DISPLAY/WAYLAND_DISPLAY unset); use noren-cli, or run under a desktop session or xvfb-run");
        return 1;
    }
    // The temp folder is read here, at the front end (private copies of read-only stores).
    noren_core::store::set_scratch_dir(std::env::temp_dir());
    let settings_path = settings::config_dir().join("settings.json");
    // NOREN_STORE wins, then a store the user switched to, then the default.
    let chosen =
        settings::load(&settings_path).store_dir.filter(|_| std::env::var_os("NOREN_STORE").is_none()).map(std::path::PathBuf::from);
    let store_dir = match chosen.map(Ok).unwrap_or_else(|| noren_core::paths::resolve_store_dir(None, &env())) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let minimized = std::env::args().any(|a| a == "--minimized");
    let core = AppCore::new(store_dir, settings_path);
    probe("core");
    let lang = core.settings().language.clone();
    let (wake_tx, wake_rx) = std::sync::mpsc::channel();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| show_window(app)))
        .plugin(tauri_plugin_dialog::init())
        .manage(App { core: Mutex::new(core), clipboard: clipboard::Clipboard::default(), wake: Mutex::new(wake_tx) })
        .invoke_handler(tauri::generate_handler![
            ipc::files::pick_path,
            ipc::files::show_in_folder,
            ipc::sharing::share_status,
            ipc::sharing::share_setup,
            ipc::sharing::share_join,
            ipc::sharing::share_invite,
            ipc::sharing::share_now,
            ipc::sharing::share_conflicts,
            ipc::sharing::share_resolve,
            ipc::sharing::share_remove,
            ipc::session::status,
            ipc::session::dismiss_rollback,
            ipc::session::setup_store,
            ipc::session::unlock,
            ipc::session::lock,
            ipc::session::open_demo,
            ipc::session::leave_demo,
            ipc::session::activity,
            ipc::session::save_settings,
            ipc::credentials::password_strength,
            ipc::credentials::generate_password,
            ipc::credentials::categories,
            ipc::credentials::cred_search,
            ipc::credentials::cred_get,
            ipc::credentials::cred_reveal,
            ipc::credentials::cred_add,
            ipc::credentials::cred_update,
            ipc::credentials::cred_delete,
            ipc::credentials::cred_history,
            ipc::credentials::cred_restore,
            ipc::credentials::cred_copy,
            ipc::customers::copy_reply,
            ipc::customers::inq_unfilled,
            ipc::session::due_items,
            ipc::session::ui_ready,
            ipc::backup::backup_info,
            ipc::backup::backup_configure,
            ipc::backup::backup_now,
            ipc::backup::backup_export,
            ipc::backup::backup_verify,
            ipc::backup::backup_restore,
            ipc::calendar::cal_overview,
            ipc::calendar::cal_channel_add,
            ipc::calendar::cal_channel_update,
            ipc::calendar::cal_channel_delete,
            ipc::calendar::cal_posts,
            ipc::calendar::cal_posts_between,
            ipc::calendar::cal_post_log,
            ipc::calendar::cal_post_plan,
            ipc::calendar::cal_post_done,
            ipc::calendar::cal_post_update,
            ipc::calendar::cal_post_delete,
            ipc::calendar::cal_ics_export,
            ipc::calendar::cal_ics_suggested,
            ipc::calendar::cal_feed_sync,
            ipc::calendar::notify_settings,
            ipc::calendar::notify_save_settings,
            ipc::calendar::notify_snooze,
            ipc::calendar::timer_status,
            ipc::calendar::timer_install,
            ipc::calendar::timer_remove,
            ipc::handover::ppl_overview,
            ipc::handover::ppl_add,
            ipc::handover::ppl_depart,
            ipc::handover::ppl_review,
            ipc::handover::ppl_review_laptop,
            ipc::handover::guide_progress,
            ipc::handover::ppl_clear_unreviewed,
            ipc::handover::ppl_remove,
            ipc::handover::audit,
            ipc::handover::kit_sheet,
            ipc::handover::kit_make,
            ipc::session::change_passphrase,
            ipc::handover::kit_recover,
            ipc::backup::recover_snapshot,
            ipc::vendors::vnd_list,
            ipc::vendors::vnd_save,
            ipc::vendors::vnd_delete,
            ipc::vendors::vnd_who,
            ipc::vendors::ren_list,
            ipc::vendors::ren_save,
            ipc::vendors::ren_done,
            ipc::vendors::ren_delete,
            ipc::vendors::ren_stages,
            ipc::vendors::ren_check,
            ipc::vendors::inc_list,
            ipc::vendors::inc_get,
            ipc::vendors::inc_save,
            ipc::vendors::inc_log,
            ipc::vendors::inc_action,
            ipc::vendors::inc_action_done,
            ipc::vendors::inc_close,
            ipc::vendors::inc_delete,
            ipc::vendors::inc_report,
            ipc::vendors::inc_report_save,
            ipc::customers::cust_list,
            ipc::customers::cust_get,
            ipc::customers::cust_add,
            ipc::customers::cust_update,
            ipc::customers::cust_delete,
            ipc::customers::cust_import_preview,
            ipc::customers::cust_import,
            ipc::customers::inq_list,
            ipc::customers::inq_get,
            ipc::customers::inq_add,
            ipc::customers::inq_reply,
            ipc::customers::inq_close,
            ipc::customers::inq_followed_up,
            ipc::customers::inq_spam,
            ipc::customers::inq_playbook,
            ipc::customers::inq_exception,
            ipc::customers::inq_templates,
            ipc::customers::inq_render,
            ipc::customers::inq_template_save,
            ipc::migrate::import_preview,
            ipc::migrate::import_run,
            ipc::migrate::import_csv_headers,
            ipc::migrate::export_keepass,
            ipc::customers::shop_get,
            ipc::customers::shop_save,
        ])
        .setup(move |app| {
            probe("setup");
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
            let reminders = handle.clone();
            std::thread::spawn(move || reminder_loop(reminders, wake_rx));
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
            probe("setup done");
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

#[cfg(test)]
mod webkit_env {
    use super::webkit_environment;
    use std::ffi::OsString;

    #[test]
    fn compositing_is_off_unless_the_environment_says_otherwise() {
        let none = |_: &str| None;
        assert_eq!(webkit_environment(none), vec![("WEBKIT_DISABLE_COMPOSITING_MODE", "1")]);
        let own = |k: &str| (k == "WEBKIT_DISABLE_COMPOSITING_MODE").then(|| OsString::from("0"));
        assert!(webkit_environment(own).is_empty(), "the owner's own value stays");
        let keep = |k: &str| (k == "NOREN_WEBKIT_COMPOSITING").then(|| OsString::from("1"));
        assert!(webkit_environment(keep).is_empty());
    }
}

/// The shell's security settings, checked as data (docs/security.md).
#[cfg(test)]
mod shell_security {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn conf() -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap()).unwrap()
    }

    #[test]
    fn csp_is_strict_and_local_only() {
        let csp = conf()["app"]["security"]["csp"].as_str().expect("a CSP string").to_string();
        let directives: std::collections::HashMap<&str, Vec<&str>> = csp
            .split(';')
            .filter_map(|d| {
                let mut it = d.split_whitespace();
                it.next().map(|name| (name, it.collect()))
            })
            .collect();
        assert_eq!(directives["default-src"], vec!["'self'"]);
        assert_eq!(directives["script-src"], vec!["'self'"], "no inline or eval'd scripts");
        assert_eq!(directives["object-src"], vec!["'none'"]);
        assert_eq!(directives["frame-ancestors"], vec!["'none'"]);
        assert_eq!(directives["form-action"], vec!["'none'"]);
        assert!(!csp.contains("unsafe-eval"));
        // The only non-self origin is Tauri's IPC.
        for (name, sources) in &directives {
            for s in sources {
                let remote = s.starts_with("http") && *s != "http://ipc.localhost";
                assert!(!remote && *s != "*" && !s.starts_with("https:"), "{name} allows {s}");
            }
        }
    }

    #[test]
    fn capabilities_grant_only_event_listening() {
        let dir = root().join("src-tauri/capabilities");
        let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(files.len(), 1, "one capability file");
        let cap: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(files[0].path()).unwrap()).unwrap();
        let perms: Vec<&str> = cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert_eq!(perms, vec!["core:event:allow-listen", "core:event:allow-unlisten"]);
        assert_eq!(cap["windows"], serde_json::json!(["main"]));
        assert!(cap.get("remote").is_none(), "no remote origins may use the IPC");
    }

    #[test]
    fn no_plugin_opens_fs_shell_http_or_urls() {
        let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
        for p in ["tauri-plugin-fs", "tauri-plugin-shell", "tauri-plugin-http", "tauri-plugin-opener"] {
            assert!(!manifest.lines().any(|l| l.trim_start().starts_with(p)), "{p} must not be a dependency");
        }
        // The file chooser (issue 20) is the one plugin, called from Rust only:
        // the page holds no dialog permission (capabilities_grant_only_event_listening),
        // and the fs plugin it depends on is never initialised.
        let source = std::fs::read_to_string(root().join("src-tauri/app/lib.rs")).unwrap();
        let plugins: Vec<&str> = source.lines().filter(|l| l.trim_start().starts_with(".plugin(")).map(str::trim).collect();
        assert_eq!(
            plugins,
            vec![
                ".plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| show_window(app)))",
                ".plugin(tauri_plugin_dialog::init())"
            ]
        );
        let conf = conf();
        assert!(
            conf["app"]["windows"][0].get("url").is_none_or(|u| !u.as_str().unwrap_or("").starts_with("http")),
            "the window loads bundled assets"
        );
        assert_eq!(conf["build"]["frontendDist"], "ui/dist");
    }

    #[test]
    fn the_front_end_references_no_remote_url() {
        let mut stack = vec![root().join("ui/src"), root().join("ui/index.html")];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
                continue;
            }
            if !matches!(p.extension().and_then(|e| e.to_str()), Some("svelte" | "ts" | "html" | "css"))
                || p.to_string_lossy().contains(".test.")
            {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, line) in text.lines().enumerate() {
                for scheme in ["src=\"http", "href=\"http", "url(http", "fetch(", "XMLHttpRequest", "new WebSocket", "import(\"http"] {
                    assert!(!line.contains(scheme), "{}:{}: {line}", p.display(), i + 1);
                }
            }
        }
    }
}
