//! What every stored text, id, date and address must be, whoever wrote it:
//! an add, an edit, an import, a backup being restored. Inputs are tidied by
//! each feature (trimmed, defaults filled); records are checked here, by the
//! store, before every write (`Record::validate`), so no entry point can skip it.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::error::{Error, Result};

pub const MAX_NAME: usize = 200;
pub const MAX_SHORT: usize = 512;
pub const MAX_URL: usize = 2048;
pub const MAX_PASSWORD: usize = 4096;
pub const MAX_NOTES: usize = 64 * 1024;
pub const MAX_TAG: usize = 64;
pub const MAX_TAGS: usize = 50;
/// Entries of a record's lists (a customer's timeline, an incident's actions).
pub const MAX_ENTRIES: usize = 10_000;

/// Characters that reorder what is shown around them (the "RLO" trick that
/// makes `exe.txt` of `txt.exe`): never part of a name, tag or login.
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A text of at most `max` characters with no control characters (line
/// breaks and tabs allowed when `multiline`), no escape sequences and no bidi
/// overrides.
pub fn check_text(field: &'static str, value: &str, max: usize, multiline: bool) -> Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(Error::invalid(field, format!("too long ({n} characters; at most {max})")));
    }
    if value.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) {
        return Err(Error::invalid(field, "contains control characters"));
    }
    if value.chars().any(is_bidi_override) {
        return Err(Error::invalid(field, "contains characters that reverse the text direction"));
    }
    Ok(())
}

/// A trimmed optional text: `None` when empty.
pub fn opt_text(field: &'static str, value: &str, max: usize) -> Result<Option<String>> {
    let v = value.trim();
    check_text(field, v, max, false)?;
    Ok(if v.is_empty() { None } else { Some(v.to_string()) })
}

/// Tags: trimmed, `#` dropped, duplicates and empty ones removed.
pub fn clean_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim().trim_start_matches('#').trim();
        if t.is_empty() {
            continue;
        }
        check_text("tags", t, MAX_TAG, false)?;
        if !out.iter().any(|x| x == t) {
            out.push(t.to_string());
        }
    }
    if out.len() > MAX_TAGS {
        return Err(Error::invalid("tags", format!("at most {MAX_TAGS} tags")));
    }
    Ok(out)
}

/// A record's own fields, checked (see the module documentation).
pub fn line(field: &'static str, value: &str, max: usize) -> Result<()> {
    check_text(field, value, max, false)
}

pub fn required(field: &'static str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    check_text(field, value, max, false)
}

pub fn opt_line(field: &'static str, value: &Option<String>, max: usize) -> Result<()> {
    value.as_deref().map_or(Ok(()), |v| check_text(field, v, max, false))
}

pub fn text(field: &'static str, value: &str) -> Result<()> {
    check_text(field, value, MAX_NOTES, true)
}

pub fn lines(field: &'static str, values: &[String], max_items: usize, max: usize) -> Result<()> {
    if values.len() > max_items {
        return Err(Error::invalid(field, format!("at most {max_items} entries")));
    }
    values.iter().try_for_each(|v| check_text(field, v, max, false))
}

pub fn tags(values: &[String]) -> Result<()> {
    lines("tags", values, MAX_TAGS, MAX_TAG)
}

pub fn entries<T>(field: &'static str, list: &[T]) -> Result<()> {
    if list.len() > MAX_ENTRIES {
        return Err(Error::invalid(field, format!("at most {MAX_ENTRIES} entries")));
    }
    Ok(())
}

/// A record id or a reference to one: 1–64 letters, digits, `-`, `_` or `.`,
/// not a path (`../../etc` is refused).
pub fn id(field: &'static str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && !value.starts_with('.')
        && !value.contains("..")
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(Error::invalid(field, "is not a record id"));
    }
    Ok(())
}

pub fn opt_id(field: &'static str, value: &Option<String>) -> Result<()> {
    value.as_deref().map_or(Ok(()), |v| id(field, v))
}

/// An instant a shop could have: from 1970 to 2200 (a year-0001 date is a typo or an attack).
pub fn instant(field: &'static str, at: &DateTime<Utc>) -> Result<()> {
    if !(1970..=2200).contains(&at.year()) {
        return Err(Error::invalid(field, format!("{} is not a plausible date", at.format("%Y-%m-%d"))));
    }
    Ok(())
}

