//! Backups: round trip, damage of every kind, failing writers, retention, golden file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use noren_core::backup::{self, Protection, Unlock};
use noren_core::credential::{self, Category, Credential, CredentialInput};
use noren_core::crypto::KdfParams;
use noren_core::{Error, SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 3, 0, 0).unwrap()
}

fn pass(s: &str) -> SecretString {
    SecretString::new(s)
}

fn filled_store(dir: &Path, n: usize) -> Store {
    let s = Store::init_with(dir, &pass("store passphrase"), FAST, chrono::Utc::now()).unwrap();
    for i in 0..n {
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("imap_host".to_string(), format!("imap{i}.example.jp"));
        let c = credential::add(
            &s,
            &CredentialInput {
                category: Some(Category::ALL[i % 7]),
                name: Some(format!("さくら {i}")),
                url: Some(format!("https://s{i}.example.jp")),
                login: Some(format!("user{i}")),
                password: Some(pass(&format!("初代-pw-{i}"))),
                totp: Some(pass("JBSWY3DPEHPK3PXP")),
                notes: Some("一行目\n二行目".into()),
                tags: Some(vec!["受付".into()]),
                renewal_date: Some("2027-03-31".into()),
                fields,
                ..Default::default()
            },
            now(),
        )
        .unwrap();
        credential::rotate(&s, &c.id, pass(&format!("二代目-pw-{i}")), now() + Duration::days(1)).unwrap();
    }
    use noren_core::calendar::{self, ChannelInput, ChannelKind, PostInput};
    let ch = ChannelInput {
        kind: Some(ChannelKind::Instagram),
        name: Some("インスタ".into()),
        rhythm: Some("週2回".into()),
        ..Default::default()
    };
    let ch = calendar::add_channel(&s, &ch, now()).unwrap();
    for d in 1..4 {
        let at = Some(now() - Duration::days(d));
        calendar::log_post(&s, &ch.id, &PostInput { at, title: Some(format!("投稿{d}")), ..Default::default() }, now()).unwrap();
    }
    let plan = PostInput {
        planned_for: Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
        title: Some("冬メニュー".into()),
        ..Default::default()
    };
    calendar::plan_post(&s, &ch.id, &plan, chrono_tz::Asia::Tokyo, now()).unwrap();
    let quiet = noren_core::notify::NotifySettings { quiet_start: "22:00".into(), ..Default::default() };
    noren_core::notify::save_settings(&s, &quiet).unwrap();
    s
}

fn keypair() -> (age::x25519::Identity, String, PathBuf, tempfile::TempDir) {
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let keyfile = tmp.path().join("key.txt");
    use age::secrecy::ExposeSecret;
    std::fs::write(&keyfile, format!("{}\n", id.to_string().expose_secret())).unwrap();
    (id, recipient, keyfile, tmp)
}

fn strip_time(json: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(json).unwrap();
    v.as_object_mut().unwrap().remove("exported_at");
    v
}

#[test]
fn export_restore_export_gives_the_same_document() {
    let tmp = tempfile::tempdir().unwrap();
    let (_id, recipient, keyfile, _k) = keypair();
    let store = filled_store(&tmp.path().join("a"), 12);
    backup::configure(&store, Some(Path::new("/media/usb/noren")), 9, vec![]).unwrap();
    let file = tmp.path().join("b.age");
    let r = backup::export(&store, &file, &Protection::Recipients(vec![recipient.clone()]), now()).unwrap();
    assert_eq!(r.counts["credentials"], 12);
    let unlock = Unlock::IdentityFile(keyfile.clone());
    let first = backup::decrypt_from(std::fs::File::open(&file).unwrap(), &unlock).unwrap();
    let text = String::from_utf8(first.to_vec()).unwrap();
    assert!(text.contains("\"二代目-pw-3\""), "passwords readable after decryption");
    assert!(text.contains("\"初代-pw-3\""), "history readable after decryption");
    assert!(text.contains("\"format\": \"noren-backup\""));

    let into = tmp.path().join("restored");
    backup::restore_with(&file, &unlock, &into, &pass("new store passphrase"), FAST, chrono::Utc::now()).unwrap();
    let restored = Store::open(&into, &pass("new store passphrase")).unwrap();
    let c: Vec<Credential> = restored.all().unwrap();
    assert_eq!(c.len(), 12);
    let settings = backup::load_settings(&restored).unwrap();
    assert_eq!((settings.auto_dir.as_deref(), settings.keep), (Some("/media/usb/noren"), 9), "settings restored");
    assert_eq!(restored.count::<noren_core::calendar::Channel>().unwrap(), 1, "channels restored");
    assert_eq!(restored.count::<noren_core::calendar::Post>().unwrap(), 4, "posts restored");
    assert_eq!(noren_core::notify::load_settings(&restored).unwrap().quiet_start, "22:00");
    assert_eq!((r.counts["channels"], r.counts["posts"]), (1, 4));
    let again = tmp.path().join("c.age");
    backup::export(&restored, &again, &Protection::Recipients(vec![recipient]), now() + Duration::hours(5)).unwrap();
    let second = backup::decrypt_from(std::fs::File::open(&again).unwrap(), &unlock).unwrap();
    assert_eq!(strip_time(&first), strip_time(&second));
}

