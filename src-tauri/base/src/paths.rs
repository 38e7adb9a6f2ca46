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

/// A path as the owner types or pastes it: surrounding spaces and quotes
/// dropped (a file manager's "copy path" quotes it), a `file://` address
/// turned into its path, and `~` or `~/…` meaning the home folder, as the
/// hints show (`~/Dropbox/noren`). `None` when nothing is left.
pub fn typed(text: &str) -> Option<PathBuf> {
    let mut s = text.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            s = s[1..s.len() - 1].trim();
        }
    }
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s.strip_prefix("file://") {
        // file:///home/… (an empty host); a URL's %20 and friends decoded.
        return Some(PathBuf::from(percent_decoded(rest)));
    }
    let home = || std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    if s == "~" {
        return home().or_else(|| Some(PathBuf::from(s)));
    }
    if let Some(rest) = s.strip_prefix("~/") {
        if let Some(h) = home() {
            return Some(h.join(rest.trim_start_matches('/')));
        }
    }
    Some(PathBuf::from(s))
}

fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_means_what_the_owner_meant() {
        let home = PathBuf::from(std::env::var_os("HOME").expect("tests run with a home folder"));
        assert_eq!(typed("  ~/Dropbox/noren "), Some(home.join("Dropbox/noren")));
        assert_eq!(typed("~"), Some(home.clone()));
        assert_eq!(typed("'/media/usb/noren'"), Some(PathBuf::from("/media/usb/noren")));
        assert_eq!(typed("\"/home/a/My Files/x.kdbx\""), Some(PathBuf::from("/home/a/My Files/x.kdbx")));
        assert_eq!(typed("file:///home/a/My%20Files/%E3%81%82.csv"), Some(PathBuf::from("/home/a/My Files/あ.csv")));
        assert_eq!(typed("/tmp/100%"), Some(PathBuf::from("/tmp/100%")));
        // Only the owner's own home: ~user and a ~ inside a name stay as typed.
        assert_eq!(typed("~other/x"), Some(PathBuf::from("~other/x")));
        assert_eq!(typed("/a/~/b"), Some(PathBuf::from("/a/~/b")));
        assert_eq!(typed("   "), None);
        assert_eq!(typed("''"), None);
    }
}
