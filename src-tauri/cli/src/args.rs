//! Argument parsers shared by several nouns (clap `value_parser`s and flag values).

use chrono::{DateTime, Utc};
use noren_core::Error;

use crate::io::{CliError, CliResult};

pub(crate) fn parse_now(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| format!("{s:?} is not an RFC 3339 time (e.g. 2026-12-01T09:00:00+09:00)"))
}

/// Weekdays as "sat,sun" or "wed" ("none" for none) → 0 = Monday … 6 = Sunday.
pub(crate) fn parse_weekdays(days: &str) -> CliResult<Vec<u8>> {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    if days.trim() == "none" {
        return Ok(Vec::new());
    }
    days.split(',')
        .map(|d| {
            NAMES
                .iter()
                .position(|n| *n == d.trim().to_ascii_lowercase())
                .map(|p| p as u8)
                .ok_or_else(|| CliError::from(Error::invalid("closed_weekdays", format!("{d:?} is not a weekday (mon … sun)"))))
        })
        .collect()
}
