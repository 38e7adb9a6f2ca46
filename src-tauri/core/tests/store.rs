//! Store and credential behaviour through the public API of noren-core.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use data_encoding::BASE64;
use noren_core::credential::{self, Category, Credential, CredentialInput, SearchIndex};
use noren_core::crypto::KdfParams;
use noren_core::store::{Compartment, Record};
use noren_core::{Error, SecretString, Store};
use serde::{Deserialize, Serialize};

mod common;

/// Weak KDF so the suite stays fast; the real parameters are tested separately.
const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

fn pass(s: &str) -> SecretString {
    SecretString::new(s)
}

fn new_store(dir: &Path) -> Store {
    Store::init_with(dir, &pass("correct horse battery"), FAST, chrono::Utc::now()).unwrap()
}

fn full_input() -> CredentialInput {
    let mut fields = BTreeMap::new();
    fields.insert("imap_host".to_string(), "imap.さくら.jp".to_string());
    fields.insert("smtp_port".to_string(), "465".to_string());
    CredentialInput {
        category: Some(Category::Email),
        name: Some("さくら整骨院 受付メール".into()),
        url: Some("https://mail.example.jp/ログイン".into()),
        login: Some("uketsuke@sakura-seikotsu.jp".into()),
        password: Some(pass("P@ss-月曜日-2026")),
        registered_email: Some("owner@sakura-seikotsu.jp".into()),
        recovery_phone: Some("090-1234-5678".into()),
        two_factor_holder: Some("院長 山田".into()),
        known_by: Some(vec!["前任者の佐藤".into()]),
        totp: Some(pass("JBSWY3DPEHPK3PXP")),
        payment_card: Some("法人カード (末尾1234)".into()),
        contract_holder: Some("山田 花子".into()),
        renewal_date: Some("2027-03-31".into()),
        notes: Some("前任者: 佐藤さん\n退職日 2026-10-31".into()),
        tags: Some(vec!["受付".into(), "重要".into()]),
        fields,
    }
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 3, 0, 0).unwrap()
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn dir_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = all_files(dir).into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect();
    v.sort();
    v
}

#[test]
fn every_field_round_trips_through_reopen() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let id = {
        let s = new_store(&dir);
        let c = credential::add(&s, &full_input(), now()).unwrap();
        c.id
    };
    let s = Store::open(&dir, &pass("correct horse battery")).unwrap();
    let c: Credential = s.get(&id).unwrap().unwrap();
    assert_eq!(c.category, Category::Email);
    assert_eq!(c.name, "さくら整骨院 受付メール");
    assert_eq!(c.url.as_deref(), Some("https://mail.example.jp/%E3%83%AD%E3%82%B0%E3%82%A4%E3%83%B3"));
    assert_eq!(c.login.as_deref(), Some("uketsuke@sakura-seikotsu.jp"));
    assert_eq!(c.password.expose(), "P@ss-月曜日-2026");
    assert_eq!(c.registered_email.as_deref(), Some("owner@sakura-seikotsu.jp"));
    assert_eq!(c.recovery_phone.as_deref(), Some("090-1234-5678"));
    assert_eq!(c.two_factor_holder.as_deref(), Some("院長 山田"));
    assert_eq!(c.totp.as_ref().unwrap().expose(), "JBSWY3DPEHPK3PXP");
    assert_eq!(c.payment_card.as_deref(), Some("法人カード (末尾1234)"));
    assert_eq!(c.contract_holder.as_deref(), Some("山田 花子"));
    assert_eq!(c.renewal_date, NaiveDate::from_ymd_opt(2027, 3, 31));
    assert_eq!(c.notes, "前任者: 佐藤さん\n退職日 2026-10-31");
    assert_eq!(c.tags, vec!["受付", "重要"]);
    assert_eq!(c.fields["imap_host"], "imap.さくら.jp");
    assert_eq!(c.fields["smtp_port"], "465");
    assert_eq!(c.created_at, now());
    assert_eq!(c.last_rotated, now());
}