#[test]
fn passphrase_backups_need_the_passphrase() {
    let tmp = tempfile::tempdir().unwrap();
    let store = filled_store(&tmp.path().join("a"), 2);
    let file = tmp.path().join("p.age");
    backup::export(&store, &file, &Protection::Passphrase(pass("backup pass")), now()).unwrap();
    assert_eq!(backup::verify(&file, &Unlock::Passphrase(pass("backup pass"))).unwrap().counts["credentials"], 2);
    assert!(matches!(backup::verify(&file, &Unlock::Passphrase(pass("wrong pass"))), Err(Error::WrongPassphrase)));
    let into = tmp.path().join("r");
    assert!(backup::restore_with(&file, &Unlock::Passphrase(pass("wrong pass")), &into, &pass("new passphrase"), FAST, chrono::Utc::now())
        .is_err());
    assert!(!into.exists(), "nothing restored");
}

#[test]
fn damaged_backups_are_refused_and_restore_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (_id, recipient, keyfile, _k) = keypair();
    let (_id2, _other, wrong_key, _k2) = keypair();
    let store = filled_store(&tmp.path().join("a"), 3);
    let file = tmp.path().join("b.age");
    backup::export(&store, &file, &Protection::Recipients(vec![recipient]), now()).unwrap();
    let good = std::fs::read(&file).unwrap();
    let unlock = Unlock::IdentityFile(keyfile);
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("not age", b"hello, this is not an age file\n".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("last byte cut", good[..good.len() - 1].to_vec()),
    ];
    for pos in [good.len() / 3, good.len() - 10, 40] {
        let mut flipped = good.clone();
        flipped[pos] ^= 0x20;
        cases.push(("bit flip", flipped));
    }
    for (what, bytes) in cases {
        let bad = tmp.path().join("bad.age");
        std::fs::write(&bad, &bytes).unwrap();
        assert!(backup::verify(&bad, &unlock).is_err(), "{what}: verify must fail");
        let into = tmp.path().join("into");
        assert!(backup::restore_with(&bad, &unlock, &into, &pass("new passphrase"), FAST, chrono::Utc::now()).is_err(), "{what}");
        assert!(!into.exists(), "{what}: nothing restored");
    }
    assert!(matches!(backup::verify(&file, &Unlock::IdentityFile(wrong_key)), Err(Error::WrongPassphrase)));
    assert!(backup::verify(&file, &Unlock::Passphrase(pass("x"))).is_err(), "key-encrypted file asks for a key");
    assert!(backup::verify(&file, &unlock).is_ok());
    // No leftovers from the failed restores.
    let leftovers: Vec<_> =
        std::fs::read_dir(tmp.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains("restoring")).collect();
    assert!(leftovers.is_empty());
}

#[test]
fn tampered_plaintext_documents_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let store = filled_store(&tmp.path().join("a"), 2);
    let doc = backup::document(&store, now()).unwrap();
    let json = String::from_utf8(backup::to_json(&doc).unwrap().to_vec()).unwrap();
    assert!(backup::from_json(json.as_bytes()).is_ok());
    let edited = json.replacen("二代目-pw-0", "edited", 1);
    assert!(matches!(backup::from_json(edited.as_bytes()), Err(Error::Corrupt(_))), "checksum catches edits");
    let future = json.replacen("\"version\": 1", "\"version\": 99", 1);
    assert!(matches!(backup::from_json(future.as_bytes()), Err(Error::UnsupportedFormat { .. })));
    assert!(backup::from_json(b"{}").is_err());
    assert!(backup::from_json(b"[1,2,3]").is_err());
}

