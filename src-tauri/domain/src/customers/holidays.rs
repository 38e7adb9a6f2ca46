//! Japanese national holidays (国民の祝日), computed from the rules of the
//! Act on National Holidays as amended through 2018, with the 2020/2021
//! Olympic moves, 振替休日 (a holiday on Sunday moves to the next non-holiday)
//! and 国民の休日 (a day between two holidays). Valid for 2020–2099 (the
//! equinox formula's range); checked in tests against the holiday-jp dataset
//! derived from the Cabinet Office list (tests/data/holidays-jp-2020-2035.csv).
//!
//! Equinox days are officially announced a year ahead (国立天文台 暦要項);
//! the formula matches every announced year, and later years are predictions.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// First and last year the rules here are valid for.
pub const FIRST_YEAR: i32 = 2020;
pub const LAST_YEAR: i32 = 2099;

fn nth_monday(year: i32, month: u32, n: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, n as u8)
}

fn equinox_day(year: i32, base: f64) -> u32 {
    let y = f64::from(year - 1980);
    ((base + 0.242194 * y).floor() - (y / 4.0).floor()) as u32
}

/// The named holidays of a year (without 振替休日 / 国民の休日).
fn named(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day);
    let mut v: Vec<(Option<NaiveDate>, &'static str)> = vec![
        (d(1, 1), "元日"),
        (nth_monday(year, 1, 2), "成人の日"),
        (d(2, 11), "建国記念の日"),
        (d(2, 23), "天皇誕生日"),
        (d(3, equinox_day(year, 20.8431)), "春分の日"),
        (d(4, 29), "昭和の日"),
        (d(5, 3), "憲法記念日"),
        (d(5, 4), "みどりの日"),
        (d(5, 5), "こどもの日"),
        (nth_monday(year, 9, 3), "敬老の日"),
        (d(9, equinox_day(year, 23.2488)), "秋分の日"),
        (d(11, 3), "文化の日"),
        (d(11, 23), "勤労感謝の日"),
    ];
    // Tokyo 2020 Olympics moved three holidays in 2020 and 2021.
    let (umi, sports, yama) = match year {
        2020 => (d(7, 23), d(7, 24), d(8, 10)),
        2021 => (d(7, 22), d(7, 23), d(8, 8)),
        _ => (nth_monday(year, 7, 3), nth_monday(year, 10, 2), d(8, 11)),
    };
    v.push((umi, "海の日"));
    v.push((sports, "スポーツの日"));
    v.push((yama, "山の日"));
    let mut out: Vec<(NaiveDate, &'static str)> = v.into_iter().filter_map(|(d, n)| d.map(|d| (d, n))).collect();
    out.sort();
    out
}

/// Every holiday of a year, with its name, in date order. Empty outside
/// [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Vec::new();
    }
    let mut all = named(year);
    let is_named = |d: NaiveDate, list: &[(NaiveDate, &str)]| list.iter().any(|(x, _)| *x == d);
    // 振替休日: a holiday on a Sunday moves to the next day that is not a holiday.
    let mut extra = Vec::new();
    for (d, _) in &all {
        if d.weekday() == Weekday::Sun {
            let mut s = *d + Duration::days(1);
            while is_named(s, &all) {
                s += Duration::days(1);
            }
            extra.push((s, "振替休日"));
        }
    }
    all.extend(extra);
    // 国民の休日: a weekday squeezed between two holidays.
    let mut between = Vec::new();
    for w in all.clone().windows(2) {
        let (a, b) = (w[0].0, w[1].0);
        if (b - a).num_days() == 2 {
            let mid = a + Duration::days(1);
            if mid.weekday() != Weekday::Sun && !is_named(mid, &all) {
                between.push((mid, "国民の休日"));
            }
        }
    }
    all.extend(between);
    all.sort();
    all.dedup_by_key(|(d, _)| *d);
    all
}

/// The holiday's name, if `date` is a national holiday (or 振替休日 / 国民の休日).
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    holidays(date.year()).into_iter().find(|(d, _)| *d == date).map(|(_, n)| n)
}

/// The catalogue key naming a holiday in every language (`holiday-labour-thanksgiving`).
pub fn holiday_key(name: &str) -> Option<&'static str> {
    Some(match name {
        "元日" => "holiday-new-year",
        "成人の日" => "holiday-coming-of-age",
        "建国記念の日" => "holiday-foundation",
        "天皇誕生日" => "holiday-emperor",
        "春分の日" => "holiday-vernal-equinox",
        "昭和の日" => "holiday-showa",
        "憲法記念日" => "holiday-constitution",
        "みどりの日" => "holiday-greenery",
        "こどもの日" => "holiday-children",
        "海の日" => "holiday-marine",
        "山の日" => "holiday-mountain",
        "敬老の日" => "holiday-aged",
        "秋分の日" => "holiday-autumnal-equinox",
        "スポーツの日" => "holiday-sports",
        "文化の日" => "holiday-culture",
        "勤労感謝の日" => "holiday-labour-thanksgiving",
        "振替休日" => "holiday-substitute",
        "国民の休日" => "holiday-citizens",
        _ => return None,
    })
}

pub fn is_holiday(date: NaiveDate) -> bool {
    holiday_name(date).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn known_days() {
        assert_eq!(holiday_name(d("2026-11-23")), Some("勤労感謝の日"));
        assert_eq!(holiday_name(d("2026-09-22")), Some("国民の休日"));
        assert_eq!(holiday_name(d("2026-05-06")), Some("振替休日"));
        assert_eq!(holiday_name(d("2020-07-24")), Some("スポーツの日"));
        assert_eq!(holiday_name(d("2026-11-24")), None);
        assert!(holidays(2019).is_empty() && holidays(2100).is_empty());
    }
}
