//! Detection-quality benchmark of the posting-lapse detector (issue 4 protocol).
//!
//! `cargo run --release -p noren-core --example lapse_bench -- [DIR]`
//! (DIR defaults to ../shared/data/posting-histories). For each history: skip
//! the first 10 intervals; at each later silence the usual rhythm is the median
//! of the previous 10 intervals; a silence is serious when it lasts longer than
//! max(4 × usual, 14 d); a detector alerts after T days (from the past only),
//! catches a serious silence when T < its length, and raises a false alarm when
//! T < the length of a silence that is not serious. Channel-years run from the
//! 11th post to the last.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use noren_core::rhythm;

struct History {
    name: String,
    times: Vec<DateTime<Utc>>,
}

fn load(dir: &PathBuf) -> Vec<History> {
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("read dir").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "csv"));
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let times = text
                .lines()
                .skip(1)
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let l = l.trim();
                    DateTime::parse_from_rfc3339(l)
                        .map(|d| d.with_timezone(&Utc))
                        .unwrap_or_else(|_| NaiveDate::parse_from_str(l, "%Y-%m-%d").unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc())
                })
                .collect();
            History { name: p.file_stem().unwrap().to_string_lossy().into_owned(), times }
        })
        .collect()
}

#[derive(Default, Clone)]
struct Score {
    serious: usize,
    caught: usize,
    delays: Vec<f64>,
    false_alarms: usize,
    years: f64,
}

impl Score {
    fn mean(&self) -> f64 {
        self.delays.iter().sum::<f64>() / self.delays.len().max(1) as f64
    }
    fn median(&self) -> f64 {
        let mut d = self.delays.clone();
        d.sort_by(f64::total_cmp);
        if d.is_empty() {
            return f64::NAN;
        }
        let n = d.len();
        if n % 2 == 1 {
            d[n / 2]
        } else {
            (d[n / 2 - 1] + d[n / 2]) / 2.0
        }
    }
    fn fa_per_year(&self) -> f64 {
        self.false_alarms as f64 / self.years
    }
}

fn score(histories: &[History], detector: &dyn Fn(&[f64]) -> Option<f64>) -> (Score, Vec<(String, Score)>) {
    let mut total = Score::default();
    let mut per = Vec::new();
    for h in histories {
        let iv = rhythm::intervals(&h.times);
        let mut s = Score::default();
        if h.times.len() > 11 {
            s.years = (h.times[h.times.len() - 1] - h.times[10]).num_seconds() as f64 / 86_400.0 / 365.25;
        }
        for i in rhythm::WINDOW..iv.len() {
            let usual = rhythm::usual_interval(&iv[i - rhythm::WINDOW..i]).unwrap();
            let len = iv[i];
            let serious = len > rhythm::serious_after(usual);
            let alert = detector(&iv[..i]);
            let fired = alert.is_some_and(|t| t < len);
            if serious {
                s.serious += 1;
                if fired {
                    s.caught += 1;
                    s.delays.push(alert.unwrap_or(0.0));
                }
            } else if fired {
                s.false_alarms += 1;
            }
        }
        total.serious += s.serious;
        total.caught += s.caught;
        total.delays.extend(s.delays.iter().copied());
        total.false_alarms += s.false_alarms;
        total.years += s.years;
        per.push((h.name.clone(), s));
    }
    (total, per)
}

fn main() {
    let dir = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("../shared/data/posting-histories"));
    let histories = load(&dir);
    let posts: usize = histories.iter().map(|h| h.times.len()).sum();
    println!("{} histories, {posts} posts, from {}", histories.len(), dir.display());
    println!();
    println!("| detector | serious caught | median delay (d) | mean delay (d) | false alarms / channel-year |");
    println!("| --- | --- | --- | --- | --- |");
    let mut curve = Vec::new();
    for t in [5.0, 7.0, 10.0, 14.0, 21.0] {
        let (s, _) = score(&histories, &move |_: &[f64]| Some(t));
        println!("| fixed {t} d | {}/{} | {:.1} | {:.1} | {:.2} |", s.caught, s.serious, s.median(), s.mean(), s.fa_per_year());
        curve.push((s.mean(), s.fa_per_year()));
    }
    let (s, per) = score(&histories, &rhythm::alert_after);
    println!("| **Noren default** | {}/{} | {:.1} | {:.1} | {:.2} |", s.caught, s.serious, s.median(), s.mean(), s.fa_per_year());
    let m = s.mean();
    let at = curve.windows(2).find(|w| w[0].0 <= m && m <= w[1].0).map(|w| w[0].1 + (w[1].1 - w[0].1) * (m - w[0].0) / (w[1].0 - w[0].0));
    println!();
    match at {
        Some(f) => println!(
            "fixed-threshold curve at the default's mean delay {m:.1} d: {f:.2} false alarms / channel-year; default: {:.2} ({:.0} % of the curve)",
            s.fa_per_year(),
            100.0 * s.fa_per_year() / f
        ),
        None => println!("the default's mean delay {m:.1} d lies outside the fixed-threshold range"),
    }
    println!();
    println!("| history | serious caught | mean delay (d) | false alarms | channel-years |");
    println!("| --- | --- | --- | --- | --- |");
    for (name, s) in per {
        println!("| {name} | {}/{} | {:.1} | {} | {:.1} |", s.caught, s.serious, s.mean(), s.false_alarms, s.years);
    }
}