/// Fails with an I/O error after `left` bytes (like KeePassXC's FailDevice).
struct FailAfter {
    inner: std::fs::File,
    left: usize,
}
impl Write for FailAfter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("injected failure"));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        self.inner.write(&buf[..n])
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
impl backup::IntoFile for FailAfter {
    fn into_file(self) -> std::io::Result<std::fs::File> {
        Ok(self.inner)
    }
}

#[test]
fn failed_export_keeps_the_old_backup_and_leaves_no_partial_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (_id, recipient, keyfile, _k) = keypair();
    let store = filled_store(&tmp.path().join("a"), 30);
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let file = out.join("backup.age");
    let prot = Protection::Recipients(vec![recipient]);
    backup::export(&store, &file, &prot, now()).unwrap();
    let old = std::fs::read(&file).unwrap();
    let json = backup::to_json(&backup::document(&store, now()).unwrap()).unwrap();
    for n in [0, 10, 200, 5_000] {
        let err = backup::write_file_with(&file, &json, &prot, |f| FailAfter { inner: f, left: n }).unwrap_err();
        assert_eq!(err.code(), "io", "{err}");
        assert_eq!(std::fs::read(&file).unwrap(), old, "old backup intact after failure at {n}");
        let names: Vec<String> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names, vec!["backup.age".to_string()], "no partial file left");
    }
    assert!(backup::verify(&file, &Unlock::IdentityFile(keyfile)).is_ok());
    // A full device reports the error instead of pretending.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    assert!(backup::encrypt_to(&json, &prot, full).is_err());
}

#[test]
fn restore_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let (_id, recipient, keyfile, _k) = keypair();
    let store = filled_store(&tmp.path().join("a"), 1);
    let file = tmp.path().join("b.age");
    backup::export(&store, &file, &Protection::Recipients(vec![recipient]), now()).unwrap();
    let unlock = Unlock::IdentityFile(keyfile);
    let err = backup::restore_with(&file, &unlock, &tmp.path().join("a"), &pass("new passphrase"), FAST, chrono::Utc::now()).unwrap_err();
    assert_eq!(err.code(), "store_exists");
    let busy = tmp.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("photo.jpg"), b"x").unwrap();
    assert_eq!(
        backup::restore_with(&file, &unlock, &busy, &pass("new passphrase"), FAST, chrono::Utc::now()).unwrap_err().code(),
        "invalid_input"
    );
    assert!(busy.join("photo.jpg").exists());
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    backup::restore_with(&file, &unlock, &empty, &pass("new passphrase"), FAST, chrono::Utc::now()).unwrap();
    assert!(Store::exists(&empty));
}

#[test]
fn automatic_snapshots_daily_with_retention() {
    let tmp = tempfile::tempdir().unwrap();
    let (_id, recipient, _keyfile, _k) = keypair();
    let store = filled_store(&tmp.path().join("a"), 1);
    let dir = tmp.path().join("usb");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), b"not ours").unwrap();
    let prot = Protection::Recipients(vec![recipient]);
    let t0 = now();
    let r = backup::auto(&store, &dir, 3, &prot, t0, false).unwrap();
    assert!(r.written.is_some());
    let r = backup::auto(&store, &dir, 3, &prot, t0 + Duration::hours(5), false).unwrap();
    assert!(r.written.is_none(), "at most daily");
    for day in 1..=4 {
        backup::auto(&store, &dir, 3, &prot, t0 + Duration::days(day), false).unwrap();
    }
    let later = t0 + Duration::days(4);
    let snaps = backup::snapshots(&dir, later).unwrap();
    assert_eq!(snaps.len(), 3, "keeps the newest 3");
    assert_eq!(snaps.last().unwrap().0, t0 + Duration::days(4));
    assert_eq!(snaps.first().unwrap().0, t0 + Duration::days(2));
    assert!(dir.join("notes.txt").exists(), "retention never touches other files");
    assert!(backup::auto(&store, &tmp.path().join("unplugged"), 3, &prot, t0, false).is_err());

    // The reminder engine sees the folder through the stored settings.
    backup::save_settings(&store, Some(&dir), 3).unwrap();
    let st = backup::state(&backup::load_settings(&store).unwrap(), later).unwrap();
    assert!(st.available);
    assert_eq!(st.newest, Some(t0 + Duration::days(4)));
    backup::save_settings(&store, Some(&tmp.path().join("unplugged")), 3).unwrap();
    assert!(!backup::state(&backup::load_settings(&store).unwrap(), later).unwrap().available);
}

