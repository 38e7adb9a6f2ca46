//! The lapse detector's quality on the real posting histories in
//! tests/data/posting-histories, with the issue-4 protocol. Figures only; no timing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use noren_core::lapse_quality::{self, History};
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

#[test]
fn bad_history_lines_are_reported() {
    let err = lapse_quality::parse_history("x", "published\n2026-01-01\nyesterday\n").err().unwrap();
    assert!(err.contains("line 3"), "{err}");
}
