//! Noren's application layer, what both front ends (the desktop window and
//! `noren-cli`) call: opening, locking and unlocking a store (`session`), the
//! features that span several areas (the first-week guide, the emergency kit,
//! the demo shop, what follows a re-key), over the layers below:
//!
//! `noren-base` ← `noren-store` ← `noren-domain` ← `noren-reminders` ← `noren-adapters` ← here.
//!
//! The modules of the layers below are re-exported under the paths they had
//! when all of this was one crate (`noren_core::credential`, `noren_core::store`, …),
//! so the front ends and the tests name one crate. No Tauri dependency.

pub mod alerts;
pub mod checks;
pub mod demo;
pub mod departures;
pub mod guide;
pub mod inquiries;
pub mod kit;
pub mod rekeyed;
pub mod session;
pub mod sharing;
pub mod shop;
pub mod vault;

// The base layer.
pub use noren_base::{disk, error, files, harden, messages, normalize, paths, secret, time, utc, validate};
// The store.
pub use noren_store::{crypto, store};
// The domain, one folder per area.
pub use noren_domain::credentials::{generator, totp};
pub use noren_domain::customers::{business, customer, holidays, inquiry};
pub use noren_domain::people;
pub use noren_domain::posting::{calendar, lapse_quality, rhythm};
pub use noren_domain::vendors::{incident, renewal, vendor};
// The reminder engine.
pub use noren_reminders::{engine as reminders, notify};
// The adapters.
pub use noren_adapters::{backup, customer_import, feed, import, import_formats, kdbx, kdbx_check, sync, timer, tls_check};

pub use error::{Error, Result};
pub use secret::SecretString;
pub use store::Store;

/// Credentials, with their search index beside them as before.
pub mod credential {
    pub use noren_domain::credentials::credential::*;
    pub use noren_domain::credentials::index::SearchIndex;
}

/// The credentials' search index.
pub use noren_domain::credentials::index as search_index;

/// What the reminder engine reads of the large collections, kept as derived
/// packs: each area's facts, together.
pub mod reminder_facts {
    pub use noren_domain::credentials::facts::*;
    pub use noren_domain::customers::facts::*;
    pub use noren_domain::posting::facts::*;
}

/// The calendar compartment's collections a calendar key file is proved on
/// (`LockedStore::unlock_calendar`): the first of them with a record.
pub const CALENDAR_PROOF_TREES: &[&str] =
    &[<calendar::Channel as store::Record>::TREE, <calendar::Post as store::Record>::TREE, <notify::NotifyState as store::Record>::TREE];
