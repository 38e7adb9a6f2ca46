//! A channel's usual posting rhythm and when its silence becomes a lapse.
//!
//! Pure functions of the posting history and `now`. The detector was chosen
//! on real posting histories (`examples/lapse_bench.rs`, docs/lapse-detection.md):
//!
//! * **usual rhythm** `u`: the median of the last 10 intervals between posts;
//! * **serious** silence: longer than `max(4u, 14 days)`, and we never wait
//!   longer than that before alerting, so every serious silence is caught;
//! * **bursts**: several posts on one day pull the median towards zero although
//!   the channel's real rhythm is the gap between posting days, so the alert
//!   point scales with the median of gaps of at least half a day;
//! * **flakiness**: a channel that recently went silent seriously is likely to
//!   do it again, so the alert comes earlier (70 % → 40 % of the way to serious);
//! * never before 10 days of silence (a week off is normal for a small shop).
//!
//! With fewer than [`MIN_INTERVALS`] intervals the rhythm comes from the
//! owner's target ("every N days") or a per-kind default.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

/// Intervals considered for the usual rhythm.
pub const WINDOW: usize = 10;
/// Below this many intervals the history is too short to learn from.
pub const MIN_INTERVALS: usize = 4;
/// Intervals looked back for earlier serious silences.
pub const FLAKY_WINDOW: usize = 20;
/// Never alert before this many days of silence.
pub const MIN_ALERT_DAYS: f64 = 10.0;
/// A silence is serious beyond `max(SERIOUS_FACTOR × usual, SERIOUS_MIN_DAYS)`.
pub const SERIOUS_FACTOR: f64 = 4.0;
pub const SERIOUS_MIN_DAYS: f64 = 14.0;

const DAY_SECS: f64 = 86_400.0;

fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

/// The median of the last [`WINDOW`] intervals.
pub fn usual_interval(intervals: &[f64]) -> Option<f64> {
    median(&intervals[intervals.len().saturating_sub(WINDOW)..])
}

/// When a silence after a usual interval of `usual` days counts as serious.
pub fn serious_after(usual: f64) -> f64 {
    (SERIOUS_FACTOR * usual).max(SERIOUS_MIN_DAYS)
}

/// The constants of the detector of issue 4 (chosen on the ten reference
/// histories): the alert comes `steady` of the way to the serious bound for a
/// steady channel, `flaky_drop` earlier for one with four or more recent
/// serious silences.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub steady: f64,
    pub flaky_drop: f64,
    pub min_days: f64,
}

pub const ISSUE_4_RULE: Rule = Rule { steady: 0.7, flaky_drop: 0.3, min_days: MIN_ALERT_DAYS };

/// After how many days of silence the detector alerts, from past intervals
/// only (days, oldest first). `None` when the history is too short.
pub fn alert_after(intervals: &[f64]) -> Option<f64> {
    alert_after_rule(intervals, &ISSUE_4_RULE)
}

/// The gaps between posting days against the usual interval (1 without bursts).
pub fn burst_ratio(intervals: &[f64], usual: f64) -> f64 {
    let days: Vec<f64> = intervals.iter().copied().filter(|d| *d >= 0.5).collect();
    match median(&days[days.len().saturating_sub(WINDOW)..]) {
        Some(m) => m / usual.max(0.5),
        None => 1.0,
    }
}

/// [`alert_after`] with other constants (for measuring them out of sample).
pub fn alert_after_rule(intervals: &[f64], rule: &Rule) -> Option<f64> {
    if intervals.len() < MIN_INTERVALS {
        return None;
    }
    let usual = usual_interval(intervals)?;
    let bound = serious_after(usual);
    // Bursts: the rhythm between posting days.
    let burst_ratio = burst_ratio(intervals, usual);
    // Flakiness: serious silences among the recent intervals, each judged by its own past.
    let n = intervals.len();
    let serious = (n.saturating_sub(FLAKY_WINDOW).max(WINDOW)..n)
        .filter(|&j| usual_interval(&intervals[..j]).is_some_and(|u| intervals[j] > serious_after(u)))
        .count();
    Some(rule_alert(bound, burst_ratio, serious, rule))
}