#[test]
fn password_history_keeps_and_restores_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let s = new_store(&tmp.path().join("s"));
    let c = credential::add(&s, &full_input(), now()).unwrap();
    let later = now() + chrono::Duration::days(3);
    let c2 = credential::rotate(&s, &c.id, pass("second-password"), later).unwrap();
    assert_eq!(c2.history.len(), 1);
    assert_eq!(c2.history[0].password.expose(), "P@ss-月曜日-2026");
    assert_eq!(c2.history[0].set_at, now());
    assert_eq!(c2.history[0].replaced_at, later);
    assert_eq!(c2.last_rotated, later);
    let c3 = credential::restore_version(&s, &c.id, 0, later + chrono::Duration::days(1)).unwrap();
    assert_eq!(c3.password.expose(), "P@ss-月曜日-2026");
    assert_eq!(c3.history.len(), 2);
    assert_eq!(c3.history[1].password.expose(), "second-password");
    assert!(credential::restore_version(&s, &c.id, 9, later).is_err());
    // Rotating to the same password records nothing.
    let c4 = credential::rotate(&s, &c.id, pass("P@ss-月曜日-2026"), later).unwrap();
    assert_eq!(c4.history.len(), 2);
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}
fn utf16be(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}
/// Base64 forms of `s` at each of the three alignments, trimmed to the part
/// that does not depend on neighbouring bytes.
fn base64_forms(s: &str) -> Vec<Vec<u8>> {
    (0..3)
        .map(|pad| {
            let mut buf = vec![0u8; pad];
            buf.extend_from_slice(s.as_bytes());
            let enc = BASE64.encode(&buf);
            let skip = if pad == 0 { 0 } else { 4 };
            let keep = enc.len().saturating_sub(4);
            enc.as_bytes()[skip..keep].to_vec()
        })
        .filter(|v| v.len() >= 8)
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_plaintext_of_any_field_reaches_the_store_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let secrets = [
        "ZebraNameQx7-さくら",
        "https://distinctive-host-q9.example.jp/login",
        "login-marker-8841@example.jp",
        "notes-marker-ウグイス-5512",
        "password-marker-Kx93!z",
        "recovery-marker@example.jp",
        "tag-marker-ヒバリ",
        "vendor-marker-ツバメ",
        "renewal-marker-カモメ.jp",
        "incident-marker-スズメ",
        "person-marker-トンビ",
    ];
    {
        let s = new_store(&dir);
        for i in 0..50 {
            let input = CredentialInput {
                category: Some(Category::Website),
                name: Some(format!("{} {i}", secrets[0])),
                url: Some(secrets[1].into()),
                login: Some(secrets[2].into()),
                notes: Some(secrets[3].into()),
                password: Some(pass(secrets[4])),
                registered_email: Some(secrets[5].into()),
                tags: Some(vec![secrets[6].into()]),
                ..Default::default()
            };
            let c = credential::add(&s, &input, now()).unwrap();
            credential::rotate(&s, &c.id, pass(&format!("{}-{i}", secrets[4])), now()).unwrap();
        }
        // The later collections go through the same sealing.
        let vendor = noren_core::vendor::VendorInput { company: Some(secrets[7].into()), ..Default::default() };
        noren_core::vendor::add(&s, &vendor, now()).unwrap();
        let renewal = noren_core::renewal::RenewalInput {
            kind: Some(noren_core::renewal::RenewalKind::Domain),
            name: Some(secrets[8].into()),
            due: Some("2027-01-01".into()),
            ..Default::default()
        };
        noren_core::renewal::add(&s, &renewal, now()).unwrap();
        let incident = noren_core::incident::IncidentInput { title: Some(secrets[9].into()), ..Default::default() };
        noren_core::incident::add(&s, &incident, now()).unwrap();
        noren_core::people::add(&s, secrets[10], noren_core::people::PersonRole::Web, "", now()).unwrap();
        s.flush().unwrap();
    }
    let files = dir_bytes(&dir);
    assert!(files.iter().map(|(_, b)| b.len()).sum::<usize>() > 10_000, "store should hold the records");
    for (path, bytes) in &files {
        for s in secrets {
            let mut forms = vec![s.as_bytes().to_vec(), utf16le(s), utf16be(s)];
            forms.extend(base64_forms(s));
            for f in forms {
                assert!(!contains(bytes, &f), "{s:?} (some encoding) found in {}", path.display());
            }
        }
    }
}

