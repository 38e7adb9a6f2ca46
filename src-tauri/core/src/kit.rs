//! The emergency kit: a printable handover sheet (what exists and where, how
//! to open Noren, how to recover; never a secret) and a recovery key split
//! into N Shamir shares (threshold K, GF(256), the `blahaj` crate), each
//! printable as text and QR code. Any K shares open the store and set a new
//! passphrase; fewer fail clearly. Each share carries the store's fingerprint
//! and a checksum, so a mistyped or damaged share is named, not guessed.

use noren_base::messages::{text, Lang, Message};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use data_encoding::BASE32_NOPAD;
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::store::{LockedStore, Store};
use crate::SecretString;

const PREFIX: &str = "NOREN-KIT1";
pub const MAX_SHARES: u8 = 10;

/// One share as printed.
#[derive(Clone, Serialize, TS)]
#[ts(export)]
pub struct KitShare {
    pub index: u8,
    pub threshold: u8,
    pub total: u8,
    /// Who keeps it ("税理士", "ウェブ工房"), as given.
    pub holder: String,
    /// The share as text (what `kit recover` reads).
    pub text: String,
    /// The same text as an SVG QR code.
    pub qr_svg: String,
}

impl std::fmt::Debug for KitShare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KitShare({}/{} of {}, <redacted>)", self.index, self.threshold, self.total)
    }
}

impl std::fmt::Debug for ParsedShare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ParsedShare({} {}/{} of {}, <redacted>)", self.store, self.index, self.threshold, self.total)
    }
}

/// A share read back from text.
pub struct ParsedShare {
    pub store: String,
    pub index: u8,
    pub threshold: u8,
    pub total: u8,
    bytes: Zeroizing<Vec<u8>>,
}

fn check_digits(store: &str, k: u8, n: u8, bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(format!("{PREFIX}/{store}/{k}/{n}/").as_bytes());
    h.update(bytes);
    h.finalize().iter().take(3).map(|b| format!("{b:02X}")).collect()
}

fn share_text(store: &str, k: u8, n: u8, bytes: &[u8]) -> String {
    let data = BASE32_NOPAD.encode(bytes);
    format!("{PREFIX}-{store}-{k}OF{n}-{}-{}", data, check_digits(store, k, n, bytes))
}

/// Whether `n` shares with threshold `k` make a kit.
fn check_shape(n: u8, k: u8) -> Result<()> {
    if !(2..=MAX_SHARES).contains(&n) {
        return Err(Error::invalid("shares", format!("make between 2 and {MAX_SHARES} shares")));
    }
    if !(2..=n).contains(&k) {
        return Err(Error::invalid("threshold", format!("the threshold must be between 2 and the number of shares ({n})")));
    }
    Ok(())
}

/// Splits `secret` into `n` shares, any `k` of which recover it.
pub fn split(secret: &[u8; 32], store: &str, n: u8, k: u8, holders: &[String]) -> Result<Vec<KitShare>> {
    check_shape(n, k)?;
    let sharks = blahaj::Sharks(k);
    let shares: Vec<blahaj::Share> = sharks.dealer(secret).take(n as usize).collect();
    let mut out = Vec::new();
    for (i, s) in shares.iter().enumerate() {
        let bytes = Zeroizing::new(Vec::from(s));
        let text = share_text(store, k, n, &bytes);
        let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| Error::Storage(format!("QR code: {e}")))?;
        let qr_svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(180, 180).quiet_zone(true).build();
        out.push(KitShare { index: bytes[0], threshold: k, total: n, holder: holders.get(i).cloned().unwrap_or_default(), text, qr_svg });
    }
    Ok(out)
}

/// Reads one share; spaces and line breaks (as copied from paper) are ignored.
pub fn parse_share(text: &str) -> Result<ParsedShare> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let bad = || Error::invalid("shares", "this is not a Noren kit share (it starts with NOREN-KIT1-)");
    let rest = t.strip_prefix(&format!("{PREFIX}-")).ok_or_else(bad)?;
    let parts: Vec<&str> = rest.split('-').collect();
    let [store, kn, data, check] = parts.as_slice() else { return Err(bad()) };
    let (k, n) = kn.split_once("OF").ok_or_else(bad)?;
    let (k, n): (u8, u8) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    let bytes = Zeroizing::new(
        BASE32_NOPAD
            .decode(data.as_bytes())
            .map_err(|_| Error::invalid("shares", "the share's letters cannot be read (a character is mistyped or missing)"))?,
    );
    let store = store.to_ascii_lowercase();
    if bytes.len() != 33 || check_digits(&store, k, n, &bytes) != *check {
        return Err(Error::invalid("shares", "the share is damaged or mistyped (its check letters do not match)"));
    }
    Ok(ParsedShare { store, index: bytes[0], threshold: k, total: n, bytes })
}

