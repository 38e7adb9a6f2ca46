//! `noren.header`: the store's plaintext header (no user data) and the keys
//! it wraps.
//!
//! - Passphrase → Argon2id → key-encryption key (KEK) → the two data keys
//!   (vault, calendar), each wrapped with its label as associated data.
//! - `epoch` counts re-keys: a new passphrase or a new emergency kit replaces
//!   the data keys and re-seals every value (`rekey.rs`), so that an old header
//!   or old kit shares open nothing written afterwards. While a re-key is under
//!   way `previous` holds the old data keys, wrapped by the new KEK.
//! - `recovery`: the data keys wrapped for the emergency kit. Format 2 wraps
//!   them to an X25519 public key derived from the kit's recovery key, so a
//!   re-key can wrap the new keys to it without the paper shares; format 1
//!   (earlier kits) wrapped them with the recovery key itself.
//! - `mac`: HMAC-SHA256 over every other field, keyed from the calendar key, so
//!   that no field (the store id, the kit, the epoch, the creation time) can be
//!   changed without the keys. Format 1 headers have none and get one at their
//!   first full unlock.

use std::fs;
use std::path::Path;

use chrono::{DateTime, Utc};
use data_encoding::BASE64;
use serde::{Deserialize, Serialize};

use super::Compartment;
use crate::crypto::Key;
use crate::crypto::{self, KdfParams};
use noren_base::error::{Error, Result};
use noren_base::secret::SecretString;

/// The header format this version writes and the newest it reads.
pub const STORE_FORMAT: u32 = 2;
pub(super) const HEADER_FILE: &str = "noren.header";

#[derive(Clone, Serialize, Deserialize)]
pub(super) struct Header {
    pub format: u32,
    pub created_at: DateTime<Utc>,
    pub kdf: KdfParams,
    pub salt: String,
    pub vault_key: String,
    pub calendar_key: String,
    /// Re-keys so far (0 for a store never re-keyed).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub epoch: u64,
    /// The data keys of `epoch - 1`, while values sealed with them may remain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<WrappedPair>,
    /// The data keys wrapped for the emergency kit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<RecoveryWrap>,
    /// `previous` wrapped to the kit's public key, so that the kit also opens
    /// the values a re-key cut short has not sealed again yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_recovery: Option<WrappedPair>,
    /// The store's fingerprint, pinned when the salt first changes (it is
    /// derived from the first salt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    /// HMAC of the header without this field (format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Clone, Serialize, Deserialize)]
pub(super) struct WrappedPair {
    pub vault_key: String,
    pub calendar_key: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub(super) struct RecoveryWrap {
    pub created_at: DateTime<Utc>,
    pub vault_key: String,
    pub calendar_key: String,
    /// The kit's public key (format 2); absent for kits of format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<String>,
}

pub(super) fn wrap_label(c: Compartment) -> &'static str {
    match c {
        Compartment::Vault => "noren/1/key/vault",
        Compartment::Calendar => "noren/1/key/calendar",
    }
}

fn previous_label(c: Compartment) -> &'static str {
    match c {
        Compartment::Vault => "noren/2/previous/vault",
        Compartment::Calendar => "noren/2/previous/calendar",
    }
}

fn recovery_label(c: Compartment, format: u32) -> &'static str {
    match (c, format) {
        (Compartment::Vault, 1) => "noren/1/recovery/vault",
        (Compartment::Calendar, 1) => "noren/1/recovery/calendar",
        (Compartment::Vault, _) => "noren/2/recovery/vault",
        (Compartment::Calendar, _) => "noren/2/recovery/calendar",
    }
}

pub(super) fn b64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

pub(super) fn unb64(s: &str, what: &str) -> Result<Vec<u8>> {
    BASE64.decode(s.as_bytes()).map_err(|_| Error::Corrupt(format!("header field {what} is not base64")))
}

impl Header {
    /// A short public identifier of the store (printed on key files and kit shares).
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        if let Some(id) = &self.store_id {
            return id.clone();
        }
        let d = Sha256::digest(format!("noren/1/store-id/{}/{}", self.salt, self.created_at.to_rfc3339()).as_bytes());
        d.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    pub fn derive_kek(&self, pass: &SecretString) -> Result<Key> {
        crypto::derive_kek(pass, &unb64(&self.salt, "salt")?, self.kdf)
    }

