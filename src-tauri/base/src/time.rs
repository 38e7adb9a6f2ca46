//! Wall-clock times of the shop as instants. Instants are stored in UTC and
//! evaluated in the shop's time zone, which the caller passes in.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// The instant of a local wall-clock time in `tz` (the earlier one when a DST change repeats it).
pub fn local_instant(date: NaiveDate, time: chrono::NaiveTime, tz: Tz) -> DateTime<Utc> {
    use chrono::TimeZone;
    let naive = date.and_time(time);
    tz.from_local_datetime(&naive).earliest().map(|d| d.with_timezone(&Utc)).unwrap_or_else(|| naive.and_utc())
}

/// Local midnight of `date` in `tz`, as an instant.
pub fn local_midnight_utc(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    local_instant(date, chrono::NaiveTime::MIN, tz)
}
