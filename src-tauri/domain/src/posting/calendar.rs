//! The posting calendar: channels (blog, Instagram, LINE, …) and their posts,
//! done or planned. Both live in the calendar compartment, so reminders about
//! them still work while the vault is locked.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::posting::rhythm::{self, Assessment, Status};
use noren_base::error::{Error, Result};
use noren_base::validate::{normalize_url, opt_text, MAX_NOTES, MAX_SHORT};
use noren_store::store::{new_id, Compartment, Record, Store};
use {crate::posting::facts::Timeline, crate::posting::facts::Timelines};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ChannelKind {
    Blog,
    Instagram,
    Facebook,
    X,
    Line,
    Gbp,
    Youtube,
    Tiktok,
    Other,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 9] = [
        ChannelKind::Blog,
        ChannelKind::Instagram,
        ChannelKind::Facebook,
        ChannelKind::X,
        ChannelKind::Line,
        ChannelKind::Gbp,
        ChannelKind::Youtube,
        ChannelKind::Tiktok,
        ChannelKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Blog => "blog",
            ChannelKind::Instagram => "instagram",
            ChannelKind::Facebook => "facebook",
            ChannelKind::X => "x",
            ChannelKind::Line => "line",
            ChannelKind::Gbp => "gbp",
            ChannelKind::Youtube => "youtube",
            ChannelKind::Tiktok => "tiktok",
            ChannelKind::Other => "other",
        }
    }

    /// Usual days between posts assumed until the channel has its own history.
    pub fn default_days(self) -> f64 {
        match self {
            ChannelKind::Instagram | ChannelKind::Tiktok | ChannelKind::X => 3.0,
            ChannelKind::Blog | ChannelKind::Facebook | ChannelKind::Gbp | ChannelKind::Other => 7.0,
            ChannelKind::Line | ChannelKind::Youtube => 14.0,
        }
    }
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ChannelKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        ChannelKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            Error::invalid("kind", format!("{s:?} is not a channel kind (blog, instagram, facebook, x, line, gbp, youtube, tiktok, other)"))
        })
    }
}

/// Days (local dates, inclusive) when silence is expected, e.g. New Year holidays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuietPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(default)]
    pub note: String,
}

/// The outcome of the last feed sync, shown next to the channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncInfo {
    pub at: DateTime<Utc>,
    pub ok: bool,
    /// Error code when the sync failed (`network`, `not_a_feed`, …).
    #[serde(default)]
    pub code: Option<String>,
    pub message: String,
    pub new_items: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Channel {
    pub id: String,
    pub kind: ChannelKind,
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub feed_url: Option<String>,
    /// The owner's target: one post every this many days.
    #[serde(default)]
    pub target_days: Option<f64>,
    /// Who posts (a name).
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub paused: bool,
    #[serde(default)]
    pub quiet_periods: Vec<QuietPeriod>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub last_sync: Option<SyncInfo>,
}

impl Record for Channel {
    const TREE: &'static str = "channels";
    const COMPARTMENT: Compartment = Compartment::Calendar;
    const WHAT: &'static str = "channel";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::required("name", &self.name, MAX_SHORT)?;
        v::stored_address("url", &self.url, normalize_url)?;
        v::stored_address("feed_url", &self.feed_url, normalize_url)?;
        if self.target_days.is_some_and(|d| !d.is_finite() || d <= 0.0 || d > 3660.0) {
            return Err(Error::invalid("rhythm", "is not a number of days"));
        }
        v::opt_line("owner", &self.owner, MAX_SHORT)?;
        v::entries("quiet_periods", &self.quiet_periods)?;
        for p in &self.quiet_periods {
            v::date("quiet_periods", &p.from)?;
            v::date("quiet_periods", &p.to)?;
            v::line("quiet_periods", &p.note, MAX_SHORT)?;
        }
        v::instant("created_at", &self.created_at)?;
        v::instant("updated_at", &self.updated_at)?;
        if let Some(s) = &self.last_sync {
            v::instant("last_sync", &s.at)?;
            v::text("last_sync", &s.message)?;
        }
        Ok(())
    }
}

