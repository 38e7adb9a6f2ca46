//! The detection-quality protocol of the posting-lapse detector (issue 4),
//! shared by `examples/lapse_bench.rs` and the regression test.
//!
//! For each history: skip the first 10 intervals; at each later silence the
//! usual rhythm is the median of the previous 10 intervals; a silence is
//! serious when it lasts longer than max(4 × usual, 14 d); a detector says,
//! from the past only, after how many days of silence it alerts; it catches a
//! serious silence when it alerts before the silence ends, and raises a false
//! alarm when it alerts in a silence that ends before becoming serious.
//! Channel-years run from the 11th post to the last.

use chrono::{DateTime, NaiveDate, Utc};

use crate::rhythm;

pub struct History {
    pub name: String,
    pub times: Vec<DateTime<Utc>>,
}

/// Reads a history file: a header line, then one RFC 3339 instant or
/// `YYYY-MM-DD` (UTC midnight) per line.
pub fn parse_history(name: &str, text: &str) -> Result<History, String> {
    let mut times = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        let t = DateTime::parse_from_rfc3339(l).map(|d| d.with_timezone(&Utc)).or_else(|_| {
            NaiveDate::parse_from_str(l, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
                .map_err(|_| format!("{name} line {}: {l:?} is not a date", n + 1))
        })?;
        times.push(t);
    }
    times.sort();
    Ok(History { name: name.to_string(), times })
}

#[derive(Clone, Debug, Default)]
pub struct Score {
    pub serious: usize,
    pub caught: usize,
    /// Days of silence at the alert, for each caught serious silence.
    pub delays: Vec<f64>,
    pub false_alarms: usize,
    pub channel_years: f64,
}

impl Score {
    pub fn mean_delay(&self) -> f64 {
        self.delays.iter().sum::<f64>() / self.delays.len().max(1) as f64
    }

    pub fn median_delay(&self) -> f64 {
        let mut d = self.delays.clone();
        d.sort_by(f64::total_cmp);
        match d.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => d[n / 2],
            n => (d[n / 2 - 1] + d[n / 2]) / 2.0,
        }
    }

    pub fn false_alarms_per_year(&self) -> f64 {
        self.false_alarms as f64 / self.channel_years
    }

    fn add(&mut self, o: &Score) {
        self.serious += o.serious;
        self.caught += o.caught;
        self.delays.extend(o.delays.iter().copied());
        self.false_alarms += o.false_alarms;
        self.channel_years += o.channel_years;
    }
}

/// Scores a detector (past intervals in days → alert after N days) on each history and in total.
pub fn score(histories: &[History], detector: &dyn Fn(&[f64]) -> Option<f64>) -> (Score, Vec<(String, Score)>) {
    let mut total = Score::default();
    let mut per = Vec::new();
    for h in histories {
        let iv = rhythm::intervals(&h.times);
        let mut s = Score::default();
        if h.times.len() > rhythm::WINDOW + 1 {
            s.channel_years = (h.times[h.times.len() - 1] - h.times[rhythm::WINDOW]).num_seconds() as f64 / 86_400.0 / 365.25;
        }
        for i in rhythm::WINDOW..iv.len() {
            let Some(usual) = rhythm::usual_interval(&iv[i - rhythm::WINDOW..i]) else { continue };
            let len = iv[i];
            let alert = detector(&iv[..i]);
            let fired = alert.filter(|t| *t < len);
            if len > rhythm::serious_after(usual) {
                s.serious += 1;
                if let Some(t) = fired {
                    s.caught += 1;
                    s.delays.push(t);
                }
            } else if fired.is_some() {
                s.false_alarms += 1;
            }
        }
        total.add(&s);
        per.push((h.name.clone(), s));
    }
    (total, per)
}

/// Fixed thresholds the default is compared with.
pub const FIXED: [f64; 5] = [5.0, 7.0, 10.0, 14.0, 21.0];

/// False alarms per channel-year of fixed thresholds at `mean_delay`, by linear
/// interpolation between the fixed thresholds' (mean delay, false alarms) points.
pub fn fixed_curve_at(histories: &[History], mean_delay: f64) -> Option<f64> {
    let pts: Vec<(f64, f64)> = FIXED
        .iter()
        .map(|t| {
            let t = *t;
            let (s, _) = score(histories, &move |_: &[f64]| Some(t));
            (s.mean_delay(), s.false_alarms_per_year())
        })
        .collect();
    pts.windows(2).find(|w| w[0].0 <= mean_delay && mean_delay <= w[1].0).map(|w| {
        let (d0, f0) = w[0];
        let (d1, f1) = w[1];
        f0 + (f1 - f0) * (mean_delay - d0) / (d1 - d0)
    })
}
