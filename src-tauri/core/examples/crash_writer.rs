//! Crash-consistency helper for scripts/crash.sh.
//!
//! `crash_writer write DIR` opens (or creates) a store and adds credentials in a
//! loop; after each `credential::add` returns (the write is flushed) it prints
//! `ok <id> <name>` and flushes stdout. The script kills it with SIGKILL at a
//! random moment. `crash_writer check DIR LOG` reopens the store and checks that
//! every id the log reported as written is present and readable, that every
//! record decrypts, and that the search index and the reminder engine's facts
//! (from their sealed copies when current) say exactly what the records say.
//! Prints `checked <n> missing <m> unreadable <u>`; exit 1 on any loss, 4 on a
//! stale index or stale facts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;

use noren_core::credential::{self, Category, Credential, CredentialInput, SearchIndex};
use noren_core::crypto::KdfParams;
use noren_core::reminder_facts::Accounts;
use noren_core::store::Derived;
use noren_core::{SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

fn open(dir: &Path) -> Store {
    let pass = SecretString::new("crash test passphrase");
    if Store::exists(dir) {
        Store::open(dir, &pass).expect("the store must reopen after a crash")
    } else {
        Store::init_with(dir, &pass, FAST).unwrap()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(&args[2]);
    match args[1].as_str() {
        "write" => {
            let store = open(dir);
            let out = std::io::stdout();
            for i in 0.. {
                let input = CredentialInput {
                    category: Some(Category::ALL[i % 7]),
                    name: Some(format!("crash-{}-{i}", std::process::id())),
                    password: Some(SecretString::new(format!("pw-{i}-秘密"))),
                    notes: Some("x".repeat(i % 500)),
                    ..Default::default()
                };
                // Full reads now and then, so packs are written and invalidated under the kills too.
                if i % 50 == 0 {
                    store.all::<Credential>().unwrap();
                }
                let c = credential::add(&store, &input, chrono::Utc::now()).unwrap();
                let mut o = out.lock();
                writeln!(o, "ok {} {}", c.id, c.name).unwrap();
                o.flush().unwrap();
            }
        }
        "check" => {
            let log = std::fs::read_to_string(&args[3]).unwrap_or_default();
            let store = match Store::exists(dir).then(|| Store::open(dir, &SecretString::new("crash test passphrase"))) {
                Some(Ok(s)) => s,
                Some(Err(e)) => {
                    println!("reopen failed: {e}");
                    std::process::exit(2);
                }
                None => {
                    println!("checked 0 missing 0 unreadable 0 (no store yet)");
                    return;
                }
            };
            // The search index first: from its sealed derived pack when that is current.
            let index = match SearchIndex::load(&store) {
                Ok(i) => i.all().map(|c| (c.id.clone(), c.name.clone())).collect::<std::collections::BTreeSet<_>>(),
                Err(e) => {
                    println!("unreadable index: {e}");
                    std::process::exit(3);
                }
            };
            // The reminder engine's facts likewise, before the records are read.
            let facts = match store.derived::<Accounts>() {
                Ok(f) => f,
                Err(e) => {
                    println!("unreadable reminder facts: {e}");
                    std::process::exit(3);
                }
            };
            let all: Result<Vec<Credential>, _> = store.all();
            let all = match all {
                Ok(a) => a,
                Err(e) => {
                    println!("unreadable store: {e}");
                    std::process::exit(3);
                }
            };
            let records: std::collections::BTreeSet<_> = all.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
            if index != records {
                println!("stale index: {} rows, {} records", index.len(), records.len());
                std::process::exit(4);
            }
            if facts != Accounts::derive(&all) {
                println!("stale reminder facts: {} rows, {} records", facts.0.len(), all.len());
                std::process::exit(4);
            }
            let by_id: std::collections::HashMap<&str, &str> = all.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect();
            let mut checked = 0;
            let mut missing = 0;
            for line in log.lines() {
                let mut parts = line.split(' ');
                if parts.next() != Some("ok") {
                    continue; // a partial last line: the write was not reported complete
                }
                let (Some(id), Some(name)) = (parts.next(), parts.next()) else { continue };
                checked += 1;
                if by_id.get(id) != Some(&name) {
                    missing += 1;
                }
            }
            println!("checked {checked} missing {missing} unreadable 0 records {}", all.len());
            if missing > 0 {
                std::process::exit(1);
            }
        }
        _ => panic!("usage: crash_writer write|check DIR [LOG]"),
    }
}
