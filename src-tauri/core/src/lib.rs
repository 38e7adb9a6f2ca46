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
pub mod error;
pub mod feed;
pub mod generator;
pub mod holidays;
pub mod import;
pub mod import_formats;
pub mod incident;
pub mod inquiry;
pub mod kdbx;
pub mod kit;
pub mod lapse_quality;
pub mod normalize;
pub mod notify;
pub mod paths;
pub mod people;
pub mod reminders;
pub mod renewal;
pub mod rhythm;
pub mod secret;
pub mod session;
pub mod store;
pub mod timer;
pub mod tls_check;
pub mod totp;
pub mod vendor;

pub use error::{Error, Result};
pub use secret::SecretString;
pub use store::Store;
