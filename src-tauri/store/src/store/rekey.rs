//! Re-keying: new data keys for a new passphrase or a new emergency kit, and
//! every stored value sealed again with them, so that whoever kept the old
//! passphrase, an old copy of the header or old kit shares opens nothing
//! written afterwards.
//!
//! Crash-safe in three steps, each atomic:
//! 1. the header is replaced by one that wraps the new keys with the new KEK
//!    and keeps the old keys as `previous` (from now on only the new
//!    passphrase opens; values are read with either key);
//! 2. every value still sealed with an old key is sealed again, one sled batch
//!    per tree, and the epoch marker (`~meta/epoch`, sealed with the new
//!    calendar key) is written;
//! 3. the header is replaced by one without `previous`.
//!
//! Killed before 1, the old passphrase opens everything; after 1, the new one
//! does, and the next unlock finishes 2 and 3. An old header put back after a
//! re-key meets the epoch marker it cannot open and is refused by name.

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use super::header::{self, Header};
use super::{aad, check_new_passphrase, Compartment, Store, GENERATIONS, PACKS};
use crate::crypto::Key;
use crate::crypto::{self, KdfParams};
use noren_base::error::{Error, Result};
use noren_base::secret::SecretString;

/// The tree of the store's own sealed facts (the epoch marker).
pub(super) const META: &str = "~meta";
const EPOCH_AAD: &[u8] = b"noren/2/~meta/epoch";

/// What a re-key did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RekeyReport {
    /// Re-keys so far.
    pub epoch: u64,
    /// An emergency kit made before kits could follow a re-key (format 1) no
    /// longer opens the store: a new kit should be made.
    pub kit_dropped: bool,
}

fn stale_header() -> Error {
    Error::Tampered(
        "this store's header is older than its data: the passphrase or emergency kit was changed after it was made, \
         and it was put back from a copy; open the store with its current passphrase or kit"
            .into(),
    )
}

impl Store {
    /// Changes the passphrase. The data keys are replaced and every value is
    /// sealed again (see the module documentation): the old passphrase, and
    /// any copy of the old header, open nothing written from now on.
    pub fn change_passphrase(&mut self, new: &SecretString) -> Result<RekeyReport> {
        check_new_passphrase(new)?;
        if self.vault.is_none() || self.calendar.is_none() {
            return Err(Error::Locked);
        }
        let kek = self.new_kek(new)?;
        self.rekey(Some(kek), None)
    }

    /// A key-encryption key for a new passphrase, with its KDF and a new salt.
    #[doc(hidden)]
    pub fn new_kek(&self, new: &SecretString) -> Result<(Key, KdfParams, [u8; 16])> {
        let salt = crypto::random_bytes::<16>()?;
        let kdf = KdfParams::DEFAULT.max(self.header.kdf);
        Ok((crypto::derive_kek(new, &salt, kdf)?, kdf, salt))
    }

    /// Makes a new recovery key for the emergency kit and re-keys the store, so
    /// that the shares of an earlier kit (with any copy of the header they
    /// opened) open nothing written from now on. The caller splits the
    /// returned key into shares and forgets it.
    pub fn new_recovery_key(&mut self, now: DateTime<Utc>) -> Result<Zeroizing<[u8; 32]>> {
        let raw = Zeroizing::new(crypto::random_bytes::<32>()?);
        let recipient = crypto::Recipient::from_secret(&crypto::key_from_bytes(*raw));
        self.rekey(None, Some((recipient.public, now)))?;
        Ok(raw)
    }

    /// Re-keys the store: `kek` (with its KDF and salt) for a new passphrase,
    /// else the current one; `kit` for a new emergency kit, else the current
    /// kit follows the new keys when it can.
    fn rekey(&mut self, kek: Option<(Key, KdfParams, [u8; 16])>, kit: Option<([u8; 32], DateTime<Utc>)>) -> Result<RekeyReport> {
        let kit_dropped = self.begin_rekey(kek, kit)?;
        self.finish_rekey()?;
        Ok(RekeyReport { epoch: self.header.epoch, kit_dropped })
    }