    /// The current data keys (vault, calendar); `WrongPassphrase` for another KEK.
    pub fn unwrap_keys(&self, kek: &Key) -> Result<(Key, Key)> {
        let v = crypto::unwrap_key(kek, wrap_label(Compartment::Vault), &unb64(&self.vault_key, "vault_key")?)?;
        let c = crypto::unwrap_key(kek, wrap_label(Compartment::Calendar), &unb64(&self.calendar_key, "calendar_key")?)?;
        Ok((v, c))
    }

    /// The data keys of the re-key under way, if one is.
    pub fn unwrap_previous(&self, kek: &Key) -> Result<Option<(Key, Key)>> {
        let Some(p) = &self.previous else { return Ok(None) };
        let bad = |_| Error::Tampered("the header's previous keys do not open".into());
        let v = crypto::unwrap_key(kek, previous_label(Compartment::Vault), &unb64(&p.vault_key, "previous.vault_key")?).map_err(bad)?;
        let c = crypto::unwrap_key(kek, previous_label(Compartment::Calendar), &unb64(&p.calendar_key, "previous.calendar_key")?)
            .map_err(bad)?;
        Ok(Some((v, c)))
    }

    /// The data keys from the emergency kit's recovery key.
    pub fn unwrap_recovery(&self, recovery_key: &[u8; 32]) -> Result<(Key, Key)> {
        let wrap = self.recovery.as_ref().ok_or_else(|| Error::invalid("shares", "this store has no emergency kit"))?;
        let wrong = |_| Error::invalid("shares", "the shares do not open this store (wrong or mixed-up shares, or an older kit)");
        let rk = crypto::key_from_bytes(*recovery_key);
        let v = unb64(&wrap.vault_key, "recovery.vault_key")?;
        let c = unb64(&wrap.calendar_key, "recovery.calendar_key")?;
        if wrap.public.is_some() {
            let r = crypto::Recipient::from_secret(&rk);
            Ok((
                r.unwrap(recovery_label(Compartment::Vault, 2), &v).map_err(wrong)?,
                r.unwrap(recovery_label(Compartment::Calendar, 2), &c).map_err(wrong)?,
            ))
        } else {
            Ok((
                crypto::unwrap_key(&rk, recovery_label(Compartment::Vault, 1), &v).map_err(wrong)?,
                crypto::unwrap_key(&rk, recovery_label(Compartment::Calendar, 1), &c).map_err(wrong)?,
            ))
        }
    }

    /// The recovery block for new data keys, wrapped to the kit's public key.
    pub fn recovery_for(public: [u8; 32], created_at: DateTime<Utc>, vault: &Key, calendar: &Key) -> Result<RecoveryWrap> {
        Ok(RecoveryWrap {
            created_at,
            vault_key: b64(&crypto::wrap_to(&public, recovery_label(Compartment::Vault, 2), vault)?),
            calendar_key: b64(&crypto::wrap_to(&public, recovery_label(Compartment::Calendar, 2), calendar)?),
            public: Some(b64(&public)),
        })
    }

    /// The kit's public key, when the kit can follow a re-key (format 2).
    pub fn recovery_public(&self) -> Result<Option<[u8; 32]>> {
        let Some(p) = self.recovery.as_ref().and_then(|r| r.public.as_deref()) else { return Ok(None) };
        let bytes = unb64(p, "recovery.public")?;
        Ok(Some(bytes.try_into().map_err(|_| Error::Corrupt("recovery.public has the wrong length".into()))?))
    }

    pub fn wrap_current(&mut self, kek: &Key, vault: &Key, calendar: &Key) -> Result<()> {
        self.vault_key = b64(&crypto::wrap_key(kek, wrap_label(Compartment::Vault), vault)?);
        self.calendar_key = b64(&crypto::wrap_key(kek, wrap_label(Compartment::Calendar), calendar)?);
        Ok(())
    }

