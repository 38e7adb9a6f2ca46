//! The one way Noren writes a file outside the store: exports, backups and
//! snapshots, key files, kit sheets, reports, calendars, settings.
//!
//! A fresh temporary file is created next to the target, exclusively
//! (`O_CREAT|O_EXCL`, never following a symlink) and owner-only (0600,
//! whatever the umask); it is written, synced, renamed over (or, with
//! [`Existing::Keep`], linked to) the final name, and the folder is synced. A
//! crash leaves the old file or the new one, never half of one; a symlink or a
//! file planted at a predictable name redirects nothing. While it is written
//! the temporary file is locked, so a later run can tell the leftover of a
//! killed writer from a write in progress and removes it.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What to do when the target already exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Replace it atomically.
    Replace,
    /// Fail with `Invalid { field: "file" }`, leaving it untouched.
    Keep,
}

/// Marks the temporary files of this module (`.<name>.noren-<random>.partial`).
const TEMP_MARK: &str = ".noren-";
const TEMP_SUFFIX: &str = ".partial";

/// Writes `bytes` to `path` (see the module documentation).
pub fn write(path: &Path, bytes: &[u8], existing: Existing) -> Result<u64> {
    write_with(path, existing, |mut f| {
        f.write_all(bytes)?;
        Ok(f)
    })
}

