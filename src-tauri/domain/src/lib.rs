//! Noren's domain: what a shop keeps and the rules about it, one folder per
//! area. Each area declares its collections to the store (`Record`) with the
//! facts derived from them (`Derived`); none imports the reminder engine, the
//! adapters or the application layer, and none reads the environment.

pub mod credentials;
pub mod customers;
pub mod history;
pub mod people;
pub mod posting;
pub mod vendors;

#[cfg(test)]
mod facts_tests;
