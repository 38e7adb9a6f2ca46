//! The shop's business days and hours: weekends and national holidays off by
//! default, plus its own closed weekdays and closed periods (e.g. 12/29–1/3).
//! Reply deadlines in business days are computed here.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::customers::holidays;
use noren_base::error::{Error, Result};
use noren_store::store::{Compartment, Record, Store};

/// A yearly closed period, as month-day pairs ("12-29" to "01-03" wraps the year end).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClosedPeriod {
    /// "MM-DD"
    pub from: String,
    /// "MM-DD"
    pub to: String,
    #[serde(default)]
    pub note: String,
}

/// Why the shop is closed on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closed {
    /// Its weekly day off (定休日).
    Weekly,
    /// A national holiday, by its Japanese name.
    Holiday(&'static str),
    /// One of the shop's own closed periods, with the owner's note (may be empty).
    Period(String),
}

/// Shop hours (calendar tree "settings", id "shop").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ShopHours {
    pub id: String,
    /// "HH:MM" local time.
    pub open: String,
    pub close: String,
    /// 0 = Monday … 6 = Sunday.
    pub closed_weekdays: Vec<u8>,
    pub closed_periods: Vec<ClosedPeriod>,
    /// National holidays are closed days.
    pub holidays_closed: bool,
    /// Default reply deadline for new inquiries: "24h" or "1bd".
    pub default_reply: String,
    /// The shop's name as replies sign it (「さくら整骨院」); empty: 当店.
    pub name: String,
    /// The shop's phone number, for replies that move a complaint to the phone ({phone}).
    pub phone: String,
    /// The closing lines of a reply ({signature}); empty: the shop's name.
    pub signature: String,
    /// The shop's time zone (IANA name, e.g. "Asia/Tokyo"); empty: Asia/Tokyo.
    /// Every local date and time of the shop is read and shown in it.
    #[serde(default)]
    pub timezone: String,
}

impl Default for ShopHours {
    fn default() -> Self {
        ShopHours {
            id: "shop".into(),
            open: "09:00".into(),
            close: "18:00".into(),
            closed_weekdays: vec![5, 6],
            closed_periods: vec![ClosedPeriod { from: "12-29".into(), to: "01-03".into(), note: "年末年始".into() }],
            holidays_closed: true,
            default_reply: "24h".into(),
            name: String::new(),
            phone: String::new(),
            signature: String::new(),
            timezone: String::new(),
        }
    }
}

impl Record for ShopHours {
    const TREE: &'static str = "settings";
    const COMPARTMENT: Compartment = Compartment::Calendar;
    const WHAT: &'static str = "settings";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::line("open", &self.open, 16)?;
        v::line("close", &self.close, 16)?;
        if self.closed_weekdays.iter().any(|d| *d > 6) {
            return Err(noren_base::Error::invalid("closed_weekdays", "is not a weekday"));
        }
        v::entries("closed_periods", &self.closed_periods)?;
        for p in &self.closed_periods {
            v::line("closed_periods", &p.from, 32)?;
            v::line("closed_periods", &p.to, 32)?;
            v::line("closed_periods", &p.note, 512)?;
        }
        v::line("default_reply", &self.default_reply, 32)?;
        v::line("name", &self.name, 200)?;
        v::line("phone", &self.phone, 64)?;
        v::text("signature", &self.signature)?;
        v::line("timezone", &self.timezone, 64)?;
        if self.signature.chars().count() > 1000 {
            return Err(Error::invalid("signature", "is longer than 1,000 characters"));
        }
        Ok(())
    }
}

fn parse_md(field: &'static str, s: &str) -> Result<(u32, u32)> {
    let bad = || Error::invalid(field, format!("{s:?} is not a month-day (use MM-DD, e.g. 12-29)"));
    let (m, d) = s.trim().split_once('-').ok_or_else(bad)?;
    let (m, d): (u32, u32) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    // 2024 is a leap year: every real month-day exists in it.
    NaiveDate::from_ymd_opt(2024, m, d).ok_or_else(bad)?;
    Ok((m, d))
}

/// The time zone of a shop that set none.
pub const DEFAULT_ZONE: Tz = chrono_tz::Asia::Tokyo;

/// A time zone by its IANA name ("Asia/Tokyo"); empty: the default.
pub fn parse_zone(name: &str) -> Result<Tz> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(DEFAULT_ZONE);
    }
    name.parse().map_err(|_| Error::invalid("timezone", format!("{name:?} is not a time zone name (e.g. Asia/Tokyo)")))
}

