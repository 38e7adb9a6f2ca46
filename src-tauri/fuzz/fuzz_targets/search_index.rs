//! Decoding the search index's binary form (read from a sealed derived pack)
//! must refuse anything malformed without panicking, and whatever it accepts
//! must search and encode again to the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use noren_core::credential::SearchIndex;
use noren_core::store::Derived;

fuzz_target!(|data: &[u8]| {
    if let Some(index) = SearchIndex::decode(data) {
        for q in ["", "a", "ｴｷﾃﾝ", "予約 メモ"] {
            let _ = index.search(q);
        }
        assert_eq!(index.encode().as_slice(), data, "decode then encode changes nothing");
    }
});
