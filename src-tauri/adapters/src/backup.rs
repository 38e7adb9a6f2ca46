//! Encrypted backups: a standard age file around a readable JSON document.
//!
//! The document (format "noren-backup", version 1) is described for humans in
//! docs/backup-format.md. Export writes to a temporary file in the target
//! directory, fsyncs it and renames it into place, so a failed export never
//! leaves a partial file under the final name. Restore builds a new store in
//! a temporary directory and renames it into place: it completes or leaves
//! nothing.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use zeroize::Zeroizing;

use noren_base::error::{Error, Result};
use noren_base::secret::{with_secrets_exposed, SecretString};
use noren_domain::credentials::credential::Credential;
use noren_domain::customers::business::ShopHours;
use noren_domain::customers::customer::Customer;
use noren_domain::customers::inquiry::{Inquiry, Template};
use noren_domain::posting::calendar::{Channel, Post};
use noren_reminders::notify::NotifySettings;
use noren_store::store::{Record, Store};

pub const FORMAT: &str = "noren-backup";
pub const VERSION: u32 = 1;
/// Refuse to decrypt documents larger than this (a hostile or wrong file).
const MAX_DOCUMENT: u64 = 2 * 1024 * 1024 * 1024;

/// The plaintext inside a backup. Field order is the order people read it in.
#[derive(Serialize, Deserialize)]
pub struct Document {
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub app_version: String,
    #[serde(default)]
    pub readme: String,
    /// Number of records per collection, checked on verify and restore.
    pub counts: BTreeMap<String, usize>,
    /// SHA-256 (hex) of each collection's compact JSON, checked on verify.
    #[serde(default)]
    pub checksums: BTreeMap<String, String>,
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// Posting channels and their posts (done and planned).
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub posts: Vec<Post>,
    /// Customers (contacts, agreements, timeline), inquiries and reply templates.
    #[serde(default)]
    pub customers: Vec<Customer>,
    #[serde(default)]
    pub inquiries: Vec<Inquiry>,
    #[serde(default)]
    pub templates: Vec<Template>,
    /// Vendors and contracts, renewals (domain, SSL, cards …) and the incident log.
    #[serde(default)]
    pub vendors: Vec<noren_domain::vendors::vendor::Vendor>,
    #[serde(default)]
    pub renewals: Vec<noren_domain::vendors::renewal::Renewal>,
    #[serde(default)]
    pub incidents: Vec<noren_domain::vendors::incident::Incident>,
    /// People who know the accounts, and who has left.
    #[serde(default)]
    pub people: Vec<noren_domain::people::Person>,
    /// Store settings (automatic backup folder, retention, recipients).
    #[serde(default)]
    pub settings: DocumentSettings,
}

/// The `settings` section of a backup document.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct DocumentSettings {
    #[serde(default)]
    pub backup_dir: Option<String>,
    #[serde(default)]
    pub backup_keep: Option<u32>,
    #[serde(default)]
    pub backup_recipients: Vec<String>,
    /// Notification preferences (quiet hours, feed sync interval).
    #[serde(default)]
    pub notify: Option<NotifySettings>,
    /// Business hours and closed days (reply deadlines).
    #[serde(default)]
    pub shop: Option<ShopHours>,
}

const README: &str = "Noren backup (format noren-backup v1). Everything is in plain text: keep this \
decrypted file safe and delete it when done. 'credentials' lists every login with its password \
and password history; 'channels' and 'posts' are the posting calendar; 'customers', 'inquiries' and 'templates' the customer record; 'vendors', 'renewals' and 'incidents' the vendors, dates that must not lapse and the incident log. Times are UTC (RFC 3339). See docs/backup-format.md.";

/// How the backup is (or was) encrypted.
pub enum Protection {
    /// age scrypt passphrase.
    Passphrase(SecretString),
    /// age X25519 or ssh public keys, as text (`age1…`, `ssh-ed25519 …`).
    Recipients(Vec<String>),
}

/// How to open a backup.
pub enum Unlock {
    Passphrase(SecretString),
    /// An age identity file (as made by `age-keygen`) or an ssh private key.
    IdentityFile(PathBuf),
}

/// What verify and restore report.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Report {
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub counts: BTreeMap<String, usize>,
    #[ts(type = "number")]
    pub bytes: u64,
}

