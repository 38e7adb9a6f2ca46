//! Japanese holidays computed by rule, compared with the holiday-jp dataset
//! (from the Cabinet Office list) for every day of 2020–2035.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use noren_core::holidays;

#[test]
fn every_day_2020_to_2035_matches_the_reference_list() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/holidays-jp-2020-2035.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let reference: BTreeMap<NaiveDate, String> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("date,"))
        .map(|l| {
            let (d, n) = l.split_once(',').unwrap();
            (NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(), n.to_string())
        })
        .collect();
    assert!(reference.len() > 250);
    let mut day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let mut mismatches = Vec::new();
    while day.year() <= 2035 {
        let ours = holidays::holiday_name(day);
        let theirs = reference.get(&day);
        if ours.is_some() != theirs.is_some() {
            mismatches.push(format!("{day}: ours {ours:?}, reference {theirs:?}"));
        } else if let (Some(o), Some(t)) = (ours, theirs) {
            // Same holiday: names agree except for how substitutes and in-between days are written.
            let same = t.contains(o) || (o == "振替休日" && t.contains("振替休日")) || (o == "国民の休日" && t == "休日");
            if !same {
                mismatches.push(format!("{day}: ours {o}, reference {t}"));
            }
        }
        day = day.succ_opt().unwrap();
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}
