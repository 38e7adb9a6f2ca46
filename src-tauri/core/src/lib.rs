//! Noren's core: domain model, encrypted store, reminder engine.
//! No Tauri dependency; the desktop app and `noren-cli` are thin front ends.

pub mod backup;
pub mod business;
pub mod calendar;
pub mod credential;
pub mod crypto;
pub mod customer;
pub mod customer_import;
pub mod demo;
pub mod disk;
pub mod error;
pub mod feed;
pub(crate) mod fence;
pub mod files;
pub mod generator;
pub mod guide;
pub mod harden;
pub mod holidays;
pub mod import;
pub mod import_formats;
pub mod incident;
pub mod inquiry;
pub mod kdbx;
pub mod kdbx_check;
pub mod kit;
pub mod lapse_quality;
pub mod normalize;
pub mod notify;
pub mod paths;
pub mod people;
pub mod rekeyed;
pub mod reminder_facts;
pub mod reminders;
pub mod renewal;
pub mod rhythm;
pub mod search_index;
pub mod secret;
pub mod session;
pub mod store;
pub mod timer;
pub mod tls_check;
pub mod totp;
pub mod utc;
pub mod validate;
pub mod vendor;
pub(crate) mod wire;

pub use error::{Error, Result};
pub use secret::SecretString;
pub use store::Store;

/// Maps `items` in order, on up to four threads when there are enough of
/// them to pay for the threads (unlocking and indexing large stores).
pub(crate) fn par_map<T: Send, U: Send>(items: Vec<T>, min_per_thread: usize, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4).min(items.len() / min_per_thread.max(1));
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut rest = items;
    while rest.len() > per {
        let tail = rest.split_off(per);
        chunks.push(rest);
        rest = tail;
    }
    chunks.push(rest);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks.into_iter().map(|c| s.spawn(move || c.into_iter().map(f).collect::<Vec<U>>())).collect();
        let mut out = Vec::new();
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                // A panic in `f` is a bug; let it surface as it would without threads.
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn par_map_keeps_order_on_any_number_of_threads() {
        for n in [0, 1, 7, 999, 1000, 4001, 10_000] {
            let out = super::par_map((0..n).collect::<Vec<u32>>(), 1000, |x| x * 2);
            assert_eq!(out, (0..n).map(|x| x * 2).collect::<Vec<u32>>());
        }
        assert_eq!(super::par_map(vec!["a", "b", "c"], 1, str::to_uppercase), vec!["A", "B", "C"]);
    }
}
