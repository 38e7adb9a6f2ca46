//! The posting calendar, notifications and the reminder timer as the app
//! offers them. Thin: every rule is in `noren_core::{calendar, feed, notify, timer}`.

use chrono::{DateTime, Utc};
use noren_core::alerts;
use noren_core::calendar::{self, Channel, ChannelInput, ChannelView, Post, PostInput};
use noren_core::feed::{self, FetchOptions, SyncReport};
use noren_core::notify::{self, NotifySettings};
use noren_core::reminders::DueItem;
use noren_core::timer::{self, TimerStatus};
use noren_core::Error;
use serde::Serialize;
use ts_rs::TS;

use crate::core::{shop_zone, AppCore, IpcError, IpcResult};

pub fn overview(c: &mut AppCore) -> IpcResult<Vec<ChannelView>> {
    let store = c.store_unlocked()?;
    Ok(calendar::overview(store, Utc::now(), shop_zone(store)?)?)
}

pub fn channel_add(c: &mut AppCore, input: &ChannelInput) -> IpcResult<Channel> {
    let ch = calendar::add_channel(c.store_unlocked()?, input, Utc::now())?;
    Ok(ch)
}

pub fn channel_update(c: &mut AppCore, id: &str, input: &ChannelInput) -> IpcResult<Channel> {
    let ch = calendar::edit_channel(c.store_unlocked()?, id, input, Utc::now())?;
    Ok(ch)
}

pub fn channel_delete(c: &mut AppCore, id: &str) -> IpcResult<usize> {
    let (_, n) = calendar::remove_channel(c.store_unlocked()?, id)?;
    Ok(n)
}

pub fn posts(c: &mut AppCore, channel_id: &str) -> IpcResult<Vec<Post>> {
    let store = c.store_unlocked()?;
    let ch = calendar::resolve_channel(store, channel_id)?;
    Ok(calendar::posts_of(store, &ch.id)?)
}

/// Posts of every channel between two instants (the calendar's visible range).
pub fn posts_between(c: &mut AppCore, from: DateTime<Utc>, to: DateTime<Utc>) -> IpcResult<Vec<Post>> {
    if to < from || (to - from).num_days() > 400 {
        return Err(Error::invalid("range", "choose at most about a year").into());
    }
    let mut v: Vec<Post> = c.store_unlocked()?.all::<Post>()?.into_iter().filter(|p| p.at >= from && p.at < to).collect();
    v.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    Ok(v)
}

pub fn post_log(c: &mut AppCore, channel_id: &str, input: &PostInput) -> IpcResult<Post> {
    let p = calendar::log_post(c.store_unlocked()?, channel_id, input, Utc::now())?;
    Ok(p)
}

pub fn post_plan(c: &mut AppCore, channel_id: &str, input: &PostInput) -> IpcResult<Post> {
    let store = c.store_unlocked()?;
    let p = calendar::plan_post(store, channel_id, input, shop_zone(store)?, Utc::now())?;
    Ok(p)
}

pub fn post_done(c: &mut AppCore, id: &str) -> IpcResult<Post> {
    let p = calendar::complete_post(c.store_unlocked()?, id, None, Utc::now())?;
    Ok(p)
}

pub fn post_update(c: &mut AppCore, id: &str, input: &PostInput) -> IpcResult<Post> {
    let store = c.store_unlocked()?;
    let p = calendar::edit_post(store, id, input, shop_zone(store)?, Utc::now())?;
    Ok(p)
}

pub fn post_delete(c: &mut AppCore, id: &str) -> IpcResult<Post> {
    let p = calendar::remove_post(c.store_unlocked()?, id)?;
    Ok(p)
}

/// Writes the planned posts as an .ics file; returns the path written.
pub fn ics_export(c: &mut AppCore, path: &str) -> IpcResult<String> {
    let Some(p) = crate::typed(path) else {
        return Err(Error::invalid("file", "choose where to save the file").into());
    };
    let store = c.store_unlocked()?;
    let text = calendar::ics(&store.all()?, &store.all()?, Utc::now());
    noren_core::files::write(&p, text.as_bytes(), noren_core::files::Existing::Replace)?;
    Ok(p.display().to_string())
}

pub fn suggested_ics_path() -> String {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join("noren-posting-plan.ics").display().to_string()
}

/// The outcome of one channel's sync, for the UI.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SyncOutcome {
    pub channel_id: String,
    pub ok: bool,
    pub report: Option<SyncReport>,
    pub error: Option<IpcError>,
}

/// Channels to sync: one, or every channel with a feed or a blog address.
pub fn feed_targets(c: &mut AppCore, channel_id: Option<&str>, locked_ok: bool) -> IpcResult<Vec<feed::Target>> {
    let store = if locked_ok { c.store_any().ok_or(IpcError::from(Error::Locked))? } else { c.store_unlocked()? };
    Ok(feed::targets(store, channel_id)?)
}

/// Fetches outside any lock (a blog's feed is found from its address).
pub fn fetch(t: &feed::Target) -> noren_core::Result<(String, Vec<u8>)> {
    feed::fetch_target(t, FetchOptions::default())
}

pub fn feed_apply(c: &mut AppCore, channel_id: &str, fetched: noren_core::Result<(String, Vec<u8>)>) -> SyncOutcome {
    let Some(store) = c.store_any() else {
        return SyncOutcome { channel_id: channel_id.into(), ok: false, report: None, error: Some(Error::Locked.into()) };
    };
    match feed::apply_found(store, channel_id, fetched, Utc::now()) {
        Ok(r) => SyncOutcome { channel_id: channel_id.into(), ok: true, report: Some(r), error: None },
        Err(e) => SyncOutcome { channel_id: channel_id.into(), ok: false, report: None, error: Some(e.into()) },
    }
}