    /// The previous data keys wrapped to the kit's public key.
    pub fn wrap_previous_to(public: [u8; 32], vault: &Key, calendar: &Key) -> Result<WrappedPair> {
        Ok(WrappedPair {
            vault_key: b64(&crypto::wrap_to(&public, previous_label(Compartment::Vault), vault)?),
            calendar_key: b64(&crypto::wrap_to(&public, previous_label(Compartment::Calendar), calendar)?),
        })
    }

    /// The previous data keys from the kit's recovery key, while a re-key is
    /// under way. `Tampered` when a re-key is under way and the kit cannot
    /// open its old keys (a header written before kits could).
    pub fn unwrap_previous_recovery(&self, recovery_key: &[u8; 32]) -> Result<Option<(Key, Key)>> {
        if self.previous.is_none() {
            return Ok(None);
        }
        let Some(p) = &self.previous_recovery else {
            return Err(Error::invalid(
                "shares",
                "a passphrase change on this store was cut short and the kit cannot finish it: open the store once with its newest passphrase",
            ));
        };
        let r = crypto::Recipient::from_secret(&crypto::key_from_bytes(*recovery_key));
        let bad = |_| Error::Tampered("the header's previous keys do not open with the kit".into());
        let v = r.unwrap(previous_label(Compartment::Vault), &unb64(&p.vault_key, "previous_recovery.vault_key")?).map_err(bad)?;
        let c = r.unwrap(previous_label(Compartment::Calendar), &unb64(&p.calendar_key, "previous_recovery.calendar_key")?).map_err(bad)?;
        Ok(Some((v, c)))
    }

    pub fn wrap_previous(kek: &Key, vault: &Key, calendar: &Key) -> Result<WrappedPair> {
        Ok(WrappedPair {
            vault_key: b64(&crypto::wrap_key(kek, previous_label(Compartment::Vault), vault)?),
            calendar_key: b64(&crypto::wrap_key(kek, previous_label(Compartment::Calendar), calendar)?),
        })
    }

    fn mac_key(calendar: &Key) -> Key {
        crypto::derive_subkey(calendar, "noren/2/header-mac")
    }

    fn mac_input(&self) -> Result<Vec<u8>> {
        let mut unsigned = self.clone();
        unsigned.mac = None;
        serde_json::to_vec(&unsigned).map_err(|e| Error::Storage(e.to_string()))
    }

    /// Signs the header with the calendar key (and makes it format 2).
    pub fn seal(&mut self, calendar: &Key) -> Result<()> {
        self.format = STORE_FORMAT;
        self.mac = None;
        let tag = crypto::mac(&Self::mac_key(calendar), &self.mac_input()?)?;
        self.mac = Some(b64(&tag));
        Ok(())
    }

    /// `Tampered` unless the MAC is the calendar key's (format 1 headers have none).
    pub fn verify(&self, calendar: &Key) -> Result<()> {
        let tag = match (&self.mac, self.format) {
            (Some(m), _) => unb64(m, "mac")?,
            (None, 1) => return Ok(()),
            (None, _) => return Err(Error::Tampered("the store header has lost its signature".into())),
        };
        if !crypto::verify_mac(&Self::mac_key(calendar), &self.mac_input()?, &tag) {
            return Err(Error::Tampered(
                "the store header was changed outside Noren (its store id, kit or key fields do not match its signature)".into(),
            ));
        }
        Ok(())
    }
}

pub(super) fn read(dir: &Path) -> Result<Header> {
    let path = dir.join(HEADER_FILE);
    let raw = fs::read(&path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let header: Header = serde_json::from_slice(&raw).map_err(|e| Error::Corrupt(format!("store header unreadable: {e}")))?;
    if header.format > STORE_FORMAT {
        return Err(Error::UnsupportedFormat { found: header.format, supported: STORE_FORMAT });
    }
    Ok(header)
}

/// Replaces the header atomically: a crash leaves the old or the new one.
pub(super) fn write(dir: &Path, header: &Header) -> Result<()> {
    let json = serde_json::to_vec_pretty(header).map_err(|e| Error::Storage(e.to_string()))?;
    noren_base::files::write(&dir.join(HEADER_FILE), &json, noren_base::files::Existing::Replace)?;
    Ok(())
}
