//! Helpers shared by the integration tests (each test file uses some of them).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use noren_core::crypto::KdfParams;
use noren_core::{SecretString, Store};

/// A cheap KDF for tests that open many stores.
pub const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };
pub const PASS: &str = "correct horse battery";

/// A new store in `dir`/s with [`PASS`].
pub fn new_store(dir: &Path) -> Store {
    Store::init_with(&dir.join("s"), &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap()
}

/// The store's sled database, opened directly (tamper tests). A store just
/// dropped may still hold sled's lock for a moment (its flusher thread ends
/// after the handle): wait for it as `Store::open` does.
pub fn raw_db(store_dir: &Path) -> sled::Db {
    for _ in 0..60 {
        match sled::open(store_dir.join("db")) {
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => std::thread::sleep(StdDuration::from_millis(50)),
            other => return other.unwrap(),
        }
    }
    panic!("sled's lock on {} was not released", store_dir.display())
}

/// The tests' clock: records a test makes without a date of its own are made
/// at this instant, never at the machine's (CI also runs the suite under faketime).
pub const CLOCK: &str = "2026-11-22T10:00:00+09:00";

pub fn clock() -> DateTime<Utc> {
    utc(CLOCK)
}

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Where the golden files of earlier format versions live.
pub fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

/// Copies a directory tree (golden stores are opened from a copy, never in place).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: StdDuration,
}

pub fn ok(body: Vec<u8>, ctype: &str) -> Resp {
    Resp { status: 200, headers: vec![("Content-Type".into(), ctype.into())], body, delay: StdDuration::ZERO }
}

/// A one-thread-per-connection HTTP/1.1 server on 127.0.0.1; returns its base URL.
pub fn serve(handler: impl Fn(&str) -> Resp + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let handler = handler.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                        break;
                    }
                }
                let r = handler(&path);
                std::thread::sleep(r.delay);
                let mut head = format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n", r.status, r.body.len());
                for (k, v) in &r.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&r.body);
            });
        }
    });
    base
}
