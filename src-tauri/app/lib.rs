//! The Noren desktop shell. It only wires: every decision lives in
//! `noren_core` (domain) and `core.rs` (app state machine).

pub mod calendar;
mod clipboard;
pub mod core;
pub mod customers;
pub mod files;
pub mod handover;
#[cfg(test)]
mod ipc_table;
pub mod migrate;
pub mod settings;
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
    let mut core = app.core.lock().map_err(|_| IpcError { code: "internal".into(), message: "state poisoned".into(), field: None })?;
    let (r, wrote) = core.run_backup(f);
    drop(core);
    if wrote {
        wake(app);
    }
    r
}

/// Runs `f` and wakes the reminder thread whatever it did: for what changes the
/// open store itself (setup, unlock, lock, restore, demo) rather than a record.
fn changing<T>(app: &State<'_, App>, f: impl FnOnce(&mut AppCore) -> IpcResult<T>) -> IpcResult<T> {
    let r = with(app, f);
    wake(app);
    r
}

#[tauri::command]
fn cal_overview(app: State<'_, App>) -> IpcResult<Vec<ChannelView>> {
    with(&app, calendar::overview)
}

#[tauri::command]
fn cal_channel_add(app: State<'_, App>, input: ChannelInput) -> IpcResult<Channel> {
    changing(&app, |c| calendar::channel_add(c, &input))
}

#[tauri::command]
fn cal_channel_update(app: State<'_, App>, id: String, input: ChannelInput) -> IpcResult<Channel> {
    changing(&app, |c| calendar::channel_update(c, &id, &input))
}

#[tauri::command]
fn cal_channel_delete(app: State<'_, App>, id: String) -> IpcResult<usize> {
    changing(&app, |c| calendar::channel_delete(c, &id))
}

#[tauri::command]
fn cal_posts(app: State<'_, App>, channel_id: String) -> IpcResult<Vec<Post>> {
    with(&app, |c| calendar::posts(c, &channel_id))
}

#[tauri::command]
fn cal_posts_between(app: State<'_, App>, from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> IpcResult<Vec<Post>> {
    with(&app, |c| calendar::posts_between(c, from, to))
}

#[tauri::command]
fn cal_post_log(app: State<'_, App>, channel_id: String, input: PostInput) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_log(c, &channel_id, &input))
}

#[tauri::command]
fn cal_post_plan(app: State<'_, App>, channel_id: String, input: PostInput) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_plan(c, &channel_id, &input))
}

#[tauri::command]
fn cal_post_done(app: State<'_, App>, id: String) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_done(c, &id))
}

#[tauri::command]
fn cal_post_update(app: State<'_, App>, id: String, input: PostInput) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_update(c, &id, &input))
}

#[tauri::command]
fn cal_post_delete(app: State<'_, App>, id: String) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_delete(c, &id))
}

#[tauri::command]
fn cal_ics_export(app: State<'_, App>, file: String) -> IpcResult<String> {
    with(&app, |c| calendar::ics_export(c, &file))
}

/// The platform's file or folder chooser; `None` when the owner cancels.
#[tauri::command]
async fn pick_path(handle: AppHandle, request: files::PickRequest) -> IpcResult<Option<String>> {
    handle.state::<App>().core.lock().map(|mut c| c.touch()).ok();
    let h = handle.clone();
    tauri::async_runtime::spawn_blocking(move || files::pick(&h, request))
        .await
        .map_err(|e| IpcError::from(noren_core::Error::invalid("file", format!("the chooser stopped: {e}"))))?
}

/// Opens the file manager on the folder of a file Noren wrote.
#[tauri::command]
fn show_in_folder(path: String) -> IpcResult<()> {
    files::show_in_folder(&path)
}

#[tauri::command]
fn cal_ics_suggested() -> String {
    calendar::suggested_ics_path()
}

