//! Which reminders each laptop has shown today and which it has snoozed, so that a shop with
//! several laptops is told once, not once per laptop. Each laptop keeps one small sealed file in
//! its own folder, `notices-<yyyymmdd>-<nnnn>.nrn`: the reminders it showed that day and every
//! snooze still running. It writes a new file each time and deletes its older ones, so a reader
//! needs only each laptop's newest file.
//!
//! This must work while the vault is locked (the window's reminder loop, the systemd timer's
//! `noren-cli check --notify`), so what it needs lives in the calendar compartment
//! (`NoticeLink`): the folder, this laptop's id, and a key derived one way from the shop part's
//! newest key (the part's key itself is never there). Files sealed under an older key (a laptop
//! taken out, or one that has not heard of a new key yet) are not read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use data_encoding::BASE64;
use noren_base::error::{Error, Result};
use noren_base::files::{self, Existing};
use noren_base::secret::SecretString;
use noren_store::crypto::{self, Key};
use noren_store::store::{Compartment, Record, Store};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::folder::{self, Header};
use super::model::Part;
use super::SyncSettings;

const LINK_ID: &str = "link";
const KIND: &str = "notices";
/// A notices file is a few kilobytes; anything much larger is not one.
const MAX_NOTICES: u64 = 4 * 1024 * 1024;
const MAX_KEY: usize = 256;

/// What a laptop needs to read and write notices without its vault (calendar compartment).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeLink {
    pub id: String,
    pub folder: String,
    pub folder_id: String,
    pub device: String,
    /// Of the shop part's key it was derived from.
    pub epoch: u32,
    /// 32 bytes, base64: derived from the shop part's key, opens notices files only.
    pub key: SecretString,
}

impl Record for NoticeLink {
    const TREE: &'static str = "notice_link";
    const COMPARTMENT: Compartment = Compartment::Calendar;
    const WHAT: &'static str = "notice link";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        super::where_in_the_folder(&self.folder, &self.folder_id, &self.device)?;
        noren_base::validate::line("key", self.key.expose(), 100)
    }
}

impl NoticeLink {
    fn key(&self) -> Result<Key> {
        super::key_of(&self.key, "notice")
    }

    fn dir(&self, device: &str) -> PathBuf {
        folder::device_dir(Path::new(&self.folder), device)
    }
}

/// The link a laptop's sync settings give (none without a shop key, which every laptop has).
pub(super) fn link_of(s: &SyncSettings) -> Result<Option<NoticeLink>> {
    let Some(shop) = s.newest(Part::Shop) else { return Ok(None) };
    let derived = crypto::derive_subkey(&shop.key()?, "noren/sync/1/notice-link");
    Ok(Some(NoticeLink {
        id: LINK_ID.into(),
        folder: s.folder.clone(),
        folder_id: s.folder_id.clone(),
        device: s.device.clone(),
        epoch: shop.epoch,
        key: SecretString::new(BASE64.encode(derived.expose_bytes().as_slice())),
    }))
}

/// Keeps the calendar compartment's link in step with the sync settings (called when they are saved).
pub(super) fn keep_link(store: &Store, s: &SyncSettings) -> Result<()> {
    let Some(link) = link_of(s)? else { return Ok(()) };
    if store.get::<NoticeLink>(LINK_ID)?.as_ref() != Some(&link) {
        store.put(&link)?;
    }
    Ok(())
}

/// What the other laptops have shown today and have snoozed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Notices {
    /// Reminder keys shown on `day`.
    pub shown: BTreeSet<String>,
    pub day: Option<NaiveDate>,
    /// Reminder key → not before this instant.
    pub snoozed: BTreeMap<String, DateTime<Utc>>,
}

impl Notices {
    fn check(&self) -> Result<()> {
        let bad = |k: &String| k.is_empty() || k.len() > MAX_KEY || k.chars().any(char::is_control);
        if self.shown.len() > 100_000 || self.snoozed.len() > 100_000 || self.shown.iter().chain(self.snoozed.keys()).any(bad) {
            return Err(Error::invalid("sync_file", "not a notices file"));
        }
        Ok(())
    }
}

fn seq_of(day: NaiveDate, n: u64) -> u64 {
    (day.year().max(0) as u64 * 10_000 + u64::from(day.month()) * 100 + u64::from(day.day())) * 10_000 + n
}

fn name_of(seq: u64) -> String {
    format!("notices-{:08}-{:04}.nrn", seq / 10_000, seq % 10_000)
}

fn parse_name(name: &str) -> Option<u64> {
    let stem = name.strip_prefix("notices-")?.strip_suffix(".nrn")?;
    let (day, n) = stem.split_once('-')?;
    if day.len() != 8 || n.len() != 4 || !day.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(day.parse::<u64>().ok()? * 10_000 + n.parse::<u64>().ok()?)
}

