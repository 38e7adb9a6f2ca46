//! Backup benchmark: prints figures, asserts nothing.
//! `cargo run --release -p noren-core --example bench_backup [N]` (default 10000).
//! Compares Noren's export with the reference `age` tool encrypting the same plaintext.

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use noren_core::backup::{self, Protection, Unlock};
use noren_core::credential::{self, Category, CredentialInput};
use noren_core::{SecretString, Store};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map(|s| s.parse()).transpose()?.unwrap_or(10_000);
    let tmp = std::env::temp_dir().join(format!("noren-bench-backup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    let pass = SecretString::new("benchmark passphrase");
    let store = Store::init(&tmp.join("store"), &pass, chrono::Utc::now())?;
    let now = Utc::now();
    let mut batch = Vec::new();
    for i in 0..n {
        let input = CredentialInput {
            category: Some(Category::ALL[i % 7]),
            name: Some(format!("サービス {i}")),
            url: Some(format!("https://service{i}.example.jp/login")),
            login: Some(format!("user{i}@example.jp")),
            password: Some(SecretString::new(format!("pw-{i}-xyzzy-0123456789"))),
            notes: Some(format!("メモ {i}: 担当は受付")),
            tags: Some(vec!["受付".into()]),
            ..Default::default()
        };
        batch.push(credential::build(&input, now)?);
    }
    store.put_many(&batch)?;

    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    let keyfile = tmp.join("key.txt");
    {
        use age::secrecy::ExposeSecret;
        std::fs::write(&keyfile, id.to_string().expose_secret())?;
    }
    let prot = Protection::Recipients(vec![recipient.clone()]);

    let t = Instant::now();
    let doc = backup::document(&store, now)?;
    let json = backup::to_json(&doc)?;
    let t_doc = t.elapsed();
    println!("{n} credentials; plaintext document {:.1} MiB, built in {:.0} ms", json.len() as f64 / 1048576.0, ms(t_doc));

    let mut ex = Vec::new();
    let mut size = 0;
    for i in 0..3 {
        let f = tmp.join(format!("r{i}.age"));
        let t = Instant::now();
        let r = backup::export(&store, &f, &prot, now)?;
        ex.push(t.elapsed());
        size = r.bytes;
    }
    println!("export (X25519 recipient), whole store → file: median {:.0} ms, file {:.1} MiB", ms(median(ex)), size as f64 / 1048576.0);

    let t = Instant::now();
    backup::export(&store, &tmp.join("p.age"), &Protection::Passphrase(pass.clone()), now)?;
    println!("export (passphrase, age scrypt calibrated to ~1 s): {:.0} ms", ms(t.elapsed()));

    // Encryption alone, Noren vs the age tool, same plaintext and recipient.
    let plain = tmp.join("plain.json");
    std::fs::write(&plain, &*json)?;
    let mut ours = Vec::new();
    for i in 0..3 {
        let t = Instant::now();
        backup::write_file_with(&tmp.join(format!("w{i}.age")), &json, &prot, |f| std::io::BufWriter::with_capacity(1 << 20, f))?;
        ours.push(t.elapsed());
    }
    let mut theirs = Vec::new();
    for i in 0..3 {
        let out = tmp.join(format!("a{i}.age"));
        let t = Instant::now();
        let st = Command::new("age").args(["-r", &recipient, "-o"]).arg(&out).arg(&plain).status()?;
        theirs.push(t.elapsed());
        if !st.success() {
            return Err("age failed".into());
        }
    }
    let mib = json.len() as f64 / 1048576.0;
    let (o, a) = (median(ours), median(theirs));
    println!(
        "encrypt {mib:.1} MiB (fsync + rename included for Noren): Noren {:.0} ms ({:.0} MiB/s), age CLI {:.0} ms ({:.0} MiB/s)",
        ms(o),
        mib / o.as_secs_f64(),
        ms(a),
        mib / a.as_secs_f64()
    );

    let unlock = Unlock::IdentityFile(keyfile);
    let mut ver = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        backup::verify(&tmp.join("r0.age"), &unlock)?;
        ver.push(t.elapsed());
    }
    println!("verify: median {:.0} ms", ms(median(ver)));
    let t = Instant::now();
    backup::restore(&tmp.join("r0.age"), &unlock, &tmp.join("restored"), &pass, chrono::Utc::now())?;
    println!("restore into a new store (includes its Argon2id KDF): {:.0} ms", ms(t.elapsed()));
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
