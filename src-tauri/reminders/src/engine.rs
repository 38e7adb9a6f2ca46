//! The reminder engine: one pure function of (store contents, now) → due items.
//!
//! Later features add kinds (posting lapse, reply overdue, …); every kind is
//! evaluated here so the app's timer and `noren-cli check` agree exactly.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use noren_domain::credentials::facts::AccountFacts;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Kind {
    PostingLapse,
    PlannedPostMissed,
    ReplyOverdue,
    /// A reply is due within two hours.
    ReplyDueSoon,
    /// A reply is due later today.
    ReplyDueToday,
    /// A reply is due tomorrow (a complaint's 24 hours, a message in the evening).
    ReplyDueTomorrow,
    /// Today is the day we promised to reply by (interim reply).
    PromiseDue,
    FollowUpDue,
    PasswordRotation,
    RenewalApproaching,
    /// A renewal falls after the expiry of the card it is charged to.
    CardExpiry,
    IncidentActionDue,
    BackupOverdue,
    /// Someone left: credentials they knew or control still need changing.
    HandoverRotation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Severity {
    Info,
    Warning,
    Urgent,
}

/// The record a due item points to (collection and id), for "open the item".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RecordRef {
    /// One of `RECORD_COLLECTIONS` (a test keeps the engine to them; the window dispatches on them).
    #[ts(type = "\"backup\" | \"channels\" | \"credentials\" | \"incidents\" | \"inquiries\" | \"people\" | \"posts\" | \"renewals\"")]
    pub collection: &'static str,
    pub id: String,
}

/// What a due item can point to: the TypeScript type of `RecordRef.collection` says the same.
pub const RECORD_COLLECTIONS: [&str; 8] = ["backup", "channels", "credentials", "incidents", "inquiries", "people", "posts", "renewals"];

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct DueItem {
    /// Stable per item and stage: notifications are deduplicated on it.
    pub key: String,
    pub kind: Kind,
    pub severity: Severity,
    pub due_at: DateTime<Utc>,
    /// Short, safe to show in a desktop notification (no secrets).
    pub title_ja: String,
    pub title_en: String,
    pub record: RecordRef,
    /// Why it is due then, when that is not obvious (a reply deadline moved
    /// past closed days: 「11/23(月) 勤労感謝の日」); empty otherwise.
    pub why_ja: String,
    pub why_en: String,
    /// Where it stands in the owner's day (shop time): late, today, tomorrow or later.
    pub when: When,
}

/// The owner's day, in shop time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum When {
    /// Its time has passed.
    Late,
    Today,
    Tomorrow,
    #[default]
    Later,
}

/// Where an instant falls in the owner's day at `now`.
pub fn when(due_at: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> When {
    if due_at <= now {
        return When::Late;
    }
    let day = due_at.with_timezone(&tz).date_naive();
    let today = now.with_timezone(&tz).date_naive();
    if day == today {
        When::Today
    } else if Some(day) == today.succ_opt() {
        When::Tomorrow
    } else {
        When::Later
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub timezone: Tz,
    /// A password older than this many days is due for rotation.
    pub rotation_days: i64,
    /// Days before a renewal date at which it is announced, largest first.
    pub renewal_stages: Vec<i64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { timezone: chrono_tz::Asia::Tokyo, rotation_days: 365, renewal_stages: vec![90, 30, 14, 7, 1] }
    }
}

/// Everything the engine reads. Collections a compartment lock hides are empty.
#[derive(Default)]
pub struct Inputs<'a> {
    /// What the engine reads of each credential (vault; empty while locked).
    pub credentials: &'a [AccountFacts],
    /// Automatic snapshots, when a folder is configured.
    pub backup: Option<&'a BackupState>,
    /// Posting channels and their posts' timelines, by channel id (calendar compartment).
    pub channels: &'a [noren_domain::posting::calendar::Channel],
    pub timelines: &'a [noren_domain::posting::facts::Timeline],
    /// Customers' names and the inquiries that may fall due (vault; empty
    /// while locked). Other inquiries are ignored.
    pub customers: &'a [noren_domain::customers::facts::CustomerName],
    pub inquiries: &'a [noren_domain::customers::inquiry::Inquiry],
    /// Renewals (calendar compartment).
    pub renewals: &'a [noren_domain::vendors::renewal::Renewal],
    /// Incidents (vault; empty while locked).
    pub incidents: &'a [noren_domain::vendors::incident::Incident],
    /// People (vault; empty while locked), for departure checklists.
    pub people: &'a [noren_domain::people::Person],
    /// The shop's days and hours, to explain reply deadlines.
    pub shop: Option<&'a noren_domain::customers::business::ShopHours>,
}

