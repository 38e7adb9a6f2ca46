//! Sharing benchmark: prints figures, asserts nothing.
//!
//! `cargo run --release -p noren-core --example bench_sync -- [LOGINS]` (default 10,000)
//!
//! A first laptop with LOGINS logins shares its store through a folder; a second joins it
//! (reads every batch, applies every record); the first then adds 1,000 customers and the
//! second applies them; and what every change of a shared store costs afterwards (`after_change`
//! with nothing to write: the diff against the shared state). Then a year of a busy shop
//! (20 changes a day, each its own batch file, compacted every `COMPACT_AFTER` batches) and the
//! folder's size.

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use noren_core::credential::{self, Category, CredentialInput};
use noren_core::crypto::KdfParams;
use noren_core::customer::{self, CustomerInput};
use noren_core::sync::{self, Scope};
use noren_core::{SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn size_of(dir: &std::path::Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            let (b, f) = size_of(&p);
            bytes += b;
            files += f;
        } else {
            bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            files += 1;
        }
    }
    (bytes, files)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let logins: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let tmp = tempfile::tempdir()?;
    let folder = tmp.path().join("shared");
    std::fs::create_dir_all(&folder)?;
    let now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 12, 2, 1, 0, 0).single().ok_or("time")?;
    let pass = SecretString::new("correct horse battery");
    let a = Store::init_with(&tmp.path().join("a"), &pass, FAST, now)?;
    let list: Vec<_> = (0..logins)
        .map(|i| {
            credential::build(
                &CredentialInput {
                    category: Some(Category::ALL[i % Category::ALL.len()]),
                    name: Some(format!("サービス {i}")),
                    url: Some(format!("https://service{i}.example.jp/login")),
                    login: Some(format!("user{i}@example.jp")),
                    password: Some(SecretString::new(format!("pw-{i}-xyzzy-0123456789"))),
                    notes: Some(format!("メモ {i}: 担当は受付")),
                    ..Default::default()
                },
                now,
            )
        })
        .collect::<Result<_, _>>()?;
    a.put_many(&list)?;

    let t = Instant::now();
    let r = sync::setup(&a, &folder, "店長のPC", now)?;
    println!("share a store of {logins} logins (stamp + first batch): {:.0} ms, {} changes", ms(t.elapsed()), r.published);
    let (bytes, _) = size_of(&folder);
    println!("  folder: {:.1} MiB", bytes as f64 / 1048576.0);

    let inv = sync::invite(&a, Scope::Everything, now)?;
    let b = Store::init_with(&tmp.path().join("b"), &pass, FAST, now)?;
    let t = Instant::now();
    let r = sync::join(&b, &folder, &inv.code, "ウェブ担当", now)?;
    println!("join it on a second laptop (invitation KDF + apply): {:.0} ms, {} changes applied", ms(t.elapsed()), r.applied);

    let t = Instant::now();
    let n = sync::after_change(&a, now)?;
    println!("after_change with nothing changed ({logins} logins): {:.1} ms ({n} written)", ms(t.elapsed()));

    let customers: Vec<_> = (0..1000)
        .map(|i| customer::build(&CustomerInput { name: Some(format!("お客様 {i}")), ..Default::default() }, now))
        .collect::<Result<_, _>>()?;
    a.put_many(&customers)?;
    let t = Instant::now();
    let n = sync::after_change(&a, now)?;
    println!("stamp and write 1,000 new customers: {:.0} ms ({n} written)", ms(t.elapsed()));
    let t = Instant::now();
    let r = sync::sync_now(&b, now)?;
    println!("apply 1,000 remote changes: {:.0} ms ({} applied)", ms(t.elapsed()), r.applied);

    // A year of a busy shop: 20 changes a day (an edited customer, a logged post…), each
    // command its own batch, on one laptop.
    let before = size_of(&folder);
    let ids: Vec<String> = customers.iter().map(|c| c.id.clone()).collect();
    let t = Instant::now();
    for day in 0..365i64 {
        for k in 0..20usize {
            let at = now + chrono::Duration::days(day) + chrono::Duration::minutes(k as i64 * 20);
            let id = &ids[(day as usize * 20 + k) % ids.len()];
            customer::edit(&a, id, &CustomerInput { notes: Some(format!("{day}日目 {k}")), ..Default::default() }, at)?;
            sync::after_change(&a, at)?;
        }
    }
    let per = t.elapsed() / (365 * 20);
    let after = size_of(&folder);
    println!(
        "a year of 20 changes a day: the folder holds {} files, {:.1} MiB (before the year: {} files, {:.1} MiB; each laptop writes a snapshot every {} batches and deletes the batches it stands for) ({:.1} ms per change incl. diff of {logins} logins)",
        after.1,
        after.0 as f64 / 1048576.0,
        before.1,
        before.0 as f64 / 1048576.0,
        sync::COMPACT_AFTER,
        ms(per)
    );
    let t = Instant::now();
    let r = sync::sync_now(&b, now + chrono::Duration::days(366))?;
    println!("the second laptop catches up on that year: {:.0} ms ({} files, {} changes)", ms(t.elapsed()), r.files, r.applied);
    Ok(())
}