    /// Step 1 of a re-key: the new header. Whether an old kit had to be dropped.
    #[doc(hidden)]
    pub fn begin_rekey(&mut self, kek: Option<(Key, KdfParams, [u8; 16])>, kit: Option<([u8; 32], DateTime<Utc>)>) -> Result<bool> {
        self.writable()?;
        // One re-key at a time: finish one that was cut short first.
        self.finish_rekey()?;
        let vault = self.vault.clone().ok_or(Error::Locked)?;
        let calendar = self.calendar.clone().ok_or(Error::Locked)?;
        let (kek, kdf, salt) = match kek {
            Some((k, kdf, salt)) => (k, kdf, header::b64(&salt)),
            None => (self.kek.clone().ok_or(Error::Locked)?, self.header.kdf, self.header.salt.clone()),
        };
        // Every value is written again.
        self.ensure_room(self.db.size_on_disk().unwrap_or(0))?;
        let new_vault = crypto::random_key()?;
        let new_calendar = crypto::random_key()?;
        let mut h = self.header.clone();
        h.store_id = Some(self.header.fingerprint());
        h.kdf = kdf;
        h.salt = salt;
        h.epoch += 1;
        h.wrap_current(&kek, &new_vault, &new_calendar)?;
        h.previous = Some(Header::wrap_previous(&kek, &vault, &calendar)?);
        let mut kit_dropped = false;
        h.recovery = match (kit, self.header.recovery_public()?, &self.header.recovery) {
            (Some((public, at)), _, _) => Some(Header::recovery_for(public, at, &new_vault, &new_calendar)?),
            (None, Some(public), Some(r)) => Some(Header::recovery_for(public, r.created_at, &new_vault, &new_calendar)?),
            (None, None, Some(_)) => {
                kit_dropped = true;
                None
            }
            _ => None,
        };
        // The kit in the new header opens the old keys too until every value
        // is sealed again: recovering from a re-key cut short loses nothing.
        h.previous_recovery = match h.recovery_public()? {
            Some(public) => Some(Header::wrap_previous_to(public, &vault, &calendar)?),
            None => None,
        };
        h.seal(&new_calendar)?;
        header::write(&self.dir, &h)?;
        // Step 1 is done: only the new passphrase opens.
        self.header = h;
        self.previous = Some((vault, calendar));
        self.vault = Some(new_vault);
        self.calendar = Some(new_calendar);
        self.kek = Some(kek);
        Ok(kit_dropped)
    }

    /// Steps 2 and 3 of a re-key, when one is under way.
    pub(super) fn finish_rekey(&mut self) -> Result<()> {
        let Some((old_vault, old_calendar)) = self.previous.clone() else { return Ok(()) };
        let new_vault = self.vault.clone().ok_or(Error::Locked)?;
        let new_calendar = self.calendar.clone().ok_or(Error::Locked)?;
        // Packs are caches, sealed with the old keys: they go.
        self.read_ahead.map().clear();
        self.db.open_tree(PACKS)?.clear()?;
        for name in self.db.tree_names() {
            let Ok(name) = String::from_utf8(name.to_vec()) else { continue };
            if name.starts_with("__sled__") || name == PACKS || name == GENERATIONS || name == META {
                continue;
            }
            let tree = self.db.open_tree(&name)?;
            let mut batch = sled::Batch::default();
            let mut bytes = 0u64;
            for kv in tree.iter() {
                let (k, v) = kv?;
                let Ok(id) = std::str::from_utf8(&k) else { continue };
                let a = aad(&name, id);
                if crypto::open(&new_vault, &a, &v).is_ok() || crypto::open(&new_calendar, &a, &v).is_ok() {
                    continue;
                }
                let resealed = if let Ok(p) = crypto::open(&old_vault, &a, &v) {
                    crypto::seal(&new_vault, &a, &p)?
                } else if let Ok(p) = crypto::open(&old_calendar, &a, &v) {
                    crypto::seal(&new_calendar, &a, &p)?
                } else {
                    // Damaged already: left as it is, to be reported where it is read.
                    continue;
                };
                bytes += resealed.len() as u64;
                batch.insert(k, resealed);
            }
            let _watch = noren_base::disk::Watchdog::arm(&self.dir, bytes);
            tree.apply_batch(batch).map_err(|e| super::storage_error(&self.dir, e.into()))?;
        }
        let marker = crypto::seal(&new_calendar, EPOCH_AAD, &self.header.epoch.to_be_bytes())?;
        self.db.open_tree(META)?.insert("epoch", marker)?;
        self.flush()?;
        let mut h = self.header.clone();
        h.previous = None;
        h.previous_recovery = None;
        h.seal(&new_calendar)?;
        header::write(&self.dir, &h)?;
        self.header = h;
        self.previous = None;
        Ok(())
    }

