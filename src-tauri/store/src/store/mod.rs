//! The encrypted store: sled underneath, every value sealed.
//!
//! Layout of a store directory:
//! - `noren.lock`: advisory lock held while a process has the store open;
//! - `noren.header`: plaintext JSON (format, KDF parameters, salt, wrapped data
//!   keys: no user data), replaced atomically (write, fsync, rename);
//! - `db/`: the sled database, opened only after the passphrase is verified.
//!   Each tree maps an opaque random record id to a sealed value whose
//!   associated data binds the tree and the id.

use std::any::Any;
use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use data_encoding::{BASE32_NOPAD, BASE64};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::crypto::Key;
use crate::crypto::{self, KdfParams};
use noren_base::error::{Error, Result};
use noren_base::secret::{with_secrets_exposed, SecretString};

mod header;
mod rekey;
mod rollback;

pub use header::STORE_FORMAT;
use header::{Header, HEADER_FILE};
pub use rekey::RekeyReport;
pub use rollback::Rollback;

const MIN_PASSPHRASE_CHARS: usize = 8;

/// Which data key seals a collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compartment {
    /// Credentials, customers, inquiries, incidents, vendor contracts.
    Vault,
    /// Channels, posts, renewals, reminder state: readable while the vault is locked.
    Calendar,
}

/// A collection stored in its own sled tree.
pub trait Record: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    const TREE: &'static str;
    const COMPARTMENT: Compartment;
    /// What the user calls one of these, for messages ("credential").
    const WHAT: &'static str;
    fn id(&self) -> &str;
    /// `Invalid` unless every field is as Noren stores it (`validate.rs`):
    /// checked before every write, whatever wrote the record (an edit, an
    /// import, a restore), so that no entry point lets through what another refuses.
    fn validate(&self) -> Result<()>;
    /// What is kept sealed next to the collection's pack, computed from the
    /// same records (the credentials' search index, the reminder engine's
    /// facts): `(Derived::NAME, Derived::encode)` of each. See `Store::derived`.
    fn derived_packs(_list: &[Self]) -> Vec<(&'static str, Zeroizing<Vec<u8>>)> {
        Vec::new()
    }
}

/// Something computed from a whole collection, kept sealed next to its pack
/// (as `<tree>#<NAME>` in `~packs`) and bound to the same write generation, so
/// that reading it never needs the collection itself and is never staler than
/// the records. List it in the collection's `Record::derived_packs`.
pub trait Derived: Sized {
    type Of: Record;
    const NAME: &'static str;
    fn derive(list: &[Self::Of]) -> Self;
    fn encode(&self) -> Zeroizing<Vec<u8>>;
    /// `None` for anything `encode` did not write (another version, damage).
    fn decode(bytes: &[u8]) -> Option<Self>;

    /// The entry for `Record::derived_packs`.
    fn pack(list: &[Self::Of]) -> (&'static str, Zeroizing<Vec<u8>>) {
        (Self::NAME, Self::derive(list).encode())
    }
}

/// A record by id, else by a key `matches` accepts (an exact name); several matches are
/// `Ambiguous`, listed with `label`.
pub fn resolve_by<T: Record>(store: &Store, key: &str, matches: impl Fn(&T, &str) -> bool, label: impl Fn(&T) -> String) -> Result<T> {
    let key = key.trim();
    if let Some(r) = store.get::<T>(key)? {
        return Ok(r);
    }
    let mut hits: Vec<T> = store.all::<T>()?.into_iter().filter(|r| matches(r, key)).collect();
    match hits.len() {
        0 => Err(Error::NotFound { what: T::WHAT, key: key.to_string() }),
        1 => Ok(hits.remove(0)),
        _ => Err(Error::Ambiguous { what: T::WHAT, key: key.to_string(), candidates: hits.iter().map(label).collect() }),
    }
}

/// A fresh opaque record id (80 random bits, lowercase base32).
pub fn new_id() -> Result<String> {
    Ok(BASE32_NOPAD.encode(&crypto::random_bytes::<10>()?).to_ascii_lowercase())
}

pub struct Store {
    dir: PathBuf,
    db: sled::Db,
    header: Header,
    vault: Option<Key>,
    calendar: Option<Key>,
    /// The data keys of the previous epoch while a re-key is under way (vault, calendar).
    previous: Option<(Key, Key)>,
    /// The passphrase's key while the vault is unlocked: a new kit re-keys
    /// without asking for the passphrase again.
    kek: Option<Key>,
    /// Where this computer remembers how far the store got (see `rollback.rs`).
    watch: Option<rollback::Watch>,
    cache: Cache,
    derived: DerivedCache,
    read_ahead: ReadAhead,
    /// The private copy read when the store's folder cannot be written.
    read_only: Option<ReadOnlyCopy>,
    /// Which handle this is and how many record writes it made (`Store::writes`).
    writes: (u64, AtomicU64),
    // Dropped last: the advisory lock outlives the database handle.
    _lock: Option<File>,
}

/// Numbers the handles opened in this process, so that two never report the same writes.
static HANDLES: AtomicU64 = AtomicU64::new(0);

/// Sealed packs read (no key needed) on another core while the key is derived:
/// every derived pack (`<tree>#<name>`: the search index the app shows first
/// after unlocking, the reminder engine's facts it evaluates next), whatever
/// the layer above declared. Taken by their first read, dropped by any write.
#[derive(Default)]
struct ReadAhead(Mutex<HashMap<String, sled::IVec>>);

