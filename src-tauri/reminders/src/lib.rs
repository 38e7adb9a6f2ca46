//! Noren's reminder engine: a pure function from the facts the domain keeps
//! (and the backup folder's state) at an instant to the day's due items, and
//! the selection of what to notify (once per item per local day, snoozes,
//! quiet hours) with its shared state.

pub mod engine;
pub mod notify;

pub use engine::*;
