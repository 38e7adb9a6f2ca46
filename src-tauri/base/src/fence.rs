//! The last fence around third-party code that may panic on hostile input
//! (sled recovering damaged files, the keepass crate on a damaged KDBX). Our
//! own checks come first; this only keeps a panic that slips past them from
//! ending the process or printing a backtrace at the owner.

use std::cell::Cell;
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

/// Runs `f`, turning a panic into `Err` without printing it. Panics on other
/// threads and outside `quietly` are reported as before.
pub fn quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic)]

    #[test]
    fn a_panic_inside_is_an_error_and_the_value_passes_through() {
        assert_eq!(super::quietly(|| 7).ok(), Some(7));
        let r: std::thread::Result<()> = super::quietly(|| panic!("slice index out of range"));
        assert!(r.is_err());
        // Nested use keeps the outer one quiet.
        let outer = super::quietly(|| {
            let inner = super::quietly(|| 1);
            assert!(inner.is_ok());
            panic!("still quiet")
        });
        assert!(outer.is_err());
    }
}