fn checksum<T: Serialize>(items: &T) -> Result<String> {
    let json = Zeroizing::new(with_secrets_exposed(|| serde_json::to_vec(items)).map_err(|e| Error::Storage(e.to_string()))?);
    Ok(Sha256::digest(&*json).iter().map(|b| format!("{b:02x}")).collect())
}

/// Collects every collection of the store into a document.
pub fn document(store: &Store, now: DateTime<Utc>) -> Result<Document> {
    let mut counts = BTreeMap::new();
    let mut checksums = BTreeMap::new();
    let credentials = collect::<Credential>(store, &mut counts, &mut checksums)?;
    let channels = collect::<Channel>(store, &mut counts, &mut checksums)?;
    let posts = collect::<Post>(store, &mut counts, &mut checksums)?;
    let customers = collect::<Customer>(store, &mut counts, &mut checksums)?;
    let inquiries = collect::<Inquiry>(store, &mut counts, &mut checksums)?;
    let templates = collect::<Template>(store, &mut counts, &mut checksums)?;
    let vendors = collect::<noren_domain::vendors::vendor::Vendor>(store, &mut counts, &mut checksums)?;
    let renewals = collect::<noren_domain::vendors::renewal::Renewal>(store, &mut counts, &mut checksums)?;
    let incidents = collect::<noren_domain::vendors::incident::Incident>(store, &mut counts, &mut checksums)?;
    let people = collect::<noren_domain::people::Person>(store, &mut counts, &mut checksums)?;
    let bs = load_settings(store)?;
    let settings = DocumentSettings {
        backup_dir: bs.auto_dir,
        backup_keep: Some(bs.keep),
        backup_recipients: bs.recipients,
        notify: Some(noren_reminders::notify::load_settings(store)?),
        shop: Some(noren_domain::customers::business::load(store)?),
    };
    Ok(Document {
        settings,
        format: FORMAT.into(),
        version: VERSION,
        exported_at: now,
        app_version: env!("CARGO_PKG_VERSION").into(),
        readme: README.into(),
        counts,
        checksums,
        credentials,
        channels,
        posts,
        customers,
        inquiries,
        templates,
        vendors,
        renewals,
        incidents,
        people,
    })
}

/// Every record of one collection, sorted by id, with its count and checksum.
fn collect<T: Record>(store: &Store, counts: &mut BTreeMap<String, usize>, sums: &mut BTreeMap<String, String>) -> Result<Vec<T>> {
    let mut v = store.all::<T>()?;
    v.sort_by(|a, b| a.id().cmp(b.id()));
    counts.insert(T::TREE.to_string(), v.len());
    sums.insert(T::TREE.to_string(), checksum(&v)?);
    Ok(v)
}

/// Checks a collection against the document's count and checksum, and its ids.
fn check_collection<T: Record>(doc_counts: &BTreeMap<String, usize>, sums: &BTreeMap<String, String>, items: &[T]) -> Result<()> {
    let name = T::TREE;
    let claimed = doc_counts.get(name).copied().unwrap_or(items.len());
    if claimed != items.len() {
        return Err(Error::Corrupt(format!("backup says {claimed} {name} but holds {}", items.len())));
    }
    if let Some(want) = sums.get(name) {
        if *want != checksum(&items)? {
            return Err(Error::Corrupt(format!("{name} checksum does not match")));
        }
    }
    let mut ids = std::collections::HashSet::new();
    for c in items {
        if noren_base::validate::id("id", c.id()).is_err() || !ids.insert(c.id()) {
            return Err(Error::Corrupt(format!(
                "{} id {:?} is not a record id or is repeated",
                T::WHAT,
                noren_base::validate::printable(&c.id().chars().take(80).collect::<String>())
            )));
        }
        // The same rules as every other way in: a restore writes nothing an edit would refuse.
        c.validate().map_err(|e| {
            Error::Corrupt(format!(
                "the backup holds a {} ({}) that Noren does not accept: {}",
                T::WHAT,
                c.id(),
                noren_base::validate::printable(&e.to_string().chars().take(300).collect::<String>())
            ))
        })?;
    }
    Ok(())
}

/// The document as pretty UTF-8 JSON (the plaintext of a backup).
pub fn to_json(doc: &Document) -> Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(Vec::with_capacity(64 * 1024));
    with_secrets_exposed(|| serde_json::to_writer_pretty(&mut *buf, doc)).map_err(|e| Error::Storage(e.to_string()))?;
    buf.push(b'\n');
    Ok(buf)
}

