//! The posting calendar and its reminders, through a real store, with a fixed `now`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use noren_core::calendar::{self, ChannelInput, ChannelKind, PostInput, PostStatus, QuietPeriod};
use noren_core::crypto::KdfParams;
use noren_core::reminder_facts::Timelines;
use noren_core::reminders::{self, DueItem, Inputs, Kind, Settings, Severity};
use noren_core::{Error, SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

fn store(dir: &tempfile::TempDir) -> Store {
    Store::init_with(&dir.path().join("s"), &SecretString::from("correct horse battery".to_string()), FAST, chrono::Utc::now()).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn channel(st: &Store, name: &str, kind: ChannelKind, rhythm: Option<&str>) -> String {
    let input = ChannelInput { kind: Some(kind), name: Some(name.into()), rhythm: rhythm.map(str::to_string), ..Default::default() };
    calendar::add_channel(st, &input, utc("2025-01-01T00:00:00Z")).unwrap().id
}

/// Logs posts `gaps` days apart, the last one at `last`.
fn history(st: &Store, ch: &str, last: DateTime<Utc>, gaps: &[i64]) {
    let total: i64 = gaps.iter().sum();
    let mut t = last - Duration::days(total);
    let now = last + Duration::hours(1);
    calendar::log_post(st, ch, &PostInput { at: Some(t), ..Default::default() }, now).unwrap();
    for g in gaps {
        t += Duration::days(*g);
        calendar::log_post(st, ch, &PostInput { at: Some(t), ..Default::default() }, now).unwrap();
    }
}

fn due(st: &Store, now: DateTime<Utc>, settings: &Settings) -> Vec<DueItem> {
    let channels = st.all::<calendar::Channel>().unwrap();
    let posts = st.all::<calendar::Post>().unwrap();
    reminders::due_items(&Inputs { channels: &channels, timelines: &Timelines::new(&posts).0, ..Default::default() }, now, settings)
}

fn lapses(st: &Store, now: DateTime<Utc>) -> Vec<DueItem> {
    due(st, now, &Settings::default()).into_iter().filter(|i| i.kind == Kind::PostingLapse).collect()
}

#[test]
fn regular_rhythms_alert_only_after_a_real_lapse() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let last = utc("2026-11-01T03:00:00Z");
    // Every 2–4 days, weekly, monthly.
    let cases: [(&str, Vec<i64>, i64, i64); 3] = [
        ("insta", [2, 3, 4, 3, 2, 4, 3, 3, 2, 4, 3, 2, 3].to_vec(), 9, 13),
        ("blog", vec![7; 20], 14, 25),
        ("news", [30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31].to_vec(), 45, 125),
    ];
    for (name, gaps, healthy_at, lapsed_at) in &cases {
        let t = tempfile::tempdir().unwrap();
        let s = store(&t);
        let id = channel(&s, name, ChannelKind::Blog, None);
        history(&s, &id, last, gaps);
        assert!(lapses(&s, last + Duration::days(*healthy_at)).is_empty(), "{name} alerted after {healthy_at} days");
        let items = lapses(&s, last + Duration::days(*lapsed_at));
        assert_eq!(items.len(), 1, "{name} did not alert after {lapsed_at} days");
        assert_eq!(items[0].record.id, id);
    }
    drop(st);
}

#[test]
fn lapse_explains_itself_and_escalates() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let id = channel(&st, "ブログ", ChannelKind::Blog, None);
    let last = utc("2026-11-01T03:00:00Z");
    history(&st, &id, last, &[3; 15]);
    // A 3-day rhythm is nudged after about 12.3 days (issue 23), serious after 14.
    assert!(lapses(&st, last + Duration::days(12)).is_empty());
    let items = lapses(&st, last + Duration::days(13));
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].severity, Severity::Warning);
    assert_eq!(
        items[0].title.text(noren_core::messages::Lang::Ja),
        "「ブログ」の投稿が止まっています。普段は約3日ごと、最後の投稿から13日"
    );
    assert!(items[0].key.ends_with(":lapsed"));
    let items = lapses(&st, last + Duration::days(15));
    assert_eq!(items[0].severity, Severity::Urgent);
    assert!(items[0].key.ends_with(":serious"));
    // "投稿した" clears it.
    calendar::log_post(&st, &id, &PostInput::default(), last + Duration::days(15)).unwrap();
    assert!(lapses(&st, last + Duration::days(15) + Duration::minutes(1)).is_empty());
}

#[test]
fn irregular_but_healthy_histories_do_not_alert() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let last = utc("2026-11-01T03:00:00Z");
    // Bursty: three posts on one day, then about a week off, repeatedly.
    let bursty = channel(&st, "bursty", ChannelKind::Instagram, None);
    let gaps: Vec<i64> = (0..8).flat_map(|i| [0, 0, 6 + (i % 3)]).collect();
    history(&st, &bursty, last, &gaps);
    // Uneven: 1–9 days apart.
    let uneven = channel(&st, "uneven", ChannelKind::Blog, None);
    history(&st, &uneven, last, &[1, 5, 2, 9, 3, 7, 2, 6, 4, 8, 1, 3, 9, 2, 5]);
    assert!(lapses(&st, last + Duration::days(9)).is_empty());
}