/// Fetches feeds without holding the state lock, then records them.
#[tauri::command]
async fn cal_feed_sync(handle: AppHandle, channel_id: Option<String>) -> IpcResult<Vec<calendar::SyncOutcome>> {
    let app = handle.state::<App>();
    let targets = with(&app, |c| calendar::feed_targets(c, channel_id.as_deref(), false))?;
    let out = sync_targets(&handle, targets);
    wake(&app);
    Ok(out)
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

#[tauri::command]
fn notify_settings(app: State<'_, App>) -> IpcResult<NotifySettings> {
    with(&app, calendar::notify_settings)
}

#[tauri::command]
fn notify_save_settings(app: State<'_, App>, settings: NotifySettings) -> IpcResult<NotifySettings> {
    changing(&app, |c| calendar::save_notify_settings(c, &settings))
}

#[tauri::command]
fn notify_snooze(app: State<'_, App>, key: String, days: i64) -> IpcResult<chrono::DateTime<chrono::Utc>> {
    with(&app, |c| calendar::snooze(c, &key, days))
}

#[tauri::command]
fn timer_status(app: State<'_, App>) -> IpcResult<TimerStatus> {
    with(&app, calendar::timer_status)
}

#[tauri::command]
fn timer_install(app: State<'_, App>) -> IpcResult<TimerStatus> {
    with(&app, calendar::timer_install)
}

#[tauri::command]
fn timer_remove(app: State<'_, App>) -> IpcResult<TimerStatus> {
    with(&app, calendar::timer_remove)
}

#[tauri::command]
fn ppl_overview(app: State<'_, App>) -> IpcResult<handover::PeopleView> {
    with(&app, handover::overview)
}

#[tauri::command]
fn ppl_add(
    app: State<'_, App>,
    name: String,
    role: noren_core::people::PersonRole,
    email: String,
) -> IpcResult<noren_core::people::Person> {
    changing(&app, |c| handover::add(c, &name, role, &email))
}

#[tauri::command]
fn ppl_depart(app: State<'_, App>, id: String, on: Option<chrono::NaiveDate>) -> IpcResult<noren_core::people::Person> {
    changing(&app, |c| handover::depart(c, &id, on))
}

#[tauri::command]
fn ppl_review(app: State<'_, App>, id: String, credential_id: String, knew: bool) -> IpcResult<noren_core::people::Person> {
    changing(&app, |c| handover::review(c, &id, &credential_id, knew))
}

#[tauri::command]
fn ppl_clear_unreviewed(app: State<'_, App>, id: String) -> IpcResult<usize> {
    changing(&app, |c| handover::clear_unreviewed(c, &id))
}

#[tauri::command]
fn guide_progress(app: State<'_, App>) -> IpcResult<noren_core::guide::Guide> {
    with(&app, handover::guide)
}

#[tauri::command]
fn ppl_remove(app: State<'_, App>, id: String) -> IpcResult<noren_core::people::Person> {
    changing(&app, |c| handover::remove(c, &id))
}

#[tauri::command]
fn audit(app: State<'_, App>) -> IpcResult<Vec<noren_core::people::Finding>> {
    with(&app, handover::audit)
}

#[tauri::command]
fn kit_sheet(app: State<'_, App>) -> IpcResult<String> {
    with(&app, handover::sheet)
}

#[tauri::command]
fn kit_make(app: State<'_, App>, shares: u8, threshold: u8, holders: Vec<String>) -> IpcResult<handover::KitView> {
    with(&app, |c| handover::make(c, shares, threshold, &holders))
}

/// Changes Noren's own passphrase (the store is re-keyed).
#[tauri::command]
fn change_passphrase(app: State<'_, App>, current: String, new: String) -> IpcResult<noren_core::rekeyed::Rekeyed> {
    let (current, new) = (noren_core::SecretString::new(current), noren_core::SecretString::new(new));
    with(&app, |c| c.change_passphrase(&current, &new))
}

/// The database files are damaged: put the newest automatic snapshot in their place.
#[tauri::command]
fn recover_snapshot(app: State<'_, App>, passphrase: String) -> IpcResult<noren_core::backup::SnapshotRecovery> {
    let pass = noren_core::SecretString::new(passphrase);
    changing(&app, |c| c.recover_from_snapshot(&pass))
}

/// The passphrase is lost: open the store with emergency-kit shares and set a new one.
#[tauri::command]
fn kit_recover(app: State<'_, App>, shares: Vec<String>, passphrase: String) -> IpcResult<AppStatus> {
    let pass = noren_core::SecretString::new(passphrase);
    changing(&app, |c| c.recover_with_kit(&shares, &pass))
}

#[tauri::command]
fn vnd_list(app: State<'_, App>) -> IpcResult<Vec<noren_core::vendor::Vendor>> {
    with(&app, vendors::vendors)
}

#[tauri::command]
fn vnd_save(app: State<'_, App>, id: Option<String>, input: noren_core::vendor::VendorInput) -> IpcResult<noren_core::vendor::Vendor> {
    changing(&app, |c| vendors::vendor_save(c, id.as_deref(), &input))
}

#[tauri::command]
fn vnd_delete(app: State<'_, App>, id: String) -> IpcResult<noren_core::vendor::Vendor> {
    changing(&app, |c| vendors::vendor_delete(c, &id))
}

#[tauri::command]
fn vnd_who(app: State<'_, App>, asset: String) -> IpcResult<Vec<noren_core::vendor::CallAdvice>> {
    with(&app, |c| vendors::who_to_call(c, &asset))
}

#[tauri::command]
fn ren_list(app: State<'_, App>) -> IpcResult<vendors::RenewalsView> {
    with(&app, vendors::renewals)
}

#[tauri::command]
fn ren_save(app: State<'_, App>, id: Option<String>, input: noren_core::renewal::RenewalInput) -> IpcResult<noren_core::renewal::Renewal> {
    changing(&app, |c| vendors::renewal_save(c, id.as_deref(), &input))
}

#[tauri::command]
fn ren_done(app: State<'_, App>, id: String, due: Option<String>) -> IpcResult<noren_core::renewal::Renewal> {
    changing(&app, |c| vendors::renewal_done(c, &id, due.as_deref()))
}

#[tauri::command]
fn ren_delete(app: State<'_, App>, id: String) -> IpcResult<noren_core::renewal::Renewal> {
    changing(&app, |c| vendors::renewal_delete(c, &id))
}

#[tauri::command]
fn ren_stages(app: State<'_, App>, stages: Vec<i64>) -> IpcResult<Vec<i64>> {
    changing(&app, |c| vendors::renewal_stages(c, stages))
}

/// Certificate (kind "ssl", an https address) or domain (kind "domain") expiry from
/// the internet; the network is used without holding the state lock.
#[tauri::command]
async fn ren_check(handle: AppHandle, kind: String, what: String) -> IpcResult<noren_core::renewal::Renewal> {
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
fn inc_list(app: State<'_, App>) -> IpcResult<Vec<noren_core::incident::Incident>> {
    with(&app, vendors::incidents)
}

#[tauri::command]
fn inc_get(app: State<'_, App>, id: String) -> IpcResult<noren_core::incident::Incident> {
    with(&app, |c| vendors::incident_get(c, &id))
}

#[tauri::command]
fn inc_save(
    app: State<'_, App>,
    id: Option<String>,
    input: noren_core::incident::IncidentInput,
) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_save(c, id.as_deref(), &input))
}

