//! A departure's whole checklist, as both front ends show it: the logins the person knew or
//! may have known (`people::departure`) and, in a shared store, the shop's laptops that were
//! theirs or may have been (`sync::laptops`).

use chrono_tz::Tz;
use noren_domain::credentials::facts::Accounts;
use noren_domain::people::{self, Departure, Person};
use noren_store::Store;

use crate::Result;

/// The checklists of everyone who has left.
pub fn all(store: &Store, tz: Tz) -> Result<Vec<Departure>> {
    let list = people::list(store)?;
    let accounts = store.derived::<Accounts>()?;
    let laptops = noren_adapters::sync::laptops(store)?;
    Ok(list.iter().filter_map(|p| people::departure(p, &accounts.0, &laptops, tz)).collect())
}

/// One person's checklist (`None`: they have not left).
pub fn of(store: &Store, person: &Person, tz: Tz) -> Result<Option<Departure>> {
    let accounts = store.derived::<Accounts>()?;
    let laptops = noren_adapters::sync::laptops(store)?;
    Ok(people::departure(person, &accounts.0, &laptops, tz))
}

/// The owner's answer for one of the shop's laptops on `person`'s checklist: was it theirs?
/// `laptop` is its name as the laptops list shows it, or its id.
pub fn review_laptop(store: &Store, person: &str, laptop: &str, theirs: bool) -> Result<Person> {
    let laptops = noren_adapters::sync::laptops(store)?;
    let key = laptop.trim();
    let found = laptops.iter().find(|l| l.device == key).or_else(|| laptops.iter().find(|l| l.name == key));
    let l = match found {
        Some(l) if l.this => {
            return Err(crate::Error::invalid("device", "this laptop cannot take itself out: answer on another laptop of the shop"))
        }
        Some(l) => l,
        None if laptops.is_empty() => return Err(noren_adapters::sync::not_shared()),
        None => return Err(crate::Error::NotFound { what: "laptop", key: key.to_string() }),
    };
    people::review_laptop(store, person, &l.device, theirs)
}
