//! One store on several laptops, through a folder another program replicates
//! (Syncthing, Dropbox, Google Drive, OneDrive, a NAS share, a USB stick).
//! Noren runs no server and no transport: it writes sealed, append-only files
//! of its own into the folder and merges everyone's (see `folder` for the files).
//!
//! - **After every change** (`stamp`, called by the application layer's
//!   `Vault::follow`), what differs from the last shared state gets a hybrid
//!   logical clock stamp and waits as pending; `publish` writes the pending
//!   changes into a new batch file when the folder is there. So a change keeps
//!   the time it was made, even on a laptop away from the folder for a month.
//! - **Merging** (`sync_now`) applies the other devices' batches in each
//!   device's order, never past a gap or an unreadable file. Per record the
//!   newest stamp wins on every device alike; a version that loses without
//!   its writer having seen the winner is kept as a `SyncConflict`; deletions
//!   are tombstones, so nothing deleted comes back and no older version rolls
//!   a newer one back.
//! - **Compaction**: every `COMPACT_AFTER` batches of a part a laptop writes a snapshot of
//!   what it wrote (its own newest versions and tombstones) that stands for its batches so far,
//!   then deletes those batches: a busy year stays a few hundred files. A laptop behind reads the
//!   snapshot instead of the batches it stands for; the same state results.
//! - **Keys**: each part (`Part`) has a random key; a laptop holds the parts of
//!   its scope. A new laptop joins with an invitation code, which opens the
//!   invitation file the inviter wrote; the passphrase never travels.

pub mod folder;
mod merge;
pub mod model;
pub mod notices;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use data_encoding::{BASE32_NOPAD, BASE64};
use noren_base::error::{Error, Result};
use noren_base::files::{self, Existing};
use noren_base::secret::{with_secrets_exposed, SecretString};
use noren_store::crypto::{self, KdfParams, Key};
use noren_store::store::{new_id, Compartment, Record, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

pub use merge::Entry;
pub use model::{Hlc, OpHead, Part, Scope};

use folder::Header;
use merge::{collections, Collection, Local};

const SETTINGS_ID: &str = "sync";
const META_ID: &str = "meta";
/// How long an invitation code opens its invitation.
pub const INVITE_DAYS: i64 = 7;
/// A laptop writes a snapshot of a part (and deletes the batches it stands for) once it has
/// written this many batches of the part since its last snapshot.
pub const COMPACT_AFTER: u64 = 128;

/// A part's key of one generation, as this laptop keeps it (sealed in its vault).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PartKey {
    pub part: Part,
    pub epoch: u32,
    /// 32 bytes, base64.
    pub key: SecretString,
}

impl PartKey {
    fn fresh(part: Part, epoch: u32) -> Result<PartKey> {
        Ok(PartKey { part, epoch, key: SecretString::new(BASE64.encode(&crypto::random_bytes::<32>()?)) })
    }

    fn key(&self) -> Result<Key> {
        key_of(&self.key, "sync")
    }
}

/// A 32-byte key kept as base64 in a sealed record (`what` names it in the error).
fn key_of(b64: &SecretString, what: &str) -> Result<Key> {
    let bytes = Zeroizing::new(BASE64.decode(b64.expose().as_bytes()).map_err(|_| Error::Corrupt(format!("a {what} key is not base64")))?);
    let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| Error::Corrupt(format!("a {what} key has the wrong length")))?;
    Ok(crypto::key_from_bytes(arr))
}

/// How this laptop takes part in a shared store (one record, sealed in the vault).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SyncSettings {
    pub id: String,
    /// The shared folder on this laptop.
    pub folder: String,
    /// Which shared store the folder holds (its marker's id).
    pub folder_id: String,
    /// This laptop's id in the folder.
    pub device: String,
    /// What the others see of it ("受付のノートPC").
    pub name: String,
    pub scope: Scope,
    /// The secret half of this laptop's key pair (base64), whose public half is on its device card.
    pub device_secret: SecretString,
    pub keys: Vec<PartKey>,
    /// The next sequence number of this laptop's batches, per part.
    #[serde(default)]
    pub next_seq: BTreeMap<String, u64>,
    /// The batches of each part this laptop's newest snapshot stands for (`part → seq`).
    #[serde(default)]
    pub compacted: BTreeMap<String, u64>,
    /// The last batch applied of each other laptop's part (`<device>/<part>`).
    #[serde(default)]
    pub applied: BTreeMap<String, u64>,
    /// The newest stamp made or seen here.
    #[serde(default)]
    pub clock: Hlc,
    pub joined_at: DateTime<Utc>,
    #[serde(default)]
    pub last_sync: Option<DateTime<Utc>>,
    /// What the last merge could not read, shown until it can.
    #[serde(default)]
    pub problems: Vec<Problem>,
    /// Laptops taken out of the shop, with the last batch of each part accepted from them
    /// (`part → seq`): nothing they write later is applied, and no new key reaches them.
    #[serde(default)]
    pub removed: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Record for SyncSettings {
    const TREE: &'static str = "sync";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "sync settings";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        where_in_the_folder(&self.folder, &self.folder_id, &self.device)?;
        device_name(&self.name)?;
        noren_base::validate::line("device_secret", self.device_secret.expose(), 100)
    }
}

/// The folder on this laptop, the shared store's id and this laptop's id in it, as stored.
fn where_in_the_folder(folder: &str, folder_id: &str, device: &str) -> Result<()> {
    use noren_base::validate as v;
    v::line("folder", folder, 4096)?;
    v::id("folder_id", folder_id)?;
    v::id("device", device)
}

impl SyncSettings {
    fn root(&self) -> PathBuf {
        PathBuf::from(&self.folder)
    }

    fn holds(&self, part: Part) -> bool {
        self.scope.parts().contains(&part)
    }

    /// The key of `part` of generation `epoch`.
    fn key(&self, part: Part, epoch: u32) -> Option<&PartKey> {
        self.keys.iter().find(|k| k.part == part && k.epoch == epoch)
    }

    /// The newest key of `part`: what new files are sealed with.
    fn newest(&self, part: Part) -> Option<&PartKey> {
        self.keys.iter().filter(|k| k.part == part).max_by_key(|k| k.epoch)
    }

    fn next_seq(&self, part: Part) -> u64 {
        self.next_seq.get(part.as_str()).copied().unwrap_or(1)
    }

    /// The batches of `part` this laptop's newest snapshot stands for.
    fn compacted(&self, part: Part) -> u64 {
        self.compacted.get(part.as_str()).copied().unwrap_or(0)
    }

    fn public(&self) -> Result<String> {
        Ok(BASE64.encode(&self.key_pair()?.public))
    }

    /// This laptop's key pair (its secret half sealed here, its public half on its card).
    fn key_pair(&self) -> Result<crypto::Recipient> {
        let k = PartKey { part: Part::Shop, epoch: 0, key: self.device_secret.clone() }.key()?;
        Ok(crypto::Recipient::from_secret(&k))
    }
}

fn public_of(card: &DeviceCard) -> Result<[u8; 32]> {
    let raw = BASE64.decode(card.public.as_bytes()).map_err(|_| Error::Corrupt(format!("the card of {} has no key", card.device)))?;
    raw.as_slice().try_into().map_err(|_| Error::Corrupt(format!("the card of {} has no key", card.device)))
}

