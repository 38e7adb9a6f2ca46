//! The encrypted backup reader (age header, stream, then the document) must
//! never panic on arbitrary files. A fixed X25519 test key keeps each input
//! cheap (a passphrase header would cost a full scrypt per input).
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use noren_core::backup::{decrypt_from, from_json, Unlock};

/// Throwaway fuzzing key; protects nothing. Its public key is age13yusp8x0yx8n9s87ke32e585myv7zgqdjevjl79nm6ycx5ga9elsp5cnr8.
const KEY: &str = "AGE-SECRET-KEY-1KU5ZPLV8XS7XVZRR0G7F78MZT6TTTH2CZT3YZ4H7SYGWYM2MV6PQ7LNNTX";

fn identity_file() -> &'static std::path::PathBuf {
    static PATH: OnceLock<std::path::PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let p = std::env::temp_dir().join(format!("noren-fuzz-key-{}.txt", std::process::id()));
        std::fs::write(&p, KEY).expect("temp dir writable");
        p
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(plain) = decrypt_from(data, &Unlock::IdentityFile(identity_file().clone())) {
        let _ = from_json(&plain);
    }
});
