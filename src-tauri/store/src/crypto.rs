//! Key derivation, key wrapping and record sealing.
//!
//! Sealed value layout (format version 1):
//! `[version: u8 = 1][nonce: 24 bytes][XChaCha20-Poly1305 ciphertext + tag]`,
//! with caller-provided associated data (tree and record id for records).

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use noren_base::error::{Error, Result};
use noren_base::secret::SecretString;
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

pub const SEAL_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// Argon2id parameters, stored in the store header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// What every new store uses: 64 MiB, 3 passes, 1 lane (the design's floor).
    pub const DEFAULT: KdfParams = KdfParams { m_kib: 64 * 1024, t: 3, p: 1 };
    /// Refuse headers that would make us allocate absurd memory (a hostile file).
    const MAX_M_KIB: u32 = 4 * 1024 * 1024;
    const MAX_T: u32 = 64;

    fn check(&self) -> Result<()> {
        if self.m_kib < 8 || self.m_kib > Self::MAX_M_KIB || self.t == 0 || self.t > Self::MAX_T || self.p == 0 || self.p > 16 {
            return Err(Error::Corrupt(format!("implausible KDF parameters {self:?}")));
        }
        Ok(())
    }
}

// The design's floor (Argon2id m ≥ 64 MiB, t ≥ 3) is checked at compile time.
const _: () = assert!(KdfParams::DEFAULT.m_kib >= 64 * 1024 && KdfParams::DEFAULT.t >= 3);

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

pub use noren_base::random_bytes;

/// A 256-bit symmetric key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key(pub(crate) [u8; 32]);

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

impl Key {
    /// The raw bytes, for a key that is itself kept sealed elsewhere (a shared folder's part
    /// keys live in the vault as records). Zeroized on drop.
    pub fn expose_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0)
    }
}

/// A key from raw bytes (fuzzing and tests; real keys come from `random_key`).
#[doc(hidden)]
pub fn key_from_bytes(bytes: [u8; 32]) -> Key {
    Key(bytes)
}

pub fn random_key() -> Result<Key> {
    Ok(Key(random_bytes::<32>()?))
}

/// Derives the key-encryption key from the passphrase.
pub fn derive_kek(pass: &SecretString, salt: &[u8], params: KdfParams) -> Result<Key> {
    params.check()?;
    let p = Params::new(params.m_kib, params.t, params.p, Some(32)).map_err(|e| Error::Corrupt(format!("KDF parameters: {e}")))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
    let mut out = Key([0u8; 32]);
    argon.hash_password_into(pass.expose().as_bytes(), salt, &mut out.0).map_err(|e| Error::Storage(format!("key derivation: {e}")))?;
    Ok(out)
}