/// A file named like a snapshot from the future (or not an age file at all)
/// is not the newest snapshot, silences no reminder and takes no retention slot.
#[test]
fn snapshots_named_in_the_future_or_not_age_files_are_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    let (_id, recipient, _keyfile, _k) = keypair();
    let store = filled_store(&tmp.path().join("a"), 1);
    let dir = tmp.path().join("usb");
    std::fs::create_dir(&dir).unwrap();
    let prot = Protection::Recipients(vec![recipient]);
    let t0 = now();
    for day in 0..3 {
        backup::auto(&store, &dir, 3, &prot, t0 + Duration::days(day), false).unwrap();
    }
    let future = dir.join("noren-20991231-000000.age");
    std::fs::write(&future, b"garbage").unwrap();
    let fake_past = dir.join("noren-20260101-000000.age");
    std::fs::write(&fake_past, b"not an age file").unwrap();
    let at = t0 + Duration::days(9);
    let snaps = backup::snapshots(&dir, at).unwrap();
    assert_eq!(snaps.len(), 3, "{snaps:?}");
    assert_eq!(snaps.last().unwrap().0, t0 + Duration::days(2), "the newest real snapshot");
    backup::save_settings(&store, Some(&dir), 3).unwrap();
    assert_eq!(backup::state(&backup::load_settings(&store).unwrap(), at).unwrap().newest, Some(t0 + Duration::days(2)));
    // A new snapshot: retention removes the oldest real one, never the planted files.
    let r = backup::auto(&store, &dir, 3, &prot, at, false).unwrap();
    assert!(r.written.is_some(), "the planted file did not make the folder look fresh");
    assert_eq!(r.removed.len(), 1);
    assert!(future.exists() && fake_past.exists());
    assert_eq!(backup::snapshots(&dir, at).unwrap().len(), 3);
}

#[test]
fn golden_backup_v1_still_restores() {
    let tmp = tempfile::tempdir().unwrap();
    let unlock = Unlock::IdentityFile(common::golden().join("backup-v1.key"));
    let into = tmp.path().join("restored");
    let r = backup::restore_with(
        &common::golden().join("backup-v1.age"),
        &unlock,
        &into,
        &pass("restored passphrase"),
        FAST,
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(r.version, 1);
    let s = Store::open(&into, &pass("restored passphrase")).unwrap();
    let all = credential::list(&s).unwrap();
    assert_eq!(all.len(), 3);
    let e = all.iter().find(|c| c.name == "エキテン").unwrap();
    assert_eq!(e.password.expose(), "ekiten-新しい-2");
    assert_eq!(e.history[0].password.expose(), "ekiten-古い-1");
}

/// Writes the golden backup from the golden store (run once per format version):
/// `NOREN_WRITE_GOLDEN=1 cargo test -p noren-core --test backup -- --ignored`
#[test]
#[ignore]
fn write_golden_backup() {
    if std::env::var_os("NOREN_WRITE_GOLDEN").is_none() {
        return;
    }
    let out = common::golden().join("backup-v1.age");
    assert!(!out.exists(), "refusing to overwrite");
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("store");
    common::copy_dir(&common::golden().join("store-v1"), &copy);
    let s = Store::open(&copy, &pass("noren golden v1 パス")).unwrap();
    let id = age::x25519::Identity::generate();
    use age::secrecy::ExposeSecret;
    std::fs::write(
        common::golden().join("backup-v1.key"),
        format!("# test key for the golden backup; protects nothing real\n{}\n", id.to_string().expose_secret()),
    )
    .unwrap();
    backup::export(
        &s,
        &out,
        &Protection::Recipients(vec![id.to_public().to_string()]),
        Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap(),
    )
    .unwrap();
}

/// A real full disk: a 64 KiB tmpfs. Needs root to mount; under CI (root) it must run.
#[test]
fn export_to_a_full_disk_fails_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let mnt = tmp.path().join("tiny");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(std::env::var("CI").is_err(), "CI runs as root and must be able to mount a tmpfs");
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    let (_id, recipient, keyfile, _k) = keypair();
    let prot = Protection::Recipients(vec![recipient]);
    let small = filled_store(&tmp.path().join("small"), 1);
    let file = mnt.join("backup.age");
    backup::export(&small, &file, &prot, now()).unwrap();
    let old = std::fs::read(&file).unwrap();
    let big = filled_store(&tmp.path().join("big"), 400);
    let err = backup::export(&big, &file, &prot, now()).unwrap_err();
    // Said as what it is: the owner frees space, no "read/write error".
    assert_eq!(err.code(), "disk_full", "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), old, "the old backup is intact");
    let names: Vec<String> = std::fs::read_dir(&mnt).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["backup.age".to_string()], "no partial file left on the full disk");
    assert!(backup::verify(&file, &Unlock::IdentityFile(keyfile)).is_ok());
}