/// "Due soon" starts this long before a reply deadline.
pub const REPLY_SOON_HOURS: i64 = 2;

/// A snapshot older than this is overdue.
pub const BACKUP_MAX_AGE_DAYS: i64 = 7;

pub use noren_base::time::{local_instant, local_midnight_utc};

/// The backup state the reminder engine looks at (gathered outside the pure engine).
#[derive(Clone, Debug)]
pub struct BackupState {
    pub dir: String,
    pub available: bool,
    pub newest: Option<DateTime<Utc>>,
}

/// The stage a renewal is in on `today`: `Some(days)` for the smallest stage
/// already reached, `Some(0)` when overdue, `None` before the first stage.
pub fn renewal_stage(due: NaiveDate, today: NaiveDate, stages: &[i64]) -> Option<i64> {
    let left = (due - today).num_days();
    if left < 0 {
        return Some(0);
    }
    stages.iter().copied().filter(|s| left <= *s).min()
}

/// Evaluates every reminder kind. Items come sorted by severity (urgent first), then due time.
pub fn due_items(inputs: &Inputs<'_>, now: DateTime<Utc>, settings: &Settings) -> Vec<DueItem> {
    let mut out = Vec::new();
    let today = now.with_timezone(&settings.timezone).date_naive();
    for c in inputs.credentials {
        if c.has_password {
            let due = c.last_rotated + Duration::days(settings.rotation_days);
            if now >= due {
                out.push(DueItem {
                    key: format!("rotation:{}", c.id),
                    kind: Kind::PasswordRotation,
                    severity: Severity::Info,
                    due_at: due,
                    title_ja: format!("パスワード変更の時期です: {}", c.name),
                    title_en: format!("Time to change the password: {}", c.name),
                    record: RecordRef { collection: "credentials", id: c.id.clone() },
                    why_ja: String::new(),
                    why_en: String::new(),
                    when: When::Later,
                });
            }
        }
        if let Some(date) = c.renewal_date {
            if let Some(item) = renewal_item(&c.id, "credentials", &c.name, date, false, today, settings) {
                out.push(item);
            }
        }
    }
    renewal_items(inputs, now, settings, &mut out);
    for dep in noren_domain::people::departures(inputs.people, inputs.credentials, settings.timezone) {
        if dep.done == dep.total {
            continue;
        }
        let next = dep.items.iter().find(|i| !i.done).map(|i| i.credential_name.clone()).unwrap_or_default();
        let p = &dep.person;
        out.push(DueItem {
            key: format!("handover:{}", p.id),
            kind: Kind::HandoverRotation,
            severity: Severity::Urgent,
            due_at: p.departed_on.map(|d| local_midnight_utc(d, settings.timezone)).unwrap_or(now),
            title_ja: format!("{}さんの退職に伴う変更: {}/{}件完了（次は「{next}」）", p.name, dep.done, dep.total),
            title_en: format!("{} has left: {}/{} accounts made safe (next: {next})", p.name, dep.done, dep.total),
            record: RecordRef { collection: "people", id: p.id.clone() },
            why_ja: String::new(),
            why_en: String::new(),
            when: When::Later,
        });
    }
    incident_items(inputs, now, settings, &mut out);
    if let Some(b) = inputs.backup {
        let overdue_since = b.newest.map(|t| t + Duration::days(BACKUP_MAX_AGE_DAYS));
        let (due, ja, en) = if !b.available {
            (now, format!("バックアップ先のフォルダが見つかりません: {}", b.dir), format!("Backup folder not available: {}", b.dir))
        } else {
            match overdue_since {
                Some(t) if now < t => (t, String::new(), String::new()),
                Some(t) => (
                    t,
                    format!("{BACKUP_MAX_AGE_DAYS}日以上バックアップがありません"),
                    format!("No backup for more than {BACKUP_MAX_AGE_DAYS} days"),
                ),
                None => (now, "まだバックアップがありません".to_string(), "No backup yet".to_string()),
            }
        };
        if !ja.is_empty() {
            out.push(DueItem {
                key: "backup:overdue".into(),
                kind: Kind::BackupOverdue,
                severity: Severity::Warning,
                due_at: due,
                title_ja: ja,
                title_en: en,
                record: RecordRef { collection: "backup", id: "backup".into() },
                why_ja: String::new(),
                why_en: String::new(),
                when: When::Later,
            });
        }
    }
    posting_items(inputs, now, settings, &mut out);
    inquiry_items(inputs, now, settings, &mut out);
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.due_at.cmp(&b.due_at)).then(a.key.cmp(&b.key)));
    for i in &mut out {
        i.when = when(i.due_at, now, settings.timezone);
    }
    out
}

