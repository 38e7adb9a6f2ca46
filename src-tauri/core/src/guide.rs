//! The first-week guide: what a shop must have in Noren before the day the
//! web person is gone, read from what the store already holds (so progress
//! is kept without a record of its own): the five kinds of logins, the
//! backup folder, who knows which login, the channels to watch, the kit.

use serde::Serialize;
use ts_rs::TS;

use crate::calendar::Channel;
use crate::credential::Category;
use crate::error::Result;
use crate::people::Person;
use crate::reminder_facts::Accounts;
use crate::store::Store;

/// The five kinds of logins an owner must hold, in the order they are asked for.
/// Domain and server count as one: a small shop often has them at one company.
pub const LOGIN_KINDS: [&[Category]; 5] =
    [&[Category::Website], &[Category::Sns], &[Category::Portal], &[Category::Email], &[Category::Domain, Category::Server]];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum GuideStep {
    /// The five kinds of logins (typed in, or imported from a browser or KeePass).
    Logins,
    Backup,
    /// Who knows which login: at least one person, and a login that names who knows it.
    People,
    /// A blog or SNS channel to watch.
    Channels,
    Kit,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct LoginKind {
    /// The first category of the kind (the one a new login gets).
    pub category: Category,
    pub done: bool,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct StepState {
    pub step: GuideStep,
    pub done: bool,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Guide {
    pub logins: Vec<LoginKind>,
    pub steps: Vec<StepState>,
    pub done: usize,
    pub total: usize,
}

/// What is done so far. Vault and calendar must be open.
pub fn progress(store: &Store) -> Result<Guide> {
    let accounts = store.derived::<Accounts>()?.0;
    let logins: Vec<LoginKind> = LOGIN_KINDS
        .iter()
        .map(|kinds| LoginKind { category: kinds[0], done: accounts.iter().any(|a| kinds.contains(&a.category)) })
        .collect();
    let people = store.count::<Person>()? > 0 && accounts.iter().any(|a| !a.known_by.is_empty());
    let steps = vec![
        StepState { step: GuideStep::Logins, done: logins.iter().all(|l| l.done) },
        StepState { step: GuideStep::Backup, done: crate::backup::load_settings(store)?.auto_dir.is_some() },
        StepState { step: GuideStep::People, done: people },
        StepState { step: GuideStep::Channels, done: store.count::<Channel>()? > 0 },
        StepState { step: GuideStep::Kit, done: store.recovery_created_at().is_some() },
    ];
    let done = steps.iter().filter(|s| s.done).count();
    Ok(Guide { logins, total: steps.len(), done, steps })
}