/// What a keys file says: a part's new key, wrapped for each laptop that keeps it, and who is out.
#[derive(Serialize, Deserialize)]
struct Rotation {
    part: Part,
    epoch: u32,
    /// Laptops taken out, each with the last batch of this part accepted from it.
    removed: Vec<(String, u64)>,
    /// `(device, wrapped key)`, base64, wrapped by the writer for each laptop.
    wraps: Vec<(String, String)>,
    at: DateTime<Utc>,
}

fn rotation_label(folder: &str, part: Part, epoch: u32) -> String {
    format!("noren/sync/1/rotation/{folder}/{}/{epoch}", part.as_str())
}

fn keys_name(part: Part, epoch: u32) -> String {
    format!("keys-{}-{epoch:04}.nrk", part.as_str())
}

/// Per shared collection, what this laptop knows of each record (one record, sealed in the vault).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SyncMeta {
    pub id: String,
    pub trees: BTreeMap<String, BTreeMap<String, Entry>>,
    /// Each collection's write generation when its entries last matched it: a collection not
    /// written since is not read again to find what changed.
    #[serde(default)]
    pub generations: BTreeMap<String, u64>,
}

impl Record for SyncMeta {
    const TREE: &'static str = "sync_meta";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "sync state";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// A version that lost to one edited on another laptop at the same time: kept, not dropped.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SyncConflict {
    pub id: String,
    /// The collection and the record.
    pub tree: String,
    pub record_id: String,
    /// The laptop whose version was kept, and the one whose version lost.
    pub winner: Hlc,
    pub loser: Hlc,
    /// The losing version (JSON: it may hold a password).
    pub loser_record: SecretString,
    pub found_at: DateTime<Utc>,
    /// The owner looked at it and closed it.
    #[serde(default)]
    pub resolved: bool,
}

impl Record for SyncConflict {
    const TREE: &'static str = "sync_conflicts";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "edit conflict";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        noren_base::validate::id("record_id", &self.record_id)
    }
}

/// Who a laptop is, as its card in the folder says (sealed with the shop part's key).
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceCard {
    pub device: String,
    pub name: String,
    pub scope: Scope,
    /// The public half of the laptop's key pair (base64): keys for it are wrapped to this.
    pub public: String,
    pub joined_at: DateTime<Utc>,
    /// The invitation it joined with (the inviter removes the invitation file when it sees this).
    pub invitation: Option<String>,
}

/// A file the merge could not use, and why, in the folder's terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[ts(rename = "SyncProblem")]
pub struct Problem {
    /// The file, relative to the shared folder.
    pub file: String,
    /// `incomplete` (cut short or damaged: waited for), `refused` (not this shop's, moved or
    /// replayed), `unknown_key` (sealed with a key this laptop does not hold), `newer_version`,
    /// `invalid` (a record Noren does not accept), `artefact` (a sync program's copy: not read).
    pub kind: String,
    pub detail: String,
}

/// What one merge did.
#[derive(Clone, Debug, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeReport {
    /// Local changes written to the folder.
    pub published: usize,
    /// Changes of other laptops applied here.
    pub applied: usize,
    /// Batch files read and applied.
    pub files: usize,
    /// Batch files there but not yet applicable (after a gap or a problem).
    pub waiting: usize,
    /// Versions that lost to a simultaneous edit (kept as conflicts).
    pub conflicts: usize,
    pub problems: Vec<Problem>,
}

/// One laptop of the shared store.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceInfo {
    pub device: String,
    pub name: String,
    pub scope: Scope,
    /// This laptop.
    pub this: bool,
    /// When its newest file was written (the folder's time), if any.
    pub last_seen: Option<DateTime<Utc>>,
}

/// Where sharing stands on this laptop.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub shared: bool,
    pub folder: Option<String>,
    pub device: Option<String>,
    pub name: Option<String>,
    pub scope: Option<Scope>,
    /// The folder is there (a USB disk plugged in, the share mounted).
    pub reachable: bool,
    /// Changes made here, not yet in the folder.
    pub pending: usize,
    /// Batch files of other laptops not yet applied.
    pub waiting: usize,
    pub devices: Vec<DeviceInfo>,
    pub problems: Vec<Problem>,
    /// Conflicts not yet looked at.
    pub conflicts: usize,
    pub last_sync: Option<DateTime<Utc>>,
}

/// An invitation: the code is shown once and opens the invitation file in the folder.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Invitation {
    pub code: String,
    pub scope: Scope,
    pub expires_at: DateTime<Utc>,
    /// The invitation file, relative to the shared folder.
    pub file: String,
}

/// What an invitation file holds, sealed with a key derived from the code.
#[derive(Serialize, Deserialize)]
struct InviteBody {
    folder: String,
    scope: Scope,
    keys: Vec<PartKey>,
    invited_by: String,
    expires_at: DateTime<Utc>,
    /// Laptops taken out so far (and the last batch of theirs accepted).
    #[serde(default)]
    removed: BTreeMap<String, BTreeMap<String, u64>>,
}

fn device_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid("device_name", "a laptop needs a name the others recognise (e.g. \"front desk\")"));
    }
    noren_base::validate::line("device_name", name, 80)
}

pub fn settings(store: &Store) -> Result<Option<SyncSettings>> {
    store.get::<SyncSettings>(SETTINGS_ID)
}

fn meta(store: &Store) -> Result<SyncMeta> {
    Ok(store.get::<SyncMeta>(META_ID)?.unwrap_or_else(|| SyncMeta { id: META_ID.into(), ..SyncMeta::default() }))
}

/// Both records at once (one transaction: what was stamped and the clock, or neither).
fn save(store: &Store, s: &SyncSettings, m: &SyncMeta) -> Result<()> {
    store.put_pair(s, m)?;
    // What the reminders need while the vault is locked follows the folder and the newest key.
    notices::keep_link(store, s)
}

pub fn not_shared() -> Error {
    Error::invalid(
        "sync_not_shared",
        "this store is not shared: choose a shared folder (noren-cli sync setup) or join one with an invitation (noren-cli sync join)",
    )
}

fn unreachable(root: &Path) -> Error {
    Error::invalid(
        "sync_folder",
        format!(
            "the shared folder {} cannot be reached (a USB disk unplugged, a share not mounted): changes made here wait and are written when it is back",
            root.display()
        ),
    )
}

fn read_marker(root: &Path) -> Result<Option<folder::Marker>> {
    let path = root.join(folder::MARKER);
    match std::fs::read(&path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).map(Some).map_err(|_| Error::Corrupt(format!("{} is not a Noren folder marker", path.display())))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
    }
}

/// The folder as this laptop last knew it, else `unreachable`.
fn reach(s: &SyncSettings) -> Result<PathBuf> {
    let root = s.root();
    match read_marker(&root) {
        Ok(Some(m)) if m.folder == s.folder_id => Ok(root),
        Ok(Some(_)) => Err(Error::invalid("sync_folder", format!("{} now holds another shared store than this laptop's", root.display()))),
        _ => Err(unreachable(&root)),
    }
}

