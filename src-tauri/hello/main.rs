//! A Tauri hello-world with one probe, the one Noren's window has: the wall-clock
//! time of the first frame painted after the first IPC answer
//! (`hello: ui ready at <ms>` on stderr), so the two are measured alike.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The first IPC call's answer.
#[tauri::command]
fn greet() -> &'static str {
    "Hello, world"
}

/// The page painted its first frame after `greet` answered; with the page's own
/// marks (ms since the epoch), as Noren's probe has them.
#[tauri::command]
fn ui_ready(navigation: f64, script: f64, answered: f64) {
    for (what, at) in [("navigation", navigation), ("script", script), ("answered", answered)] {
        eprintln!("hello: probe {what} at {}", at as u128);
    }
    eprintln!("hello: ui ready at {}", now_ms());
}

fn now_ms() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
}

fn main() {
    eprintln!("hello: probe main at {}", now_ms());
    let run = tauri::Builder::default()
        .setup(|_| {
            eprintln!("hello: probe setup at {}", now_ms());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![greet, ui_ready])
        .run(tauri::generate_context!());
    if let Err(e) = run {
        eprintln!("hello: {e}");
        std::process::exit(1);
    }
}