/// Combines shares of the store with fingerprint `store` into the recovery key.
pub fn combine(shares: &[ParsedShare], store: &str) -> Result<Zeroizing<[u8; 32]>> {
    let first = shares.first().ok_or_else(|| Error::invalid("shares", "give the shares to combine"))?;
    if let Some(s) = shares.iter().find(|s| s.store != store) {
        return Err(Error::invalid("shares", format!("share {} belongs to another store ({})", s.index, s.store)));
    }
    if shares.iter().any(|s| s.threshold != first.threshold || s.total != first.total) {
        return Err(Error::invalid("shares", "the shares come from different kits"));
    }
    let mut seen = std::collections::BTreeSet::new();
    let distinct: Vec<&ParsedShare> = shares.iter().filter(|s| seen.insert(s.index)).collect();
    let k = first.threshold as usize;
    if distinct.len() < k {
        return Err(Error::invalid("shares", format!("{} different shares are needed, {} given: fewer reveal nothing", k, distinct.len())));
    }
    let parsed: Vec<blahaj::Share> = distinct
        .iter()
        .take(k)
        .map(|s| blahaj::Share::try_from(s.bytes.as_slice()).map_err(|e| Error::invalid("shares", e.to_string())))
        .collect::<Result<_>>()?;
    let secret =
        Zeroizing::new(blahaj::Sharks(first.threshold).recover(parsed.iter()).map_err(|e| Error::invalid("shares", e.to_string()))?);
    let arr: [u8; 32] = secret.as_slice().try_into().map_err(|_| Error::invalid("shares", "the shares do not form a key"))?;
    Ok(Zeroizing::new(arr))
}