/// The item for a date that must not lapse, at the stage `today` is in.
fn renewal_item(
    id: &str,
    collection: &'static str,
    name: &str,
    date: NaiveDate,
    auto: bool,
    today: NaiveDate,
    settings: &Settings,
) -> Option<DueItem> {
    let stage = renewal_stage(date, today, &settings.renewal_stages)?;
    let left = (date - today).num_days();
    let (auto_ja, auto_en) = if auto { ("（自動更新）", " (auto-renews)") } else { ("", "") };
    let (severity, ja, en) = if stage == 0 {
        (Severity::Urgent, format!("更新期限を過ぎています: {name} ({date})"), format!("Renewal overdue: {name} ({date})"))
    } else {
        // An auto-renewal only needs a look (is the card still valid?), not action.
        let sev = if auto {
            Severity::Info
        } else if stage <= 7 {
            Severity::Urgent
        } else if stage <= 30 {
            Severity::Warning
        } else {
            Severity::Info
        };
        (sev, format!("更新まであと{left}日{auto_ja}: {name} ({date})"), format!("Renewal in {left} days{auto_en}: {name} ({date})"))
    };
    Some(DueItem {
        key: format!("renewal:{id}:{stage}"),
        kind: Kind::RenewalApproaching,
        severity,
        due_at: local_midnight_utc(date, settings.timezone),
        title_ja: ja,
        title_en: en,
        record: RecordRef { collection, id: id.to_string() },
        why_ja: String::new(),
        why_en: String::new(),
        when: When::Later,
    })
}

fn renewal_items(inputs: &Inputs<'_>, now: DateTime<Utc>, settings: &Settings, out: &mut Vec<DueItem>) {
    let today = now.with_timezone(&settings.timezone).date_naive();
    for r in inputs.renewals {
        if let Some(item) = renewal_item(&r.id, "renewals", &r.name, r.due, r.auto_renew, today, settings) {
            out.push(item);
        }
    }
    for c in noren_domain::vendors::renewal::card_conflicts(inputs.renewals) {
        // Worth saying once the card is within the largest stage of expiring, or already past.
        if renewal_stage(c.card_expires, today, &settings.renewal_stages).is_none() {
            continue;
        }
        out.push(DueItem {
            key: format!("card:{}:{}:{}", c.renewal_id, c.card_id, c.card_expires),
            kind: Kind::CardExpiry,
            severity: Severity::Warning,
            due_at: local_midnight_utc(c.card_expires, settings.timezone),
            title_ja: format!("「{}」の支払いカード「{}」は{}に期限切れ（更新日 {}）", c.renewal_name, c.card_name, c.card_expires, c.due),
            title_en: format!(
                "{} is charged to card {}, which expires {} (renewal {})",
                c.renewal_name, c.card_name, c.card_expires, c.due
            ),
            record: RecordRef { collection: "renewals", id: c.renewal_id.clone() },
            why_ja: String::new(),
            why_en: String::new(),
            when: When::Later,
        });
    }
}

