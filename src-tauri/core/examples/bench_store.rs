//! Store benchmark: prints figures, asserts nothing.
//! `cargo run --release -p noren-core --example bench_store [N]` (default 10000).

use std::time::{Duration, Instant};

use chrono::Utc;
use noren_core::credential::{self, Category, Credential, CredentialInput, SearchIndex};
use noren_core::crypto::{self, KdfParams};
use noren_core::{SecretString, Store};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn dir_size(p: &std::path::Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(p).into_iter().flatten().flatten() {
        let m = e.metadata().map(|m| (m.is_dir(), m.len())).unwrap_or((false, 0));
        total += if m.0 { dir_size(&e.path()) } else { m.1 };
    }
    total
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map(|s| s.parse()).transpose()?.unwrap_or(10_000);
    let pass = SecretString::new("benchmark passphrase");
    let tmp = std::env::temp_dir().join(format!("noren-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);

    // KDF alone, as configured for every store.
    let mut kdf_times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        crypto::derive_kek(&pass, b"0123456789abcdef", KdfParams::DEFAULT)?;
        kdf_times.push(t.elapsed());
    }
    kdf_times.sort();
    let kdf = kdf_times[2];
    println!("KDF Argon2id m=64MiB t=3 p=1: median {:.0} ms (5 runs)", ms(kdf));

    let cats = Category::ALL;
    let words = ["さくら", "整骨院", "エキテン", "Instagram", "受付", "予約", "ブログ", "Google", "ホットペッパー", "サーバー"];
    {
        let s = Store::init(&tmp, &pass)?;
        let now = Utc::now();
        let mut batch = Vec::with_capacity(1000);
        for i in 0..n {
            let input = CredentialInput {
                category: Some(cats[i % cats.len()]),
                name: Some(format!("{} {} {i}", words[i % words.len()], words[(i / 7) % words.len()])),
                url: Some(format!("https://service{i}.example.jp/login")),
                login: Some(format!("user{i}@example.jp")),
                password: Some(SecretString::new(format!("pw-{i}-xyzzy-0123456789"))),
                notes: Some(format!("メモ {i}: 担当は受付、更新は毎年{}月", i % 12 + 1)),
                tags: Some(vec![words[(i / 3) % words.len()].to_string()]),
                ..Default::default()
            };
            // Validate and build without writing, then write batches of 1000.
            batch.push(credential::build(&input, now)?);
            if batch.len() == 1000 {
                s.put_many(&batch)?;
                batch.clear();
            }
        }
        s.put_many(&batch)?;
    }
    let size = dir_size(&tmp);
    println!(
        "store size with {n} credentials: {:.1} MiB ({:.0} KiB per 1,000)",
        size as f64 / 1048576.0,
        size as f64 / 1024.0 / (n as f64 / 1000.0)
    );

    // Passphrase accepted → first query answered, minus the KDF.
    let mut opens = Vec::new();
    let mut parts = Vec::new();
    let mut idx = None;
    for _ in 0..5 {
        let t = Instant::now();
        let s = Store::open(&tmp, &pass)?;
        let t_open = t.elapsed();
        let all = s.all::<Credential>()?;
        let t_all = t.elapsed();
        let index = SearchIndex::new(all);
        let t_index = t.elapsed();
        let hits = index.search("ｴｷﾃﾝ 受付").len();
        let total = t.elapsed();
        opens.push(total.saturating_sub(kdf));
        parts.push((t_open.saturating_sub(kdf), t_all - t_open, t_index - t_all, total - t_index));
        assert!(hits > 0 || n < 10);
        idx = Some(index);
    }
    opens.sort();
    parts.sort();
    let p2 = parts[2];
    println!("open + decrypt all + index + first search, excluding KDF: median {:.1} ms (5 runs)", ms(opens[2]));
    println!(
        "  parts: sled open + key unwrap {:.1} ms, read+decrypt+parse {:.1} ms, index {:.1} ms, first search {:.2} ms",
        ms(p2.0),
        ms(p2.1),
        ms(p2.2),
        ms(p2.3)
    );

    let index = idx.ok_or("no index")?;
    let queries =
        ["ｴｷﾃﾝ", "さくら 整骨院", "user123", "example.jp", "ほっとぺっぱー", "zzz-none", "受付 予約", "service99", "google", "メモ 12"];
    let mut lat = Vec::new();
    for round in 0..100 {
        for q in queries {
            let t = Instant::now();
            let r = index.search(q);
            lat.push(t.elapsed());
            if round == 0 && q == "zzz-none" {
                assert!(r.is_empty());
            }
        }
    }
    lat.sort();
    let p = |q: f64| lat[((lat.len() as f64 - 1.0) * q).round() as usize];
    println!("search over {n}: median {:.3} ms, p95 {:.3} ms ({} queries)", ms(p(0.5)), ms(p(0.95)), lat.len());
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