/// Opens the store at `dir` with `share_texts` and sets `new_pass`.
pub fn recover(dir: &Path, share_texts: &[String], new_pass: &SecretString) -> Result<Store> {
    crate::store::check_new_passphrase(new_pass)?;
    let locked = Store::open_locked(dir)?;
    let parsed = share_texts.iter().map(|t| parse_share(t)).collect::<Result<Vec<_>>>()?;
    let key = combine(&parsed, &locked.fingerprint())?;
    LockedStore::recover(locked, &key, new_pass)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The language of the printed kit (a Japanese shop's handover papers), every word from the catalogue.
pub const KIT_LANG: Lang = Lang::Ja;

fn m(key: &str) -> String {
    text(KIT_LANG, key)
}

/// The handover sheet's body (HTML, no secrets): what exists and where, how to
/// open Noren, how to recover. Shown in the app for printing and written by `kit export`.
pub fn sheet_body(store: &Store, shares: Option<(u8, u8, &[String])>, now: DateTime<Utc>, tz: Tz) -> Result<String> {
    let mut h = String::new();
    let local = now.with_timezone(&tz);
    let date =
        Message::new("report-date").with("year", local.format("%Y")).with("month", local.format("%m")).with("day", local.format("%d"));
    let _ = write!(
        h,
        "<h1>{}</h1><p class=\"meta\">{}</p>",
        m("kit-sheet-title"),
        Message::new("kit-sheet-meta").with_message("date", date).with("fingerprint", store.fingerprint()).text(KIT_LANG)
    );
    let _ = write!(h, "<p>{}</p><h2>{}</h2><ol>", m("kit-sheet-no-secrets"), m("kit-h-open"));
    let place = format!("<code>{}</code>", esc(&store.dir().display().to_string()));
    let _ = write!(h, "<li>{}</li>", Message::new("kit-open-start").with("place", place).text(KIT_LANG));
    let _ = write!(h, "<li>{}</li><li>{}</li></ol>", m("kit-open-passphrase"), m("kit-open-new-laptop"));
    let _ = write!(h, "<h2>{}</h2>", m("kit-h-forgotten"));
    match shares {
        Some((n, k, holders)) => {
            let _ =
                write!(h, "<p>{}</p><ul>", Message::new("kit-shares-lead").with("n", n).with("k", k).with("fewer", k - 1).text(KIT_LANG));
            for i in 0..n as usize {
                let who = holders.get(i).map(|s| esc(s)).unwrap_or_else(|| m("kit-holder-unknown"));
                let _ = write!(h, "<li>{}</li>", Message::new("kit-share-line").with("i", i + 1).with("who", who).text(KIT_LANG));
            }
            let _ = write!(
                h,
                "</ul><p>{}</p><p class=\"meta\">{}</p>",
                m("kit-shares-how"),
                Message::new("kit-shares-cli").with("command", "<code>noren-cli kit recover</code>").text(KIT_LANG)
            );
        }
        None => {
            let _ = write!(h, "<p>{}</p>", m("kit-shares-none"));
        }
    }
    let row = |cells: &[String], tag: &str| cells.iter().map(|c| format!("<{tag}>{c}</{tag}>")).collect::<String>();
    let heads = |keys: &[&str]| row(&keys.iter().map(|k| m(k)).collect::<Vec<_>>(), "th");
    let _ = write!(
        h,
        "<h2>{}</h2><table><tr>{}</tr>",
        m("kit-h-accounts"),
        heads(&["kit-col-kind", "kit-col-name", "kit-col-url", "kit-col-recovery", "kit-col-two-factor"])
    );
    let mut creds = crate::credential::list(store)?;
    creds.sort_by(|a, b| a.category.as_str().cmp(b.category.as_str()).then(a.name.cmp(&b.name)));
    for c in &creds {
        let cells = [
            c.category.label(KIT_LANG),
            esc(&c.name),
            esc(c.url.as_deref().unwrap_or("")),
            esc(c.registered_email.as_deref().unwrap_or("")),
            esc(c.two_factor_holder.as_deref().unwrap_or("")),
        ];
        let _ = write!(h, "<tr>{}</tr>", row(&cells, "td"));
    }
    h.push_str("</table>");
    let vendors = crate::vendor::list(store)?;
    if !vendors.is_empty() {
        let _ = write!(
            h,
            "<h2>{}</h2><table><tr>{}</tr>",
            m("kit-h-vendors"),
            heads(&["kit-col-company", "kit-col-role", "kit-col-phone", "kit-col-looks-after"])
        );
        for v in &vendors {
            let cells = [esc(&v.company), v.role.label(KIT_LANG), esc(&v.phone), esc(&v.assets.join(&m("list-separator")))];
            let _ = write!(h, "<tr>{}</tr>", row(&cells, "td"));
        }
        h.push_str("</table>");
    }
    let renewals = crate::renewal::list(store)?;
    if !renewals.is_empty() {
        let _ = write!(
            h,
            "<h2>{}</h2><table><tr>{}</tr>",
            m("kit-h-renewals"),
            heads(&["kit-col-kind", "kit-col-name", "kit-col-due", "kit-col-auto"])
        );
        for r in &renewals {
            let cells = [r.kind.label(KIT_LANG), esc(&r.name), r.due.to_string(), m(if r.auto_renew { "kit-yes" } else { "kit-no" })];
            let _ = write!(h, "<tr>{}</tr>", row(&cells, "td"));
        }
        h.push_str("</table>");
    }
    let backup = crate::backup::load_settings(store)?;
    let _ = write!(h, "<h2>{}</h2>", m("kit-h-backup"));
    let line = match backup.auto_dir {
        Some(d) => {
            Message::new("kit-backup-auto").with("place", format!("<code>{}</code>", esc(&d))).with("keep", backup.keep).text(KIT_LANG)
        }
        None => m("kit-backup-none"),
    };
    let _ = write!(h, "<p>{line}</p>");
    Ok(h)
}

const PAGE_STYLE: &str =
    "body{font-family:'Noto Sans CJK JP','Hiragino Sans',sans-serif;max-width:48em;margin:2em auto;line-height:1.6;color:#222}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #aaa;padding:.25em .5em;text-align:left;font-size:.9em}\
code{word-break:break-all}.share{page-break-after:always}.text{font-family:monospace;font-size:1.1em;word-break:break-all}\
@media print{body{margin:0}}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{PAGE_STYLE}</style></head><body>\n{body}\n</body></html>\n",
        KIT_LANG.code(),
        esc(title)
    )
}

/// One share's printable page.
pub fn share_page(s: &KitShare, store: &str) -> String {
    let holder = if s.holder.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", Message::new("kit-share-holder").with("holder", format!("<strong>{}</strong>", esc(&s.holder))).text(KIT_LANG))
    };
    let title = Message::new("kit-share-title").with("i", s.index).with("n", s.total).text(KIT_LANG);
    let lead = Message::new("kit-share-lead").with("store", store).with("k", s.threshold).text(KIT_LANG);
    let body = format!(
        "<div class=\"share\"><h1>{title}</h1>{holder}<p>{lead}</p>{svg}<p class=\"text\">{text}</p></div>",
        svg = s.qr_svg,
        text = esc(&s.text)
    );
    page(&Message::new("kit-share-page-title").with("i", s.index).text(KIT_LANG), &body)
}