pub fn opt_instant(field: &'static str, at: &Option<DateTime<Utc>>) -> Result<()> {
    at.as_ref().map_or(Ok(()), |a| instant(field, a))
}

/// A calendar date from 1900 to 2200.
pub fn date(field: &'static str, d: &NaiveDate) -> Result<()> {
    if !(1900..=2200).contains(&d.year()) {
        return Err(Error::invalid(field, format!("{d} is not a plausible date")));
    }
    Ok(())
}

pub fn opt_date(field: &'static str, d: &Option<NaiveDate>) -> Result<()> {
    d.as_ref().map_or(Ok(()), |d| date(field, d))
}

/// A stored address must be one that `normalize` accepts.
pub fn stored_address(field: &'static str, value: &Option<String>, normalize: fn(&str) -> Result<Option<String>>) -> Result<()> {
    let Some(v) = value else { return Ok(()) };
    match normalize(v) {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(Error::invalid(field, "is empty")),
        Err(Error::Invalid { reason, .. }) => Err(Error::invalid(field, reason)),
        Err(e) => Err(e),
    }
}

/// `s` safe to print on a terminal: control characters (escape sequences,
/// 8-bit controls) and direction overrides shown as `\u{…}`, line breaks
/// and tabs kept. Records cannot hold them (`check_text`); this is for what
/// older versions stored and for names given on the command line.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi_override(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if (c.is_control() && c != '\n' && c != '\t') || is_bidi_override(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Serialised JSON safe to print on a terminal: serde_json escapes C0
/// controls but writes 8-bit controls and direction overrides as they are;
/// those (found only inside strings) become `\uXXXX`.
pub fn printable_json(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r') || is_bidi_override(c)) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if c.is_control() && !matches!(c, '\n' | '\t' | '\r') || is_bidi_override(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_refuse_escapes_and_direction_overrides() {
        assert!(check_text("name", "さくら整骨院", MAX_NAME, false).is_ok());
        for bad in ["\u{1b}[31mred\u{1b}[0m", "a\u{0}b", "\u{9b}31m", "\u{1b}]0;title\u{7}", "invoice\u{202E}fdp.exe", "x\u{2067}y"] {
            assert!(check_text("name", bad, MAX_NAME, false).is_err(), "{bad:?}");
            assert!(check_text("notes", bad, MAX_NOTES, true).is_err(), "{bad:?}");
        }
        assert!(check_text("notes", "一行目\n二行目\tタブ", MAX_NOTES, true).is_ok());
        assert!(check_text("name", "一行目\n二行目", MAX_NAME, false).is_err());
        assert!(check_text("name", &"x".repeat(201), MAX_NAME, false).is_err());
    }

    #[test]
    fn terminal_output_carries_no_escapes() {
        assert_eq!(printable("さくら\n整骨院"), "さくら\n整骨院");
        assert_eq!(printable("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(printable("a\u{9b}b\u{202e}c"), "a\\u{9b}b\\u{202e}c");
        let json = serde_json::to_string(&serde_json::json!({ "name": "x\u{9b}y\u{202e}z\u{1b}" })).unwrap_or_default();
        let safe = printable_json(&json);
        assert!(!safe.chars().any(|c| c.is_control() || is_bidi_override(c)), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back["name"], "x\u{9b}y\u{202e}z\u{1b}", "still the same JSON");
    }

    #[test]
    fn ids_are_ids_not_paths() {
        for good in ["xo3oohx5pitl6jis", "backup", "inq00001", "cust-gone", "backup-20261122010000000"] {
            assert!(id("id", good).is_ok(), "{good}");
        }
        for bad in ["", "../../etc", "a/b", ".hidden", "x".repeat(65).as_str(), "名前", "a b"] {
            assert!(id("id", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_stay_in_a_shops_lifetime() {
        let year1 = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default();
        assert!(date("due", &year1).is_err());
        assert!(date("due", &NaiveDate::from_ymd_opt(2027, 3, 31).unwrap_or_default()).is_ok());
        assert!(instant("at", &year1.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()).is_err());
    }
}