/// Shares this store through `root` (a folder the sync program replicates, empty of Noren files):
/// this laptop becomes its first device, with every part.
pub fn setup(store: &Store, root: &Path, name: &str, now: DateTime<Utc>) -> Result<MergeReport> {
    device_name(name)?;
    if let Some(s) = settings(store)? {
        return Err(Error::invalid("sync_shared", format!("this store is already shared through {}", s.folder)));
    }
    if !root.is_dir() {
        return Err(Error::invalid("sync_folder", format!("{} is not a folder", root.display())));
    }
    if read_marker(root)?.is_some() {
        return Err(Error::invalid(
            "sync_taken",
            format!("{} already holds a shared Noren store: join it with an invitation code (noren-cli sync join)", root.display()),
        ));
    }
    let marker = folder::Marker { format: folder::FORMAT, folder: new_id()?, created_at: now };
    let json = serde_json::to_vec_pretty(&marker).map_err(|e| Error::Storage(e.to_string()))?;
    files::write(&root.join(folder::MARKER), &json, Existing::Keep)?;
    let keys = Part::ALL.iter().map(|p| PartKey::fresh(*p, 1)).collect::<Result<Vec<_>>>()?;
    let s = new_settings(root, marker.folder, name, Scope::Everything, keys, now)?;
    begin(store, s, None, false, now)
}

fn new_settings(root: &Path, folder_id: String, name: &str, scope: Scope, keys: Vec<PartKey>, now: DateTime<Utc>) -> Result<SyncSettings> {
    Ok(SyncSettings {
        id: SETTINGS_ID.into(),
        folder: root.to_string_lossy().into_owned(),
        folder_id,
        device: new_id()?,
        name: name.trim().to_string(),
        scope,
        device_secret: SecretString::new(BASE64.encode(&crypto::random_bytes::<32>()?)),
        keys,
        next_seq: BTreeMap::new(),
        compacted: BTreeMap::new(),
        applied: BTreeMap::new(),
        clock: Hlc::default(),
        joined_at: now,
        last_sync: None,
        problems: Vec::new(),
        removed: BTreeMap::new(),
    })
}

/// A laptop's first steps in the folder: its card, then a merge. A joining laptop takes the
/// shop's records first (`import_first`), so that a default record of its own (the shop's hours)
/// does not override the shop's.
fn begin(store: &Store, s: SyncSettings, invitation: Option<String>, import_first: bool, now: DateTime<Utc>) -> Result<MergeReport> {
    let root = s.root();
    let dir = folder::device_dir(&root, &s.device);
    std::fs::create_dir_all(&dir).map_err(|e| files::fail(&root, format!("cannot create {}", dir.display()), e))?;
    let card =
        DeviceCard { device: s.device.clone(), name: s.name.clone(), scope: s.scope, public: s.public()?, joined_at: now, invitation };
    let shop = s.newest(Part::Shop).ok_or_else(|| Error::Corrupt("no key of the shop part".into()))?;
    let header = Header {
        format: folder::FORMAT,
        folder: s.folder_id.clone(),
        device: s.device.clone(),
        kind: "device".into(),
        part: Part::Shop,
        epoch: shop.epoch,
        seq: 0,
    };
    let body = serde_json::to_vec(&card).map_err(|e| Error::Storage(e.to_string()))?;
    files::write(&dir.join(folder::DEVICE_FILE), &folder::seal(&shop.key()?, &header, &body)?, Existing::Keep)?;
    let m = meta(store)?;
    save(store, &s, &m)?;
    if import_first {
        let mut report = merge_in(store, now)?;
        let out = sync_now(store, now)?;
        report.published += out.published;
        report.applied += out.applied;
        report.files += out.files;
        report.conflicts += out.conflicts;
        report.waiting = out.waiting;
        report.problems = out.problems;
        return Ok(report);
    }
    sync_now(store, now)
}

/// Notes what changed here since the last shared state: each changed, new or deleted record of
/// this laptop's parts gets a stamp and waits as pending. No folder is touched. Returns how many.
pub fn stamp(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let Some(mut s) = settings(store)? else { return Ok(0) };
    let mut m = meta(store)?;
    let seen = m.generations.clone();
    let n = stamp_into(store, &mut s, &mut m, now)?;
    if n > 0 || m.generations != seen {
        save(store, &s, &m)?;
    }
    Ok(n)
}

fn stamp_into(store: &Store, s: &mut SyncSettings, m: &mut SyncMeta, now: DateTime<Utc>) -> Result<usize> {
    let mut n = 0;
    let parts = s.scope.parts();
    for c in collections().iter().filter(|c| parts.contains(&c.part)) {
        let generation = store.write_generation(c.tree)?;
        if m.generations.get(c.tree) == Some(&generation) {
            continue;
        }
        let entries = m.trees.entry(c.tree.to_string()).or_default();
        let list = (c.list)(store)?;
        let mut present = std::collections::HashSet::with_capacity(list.len());
        for l in &list {
            present.insert(l.id.as_str());
            let changed = entries.get(&l.id).is_none_or(|e| e.deleted || e.digest != l.digest);
            if changed {
                let parent = entries.get(&l.id).map(|e| e.hlc.clone());
                s.clock = s.clock.tick(&s.device, now);
                entries
                    .insert(l.id.clone(), Entry { hlc: s.clock.clone(), parent, digest: l.digest.clone(), deleted: false, pending: true });
                n += 1;
            }
        }
        for (id, e) in entries.iter_mut() {
            if !e.deleted && !present.contains(id.as_str()) {
                s.clock = s.clock.tick(&s.device, now);
                *e = Entry { hlc: s.clock.clone(), parent: Some(e.hlc.clone()), digest: String::new(), deleted: true, pending: true };
                n += 1;
            }
        }
        m.generations.insert(c.tree.to_string(), generation);
    }
    Ok(n)
}

/// What follows every change of the store (`Vault::follow`): stamp it, and write it to the folder
/// when the folder is there. Nothing when the store is not shared. A folder that cannot be
/// reached is not an error here: the changes wait as pending.
pub fn after_change(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let Some(mut s) = settings(store)? else { return Ok(0) };
    let mut m = meta(store)?;
    let seen = m.generations.clone();
    let stamped = stamp_into(store, &mut s, &mut m, now)?;
    if stamped > 0 || m.generations != seen {
        save(store, &s, &m)?;
    }
    let Ok(root) = reach(&s) else { return Ok(0) };
    publish(store, &root, &mut s, &mut m, now)
}

