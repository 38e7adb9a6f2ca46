//! The window's commands: vendors, renewals and internet checks, incidents and their reports.

#[allow(unused_imports)]
use crate::*;

#[tauri::command]
pub fn vnd_list(app: State<'_, App>) -> IpcResult<Vec<noren_core::vendor::Vendor>> {
    with(&app, vendors::vendors)
}

#[tauri::command]
pub fn vnd_save(app: State<'_, App>, id: Option<String>, input: noren_core::vendor::VendorInput) -> IpcResult<noren_core::vendor::Vendor> {
    changing(&app, |c| vendors::vendor_save(c, id.as_deref(), &input))
}

#[tauri::command]
pub fn vnd_delete(app: State<'_, App>, id: String) -> IpcResult<noren_core::vendor::Vendor> {
    changing(&app, |c| vendors::vendor_delete(c, &id))
}

#[tauri::command]
pub fn vnd_who(app: State<'_, App>, asset: String) -> IpcResult<Vec<noren_core::vendor::CallAdvice>> {
    with(&app, |c| vendors::who_to_call(c, &asset))
}

#[tauri::command]
pub fn ren_list(app: State<'_, App>) -> IpcResult<vendors::RenewalsView> {
    with(&app, vendors::renewals)
}

#[tauri::command]
pub fn ren_save(
    app: State<'_, App>,
    id: Option<String>,
    input: noren_core::renewal::RenewalInput,
) -> IpcResult<noren_core::renewal::Renewal> {
    changing(&app, |c| vendors::renewal_save(c, id.as_deref(), &input))
}

#[tauri::command]
pub fn ren_done(app: State<'_, App>, id: String, due: Option<String>) -> IpcResult<noren_core::renewal::Renewal> {
    changing(&app, |c| vendors::renewal_done(c, &id, due.as_deref()))
}

#[tauri::command]
pub fn ren_delete(app: State<'_, App>, id: String) -> IpcResult<noren_core::renewal::Renewal> {
    changing(&app, |c| vendors::renewal_delete(c, &id))
}

#[tauri::command]
pub fn ren_stages(app: State<'_, App>, stages: Vec<i64>) -> IpcResult<Vec<i64>> {
    changing(&app, |c| vendors::renewal_stages(c, stages))
}

/// Certificate (kind "ssl", an https address) or domain (kind "domain") expiry from
/// the internet; the network is used without holding the state lock.
#[tauri::command]
pub async fn ren_check(handle: AppHandle, kind: String, what: String) -> IpcResult<noren_core::renewal::Renewal> {
    let app = handle.state::<App>();
    let target = noren_core::checks::Target::parse(&kind, &what)?;
    let zone = with(&app, |c| core::shop_zone(c.store_unlocked()?))?;
    // The network without the lock: the window stays usable meanwhile.
    let rdap = std::env::var("NOREN_RDAP_BASE").ok();
    let found = noren_core::checks::run(&target, rdap.as_deref());
    let r = with(&app, |c| vendors::record_check(c, &target, found, zone));
    wake(&app);
    r
}

#[tauri::command]
pub fn inc_list(app: State<'_, App>) -> IpcResult<Vec<noren_core::incident::Incident>> {
    with(&app, vendors::incidents)
}

#[tauri::command]
pub fn inc_get(app: State<'_, App>, id: String) -> IpcResult<noren_core::incident::Incident> {
    with(&app, |c| vendors::incident_get(c, &id))
}

#[tauri::command]
pub fn inc_save(
    app: State<'_, App>,
    id: Option<String>,
    input: noren_core::incident::IncidentInput,
) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_save(c, id.as_deref(), &input))
}

#[tauri::command]
pub fn inc_log(
    app: State<'_, App>,
    id: String,
    text: String,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_log(c, &id, &text, at))
}

#[tauri::command]
pub fn inc_action(
    app: State<'_, App>,
    id: String,
    text: String,
    owner: String,
    due: Option<chrono::NaiveDate>,
) -> IpcResult<noren_core::incident::ActionItem> {
    changing(&app, |c| vendors::incident_action(c, &id, &text, &owner, due))
}

#[tauri::command]
pub fn inc_action_done(app: State<'_, App>, action_id: String, done: bool) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_action_done(c, &action_id, done))
}

#[tauri::command]
pub fn inc_close(
    app: State<'_, App>,
    id: String,
    note: String,
    reopen: bool,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_close(c, &id, &note, reopen, at))
}

#[tauri::command]
pub fn inc_delete(app: State<'_, App>, id: String) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_delete(c, &id))
}

#[tauri::command]
pub fn inc_report(
    app: State<'_, App>,
    id: String,
    format: noren_core::incident::ReportFormat,
    audience: noren_core::incident::Audience,
    shop: String,
) -> IpcResult<vendors::IncidentReport> {
    with(&app, |c| vendors::incident_report(c, &id, format, audience, &shop))
}

#[tauri::command]
pub fn inc_report_save(
    app: State<'_, App>,
    id: String,
    format: noren_core::incident::ReportFormat,
    audience: noren_core::incident::Audience,
    shop: String,
    dir: String,
) -> IpcResult<String> {
    with(&app, |c| vendors::incident_report_save(c, &id, format, audience, &shop, &dir))
}
