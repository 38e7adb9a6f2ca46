//! The window's commands: people and departures, the account audit, the emergency kit, the first-week guide.

#[allow(unused_imports)]
use crate::*;

#[tauri::command]
pub fn ppl_overview(app: State<'_, App>) -> IpcResult<handover::PeopleView> {
    with(&app, handover::overview)
}

#[tauri::command]
pub fn ppl_add(
    app: State<'_, App>,
    name: String,
    role: noren_core::people::PersonRole,
    email: String,
) -> IpcResult<noren_core::people::Person> {
    changing(&app, |c| handover::add(c, &name, role, &email))
}

#[tauri::command]
pub fn ppl_depart(app: State<'_, App>, id: String, on: Option<chrono::NaiveDate>) -> IpcResult<noren_core::people::Person> {
    changing(&app, |c| handover::depart(c, &id, on))
}

#[tauri::command]
pub fn ppl_review(app: State<'_, App>, id: String, credential_id: String, knew: bool) -> IpcResult<noren_core::people::Person> {
    changing(&app, |c| handover::review(c, &id, &credential_id, knew))
}

#[tauri::command]
pub fn ppl_review_laptop(app: State<'_, App>, id: String, device: String, theirs: bool) -> IpcResult<noren_core::people::Person> {
    changing(&app, |c| handover::review_laptop(c, &id, &device, theirs))
}

#[tauri::command]
pub fn ppl_clear_unreviewed(app: State<'_, App>, id: String) -> IpcResult<usize> {
    changing(&app, |c| handover::clear_unreviewed(c, &id))
}

#[tauri::command]
pub fn guide_progress(app: State<'_, App>) -> IpcResult<noren_core::guide::Guide> {
    with(&app, handover::guide)
}

#[tauri::command]
pub fn ppl_remove(app: State<'_, App>, id: String) -> IpcResult<noren_core::people::Person> {
    changing(&app, |c| handover::remove(c, &id))
}

#[tauri::command]
pub fn audit(app: State<'_, App>) -> IpcResult<Vec<noren_core::people::Finding>> {
    with(&app, handover::audit)
}

#[tauri::command]
pub fn kit_sheet(app: State<'_, App>) -> IpcResult<String> {
    with(&app, handover::sheet)
}

#[tauri::command]
pub fn kit_make(app: State<'_, App>, shares: u8, threshold: u8, holders: Vec<String>) -> IpcResult<handover::KitView> {
    with(&app, |c| handover::make(c, shares, threshold, &holders))
}

/// The passphrase is lost: open the store with emergency-kit shares and set a new one.
#[tauri::command]
pub fn kit_recover(app: State<'_, App>, shares: Vec<String>, passphrase: String) -> IpcResult<AppStatus> {
    let pass = noren_core::SecretString::new(passphrase);
    changing(&app, |c| c.recover_with_kit(&shares, &pass))
}
