//! The shared folder's files. Each device writes only files of its own, under
//! `devices/<device>/`, and never changes one once written:
//!
//! - `device.nrd`: who the device is (name, scope, public key), sealed;
//! - `<part>-<seq>.nrs`: a batch of changes of one part, numbered from 1 without gaps;
//! - `<part>-upto-<seq>.nrc`: a snapshot of the part as this device last wrote it, standing for
//!   its batches 1 to `seq` (which the device then deletes: compaction);
//! - `invites/<name>.nri`: an invitation, sealed with a key derived from its code
//!   (the inviter's file, removed by the inviter once used or expired).
//!
//! A sealed file is `MAGIC`, the length of a JSON header, the header, then the
//! sealed body; the header is the associated data, so a file moved to another
//! name, device, sequence or folder fails to open, and so does any changed byte.
//! What the sync programs leave beside (conflict copies, temporary and partial
//! files) is recognised by name and reported, never read as Noren's.

use std::path::{Path, PathBuf};

use noren_base::error::{Error, Result};
use noren_store::crypto::{self, Key};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::model::{OpHead, Part};

pub const FORMAT: u32 = 1;
/// The folder's marker: which shared store this is (plaintext: no data).
pub const MARKER: &str = "noren-sync.json";
const MAGIC: &[u8; 4] = b"NRS1";
/// Larger files are refused unread (a hostile or mistaken file).
pub const MAX_FILE: u64 = 512 * 1024 * 1024;
pub const DEVICE_FILE: &str = "device.nrd";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Marker {
    pub format: u32,
    pub folder: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The plaintext header of a sealed file (authenticated, not secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    /// Which shared store (the marker's id).
    pub folder: String,
    pub device: String,
    /// "batch", "snapshot", "device", "invite".
    pub kind: String,
    pub part: Part,
    /// Which generation of the part's key sealed it.
    pub epoch: u32,
    pub seq: u64,
}

pub fn devices_dir(root: &Path) -> PathBuf {
    root.join("devices")
}

pub fn device_dir(root: &Path, device: &str) -> PathBuf {
    devices_dir(root).join(device)
}

pub fn invites_dir(root: &Path) -> PathBuf {
    root.join("invites")
}

pub fn batch_name(part: Part, seq: u64) -> String {
    format!("{}-{seq:010}.nrs", part.as_str())
}

/// `(part, seq)` of a batch file's name; `None` for any other name.
pub fn parse_batch_name(name: &str) -> Option<(Part, u64)> {
    let stem = name.strip_suffix(".nrs")?;
    let (part, seq) = stem.split_once('-')?;
    if seq.len() != 10 || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((Part::parse(part)?, seq.parse().ok()?))
}

/// A snapshot's name: it stands for the part's batches 1 to `seq`.
pub fn snapshot_name(part: Part, seq: u64) -> String {
    format!("{}-upto-{seq:010}.nrc", part.as_str())
}

/// `(part, seq)` of a snapshot file's name; `None` for any other name.
pub fn parse_snapshot_name(name: &str) -> Option<(Part, u64)> {
    let stem = name.strip_suffix(".nrc")?;
    let (part, seq) = stem.split_once("-upto-")?;
    if seq.len() != 10 || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((Part::parse(part)?, seq.parse().ok()?))
}

/// A copy a sync program made when two machines changed one file (Syncthing's
/// `.sync-conflict-`, Dropbox's "conflicted copy", the Japanese 「競合コピー」, Google Drive's
/// and OneDrive's numbered or machine-named copies). Noren's files never change once written,
/// so one means something is wrong (two laptops with one id): reported, never read.
pub fn is_conflict_copy(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains(".sync-conflict-")
        || lower.contains("conflicted copy")
        || name.contains("競合")
        || (lower.ends_with(".nrs") && parse_batch_name(name).is_none() && !is_temporary(name))
        || (lower.ends_with(".nrc") && parse_snapshot_name(name).is_none() && !is_temporary(name))
}

/// A file still arriving or being written (a sync program's or Noren's own temporary file):
/// passed over without a word; the file it becomes is read once it is there.
pub fn is_temporary(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.starts_with(".syncthing.")
        || lower.starts_with("~syncthing~")
        || lower.ends_with(".tmp")
        || lower.ends_with(".partial")
        || lower.ends_with(".part")
        || lower.ends_with(".crdownload")
        || lower.contains(".noren-")
        || lower.starts_with(".~")
        || lower.starts_with("~$")
}

fn aad(header_json: &[u8]) -> Vec<u8> {
    let mut a = b"noren/sync/1\0".to_vec();
    a.extend_from_slice(header_json);
    a
}

/// The key that seals files of one kind with a part's key.
pub fn file_key(part_key: &Key, kind: &str) -> Key {
    crypto::derive_subkey(part_key, &format!("noren/sync/1/{kind}"))
}

/// A sealed file's bytes.
pub fn seal(key: &Key, header: &Header, body: &[u8]) -> Result<Vec<u8>> {
    let h = serde_json::to_vec(header).map_err(|e| Error::Storage(format!("sync header: {e}")))?;
    let sealed = crypto::seal(&file_key(key, &header.kind), &aad(&h), body)?;
    let mut out = Vec::with_capacity(8 + h.len() + sealed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(h.len() as u32).to_le_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// The header of a sealed file, unauthenticated (which key to try), and where the sealed body starts.
pub fn peek(bytes: &[u8]) -> Result<(Header, usize)> {
    let bad = |why: &str| Error::Corrupt(format!("not a Noren sync file ({why})"));
    if bytes.len() < 8 || &bytes[..4] != MAGIC {
        return Err(bad("no header"));
    }
    let len = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    if len > 4096 || bytes.len() < 8 + len {
        return Err(bad("truncated header"));
    }
    let header: Header = serde_json::from_slice(&bytes[8..8 + len]).map_err(|_| bad("unreadable header"))?;
    if header.format != FORMAT {
        return Err(Error::UnsupportedFormat { found: header.format, supported: FORMAT });
    }
    Ok((header, 8 + len))
}

/// Opens a sealed file with `key`; `Tampered` on any changed, cut or foreign byte.
pub fn open(key: &Key, bytes: &[u8]) -> Result<(Header, Zeroizing<Vec<u8>>)> {
    let (header, start) = peek(bytes)?;
    let body = crypto::open(&file_key(key, &header.kind), &aad(&bytes[8..start]), &bytes[start..])?;
    Ok((header, body))
}

/// Reads a file of the folder, refusing one over `MAX_FILE` unread.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let len = std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?.len();
    if len > MAX_FILE {
        return Err(Error::Corrupt(format!("{} is {len} bytes, more than a Noren sync file holds", path.display())));
    }
    std::fs::read(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))
}

/// A batch's body: for each change its head (JSON) and, unless a deletion, the
/// record (JSON), each prefixed by its length (u32, little-endian).
#[derive(Default)]
pub struct Body(pub Zeroizing<Vec<u8>>);

impl Body {
    pub fn push(&mut self, head: &OpHead, record: Option<&[u8]>) -> Result<()> {
        let h = serde_json::to_vec(head).map_err(|e| Error::Storage(format!("sync change: {e}")))?;
        self.frame(&h);
        self.frame(record.unwrap_or_default());
        Ok(())
    }

    fn frame(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        self.0.extend_from_slice(bytes);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One change of a batch and its record's JSON (none for a deletion), borrowed from the body.
pub type Change<'a> = (OpHead, Option<&'a [u8]>);

/// The changes of an opened body, each with its record's JSON (borrowed, no copy).
pub fn changes(body: &[u8]) -> Result<Vec<Change<'_>>> {
    let bad = || Error::Corrupt("a sync batch is cut short".into());
    let mut rest = body;
    let take = |rest: &mut &[u8]| -> Result<usize> {
        let (n, tail) = rest.split_at_checked(4).ok_or_else(bad)?;
        *rest = tail;
        Ok(u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize)
    };
    let mut out = Vec::new();
    while !rest.is_empty() {
        let n = take(&mut rest)?;
        let (h, tail) = rest.split_at_checked(n).ok_or_else(bad)?;
        rest = tail;
        let head: OpHead = serde_json::from_slice(h).map_err(|e| Error::Corrupt(format!("a sync change: {e}")))?;
        let n = take(&mut rest)?;
        let (r, tail) = rest.split_at_checked(n).ok_or_else(bad)?;
        rest = tail;
        if head.deleted != r.is_empty() {
            return Err(Error::Corrupt(format!(
                "a sync change of {} {} carries {} record",
                head.tree,
                head.id,
                if head.deleted { "a" } else { "no" }
            )));
        }
        out.push((head, (!r.is_empty()).then_some(r)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::sync::model::Hlc;

    /// Anything a sync program leaves beside the files it replicates: never read as a Noren file.
    fn is_artefact(name: &str) -> bool {
        is_conflict_copy(name) || is_temporary(name)
    }

    fn header(seq: u64) -> Header {
        Header { format: FORMAT, folder: "f1".into(), device: "d1".into(), kind: "batch".into(), part: Part::Shop, epoch: 1, seq }
    }

    #[test]
    fn a_sealed_file_opens_only_whole_and_unchanged() {
        let key = crypto::random_key().unwrap();
        let mut body = Body::default();
        let head =
            OpHead { tree: "customers".into(), id: "abc".into(), hlc: Hlc { ms: 1, n: 0, dev: "d1".into() }, parent: None, deleted: false };
        body.push(&head, Some(br#"{"id":"abc"}"#)).unwrap();
        let bytes = seal(&key, &header(1), &body.0).unwrap();
        let (h, plain) = open(&key, &bytes).unwrap();
        assert_eq!(h, header(1));
        let list = changes(&plain).unwrap();
        assert_eq!(list, vec![(head, Some(&br#"{"id":"abc"}"#[..]))]);
        // Every single flipped bit and every cut is refused.
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(open(&key, &b).is_err(), "byte {i} flipped");
        }
        for n in 0..bytes.len() {
            assert!(open(&key, &bytes[..n]).is_err(), "cut at {n}");
        }
        // Another key (another shop, a rotated key) opens nothing.
        assert!(matches!(open(&crypto::random_key().unwrap(), &bytes), Err(Error::Tampered(_))));
        // Nor does another file's sealed body under this one's header.
        let other = seal(&key, &header(2), &body.0).unwrap();
        let (_, start) = peek(&bytes).unwrap();
        let (_, start2) = peek(&other).unwrap();
        let mut spliced = bytes[..start].to_vec();
        spliced.extend_from_slice(&other[start2..]);
        assert!(open(&key, &spliced).is_err());
    }

    #[test]
    fn names_of_batches_and_of_what_sync_programs_leave() {
        assert_eq!(batch_name(Part::Secrets, 12), "secrets-0000000012.nrs");
        assert_eq!(parse_batch_name("secrets-0000000012.nrs"), Some((Part::Secrets, 12)));
        assert_eq!(parse_batch_name("shop-12.nrs"), None);
        assert_eq!(snapshot_name(Part::Shop, 128), "shop-upto-0000000128.nrc");
        assert_eq!(parse_snapshot_name("shop-upto-0000000128.nrc"), Some((Part::Shop, 128)));
        assert_eq!(parse_batch_name("shop-upto-0000000128.nrc"), None);
        assert_eq!(parse_snapshot_name("shop-0000000128.nrs"), None);
        assert!(is_conflict_copy("shop-upto-0000000128 (1).nrc"));
        assert!(!is_conflict_copy("shop-upto-0000000128.nrc"));
        for n in [
            "shop-0000000003.sync-conflict-20261202-101010-ABCDEFG.nrs",
            "shop-0000000003 (Sato's conflicted copy 2026-12-02).nrs",
            "shop-0000000003 (競合コピー).nrs",
            ".syncthing.shop-0000000003.nrs.tmp",
            "~syncthing~shop-0000000003.nrs.tmp",
            "shop-0000000003.nrs.partial",
            "shop-0000000003 (1).nrs",
        ] {
            assert!(is_artefact(n), "{n}");
        }
        assert!(!is_artefact("shop-0000000003.nrs"));
        assert!(!is_artefact(DEVICE_FILE));
        // Temporary files are passed over; conflict copies are reported.
        assert!(is_temporary(".syncthing.shop-0000000003.nrs.tmp") && !is_conflict_copy(".syncthing.shop-0000000003.nrs.tmp"));
        assert!(is_conflict_copy("shop-0000000003 (競合コピー).nrs") && !is_temporary("shop-0000000003 (競合コピー).nrs"));
    }

    #[test]
    fn hostile_bodies_are_errors_not_panics() {
        for body in [&[1u8][..], &[255, 255, 255, 255, 0][..], &[2, 0, 0, 0, b'{', b'}'][..], &[0, 0, 0, 0][..]] {
            assert!(changes(body).is_err());
        }
    }
}
