//! The plaintext backup reader must never panic, whatever the JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = noren_core::backup::from_json(data);
});