/// Writes every pending change of this laptop into new batch files, one per part.
fn publish(store: &Store, root: &Path, s: &mut SyncSettings, m: &mut SyncMeta, _now: DateTime<Utc>) -> Result<usize> {
    // A new key first: nothing written from now on opens for a laptop taken out.
    receive_rotations(root, s);
    adopt_own_leftovers(root, s, m)?;
    let mut written = 0;
    for &part in s.scope.parts() {
        let mut body = folder::Body::default();
        let mut sent: Vec<(String, String)> = Vec::new();
        for c in collections().iter().filter(|c| c.part == part) {
            let Some(entries) = m.trees.get(c.tree) else { continue };
            let pending: Vec<(&String, &Entry)> = entries.iter().filter(|(_, e)| e.pending).collect();
            if pending.is_empty() {
                continue;
            }
            let list: HashMap<String, Local> = (c.list)(store)?.into_iter().map(|l| (l.id.clone(), l)).collect();
            for (id, e) in pending {
                let head =
                    OpHead { tree: c.tree.to_string(), id: id.clone(), hlc: e.hlc.clone(), parent: e.parent.clone(), deleted: e.deleted };
                let record = if e.deleted { None } else { list.get(id).filter(|l| l.digest == e.digest).map(|l| l.json.as_slice()) };
                if !e.deleted && record.is_none() {
                    // Changed again since it was stamped: the next stamp takes it.
                    continue;
                }
                body.push(&head, record)?;
                sent.push((c.tree.to_string(), id.clone()));
            }
        }
        if sent.is_empty() {
            continue;
        }
        let key = s.newest(part).ok_or_else(|| Error::Corrupt(format!("no key of the {} part", part.as_str())))?;
        let seq = s.next_seq(part);
        let header = Header {
            format: folder::FORMAT,
            folder: s.folder_id.clone(),
            device: s.device.clone(),
            kind: "batch".into(),
            part,
            epoch: key.epoch,
            seq,
        };
        let bytes = folder::seal(&key.key()?, &header, &body.0)?;
        let dir = folder::device_dir(root, &s.device);
        std::fs::create_dir_all(&dir).map_err(|e| files::fail(root, format!("cannot create {}", dir.display()), e))?;
        // Never over a file: one there is another laptop with this laptop's id (a copied store).
        files::write(&dir.join(folder::batch_name(part, seq)), &bytes, Existing::Keep).map_err(|e| match e {
            Error::Invalid { field: "file", .. } => Error::invalid(
                "sync_copy",
                format!("{} already holds batch {seq} of this laptop: is this store a copy of another laptop's? Join with an invitation instead", root.display()),
            ),
            other => other,
        })?;
        for (tree, id) in &sent {
            if let Some(e) = m.trees.get_mut(tree).and_then(|t| t.get_mut(id)) {
                e.pending = false;
            }
        }
        s.next_seq.insert(part.as_str().to_string(), seq + 1);
        save(store, s, m)?;
        written += sent.len();
        if seq >= s.compacted(part) + COMPACT_AFTER {
            // The batches are in the folder: a snapshot that cannot be written (no room) waits.
            match compact_part(store, root, s, m, part) {
                Ok(_) | Err(Error::DiskFull { .. } | Error::ReadOnly(_)) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(written)
}

/// Writes a snapshot of each part this laptop has written batches of since its last one, and
/// deletes the batches it stands for. Returns how many files were deleted. (`publish` does this
/// by itself every `COMPACT_AFTER` batches.)
pub fn compact(store: &Store) -> Result<usize> {
    let mut s = settings(store)?.ok_or_else(not_shared)?;
    let m = meta(store)?;
    let root = reach(&s)?;
    let mut removed = 0;
    for &part in s.scope.parts() {
        removed += compact_part(store, &root, &mut s, &m, part)?;
    }
    Ok(removed)
}

/// A snapshot of `part` standing for this laptop's batches so far: for every record whose version
/// here is this laptop's and is in the folder, that version (or its tombstone). A reader that
/// applies it ends where the batches would have taken it: each version left out was replaced
/// here by a newer one of another laptop, which that laptop's files carry.
fn compact_part(store: &Store, root: &Path, s: &mut SyncSettings, m: &SyncMeta, part: Part) -> Result<usize> {
    let upto = s.next_seq(part) - 1;
    let dir = folder::device_dir(root, &s.device);
    if upto > s.compacted(part) {
        let mut body = folder::Body::default();
        for c in collections().iter().filter(|c| c.part == part) {
            let Some(entries) = m.trees.get(c.tree) else { continue };
            let mine: Vec<(&String, &Entry)> = entries.iter().filter(|(_, e)| e.hlc.dev == s.device && !e.pending).collect();
            if mine.is_empty() {
                continue;
            }
            let list = index(c, store)?;
            for (id, e) in mine {
                let record = match list.get(id) {
                    _ if e.deleted => None,
                    Some(l) if l.digest == e.digest => Some(l.json.as_slice()),
                    // Changed here since it was written, not stamped yet: the next time.
                    _ => return Ok(0),
                };
                let head =
                    OpHead { tree: c.tree.to_string(), id: id.clone(), hlc: e.hlc.clone(), parent: e.parent.clone(), deleted: e.deleted };
                body.push(&head, record)?;
            }
        }
        let key = s.newest(part).ok_or_else(|| Error::Corrupt(format!("no key of the {} part", part.as_str())))?;
        let header = Header {
            format: folder::FORMAT,
            folder: s.folder_id.clone(),
            device: s.device.clone(),
            kind: "snapshot".into(),
            part,
            epoch: key.epoch,
            seq: upto,
        };
        let bytes = folder::seal(&key.key()?, &header, &body.0)?;
        std::fs::create_dir_all(&dir).map_err(|e| files::fail(root, format!("cannot create {}", dir.display()), e))?;
        match files::write(&dir.join(folder::snapshot_name(part, upto)), &bytes, Existing::Keep) {
            // One already there was written before a crash stopped the bookkeeping: it stands
            // for the same batches.
            Ok(_) | Err(Error::Invalid { field: "file", .. }) => {}
            Err(e) => return Err(e),
        }
        s.compacted.insert(part.as_str().to_string(), upto);
        save(store, s, m)?;
    }
    // The batches the newest snapshot stands for and the older snapshots (also those a crash
    // left behind).
    let upto = s.compacted(part);
    let mut removed = 0;
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let old = match (folder::parse_batch_name(&name), folder::parse_snapshot_name(&name)) {
            (Some((p, q)), _) => p == part && q <= upto,
            (_, Some((p, q))) => p == part && q < upto,
            _ => false,
        };
        if old {
            match std::fs::remove_file(e.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(files::fail(root, format!("cannot remove {}", e.path().display()), err)),
            }
        }
    }
    Ok(removed)
}

/// A batch of this laptop found at its next sequence number: written before a crash stopped the
/// bookkeeping. Its changes are in the folder: they stop being pending.
fn adopt_own_leftovers(root: &Path, s: &mut SyncSettings, m: &mut SyncMeta) -> Result<()> {
    for &part in s.scope.parts() {
        loop {
            let seq = s.next_seq(part);
            let path = folder::device_dir(root, &s.device).join(folder::batch_name(part, seq));
            if !path.exists() {
                break;
            }
            let bytes = folder::read(&path)?;
            let (h, _) = folder::peek(&bytes)?;
            let key =
                s.key(part, h.epoch).ok_or_else(|| Error::Corrupt(format!("{} is sealed with an unknown key", path.display())))?.key()?;
            let (h, body) = folder::open(&key, &bytes)?;
            if h.device != s.device || h.seq != seq || h.part != part || h.folder != s.folder_id {
                return Err(Error::Tampered(format!("{} is not this laptop's batch {seq}", path.display())));
            }
            for (head, _) in folder::changes(&body)? {
                if let Some(e) = m.trees.get_mut(&head.tree).and_then(|t| t.get_mut(&head.id)) {
                    if e.hlc == head.hlc {
                        e.pending = false;
                    }
                }
            }
            s.next_seq.insert(part.as_str().to_string(), seq + 1);
        }
    }
    Ok(())
}

/// Stamps and writes this laptop's changes, then applies the other laptops' batches.
pub fn sync_now(store: &Store, now: DateTime<Utc>) -> Result<MergeReport> {
    let mut s = settings(store)?.ok_or_else(not_shared)?;
    let mut m = meta(store)?;
    let root = reach(&s)?;
    stamp_into(store, &mut s, &mut m, now)?;
    save(store, &s, &m)?;
    // A folder with no space left (or mounted read-only) still gives what the other laptops
    // wrote; this laptop's changes wait as pending, and the report says why.
    let (published, unwritten) = match publish(store, &root, &mut s, &mut m, now) {
        Ok(n) => (n, None),
        Err(e @ (Error::DiskFull { .. } | Error::ReadOnly(_))) => {
            (0, Some(problem(&root, &folder::device_dir(&root, &s.device), "folder_full", e.to_string())))
        }
        Err(e) => return Err(e),
    };
    let mut report = import(store, &root, &mut s, &mut m, now)?;
    report.published = published;
    report.problems.extend(unwritten);
    s.last_sync = Some(now);
    s.problems = report.problems.clone();
    save(store, &s, &m)?;
    Ok(report)
}

/// Applies the other laptops' batches without writing any (a joining laptop's first step).
fn merge_in(store: &Store, now: DateTime<Utc>) -> Result<MergeReport> {
    let mut s = settings(store)?.ok_or_else(not_shared)?;
    let mut m = meta(store)?;
    let root = reach(&s)?;
    let report = import(store, &root, &mut s, &mut m, now)?;
    save(store, &s, &m)?;
    Ok(report)
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().into_owned()
}

/// The other laptops' folders (their ids), in a stable order.
fn other_devices(root: &Path, me: &str) -> Result<Vec<String>> {
    let dir = folder::devices_dir(root);
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io(format!("cannot read {}", dir.display()), e)),
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name != me && e.path().is_dir() && noren_base::validate::id("device", &name).is_ok() {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// What a device's folder holds of one part.
#[derive(Default)]
struct Listing {
    /// The sequence numbers of its batches.
    batches: Vec<u64>,
    /// Of its snapshots: the batches each stands for.
    snapshots: Vec<u64>,
    /// What sync programs left beside them.
    artefacts: Vec<String>,
}

impl Listing {
    fn of(dir: &Path, part: Part) -> Listing {
        let mut l = Listing::default();
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some((p, seq)) = folder::parse_batch_name(&name) {
                if p == part {
                    l.batches.push(seq);
                }
            } else if let Some((p, seq)) = folder::parse_snapshot_name(&name) {
                if p == part {
                    l.snapshots.push(seq);
                }
            } else if folder::is_conflict_copy(&name) && name.starts_with(part.as_str()) {
                l.artefacts.push(name);
            }
        }
        l.batches.sort_unstable();
        l.snapshots.sort_unstable();
        l
    }

    /// The newest snapshot that takes a reader who applied batches up to `done` further (for a
    /// laptop taken out, none past `last`).
    fn snapshot_after(&self, done: u64, last: Option<u64>) -> Option<u64> {
        self.snapshots.iter().copied().filter(|q| *q > done && last.is_none_or(|l| *q <= l)).max()
    }

    /// How many files a reader at `done` has still to apply.
    fn unread(&self, done: u64, last: Option<u64>) -> usize {
        let from = self.snapshot_after(done, last).unwrap_or(done);
        usize::from(from > done) + self.batches.iter().filter(|q| **q > from && last.is_none_or(|l| **q <= l)).count()
    }
}

impl MergeReport {
    /// One file applied: its changes and the conflicts it left.
    fn tally(&mut self, (changes, conflicts): (usize, usize)) {
        self.applied += changes;
        self.conflicts += conflicts;
        self.files += 1;
    }
}

/// What a file that cannot be applied (yet) is called in a report.
fn unusable(e: &Error) -> &'static str {
    match e {
        Error::Tampered(_) | Error::Corrupt(_) => "incomplete",
        Error::UnsupportedFormat { .. } => "newer_version",
        Error::Invalid { field: "sync_file", .. } => "refused",
        Error::Invalid { .. } => "invalid",
        Error::NotFound { .. } => "unknown_key",
        Error::Io { .. } => "incomplete",
        _ => "refused",
    }
}

fn problem(root: &Path, path: &Path, kind: &str, detail: impl Into<String>) -> Problem {
    Problem { file: rel(root, path), kind: kind.into(), detail: noren_base::validate::printable(&detail.into()).into_owned() }
}

/// Applies, for each other laptop and each part this laptop holds, its batches in order from the
/// first not yet applied; stops at a gap or at a file that cannot be used yet.
fn import(store: &Store, root: &Path, s: &mut SyncSettings, m: &mut SyncMeta, now: DateTime<Utc>) -> Result<MergeReport> {
    let mut report = MergeReport::default();
    report.problems.extend(receive_rotations(root, s));
    for dev in other_devices(root, &s.device)? {
        let dir = folder::device_dir(root, &dev);
        for &part in s.scope.parts() {
            let slot = format!("{dev}/{}", part.as_str());
            let listing = Listing::of(&dir, part);
            for a in &listing.artefacts {
                report.problems.push(problem(root, &dir.join(a), "artefact", "a copy a sync program made; Noren reads only the original"));
            }
            let mut done = s.applied.get(&slot).copied().unwrap_or(0);
            // A laptop taken out: what it wrote up to its removal, nothing after.
            let last = s.removed.get(&dev).map(|parts| parts.get(part.as_str()).copied().unwrap_or(0));
            // A snapshot past what was applied stands for the batches up to it.
            if let Some(upto) = listing.snapshot_after(done, last) {
                let path = dir.join(folder::snapshot_name(part, upto));
                match apply_file(store, &path, &dev, part, ("snapshot", upto), s, m, now) {
                    Ok(counts) => {
                        report.tally(counts);
                        done = upto;
                        s.applied.insert(slot.clone(), done);
                    }
                    // Not whole yet: the batches it stands for do as well while they are there.
                    Err(e) if !listing.batches.contains(&(done + 1)) => {
                        report.problems.push(problem(root, &path, unusable(&e), e.to_string()))
                    }
                    Err(_) => {}
                }
            }
            loop {
                let seq = done + 1;
                if last.is_some_and(|l| seq > l) {
                    break;
                }
                let path = dir.join(folder::batch_name(part, seq));
                if !listing.batches.contains(&seq) {
                    break;
                }
                match apply_file(store, &path, &dev, part, ("batch", seq), s, m, now) {
                    Ok(counts) => {
                        report.tally(counts);
                        done = seq;
                        s.applied.insert(slot.clone(), done);
                        // The changes and the position together, now and then: a crash applies
                        // the files since again, which changes nothing (the same stamps).
                        if report.files % 256 == 0 {
                            save(store, s, m)?;
                        }
                    }
                    Err(e) => {
                        report.problems.push(problem(root, &path, unusable(&e), e.to_string()));
                        break;
                    }
                }
            }
            report.waiting += listing.unread(done, last);
        }
    }
    Ok(report)
}

/// Opens one batch or snapshot file (`(kind, seq)`) and applies its changes. Returns (changes
/// applied, conflicts kept).
#[allow(clippy::too_many_arguments)]
fn apply_file(
    store: &Store,
    path: &Path,
    dev: &str,
    part: Part,
    (kind, seq): (&str, u64),
    s: &mut SyncSettings,
    m: &mut SyncMeta,
    now: DateTime<Utc>,
) -> Result<(usize, usize)> {
    let bytes = folder::read(path)?;
    let (h, _) = folder::peek(&bytes)?;
    let key =
        s.key(part, h.epoch).ok_or_else(|| Error::NotFound { what: "sync key", key: format!("{} {}", part.as_str(), h.epoch) })?.key()?;
    let (h, body) = folder::open(&key, &bytes)?;
    if h.folder != s.folder_id || h.device != dev || h.part != part || h.seq != seq || h.kind != kind {
        return Err(Error::invalid(
            "sync_file",
            format!(
                "the file says it is {} {} {} of device {} of folder {}: moved, replayed or from another shop",
                h.part.as_str(),
                h.kind,
                h.seq,
                h.device,
                h.folder
            ),
        ));
    }
    let changes = folder::changes(&body)?;
    let colls = collections();
    // Check every change before applying any: the file is used whole or not at all.
    for (head, _) in &changes {
        let known = colls.iter().any(|c| c.tree == head.tree && c.part == part);
        if !known {
            return Err(Error::UnsupportedFormat { found: folder::FORMAT + 1, supported: folder::FORMAT });
        }
        noren_base::validate::id("id", &head.id)?;
    }
    let mut applied = 0;
    let mut conflicts = Vec::new();
    let SyncMeta { trees, generations, .. } = m;
    for c in colls.iter().filter(|c| c.part == part) {
        let mine: Vec<&folder::Change<'_>> = changes.iter().filter(|(h, _)| h.tree == c.tree).collect();
        if mine.is_empty() {
            continue;
        }
        let entries = trees.entry(c.tree.to_string()).or_default();
        let mut local: Option<HashMap<String, Local>> = None;
        let mut puts: Vec<(&str, &[u8])> = Vec::new();
        let mut removes: Vec<&str> = Vec::new();
        let mut adopted: Vec<&OpHead> = Vec::new();
        for (head, record) in mine {
            s.clock.observe(&head.hlc);
            let win = match entries.get(&head.id) {
                None => true,
                Some(e) if e.hlc == head.hlc => false,
                Some(e) if head.hlc > e.hlc => {
                    // The version here loses; kept when its writer had not seen the winner (a
                    // laptop has seen its own versions: a snapshot skips those between).
                    let seen = head.parent.as_ref() == Some(&e.hlc) || head.hlc.dev == e.hlc.dev;
                    if !seen && !e.deleted && !head.deleted {
                        // The version about to be replaced: read, or nothing is applied (never lost).
                        if local.is_none() {
                            local = Some(index(c, store)?);
                        }
                        if let Some(mine) = local.as_ref().and_then(|l| l.get(&head.id)) {
                            conflicts.push(conflict(c.tree, &head.id, &head.hlc, &e.hlc, &mine.json, now)?);
                        }
                    }
                    true
                }
                Some(e) => {
                    // The version here wins; the arriving one is kept when both came from one parent.
                    if head.parent == e.parent && !head.deleted && !e.deleted {
                        if let Some(r) = record {
                            conflicts.push(conflict(c.tree, &head.id, &e.hlc, &head.hlc, r, now)?);
                        }
                    }
                    false
                }
            };
            if !win {
                continue;
            }
            match record {
                Some(r) => puts.push((head.id.as_str(), r)),
                None => removes.push(head.id.as_str()),
            }
            adopted.push(head);
        }
        // Unless the entries matched the records before, the next stamp still compares them.
        let matched = generation_matches(store, c.tree, generations)?;
        let digests: HashMap<String, String> = (c.apply)(store, &puts, &removes)?.into_iter().collect();
        if matched {
            generations.insert(c.tree.to_string(), store.write_generation(c.tree)?);
        }
        for head in adopted {
            let digest = digests.get(&head.id).cloned().unwrap_or_default();
            entries.insert(
                head.id.clone(),
                Entry { hlc: head.hlc.clone(), parent: head.parent.clone(), digest, deleted: head.deleted, pending: false },
            );
            applied += 1;
        }
    }
    let n = conflicts.len();
    store.put_many(&conflicts)?;
    Ok((applied, n))
}

/// Whether the entries of `tree` matched its records at the collection's current generation.
fn generation_matches(store: &Store, tree: &str, generations: &BTreeMap<String, u64>) -> Result<bool> {
    Ok(generations.get(tree) == Some(&store.write_generation(tree)?))
}

fn index(c: &Collection, store: &Store) -> Result<HashMap<String, Local>> {
    Ok((c.list)(store)?.into_iter().map(|l| (l.id.clone(), l)).collect())
}

fn conflict(tree: &str, id: &str, winner: &Hlc, loser: &Hlc, json: &[u8], now: DateTime<Utc>) -> Result<SyncConflict> {
    let name = merge::digest(format!("{tree}\0{id}\0{}\0{}\0{}", loser.ms, loser.n, loser.dev).as_bytes());
    let text = Zeroizing::new(String::from_utf8_lossy(json).into_owned());
    Ok(SyncConflict {
        id: format!("c{}", &name[..20]),
        tree: tree.into(),
        record_id: id.into(),
        winner: winner.clone(),
        loser: loser.clone(),
        loser_record: SecretString::new(text.as_str()),
        found_at: now,
        resolved: false,
    })
}

/// The conflicts not yet closed, newest first.
pub fn conflicts(store: &Store) -> Result<Vec<SyncConflict>> {
    let mut list: Vec<SyncConflict> = store.all::<SyncConflict>()?.into_iter().filter(|c| !c.resolved).collect();
    list.sort_by(|a, b| b.found_at.cmp(&a.found_at).then_with(|| a.id.cmp(&b.id)));
    Ok(list)
}

/// The owner looked at a conflict: it leaves 今日やること (the losing version stays stored).
pub fn resolve(store: &Store, id: &str) -> Result<SyncConflict> {
    let mut c = store.get::<SyncConflict>(id.trim())?.ok_or_else(|| Error::NotFound { what: SyncConflict::WHAT, key: id.to_string() })?;
    c.resolved = true;
    store.put(&c)?;
    Ok(c)
}

/// A conflict as a list shows it: no record content.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ConflictView {
    pub id: String,
    pub tree: String,
    pub record_id: String,
    /// The laptops whose versions were kept and lost (device ids).
    pub winner: String,
    pub loser: String,
    pub found_at: DateTime<Utc>,
    /// What the record is called (a login's or a customer's name), when the application
    /// layer knows it and the record is still there.
    pub name: Option<String>,
    /// The two laptops by the names their people gave them (the device id when unknown).
    pub winner_name: String,
    pub loser_name: String,
}

