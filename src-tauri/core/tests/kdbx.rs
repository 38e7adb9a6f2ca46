//! KeePass import and export against the real KeePassXC (`keepassxc-cli` from
//! Debian's keepassxc package): databases made by it are read, and what Noren
//! writes opens in it with every entry and password intact.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{DateTime, Utc};
use data_encoding::BASE64;
use noren_core::credential::{Category, Credential};
use noren_core::crypto::KdfParams;
use noren_core::import::{self, OnDuplicate};
use noren_core::{kdbx, Error, SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z").unwrap().with_timezone(&Utc)
}

/// Runs keepassxc-cli with `stdin` lines (passwords); panics with its stderr on failure.
fn kpcli(args: &[&str], stdin: &str) -> String {
    let mut child = Command::new("keepassxc-cli")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("keepassxc-cli is needed (package keepassxc; scripts/bootstrap.sh installs it)");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "keepassxc-cli {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn uuid(n: u8) -> String {
    BASE64.encode(&[n; 16])
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn string(k: &str, v: &str, protect: bool) -> String {
    let attr = if protect { " ProtectInMemory=\"True\"" } else { "" };
    format!("<String><Key>{k}</Key><Value{attr}>{}</Value></String>", xml_escape(v))
}

/// A KeePass 2.x XML export with Japanese groups and entries, notes with newlines,
/// TOTP, tags, a custom field, history, and an entry in the recycle bin.
fn shop_xml() -> String {
    let times =
        |c: &str, m: &str| format!("<Times><CreationTime>{c}</CreationTime><LastModificationTime>{m}</LastModificationTime></Times>");
    let mail_old = format!(
        "<Entry><UUID>{}</UUID>{}{}{}{}</Entry>",
        uuid(11),
        times("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"),
        string("Title", "受付メール", false),
        string("UserName", "info@sakura.example.jp", false),
        string("Password", "初代-mail-pass", true)
    );
    let mail = format!(
        "<Entry><UUID>{}</UUID><Tags>重要;受付</Tags>{}{}{}{}{}{}{}{}<History>{mail_old}</History></Entry>",
        uuid(11),
        times("2024-01-01T00:00:00Z", "2025-06-01T00:00:00Z"),
        string("Title", "受付メール", false),
        string("UserName", "info@sakura.example.jp", false),
        string("Password", "二代目-mail-pass", true),
        string("URL", "https://mail.example.jp", false),
        string("Notes", "IMAPは993番\nSMTPは465番", false),
        string("otp", "otpauth://totp/sakura?secret=JBSWY3DPEHPK3PXP&period=30&digits=6", true),
        string("IMAP サーバー", "imap.example.jp", false),
    );
    let wp = format!(
        "<Entry><UUID>{}</UUID>{}{}{}{}{}</Entry>",
        uuid(12),
        times("2023-04-01T00:00:00Z", "2023-04-01T00:00:00Z"),
        string("Title", "WordPress 管理画面", false),
        string("UserName", "admin", false),
        string("Password", "wp-秘密-7", true),
        string("URL", "https://sakura.example.jp/wp-admin", false)
    );
    let insta = format!(
        "<Entry><UUID>{}</UUID>{}{}{}{}</Entry>",
        uuid(13),
        times("2023-04-01T00:00:00Z", "2023-04-01T00:00:00Z"),
        string("Title", "Instagram", false),
        string("UserName", "sakura_seikotsu", false),
        string("Password", "insta-pass-3", true)
    );
    let trashed =
        format!("<Entry><UUID>{}</UUID>{}{}</Entry>", uuid(14), string("Title", "古いアカウント", false), string("Password", "old", true));
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?><KeePassFile><Meta><Generator>noren-test</Generator><DatabaseName>shop</DatabaseName><RecycleBinEnabled>True</RecycleBinEnabled><RecycleBinUUID>{}</RecycleBinUUID></Meta><Root><Group><UUID>{}</UUID><Name>Root</Name>\
<Group><UUID>{}</UUID><Name>メール</Name>{mail}</Group>\
<Group><UUID>{}</UUID><Name>ホームページ</Name>{wp}<Group><UUID>{}</UUID><Name>SNS</Name>{insta}</Group></Group>\
<Group><UUID>{}</UUID><Name>Recycle Bin</Name>{trashed}</Group>\
</Group></Root></KeePassFile>",
        uuid(5),
        uuid(1),
        uuid(2),
        uuid(3),
        uuid(4),
        uuid(5)
    )
}