/// Parses and checks a plaintext document.
pub fn from_json(bytes: &[u8]) -> Result<Document> {
    let doc: Document = serde_json::from_slice(bytes).map_err(|e| Error::Corrupt(format!("backup is not a Noren backup document: {e}")))?;
    if doc.format != FORMAT {
        return Err(Error::Corrupt(format!("backup format is {:?}, expected {FORMAT:?}", doc.format)));
    }
    if doc.version > VERSION {
        return Err(Error::UnsupportedFormat { found: doc.version, supported: VERSION });
    }
    check_collection(&doc.counts, &doc.checksums, &doc.credentials)?;
    check_collection(&doc.counts, &doc.checksums, &doc.channels)?;
    check_collection(&doc.counts, &doc.checksums, &doc.posts)?;
    check_collection(&doc.counts, &doc.checksums, &doc.customers)?;
    check_collection(&doc.counts, &doc.checksums, &doc.inquiries)?;
    check_collection(&doc.counts, &doc.checksums, &doc.templates)?;
    check_collection(&doc.counts, &doc.checksums, &doc.vendors)?;
    check_collection(&doc.counts, &doc.checksums, &doc.renewals)?;
    check_collection(&doc.counts, &doc.checksums, &doc.incidents)?;
    check_collection(&doc.counts, &doc.checksums, &doc.people)?;
    for c in &doc.credentials {
        if c.name.trim().is_empty() {
            return Err(Error::Corrupt(format!("credential {} has no name", c.id)));
        }
    }
    Ok(doc)
}

fn parse_recipients(list: &[String]) -> Result<Vec<Box<dyn age::Recipient + Send>>> {
    let mut out: Vec<Box<dyn age::Recipient + Send>> = Vec::new();
    for r in list {
        let r = r.trim();
        if let Ok(x) = r.parse::<age::x25519::Recipient>() {
            out.push(Box::new(x));
        } else if let Ok(s) = r.parse::<age::ssh::Recipient>() {
            out.push(Box::new(s));
        } else if r.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") || r.contains("PRIVATE KEY") {
            // Never repeated: a secret pasted where the public key belongs.
            return Err(Error::invalid(
                "recipient",
                "this is a private key (AGE-SECRET-KEY-… / PRIVATE KEY): give the public key (age1… or ssh-…) and keep the private one secret",
            ));
        } else {
            let shown: String = r.chars().take(24).collect();
            return Err(Error::invalid(
                "recipient",
                format!("{:?}… is not an age public key (age1…) or an ssh public key", noren_base::validate::printable(&shown)),
            ));
        }
    }
    if out.is_empty() {
        return Err(Error::invalid("recipient", "no recipients given"));
    }
    Ok(out)
}

/// Encrypts `plaintext` into `out` as an age file.
pub fn encrypt_to<W: Write>(plaintext: &[u8], protection: &Protection, out: W) -> Result<W> {
    let encryptor = match protection {
        Protection::Passphrase(p) => age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(p.expose().to_string())),
        Protection::Recipients(list) => {
            let recipients = parse_recipients(list)?;
            age::Encryptor::with_recipients(recipients.iter().map(|r| r.as_ref() as &dyn age::Recipient))
                .map_err(|e| Error::invalid("recipient", e.to_string()))?
        }
    };
    let io = |e: std::io::Error| Error::io("writing the backup", e);
    let mut w = encryptor.wrap_output(out).map_err(io)?;
    w.write_all(plaintext).map_err(io)?;
    w.finish().map_err(io)
}

/// Decrypts an age file to its plaintext.
pub fn decrypt_from<R: Read>(input: R, unlock: &Unlock) -> Result<Zeroizing<Vec<u8>>> {
    let decryptor = age::Decryptor::new(input).map_err(|e| Error::Corrupt(format!("not a readable age file: {e}")))?;
    let map_err = |e: age::DecryptError| match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys | age::DecryptError::KeyDecryptionFailed => {
            Error::WrongPassphrase
        }
        age::DecryptError::ExcessiveWork { .. } => Error::Corrupt("the file asks for excessive scrypt work".into()),
        other => Error::Corrupt(format!("cannot decrypt: {other}")),
    };
    let mut reader = match unlock {
        Unlock::Passphrase(p) => {
            if !decryptor.is_scrypt() {
                return Err(Error::invalid("backup", "this backup is encrypted to keys, not a passphrase: give an identity file"));
            }
            let id = age::scrypt::Identity::new(age::secrecy::SecretString::from(p.expose().to_string()));
            decryptor.decrypt(std::iter::once(&id as &dyn age::Identity)).map_err(map_err)?
        }
        Unlock::IdentityFile(path) => {
            if decryptor.is_scrypt() {
                return Err(Error::invalid("backup", "this backup is passphrase-protected: give the passphrase"));
            }
            let ids = read_identities(path)?;
            decryptor.decrypt(ids.iter().map(|i| i.as_ref() as &dyn age::Identity)).map_err(map_err)?
        }
    };
    let mut out = Zeroizing::new(Vec::new());
    (&mut reader).take(MAX_DOCUMENT).read_to_end(&mut out).map_err(|e| Error::Corrupt(format!("backup is damaged or truncated: {e}")))?;
    Ok(out)
}