pub use crate::posting::post::{Post, PostSource, PostStatus};

/// A target rhythm as the owner says it: "3" or "every 3 days", "2/week" or "週2回".
pub fn parse_rhythm(value: &str) -> Result<Option<f64>> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        return Ok(None);
    }
    let bad = || Error::invalid("rhythm", format!("{value:?} is not a rhythm (e.g. \"3\" for every 3 days, or \"2/week\")"));
    let num = |s: &str| -> Result<f64> {
        let n: f64 = s.trim().parse().map_err(|_| bad())?;
        if !(n.is_finite() && n > 0.0 && n <= 366.0) {
            return Err(bad());
        }
        Ok(n)
    };
    let per_week = v
        .strip_suffix("/week")
        .or_else(|| v.strip_suffix("/w"))
        .or_else(|| v.strip_suffix("x/week"))
        .or_else(|| v.strip_prefix("週").and_then(|s| s.strip_suffix('回')));
    if let Some(n) = per_week {
        let n = num(n.trim_end_matches('x'))?;
        if n > 50.0 {
            return Err(bad());
        }
        return Ok(Some(7.0 / n));
    }
    let every = v
        .strip_prefix("every ")
        .map(|s| s.trim_end_matches("days").trim_end_matches("day").trim())
        .or_else(|| v.strip_suffix("日ごと"))
        .or_else(|| v.strip_suffix('d'))
        .unwrap_or(&v);
    Ok(Some(num(every)?))
}

/// What the user types to create or change a channel (patch semantics on edit:
/// `None` keeps, `Some("")` clears).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ChannelInput {
    pub kind: Option<ChannelKind>,
    pub name: Option<String>,
    pub url: Option<String>,
    pub feed_url: Option<String>,
    /// See [`parse_rhythm`].
    pub rhythm: Option<String>,
    pub owner: Option<String>,
    pub paused: Option<bool>,
    pub quiet_periods: Option<Vec<QuietPeriod>>,
}

fn check_quiet(periods: &[QuietPeriod]) -> Result<()> {
    if periods.len() > 100 {
        return Err(Error::invalid("quiet_periods", "at most 100 periods"));
    }
    for p in periods {
        if p.to < p.from {
            return Err(Error::invalid("quiet_periods", format!("{} ends before it starts ({})", p.to, p.from)));
        }
        if (p.to - p.from).num_days() > 366 {
            return Err(Error::invalid("quiet_periods", "a quiet period lasts at most a year (pause the channel instead)"));
        }
        noren_base::validate::check_text("quiet_periods", &p.note, MAX_SHORT, false)?;
    }
    Ok(())
}

impl Channel {
    fn apply(&mut self, input: &ChannelInput, now: DateTime<Utc>) -> Result<()> {
        if let Some(k) = input.kind {
            self.kind = k;
        }
        if let Some(n) = &input.name {
            self.name = opt_text("name", n, MAX_SHORT)?.ok_or_else(|| Error::invalid("name", "must not be empty"))?;
        }
        if let Some(u) = &input.url {
            self.url = normalize_url(u)?;
        }
        if let Some(u) = &input.feed_url {
            self.feed_url = normalize_url(u).map_err(|e| match e {
                Error::Invalid { reason, .. } => Error::invalid("feed_url", reason),
                other => other,
            })?;
        }
        if let Some(r) = &input.rhythm {
            self.target_days = parse_rhythm(r)?;
        }
        if let Some(o) = &input.owner {
            self.owner = opt_text("owner", o, MAX_SHORT)?;
        }
        if let Some(p) = input.paused {
            self.paused = p;
        }
        if let Some(q) = &input.quiet_periods {
            check_quiet(q)?;
            self.quiet_periods = q.clone();
        }
        self.updated_at = now;
        Ok(())
    }
}

