//! Decoding the reminder engine's facts (read from sealed derived packs) must
//! refuse anything malformed without panicking; whatever one accepts must
//! encode to bytes that decode to the same value. The first byte picks the
//! decoder.
#![no_main]
use libfuzzer_sys::fuzz_target;
use noren_core::reminder_facts::{Accounts, CustomerNames, OpenInquiries, Timelines};
use noren_core::store::Derived;

fn round_trip<D: Derived + PartialEq + std::fmt::Debug>(data: &[u8]) {
    if let Some(v) = D::decode(data) {
        let again = D::decode(&v.encode()).expect("what was encoded decodes");
        assert_eq!(again, v);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else { return };
    match which % 4 {
        0 => round_trip::<Accounts>(rest),
        1 => round_trip::<Timelines>(rest),
        2 => round_trip::<CustomerNames>(rest),
        _ => round_trip::<OpenInquiries>(rest),
    }
});
