//! Where the store lives: `--store DIR`, else `$NOREN_STORE`, else the
//! platform data directory (`$XDG_DATA_HOME/noren`, `~/.local/share/noren`).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub fn default_store_dir() -> Result<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(x).join("noren"));
    }
    if let Some(h) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(h).join(".local/share/noren"));
    }
    if let Some(a) = std::env::var_os("APPDATA").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(a).join("Noren"));
    }
    Err(Error::invalid("store", "cannot find a data directory; pass --store DIR or set NOREN_STORE"))
}

pub fn resolve_store_dir(flag: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p);
    }
    if let Some(p) = std::env::var_os("NOREN_STORE").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    default_store_dir()
}

/// Reads a file the user picked (an import, a key file), refusing one larger
/// than `limit` bytes before reading it: what is clearly not such a file.
pub fn read_picked_file(path: &Path, limit: usize) -> Result<Vec<u8>> {
    let cannot = |e| Error::io(format!("cannot read {}", path.display()), e);
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.len() > limit as u64 {
        return Err(Error::invalid("file", format!("{} is larger than {} MiB", path.display(), limit / (1024 * 1024))));
    }
    std::fs::read(path).map_err(cannot)
}