fn kdbx_from_xml(dir: &Path, xml: &str, pass: &str) -> Vec<u8> {
    let x = dir.join("in.xml");
    let k = dir.join("made-by-keepassxc.kdbx");
    std::fs::write(&x, xml).unwrap();
    kpcli(&["import", "-p", "-t", "100", x.to_str().unwrap(), k.to_str().unwrap()], &format!("{pass}\n{pass}\n"));
    std::fs::read(k).unwrap()
}

fn store(dir: &Path) -> Store {
    Store::init_with(&dir.join("store"), &SecretString::new("store passphrase"), FAST, chrono::Utc::now()).unwrap()
}

#[test]
fn imports_a_keepassxc_database_with_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let bytes = kdbx_from_xml(tmp.path(), &shop_xml(), "kp-パス");
    let st = store(tmp.path());
    let (cands, skipped) = kdbx::read(&bytes, Some(&SecretString::new("kp-パス")), None).unwrap();
    assert_eq!(cands.len(), 3, "three live entries");
    assert_eq!(skipped.len(), 1, "the recycle bin is reported, not imported");
    let p = import::preview(&st, "KeePass", &cands, skipped, now()).unwrap();
    assert_eq!(p.rows.len(), 3);
    assert_eq!(st.count::<Credential>().unwrap(), 0, "preview writes nothing");
    let r = import::commit(&st, &cands, OnDuplicate::Skip, now()).unwrap();
    assert_eq!(r.imported, 3);
    let all: Vec<Credential> = st.all().unwrap();
    let mail = all.iter().find(|c| c.name == "受付メール").unwrap();
    assert_eq!(mail.category, Category::Email);
    assert_eq!(mail.password.expose(), "二代目-mail-pass");
    assert_eq!(mail.notes, "IMAPは993番\nSMTPは465番");
    assert!(mail.totp.as_ref().unwrap().expose().contains("JBSWY3DPEHPK3PXP"));
    assert_eq!(mail.fields.get("IMAP サーバー").map(String::as_str), Some("imap.example.jp"));
    assert!(mail.tags.contains(&"重要".to_string()) && mail.tags.contains(&"メール".to_string()), "{:?}", mail.tags);
    assert_eq!(mail.history.len(), 1);
    assert_eq!(mail.history[0].password.expose(), "初代-mail-pass");
    assert_eq!(mail.created_at.to_rfc3339(), "2024-01-01T00:00:00+00:00");
    let wp = all.iter().find(|c| c.name == "WordPress 管理画面").unwrap();
    assert_eq!(wp.category, Category::Website);
    let insta = all.iter().find(|c| c.name == "Instagram").unwrap();
    assert_eq!(insta.category, Category::Sns, "the SNS subgroup decides");
    assert!(insta.tags.contains(&"ホームページ/SNS".to_string()));
    // The same file again: the logins with a URL are duplicates now.
    let again = import::commit(&st, &cands, OnDuplicate::Skip, now()).unwrap();
    assert_eq!((again.imported, again.duplicates_skipped), (1, 2), "Instagram has no URL, so it cannot be matched");
}

#[test]
fn wrong_password_and_corrupt_files_import_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bytes = kdbx_from_xml(tmp.path(), &shop_xml(), "right");
    let err = kdbx::read(&bytes, Some(&SecretString::new("wrong")), None).map(|_| ()).unwrap_err();
    // The file's password, told apart from the store's passphrase.
    assert!(matches!(err, Error::WrongFilePassword), "{err:?}");
    let mut broken = bytes.clone();
    let n = broken.len();
    broken.truncate(n / 2);
    // KDBX 3.1 has no header MAC: a truncated payload looks like a wrong key to the decryption
    // ("wrong password or damaged file"); either way a clear error and nothing read.
    let err = kdbx::read(&broken, Some(&SecretString::new("right")), None).map(|_| ()).unwrap_err();
    assert!(matches!(err, Error::WrongFilePassword | Error::Invalid { field: "file", .. }), "{err:?}");
    assert!(matches!(kdbx::read(b"not a kdbx", Some(&SecretString::new("right")), None), Err(Error::Invalid { field: "file", .. })));
}