fn read_identities(path: &Path) -> Result<Vec<Box<dyn age::Identity + Send + Sync>>> {
    let text = Zeroizing::new(fs::read_to_string(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?);
    if text.contains("BEGIN OPENSSH PRIVATE KEY") || text.contains("BEGIN RSA PRIVATE KEY") {
        let id = age::ssh::Identity::from_buffer(text.as_bytes(), Some(path.display().to_string()))
            .map_err(|e| Error::invalid("identity", format!("unreadable ssh key: {e}")))?;
        return Ok(vec![Box::new(id)]);
    }
    let file = age::IdentityFile::from_buffer(text.as_bytes())
        .map_err(|e| Error::invalid("identity", format!("unreadable identity file: {e}")))?;
    let ids = file.into_identities().map_err(|e| Error::invalid("identity", e.to_string()))?;
    if ids.is_empty() {
        return Err(Error::invalid("identity", "no keys in the identity file"));
    }
    Ok(ids)
}

/// Removes what killed restores and recoveries left next to `target`
/// (`.<name>.restoring-…`, `.<name>.recovering-…`): a folder whose store lock
/// can be taken has no process any more; one with no lock file at all is left
/// for a minute (a restore that is just starting).
fn remove_restore_leftovers(target: &Path) {
    let dir = noren_base::files::parent(target);
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.starts_with('.') && (name.contains(".restoring-") || name.contains(".recovering-"))) {
            continue;
        }
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let lock = e.path().join("noren.lock");
        let dead = match File::open(&lock) {
            Ok(f) => fs2::FileExt::try_lock_exclusive(&f).is_ok(),
            Err(_) => e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|a| a.as_secs() > 60)),
        };
        if dead {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

fn temp_sibling(path: &Path, tag: &str) -> Result<PathBuf> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| Error::invalid("file", "no file name"))?.to_string_lossy();
    let rand = data_encoding::HEXLOWER.encode(&noren_store::crypto::random_bytes::<6>()?);
    Ok(dir.join(format!(".{name}.{tag}-{rand}")))
}

fn sync_dir(path: &Path) {
    noren_base::files::sync_dir(noren_base::files::parent(path));
}

/// Writes a plain file (a report, a calendar export) atomically and owner-only
/// (`files::write`): a crash never leaves half a file.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    noren_base::files::write(path, bytes, noren_base::files::Existing::Replace).map(|_| ())
}

/// Writes `plaintext` encrypted to `path` atomically and owner-only; `wrap`
/// lets tests inject a failing writer between the encryptor and the file.
pub fn write_file_with<W: IntoFile>(path: &Path, plaintext: &[u8], protection: &Protection, wrap: impl FnOnce(File) -> W) -> Result<u64> {
    let mut failure = None;
    let written = noren_base::files::write_with(path, noren_base::files::Existing::Replace, |file| {
        match encrypt_to(plaintext, protection, wrap(file)) {
            Ok(w) => w.into_file(),
            Err(e) => {
                failure = Some(e);
                Err(std::io::Error::other("encryption failed"))
            }
        }
    });
    match (written, failure) {
        (_, Some(e)) => Err(e),
        (w, None) => w,
    }
}

/// A writer that ends in a file (so it can be synced after encryption).
pub trait IntoFile: Write {
    fn into_file(self) -> std::io::Result<File>;
}

impl IntoFile for File {
    fn into_file(self) -> std::io::Result<File> {
        Ok(self)
    }
}

impl IntoFile for std::io::BufWriter<File> {
    fn into_file(self) -> std::io::Result<File> {
        self.into_inner().map_err(|e| e.into_error())
    }
}

