//! Password-manager CSV import (flavour detection, Shift_JIS): no panics on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = noren_core::import_formats::csv(data, None);
    let map = noren_core::import_formats::Mapping { name: Some("name".into()), password: Some("password".into()), ..Default::default() };
    let _ = noren_core::import_formats::csv(data, Some(&map));
});