#[test]
fn export_opens_in_keepassxc_with_every_password() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(tmp.path());
    let bytes = kdbx_from_xml(tmp.path(), &shop_xml(), "kp");
    let (cands, _) = kdbx::read(&bytes, Some(&SecretString::new("kp")), None).unwrap();
    import::commit(&st, &cands, OnDuplicate::Skip, now()).unwrap();
    let creds: Vec<Credential> = st.all().unwrap();
    let out = kdbx::write(&creds, &SecretString::new("後任者-パス")).unwrap();
    let f = tmp.path().join("noren-export.kdbx");
    std::fs::write(&f, out).unwrap();
    let f = f.to_str().unwrap();
    let listing = kpcli(&["ls", "-R", "-f", f], "後任者-パス\n");
    for c in &creds {
        let path = listing.lines().find(|l| l.ends_with(&c.name)).unwrap_or_else(|| panic!("{} not in {listing}", c.name));
        let shown = kpcli(&["show", "-s", f, path.trim()], "後任者-パス\n");
        assert!(shown.contains(&format!("Password: {}", c.password.expose())), "{shown}");
        assert!(shown.contains(&format!("Title: {}", c.name)));
    }
    assert!(listing.contains("メール/受付メール"), "{listing}");
    // And Noren reads its own export back, history included.
    let (back, _) = kdbx::read(&std::fs::read(f).unwrap(), Some(&SecretString::new("後任者-パス")), None).unwrap();
    assert_eq!(back.len(), creds.len());
    assert!(back.iter().any(|b| b.history.len() == 1));
}

#[test]
fn key_file_only_database() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("kf.kdbx");
    let key = tmp.path().join("kf.keyx");
    // KeePassXC creates the key file (its .keyx format) along with the database.
    kpcli(&["db-create", "--set-key-file", key.to_str().unwrap(), "-t", "100", db.to_str().unwrap()], "");
    kpcli(&["mkdir", "--no-password", "--key-file", key.to_str().unwrap(), db.to_str().unwrap(), "サーバー"], "");
    kpcli(
        &["add", "--no-password", "--key-file", key.to_str().unwrap(), db.to_str().unwrap(), "サーバー/VPS", "-u", "root", "-p"],
        "vps-秘密\n",
    );
    let bytes = std::fs::read(&db).unwrap();
    let keyfile = std::fs::read(&key).unwrap();
    let (cands, _) = kdbx::read(&bytes, None, Some(&keyfile)).unwrap();
    assert_eq!(cands.len(), 1);
    assert_eq!(cands[0].input.password.as_ref().unwrap().expose(), "vps-秘密");
    assert_eq!(cands[0].input.category, Some(noren_core::credential::Category::Server));
    assert!(kdbx::read(&bytes, None, Some(b"not the key")).is_err(), "another key file is refused");
}

/// A KDBX 4 file as KeePassXC itself writes it: Noren's export (Argon2, KDBX 4)
/// with an entry added by keepassxc-cli, which saves the whole file again.
fn kdbx4_by_keepassxc(dir: &Path, pass: &str) -> Vec<u8> {
    let dir = &dir.join("v4");
    std::fs::create_dir(dir).unwrap();
    let st = Store::init_with(&dir.join("store4"), &SecretString::new("store passphrase"), FAST, chrono::Utc::now()).unwrap();
    let bytes = kdbx_from_xml(dir, &shop_xml(), pass);
    let (cands, _) = kdbx::read(&bytes, Some(&SecretString::new(pass)), None).unwrap();
    import::commit(&st, &cands, OnDuplicate::Skip, now()).unwrap();
    // Argon2 at 1 MiB: the damaged copies are opened hundreds of times.
    let out = kdbx::write_with_argon2(&st.all::<Credential>().unwrap(), &SecretString::new(pass), 1 << 20, 2).unwrap();
    let f = dir.join("v4.kdbx");
    std::fs::write(&f, out).unwrap();
    kpcli(&["add", f.to_str().unwrap(), "サーバー", "-u", "root", "-p"], &format!("{pass}\nsv-秘密\n"));
    let bytes = std::fs::read(&f).unwrap();
    assert_eq!(&bytes[8..12], &[0, 0, 4, 0], "KeePassXC kept it KDBX 4");
    bytes
}