/// The rule's alert point from its three inputs: the serious bound, the
/// burst ratio and the number of serious silences among the last
/// [`FLAKY_WINDOW`] intervals.
pub fn rule_alert(bound: f64, burst_ratio: f64, recent_serious: usize, rule: &Rule) -> f64 {
    let flaky = recent_serious.min(4) as f64 / 4.0;
    let fraction = (rule.steady - rule.flaky_drop * flaky).max(0.1);
    (fraction * bound * burst_ratio).max(rule.min_days).min(bound)
}

/// Days between consecutive instants (sorted ascending by the caller).
pub fn intervals(times: &[DateTime<Utc>]) -> Vec<f64> {
    times.windows(2).map(|w| (w[1] - w[0]).num_seconds() as f64 / DAY_SECS).collect()
}

/// Where the rhythm figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Basis {
    History,
    Target,
    KindDefault,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Status {
    /// Never posted: nothing to compare with yet.
    NoPosts,
    Healthy,
    /// Silent beyond the usual rhythm.
    Lapsed,
    /// Silent beyond `max(4 × usual, 14 days)`.
    Serious,
}

/// A channel's rhythm as of `now`.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Assessment {
    pub status: Status,
    pub basis: Basis,
    /// Usual days between posts.
    pub usual_days: f64,
    /// Days of silence at which the channel counts as lapsed.
    pub lapse_after_days: f64,
    pub serious_after_days: f64,
    /// Days since the last post (0 without posts).
    pub silence_days: f64,
    pub last_post: Option<DateTime<Utc>>,
    /// When the lapse begins (or began).
    pub lapse_at: Option<DateTime<Utc>>,
}

