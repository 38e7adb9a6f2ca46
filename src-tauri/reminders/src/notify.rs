//! Desktop notifications for due items: which to show now (once per item per
//! local day, not while snoozed, not in quiet hours) and how to show them
//! (notify-rust over D-Bus). The state lives in the calendar compartment, so
//! the app and `noren-cli check --notify` share it and never repeat each other.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engine::DueItem;
use noren_base::error::{Error, Result};
use noren_store::store::{Compartment, Record, Store};

/// Notification preferences (calendar tree "settings", id "notify").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct NotifySettings {
    pub id: String,
    pub enabled: bool,
    /// "HH:MM" local time; no notifications from `quiet_start` to `quiet_end`.
    pub quiet_start: String,
    pub quiet_end: String,
    /// Feed sync interval of the running app, in hours (0 = only on demand).
    pub sync_hours: u32,
    /// Days before a renewal at which it is announced (largest first); empty: 90/30/14/7/1.
    pub renewal_stages: Vec<i64>,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            id: "notify".into(),
            enabled: true,
            quiet_start: "21:00".into(),
            quiet_end: "08:00".into(),
            sync_hours: 6,
            renewal_stages: vec![90, 30, 14, 7, 1],
        }
    }
}

impl Record for NotifySettings {
    const TREE: &'static str = "settings";
    const COMPARTMENT: Compartment = Compartment::Calendar;
    const WHAT: &'static str = "settings";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::line("quiet_start", &self.quiet_start, 16)?;
        v::line("quiet_end", &self.quiet_end, 16)?;
        if self.renewal_stages.len() > 20 {
            return Err(noren_base::Error::invalid("renewal_stages", "at most 20 stages"));
        }
        Ok(())
    }
}

pub fn parse_hhmm(field: &'static str, value: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(value.trim(), "%H:%M")
        .map_err(|_| Error::invalid(field, format!("{value:?} is not a time (use HH:MM, e.g. 21:00)")))
}

impl NotifySettings {
    pub fn validate(&self) -> Result<()> {
        parse_hhmm("quiet_start", &self.quiet_start)?;
        parse_hhmm("quiet_end", &self.quiet_end)?;
        if self.renewal_stages.len() > 10 || self.renewal_stages.iter().any(|d| !(1..=365).contains(d)) {
            return Err(Error::invalid("renewal_stages", "up to 10 stages, each 1 to 365 days before the date"));
        }
        if self.sync_hours > 24 * 7 {
            return Err(Error::invalid("sync_hours", "at most 168 hours (a week)"));
        }
        Ok(())
    }

    /// Whether local time `t` is inside quiet hours (the span may cross midnight).
    pub fn is_quiet(&self, t: NaiveTime) -> bool {
        let (Ok(s), Ok(e)) = (parse_hhmm("quiet_start", &self.quiet_start), parse_hhmm("quiet_end", &self.quiet_end)) else {
            return false;
        };
        if s == e {
            false
        } else if s < e {
            s <= t && t < e
        } else {
            t >= s || t < e
        }
    }
}

pub fn load_settings(store: &Store) -> Result<NotifySettings> {
    Ok(store.get::<NotifySettings>("notify")?.unwrap_or_default())
}

pub fn save_settings(store: &Store, s: &NotifySettings) -> Result<()> {
    s.validate()?;
    let mut s = s.clone();
    s.id = "notify".into();
    s.renewal_stages.sort_unstable_by(|a, b| b.cmp(a));
    s.renewal_stages.dedup();
    store.put(&s)
}

/// What was shown when, and what is snoozed (calendar tree "reminder_state").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotifyState {
    pub id: String,
    /// Item key → the local day it was last shown.
    pub shown: BTreeMap<String, NaiveDate>,
    /// Item key → not before this instant.
    pub snoozed: BTreeMap<String, DateTime<Utc>>,
}

impl Record for NotifyState {
    const TREE: &'static str = "reminder_state";
    const COMPARTMENT: Compartment = Compartment::Calendar;
    const WHAT: &'static str = "reminder state";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        let _ = v::MAX_ENTRIES;
        if self.shown.len() > 100_000 || self.snoozed.len() > 100_000 {
            return Err(noren_base::Error::invalid("notify", "too many entries"));
        }
        Ok(())
    }
}

pub fn load_state(store: &Store) -> Result<NotifyState> {
    Ok(store.get::<NotifyState>("state")?.unwrap_or_else(|| NotifyState { id: "state".into(), ..Default::default() }))
}

/// The items to show now. Pure: the caller marks them shown after showing them.
pub fn select<'a>(items: &'a [DueItem], state: &NotifyState, settings: &NotifySettings, now: DateTime<Utc>, tz: Tz) -> Vec<&'a DueItem> {
    if !settings.enabled {
        return Vec::new();
    }
    let local = now.with_timezone(&tz);
    if settings.is_quiet(local.time()) {
        return Vec::new();
    }
    let today = local.date_naive();
    items
        .iter()
        .filter(|i| state.snoozed.get(&i.key).is_none_or(|until| now >= *until))
        .filter(|i| state.shown.get(&i.key).is_none_or(|d| *d < today))
        .collect()
}