impl ConflictView {
    /// `laptop` names a device id; `name` is the record's label.
    pub fn new(c: &SyncConflict, name: Option<String>, laptop: impl Fn(&str) -> Option<String>) -> Self {
        ConflictView {
            id: c.id.clone(),
            tree: c.tree.clone(),
            record_id: c.record_id.clone(),
            winner: c.winner.dev.clone(),
            loser: c.loser.dev.clone(),
            found_at: c.found_at,
            name,
            winner_name: laptop(&c.winner.dev).unwrap_or_else(|| c.winner.dev.clone()),
            loser_name: laptop(&c.loser.dev).unwrap_or_else(|| c.loser.dev.clone()),
        }
    }
}

/// Where sharing stands, without writing anything to the store or the folder.
pub fn status(store: &Store) -> Result<SyncStatus> {
    let Some(s) = settings(store)? else {
        return Ok(SyncStatus {
            shared: false,
            folder: None,
            device: None,
            name: None,
            scope: None,
            reachable: false,
            pending: 0,
            waiting: 0,
            devices: Vec::new(),
            problems: Vec::new(),
            conflicts: 0,
            last_sync: None,
        });
    };
    let m = meta(store)?;
    let pending = m.trees.values().flat_map(|t| t.values()).filter(|e| e.pending).count();
    let conflicts = conflicts(store)?.len();
    let root = reach(&s);
    let mut devices =
        vec![DeviceInfo { device: s.device.clone(), name: s.name.clone(), scope: s.scope, this: true, last_seen: s.last_sync }];
    let mut waiting = 0;
    if let Ok(root) = &root {
        for dev in other_devices(root, &s.device)?.into_iter().filter(|d| !s.removed.contains_key(d)) {
            let dir = folder::device_dir(root, &dev);
            let card = read_card(&s, &dir.join(folder::DEVICE_FILE));
            let mut last_seen = None;
            for &part in s.scope.parts() {
                let done = s.applied.get(&format!("{dev}/{}", part.as_str())).copied().unwrap_or(0);
                waiting += Listing::of(&dir, part).unread(done, None);
            }
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if let Ok(t) = e.metadata().and_then(|md| md.modified()) {
                    let t: DateTime<Utc> = t.into();
                    last_seen = Some(last_seen.map_or(t, |l: DateTime<Utc>| l.max(t)));
                }
            }
            let (name, scope) = card.map(|c| (c.name, c.scope)).unwrap_or_else(|| (dev.clone(), Scope::FrontDesk));
            devices.push(DeviceInfo { device: dev, name, scope, this: false, last_seen });
        }
    }
    Ok(SyncStatus {
        shared: true,
        folder: Some(s.folder.clone()),
        device: Some(s.device.clone()),
        name: Some(s.name.clone()),
        scope: Some(s.scope),
        reachable: root.is_ok(),
        pending,
        waiting,
        devices,
        problems: s.problems.clone(),
        conflicts,
        last_sync: s.last_sync,
    })
}

