//! The window's commands: logins: search, details, changes, history, copies; the generator and the strength meter.

#[allow(unused_imports)]
use crate::*;

#[tauri::command]
pub fn password_strength(passphrase: String) -> Strength {
    core::strength(&SecretString::new(passphrase))
}

#[tauri::command]
pub fn generate_password(spec: GeneratorSpec) -> IpcResult<Generated> {
    core::generate(&spec)
}

#[tauri::command]
pub fn categories() -> Vec<CategoryInfo> {
    core::categories()
}

#[tauri::command]
pub fn cred_search(app: State<'_, App>, query: String) -> IpcResult<Vec<CredentialSummary>> {
    with(&app, |c| c.search(&query))
}

#[tauri::command]
pub fn cred_get(app: State<'_, App>, id: String) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.get(&id))
}

#[tauri::command]
pub fn cred_reveal(app: State<'_, App>, id: String) -> IpcResult<String> {
    with(&app, |c| Ok(c.secret(&id, "password")?.expose().to_string()))
}

#[tauri::command]
pub fn cred_add(app: State<'_, App>, input: CredentialInput) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.add(&input))
}

#[tauri::command]
pub fn cred_update(app: State<'_, App>, id: String, input: CredentialInput) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.update(&id, &input))
}

#[tauri::command]
pub fn cred_delete(app: State<'_, App>, id: String) -> IpcResult<CredentialSummary> {
    with(&app, |c| c.delete(&id))
}

#[tauri::command]
pub fn cred_history(app: State<'_, App>, id: String, reveal: bool) -> IpcResult<Vec<HistoryEntry>> {
    with(&app, |c| c.history(&id, reveal))
}

#[tauri::command]
pub fn cred_restore(app: State<'_, App>, id: String, index: usize) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.restore(&id, index))
}

#[tauri::command]
pub fn cred_copy(app: State<'_, App>, id: String, what: String) -> IpcResult<u64> {
    let secret = with(&app, |c| c.secret(&id, &what))?;
    app.clipboard.copy(secret).map_err(|e| IpcError { code: "clipboard".into(), message: e, field: None })
}
