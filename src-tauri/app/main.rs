// Keep a release build on Windows from opening a console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before anything is decrypted: a crash writes no core file with the vault in it.
    noren_core::harden::no_core_dumps();
    std::process::exit(noren_app::run());
}