/// Every laptop the folder knows, those taken out included (for a departure's checklist). Empty
/// when the store is not shared; only this laptop when the folder cannot be reached.
pub fn laptops(store: &Store) -> Result<Vec<noren_domain::people::LaptopFacts>> {
    use noren_domain::people::LaptopFacts;
    let Some(s) = settings(store)? else { return Ok(Vec::new()) };
    let mut out =
        vec![LaptopFacts { device: s.device.clone(), name: s.name.clone(), joined_at: Some(s.joined_at), removed: false, this: true }];
    if let Ok(root) = reach(&s) {
        for dev in other_devices(&root, &s.device)? {
            let card = read_card(&s, &folder::device_dir(&root, &dev).join(folder::DEVICE_FILE));
            let (name, joined_at) = card.map(|c| (c.name, Some(c.joined_at))).unwrap_or_else(|| (dev.clone(), None));
            out.push(LaptopFacts { removed: s.removed.contains_key(&dev), device: dev, name, joined_at, this: false });
        }
    }
    Ok(out)
}

fn read_card(s: &SyncSettings, path: &Path) -> Option<DeviceCard> {
    let bytes = folder::read(path).ok()?;
    let (h, _) = folder::peek(&bytes).ok()?;
    let (h, body) = folder::open(&s.key(Part::Shop, h.epoch)?.key().ok()?, &bytes).ok()?;
    let card: DeviceCard = serde_json::from_slice(&body).ok()?;
    (h.kind == "device" && h.folder == s.folder_id && card.device == h.device).then_some(card)
}

