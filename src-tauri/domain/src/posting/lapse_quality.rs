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

use crate::posting::rhythm;

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

    pub fn add(&mut self, o: &Score) {
        self.serious += o.serious;
        self.caught += o.caught;
        self.delays.extend(o.delays.iter().copied());
        self.false_alarms += o.false_alarms;
        self.channel_years += o.channel_years;
    }
}

/// Scores a detector (past intervals in days → alert after N days) on each history and in total.
pub fn score(histories: &[History], detector: &dyn Fn(&[f64]) -> Option<f64>) -> (Score, Vec<(String, Score)>) {
    let prepared: Vec<Prepared> = histories.iter().map(prepare).collect();
    let all: Vec<(&Prepared, Part)> = prepared.iter().map(|p| (p, Part::All)).collect();
    score_parts(&all, &|p: &Prepared, i| detector(&p.intervals[..i]))
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

/// A candidate detector measured against the rule (issue 23), not shipped:
/// its gain did not hold out of sample (docs/lapse-detection.md).
///
/// Fractions of the way to the serious bound at which the survival detector
/// may alert: 0.25, 0.30, … 1.00.
pub const STEPS: usize = 16;

/// The `k`-th alert fraction.
pub fn step(k: usize) -> f64 {
    0.25 + 0.05 * k as f64
}

/// The survival detector: how often did this channel's own past silences,
/// once they had reached a given share of their serious bound, go on to
/// become serious? It alerts at the first share where that chance (pooled
/// with `prior`, what all channels did, with weight `strength`) reaches
/// `theta`. Counts run over the last `window` silences, so a channel that
/// changed its habits is judged by its recent past.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Survival {
    pub theta: f64,
    pub strength: f64,
    pub window: usize,
    pub min_days: f64,
    /// Pooled chance that a silence that reached `step(k)` of its bound becomes serious.
    pub prior: [f64; STEPS],
}

/// Each past silence `j` (from the 10th on) against its own serious
/// bound: `intervals[j] / rhythm::serious_after(usual before j)`; > 1 means serious.
pub fn silence_ratios(intervals: &[f64], last: usize) -> Vec<f64> {
    let n = intervals.len();
    (n.saturating_sub(last).max(rhythm::WINDOW)..n)
        .filter_map(|j| rhythm::usual_interval(&intervals[..j]).map(|u| intervals[j] / rhythm::serious_after(u)))
        .collect()
}

/// Silences that reached each step, and those of them that became serious.
pub fn reach_counts(ratios: &[f64]) -> ([u32; STEPS], [u32; STEPS]) {
    let (mut reached, mut serious) = ([0u32; STEPS], [0u32; STEPS]);
    for &r in ratios {
        for k in 0..STEPS {
            if r > step(k) {
                reached[k] += 1;
                if r > 1.0 {
                    serious[k] += 1;
                }
            } else {
                break;
            }
        }
    }
    (reached, serious)
}

/// The survival detector's alert point (days) for a silence whose serious
/// bound is `bound`, from the counts of the channel's recent silences.
pub fn survival_alert(bound: f64, burst: f64, reached: &[u32; STEPS], serious: &[u32; STEPS], p: &Survival) -> f64 {
    let fraction = (0..STEPS)
        .find(|&k| (f64::from(serious[k]) + p.strength * p.prior[k]) / (f64::from(reached[k]) + p.strength) >= p.theta)
        .map_or(1.0, step);
    (fraction * bound * burst).max(p.min_days).min(bound)
}

/// [`alert_after`] by the survival detector.
pub fn alert_after_survival(intervals: &[f64], p: &Survival) -> Option<f64> {
    if intervals.len() < rhythm::MIN_INTERVALS {
        return None;
    }
    let usual = rhythm::usual_interval(intervals)?;
    let (reached, serious) = reach_counts(&silence_ratios(intervals, p.window));
    Some(survival_alert(rhythm::serious_after(usual), rhythm::burst_ratio(intervals, usual), &reached, &serious, p))
}

/// Which silences of a history are scored: all, or those of its first or
/// second half (by time, from its 11th post to its last).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    All,
    FirstHalf,
    SecondHalf,
}