#[test]
fn no_plaintext_of_customer_data_reaches_the_store_files() {
    use noren_core::customer::{self, Agreement, Contact, ContactKind, CustomerInput};
    use noren_core::inquiry::{self, InquiryInput};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let secrets = [
        "顧客名マーカー-ツグミ",
        "ふりがなまーかー",
        "line-marker-ID-7731",
        "customer-mail-marker@example.jp",
        "090-5555-0173",
        "約束マーカー-第2土曜",
        "問い合わせ要約マーカー",
        "本文マーカー-カワセミ",
    ];
    {
        let s = new_store(&dir);
        let shop = noren_core::business::ShopHours::default();
        for i in 0..30 {
            let c = customer::add(
                &s,
                &CustomerInput {
                    name: Some(format!("{} {i}", secrets[0])),
                    kana: Some(secrets[1].into()),
                    contacts: Some(vec![
                        Contact { kind: ContactKind::Line, value: secrets[2].into(), note: String::new() },
                        Contact { kind: ContactKind::Email, value: secrets[3].into(), note: String::new() },
                        Contact { kind: ContactKind::Phone, value: secrets[4].into(), note: String::new() },
                    ]),
                    agreements: Some(vec![Agreement { text: secrets[5].into(), since: None, until: None }]),
                    ..Default::default()
                },
                now(),
            )
            .unwrap();
            let input = InquiryInput {
                customer: Some(c.id.clone()),
                channel: Some(ContactKind::Line),
                summary: Some(secrets[6].into()),
                message: Some(secrets[7].into()),
                ..Default::default()
            };
            inquiry::add(&s, &input, &shop, chrono_tz::Asia::Tokyo, now()).unwrap();
        }
        s.flush().unwrap();
    }
    let files = dir_bytes(&dir);
    for (path, bytes) in &files {
        for s in secrets {
            let mut forms = vec![s.as_bytes().to_vec(), utf16le(s), utf16be(s)];
            forms.extend(base64_forms(s));
            for f in forms {
                assert!(!contains(bytes, &f), "{s:?} (some encoding) found in {}", path.display());
            }
        }
    }
    // And the vault key is needed to read any of it.
    let mut st = Store::open(&dir, &pass("correct horse battery")).unwrap();
    st.lock_vault();
    assert!(matches!(st.all::<noren_core::customer::Customer>(), Err(Error::Locked)));
}

/// Every key and value of every sled tree (the stored data, as sled holds it).
/// The store just dropped may hold sled's lock a moment longer: `raw_db` waits.
fn sled_contents(dir: &Path) -> Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let db = common::raw_db(dir);
    let mut out = Vec::new();
    for name in db.tree_names() {
        for kv in db.open_tree(&name).unwrap().iter() {
            let (k, v) = kv.unwrap();
            out.push((name.to_vec(), k.to_vec(), v.to_vec()));
        }
    }
    out
}

#[test]
fn wrong_passphrase_is_refused_and_store_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    {
        let s = new_store(&dir);
        credential::add(&s, &full_input(), now()).unwrap();
    }
    let header = std::fs::read(dir.join("noren.header")).unwrap();
    let contents = sled_contents(&dir);
    let err = Store::open(&dir, &pass("not the passphrase")).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase), "{err:?}");
    assert_eq!(err.code(), "wrong_passphrase");
    // The database is opened while the key is derived (sled may tidy its own
    // files then, as on any open), but no stored byte changes.
    assert_eq!(std::fs::read(dir.join("noren.header")).unwrap(), header, "header unchanged");
    assert_eq!(sled_contents(&dir), contents, "every stored key and value unchanged");
    assert!(Store::open(&dir, &pass("correct horse battery")).is_ok());
}

/// Issue 18 replaced "rewraps keys only": a new passphrase now brings new data
/// keys and every record sealed again, so the old passphrase opens nothing.
#[test]
fn change_passphrase_re_keys_every_record() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let mut ids = Vec::new();
    let sealed_before;
    {
        let mut s = new_store(&dir);
        for i in 0..5 {
            let mut inp = full_input();
            inp.name = Some(format!("cred {i}"));
            ids.push(credential::add(&s, &inp, now()).unwrap().id);
        }
        sealed_before = s.raw_tree("credentials").unwrap().get(ids[0].as_bytes()).unwrap().unwrap();
        let fingerprint = s.fingerprint();
        s.change_passphrase(&pass("a brand new passphrase")).unwrap();
        // The store keeps its name (calendar key files and kit shares refer to it).
        assert_eq!(s.fingerprint(), fingerprint);
        s.change_passphrase(&pass("and another passphrase")).unwrap();
        assert_eq!(s.fingerprint(), fingerprint);
        s.change_passphrase(&pass("a brand new passphrase")).unwrap();
        // Every record is sealed again with the new data keys.
        assert_ne!(s.raw_tree("credentials").unwrap().get(ids[0].as_bytes()).unwrap().unwrap(), sealed_before);
        assert_eq!(s.key_epoch(), 3);
        assert_eq!(s.kdf_params(), KdfParams::DEFAULT);
    }
    assert!(matches!(Store::open(&dir, &pass("correct horse battery")), Err(Error::WrongPassphrase)));
    let s = Store::open(&dir, &pass("a brand new passphrase")).unwrap();
    for id in &ids {
        let c: Credential = s.get(id).unwrap().unwrap();
        assert_eq!(c.password.expose(), "P@ss-月曜日-2026");
    }
}

