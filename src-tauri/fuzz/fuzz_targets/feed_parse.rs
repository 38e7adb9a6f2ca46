//! Feed parsing (RSS/Atom/JSON Feed, HTML detection): any bytes give items or
//! a clean error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(items) = noren_core::feed::parse(data) {
        for it in items {
            assert!(it.title.chars().count() <= 512);
        }
    }
});
