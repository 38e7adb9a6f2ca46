//! The reminder engine: one pure function of (store contents, now) → due items.
//!
//! Later features add kinds (posting lapse, reply overdue, …); every kind is
//! evaluated here so the app's timer and `noren-cli check` agree exactly.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use noren_base::messages::Message;
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
    /// A login was edited on two laptops at once: the newer version was kept, the other saved.
    EditConflict,
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
    pub collection: Collection,
    pub id: String,
}

/// What a due item can point to, the window dispatches on (its TypeScript type is
/// generated from this enum; the names on the wire are the ones the CLI's `--json` has
/// always had).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Collection {
    Backup,
    Channels,
    Credentials,
    Incidents,
    Inquiries,
    People,
    Posts,
    Renewals,
}

impl Collection {
    /// The name on the wire (`"credentials"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Collection::Backup => "backup",
            Collection::Channels => "channels",
            Collection::Credentials => "credentials",
            Collection::Incidents => "incidents",
            Collection::Inquiries => "inquiries",
            Collection::People => "people",
            Collection::Posts => "posts",
            Collection::Renewals => "renewals",
        }
    }
}

impl PartialEq<&str> for Collection {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct DueItem {
    /// Stable per item and stage: notifications are deduplicated on it.
    pub key: String,
    pub kind: Kind,
    pub severity: Severity,
    pub due_at: DateTime<Utc>,
    /// What is due, as a catalogue message (a key and its parameters, no prose): short and
    /// safe to show in a desktop notification (no secrets). Front ends render it.
    pub title: Message,
    pub record: RecordRef,
    /// Why it is due then, when that is not obvious (a reply deadline moved
    /// past closed days: 「11/23(月) 勤労感謝の日」); none otherwise.
    pub why: Option<Message>,
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
    /// Logins edited on two laptops at once and not yet looked at (vault; empty while locked).
    pub conflicts: &'a [EditConflict],
}

/// A login whose version made on another laptop at the same time lost (and is kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditConflict {
    /// The conflict (what closes it).
    pub id: String,
    pub credential_id: String,
    pub name: String,
    pub found_at: DateTime<Utc>,
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
                    title: Message::new("due-rotation").with("name", &c.name),
                    record: RecordRef { collection: Collection::Credentials, id: c.id.clone() },
                    why: None,
                    when: When::Later,
                });
            }
        }
        if let Some(date) = c.renewal_date {
            if let Some(item) = renewal_item(&c.id, Collection::Credentials, &c.name, date, false, today, settings) {
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
            title: Message::new("due-handover").with("name", &p.name).with("done", dep.done).with("total", dep.total).with("next", next),
            record: RecordRef { collection: Collection::People, id: p.id.clone() },
            why: None,
            when: When::Later,
        });
    }
    for c in inputs.conflicts {
        out.push(DueItem {
            key: format!("conflict:{}", c.id),
            kind: Kind::EditConflict,
            severity: Severity::Warning,
            due_at: c.found_at,
            title: Message::new("due-edit-conflict").with("name", &c.name),
            record: RecordRef { collection: Collection::Credentials, id: c.credential_id.clone() },
            why: None,
            when: When::Later,
        });
    }
    incident_items(inputs, now, settings, &mut out);
    if let Some(b) = inputs.backup {
        let overdue_since = b.newest.map(|t| t + Duration::days(BACKUP_MAX_AGE_DAYS));
        let due = if !b.available {
            Some((now, Message::new("due-backup-missing").with("dir", &b.dir)))
        } else {
            match overdue_since {
                Some(t) if now < t => None,
                Some(t) => Some((t, Message::new("due-backup-old").with("days", BACKUP_MAX_AGE_DAYS))),
                None => Some((now, Message::new("due-backup-none"))),
            }
        };
        if let Some((due, title)) = due {
            out.push(DueItem {
                key: "backup:overdue".into(),
                kind: Kind::BackupOverdue,
                severity: Severity::Warning,
                due_at: due,
                title,
                record: RecordRef { collection: Collection::Backup, id: "backup".into() },
                why: None,
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
    collection: Collection,
    name: &str,
    date: NaiveDate,
    auto: bool,
    today: NaiveDate,
    settings: &Settings,
) -> Option<DueItem> {
    let stage = renewal_stage(date, today, &settings.renewal_stages)?;
    let left = (date - today).num_days();
    let (severity, title) = if stage == 0 {
        (Severity::Urgent, Message::new("due-renewal-overdue").with("name", name).with("date", date))
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
        let key = if auto { "due-renewal-soon-auto" } else { "due-renewal-soon" };
        (sev, Message::new(key).with("left", left).with("name", name).with("date", date))
    };
    Some(DueItem {
        key: format!("renewal:{id}:{stage}"),
        kind: Kind::RenewalApproaching,
        severity,
        due_at: local_midnight_utc(date, settings.timezone),
        title,
        record: RecordRef { collection, id: id.to_string() },
        why: None,
        when: When::Later,
    })
}

fn renewal_items(inputs: &Inputs<'_>, now: DateTime<Utc>, settings: &Settings, out: &mut Vec<DueItem>) {
    let today = now.with_timezone(&settings.timezone).date_naive();
    for r in inputs.renewals {
        if let Some(item) = renewal_item(&r.id, Collection::Renewals, &r.name, r.due, r.auto_renew, today, settings) {
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
            title: Message::new("due-card")
                .with("renewal", &c.renewal_name)
                .with("card", &c.card_name)
                .with("expires", c.card_expires)
                .with("due", c.due),
            record: RecordRef { collection: Collection::Renewals, id: c.renewal_id.clone() },
            why: None,
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
                title: Message::new(if late { "due-action-late" } else { "due-action-today" })
                    .with("due", due)
                    .with("action", &a.text)
                    .with("incident", &inc.title),
                record: RecordRef { collection: Collection::Incidents, id: inc.id.clone() },
                why: None,
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

/// A day as the owner reads it: 「11/23(月)」, "Mon 23 Nov".
fn short_day(d: NaiveDate) -> Message {
    use chrono::Datelike;
    Message::new("date-short")
        .with_number("month", i64::from(d.month()))
        .with_number("day", i64::from(d.day()))
        .with_number("weekday", i64::from(d.weekday().num_days_from_monday()))
}

/// Why the shop is closed on a day, for a sentence.
fn closed_reason(c: noren_domain::customers::business::Closed) -> Message {
    use noren_domain::customers::business::Closed;
    match c {
        Closed::Weekly => Message::new("closed-weekly"),
        Closed::Holiday(name) => {
            noren_domain::customers::holidays::holiday_key(name).map_or_else(|| Message::new("closed-holiday"), Message::new)
        }
        Closed::Period(note) if note.is_empty() => Message::new("closed-period"),
        Closed::Period(note) => Message::new("closed-note").with("note", note),
    }
}

/// Why a reply is due when it is: received when, the rule, and the closed
/// days it skipped (「11/22(日) 定休日、11/23(月) 勤労感謝の日」).
pub fn deadline_why(
    inq: &noren_domain::customers::inquiry::Inquiry,
    shop: &noren_domain::customers::business::ShopHours,
    tz: Tz,
) -> Message {
    use noren_domain::customers::inquiry::ReplyPolicy;
    let got = inq.received_at.with_timezone(&tz);
    let due = inq.due_at.with_timezone(&tz);
    let received = Message::new("due-why-received").with_message("day", short_day(got.date_naive())).with("time", got.format("%H:%M"));
    match inq.policy {
        ReplyPolicy::Hours(h) => Message::new("due-why-hours").with_message("received", received).with("hours", h),
        ReplyPolicy::BusinessDays(n) => {
            let mut closed = Vec::new();
            let mut d = got.date_naive().succ_opt();
            // Bounded: a deadline is at most a few weeks past the day received.
            for _ in 0..60 {
                let Some(day) = d.filter(|x| *x < due.date_naive()) else { break };
                if let Some(reason) = shop.closed_on(day) {
                    closed.push(
                        Message::new("due-why-closed-day")
                            .with_message("day", short_day(day))
                            .with_message("reason", closed_reason(reason)),
                    );
                }
                d = day.succ_opt();
            }
            let rule = Message::new("due-why-days").with_message("received", received).with("n", n).with("time", due.format("%H:%M"));
            if closed.is_empty() {
                rule
            } else {
                Message::new("due-why-skipped").with_message("rule", rule).with_list("closed", closed)
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
        let what = Message::new("due-inquiry-what")
            .with("name", name)
            .with_message("channel", Message::of_enum("contact", &inq.channel))
            .with("summary", &inq.summary);
        let record = RecordRef { collection: Collection::Inquiries, id: inq.id.clone() };
        let stamp = inq.due_at.timestamp();
        let why = inputs.shop.map(|s| deadline_why(inq, s, tz));
        let mut push = |key: String, kind: Kind, severity: Severity, due_at: DateTime<Utc>, title: &str, time: Option<String>| {
            let mut title = Message::new(title).with_message("what", what.clone());
            if let Some(t) = time {
                title = title.with("time", t);
            }
            out.push(DueItem { key, kind, severity, due_at, title, record: record.clone(), why: why.clone(), when: When::Later });
        };
        match inq.status {
            InquiryStatus::Open => {
                let local_due = inq.due_at.with_timezone(&tz);
                let hm = local_due.format("%H:%M").to_string();
                if now >= inq.due_at {
                    push(
                        format!("reply:{}:overdue:{stamp}", inq.id),
                        Kind::ReplyOverdue,
                        Severity::Urgent,
                        inq.due_at,
                        "due-reply-overdue",
                        None,
                    );
                } else if inq.due_at - Duration::hours(REPLY_SOON_HOURS) <= now {
                    push(
                        format!("reply:{}:soon:{stamp}", inq.id),
                        Kind::ReplyDueSoon,
                        Severity::Warning,
                        inq.due_at,
                        "due-reply-soon",
                        Some(hm.clone()),
                    );
                } else if inq.promise().is_some_and(|p| p.with_timezone(&tz).date_naive() == today) {
                    push(
                        format!("promise:{}:{today}", inq.id),
                        Kind::PromiseDue,
                        Severity::Warning,
                        inq.due_at,
                        "due-promise",
                        Some(hm.clone()),
                    );
                } else if local_due.date_naive() == today {
                    push(
                        format!("reply:{}:today:{stamp}", inq.id),
                        Kind::ReplyDueToday,
                        Severity::Info,
                        inq.due_at,
                        "due-reply-today",
                        Some(hm.clone()),
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
                        "due-reply-tomorrow",
                        Some(hm.clone()),
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
                            "due-followup",
                            None,
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
                title: Message::new("due-lapse").with("name", &ch.name).with("usual", usual).with("silent", silent),
                record: RecordRef { collection: Collection::Channels, id: ch.id.clone() },
                why: None,
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
                title: Message::new("due-planned").with("channel", &ch.name).with("what", what).with("date", date),
                record: RecordRef { collection: Collection::Posts, id: p.id.clone() },
                why: None,
                when: When::Later,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind names its notification in the catalogue, every contact channel its label, every
    /// holiday its name; a day is written the language's way.
    #[test]
    fn keys_built_from_values_are_in_the_catalogue() {
        use noren_base::messages::{has, Lang};
        use noren_domain::customers::customer::ContactKind;
        let kinds = [
            Kind::PostingLapse,
            Kind::PlannedPostMissed,
            Kind::ReplyOverdue,
            Kind::ReplyDueSoon,
            Kind::ReplyDueToday,
            Kind::ReplyDueTomorrow,
            Kind::PromiseDue,
            Kind::FollowUpDue,
            Kind::PasswordRotation,
            Kind::RenewalApproaching,
            Kind::CardExpiry,
            Kind::IncidentActionDue,
            Kind::BackupOverdue,
            Kind::HandoverRotation,
            Kind::EditConflict,
        ];
        for k in kinds {
            assert!(has(&Message::of_enum("notify", &k).key), "{k:?}");
        }
        use ContactKind::*;
        for c in [Line, Email, Phone, Instagram, Facebook, X, GoogleReview, HotpepperReview, Other] {
            assert!(has(&Message::of_enum("contact", &c).key), "{c:?}");
        }
        for year in [2026, 2027, 2028] {
            for (_, name) in noren_domain::customers::holidays::holidays(year) {
                let key = noren_domain::customers::holidays::holiday_key(name).unwrap();
                assert!(has(key), "{key}");
                assert_eq!(Message::new(key).text(Lang::Ja), name);
            }
        }
        let day = short_day(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!((day.text(Lang::Ja).as_str(), day.text(Lang::En).as_str()), ("11/23(月)", "Mon 23 Nov"));
        let sun = short_day(NaiveDate::from_ymd_opt(2026, 12, 27).unwrap());
        assert_eq!((sun.text(Lang::Ja).as_str(), sun.text(Lang::En).as_str()), ("12/27(日)", "Sun 27 Dec"));
    }

    /// The wire names are the ones the CLI's `--json` and the window always had.
    #[test]
    fn collections_keep_their_wire_names() {
        use Collection::*;
        let all = [Backup, Channels, Credentials, Incidents, Inquiries, People, Posts, Renewals];
        let wire: Vec<String> = all.iter().map(|c| serde_json::to_value(c).unwrap().as_str().unwrap().to_string()).collect();
        assert_eq!(wire, ["backup", "channels", "credentials", "incidents", "inquiries", "people", "posts", "renewals"]);
        assert!(all.iter().zip(&wire).all(|(c, w)| c.as_str() == w && *c == w.as_str()));
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
        assert!(eval(&st(false, Some(now)))[0].title.text(noren_base::messages::Lang::Ja).contains("見つかりません"));
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
