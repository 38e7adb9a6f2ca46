//! The Noren desktop shell. It only wires: every decision lives in `noren_core`.

use tauri::Manager;

/// Starts the window. Returns the process exit code.
pub fn run() -> i32 {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("error: no graphical display (DISPLAY/WAYLAND_DISPLAY unset); use noren-cli, or run under a desktop session or xvfb-run");
        return 1;
    }
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
