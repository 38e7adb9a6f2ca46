//! The customer CSV importer: any bytes give a preview or a clean error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    if let Ok(p) = noren_core::customer_import::parse(data, Vec::new(), now) {
        assert!(p.rows.iter().all(|r| !r.name.trim().is_empty()));
    }
});
