//! The window's commands: logins in and out: KeePass, Bitwarden and CSV imports, the KDBX export.

#[allow(unused_imports)]
use crate::*;

#[tauri::command]
pub fn import_preview(app: State<'_, App>, source: migrate::ImportSource) -> IpcResult<noren_core::import::ImportPreview> {
    with(&app, |c| migrate::preview(c, &source))
}

#[tauri::command]
pub fn import_run(
    app: State<'_, App>,
    source: migrate::ImportSource,
    on_duplicate: noren_core::import::OnDuplicate,
) -> IpcResult<noren_core::import::ImportReport> {
    changing(&app, |c| migrate::run(c, &source, on_duplicate))
}

#[tauri::command]
pub fn import_csv_headers(file: String) -> IpcResult<Vec<String>> {
    migrate::csv_headers(&file)
}

#[tauri::command]
pub fn export_keepass(app: State<'_, App>, file: String, password: String) -> IpcResult<usize> {
    with(&app, |c| migrate::export_keepass(c, &file, &password))
}