    /// Refuses a header older than the data (put back from a copy after a re-key).
    pub(super) fn check_epoch(&self) -> Result<()> {
        let Some(sealed) = self.db.open_tree(META)?.get("epoch")? else { return Ok(()) };
        let plain = self.open_sealed(Compartment::Calendar, EPOCH_AAD, &sealed).map_err(|_| stale_header())?;
        let epoch = <[u8; 8]>::try_from(plain.as_slice()).map(u64::from_be_bytes).map_err(|_| stale_header())?;
        if epoch > self.header.epoch {
            return Err(stale_header());
        }
        Ok(())
    }

    /// After the passphrase opened the store: refuse a stale header, finish a
    /// re-key that was cut short, and sign a header of format 1.
    pub(super) fn after_full_unlock(&mut self) -> Result<()> {
        self.check_epoch()?;
        if self.is_read_only() {
            // Read from a copy: nothing is written, a re-key under way is finished where the store can be written.
            return Ok(());
        }
        if self.previous.is_some() {
            // Without the room to finish, the store still reads with both keys.
            match self.finish_rekey() {
                Err(Error::DiskFull { .. }) | Ok(()) => {}
                Err(e) => return Err(e),
            }
        } else if self.header.mac.is_none() {
            let calendar = self.calendar.clone().ok_or(Error::Locked)?;
            let mut h = self.header.clone();
            h.store_id = Some(self.header.fingerprint());
            h.seal(&calendar)?;
            // Best effort: a read-only or full disk keeps the unsigned header.
            if header::write(&self.dir, &h).is_ok() {
                self.header = h;
            }
        }
        Ok(())
    }

    /// A re-key was begun and not finished (the old keys still wrapped beside the new).
    #[doc(hidden)]
    pub fn rekey_under_way(&self) -> bool {
        self.header.previous.is_some()
    }

    /// Re-keys so far (0 for a store never re-keyed).
    pub fn key_epoch(&self) -> u64 {
        self.header.epoch
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::store::header::{b64, RecoveryWrap};

    const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

    /// A kit of format 1 wrapped the data keys with its recovery key itself:
    /// it opens the store as before, and a re-key says it can no longer follow.
    #[test]
    fn a_format_1_kit_still_recovers_and_is_reported_when_a_rekey_drops_it() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        let rk = [7u8; 32];
        {
            let mut s = Store::init_with(&dir, &SecretString::new("old passphrase"), FAST, chrono::Utc::now()).unwrap();
            let key = crypto::key_from_bytes(rk);
            let wrap = |k: &Key, label: &str| b64(&crypto::wrap_key(&key, label, k).unwrap());
            let (v, c) = (s.vault.clone().unwrap(), s.calendar.clone().unwrap());
            let mut h = s.header.clone();
            h.recovery = Some(RecoveryWrap {
                created_at: Utc::now(),
                vault_key: wrap(&v, "noren/1/recovery/vault"),
                calendar_key: wrap(&c, "noren/1/recovery/calendar"),
                public: None,
            });
            h.seal(&c).unwrap();
            header::write(&dir, &h).unwrap();
            s.header = h;
        }
        let mut s = Store::open_locked(&dir).unwrap().recover(&rk, &SecretString::new("recovered passphrase")).unwrap();
        assert!(s.recovery_created_at().is_none(), "recovering re-keyed; the old kit could not follow");
        let report = s.change_passphrase(&SecretString::new("once more changed")).unwrap();
        assert!(!report.kit_dropped, "nothing left to drop");
        drop(s);
        assert!(Store::open_locked(&dir).unwrap().recover(&rk, &SecretString::new("x passphrase")).is_err());
    }
}
