//! Bitwarden JSON import: no panics on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = noren_core::import_formats::bitwarden_json(data);
});