/// The outer header of a KDBX 3.1 or 4 file: where it ends (its end field
/// included) and where its structure is (signature, version, each field's type
/// and length bytes): the bytes a reader must not trust.
fn header_layout(b: &[u8]) -> (usize, Vec<usize>) {
    let v4 = b[10] == 4;
    let width = if v4 { 5 } else { 3 };
    let mut structural: Vec<usize> = (0..12).collect();
    let mut pos = 12;
    loop {
        let kind = b[pos];
        let len = if v4 {
            u32::from_le_bytes(b[pos + 1..pos + 5].try_into().unwrap()) as usize
        } else {
            u16::from_le_bytes([b[pos + 1], b[pos + 2]]) as usize
        };
        structural.extend(pos..pos + width);
        if v4 && kind == 11 {
            // The KDF parameters: a dictionary of [type][key length][key][value length][value].
            let mut p = pos + width;
            structural.extend(p..p + 2);
            p += 2;
            while b[p] != 0 {
                let klen = u32::from_le_bytes(b[p + 1..p + 5].try_into().unwrap()) as usize;
                structural.extend(p..p + 5);
                p += 5 + klen;
                let vlen = u32::from_le_bytes(b[p..p + 4].try_into().unwrap()) as usize;
                structural.extend(p..p + 4);
                p += 4 + vlen;
            }
            structural.push(p);
        }
        pos += width + len;
        if kind == 0 {
            return (pos, structural);
        }
    }
}

/// Every damaged variant of `good` must give an error or a (partial) read,
/// never a panic. Returns how many were refused.
fn never_panics(good: &[u8], pass: &str, what: &str) -> usize {
    let pass = SecretString::new(pass);
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    // Every truncation through the headers, then every 61st byte of the rest.
    let (head, structural) = header_layout(good);
    for n in (0..head + 64).chain((head + 64..good.len()).step_by(61)) {
        cases.push((format!("truncated to {n}"), good[..n].to_vec()));
    }
    // Bit flips: each structural byte of the header (every bit of the length
    // bytes in turn), then a deterministic spread over the rest.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..structural.len() + 60 {
        let pos = if i < structural.len() {
            structural[i]
        } else {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % good.len() as u64) as usize
        };
        let mut b = good.to_vec();
        b[pos] ^= 1 << (i % 8);
        cases.push((format!("bit {} of byte {pos} flipped", i % 8), b));
    }
    let mut panicked = Vec::new();
    let mut refused = 0;
    for (label, bytes) in &cases {
        match std::panic::catch_unwind(|| kdbx::read(bytes, Some(&pass), None).map(|_| ())) {
            Ok(Err(_)) => refused += 1,
            Ok(Ok(())) => {}
            Err(_) => panicked.push(label.clone()),
        }
    }
    assert!(
        panicked.is_empty(),
        "{what}: {} of {} damaged files panicked: {:?}",
        panicked.len(),
        cases.len(),
        &panicked[..panicked.len().min(12)]
    );
    refused
}

#[test]
fn damaged_kdbx_files_are_errors_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let v3 = kdbx_from_xml(tmp.path(), &shop_xml(), "kp");
    assert_eq!(&v3[8..12], &[1, 0, 3, 0], "keepassxc-cli makes KDBX 3.1");
    let refused3 = never_panics(&v3, "kp", "KDBX 3.1");
    let v4 = kdbx4_by_keepassxc(tmp.path(), "kp");
    let refused4 = never_panics(&v4, "kp", "KDBX 4");
    assert!(refused3 > 300 && refused4 > 300, "damage is noticed: {refused3}, {refused4}");
}