/// A history with what every detector needs at each silence computed once.
pub struct Prepared {
    pub name: String,
    pub times: Vec<DateTime<Utc>>,
    pub intervals: Vec<f64>,
    /// Serious bound at silence `i` (from the 10 intervals before it); NaN before.
    pub bound: Vec<f64>,
    /// Silence `i` against its bound (> 1: serious).
    pub ratio: Vec<f64>,
    /// `rhythm::burst_ratio` of the intervals before silence `i`.
    pub burst: Vec<f64>,
    /// `rhythm::posting_day_gap` of the intervals before silence `i`.
    pub day_gap: Vec<f64>,
}

pub fn prepare(h: &History) -> Prepared {
    let iv = rhythm::intervals(&h.times);
    let mut bound = vec![f64::NAN; iv.len()];
    let mut ratio = vec![f64::NAN; iv.len()];
    let mut burst = vec![1.0; iv.len()];
    let mut day_gap = vec![f64::NAN; iv.len()];
    for i in rhythm::WINDOW..iv.len() {
        if let Some(u) = rhythm::usual_interval(&iv[i - rhythm::WINDOW..i]) {
            bound[i] = rhythm::serious_after(u);
            ratio[i] = iv[i] / bound[i];
            burst[i] = rhythm::burst_ratio(&iv[..i], u);
            day_gap[i] = rhythm::posting_day_gap(&iv[..i], u);
        }
    }
    Prepared { name: h.name.clone(), times: h.times.clone(), intervals: iv, bound, ratio, burst, day_gap }
}

impl Prepared {
    /// Silence `i` outlasted its serious bound (the protocol's comparison, not the rounded ratio).
    pub fn is_serious(&self, i: usize) -> bool {
        self.intervals[i] > self.bound[i]
    }

    /// Serious silences among the recent ones before silence `i` (as `rhythm::recent_serious`),
    /// and how many were judged.
    pub fn recent_serious(&self, i: usize) -> (usize, usize) {
        let from = i.saturating_sub(rhythm::FLAKY_WINDOW).max(rhythm::WINDOW);
        ((from..i).filter(|&j| self.is_serious(j)).count(), i.saturating_sub(from))
    }

    /// The silences (interval indexes) of `part`.
    pub fn range(&self, part: Part) -> std::ops::Range<usize> {
        let n = self.intervals.len();
        if n <= rhythm::WINDOW {
            return 0..0;
        }
        let start = self.times[rhythm::WINDOW];
        let mid_t = start + (self.times[n] - start) / 2;
        let mid = (rhythm::WINDOW..n).find(|&i| self.times[i] >= mid_t).unwrap_or(n);
        match part {
            Part::All => rhythm::WINDOW..n,
            Part::FirstHalf => rhythm::WINDOW..mid,
            Part::SecondHalf => mid..n,
        }
    }

    fn years(&self, r: &std::ops::Range<usize>) -> f64 {
        if r.is_empty() {
            return 0.0;
        }
        (self.times[r.end] - self.times[r.start]).num_seconds() as f64 / 86_400.0 / 365.25
    }
}

/// A detector over a prepared history: alert after N days of silence `i`
/// (from `intervals[..i]` only).
pub type Detector<'a> = dyn Fn(&Prepared, usize) -> Option<f64> + 'a;

