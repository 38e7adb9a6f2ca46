//! Creates a store with N generated credentials, for app benchmarks.
//! `NOREN_PASSPHRASE=… cargo run --release -p noren-core --example make_store -- DIR N`

use chrono::Utc;
use noren_core::credential::{self, Category, CredentialInput};
use noren_core::{SecretString, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: make_store DIR N")?);
    let n: usize = args.next().ok_or("usage: make_store DIR N")?.parse()?;
    let pass = SecretString::new(std::env::var("NOREN_PASSPHRASE")?);
    let store = Store::init(&dir, &pass, chrono::Utc::now())?;
    let now = Utc::now();
    let mut batch = Vec::new();
    for i in 0..n {
        let input = CredentialInput {
            category: Some(Category::ALL[i % Category::ALL.len()]),
            name: Some(format!("サービス {i}")),
            url: Some(format!("https://service{i}.example.jp/login")),
            login: Some(format!("user{i}@example.jp")),
            password: Some(SecretString::new(format!("pw-{i}-example"))),
            notes: Some(format!("メモ {i}")),
            ..Default::default()
        };
        batch.push(credential::build(&input, now)?);
    }
    store.put_many(&batch)?;
    println!("created {} with {n} credentials", dir.display());
    Ok(())
}