/// What `kit export` wrote.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct KitFiles {
    pub sheet: String,
    pub shares: Vec<String>,
}

/// Makes a new kit: a new recovery key (earlier kits stop working), its shares,
/// and the printable files in `out` (created if needed).
pub fn export(store: &mut Store, n: u8, k: u8, holders: &[String], out: &Path, now: DateTime<Utc>, tz: Tz) -> Result<KitFiles> {
    if holders.len() > n as usize {
        return Err(Error::invalid("holders", format!("{} holders for {n} shares", holders.len())));
    }
    // Validate before replacing the recovery key.
    check_shape(n, k)?;
    crate::files::create_private_dir(out)?;
    let fp = store.fingerprint();
    let key = store.new_recovery_key(now)?;
    let shares = split(&key, &fp, n, k, holders)?;
    drop(key);
    let sheet_path = out.join("noren-handover.html");
    let body = sheet_body(store, Some((n, k, holders)), now, tz)?;
    crate::backup::write_file_atomically(&sheet_path, page(&m("kit-sheet-title"), &body).as_bytes())?;
    let mut paths = Vec::new();
    for s in &shares {
        let p: PathBuf = out.join(format!("noren-key-{}-of-{}.html", s.index, s.total));
        crate::backup::write_file_atomically(&p, share_page(s, &fp).as_bytes())?;
        paths.push(p.display().to_string());
    }
    Ok(KitFiles { sheet: sheet_path.display().to_string(), shares: paths })
}

/// Makes a new kit for printing from the app: the shares (shown once) and the sheet.
pub fn make(store: &mut Store, n: u8, k: u8, holders: &[String], now: DateTime<Utc>) -> Result<Vec<KitShare>> {
    check_shape(n, k)?;
    let fp = store.fingerprint();
    let key = store.new_recovery_key(now)?;
    split(&key, &fp, n, k, holders)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(shares: &[KitShare], pick: &[usize]) -> Vec<ParsedShare> {
        pick.iter().map(|i| parse_share(&shares[*i].text).unwrap()).collect()
    }

    #[test]
    fn every_k_subset_recovers_and_fewer_fail() {
        let secret = [7u8; 32];
        for (n, k) in [(3u8, 2u8), (5, 3), (4, 4)] {
            let shares = split(&secret, "abcd", n, k, &[]).unwrap();
            // All subsets of size k (bit masks).
            for mask in 0u32..(1 << n) {
                let pick: Vec<usize> = (0..n as usize).filter(|i| mask & (1 << i) != 0).collect();
                let got = combine(&parsed(&shares, &pick), "abcd");
                if pick.len() >= k as usize {
                    assert_eq!(*got.unwrap(), secret, "n={n} k={k} pick={pick:?}");
                } else {
                    let e = got.err().unwrap();
                    assert!(e.to_string().contains("needed") || pick.is_empty(), "{e}");
                }
            }
        }
    }

    #[test]
    fn damaged_foreign_and_duplicate_shares_are_named() {
        let shares = split(&[9u8; 32], "abcd", 3, 2, &[]).unwrap();
        // One letter changed in the data part.
        let t = &shares[0].text;
        let pos = t.len() - 10;
        let c = if &t[pos..pos + 1] == "A" { "B" } else { "A" };
        let broken = format!("{}{}{}", &t[..pos], c, &t[pos + 1..]);
        assert!(parse_share(&broken).unwrap_err().to_string().contains("damaged"));
        // Spaces and line breaks from paper are fine, lower case too.
        let spaced: String = t.chars().enumerate().flat_map(|(i, ch)| if i % 5 == 4 { vec![ch, ' '] } else { vec![ch] }).collect();
        assert!(parse_share(&spaced.to_lowercase()).is_ok());
        assert!(parse_share("hello").is_err());
        // Another store's share.
        assert!(combine(&parsed(&shares, &[0, 1]), "ffff").unwrap_err().to_string().contains("another store"));
        // The same share twice is one share.
        assert!(combine(&parsed(&shares, &[0, 0]), "abcd").unwrap_err().to_string().contains("needed"));
        assert!(split(&[0; 32], "abcd", 1, 1, &[]).is_err());
        assert!(split(&[0; 32], "abcd", 3, 4, &[]).is_err());
        assert!(split(&[0; 32], "abcd", 11, 2, &[]).is_err());
        assert!(!format!("{:?}", shares[0]).contains("NOREN-KIT1"));
    }
}
