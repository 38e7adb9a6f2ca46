//! Where the store lives: `--store DIR`, else `$NOREN_STORE`, else the
//! platform data directory (`$XDG_DATA_HOME/noren`, `~/.local/share/noren`).
//! The front ends read the environment (`Env::from_vars`); nothing here does.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What a front end read of the process environment, for the functions below.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    /// `$NOREN_STORE`
    pub noren_store: Option<PathBuf>,
    /// `$XDG_DATA_HOME`
    pub data_home: Option<PathBuf>,
    /// `$XDG_CONFIG_HOME`
    pub config_home: Option<PathBuf>,
    /// `$HOME`
    pub home: Option<PathBuf>,
    /// `%APPDATA%`
    pub appdata: Option<PathBuf>,
}

impl Env {
    /// From a getter of variables (`|k| std::env::var_os(k)` at a front end); empty ones are unset.
    pub fn from_vars(get: impl Fn(&str) -> Option<OsString>) -> Env {
        let var = |k: &str| get(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        Env {
            noren_store: var("NOREN_STORE"),
            data_home: var("XDG_DATA_HOME"),
            config_home: var("XDG_CONFIG_HOME"),
            home: var("HOME"),
            appdata: var("APPDATA"),
        }
    }
}

pub fn default_store_dir(env: &Env) -> Result<PathBuf> {
    if let Some(x) = &env.data_home {
        return Ok(x.join("noren"));
    }
    if let Some(h) = &env.home {
        return Ok(h.join(".local/share/noren"));
    }
    if let Some(a) = &env.appdata {
        return Ok(a.join("Noren"));
    }
    Err(Error::invalid("store", "cannot find a data directory; pass --store DIR or set NOREN_STORE"))
}

pub fn resolve_store_dir(flag: Option<PathBuf>, env: &Env) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p);
    }
    if let Some(p) = &env.noren_store {
        return Ok(p.clone());
    }
    default_store_dir(env)
}

/// `$XDG_CONFIG_HOME`, else `~/.config`.
pub fn config_home(env: &Env) -> Result<PathBuf> {
    if let Some(x) = &env.config_home {
        return Ok(x.clone());
    }
    env.home.as_ref().map(|h| h.join(".config")).ok_or_else(|| Error::invalid("home", "HOME is not set"))
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
/// hints show (`~/Dropbox/noren`), `home` being the owner's. `None` when nothing is left.
pub fn typed(text: &str, home: Option<&Path>) -> Option<PathBuf> {
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
    let home = || home.map(Path::to_path_buf);
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
        let home = PathBuf::from("/home/owner");
        let typed = |s: &str| super::typed(s, Some(&home));
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
        // Without a home folder, ~ stays as typed.
        assert_eq!(super::typed("~/x", None), Some(PathBuf::from("~/x")));
    }

    #[test]
    fn the_store_and_config_folders_come_from_what_the_front_end_read() {
        let env = Env::from_vars(|k| match k {
            "HOME" => Some("/home/owner".into()),
            "XDG_CONFIG_HOME" => Some("".into()),
            _ => None,
        });
        assert_eq!(env.config_home, None, "an empty variable is unset");
        assert_eq!(default_store_dir(&env).unwrap(), PathBuf::from("/home/owner/.local/share/noren"));
        assert_eq!(config_home(&env).unwrap(), PathBuf::from("/home/owner/.config"));
        let env = Env { noren_store: Some("/media/usb/noren".into()), data_home: Some("/data".into()), ..env };
        assert_eq!(resolve_store_dir(None, &env).unwrap(), PathBuf::from("/media/usb/noren"));
        assert_eq!(resolve_store_dir(Some("/x".into()), &env).unwrap(), PathBuf::from("/x"));
        assert_eq!(default_store_dir(&env).unwrap(), PathBuf::from("/data/noren"));
        assert!(default_store_dir(&Env::default()).is_err());
    }
}
