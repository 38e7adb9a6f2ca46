//! A session over an open store, as the desktop app holds it: the credentials'
//! list rows (no secrets) live in a search index while the vault is unlocked
//! and are dropped when it locks; a credential's details are read from the
//! store when asked for. The CLI and the app use the same calls.

use chrono::{DateTime, Utc};

use crate::calendar::Channel;
use crate::credential::{self, Credential, CredentialInput, CredentialSummary, SearchIndex};
use crate::error::{Error, Result};
use crate::reminder_facts::{Accounts, CustomerNames, OpenInquiries, Timelines};
use crate::reminders::{self, DueItem, Inputs, Settings};
use crate::secret::SecretString;
use crate::store::Store;

pub struct Session {
    store: Store,
    index: Option<SearchIndex>,
}

impl Session {
    pub fn new(store: Store) -> Session {
        Session { store, index: None }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, the session ended (a one-shot command's work).
    pub fn into_store(self) -> Store {
        self.store
    }

    /// For the few operations that change the store's header (emergency kit).
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn is_unlocked(&self) -> bool {
        self.store.is_vault_unlocked()
    }

    /// Drops the vault key and every decrypted credential.
    pub fn lock(&mut self) {
        self.index = None;
        self.store.lock_vault();
    }

    /// Forgets the search index (after a bulk write such as an import); it is rebuilt on next use.
    pub fn invalidate_index(&mut self) {
        self.index = None;
    }

    pub fn unlock(&mut self, pass: &SecretString) -> Result<()> {
        self.store.unlock_vault(pass)
    }

    fn index(&mut self) -> Result<&mut SearchIndex> {
        if !self.store.is_vault_unlocked() {
            self.index = None;
            return Err(Error::Locked);
        }
        if self.index.is_none() {
            self.index = Some(SearchIndex::load(&self.store)?);
        }
        self.index.as_mut().ok_or(Error::Locked)
    }

    pub fn search(&mut self, query: &str) -> Result<Vec<CredentialSummary>> {
        if query.chars().count() > 1000 {
            return Err(Error::invalid("query", "too long (at most 1000 characters)"));
        }
        Ok(self.index()?.search(query).into_iter().cloned().collect())
    }

    pub fn credential(&mut self, id: &str) -> Result<Credential> {
        self.store.get::<Credential>(id)?.ok_or_else(|| Error::NotFound { what: "credential", key: id.to_string() })
    }

    fn stored(&mut self, c: Credential) -> Result<Credential> {
        self.index()?.upsert(&c);
        Ok(c)
    }

    pub fn add(&mut self, input: &CredentialInput, now: DateTime<Utc>) -> Result<Credential> {
        self.index()?;
        let c = credential::add(&self.store, input, now)?;
        self.stored(c)
    }

    pub fn edit(&mut self, id: &str, input: &CredentialInput, now: DateTime<Utc>) -> Result<Credential> {
        self.index()?;
        let c = credential::edit(&self.store, id, input, now)?;
        self.stored(c)
    }

    pub fn restore_version(&mut self, id: &str, index: usize, now: DateTime<Utc>) -> Result<Credential> {
        self.index()?;
        let c = credential::restore_version(&self.store, id, index, now)?;
        self.stored(c)
    }

    pub fn remove(&mut self, id: &str) -> Result<Credential> {
        self.index()?;
        let c = credential::remove(&self.store, id)?;
        self.index()?.remove(&c.id);
        Ok(c)
    }

    /// Due items; vault-based kinds are left out while the vault is locked.
    /// The large collections are read in the small form the engine needs
    /// (`reminder_facts`), from their sealed copies when current: the app
    /// evaluates this every minute and after every change, `noren-cli check`
    /// once per process.
    pub fn due_items(&mut self, now: DateTime<Utc>, settings: &Settings) -> Result<Vec<DueItem>> {
        use std::sync::Arc;
        /// What the vault holds reads as empty while it is locked.
        fn vault<T: Default>(read: Result<Arc<T>>) -> Result<Arc<T>> {
            match read {
                Err(Error::Locked) => Ok(Arc::new(T::default())),
                other => other,
            }
        }
        let store = &self.store;
        let accounts = vault(store.derived_shared::<Accounts>())?;
        let backup = crate::backup::state(&crate::backup::load_settings(store)?, now);
        let channels = store.all_shared::<Channel>()?;
        let timelines = store.derived_shared::<Timelines>()?;
        let customers = vault(store.derived_shared::<CustomerNames>())?;
        let inquiries = vault(store.derived_shared::<OpenInquiries>())?;
        let incidents = vault(store.all_shared::<crate::incident::Incident>())?;
        let people = vault(store.all_shared::<crate::people::Person>())?;
        let renewals = store.all_shared::<crate::renewal::Renewal>()?;
        let shop = crate::business::load(store).ok();
        let conflicts = match crate::sync::conflicts(store) {
            Err(Error::Locked) => Vec::new(),
            other => other?,
        };
        let conflicts: Vec<reminders::EditConflict> = conflicts
            .into_iter()
            .filter(|c| c.tree == <crate::credential::Credential as crate::store::Record>::TREE)
            .map(|c| reminders::EditConflict {
                name: accounts.0.iter().find(|a| a.id == c.record_id).map(|a| a.name.clone()).unwrap_or_default(),
                id: c.id,
                credential_id: c.record_id,
                found_at: c.found_at,
            })
            .collect();
        let mut settings = settings.clone();
        let stages = crate::notify::load_settings(store)?.renewal_stages;
        if !stages.is_empty() {
            settings.renewal_stages = stages;
        }
        let settings = &settings;
        let inputs = Inputs {
            credentials: &accounts.0,
            backup: backup.as_ref(),
            channels: &channels,
            timelines: &timelines.0,
            customers: &customers.0,
            inquiries: &inquiries.0,
            renewals: &renewals,
            incidents: &incidents,
            people: &people,
            shop: shop.as_ref(),
            conflicts: &conflicts,
        };
        Ok(reminders::due_items(&inputs, now, settings))
    }
}