pub fn seal(key: &Key, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let cipher = XChaCha20Poly1305::new((&key.0).into());
    let nonce = random_bytes::<NONCE_LEN>()?;
    let ct = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
        .map_err(|_| Error::Storage("encryption failed".into()))?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
    out.push(SEAL_VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Opens a sealed value. Authentication failure is `Error::Tampered`, which a
/// wrong key also produces; callers that unwrap keys map it to `WrongPassphrase`.
pub fn open(key: &Key, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let (&version, rest) = sealed.split_first().ok_or_else(|| Error::Corrupt("empty sealed value".into()))?;
    if version != SEAL_VERSION {
        return Err(Error::UnsupportedFormat { found: u32::from(version), supported: u32::from(SEAL_VERSION) });
    }
    if rest.len() < NONCE_LEN + 16 {
        return Err(Error::Corrupt("sealed value too short".into()));
    }
    let (nonce, ct) = rest.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new((&key.0).into());
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
        .map(Zeroizing::new)
        .map_err(|_| Error::Tampered(String::from_utf8_lossy(aad).into_owned()))
}

/// Wraps a data key under the key-encryption key.
pub fn wrap_key(kek: &Key, label: &str, key: &Key) -> Result<Vec<u8>> {
    seal(kek, label.as_bytes(), &key.0)
}

pub fn unwrap_key(kek: &Key, label: &str, wrapped: &[u8]) -> Result<Key> {
    let plain = open(kek, label.as_bytes(), wrapped).map_err(|e| match e {
        Error::Tampered(_) => Error::WrongPassphrase,
        other => other,
    })?;
    let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| Error::Corrupt("wrapped key has the wrong length".into()))?;
    Ok(Key(bytes))
}

/// A key for one purpose derived from `ikm` (HKDF-SHA256; `info` names the purpose).
pub fn derive_subkey(ikm: &Key, info: &str) -> Key {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(None, &ikm.0);
    let mut out = [0u8; 32];
    // 32 bytes are always within HKDF-SHA256's output limit.
    let _ = hk.expand(info.as_bytes(), &mut out);
    Key(out)
}

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

fn hmac_of(key: &Key, data: &[u8]) -> Result<HmacSha256> {
    use hmac::Mac;
    // HMAC takes keys of any length: this never fails.
    let mut m = <HmacSha256 as Mac>::new_from_slice(&key.0).map_err(|e| Error::Storage(format!("HMAC: {e}")))?;
    m.update(data);
    Ok(m)
}

/// HMAC-SHA256 of `data` (the store header's authentication).
pub fn mac(key: &Key, data: &[u8]) -> Result<[u8; 32]> {
    use hmac::Mac;
    Ok(hmac_of(key, data)?.finalize().into_bytes().into())
}

/// Constant-time check of a MAC written by [`mac`].
pub fn verify_mac(key: &Key, data: &[u8], tag: &[u8]) -> bool {
    use hmac::Mac;
    hmac_of(key, data).is_ok_and(|m| m.verify_slice(tag).is_ok())
}

/// Whether two secrets are equal, in time that depends on their length only.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An X25519 key pair derived from a secret (the emergency kit's recovery key):
/// whoever holds the secret can open what was wrapped to the public half, and
/// the store can wrap new keys to it without the secret (after a re-key).
pub struct Recipient {
    secret: x25519_dalek::StaticSecret,
    pub public: [u8; 32],
}

impl Recipient {
    pub fn from_secret(secret: &Key) -> Recipient {
        let s = x25519_dalek::StaticSecret::from(derive_subkey(secret, "noren/2/recovery/x25519").0);
        let public = x25519_dalek::PublicKey::from(&s).to_bytes();
        Recipient { secret: s, public }
    }

    /// Wraps `key` for the holder of `their_public`, authenticated as coming from this key
    /// pair: only the two of them can derive the wrapping key (static-static X25519, plus an
    /// ephemeral one). `[ephemeral public 32][wrapped key]`.
    pub fn wrap_for(&self, their_public: &[u8; 32], label: &str, key: &Key) -> Result<Vec<u8>> {
        let eph_secret = x25519_dalek::StaticSecret::from(random_bytes::<32>()?);
        let eph = x25519_dalek::PublicKey::from(&eph_secret).to_bytes();
        let their = x25519_dalek::PublicKey::from(*their_public);
        let kek = between_kek(
            self.secret.diffie_hellman(&their).as_bytes(),
            eph_secret.diffie_hellman(&their).as_bytes(),
            &eph,
            &self.public,
            their_public,
            label,
        );
        let mut out = eph.to_vec();
        out.extend(wrap_key(&kek, label, key)?);
        Ok(out)
    }

    /// Opens what the holder of `their_public` wrapped for this key pair with [`Recipient::wrap_for`];
    /// `WrongPassphrase` when it was not them (or not for this key pair).
    pub fn unwrap_from(&self, their_public: &[u8; 32], label: &str, wrapped: &[u8]) -> Result<Key> {
        let (eph, rest) = wrapped.split_at_checked(32).ok_or_else(|| Error::Corrupt("wrapped key too short".into()))?;
        let eph: [u8; 32] = eph.try_into().map_err(|_| Error::Corrupt("wrapped key too short".into()))?;
        let kek = between_kek(
            self.secret.diffie_hellman(&x25519_dalek::PublicKey::from(*their_public)).as_bytes(),
            self.secret.diffie_hellman(&x25519_dalek::PublicKey::from(eph)).as_bytes(),
            &eph,
            their_public,
            &self.public,
            label,
        );
        unwrap_key(&kek, label, rest)
    }

    /// Opens a key that [`wrap_to`] wrapped to this recipient's public half.
    pub fn unwrap(&self, label: &str, wrapped: &[u8]) -> Result<Key> {
        let (eph, rest) = wrapped.split_at_checked(32).ok_or_else(|| Error::Corrupt("wrapped key too short".into()))?;
        let eph: [u8; 32] = eph.try_into().map_err(|_| Error::Corrupt("wrapped key too short".into()))?;
        let shared = self.secret.diffie_hellman(&x25519_dalek::PublicKey::from(eph));
        let kek = ecdh_kek(shared.as_bytes(), &eph, &self.public, label);
        unwrap_key(&kek, label, rest)
    }
}

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recipient(<redacted>)")
    }
}

fn ecdh_kek(shared: &[u8; 32], eph: &[u8; 32], public: &[u8; 32], label: &str) -> Key {
    let mut ikm = Zeroizing::new(Vec::with_capacity(96));
    ikm.extend_from_slice(shared);
    ikm.extend_from_slice(eph);
    ikm.extend_from_slice(public);
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(b"noren/2/wrap-to"), &ikm);
    let mut out = [0u8; 32];
    let _ = hk.expand(label.as_bytes(), &mut out);
    Key(out)
}

fn between_kek(statics: &[u8; 32], ephemeral: &[u8; 32], eph: &[u8; 32], from: &[u8; 32], to: &[u8; 32], label: &str) -> Key {
    let mut ikm = Zeroizing::new(Vec::with_capacity(160));
    for part in [statics, ephemeral, eph, from, to] {
        ikm.extend_from_slice(part);
    }
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(b"noren/3/wrap-between"), &ikm);
    let mut out = [0u8; 32];
    let _ = hk.expand(label.as_bytes(), &mut out);
    Key(out)
}

