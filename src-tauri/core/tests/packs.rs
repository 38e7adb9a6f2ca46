//! The store's read caches: decrypted collections in memory and sealed packs on
//! disk must always give exactly what the records say.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{raw_db, FAST, PASS};
use noren_core::credential::{self, Category, Credential, CredentialInput, SearchIndex};
use noren_core::{Error, SecretString, Store};

fn open(dir: &Path) -> Store {
    Store::open(dir, &SecretString::new(PASS)).unwrap()
}

fn cred(name: &str) -> Credential {
    let input = CredentialInput {
        category: Some(Category::Website),
        name: Some(name.to_string()),
        password: Some(SecretString::new(format!("secret-of-{name}"))),
        ..Default::default()
    };
    credential::build(&input, common::clock()).unwrap()
}

fn names(store: &Store) -> BTreeMap<String, String> {
    store.all::<Credential>().unwrap().into_iter().map(|c| (c.id.clone(), c.name.clone())).collect()
}

/// What the search index (from its sealed copy when current) lists.
fn index_names(store: &Store) -> BTreeMap<String, String> {
    SearchIndex::load(store).unwrap().all().map(|c| (c.id.clone(), c.name.clone())).collect()
}

/// A small deterministic generator, so a failure replays.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn cached_and_packed_reads_always_match_the_records() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut model: BTreeMap<String, String> = BTreeMap::new();
    {
        let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        let batch: Vec<Credential> = (0..300).map(|i| cred(&format!("初期 {i}"))).collect();
        s.put_many(&batch).unwrap();
        model.extend(batch.iter().map(|c| (c.id.clone(), c.name.clone())));
    }
    let mut rng = Lcg(7);
    let mut store = open(&dir);
    for step in 0..400 {
        match rng.next(10) {
            // Add one or several.
            0..=2 => {
                let n = 1 + rng.next(3);
                let batch: Vec<Credential> = (0..n).map(|k| cred(&format!("追加 {step}-{k}"))).collect();
                store.put_many(&batch).unwrap();
                model.extend(batch.iter().map(|c| (c.id.clone(), c.name.clone())));
            }
            // Edit one.
            3 | 4 => {
                let id = model.keys().nth(rng.next(model.len() as u64) as usize).unwrap().clone();
                let mut c = store.get::<Credential>(&id).unwrap().unwrap();
                c.name = format!("編集 {step}");
                store.put(&c).unwrap();
                model.insert(id, c.name);
            }
            // Remove one (and one that does not exist).
            5 => {
                let id = model.keys().nth(rng.next(model.len() as u64) as usize).unwrap().clone();
                assert!(store.remove::<Credential>(&id).unwrap());
                assert!(!store.remove::<Credential>("nonexistent").unwrap());
                model.remove(&id);
            }
            // Read everything on this handle (cached after the first time).
            6 => assert_eq!(names(&store), model, "step {step}: cached read"),
            // The search index, decoded from its sealed copy when that is current.
            7 => assert_eq!(index_names(&store), model, "step {step}: index"),
            // Lock and unlock: the vault's cache goes and comes back.
            8 => {
                store.lock_vault();
                assert!(matches!(store.all::<Credential>(), Err(Error::Locked)));
                store.unlock_vault(&SecretString::new(PASS)).unwrap();
                // The index read ahead during unlocking, then the records.
                assert_eq!(index_names(&store), model, "step {step}: index after unlock");
                assert_eq!(names(&store), model, "step {step}: after unlock");
            }
            // Close (packs are written) and reopen (read from the pack).
            _ => {
                drop(store);
                store = open(&dir);
                assert_eq!(index_names(&store), model, "step {step}: index after reopen");
                assert_eq!(names(&store), model, "step {step}: after reopen");
            }
        }
    }
}