#[test]
fn short_passphrases_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let err = Store::init_with(&tmp.path().join("s"), &pass("short"), FAST, chrono::Utc::now()).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(!tmp.path().join("s").exists(), "nothing left behind");
}

/// The same bytes as a credential, stored in another tree.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
struct Moved(Credential);
impl Record for Moved {
    const TREE: &'static str = "moved";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "moved";
    fn id(&self) -> &str {
        &self.0.id
    }
    fn validate(&self) -> noren_core::Result<()> {
        self.0.validate()
    }
}

#[test]
fn records_copied_to_another_id_or_tree_fail_authentication() {
    let tmp = tempfile::tempdir().unwrap();
    let s = new_store(&tmp.path().join("s"));
    let a = credential::add(&s, &full_input(), now()).unwrap();
    let mut other = full_input();
    other.name = Some("other".into());
    let b = credential::add(&s, &other, now()).unwrap();
    let tree = s.raw_tree("credentials").unwrap();
    let sealed_a = tree.get(a.id.as_bytes()).unwrap().unwrap();
    // Swap a's sealed value into b's slot.
    tree.insert(b.id.as_bytes(), sealed_a.clone()).unwrap();
    let err = s.get::<Credential>(&b.id).unwrap_err();
    assert!(matches!(err, Error::Tampered(_)), "{err:?}");
    // Copy to a new id.
    tree.insert(b"aaaaaaaaaaaaaaaa", sealed_a.clone()).unwrap();
    assert!(matches!(s.get::<Credential>("aaaaaaaaaaaaaaaa"), Err(Error::Tampered(_))));
    // Same id, another tree.
    s.raw_tree("moved").unwrap().insert(a.id.as_bytes(), sealed_a).unwrap();
    assert!(matches!(s.get::<Moved>(&a.id), Err(Error::Tampered(_))));
    // The untouched record still opens.
    assert_eq!(s.get::<Credential>(&a.id).unwrap().unwrap().name, a.name);
}

#[test]
fn second_open_is_store_in_use() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let _first = new_store(&dir);
    let err = Store::open_locked(&dir).unwrap_err();
    assert!(matches!(err, Error::StoreInUse(_)), "{err:?}");
    assert_eq!(err.code(), "store_in_use");
}

#[test]
fn missing_and_existing_stores() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("none");
    assert!(matches!(Store::open(&dir, &pass("whatever123")), Err(Error::StoreNotFound(_))));
    drop(new_store(&dir));
    assert!(matches!(Store::init_with(&dir, &pass("whatever123"), FAST, chrono::Utc::now()), Err(Error::StoreExists(_))));
}

#[test]
fn locked_vault_refuses_vault_records() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = new_store(&tmp.path().join("s"));
    let c = credential::add(&s, &full_input(), now()).unwrap();
    s.lock_vault();
    assert!(matches!(s.get::<Credential>(&c.id), Err(Error::Locked)));
    assert!(matches!(credential::add(&s, &full_input(), now()), Err(Error::Locked)));
}