impl ShopHours {
    pub fn validate(&self) -> Result<()> {
        let open = NaiveTime::parse_from_str(&self.open, "%H:%M").map_err(|_| Error::invalid("open", "use HH:MM, e.g. 09:00"))?;
        let close = NaiveTime::parse_from_str(&self.close, "%H:%M").map_err(|_| Error::invalid("close", "use HH:MM, e.g. 18:00"))?;
        if close <= open {
            return Err(Error::invalid("close", "closing time must be after opening time"));
        }
        if self.closed_weekdays.iter().any(|d| *d > 6) || self.closed_weekdays.len() >= 7 {
            return Err(Error::invalid("closed_weekdays", "the shop must be open on at least one weekday"));
        }
        for p in &self.closed_periods {
            parse_md("closed_periods", &p.from)?;
            parse_md("closed_periods", &p.to)?;
        }
        ReplyPolicy::parse(&self.default_reply)?;
        parse_zone(&self.timezone)?;
        Ok(())
    }

    /// The shop's time zone (Asia/Tokyo when none is set).
    pub fn zone(&self) -> Tz {
        parse_zone(&self.timezone).unwrap_or(DEFAULT_ZONE)
    }

    fn close_time(&self) -> NaiveTime {
        NaiveTime::parse_from_str(&self.close, "%H:%M").unwrap_or(NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default())
    }

    /// Whether the shop is closed on a local date, and why (for explanations).
    /// Why the shop is closed on `date`, if it is: its weekly day off, a national holiday, or
    /// one of its own closed periods (with the owner's note).
    pub fn closed_on(&self, date: NaiveDate) -> Option<Closed> {
        let wd = date.weekday().num_days_from_monday() as u8;
        if self.closed_weekdays.contains(&wd) {
            return Some(Closed::Weekly);
        }
        if self.holidays_closed {
            if let Some(n) = holidays::holiday_name(date) {
                return Some(Closed::Holiday(n));
            }
        }
        let md = (date.month(), date.day());
        for p in &self.closed_periods {
            let (Ok(f), Ok(t)) = (parse_md("from", &p.from), parse_md("to", &p.to)) else { continue };
            let inside = if f <= t { f <= md && md <= t } else { md >= f || md <= t };
            if inside {
                return Some(Closed::Period(p.note.clone()));
            }
        }
        None
    }

    /// The reason in Japanese as the shop writes it (定休日, the holiday's name, the note).
    pub fn closed_reason(&self, date: NaiveDate) -> Option<String> {
        use noren_base::messages::{text, Lang};
        self.closed_on(date).map(|c| match c {
            Closed::Weekly => text(Lang::Ja, "closed-weekly"),
            Closed::Holiday(n) => n.to_string(),
            Closed::Period(note) if note.is_empty() => text(Lang::Ja, "closed-period"),
            Closed::Period(note) => note,
        })
    }

    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        self.closed_reason(date).is_none()
    }

    /// Closing time of the `n`-th business day after the local date of `from`.
    pub fn after_business_days(&self, from: DateTime<Utc>, n: u32, tz: Tz) -> DateTime<Utc> {
        let mut day = from.with_timezone(&tz).date_naive();
        let mut left = n.max(1);
        // At most a few years of closed days: a bounded loop even for odd settings.
        for _ in 0..3660 {
            day += Duration::days(1);
            if self.is_business_day(day) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        noren_base::time::local_instant(day, self.close_time(), tz)
    }

    fn open_time(&self) -> NaiveTime {
        NaiveTime::parse_from_str(&self.open, "%H:%M").unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default())
    }

    /// Whether `at` falls inside the hours (a business day, between opening and closing).
    pub fn is_open_at(&self, at: DateTime<Utc>, tz: Tz) -> bool {
        let local = at.with_timezone(&tz);
        let t = local.time();
        self.is_business_day(local.date_naive()) && self.open_time() <= t && t < self.close_time()
    }

    /// The next opening instant at or after `at` (`at` itself when open), within a year.
    pub fn next_open(&self, at: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        if self.is_open_at(at, tz) {
            return Some(at);
        }
        let mut day = at.with_timezone(&tz).date_naive();
        for _ in 0..366 {
            if self.is_business_day(day) {
                let open = noren_base::time::local_instant(day, self.open_time(), tz);
                if open >= at {
                    return Some(open);
                }
            }
            day += Duration::days(1);
        }
        None
    }

    /// Closing time on a local date (for "we will reply by <date>").
    pub fn closing_on(&self, date: NaiveDate, tz: Tz) -> DateTime<Utc> {
        noren_base::time::local_instant(date, self.close_time(), tz)
    }
}