/// Wraps `key` to an X25519 public key: `[ephemeral public 32][wrapped key]`.
pub fn wrap_to(public: &[u8; 32], label: &str, key: &Key) -> Result<Vec<u8>> {
    let eph_secret = x25519_dalek::StaticSecret::from(random_bytes::<32>()?);
    let eph = x25519_dalek::PublicKey::from(&eph_secret).to_bytes();
    let shared = eph_secret.diffie_hellman(&x25519_dalek::PublicKey::from(*public));
    let kek = ecdh_kek(shared.as_bytes(), &eph, public, label);
    let mut out = eph.to_vec();
    out.extend(wrap_key(&kek, label, key)?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_wrapped_between_two_key_pairs_opens_only_for_them() {
        let (a, b, c) = (random_key().unwrap(), random_key().unwrap(), random_key().unwrap());
        let (a, b, c) = (Recipient::from_secret(&a), Recipient::from_secret(&b), Recipient::from_secret(&c));
        let k = random_key().unwrap();
        let w = a.wrap_for(&b.public, "noren/test", &k).unwrap();
        assert_eq!(b.unwrap_from(&a.public, "noren/test", &w).unwrap().0, k.0);
        // Not for a third key pair, not as if from a third, not under another label.
        assert!(c.unwrap_from(&a.public, "noren/test", &w).is_err());
        assert!(b.unwrap_from(&c.public, "noren/test", &w).is_err());
        assert!(b.unwrap_from(&a.public, "noren/other", &w).is_err());
        // A third key pair cannot make one that passes as a's.
        let forged = c.wrap_for(&b.public, "noren/test", &k).unwrap();
        assert!(b.unwrap_from(&a.public, "noren/test", &forged).is_err());
    }

    #[test]
    fn key_debug_is_redacted() {
        assert!(!format!("{:?}", Key([7; 32])).contains('7'));
    }

    #[test]
    fn keys_wrapped_to_a_recipient_open_only_with_its_secret() {
        let secret = random_key().unwrap();
        let r = Recipient::from_secret(&secret);
        assert_eq!(Recipient::from_secret(&secret).public, r.public, "derived, not random");
        let dk = random_key().unwrap();
        let w = wrap_to(&r.public, "noren/2/recovery/vault", &dk).unwrap();
        assert_eq!(r.unwrap("noren/2/recovery/vault", &w).unwrap().0, dk.0);
        assert!(r.unwrap("noren/2/recovery/calendar", &w).is_err(), "label bound");
        let other = Recipient::from_secret(&random_key().unwrap());
        assert!(other.unwrap("noren/2/recovery/vault", &w).is_err());
        assert!(r.unwrap("noren/2/recovery/vault", &w[..20]).is_err());
        let tag = mac(&dk, b"header").unwrap();
        assert!(verify_mac(&dk, b"header", &tag) && !verify_mac(&dk, b"headed", &tag) && !verify_mac(&secret, b"header", &tag));
        assert_ne!(derive_subkey(&dk, "a").0, derive_subkey(&dk, "b").0);
    }

    #[test]
    fn seal_open_round_trip_and_aad_binding() {
        let k = random_key().unwrap();
        let s = seal(&k, b"tree:id1", b"hello").unwrap();
        assert_eq!(s[0], SEAL_VERSION);
        assert_eq!(&*open(&k, b"tree:id1", &s).unwrap(), b"hello");
        assert!(matches!(open(&k, b"tree:id2", &s), Err(Error::Tampered(_))));
        let mut flipped = s.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(matches!(open(&k, b"tree:id1", &flipped), Err(Error::Tampered(_))));
        assert!(open(&k, b"tree:id1", &[]).is_err());
        assert!(open(&k, b"tree:id1", &[1, 2, 3]).is_err());
        let mut future = s;
        future[0] = 9;
        assert!(matches!(open(&k, b"tree:id1", &future), Err(Error::UnsupportedFormat { .. })));
    }

    #[test]
    fn wrong_kek_is_wrong_passphrase() {
        let params = KdfParams { m_kib: 64, t: 1, p: 1 };
        let good = derive_kek(&SecretString::new("right"), b"0123456789abcdef", params).unwrap();
        let bad = derive_kek(&SecretString::new("wrong"), b"0123456789abcdef", params).unwrap();
        let dk = random_key().unwrap();
        let w = wrap_key(&good, "vault", &dk).unwrap();
        assert_eq!(unwrap_key(&good, "vault", &w).unwrap().0, dk.0);
        assert!(matches!(unwrap_key(&bad, "vault", &w), Err(Error::WrongPassphrase)));
        assert!(matches!(unwrap_key(&good, "calendar", &w), Err(Error::WrongPassphrase)));
    }

    #[test]
    fn hostile_kdf_params_rejected() {
        let p = KdfParams { m_kib: u32::MAX, t: 3, p: 1 };
        assert!(derive_kek(&SecretString::new("x"), b"0123456789abcdef", p).is_err());
    }
}
