//! Customers and their inquiries, on the shop's business days: customer
//! records and search, inquiries with reply policies and the complaint
//! playbook, business hours and closed days, Japanese national holidays, and
//! the facts the reminder engine reads. The collections are declared to the
//! store here, with what is derived from them.

pub mod business;
pub mod customer;
pub mod facts;
pub mod holidays;
pub mod inquiry;

use noren_base::error::Result;
use noren_store::store::{Compartment, Record};

use customer::Customer;
use inquiry::Inquiry;

impl Record for Customer {
    const TREE: &'static str = "customers";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "customer";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        self.check_fields()
    }
    /// What the reminder engine reads, so that `check` need not read every record.
    fn derived_packs(list: &[Self]) -> Vec<(&'static str, zeroize::Zeroizing<Vec<u8>>)> {
        use noren_store::store::Derived;
        vec![facts::CustomerNames::pack(list)]
    }
}

impl Record for Inquiry {
    const TREE: &'static str = "inquiries";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "inquiry";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        self.check_fields()
    }
    /// What the reminder engine reads, so that `check` need not read every record.
    fn derived_packs(list: &[Self]) -> Vec<(&'static str, zeroize::Zeroizing<Vec<u8>>)> {
        use noren_store::store::Derived;
        vec![facts::OpenInquiries::pack(list)]
    }
}
