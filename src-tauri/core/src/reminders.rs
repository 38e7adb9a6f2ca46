//! The reminder engine: one pure function of (store contents, now) → due items.
//!
//! Later features add kinds (posting lapse, reply overdue, …); every kind is
//! evaluated here so the app's timer and `noren-cli check` agree exactly.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use crate::credential::Credential;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Kind {
    PostingLapse,
    PlannedPostMissed,
    ReplyOverdue,
    FollowUpDue,
    PasswordRotation,
    RenewalApproaching,
    IncidentActionDue,
    BackupOverdue,
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
    #[ts(type = "string")]
    pub collection: &'static str,
    pub id: String,
}

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
        Settings {
            timezone: chrono_tz::Asia::Tokyo,
            rotation_days: 365,
            renewal_stages: vec![90, 30, 14, 7, 1],
        }
    }
}

/// Everything the engine reads. Collections a compartment lock hides are empty.
#[derive(Default)]
pub struct Inputs<'a> {
    pub credentials: &'a [Credential],
}

fn local_midnight_utc(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    use chrono::TimeZone;
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| naive.and_utc())
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
        if !c.password.is_empty() {
            let due = c.last_rotated + Duration::days(settings.rotation_days);
            if now >= due {
                out.push(DueItem {
                    key: format!("rotation:{}", c.id),
                    kind: Kind::PasswordRotation,
                    severity: Severity::Info,
                    due_at: due,
                    title_ja: format!("パスワード変更の時期です: {}", c.name),
                    title_en: format!("Time to change the password: {}", c.name),
                    record: RecordRef {
                        collection: "credentials",
                        id: c.id.clone(),
                    },
                });
            }
        }
        if let Some(date) = c.renewal_date {
            if let Some(stage) = renewal_stage(date, today, &settings.renewal_stages) {
                let left = (date - today).num_days();
                let (severity, ja, en) = if stage == 0 {
                    (
                        Severity::Urgent,
                        format!("更新期限を過ぎています: {} ({date})", c.name),
                        format!("Renewal overdue: {} ({date})", c.name),
                    )
                } else {
                    let sev = if stage <= 7 {
                        Severity::Urgent
                    } else if stage <= 30 {
                        Severity::Warning
                    } else {
                        Severity::Info
                    };
                    (
                        sev,
                        format!("更新まであと{left}日: {} ({date})", c.name),
                        format!("Renewal in {left} days: {} ({date})", c.name),
                    )
                };
                out.push(DueItem {
                    key: format!("renewal:{}:{stage}", c.id),
                    kind: Kind::RenewalApproaching,
                    severity,
                    due_at: local_midnight_utc(date, settings.timezone),
                    title_ja: ja,
                    title_en: en,
                    record: RecordRef {
                        collection: "credentials",
                        id: c.id.clone(),
                    },
                });
            }
        }
    }
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.due_at.cmp(&b.due_at))
            .then(a.key.cmp(&b.key))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn renewal_stages() {
        let st = [90, 30, 14, 7, 1];
        assert_eq!(renewal_stage(d("2027-03-31"), d("2026-12-01"), &st), None);
        assert_eq!(
            renewal_stage(d("2027-03-31"), d("2027-01-01"), &st),
            Some(90)
        );
        assert_eq!(
            renewal_stage(d("2027-03-31"), d("2027-03-01"), &st),
            Some(30)
        );
        assert_eq!(
            renewal_stage(d("2027-03-31"), d("2027-03-30"), &st),
            Some(1)
        );
        assert_eq!(
            renewal_stage(d("2027-03-31"), d("2027-03-31"), &st),
            Some(1)
        );
        assert_eq!(
            renewal_stage(d("2027-03-31"), d("2027-04-01"), &st),
            Some(0)
        );
    }
}