pub fn add_channel(store: &Store, input: &ChannelInput, now: DateTime<Utc>) -> Result<Channel> {
    let kind = input.kind.ok_or_else(|| Error::invalid("kind", "choose what kind of channel this is"))?;
    if input.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::invalid("name", "must not be empty"));
    }
    let mut c = Channel {
        id: new_id()?,
        kind,
        name: String::new(),
        url: None,
        feed_url: None,
        target_days: None,
        owner: None,
        paused: false,
        quiet_periods: Vec::new(),
        created_at: now,
        updated_at: now,
        last_sync: None,
    };
    c.apply(input, now)?;
    store.put(&c)?;
    Ok(c)
}

/// A channel by id or exact name.
pub fn resolve_channel(store: &Store, key: &str) -> Result<Channel> {
    let key = key.trim();
    if let Some(c) = store.get::<Channel>(key)? {
        return Ok(c);
    }
    let mut hits: Vec<Channel> = store.all::<Channel>()?.into_iter().filter(|c| c.name == key).collect();
    match hits.len() {
        0 => Err(Error::NotFound { what: "channel", key: key.to_string() }),
        1 => Ok(hits.remove(0)),
        _ => Err(Error::Ambiguous {
            what: "channels",
            key: key.to_string(),
            candidates: hits.iter().map(|c| format!("{} ({})", c.id, c.kind)).collect(),
        }),
    }
}

pub fn edit_channel(store: &Store, key: &str, input: &ChannelInput, now: DateTime<Utc>) -> Result<Channel> {
    let mut c = resolve_channel(store, key)?;
    c.apply(input, now)?;
    store.put(&c)?;
    Ok(c)
}

/// Removes a channel and all its posts; returns the channel and how many posts went with it.
pub fn remove_channel(store: &Store, key: &str) -> Result<(Channel, usize)> {
    let c = resolve_channel(store, key)?;
    let posts = posts_of(store, &c.id)?;
    // The channel goes first: a crash in between leaves orphan posts, which nothing shows.
    store.remove::<Channel>(&c.id)?;
    for p in &posts {
        store.remove::<Post>(&p.id)?;
    }
    Ok((c, posts.len()))
}

pub fn list_channels(store: &Store) -> Result<Vec<Channel>> {
    let mut v = store.all::<Channel>()?;
    v.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(v)
}

/// All posts of a channel, done and planned, oldest first.
pub fn posts_of(store: &Store, channel_id: &str) -> Result<Vec<Post>> {
    let mut v: Vec<Post> = store.all::<Post>()?.into_iter().filter(|p| p.channel_id == channel_id).collect();
    v.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    Ok(v)
}

/// What the user types to log, plan or change a post (patch semantics on edit).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct PostInput {
    pub at: Option<DateTime<Utc>>,
    pub planned_for: Option<NaiveDate>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
}

fn check_post_text(p: &mut Post, input: &PostInput) -> Result<()> {
    if let Some(t) = &input.title {
        p.title = opt_text("title", t, MAX_SHORT)?.unwrap_or_default();
    }
    if let Some(u) = &input.url {
        p.url = normalize_url(u)?;
    }
    if let Some(n) = &input.note {
        noren_base::validate::check_text("note", n, MAX_NOTES, true)?;
        p.note = n.trim_end().to_string();
    }
    Ok(())
}

pub use noren_base::time::local_midnight_utc as local_midnight;

fn check_not_far_future(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    if at > now + Duration::days(1) {
        return Err(Error::invalid("at", "a post that is already done cannot be in the future (plan it instead)"));
    }
    Ok(())
}