#[test]
fn short_history_falls_back_to_target_then_kind_default() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let last = utc("2026-11-01T03:00:00Z");
    let target = channel(&st, "target", ChannelKind::Blog, Some("週2回"));
    history(&st, &target, last, &[3, 4]);
    let default = channel(&st, "default", ChannelKind::Blog, None);
    history(&st, &default, last, &[3, 4]);
    // Target 3.5 d → lapse after 7 d; blog default 7 d → lapse after 14 d.
    let ids = |items: Vec<DueItem>| items.into_iter().map(|i| i.record.id).collect::<Vec<_>>();
    assert_eq!(ids(lapses(&st, last + Duration::days(8))), vec![target.clone()]);
    let mut both = ids(lapses(&st, last + Duration::days(15)));
    both.sort();
    let mut want = vec![target, default];
    want.sort();
    assert_eq!(both, want);
    // A channel without posts raises nothing.
    channel(&st, "new", ChannelKind::Line, None);
    assert_eq!(lapses(&st, last + Duration::days(15)).len(), 2);
}

#[test]
fn paused_channels_and_quiet_periods_stay_silent() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let last = utc("2026-12-26T03:00:00Z");
    let paused = channel(&st, "paused", ChannelKind::Blog, None);
    history(&st, &paused, last, &[3; 15]);
    calendar::edit_channel(&st, &paused, &ChannelInput { paused: Some(true), ..Default::default() }, last).unwrap();
    let holiday = channel(&st, "holiday", ChannelKind::Blog, None);
    history(&st, &holiday, last, &[3; 15]);
    let q = QuietPeriod {
        from: NaiveDate::from_ymd_opt(2026, 12, 29).unwrap(),
        to: NaiveDate::from_ymd_opt(2027, 1, 3).unwrap(),
        note: "年末年始".into(),
    };
    calendar::edit_channel(&st, &holiday, &ChannelInput { quiet_periods: Some(vec![q]), ..Default::default() }, last).unwrap();
    // 2027-01-03: inside the quiet period → nothing.
    assert!(lapses(&st, utc("2027-01-03T03:00:00Z")).is_empty());
    // 2027-01-07: 12 days since the last post but 6 of them were quiet → 6 days of silence, healthy.
    assert!(lapses(&st, utc("2027-01-07T03:00:00Z")).is_empty());
    // 2027-01-14: 13 counted days → lapsed (the paused channel still says nothing).
    let items = lapses(&st, utc("2027-01-14T03:00:00Z"));
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].record.id, holiday);
    // Resuming the paused channel brings its lapse back.
    calendar::edit_channel(&st, &paused, &ChannelInput { paused: Some(false), ..Default::default() }, last).unwrap();
    assert_eq!(lapses(&st, utc("2027-01-14T03:00:00Z")).len(), 2);
}

#[test]
fn planned_post_missed_follows_the_local_date() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let id = channel(&st, "blog", ChannelKind::Blog, None);
    let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let tokyo = Settings::default();
    let utc_settings = Settings { timezone: chrono_tz::UTC, ..Settings::default() };
    let p = calendar::plan_post(
        &st,
        &id,
        &PostInput { planned_for: Some(day), title: Some("冬の限定メニュー".into()), ..Default::default() },
        tokyo.timezone,
        utc("2026-11-20T00:00:00Z"),
    )
    .unwrap();
    // 2026-11-22T15:30Z is already 11-23 00:30 in Tokyo, still 11-22 in UTC.
    let now = utc("2026-11-22T15:30:00Z");
    let missed = |s: &Settings| due(&st, now, s).into_iter().filter(|i| i.kind == Kind::PlannedPostMissed).count();
    assert_eq!(missed(&tokyo), 1);
    assert_eq!(missed(&utc_settings), 0);
    assert_eq!(missed(&tokyo), 1);
    // One minute before Tokyo midnight: not missed yet.
    assert_eq!(due(&st, utc("2026-11-22T14:59:00Z"), &tokyo).iter().filter(|i| i.kind == Kind::PlannedPostMissed).count(), 0);
    // Marking it done clears the item and makes it history.
    let done = calendar::complete_post(&st, &p.id, None, now).unwrap();
    assert_eq!(done.status, PostStatus::Done);
    assert_eq!(missed(&tokyo), 0);
    assert!(matches!(calendar::complete_post(&st, &p.id, None, now), Err(Error::Invalid { .. })));
}

