//! Logins: the credential records and their kinds, the search index (rows
//! without secrets, folded text), the facts the reminder engine and the
//! departure checklists read, one-time codes and the password generator.
//! The collection is declared to the store here, with what is derived from it.

pub mod credential;
pub mod facts;
pub mod generator;
pub mod index;
pub mod totp;

use noren_base::error::Result;
use noren_store::store::{Compartment, Record};

use credential::Credential;

impl Record for Credential {
    const TREE: &'static str = "credentials";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "credential";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        self.check_fields()
    }
    /// The search index, so that unlocking decodes it instead of folding every
    /// credential; the reminder engine's facts, so that `check` reads no secret.
    fn derived_packs(list: &[Self]) -> Vec<(&'static str, zeroize::Zeroizing<Vec<u8>>)> {
        use noren_store::store::Derived;
        vec![index::SearchIndex::pack(list), facts::Accounts::pack(list)]
    }
}
