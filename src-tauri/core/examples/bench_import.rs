//! Import time of a 10,000-entry KDBX made by KeePassXC and of a 10,000-row CSV.
//!
//! `cargo run --release -p noren-core --example bench_import [N]` (needs keepassxc-cli).
//! The KDBX is made with `keepassxc-cli import -t 100` from generated KeePass XML
//! (KeePassXC 2.7 writes KDBX 3.1 with AES-KDF calibrated to ~100 ms).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use noren_core::crypto::KdfParams;
use noren_core::import::{self, OnDuplicate};
use noren_core::{import_formats, kdbx, SecretString, Store};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let tmp = tempfile::tempdir().unwrap();
    let b64 = |i: usize| data_encoding::BASE64.encode(&(i as u128 + 1).to_le_bytes());
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?><KeePassFile><Meta><DatabaseName>bench</DatabaseName></Meta><Root><Group>");
    xml.push_str(&format!("<UUID>{}</UUID><Name>Root</Name>", b64(usize::MAX >> 8)));
    for g in 0..10 {
        xml.push_str(&format!("<Group><UUID>{}</UUID><Name>グループ{g}</Name>", b64(1_000_000 + g)));
        for i in (g * n / 10)..((g + 1) * n / 10) {
            xml.push_str(&format!(
                "<Entry><UUID>{}</UUID><String><Key>Title</Key><Value>サービス {i}</Value></String><String><Key>UserName</Key><Value>user{i}@example.jp</Value></String><String><Key>Password</Key><Value ProtectInMemory=\"True\">pw-{i}-秘密</Value></String><String><Key>URL</Key><Value>https://s{i}.example.jp/login</Value></String><String><Key>Notes</Key><Value>メモ {i}\n2行目</Value></String></Entry>",
                b64(i)
            ));
        }
        xml.push_str("</Group>");
    }
    xml.push_str("</Group></Root></KeePassFile>");
    let x = tmp.path().join("in.xml");
    let k = tmp.path().join("bench.kdbx");
    std::fs::write(&x, &xml).unwrap();
    let t = Instant::now();
    let mut child = Command::new("keepassxc-cli")
        .args(["import", "-p", "-t", "100", x.to_str().unwrap(), k.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("keepassxc-cli");
    child.stdin.take().unwrap().write_all(b"bench\nbench\n").unwrap();
    assert!(child.wait().unwrap().success());
    let make = t.elapsed();
    let bytes = std::fs::read(&k).unwrap();

    let fast = KdfParams { m_kib: 256, t: 1, p: 1 };
    let st = Store::init_with(&tmp.path().join("s1"), &SecretString::new("bench passphrase"), fast, chrono::Utc::now()).unwrap();
    let t = Instant::now();
    let (cands, skipped) = kdbx::read(&bytes, Some(&SecretString::new("bench")), None).unwrap();
    let read = t.elapsed();
    let t = Instant::now();
    let p = import::preview(&st, "KeePass", &cands, skipped, chrono::Utc::now()).unwrap();
    let preview = t.elapsed();
    let t = Instant::now();
    let r = import::commit(&st, &cands, OnDuplicate::Skip, chrono::Utc::now()).unwrap();
    let commit = t.elapsed();
    assert_eq!((p.rows.len(), r.imported), (n, n));

    let mut csv = String::from("name,url,username,password,note\n");
    for i in 0..n {
        csv.push_str(&format!("サービス {i},https://s{i}.example.jp/login,user{i}@example.jp,pw-{i}-秘密,\"メモ {i}\n2行目\"\n"));
    }
    let st2 = Store::init_with(&tmp.path().join("s2"), &SecretString::new("bench passphrase"), fast, chrono::Utc::now()).unwrap();
    let t = Instant::now();
    let (_, c2, s2) = import_formats::csv(csv.as_bytes(), None).unwrap();
    let cparse = t.elapsed();
    let t = Instant::now();
    let p2 = import::preview(&st2, "CSV", &c2, s2, chrono::Utc::now()).unwrap();
    let cpreview = t.elapsed();
    let t = Instant::now();
    let r2 = import::commit(&st2, &c2, OnDuplicate::Skip, chrono::Utc::now()).unwrap();
    let ccommit = t.elapsed();
    assert_eq!((p2.rows.len(), r2.imported), (n, n));

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n} entries; KDBX {:.1} MiB made by keepassxc-cli import in {:.0} ms (not counted)",
        bytes.len() as f64 / 1048576.0,
        ms(make)
    );
    println!();
    println!("| source | read + decrypt/parse (ms) | preview (ms) | import, one batch (ms) | total (ms) |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| KDBX 3.1 (AES-KDF ~100 ms) | {:.0} | {:.0} | {:.0} | {:.0} |",
        ms(read),
        ms(preview),
        ms(commit),
        ms(read + preview + commit)
    );
    println!("| Chrome CSV | {:.0} | {:.0} | {:.0} | {:.0} |", ms(cparse), ms(cpreview), ms(ccommit), ms(cparse + cpreview + ccommit));
}