/// Takes a laptop out of the shop (it left with a person, or was lost): every part it held gets
/// a new key, wrapped for each remaining laptop only, and nothing it writes from now on is
/// applied. What it already had stays readable to it: change the passwords it knew (the
/// departure checklist). Needs a laptop of scope everything.
pub fn remove(store: &Store, device: &str, now: DateTime<Utc>) -> Result<DeviceCard> {
    let mut report = sync_now(store, now)?;
    let mut s = settings(store)?.ok_or_else(not_shared)?;
    let root = reach(&s)?;
    if s.scope != Scope::Everything {
        return Err(Error::invalid("scope", "only a laptop that holds everything can take a laptop out"));
    }
    let device = device.trim();
    if device == s.device {
        return Err(Error::invalid("device", "a laptop cannot take itself out: do it from another laptop of the shop"));
    }
    let cards: Vec<DeviceCard> = other_devices(&root, &s.device)?
        .into_iter()
        .filter(|d| !s.removed.contains_key(d))
        .filter_map(|d| read_card(&s, &folder::device_dir(&root, &d).join(folder::DEVICE_FILE)))
        .collect();
    let target = cards
        .iter()
        .find(|c| c.device == device || c.name == device)
        .cloned()
        .ok_or_else(|| Error::NotFound { what: "laptop", key: device.to_string() })?;
    let me = s.key_pair()?;
    let mut last = BTreeMap::new();
    for part in Part::ALL {
        last.insert(part.as_str().to_string(), s.applied.get(&format!("{}/{}", target.device, part.as_str())).copied().unwrap_or(0));
    }
    let dir = folder::device_dir(&root, &s.device);
    for &part in target.scope.parts() {
        let old = s.newest(part).ok_or_else(|| Error::Corrupt(format!("no key of the {} part", part.as_str())))?.clone();
        let epoch = old.epoch + 1;
        let fresh = PartKey::fresh(part, epoch)?;
        let label = rotation_label(&s.folder_id, part, epoch);
        let mut wraps = vec![(s.device.clone(), BASE64.encode(&me.wrap_for(&me.public, &label, &fresh.key()?)?))];
        for c in cards.iter().filter(|c| c.device != target.device && c.scope.parts().contains(&part)) {
            wraps.push((c.device.clone(), BASE64.encode(&me.wrap_for(&public_of(c)?, &label, &fresh.key()?)?)));
        }
        let removed = vec![(target.device.clone(), last.get(part.as_str()).copied().unwrap_or(0))];
        let body = Rotation { part, epoch, removed, wraps, at: now };
        let plain = serde_json::to_vec(&body).map_err(|e| Error::Storage(e.to_string()))?;
        let header = Header {
            format: folder::FORMAT,
            folder: s.folder_id.clone(),
            device: s.device.clone(),
            kind: "keys".into(),
            part,
            epoch: old.epoch,
            seq: u64::from(epoch),
        };
        files::write(&dir.join(keys_name(part, epoch)), &folder::seal(&old.key()?, &header, &plain)?, Existing::Keep)?;
        s.keys.push(fresh);
    }
    s.removed.insert(target.device.clone(), last);
    let m = meta(store)?;
    save(store, &s, &m)?;
    report.problems.clear();
    Ok(target)
}