#[tauri::command]
fn inc_log(
    app: State<'_, App>,
    id: String,
    text: String,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_log(c, &id, &text, at))
}

#[tauri::command]
fn inc_action(
    app: State<'_, App>,
    id: String,
    text: String,
    owner: String,
    due: Option<chrono::NaiveDate>,
) -> IpcResult<noren_core::incident::ActionItem> {
    changing(&app, |c| vendors::incident_action(c, &id, &text, &owner, due))
}

#[tauri::command]
fn inc_action_done(app: State<'_, App>, action_id: String, done: bool) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_action_done(c, &action_id, done))
}

#[tauri::command]
fn inc_close(
    app: State<'_, App>,
    id: String,
    note: String,
    reopen: bool,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_close(c, &id, &note, reopen, at))
}

#[tauri::command]
fn inc_delete(app: State<'_, App>, id: String) -> IpcResult<noren_core::incident::Incident> {
    changing(&app, |c| vendors::incident_delete(c, &id))
}

#[tauri::command]
fn inc_report(
    app: State<'_, App>,
    id: String,
    format: noren_core::incident::ReportFormat,
    audience: noren_core::incident::Audience,
    shop: String,
) -> IpcResult<vendors::IncidentReport> {
    with(&app, |c| vendors::incident_report(c, &id, format, audience, &shop))
}