/// Exports the whole store to `path`.
pub fn export(store: &Store, path: &Path, protection: &Protection, now: DateTime<Utc>) -> Result<Report> {
    let doc = document(store, now)?;
    let json = to_json(&doc)?;
    let bytes = write_file_with(path, &json, protection, |f| std::io::BufWriter::with_capacity(1 << 20, f))?;
    Ok(Report { version: doc.version, exported_at: doc.exported_at, counts: doc.counts, bytes })
}

fn open_file(path: &Path) -> Result<(File, u64)> {
    let f = File::open(path).map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    Ok((f, len))
}

/// Decrypts and checks a backup without touching any store.
pub fn verify(path: &Path, unlock: &Unlock) -> Result<Report> {
    let (f, bytes) = open_file(path)?;
    let plain = decrypt_from(std::io::BufReader::new(f), unlock)?;
    let doc = from_json(&plain)?;
    Ok(Report { version: doc.version, exported_at: doc.exported_at, counts: doc.counts, bytes })
}

/// Builds a new store at `into` from a backup. Never touches an existing store.
/// `now`: when the new store is created.
pub fn restore(path: &Path, unlock: &Unlock, into: &Path, new_pass: &SecretString, now: DateTime<Utc>) -> Result<Report> {
    restore_with(path, unlock, into, new_pass, noren_store::crypto::KdfParams::DEFAULT, now)
}

#[doc(hidden)]
pub fn restore_with(
    path: &Path,
    unlock: &Unlock,
    into: &Path,
    new_pass: &SecretString,
    kdf: noren_store::crypto::KdfParams,
    now: DateTime<Utc>,
) -> Result<Report> {
    noren_store::store::check_new_passphrase(new_pass)?;
    if Store::exists(into) {
        return Err(Error::StoreExists(into.to_path_buf()));
    }
    if into.exists() && fs::read_dir(into).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Error::invalid("into", format!("{} exists and is not empty; choose a new folder", into.display())));
    }
    let (f, bytes) = open_file(path)?;
    let plain = decrypt_from(std::io::BufReader::new(f), unlock)?;
    let doc = from_json(&plain)?;
    drop(plain);
    remove_restore_leftovers(into);
    let tmp = temp_sibling(into, "restoring")?;
    let result: Result<()> = (|| {
        {
            let store = Store::init_with(&tmp, new_pass, kdf, now)?;
            store.put_many(&doc.credentials)?;
            store.put_many(&doc.channels)?;
            store.put_many(&doc.posts)?;
            store.put_many(&doc.customers)?;
            store.put_many(&doc.inquiries)?;
            store.put_many(&doc.templates)?;
            store.put_many(&doc.vendors)?;
            store.put_many(&doc.renewals)?;
            store.put_many(&doc.incidents)?;
            store.put_many(&doc.people)?;
            let s = &doc.settings;
            if let Some(n) = &s.notify {
                noren_reminders::notify::save_settings(&store, n)?;
            }
            if let Some(h) = &s.shop {
                noren_domain::customers::business::save(&store, h)?;
            }
            if s.backup_dir.is_some() || s.backup_keep.is_some() || !s.backup_recipients.is_empty() {
                let keep = s.backup_keep.unwrap_or_else(default_keep).clamp(1, 365);
                configure(&store, s.backup_dir.as_deref().map(Path::new), keep, s.backup_recipients.clone())?;
            }
            store.flush()?;
        }
        let _ = fs::remove_file(tmp.join("noren.lock"));
        if into.exists() {
            fs::remove_dir(into).map_err(|e| Error::io(format!("cannot replace empty {}", into.display()), e))?;
        }
        fs::rename(&tmp, into).map_err(|e| Error::io(format!("cannot move the restored store to {}", into.display()), e))?;
        sync_dir(into);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result?;
    Ok(Report { version: doc.version, exported_at: doc.exported_at, counts: doc.counts, bytes })
}

/// Store-wide settings kept in the calendar compartment (readable while the
/// vault is locked): where automatic snapshots go and how many are kept.
#[derive(Clone, Debug, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupSettings {
    #[ts(skip)]
    #[serde(default = "settings_id")]
    pub id: String,
    pub auto_dir: Option<String>,
    #[serde(default = "default_keep")]
    pub keep: u32,
    /// Public keys (age1…, ssh-…) backups are encrypted to; empty = passphrase.
    #[serde(default)]
    pub recipients: Vec<String>,
}

fn settings_id() -> String {
    "backup".into()
}

