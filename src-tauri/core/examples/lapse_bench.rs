//! Detection-quality benchmark of the posting-lapse detector (issue 4 protocol,
//! see `noren_core::lapse_quality`). Prints markdown tables.
//!
//! `cargo run --release -p noren-core --example lapse_bench -- [DIR]`
//! (DIR defaults to tests/data/posting-histories).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use noren_core::lapse_quality::{self, History, FIXED};
use noren_core::rhythm;

fn load(dir: &PathBuf) -> Vec<History> {
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("read dir").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "csv"));
    files.sort();
    files
        .iter()
        .map(|p| lapse_quality::parse_history(&p.file_stem().unwrap().to_string_lossy(), &std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/posting-histories"));
    let histories = load(&dir);
    let posts: usize = histories.iter().map(|h| h.times.len()).sum();
    println!("{} histories, {posts} posts, from {}", histories.len(), dir.display());
    println!();
    println!("| detector | serious caught | median delay (d) | mean delay (d) | false alarms / channel-year |");
    println!("| --- | --- | --- | --- | --- |");
    for t in FIXED {
        let (s, _) = lapse_quality::score(&histories, &move |_: &[f64]| Some(t));
        println!(
            "| fixed {t} d | {}/{} | {:.1} | {:.1} | {:.2} |",
            s.caught,
            s.serious,
            s.median_delay(),
            s.mean_delay(),
            s.false_alarms_per_year()
        );
    }
    let (s, per) = lapse_quality::score(&histories, &rhythm::alert_after);
    println!(
        "| **Noren default** | {}/{} | {:.1} | {:.1} | {:.2} |",
        s.caught,
        s.serious,
        s.median_delay(),
        s.mean_delay(),
        s.false_alarms_per_year()
    );
    println!();
    let m = s.mean_delay();
    match lapse_quality::fixed_curve_at(&histories, m) {
        Some(f) => println!(
            "Fixed thresholds at the default's mean delay ({m:.1} d): {f:.2} false alarms per channel-year; the default: {:.2} ({:.0} % of the curve).",
            s.false_alarms_per_year(),
            100.0 * s.false_alarms_per_year() / f
        ),
        None => println!("The default's mean delay {m:.1} d lies outside the fixed-threshold range."),
    }
    println!();
    println!("| history | serious caught | mean delay (d) | false alarms | channel-years |");
    println!("| --- | --- | --- | --- | --- |");
    for (name, s) in per {
        println!("| {name} | {}/{} | {:.1} | {} | {:.1} |", s.caught, s.serious, s.mean_delay(), s.false_alarms, s.channel_years);
    }
}
