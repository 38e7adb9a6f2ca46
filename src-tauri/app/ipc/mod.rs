//! The window's commands, one file per feature. Each is one line over
//! `AppCore` or the feature's module; `ipc_table.rs` generates the page's
//! typed table from them.

pub mod backup;
pub mod calendar;
pub mod credentials;
pub mod customers;
pub mod files;
pub mod handover;
pub mod migrate;
pub mod session;
pub mod sharing;
pub mod vendors;