fn default_keep() -> u32 {
    14
}

impl noren_store::store::Record for BackupSettings {
    const TREE: &'static str = "settings";
    const COMPARTMENT: noren_store::store::Compartment = noren_store::store::Compartment::Calendar;
    const WHAT: &'static str = "settings";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::opt_line("auto_dir", &self.auto_dir, 4096)?;
        v::lines("recipients", &self.recipients, 100, 4096)
    }
}

pub fn load_settings(store: &Store) -> Result<BackupSettings> {
    Ok(store.get::<BackupSettings>("backup")?.unwrap_or(BackupSettings {
        id: settings_id(),
        auto_dir: None,
        keep: default_keep(),
        recipients: Vec::new(),
    }))
}

pub fn save_settings(store: &Store, auto_dir: Option<&Path>, keep: u32) -> Result<BackupSettings> {
    let recipients = load_settings(store)?.recipients;
    configure(store, auto_dir, keep, recipients)
}

/// Saves folder, retention and recipients (each recipient must parse).
pub fn configure(store: &Store, auto_dir: Option<&Path>, keep: u32, recipients: Vec<String>) -> Result<BackupSettings> {
    if !(1..=365).contains(&keep) {
        return Err(Error::invalid("keep", "must be between 1 and 365"));
    }
    let recipients: Vec<String> = recipients.iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
    if !recipients.is_empty() {
        parse_recipients(&recipients)?;
    }
    let s = BackupSettings { id: settings_id(), auto_dir: auto_dir.map(|p| p.display().to_string()), keep, recipients };
    store.put(&s)?;
    remember_location(store.dir(), s.auto_dir.as_deref())?;
    Ok(s)
}

/// Sets the snapshot folder the owner chose (the window's folder picker, `backup
/// auto --dir`): a new folder that is not there is refused and not saved (a
/// typo, an unplugged stick); the folder already saved may be unplugged for now.
/// (A restore keeps the old laptop's folder with `configure`.)
pub fn choose_folder(store: &Store, auto_dir: Option<&Path>, keep: u32, recipients: Vec<String>) -> Result<BackupSettings> {
    if let Some(dir) = auto_dir {
        let same = load_settings(store)?.auto_dir.as_deref() == Some(&*dir.display().to_string());
        if !same && !dir.is_dir() {
            return Err(Error::invalid("auto_dir", format!("{} is not an existing folder", dir.display())));
        }
    }
    configure(store, auto_dir, keep, recipients)
}

/// The snapshot folder, also kept in a plain file beside the header: when the
/// database itself is damaged, the settings inside it cannot say where the
/// snapshots are. (A folder path, not a secret.)
const LOCATION_FILE: &str = "backup-location";

fn remember_location(store_dir: &Path, auto_dir: Option<&str>) -> Result<()> {
    let path = store_dir.join(LOCATION_FILE);
    match auto_dir {
        Some(d) => write_file_atomically(&path, format!("{d}\n").as_bytes()),
        None => match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(format!("cannot remove {}", path.display()), e)),
            _ => Ok(()),
        },
    }
}

/// Where this store's automatic snapshots are, as last configured.
pub fn remembered_location(store_dir: &Path) -> Option<PathBuf> {
    let text = fs::read_to_string(store_dir.join(LOCATION_FILE)).ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| PathBuf::from(line))
}

/// What a recovery from a snapshot did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SnapshotRecovery {
    /// The snapshot restored.
    pub snapshot: String,
    /// Where the damaged store was moved (kept, never deleted).
    pub damaged_moved_to: String,
    pub report: Report,
}