#[tauri::command]
fn inc_report_save(
    app: State<'_, App>,
    id: String,
    format: noren_core::incident::ReportFormat,
    audience: noren_core::incident::Audience,
    shop: String,
    dir: String,
) -> IpcResult<String> {
    with(&app, |c| vendors::incident_report_save(c, &id, format, audience, &shop, &dir))
}

#[tauri::command]
fn cust_list(app: State<'_, App>, query: String) -> IpcResult<Vec<Customer>> {
    with(&app, |c| customers::list(c, &query))
}

#[tauri::command]
fn cust_get(app: State<'_, App>, id: String) -> IpcResult<Customer> {
    with(&app, |c| customers::get(c, &id))
}

#[tauri::command]
fn cust_add(app: State<'_, App>, input: CustomerInput) -> IpcResult<Customer> {
    changing(&app, |c| customers::add(c, &input))
}

#[tauri::command]
fn cust_update(app: State<'_, App>, id: String, input: CustomerInput) -> IpcResult<Customer> {
    changing(&app, |c| customers::update(c, &id, &input))
}

#[tauri::command]
fn cust_delete(app: State<'_, App>, id: String) -> IpcResult<Customer> {
    changing(&app, |c| customers::delete(c, &id))
}

#[tauri::command]
fn cust_import_preview(app: State<'_, App>, file: String) -> IpcResult<Preview> {
    with(&app, |c| customers::import_preview(c, &file))
}

#[tauri::command]
fn cust_import(app: State<'_, App>, file: String, keep_duplicates: bool) -> IpcResult<usize> {
    changing(&app, |c| customers::import(c, &file, keep_duplicates))
}

#[tauri::command]
fn inq_list(app: State<'_, App>, open_only: bool) -> IpcResult<Vec<InquiryView>> {
    with(&app, |c| customers::inquiries(c, open_only))
}

#[tauri::command]
fn inq_get(app: State<'_, App>, id: String) -> IpcResult<InquiryView> {
    with(&app, |c| customers::inquiry_get(c, &id))
}

#[tauri::command]
fn inq_add(app: State<'_, App>, input: InquiryInput) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::inquiry_add(c, &input))
}

#[tauri::command]
fn inq_reply(app: State<'_, App>, id: String, text: String, promised_by: Option<chrono::NaiveDate>) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::reply(c, &id, &text, promised_by))
}

#[tauri::command]
fn inq_close(app: State<'_, App>, id: String, follow_up: Option<chrono::NaiveDate>) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::close(c, &id, follow_up))
}

#[tauri::command]
fn inq_followed_up(app: State<'_, App>, id: String) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::followed_up(c, &id))
}

#[tauri::command]
fn inq_spam(app: State<'_, App>, id: String) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::spam(c, &id))
}

#[tauri::command]
fn inq_playbook(app: State<'_, App>, id: String, steps: Vec<PlaybookStep>) -> IpcResult<Inquiry> {
    with(&app, |c| customers::playbook(c, &id, &steps))
}

#[tauri::command]
fn inq_exception(app: State<'_, App>, id: String, tag: ExceptionTag, decision: ExceptionDecision, note: String) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::exception(c, &id, tag, decision, &note))
}

#[tauri::command]
fn inq_templates(app: State<'_, App>) -> IpcResult<Vec<Template>> {
    with(&app, customers::templates)
}

