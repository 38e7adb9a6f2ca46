//! The lapse detector's quality on the real posting histories in
//! tests/data/posting-histories, with the issue-4 protocol. Figures only; no timing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use noren_core::lapse_quality::{self, Family, History};
use noren_core::rhythm;

fn histories() -> Vec<History> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/posting-histories");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "csv")).collect();
    files.sort();
    assert_eq!(files.len(), 10, "the ten reference histories");
    files.iter().map(|p| lapse_quality::parse_history(&p.display().to_string(), &std::fs::read_to_string(p).unwrap()).unwrap()).collect()
}

#[test]
fn harness_reproduces_the_reference_figures() {
    let h = histories();
    let fixed = |t: f64| lapse_quality::score(&h, &move |_: &[f64]| Some(t)).0;
    let s7 = fixed(7.0);
    assert_eq!((s7.caught, s7.serious), (315, 315));
    assert_eq!(format!("{:.2}", s7.false_alarms_per_year()), "8.99");
    assert_eq!(format!("{:.2}", fixed(10.0).false_alarms_per_year()), "6.39");
    assert_eq!(format!("{:.2}", fixed(14.0).false_alarms_per_year()), "4.10");
    let s21 = fixed(21.0);
    assert_eq!((s21.caught, format!("{:.2}", s21.false_alarms_per_year())), (251, "2.31".to_string()));
}

#[test]
fn default_catches_every_serious_silence_below_the_fixed_curve() {
    let h = histories();
    let (s, _) = lapse_quality::score(&h, &rhythm::alert_after);
    assert_eq!(s.caught, s.serious, "every serious silence caught");
    let curve = lapse_quality::fixed_curve_at(&h, s.mean_delay()).expect("mean delay inside the fixed-threshold range");
    let fa = s.false_alarms_per_year();
    assert!(fa < 0.8 * curve, "false alarms {fa:.2}/yr vs fixed thresholds {curve:.2}/yr at mean delay {:.1} d", s.mean_delay());
}

/// Out of sample (issue 23): the rule's constants chosen again without the
/// history they are scored on, and on each history's first half for its
/// second. Every serious silence is still caught, and the false alarms stay
/// below the fixed curve's at equal mean delay.
#[test]
fn out_of_sample_every_serious_silence_is_caught_below_the_fixed_curve() {
    let h = histories();
    let prepared: Vec<_> = h.iter().map(lapse_quality::prepare).collect();
    let e = lapse_quality::evaluate(&lapse_quality::RuleFamily, &prepared);
    let all: Vec<_> = prepared.iter().map(|p| (p, lapse_quality::Part::All)).collect();
    let second: Vec<_> = prepared.iter().map(|p| (p, lapse_quality::Part::SecondHalf)).collect();
    let loo = lapse_quality::ratio_to_curve(&e.leave_one_out, &lapse_quality::fixed_points(&all));
    let split = lapse_quality::ratio_to_curve(&e.time_split, &lapse_quality::fixed_points(&second));
    assert_eq!(e.leave_one_out.caught, e.leave_one_out.serious);
    assert_eq!(e.time_split.caught, e.time_split.serious);
    assert!(loo < 0.75, "leave one out: {loo:.2} of the fixed curve");
    assert!(split < 1.0, "time split: {split:.2} of the fixed curve");
    // Tuned on everything, the grid picks the shipped constants.
    assert_eq!(lapse_quality::RuleFamily.tune(&all), rhythm::ISSUE_4_RULE);
}

/// The bench's fast path (inputs computed once per history) decides exactly
/// as the shipped function does at every silence, for the shipped model and
/// for the issue-4 rule it is measured against.
#[test]
fn the_fast_path_is_the_shipped_detector() {
    for h in histories() {
        let p = lapse_quality::prepare(&h);
        for i in 0..p.intervals.len() {
            assert_eq!(
                lapse_quality::ModelFamily { retune: false }.alert(&rhythm::SHIPPED, &p, i),
                rhythm::alert_after(&p.intervals[..i]),
                "{} at {i}",
                p.name
            );
            assert_eq!(
                lapse_quality::RuleFamily.alert(&rhythm::ISSUE_4_RULE, &p, i),
                rhythm::alert_after_rule(&p.intervals[..i], &rhythm::ISSUE_4_RULE),
                "{} at {i}",
                p.name
            );
        }
    }
}

/// The ten and the histories added for issue 23 (`more/`).
fn every_history() -> Vec<History> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/posting-histories/more");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "csv")).collect();
    files.sort();
    assert!(files.len() >= 5, "the histories added for issue 23");
    let mut h = histories();
    h.extend(files.iter().map(|p| lapse_quality::parse_history(&p.display().to_string(), &std::fs::read_to_string(p).unwrap()).unwrap()));
    h
}

/// The shipped model's curve and serious share are what fitting every history gives.
#[test]
fn the_shipped_constants_are_the_fit_on_every_history() {
    let prepared: Vec<_> = every_history().iter().map(lapse_quality::prepare).collect();
    let all: Vec<_> = prepared.iter().map(|p| (p, lapse_quality::Part::All)).collect();
    let fitted = lapse_quality::fit_model(&all, rhythm::LAMBDA);
    let shipped = rhythm::SHIPPED;
    for (what, f, s) in [("a", fitted.a, shipped.a), ("tau", fitted.tau, shipped.tau), ("p0", fitted.p0, shipped.p0)] {
        assert!((f - s).abs() <= 5e-4 * s.abs().max(1.0), "{what}: fitted {f}, shipped {s}");
    }
}

/// Issue 23's target, out of sample on every history: every serious silence caught, at
/// most three quarters of the fixed curve's false alarms at equal mean delay, both when
/// each history is left out of the fit and when the fit sees only the first halves.
#[test]
fn out_of_sample_the_shipped_model_stays_under_three_quarters_of_the_fixed_curve() {
    let prepared: Vec<_> = every_history().iter().map(lapse_quality::prepare).collect();
    let all: Vec<_> = prepared.iter().map(|p| (p, lapse_quality::Part::All)).collect();
    let second: Vec<_> = prepared.iter().map(|p| (p, lapse_quality::Part::SecondHalf)).collect();
    let (points_all, points_second) = (lapse_quality::fixed_points(&all), lapse_quality::fixed_points(&second));
    let ratio = |s: &lapse_quality::Score, points: &[(f64, f64)]| {
        assert_eq!(s.caught, s.serious, "every serious silence caught");
        s.false_alarms_per_year() / lapse_quality::curve_at(points, s.mean_delay()).expect("inside the fixed curve")
    };
    let e = lapse_quality::evaluate(&lapse_quality::ModelFamily { retune: false }, &prepared);
    let (loo, split) = (ratio(&e.leave_one_out, &points_all), ratio(&e.time_split, &points_second));
    assert!(loo <= 0.75 && split <= 0.75, "leave one out {loo:.2}, time split {split:.2}");
    // The stricter reading (the delay price chosen again on the training set too) is reported
    // by lapse_bench; it stays below the issue-4 rule's own time split (1.00 on these histories).
    let strict = lapse_quality::evaluate(&lapse_quality::ModelFamily { retune: true }, &prepared);
    let (loo, split) = (ratio(&strict.leave_one_out, &points_all), ratio(&strict.time_split, &points_second));
    assert!(loo <= 0.75 && split < 0.8, "delay price chosen again: leave one out {loo:.2}, time split {split:.2}");
}

#[test]
fn bad_history_lines_are_reported() {
    let err = lapse_quality::parse_history("x", "published\n2026-01-01\nyesterday\n").err().unwrap();
    assert!(err.contains("line 3"), "{err}");
}
