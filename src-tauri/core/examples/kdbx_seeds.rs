//! Writes the KDBX 4 seed of the `kdbx` fuzz target: a few logins under the
//! password "fuzz", with Argon2 at 64 KiB and one pass so that the fuzzer can
//! open thousands of mutated copies a second.
//! `cargo run -p noren-core --example kdbx_seeds -- OUT.kdbx`

use chrono::{TimeZone, Utc};
use noren_core::credential::{self, Category, CredentialInput};
use noren_core::{kdbx, SecretString};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).ok_or("usage: kdbx_seeds OUT.kdbx")?;
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 1, 0, 0).single().ok_or("clock")?;
    let logins = [
        (Category::Email, "受付メール", "imap://mail.sakura.example.jp:993", "info@sakura.example.jp"),
        (Category::Website, "ホームページ", "https://sakura.example.jp/wp-admin", "admin"),
        (Category::Sns, "Instagram", "https://www.instagram.com/", "sakura_salon"),
    ];
    let mut creds = Vec::new();
    for (category, name, url, login) in logins {
        let input = CredentialInput {
            category: Some(category),
            name: Some(name.into()),
            url: Some(url.into()),
            login: Some(login.into()),
            password: Some(SecretString::new(format!("{name}-秘密"))),
            notes: Some("メモ".into()),
            tags: Some(vec!["受付".into()]),
            ..Default::default()
        };
        creds.push(credential::build(&input, now)?);
    }
    let bytes = kdbx::write_with_argon2(&creds, &SecretString::new("fuzz"), 64 * 1024, 1)?;
    std::fs::write(&out, bytes)?;
    println!("wrote {out}");
    Ok(())
}