#[tauri::command]
fn inq_render(app: State<'_, App>, id: String, template_id: String, shop_name: String) -> IpcResult<String> {
    with(&app, |c| customers::render(c, &id, &template_id, &shop_name))
}

#[tauri::command]
fn inq_template_save(app: State<'_, App>, template: Template) -> IpcResult<Template> {
    with(&app, |c| customers::save_template(c, &template))
}

#[tauri::command]
fn import_preview(app: State<'_, App>, source: migrate::ImportSource) -> IpcResult<noren_core::import::ImportPreview> {
    with(&app, |c| migrate::preview(c, &source))
}

#[tauri::command]
fn import_run(
    app: State<'_, App>,
    source: migrate::ImportSource,
    on_duplicate: noren_core::import::OnDuplicate,
) -> IpcResult<noren_core::import::ImportReport> {
    changing(&app, |c| migrate::run(c, &source, on_duplicate))
}

#[tauri::command]
fn import_csv_headers(file: String) -> IpcResult<Vec<String>> {
    migrate::csv_headers(&file)
}

#[tauri::command]
fn export_keepass(app: State<'_, App>, file: String, password: String) -> IpcResult<usize> {
    with(&app, |c| migrate::export_keepass(c, &file, &password))
}

#[tauri::command]
fn shop_get(app: State<'_, App>) -> IpcResult<ShopHours> {
    with(&app, customers::shop)
}

#[tauri::command]
fn shop_save(app: State<'_, App>, hours: ShopHours) -> IpcResult<ShopHours> {
    changing(&app, |c| customers::save_shop(c, &hours))
}

/// What a clicked notification asks the window to open.
#[derive(Clone, serde::Serialize)]
struct OpenItem {
    collection: String,
    id: String,
}

/// Evaluates reminders every minute and after each change, shows the new ones
/// as desktop notifications (even while the vault is locked), and syncs feeds
/// on their schedule.
fn reminder_loop(handle: AppHandle, rx: std::sync::mpsc::Receiver<()>) {
    let mut last_sync: Option<Instant> = None;
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
                    let _ = h.emit("noren://open", OpenItem { collection: record.collection.to_string(), id: record.id.clone() });
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
    let mut core = app.core.lock().map_err(|_| IpcError { code: "internal".into(), message: "state poisoned".into(), field: None })?;
    let (r, wrote) = core.run(f);
    drop(core);
    if wrote {
        wake(app);
    }
    r
}

#[tauri::command]
fn status(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| Ok(c.status()))
}

#[tauri::command]
fn dismiss_rollback(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| Ok(c.dismiss_rollback()))
}

#[tauri::command]
fn setup_store(app: State<'_, App>, passphrase: String) -> IpcResult<AppStatus> {
    let pass = SecretString::new(passphrase);
    with(&app, |c| c.setup(&pass))
}

#[tauri::command]
fn unlock(app: State<'_, App>, passphrase: String) -> IpcResult<AppStatus> {
    let pass = SecretString::new(passphrase);
    with(&app, |c| c.unlock(&pass))
}

#[tauri::command]
fn lock(app: State<'_, App>) -> IpcResult<AppStatus> {
    app.clipboard.clear_if(None);
    with(&app, |c| {
        c.lock();
        Ok(c.status())
    })
}

#[tauri::command]
fn open_demo(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| c.open_demo())
}

#[tauri::command]
fn leave_demo(app: State<'_, App>) -> IpcResult<AppStatus> {
    with(&app, |c| Ok(c.leave_demo()))
}

#[tauri::command]
fn activity(app: State<'_, App>) -> IpcResult<()> {
    with(&app, |c| {
        c.touch();
        Ok(())
    })
}

#[tauri::command]
fn save_settings(app: State<'_, App>, handle: AppHandle, settings: AppSettings) -> IpcResult<AppSettings> {
    let saved = with(&app, |c| c.save_settings(settings))?;
    rebuild_tray_menu(&handle, &saved.language);
    Ok(saved)
}

#[tauri::command]
fn password_strength(passphrase: String) -> Strength {
    core::strength(&SecretString::new(passphrase))
}