impl ReadAhead {
    fn read(db: &sled::Db) -> ReadAhead {
        let mut map = HashMap::new();
        // Only a head start: a failure here is met again by the normal read.
        if let Ok(packs) = db.open_tree(PACKS) {
            for (name, sealed) in packs.iter().flatten() {
                if let Ok(name) = std::str::from_utf8(&name) {
                    if name.contains('#') {
                        map.insert(name.to_string(), sealed);
                    }
                }
            }
        }
        ReadAhead(Mutex::new(map))
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, sled::IVec>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn take(&self, name: &str) -> Option<sled::IVec> {
        self.map().remove(name)
    }

    /// Drops every copy whose name starts with `prefix`.
    fn forget(&self, prefix: &str) {
        self.map().retain(|name, _| !name.starts_with(prefix));
    }
}

type Shared = Arc<dyn Any + Send + Sync>;

/// Derived values (`Store::derived_shared`) computed in this process, each
/// with the write generation it was computed at: any write makes it stale.
/// Emptied for the vault's collections when the vault locks.
#[derive(Default)]
struct DerivedCache(Mutex<HashMap<String, (Compartment, u64, Shared)>>);

impl DerivedCache {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Compartment, u64, Shared)>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get<D: Send + Sync + 'static>(&self, name: &str, generation: u64) -> Option<Arc<D>> {
        let map = self.map();
        let (_, at, value) = map.get(name)?;
        if *at != generation {
            return None;
        }
        value.clone().downcast::<D>().ok()
    }

    fn insert(&self, name: String, compartment: Compartment, generation: u64, value: Shared) {
        self.map().insert(name, (compartment, generation, value));
    }

    fn forget_compartment(&self, c: Compartment) {
        self.map().retain(|_, (compartment, _, _)| *compartment != c);
    }
}
/// Writes a cached collection's pack (monomorphised per record type).
type SavePack = fn(&Store, &Shared) -> Result<()>;

/// One cached collection.
struct Cached {
    compartment: Compartment,
    list: Shared,
    /// Changed since its pack was written.
    dirty: bool,
    save: SavePack,
}

/// Decrypted collections kept in memory while the store is open, so that the
/// reminder engine and lists do not decrypt every record again: filled by the
/// first full read of a collection, updated in place by every write through
/// this handle, and emptied for vault collections when the vault locks. Other
/// processes cannot write meanwhile (the store's lock file excludes them).
#[derive(Default)]
struct Cache(Mutex<HashMap<&'static str, Cached>>);

impl Cache {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, Cached>> {
        // A panic elsewhere while holding the lock leaves a map that is still consistent.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get<T: Record>(&self) -> Option<Arc<Vec<T>>> {
        self.map().get(T::TREE).and_then(|c| c.list.clone().downcast::<Vec<T>>().ok())
    }

    fn insert<T: Record>(&self, list: Arc<Vec<T>>) {
        let save: SavePack = |store, list| match list.clone().downcast::<Vec<T>>() {
            Ok(list) => store.write_pack::<T>(&list),
            Err(_) => Ok(()),
        };
        self.map().insert(T::TREE, Cached { compartment: T::COMPARTMENT, list, dirty: false, save });
    }

    /// Applies a write to the cached collection, if it is cached. Records stay
    /// in id order, the order of a full read.
    fn update<T: Record>(&self, f: impl FnOnce(&mut Vec<T>)) {
        let mut map = self.map();
        if let Some(mut c) = map.remove(T::TREE) {
            if let Ok(mut list) = c.list.downcast::<Vec<T>>() {
                f(Arc::make_mut(&mut list));
                c.list = list;
                c.dirty = true;
                map.insert(T::TREE, c);
            }
        }
    }

    fn forget(&self, tree: &str) {
        self.map().remove(tree);
    }

    /// The changed collections of a compartment (all with `None`), marked saved.
    fn take_dirty(&self, compartment: Option<Compartment>) -> Vec<(Shared, SavePack)> {
        let mut map = self.map();
        let mut out = Vec::new();
        for c in map.values_mut() {
            if c.dirty && compartment.is_none_or(|k| k == c.compartment) {
                c.dirty = false;
                out.push((c.list.clone(), c.save));
            }
        }
        out
    }

    fn forget_compartment(&self, c: Compartment) {
        self.map().retain(|_, e| e.compartment != c);
    }

    fn clear(&self) {
        self.map().clear();
    }
}

/// A store that is locked against other processes but not yet unlocked:
/// only the header has been read; the database is untouched.
pub struct LockedStore {
    dir: PathBuf,
    header: Header,
    /// `None` for a folder that cannot be written: the store is then read
    /// from a private copy of its database and refuses every write.
    lock: Option<File>,
}

/// Where private copies of read-only stores go: what the front end said
/// (`set_scratch_dir`, the platform's temp folder), else /tmp.
static SCRATCH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Sets the folder for private copies of read-only stores (once, at start).
pub fn set_scratch_dir(dir: PathBuf) {
    let _ = SCRATCH.set(dir);
}

fn scratch_dir() -> PathBuf {
    SCRATCH.get().cloned().unwrap_or_else(|| PathBuf::from("/tmp"))
}

/// A private copy of a read-only store's database, removed when the store closes.
struct ReadOnlyCopy(PathBuf);

impl ReadOnlyCopy {
    fn make(dir: &Path) -> Result<ReadOnlyCopy> {
        let root =
            scratch_dir().join(format!("noren-read-only-{}", BASE32_NOPAD.encode(&crypto::random_bytes::<8>()?).to_ascii_lowercase()));
        noren_base::files::create_private_dir(&root)?;
        let copy = ReadOnlyCopy(root);
        copy_tree(&dir.join("db"), &copy.0.join("db"))?;
        Ok(copy)
    }
}

impl Drop for ReadOnlyCopy {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let io = |e| Error::io(format!("cannot copy {} to read it", from.display()), e);
    fs::create_dir_all(to).map_err(io)?;
    for e in fs::read_dir(from).map_err(io)?.flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().map_err(io)?.is_dir() {
            copy_tree(&e.path(), &dest)?;
        } else {
            fs::copy(e.path(), &dest).map_err(io)?;
        }
    }
    Ok(())
}

impl std::fmt::Debug for LockedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockedStore").field("dir", &self.dir).finish()
    }
}

