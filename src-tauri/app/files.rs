//! The owner's files: the platform's own file and folder chooser, and "show
//! it in its folder" after Noren wrote something. The page gets no dialog,
//! file-system or opener permission: it asks for a choice, the chooser runs
//! here, and only the chosen path goes back.

use std::path::{Path, PathBuf};

use noren_core::Error;
use serde::Deserialize;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::core::IpcResult;

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PickKind {
    /// An existing file to read (an import, a backup to verify or restore, a key file).
    Open,
    /// Where to write a new file (an export, a backup, a calendar).
    Save,
    /// A folder (the backup folder, where to restore).
    Folder,
}

/// What the chooser shows: its title (already in the owner's language), where
/// it starts (what is typed in the field, if anything) and the kinds of file.
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct PickRequest {
    pub kind: PickKind,
    pub title: String,
    /// The field's current text: the chooser opens there.
    #[serde(default)]
    pub current: Option<String>,
    /// A file name to offer when saving.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Name of the filter and its extensions without dots, e.g. ("KeePass", ["kdbx"]).
    #[serde(default)]
    pub filter: Option<(String, Vec<String>)>,
}

/// Where the chooser starts for a field holding `current`: the folder itself,
/// the folder of a file, else the nearest folder above that exists.
pub fn start_folder(current: Option<&str>) -> Option<PathBuf> {
    let mut p = current.and_then(crate::typed)?;
    loop {
        if p.is_dir() {
            return Some(p);
        }
        if !p.pop() || p.as_os_str().is_empty() {
            return None;
        }
    }
}

/// Opens the chooser and waits for the owner; `None` when they cancel.
/// Blocking: called from an async command, never on the main thread.
pub fn pick(handle: &AppHandle, req: PickRequest) -> IpcResult<Option<String>> {
    let title: String = req.title.chars().filter(|c| !c.is_control()).take(200).collect();
    let mut d = handle.dialog().file().set_title(title).set_can_create_directories(true);
    let home = || std::env::var_os("HOME").map(PathBuf::from).filter(|h| h.is_dir());
    if let Some(dir) = start_folder(req.current.as_deref()).or_else(home) {
        d = d.set_directory(dir);
    }
    let typed_name = req
        .current
        .as_deref()
        .and_then(crate::typed)
        .filter(|p| !p.is_dir())
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    if let Some(name) = typed_name.or(req.file_name) {
        d = d.set_file_name(name);
    }
    if let Some((name, exts)) = &req.filter {
        let exts: Vec<&str> = exts.iter().map(String::as_str).collect();
        d = d.add_filter(name, &exts);
    }
    let chosen = match req.kind {
        PickKind::Open => d.blocking_pick_file(),
        PickKind::Save => d.blocking_save_file(),
        PickKind::Folder => d.blocking_pick_folder(),
    };
    let Some(chosen) = chosen else { return Ok(None) };
    let path = chosen.into_path().map_err(|_| Error::invalid("file", "the chooser returned no file on this computer"))?;
    Ok(Some(path.display().to_string()))
}

/// The folder to show for `path`: the folder itself, or the folder holding a file.
pub fn folder_of(path: &str) -> IpcResult<PathBuf> {
    let p = crate::typed(path).ok_or_else(|| Error::invalid("file", "nothing to show"))?;
    let dir = if p.is_dir() { p } else { p.parent().map(Path::to_path_buf).unwrap_or_default() };
    if !dir.is_dir() {
        return Err(Error::invalid("file", format!("{} is not a folder", dir.display())).into());
    }
    Ok(dir)
}

/// Opens the file manager on the folder of `path`. Only ever a folder: a
/// folder cannot run anything, whatever the page asks for.
pub fn show_in_folder(path: &str) -> IpcResult<()> {
    let dir = folder_of(path)?;
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(program)
        .arg(&dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| Error::io(format!("cannot open the folder with {program}"), e))?;
    // Reaped in the background: the file manager may keep running.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chooser_starts_where_the_field_points() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let sub = tmp.path().join("backups");
        std::fs::create_dir(&sub).expect("mkdir");
        let typed = |p: &Path| Some(p.display().to_string());
        assert_eq!(start_folder(typed(&sub).as_deref()), Some(sub.clone()));
        // A file not yet written: its folder.
        assert_eq!(start_folder(typed(&sub.join("noren.age")).as_deref()), Some(sub.clone()));
        // A folder that does not exist (a USB stick not plugged in): the nearest one above.
        assert_eq!(start_folder(typed(&tmp.path().join("usb/noren/x")).as_deref()), Some(tmp.path().to_path_buf()));
        assert_eq!(start_folder(Some("  ")), None);
        assert_eq!(start_folder(None), None);
        assert_eq!(start_folder(Some("relative/nowhere")), None);
    }

    #[test]
    fn only_a_folder_is_ever_shown() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let file = tmp.path().join("report.html");
        std::fs::write(&file, "x").expect("write");
        assert_eq!(folder_of(&file.display().to_string()).expect("a file's folder"), tmp.path());
        assert_eq!(folder_of(&tmp.path().display().to_string()).expect("the folder"), tmp.path());
        let gone = folder_of(&tmp.path().join("nowhere/x.age").display().to_string()).expect_err("no such folder");
        assert_eq!(gone.field.as_deref(), Some("file"));
        assert!(folder_of("").is_err());
    }
}
