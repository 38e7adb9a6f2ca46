//! Desktop notifications for both front ends (the window's reminder loop, `noren-cli check
//! --notify`): which due items to show now, and what to note once shown or snoozed. A shop with
//! several laptops is told once: what another laptop showed today or snoozed counts here too
//! (`sync::notices`), also while the vault is locked.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use noren_adapters::sync::notices::{self, Notices};
use noren_base::error::{Error, Result};
use noren_reminders::engine::DueItem;
use noren_reminders::notify::{self, NotifyState};
use noren_store::store::Store;

/// This laptop's notification state with what the other laptops of the shop showed today and
/// snoozed. A shared folder that cannot be read costs nothing here: this laptop's own state.
fn state_with_others(store: &Store, now: DateTime<Utc>, tz: Tz) -> Result<NotifyState> {
    let mut state = notify::load_state(store)?;
    let today = now.with_timezone(&tz).date_naive();
    let others = notices::read_others(store, today).unwrap_or_default();
    for k in others.shown {
        let d = state.shown.entry(k).or_insert(today);
        *d = (*d).max(today);
    }
    for (k, until) in others.snoozed {
        let u = state.snoozed.entry(k).or_insert(until);
        *u = (*u).max(until);
    }
    Ok(state)
}

/// The items to show as notifications now: not shown today on any laptop of the shop, not
/// snoozed on any, not in quiet hours. The caller shows them, then calls `shown`.
pub fn to_show(store: &Store, items: &[DueItem], now: DateTime<Utc>, tz: Tz) -> Result<Vec<DueItem>> {
    let settings = notify::load_settings(store)?;
    let state = state_with_others(store, now, tz)?;
    Ok(notify::select(items, &state, &settings, now, tz).into_iter().cloned().collect())
}

/// Notes that `keys` were shown now, here and for the other laptops.
pub fn shown(store: &Store, keys: &[String], now: DateTime<Utc>, tz: Tz) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    notify::mark_shown(store, keys, now, tz)?;
    tell_others(store, now, tz)
}

/// Snoozes an item here and on the other laptops. Returns until when.
pub fn snooze(store: &Store, key: &str, days: i64, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>> {
    let until = notify::snooze(store, key, days, now)?;
    tell_others(store, now, tz)?;
    Ok(until)
}

/// This laptop's notices file: what it showed today and its running snoozes. A folder that cannot
/// take it (gone, full) is not an error: the notification was shown and noted here.
fn tell_others(store: &Store, now: DateTime<Utc>, tz: Tz) -> Result<()> {
    let state = notify::load_state(store)?;
    let today = now.with_timezone(&tz).date_naive();
    let mine = Notices {
        shown: state.shown.iter().filter(|(_, d)| **d == today).map(|(k, _)| k.clone()).collect(),
        day: Some(today),
        snoozed: state.snoozed.into_iter().filter(|(_, until)| *until > now).collect(),
    };
    match notices::write_own(store, &mine) {
        Ok(()) => Ok(()),
        Err(Error::DiskFull { .. } | Error::ReadOnly(_) | Error::Io { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}