/// The store at `store_dir` cannot be opened (damaged database files): restores
/// the newest automatic snapshot in its place with the same passphrase. The
/// damaged store is moved aside (`<dir>.damaged-<time>`), never deleted; the
/// restore is built in a temporary folder first, so a failure changes nothing.
pub fn recover_from_newest_snapshot(store_dir: &Path, pass: &SecretString, now: DateTime<Utc>) -> Result<SnapshotRecovery> {
    let dir = remembered_location(store_dir)
        .ok_or_else(|| Error::invalid("auto_dir", "no automatic backup folder is known for this store: restore a backup file instead"))?;
    let (_, newest) =
        snapshots(&dir, now)?.pop().ok_or_else(|| Error::invalid("auto_dir", format!("there is no snapshot in {}", dir.display())))?;
    let header_kdf = noren_store::store::kdf_of(store_dir).unwrap_or(noren_store::crypto::KdfParams::DEFAULT);
    remove_restore_leftovers(store_dir);
    let tmp = temp_sibling(store_dir, "recovering")?;
    let report = match restore_with(&newest, &Unlock::Passphrase(pass.clone()), &tmp, pass, header_kdf, now) {
        Ok(r) => r,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    let name = store_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "noren".into());
    let aside = store_dir.with_file_name(format!("{name}.damaged-{}", now.format("%Y%m%d-%H%M%S")));
    fs::rename(store_dir, &aside).map_err(|e| Error::io(format!("cannot move the damaged store to {}", aside.display()), e))?;
    if let Err(e) = fs::rename(&tmp, store_dir) {
        // Put the damaged one back rather than leave no store at all.
        let _ = fs::rename(&aside, store_dir);
        return Err(Error::io(format!("cannot move the restored store to {}", store_dir.display()), e));
    }
    remember_location(store_dir, Some(&dir.display().to_string()))?;
    Ok(SnapshotRecovery { snapshot: newest.display().to_string(), damaged_moved_to: aside.display().to_string(), report })
}

/// How backups of this store are protected: its recipients, else `pass`.
pub fn protection_for(settings: &BackupSettings, pass: Option<&SecretString>) -> Result<Protection> {
    if !settings.recipients.is_empty() {
        return Ok(Protection::Recipients(settings.recipients.clone()));
    }
    pass.map(|p| Protection::Passphrase(p.clone())).ok_or(Error::Locked)
}

const SNAPSHOT_PREFIX: &str = "noren-";
const SNAPSHOT_SUFFIX: &str = ".age";

/// The name of a snapshot taken at `at`: `noren-YYYYMMDD-HHMMSS.age` (UTC).
pub fn snapshot_name(at: DateTime<Utc>) -> String {
    format!("{SNAPSHOT_PREFIX}{}{SNAPSHOT_SUFFIX}", at.format("%Y%m%d-%H%M%S"))
}

/// Snapshots in `dir`, oldest first, with the time in their names: files
/// named `noren-YYYYMMDD-HHMMSS.age` that start like an age file, named no
/// later than a day after `now`. A name from the future (a wrong clock, a
/// planted file) would otherwise pass for the newest snapshot, silence the
/// backup reminder and push a real snapshot out of retention.
pub fn snapshots(dir: &Path, now: DateTime<Utc>) -> Result<Vec<(DateTime<Utc>, PathBuf)>> {
    let rd = fs::read_dir(dir).map_err(|e| Error::io(format!("backup folder {} is not available", dir.display()), e))?;
    let mut out = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stamp) = name.strip_prefix(SNAPSHOT_PREFIX).and_then(|n| n.strip_suffix(SNAPSHOT_SUFFIX)) else {
            continue;
        };
        let Ok(t) = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S") else { continue };
        let t = t.and_utc();
        if t > now + chrono::Duration::days(1) || !looks_like_age(&e.path()) {
            continue;
        }
        out.push((t, e.path()));
    }
    out.sort();
    Ok(out)
}

/// Whether the file begins with the age format's first line.
fn looks_like_age(path: &Path) -> bool {
    const MAGIC: &[u8] = b"age-encryption.org/v1";
    let mut head = [0u8; 21];
    File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok() && head == MAGIC
}

/// What `auto` did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AutoReport {
    /// The snapshot written, or none when the newest is less than a day old.
    pub written: Option<String>,
    pub removed: Vec<String>,
    pub kept: usize,
}

