//! Reading stored instants quickly. chrono writes a `DateTime<Utc>` as RFC 3339
//! ending in `Z` (`2026-11-20T03:00:00Z`, `2026-11-20T03:00:00.123456789Z`);
//! reading it back through chrono's general parser was about 40 % of a full read
//! of a large collection. `de` reads exactly that shape itself and hands
//! anything else to chrono, so whatever chrono accepts is still accepted, with
//! the same result. Used as `#[serde(deserialize_with = "crate::utc::de")]` on
//! the instants of the large collections; writing is unchanged.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::de::{self, Deserializer, Visitor};

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, as chrono writes it; `None` for any other shape.
fn fast(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[b.len() - 1] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let nanos = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let n = num(20..b.len() - 1)?;
            n * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let (second, minute, hour) = (num(17..19)?, num(14..16)?, num(11..13)?);
    // A leap second (60) is left to chrono.
    if second > 59 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?;
    Some(date.and_hms_nano_opt(hour, minute, second, nanos)?.and_utc())
}

/// What chrono's own `Deserialize` for `DateTime<Utc>` does.
fn general(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    s.parse::<DateTime<FixedOffset>>().map(|d| d.with_timezone(&Utc))
}

struct Instant;

impl Visitor<'_> for Instant {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an RFC 3339 date and time")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<DateTime<Utc>, E> {
        match fast(s) {
            Some(t) => Ok(t),
            None => general(s).map_err(E::custom),
        }
    }
}

pub fn de<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(Instant)
}

struct MaybeInstant;

impl<'de> Visitor<'de> for MaybeInstant {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an RFC 3339 date and time or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        de(d).map(Some)
    }
}

/// For `Option<DateTime<Utc>>` fields (with `#[serde(default)]`).
pub fn de_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    d.deserialize_option(MaybeInstant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, SubsecRound, TimeZone};

    #[derive(serde::Deserialize)]
    struct Both {
        #[serde(deserialize_with = "de")]
        t: DateTime<Utc>,
        #[serde(default, deserialize_with = "de_opt")]
        o: Option<DateTime<Utc>>,
    }

    fn ours(s: &str) -> Result<DateTime<Utc>, String> {
        serde_json::from_value::<Both>(serde_json::json!({ "t": s })).map(|b| b.t).map_err(|e| e.to_string())
    }

    fn chronos(s: &str) -> Result<DateTime<Utc>, String> {
        serde_json::from_value::<DateTime<Utc>>(serde_json::json!(s)).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_what_chrono_writes_exactly_as_chrono_does() {
        let mut t = Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap();
        let mut step = 1u64;
        for _ in 0..5000 {
            // Steps of varying size and sub-second part: whole seconds, ms, µs, ns.
            step = step.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            t += Duration::nanoseconds((step >> 20) as i64 % 90_000_000_000_000);
            for v in [t, t.round_subsecs(3), t.round_subsecs(6), t.round_subsecs(0)] {
                let written = serde_json::to_value(v).unwrap();
                let s = written.as_str().unwrap();
                assert_eq!(ours(s), Ok(v), "{s}");
                assert_eq!(ours(s), chronos(s), "{s}");
            }
        }
    }

    #[test]
    fn every_other_shape_gets_chronos_answer() {
        for s in [
            "2026-11-20T03:00:00Z",
            "2026-11-20T03:00:00.5Z",
            "2026-11-20T03:00:00+09:00",
            "2026-11-20t03:00:00z",
            "2026-11-20 03:00:00Z",
            "2026-11-20T03:00:00.1234567891Z",
            "2026-11-20T03:00:00.Z",
            "2016-12-31T23:59:60Z",
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-20T24:00:00Z",
            "2026-11-20T03:60:00Z",
            "+2026-11-20T03:00:00Z",
            "2026-1120T03:00:00Z",
            "２０２６-11-20T03:00:00Z",
            "2026-11-20T03:00:00ZZ",
            "",
            "not a date",
        ] {
            assert_eq!(ours(s).is_ok(), chronos(s).is_ok(), "{s:?}: ours {:?}, chrono {:?}", ours(s), chronos(s));
            if let (Ok(a), Ok(b)) = (ours(s), chronos(s)) {
                assert_eq!(a, b, "{s:?}");
            }
        }
    }

    #[test]
    fn optional_instants() {
        let b: Both = serde_json::from_str(r#"{"t":"2026-11-20T03:00:00Z","o":null}"#).unwrap();
        assert_eq!(b.o, None);
        let b: Both = serde_json::from_str(r#"{"t":"2026-11-20T03:00:00Z"}"#).unwrap();
        assert_eq!(b.o, None);
        let b: Both = serde_json::from_str(r#"{"t":"2026-11-20T03:00:00Z","o":"2026-11-21T00:00:00.250Z"}"#).unwrap();
        assert_eq!(b.o, Some(Utc.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap() + Duration::milliseconds(250)));
        assert!(serde_json::from_str::<Both>(r#"{"t":"2026-11-20T03:00:00Z","o":"garbage"}"#).is_err());
        assert!(serde_json::from_str::<Both>(r#"{"t":5}"#).is_err());
    }
}
