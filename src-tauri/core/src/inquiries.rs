//! Inquiries as both front ends take them in: the shop's hours and time zone
//! are read here, once, instead of by each front end before each call.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::business;
use crate::error::Result;
use crate::inquiry::{self, Inquiry, InquiryInput};
use crate::store::Store;

/// Logs an inquiry, its deadline on the shop's business days, in the shop's
/// zone (`zone` when a front end was told one for this run).
pub fn add(store: &Store, input: &InquiryInput, zone: Option<Tz>, now: DateTime<Utc>) -> Result<Inquiry> {
    let shop = business::load(store)?;
    let tz = zone.unwrap_or_else(|| shop.zone());
    inquiry::add(store, input, &shop, tz, now)
}

/// When an interim reply promising an answer on `day` falls due: the shop's
/// closing time that day, in its zone.
pub fn promised_by(store: &Store, day: NaiveDate, zone: Option<Tz>) -> Result<DateTime<Utc>> {
    let shop = business::load(store)?;
    let tz = zone.unwrap_or_else(|| shop.zone());
    Ok(shop.closing_on(day, tz))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::crypto::KdfParams;

    #[test]
    fn the_shop_zone_and_hours_are_read_here() {
        let tmp = tempfile::tempdir().unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-20T06:00:00Z").unwrap().with_timezone(&Utc);
        let store = Store::init_with(
            &tmp.path().join("s"),
            &crate::SecretString::new("correct horse battery"),
            KdfParams { m_kib: 256, t: 1, p: 1 },
            now,
        )
        .unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(promised_by(&store, day, None).unwrap().to_rfc3339(), "2026-11-24T09:00:00+00:00", "18:00 in Tokyo");
        let mut shop = business::load(&store).unwrap();
        shop.timezone = "Europe/Berlin".into();
        business::save(&store, &shop).unwrap();
        assert_eq!(promised_by(&store, day, None).unwrap().to_rfc3339(), "2026-11-24T17:00:00+00:00", "18:00 in Berlin");
        assert_eq!(
            promised_by(&store, day, Some(chrono_tz::Asia::Tokyo)).unwrap().to_rfc3339(),
            "2026-11-24T09:00:00+00:00",
            "this run's zone"
        );
        let input = InquiryInput {
            channel: Some(crate::customer::ContactKind::Email),
            sender: Some("a@example.jp".into()),
            summary: Some("予約".into()),
            reply_within: Some("24h".into()),
            ..Default::default()
        };
        assert_eq!(add(&store, &input, None, now).unwrap().due_at.to_rfc3339(), "2026-11-21T06:00:00+00:00");
    }
}
