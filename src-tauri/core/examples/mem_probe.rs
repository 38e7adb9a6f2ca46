//! Where the app process's memory goes after unlocking a store (issue 22): PSS and anonymous
//! memory from /proc/self/smaps_rollup after each step the window takes.
//! `NOREN_PASSPHRASE=… cargo run --release -p noren-core --example mem_probe -- DIR`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Utc;
use noren_core::reminders::Settings;
use noren_core::session::Session;
use noren_core::{SecretString, Store};

fn rollup() -> (f64, f64) {
    let text = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("Pss:"), field("Anonymous:"))
}

fn say(what: &str) {
    let (pss, anon) = rollup();
    println!("{what:40} PSS {pss:7.1} MiB   anonymous {anon:7.1} MiB");
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: mem_probe DIR"));
    let pass = SecretString::new(std::env::var("NOREN_PASSPHRASE").expect("NOREN_PASSPHRASE"));
    say("start");
    let locked = Store::open_locked(&dir).unwrap();
    say("store opened, locked");
    let store = locked.unlock(&pass).unwrap();
    say("vault unlocked");
    let mut s = Session::new(store);
    let rows = s.search("").unwrap().len();
    say(&format!("login list ({rows} rows)"));
    let due = s.due_items(Utc::now(), &Settings::default()).unwrap().len();
    say(&format!("今日やること ({due} items)"));
    let hits = s.search("サービス 12").unwrap().len();
    say(&format!("search ({hits} hits)"));
    s.lock();
    say("locked again");
}