/// Scores `detector` on the given parts of histories.
pub fn score_parts(set: &[(&Prepared, Part)], detector: &Detector<'_>) -> (Score, Vec<(String, Score)>) {
    let mut total = Score::default();
    let mut per = Vec::new();
    for (p, part) in set {
        let r = p.range(*part);
        let mut s = Score { channel_years: p.years(&r), ..Default::default() };
        for i in r {
            if p.bound[i].is_nan() {
                continue;
            }
            let len = p.intervals[i];
            let fired = detector(p, i).filter(|t| *t < len);
            if p.is_serious(i) {
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
        per.push((p.name.clone(), s));
    }
    (total, per)
}

/// The fixed-threshold curve of a set: (mean delay, false alarms per
/// channel-year) for thresholds of 3 to 60 days.
pub fn fixed_points(set: &[(&Prepared, Part)]) -> Vec<(f64, f64)> {
    (3..=60)
        .map(|t| {
            let t = f64::from(t);
            let (s, _) = score_parts(set, &move |_: &Prepared, _| Some(t));
            (s.mean_delay(), s.false_alarms_per_year())
        })
        .collect()
}

/// False alarms per channel-year of the fixed curve at `mean_delay`.
pub fn curve_at(points: &[(f64, f64)], mean_delay: f64) -> Option<f64> {
    points.windows(2).find(|w| w[0].0 <= mean_delay && mean_delay <= w[1].0).map(|w| {
        let (d0, f0) = w[0];
        let (d1, f1) = w[1];
        if d1 == d0 {
            f0
        } else {
            f0 + (f1 - f0) * (mean_delay - d0) / (d1 - d0)
        }
    })
}

/// Tuning keeps the mean delay at or below the shipped detector's (19.5 d on
/// the ten reference histories): a detector must not buy fewer false alarms
/// by making the owner wait longer.
pub const MAX_MEAN_DELAY: f64 = 20.0;

/// A detector's false alarms as a share of the fixed curve's at its own mean
/// delay (what tuning minimises); infinite when a serious silence is missed
/// or the mean delay is above [`MAX_MEAN_DELAY`].
pub fn ratio_to_curve(s: &Score, points: &[(f64, f64)]) -> f64 {
    if s.caught < s.serious || s.mean_delay() > MAX_MEAN_DELAY {
        return f64::INFINITY;
    }
    match curve_at(points, s.mean_delay()) {
        Some(c) if c > 0.0 => s.false_alarms_per_year() / c,
        _ => f64::INFINITY,
    }
}

/// A family of detectors with constants tuned on a training set.
pub trait Family {
    type Params: Copy + std::fmt::Debug;
    /// Constants chosen on `train` (lowest ratio to the fixed curve).
    fn tune(&self, train: &[(&Prepared, Part)]) -> Self::Params;
    fn alert(&self, params: &Self::Params, p: &Prepared, i: usize) -> Option<f64>;
}

/// The rule of issue 4 with its three constants on a grid.
pub struct RuleFamily;

impl Family for RuleFamily {
    type Params = rhythm::Rule;
    fn tune(&self, train: &[(&Prepared, Part)]) -> rhythm::Rule {
        let points = fixed_points(train);
        let mut best = (f64::INFINITY, rhythm::ISSUE_4_RULE);
        for steady in [0.5, 0.6, 0.7, 0.8, 0.9] {
            for flaky_drop in [0.0, 0.2, 0.3, 0.4] {
                for min_days in [7.0, 10.0] {
                    let rule = rhythm::Rule { steady, flaky_drop, min_days };
                    let (s, _) = score_parts(train, &|p: &Prepared, i| self.alert(&rule, p, i));
                    let r = ratio_to_curve(&s, &points);
                    if r < best.0 {
                        best = (r, rule);
                    }
                }
            }
        }
        best.1
    }
    /// `rhythm::alert_after_rule(&p.intervals[..i], rule)`, from the inputs computed once.
    fn alert(&self, rule: &rhythm::Rule, p: &Prepared, i: usize) -> Option<f64> {
        if p.bound[i].is_nan() {
            return rhythm::alert_after_rule(&p.intervals[..i], rule);
        }
        let (serious, _) = p.recent_serious(i);
        Some(rhythm::rule_alert(p.bound[i], p.burst[i], serious, rule))
    }
}

/// The survival detector; its prior is pooled from the training set.
pub struct SurvivalFamily;

impl SurvivalFamily {
    /// What share of the training set's silences that reached each step became serious.
    pub fn pooled_prior(train: &[(&Prepared, Part)]) -> [f64; STEPS] {
        let ratios: Vec<f64> = train.iter().flat_map(|(p, part)| p.range(*part).map(|i| p.ratio[i]).filter(|r| !r.is_nan())).collect();
        let (reached, serious) = reach_counts(&ratios);
        std::array::from_fn(|k| if reached[k] == 0 { 1.0 } else { f64::from(serious[k]) / f64::from(reached[k]) })
    }
}

impl Family for SurvivalFamily {
    type Params = Survival;
    fn tune(&self, train: &[(&Prepared, Part)]) -> Survival {
        let points = fixed_points(train);
        let prior = Self::pooled_prior(train);
        let mut best = (f64::INFINITY, None);
        for theta in [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6] {
            for strength in [1.0, 3.0, 10.0, 30.0] {
                for window in [20, 50, 200] {
                    for min_days in [7.0, 10.0] {
                        let params = Survival { theta, strength, window, min_days, prior };
                        let (s, _) = score_parts(train, &|p: &Prepared, i| self.alert(&params, p, i));
                        let r = ratio_to_curve(&s, &points);
                        if r < best.0 {
                            best = (r, Some(params));
                        }
                    }
                }
            }
        }
        best.1.unwrap_or(Survival { theta: 0.3, strength: 10.0, window: 50, min_days: 10.0, prior })
    }
    fn alert(&self, params: &Survival, p: &Prepared, i: usize) -> Option<f64> {
        if i < rhythm::MIN_INTERVALS {
            return None;
        }
        // The same decision as `alert_after_survival`, from the inputs computed once.
        if p.bound[i].is_nan() {
            return alert_after_survival(&p.intervals[..i], params);
        }
        let from = i.saturating_sub(params.window).max(rhythm::WINDOW);
        let recent: Vec<f64> = (from..i).map(|j| p.ratio[j]).filter(|r| !r.is_nan()).collect();
        let (reached, serious) = reach_counts(&recent);
        Some(survival_alert(p.bound[i], p.burst[i], &reached, &serious, params))
    }
}

/// Shares of the serious bound's rhythm at which the survival of harmless silences is read
/// for [`fit_model`]: 0.30, 0.35, … 0.90 (below, posting rhythms are not yet exponential).
const FIT_FROM: f64 = 0.30;
const FIT_STEPS: usize = 13;

/// The shipped model's `a`, `tau` and `p0` fitted on `train`, with the delay price
/// `lambda`: the share of harmless silences (those that end before becoming serious)
/// longer than `x` times their rhythm, read at [`FIT_STEPS`] points and fitted as
/// `a·e^(−x/tau)` by least squares on its logarithm; `p0` the share of silences that
/// became serious. Falls back to [`rhythm::SHIPPED`]'s values on too little data.
pub fn fit_model(train: &[(&Prepared, Part)], lambda: f64) -> rhythm::Model {
    let mut harmless = Vec::new();
    let (mut scored, mut serious) = (0usize, 0usize);
    for (p, part) in train {
        for i in p.range(*part) {
            if p.bound[i].is_nan() {
                continue;
            }
            scored += 1;
            if p.is_serious(i) {
                serious += 1;
            } else {
                harmless.push(p.intervals[i] / rhythm::rhythm_scale(p.day_gap[i]));
            }
        }
    }
    let points: Vec<(f64, f64)> = (0..FIT_STEPS)
        .map(|k| FIT_FROM + 0.05 * k as f64)
        .filter_map(|x| {
            let share = harmless.iter().filter(|&&h| h > x).count() as f64 / harmless.len().max(1) as f64;
            (share > 0.0).then(|| (x, share.ln()))
        })
        .collect();
    let shipped = rhythm::SHIPPED;
    let (a, tau) = match least_squares(&points) {
        Some((slope, intercept)) if slope < 0.0 => (intercept.exp(), -1.0 / slope),
        _ => (shipped.a, shipped.tau),
    };
    let p0 = if scored == 0 || serious == 0 { shipped.p0 } else { serious as f64 / scored as f64 };
    rhythm::Model { a, tau, p0, lambda, ..shipped }
}

/// Slope and intercept of the least-squares line through `points` (at least two).
fn least_squares(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let (sx, sy) = points.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    (sxx > 0.0).then(|| (sxy / sxx, my - sxy / sxx * mx))
}

/// The mean delay the shipped detector keeps when `lambda` is chosen again on a training
/// set ([`ModelFamily`] with `retune`): the issue-4 rule's on the ten reference histories.
pub const TARGET_MEAN_DELAY: f64 = 19.5;

/// The shipped model (issue 23). Its survival curve and serious share are fitted on the
/// training set; the delay price is the product's [`rhythm::LAMBDA`], or, when `retune`,
/// chosen again on the training set so that its mean delay is [`TARGET_MEAN_DELAY`] (the
/// stricter reading of "every constant chosen without the history it is scored on").
pub struct ModelFamily {
    pub retune: bool,
}

impl Family for ModelFamily {
    type Params = rhythm::Model;
    fn tune(&self, train: &[(&Prepared, Part)]) -> rhythm::Model {
        let fitted = fit_model(train, rhythm::LAMBDA);
        if !self.retune {
            return fitted;
        }
        let mut best = (f64::INFINITY, fitted);
        for k in 0..=48 {
            let m = rhythm::Model { lambda: 0.04 + 0.0025 * f64::from(k), ..fitted };
            let (s, _) = score_parts(train, &|p: &Prepared, i| self.alert(&m, p, i));
            let off = (s.mean_delay() - TARGET_MEAN_DELAY).abs();
            if off < best.0 {
                best = (off, m);
            }
        }
        best.1
    }
    /// `rhythm::alert_after_model(&p.intervals[..i], model)`, from the inputs computed once.
    fn alert(&self, model: &rhythm::Model, p: &Prepared, i: usize) -> Option<f64> {
        if p.bound[i].is_nan() {
            return rhythm::alert_after_model(&p.intervals[..i], model);
        }
        let (serious, judged) = p.recent_serious(i);
        Some(rhythm::model_alert(p.bound[i], p.day_gap[i], serious, judged, model))
    }
}

/// The three evaluations of a family: in sample (tuned and scored on
/// everything), leave-one-history-out, and the time split (tuned on every
/// history's first half, scored on the second halves).
pub struct Evaluation {
    pub in_sample: Score,
    pub in_sample_per: Vec<(String, Score)>,
    pub leave_one_out: Score,
    pub leave_one_out_per: Vec<(String, Score)>,
    pub time_split: Score,
    pub time_split_per: Vec<(String, Score)>,
}

pub fn evaluate<F: Family>(family: &F, histories: &[Prepared]) -> Evaluation {
    let all: Vec<(&Prepared, Part)> = histories.iter().map(|p| (p, Part::All)).collect();
    let params = family.tune(&all);
    let (in_sample, in_sample_per) = score_parts(&all, &|p: &Prepared, i| family.alert(&params, p, i));
    let mut leave_one_out = Score::default();
    let mut leave_one_out_per = Vec::new();
    for (k, held) in histories.iter().enumerate() {
        let train: Vec<(&Prepared, Part)> = histories.iter().enumerate().filter(|(j, _)| *j != k).map(|(_, p)| (p, Part::All)).collect();
        let params = family.tune(&train);
        let (s, _) = score_parts(&[(held, Part::All)], &|p: &Prepared, i| family.alert(&params, p, i));
        leave_one_out.add(&s);
        leave_one_out_per.push((held.name.clone(), s));
    }
    let first: Vec<(&Prepared, Part)> = histories.iter().map(|p| (p, Part::FirstHalf)).collect();
    let second: Vec<(&Prepared, Part)> = histories.iter().map(|p| (p, Part::SecondHalf)).collect();
    let params = family.tune(&first);
    let (time_split, time_split_per) = score_parts(&second, &|p: &Prepared, i| family.alert(&params, p, i));
    Evaluation { in_sample, in_sample_per, leave_one_out, leave_one_out_per, time_split, time_split_per }
}

/// Rhythm classes for reporting, from a history's intervals.
pub fn rhythm_class(p: &Prepared) -> &'static str {
    let mut iv: Vec<f64> = p.intervals.clone();
    iv.sort_by(f64::total_cmp);
    if iv.is_empty() {
        return "irregular";
    }
    let q = |f: f64| iv[((iv.len() - 1) as f64 * f) as usize];
    let (median, p90) = (q(0.5), q(0.9));
    if median > 0.0 && p90 / median > 6.0 {
        "irregular"
    } else if median < 1.5 {
        "daily"
    } else if median < 5.0 {
        "several a week"
    } else if median < 10.0 {
        "weekly"
    } else {
        "fortnightly to monthly"
    }
}