pub fn load(store: &Store) -> Result<ShopHours> {
    Ok(store.get::<ShopHours>("shop")?.unwrap_or_default())
}

pub fn save(store: &Store, s: &ShopHours) -> Result<()> {
    s.validate()?;
    let mut s = s.clone();
    s.id = "shop".into();
    s.closed_weekdays.sort_unstable();
    s.closed_weekdays.dedup();
    store.put(&s)
}

/// How long we may take to reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReplyPolicy {
    /// Wall-clock hours (not moved by holidays).
    Hours(u32),
    /// Japanese business days: closing time of the N-th business day after the day received.
    BusinessDays(u32),
}

impl ReplyPolicy {
    /// "24h", "48h", "1bd", "3bd".
    pub fn parse(s: &str) -> Result<ReplyPolicy> {
        let v = s.trim().to_ascii_lowercase();
        let bad = || Error::invalid("reply_within", format!("{s:?} is not a reply deadline (e.g. 24h or 1bd)"));
        if let Some(n) = v.strip_suffix("bd") {
            let n: u32 = n.parse().map_err(|_| bad())?;
            if !(1..=30).contains(&n) {
                return Err(bad());
            }
            return Ok(ReplyPolicy::BusinessDays(n));
        }
        if let Some(n) = v.strip_suffix('h') {
            let n: u32 = n.parse().map_err(|_| bad())?;
            if !(1..=24 * 30).contains(&n) {
                return Err(bad());
            }
            return Ok(ReplyPolicy::Hours(n));
        }
        Err(bad())
    }

    pub fn due(self, received: DateTime<Utc>, shop: &ShopHours, tz: Tz) -> DateTime<Utc> {
        match self {
            ReplyPolicy::Hours(h) => received + Duration::hours(i64::from(h)),
            ReplyPolicy::BusinessDays(n) => shop.after_business_days(received, n, tz),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn friday_plus_one_business_day_skips_the_weekend_and_kinro_kansha() {
        let h = ShopHours::default();
        let due = h.after_business_days(utc("2026-11-20T15:00:00+09:00"), 1, chrono_tz::Asia::Tokyo);
        assert_eq!(due, utc("2026-11-24T18:00:00+09:00"));
    }

    #[test]
    fn closed_weekdays_and_year_end() {
        // Every Wednesday closed; open on weekends.
        let h = ShopHours { closed_weekdays: vec![2], ..ShopHours::default() };
        let tz = chrono_tz::Asia::Tokyo;
        // Tue 2026-12-01 + 1 → Thu 12-03 (Wednesday closed).
        assert_eq!(h.after_business_days(utc("2026-12-01T10:00:00+09:00"), 1, tz), utc("2026-12-03T18:00:00+09:00"));
        // Mon 2026-12-28 + 1 → 12-29..01-03 closed → Mon 01-04.
        assert_eq!(h.after_business_days(utc("2026-12-28T10:00:00+09:00"), 1, tz), utc("2027-01-04T18:00:00+09:00"));
        // Received late on a Saturday in UTC terms still counts from the Tokyo date.
        assert_eq!(h.after_business_days(utc("2026-12-05T16:00:00Z"), 1, tz), utc("2026-12-07T18:00:00+09:00"));
        assert_eq!(h.closed_reason(NaiveDate::from_ymd_opt(2027, 1, 2).unwrap()).as_deref(), Some("年末年始"));
    }

    #[test]
    fn validation() {
        let ok = ShopHours::default();
        assert!(ok.validate().is_ok());
        assert!(ShopHours { close: "08:00".into(), ..ok.clone() }.validate().is_err());
        assert!(ShopHours { closed_weekdays: vec![0, 1, 2, 3, 4, 5, 6], ..ok.clone() }.validate().is_err());
        let bad = ClosedPeriod { from: "02-30".into(), to: "03-01".into(), note: String::new() };
        assert!(ShopHours { closed_periods: vec![bad], ..ok.clone() }.validate().is_err());
        assert!(ShopHours { default_reply: "soon".into(), ..ok }.validate().is_err());
    }
}