/// Writes `path` through `fill`, which gets the open temporary file and hands
/// it back when done (so a buffered or encrypting writer can wrap it). Returns
/// the size written.
pub fn write_with(path: &Path, existing: Existing, fill: impl FnOnce(File) -> std::io::Result<File>) -> Result<u64> {
    let dir = parent(path);
    let name = path.file_name().ok_or_else(|| Error::invalid("file", format!("{} has no file name", path.display())))?;
    if existing == Existing::Keep && fs::symlink_metadata(path).is_ok() {
        return Err(exists(path));
    }
    remove_leftovers(dir);
    let (tmp, file) = create_temp(dir, &name.to_string_lossy())?;
    let result = (|| -> Result<u64> {
        let io = |e: std::io::Error| fail(dir, format!("cannot write {}", path.display()), e);
        let file = fill(file).map_err(io)?;
        file.sync_all().map_err(io)?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        drop(file);
        match existing {
            Existing::Replace => fs::rename(&tmp, path).map_err(io)?,
            Existing::Keep => publish_new(&tmp, path)?,
        }
        sync_dir(dir);
        Ok(len)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Creates a directory that only its owner can enter (0700), with its parents.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|e| fail(dir, format!("cannot create {}", dir.display()), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| fail(dir, format!("cannot protect {}", dir.display()), e))?;
    }
    Ok(())
}

/// The folder of `path` ("." for a bare file name).
pub fn parent(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Makes the rename of an entry of `dir` durable.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn exists(path: &Path) -> Error {
    Error::invalid("file", format!("{} already exists", path.display()))
}

/// An I/O error of a write into `dir`; a full disk is `DiskFull`.
pub fn fail(dir: &Path, context: String, e: std::io::Error) -> Error {
    if crate::disk::is_full(&e) {
        return Error::DiskFull { dir: dir.to_path_buf(), available: crate::disk::available(dir).unwrap_or(0), needed: 0 };
    }
    Error::io(context, e)
}

fn create_temp(dir: &Path, name: &str) -> Result<(PathBuf, File)> {
    for _ in 0..8 {
        let rand = data_encoding::HEXLOWER.encode(&crate::random_bytes::<8>()?);
        let tmp = dir.join(format!(".{name}{TEMP_MARK}{rand}{TEMP_SUFFIX}"));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // O_NOFOLLOW | O_CLOEXEC; create_new already refuses an existing name, links included.
            opts.mode(0o600).custom_flags(0o400000 | 0o2000000);
        }
        match opts.open(&tmp) {
            Ok(file) => {
                #[cfg(unix)]
                {
                    // The umask may have taken bits away, never added any; make it exactly 0600.
                    use std::os::unix::fs::PermissionsExt;
                    file.set_permissions(fs::Permissions::from_mode(0o600))
                        .map_err(|e| fail(dir, format!("cannot protect {}", tmp.display()), e))?;
                }
                // Held until the file is closed: tells `remove_leftovers` this write is alive.
                let _ = fs2::FileExt::try_lock_exclusive(&file);
                return Ok((tmp, file));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(fail(dir, format!("cannot create a file in {}", dir.display()), e)),
        }
    }
    Err(Error::Storage(format!("cannot find a free temporary name in {}", dir.display())))
}

/// Gives `tmp` the name `path` only if nothing has it: a hard link is atomic
/// and never replaces; file systems without links (FAT on a USB stick) get a
/// check followed by a rename.
fn publish_new(tmp: &Path, path: &Path) -> Result<()> {
    let dir = parent(path);
    match fs::hard_link(tmp, path) {
        Ok(()) => {
            let _ = fs::remove_file(tmp);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
        Err(_) => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(exists(path));
            }
            fs::rename(tmp, path).map_err(|e| fail(dir, format!("cannot write {}", path.display()), e))
        }
    }
}

/// Removes the temporary files that killed writers left in `dir` (this
/// module's, and the `.…partial-…` names of earlier versions): one that can be
/// locked has no writer any more.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with('.') && (name.contains(TEMP_MARK) && name.ends_with(TEMP_SUFFIX) || name.contains(".partial-"));
        if !ours || !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        if let Ok(f) = File::open(e.path()) {
            if fs2::FileExt::try_lock_exclusive(&f).is_ok() {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn writes_whole_files_owner_only_and_leaves_no_temporary() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("all.csv");
        assert_eq!(write(&p, b"one", Existing::Replace).unwrap(), 3);
        assert_eq!(write(&p, b"two!", Existing::Replace).unwrap(), 4);
        assert_eq!(fs::read(&p).unwrap(), b"two!");
        #[cfg(unix)]
        assert_eq!(mode(&p), 0o600);
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no temporary file left");
        // Keep: an existing file is an error and stays as it was.
        let e = write(&p, b"three", Existing::Keep).unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        assert_eq!(fs::read(&p).unwrap(), b"two!");
        write(&tmp.path().join("new.age"), b"x", Existing::Keep).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_or_file_redirects_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("victim");
        fs::write(&target, "keep me").unwrap();
        // The names earlier versions wrote through.
        std::os::unix::fs::symlink(&target, tmp.path().join("all.tmp")).unwrap();
        std::os::unix::fs::symlink(&target, tmp.path().join("calendar.tmp")).unwrap();
        write(&tmp.path().join("all.csv"), b"secret,row", Existing::Replace).unwrap();
        write(&tmp.path().join("calendar.key"), b"key", Existing::Replace).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");
        assert_eq!(mode(&tmp.path().join("calendar.key")), 0o600);
        // A symlink at the final name is replaced by the file, not followed.
        std::os::unix::fs::symlink(&target, tmp.path().join("report.html")).unwrap();
        write(&tmp.path().join("report.html"), b"<p>", Existing::Replace).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");
        assert!(!fs::symlink_metadata(tmp.path().join("report.html")).unwrap().file_type().is_symlink());
        // Keep refuses a symlink at the final name too.
        std::os::unix::fs::symlink(&target, tmp.path().join("backup.age")).unwrap();
        assert!(write(&tmp.path().join("backup.age"), b"x", Existing::Keep).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn owner_only_whatever_the_umask() {
        // The umask is process-wide; this test only reads what a permissive one gives.
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("kit.html");
        write(&p, b"share", Existing::Replace).unwrap();
        assert_eq!(mode(&p), 0o600);
        let d = tmp.path().join("snapshots");
        create_private_dir(&d).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&d).unwrap().permissions().mode() & 0o777, 0o700);
    }

    #[test]
    fn leftovers_of_killed_writers_go_and_live_ones_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let dead = tmp.path().join(".all.csv.noren-0011223344556677.partial");
        fs::write(&dead, "half").unwrap();
        let old = tmp.path().join(".noren.age.partial-a1b2c3");
        fs::write(&old, "half").unwrap();
        let (live, file) = create_temp(tmp.path(), "other.csv").unwrap();
        let unrelated = tmp.path().join(".bashrc");
        fs::write(&unrelated, "x").unwrap();
        write(&tmp.path().join("all.csv"), b"done", Existing::Replace).unwrap();
        assert!(!dead.exists() && !old.exists(), "leftovers removed");
        assert!(live.exists(), "a write in progress is left alone");
        assert!(unrelated.exists());
        drop(file);
        remove_leftovers(tmp.path());
        assert!(!live.exists());
    }

    #[test]
    fn a_failing_writer_leaves_the_old_file() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("export.kdbx");
        write(&p, b"old", Existing::Replace).unwrap();
        let e = write_with(&p, Existing::Replace, |mut f| {
            f.write_all(b"half of the new")?;
            Err(std::io::Error::other("device gone"))
        })
        .unwrap_err();
        assert_eq!(e.code(), "io");
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
