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

/// Schemes that run code or read local files when opened: never an address of a login.
const REFUSED_SCHEMES: [&str; 6] = ["javascript", "vbscript", "data", "file", "blob", "about"];

/// The scheme of `v` when it starts with one (`imap:`, `javascript:`), lowercased.
fn scheme_of(v: &str) -> Option<String> {
    let (scheme, rest) = v.split_once(':')?;
    let ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // `example.jp:8080` is a host and a port, not a scheme.
    let port = !rest.is_empty() && rest.split('/').next().is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    (ok && !port).then(|| scheme.to_ascii_lowercase())
}

fn refuse_scheme(field: &'static str, v: &str) -> Result<()> {
    if let Some(s) = scheme_of(v) {
        if REFUSED_SCHEMES.contains(&s.as_str()) {
            return Err(Error::invalid(field, format!("{s}: addresses are refused (they run code or open local files)")));
        }
    }
    Ok(())
}

/// What every address must be before its form is looked at: one line of
/// text without spaces, in no refused scheme (`javascript:` …). `None` when empty.
fn address_text(value: &str) -> Result<Option<&str>> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    check_text("url", v, MAX_URL, false)?;
    if v.chars().any(char::is_whitespace) {
        return Err(Error::invalid("url", "must not contain spaces"));
    }
    refuse_scheme("url", v)?;
    Ok(Some(v))
}

/// A web address: `https://…`, `http://…`, or a bare `example.jp/login` (https assumed).
pub fn normalize_url(value: &str) -> Result<Option<String>> {
    let Some(v) = address_text(value)? else { return Ok(None) };
    let candidate = if v.contains("://") { v.to_string() } else { format!("https://{v}") };
    let parsed = url::Url::parse(&candidate).map_err(|e| Error::invalid("url", format!("not a valid web address ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid("url", "must start with https:// or http://"));
    }
    match parsed.host_str() {
        Some(h) if h.contains('.') || h == "localhost" => {}
        _ => return Err(Error::invalid("url", "has no valid host name")),
    }
    Ok(Some(parsed.to_string()))
}

/// Ports of web servers: a bare `host:port` with one of these is a web address.
const WEB_PORTS: [u16; 4] = [80, 443, 8080, 8443];

/// Where a login is used: a web address (as [`normalize_url`]), the URL of any
/// other service as typed (`imap://mail.example.jp:993`, `ssh://sv1.example.jp`,
/// `ftp://…`, `smb://nas.local/shop`), or a server as `host:port`
/// (`ftp.example.jp:21`), kept as typed. Mail, server, FTP, SSH and router
/// logins are as much the shop's as its web ones.
pub fn normalize_address(value: &str) -> Result<Option<String>> {
    let Some(v) = address_text(value)? else { return Ok(None) };
    if let Some((scheme, _)) = v.split_once("://") {
        if matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
            return normalize_url(v);
        }
        let parsed = url::Url::parse(v).map_err(|e| Error::invalid("url", format!("not a valid address ({e})")))?;
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(Error::invalid("url", "has no server name"));
        }
        return Ok(Some(parsed.to_string()));
    }
    if scheme_of(v).is_some() {
        return Err(Error::invalid("url", "not an address of a login (use https://…, imap://…, ssh://… or host:port)"));
    }
    // `host:port` without a path, on a port that is not a web server's: a server, kept as typed.
    if let Some((host, port)) = v.rsplit_once(':') {
        if let Ok(port) = port.parse::<u16>() {
            let host_ok = url::Host::parse(host).is_ok() && (host.contains('.') || host == "localhost");
            if host_ok && !WEB_PORTS.contains(&port) {
                return Ok(Some(format!("{}:{port}", host.to_ascii_lowercase())));
            }
        }
    }
    normalize_url(v)
}

/// True for a web address (http or https): the ones a browser may open.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

pub fn check_email(value: &str) -> Result<Option<String>> {
    let v = opt_text("registered_email", value, MAX_SHORT)?;
    if let Some(e) = &v {
        let ok = e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'));
        if !ok {
            return Err(Error::invalid("registered_email", format!("{e:?} is not an email address")));
        }
    }
    Ok(v)
}

/// A date as a shop owner writes it: `2027-03-31`, `2027/3/31`, `2027.3.31`,
/// `2027年3月31日`, or by the Japanese era: `令和9年3月31日`, `R9.3.31`,
/// `R9/3/31`, `平成31年4月30日`, `H31.4.30` (元年 for the first year);
/// full-width digits too. `None` for an empty value.
pub fn parse_date(field: &'static str, value: &str) -> Result<Option<NaiveDate>> {
    use unicode_normalization::UnicodeNormalization;
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let bad =
        || Error::invalid(field, format!("{v:?} is not a date (write it as YYYY-MM-DD like 2027-03-31, or 2027/3/31 or 令和9年3月31日)"));
    let folded: String = v.nfkc().collect::<String>().replace('元', "1");
    // The era first: its names, its first year, first day and last day.
    struct Era {
        names: &'static [&'static str],
        first: i32,
        start: (u32, u32),
        end: Option<(i32, u32, u32)>,
    }
    const ERAS: [Era; 2] = [
        Era { names: &["令和", "R", "r"], first: 2019, start: (5, 1), end: None },
        Era { names: &["平成", "H", "h"], first: 1989, start: (1, 8), end: Some((2019, 4, 30)) },
    ];
    let (rest, era) = ERAS
        .iter()
        .find_map(|e| e.names.iter().find_map(|n| folded.strip_prefix(n)).map(|rest| (rest, Some((e.first, e.start, e.end)))))
        .unwrap_or((folded.as_str(), None));
    let parts: Vec<&str> = rest.trim().split(['-', '/', '.', '年', '月', '日']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let [y, m, d] = parts.as_slice() else { return Err(bad()) };
    let num = |s: &str| if !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()) { s.parse::<u32>().ok() } else { None };
    let (y, m, d) = (num(y).ok_or_else(bad)?, num(m).ok_or_else(bad)?, num(d).ok_or_else(bad)?);
    let date = match era {
        None if y >= 1000 => NaiveDate::from_ymd_opt(y as i32, m, d),
        None => None,
        Some((first, (sm, sd), end)) => {
            let date = NaiveDate::from_ymd_opt(first + y as i32 - 1, m, d).filter(|_| y >= 1);
            let starts = NaiveDate::from_ymd_opt(first, sm, sd);
            let ends = end.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
            date.filter(|d| starts.is_some_and(|s| *d >= s) && ends.is_none_or(|e| *d <= e))
        }
    };
    date.map(Some).ok_or_else(bad)
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