impl LockedStore {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Verifies the passphrase and opens the database. Opening it (and reading
    /// ahead) needs no key, so it runs on another core while the key is derived.
    pub fn unlock(self, pass: &SecretString) -> Result<Store> {
        let (kek, opened) = derive_kek_while(&self.header, pass, || self.open_db().map(|(db, copy)| (ReadAhead::read(&db), db, copy)));
        // A wrong passphrase is reported before anything about the database.
        let kek = kek?;
        let (vault, calendar) = self.header.unwrap_keys(&kek)?;
        self.header.verify(&calendar)?;
        let previous = self.header.unwrap_previous(&kek)?;
        let (read_ahead, db, copy) = opened?;
        let mut store = self.assemble(db, read_ahead, Some(vault), calendar);
        store.read_only = copy;
        store.previous = previous;
        store.kek = Some(kek);
        store.after_full_unlock()?;
        Ok(store)
    }

    /// Opens the database with the data keys now known.
    fn into_store(self, vault: Option<Key>, calendar: Key) -> Result<Store> {
        let (db, copy) = self.open_db()?;
        let mut store = self.assemble(db, ReadAhead::default(), vault, calendar);
        store.read_only = copy;
        Ok(store)
    }

    /// The database, or for a read-only folder a private copy of it.
    fn open_db(&self) -> Result<(sled::Db, Option<ReadOnlyCopy>)> {
        if self.lock.is_some() {
            return Ok((open_sled(&self.dir)?, None));
        }
        let copy = ReadOnlyCopy::make(&self.dir)?;
        Ok((open_sled(&copy.0)?, Some(copy)))
    }

    fn assemble(self, db: sled::Db, read_ahead: ReadAhead, vault: Option<Key>, calendar: Key) -> Store {
        let LockedStore { dir, header, lock } = self;
        Store {
            dir,
            db,
            header,
            vault,
            calendar: Some(calendar),
            previous: None,
            kek: None,
            watch: None,
            cache: Cache::default(),
            derived: DerivedCache::default(),
            read_ahead,
            read_only: None,
            writes: (HANDLES.fetch_add(1, Ordering::Relaxed), AtomicU64::new(0)),
            _lock: lock,
        }
    }
}

impl LockedStore {
    /// The store's public fingerprint (printed on key files and kit shares).
    pub fn fingerprint(&self) -> String {
        self.header.fingerprint()
    }

    /// Opens the store with the emergency kit's recovery key and sets `new_pass`
    /// as its passphrase; the old passphrase stops working (the data keys are
    /// replaced, see `Store::change_passphrase`).
    pub fn recover(self, recovery_key: &[u8; 32], new_pass: &SecretString) -> Result<Store> {
        check_new_passphrase(new_pass)?;
        let (vault, calendar) = self.header.unwrap_recovery(recovery_key)?;
        self.header.verify(&calendar)?;
        let previous = self.header.unwrap_previous_recovery(recovery_key)?;
        let mut store = self.into_store(Some(vault), calendar)?;
        // A re-key cut short reads with both keys and is finished first (by `change_passphrase`).
        store.previous = previous;
        store.check_epoch()?;
        store.change_passphrase(new_pass)?;
        Ok(store)
    }
}

const CALENDAR_KEY_MAGIC: &str = "noren-calendar-key v1";

impl LockedStore {
    /// Opens only the calendar compartment with a key file written by
    /// [`Store::export_calendar_key`] (unattended reminders: the vault stays locked).
    /// The key is proved on the first record of the first of `proof_trees`
    /// (collections of the calendar compartment, named by the layer above) that has one.
    pub fn unlock_calendar(self, key_file: &Path, proof_trees: &[&str]) -> Result<Store> {
        let bad = || Error::invalid("calendar_key", format!("{} is not a Noren calendar key file", key_file.display()));
        let text = Zeroizing::new(fs::read_to_string(key_file).map_err(|e| Error::io(format!("cannot read {}", key_file.display()), e))?);
        let mut lines = text.lines();
        if lines.next() != Some(CALENDAR_KEY_MAGIC) {
            return Err(bad());
        }
        let store_id = lines.next().and_then(|l| l.strip_prefix("store ")).ok_or_else(bad)?;
        if store_id != self.header.fingerprint() {
            return Err(Error::invalid(
                "calendar_key",
                "the calendar key file belongs to another store (install the reminder timer again)",
            ));
        }
        let raw = Zeroizing::new(BASE64.decode(lines.next().ok_or_else(bad)?.trim().as_bytes()).map_err(|_| bad())?);
        let bytes: [u8; 32] = raw.as_slice().try_into().map_err(|_| bad())?;
        let calendar = crypto::key_from_bytes(bytes);
        self.header.verify(&calendar).map_err(|_| {
            Error::invalid(
                "calendar_key",
                "the calendar key file no longer opens this store (its passphrase or kit was changed since): install the reminder timer again",
            )
        })?;
        let store = self.into_store(None, calendar)?;
        store.check_epoch()?;
        // Prove the key on a stored record when there is one.
        for &tree in proof_trees {
            if let Some((k, v)) = store.db.open_tree(tree)?.first()? {
                let id = std::str::from_utf8(&k).map_err(|_| Error::Corrupt("non-text record id".into()))?.to_string();
                let key = store.key_for(Compartment::Calendar)?;
                if crypto::open(key, &aad(tree, &id), &v).is_err() {
                    return Err(Error::invalid(
                        "calendar_key",
                        "the calendar key does not open this store (install the reminder timer again)",
                    ));
                }
                break;
            }
        }
        Ok(store)
    }
}

/// The KDF parameters in a store's header (recovery keeps the store's cost).
pub fn kdf_of(dir: &Path) -> Result<KdfParams> {
    Ok(header::read(dir)?.kdf)
}

/// Derives the passphrase's key while `meanwhile` (which needs no key) runs on
/// another core: the KDF keeps one core busy for ~200 ms.
fn derive_kek_while<R: Send>(header: &Header, pass: &SecretString, meanwhile: impl FnOnce() -> R + Send) -> (Result<Key>, R) {
    std::thread::scope(|s| {
        let other = s.spawn(meanwhile);
        let kek = header.derive_kek(pass);
        (kek, other.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).field("vault_unlocked", &self.vault.is_some()).finish()
    }
}

pub fn check_new_passphrase(pass: &SecretString) -> Result<()> {
    if pass.expose().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid("passphrase", format!("must be at least {MIN_PASSPHRASE_CHARS} characters")));
    }
    if pass.expose().trim().is_empty() {
        return Err(Error::invalid("passphrase", "must not be blank"));
    }
    Ok(())
}

