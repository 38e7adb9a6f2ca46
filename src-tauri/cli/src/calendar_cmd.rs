//! `channel`, `post`, `feed`, `calendar`, `notify` and `timer` commands: the
//! posting calendar over `noren_core::calendar` (calendar compartment only).

use std::path::PathBuf;
use std::time::Duration as StdDuration;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use noren_core::calendar::{self, ChannelInput, ChannelKind, ChannelView, PostInput, PostStatus, QuietPeriod};
use noren_core::feed::{self, FetchOptions};
use noren_core::reminders::{days_text, DueItem, Settings};
use noren_core::{alerts, notify, timer, Error, Store};
use serde_json::json;

use crate::io::{self, CliError, CliResult};
use crate::open::{open_calendar_store, settings};

#[derive(Subcommand)]
pub enum ChannelCmd {
    /// Add a blog or SNS channel to watch.
    Add {
        #[command(flatten)]
        fields: ChannelFields,
    },
    /// Every channel with its rhythm and state.
    List {
        /// Evaluate as of this instant (RFC 3339).
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        now: Option<DateTime<Utc>>,
    },
    /// One channel: rhythm, statistics, planned and missed posts.
    Show {
        channel: String,
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        now: Option<DateTime<Utc>>,
    },
    /// Change a channel (an empty value clears a field).
    Edit {
        channel: String,
        #[command(flatten)]
        fields: ChannelFields,
    },
    /// Stop lapse reminders (e.g. the shop is closed for a while).
    Pause {
        channel: String,
    },
    Resume {
        channel: String,
    },
    /// Add a quiet period (days without lapse reminders, not counted as silence), or --clear them.
    Quiet {
        channel: String,
        #[arg(long, value_name = "YYYY-MM-DD", required_unless_present = "clear")]
        from: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD", required_unless_present = "clear")]
        to: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long, conflicts_with_all = ["from", "to"])]
        clear: bool,
    },
    /// Delete a channel and all its posts.
    Remove {
        channel: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Default)]
pub struct ChannelFields {
    /// blog, instagram, facebook, x, line, gbp, youtube, tiktok or other.
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub url: Option<String>,
    /// RSS/Atom/JSON feed address, for `feed sync`.
    #[arg(long = "feed", value_name = "URL")]
    pub feed: Option<String>,
    /// Target rhythm: one post every DAYS days.
    #[arg(long, value_name = "DAYS", conflicts_with = "per_week")]
    pub every: Option<String>,
    /// Target rhythm: N posts a week.
    #[arg(long, value_name = "N")]
    pub per_week: Option<String>,
    /// Who posts.
    #[arg(long)]
    pub owner: Option<String>,
}

impl ChannelFields {
    fn input(&self) -> CliResult<ChannelInput> {
        let rhythm = match (&self.every, &self.per_week) {
            (Some(d), _) if d.trim().is_empty() => Some(String::new()),
            (Some(d), _) => Some(d.clone()),
            (_, Some(n)) if n.trim().is_empty() => Some(String::new()),
            (_, Some(n)) => Some(format!("{n}/week")),
            _ => None,
        };
        Ok(ChannelInput {
            kind: self.kind.as_deref().map(str::parse::<ChannelKind>).transpose()?,
            name: self.name.clone(),
            url: self.url.clone(),
            feed_url: self.feed.clone(),
            rhythm,
            owner: self.owner.clone(),
            ..Default::default()
        })
    }
}