fn own_files(dir: &Path) -> Vec<(u64, PathBuf)> {
    let mut v: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| parse_name(&e.file_name().to_string_lossy()).map(|q| (q, e.path())))
        .collect();
    v.sort();
    v
}

/// The link, when this store is shared and its folder is there.
fn reachable_link(store: &Store) -> Result<Option<NoticeLink>> {
    let Some(link) = store.get::<NoticeLink>(LINK_ID)? else { return Ok(None) };
    Ok(Path::new(&link.folder).join(folder::MARKER).is_file().then_some(link))
}

/// What the other laptops showed on `day` and have snoozed, from each one's newest notices file.
/// Nothing when the store is not shared or the folder is not there; a file that does not open
/// (damaged, still arriving, sealed under another key) is passed over.
pub fn read_others(store: &Store, day: NaiveDate) -> Result<Notices> {
    let mut out = Notices { day: Some(day), ..Default::default() };
    let Some(link) = reachable_link(store)? else { return Ok(out) };
    let key = link.key()?;
    let devices = std::fs::read_dir(folder::devices_dir(Path::new(&link.folder))).into_iter().flatten().flatten();
    for dev in devices {
        let name = dev.file_name().to_string_lossy().into_owned();
        if name == link.device || noren_base::validate::id("device", &name).is_err() {
            continue;
        }
        let Some((seq, path)) = own_files(&dev.path()).pop() else { continue };
        let Ok(n) = open_file(&key, &link, &name, seq, &path) else { continue };
        if n.day == Some(day) {
            out.shown.extend(n.shown);
        }
        for (k, until) in n.snoozed {
            let e = out.snoozed.entry(k).or_insert(until);
            *e = (*e).max(until);
        }
    }
    Ok(out)
}

fn open_file(key: &Key, link: &NoticeLink, device: &str, seq: u64, path: &Path) -> Result<Notices> {
    let len = std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?.len();
    if len > MAX_NOTICES {
        return Err(Error::invalid("sync_file", "too large for a notices file"));
    }
    let bytes = folder::read(path)?;
    let (h, body) = folder::open(key, &bytes)?;
    if h.kind != KIND || h.folder != link.folder_id || h.device != device || h.seq != seq || h.epoch != link.epoch {
        return Err(Error::invalid("sync_file", "not this laptop's notices file of that name"));
    }
    let n: Notices = serde_json::from_slice(&body).map_err(|e| Error::Corrupt(format!("a notices file cannot be read: {e}")))?;
    n.check()?;
    Ok(n)
}

/// Writes this laptop's notices (what it showed on `day`, its running snoozes) as its newest file
/// and deletes its older ones. Nothing when the store is not shared or the folder is not there.
pub fn write_own(store: &Store, notices: &Notices) -> Result<()> {
    let Some(link) = reachable_link(store)? else { return Ok(()) };
    let Some(day) = notices.day else { return Ok(()) };
    notices.check()?;
    let dir = link.dir(&link.device);
    let body = Zeroizing::new(serde_json::to_vec(notices).map_err(|e| Error::Storage(format!("notices: {e}")))?);
    let key = link.key()?;
    let older = own_files(&dir);
    let first = seq_of(day, 0);
    let mut seq = older.last().map_or(first, |(q, _)| (*q + 1).max(first));
    // Two programs of this laptop (the window, the timer) may write at once: the next number.
    for _ in 0..8 {
        let header = Header {
            format: folder::FORMAT,
            folder: link.folder_id.clone(),
            device: link.device.clone(),
            kind: KIND.into(),
            part: Part::Shop,
            epoch: link.epoch,
            seq,
        };
        match files::write(&dir.join(name_of(seq)), &folder::seal(&key, &header, &body)?, Existing::Keep) {
            Ok(_) => {
                for (q, path) in own_files(&dir) {
                    if q < seq {
                        let _ = std::fs::remove_file(path);
                    }
                }
                return Ok(());
            }
            Err(Error::Invalid { field: "file", .. }) => seq += 1,
            Err(e) => return Err(e),
        }
    }
    Err(Error::invalid("sync_file", "could not name a new notices file"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_day_and_a_number() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        let q = seq_of(day, 3);
        assert_eq!(name_of(q), "notices-20261202-0003.nrn");
        assert_eq!(parse_name(&name_of(q)), Some(q));
        assert!(seq_of(day, 9_999) < seq_of(day.succ_opt().unwrap_or_default(), 0));
        for bad in ["notices-2026122-0003.nrn", "notices-20261202-3.nrn", "notices-20261202-0003.nrs", "shop-0000000001.nrs"] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
    }
}
