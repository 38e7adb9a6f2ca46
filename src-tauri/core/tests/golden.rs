//! Format stability: a store written by version 1 must keep opening.
//! Regenerate (only when deliberately starting a new golden version):
//! `NOREN_WRITE_GOLDEN=1 cargo test -p noren-core --test golden -- --ignored`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{TimeZone, Utc};
use noren_core::credential::{self, Category, Credential, CredentialInput};
use noren_core::{SecretString, Store};

const PASS: &str = "noren golden v1 パス";

#[test]
fn golden_store_v1_still_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    common::copy_dir(&common::golden().join("store-v1"), &dir);
    let s = Store::open(&dir, &SecretString::new(PASS)).unwrap();
    let all = credential::list(&s).unwrap();
    assert_eq!(all.len(), 3);
    let ekiten = all.iter().find(|c| c.name == "エキテン").unwrap();
    assert_eq!(ekiten.category, Category::Portal);
    assert_eq!(ekiten.password.expose(), "ekiten-新しい-2");
    assert_eq!(ekiten.history.len(), 1);
    assert_eq!(ekiten.history[0].password.expose(), "ekiten-古い-1");
    assert_eq!(ekiten.notes, "口コミ返信は院長\n月末に確認");
    let mail = all.iter().find(|c| c.name == "受付メール").unwrap();
    assert_eq!(mail.fields["imap_host"], "imap.example.jp");
    assert_eq!(mail.totp.as_ref().unwrap().expose(), "JBSWY3DPEHPK3PXP");
    assert_eq!(mail.created_at, Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap());
    let dom = all.iter().find(|c| c.category == Category::Domain).unwrap();
    assert_eq!(dom.renewal_date.unwrap().to_string(), "2027-03-31");
}

#[test]
#[ignore]
fn write_golden_store() {
    if std::env::var_os("NOREN_WRITE_GOLDEN").is_none() {
        return;
    }
    let dir = common::golden().join("store-v1");
    assert!(!dir.exists(), "refusing to overwrite {}", dir.display());
    let t0 = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    {
        let s = Store::init(&dir, &SecretString::new(PASS), chrono::Utc::now()).unwrap();
        let e = credential::add(
            &s,
            &CredentialInput {
                category: Some(Category::Portal),
                name: Some("エキテン".into()),
                url: Some("https://www.ekiten.jp".into()),
                password: Some(SecretString::new("ekiten-古い-1")),
                notes: Some("口コミ返信は院長\n月末に確認".into()),
                tags: Some(vec!["口コミ".into()]),
                ..Default::default()
            },
            t0,
        )
        .unwrap();
        credential::rotate(&s, &e.id, SecretString::new("ekiten-新しい-2"), t0 + chrono::Duration::days(5)).unwrap();
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("imap_host".to_string(), "imap.example.jp".to_string());
        credential::add(
            &s,
            &CredentialInput {
                category: Some(Category::Email),
                name: Some("受付メール".into()),
                login: Some("uketsuke@example.jp".into()),
                password: Some(SecretString::new("mail-pass")),
                totp: Some(SecretString::new("JBSWY3DPEHPK3PXP")),
                fields,
                ..Default::default()
            },
            t0,
        )
        .unwrap();
        credential::add(
            &s,
            &CredentialInput {
                category: Some(Category::Domain),
                name: Some("sakura-seikotsu.jp".into()),
                renewal_date: Some("2027-03-31".into()),
                password: Some(SecretString::new("domain-pass")),
                ..Default::default()
            },
            t0,
        )
        .unwrap();
    }
    let _ = std::fs::remove_file(dir.join("noren.lock"));
    let _: Option<Credential> = None;
}