/// Takes the new keys other laptops wrote for this one (`remove`), and notes who is out.
/// A keys file counts only when it opens with a key of the shop, comes from a laptop not taken
/// out, and its wrap for this laptop opens as written by that laptop. Returns what could not be used.
fn receive_rotations(root: &Path, s: &mut SyncSettings) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Ok(devices) = other_devices(root, &s.device) else { return problems };
    let Ok(me) = s.key_pair() else { return problems };
    for dev in devices {
        if s.removed.contains_key(&dev) {
            continue;
        }
        let dir = folder::device_dir(root, &dev);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("keys-") && n.ends_with(".nrk"))
            .collect();
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let Ok(bytes) = folder::read(&path) else { continue };
            let Ok((h, _)) = folder::peek(&bytes) else { continue };
            if h.kind != "keys" || h.device != dev || h.folder != s.folder_id || name != keys_name(h.part, h.seq as u32) {
                problems.push(problem(root, &path, "refused", "not a keys file of this shop"));
                continue;
            }
            let new_epoch = h.seq as u32;
            if !s.holds(h.part) {
                continue;
            }
            let Some(sealing) = s.key(h.part, h.epoch).and_then(|k| k.key().ok()) else { continue };
            let Ok((_, plain)) = folder::open(&sealing, &bytes) else {
                problems.push(problem(root, &path, "incomplete", "cannot be opened yet"));
                continue;
            };
            let Ok(body) = serde_json::from_slice::<Rotation>(&plain) else { continue };
            if body.part != h.part || body.epoch != new_epoch {
                problems.push(problem(root, &path, "refused", "its header and its content disagree"));
                continue;
            }
            let Some(card) = read_card(s, &dir.join(folder::DEVICE_FILE)) else { continue };
            let Ok(from) = public_of(&card) else { continue };
            // Who is out counts even for a laptop that has the key already (one invited later).
            for (d, last) in &body.removed {
                if *d != s.device {
                    s.removed.entry(d.clone()).or_default().insert(body.part.as_str().to_string(), *last);
                }
            }
            if s.key(body.part, body.epoch).is_some() {
                continue;
            }
            let Some((_, wrapped)) = body.wraps.iter().find(|(d, _)| *d == s.device) else {
                if body.removed.iter().any(|(d, _)| *d == s.device) {
                    problems.push(problem(root, &path, "removed", "this laptop was taken out of the shop's sharing"));
                }
                continue;
            };
            let label = rotation_label(&s.folder_id, body.part, body.epoch);
            let key = BASE64.decode(wrapped.as_bytes()).ok().and_then(|w| me.unwrap_from(&from, &label, &w).ok());
            let Some(key) = key else {
                problems.push(problem(root, &path, "refused", "its new key was not written by the laptop whose folder it is in"));
                continue;
            };
            // Kept as this laptop keeps its keys: base64, sealed in its vault.
            s.keys.push(PartKey { part: body.part, epoch: body.epoch, key: SecretString::new(BASE64.encode(&*key.expose_bytes())) });
        }
    }
    problems
}

/// A code of 160 random bits, in groups of four letters and digits (base32: no 0/1/8/9 to confuse).
fn new_code() -> Result<String> {
    let raw = BASE32_NOPAD.encode(&crypto::random_bytes::<20>()?);
    Ok(raw.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-"))
}

/// The code as typed (any case, spaces or dashes), normalised; `Invalid` if it cannot be one.
fn normal_code(code: &str) -> Result<String> {
    let c: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase();
    if c.len() != 32 || BASE32_NOPAD.decode(c.as_bytes()).is_err() {
        return Err(Error::invalid(
            "invite_code",
            "this is not an invitation code (32 letters and digits, as shown when the invitation was made)",
        ));
    }
    Ok(c)
}

/// The invitation file's name: derived from the code, revealing nothing of it.
fn invite_file(root: &Path, code: &str) -> PathBuf {
    let name = merge::digest(format!("noren/sync/1/invite-name\0{code}").as_bytes());
    folder::invites_dir(root).join(format!("{}.nri", &name[..24]))
}

const INVITE_LABEL: &str = "noren/sync/1/invite";

/// A new invitation for a laptop of `scope`, valid for `INVITE_DAYS`. The code is shown once;
/// whoever has it and the folder can join, so give it in person or by phone.
pub fn invite(store: &Store, scope: Scope, now: DateTime<Utc>) -> Result<Invitation> {
    let s = settings(store)?.ok_or_else(not_shared)?;
    let root = reach(&s)?;
    if scope.parts().iter().any(|p| !s.holds(*p)) {
        return Err(Error::invalid("scope", "a front-desk laptop can invite front-desk laptops only"));
    }
    let code = new_code()?;
    let keys: Vec<PartKey> = s.keys.iter().filter(|k| scope.parts().contains(&k.part)).cloned().collect();
    let expires_at = now + Duration::days(INVITE_DAYS);
    let body =
        InviteBody { folder: s.folder_id.clone(), scope, keys, invited_by: s.device.clone(), expires_at, removed: s.removed.clone() };
    let plain = Zeroizing::new(with_secrets_exposed(|| serde_json::to_vec(&body)).map_err(|e| Error::Storage(e.to_string()))?);
    let salt = crypto::random_bytes::<16>()?;
    let kek = crypto::derive_kek(&SecretString::new(normal_code(&code)?), &salt, KdfParams::DEFAULT)?;
    let header = Header {
        format: folder::FORMAT,
        folder: s.folder_id.clone(),
        device: s.device.clone(),
        kind: format!("invite-{}", BASE64.encode(&salt)),
        part: Part::Shop,
        epoch: 0,
        seq: 0,
    };
    let path = invite_file(&root, &normal_code(&code)?);
    std::fs::create_dir_all(folder::invites_dir(&root))
        .map_err(|e| files::fail(&root, "cannot create the invitations folder".into(), e))?;
    files::write(&path, &folder::seal(&crypto::derive_subkey(&kek, INVITE_LABEL), &header, &plain)?, Existing::Keep)?;
    Ok(Invitation { code, scope, expires_at, file: rel(&root, &path) })
}

/// Joins the shared store in `root` with an invitation code: this laptop gets the keys of the
/// invitation's scope and the shop's records. The store must not be shared yet.
pub fn join(store: &Store, root: &Path, code: &str, name: &str, now: DateTime<Utc>) -> Result<MergeReport> {
    device_name(name)?;
    if let Some(s) = settings(store)? {
        return Err(Error::invalid("sync_shared", format!("this store is already shared through {}", s.folder)));
    }
    let code = normal_code(code)?;
    let marker = read_marker(root)?.ok_or_else(|| {
        Error::invalid("sync_empty", format!("{} holds no shared Noren store (yet: has the sync program finished?)", root.display()))
    })?;
    let path = invite_file(root, &code);
    let bytes = folder::read(&path).map_err(|_| {
        Error::invalid(
            "invite_code",
            "no invitation for this code in the folder: check the code, or wait until the sync program has brought the invitation",
        )
    })?;
    let (h, _) = folder::peek(&bytes)?;
    let salt = h
        .kind
        .strip_prefix("invite-")
        .and_then(|b| BASE64.decode(b.as_bytes()).ok())
        .ok_or_else(|| Error::Corrupt("an invitation without its salt".into()))?;
    let kek = crypto::derive_kek(&SecretString::new(code.as_str()), &salt, KdfParams::DEFAULT)?;
    let (h, plain) = folder::open(&crypto::derive_subkey(&kek, INVITE_LABEL), &bytes)
        .map_err(|_| Error::invalid("invite_code", "this code does not open the invitation (damaged or not this shop's)"))?;
    let body: InviteBody = serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("an unreadable invitation".into()))?;
    if body.folder != marker.folder || h.folder != marker.folder {
        return Err(Error::invalid("invite_code", "this invitation is for another shared folder"));
    }
    if now > body.expires_at {
        return Err(Error::invalid(
            "invite_code",
            format!("this invitation expired on {}: ask for a new one", body.expires_at.format("%Y-%m-%d")),
        ));
    }
    let invitation = path.file_stem().map(|n| n.to_string_lossy().into_owned());
    let mut s = new_settings(root, marker.folder, name, body.scope, body.keys, now)?;
    s.removed = body.removed;
    begin(store, s, invitation, true, now)
}