#[tauri::command]
fn generate_password(spec: GeneratorSpec) -> IpcResult<Generated> {
    core::generate(&spec)
}

#[tauri::command]
fn categories() -> Vec<CategoryInfo> {
    core::categories()
}

#[tauri::command]
fn cred_search(app: State<'_, App>, query: String) -> IpcResult<Vec<CredentialSummary>> {
    with(&app, |c| c.search(&query))
}

#[tauri::command]
fn cred_get(app: State<'_, App>, id: String) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.get(&id))
}

#[tauri::command]
fn cred_reveal(app: State<'_, App>, id: String) -> IpcResult<String> {
    with(&app, |c| Ok(c.secret(&id, "password")?.expose().to_string()))
}

#[tauri::command]
fn cred_add(app: State<'_, App>, input: CredentialInput) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.add(&input))
}

#[tauri::command]
fn cred_update(app: State<'_, App>, id: String, input: CredentialInput) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.update(&id, &input))
}

#[tauri::command]
fn cred_delete(app: State<'_, App>, id: String) -> IpcResult<CredentialSummary> {
    with(&app, |c| c.delete(&id))
}

#[tauri::command]
fn cred_history(app: State<'_, App>, id: String, reveal: bool) -> IpcResult<Vec<HistoryEntry>> {
    with(&app, |c| c.history(&id, reveal))
}

#[tauri::command]
fn cred_restore(app: State<'_, App>, id: String, index: usize) -> IpcResult<CredentialDetail> {
    with(&app, |c| c.restore(&id, index))
}

/// Copies login, password or the current TOTP code; returns seconds until cleared.
/// Copies a reply to paste elsewhere; refused while it still holds a （…をここに） marker.
#[tauri::command]
fn copy_reply(app: State<'_, App>, text: String) -> IpcResult<()> {
    let left = noren_core::inquiry::unfilled(&text);
    if !left.is_empty() {
        return Err(noren_core::Error::invalid("reply", format!("still to write: {}", left.join(" "))).into());
    }
    app.clipboard.copy_plain(&text).map_err(|e| IpcError { code: "clipboard".into(), message: e, field: None })
}

/// The （…をここに） markers a reply still holds.
#[tauri::command]
fn inq_unfilled(text: String) -> Vec<String> {
    noren_core::inquiry::unfilled(&text)
}

#[tauri::command]
fn cred_copy(app: State<'_, App>, id: String, what: String) -> IpcResult<u64> {
    let secret = with(&app, |c| c.secret(&id, &what))?;
    app.clipboard.copy(secret).map_err(|e| IpcError { code: "clipboard".into(), message: e, field: None })
}

/// Startup probe for benchmarks: with `NOREN_STARTUP_PROBE` set, prints the
/// wall-clock time at which the UI reports its first screen painted.
#[tauri::command]
fn ui_ready() {
    if std::env::var_os("NOREN_STARTUP_PROBE").is_some() {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        eprintln!("noren: ui ready at {ms}");
    }
}

#[tauri::command]
fn backup_info(app: State<'_, App>) -> IpcResult<BackupInfo> {
    with_backup(&app, |c| c.backup_info())
}

#[tauri::command]
fn backup_configure(app: State<'_, App>, auto_dir: Option<String>, keep: u32, recipients: Vec<String>) -> IpcResult<BackupInfo> {
    with_backup(&app, |c| c.backup_configure(auto_dir, keep, recipients))
}

#[tauri::command]
fn backup_now(app: State<'_, App>) -> IpcResult<AutoReport> {
    with_backup(&app, |c| c.backup_now())
}

#[tauri::command]
fn backup_export(app: State<'_, App>, file: String) -> IpcResult<Report> {
    with_backup(&app, |c| c.backup_export(&file))
}

#[tauri::command]
fn backup_verify(app: State<'_, App>, file: String, passphrase: Option<String>, identity: Option<String>) -> IpcResult<Report> {
    with_backup(&app, |c| c.backup_verify(&file, passphrase.as_deref(), identity.as_deref()))
}

