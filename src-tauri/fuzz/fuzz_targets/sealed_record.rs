//! Opening a sealed value (version byte, nonce, ciphertext) must reject
//! anything malformed without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = noren_core::crypto::key_from_bytes([7u8; 32]);
    let _ = noren_core::crypto::open(&key, b"noren/1/credentials/fuzz", data);
});