/// Records that `keys` were shown today, forgetting entries older than 60 days.
pub fn mark_shown(store: &Store, keys: &[String], now: DateTime<Utc>, tz: Tz) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let mut st = load_state(store)?;
    let today = now.with_timezone(&tz).date_naive();
    for k in keys {
        st.shown.insert(k.clone(), today);
    }
    st.shown.retain(|_, d| today - *d <= Duration::days(60));
    st.snoozed.retain(|_, until| *until > now);
    store.put(&st)
}

/// Snoozes an item (all its stages share the prefix before the last `:` for lapses).
pub fn snooze(store: &Store, key: &str, days: i64, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if key.trim().is_empty() || key.len() > 256 {
        return Err(Error::invalid("key", "not a reminder key"));
    }
    if !(1..=365).contains(&days) {
        return Err(Error::invalid("days", "snooze for 1 to 365 days"));
    }
    let mut st = load_state(store)?;
    let until = now + Duration::days(days);
    st.snoozed.insert(key.to_string(), until);
    store.put(&st)?;
    Ok(until)
}

/// Which language a notification is written in: the catalogue's.
pub use noren_base::messages::Lang;
use noren_base::messages::{text as catalogue_text, Message};

/// A notification's summary and body, from the catalogue (`notify-<kind>` names the kind).
pub fn text(item: &DueItem, lang: Lang) -> (String, String) {
    let what = Message::of_enum("notify", &item.kind);
    (Message::new("notify-summary").with_message("what", what).text(lang), item.title.text(lang))
}

/// Shows one notification through the session's notification server. With
/// `on_click`, waits (on the calling thread) for the user to click it and
/// calls `on_click` with the item's key.
pub fn show(item: &DueItem, lang: Lang, on_click: Option<&dyn Fn(&str)>) -> Result<()> {
    let (summary, body) = text(item, lang);
    let mut n = notify_rust::Notification::new();
    n.appname("Noren").summary(&summary).body(&body).icon("jp.noren.desktop");
    if on_click.is_some() {
        n.action("default", &catalogue_text(lang, "notify-open"));
    }
    let urgency = match item.severity {
        crate::engine::Severity::Urgent => notify_rust::Urgency::Critical,
        crate::engine::Severity::Warning => notify_rust::Urgency::Normal,
        crate::engine::Severity::Info => notify_rust::Urgency::Low,
    };
    n.urgency(urgency);
    let handle = n.show().map_err(|e| Error::Network(format!("could not show a desktop notification: {e}")))?;
    if let Some(cb) = on_click {
        let key = item.key.clone();
        handle.wait_for_action(|action| {
            if action == "default" {
                cb(&key);
            }
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Kind, RecordRef, Severity};
    use chrono::TimeZone;

    fn item(key: &str) -> DueItem {
        DueItem {
            key: key.into(),
            kind: Kind::PostingLapse,
            severity: Severity::Warning,
            due_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
            title: Message::new("due-rotation").with("name", "t"),
            record: RecordRef { collection: crate::engine::Collection::Channels, id: "c".into() },
            why: None,
            when: crate::engine::When::Later,
        }
    }

    #[test]
    fn quiet_hours_cross_midnight() {
        let s = NotifySettings::default();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert!(s.is_quiet(t(21, 0)) && s.is_quiet(t(23, 59)) && s.is_quiet(t(0, 0)) && s.is_quiet(t(7, 59)));
        assert!(!s.is_quiet(t(8, 0)) && !s.is_quiet(t(20, 59)) && !s.is_quiet(t(12, 0)));
        let day = NotifySettings { quiet_start: "12:00".into(), quiet_end: "13:00".into(), ..Default::default() };
        assert!(day.is_quiet(t(12, 30)) && !day.is_quiet(t(13, 0)));
        assert!(NotifySettings { quiet_start: "25:00".into(), ..Default::default() }.validate().is_err());
    }

    #[test]
    fn once_per_local_day_not_when_snoozed_not_at_night() {
        let tz = chrono_tz::Asia::Tokyo;
        let items = vec![item("a"), item("b")];
        let mut st = NotifyState::default();
        let s = NotifySettings::default();
        // 2026-11-22 10:00 Tokyo = 01:00 UTC.
        let morning = Utc.with_ymd_and_hms(2026, 11, 22, 1, 0, 0).unwrap();
        assert_eq!(select(&items, &st, &s, morning, tz).len(), 2);
        st.shown.insert("a".into(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        st.snoozed.insert("b".into(), morning + Duration::days(1));
        assert!(select(&items, &st, &s, morning, tz).is_empty());
        // Next morning: both again (the snooze has ended).
        let next = morning + Duration::days(1);
        assert_eq!(select(&items, &st, &s, next, tz).len(), 2);
        // 22:00 Tokyo: quiet hours.
        let night = Utc.with_ymd_and_hms(2026, 11, 22, 13, 0, 0).unwrap();
        assert!(select(&items, &NotifyState::default(), &s, night, tz).is_empty());
        let off = NotifySettings { enabled: false, ..Default::default() };
        assert!(select(&items, &NotifyState::default(), &off, morning, tz).is_empty());
    }
}
