//! Reading an emergency-kit share typed back from paper must refuse anything
//! malformed (wrong prefix, bad base32, wrong length or check letters) without
//! panicking; combining whatever parses must not panic either.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed: Vec<_> = text.lines().filter_map(|l| noren_core::kit::parse_share(l).ok()).collect();
    if !parsed.is_empty() {
        let _ = noren_core::kit::combine(&parsed, &parsed[0].store.clone());
    }
});