#[test]
fn invalid_input_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let s = new_store(&tmp.path().join("s"));
    let good = credential::add(&s, &full_input(), now()).unwrap();
    let cases: Vec<(CredentialInput, &str)> = vec![
        (CredentialInput { name: Some("   ".into()), ..full_input() }, "name"),
        (CredentialInput { url: Some("not a url".into()), ..full_input() }, "url"),
        // ftp:// is a server's address now (issue 18); an address that runs code is not one.
        (CredentialInput { url: Some("javascript:alert(1)".into()), ..full_input() }, "url"),
        (CredentialInput { name: Some("x".repeat(10_000)), ..full_input() }, "name"),
        (CredentialInput { notes: Some("y".repeat(2_000_000)), ..full_input() }, "notes"),
        (CredentialInput { password: Some(pass(&"z".repeat(100_000))), ..full_input() }, "password"),
        (CredentialInput { registered_email: Some("no-at-sign".into()), ..full_input() }, "registered_email"),
        (CredentialInput { renewal_date: Some("31/03/2027".into()), ..full_input() }, "renewal_date"),
        (CredentialInput { totp: Some(pass("!!!")), ..full_input() }, "totp"),
        (CredentialInput { category: None, ..full_input() }, "category"),
    ];
    for (input, field) in cases {
        match credential::add(&s, &input, now()) {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected invalid, got {other:?}"),
        }
        let bad_edit = CredentialInput { category: None, ..input };
        if field != "category" {
            assert!(credential::edit(&s, &good.id, &bad_edit, now()).is_err(), "edit {field}");
        }
    }
    assert_eq!(s.count::<Credential>().unwrap(), 1);
    let still: Credential = s.get(&good.id).unwrap().unwrap();
    assert_eq!(still.name, good.name);
    assert_eq!(still.password.expose(), good.password.expose());
    assert!("unknown".parse::<Category>().is_err());
}

#[test]
fn resolve_by_id_or_exact_name() {
    let tmp = tempfile::tempdir().unwrap();
    let s = new_store(&tmp.path().join("s"));
    let mk = |name: &str, cat| CredentialInput { category: Some(cat), name: Some(name.into()), ..Default::default() };
    let a = credential::add(&s, &mk("エキテン", Category::Portal), now()).unwrap();
    credential::add(&s, &mk("Instagram", Category::Sns), now()).unwrap();
    credential::add(&s, &mk("Instagram", Category::Other), now()).unwrap();
    assert_eq!(credential::resolve(&s, &a.id).unwrap().name, "エキテン");
    assert_eq!(credential::resolve(&s, "エキテン").unwrap().id, a.id);
    match credential::resolve(&s, "Instagram") {
        Err(Error::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
        other => panic!("{other:?}"),
    }
    assert!(matches!(credential::resolve(&s, "nothing"), Err(Error::NotFound { .. })));
}

#[test]
fn search_is_japanese_aware_and_never_matches_passwords() {
    let tmp = tempfile::tempdir().unwrap();
    let s = new_store(&tmp.path().join("s"));
    let mk = |name: &str, cat, url: &str, tags: &[&str]| CredentialInput {
        category: Some(cat),
        name: Some(name.into()),
        url: Some(url.into()),
        password: Some(pass("secretword-ekiten")),
        tags: Some(tags.iter().map(|t| t.to_string()).collect()),
        ..Default::default()
    };
    credential::add(&s, &mk("エキテン", Category::Portal, "https://www.ekiten.jp", &["口コミ"]), now()).unwrap();
    credential::add(&s, &mk("ホットペッパービューティー", Category::Portal, "https://beauty.hotpepper.jp", &[]), now()).unwrap();
    credential::add(&s, &mk("Google ビジネス プロフィール", Category::Portal, "business.google.com", &["地図"]), now()).unwrap();
    let idx = SearchIndex::new(&s.all().unwrap());
    let names = |q: &str| idx.search(q).iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names("ｴｷﾃﾝ"), vec!["エキテン"]);
    assert_eq!(names("えきてん"), vec!["エキテン"]);
    assert_eq!(names("ﾎｯﾄﾍﾟｯﾊﾟｰ"), vec!["ホットペッパービューティー"]);
    assert_eq!(names("ＧＯＯＧＬＥ"), vec!["Google ビジネス プロフィール"]);
    assert_eq!(names("地図"), vec!["Google ビジネス プロフィール"], "tags are searchable");
    assert_eq!(names("hotpepper.jp"), vec!["ホットペッパービューティー"]);
    assert!(names("secretword").is_empty(), "passwords are never searched");
    assert_eq!(names("").len(), 3);
    assert_eq!(names("ポータル").len(), 3, "category labels are searchable");
}

#[test]
fn secrets_do_not_serialize_by_accident() {
    let tmp = tempfile::tempdir().unwrap();
    let s = new_store(&tmp.path().join("s"));
    let c = credential::add(&s, &full_input(), now()).unwrap();
    assert!(serde_json::to_string(&c).is_err());
    assert!(!format!("{c:?}").contains("P@ss"));
    let view = serde_json::to_string(&credential::CredentialDetail::new(&c, false)).unwrap();
    assert!(!view.contains("P@ss") && !view.contains("JBSWY3DP"));
}