fn incident_items(inputs: &Inputs<'_>, now: DateTime<Utc>, settings: &Settings, out: &mut Vec<DueItem>) {
    let today = now.with_timezone(&settings.timezone).date_naive();
    for inc in inputs.incidents {
        for a in inc.actions.iter().filter(|a| a.done_at.is_none()) {
            let Some(due) = a.due else { continue };
            if due > today {
                continue;
            }
            let late = due < today;
            out.push(DueItem {
                key: format!("action:{}:{}", a.id, if late { "late" } else { "today" }),
                kind: Kind::IncidentActionDue,
                severity: if late { Severity::Urgent } else { Severity::Warning },
                due_at: local_midnight_utc(due, settings.timezone),
                title_ja: if late {
                    format!("対応項目の期限切れ（{due}）: {} — {}", a.text, inc.title)
                } else {
                    format!("今日が期限の対応項目: {} — {}", a.text, inc.title)
                },
                title_en: if late {
                    format!("Action item overdue ({due}): {} — {}", a.text, inc.title)
                } else {
                    format!("Action item due today: {} — {}", a.text, inc.title)
                },
                record: RecordRef { collection: "incidents", id: inc.id.clone() },
                why_ja: String::new(),
                why_en: String::new(),
                when: When::Later,
            });
        }
    }
}

