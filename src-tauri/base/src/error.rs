//! Typed errors. Every error has a stable machine `code()`: the CLI maps codes
//! to exit statuses, the UI maps them to Japanese/English text.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The password of a file being imported (a KeePass database) is wrong: not the store's own.
    #[error("wrong password for this file (it is the password of the file being imported, not Noren's passphrase)")]
    WrongFilePassword,
    #[error("the store at {0} is open in another Noren window or process")]
    StoreInUse(PathBuf),
    /// The store's folder cannot be written: it can be read, not changed.
    #[error("the store at {0} is read-only (a read-only disk or another user's folder): it can be read, not changed; copy the folder somewhere writable to change it")]
    ReadOnly(PathBuf),
    #[error("no Noren store at {0} (create one with `noren-cli init`)")]
    StoreNotFound(PathBuf),
    #[error("a Noren store already exists at {0}")]
    StoreExists(PathBuf),
    #[error("the store was written by a newer Noren (format {found}, this version reads up to {supported})")]
    UnsupportedFormat { found: u32, supported: u32 },
    #[error("the vault is locked")]
    Locked,
    #[error("{what} not found: {}", short(key))]
    NotFound { what: &'static str, key: String },
    #[error("{:?} matches several {what}: {}", short(key), candidates.join(", "))]
    Ambiguous { what: &'static str, key: String, candidates: Vec<String> },
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("stored data failed authentication (tampered or corrupt): {0}")]
    Tampered(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("storage error: {0}")]
    Storage(String),
    /// The network could not be reached or the server failed (feed sync, checks).
    #[error("{0}")]
    Network(String),
    /// The address answered, but not with a feed.
    #[error("{0}")]
    NotAFeed(String),
    /// The address answered, but not with TLS (certificate check).
    #[error("{0}")]
    NotTls(String),
    /// No RDAP data for this domain (e.g. `.jp`): the date must be entered by hand.
    #[error("{0}")]
    NoRdap(String),
    /// Not enough free space for the write (or for opening the store): nothing was changed.
    #[error("not enough free space on the disk of {} ({}): nothing was changed; free some space and try again", dir.display(), shortfall(*available, *needed))]
    DiskFull { dir: PathBuf, available: u64, needed: u64 },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

/// What the user typed, as messages repeat it: at most 80 characters (a 1 MB
/// name pasted by mistake is not echoed back whole).
fn short(s: &str) -> String {
    if s.chars().count() <= 80 {
        return s.to_string();
    }
    let head: String = s.chars().take(80).collect();
    format!("{head}… ({} characters)", s.chars().count())
}

impl Error {
    /// Stable identifier, part of the public contract (IPC `{code, message}`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongPassphrase => "wrong_passphrase",
            Error::WrongFilePassword => "wrong_file_password",
            Error::StoreInUse(_) => "store_in_use",
            Error::ReadOnly(_) => "read_only",
            Error::StoreNotFound(_) => "store_not_found",
            Error::StoreExists(_) => "store_exists",
            Error::UnsupportedFormat { .. } => "unsupported_format",
            Error::Locked => "locked",
            Error::NotFound { .. } => "not_found",
            Error::Ambiguous { .. } => "ambiguous",
            Error::Invalid { .. } => "invalid_input",
            Error::Tampered(_) => "tampered",
            Error::Corrupt(_) => "corrupt",
            Error::Storage(_) => "storage",
            Error::Network(_) => "network",
            Error::NotAFeed(_) => "not_a_feed",
            Error::NotTls(_) => "not_tls",
            Error::NoRdap(_) => "no_rdap",
            Error::DiskFull { .. } => "disk_full",
            Error::Io { .. } => "io",
        }
    }

    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Invalid { field, reason: reason.into() }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Io(io) => Error::io("store", io),
            sled::Error::Corruption { .. } => Error::Corrupt(e.to_string()),
            other => Error::Storage(other.to_string()),
        }
    }
}

/// "5 KB free, 1.0 MB needed" (or only what is free when the need is unknown).
pub fn shortfall(available: u64, needed: u64) -> String {
    if needed > available {
        format!("{} free, {} needed", human(available), human(needed))
    } else {
        format!("{} free", human(available))
    }
}

/// `bytes` for messages: "1.2 MB", "640 KB".
pub fn human(bytes: u64) -> String {
    const KB: f64 = 1000.0;
    let b = bytes as f64;
    if b >= KB * KB * KB {
        format!("{:.1} GB", b / (KB * KB * KB))
    } else if b >= KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else {
        format!("{:.0} KB", (b / KB).ceil())
    }
}