#[derive(Subcommand)]
pub enum PostCmd {
    /// "投稿した": record a published post (now unless --at).
    Log {
        channel: String,
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        at: Option<DateTime<Utc>>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Plan a post for a day, with a title and/or an idea or draft.
    Plan {
        channel: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Mark a planned post as published.
    Done {
        id: String,
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        at: Option<DateTime<Utc>>,
    },
    /// A channel's posts, oldest first.
    List {
        channel: String,
        /// Only planned posts.
        #[arg(long)]
        planned: bool,
    },
    /// Change a post.
    Edit {
        id: String,
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        at: Option<DateTime<Utc>>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    Remove {
        id: String,
    },
}

#[derive(Subcommand)]
pub enum FeedCmd {
    /// Fetch the feed of one channel, or of every channel that has one.
    Sync {
        channel: Option<String>,
        /// Seconds before giving up on a server.
        #[arg(long, default_value_t = 20)]
        timeout: u64,
    },
}

#[derive(Subcommand)]
pub enum CalendarCmd {
    /// Planned posts as an iCalendar file (for a phone's calendar).
    Ics {
        /// Write to FILE instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum NotifyCmd {
    /// Do not notify about an item (its `key` from `check --json`) for a while.
    Snooze {
        key: String,
        /// 1d, 1w or a number of days.
        #[arg(long = "for", value_name = "1d|1w|DAYS", default_value = "1d")]
        duration: String,
        /// Count from this instant instead of now (RFC 3339).
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        now: Option<DateTime<Utc>>,
    },
    /// Show or change notification settings.
    Settings {
        /// On or off.
        #[arg(long)]
        enabled: Option<bool>,
        #[arg(long, value_name = "HH:MM")]
        quiet_start: Option<String>,
        #[arg(long, value_name = "HH:MM")]
        quiet_end: Option<String>,
        /// Hours between automatic feed syncs in the app (0: only on demand).
        #[arg(long)]
        sync_hours: Option<u32>,
    },
}

#[derive(Subcommand)]
pub enum TimerCmd {
    /// Install a systemd user timer running `check --notify` hourly (08–20h).
    Install {
        /// The noren-cli to run (default: this one).
        #[arg(long, value_name = "PATH")]
        cli: Option<PathBuf>,
        /// Write the files but do not call systemctl.
        #[arg(long)]
        no_enable: bool,
    },
    Remove {
        #[arg(long)]
        no_disable: bool,
    },
    Status,
}

fn parse_date(field: &'static str, v: &str) -> CliResult<NaiveDate> {
    Ok(noren_core::credential::parse_date(field, v)?.ok_or_else(|| Error::invalid(field, "is empty"))?)
}

fn view_json(v: &ChannelView) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

fn describe(v: &ChannelView) -> String {
    use noren_core::rhythm::Status;
    let a = &v.assessment;
    let state = if v.channel.paused {
        "paused".to_string()
    } else if v.resting {
        "quiet period".to_string()
    } else {
        match a.status {
            Status::NoPosts => "no posts yet".to_string(),
            Status::Healthy => "ok".to_string(),
            Status::Lapsed => "LAPSED".to_string(),
            Status::Serious => "LAPSED (serious)".to_string(),
        }
    };
    let silence = if a.last_post.is_some() { format!("{} d since last post", a.silence_days.floor()) } else { String::new() };
    format!("{state}; usually every ~{} d; {silence}", days_text(a.usual_days))
}

pub fn channel(store_dir: Option<PathBuf>, json_out: bool, cmd: ChannelCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_calendar_store(&store_dir)?;
    let tz = settings(&store)?.timezone;
    let print_channel = |c: &calendar::Channel, verb: &str| -> CliResult<()> {
        if json_out {
            io::print_json(&serde_json::to_value(c).unwrap_or_default())
        } else {
            say!("{verb} channel {} ({}, {})", c.name, c.kind, c.id);
            Ok(())
        }
    };
    match cmd {
        ChannelCmd::Add { fields } => {
            let c = calendar::add_channel(&store, &fields.input()?, now)?;
            print_channel(&c, "added")?;
        }
        ChannelCmd::Edit { channel, fields } => {
            let c = calendar::edit_channel(&store, &channel, &fields.input()?, now)?;
            print_channel(&c, "changed")?;
        }
        ChannelCmd::Pause { channel } => {
            let c = calendar::edit_channel(&store, &channel, &ChannelInput { paused: Some(true), ..Default::default() }, now)?;
            print_channel(&c, "paused")?;
        }
        ChannelCmd::Resume { channel } => {
            let c = calendar::edit_channel(&store, &channel, &ChannelInput { paused: Some(false), ..Default::default() }, now)?;
            print_channel(&c, "resumed")?;
        }
        ChannelCmd::Quiet { channel, from, to, note, clear } => {
            let mut c = calendar::resolve_channel(&store, &channel)?;
            let periods = if clear {
                Vec::new()
            } else {
                let from = parse_date("from", from.as_deref().unwrap_or(""))?;
                let to = parse_date("to", to.as_deref().unwrap_or(""))?;
                let mut p = c.quiet_periods.clone();
                p.push(QuietPeriod { from, to, note });
                p
            };
            c = calendar::edit_channel(&store, &c.id, &ChannelInput { quiet_periods: Some(periods), ..Default::default() }, now)?;
            print_channel(&c, "changed")?;
        }
        ChannelCmd::Remove { channel, yes } => {
            let c = calendar::resolve_channel(&store, &channel)?;
            if !yes && !io::confirm(&format!("Delete channel {} and all its posts?", c.name))? {
                return Err(CliError::Usage("not deleted (confirm, or pass --yes)".into()));
            }
            let (c, n) = calendar::remove_channel(&store, &c.id)?;
            if json_out {
                io::print_json(&json!({ "removed": c.id, "posts_removed": n }))?;
            } else {
                say!("removed channel {} and {n} posts", c.name);
            }
        }
        ChannelCmd::List { now: at } => {
            let views = calendar::overview(&store, at.unwrap_or(now), tz)?;
            if json_out {
                io::print_json(&json!({ "channels": views.iter().map(view_json).collect::<Vec<_>>() }))?;
            } else if views.is_empty() {
                say!("no channels yet (add one with `noren-cli channel add --kind blog --name Blog`)");
            } else {
                for v in &views {
                    say!("{}\t{}\t{}\t{}", v.channel.id, v.channel.kind, v.channel.name, describe(v));
                }
            }
        }
        ChannelCmd::Show { channel, now: at } => {
            let c = calendar::resolve_channel(&store, &channel)?;
            let posts = store.all::<calendar::Post>()?;
            let v = calendar::view(&c, &posts, at.unwrap_or(now), tz);
            if json_out {
                io::print_json(&view_json(&v))?;
            } else {
                say!("{} ({}, {})", c.name, c.kind, c.id);
                say!("  {}", describe(&v));
                if let Some(u) = &c.feed_url {
                    say!("  feed: {u}");
                }
                let s = &v.stats;
                say!(
                    "  {} posts; {:.1} a month lately; longest silence {} d; streak {} weeks",
                    s.posts_total,
                    s.posts_per_month,
                    days_text(s.longest_silence_days),
                    s.streak_weeks
                );
                for p in &v.missed {
                    say!("  missed plan {}: {} {}", p.id, p.planned_for.map(|d| d.to_string()).unwrap_or_default(), p.title);
                }
                for p in &v.planned {
                    say!("  planned {}: {} {}", p.id, p.planned_for.map(|d| d.to_string()).unwrap_or_default(), p.title);
                }
            }
        }
    }
    Ok(0)
}

pub fn post(store_dir: Option<PathBuf>, json_out: bool, cmd: PostCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_calendar_store(&store_dir)?;
    let tz = settings(&store)?.timezone;
    let out = |p: &calendar::Post, verb: &str| -> CliResult<()> {
        if json_out {
            io::print_json(&serde_json::to_value(p).unwrap_or_default())
        } else {
            let when = match p.status {
                PostStatus::Done => p.at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
                PostStatus::Planned => p.planned_for.map(|d| d.to_string()).unwrap_or_default(),
            };
            say!("{verb} post {} ({when}) {}", p.id, p.title);
            Ok(())
        }
    };
    match cmd {
        PostCmd::Log { channel, at, title, url, note } => {
            let p = calendar::log_post(&store, &channel, &PostInput { at, title, url, note, ..Default::default() }, now)?;
            out(&p, "logged")?;
        }
        PostCmd::Plan { channel, on, title, note } => {
            let planned_for = Some(parse_date("on", &on)?);
            let p = calendar::plan_post(&store, &channel, &PostInput { planned_for, title, note, ..Default::default() }, tz, now)?;
            out(&p, "planned")?;
        }
        PostCmd::Done { id, at } => {
            let p = calendar::complete_post(&store, &id, at, now)?;
            out(&p, "published")?;
        }
        PostCmd::Edit { id, at, on, title, url, note } => {
            let planned_for = on.as_deref().map(|d| parse_date("on", d)).transpose()?;
            let p = calendar::edit_post(&store, &id, &PostInput { at, planned_for, title, url, note }, tz, now)?;
            out(&p, "changed")?;
        }
        PostCmd::Remove { id } => {
            let p = calendar::remove_post(&store, &id)?;
            out(&p, "removed")?;
        }
        PostCmd::List { channel, planned } => {
            let c = calendar::resolve_channel(&store, &channel)?;
            let posts: Vec<calendar::Post> =
                calendar::posts_of(&store, &c.id)?.into_iter().filter(|p| !planned || p.status == PostStatus::Planned).collect();
            if json_out {
                io::print_json(&json!({ "channel": c.id, "posts": posts }))?;
            } else if posts.is_empty() {
                say!("no posts");
            } else {
                for p in &posts {
                    let (status, when) = match p.status {
                        PostStatus::Done => ("done", p.at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()),
                        PostStatus::Planned => ("planned", p.planned_for.map(|d| d.to_string()).unwrap_or_default()),
                    };
                    say!("{}\t{status}\t{when}\t{}", p.id, p.title);
                }
            }
        }
    }
    Ok(0)
}

pub fn feed_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: FeedCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let FeedCmd::Sync { channel, timeout } = cmd;
    if !(1..=300).contains(&timeout) {
        return Err(CliError::Usage("--timeout must be between 1 and 300 seconds".into()));
    }
    let store = open_calendar_store(&store_dir)?;
    let opts = FetchOptions { timeout: StdDuration::from_secs(timeout), ..Default::default() };
    // Every channel with a feed, or a blog with its own address (its feed is found from it).
    let targets: Vec<calendar::Channel> = match channel {
        Some(c) => vec![calendar::resolve_channel(&store, &c)?],
        None => calendar::list_channels(&store)?.into_iter().filter(|c| feed::target_of(c).is_some()).collect(),
    };
    let single = targets.len() == 1;
    let mut results = Vec::new();
    let mut failed = None;
    for c in &targets {
        match feed::sync(&store, &c.id, opts, now) {
            Ok(r) => {
                if !json_out {
                    say!("{}: {} new of {} items", c.name, r.new_items, r.items);
                }
                results.push(json!({ "channel": c.id, "ok": true, "items": r.items, "new_items": r.new_items, "skipped": r.skipped }));
            }
            Err(e) => {
                if !json_out && !single {
                    esay!("warning: {}: {}", c.name, io::one_line(&e.to_string()));
                }
                results.push(json!({ "channel": c.id, "ok": false, "code": e.code(), "message": e.to_string() }));
                failed = Some(e);
            }
        }
    }
    if json_out {
        io::print_json(&json!({ "results": results }))?;
    }
    match failed {
        Some(e) if single || json_out => Err(e.into()),
        Some(_) => Ok(1),
        None => Ok(0),
    }
}

pub fn calendar_cmd(store_dir: Option<PathBuf>, cmd: CalendarCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let CalendarCmd::Ics { out } = cmd;
    let store = open_calendar_store(&store_dir)?;
    let text = calendar::ics(&store.all()?, &store.all()?, now);
    match out {
        Some(path) => noren_core::backup::write_file_atomically(&path, text.as_bytes())?,
        None => print!("{text}"),
    }
    Ok(0)
}

fn parse_snooze(s: &str) -> CliResult<i64> {
    let v = s.trim().to_ascii_lowercase();
    let days = if let Some(w) = v.strip_suffix('w') {
        w.parse::<i64>().ok().map(|n| n * 7)
    } else {
        v.strip_suffix('d').unwrap_or(&v).parse::<i64>().ok()
    };
    days.filter(|d| (1..=365).contains(d)).ok_or_else(|| CliError::Usage(format!("--for expects 1d, 1w or a number of days, got {s:?}")))
}

pub fn notify_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: NotifyCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_calendar_store(&store_dir)?;
    match cmd {
        NotifyCmd::Snooze { key, duration, now: at } => {
            let until = alerts::snooze(&store, &key, parse_snooze(&duration)?, at.unwrap_or(now), settings(&store)?.timezone)?;
            if json_out {
                io::print_json(&json!({ "key": key, "snoozed_until": until }))?;
            } else {
                say!("snoozed {key} until {}", until.with_timezone(&settings(&store)?.timezone).format("%Y-%m-%d %H:%M"));
            }
        }
        NotifyCmd::Settings { enabled, quiet_start, quiet_end, sync_hours } => {
            let mut s = notify::load_settings(&store)?;
            let changed = enabled.is_some() || quiet_start.is_some() || quiet_end.is_some() || sync_hours.is_some();
            if let Some(e) = enabled {
                s.enabled = e;
            }
            if let Some(q) = quiet_start {
                s.quiet_start = q;
            }
            if let Some(q) = quiet_end {
                s.quiet_end = q;
            }
            if let Some(h) = sync_hours {
                s.sync_hours = h;
            }
            if changed {
                notify::save_settings(&store, &s)?;
            }
            if json_out {
                io::print_json(&serde_json::to_value(&s).unwrap_or_default())?;
            } else {
                say!(
                    "notifications {}; quiet {}–{}; feed sync every {} h",
                    if s.enabled { "on" } else { "off" },
                    s.quiet_start,
                    s.quiet_end,
                    s.sync_hours
                );
            }
        }
    }
    Ok(0)
}

/// Shows desktop notifications for the due items not yet shown today.
pub fn notify_items(store: &Store, items: &[DueItem], now: DateTime<Utc>, settings: &Settings) -> CliResult<usize> {
    let lang = io::lang();
    let mut shown = Vec::new();
    for item in &alerts::to_show(store, items, now, settings.timezone)? {
        match notify::show(item, lang, None) {
            Ok(()) => shown.push(item.key.clone()),
            Err(e) => {
                esay!("warning: {}", io::one_line(&e.to_string()));
                break;
            }
        }
    }
    alerts::shown(store, &shown, now, settings.timezone)?;
    Ok(shown.len())
}

pub fn timer_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: TimerCmd) -> CliResult<u8> {
    let home = noren_core::paths::config_home(&crate::open::env())?;
    let st = match cmd {
        TimerCmd::Install { cli, no_enable } => {
            let cli = match cli {
                Some(p) => std::fs::canonicalize(&p).map_err(|e| Error::io(format!("cannot find {}", p.display()), e))?,
                None => std::env::current_exe().map_err(|e| Error::io("cannot locate noren-cli", e))?,
            };
            let store = open_calendar_store(&store_dir)?;
            let lang = std::env::var("NOREN_LANG").or_else(|_| std::env::var("LANG")).unwrap_or_default();
            timer::install(&store, &cli, &home, &lang, !no_enable)?
        }
        TimerCmd::Remove { no_disable } => timer::remove(&home, !no_disable)?,
        TimerCmd::Status => timer::status(&home, true),
    };
    if json_out {
        io::print_json(&serde_json::to_value(&st).unwrap_or_default())?;
    } else {
        say!(
            "reminder timer: {}{}",
            if st.installed { "installed" } else { "not installed" },
            match st.enabled {
                Some(true) => ", enabled",
                Some(false) => ", not enabled",
                None => "",
            }
        );
        say!("  {}\n  {}\n  {}", st.service_path.display(), st.timer_path.display(), st.key_path.display());
        if !st.note.is_empty() {
            esay!("warning: systemctl: {}", io::one_line(&st.note));
        }
    }
    Ok(0)
}