#[test]
fn an_old_pack_put_back_is_never_served() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    {
        let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        s.put_many(&(0..250).map(|i| cred(&format!("店 {i}"))).collect::<Vec<_>>()).unwrap();
        assert_eq!(s.all::<Credential>().unwrap().len(), 250);
    }
    let old_pack = {
        let db = raw_db(&dir);
        let pack = db.open_tree("~packs").unwrap().get("credentials").unwrap().expect("a pack was written");
        // Sealed: none of the names or passwords is readable in it.
        assert!(!pack.windows("secret-of-".len()).any(|w| w == b"secret-of-"));
        assert!(!pack.windows("店 1".len()).any(|w| w == "店 1".as_bytes()));
        let index = db.open_tree("~packs").unwrap().get("credentials#index").unwrap().expect("the index was written");
        assert!(!index.windows("店 1".len()).any(|w| w == "店 1".as_bytes()));
        (pack, index)
    };
    let added = cred("あとから追加");
    {
        let s = open(&dir);
        s.put(&added).unwrap();
        assert_eq!(s.all::<Credential>().unwrap().len(), 251);
    }
    {
        // Someone (or a bad restore of part of the files) puts the old pack back.
        let db = raw_db(&dir);
        db.open_tree("~packs").unwrap().insert("credentials", old_pack.0.clone()).unwrap();
        db.open_tree("~packs").unwrap().insert("credentials#index", old_pack.1.clone()).unwrap();
        db.flush().unwrap();
    }
    let s = open(&dir);
    assert_eq!(SearchIndex::load(&s).unwrap().len(), 251, "the old index is ignored too");
    let all = s.all::<Credential>().unwrap();
    assert_eq!(all.len(), 251, "the old pack is bound to an older generation and is ignored");
    assert!(all.iter().any(|c| c.id == added.id));
    drop(s);

    // A damaged pack is ignored too.
    {
        let db = raw_db(&dir);
        let packs = db.open_tree("~packs").unwrap();
        let mut pack = packs.get("credentials").unwrap().unwrap().to_vec();
        let mid = pack.len() / 2;
        pack[mid] ^= 0x40;
        packs.insert("credentials", pack).unwrap();
        db.flush().unwrap();
    }
    assert_eq!(open(&dir).all::<Credential>().unwrap().len(), 251);
}

#[test]
fn a_current_pack_is_what_a_cold_read_uses() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    {
        let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        let batch: Vec<Credential> = (0..400)
            .map(|i| {
                let mut c = cred(&format!("行 {i}"));
                // Newlines and quotes inside values must not break the one-record-per-line pack.
                // Long enough that the pack (> 2 MiB) is parsed in several parts.
                c.notes = format!("一行目 {i}\n二行目 \"引用\"\r\n{}", "x".repeat(6000));
                c
            })
            .collect();
        s.put_many(&batch).unwrap();
        assert_eq!(s.all::<Credential>().unwrap().len(), 400); // writes the pack
    }
    {
        // Damage one record behind the store's back (as a disk error would).
        let db = raw_db(&dir);
        let tree = db.open_tree("credentials").unwrap();
        let (k, mut v) = tree.iter().next().unwrap().map(|(k, v)| (k, v.to_vec())).unwrap();
        let last = v.len() - 1;
        v[last] ^= 1;
        tree.insert(k, v).unwrap();
        db.flush().unwrap();
    }
    // Served from the pack: the damaged record is not even read.
    let s = open(&dir);
    let all = s.all::<Credential>().unwrap();
    assert_eq!(all.len(), 400);
    assert!(all.iter().all(|c| c.notes.contains("二行目 \"引用\"")));
    drop(s);
    // The search index comes from its own sealed copy: with the credentials'
    // pack gone, it still loads without reading the (damaged) records.
    raw_db(&dir).open_tree("~packs").unwrap().remove("credentials").unwrap();
    let s = open(&dir);
    let index = SearchIndex::load(&s).unwrap();
    assert_eq!(index.len(), 400);
    assert_eq!(index.search("二行目 引用").len(), 400, "notes with line breaks are searchable");
    assert_eq!(index.search("行 399").len(), 1);
    assert!(matches!(s.all::<Credential>(), Err(Error::Tampered(_))), "the records themselves are read now");
    drop(s);
    // Once the pack is gone (any write removes it), the damage surfaces as it should.
    let s = open(&dir);
    s.put(&cred("追加")).unwrap();
    drop(s);
    let s = open(&dir);
    assert!(matches!(s.all::<Credential>(), Err(Error::Tampered(_))));
}

#[test]
fn a_pack_whose_file_is_lost_costs_speed_not_data() {
    // Large packs live in sled's blob files. A copy of the folder taken while
    // the app writes (a backup tool, a sync client) can miss one: the store
    // must still open, read every record and take new writes.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    {
        let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        let batch: Vec<Credential> = (0..300)
            .map(|i| {
                let mut c = cred(&format!("店 {i}"));
                c.notes = "長いメモ".repeat(200);
                c
            })
            .collect();
        s.put_many(&batch).unwrap();
        assert_eq!(s.all::<Credential>().unwrap().len(), 300); // writes the packs
    }
    let blobs: Vec<_> = std::fs::read_dir(dir.join("db/blobs")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    assert!(!blobs.is_empty(), "the pack went to a blob file");
    for b in &blobs {
        std::fs::remove_file(b).unwrap();
    }
    let s = open(&dir);
    assert_eq!(SearchIndex::load(&s).unwrap().len(), 300);
    assert_eq!(s.all::<Credential>().unwrap().len(), 300);
    s.put(&cred("あとから追加")).unwrap();
    assert_eq!(s.all::<Credential>().unwrap().len(), 301);
    drop(s);
    let s = open(&dir);
    assert_eq!(s.all::<Credential>().unwrap().len(), 301);
    assert_eq!(SearchIndex::load(&s).unwrap().len(), 301);
}