pub fn notify_settings(c: &mut AppCore) -> IpcResult<NotifySettings> {
    Ok(notify::load_settings(c.store_unlocked()?)?)
}

pub fn save_notify_settings(c: &mut AppCore, s: &NotifySettings) -> IpcResult<NotifySettings> {
    let store = c.store_unlocked()?;
    notify::save_settings(store, s)?;
    Ok(notify::load_settings(store)?)
}

pub fn snooze(c: &mut AppCore, key: &str, days: i64) -> IpcResult<DateTime<Utc>> {
    let store = c.store_unlocked()?;
    Ok(alerts::snooze(store, key, days, Utc::now(), shop_zone(store)?)?)
}

pub fn timer_status(c: &mut AppCore) -> IpcResult<TimerStatus> {
    c.store_unlocked()?;
    Ok(timer::status(&c.config_home(), true))
}

/// The noren-cli to run from the timer: next to the app, else on PATH.
fn find_cli() -> IpcResult<std::path::PathBuf> {
    let exe = std::env::current_exe().ok();
    let beside = exe.as_ref().and_then(|e| e.parent()).map(|d| d.join("noren-cli"));
    let on_path = std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join("noren-cli")).find(|p| p.is_file()));
    beside.filter(|p| p.is_file()).or(on_path).ok_or_else(|| {
        Error::invalid("cli", "noren-cli was not found next to Noren or on PATH (install the noren-cli package or binary first)").into()
    })
}

pub fn timer_install(c: &mut AppCore) -> IpcResult<TimerStatus> {
    let cli = find_cli()?;
    let home = c.config_home();
    let lang = c.settings().language.clone();
    let store = c.store_unlocked()?;
    Ok(timer::install(store, &cli, &home, &lang, std::env::var_os("NOREN_TIMER_NO_SYSTEMCTL").is_none())?)
}

pub fn timer_remove(c: &mut AppCore) -> IpcResult<TimerStatus> {
    c.store_unlocked()?;
    Ok(timer::remove(&c.config_home(), std::env::var_os("NOREN_TIMER_NO_SYSTEMCTL").is_none())?)
}

/// Due items to show as notifications now (marked shown). Works while the vault is locked.
pub fn to_notify(c: &mut AppCore, now: DateTime<Utc>) -> Vec<DueItem> {
    let Ok(items) = c.due_at(now) else { return Vec::new() };
    let Some(store) = c.store_any() else { return Vec::new() };
    let Ok(tz) = shop_zone(store) else { return Vec::new() };
    let Ok(chosen) = alerts::to_show(store, &items, now, tz) else { return Vec::new() };
    let keys: Vec<String> = chosen.iter().map(|i| i.key.clone()).collect();
    if let Err(e) = alerts::shown(store, &keys, now, tz) {
        eprintln!("noren: cannot record notifications: {}", e.code());
        return Vec::new();
    }
    chosen
}

/// Hours between scheduled feed syncs (0 = off), readable while locked.
pub fn sync_hours(c: &AppCore) -> u32 {
    c.store_any().and_then(|s| notify::load_settings(s).ok()).map(|n| n.sync_hours).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use chrono::Duration;
    use noren_core::calendar::ChannelKind;
    use noren_core::SecretString;

    fn lapsed_channel(c: &mut AppCore) -> String {
        let input = ChannelInput { kind: Some(ChannelKind::Blog), name: Some("ブログ".into()), ..Default::default() };
        let ch = channel_add(c, &input).unwrap();
        for d in [40, 37, 34, 31, 28, 25, 22] {
            post_log(c, &ch.id, &PostInput { at: Some(Utc::now() - Duration::days(d)), ..Default::default() }).unwrap();
        }
        ch.id
    }

    #[test]
    fn reminders_fire_while_the_vault_is_locked_once_a_day() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = AppCore::new(tmp.path().join("store"), tmp.path().join("config/noren/settings.json"));
        c.setup(&SecretString::new("shop passphrase")).unwrap();
        let id = lapsed_channel(&mut c);
        // Quiet hours off, so the test does not depend on the time of day.
        let ns = NotifySettings { quiet_start: "00:00".into(), quiet_end: "00:00".into(), ..Default::default() };
        save_notify_settings(&mut c, &ns).unwrap();
        assert!(c.lock());
        // Vault commands fail, calendar reminders still evaluate.
        assert_eq!(overview(&mut c).unwrap_err().code, "locked");
        let now = Utc::now();
        let items = to_notify(&mut c, now);
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0].record.id, id);
        assert!(to_notify(&mut c, now + Duration::minutes(5)).is_empty(), "once per day");
    }

    #[test]
    fn timer_key_opens_the_calendar_at_start_up() {
        let tmp = tempfile::tempdir().unwrap();
        let settings = tmp.path().join("config/noren/settings.json");
        let mut c = AppCore::new(tmp.path().join("store"), settings.clone());
        c.setup(&SecretString::new("shop passphrase")).unwrap();
        lapsed_channel(&mut c);
        let home = c.config_home();
        let store = c.store_unlocked().unwrap();
        let st = timer::install(store, &std::env::current_exe().unwrap(), &home, "ja", false).unwrap();
        assert!(st.key_path.starts_with(tmp.path()));
        drop(c);
        // A new app start: nobody has typed the passphrase, yet reminders are available.
        let mut again = AppCore::new(tmp.path().join("store"), settings);
        assert_eq!(again.status().phase, crate::core::Phase::Locked);
        assert_eq!(again.due().unwrap().len(), 1);
        again.unlock(&SecretString::new("shop passphrase")).unwrap();
        assert_eq!(overview(&mut again).unwrap().len(), 1);
    }
}