#[test]
fn successor_keys_and_the_store_key_both_open_snapshots() {
    let tmp = tempfile::tempdir().unwrap();
    let (_id, successor, successor_key, _k) = keypair();
    let store = filled_store(&tmp.path().join("a"), 2);
    let usb = tmp.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let settings = backup::configure(&store, Some(&usb), 5, vec![successor.clone()]).unwrap();
    let prot = backup::protection_with_store_key(&store, &settings, None, now()).unwrap();
    match &prot {
        Protection::Recipients(list) => assert_eq!(list.len(), 2, "successor + the store's own key"),
        Protection::Passphrase(_) => panic!("recipients configured"),
    }
    backup::auto(&store, &usb, 5, &prot, now(), false).unwrap();
    let snap = backup::snapshots(&usb, now()).unwrap().pop().unwrap().1;
    assert!(backup::verify(&snap, &Unlock::IdentityFile(successor_key)).is_ok());
    let own = tmp.path().join("store-key.txt");
    let public = backup::export_store_key(&store, &own, now()).unwrap();
    assert_eq!(public, backup::store_key(&store, now()).unwrap().public, "stable key");
    assert!(backup::verify(&snap, &Unlock::IdentityFile(own.clone())).is_ok());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&own).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(backup::export_store_key(&store, &own, now()).is_err(), "never overwrites a key file");
    // Without recipients, the passphrase is used and the vault key is not needed.
    let plain = backup::configure(&store, Some(&usb), 5, vec![]).unwrap();
    assert!(matches!(backup::protection_with_store_key(&store, &plain, Some(&pass("p")), now()).unwrap(), Protection::Passphrase(_)));
    assert!(backup::protection_with_store_key(&store, &plain, None, now()).is_err());
}

/// Overwrites every file of sled's database with garbage (a disk that lost the writes).
fn wreck_database(store: &Path) {
    for e in std::fs::read_dir(store.join("db")).unwrap().flatten() {
        if e.file_type().unwrap().is_file() {
            std::fs::write(e.path(), vec![0xA5u8; 4096]).unwrap();
        }
    }
}

#[test]
fn a_damaged_database_is_replaced_by_the_newest_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let snaps = tmp.path().join("usb");
    std::fs::create_dir_all(&snaps).unwrap();
    {
        let s = filled_store(&dir, 12);
        backup::save_settings(&s, Some(&snaps), 3).unwrap();
        let p = Protection::Passphrase(pass("store passphrase"));
        backup::auto(&s, &snaps, 3, &p, now() - Duration::days(2), true).unwrap();
        backup::auto(&s, &snaps, 3, &p, now(), true).unwrap();
    }
    wreck_database(&dir);
    let e = Store::open(&dir, &pass("store passphrase")).unwrap_err();
    assert_eq!(e.code(), "corrupt", "a damaged store is named as such: {e}");

    // A wrong passphrase changes nothing.
    assert!(backup::recover_from_newest_snapshot(&dir, &pass("wrong passphrase!"), now()).is_err());
    assert!(Store::open(&dir, &pass("store passphrase")).is_err(), "still the damaged one");
    let r = backup::recover_from_newest_snapshot(&dir, &pass("store passphrase"), now()).unwrap();
    assert!(r.snapshot.ends_with(&backup::snapshot_name(now())), "{} is the newest", r.snapshot);
    assert!(Path::new(&r.damaged_moved_to).join("noren.header").exists(), "the damaged store is kept aside");
    let s = Store::open(&dir, &pass("store passphrase")).unwrap();
    assert_eq!(credential::list(&s).unwrap().len(), 12);
    // The restored store still knows where its snapshots are.
    assert_eq!(backup::load_settings(&s).unwrap().auto_dir.as_deref(), Some(snaps.to_str().unwrap()));
    assert_eq!(backup::remembered_location(&dir).as_deref(), Some(snaps.as_path()));
}

#[test]
fn without_a_known_snapshot_folder_recovery_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    drop(filled_store(&dir, 1));
    let e = backup::recover_from_newest_snapshot(&dir, &pass("store passphrase"), now()).unwrap_err();
    assert!(e.to_string().contains("no automatic backup folder"), "{e}");
    assert!(Store::open(&dir, &pass("store passphrase")).is_ok(), "nothing touched");
}

