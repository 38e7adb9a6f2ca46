//! Re-keying and the emergency kit together: a passphrase change cut short is
//! finished by a recovery with the kit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Utc;
use noren_core::credential::{self, Category, CredentialInput};
use noren_core::crypto::KdfParams;
use noren_core::{SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

/// A passphrase change cut short after its new header (the laptop died
/// while values were being sealed again), then the passphrase forgotten:
/// the kit opens every value, the ones not yet sealed again included.
#[test]
fn the_kit_recovers_a_store_whose_re_key_was_cut_short() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let now = Utc::now();
    let mut s = Store::init_with(&dir, &SecretString::new("old passphrase"), FAST, chrono::Utc::now()).unwrap();
    for i in 0..5 {
        let input = CredentialInput {
            category: Some(Category::Website),
            name: Some(format!("ログイン {i}")),
            password: Some(SecretString::new(format!("秘密-{i}"))),
            ..Default::default()
        };
        credential::add(&s, &input, now).unwrap();
    }
    let shares: Vec<String> = noren_core::kit::make(&mut s, 3, 2, &[], now).unwrap().iter().take(2).map(|x| x.text.clone()).collect();
    let kek = s.new_kek(&SecretString::new("forgotten passphrase")).unwrap();
    s.begin_rekey(Some(kek), None).unwrap();
    assert!(s.rekey_under_way(), "the re-key is under way");
    drop(s);
    let s = noren_core::kit::recover(&dir, &shares, &SecretString::new("passphrase after recovery")).unwrap();
    let all = credential::list(&s).unwrap();
    assert_eq!(all.len(), 5, "every login reads");
    assert!(all.iter().all(|c| c.password.expose().starts_with("秘密-")));
    drop(s);
    let s = Store::open(&dir, &SecretString::new("passphrase after recovery")).unwrap();
    assert_eq!(credential::list(&s).unwrap().len(), 5, "and still after the recovery's own re-key");
}
