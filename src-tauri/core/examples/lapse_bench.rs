//! Detection-quality benchmark of the posting-lapse detector (issue 4 protocol,
//! see `noren_core::lapse_quality`). Prints markdown tables.
//!
//! `cargo run --release -p noren-core --example lapse_bench -- [DIR]`
//! (DIR defaults to tests/data/posting-histories).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use noren_core::lapse_quality::{self, Evaluation, Family, History, Part, Prepared, Score, FIXED};
use noren_core::rhythm;

/// The histories of `dir` and of `dir/more` (added for issue 23, never used to choose the issue-4 rule).
fn load(dir: &PathBuf) -> Vec<History> {
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("read dir").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    if let Ok(more) = std::fs::read_dir(dir.join("more")) {
        files.extend(more.filter_map(|e| e.ok()).map(|e| e.path()));
    }
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
        let delay = if s.delays.is_empty() { "–".to_string() } else { format!("{:.1}", s.mean_delay()) };
        println!("| {name} | {}/{} | {delay} | {} | {:.1} |", s.caught, s.serious, s.false_alarms, s.channel_years);
    }

    println!();
    out_of_sample(&histories);
}

fn row(label: &str, s: &Score, points: &[(f64, f64)]) {
    let curve = lapse_quality::curve_at(points, s.mean_delay()).filter(|c| *c > 0.0);
    println!(
        "| {label} | {}/{} | {:.1} | {:.1} | {:.2} | {} | {} |",
        s.caught,
        s.serious,
        s.median_delay(),
        s.mean_delay(),
        s.false_alarms_per_year(),
        curve.map_or("–".into(), |c| format!("{c:.2}")),
        curve.map_or("–".into(), |c| format!("{:.2}", s.false_alarms_per_year() / c)),
    );
}

/// In sample, leave-one-history-out and the time split, side by side (issue 23).
fn out_of_sample(histories: &[History]) {
    let prepared: Vec<Prepared> = histories.iter().map(lapse_quality::prepare).collect();
    let all: Vec<(&Prepared, Part)> = prepared.iter().map(|p| (p, Part::All)).collect();
    let second: Vec<(&Prepared, Part)> = prepared.iter().map(|p| (p, Part::SecondHalf)).collect();
    let points_all = lapse_quality::fixed_points(&all);
    let points_second = lapse_quality::fixed_points(&second);
    println!("Out of sample: each family's constants chosen on the training histories only (the rule and survival: lowest false alarms against the fixed curve at equal mean delay, at most 20 d; the model: its curve and serious share fitted, its delay price the product's, or chosen again for a 19.5-d mean delay).");
    println!();
    println!("| detector | serious caught | median delay (d) | mean delay (d) | false alarms / channel-year | fixed curve at that delay | ratio |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let (shipped, _) = lapse_quality::score_parts(&all, &|p: &Prepared, i| rhythm::alert_after(&p.intervals[..i]));
    row("shipped `alert_after`, all histories (in sample: its curve was fitted on them)", &shipped, &points_all);
    let (shipped2, _) = lapse_quality::score_parts(&second, &|p: &Prepared, i| rhythm::alert_after(&p.intervals[..i]));
    row("shipped `alert_after`, second halves", &shipped2, &points_second);
    let evals: Vec<(&str, Evaluation)> = vec![
        ("model (shipped)", lapse_quality::evaluate(&lapse_quality::ModelFamily { retune: false }, &prepared)),
        ("model, delay price chosen again", lapse_quality::evaluate(&lapse_quality::ModelFamily { retune: true }, &prepared)),
        ("issue-4 rule", lapse_quality::evaluate(&lapse_quality::RuleFamily, &prepared)),
        ("survival", lapse_quality::evaluate(&lapse_quality::SurvivalFamily, &prepared)),
    ];
    for (name, e) in &evals {
        row(&format!("{name}, in sample"), &e.in_sample, &points_all);
        row(&format!("{name}, leave one history out"), &e.leave_one_out, &points_all);
        row(&format!("{name}, time split (second halves)"), &e.time_split, &points_second);
    }
    println!();
    println!(
        "Fitted or tuned on all histories: model {:?}; rule {:?}; survival {:?}",
        lapse_quality::ModelFamily { retune: false }.tune(&all),
        lapse_quality::RuleFamily.tune(&all),
        lapse_quality::SurvivalFamily.tune(&all)
    );
    let second_fit = lapse_quality::ModelFamily { retune: true }.tune(&prepared.iter().map(|p| (p, Part::FirstHalf)).collect::<Vec<_>>());
    println!("Model chosen again on the first halves: {second_fit:?}");
    println!();
    println!("Leave one history out, by rhythm class:");
    println!();
    println!("| class | histories | detector | serious caught | mean delay (d) | false alarms / channel-year | fixed curve at that delay | ratio |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut classes: Vec<&str> = prepared.iter().map(lapse_quality::rhythm_class).collect();
    classes.sort();
    classes.dedup();
    for class in classes {
        let members: Vec<usize> = (0..prepared.len()).filter(|&k| lapse_quality::rhythm_class(&prepared[k]) == class).collect();
        let set: Vec<(&Prepared, Part)> = members.iter().map(|&k| (&prepared[k], Part::All)).collect();
        let points = lapse_quality::fixed_points(&set);
        for (name, e) in &evals {
            let mut s = Score::default();
            for &k in &members {
                s.add(&e.leave_one_out_per[k].1);
            }
            // No curve where fixed thresholds raise no false alarm at that delay.
            let curve = lapse_quality::curve_at(&points, s.mean_delay()).filter(|c| *c > 0.0);
            println!(
                "| {class} | {} | {name} | {}/{} | {:.1} | {:.2} | {} | {} |",
                members.len(),
                s.caught,
                s.serious,
                s.mean_delay(),
                s.false_alarms_per_year(),
                curve.map_or("–".into(), |c| format!("{c:.2}")),
                curve.map_or("–".into(), |c| format!("{:.2}", s.false_alarms_per_year() / c)),
            );
        }
    }
}
