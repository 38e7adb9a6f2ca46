//! Secret values: zeroized on drop, `<redacted>` in Debug, and refused by serde
//! unless the store (or the backup writer) explicitly exposes them while sealing.

use std::cell::Cell;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

thread_local! {
    static EXPOSE: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` with secret serialization allowed on this thread. Only code that
/// immediately encrypts the output (record sealing, backup writing) calls this.
#[doc(hidden)]
pub fn with_secrets_exposed<R>(f: impl FnOnce() -> R) -> R {
    struct Guard;
    impl Drop for Guard {
        fn drop(&mut self) {
            EXPOSE.with(|c| c.set(c.get().saturating_sub(1)));
        }
    }
    EXPOSE.with(|c| c.set(c.get() + 1));
    let _guard = Guard;
    f()
}

fn exposed() -> bool {
    EXPOSE.with(|c| c.get() > 0)
}

/// A secret string (password, TOTP seed).
#[derive(Clone, Default, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(s: impl Into<String>) -> Self {
        SecretString(s.into())
    }
    /// The plaintext. Call sites are the few places that must show or use it.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl From<String> for SecretString {
    fn from(s: String) -> Self {
        SecretString(s)
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if exposed() {
            s.serialize_str(&self.0)
        } else {
            Err(serde::ser::Error::custom("refusing to serialize a secret outside sealed storage"))
        }
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Zeroizing::new(String::deserialize(d)?);
        Ok(SecretString(s.as_str().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = SecretString::new("hunter2");
        assert_eq!(format!("{s:?}"), "<redacted>");
    }

    #[test]
    fn serialization_refused_unless_exposed() {
        let s = SecretString::new("hunter2");
        assert!(serde_json::to_string(&s).is_err());
        let out = with_secrets_exposed(|| serde_json::to_string(&s)).unwrap();
        assert_eq!(out, "\"hunter2\"");
        // The permission does not leak past the closure.
        assert!(serde_json::to_string(&s).is_err());
    }
}
