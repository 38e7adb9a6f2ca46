//! The window's commands: the platform's file chooser and "show in folder".

#[allow(unused_imports)]
use crate::*;

/// The platform's file or folder chooser; `None` when the owner cancels.
#[tauri::command]
pub async fn pick_path(handle: AppHandle, request: files::PickRequest) -> IpcResult<Option<String>> {
    handle.state::<App>().core.lock().map(|mut c| c.touch()).ok();
    let h = handle.clone();
    tauri::async_runtime::spawn_blocking(move || files::pick(&h, request))
        .await
        .map_err(|e| IpcError::from(noren_core::Error::invalid("file", format!("the chooser stopped: {e}"))))?
}

/// Opens the file manager on the folder of a file Noren wrote.
#[tauri::command]
pub fn show_in_folder(path: String) -> IpcResult<()> {
    files::show_in_folder(&path)
}