/// "投稿した": records a published post (now unless `input.at` says when).
pub fn log_post(store: &Store, channel_key: &str, input: &PostInput, now: DateTime<Utc>) -> Result<Post> {
    let ch = resolve_channel(store, channel_key)?;
    let at = input.at.unwrap_or(now);
    check_not_far_future(at, now)?;
    let mut p = Post {
        id: new_id()?,
        channel_id: ch.id,
        status: PostStatus::Done,
        at,
        planned_for: None,
        title: String::new(),
        url: None,
        note: String::new(),
        guid: None,
        source: PostSource::Manual,
        created_at: now,
    };
    check_post_text(&mut p, input)?;
    store.put(&p)?;
    Ok(p)
}

/// Plans a post for a local date (idea or draft in `note`).
pub fn plan_post(store: &Store, channel_key: &str, input: &PostInput, tz: Tz, now: DateTime<Utc>) -> Result<Post> {
    let ch = resolve_channel(store, channel_key)?;
    let date = input.planned_for.ok_or_else(|| Error::invalid("planned_for", "choose the day the post is planned for"))?;
    let mut p = Post {
        id: new_id()?,
        channel_id: ch.id,
        status: PostStatus::Planned,
        at: local_midnight(date, tz),
        planned_for: Some(date),
        title: String::new(),
        url: None,
        note: String::new(),
        guid: None,
        source: PostSource::Plan,
        created_at: now,
    };
    check_post_text(&mut p, input)?;
    if p.title.is_empty() && p.note.is_empty() {
        return Err(Error::invalid("title", "say what the post is about (a title or an idea)"));
    }
    store.put(&p)?;
    Ok(p)
}

fn get_post(store: &Store, id: &str) -> Result<Post> {
    store.get::<Post>(id.trim())?.ok_or_else(|| Error::NotFound { what: "post", key: id.trim().to_string() })
}

/// Marks a planned post as published (now unless `at`).
pub fn complete_post(store: &Store, id: &str, at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<Post> {
    let mut p = get_post(store, id)?;
    if p.status == PostStatus::Done {
        return Err(Error::invalid("status", "this post is already marked as published"));
    }
    let at = at.unwrap_or(now);
    check_not_far_future(at, now)?;
    p.status = PostStatus::Done;
    p.at = at;
    store.put(&p)?;
    Ok(p)
}

pub fn edit_post(store: &Store, id: &str, input: &PostInput, tz: Tz, now: DateTime<Utc>) -> Result<Post> {
    let mut p = get_post(store, id)?;
    check_post_text(&mut p, input)?;
    match p.status {
        PostStatus::Done => {
            if let Some(at) = input.at {
                check_not_far_future(at, now)?;
                p.at = at;
            }
        }
        PostStatus::Planned => {
            if let Some(d) = input.planned_for {
                p.planned_for = Some(d);
                p.at = local_midnight(d, tz);
            }
        }
    }
    store.put(&p)?;
    Ok(p)
}

pub fn remove_post(store: &Store, id: &str) -> Result<Post> {
    let p = get_post(store, id)?;
    store.remove::<Post>(&p.id)?;
    Ok(p)
}

/// Quiet days (whole local days) between `from` and `to`, counted in seconds.
fn quiet_overlap(ch: &Channel, from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz) -> i64 {
    let mut total = 0;
    for q in &ch.quiet_periods {
        let start = local_midnight(q.from, tz).max(from);
        let end = local_midnight(q.to + Duration::days(1), tz).min(to);
        if end > start {
            total += (end - start).num_seconds();
        }
    }
    total
}

/// Whether `now` falls in one of the channel's quiet periods.
pub fn in_quiet_period(ch: &Channel, now: DateTime<Utc>, tz: Tz) -> bool {
    let today = now.with_timezone(&tz).date_naive();
    ch.quiet_periods.iter().any(|q| q.from <= today && today <= q.to)
}

/// Rhythm statistics for the calendar screen.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Stats {
    pub posts_total: usize,
    /// Posts in the last 90 days, scaled to 30 days.
    pub posts_per_month: f64,
    pub longest_silence_days: f64,
    /// Consecutive local weeks (Monday–Sunday) with at least one post, up to this week
    /// (this week counts once it has a post; an empty current week does not break the streak).
    pub streak_weeks: u32,
}