/// A backup crafted by someone who knows the store's public key (anyone who saw
/// a snapshot's recipients): a valid age file around a document that no edit
/// would have let in. Each is refused, by verify and restore alike, and
/// nothing is restored.
#[test]
fn a_crafted_backup_restores_nothing_an_edit_would_refuse() {
    let tmp = tempfile::tempdir().unwrap();
    let (_id, recipient, keyfile, _k) = keypair();
    let base = serde_json::json!({
        "id": "aaaaaaaaaaaaaaaa",
        "category": "website",
        "name": "ホームページ",
        "password": "pw",
        "created_at": "2026-11-22T01:00:00Z",
        "updated_at": "2026-11-22T01:00:00Z",
        "last_rotated": "2026-11-22T01:00:00Z"
    });
    let one_mb: String = "名".repeat(350_000);
    let five_mb: String = "p".repeat(5_000_000);
    let cases: Vec<(&str, &str, serde_json::Value)> = vec![
        ("ANSI escape in a name", "name", serde_json::json!("\u{1b}[2J\u{1b}[31mホームページ")),
        ("OSC escape in a name", "name", serde_json::json!("\u{1b}]0;pwned\u{7}ホームページ")),
        ("NUL in a login", "login", serde_json::json!("admin\u{0}root")),
        ("a 1 MB name", "name", serde_json::json!(one_mb)),
        ("a 5 MB password", "password", serde_json::json!(five_mb)),
        ("a javascript: address", "url", serde_json::json!("javascript:alert(1)")),
        ("a bidi override in a tag", "tags", serde_json::json!(["請求書\u{202E}fdp.exe"])),
        ("a path as id", "id", serde_json::json!("../../etc")),
        ("a year-0001 date", "created_at", serde_json::json!("0001-01-01T00:00:00Z")),
    ];
    for (what, field, value) in cases {
        let mut cred = base.clone();
        cred[field] = value;
        let doc = serde_json::json!({
            "format": "noren-backup",
            "version": 1,
            "exported_at": "2026-11-22T01:00:00Z",
            "app_version": "0.1.0",
            "readme": "",
            "counts": { "credentials": 1 },
            "credentials": [cred],
        });
        let file = tmp.path().join("crafted.age");
        let out = std::fs::File::create(&file).unwrap();
        backup::encrypt_to(&serde_json::to_vec(&doc).unwrap(), &Protection::Recipients(vec![recipient.clone()]), out).unwrap();
        let unlock = Unlock::IdentityFile(keyfile.clone());
        let err = backup::verify(&file, &unlock).unwrap_err();
        assert!(matches!(err, Error::Corrupt(_)), "{what}: verify said {err:?}");
        assert!(!err.to_string().contains('\u{1b}'), "{what}: the message carries no escape");
        let into = tmp.path().join("restored");
        let err = backup::restore_with(
            &file,
            &unlock,
            &into,
            &pass("restored passphrase"),
            KdfParams { m_kib: 256, t: 1, p: 1 },
            chrono::Utc::now(),
        );
        assert!(err.is_err(), "{what}: restored");
        assert!(!into.exists(), "{what}: nothing restored");
    }
}

/// A restore killed half-way leaves its temporary store; the next restore
/// into the same folder removes it (its lock is free), a live one is left.
#[test]
fn leftovers_of_killed_restores_are_removed_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let store = filled_store(&tmp.path().join("a"), 1);
    let file = tmp.path().join("b.age");
    backup::export(&store, &file, &Protection::Passphrase(pass("store passphrase")), now()).unwrap();
    let dead = tmp.path().join(".restored.restoring-0123456789ab");
    std::fs::create_dir(&dead).unwrap();
    std::fs::write(dead.join("noren.lock"), b"").unwrap();
    let live = tmp.path().join(".other.restoring-ba9876543210");
    std::fs::create_dir(&live).unwrap();
    let held = std::fs::File::create(live.join("noren.lock")).unwrap();
    held.lock().unwrap();
    let into = tmp.path().join("restored");
    backup::restore_with(
        &file,
        &Unlock::Passphrase(pass("store passphrase")),
        &into,
        &pass("restored passphrase"),
        FAST,
        chrono::Utc::now(),
    )
    .unwrap();
    assert!(!dead.exists(), "the dead one is gone");
    assert!(live.exists(), "the one in progress stays");
}
