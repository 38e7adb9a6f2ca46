//! The compact binary form of what the store keeps sealed next to a
//! collection's pack (the search index, the reminder engine's facts):
//! little-endian integers, length-prefixed UTF-8. Every read is checked; a
//! reader answers `None` on anything it did not expect, never panics.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use zeroize::Zeroizing;

pub struct Writer(pub Zeroizing<Vec<u8>>);

impl Writer {
    pub fn with_capacity(format: u8, size: usize) -> Writer {
        let mut w = Writer(Zeroizing::new(Vec::with_capacity(size)));
        w.0.push(format);
        w
    }

    pub fn byte(&mut self, v: u8) {
        self.0.push(v);
    }

    pub fn bool(&mut self, v: bool) {
        self.0.push(u8::from(v));
    }

    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }

    pub fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
            None => self.0.push(0),
        }
    }

    pub fn strs(&mut self, list: &[String]) {
        self.len(list.len());
        for s in list {
            self.str(s);
        }
    }

    pub fn opt_date(&mut self, d: Option<NaiveDate>) {
        match d {
            Some(d) => {
                self.0.push(1);
                self.i64(i64::from(d.num_days_from_ce()));
            }
            None => self.0.push(0),
        }
    }

    pub fn time(&mut self, t: DateTime<Utc>) {
        self.i64(t.timestamp());
        self.u64(u64::from(t.timestamp_subsec_nanos()));
    }
}

pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    /// A reader past the format byte, when it is `format`.
    pub fn new(bytes: &'a [u8], format: u8) -> Option<Reader<'a>> {
        let mut r = Reader(bytes);
        (r.byte()? == format).then_some(r)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    pub fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    pub fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    pub fn u64(&mut self) -> Option<u64> {
        self.take(8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes)
    }

    /// A count of items each at least `min_bytes` long: one the rest of the
    /// input cannot hold is damage (and must not size an allocation).
    pub fn count(&mut self, min_bytes: usize) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n <= self.0.len() / min_bytes.max(1)).then_some(n)
    }

    pub fn i64(&mut self) -> Option<i64> {
        self.take(8).and_then(|b| b.try_into().ok()).map(i64::from_le_bytes)
    }

    pub fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.u64()?).ok()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    pub fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    pub fn opt_string(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.string().map(Some),
            _ => None,
        }
    }

    pub fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.count(8)?;
        (0..n).map(|_| self.string()).collect()
    }

    pub fn opt_date(&mut self) -> Option<Option<NaiveDate>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(NaiveDate::from_num_days_from_ce_opt(i32::try_from(self.i64()?).ok()?)?)),
            _ => None,
        }
    }

    pub fn time(&mut self) -> Option<DateTime<Utc>> {
        let secs = self.i64()?;
        let nanos = u32::try_from(self.u64()?).ok()?;
        DateTime::from_timestamp(secs, nanos)
    }
}

/// For decoders' tests: `bytes` decode, every truncation and a trailing byte
/// are refused, and no single-byte change panics.
#[doc(hidden)]
pub fn assert_refuses_damage(bytes: &[u8], decodes: impl Fn(&[u8]) -> bool) {
    assert!(decodes(bytes), "the undamaged bytes decode");
    for cut in 0..bytes.len() {
        assert!(!decodes(&bytes[..cut]), "truncated at {cut}");
    }
    let mut extra = bytes.to_vec();
    extra.push(0);
    assert!(!decodes(&extra), "trailing byte");
    for i in 0..bytes.len() {
        let mut b = bytes.to_vec();
        b[i] ^= 0xA5;
        decodes(&b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_was_written_and_refuses_the_rest() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T03:04:05.123456789Z").unwrap().with_timezone(&Utc);
        let d = NaiveDate::from_ymd_opt(2027, 3, 31);
        let mut w = Writer::with_capacity(7, 0);
        w.bool(true);
        w.str("受付");
        w.opt_str(None);
        w.strs(&["a".into(), "".into()]);
        w.opt_date(d);
        w.time(t);
        let bytes = w.0.clone();
        let mut r = Reader::new(&bytes, 7).unwrap();
        assert_eq!(r.bool(), Some(true));
        assert_eq!(r.str(), Some("受付"));
        assert_eq!(r.opt_string(), Some(None));
        assert_eq!(r.strings(), Some(vec!["a".to_string(), String::new()]));
        assert_eq!(r.opt_date(), Some(d));
        assert_eq!(r.time(), Some(t));
        assert!(r.is_empty());
        assert!(Reader::new(&bytes, 8).is_none(), "another format");
        assert!(Reader::new(&[], 7).is_none());
        // A count larger than what follows is refused before allocating.
        let mut w = Writer::with_capacity(1, 0);
        w.u64(u64::MAX);
        assert_eq!(Reader::new(&w.0, 1).unwrap().count(1), None);
        assert_eq!(Reader(&[2]).bool(), None);
        assert_eq!(Reader(&[0xff, 0xfe, 2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe][2..]).str(), None, "not UTF-8");
    }
}
