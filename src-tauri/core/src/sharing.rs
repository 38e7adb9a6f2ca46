//! What both front ends show of sharing beyond the engine's own state: the edits two laptops
//! made at once, named as the owner knows them (the login or customer, the laptops' names).

use crate::reminder_facts::{Accounts, CustomerNames};
use crate::store::Record;
use crate::sync::{self, ConflictView};
use crate::{Result, Store};

/// The conflicts not yet looked at, newest first, each with the record's name (logins and
/// customers; `None` for other kinds or a record deleted since) and the laptops' names.
pub fn conflicts(store: &Store) -> Result<Vec<ConflictView>> {
    let list = sync::conflicts(store)?;
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let laptops = sync::laptops(store)?;
    let laptop = |dev: &str| laptops.iter().find(|l| l.device == dev).map(|l| l.name.clone());
    let accounts = store.derived_shared::<Accounts>()?;
    let customers = store.derived_shared::<CustomerNames>()?;
    let name = |tree: &str, id: &str| -> Option<String> {
        if tree == crate::credential::Credential::TREE {
            accounts.0.iter().find(|a| a.id == id).map(|a| a.name.clone())
        } else if tree == crate::customer::Customer::TREE {
            customers.0.iter().find(|c| c.id == id).map(|c| c.name.clone())
        } else {
            None
        }
    };
    Ok(list.iter().map(|c| ConflictView::new(c, name(&c.tree, &c.record_id), laptop)).collect())
}
