//! Noren's store: sealed records in sled, the signed header and its keys,
//! packs and derived packs, read caches, re-keying. It knows no domain type:
//! collections are `Record`s and derived packs are `Derived`s declared by the
//! layer above.

pub mod crypto;
pub mod store;
pub mod wire;

pub use store::Store;