#[test]
fn real_kdf_parameters_are_the_default() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(Store::init(&dir, &pass("correct horse battery"), chrono::Utc::now()).unwrap());
    let s = Store::open(&dir, &pass("correct horse battery")).unwrap();
    assert_eq!(s.kdf_params(), KdfParams::DEFAULT);
}

/// What a former staff member kept: the header file from before `passwd` (405
/// bytes that, with the old passphrase, unwrapped the data keys). Put back, it
/// opens nothing written afterwards, and says why.
#[test]
fn an_old_header_put_back_opens_nothing_written_after_the_change() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let old_header;
    {
        let mut s = new_store(&dir);
        credential::add(&s, &full_input(), now()).unwrap();
        old_header = std::fs::read(dir.join("noren.header")).unwrap();
        s.change_passphrase(&pass("the new passphrase 2026")).unwrap();
        let mut later = full_input();
        later.name = Some("added after".into());
        later.password = Some(pass("secret-after-passwd"));
        credential::add(&s, &later, now()).unwrap();
    }
    let new_header = std::fs::read(dir.join("noren.header")).unwrap();
    std::fs::write(dir.join("noren.header"), &old_header).unwrap();
    let err = Store::open(&dir, &pass("correct horse battery")).unwrap_err();
    assert!(matches!(err, Error::Tampered(_)), "{err:?}");
    assert!(err.to_string().contains("older than its data"), "{err}");
    // Nothing sealed after the change opens with the old keys, even read around the store.
    std::fs::write(dir.join("noren.header"), &new_header).unwrap();
    let s = Store::open(&dir, &pass("the new passphrase 2026")).unwrap();
    assert_eq!(s.all::<Credential>().unwrap().len(), 2);
}

/// Every field of the header is signed: the store id, the kit, the creation time.
#[test]
fn a_changed_header_field_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    drop(new_store(&dir));
    let original = std::fs::read_to_string(dir.join("noren.header")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&original).unwrap();
    for (field, value) in [
        ("store_id", serde_json::json!("0000000000000000")),
        ("created_at", serde_json::json!("2020-01-01T00:00:00Z")),
        ("epoch", serde_json::json!(7)),
    ] {
        let mut changed = v.clone();
        changed[field] = value;
        std::fs::write(dir.join("noren.header"), serde_json::to_vec(&changed).unwrap()).unwrap();
        let err = Store::open(&dir, &pass("correct horse battery")).unwrap_err();
        assert!(matches!(err, Error::Tampered(_)), "{field}: {err:?}");
    }
    // Removing the signature is no way round it.
    v.as_object_mut().unwrap().remove("mac");
    std::fs::write(dir.join("noren.header"), serde_json::to_vec(&v).unwrap()).unwrap();
    assert!(matches!(Store::open(&dir, &pass("correct horse battery")), Err(Error::Tampered(_))));
    std::fs::write(dir.join("noren.header"), original).unwrap();
    assert!(Store::open(&dir, &pass("correct horse battery")).is_ok());
}

/// `Store::writes` moves with every record written or removed and with nothing
/// else (reads, packs, derived packs), and tells two handles apart: what the
/// application compares to know that an operation changed something.
#[test]
fn writes_count_record_changes_only_and_tell_handles_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let s = new_store(&dir);
    let (handle, start) = s.writes();
    let c = credential::add(&s, &full_input(), now()).unwrap();
    assert_eq!(s.writes(), (handle, start + 1), "a record written");
    credential::list(&s).unwrap();
    SearchIndex::load(&s).unwrap();
    s.derived::<noren_core::reminder_facts::Accounts>().unwrap();
    assert_eq!(s.writes(), (handle, start + 1), "reads and derived packs are not changes");
    assert!(!s.remove::<Credential>("nosuchid").unwrap());
    assert_eq!(s.writes(), (handle, start + 1), "removing nothing changes nothing");
    assert!(s.remove::<Credential>(&c.id).unwrap());
    assert_eq!(s.writes(), (handle, start + 2));
    drop(s);
    let again = Store::open(&dir, &pass("correct horse battery")).unwrap();
    assert_ne!(again.writes().0, handle, "another handle");
}
