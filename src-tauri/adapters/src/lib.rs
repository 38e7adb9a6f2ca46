//! Noren's adapters at the edge: what talks to the world outside the store —
//! feeds, TLS and RDAP checks; KeePass, Bitwarden and CSV files; age backups;
//! the systemd timer; the shared folder of a store on several laptops. They read and write domain records; nothing below them
//! knows they exist.

pub mod backup;
pub mod customer_import;
pub mod feed;
pub mod import;
pub mod import_formats;
pub mod kdbx;
pub mod kdbx_check;
pub mod sync;
pub mod timer;
pub mod tls_check;