#[tauri::command]
fn backup_restore(
    app: State<'_, App>,
    file: String,
    passphrase: Option<String>,
    identity: Option<String>,
    into: String,
    new_passphrase: Option<String>,
) -> IpcResult<AppStatus> {
    with_backup(&app, |c| c.backup_restore(&file, passphrase.as_deref(), identity.as_deref(), &into, new_passphrase.as_deref()))
}

#[tauri::command]
fn due_items(app: State<'_, App>) -> IpcResult<Vec<DueItem>> {
    with(&app, |c| c.due())
}

fn tray_labels(lang: &str) -> [&'static str; 3] {
    if lang == "en" {
        ["Open Noren", "Lock", "Quit"]
    } else {
        ["Noren を開く", "ロックする", "終了"]
    }
}

fn tray_menu(handle: &AppHandle, lang: &str) -> tauri::Result<Menu<tauri::Wry>> {
    let [open, lock, quit] = tray_labels(lang);
    Menu::with_items(
        handle,
        &[
            &MenuItem::with_id(handle, "open", open, true, None::<&str>)?,
            &MenuItem::with_id(handle, "lock", lock, true, None::<&str>)?,
            &MenuItem::with_id(handle, "quit", quit, true, None::<&str>)?,
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

/// Starts the window. Returns the process exit code.
pub fn run() -> i32 {
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
    let lang = core.settings().language.clone();
    let (wake_tx, wake_rx) = std::sync::mpsc::channel();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| show_window(app)))
        .plugin(tauri_plugin_dialog::init())
        .manage(App { core: Mutex::new(core), clipboard: clipboard::Clipboard::default(), wake: Mutex::new(wake_tx) })
        .invoke_handler(tauri::generate_handler![
            pick_path,
            show_in_folder,
            status,
            dismiss_rollback,
            setup_store,
            unlock,
            lock,
            open_demo,
            leave_demo,
            activity,
            save_settings,
            password_strength,
            generate_password,
            categories,
            cred_search,
            cred_get,
            cred_reveal,
            cred_add,
            cred_update,
            cred_delete,
            cred_history,
            cred_restore,
            cred_copy,
            copy_reply,
            inq_unfilled,
            due_items,
            ui_ready,
            backup_info,
            backup_configure,
            backup_now,
            backup_export,
            backup_verify,
            backup_restore,
            cal_overview,
            cal_channel_add,
            cal_channel_update,
            cal_channel_delete,
            cal_posts,
            cal_posts_between,
            cal_post_log,
            cal_post_plan,
            cal_post_done,
            cal_post_update,
            cal_post_delete,
            cal_ics_export,
            cal_ics_suggested,
            cal_feed_sync,
            notify_settings,
            notify_save_settings,
            notify_snooze,
            timer_status,
            timer_install,
            timer_remove,
            ppl_overview,
            ppl_add,
            ppl_depart,
            ppl_review,
            guide_progress,
            ppl_clear_unreviewed,
            ppl_remove,
            audit,
            kit_sheet,
            kit_make,
            change_passphrase,
            kit_recover,
            recover_snapshot,
            vnd_list,
            vnd_save,
            vnd_delete,
            vnd_who,
            ren_list,
            ren_save,
            ren_done,
            ren_delete,
            ren_stages,
            ren_check,
            inc_list,
            inc_get,
            inc_save,
            inc_log,
            inc_action,
            inc_action_done,
            inc_close,
            inc_delete,
            inc_report,
            inc_report_save,
            cust_list,
            cust_get,
            cust_add,
            cust_update,
            cust_delete,
            cust_import_preview,
            cust_import,
            inq_list,
            inq_get,
            inq_add,
            inq_reply,
            inq_close,
            inq_followed_up,
            inq_spam,
            inq_playbook,
            inq_exception,
            inq_templates,
            inq_render,
            inq_template_save,
            import_preview,
            import_run,
            import_csv_headers,
            export_keepass,
            shop_get,
            shop_save
        ])
        .setup(move |app| {
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