#[test]
fn posts_at_utc_midnight_land_on_the_tokyo_day() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let id = channel(&st, "blog", ChannelKind::Blog, None);
    // Sunday 2026-11-22 23:30 UTC is Monday 11-23 08:30 in Tokyo: a new week there.
    let at = utc("2026-11-22T23:30:00Z");
    calendar::log_post(&st, &id, &PostInput { at: Some(at), ..Default::default() }, at).unwrap();
    let posts = st.all::<calendar::Post>().unwrap();
    let done: Vec<_> = posts.iter().map(|p| p.at).collect();
    let now = utc("2026-11-30T00:00:00Z"); // Mon 09:00 Tokyo, Mon 00:00 UTC
    assert_eq!(calendar::stats(&done, now, chrono_tz::Asia::Tokyo).streak_weeks, 1);
    assert_eq!(calendar::stats(&done, now, chrono_tz::UTC).streak_weeks, 0);
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let now = utc("2026-11-22T00:00:00Z");
    let empty = ChannelInput { kind: Some(ChannelKind::Blog), name: Some("  ".into()), ..Default::default() };
    assert!(matches!(calendar::add_channel(&st, &empty, now), Err(Error::Invalid { field: "name", .. })));
    let bad_rhythm =
        ChannelInput { kind: Some(ChannelKind::Blog), name: Some("b".into()), rhythm: Some("often".into()), ..Default::default() };
    assert!(matches!(calendar::add_channel(&st, &bad_rhythm, now), Err(Error::Invalid { field: "rhythm", .. })));
    let huge = ChannelInput { kind: Some(ChannelKind::Blog), name: Some("x".repeat(100_000)), ..Default::default() };
    assert!(matches!(calendar::add_channel(&st, &huge, now), Err(Error::Invalid { field: "name", .. })));
    let bad_feed =
        ChannelInput { kind: Some(ChannelKind::Blog), name: Some("b".into()), feed_url: Some("ftp://x".into()), ..Default::default() };
    assert!(matches!(calendar::add_channel(&st, &bad_feed, now), Err(Error::Invalid { field: "feed_url", .. })));
    assert_eq!(st.count::<calendar::Channel>().unwrap(), 0);
    let id = channel(&st, "b", ChannelKind::Blog, None);
    let future = PostInput { at: Some(now + Duration::days(3)), ..Default::default() };
    assert!(matches!(calendar::log_post(&st, &id, &future, now), Err(Error::Invalid { field: "at", .. })));
    assert!(matches!(calendar::log_post(&st, "nope", &PostInput::default(), now), Err(Error::NotFound { .. })));
    let no_what = PostInput { planned_for: NaiveDate::from_ymd_opt(2026, 12, 1), ..Default::default() };
    assert!(calendar::plan_post(&st, &id, &no_what, chrono_tz::Asia::Tokyo, now).is_err());
    assert_eq!(st.count::<calendar::Post>().unwrap(), 0);
}

#[test]
fn removing_a_channel_removes_its_posts_only() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let a = channel(&st, "a", ChannelKind::Blog, None);
    let b = channel(&st, "b", ChannelKind::X, None);
    let last = utc("2026-11-01T03:00:00Z");
    history(&st, &a, last, &[1, 1]);
    history(&st, &b, last, &[2]);
    let (ch, n) = calendar::remove_channel(&st, "a").unwrap();
    assert_eq!((ch.id, n), (a, 3));
    assert_eq!(calendar::posts_of(&st, &b).unwrap().len(), 2);
    assert_eq!(st.count::<calendar::Post>().unwrap(), 2);
}

#[test]
fn calendar_works_while_the_vault_is_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let mut st = store(&tmp);
    let cred = noren_core::credential::CredentialInput {
        category: Some(noren_core::credential::Category::Website),
        name: Some("HP".into()),
        ..Default::default()
    };
    noren_core::credential::add(&st, &cred, utc("2026-11-01T00:00:00Z")).unwrap();
    st.lock_vault();
    let id = channel(&st, "blog", ChannelKind::Blog, None);
    history(&st, &id, utc("2026-11-01T03:00:00Z"), &[3; 12]);
    assert_eq!(lapses(&st, utc("2026-11-20T00:00:00Z")).len(), 1);
    assert!(matches!(st.all::<noren_core::credential::Credential>(), Err(Error::Locked)));
}

#[test]
fn ics_lists_planned_posts() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let id = channel(&st, "ブログ", ChannelKind::Blog, None);
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    for (d, t) in [(1, "忘年会の案内"), (15, "年末年始の営業")] {
        let input = PostInput { planned_for: NaiveDate::from_ymd_opt(2026, 12, d), title: Some(t.into()), ..Default::default() };
        calendar::plan_post(&st, &id, &input, chrono_tz::Asia::Tokyo, now).unwrap();
    }
    calendar::log_post(&st, &id, &PostInput { title: Some("済み".into()), ..Default::default() }, now).unwrap();
    let text = calendar::ics(&st.all().unwrap(), &st.all().unwrap(), now);
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
    assert!(text.contains("SUMMARY:[ブログ] 忘年会の案内"));
    assert!(!text.contains("済み"));
}
