//! Noren's base: what every layer uses and that knows nothing of a shop —
//! typed errors, secrets, field rules and limits, instants and the shop's time
//! zone, the one way to write a file, free space, Japanese folding, hardening.
//! No store, no domain type, no front end.

pub mod disk;
pub mod error;
pub mod fence;
pub mod files;
pub mod harden;
pub mod messages;
pub mod normalize;
pub mod paths;
pub mod secret;
pub mod time;
pub mod utc;
pub mod validate;

pub use error::{Error, Result};
pub use secret::SecretString;

/// `N` bytes from the system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).map_err(|e| Error::Storage(format!("no system randomness: {e}")))?;
    Ok(b)
}

/// Maps `items` in order, on up to four threads when there are enough of
/// them to pay for the threads (unlocking and indexing large stores).
pub fn par_map<T: Send, U: Send>(items: Vec<T>, min_per_thread: usize, f: impl Fn(T) -> U + Sync) -> Vec<U> {
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