/// The store's lock; `None` when its folder cannot be written (read-only).
fn take_lock(dir: &Path) -> Result<Option<File>> {
    use fs2::FileExt;
    let path = dir.join("noren.lock");
    let f = match File::create(&path) {
        Ok(f) => f,
        // EROFS, or a folder of someone else's: readable, not writable.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(30) => return Ok(None),
        Err(e) => return Err(Error::io(format!("cannot create {}", path.display()), e)),
    };
    match f.try_lock_exclusive() {
        Ok(()) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.raw_os_error() == fs2::lock_contended_error().raw_os_error() => {
            Err(Error::StoreInUse(dir.to_path_buf()))
        }
        Err(e) => Err(Error::io(format!("cannot lock {}", path.display()), e)),
    }
}

/// Opens the database. The caller already holds the store's own lock
/// (`noren.lock`), so no other Noren can be using it: sled's lock failing then
/// means a handle this process just dropped is still closing (sled's flusher
/// thread lets go a moment later). That is waited out, up to three seconds.
fn open_sled(dir: &Path) -> Result<sled::Db> {
    let mut waited = 0;
    loop {
        match open_sled_once(dir) {
            Err(Error::StoreInUse(_)) if waited < 3000 => {
                std::thread::sleep(std::time::Duration::from_millis(50));
                waited += 50;
            }
            other => return other,
        }
    }
}