/// Writes a snapshot into `dir` unless the newest is younger than a day
/// (`force` writes anyway), then keeps only the newest `keep` snapshots.
/// Retention only ever deletes files named like Noren snapshots.
pub fn auto(store: &Store, dir: &Path, keep: u32, protection: &Protection, now: DateTime<Utc>, force: bool) -> Result<AutoReport> {
    if !dir.is_dir() {
        return Err(Error::io(
            format!("backup folder {} is not available", dir.display()),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    let existing = snapshots(dir, now)?;
    let fresh = existing.last().is_some_and(|(t, _)| now.signed_duration_since(*t) < chrono::Duration::hours(24) && *t <= now);
    let mut written = None;
    if force || !fresh {
        let path = dir.join(snapshot_name(now));
        export(store, &path, protection, now)?;
        written = Some(path.display().to_string());
    }
    let all = snapshots(dir, now)?;
    let excess = all.len().saturating_sub(keep as usize);
    let mut removed = Vec::new();
    for (_, p) in all.iter().take(excess) {
        if fs::remove_file(p).is_ok() {
            removed.push(p.display().to_string());
        }
    }
    Ok(AutoReport { written, removed, kept: all.len() - excess })
}

pub use noren_reminders::engine::BackupState;

pub fn state(settings: &BackupSettings, now: DateTime<Utc>) -> Option<BackupState> {
    let dir = settings.auto_dir.clone()?;
    match snapshots(Path::new(&dir), now) {
        Ok(list) => Some(BackupState { dir, available: true, newest: list.last().map(|(t, _)| *t) }),
        Err(_) => Some(BackupState { dir, available: false, newest: None }),
    }
}

/// The store's own age identity, sealed in the vault. Backups encrypted to
/// successors' keys are also encrypted to it, so the owner keeps access.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoreKey {
    pub id: String,
    pub secret: SecretString,
    pub public: String,
    pub created_at: DateTime<Utc>,
}

impl noren_store::store::Record for StoreKey {
    const TREE: &'static str = "keys";
    const COMPARTMENT: noren_store::store::Compartment = noren_store::store::Compartment::Vault;
    const WHAT: &'static str = "key";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::line("secret", self.secret.expose(), 200)?;
        v::line("public", &self.public, 200)?;
        v::instant("created_at", &self.created_at)
    }
}

/// The store's age key pair, created on first use.
pub fn store_key(store: &Store, now: DateTime<Utc>) -> Result<StoreKey> {
    if let Some(k) = store.get::<StoreKey>("backup")? {
        return Ok(k);
    }
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let k = StoreKey {
        id: "backup".into(),
        secret: SecretString::new(id.to_string().expose_secret().to_string()),
        public: id.to_public().to_string(),
        created_at: now,
    };
    store.put(&k)?;
    Ok(k)
}

/// A new store key for the snapshots written from now on (after a re-key:
/// whoever read the old one from an old copy of the store opens none of them).
/// The old key stays in the vault (`backup-<time>`) so that older snapshots
/// can still be opened with an exported key file. One batch: both or neither.
pub fn rotate_store_key(store: &Store, now: DateTime<Utc>) -> Result<bool> {
    let Some(mut old) = store.get::<StoreKey>("backup")? else { return Ok(false) };
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let fresh = StoreKey {
        id: "backup".into(),
        secret: SecretString::new(id.to_string().expose_secret().to_string()),
        public: id.to_public().to_string(),
        created_at: now,
    };
    old.id = format!("backup-{}", old.created_at.format("%Y%m%d%H%M%S%3f"));
    store.put_many(&[old, fresh])?;
    Ok(true)
}

/// Writes the store's private keys (the current one first, then those of
/// snapshots made before a re-key) as an age identity file (mode 0600) that
/// opens key-encrypted backups with `age -d -i FILE`. Refuses to overwrite.
pub fn export_store_key(store: &Store, path: &Path, now: DateTime<Utc>) -> Result<String> {
    let k = store_key(store, now)?;
    let mut text = Zeroizing::new(format!(
        "# Noren store key, created {}\n# public key: {}\n# Keep this file as safe as the passphrase: it opens this shop's backups.\n{}\n",
        k.created_at.to_rfc3339(),
        k.public,
        k.secret.expose()
    ));
    let mut older: Vec<StoreKey> = store.all::<StoreKey>()?.into_iter().filter(|o| o.id.starts_with("backup-")).collect();
    older.sort_by_key(|o| std::cmp::Reverse(o.created_at));
    for o in older {
        text.push_str(&format!("# older key (snapshots before {}): {}\n{}\n", o.created_at.to_rfc3339(), o.public, o.secret.expose()));
    }
    noren_base::files::write(path, text.as_bytes(), noren_base::files::Existing::Keep)?;
    Ok(k.public)
}

/// How backups of this store are protected, including the store's own key
/// when recipients are configured (needs the vault unlocked in that case).
pub fn protection_with_store_key(
    store: &Store,
    settings: &BackupSettings,
    pass: Option<&SecretString>,
    now: DateTime<Utc>,
) -> Result<Protection> {
    match protection_for(settings, pass)? {
        Protection::Recipients(mut list) => {
            let own = store_key(store, now)?.public;
            if !list.contains(&own) {
                list.push(own);
            }
            Ok(Protection::Recipients(list))
        }
        p => Ok(p),
    }
}
