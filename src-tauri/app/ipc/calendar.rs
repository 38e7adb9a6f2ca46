//! The window's commands: the posting calendar: channels, posts, feeds, .ics; notifications and the reminder timer.

#[allow(unused_imports)]
use crate::*;

#[tauri::command]
pub fn cal_overview(app: State<'_, App>) -> IpcResult<Vec<ChannelView>> {
    with(&app, calendar::overview)
}

#[tauri::command]
pub fn cal_channel_add(app: State<'_, App>, input: ChannelInput) -> IpcResult<Channel> {
    changing(&app, |c| calendar::channel_add(c, &input))
}

#[tauri::command]
pub fn cal_channel_update(app: State<'_, App>, id: String, input: ChannelInput) -> IpcResult<Channel> {
    changing(&app, |c| calendar::channel_update(c, &id, &input))
}

#[tauri::command]
pub fn cal_channel_delete(app: State<'_, App>, id: String) -> IpcResult<usize> {
    changing(&app, |c| calendar::channel_delete(c, &id))
}

#[tauri::command]
pub fn cal_posts(app: State<'_, App>, channel_id: String) -> IpcResult<Vec<Post>> {
    with(&app, |c| calendar::posts(c, &channel_id))
}

#[tauri::command]
pub fn cal_posts_between(
    app: State<'_, App>,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> IpcResult<Vec<Post>> {
    with(&app, |c| calendar::posts_between(c, from, to))
}

#[tauri::command]
pub fn cal_post_log(app: State<'_, App>, channel_id: String, input: PostInput) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_log(c, &channel_id, &input))
}

#[tauri::command]
pub fn cal_post_plan(app: State<'_, App>, channel_id: String, input: PostInput) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_plan(c, &channel_id, &input))
}

#[tauri::command]
pub fn cal_post_done(app: State<'_, App>, id: String) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_done(c, &id))
}

#[tauri::command]
pub fn cal_post_update(app: State<'_, App>, id: String, input: PostInput) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_update(c, &id, &input))
}

#[tauri::command]
pub fn cal_post_delete(app: State<'_, App>, id: String) -> IpcResult<Post> {
    changing(&app, |c| calendar::post_delete(c, &id))
}

#[tauri::command]
pub fn cal_ics_export(app: State<'_, App>, file: String) -> IpcResult<String> {
    with(&app, |c| calendar::ics_export(c, &file))
}

#[tauri::command]
pub fn cal_ics_suggested() -> String {
    calendar::suggested_ics_path()
}

/// Fetches feeds without holding the state lock, then records them.
#[tauri::command]
pub async fn cal_feed_sync(handle: AppHandle, channel_id: Option<String>) -> IpcResult<Vec<calendar::SyncOutcome>> {
    let app = handle.state::<App>();
    let targets = with(&app, |c| calendar::feed_targets(c, channel_id.as_deref(), false))?;
    let out = sync_targets(&handle, targets);
    wake(&app);
    Ok(out)
}

#[tauri::command]
pub fn notify_settings(app: State<'_, App>) -> IpcResult<NotifySettings> {
    with(&app, calendar::notify_settings)
}

#[tauri::command]
pub fn notify_save_settings(app: State<'_, App>, settings: NotifySettings) -> IpcResult<NotifySettings> {
    changing(&app, |c| calendar::save_notify_settings(c, &settings))
}

#[tauri::command]
pub fn notify_snooze(app: State<'_, App>, key: String, days: i64) -> IpcResult<chrono::DateTime<chrono::Utc>> {
    with(&app, |c| calendar::snooze(c, &key, days))
}

#[tauri::command]
pub fn timer_status(app: State<'_, App>) -> IpcResult<TimerStatus> {
    with(&app, calendar::timer_status)
}

#[tauri::command]
pub fn timer_install(app: State<'_, App>) -> IpcResult<TimerStatus> {
    with(&app, calendar::timer_install)
}

#[tauri::command]
pub fn timer_remove(app: State<'_, App>) -> IpcResult<TimerStatus> {
    with(&app, calendar::timer_remove)
}
