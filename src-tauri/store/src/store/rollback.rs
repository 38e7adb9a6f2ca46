//! An older copy of a whole store put in place (a folder copied back from a
//! USB stick, a sync engine restoring last week's version) is consistent in
//! itself, so nothing inside the store can tell. What can: this computer
//! remembers, outside the store folder, how far each store it opened had got
//! (its key epoch and its count of writes), and says so when a store comes
//! back behind that. Writes are counted by the store's write generations,
//! which are not sealed: someone who edits sled's files by hand can hide a
//! rollback (docs/security.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Store, GENERATIONS};
use noren_base::error::Result;

/// What this computer remembered of a store that is now behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Rollback {
    pub seen_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub seen_epoch: u64,
    #[ts(type = "number")]
    pub seen_writes: u64,
    #[ts(type = "number")]
    pub epoch: u64,
    #[ts(type = "number")]
    pub writes: u64,
}

impl std::fmt::Display for Rollback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "this store is an older copy than the one this computer opened on {} ({} changes then, {} now): \
             what was saved since may be missing; if no older copy was put back on purpose, restore the newest backup",
            self.seen_at.format("%Y-%m-%d %H:%M UTC"),
            self.seen_writes,
            self.writes
        )
    }
}

#[derive(Clone, Default, Serialize, Deserialize)]
struct Seen {
    stores: BTreeMap<String, SeenStore>,
}

#[derive(Clone, Serialize, Deserialize)]
struct SeenStore {
    epoch: u64,
    writes: u64,
    at: DateTime<Utc>,
}

/// Stores remembered per file (the oldest are forgotten).
const MAX_REMEMBERED: usize = 64;

fn load(path: &Path) -> Seen {
    std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

fn save(path: &Path, mut seen: Seen) -> Result<()> {
    while seen.stores.len() > MAX_REMEMBERED {
        let oldest = seen.stores.iter().min_by_key(|(_, s)| s.at).map(|(k, _)| k.clone());
        match oldest {
            Some(k) => seen.stores.remove(&k),
            None => break,
        };
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| noren_base::Error::io(format!("cannot create {}", dir.display()), e))?;
    }
    let json = serde_json::to_vec_pretty(&seen).map_err(|e| noren_base::Error::Storage(e.to_string()))?;
    noren_base::files::write(path, &json, noren_base::files::Existing::Replace).map(|_| ())
}

/// Where a store's rollback watch remembers it, and when it was last seen.
pub(super) struct Watch {
    file: PathBuf,
    now: DateTime<Utc>,
}

impl Store {
    /// Writes to this store so far (the sum of its collections' write generations).
    pub fn write_count(&self) -> u64 {
        self.db
            .open_tree(GENERATIONS)
            .map_or(0, |t| t.iter().values().flatten().filter_map(|v| <[u8; 8]>::try_from(v.as_ref()).ok()).map(u64::from_be_bytes).sum())
    }

    /// Compares the store with what `seen_file` remembers of it and remembers
    /// it now (and again when the store is closed, with the writes made
    /// meanwhile). `Some` when the store is behind: an older copy. Said once:
    /// what is remembered then is the store as it is.
    pub fn watch_rollback(&mut self, seen_file: &Path, now: DateTime<Utc>) -> Result<Option<Rollback>> {
        let id = self.fingerprint();
        let mut seen = load(seen_file);
        let (epoch, writes) = (self.key_epoch(), self.write_count());
        let behind = seen.stores.get(&id).and_then(|s| {
            (epoch < s.epoch || (epoch == s.epoch && writes < s.writes)).then_some(Rollback {
                seen_at: s.at,
                seen_epoch: s.epoch,
                seen_writes: s.writes,
                epoch,
                writes,
            })
        });
        seen.stores.insert(id, SeenStore { epoch, writes, at: now });
        // A read-only home folder only costs the watch.
        let _ = save(seen_file, seen);
        self.watch = Some(Watch { file: seen_file.to_path_buf(), now });
        Ok(behind)
    }

    /// Remembers how far the store got (called when it closes).
    pub(super) fn remember_progress(&self) {
        let Some(w) = &self.watch else { return };
        let mut seen = load(&w.file);
        seen.stores.insert(self.fingerprint(), SeenStore { epoch: self.key_epoch(), writes: self.write_count(), at: w.now });
        let _ = save(&w.file, seen);
    }
}
