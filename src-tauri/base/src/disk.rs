//! Free space on the disk that holds a store, and what a full disk looks like.
//!
//! sled 0.34 does not survive running out of space gracefully: a write that
//! meets ENOSPC can leave sled in an error state, and a snapshot it could not
//! finish (`snap.*.generating`) is taken as the newest one at the next open,
//! which then reads as corrupt. The store therefore checks the space before
//! opening and before every write, and never lets sled start work that the disk
//! cannot hold (see `Store`).

use std::path::Path;

use crate::error::{Error, Result};

/// What sled may write when it opens a store: a new snapshot of its page
/// table and the zeroing of a torn log tail (measured: a few KiB for a shop's
/// store, below 100 KiB at 100,000 credentials).
pub const OPEN_RESERVE: u64 = 1 << 20;

/// Kept free after every write: sled writes in 512 KiB log segments, may begin
/// a new one and rewrite old ones (its cleaner) at any time, and writes a
/// snapshot at the next open. Four segments and the open reserve.
pub const WRITE_RESERVE: u64 = 4 * (512 << 10) + OPEN_RESERVE;

/// Bytes free to this user on the file system that holds `dir`.
pub fn available(dir: &Path) -> Result<u64> {
    fs2::available_space(dir).map_err(|e| Error::io(format!("cannot read the free space of {}", dir.display()), e))
}

/// `DiskFull` unless `needed` bytes and the reserve fit on the disk of `dir`.
pub fn ensure_room(dir: &Path, needed: u64, reserve: u64) -> Result<()> {
    let free = available(dir)?;
    let want = needed.saturating_add(reserve);
    if free < want {
        return Err(Error::DiskFull { dir: dir.to_path_buf(), available: free, needed: want });
    }
    Ok(())
}

/// True for the errors a full disk (or a used-up quota) gives.
pub fn is_full(e: &std::io::Error) -> bool {
    // ENOSPC (28) and EDQUOT (122 on Linux); `StorageFull` where std maps it.
    matches!(e.raw_os_error(), Some(28) | Some(122)) || e.kind() == std::io::ErrorKind::StorageFull
}

pub use crate::error::{human, shortfall};

/// What happens when a write does not finish in time (see [`Watchdog`]).
pub type StallHandler = fn(&StallReport);

/// A write that did not finish: where, and how long it was given.
#[derive(Debug)]
pub struct StallReport {
    pub dir: std::path::PathBuf,
    pub waited: std::time::Duration,
}

static STALL_HANDLER: std::sync::Mutex<Option<StallHandler>> = std::sync::Mutex::new(None);

/// Sets what a stalled write does instead of the default (one `error:` line on
/// stderr, exit status 1). The app shows its own message before it exits.
pub fn on_stall(handler: StallHandler) {
    *STALL_HANDLER.lock().unwrap_or_else(|e| e.into_inner()) = Some(handler);
}

fn stalled(report: &StallReport) {
    let handler = *STALL_HANDLER.lock().unwrap_or_else(|e| e.into_inner());
    match handler {
        Some(h) => h(report),
        None => {
            eprintln!(
                "error: the disk of {} did not take the write within {} s (is it full or unplugged?): \
                 the change was not saved; free some space and start again",
                report.dir.display(),
                report.waited.as_secs()
            );
            std::process::exit(1);
        }
    }
}

/// A deadline for one store write. sled 0.34 can block for ever in a write
/// that met a full disk (all its threads waiting on each other); the write was
/// not acknowledged, so ending the process loses nothing that was reported
/// saved, while hanging would keep the owner waiting and the store locked.
/// Dropping the watchdog (the write returned) disarms it.
pub struct Watchdog(Option<std::sync::mpsc::Sender<()>>);

impl Watchdog {
    /// 15 s, and one more per 10 MB written (a slow USB disk syncing a big import).
    pub fn arm(dir: &Path, bytes: u64) -> Watchdog {
        Self::spawn(dir, std::time::Duration::from_secs(15 + bytes / 10_000_000)).0
    }

    /// The watchdog and its thread, which ends once it has fired or was disarmed.
    fn spawn(dir: &Path, waited: std::time::Duration) -> (Watchdog, Option<std::thread::JoinHandle<()>>) {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let dir = dir.to_path_buf();
        let spawned = std::thread::Builder::new().name("noren-write-watchdog".into()).spawn(move || {
            // Disarmed: the sender is dropped (or sends) before the deadline.
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(waited) {
                stalled(&StallReport { dir, waited });
            }
        });
        match spawned {
            Ok(thread) => (Watchdog(Some(tx)), Some(thread)),
            // Without a thread there is no deadline, as before.
            Err(_) => (Watchdog(None), None),
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_disk_errors_are_recognised() {
        assert!(is_full(&std::io::Error::from_raw_os_error(28)));
        assert!(is_full(&std::io::Error::from_raw_os_error(122)));
        assert!(!is_full(&std::io::Error::from_raw_os_error(13)));
        assert!(!is_full(&std::io::Error::other("could not acquire lock")));
    }

    static STALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    #[test]
    fn a_write_past_its_deadline_is_reported_and_a_finished_one_is_not() {
        on_stall(|r| {
            assert!(r.dir.ends_with("store"));
            STALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        let dir = Path::new("/tmp/store");
        // Disarmed long before its deadline: its thread ends without a report.
        let (finished, thread) = Watchdog::spawn(dir, std::time::Duration::from_secs(3600));
        drop(finished);
        thread.unwrap().join().unwrap();
        assert_eq!(STALLS.load(std::sync::atomic::Ordering::SeqCst), 0, "a write that returned is not reported");
        // Never disarmed: its thread reports once the deadline has passed.
        let (stuck, thread) = Watchdog::spawn(dir, std::time::Duration::from_millis(1));
        thread.unwrap().join().unwrap();
        assert_eq!(STALLS.load(std::sync::atomic::Ordering::SeqCst), 1, "only the write that did not return");
        drop(stuck);
    }

    #[test]
    fn room_is_checked_against_the_reserve() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let free = available(tmp.path()).unwrap_or(0);
        assert!(ensure_room(tmp.path(), 0, 0).is_ok());
        match ensure_room(tmp.path(), free, u64::MAX / 2) {
            Err(Error::DiskFull { available, needed, .. }) => assert!(available < needed),
            other => panic!("{other:?}"),
        }
        assert_eq!(human(1_234_567), "1.2 MB");
        assert_eq!(human(640_000), "640 KB");
    }
}