/// Removes the snapshots sled began and could not finish (the disk filled
/// while it wrote one). sled 0.34 renames a snapshot from `snap.<lsn>.generating`
/// to `snap.<lsn>` only when it is complete, yet its reader takes the highest
/// name of either kind, so such a leftover makes the whole store read as
/// corrupt. Only ever called while holding the store's lock.
fn remove_unfinished_snapshots(db_dir: &Path) {
    let Ok(entries) = fs::read_dir(db_dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// A sled or I/O error as the store reports it: a full disk is `DiskFull`.
/// Puts `recs` into a list kept in id order, replacing those with the same id.
fn upsert<T: Record>(list: &mut Vec<T>, recs: &[T]) {
    for rec in recs {
        match list.binary_search_by(|r| r.id().cmp(rec.id())) {
            Ok(i) => list[i] = rec.clone(),
            Err(i) => list.insert(i, rec.clone()),
        }
    }
}

fn storage_error(dir: &Path, e: Error) -> Error {
    match e {
        Error::Io { ref source, .. } if noren_base::disk::is_full(source) => Error::DiskFull {
            dir: dir.to_path_buf(),
            available: noren_base::disk::available(dir).unwrap_or(0),
            needed: noren_base::disk::WRITE_RESERVE,
        },
        other => other,
    }
}

fn open_sled_once(dir: &Path) -> Result<sled::Db> {
    let db_dir = dir.join("db");
    remove_unfinished_snapshots(&db_dir);
    // Opening writes (a snapshot, the zeroing of a torn log tail): not on a full disk.
    noren_base::disk::ensure_room(dir, 0, noren_base::disk::OPEN_RESERVE)?;
    // sled 0.34 can panic while recovering damaged files (found by scripts/crash.sh with a
    // directory copied mid-write): a damaged store must be an error, never a crash.
    let opened = noren_base::fence::quietly(|| sled::Config::new().path(&db_dir).cache_capacity(64 * 1024 * 1024).open())
        .map_err(|_| Error::Corrupt(format!("the database files in {} are damaged; restore the newest backup snapshot", dir.display())))?;
    opened.map_err(|e| match e {
        sled::Error::Io(ref io) if io.to_string().contains("could not acquire lock") => Error::StoreInUse(dir.to_path_buf()),
        sled::Error::Io(ref io) if noren_base::disk::is_full(io) => {
            remove_unfinished_snapshots(&db_dir);
            storage_error(dir, Error::from(e))
        }
        // Unreadable files at open (garbage, a format sled does not know) are damage.
        sled::Error::Io(ref io) if io.kind() == std::io::ErrorKind::PermissionDenied => Error::from(e),
        sled::Error::Io(_) | sled::Error::Corruption { .. } | sled::Error::Unsupported(_) | sled::Error::ReportableBug(_) => {
            Error::Corrupt(format!("the database files in {} are damaged ({e}); restore the newest backup snapshot", dir.display()))
        }
        other => Error::from(other),
    })
}

fn aad(tree: &str, id: &str) -> Vec<u8> {
    format!("noren/1/{tree}/{id}").into_bytes()
}

/// Sled trees of the packs and of the write generations they are bound to
/// (names no collection can have).
const PACKS: &str = "~packs";
const GENERATIONS: &str = "~generations";
/// Smaller collections are read record by record; a pack would not pay.
const PACK_MIN_RECORDS: usize = 200;

/// `bytes` cut after line ends into parts of at least `min` bytes (one part
/// when small).
fn split_at_lines(bytes: &[u8], min: usize) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = bytes;
    while rest.len() > 2 * min {
        match rest[min..].iter().position(|b| *b == b'\n') {
            Some(i) => {
                let (part, tail) = rest.split_at(min + i + 1);
                parts.push(part);
                rest = tail;
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

fn pack_aad(tree: &str, generation: u64) -> Vec<u8> {
    format!("noren/1/{PACKS}/{tree}/{generation}").into_bytes()
}

/// Key (in `~packs`) of something derived from a collection.
fn derived_key(tree: &str, name: &str) -> String {
    format!("{tree}#{name}")
}

impl Drop for Store {
    fn drop(&mut self) {
        // Collections changed in memory get a fresh pack for the next start.
        self.save_packs(None);
        self.remember_progress();
    }
}

impl Store {
    /// True when `dir` holds a store (whether or not it opens).
    pub fn exists(dir: &Path) -> bool {
        dir.join(HEADER_FILE).exists()
    }

    /// Creates a new store. Fails if one exists; on failure nothing is left behind.
    /// A new store at `dir`, created at `now`.
    pub fn init(dir: &Path, pass: &SecretString, now: DateTime<Utc>) -> Result<Store> {
        Self::init_with(dir, pass, KdfParams::DEFAULT, now)
    }

    /// `init` with explicit KDF parameters (tests and benchmarks only use weaker ones).
    pub fn init_with(dir: &Path, pass: &SecretString, kdf: KdfParams, now: DateTime<Utc>) -> Result<Store> {
        check_new_passphrase(pass)?;
        if Self::exists(dir) {
            return Err(Error::StoreExists(dir.to_path_buf()));
        }
        let created_dir = !dir.exists();
        fs::create_dir_all(dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
        }
        let result = (|| {
            noren_base::disk::ensure_room(dir, 0, noren_base::disk::WRITE_RESERVE)?;
            let lock = take_lock(dir)?.ok_or_else(|| Error::ReadOnly(dir.to_path_buf()))?;
            let salt = crypto::random_bytes::<16>()?;
            let kek = crypto::derive_kek(pass, &salt, kdf)?;
            let vault = crypto::random_key()?;
            let calendar = crypto::random_key()?;
            let mut header = Header {
                format: STORE_FORMAT,
                created_at: now,
                kdf,
                salt: header::b64(&salt),
                vault_key: String::new(),
                calendar_key: String::new(),
                epoch: 0,
                previous: None,
                recovery: None,
                previous_recovery: None,
                store_id: None,
                mac: None,
            };
            header.wrap_current(&kek, &vault, &calendar)?;
            header.seal(&calendar)?;
            // A directory left by an init that crashed before its header was
            // written holds nothing readable: start it afresh.
            let _ = fs::remove_dir_all(dir.join("db"));
            let db = open_sled(dir)?;
            db.flush()?;
            // The header goes last: until it exists, there is no store.
            header::write(dir, &header)?;
            let mut store =
                LockedStore { dir: dir.to_path_buf(), header, lock: Some(lock) }.assemble(db, ReadAhead::default(), Some(vault), calendar);
            store.kek = Some(kek);
            Ok(store)
        })();
        if result.is_err() {
            let _ = fs::remove_file(dir.join(HEADER_FILE));
            let _ = fs::remove_dir_all(dir.join("db"));
            if created_dir {
                let _ = fs::remove_dir_all(dir);
            } else {
                let _ = fs::remove_file(dir.join("noren.lock"));
            }
        }
        result
    }

    /// Opens and unlocks both compartments.
    pub fn open(dir: &Path, pass: &SecretString) -> Result<Store> {
        Self::open_locked(dir)?.unlock(pass)
    }

    /// Takes the process lock and reads the header; touches nothing else.
    pub fn open_locked(dir: &Path) -> Result<LockedStore> {
        if !Self::exists(dir) {
            return Err(Error::StoreNotFound(dir.to_path_buf()));
        }
        let lock = take_lock(dir)?;
        let header = header::read(dir)?;
        Ok(LockedStore { dir: dir.to_path_buf(), header, lock })
    }

    /// Unlocks the vault again after `lock_vault` (the passphrase is checked).
    pub fn unlock_vault(&mut self, pass: &SecretString) -> Result<()> {
        let (kek, read_ahead) = derive_kek_while(&self.header, pass, || ReadAhead::read(&self.db));
        let kek = kek?;
        let (vault, calendar) = self.header.unwrap_keys(&kek)?;
        self.previous = self.header.unwrap_previous(&kek)?;
        self.vault = Some(vault);
        self.calendar = Some(calendar);
        self.kek = Some(kek);
        self.read_ahead = read_ahead;
        Ok(())
    }

    /// Drops the vault key (auto-lock). Calendar data stays readable.
    pub fn lock_vault(&mut self) {
        self.save_packs(Some(Compartment::Vault));
        self.vault = None;
        self.kek = None;
        self.previous = None;
        self.cache.forget_compartment(Compartment::Vault);
        self.derived.forget_compartment(Compartment::Vault);
        self.read_ahead = ReadAhead::default();
    }

    pub fn is_vault_unlocked(&self) -> bool {
        self.vault.is_some()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn kdf_params(&self) -> KdfParams {
        self.header.kdf
    }

    /// When the current emergency kit was made, if there is one.
    pub fn recovery_created_at(&self) -> Option<DateTime<Utc>> {
        self.header.recovery.as_ref().map(|r| r.created_at)
    }

    pub fn fingerprint(&self) -> String {
        self.header.fingerprint()
    }

    /// Writes the calendar key to `path` (mode 0600, atomically) so that an
    /// unattended `noren-cli check` can evaluate reminders without the
    /// passphrase. It opens channels, posts and reminder state only, never the vault.
    pub fn export_calendar_key(&self, path: &Path) -> Result<()> {
        let key = self.key_for(Compartment::Calendar)?;
        let encoded = Zeroizing::new(BASE64.encode(&key.0));
        let text = Zeroizing::new(format!("{CALENDAR_KEY_MAGIC}\nstore {}\n{}\n", self.header.fingerprint(), encoded.as_str()));
        noren_base::files::create_private_dir(noren_base::files::parent(path))?;
        noren_base::files::write(path, text.as_bytes(), noren_base::files::Existing::Replace)?;
        Ok(())
    }

    /// Makes every earlier write durable (fsync).
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    fn key_for(&self, c: Compartment) -> Result<&Key> {
        match c {
            Compartment::Vault => self.vault.as_ref().ok_or(Error::Locked),
            Compartment::Calendar => self.calendar.as_ref().ok_or(Error::Locked),
        }
    }

    fn tree<T: Record>(&self) -> Result<sled::Tree> {
        Ok(self.db.open_tree(T::TREE)?)
    }

    fn seal_record<T: Record>(&self, rec: &T) -> Result<Vec<u8>> {
        let key = self.key_for(T::COMPARTMENT)?;
        let mut buf = Zeroizing::new(Vec::with_capacity(4096));
        with_secrets_exposed(|| serde_json::to_writer(&mut *buf, rec))
            .map_err(|e| Error::Storage(format!("cannot encode {}: {e}", T::WHAT)))?;
        crypto::seal(key, &aad(T::TREE, rec.id()), &buf)
    }

    /// Opens a sealed value with the compartment's key, or with the previous
    /// epoch's while a re-key is under way.
    fn open_sealed(&self, c: Compartment, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let key = self.key_for(c)?;
        match (crypto::open(key, aad, sealed), &self.previous) {
            (Err(Error::Tampered(_)), Some((v, k))) => crypto::open(if c == Compartment::Vault { v } else { k }, aad, sealed),
            (r, _) => r,
        }
    }

    fn open_record<T: Record>(&self, id: &[u8], sealed: &[u8]) -> Result<T> {
        let id = std::str::from_utf8(id).map_err(|_| Error::Corrupt(format!("non-text record id in {}", T::TREE)))?;
        let plain = self.open_sealed(T::COMPARTMENT, &aad(T::TREE, id), sealed)?;
        let rec: T = serde_json::from_slice(&plain).map_err(|e| Error::Corrupt(format!("{} {id}: {e}", T::WHAT)))?;
        if rec.id() != id {
            return Err(Error::Tampered(format!("{} {id} carries id {}", T::WHAT, rec.id())));
        }
        Ok(rec)
    }

    /// Writes one record and flushes before returning.
    pub fn put<T: Record>(&self, rec: &T) -> Result<()> {
        self.put_many(std::slice::from_ref(rec))
    }

    /// Validates a record (whatever wrote it) and seals it for its tree.
    fn checked_seal<T: Record>(&self, rec: &T) -> Result<Vec<u8>> {
        // Said with the record: reaching here, it came from an import, a backup or another device.
        noren_base::validate::id("id", rec.id()).and_then(|()| rec.validate()).map_err(|e| match e {
            Error::Invalid { field, reason } => {
                Error::Invalid { field, reason: format!("{reason} (in {} {})", T::WHAT, noren_base::validate::printable(rec.id())) }
            }
            other => other,
        })?;
        self.seal_record(rec)
    }

    /// Writes a record of one collection and one of another atomically (one
    /// sled transaction over both trees: both or neither) and flushes once:
    /// a change that touches two collections (an inquiry and its customer's
    /// timeline) is one write.
    pub fn put_pair<A: Record, B: Record>(&self, a: &A, b: &B) -> Result<()> {
        if A::TREE == B::TREE {
            return Err(Error::Storage(format!("put_pair needs two collections, got {} twice", A::TREE)));
        }
        let (tree_a, tree_b) = (self.tree::<A>()?, self.tree::<B>()?);
        let (sealed_a, sealed_b) = (self.checked_seal(a)?, self.checked_seal(b)?);
        let bytes = (sealed_a.len() + a.id().len() + sealed_b.len() + b.id().len()) as u64;
        self.writable()?;
        self.ensure_room(bytes)?;
        let _watch = noren_base::disk::Watchdog::arm(&self.dir, bytes);
        let written = self.invalidate_pack(A::TREE).and_then(|()| self.invalidate_pack(B::TREE)).and_then(|()| {
            use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
            (&tree_a, &tree_b)
                .transaction(|(ta, tb)| {
                    ta.insert(a.id().as_bytes(), sealed_a.as_slice())?;
                    tb.insert(b.id().as_bytes(), sealed_b.as_slice())?;
                    Ok::<(), ConflictableTransactionError<()>>(())
                })
                .map_err(|e| match e {
                    TransactionError::Storage(e) => Error::from(e),
                    TransactionError::Abort(()) => Error::Storage("the write was aborted".into()),
                })?;
            // As in `put_many`: memory first, then the generations.
            self.cache.update::<A>(|list| upsert(list, std::slice::from_ref(a)));
            self.cache.update::<B>(|list| upsert(list, std::slice::from_ref(b)));
            self.next_generation(A::TREE)?;
            self.next_generation(B::TREE)?;
            self.flush()
        });
        match &written {
            Ok(()) => self.wrote(),
            Err(_) => {
                self.cache.forget(A::TREE);
                self.cache.forget(B::TREE);
            }
        }
        written.map_err(|e| storage_error(&self.dir, e))
    }

    /// Writes several records atomically (one sled batch) and flushes once.
    pub fn put_many<T: Record>(&self, recs: &[T]) -> Result<()> {
        if recs.is_empty() {
            return Ok(());
        }
        let tree = self.tree::<T>()?;
        let mut batch = sled::Batch::default();
        let mut bytes = 0u64;
        for rec in recs {
            let sealed = self.checked_seal(rec)?;
            bytes += (sealed.len() + rec.id().len()) as u64;
            batch.insert(rec.id().as_bytes(), sealed);
        }
        // Before anything changes: on a full disk nothing is written at all.
        self.writable()?;
        self.ensure_room(bytes)?;
        let _watch = noren_base::disk::Watchdog::arm(&self.dir, bytes);
        let written = self.invalidate_pack(T::TREE).and_then(|()| {
            tree.apply_batch(batch)?;
            // Memory follows the records before the generation moves on: whoever
            // reads the final generation finds the new records in memory too.
            self.cache.update::<T>(|list| upsert(list, recs));
            self.next_generation(T::TREE)?;
            self.flush()
        });
        match &written {
            Ok(()) => self.wrote(),
            // Unknown how much reached the disk: the next read goes to the disk.
            Err(_) => self.cache.forget(T::TREE),
        }
        written.map_err(|e| storage_error(&self.dir, e))
    }

    /// `DiskFull` unless a write of `bytes` leaves the reserve free. sled's log
    /// may take each byte twice (a value and the segment its cleaner rewrites).
    fn ensure_room(&self, bytes: u64) -> Result<()> {
        noren_base::disk::ensure_room(&self.dir, bytes.saturating_mul(2), noren_base::disk::WRITE_RESERVE)
    }

    /// Whether an optional write of `bytes` (a cache) fits with the reserve to spare.
    fn has_room(&self, bytes: u64) -> bool {
        self.read_only.is_none() && self.ensure_room(bytes).is_ok()
    }

    /// `ReadOnly` for a store read from a folder that cannot be written.
    fn writable(&self) -> Result<()> {
        match self.read_only {
            Some(_) => Err(Error::ReadOnly(self.dir.clone())),
            None => Ok(()),
        }
    }

    /// True when the store's folder cannot be written: it is read, not changed.
    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    pub fn get<T: Record>(&self, id: &str) -> Result<Option<T>> {
        let tree = self.tree::<T>()?;
        match tree.get(id.as_bytes())? {
            Some(v) => Ok(Some(self.open_record(id.as_bytes(), &v)?)),
            None => Ok(None),
        }
    }

    /// Every record of the collection, decrypted, in id order.
    pub fn all<T: Record>(&self) -> Result<Vec<T>> {
        Ok(self.all_shared::<T>()?.as_ref().clone())
    }

    /// Every record of the collection, shared with the store's cache (no copy).
    pub fn all_shared<T: Record>(&self) -> Result<Arc<Vec<T>>> {
        // The key check comes first: a locked compartment is never served from memory.
        self.key_for(T::COMPARTMENT)?;
        if let Some(list) = self.cache.get::<T>() {
            return Ok(list);
        }
        let list = Arc::new(self.read_all::<T>()?);
        self.cache.insert(list.clone());
        Ok(list)
    }

    /// A full read: from the collection's pack when it is current, else record
    /// by record (and then a pack is written for next time).
    fn read_all<T: Record>(&self) -> Result<Vec<T>> {
        let generation = self.generation(T::TREE)?;
        if let Some(list) = self.read_pack::<T>(generation)? {
            return Ok(list);
        }
        let tree = self.tree::<T>()?;
        // Not `tree.len()` for the capacity: in sled it walks the whole tree.
        let mut out = Vec::new();
        for kv in tree.iter() {
            let (k, v) = kv?;
            out.push(self.open_record(&k, &v)?);
        }
        if out.len() >= PACK_MIN_RECORDS && self.generation(T::TREE)? == generation {
            // Only a cache: a failure here costs speed, not data.
            let _ = self.write_pack(&out);
        }
        Ok(out)
    }

    // Packs: one sealed copy of a whole collection, so that a full read is one
    // decryption and one parse instead of one per record. A pack is bound (in
    // its associated data) to the collection's write generation, which every
    // write advances, so a pack older than the records never opens; writes also
    // delete it. Records stay the source of truth; a pack is only a cache.

    /// How many writes the collection stored in `tree` has seen (persistent; any put or remove
    /// moves it on): a layer above can tell "unchanged since I last looked" without reading it.
    pub fn write_generation(&self, tree: &str) -> Result<u64> {
        self.generation(tree)
    }

    fn generation(&self, tree: &str) -> Result<u64> {
        let v = self.db.open_tree(GENERATIONS)?.get(tree.as_bytes())?;
        Ok(v.and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok()).map(u64::from_be_bytes).unwrap_or(0))
    }

    fn next_generation(&self, tree: &str) -> Result<()> {
        self.db.open_tree(GENERATIONS)?.update_and_fetch(tree.as_bytes(), |old| {
            let n = old.and_then(|v| <[u8; 8]>::try_from(v).ok()).map(u64::from_be_bytes).unwrap_or(0);
            Some(n.wrapping_add(1).to_be_bytes().to_vec())
        })?;
        Ok(())
    }

    /// Before a write: the pack goes and the generation moves on, so that no
    /// reader can pair the old pack with the new records.
    fn invalidate_pack(&self, tree: &str) -> Result<()> {
        // The generation is what keeps an old pack from opening; removing it
        // only frees the space, and must not stop the write when the pack's
        // page cannot be read (a blob file lost from a copy of the folder).
        let _ = self.remove_packs(tree);
        self.next_generation(tree)
    }

    /// Removes a collection's pack and derived packs, and any copy read ahead.
    fn remove_packs(&self, tree: &str) -> Result<()> {
        let packs = self.db.open_tree(PACKS)?;
        packs.remove(tree.as_bytes())?;
        let prefix = derived_key(tree, "");
        for key in packs.scan_prefix(prefix.as_bytes()).keys() {
            packs.remove(key?)?;
        }
        self.read_ahead.forget(&prefix);
        Ok(())
    }

    /// The pack `name` (in `~packs`), decrypted, when it opens for `generation`;
    /// `None` when there is none or it is stale or damaged.
    fn open_pack(&self, name: &str, compartment: Compartment, generation: u64) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let key = self.key_for(compartment)?;
        let sealed = match self.read_ahead.take(name) {
            Some(sealed) => sealed,
            None => match self.db.open_tree(PACKS).and_then(|packs| packs.get(name.as_bytes())) {
                Ok(Some(sealed)) => sealed,
                // Only a cache: one that cannot be read (a blob file lost from a
                // copy of the folder taken mid-write) is skipped like a stale one.
                Ok(None) | Err(_) => return Ok(None),
            },
        };
        Ok(crypto::open(key, &pack_aad(name, generation), &sealed).ok())
    }

    fn read_pack<T: Record>(&self, generation: u64) -> Result<Option<Vec<T>>> {
        // A stale or damaged pack is ignored: the records are read instead.
        let Some(plain) = self.open_pack(T::TREE, T::COMPARTMENT, generation)? else { return Ok(None) };
        // One record per line (JSON escapes newlines inside strings), so a big
        // pack splits at line ends into parts parsed on every core.
        let parsed = noren_base::par_map(split_at_lines(&plain, 1 << 20), 1, |part| {
            serde_json::Deserializer::from_slice(part).into_iter::<T>().collect::<std::result::Result<Vec<T>, _>>()
        });
        let mut list = Vec::new();
        for part in parsed {
            let Ok(part) = part else { return Ok(None) };
            list.extend(part);
        }
        Ok(Some(list))
    }

    fn write_pack<T: Record>(&self, list: &[T]) -> Result<()> {
        if list.len() < PACK_MIN_RECORDS {
            return self.remove_packs(T::TREE);
        }
        self.read_ahead.forget(&derived_key(T::TREE, ""));
        let mut buf = Zeroizing::new(Vec::with_capacity(list.len() * 512));
        with_secrets_exposed(|| {
            for rec in list {
                serde_json::to_writer(&mut *buf, rec)?;
                buf.push(b'\n');
            }
            Ok::<(), serde_json::Error>(())
        })
        .map_err(|e| Error::Storage(format!("cannot encode {}: {e}", T::WHAT)))?;
        let generation = self.generation(T::TREE)?;
        self.seal_pack(T::TREE, T::COMPARTMENT, generation, &buf)?;
        for (name, derived) in T::derived_packs(list) {
            self.seal_pack(&derived_key(T::TREE, name), T::COMPARTMENT, generation, &derived)?;
        }
        Ok(())
    }

    /// Stores `plain` sealed as the pack `name` of `generation` (see `open_pack`).
    fn seal_pack(&self, name: &str, compartment: Compartment, generation: u64, plain: &[u8]) -> Result<()> {
        // Only a cache: never what fills the disk (a read on a nearly full disk writes nothing).
        if !self.has_room(plain.len() as u64) {
            return Ok(());
        }
        let sealed = crypto::seal(self.key_for(compartment)?, &pack_aad(name, generation), plain)?;
        self.db.open_tree(PACKS)?.insert(name.as_bytes(), sealed)?;
        Ok(())
    }

    /// `D` as `derived` gives it, kept in memory until the next write to its
    /// collection (the reminder engine asks for the same facts every minute).
    pub fn derived_shared<D: Derived + Send + Sync + 'static>(&self) -> Result<Arc<D>> {
        // The key check comes first: a locked compartment is never served from memory.
        self.key_for(D::Of::COMPARTMENT)?;
        let name = derived_key(D::Of::TREE, D::NAME);
        // Read before deriving: a write meanwhile leaves the entry stale, never wrong.
        let generation = self.generation(D::Of::TREE)?;
        if let Some(d) = self.derived.get::<D>(&name, generation) {
            return Ok(d);
        }
        let d = Arc::new(self.derived::<D>()?);
        self.derived.insert(name, D::Of::COMPARTMENT, generation, d.clone());
        Ok(d)
    }

    /// `D` from its sealed copy when that is current (written with the
    /// collection's pack from exactly the records of the present write
    /// generation); else derived from the records, cached or read.
    pub fn derived<D: Derived>(&self) -> Result<D> {
        let name = derived_key(D::Of::TREE, D::NAME);
        // Read before the records: a write meanwhile leaves what is sealed below stale, never wrong.
        let generation = self.generation(D::Of::TREE)?;
        let stored = || -> Result<Option<D>> { Ok(self.open_pack(&name, D::Of::COMPARTMENT, generation)?.and_then(|b| D::decode(&b))) };
        if let Some(d) = stored()? {
            return Ok(d);
        }
        let list = match self.cache.get::<D::Of>() {
            Some(list) => list,
            None => {
                let list = self.all_shared::<D::Of>()?;
                // A full read that found no pack has just written one, with `D`.
                if let Some(d) = stored()? {
                    return Ok(d);
                }
                list
            }
        };
        let d = D::derive(&list);
        // No current sealed copy (the pack predates `D`, or the records changed
        // in memory since it was written): seal one, so that the next start
        // reads it. Only a cache: a failure here costs speed, not data.
        if list.len() >= PACK_MIN_RECORDS {
            let _ = self.seal_pack(&name, D::Of::COMPARTMENT, generation, &d.encode());
        }
        Ok(d)
    }

    /// Writes the packs of collections changed in memory (all, or one compartment's).
    fn save_packs(&self, compartment: Option<Compartment>) {
        let dirty = self.cache.take_dirty(compartment);
        if dirty.is_empty() {
            return;
        }
        for (list, save) in dirty {
            // Only a cache: a failure here costs speed, not data.
            let _ = save(self, &list);
        }
        let _ = self.db.flush();
    }

    /// This handle and the record writes (puts and removals) it has made: what
    /// a caller compares before and after an operation to learn whether it
    /// changed anything, whatever the operation was. Caches and packs do not count.
    pub fn writes(&self) -> (u64, u64) {
        (self.writes.0, self.writes.1.load(Ordering::Relaxed))
    }

    fn wrote(&self) {
        self.writes.1.fetch_add(1, Ordering::Relaxed);
    }

    pub fn count<T: Record>(&self) -> Result<usize> {
        Ok(self.tree::<T>()?.len())
    }

    /// Removes a record; returns whether it existed. Flushes before returning.
    pub fn remove<T: Record>(&self, id: &str) -> Result<bool> {
        let tree = self.tree::<T>()?;
        self.writable()?;
        self.ensure_room(0)?;
        let _watch = noren_base::disk::Watchdog::arm(&self.dir, 0);
        let removed = self.invalidate_pack(T::TREE).and_then(|()| {
            let existed = tree.remove(id.as_bytes())?.is_some();
            // As in `put_many`: memory first, then the generation.
            self.cache.update::<T>(|list| list.retain(|r| r.id() != id));
            self.next_generation(T::TREE)?;
            self.flush()?;
            Ok(existed)
        });
        match &removed {
            Ok(true) => self.wrote(),
            Ok(false) => {}
            Err(_) => self.cache.forget(T::TREE),
        }
        removed.map_err(|e| storage_error(&self.dir, e))
    }

    /// Raw access for tests of the on-disk format (tamper tests).
    #[doc(hidden)]
    pub fn raw_tree(&self, name: &str) -> Result<sled::Tree> {
        // Whatever the caller writes bypasses the caches.
        self.cache.clear();
        self.derived.map().clear();
        self.read_ahead.map().clear();
        self.db.open_tree(PACKS)?.clear()?;
        Ok(self.db.open_tree(name)?)
    }
}

impl KdfParams {
    /// The stronger of two parameter sets, field by field.
    fn max(self, other: KdfParams) -> KdfParams {
        KdfParams { m_kib: self.m_kib.max(other.m_kib), t: self.t.max(other.t), p: self.p.max(other.p) }
    }
}

#[cfg(test)]
mod tests {
    use super::split_at_lines;

    #[test]
    fn packs_split_only_after_line_ends() {
        let text: String = (0..5000).map(|i| format!("{{\"n\":{i},\"s\":\"行{i}\"}}\n")).collect();
        for min in [1, 100, 4096, 1 << 20] {
            let parts = split_at_lines(text.as_bytes(), min);
            assert_eq!(parts.concat(), text.as_bytes());
            for p in &parts[..parts.len() - 1] {
                assert!(p.ends_with(b"\n") && p.len() >= min);
            }
        }
        assert_eq!(split_at_lines(text.as_bytes(), 1 << 20).len(), 1);
        assert_eq!(split_at_lines(b"", 10), vec![&b""[..]]);
    }
}