pub fn stats(done: &[DateTime<Utc>], now: DateTime<Utc>, tz: Tz) -> Stats {
    let past: Vec<DateTime<Utc>> = done.iter().copied().filter(|t| *t <= now).collect();
    let recent = past.iter().filter(|t| now - **t <= Duration::days(90)).count();
    let longest = rhythm::intervals(&past).into_iter().fold(0.0, f64::max);
    let weeks: BTreeSet<NaiveDate> = past.iter().map(|t| week_start(t.with_timezone(&tz).date_naive())).collect();
    let mut week = week_start(now.with_timezone(&tz).date_naive());
    if !weeks.contains(&week) {
        week -= Duration::days(7);
    }
    let mut streak = 0;
    while weeks.contains(&week) {
        streak += 1;
        week -= Duration::days(7);
    }
    Stats { posts_total: past.len(), posts_per_month: recent as f64 * 30.0 / 90.0, longest_silence_days: longest, streak_weeks: streak }
}

fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// A channel's state as the calendar and the reminder engine see it.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ChannelView {
    pub channel: Channel,
    pub assessment: Assessment,
    /// Paused, or inside a quiet period: no lapse alerts.
    pub resting: bool,
    pub stats: Stats,
    /// Planned posts whose day has passed.
    pub missed: Vec<Post>,
    pub planned: Vec<Post>,
}

/// Evaluates one channel. `posts` may hold other channels' posts (they are ignored).
pub fn view(ch: &Channel, posts: &[Post], now: DateTime<Utc>, tz: Tz) -> ChannelView {
    let own = Timelines::new(posts.iter().filter(|p| p.channel_id == ch.id));
    view_of(ch, own.0.first().unwrap_or(&Timeline::default()), now, tz)
}

/// Every channel's view, reading the posts once.
pub fn views(channels: &[Channel], posts: &[Post], now: DateTime<Utc>, tz: Tz) -> Vec<ChannelView> {
    views_of(channels, &Timelines::new(posts).0, now, tz)
}

/// Every channel's view from the channels' timelines.
pub fn views_of(channels: &[Channel], timelines: &[Timeline], now: DateTime<Utc>, tz: Tz) -> Vec<ChannelView> {
    let none = Timeline::default();
    channels.iter().map(|c| view_of(c, Timelines::of(timelines, &c.id).unwrap_or(&none), now, tz)).collect()
}

/// Evaluates one channel from its own timeline.
fn view_of(ch: &Channel, timeline: &Timeline, now: DateTime<Utc>, tz: Tz) -> ChannelView {
    let done = &timeline.done;
    // Quiet days do not count as silence: evaluate as if the clock had stood still during them.
    let last = done.iter().rev().find(|t| **t <= now).copied();
    let quiet = last.map(|l| quiet_overlap(ch, l, now, tz)).unwrap_or(0);
    let mut assessment = rhythm::assess(done, now - Duration::seconds(quiet), ch.target_days, ch.kind.default_days());
    if let Some(at) = assessment.lapse_at.as_mut() {
        *at += Duration::seconds(quiet);
    }
    let today = now.with_timezone(&tz).date_naive();
    let (missed, planned): (Vec<Post>, Vec<Post>) =
        timeline.planned.iter().cloned().partition(|p| p.planned_for.is_some_and(|d| d < today));
    ChannelView {
        channel: ch.clone(),
        resting: ch.paused || in_quiet_period(ch, now, tz),
        stats: stats(done, now, tz),
        assessment,
        missed,
        planned,
    }
}

/// Every channel's view, by name.
pub fn overview(store: &Store, now: DateTime<Utc>, tz: Tz) -> Result<Vec<ChannelView>> {
    let posts = store.all::<Post>()?;
    Ok(views(&list_channels(store)?, &posts, now, tz))
}

