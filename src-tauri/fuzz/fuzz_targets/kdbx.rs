//! KeePass import (`kdbx::read`): no panic and no runaway work on any bytes.
//! The outer structure is checked by Noren (`kdbx_check`); what the keepass
//! crate does after decryption runs inside `fence::quietly`, so a panic there
//! is an error too. Inputs whose key derivation is expensive are only
//! checked, not opened: the fuzzer would otherwise spend its time in Argon2.
#![no_main]
use libfuzzer_sys::fuzz_target;
use noren_core::{kdbx, kdbx_check, SecretString};

fuzz_target!(|data: &[u8]| {
    let Ok(work) = kdbx_check::kdf_work(data) else { return };
    if work.aes_rounds > 100_000 || work.argon2_kib_passes > 1024 {
        return;
    }
    let _ = kdbx::read(data, Some(&SecretString::new("fuzz")), None);
    let _ = kdbx::read(data, None, Some(b"a key file"));
});