/// Rounds days for a sentence: "3", "3.5", "14".
pub fn days_text(d: f64) -> String {
    let r = (d * 2.0).round() / 2.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

const WEEKDAY_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// Why a reply is due when it is: received when, the rule, and the closed
/// days it skipped (「11/22(日) 定休日、11/23(月) 勤労感謝の日」).
pub fn deadline_why(
    inq: &noren_domain::customers::inquiry::Inquiry,
    shop: &noren_domain::customers::business::ShopHours,
    tz: Tz,
) -> (String, String) {
    use chrono::Datelike;
    use noren_domain::customers::inquiry::ReplyPolicy;
    let got = inq.received_at.with_timezone(&tz);
    let due = inq.due_at.with_timezone(&tz);
    let day_ja = |d: NaiveDate| format!("{}/{}({})", d.month(), d.day(), WEEKDAY_JA[d.weekday().num_days_from_monday() as usize]);
    let day_en = |d: NaiveDate| d.format("%a %-d %b").to_string();
    let received_ja = format!("{} {}受付", day_ja(got.date_naive()), got.format("%H:%M"));
    let received_en = format!("received {} {}", day_en(got.date_naive()), got.format("%H:%M"));
    match inq.policy {
        ReplyPolicy::Hours(h) => (format!("{received_ja}、{h}時間以内に返信"), format!("{received_en}, reply within {h} hours")),
        ReplyPolicy::BusinessDays(n) => {
            let mut closed_ja = Vec::new();
            let mut closed_en = Vec::new();
            let mut d = got.date_naive().succ_opt();
            // Bounded: a deadline is at most a few weeks past the day received.
            for _ in 0..60 {
                let Some(day) = d.filter(|x| *x < due.date_naive()) else { break };
                if let Some(reason) = shop.closed_reason(day) {
                    closed_ja.push(format!("{} {reason}", day_ja(day)));
                    closed_en.push(day_en(day));
                }
                d = day.succ_opt();
            }
            let rule_ja = format!("{received_ja}、{n}営業日後の閉店時刻（{}）まで", due.format("%H:%M"));
            let rule_en = format!("{received_en}, {n} business day(s) later at closing time ({})", due.format("%H:%M"));
            if closed_ja.is_empty() {
                (rule_ja, rule_en)
            } else {
                (
                    format!("{rule_ja}。お休みの日を飛ばしています: {}", closed_ja.join("、")),
                    format!("{rule_en}; skipping the days the shop is closed: {}", closed_en.join(", ")),
                )
            }
        }
    }
}

fn inquiry_items(inputs: &Inputs<'_>, now: DateTime<Utc>, settings: &Settings, out: &mut Vec<DueItem>) {
    use noren_domain::customers::inquiry::{InquiryStatus, Names};
    let tz = settings.timezone;
    let today = now.with_timezone(&tz).date_naive();
    let names = Names::from_pairs(inputs.customers.iter().map(|c| (c.id.as_str(), c.name.as_str())));
    for inq in inputs.inquiries {
        // Most inquiries are answered and closed: skip them before formatting anything.
        if !noren_domain::customers::facts::may_fall_due(inq) {
            continue;
        }
        let name = names.who(inq);
        let what = format!("{name}（{}）「{}」", inq.channel.label_ja(), inq.summary);
        let what_en = format!("{name} ({}) \"{}\"", inq.channel.label_en(), inq.summary);
        let record = RecordRef { collection: "inquiries", id: inq.id.clone() };
        let stamp = inq.due_at.timestamp();
        let (why_ja, why_en) = inputs.shop.map(|s| deadline_why(inq, s, tz)).unwrap_or_default();
        let mut push = |key: String, kind: Kind, severity: Severity, due_at: DateTime<Utc>, ja: String, en: String| {
            out.push(DueItem {
                key,
                kind,
                severity,
                due_at,
                title_ja: ja,
                title_en: en,
                record: record.clone(),
                why_ja: why_ja.clone(),
                why_en: why_en.clone(),
                when: When::Later,
            });
        };
        match inq.status {
            InquiryStatus::Open => {
                let local_due = inq.due_at.with_timezone(&tz);
                let hm = local_due.format("%H:%M");
                if now >= inq.due_at {
                    push(
                        format!("reply:{}:overdue:{stamp}", inq.id),
                        Kind::ReplyOverdue,
                        Severity::Urgent,
                        inq.due_at,
                        format!("返信期限を過ぎています: {what}"),
                        format!("Reply overdue: {what_en}"),
                    );
                } else if inq.due_at - Duration::hours(REPLY_SOON_HOURS) <= now {
                    push(
                        format!("reply:{}:soon:{stamp}", inq.id),
                        Kind::ReplyDueSoon,
                        Severity::Warning,
                        inq.due_at,
                        format!("{hm}までに返信: {what}"),
                        format!("Reply by {hm}: {what_en}"),
                    );
                } else if inq.promise().is_some_and(|p| p.with_timezone(&tz).date_naive() == today) {
                    push(
                        format!("promise:{}:{today}", inq.id),
                        Kind::PromiseDue,
                        Severity::Warning,
                        inq.due_at,
                        format!("今日{hm}までに返信すると約束しています: {what}"),
                        format!("You promised to reply by {hm} today: {what_en}"),
                    );
                } else if local_due.date_naive() == today {
                    push(
                        format!("reply:{}:today:{stamp}", inq.id),
                        Kind::ReplyDueToday,
                        Severity::Info,
                        inq.due_at,
                        format!("今日{hm}までに返信: {what}"),
                        format!("Reply today by {hm}: {what_en}"),
                    );
                } else if today.succ_opt() == Some(local_due.date_naive()) {
                    // A complaint waits for no one: above the rest of the day's list.
                    let severity = if inq.kind == noren_domain::customers::inquiry::InquiryKind::Complaint {
                        Severity::Warning
                    } else {
                        Severity::Info
                    };
                    push(
                        format!("reply:{}:tomorrow:{stamp}", inq.id),
                        Kind::ReplyDueTomorrow,
                        severity,
                        inq.due_at,
                        format!("明日{hm}までに返信: {what}"),
                        format!("Reply by {hm} tomorrow: {what_en}"),
                    );
                }
            }
            InquiryStatus::Done => {
                if let (Some(f), false) = (inq.follow_up, inq.follow_up_done) {
                    if f <= today {
                        push(
                            format!("followup:{}", inq.id),
                            Kind::FollowUpDue,
                            Severity::Warning,
                            local_midnight_utc(f, tz),
                            format!("フォローアップの日です: {what}"),
                            format!("Follow up: {what_en}"),
                        );
                    }
                }
            }
            InquiryStatus::Waiting | InquiryStatus::Spam => {}
        }
    }
}

fn posting_items(inputs: &Inputs<'_>, now: DateTime<Utc>, settings: &Settings, out: &mut Vec<DueItem>) {
    use noren_domain::posting::calendar::{is_lapsed, views_of};
    use noren_domain::posting::rhythm::Status;
    for (ch, v) in inputs.channels.iter().zip(views_of(inputs.channels, inputs.timelines, now, settings.timezone)) {
        if is_lapsed(&v) {
            let a = &v.assessment;
            let serious = a.status == Status::Serious;
            let usual = days_text(a.usual_days);
            let silent = a.silence_days.floor();
            out.push(DueItem {
                key: format!("lapse:{}:{}", ch.id, if serious { "serious" } else { "lapsed" }),
                kind: Kind::PostingLapse,
                severity: if serious { Severity::Urgent } else { Severity::Warning },
                due_at: a.lapse_at.unwrap_or(now),
                title_ja: format!("「{}」の投稿が止まっています。普段は約{usual}日ごと、最後の投稿から{silent}日", ch.name),
                title_en: format!("{} has gone quiet: usually every ~{usual} days, {silent} days since the last post", ch.name),
                record: RecordRef { collection: "channels", id: ch.id.clone() },
                why_ja: String::new(),
                why_en: String::new(),
                when: When::Later,
            });
        }
        if ch.paused {
            continue;
        }
        for p in &v.missed {
            let date = p.planned_for.map(|d| d.to_string()).unwrap_or_default();
            let what = if p.title.is_empty() { p.note.lines().next().unwrap_or("").to_string() } else { p.title.clone() };
            out.push(DueItem {
                key: format!("planned:{}", p.id),
                kind: Kind::PlannedPostMissed,
                severity: Severity::Warning,
                due_at: p.at + Duration::days(1),
                title_ja: format!("予定の投稿がまだです: {} 「{what}」({date})", ch.name),
                title_en: format!("Planned post not published yet: {} \"{what}\" ({date})", ch.name),
                record: RecordRef { collection: "posts", id: p.id.clone() },
                why_ja: String::new(),
                why_en: String::new(),
                when: When::Later,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine points only at the collections the window knows (`RecordRef`'s TypeScript type).
    #[test]
    fn due_items_point_only_at_the_collections_the_window_dispatches_on() {
        let source = include_str!("engine.rs");
        let used: std::collections::BTreeSet<&str> =
            source.split("RecordRef { collection: \"").skip(1).filter_map(|s| s.split('"').next()).collect();
        assert_eq!(used.into_iter().collect::<Vec<_>>(), RECORD_COLLECTIONS.to_vec());
        let ts = <RecordRef as TS>::decl(&ts_rs::Config::default());
        for c in RECORD_COLLECTIONS {
            assert!(ts.contains(&format!("\"{c}\"")), "{c} missing from {ts}");
        }
    }

    #[test]
    fn the_owners_day_is_counted_in_shop_time() {
        let tz = chrono_tz::Asia::Tokyo;
        let t = |s: &str| DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).unwrap_or_default();
        // 00:30 on 12/2 in Tokyo is still 12/1 in UTC: "today" is Tokyo's.
        let now = t("2026-12-02T00:30:00+09:00");
        assert_eq!(when(now, now, tz), When::Late, "due now is late");
        assert_eq!(when(t("2026-12-01T23:00:00+09:00"), now, tz), When::Late);
        assert_eq!(when(t("2026-12-02T23:59:00+09:00"), now, tz), When::Today);
        assert_eq!(when(t("2026-12-03T00:00:00+09:00"), now, tz), When::Tomorrow);
        assert_eq!(when(t("2026-12-03T23:59:00+09:00"), now, tz), When::Tomorrow);
        assert_eq!(when(t("2026-12-04T00:00:00+09:00"), now, tz), When::Later);
        // In UTC the same instants fall differently: the zone is not ignored.
        assert_eq!(when(t("2026-12-02T16:00:00+09:00"), now, chrono_tz::UTC), When::Tomorrow);
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn backup_overdue_after_seven_days_or_missing_folder() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
        let st = |available, newest| BackupState { dir: "/media/usb".into(), available, newest };
        let eval = |b: &BackupState| due_items(&Inputs { backup: Some(b), ..Default::default() }, now, &Settings::default());
        assert!(eval(&st(true, Some(now - Duration::days(6)))).is_empty());
        let late = eval(&st(true, Some(now - Duration::days(8))));
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].kind, Kind::BackupOverdue);
        assert_eq!(eval(&st(true, None)).len(), 1);
        assert!(eval(&st(false, Some(now)))[0].title_ja.contains("見つかりません"));
        assert!(due_items(&Inputs::default(), now, &Settings::default()).is_empty());
    }

    #[test]
    fn renewal_stages() {
        let st = [90, 30, 14, 7, 1];
        assert_eq!(renewal_stage(d("2027-03-31"), d("2026-12-01"), &st), None);
        assert_eq!(renewal_stage(d("2027-03-31"), d("2027-01-01"), &st), Some(90));
        assert_eq!(renewal_stage(d("2027-03-31"), d("2027-03-01"), &st), Some(30));
        assert_eq!(renewal_stage(d("2027-03-31"), d("2027-03-30"), &st), Some(1));
        assert_eq!(renewal_stage(d("2027-03-31"), d("2027-03-31"), &st), Some(1));
        assert_eq!(renewal_stage(d("2027-03-31"), d("2027-04-01"), &st), Some(0));
    }
}