/// Whether a view should raise a lapse reminder.
pub fn is_lapsed(v: &ChannelView) -> bool {
    !v.resting && matches!(v.assessment.status, Status::Lapsed | Status::Serious)
}

fn ics_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1).
fn ics_fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// An iCalendar file of the planned posts (all-day events), for phone calendars.
pub fn ics(channels: &[Channel], posts: &[Post], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for l in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Noren//Posting calendar//JA", "CALSCALE:GREGORIAN"] {
        ics_fold(l, &mut out);
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let mut planned: Vec<&Post> = posts.iter().filter(|p| p.status == PostStatus::Planned).collect();
    planned.sort_by_key(|p| (p.planned_for, p.id.clone()));
    for p in planned {
        let Some(date) = p.planned_for else { continue };
        let ch = channels.iter().find(|c| c.id == p.channel_id);
        let ch_name = ch.map(|c| c.name.as_str()).unwrap_or("?");
        let what = if p.title.is_empty() { p.note.lines().next().unwrap_or("") } else { &p.title };
        ics_fold("BEGIN:VEVENT", &mut out);
        ics_fold(&format!("UID:{}@noren.invalid", p.id), &mut out);
        ics_fold(&format!("DTSTAMP:{stamp}"), &mut out);
        ics_fold(&format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")), &mut out);
        ics_fold(&format!("DTEND;VALUE=DATE:{}", (date + Duration::days(1)).format("%Y%m%d")), &mut out);
        ics_fold(&format!("SUMMARY:{}", ics_escape(&format!("[{ch_name}] {what}"))), &mut out);
        if !p.note.is_empty() {
            ics_fold(&format!("DESCRIPTION:{}", ics_escape(&p.note)), &mut out);
        }
        ics_fold("END:VEVENT", &mut out);
    }
    ics_fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn rhythms_in_words() {
        assert_eq!(parse_rhythm("3").unwrap(), Some(3.0));
        assert_eq!(parse_rhythm("every 3 days").unwrap(), Some(3.0));
        assert_eq!(parse_rhythm("3日ごと").unwrap(), Some(3.0));
        assert_eq!(parse_rhythm("2/week").unwrap(), Some(3.5));
        assert_eq!(parse_rhythm("週2回").unwrap(), Some(3.5));
        assert_eq!(parse_rhythm("").unwrap(), None);
        for bad in ["0", "-1", "often", "NaN", "1000", "100/week"] {
            assert!(parse_rhythm(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in ChannelKind::ALL {
            assert_eq!(k.as_str().parse::<ChannelKind>().unwrap(), k);
        }
        assert!("myspace".parse::<ChannelKind>().is_err());
    }

    #[test]
    fn ics_escapes_and_folds_japanese() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
        let ch = Channel {
            id: "c1".into(),
            kind: ChannelKind::Blog,
            name: "ブログ".into(),
            url: None,
            feed_url: None,
            target_days: None,
            owner: None,
            paused: false,
            quiet_periods: vec![],
            created_at: now,
            updated_at: now,
            last_sync: None,
        };
        let p = Post {
            id: "p1".into(),
            channel_id: "c1".into(),
            status: PostStatus::Planned,
            at: now,
            planned_for: NaiveDate::from_ymd_opt(2026, 12, 1),
            title: "年末年始の営業時間のお知らせ, ご予約について; 詳しくはこちら".repeat(2),
            url: None,
            note: "1行目\n2行目".into(),
            guid: None,
            source: PostSource::Plan,
            created_at: now,
        };
        let text = ics(&[ch], &[p], now);
        assert!(text.contains("DTSTART;VALUE=DATE:20261201\r\n"));
        assert!(text.contains("DESCRIPTION:1行目\\n2行目\r\n"));
        assert!(text.contains("\\,") && text.contains("\\;"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("お知らせ\\, ご予約について\\; 詳しくはこちら"));
    }
}