/// Assesses a history (`times` ascending) at `now`. `fallback_days` is the
/// target rhythm or the kind's default, used while history is short.
pub fn assess(times: &[DateTime<Utc>], now: DateTime<Utc>, target_days: Option<f64>, kind_default_days: f64) -> Assessment {
    let past: Vec<DateTime<Utc>> = times.iter().copied().filter(|t| *t <= now).collect();
    let iv = intervals(&past);
    let (basis, usual, lapse_after) = match (alert_after(&iv), usual_interval(&iv)) {
        (Some(after), Some(u)) => (Basis::History, u, after),
        _ => {
            let (basis, days) = match target_days {
                Some(d) => (Basis::Target, d),
                None => (Basis::KindDefault, kind_default_days),
            };
            // Without history, a lapse is twice the intended rhythm (at least 3 days late).
            (basis, days, (2.0 * days).max(days + 3.0).min(serious_after(days)))
        }
    };
    let serious = serious_after(usual);
    let last = past.last().copied();
    let silence = last.map(|t| (now - t).num_seconds() as f64 / DAY_SECS).unwrap_or(0.0);
    let status = match last {
        None => Status::NoPosts,
        Some(_) if silence > serious => Status::Serious,
        Some(_) if silence >= lapse_after => Status::Lapsed,
        Some(_) => Status::Healthy,
    };
    let lapse_at = last.map(|t| t + chrono::Duration::seconds((lapse_after * DAY_SECS) as i64));
    Assessment {
        status,
        basis,
        usual_days: usual,
        lapse_after_days: lapse_after,
        serious_after_days: serious,
        silence_days: silence,
        last_post: last,
        lapse_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 5, 1, 0, 0).unwrap()
    }

    fn every(days: &[i64]) -> Vec<DateTime<Utc>> {
        let mut t = start();
        let mut out = vec![t];
        for d in days {
            t += Duration::days(*d);
            out.push(t);
        }
        out
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn regular_weekly_alerts_between_two_and_four_weeks() {
        let iv = vec![7.0; 30];
        let a = alert_after(&iv).unwrap();
        assert!(a > 14.0 && a <= 28.0, "{a}");
    }

    #[test]
    fn short_history_gives_no_learned_threshold() {
        assert_eq!(alert_after(&[3.0, 3.0, 3.0]), None);
        assert!(alert_after(&[3.0, 3.0, 3.0, 3.0]).is_some());
    }

    #[test]
    fn never_later_than_serious_and_never_before_ten_days() {
        for iv in [vec![0.0; 12], vec![1.0; 12], vec![30.0; 12], vec![0.0, 0.0, 9.0, 0.0, 0.0, 9.0, 0.0, 0.0, 9.0, 0.0, 0.0]] {
            let a = alert_after(&iv).unwrap();
            let bound = serious_after(usual_interval(&iv).unwrap());
            assert!(a <= bound && a >= MIN_ALERT_DAYS.min(bound), "{iv:?} → {a}");
        }
    }

    #[test]
    fn bursts_do_not_shrink_the_rhythm() {
        // Three posts every Monday, nothing else: intervals 0,0,7,…
        let burst: Vec<f64> = (0..12).flat_map(|_| [0.0, 0.0, 7.0]).collect();
        let plain = vec![7.0; 36];
        let with_bursts = alert_after(&burst).unwrap();
        // The raw median is 0 (bound 14 d): the gaps between posting days stretch the alert to the bound.
        assert!(with_bursts > 10.0, "{with_bursts}");
        assert!(alert_after(&plain).unwrap() > with_bursts);
    }

    #[test]
    fn recent_serious_silences_bring_the_alert_forward() {
        let steady = vec![5.0; 30];
        let mut flaky = vec![5.0; 10];
        for _ in 0..4 {
            flaky.extend([5.0, 40.0, 5.0, 5.0, 5.0]);
        }
        flaky.extend([5.0; 10]);
        let s = alert_after(&steady).unwrap();
        let f = alert_after(&flaky).unwrap();
        assert!(f < s, "flaky {f} steady {s}");
    }

    #[test]
    fn assess_regular_three_day_rhythm() {
        let times = every(&[3; 20]);
        let last = *times.last().unwrap();
        let a = assess(&times, last + Duration::days(5), None, 7.0);
        assert_eq!((a.status, a.basis), (Status::Healthy, Basis::History));
        assert_eq!(a.usual_days, 3.0);
        let a = assess(&times, last + Duration::days(11), None, 7.0);
        assert_eq!(a.status, Status::Lapsed);
        let a = assess(&times, last + Duration::days(15), None, 7.0);
        assert_eq!(a.status, Status::Serious);
    }

    #[test]
    fn irregular_but_healthy_history_does_not_alert() {
        // A shop that posts 1–9 days apart, no pattern, and the current silence is 8 days.
        let times = every(&[1, 5, 2, 9, 3, 7, 2, 6, 4, 8, 1, 3, 9, 2, 5]);
        let last = *times.last().unwrap();
        let a = assess(&times, last + Duration::days(8), None, 7.0);
        assert_eq!(a.status, Status::Healthy, "{a:?}");
    }

    #[test]
    fn monthly_rhythm_tolerates_five_weeks() {
        let times = every(&[30, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31]);
        let last = *times.last().unwrap();
        assert_eq!(assess(&times, last + Duration::days(36), None, 7.0).status, Status::Healthy);
        assert_eq!(assess(&times, last + Duration::days(130), None, 7.0).status, Status::Serious);
    }

    #[test]
    fn short_history_uses_target_then_kind_default() {
        let times = every(&[2, 2]);
        let last = *times.last().unwrap();
        let a = assess(&times, last + Duration::days(5), Some(2.0), 7.0);
        assert_eq!((a.basis, a.status), (Basis::Target, Status::Lapsed));
        let a = assess(&times, last + Duration::days(5), None, 7.0);
        assert_eq!((a.basis, a.status), (Basis::KindDefault, Status::Healthy));
        assert_eq!(assess(&[], last, None, 7.0).status, Status::NoPosts);
    }

    #[test]
    fn future_posts_are_ignored() {
        let times = every(&[3; 20]);
        let now = times[5] + Duration::hours(1);
        let a = assess(&times, now, None, 7.0);
        assert_eq!(a.last_post, Some(times[5]));
    }
}
